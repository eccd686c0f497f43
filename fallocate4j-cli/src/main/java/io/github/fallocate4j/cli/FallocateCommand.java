package io.github.fallocate4j.cli;

import io.github.fallocate4j.DigListener;
import io.github.fallocate4j.DigOption;
import io.github.fallocate4j.DigResult;
import io.github.fallocate4j.Errno;
import io.github.fallocate4j.Fallocate;
import io.github.fallocate4j.FileSpaceException;
import io.github.fallocate4j.Region;
import io.github.fallocate4j.SparseFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code fallocate}: util-linux fallocate(1) as of 2.42, on fallocate4j. Same options, size syntax,
 * open flags, messages and exit codes; --dig-holes and --report-holes run the library's one hole digger.
 */
public final class FallocateCommand {
    static final String NAME = "fallocate";
    private static final String USAGE = """

            Usage:
             fallocate [options] <filename>

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
    private static final Getopt GETOPT = new Getopt("hvVncpdrizwxl:o:", List.of(
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
            new Getopt.LongOption("verbose", false, 'v')));
    /** Options that exclude each other, as util-linux's excl[] table has them. */
    private static final List<String> EXCLUSIVE = List.of("cdipwxz", "cinwx");
    /** Files larger than this get a progress bar while digging, on a terminal. */
    static final long PROGRESS_THRESHOLD = 256L << 20;

    private final Console console;
    private int mode;
    private boolean dig;
    private boolean report;
    private boolean posix;
    private int verbose;
    private long length = -2;
    private long offset;
    private final char[] exclusiveSeen = new char[EXCLUSIVE.size()];

    private FallocateCommand(Console console) {
        this.console = console;
    }

    /** Runs as a process: exit status from {@link #run}. */
    public static void main(String[] args) {
        System.exit(run(args, Console.system()));
    }

    /** Runs the command and returns its exit status; output goes to the console's streams. */
    static int run(String[] args, Console console) {
        FallocateCommand command = new FallocateCommand(console);
        try {
            command.execute(args);
            return 0;
        } catch (Exit exit) {
            if (exit.getMessage() != null) {
                console.err().print(exit.getMessage());
            }
            return exit.status();
        } catch (Getopt.Failure failure) {
            console.err().print(console.argv0(NAME) + ": " + failure.getMessage() + "\n"
                    + "Try '" + NAME + " --help' for more information.\n");
            return 1;
        } finally {
            console.out().flush();
            console.err().flush();
        }
    }

    private void execute(String[] args) throws Exit, Getopt.Failure {
        List<String> operands = GETOPT.parse(args, this::option).operands();
        if (operands.isEmpty()) {
            throw fail("no filename specified");
        }
        if (operands.size() > 1) {
            throw fail("unexpected number of arguments");
        }
        String filename = operands.get(0);
        if (dig || report) {
            // For --dig-holes and --report-holes the default is the whole file.
            if (length == -2) {
                length = 0;
            }
            if (length < 0) {
                throw fail("invalid length");
            }
        } else {
            if (length == -2) {
                throw fail("no length argument specified");
            }
            if (length <= 0) {
                throw fail("invalid length");
            }
        }
        if (offset < 0) {
            throw fail("invalid offset");
        }
        // As fallocate(1): only plain allocation (and write-zeroes) creates the file.
        boolean create = !dig && (mode & ~Fallocate.FALLOC_FL_WRITE_ZEROES) == 0;
        Path path = Path.of(filename);
        Set<StandardOpenOption> open = EnumSet.of(StandardOpenOption.READ, StandardOpenOption.WRITE);
        if (create) {
            open.add(StandardOpenOption.CREATE);
        }
        try (FileChannel channel = openChannel(path, open, filename)) {
            if (dig || report) {
                digHoles(path, channel, filename);
            } else {
                allocate(channel, filename);
            }
        } catch (IOException e) {
            throw fail("write failed: " + filename + ": " + Strerror.of(e));
        }
    }

    private FileChannel openChannel(Path path, Set<StandardOpenOption> options, String filename) throws Exit {
        try {
            return FileChannel.open(path, options);
        } catch (IOException e) {
            throw fail("cannot open " + filename + ": " + Strerror.of(e));
        }
    }

    private void option(Getopt.Parsed parsed) throws Exit {
        char c = parsed.option();
        for (int group = 0; group < EXCLUSIVE.size(); group++) {
            if (EXCLUSIVE.get(group).indexOf(c) < 0) {
                continue;
            }
            char seen = exclusiveSeen[group];
            if (seen == 0) {
                exclusiveSeen[group] = c;
            } else if (seen != c) {
                throw fail("options " + longName(seen) + " and " + longName(c) + " cannot be combined");
            }
        }
        switch (c) {
            case 'c' -> mode |= Fallocate.FALLOC_FL_COLLAPSE_RANGE;
            case 'd' -> dig = true;
            case 'i' -> mode |= Fallocate.FALLOC_FL_INSERT_RANGE;
            case 'l' -> length = cvtnum(parsed.value());
            case 'n' -> mode |= Fallocate.FALLOC_FL_KEEP_SIZE;
            case 'o' -> offset = cvtnum(parsed.value());
            case 'p' -> mode |= Fallocate.FALLOC_FL_PUNCH_HOLE | Fallocate.FALLOC_FL_KEEP_SIZE;
            case 'r' -> report = true;
            case 'z' -> mode |= Fallocate.FALLOC_FL_ZERO_RANGE;
            case 'w' -> mode |= Fallocate.FALLOC_FL_WRITE_ZEROES;
            case 'x' -> posix = true;
            case 'v' -> verbose++;
            case 'h' -> {
                console.out().print(USAGE);
                throw Exit.success();
            }
            case 'V' -> {
                console.out().print(Version.line(NAME));
                throw Exit.success();
            }
            default -> throw new IllegalStateException("unhandled option " + c);
        }
    }

    private static String longName(char option) {
        return switch (option) {
            case 'c' -> "--collapse-range";
            case 'd' -> "--dig-holes";
            case 'i' -> "--insert-range";
            case 'n' -> "--keep-size";
            case 'p' -> "--punch-hole";
            case 'w' -> "--write-zeroes";
            case 'x' -> "--posix";
            case 'z' -> "--zero-range";
            default -> "-" + option;
        };
    }

    /** fallocate(1)'s cvtnum: the size, or -1 when it does not parse or exceeds the largest off_t. */
    private static long cvtnum(String text) {
        OptionalLong size = Sizes.parse(text);
        return size.isPresent() ? size.getAsLong() : -1;
    }

    private void allocate(FileChannel channel, String filename) throws Exit {
        try {
            if (posix) {
                Fallocate.posixFallocate(channel, offset, length);
            } else {
                Fallocate.fallocate(channel, offset, length, mode);
            }
        } catch (FileSpaceException e) {
            if (!posix && (mode & Fallocate.FALLOC_FL_KEEP_SIZE) != 0 && e.errno() == Errno.EOPNOTSUPP.number()) {
                throw fail("fallocate failed: keep size mode is unsupported");
            }
            throw fail("fallocate failed: " + Strerror.of(e));
        } catch (IllegalArgumentException e) {
            // offset+len past 2^63-1: the kernel's answer to that range.
            throw fail("fallocate failed: " + Errno.EFBIG.description());
        } catch (IOException e) {
            throw fail("fallocate failed: " + Strerror.of(e));
        }
        if (verbose > 0) {
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
            console.out().print(filename + ": " + Sizes.human(length) + " (" + length + " bytes) " + what + ".\n");
        }
    }

    private void digHoles(Path path, FileChannel channel, String filename) throws Exit {
        long fileSize;
        try {
            fileSize = channel.size();
        } catch (IOException e) {
            throw fail("stat of " + filename + " failed: " + Strerror.of(e));
        }
        List<HoleLine> holes = new ArrayList<>();
        DigResult found = new DigResult(0, 0);
        HoleStat fileHoles = new HoleStat();
        // util-linux finds nothing to read in a device or FIFO and reports an empty result.
        if (Files.isRegularFile(path) && offset < fileSize) {
            long len = length == 0 ? Long.MAX_VALUE - offset : length;
            if (report) {
                fileHoles = fileHoles(channel, len, filename, holes);
            }
            ProgressBar bar = ProgressBar.forFile(console, fileSize);
            DigListener listener = new DigListener() {
                @Override
                public void zeroRun(long start, long bytes) {
                    if (report && verbose > 0) {
                        holes.add(new HoleLine(start, "data", bytes));
                    }
                }

                @Override
                public void progress(long at) {
                    bar.show(at);
                }
            };
            try {
                found = report
                        ? SparseFiles.digHoles(channel, offset, len, listener, DigOption.DRY_RUN)
                        : SparseFiles.digHoles(channel, offset, len, listener);
            } catch (FileSpaceException e) {
                bar.clear();
                throw fail(e.operation().equals("fallocate")
                        ? "fallocate failed: " + Strerror.of(e)
                        : filename + ": read failed: " + Strerror.of(e));
            } catch (IOException e) {
                bar.clear();
                throw fail(filename + ": read failed: " + Strerror.of(e));
            }
            bar.finish();
        }
        // Each file hole is reported before the zero runs of the data it precedes, as fallocate(1) does.
        holes.sort(Comparator.comparingLong(HoleLine::offset));
        List<String> lines = new ArrayList<>();
        holes.forEach(hole -> lines.add(hole.text()));
        if (report) {
            lines.add("");
            lines.add("Summary:");
            lines.add("file holes: " + summary(fileHoles.count, fileHoles.bytes, fileSize));
            lines.add("data holes: " + summary(found.runs(), found.bytes(), fileSize));
        } else if (verbose > 0) {
            lines.add(filename + ": " + summary(found.runs(), found.bytes(), fileSize) + " converted to sparse holes.");
        }
        lines.forEach(line -> console.out().print(line + "\n"));
    }

    /** A line of --report-holes --verbose output. */
    private record HoleLine(long offset, String kind, long bytes) {
        String text() {
            return kind + " hole: offset " + offset + " - " + (offset + bytes) + " (" + bytes + " bytes)";
        }
    }

    /** A count of holes and their bytes. */
    private static final class HoleStat {
        long count;
        long bytes;
    }

    /**
     * Holes that precede data, as fallocate(1) counts them: from the end of the previous data (or
     * offset 0) to each data region in the range; a hole that ends the file is not counted.
     */
    private HoleStat fileHoles(FileChannel channel, long len, String filename, List<HoleLine> lines) throws Exit {
        HoleStat stat = new HoleStat();
        long lastEnd = 0;
        try (Stream<Region> regions = SparseFiles.regions(channel, offset, len)) {
            for (Region region : (Iterable<Region>) regions::iterator) {
                if (region.isHole()) {
                    continue;
                }
                if (lastEnd < region.offset()) {
                    stat.count++;
                    stat.bytes += region.offset() - lastEnd;
                    if (verbose > 0) {
                        lines.add(new HoleLine(lastEnd, "file", region.offset() - lastEnd));
                    }
                }
                lastEnd = region.end();
            }
        } catch (IOException e) {
            throw fail("seek on " + filename + " failed: " + Strerror.of(e));
        } catch (UncheckedIOException e) {
            throw fail("seek on " + filename + " failed: " + Strerror.of(e.getCause()));
        }
        return stat;
    }

    private static String summary(long holes, long bytes, long fileSize) {
        double pct = fileSize == 0 ? 0.0 : (double) bytes / (double) fileSize * 100.0;
        return String.format(Locale.ROOT, "%d holes, %s (%d bytes, %.2f%% of the file)",
                holes, Sizes.human(bytes), bytes, pct);
    }

    private static Exit fail(String message) {
        return Exit.failure(NAME + ": " + message + "\n");
    }
}
