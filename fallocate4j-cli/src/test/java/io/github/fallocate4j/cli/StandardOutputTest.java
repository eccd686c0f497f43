package io.github.fallocate4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** util-linux's close_stdout(): a failed write to standard output is reported at exit, except EPIPE. */
class StandardOutputTest {
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    private final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);

    /** Standard output whose every write fails with {@code reason}, as the JDK words errno. */
    private static StandardOutput failing(String reason) {
        return new StandardOutput(new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException(reason);
            }
        });
    }

    private int close(StandardOutput stdout, int status) {
        PrintStream out = StandardOutput.printStream(stdout);
        out.print("fallocate: 1 MiB (1048576 bytes) allocated.\n");
        return stdout.close(new Program("fallocate", out, err), status);
    }

    @Test
    void aFailedWriteIsAWriteErrorWithStatusOne() {
        assertEquals(1, close(failing("No space left on device"), 0));
        assertEquals("fallocate: write error: No space left on device\n", errBytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aPipeWithoutReaderEndsQuietlyWithTheProgramsStatus() {
        assertEquals(0, close(failing("Broken pipe"), 0));
        assertEquals(1, close(failing("Broken pipe"), 1));
        assertEquals("", errBytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void writtenOutputKeepsTheStatus() {
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        assertEquals(1, close(new StandardOutput(written), 1));
        assertEquals("fallocate: 1 MiB (1048576 bytes) allocated.\n", written.toString(StandardCharsets.UTF_8));
        assertEquals("", errBytes.toString(StandardCharsets.UTF_8));
    }
}
