package io.github.fallocate4j.fs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.fallocate4j.DigListener;
import io.github.fallocate4j.DigOption;
import io.github.fallocate4j.DigResult;
import io.github.fallocate4j.Extent;
import io.github.fallocate4j.Fallocate;
import io.github.fallocate4j.Region;
import io.github.fallocate4j.SparseFiles;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Group;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

/**
 * {@link SparseFiles#digHoles} against a model, on random files on every filesystem: runs of zero
 * blocks, data blocks, blocks that are zero but for one byte (early in the block, where the digger's
 * first look falls, or late, where only the full comparison finds it) and holes, spanning several read
 * chunks, with a partial last block, dug over a random range, for real or as a dry run. The model
 * finds the maximal runs of whole zero data blocks in the range; the digger must report exactly those
 * runs, leave every byte and the size as they were, leave holes exactly where the old holes and
 * the dug runs are, and (where blocks are whole pages, and the pages are not the file itself, as on
 * tmpfs) leave none of the range's pages in the page cache. {@code -Dfallocate4j.dig.tries=N} sets the
 * tries per filesystem (40 by default; the emulated aarch64 run of {@code .ci/chroots} runs fewer).
 */
class DigHolesPropertyTest {
    @Group
    @On(Fs.TMP)
    class TmpDirectory extends OnFilesystem {}

    @Group
    @On(Fs.EXT4)
    class Ext4 extends OnFilesystem {}

    @Group
    @On(Fs.XFS)
    class Xfs extends OnFilesystem {}

    @Group
    @On(Fs.BTRFS)
    class Btrfs extends OnFilesystem {}

    @Group
    @On(Fs.TMPFS)
    class Tmpfs extends OnFilesystem {}

    private static final int DEFAULT_TRIES = 40;

    static int tries() {
        return Integer.getInteger("fallocate4j.dig.tries", DEFAULT_TRIES);
    }

    /** Sets the property's tries from {@code fallocate4j.dig.tries}: a constant annotation cannot. */
    static final class Tries implements AroundPropertyHook {
        @Override
        public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
            context.attributes().setTries(tries());
            return property.execute();
        }
    }

    enum Kind { ZERO, DATA, EARLY_BYTE, LATE_BYTE, HOLE }

    /** Two read-ahead windows of 256 KiB (128 KiB doubled by POSIX_FADV_SEQUENTIAL), in 4 KiB pages. */
    static final int READ_AHEAD_PAGES = 128;

    /** Runs of blocks of one kind, a short last block, and the range to dig, as fractions of the file. */
    record Layout(List<Kind> blocks, int tailCut, double from, double span, boolean dryRun, long seed, boolean cachedBefore) {}

    /** The property and its model, for the filesystem of the group. */
    abstract class OnFilesystem {
        private final Fs fs = getClass().getAnnotation(On.class).value();
        private Path dir;
        private int block;
        /** Whether pages left in the cache can be checked: not on tmpfs, not with blocks smaller than a page. */
        private boolean checkCache;

        private void mount() throws IOException {
            if (dir == null) {
                dir = Files.createDirectories(Mounts.root(fs).resolve("dig-property"));
                block = (int) SparseFiles.blockSize(dir);
                checkCache = !fs.type().equals("tmpfs") && !Files.getFileStore(dir).type().equals("tmpfs")
                        && block % 4096 == 0;
            }
        }

        @Property
        @AddLifecycleHook(On.SkipUnavailable.class)
        @AddLifecycleHook(Tries.class)
        @StatisticsReport(StatisticsReport.StatisticsReportMode.OFF)
        void digsExactlyTheZeroBlockRunsOfTheRange(@ForAll("layouts") Layout layout) throws IOException {
            mount();
            Path file = dir.resolve("f");
            Files.deleteIfExists(file);
            int count = layout.blocks().size();
            long size = (long) count * block - Math.min(layout.tailCut(), block - 1);
            byte[] contents = contents(layout, size);
            write(file, layout.blocks(), contents);
            long offset = (long) (layout.from() * size);
            long len = Math.max(1, (long) (layout.span() * (size - offset)));

            boolean[] hole = new boolean[count];
            for (int i = 0; i < count; i++) {
                hole[i] = layout.blocks().get(i) == Kind.HOLE;
            }
            assertEquals(regions(hole, size), regions(file), "hole map before the dig");
            // Nor anything allocated there that SEEK_DATA shows only once its pages are cached (unwritten).
            assertEquals(List.of(), unwritten(file), "unwritten extents before the dig");
            List<Region> expectedRuns = zeroRuns(layout.blocks(), contents, offset, len);
            List<Region> runs = new ArrayList<>();
            DigListener listener = new DigListener() {
                @Override
                public void zeroRun(long start, long length) {
                    runs.add(new Region(Region.Kind.DATA, start, length));
                }
            };
            // The dig leaves the cache as it found it: a file read in before stays cached (but for the runs it
            // punches); a file out of the cache is left out of it.
            // Under qemu-user the dig cannot tell (no cachestat) and drops all, as util-linux.
            boolean cachedBefore = layout.cachedBefore() && Sh.emulator() == null;
            if (checkCache) {
                cache(file, cachedBefore);
            }
            DigOption[] options = layout.dryRun() ? new DigOption[] {DigOption.DRY_RUN} : new DigOption[0];
            DigResult result = SparseFiles.digHoles(file, offset, len, listener, options);

            long first = (offset + block - 1) / block * block;
            long end = Math.min(size, offset + len);
            long last = end == size ? size : end / block * block;
            // Over 2 MiB the punching and cache dropping run on a second thread: both ways must be tried.
            Statistics.label("second thread").collect(last - first > 2L << 20);
            // Before anything here reads the file back into the cache.
            // Over the layout's data and zero blocks only: the kernel's read-ahead may run past the end of data
            // into a hole, and what it brings in there can land after the dig dropped that part (zero pages
            // of a hole, left cached).
            // Not under qemu-user: in the emulated aarch64 chroot one data page was once left cached (CI of 29
            // November 18:50, not traced; the dig cannot use cachestat there and drops all it reads).
            if (first < last && checkCache && Sh.emulator() == null) {
                long expected = 0;
                long resident = 0;
                // One residency call per stretch of data and zero blocks (under qemu-user, whose mmap
                // emulation a call per block would exercise block by block).
                int firstBlock = (int) (first / block);
                for (int i = firstBlock; i < count && (long) i * block < last; ) {
                    if (hole[i]) {
                        i++;
                        continue;
                    }
                    int j = i;
                    while (j < count && (long) j * block < last && !hole[j]) {
                        j++;
                    }
                    long from = (long) i * block;
                    long to = Math.min(Math.min((long) j * block, size), last);
                    resident += SparseFiles.residency(file, from, to - from).residentPages();
                    if (cachedBefore) {
                        for (int b = i; b < j; b++) {
                            long at = (long) b * block;
                            long blockEnd = Math.min(Math.min(at + block, size), last);
                            boolean punched = !layout.dryRun() && expectedRuns.stream()
                                    .anyMatch(r -> r.offset() <= at && at < r.offset() + r.length());
                            expected += punched ? 0 : (blockEnd - at + 4095) / 4096;
                        }
                    }
                    i = j;
                }
                if (cachedBefore) {
                    assertEquals(expected, resident, "blocks cached before stay cached, but those punched");
                } else {
                    // Pages the kernel's read-ahead still had under I/O when the dig dropped that part are not
                    // dropped (POSIX_FADV_DONTNEED skips locked pages): at most two read-ahead windows (CI of 29
                    // November 18:56 found 2 and 4 on xfs; util-linux's drop has the same race).
                    assertTrue(resident <= READ_AHEAD_PAGES, "pages read are dropped from the cache, punched or not,"
                            + " but for read-ahead still in flight: " + resident + " left");
                }
            }
            assertEquals(expectedRuns, runs, "runs reported");
            assertEquals(new DigResult(expectedRuns.size(), expectedRuns.stream().mapToLong(Region::length).sum()), result);
            if (!layout.dryRun()) {
                for (Region run : expectedRuns) {
                    for (long b = run.offset() / block; b * block < run.end(); b++) {
                        hole[(int) b] = true;
                    }
                }
            }
            // Before the contents are read: xfs reports unwritten blocks whose pages are cached as data.
            assertEquals(regions(hole, size), regions(file), "hole map");
            assertEquals(size, Files.size(file), "size");
            assertArrayEquals(contents, Files.readAllBytes(file), "contents");
        }

        @AfterProperty
        void bothWaysWereTried() {
            // The generator's coverage is checked at the default tries: on fewer (the emulated aarch64
            // run's 12), a tenth of each way is down to chance, and the generator is the same there.
            if (tries() < DEFAULT_TRIES) {
                return;
            }
            Statistics.label("second thread").coverage(c -> {
                c.check(true).percentage(p -> p >= 10);
                c.check(false).percentage(p -> p >= 10);
            });
        }

        private int blockSize() {
            try {
                mount();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return block;
        }

        @Provide
        Arbitrary<Layout> layouts() {
            int perRun = 400 * Math.max(1, 4096 / blockSize());
            Arbitrary<List<Kind>> run = Combinators.combine(Arbitraries.of(Kind.class),
                    Arbitraries.integers().between(1, perRun).withDistribution(RandomDistribution.uniform()))
                    .as((kind, n) -> Collections.nCopies(n, kind));
            Arbitrary<List<Kind>> blocks = run.list().ofMinSize(1).ofMaxSize(10)
                    .map(runs -> runs.stream().flatMap(List::stream).limit(5L * perRun).toList());
            // Half the digs cover the whole file; the others start and end anywhere.
            Arbitrary<Double> from = Arbitraries.oneOf(Arbitraries.just(0.0), Arbitraries.doubles().between(0, 0.5));
            Arbitrary<Double> span = Arbitraries.oneOf(Arbitraries.just(1.0), Arbitraries.doubles().between(0.05, 1));
            return Combinators.combine(blocks, Arbitraries.integers().between(0, 1 << 16), from, span,
                    Arbitraries.of(false, false, true), Arbitraries.longs(), Arbitraries.of(false, true))
                    .as(Layout::new);
        }

        /** Reads the whole file into the page cache, or writes it back and drops it from the cache. */
        private static void cache(Path file, boolean in) throws IOException {
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                if (in) {
                    ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
                    for (long at = 0; ch.read(buffer.clear(), at) > 0; at += buffer.position()) {
                        // read through
                    }
                } else {
                    ch.force(true);
                    Fallocate.posixFadvise(ch, 0, 0, Fallocate.POSIX_FADV_DONTNEED);
                }
            }
        }

        /** The bytes of the file: holes and zero blocks read as zeros. */
        private byte[] contents(Layout layout, long size) {
            byte[] bytes = new byte[(int) size];
            Random random = new Random(layout.seed());
            for (int i = 0; i < layout.blocks().size(); i++) {
                int start = i * block;
                int end = (int) Math.min(size, start + (long) block);
                switch (layout.blocks().get(i)) {
                    case DATA -> {
                        for (int at = start; at < end; at++) {
                            bytes[at] = (byte) (1 + random.nextInt(255));
                        }
                    }
                    case EARLY_BYTE -> bytes[Math.min(end - 1, start + random.nextInt(8))] = 1;
                    case LATE_BYTE -> {
                        int room = end - start - 8;
                        bytes[room > 0 ? start + 8 + random.nextInt(room) : end - 1] = 1;
                    }
                    case ZERO, HOLE -> { }
                }
            }
            return bytes;
        }

        /**
         * Sets the size, then writes every block but the holes, so that the holes are never allocated. In
         * the other order a write past the end of the file makes xfs allocate blocks beyond it (speculative
         * preallocation), and those the next write leaves behind, inside a hole of the layout, stay as
         * unwritten extents: holes to SEEK_DATA until their pages are cached (by the dig's own read-ahead,
         * say), data after, so the runs dug there depended on timing (seen under qemu-user).
         */
        private void write(Path file, List<Kind> blocks, byte[] contents) throws IOException {
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                raf.setLength(contents.length);
                for (int i = 0; i < blocks.size(); i++) {
                    int start = i * block;
                    if (blocks.get(i) != Kind.HOLE && start < contents.length) {
                        raf.seek(start);
                        raf.write(contents, start, Math.min(block, contents.length - start));
                    }
                }
                raf.getFD().sync(); // clean pages, which POSIX_FADV_DONTNEED can drop
            }
        }

        /**
         * The maximal runs of whole blocks in the range that are data and all zero; the range's partial
         * first and last blocks do not count, except the file's own short last block when the range reaches
         * the end of the file.
         */
        private List<Region> zeroRuns(List<Kind> blocks, byte[] contents, long offset, long len) {
            long size = contents.length;
            long end = Math.min(size, offset + len);
            long first = (offset + block - 1) / block * block;
            long last = end == size ? size : end / block * block;
            List<Region> runs = new ArrayList<>();
            long runStart = -1;
            long runEnd = -1;
            for (long at = first; at < last; at += block) {
                long blockEnd = Math.min(at + block, size);
                boolean zero = blocks.get((int) (at / block)) != Kind.HOLE && allZero(contents, at, blockEnd);
                if (zero && runStart < 0) {
                    runStart = at;
                }
                if (zero) {
                    runEnd = blockEnd;
                } else if (runStart >= 0) {
                    runs.add(new Region(Region.Kind.DATA, runStart, runEnd - runStart));
                    runStart = -1;
                }
            }
            if (runStart >= 0) {
                runs.add(new Region(Region.Kind.DATA, runStart, runEnd - runStart));
            }
            return runs;
        }

        private static boolean allZero(byte[] bytes, long from, long to) {
            for (long i = from; i < to; i++) {
                if (bytes[(int) i] != 0) {
                    return false;
                }
            }
            return true;
        }

        private static List<Region> regions(Path file) throws IOException {
            try (Stream<Region> regions = SparseFiles.regions(file)) {
                return regions.toList();
            }
        }

        /** The file's unwritten extents, where FIEMAP works (not on tmpfs). */
        private List<Extent> unwritten(Path file) throws IOException {
            if (Files.getFileStore(file).type().equals("tmpfs")) {
                return List.of();
            }
            return SparseFiles.extents(file).stream().filter(Extent::isUnwritten).toList();
        }

        /** The data/hole map of blocks marked as holes or not, the last ending at the file size. */
        private List<Region> regions(boolean[] hole, long size) {
            List<Region> regions = new ArrayList<>();
            int i = 0;
            while (i < hole.length) {
                int j = i;
                while (j < hole.length && hole[j] == hole[i]) {
                    j++;
                }
                long start = (long) i * block;
                long end = Math.min(size, (long) j * block);
                regions.add(new Region(hole[i] ? Region.Kind.HOLE : Region.Kind.DATA, start, end - start));
                i = j;
            }
            return regions;
        }
    }
}
