package io.github.fallocate4j.cli;

import io.github.fallocate4j.Errno;
import io.github.fallocate4j.Fallocate;
import io.github.fallocate4j.FileSpaceException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

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
     * Runs the command and exits with its status.
     *
     * @param args the command line, without the program name
     */
    public static void main(String[] args) {
        Program.exit("fadvise", (argv0, out, err) -> run(argv0, Arrays.asList(args), out, err));
    }

    /**
     * Runs the command in this JVM.
     *
     * @param argv0 the program name as invoked
     * @param args  the arguments
     * @param out   standard output
     * @param err   standard error
     * @return the exit status: 0 on success, 1 on failure
     */
    public static int run(String argv0, List<String> args, PrintStream out, PrintStream err) {
        return Program.execute(argv0, out, err, program -> new Run(program).execute(args));
    }

    private static final class Run {
        private final Program program;
        private int fd = -1;
        private long offset;
        private long length;
        private int advice = Fallocate.POSIX_FADV_DONTNEED;

        Run(Program program) {
            this.program = program;
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
            int rc;
            if (fd == -1) {
                String name = operands.get(0);
                FileChannel channel = open(name);
                try {
                    rc = advise(channel);
                } finally {
                    closeQuietly(channel);
                }
            } else {
                rc = advise(fd);
            }
            if (rc != 0) {
                program.warnx("failed to advise: " + Program.strerror(rc));
            }
            return rc == 0 ? 0 : 1;
        }

        /** util-linux ignores what close(2) says here. */
        private static void closeQuietly(FileChannel channel) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing was written, so nothing can be lost
            }
        }

        private FileChannel open(String name) throws Program.Exit {
            try {
                if (name.isEmpty()) {
                    throw program.err("cannot open " + name, Program.strerror(Errno.ENOENT.number()));
                }
                return FileChannel.open(Path.of(name), StandardOpenOption.READ);
            } catch (IOException e) {
                throw program.err("cannot open " + name, Program.strerror(e));
            }
        }

        /** posix_fadvise on a channel or an int descriptor; the error number, or 0. */
        private int advise(Object file) {
            try {
                if (file instanceof FileChannel channel) {
                    Fallocate.posixFadvise(channel, offset, length, advice);
                } else {
                    Fallocate.posixFadvise((Integer) file, offset, length, advice);
                }
                return 0;
            } catch (FileSpaceException e) {
                return e.errno();
            } catch (IllegalArgumentException e) {
                // A size past 2^63-1 becomes a negative off_t in C, which the kernel refuses.
                return Errno.EINVAL.number();
            } catch (IOException e) {
                return Errno.EBADF.number();
            }
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
