package io.github.fallocate4j.cli;

import io.github.fallocate4j.Errno;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

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
        this.out = bytesOut(out);
        this.err = bytesOut(err);
    }

    /**
     * A stream that writes each char of what is printed as one byte (ISO-8859-1): messages are ASCII
     * text around byte strings ({@link Argv}), which so reach the stream as the bytes the caller gave.
     */
    static PrintStream bytesOut(PrintStream stream) {
        // A PrintStream tells its charset only from Java 18: one of ours is known by its class.
        return stream instanceof BytesOut ? stream : new BytesOut(stream);
    }

    /** A print stream that encodes in ISO-8859-1 into another stream, which passes the bytes on as they are. */
    private static final class BytesOut extends PrintStream {
        BytesOut(PrintStream stream) {
            super(stream, true, StandardCharsets.ISO_8859_1);
        }
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
        } finally {
            out.flush();
            err.flush();
        }
    }

    /** A whole program, as the tools' {@code run} methods are: its exit status. */
    @FunctionalInterface
    interface Main {
        /** Runs with argv[0] and the arguments as byte strings ({@link Argv}). */
        int run(String argv0, List<String> args, PrintStream out, PrintStream err);
    }

    /**
     * Runs {@code main} on this process's command line (as the bytes given: {@link Argv}), standard
     * output and error, then ends the JVM with its status. With {@code checkStdout}, output that could
     * not be written ends it as util-linux's {@code close_stdout()} does. Halts rather than exits: the
     * tools register no shutdown hooks, and {@code System.exit} would first set up the platform
     * logging to record the exit, about 10 ms of a 100 ms run.
     */
    static void exit(String fallbackArgv0, String[] args, boolean checkStdout, Main main) {
        Argv.CommandLine line = Argv.of(fallbackArgv0, args);
        StandardOutput stdout = StandardOutput.ofProcess();
        Program program = new Program(line.argv0(), StandardOutput.printStream(stdout), System.err);
        int status = main.run(program.argv0, line.args(), program.out, program.err);
        if (checkStdout) {
            status = stdout.close(program, status);
        }
        program.out.flush();
        program.err.flush();
        Runtime.getRuntime().halt(status);
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
}
