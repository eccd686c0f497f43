package io.github.fallocate4j.cli;

import io.github.fallocate4j.Errno;
import io.github.fallocate4j.FileSpaceException;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.InaccessibleObjectException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

/**
 * One run of a util-linux style program: its name, its output streams, and util-linux's ways of
 * ending ({@code errx}, {@code err}, {@code errtryhelp}), each a message on stderr and an {@link Exit}.
 */
final class Program {
    /** Thrown to end the program with a status, once its message is written. */
    static final class Exit extends Exception {
        private static final long serialVersionUID = 1L;
        final int status;

        Exit(int status) {
            super(null, null, false, false);
            this.status = status;
        }
    }

    /** Printed by {@code --version}, in util-linux's "%s from %s" form. */
    static final String PACKAGE = "fallocate4j 0.1.0 (util-linux 2.42 compatible)";

    final String argv0;
    final String name;
    final PrintStream out;
    final PrintStream err;

    /**
     * @param argv0 how the program was invoked (getopt's messages start with it)
     * @param out   standard output
     * @param err   standard error
     */
    Program(String argv0, PrintStream out, PrintStream err) {
        this.argv0 = argv0;
        this.name = argv0.substring(argv0.lastIndexOf('/') + 1);
        this.out = out;
        this.err = err;
    }

    /** The body of a program: returns its exit status, or throws {@link Exit}. */
    @FunctionalInterface
    interface Body {
        int run(Program program) throws Exit;
    }

    /** Runs {@code body} as a program writing to {@code out} and {@code err}; returns its exit status. */
    static int execute(String argv0, PrintStream out, PrintStream err, Body body) {
        Program program = new Program(argv0, out, err);
        try {
            return body.run(program);
        } catch (Exit e) {
            return e.status;
        } catch (InaccessibleObjectException e) {
            // Run without the launcher and without --add-opens: the library's message names the option.
            program.warnx(e.getMessage());
            return 1;
        } finally {
            out.flush();
            err.flush();
        }
    }

    /** A whole program, as the tools' {@code run} methods are: its exit status. */
    @FunctionalInterface
    interface Main {
        int run(String argv0, PrintStream out, PrintStream err);
    }

    /**
     * Runs {@code main}, as invoked ({@link #argv0}), on this process's standard output and error, then ends the JVM with its status,
     * or with util-linux's write error when standard output could not be written. Halts rather than
     * exits: the tools register no shutdown hooks, and {@code System.exit} would first set up the
     * platform logging to record the exit, about 10 ms of a 100 ms run.
     */
    static void exit(String fallbackArgv0, Main main) {
        StandardOutput stdout = StandardOutput.ofProcess();
        Program program = new Program(argv0(fallbackArgv0), StandardOutput.printStream(stdout), System.err);
        int status = stdout.close(program, main.run(program.argv0, program.out, program.err));
        System.err.flush();
        Runtime.getRuntime().halt(status);
    }

    /** The program name launchers pass in, or {@code fallback} when run without one. */
    static String argv0(String fallback) {
        return System.getProperty("fallocate4j.argv0", fallback);
    }

    /** A getopt message: under argv[0] as given, as glibc writes it. */
    void getoptError(String message) {
        err.print(argv0 + ": " + message + "\n");
    }

    /** util-linux's warnx: "name: message". */
    void warnx(String message) {
        err.print(name + ": " + message + "\n");
        err.flush();
    }

    /** util-linux's errx: warnx, then exit 1. */
    Exit errx(String message) {
        warnx(message);
        return new Exit(1);
    }

    /** util-linux's err: "name: message: strerror(errno)", then exit 1. */
    Exit err(String message, String strerror) {
        return errx(message + ": " + strerror);
    }

    /** util-linux's errtryhelp(EXIT_FAILURE). */
    Exit tryHelp() {
        err.print("Try '" + name + " --help' for more information.\n");
        err.flush();
        return new Exit(1);
    }

    /** print_version(EXIT_SUCCESS). */
    Exit version() {
        out.print(name + " from " + PACKAGE + "\n");
        return new Exit(0);
    }

    /** strerror(3) of an error number, as glibc words it. */
    static String strerror(int errno) {
        return Errno.of(errno).map(Errno::description).orElse("Unknown error " + errno);
    }

    /** The strerror(3) text behind a failed file operation. */
    static String strerror(IOException e) {
        if (e instanceof FileSpaceException) {
            return strerror(((FileSpaceException) e).errno());
        }
        if (e instanceof NoSuchFileException) {
            return strerror(Errno.ENOENT.number());
        }
        if (e instanceof AccessDeniedException) {
            return strerror(Errno.EACCES.number());
        }
        if (e instanceof FileSystemException && ((FileSystemException) e).getReason() != null) {
            return ((FileSystemException) e).getReason();
        }
        return e.getMessage() != null ? e.getMessage() : strerror(Errno.EIO.number());
    }
}
