package io.github.fallocate4j.cli;

import io.github.fallocate4j.Errno;
import io.github.fallocate4j.Fallocate;
import io.github.fallocate4j.internal.LibC;
import io.github.fallocate4j.internal.Linux;
import io.github.fallocate4j.internal.Platform;
import java.io.PrintStream;
import java.util.List;

/**
 * {@code fallocate}: util-linux fallocate(1) as of 2.42, on the fallocate4j library. Same options,
 * option rules, messages, output and exit status.
 * @since 0.1.0
 */
public final class FallocateCommand {
    private FallocateCommand() {}

    private static final String USAGE = """

            Usage:
             %1$s [options] <filename>

            Preallocate space to, or deallocate space from a file.

            Options:
             -c, --collapse-range remove a range from the file
             -d, --dig-holes      detect zeroes and replace with holes
             -i, --insert-range   insert a hole at range, shifting existing data
             -l, --length <num>   length for range operations, in bytes
             -n, --keep-size      maintain the apparent size of the file
             -o, --offset <num>   offset for range operations, in bytes
             -p, --punch-hole     replace a range with a hole (implies -n)
             -r, --report-holes   report file holes and data holes info
             -v, --verbose        verbose mode
             -w, --write-zeroes   write zeroes and ensure allocation of a range
             -x, --posix          use posix_fallocate(3) instead of fallocate(2)
             -z, --zero-range     zero and ensure allocation of a range

             -h, --help           display this help
             -V, --version        display version

            Arguments:
             Values for <num> may be followed by a suffix: KiB, MiB,
             GiB, TiB, PiB, EiB, ZiB, or YiB (where the "iB" is optional).

            For more details see fallocate(1).
            """;

    private static final List<Getopt.LongOption> LONG_OPTIONS = List.of(
            new Getopt.LongOption("help", false, 'h'),
            new Getopt.LongOption("version", false, 'V'),
            new Getopt.LongOption("keep-size", false, 'n'),
            new Getopt.LongOption("punch-hole", false, 'p'),
            new Getopt.LongOption("collapse-range", false, 'c'),
            new Getopt.LongOption("dig-holes", false, 'd'),
            new Getopt.LongOption("report-holes", false, 'r'),
            new Getopt.LongOption("insert-range", false, 'i'),
            new Getopt.LongOption("zero-range", false, 'z'),
            new Getopt.LongOption("write-zeroes", false, 'w'),
            new Getopt.LongOption("offset", true, 'o'),
            new Getopt.LongOption("length", true, 'l'),
            new Getopt.LongOption("posix", false, 'x'),
            new Getopt.LongOption("verbose", false, 'v'));

    /** Options that cannot be combined, as util-linux's excl[] table has them. */
    private static final List<String> EXCLUSIVE = List.of("cdipwxz", "cinwx");

    /** What length holds until -l is given (util-linux's -2 sentinel). */
    private static final long NO_LENGTH = -2;

    /**
     * Runs the command and exits with its status.
     *
     * @param args the command line, without the program name
     */
    public static void main(String[] args) {
        Program.exit("fallocate", args, true, FallocateCommand::runBytes);
    }

    /**
     * Runs the command in this JVM.
     *
     * @param argv0 the program name as invoked (messages use it as util-linux does)
     * @param args  the arguments; each stands for its UTF-8 bytes, as a C program would receive it
     * @param out   standard output (gets the bytes util-linux would write)
     * @param err   standard error
     * @return the exit status: 0 on success, 1 on failure
     */
    public static int run(String argv0, List<String> args, PrintStream out, PrintStream err) {
        return runBytes(Argv.fromText(argv0), args.stream().map(Argv::fromText).toList(), out, err);
    }

    /** {@link #run} on byte strings ({@link Argv}). */
    static int runBytes(String argv0, List<String> args, PrintStream out, PrintStream err) {
        return Program.execute(argv0, out, err, program -> {
            new Run(program).execute(args);
            return 0;
        });
    }

    /** The state of one invocation: the options read so far. */
    private static final class Run {
        private final Program program;
        private final char[] exclusiveSeen = new char[EXCLUSIVE.size()];
        private int mode;
        private boolean dig;
        private boolean report;
        private boolean posix;
        private boolean verbose;
        private long length = NO_LENGTH;
        private long offset;

        Run(Program program) {
            this.program = program;
        }

        void execute(List<String> args) throws Program.Exit {
            List<String> operands = Getopt.parse(program, args, "hvVncpdrizwxl:o:", LONG_OPTIONS, this::option);
            if (operands.isEmpty()) {
                throw program.errx("no filename specified");
            }
            String filename = operands.get(0);
            if (operands.size() > 1) {
                throw program.errx("unexpected number of arguments");
            }
            if (dig || report) {
                // --dig-holes and --report-holes examine the whole file unless told otherwise.
                if (length == NO_LENGTH) {
                    length = 0;
                }
                if (length < 0) {
                    throw program.errx("invalid length");
                }
            } else {
                // As util-linux: the range must be given; no default length.
                if (length == NO_LENGTH) {
                    throw program.errx("no length argument specified");
                }
                if (length <= 0) {
                    throw program.errx("invalid length");
                }
            }
            if (offset < 0) {
                throw program.errx("invalid offset");
            }
            // Only plain allocation (or write-zeroes) creates the file, as util-linux's O_CREAT rule.
            boolean create = !dig && (mode & ~Fallocate.FALLOC_FL_WRITE_ZEROES) == 0;
            Platform.requireSupported();
            int fd = LibC.open(Argv.bytes(filename), Linux.O_RDWR | Linux.O_CLOEXEC | (create ? Linux.O_CREAT : 0));
            if (fd < 0) {
                throw program.err("cannot open " + filename, Program.strerror(-fd));
            }
            try {
                if (dig || report) {
                    new HoleDigging(program, filename, report, verbose).dig(fd, offset, length);
                } else {
                    allocate(fd, filename);
                }
            } catch (Program.Exit | RuntimeException e) {
                LibC.close(fd); // util-linux exits here; run in-process, the descriptor must not leak
                throw e;
            }
            // util-linux's close_fd(): fsync, then close; either failing is a write failure, with the
            // errno of the last call that failed.
            int synced = LibC.fsync(fd);
            int closed = LibC.close(fd);
            if (synced < 0 || closed < 0) {
                throw program.err("write failed: " + filename, Program.strerror(closed < 0 ? -closed : -synced));
            }
        }

        private void option(char c, String arg) throws Program.Exit {
            checkExclusive(c);
            switch (c) {
                case 'c' -> mode |= Fallocate.FALLOC_FL_COLLAPSE_RANGE;
                case 'd' -> dig = true;
                case 'i' -> mode |= Fallocate.FALLOC_FL_INSERT_RANGE;
                case 'l' -> length = size(arg);
                case 'n' -> mode |= Fallocate.FALLOC_FL_KEEP_SIZE;
                case 'o' -> offset = size(arg);
                case 'p' -> mode |= Fallocate.FALLOC_FL_PUNCH_HOLE | Fallocate.FALLOC_FL_KEEP_SIZE;
                case 'r' -> report = true;
                case 'z' -> mode |= Fallocate.FALLOC_FL_ZERO_RANGE;
                case 'w' -> mode |= Fallocate.FALLOC_FL_WRITE_ZEROES;
                case 'x' -> posix = true;
                case 'v' -> verbose = true;
                case 'h' -> {
                    program.out.print(USAGE.formatted(program.name));
                    throw new Program.Exit(0);
                }
                case 'V' -> throw program.version();
                default -> throw program.tryHelp();
            }
        }

        /** util-linux's err_exclusive_options: the first of a group seen stays; another one fails. */
        private void checkExclusive(char c) throws Program.Exit {
            for (int g = 0; g < EXCLUSIVE.size(); g++) {
                String group = EXCLUSIVE.get(g);
                if (group.indexOf(c) < 0) {
                    continue;
                }
                if (exclusiveSeen[g] == 0) {
                    exclusiveSeen[g] = c;
                } else if (exclusiveSeen[g] != c) {
                    throw program.errx("options " + longName(exclusiveSeen[g]) + " and " + longName(c)
                            + " cannot be combined");
                }
            }
        }

        private static String longName(char c) {
            return LONG_OPTIONS.stream().filter(o -> o.value() == c).findFirst()
                    .map(o -> "--" + o.name()).orElse("-" + c);
        }

        /** util-linux's cvtnum: the size as a signed 64-bit number, -1 when it cannot be read. */
        private static long size(String arg) {
            try {
                return Sizes.parse(arg);
            } catch (Sizes.BadSize e) {
                return -1;
            }
        }

        /** util-linux's xfallocate and xposix_fallocate: the call, exactly as given, and its failure. */
        private void allocate(int fd, String filename) throws Program.Exit {
            int rc = posix ? LibC.posixFallocate(fd, offset, length) : LibC.fallocate(fd, mode, offset, length);
            if (rc < 0) {
                if (!posix && (mode & Fallocate.FALLOC_FL_KEEP_SIZE) != 0 && -rc == Errno.EOPNOTSUPP.number()) {
                    throw program.errx("fallocate failed: keep size mode is unsupported");
                }
                throw program.err("fallocate failed", Program.strerror(-rc));
            }
            if (verbose) {
                String what;
                if ((mode & Fallocate.FALLOC_FL_PUNCH_HOLE) != 0) {
                    what = "hole created";
                } else if ((mode & Fallocate.FALLOC_FL_COLLAPSE_RANGE) != 0) {
                    what = "removed";
                } else if ((mode & Fallocate.FALLOC_FL_INSERT_RANGE) != 0) {
                    what = "inserted";
                } else if ((mode & Fallocate.FALLOC_FL_ZERO_RANGE) != 0) {
                    what = "zeroed";
                } else if ((mode & Fallocate.FALLOC_FL_WRITE_ZEROES) != 0) {
                    what = "written as zeroes";
                } else {
                    what = "allocated";
                }
                program.out.print(filename + ": " + Sizes.human(length) + " (" + length + " bytes) " + what + ".\n");
            }
        }
    }
}
