package io.github.fallocate4j.fs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.fallocate4j.Advice;
import io.github.fallocate4j.AllocateOption;
import io.github.fallocate4j.FileSpace;
import io.github.fallocate4j.FileSpaceException;
import io.github.fallocate4j.SparseFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Many threads calling the library at once, on one shared file (disjoint ranges, through one shared
 * channel and through their own Path opens) and on a file each: no crash, no descriptor leaked, and
 * every byte what the calls made it.
 */
class ConcurrencyTest {
    private static final int THREADS = 8;
    private static final int ROUNDS = 40;

    @ParameterizedTest
    @EnumSource(names = {"TMP", "EXT4", "XFS", "BTRFS", "TMPFS"})
    void threadsOnOneFileAndOnManyFiles(Fs fs) throws Exception {
        Path dir = Mounts.dir(fs);
        run(dir, 1); // warm up: classes loaded, descriptors the JVM opens lazily already open
        List<String> before = OpenDescriptors.into(dir);
        run(dir, ROUNDS);
        // Only the descriptors on files in dir, which a leak of the library's is: a count of all saw one more
        // after on JDK 17 (HotSpot there reads the cgroup memory files from its own threads while it compiles,
        // and a listing may catch one open; see OpenDescriptors).
        List<String> after = OpenDescriptors.into(dir);
        assertEquals(before, after, "descriptors open on files in " + dir);
    }


    private static void run(Path dir, int rounds) throws Exception {
        Path shared = dir.resolve("shared");
        long b = SparseFiles.blockSize(dir);
        int region = (int) (8 * b);
        FileState.writeRandom(shared, THREADS * region, 1);
        byte[][] expected = new byte[THREADS][];
        ExecutorService pool = Executors.newFixedThreadPool(2 * THREADS);
        try (FileChannel ch = FileChannel.open(shared, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            CyclicBarrier start = new CyclicBarrier(2 * THREADS);
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int id = t;
                futures.add(pool.submit((Callable<Void>) () -> {
                    start.await();
                    expected[id] = ownRegion(shared, ch, id, region, (int) b, rounds);
                    return null;
                }));
                futures.add(pool.submit((Callable<Void>) () -> {
                    start.await();
                    ownFile(dir.resolve("own-" + id), (int) b, rounds);
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get(); // rethrows any thread's failure
            }
        } finally {
            pool.shutdown();
            pool.awaitTermination(1, TimeUnit.MINUTES);
        }
        byte[] all = Files.readAllBytes(shared);
        assertEquals(THREADS * region, all.length, "the shared file's size");
        for (int t = 0; t < THREADS; t++) {
            assertArrayEquals(expected[t], Arrays.copyOfRange(all, t * region, (t + 1) * region), "region of thread " + t);
        }
    }

    /** Rewrites, punches, zeroes and advises its own 8 blocks of the shared file; returns what they must hold. */
    private static byte[] ownRegion(Path file, FileChannel ch, int id, int region, int b, int rounds) throws IOException {
        long at = (long) id * region;
        byte[] expect = new byte[region];
        for (int round = 0; round < rounds; round++) {
            new Random(id * 1000L + round).nextBytes(expect);
            ch.write(ByteBuffer.wrap(expect), at);
            FileSpace.punchHole(ch, at + b, 2L * b);                  // through the shared descriptor
            FileSpace.punchHole(file, at + 4L * b + 7, b);            // through a descriptor of its own
            FileSpace.advise(ch, at, region, Advice.values()[round % Advice.values().length]);
            FileSpace.allocate(ch, at + 6L * b, b);                   // already allocated: no change
            Arrays.fill(expect, b, 3 * b, (byte) 0);
            Arrays.fill(expect, 4 * b + 7, 5 * b + 7, (byte) 0);
            try {
                FileSpace.zeroRange(file, at + 6L * b + 1, 10, AllocateOption.KEEP_SIZE);
                Arrays.fill(expect, 6 * b + 1, 6 * b + 11, (byte) 0);
            } catch (FileSpaceException unsupported) {
                // tmpfs: EOPNOTSUPP, and the bytes stay
            }
        }
        return expect;
    }

    /** Allocates, punches, fails and advises on a file of its own through Path calls. */
    private static void ownFile(Path file, int b, int rounds) throws IOException {
        for (int round = 0; round < rounds; round++) {
            Files.deleteIfExists(file);
            FileSpace.allocate(file, 0, 16L * b);
            FileSpace.allocate(file, 16L * b, 16L * b, AllocateOption.KEEP_SIZE);
            FileSpace.posixAllocate(file, 8L * b, 16L * b);
            FileSpace.punchHole(file, 2L * b, 4L * b);
            try {
                FileSpace.insertRange(file, 1, b); // unaligned: EINVAL, or EOPNOTSUPP where insert is missing
                throw new AssertionError("an unaligned insert succeeded");
            } catch (FileSpaceException expected) {
                // the failure path closes its descriptor too
            }
            FileSpace.advise(file, 0, 0, Advice.DONTNEED);
            assertEquals(24L * b, Files.size(file));
            assertArrayEquals(new byte[24 * b], Files.readAllBytes(file));
        }
    }
}
