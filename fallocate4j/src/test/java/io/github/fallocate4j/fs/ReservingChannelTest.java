package io.github.fallocate4j.fs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.fallocate4j.FilesystemCapabilities;
import io.github.fallocate4j.NoSpaceException;
import io.github.fallocate4j.RangeAllocation;
import io.github.fallocate4j.ReservePolicy;
import io.github.fallocate4j.Reservations;
import io.github.fallocate4j.ReservingChannel;
import io.github.fallocate4j.SparseFiles;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The reserving channel on ext4, xfs, btrfs and tmpfs, checked on the file itself: its size is the
 * data written after every write, space is allocated ahead of the writer (extent map, or allocated
 * bytes where there is none), nothing stays allocated past the end after close, release or a killed
 * process's recovery, and a full filesystem stops the writer at the reservation with its data intact.
 */
class ReservingChannelTest {
    private static final long AHEAD = 256 << 10;

    /** A record of {@code len} bytes that says which it is: every byte derives from {@code id}. */
    static byte[] record(long id, int len) {
        byte[] bytes = new byte[len];
        for (int i = 0; i < len; i++) {
            bytes[i] = (byte) (id * 31 + i * 7 + (i >> 8));
        }
        ByteBuffer.wrap(bytes).putLong(0, id);
        return bytes;
    }

    /** Asserts that at least {@code bytes} past the end of the data are allocated, as the extent map (or st_blocks) shows. */
    static void assertReservedAhead(Path file, long bytes) throws IOException {
        long size = Files.size(file);
        RangeAllocation ahead = Reservations.allocation(file, size, bytes);
        if (ahead.fromExtents()) {
            assertTrue(ahead.allocated(), () -> "reserved past the end: " + ahead);
            assertTrue(ahead.bytes(RangeAllocation.State.UNWRITTEN) >= bytes - 65536, () -> "reserved, not written: " + ahead);
        }
        long allocated = SparseFiles.allocatedBytes(file);
        assertTrue(allocated >= size + bytes, () -> "allocated " + allocated + " for size " + size + " and " + bytes + " ahead");
    }

    /**
     * Asserts that nothing past the end of the data (its last allocation unit) is allocated: the extent map
     * shows only holes there; st_blocks, which also counts the extent tree's own blocks on ext4, xfs and
     * btrfs, is within 64 KiB of the data (exactly on tmpfs, which has no such blocks).
     */
    static void assertNothingPastEnd(Path file) throws IOException {
        long size = Files.size(file);
        long unit = FilesystemCapabilities.of(file.getParent()).allocationUnit();
        long end = (size + unit - 1) / unit * unit;
        RangeAllocation past = Reservations.allocation(file, end, 64L << 20);
        long metadata = past.fromExtents() ? 64 << 10 : 0;
        long allocated = SparseFiles.allocatedBytes(file);
        assertTrue(allocated <= end + metadata, () -> "allocated " + allocated + " past the end " + end + " of " + file);
        if (past.fromExtents()) {
            assertEquals(64L << 20, past.bytes(RangeAllocation.State.HOLE), past::toString);
        }
    }

    @ParameterizedTest
    @EnumSource(names = {"EXT4", "XFS", "BTRFS", "TMPFS"})
    void sizeIsTheDataWrittenAndSpaceIsReservedAhead(Fs fs) throws IOException {
        Path file = Mounts.dir(fs).resolve("log");
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        try (ReservingChannel ch = ReservingChannel.open(file, AHEAD, ReservePolicy.FAIL,
                StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            assertEquals(0, Files.size(file), "opening reserves without growing the file");
            assertReservedAhead(file, AHEAD);
            for (int i = 0; i < 64; i++) {
                byte[] rec = record(i, i % 4 == 3 ? 64 << 10 : 4096);
                assertEquals(rec.length, ch.write(ByteBuffer.wrap(rec)));
                written.write(rec);
                assertEquals(written.size(), Files.size(file), "size after write " + i);
                assertEquals(written.size(), ch.size());
                assertTrue(ch.reservedEnd() >= written.size() + AHEAD / 2, "reservation " + ch.reservedEnd());
                if (i % 16 == 5) {
                    ch.force(false);
                    assertReservedAhead(file, AHEAD / 2);
                }
            }
        }
        assertEquals(written.size(), Files.size(file));
        assertArrayEquals(written.toByteArray(), Files.readAllBytes(file));
        assertNothingPastEnd(file);
        assertEquals(0, Reservations.release(file), "close released everything");
    }

    @ParameterizedTest
    @EnumSource(names = {"EXT4", "XFS", "BTRFS", "TMPFS"})
    void releaseAndTruncateFreeTheReservationAndWritingReservesAgain(Fs fs) throws IOException {
        Path file = Mounts.dir(fs).resolve("log");
        byte[] first = record(1, 100_000);
        try (ReservingChannel ch = ReservingChannel.open(file, AHEAD, ReservePolicy.FAIL, StandardOpenOption.CREATE)) {
            ch.write(ByteBuffer.wrap(first));
            ch.release();
            assertEquals(first.length, ch.reservedEnd());
            assertNothingPastEnd(file);
            ch.write(ByteBuffer.wrap(record(2, 1000)));
            assertReservedAhead(file, AHEAD / 2);
            ch.truncate(50_000);
            assertEquals(50_000, Files.size(file));
            assertNothingPastEnd(file);
            ch.position(50_000);
            ch.write(ByteBuffer.wrap(record(3, 1000)));
            assertEquals(51_000, Files.size(file));
            assertReservedAhead(file, AHEAD / 2);
        }
        byte[] data = Files.readAllBytes(file);
        assertArrayEquals(java.util.Arrays.copyOf(first, 50_000), java.util.Arrays.copyOf(data, 50_000));
        assertArrayEquals(record(3, 1000), java.util.Arrays.copyOfRange(data, 50_000, 51_000));
        assertNothingPastEnd(file);
    }

    @ParameterizedTest
    @EnumSource(names = {"EXT4", "XFS", "BTRFS", "TMPFS"})
    void concurrentWritersThroughOneChannel(Fs fs) throws Exception {
        Path dir = Mounts.dir(fs);
        int threads = 4;
        int perThread = 48;
        int len = 4096;
        // Positional writes into slots handed out by a counter, as a log with a reserved-offset counter does.
        Path slots = dir.resolve("slots");
        AtomicLong next = new AtomicLong();
        try (ReservingChannel ch = ReservingChannel.open(slots, AHEAD, ReservePolicy.FAIL, StandardOpenOption.CREATE_NEW)) {
            run(threads, t -> {
                for (int i = 0; i < perThread; i++) {
                    long slot = next.getAndIncrement();
                    ByteBuffer buf = ByteBuffer.wrap(record(slot, len));
                    while (buf.hasRemaining()) {
                        ch.write(buf, slot * len + buf.position());
                    }
                }
            });
            assertEquals((long) threads * perThread * len, ch.size());
            assertTrue(ch.reservedEnd() >= ch.size() + AHEAD / 2);
            assertReservedAhead(slots, AHEAD / 2);
        }
        byte[] data = Files.readAllBytes(slots);
        assertEquals((long) threads * perThread * len, data.length);
        for (int slot = 0; slot < threads * perThread; slot++) {
            assertArrayEquals(record(slot, len), java.util.Arrays.copyOfRange(data, slot * len, (slot + 1) * len), "slot " + slot);
        }
        assertNothingPastEnd(slots);

        // Relative appends from every thread: each record lands once, whole.
        Path appends = dir.resolve("appends");
        try (ReservingChannel ch = ReservingChannel.open(appends, AHEAD, ReservePolicy.FAIL,
                StandardOpenOption.CREATE_NEW, StandardOpenOption.APPEND)) {
            run(threads, t -> {
                for (int i = 0; i < perThread; i++) {
                    assertEquals(len, ch.write(ByteBuffer.wrap(record(t * 1000L + i, len))));
                }
            });
            assertReservedAhead(appends, AHEAD / 2);
        }
        data = Files.readAllBytes(appends);
        assertEquals((long) threads * perThread * len, data.length);
        Set<Long> seen = new HashSet<>();
        for (int at = 0; at < data.length; at += len) {
            long id = ByteBuffer.wrap(data, at, 8).getLong();
            assertTrue(seen.add(id), "record " + id + " once");
            assertArrayEquals(record(id, len), java.util.Arrays.copyOfRange(data, at, at + len), "record " + id);
        }
        assertEquals(threads * perThread, seen.size());
        assertNothingPastEnd(appends);
    }

    /**
     * A log that syncs makes its reservations in its syncs: after {@code force}, at least {@code ahead} is
     * reserved past the end, so that the writes up to the next sync reserve nothing (none of them moves
     * {@code reservedEnd}), and what force reserved is on the file.
     */
    @ParameterizedTest
    @EnumSource(names = {"EXT4", "XFS", "BTRFS", "TMPFS"})
    void forceReservesTheNextChunkSoThatWritesDoNot(Fs fs) throws IOException {
        Path file = Mounts.dir(fs).resolve("log");
        int reservationsByForce = 0;
        try (ReservingChannel ch = ReservingChannel.open(file, AHEAD, ReservePolicy.FAIL, StandardOpenOption.CREATE_NEW)) {
            for (int i = 0; i < 96; i++) {
                long before = ch.reservedEnd();
                ch.write(ByteBuffer.wrap(record(i, 16 << 10)));
                assertEquals(before, ch.reservedEnd(), "write " + i + " reserved");
                if (i % 4 == 3) { // a sync every 64 KiB
                    ch.force(false);
                    assertTrue(ch.reservedEnd() >= ch.size() + AHEAD, "after force: " + ch.reservedEnd() + " for " + ch.size());
                    reservationsByForce += ch.reservedEnd() != before ? 1 : 0;
                    assertReservedAhead(file, AHEAD);
                }
            }
        }
        assertEquals((96 * (16 << 10) - 1) / AHEAD + 1, reservationsByForce, "a chunk per " + AHEAD + " bytes written");
        assertNothingPastEnd(file);
        Files.delete(file);
    }

    /**
     * The channel reserves what a hand-rolled KEEP_SIZE writer reserves: chunks of {@code ahead}, each
     * starting where the last one ended (no overlap, and no chunk split by reserving before the last one
     * is used up), until at least {@code ahead/2} is reserved past the data. Appends of 64 KiB with
     * fdatasync every 256 KiB, as a log's. The extent count of the file is not asserted: on the suite's
     * small shared filesystems it depends on how fragmented their free space is by then (27 extents for
     * 6 chunks on its 64 MiB ext4 late in a full run, the hand-rolled writer's file in 9);
     * {@link ReservingChannelExtentsTest} asserts it on filesystems of its own.
     */
    @ParameterizedTest
    @EnumSource(names = {"EXT4", "XFS", "BTRFS"})
    void reservesChunkAfterChunkAsAHandRolledKeepSizeWriter(Fs fs) throws IOException {
        Path dir = Mounts.dir(fs);
        long ahead = 1L << 20;  // small: the filesystems are shared by the whole suite (ext4's is 64 MiB)
        long total = 5L << 20; // ends inside the last chunk, as a log segment does
        long syncEvery = 256 << 10;
        ByteBuffer block = ByteBuffer.allocateDirect(64 << 10);
        Path reserving = dir.resolve("reserving");
        List<Long> reservedEnds = new ArrayList<>();
        try (ReservingChannel ch = ReservingChannel.open(reserving, ahead, ReservePolicy.FAIL, StandardOpenOption.CREATE_NEW)) {
            reservedEnds.add(ch.reservedEnd());
            for (long at = 0; at < total; at += block.capacity()) {
                block.clear();
                while (block.hasRemaining()) {
                    ch.write(block);
                }
                if ((at + block.capacity()) % syncEvery == 0) {
                    ch.force(false);
                }
                if (ch.reservedEnd() != reservedEnds.get(reservedEnds.size() - 1)) {
                    reservedEnds.add(ch.reservedEnd());
                }
            }
        }
        // Chunk after chunk, until ahead/2 is left past the data (one chunk more than the hand-rolled writer
        // reserves when the data ends in the last half of a chunk, as here).
        List<Long> chunkEnds = new ArrayList<>();
        for (long end = ahead; chunkEnds.isEmpty() || end - ahead < total + ahead / 2; end += ahead) {
            chunkEnds.add(end);
        }
        assertEquals(chunkEnds, reservedEnds, "each reservation is the next chunk of " + ahead + " bytes");
        assertEquals(total, Files.size(reserving));
        assertNothingPastEnd(reserving);
        Files.delete(reserving);
    }

    private interface Body {
        void run(int thread) throws Exception;
    }

    private static void run(int threads, Body body) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    body.run(thread);
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** The child JVM of {@link #aKilledWritersReservationIsReleasedByOneCall}: writes, says so, waits to be killed. */
    public static void main(String[] args) throws Exception {
        ReservingChannel ch = ReservingChannel.open(Path.of(args[0]), 1 << 20, ReservePolicy.FAIL, StandardOpenOption.CREATE_NEW);
        for (int i = 0; i < 25; i++) {
            ch.write(ByteBuffer.wrap(record(i, 4096)));
        }
        ch.force(false);
        System.out.println("written");
        System.out.flush();
        Thread.sleep(120_000);
    }

    @ParameterizedTest
    @EnumSource(names = {"EXT4", "XFS", "BTRFS", "TMPFS"})
    void aKilledWritersReservationIsReleasedByOneCall(Fs fs) throws Exception {
        Path file = Mounts.dir(fs).resolve("log");
        Process child = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(),
                "--enable-native-access=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
                "--add-opens", "java.base/java.io=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), ReservingChannelTest.class.getName(), file.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            assertEquals("written", out.readLine(), "the child wrote its records");
            child.destroyForcibly(); // SIGKILL: no close, no shutdown hook
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        } finally {
            child.destroyForcibly();
        }
        assertEquals(25 * 4096, Files.size(file), "the size is the data written, even after a crash");
        assertReservedAhead(file, 512 << 10); // left behind by the killed process
        long freed = Reservations.release(file);
        assertTrue(freed >= 512 << 10, "freed " + freed);
        assertNothingPastEnd(file);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        for (int i = 0; i < 25; i++) {
            expected.write(record(i, 4096));
        }
        assertArrayEquals(expected.toByteArray(), Files.readAllBytes(file));
    }

    @ParameterizedTest
    @EnumSource(names = "EXT4_TINY")
    void aFullFilesystemStopsTheWriterAtTheReservationWithItsDataIntact(Fs fs) throws IOException {
        Path dir = Mounts.dir(fs);
        Path file = dir.resolve("log");
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        NoSpaceException full = null;
        try (ReservingChannel ch = ReservingChannel.open(file, 1 << 20, ReservePolicy.FAIL, StandardOpenOption.CREATE_NEW)) {
            for (int i = 0; i < 1000 && full == null; i++) {
                byte[] rec = record(i, 64 << 10);
                try {
                    ch.write(ByteBuffer.wrap(rec));
                    written.write(rec);
                } catch (NoSpaceException e) {
                    full = e;
                }
                if (i % 4 == 3) {
                    ch.force(false); // a sync that cannot reserve the next chunk still syncs, and does not throw
                }
                assertEquals(written.size(), Files.size(file), "size after write " + i);
            }
            assertTrue(full != null, "an 8 MiB filesystem fills up");
            assertEquals("fallocate", full.operation(), full.getMessage());
            assertEquals("KEEP_SIZE", full.modeName(), full.getMessage());
            assertTrue(written.size() > 4 << 20, "most of the filesystem was written: " + written.size());
            assertArrayEquals(written.toByteArray(), Files.readAllBytes(file), "the data written before is intact");
            // ext4 keeps what the refused fallocate allocated (the device's free space): given back at once,
            // with the channel still open, not at close.
            assertNothingPastEnd(file);
            assertEquals(written.size(), ch.reservedEnd(), "nothing stays reserved");
        }
        assertArrayEquals(written.toByteArray(), Files.readAllBytes(file));
        assertNothingPastEnd(file);
        Files.delete(file);
    }

    /**
     * An open whose first reservation meets a full device: ext4 keeps what a failed KEEP_SIZE fallocate
     * allocated before it ran out (all the free space), so a channel that merely closed the file left the
     * device full with nothing to show for it. The file is as it was, and the space is free again.
     */
    @ParameterizedTest
    @EnumSource(names = "EXT4_TINY")
    void anOpenThatFindsTheDeviceFullLeavesNoSpaceTaken(Fs fs) throws IOException {
        Path file = Mounts.dir(fs).resolve("log");
        byte[] old = FileState.writeRandom(file, 10_000, 7);
        long allocated = SparseFiles.allocatedBytes(file);
        long free = Files.getFileStore(file).getUsableSpace();
        NoSpaceException full = assertThrows(NoSpaceException.class, () -> ReservingChannel.open(file,
                free + (16L << 20), ReservePolicy.FAIL, StandardOpenOption.APPEND).close());
        assertEquals("KEEP_SIZE", full.modeName(), full.getMessage());
        assertArrayEquals(old, Files.readAllBytes(file), "the data is as it was");
        // Up to a few blocks of extent tree the refused allocation grew may stay (a full suite's run left one
        // 1 KiB block more): assertNothingPastEnd allows for them too.
        long blocks = 4 * SparseFiles.blockSize(file);
        assertTrue(SparseFiles.allocatedBytes(file) <= allocated + blocks, "nothing stays allocated past the end");
        assertNothingPastEnd(file);
        assertTrue(Files.getFileStore(file).getUsableSpace() >= free - blocks, "the device's free space is back");
        Files.delete(file);
    }

    /**
     * A ReservingChannel is a FileChannel "to use in place of yours", so every call that takes a channel
     * takes it, on the file it wraps; they refused it as "not backed by a file descriptor".
     */
    @ParameterizedTest
    @EnumSource(names = "EXT4")
    void everyCallOnAChannelTakesAReservingChannel(Fs fs) throws IOException {
        Path file = Mounts.dir(fs).resolve("log");
        byte[] data = record(4, 64 << 10);
        try (ReservingChannel ch = ReservingChannel.open(file, AHEAD, ReservePolicy.FAIL, StandardOpenOption.CREATE_NEW)) {
            ch.write(ByteBuffer.wrap(data));
            ch.write(ByteBuffer.wrap(new byte[64 << 10]));
            long position = ch.position();
            io.github.fallocate4j.FileSpace.punchHole(ch, 0, 4096);
            io.github.fallocate4j.Fallocate.posixFadvise(ch, 0, 0, io.github.fallocate4j.Fallocate.POSIX_FADV_DONTNEED);
            assertEquals(64 << 10, SparseFiles.digHoles(ch), "the zeros written after the record");
            try (java.util.stream.Stream<io.github.fallocate4j.Region> regions = SparseFiles.regions(ch)) {
                assertEquals(List.of(0L, 4096L, 64L << 10), regions.map(io.github.fallocate4j.Region::offset).toList());
            }
            assertTrue(SparseFiles.allocatedBytes(ch) >= (60 << 10) + AHEAD / 2, "the reservation is the channel's file's");
            assertTrue(!SparseFiles.extents(ch).isEmpty());
            assertEquals(position, ch.position(), "the channel's position stays");
        }
        Arrays.fill(data, 0, 4096, (byte) 0);
        assertArrayEquals(Arrays.copyOf(data, 128 << 10), Files.readAllBytes(file));
        assertThrows(java.nio.channels.ClosedChannelException.class, () -> {
            ReservingChannel closed = ReservingChannel.open(file, AHEAD, ReservePolicy.FAIL);
            closed.close();
            io.github.fallocate4j.FileSpace.punchHole(closed, 0, 4096);
        });
        assertNothingPastEnd(file);
    }

    @ParameterizedTest
    @EnumSource(names = {"EXT4", "TMPFS"})
    void everyWayOfWritingReservesFirst(Fs fs) throws IOException {
        Path file = Mounts.dir(fs).resolve("log");
        Path source = Files.write(file.resolveSibling("source"), record(5, 300_000));
        try (ReservingChannel ch = ReservingChannel.open(file, AHEAD, ReservePolicy.FAIL, StandardOpenOption.CREATE_NEW);
             java.nio.channels.FileChannel in = java.nio.channels.FileChannel.open(source)) {
            ch.write(new ByteBuffer[] {ByteBuffer.wrap(record(1, 100_000)), ByteBuffer.wrap(record(2, 100_000))});
            assertEquals(200_000, Files.size(file));
            assertTrue(ch.reservedEnd() >= 200_000 + AHEAD / 2, "gathering write: " + ch.reservedEnd());
            assertEquals(300_000, ch.transferFrom(in, 200_000, 1_000_000));
            assertEquals(500_000, Files.size(file));
            assertTrue(ch.reservedEnd() >= 500_000 + AHEAD / 2, "transferFrom: " + ch.reservedEnd());
            ch.write(ByteBuffer.wrap(record(3, 1000)), 10L << 20); // far past the end: the gap stays a hole
            assertEquals((10L << 20) + 1000, Files.size(file));
            assertTrue(ch.reservedEnd() >= (10L << 20) + 1000 + AHEAD / 2, "positional write: " + ch.reservedEnd());
            RangeAllocation ahead = Reservations.allocation(file, Files.size(file), AHEAD / 2);
            assertTrue(ahead.fromExtents() ? ahead.allocated()
                    : SparseFiles.allocatedBytes(file) >= 501_000 + AHEAD, "reserved past the write: " + ahead);
            assertTrue(Reservations.allocation(file, 1L << 20, 8L << 20).holes().size() == 1, "the gap is a hole");
        }
        byte[] data = Files.readAllBytes(file);
        assertArrayEquals(record(2, 100_000), java.util.Arrays.copyOfRange(data, 100_000, 200_000));
        assertArrayEquals(record(5, 300_000), java.util.Arrays.copyOfRange(data, 200_000, 500_000));
        assertNothingPastEnd(file);
    }

    @ParameterizedTest
    @EnumSource(names = "EXT4")
    void optionsAndArgumentsAreChecked(Fs fs) throws IOException {
        Path dir = Mounts.dir(fs);
        Path missing = dir.resolve("missing");
        assertThrows(java.nio.file.NoSuchFileException.class, () -> ReservingChannel.open(missing, AHEAD, ReservePolicy.FAIL));
        assertTrue(Files.notExists(missing));
        assertThrows(IllegalArgumentException.class, () -> ReservingChannel.open(missing, 0, ReservePolicy.FAIL, StandardOpenOption.CREATE));
        assertThrows(IllegalArgumentException.class, () -> ReservingChannel.open(missing, AHEAD, ReservePolicy.EMULATE, StandardOpenOption.CREATE));
        assertThrows(UnsupportedOperationException.class,
                () -> ReservingChannel.open(missing, AHEAD, ReservePolicy.FAIL, StandardOpenOption.CREATE, StandardOpenOption.DELETE_ON_CLOSE));
        assertTrue(Files.notExists(missing), "a refused open creates nothing");
        Path file = dir.resolve("f");
        byte[] old = FileState.writeRandom(file, 10_000, 3);
        assertThrows(java.nio.file.FileAlreadyExistsException.class,
                () -> ReservingChannel.open(file, AHEAD, ReservePolicy.FAIL, StandardOpenOption.CREATE_NEW));
        assertArrayEquals(old, Files.readAllBytes(file));
        try (ReservingChannel ch = ReservingChannel.open(file, AHEAD, ReservePolicy.FAIL, StandardOpenOption.APPEND)) {
            ch.write(ByteBuffer.wrap(record(9, 100)));
            assertEquals(10_100, ch.size(), "APPEND writes at the end");
            assertEquals(10_100, ch.position(), "after an append the position is the end");
            ByteBuffer back = ByteBuffer.allocate(100);
            ch.read(back, 10_000);
            assertArrayEquals(record(9, 100), back.array());
            ByteBuffer head = ByteBuffer.allocate(10);
            assertEquals(10, ch.position(0).read(head));
            assertArrayEquals(Arrays.copyOf(old, 10), head.array(), "relative read from the position");
            assertEquals(10, ch.position());
        }
        try (ReservingChannel ch = ReservingChannel.open(file, AHEAD, ReservePolicy.FAIL)) {
            ch.position(5000).write(ByteBuffer.wrap(record(8, 10)));
            assertEquals(5010, ch.position());
            ch.truncate(3000);
            assertEquals(3000, ch.position(), "truncate below the position moves it");
            ch.write(new ByteBuffer[] {ByteBuffer.wrap(record(6, 50)), ByteBuffer.wrap(record(7, 50))});
            assertEquals(3100, ch.size());
            ByteBuffer[] back = {ByteBuffer.allocate(50), ByteBuffer.allocate(50)};
            assertEquals(100, ch.position(3000).read(back));
            assertArrayEquals(record(7, 50), back[1].array(), "scattering read");
            assertEquals(-1, ch.read(ByteBuffer.allocate(1)), "end of file");
            assertEquals(3100, ch.position());
            try (java.nio.channels.FileLock lock = ch.lock()) {
                assertTrue(lock.channel() == ch && lock.isValid() && !lock.isShared());
            }
        }
        old = Arrays.copyOf(old, 3000);
        assertArrayEquals(old, Arrays.copyOf(Files.readAllBytes(file), 3000));
        ReservingChannel truncated = ReservingChannel.open(file, AHEAD, ReservePolicy.FAIL, StandardOpenOption.TRUNCATE_EXISTING);
        assertEquals(0, truncated.size());
        truncated.close();
        assertThrows(java.nio.channels.ClosedChannelException.class, () -> truncated.write(ByteBuffer.allocate(1)));
        assertThrows(java.nio.channels.ClosedChannelException.class, truncated::release);
        assertThrows(java.nio.channels.ClosedChannelException.class, truncated::position);
        assertNothingPastEnd(file);
        assertTrue(Reservations.allocation(file, 0, 1).parts().size() == 1);
        assertThrows(IllegalArgumentException.class, () -> Reservations.allocation(file, -1, 1));
        assertThrows(java.nio.file.NoSuchFileException.class, () -> Reservations.release(missing));
    }
}
