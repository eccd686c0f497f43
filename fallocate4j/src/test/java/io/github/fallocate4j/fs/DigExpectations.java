package io.github.fallocate4j.fs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.fallocate4j.DigListener;
import io.github.fallocate4j.DigResult;
import io.github.fallocate4j.Region;
import io.github.fallocate4j.SparseFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What a dig of a file whose bytes the test wrote must report and leave, as one reader of 1 MiB chunks
 * would: the maximal runs of zero blocks, in order, and those runs as holes. For the tests of how the dig
 * reads (DigSecondReaderTest, DigSecondReaderReviewTest).
 */
final class DigExpectations {
    static final int GRANULE = 4096;

    private DigExpectations() {}

    static boolean isZero(byte[] bytes, long from, long length) {
        for (long i = from; i < from + length && i < bytes.length; i++) {
            if (bytes[(int) i] != 0) {
                return false;
            }
        }
        return true;
    }

    /** The maximal runs of zero blocks in [first, last), the last partial block counting where last is the size. */
    static List<long[]> zeroRuns(byte[] bytes, long block, long first, long last) {
        List<long[]> runs = new ArrayList<>();
        long start = -1;
        for (long at = first; at < last; at = Math.min(at + block, last)) {
            boolean zero = isZero(bytes, at, Math.min(at + block, last) - at);
            if (zero && start < 0) {
                start = at;
            } else if (!zero && start >= 0) {
                runs.add(new long[] {start, at - start});
                start = -1;
            }
        }
        if (start >= 0) {
            runs.add(new long[] {start, last - start});
        }
        return runs;
    }

    /** The file holds {@code bytes}; every granule of zeros is a hole, every other one data. */
    static void assertDug(Path file, byte[] bytes, String what) throws IOException {
        assertArrayEquals(bytes, Files.readAllBytes(file), what + ": the bytes");
        List<Region> data = new ArrayList<>();
        try (Stream<Region> regions = SparseFiles.regions(file)) {
            regions.filter(r -> !r.isHole()).forEach(data::add);
        }
        int d = 0;
        for (long g = 0; g < bytes.length; g += GRANULE) {
            while (d < data.size() && data.get(d).end() <= g) {
                d++;
            }
            boolean isData = d < data.size() && data.get(d).offset() <= g;
            boolean zero = isZero(bytes, g, GRANULE);
            assertEquals(!zero, isData, what + ": granule at " + g + (zero ? " is zero but data" : " is data but a hole"));
        }
    }

    /** What the listener is told. */
    static class Recorder implements DigListener {
        final List<long[]> runs = new ArrayList<>();
        final List<Long> progress = new ArrayList<>();

        @Override
        public void zeroRun(long offset, long length) {
            runs.add(new long[] {offset, length});
        }

        @Override
        public void progress(long offset) {
            progress.add(offset);
        }

        /** The runs told, and counted in {@code result}, are {@code expected}; progress comes in order. */
        void assertSaw(List<long[]> expected, DigResult result, String what) {
            assertEquals(list(expected), list(runs), what + ": the runs, in order");
            assertEquals(expected.size(), result.runs(), what + ": runs counted");
            assertEquals(expected.stream().mapToLong(r -> r[1]).sum(), result.bytes(), what + ": bytes counted");
            for (int i = 1; i < progress.size(); i++) {
                assertTrue(progress.get(i) > progress.get(i - 1), what + ": progress in order " + progress);
            }
        }

        private static String list(List<long[]> runs) {
            return runs.stream().map(r -> r[0] + "+" + r[1]).collect(Collectors.joining(" "));
        }
    }
}
