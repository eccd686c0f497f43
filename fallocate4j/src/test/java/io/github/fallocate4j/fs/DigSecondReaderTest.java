package io.github.fallocate4j.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.fallocate4j.DigOption;
import io.github.fallocate4j.DigResult;
import io.github.fallocate4j.Fallocate;
import io.github.fallocate4j.SparseFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * How a dig reads, for speed (issue 15), changes nothing it finds: a cached file is read by two threads
 * (ScanAhead: one thread's reads and zero checks took 1.3-1.5x the C read floor, two threads' less than
 * it), in a dry run always, in a dig while it holds its write lease; an uncached one four chunks at a
 * time. Either way the runs reported are those of one reader of 1 MiB chunks, a run across a chunk's or
 * a thread's end one run, the listener told them in order, and the holes punched exactly the zero runs.
 */
class DigSecondReaderTest {
    private static final int MIB = 1 << 20;
    private static final int GRANULE = DigExpectations.GRANULE;
    private static final int FILE_MIB = 40;
    private static final String READER = "fallocate4j-dig-holes-reader";

    @ParameterizedTest
    @EnumSource(names = {"EXT4", "XFS", "BTRFS"}) // EXT4's 1 KiB blocks: four per granule
    void aCachedFileReadByTwoThreadsIsReportedAndDugAsByOne(Fs fs) throws IOException {
        Path file = Mounts.dir(fs).resolve("f");
        byte[] bytes = pattern();
        List<long[]> zeroRuns = zeroRuns(bytes);
        try {
            Files.write(file, bytes); // and so cached
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                // Written back first: ext4's write-back allocates its extent tree's block then, which under
                // qemu's slower dry run came after the count below (1 KiB more allocated, CI's aarch64 run).
                ch.force(true);
            }
            long allocated = SparseFiles.allocatedBytes(file);

            ReaderRecorder report = new ReaderRecorder();
            DigResult reported = SparseFiles.digHoles(file, 0, Long.MAX_VALUE, report, DigOption.DRY_RUN);
            report.assertSaw(zeroRuns, reported, "dry run", cachestat());
            assertEquals(allocated, SparseFiles.allocatedBytes(file), "a dry run punches nothing");

            ReaderRecorder dig = new ReaderRecorder();
            DigResult dug = SparseFiles.digHoles(file, 0, Long.MAX_VALUE, dig);
            dig.assertSaw(zeroRuns, dug, "dig", cachestat());
            DigExpectations.assertDug(file, bytes, "cached dig");
            assertFalse(readerAlive(), "the second reader ends with the dig");
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /**
     * The same file, not cached: read four chunks at a time with RWF_DONTCACHE (O_DIRECT on btrfs), zero
     * runs of up to 2.8 MiB checked a chunk's length at a time; the runs those reads find are the same, and
     * nothing is left cached.
     */
    @ParameterizedTest
    @EnumSource(names = {"EXT4", "XFS", "BTRFS"})
    void anUncachedFileReadFourChunksAtATimeIsDugAsACachedOne(Fs fs) throws IOException {
        Path file = Mounts.dir(fs).resolve("f");
        byte[] bytes = pattern();
        List<long[]> zeroRuns = zeroRuns(bytes);
        try {
            Files.write(file, bytes);
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                ch.force(true);
                Fallocate.posixFadvise(ch, 0, 0, Fallocate.POSIX_FADV_DONTNEED);
            }
            assertEquals(0, SparseFiles.residency(file, 0, (long) FILE_MIB * MIB).residentPages(), "nothing cached before");

            ReaderRecorder dig = new ReaderRecorder();
            DigResult dug = SparseFiles.digHoles(file, 0, Long.MAX_VALUE, dig);
            dig.assertSaw(zeroRuns, dug, "dig", false);
            if (cachestat()) { // without it every page read is dropped behind, and read-ahead may leave a window cached
                assertEquals(0, SparseFiles.residency(file, 0, (long) FILE_MIB * MIB).residentPages(), "nothing cached after");
            }
            DigExpectations.assertDug(file, bytes, "uncached dig");
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** Runs of zero granules and of random data granules, of random lengths, and a zero run over 8 MiB's end. */
    private static byte[] pattern() {
        byte[] bytes = new byte[FILE_MIB * MIB];
        Random random = new Random(17);
        boolean data = true;
        for (int at = 0; at < bytes.length; data = !data) {
            int granules = data ? 1 + random.nextInt(48) : 1 + random.nextInt(700);
            int end = Math.min(bytes.length, at + granules * GRANULE);
            if (data && (at > 8 * MIB || end < 8 * MIB - 2 * GRANULE)) {
                byte[] random4k = new byte[end - at];
                random.nextBytes(random4k);
                for (int b = 0; b < random4k.length; b += 512) {
                    random4k[b] = 1; // every block of every filesystem data from its first byte
                }
                System.arraycopy(random4k, 0, bytes, at, random4k.length);
            }
            at = end;
        }
        return bytes;
    }

    /** The maximal runs of zero granules, as {offset, length}; one of them over 8 MiB's end. */
    private static List<long[]> zeroRuns(byte[] bytes) {
        List<long[]> runs = DigExpectations.zeroRuns(bytes, GRANULE, 0, bytes.length);
        assertTrue(runs.stream().anyMatch(r -> r[0] < 8 * MIB && r[0] + r[1] > 8 * MIB), "a run over 8 MiB's end");
        return runs;
    }

    /**
     * Whether the dig can tell what is cached (cachestat(2)): not under qemu-user, which lacks it; there no
     * stretch counts as cached (no second reader) nor as uncached (no 4 MiB reads), and the runs found must
     * still be the same.
     */
    private static boolean cachestat() throws IOException {
        return Sh.emulator() == null;
    }

    private static boolean readerAlive() {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(READER) && t.isAlive());
    }

    /** What the listener is told, and whether the second reader was running while it was. */
    private static final class ReaderRecorder extends DigExpectations.Recorder {
        private boolean readerSeen;

        @Override
        public void progress(long offset) {
            super.progress(offset);
            if (offset == 16L * MIB) {
                readerSeen = readerAlive();
            }
        }

        void assertSaw(List<long[]> zeroRuns, DigResult result, String what, boolean secondReader) {
            assertSaw(zeroRuns, result, what);
            assertEquals((long) FILE_MIB * MIB, progress.get(progress.size() - 1), what + ": progress to the end");
            if (secondReader) {
                assertTrue(readerSeen, what + ": the second reader was running");
            }
        }
    }
}
