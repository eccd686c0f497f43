package io.github.fallocate4j.cli;

import io.github.fallocate4j.Errno;
import io.github.fallocate4j.Fallocate;
import io.github.fallocate4j.FileSpaceException;
import io.github.fallocate4j.ModeNotSupportedException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * {@code fallocate}: util-linux fallocate(1) as of 2.42, on the fallocate4j library. Same options,
 * option rules, messages, output and exit status.
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
        Program.exit("fallocate", (argv0, out, err) -> run(argv0, Arrays.asList(args), out, err));
    }

    /**
     * Runs the command in this JVM.
     *
     * @param argv0 the program name as invoked (messages use it as util-linux does)
     * @param args  the arguments
     * @param out   standard output
     * @param err   standard error
     * @return the exit status: 0 on success, 1 on failure
     */
    public static int run(String argv0, List<String> args, PrintStream out, PrintStream err) {
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
            try (FileChannel channel = open(filename, create)) {
                if (dig || report) {
                    new HoleDigging(program, filename, report, verbose).dig(channel, offset, length);
                } else {
                    allocate(channel, filename);
                }
            } catch (IOException e) {
                throw program.err("write failed: " + filename, Program.strerror(e));
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

        private FileChannel open(String filename, boolean create) throws Program.Exit {
            Set<OpenOption> options = create
                    ? Set.of(StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.CREATE)
                    : Set.of(StandardOpenOption.READ, StandardOpenOption.WRITE);
            try {
                if (filename.isEmpty()) {
                    // open("") fails with ENOENT in C; Path.of("") would be the current directory.
                    throw program.err("cannot open " + filename, Program.strerror(Errno.ENOENT.number()));
                }
                return FileChannel.open(Path.of(filename), options);
            } catch (IOException e) {
                throw program.err("cannot open " + filename, Program.strerror(e));
            }
        }

        private void allocate(FileChannel channel, String filename) throws Program.Exit {
            try {
                if (posix) {
                    Fallocate.posixFallocate(channel, offset, length);
                } else {
                    Fallocate.fallocate(channel, offset, length, mode);
                }
            } catch (FileSpaceException e) {
                if (!posix && (mode & Fallocate.FALLOC_FL_KEEP_SIZE) != 0 && e instanceof ModeNotSupportedException) {
                    throw program.errx("fallocate failed: keep size mode is unsupported");
                }
                throw program.err("fallocate failed", Program.strerror(e));
            } catch (IllegalArgumentException e) {
                // The library refuses offset+len past 2^63-1 before the kernel would: the kernel says EFBIG.
                throw program.err("fallocate failed", Program.strerror(Errno.EFBIG.number()));
            } catch (IOException e) {
                throw program.err("fallocate failed", Program.strerror(e));
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
