package io.github.fallocate4j.cli;

import io.github.fallocate4j.Errno;
import io.github.fallocate4j.Fallocate;
import io.github.fallocate4j.internal.LibC;
import io.github.fallocate4j.internal.Linux;
import io.github.fallocate4j.internal.Platform;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code fadvise}: util-linux fadvise(1) as of 2.42 on the fallocate4j library. Gives posix_fadvise(3)
 * advice about a file, by name or by an inherited descriptor.
 * @since 0.1.0
 */
public final class FadviseCommand {
    private FadviseCommand() {}

    private static final String USAGE = """

            Usage:
             %1$s [options] file
             %1$s [options] --fd|-d file-descriptor

            Options:
             -a, --advice <advice> applying advice to the file (default: "dontneed")
             -d, --fd <num>        applying advice to the file descriptor
             -l, --length <num>    length for range operations, in bytes
             -o, --offset <num>    offset for range operations, in bytes

             -h, --help            display this help
             -V, --version         display version

            Available values for advice:
              normal
              sequential
              random
              noreuse
              willneeded
              dontneed

            For more details see fadvise(1).
            """;

    private static final Map<String, Integer> ADVICE = Map.of(
            "normal", Fallocate.POSIX_FADV_NORMAL,
            "sequential", Fallocate.POSIX_FADV_SEQUENTIAL,
            "random", Fallocate.POSIX_FADV_RANDOM,
            "noreuse", Fallocate.POSIX_FADV_NOREUSE,
            "willneeded", Fallocate.POSIX_FADV_WILLNEED,
            "dontneed", Fallocate.POSIX_FADV_DONTNEED);

    private static final List<Getopt.LongOption> LONG_OPTIONS = List.of(
            new Getopt.LongOption("advice", true, 'a'),
            new Getopt.LongOption("fd", true, 'd'),
            new Getopt.LongOption("length", true, 'l'),
            new Getopt.LongOption("offset", true, 'o'),
            new Getopt.LongOption("version", false, 'V'),
            new Getopt.LongOption("help", false, 'h'));

    /**
     * Runs the command and exits with its status. util-linux's fadvise does not check its standard
     * output at exit (no close_stdout), and neither does this.
     *
     * @param args the command line, without the program name
     */
    public static void main(String[] args) {
        Set<Integer> callerFds = callerFds(System.getProperty("fallocate4j.callerFds"));
        Program.exit("fadvise", args, false, (argv0, line, out, err) -> runBytes(argv0, line, out, err, callerFds));
    }

    /**
     * The descriptors the caller of the JVM passed in: those the launcher recorded before starting it
     * ({@code -Dfallocate4j.callerFds=0,1,2,5}), or, run without the launcher, standard input, output
     * and error only. The JVM opens descriptors of its own (its modules image, the jar) that a
     * {@code --fd} must never reach.
     */
    static Set<Integer> callerFds(String recorded) {
        if (recorded == null) {
            return Set.of(0, 1, 2);
        }
        return Arrays.stream(recorded.split(",")).filter(s -> !s.isEmpty()).map(Integer::valueOf)
                .collect(Collectors.toUnmodifiableSet());
    }

    /**
     * Runs the command in this JVM. A {@code --fd} names a descriptor of this JVM, used as given.
     *
     * @param argv0 the program name as invoked
     * @param args  the arguments; each stands for its UTF-8 bytes, as a C program would receive it
     * @param out   standard output (gets the bytes util-linux would write)
     * @param err   standard error
     * @return the exit status: 0 on success, 1 on failure
     */
    public static int run(String argv0, List<String> args, PrintStream out, PrintStream err) {
        return runBytes(Argv.fromText(argv0), args.stream().map(Argv::fromText).toList(), out, err, null);
    }

    /**
     * {@link #run} on byte strings ({@link Argv}); {@code callerFds}, unless null, are the only
     * descriptors a {@code --fd} may name: any other is EBADF, as if it were closed.
     */
    static int runBytes(String argv0, List<String> args, PrintStream out, PrintStream err, Set<Integer> callerFds) {
        return Program.execute(argv0, out, err, program -> new Run(program, callerFds).execute(args));
    }

    private static final class Run {
        private final Program program;
        private final Set<Integer> callerFds;
        private int fd = -1;
        private long offset;
        private long length;
        private int advice = Fallocate.POSIX_FADV_DONTNEED;

        Run(Program program, Set<Integer> callerFds) {
            this.program = program;
            this.callerFds = callerFds;
        }

        int execute(List<String> args) throws Program.Exit {
            List<String> operands = Getopt.parse(program, args, "a:d:hl:o:V", LONG_OPTIONS, this::option);
            if (operands.isEmpty() && fd == -1) {
                program.warnx("no file specified");
                throw program.tryHelp();
            }
            if (!operands.isEmpty() && fd != -1) {
                program.warnx("specify either file descriptor or file name");
                throw program.tryHelp();
            }
            if (operands.size() > 1) {
                program.warnx("specify one file descriptor or file name");
                throw program.tryHelp();
            }
            Platform.requireSupported();
            int rc;
            if (fd == -1) {
                String name = operands.get(0);
                int opened = LibC.open(Argv.bytes(name), Linux.O_RDONLY | Linux.O_CLOEXEC);
                if (opened < 0) {
                    throw program.err("cannot open " + name, Program.strerror(-opened));
                }
                rc = -LibC.posixFadvise(opened, offset, length, advice);
                LibC.close(opened); // util-linux ignores what close(2) says here
            } else if (callerFds != null && !callerFds.contains(fd)) {
                rc = Errno.EBADF.number(); // not the caller's: as closed, whatever this JVM has there
            } else {
                // posix_fadvise(3) as util-linux calls it: whatever the kernel accepts is accepted.
                rc = -LibC.posixFadvise(fd, offset, length, advice);
            }
            if (rc != 0) {
                program.warnx("failed to advise: " + Program.strerror(rc));
            }
            return rc == 0 ? 0 : 1;
        }

        private void option(char c, String arg) throws Program.Exit {
            switch (c) {
                case 'a' -> {
                    Integer value = ADVICE.get(arg);
                    if (value == null) {
                        throw program.errx("invalid advice argument: '" + arg + "'");
                    }
                    advice = value;
                }
                case 'd' -> fd = fd(arg);
                case 'l' -> length = size(arg, "invalid length");
                case 'o' -> offset = size(arg, "invalid offset");
                case 'V' -> throw program.version();
                case 'h' -> {
                    program.out.print(USAGE.formatted(program.name));
                    throw new Program.Exit(0);
                }
                default -> throw program.tryHelp();
            }
        }

        /** util-linux's strtos32_or_err: a decimal int, "invalid fd argument: '...'" otherwise. */
        private int fd(String arg) throws Program.Exit {
            Strtoumax n = Strtoumax.parse(arg, 10);
            boolean whole = n.end() > 0 && n.end() == arg.length();
            boolean overflow = n.overflow() || (n.negative() ? Long.compareUnsigned(-n.value(), 1L << 63) > 0
                    : n.value() < 0);
            long value = n.value();
            if (!arg.isEmpty() && (overflow || (whole && (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE)))) {
                throw program.err("invalid fd argument: '" + arg + "'", Program.strerror(34));
            }
            if (!whole) {
                throw program.errx("invalid fd argument: '" + arg + "'");
            }
            return (int) value;
        }

        /** util-linux's strtosize_or_err. */
        private long size(String arg, String message) throws Program.Exit {
            try {
                return Sizes.parse(arg);
            } catch (Sizes.BadSize e) {
                throw program.err(message + ": '" + arg + "'", Program.strerror(e.errno));
            }
        }
    }
}
