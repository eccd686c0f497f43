package io.github.fallocate4j.cli;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Standard output as util-linux's {@code close_stdout()} treats it at exit: output that could not be
 * written ends the program with "name: write error: reason" and status 1, except a pipe whose reader
 * has gone (EPIPE) and a closed standard output (EBADF, {@code >&-}), which end it quietly. A {@link PrintStream} only remembers that something failed,
 * so this stream, under the print stream's buffer, keeps the first failure itself.
 */
final class StandardOutput extends FilterOutputStream {
    /**
     * What close_stdout() lets pass: strerror(EPIPE), the text the JDK gives a write to a pipe nobody
     * reads, and strerror(EBADF), a write to a closed descriptor (flush_standard_stream ignores it).
     */
    private static final Set<String> QUIET = Set.of("Broken pipe", "Bad file descriptor");

    private IOException failure;

    StandardOutput(OutputStream out) {
        super(out);
    }

    /**
     * A print stream over standard output that writes each char as one byte ({@link Argv}'s byte
     * strings) and each line out as it is printed, as {@code System.out} does: lines keep their order
     * with what goes to standard error.
     */
    static PrintStream printStream(StandardOutput stdout) {
        return new PrintStream(new BufferedOutputStream(stdout), true, StandardCharsets.ISO_8859_1);
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
        if (failure == null || QUIET.contains(failure.getMessage())) {
            return status;
        }
        program.warnx("write error: " + failure.getMessage()); // the JDK words errno as strerror(3) does
        return 1;
    }
}
