package io.github.fallocate4j.fs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.fallocate4j.DigListener;
import io.github.fallocate4j.DigOption;
import io.github.fallocate4j.Region;
import io.github.fallocate4j.SparseFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 9 A3: a dig racing a writer. Without a lock, a block written before the dig reaches the punch
 * of its run keeps its bytes; with {@link DigOption#LOCK}, a writer that locks what it writes loses nothing.
 */
class DigRaceTest {
    private static final int MIB = 1 << 20;
    private static final int BLOCK = 4096;

    /**
     * The run of zeros that covers the whole file is found chunk by chunk; after the first chunk, before
     * the run ends, a block in it is written. The old dig punched the whole run, and the block read back
     * as zeros. 1 MiB is punched on the calling thread, 6 MiB on the second thread.
     */
    @ParameterizedTest
    @CsvSource({"TMPFS, 1", "TMPFS, 6", "EXT4, 6", "XFS, 6", "BTRFS, 6"})
    void aBlockWrittenBeforeItsRunIsPunchedKeepsItsBytes(Fs fs, int mebibytes) throws IOException {
        Path file = Mounts.dir(fs).resolve("f");
        Files.write(file, new byte[mebibytes * MIB]);
        byte[] written = new byte[BLOCK];
        Arrays.fill(written, (byte) 7);
        try (FileChannel writer = FileChannel.open(file, StandardOpenOption.WRITE)) {
            AtomicBoolean done = new AtomicBoolean();
            DigListener writeOnce = new DigListener() {
                @Override
                public void progress(long offset) {
                    if (!done.getAndSet(true)) {
                        try {
                            writer.write(ByteBuffer.wrap(written), BLOCK);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }
                }
            };
            SparseFiles.digHoles(file, 0, Long.MAX_VALUE, writeOnce);
            assertTrue(done.get());
        }
        byte[] after = Files.readAllBytes(file);
        assertArrayEquals(written, Arrays.copyOfRange(after, BLOCK, 2 * BLOCK), "the block written during the dig");
        assertEquals(mebibytes * MIB, after.length);
        try (Stream<Region> regions = SparseFiles.regions(file)) {
            List<Region> map = regions.toList();
            assertTrue(map.contains(new Region(Region.Kind.HOLE, 0, BLOCK)), () -> "the zero block before it is a hole: " + map);
            assertEquals(Region.Kind.HOLE, map.get(map.size() - 1).kind(), () -> "the zeros after it are a hole: " + map);
        }
    }

    /**
     * With LOCK, a writer that locks each 4 KiB block it writes (FileChannel.lock, an fcntl lock) waits
     * while the dig runs and loses nothing; while the dig holds its lock nobody else gets one.
     */
    @ParameterizedTest
    @EnumSource(names = {"TMPFS", "EXT4"})
    @SuppressWarnings("try") // the writer's lock is held over its write, never referenced
    void aWriterTakingTheLockLosesNothing(Fs fs) throws Exception {
        Path file = Mounts.dir(fs).resolve("f");
        int blocks = 16 * MIB / BLOCK;
        Files.write(file, new byte[blocks * BLOCK]);
        byte[] last = new byte[blocks];
        AtomicBoolean stop = new AtomicBoolean();
        Exception[] failure = new Exception[1];
        Thread writer = new Thread(() -> {
            Random random = new Random(9);
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                while (!stop.get()) {
                    int block = random.nextInt(blocks);
                    byte fill = (byte) (1 + random.nextInt(255));
                    byte[] bytes = new byte[BLOCK];
                    Arrays.fill(bytes, fill);
                    try (FileLock lock = ch.lock((long) block * BLOCK, BLOCK, false)) {
                        ch.write(ByteBuffer.wrap(bytes), (long) block * BLOCK);
                    }
                    last[block] = fill;
                }
            } catch (IOException e) {
                failure[0] = e;
            }
        });
        Boolean[] othersLocked = new Boolean[1];
        DigListener probe = new DigListener() {
            @Override
            public void progress(long offset) {
                if (othersLocked[0] == null) {
                    othersLocked[0] = tryLock(file, blocks);
                }
            }
        };
        writer.start();
        try {
            for (int round = 0; round < 5; round++) {
                SparseFiles.digHoles(file, 0, Long.MAX_VALUE, probe, DigOption.LOCK);
                Thread.sleep(10);
            }
        } finally {
            stop.set(true);
            writer.join();
        }
        assertNull(failure[0]);
        assertEquals(Boolean.FALSE, othersLocked[0], "no other lock while the dig holds its lock");
        byte[] after = Files.readAllBytes(file);
        int lost = 0;
        for (int b = 0; b < blocks; b++) {
            if (last[b] != 0 && after[b * BLOCK] != last[b]) {
                lost++;
            }
        }
        assertEquals(0, lost, "blocks lost");
        assertTrue(tryLock(file, blocks), "the lock is released after the dig");
    }

    /**
     * Whether a FileChannel lock over a block past the end can be had now: the dig's lock covers it,
     * and the writer never asks for it (the JDK refuses a lock that overlaps one of its own channels').
     */
    private static boolean tryLock(Path file, int blocks) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE);
             FileLock lock = ch.tryLock((long) blocks * BLOCK, BLOCK, false)) {
            return lock != null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
