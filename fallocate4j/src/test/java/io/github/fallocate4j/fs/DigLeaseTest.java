package io.github.fallocate4j.fs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.fallocate4j.DigListener;
import io.github.fallocate4j.DigResult;
import io.github.fallocate4j.Region;
import io.github.fallocate4j.SparseFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A dig of a file no one else has open holds a write lease (issue 15): no one can write to the file
 * without opening it, and whoever opens it waits until the dig gives the lease up, which it does as soon as
 * asked; the runs it read under the lease it punches without reading them again. Each case checks the
 * lease where it stands (/proc/locks), how long an opener waited, and the file: the bytes written during
 * the dig, the data byte for byte, and every other zero run a hole.
 */
class DigLeaseTest {
    private static final int MIB = 1 << 20;
    private static final int BLOCK = 4096;
    private static final int FILE_MIB = 16;
    /** Far below the 45 s an opener waits for a lease nobody gives up, far above the dig's millisecond. */
    private static final long OPEN_WAIT_LIMIT_MS = 2000;

    /** Where the listener writes: in the zero run [3, 4) MiB, read just before, and in [5, 6) MiB, ahead. */
    private static final long JUST_READ = 3L * MIB + BLOCK;
    private static final long AHEAD = 5L * MIB + 2 * BLOCK;

    @ParameterizedTest
    @EnumSource(names = {"TMPFS", "EXT4", "XFS", "BTRFS"})
    void anOpenOnTheDiggingThreadWaitsOnlyUntilTheLeaseIsGivenUpAndItsWritesStay(Fs fs) throws IOException {
        // The same thread as the dig's reads: only the dig's second thread can give the lease up.
        DigResult result = digWhileOpening(fs, DigLeaseTest::writeSevens);
        // The write ahead splits a run, as for a single reader: what the second reader (ScanAhead) read ahead
        // under the lease is read again once the lease is given up (rev17: it was taken up as read before).
        assertEquals(FILE_MIB / 2 + 1, result.runs(), "runs found");
    }

    /**
     * The library opens a Path with O_NONBLOCK (no hang on a FIFO), which makes open(2) fail with
     * EWOULDBLOCK while a lease is held: a library call by path during a dig, here on the dig's own thread
     * (in another thread, another dig, the CLI alike), failed with EAGAIN. It waits the moment the lease
     * takes to be given up, as an open without O_NONBLOCK does.
     */
    @ParameterizedTest
    @EnumSource(names = {"EXT4", "XFS"}) // not the 64 MiB tmpfs the other tests share
    void aLibraryCallByPathDuringTheDigWaitsForTheLeaseInsteadOfFailing(Fs fs) throws IOException {
        digWhileOpening(fs, file -> {
            assertTrue(SparseFiles.allocatedBytes(file) > 0, "the file's data is allocated");
            writeSevens(file);
        });
    }

    /**
     * As above, from an interrupted thread: the call waits the same moment, and the interrupt is still set
     * after it. The wait ended at the interrupt, and the call failed with EAGAIN, before this test.
     */
    @ParameterizedTest
    @EnumSource(names = {"EXT4", "XFS"})
    void aLibraryCallByPathOfAnInterruptedThreadWaitsForTheLeaseToo(Fs fs) throws IOException {
        digWhileOpening(fs, file -> {
            Thread.currentThread().interrupt();
            long allocated;
            boolean kept;
            try {
                allocated = SparseFiles.allocatedBytes(file);
            } finally {
                kept = Thread.interrupted();
            }
            assertTrue(kept, "the interrupt is kept");
            assertTrue(allocated > 0, "the file's data is allocated");
            writeSevens(file);
        });
    }

    /** The first opener is another process (dd): it too waits only a moment, and its writes stay. */
    @ParameterizedTest
    @EnumSource(names = {"TMPFS", "EXT4", "XFS", "BTRFS"})
    void anotherProcessOpeningTheFileWaitsOnlyAMomentAndItsWritesStay(Fs fs) throws IOException {
        String writeSevens = "head -c %d /dev/zero | tr '\\0' '\\7' | dd of=%s bs=%d seek=%d conv=notrunc status=none";
        digWhileOpening(fs, file -> Sh.run("sh", "-c", String.format(writeSevens, BLOCK, file, BLOCK, JUST_READ / BLOCK)
                + " && " + String.format(writeSevens, BLOCK, file, BLOCK, AHEAD / BLOCK)));
    }

    /**
     * Digs the 16 MiB file; once the dig has read 4 MiB, checks that it holds a lease and runs
     * {@code opener}, which opens the file and writes sevens at JUST_READ and AHEAD, and times it; then
     * checks that it took less than the limit, that the lease is gone, and the file.
     */
    private static DigResult digWhileOpening(Fs fs, PathAction opener) throws IOException {
        return digWhileOpening(Mounts.dir(fs).resolve("f"), true, opener);
    }

    /** As above, for {@code file} anywhere, where the dig is to hold a lease or, if not {@code leases}, none. */
    private static DigResult digWhileOpening(Path file, boolean leases, PathAction opener) throws IOException {
        byte[] before = alternating(file);
        String[] key = ProcLocks.key(file);
        boolean[] leased = new boolean[1];
        long[] openerMillis = {-1};
        DigResult result = SparseFiles.digHoles(file, 0, Long.MAX_VALUE, atFirstProgressFrom(4L * MIB, () -> {
            leased[0] = ProcLocks.leaseOn(key);
            long start = System.nanoTime();
            opener.run(file);
            openerMillis[0] = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        }));
        assertEquals(leases, leased[0], "a lease on the file while the dig ran, in /proc/locks");
        assertTrue(openerMillis[0] >= 0 && openerMillis[0] < OPEN_WAIT_LIMIT_MS,
                () -> "the opener took " + openerMillis[0] + " ms");
        assertFalse(ProcLocks.leaseOn(key), "no lease after the dig");
        assertDugAroundWrites(file, before, filled((byte) 7));
        return result;
    }

    /**
     * Over overlayfs the kernel grants the lease (Linux 6.18), but a write to the upper layer's file, which
     * holds the very bytes the overlay's file shows, opens no file of the overlay's and does not break it:
     * with the lease the write at JUST_READ, into a run already read, was punched away (every time). No
     * lease is taken there; the write stays.
     */
    @Test
    void noLeaseOverOverlayfsWhoseUpperLayerIsWrittenWithoutBreakingIt() throws IOException {
        Assumptions.assumeTrue(Sh.isRoot(), "mounting overlayfs needs root");
        Path dir = Mounts.dir(Fs.EXT4);
        Path upper = Files.createDirectory(dir.resolve("upper"));
        Path merged = Files.createDirectory(dir.resolve("merged"));
        Sh.run("mount", "-t", "overlay", "overlay", "-o", "lowerdir=" + Files.createDirectory(dir.resolve("lower"))
                + ",upperdir=" + upper + ",workdir=" + Files.createDirectory(dir.resolve("work")), merged.toString());
        try {
            digWhileOpening(merged.resolve("f"), false, file -> writeSevens(upper.resolve("f")));
        } finally {
            Sh.run("umount", merged.toString());
        }
    }

    /** Writes a block of sevens at JUST_READ and at AHEAD through a channel of its own. */
    private static void writeSevens(Path file) throws IOException {
        byte[] written = filled((byte) 7);
        try (FileChannel writer = FileChannel.open(file, StandardOpenOption.WRITE)) {
            writer.write(ByteBuffer.wrap(written), JUST_READ);
            writer.write(ByteBuffer.wrap(written), AHEAD);
        }
    }

    /** A file open elsewhere (here a reader in this JVM) gets no lease, and is dug as without one. */
    @ParameterizedTest
    @EnumSource(names = {"TMPFS", "EXT4", "XFS", "BTRFS"})
    void aFileOpenElsewhereGetsNoLeaseAndIsDugAllTheSame(Fs fs) throws IOException {
        Path file = Mounts.dir(fs).resolve("f");
        byte[] before = alternating(file);
        String[] key = ProcLocks.key(file);
        boolean[] leased = {true};
        try (FileChannel reader = FileChannel.open(file)) {
            SparseFiles.digHoles(file, 0, Long.MAX_VALUE, atFirstProgressFrom(4L * MIB, () -> leased[0] = ProcLocks.leaseOn(key)));
            assertFalse(leased[0], "no lease while another description is open");
            ByteBuffer read = ByteBuffer.allocate(BLOCK);
            reader.read(read, 0);
            assertArrayEquals(Arrays.copyOf(before, BLOCK), read.array(), "the reader reads on");
        }
        assertDugAroundWrites(file, before, null);
    }

    private interface Action {
        void run() throws IOException;
    }

    private interface PathAction {
        void run(Path file) throws IOException;
    }

    private static DigListener atFirstProgressFrom(long offset, Action action) {
        return new DigListener() {
            private boolean done;

            @Override
            public void progress(long at) {
                if (!done && at >= offset) {
                    done = true;
                    try {
                        action.run();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            }
        };
    }

    /** The files written, removed after each test: the suite's tmpfs is 64 MiB, shared with every test. */
    private static final List<Path> WRITTEN = new ArrayList<>();

    @AfterEach
    void removeFiles() throws IOException {
        for (Path file : WRITTEN) {
            Files.deleteIfExists(file);
        }
        WRITTEN.clear();
    }

    /** 16 MiB: random data in even MiBs, zeros in odd ones; returns the bytes. */
    private static byte[] alternating(Path file) throws IOException {
        WRITTEN.add(file);
        byte[] bytes = new byte[FILE_MIB * MIB];
        Random random = new Random(15);
        for (int m = 0; m < FILE_MIB; m += 2) {
            byte[] data = new byte[MIB];
            random.nextBytes(data);
            data[0] = 1; // data from the first byte
            System.arraycopy(data, 0, bytes, m * MIB, MIB);
        }
        Files.write(file, bytes);
        return bytes;
    }

    private static byte[] filled(byte value) {
        byte[] bytes = new byte[BLOCK];
        Arrays.fill(bytes, value);
        return bytes;
    }

    /**
     * The file holds {@code before} with {@code written} (if any) at JUST_READ and AHEAD; the data MiBs are
     * allocated, and every zero block not written is a hole.
     */
    private static void assertDugAroundWrites(Path file, byte[] before, byte[] written) throws IOException {
        byte[] expected = before.clone();
        if (written != null) {
            System.arraycopy(written, 0, expected, (int) JUST_READ, BLOCK);
            System.arraycopy(written, 0, expected, (int) AHEAD, BLOCK);
        }
        assertArrayEquals(expected, Files.readAllBytes(file), "the file's bytes");
        List<Region> data = new ArrayList<>();
        try (Stream<Region> regions = SparseFiles.regions(file)) {
            regions.filter(r -> !r.isHole()).forEach(data::add);
        }
        List<long[]> expectedData = new ArrayList<>();
        for (int m = 0; m < FILE_MIB; m += 2) {
            expectedData.add(new long[] {(long) m * MIB, (long) (m + 1) * MIB});
            if (written != null && m == 2) {
                expectedData.add(new long[] {JUST_READ, JUST_READ + BLOCK});
            }
            if (written != null && m == 4) {
                expectedData.add(new long[] {AHEAD, AHEAD + BLOCK});
            }
        }
        // Runs of data the filesystem reports may merge neighbours; compare block by block.
        for (long block = 0; block < (long) FILE_MIB * MIB; block += BLOCK) {
            long b = block;
            boolean isData = data.stream().anyMatch(r -> r.offset() <= b && b < r.end());
            boolean shouldBe = expectedData.stream().anyMatch(r -> r[0] <= b && b < r[1]);
            assertEquals(shouldBe, isData, () -> "block at " + b + " is data; map " + data);
        }
    }
}
