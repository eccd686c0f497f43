package io.github.fallocate4j.cli;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;

/**
 * Standard output as util-linux's {@code close_stdout()} treats it at exit: output that could not be
 * written ends the program with "name: write error: reason" and status 1, except a pipe whose reader
 * has gone (EPIPE), which ends it quietly. A {@link PrintStream} only remembers that something failed,
 * so this stream, under the print stream's buffer, keeps the first failure itself.
 */
final class StandardOutput extends FilterOutputStream {
    /** strerror(EPIPE), the text the JDK gives a write to a pipe nobody reads. */
    private static final String BROKEN_PIPE = "Broken pipe";

    private IOException failure;

    StandardOutput(OutputStream out) {
        super(out);
    }

    /**
     * A print stream over standard output, in its usual charset, that writes each line out as it is
     * printed, as {@code System.out} does: lines keep their order with what goes to standard error.
     */
    static PrintStream printStream(StandardOutput stdout) {
        return new PrintStream(new BufferedOutputStream(stdout), true, charset());
    }

    /** System.out's charset, which PrintStream.charset() tells only from Java 18. */
    private static Charset charset() {
        String name = System.getProperty("stdout.encoding"); // Java 19+
        if (name == null) {
            name = System.getProperty("sun.stdout.encoding"); // Java 17 and 18, on a terminal
        }
        try {
            return name != null ? Charset.forName(name) : Charset.defaultCharset();
        } catch (IllegalArgumentException e) {
            return Charset.defaultCharset();
        }
    }

    /** This process's file descriptor 1. */
    static StandardOutput ofProcess() {
        return new StandardOutput(new FileOutputStream(FileDescriptor.out));
    }

    @Override
    public void write(int b) throws IOException {
        try {
            out.write(b);
        } catch (IOException e) {
            throw remember(e);
        }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        try {
            out.write(b, off, len);
        } catch (IOException e) {
            throw remember(e);
        }
    }

    @Override
    public void flush() throws IOException {
        try {
            out.flush();
        } catch (IOException e) {
            throw remember(e);
        }
    }

    private IOException remember(IOException e) {
        if (failure == null) {
            failure = e;
        }
        return e;
    }

    /**
     * Flushes the program's standard output (a print stream over this stream) and returns the exit
     * status util-linux would give: {@code status}, or 1 after the program warns of the write error.
     */
    int close(Program program, int status) {
        program.out.flush();
        if (failure == null || BROKEN_PIPE.equals(failure.getMessage())) {
            return status;
        }
        program.warnx("write error: " + Program.strerror(failure));
        return 1;
    }
}
