package io.github.fallocate4j.cli;

import io.github.fallocate4j.DigListener;
import io.github.fallocate4j.DigOption;
import io.github.fallocate4j.FileSpaceException;
import io.github.fallocate4j.ModeNotSupportedException;
import io.github.fallocate4j.Region;
import io.github.fallocate4j.SparseFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;
import java.util.stream.Stream;

/**
 * {@code fallocate --dig-holes} and {@code --report-holes}: the library finds (and digs) the runs of
 * zero blocks; this class counts them and the file's own holes and prints util-linux's lines and
 * summaries.
 */
final class HoleDigging {
    private final Program program;
    private final String filename;
    private final boolean report;
    private final boolean verbose;

    HoleDigging(Program program, String filename, boolean report, boolean verbose) {
        this.program = program;
        this.filename = filename;
        this.report = report;
        this.verbose = verbose;
    }

    /**
     * Digs (or, reporting, only finds) the zero blocks of {@code [offset, offset+length)}.
     *
     * @param length bytes to examine; 0 for everything from {@code offset} on
     */
    void dig(FileChannel channel, long offset, long length) throws Program.Exit {
        long size;
        try {
            size = channel.size();
            channel.position(offset); // as util-linux's first lseek: a FIFO fails here
        } catch (IOException e) {
            throw program.err("seek on " + filename + " failed", Program.strerror(e));
        }
        long len = length == 0 ? Long.MAX_VALUE - offset : Math.min(length, Long.MAX_VALUE - offset);
        List<Region> fileHoles = new ArrayList<>();
        List<Region> dataHoles = new ArrayList<>();
        // A character device such as /dev/zero has size 0: nothing to read, as util-linux 2.42 finds.
        if (offset < size && len > 0) {
            if (report) {
                fileHoles = fileHoles(channel, offset, len);
            }
            LongConsumer progress = ProgressBar.forFile(program.err, offset, Math.min(size, offset + len));
            try {
                DigListener listener = new DigListener() {
                    @Override
                    public void zeroRun(long start, long bytes) {
                        dataHoles.add(new Region(Region.Kind.DATA, start, bytes));
                    }

                    @Override
                    public void progress(long at) {
                        progress.accept(at);
                    }
                };
                if (report) {
                    SparseFiles.digHoles(channel, offset, len, listener, DigOption.DRY_RUN);
                } else {
                    SparseFiles.digHoles(channel, offset, len, listener);
                }
            } catch (FileSpaceException e) {
                throw failure(e);
            } catch (IOException e) {
                throw program.err(filename + ": read failed", Program.strerror(e));
            } finally {
                if (progress instanceof ProgressBar bar) {
                    bar.close();
                }
            }
        }
        summarise(size, fileHoles, dataHoles);
    }

    private Program.Exit failure(FileSpaceException e) {
        if (e instanceof ModeNotSupportedException) {
            return program.errx("fallocate failed: keep size mode is unsupported");
        }
        if (e.operation().equals("fallocate")) {
            return program.err("fallocate failed", Program.strerror(e));
        }
        return program.err(filename + ": read failed", Program.strerror(e));
    }

    /**
     * The file holes util-linux's report counts: each gap before a data region, measured from the end
     * of the previous data region, or from 0 for the first (even when the range starts later).
     */
    private List<Region> fileHoles(FileChannel channel, long offset, long len) throws Program.Exit {
        List<Region> holes = new ArrayList<>();
        long lastEnd = 0;
        try (Stream<Region> regions = SparseFiles.regions(channel, offset, len)) {
            for (Region r : (Iterable<Region>) regions::iterator) {
                if (r.isHole()) {
                    continue;
                }
                if (r.offset() > lastEnd) {
                    holes.add(new Region(Region.Kind.HOLE, lastEnd, r.offset() - lastEnd));
                }
                lastEnd = r.end();
            }
        } catch (UncheckedIOException e) {
            throw program.err("seek on " + filename + " failed", Program.strerror(e.getCause()));
        } catch (IOException e) {
            throw program.err("seek on " + filename + " failed", Program.strerror(e));
        }
        return holes;
    }

    private void summarise(long size, List<Region> fileHoles, List<Region> dataHoles) {
        if (report) {
            if (verbose) {
                printHoles(fileHoles, dataHoles);
            }
            program.out.print("\nSummary:\n");
            program.out.print("file holes: " + summary(fileHoles, size) + "\n");
            program.out.print("data holes: " + summary(dataHoles, size) + "\n");
        } else if (verbose) {
            program.out.print(filename + ": " + summary(dataHoles, size) + " converted to sparse holes.\n");
        }
    }

    /** Both kinds in file order, each file hole before the data holes of the region it precedes. */
    private void printHoles(List<Region> fileHoles, List<Region> dataHoles) {
        int f = 0;
        int d = 0;
        while (f < fileHoles.size() || d < dataHoles.size()) {
            boolean file = d == dataHoles.size()
                    || (f < fileHoles.size() && fileHoles.get(f).offset() <= dataHoles.get(d).offset());
            Region r = file ? fileHoles.get(f++) : dataHoles.get(d++);
            program.out.print((file ? "file" : "data") + " hole: offset " + r.offset() + " - " + r.end()
                    + " (" + r.length() + " bytes)\n");
        }
    }

    private static String summary(List<Region> holes, long fileSize) {
        long bytes = holes.stream().mapToLong(Region::length).sum();
        double pct = fileSize != 0 ? (double) bytes / (double) fileSize * 100.0 : 0.0;
        return holes.size() + " holes, " + Sizes.human(bytes) + " (" + bytes + " bytes, "
                + Sizes.percent(pct) + "% of the file)";
    }
}
