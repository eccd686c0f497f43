package io.github.fallocate4j.fs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.fallocate4j.Errno;
import io.github.fallocate4j.ModeNotSupportedException;
import io.github.fallocate4j.NoSpaceException;
import io.github.fallocate4j.RangeAllocation;
import io.github.fallocate4j.ReserveListener;
import io.github.fallocate4j.ReserveOutcome;
import io.github.fallocate4j.ReservePolicy;
import io.github.fallocate4j.Reservations;
import io.github.fallocate4j.ReservingChannel;
import java.io.InterruptedIOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The policy for filesystems that cannot allocate, on ext2 (no fallocate(2)), against ext4 (which can):
 * FAIL changes nothing, EMULATE writes zeros into exactly the holes (data kept, progress told, an
 * interrupt stops it), ACCEPT_SPARSE grows the file sparsely and says there is no guarantee.
 */
class ReservePolicyTest {
    private static final long MIB = 1 << 20;

    /** A file of {@code 3 MiB} with data in its first and third MiB's first 4 KiB and holes elsewhere. */
    private static byte[] sparseFile(Path file) throws Exception {
        byte[] expected = new byte[(int) (3 * MIB)];
        byte[] data = ReservingChannelTest.record(7, 4096);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.write(data);
            raf.seek(2 * MIB);
            raf.write(data);
            raf.setLength(3 * MIB);
        }
        System.arraycopy(data, 0, expected, 0, data.length);
        System.arraycopy(data, 0, expected, (int) (2 * MIB), data.length);
        return expected;
    }

    @Test
    void ext4ReservesWhateverThePolicy() throws Exception {
        Path dir = Mounts.dir(Fs.EXT4);
        for (ReservePolicy policy : ReservePolicy.values()) {
            Path file = dir.resolve(policy.name());
            byte[] expected = sparseFile(file);
            assertEquals(ReserveOutcome.RESERVED, Reservations.reserve(file, 0, 4 * MIB, policy, ReserveListener.NONE));
            assertEquals(4 * MIB, Files.size(file));
            assertArrayEquals(expected, Arrays.copyOf(Files.readAllBytes(file), expected.length));
            RangeAllocation allocation = Reservations.allocation(file, 0, 4 * MIB);
            assertTrue(allocation.allocated(), allocation::toString);
            assertTrue(allocation.bytes(RangeAllocation.State.UNWRITTEN) >= 3 * MIB, "fallocate leaves unwritten extents: " + allocation);
        }
    }

    @Test
    void failOnExt2ChangesNothing() throws Exception {
        Path dir = Mounts.dir(Fs.EXT2);
        Path file = dir.resolve("f");
        sparseFile(file);
        FileState before = FileState.of(file);
        ModeNotSupportedException e = assertThrows(ModeNotSupportedException.class,
                () -> Reservations.reserve(file, 0, 4 * MIB, ReservePolicy.FAIL, ReserveListener.NONE));
        assertEquals("EOPNOTSUPP", e.errnoName());
        before.assertUnchanged(file);
        assertThrows(ModeNotSupportedException.class, () -> ReservingChannel.open(file, MIB, ReservePolicy.FAIL));
        assertEquals(List.of(), OpenDescriptors.to(file), "the failed open closed the file");
        before.assertUnchanged(file);
        assertThrows(ModeNotSupportedException.class,
                () -> ReservingChannel.open(file, MIB, ReservePolicy.FAIL, StandardOpenOption.TRUNCATE_EXISTING));
        before.assertUnchanged(file);
        Path created = dir.resolve("created");
        assertThrows(ModeNotSupportedException.class, () -> ReservingChannel.open(created, MIB, ReservePolicy.FAIL, StandardOpenOption.CREATE));
        assertTrue(Files.notExists(created), "a failed open deletes the file it created");
    }

    @Test
    void emulateOnExt2WritesZerosIntoTheHolesOnly() throws Exception {
        Path file = Mounts.dir(Fs.EXT2).resolve("f");
        byte[] expected = sparseFile(file);
        assertFalse(Reservations.allocation(file, 0, 3 * MIB).holes().isEmpty(), "the file starts sparse");
        List<Long> progress = new ArrayList<>();
        assertEquals(ReserveOutcome.EMULATED, Reservations.reserve(file, 0, 4 * MIB, ReservePolicy.EMULATE, progress::add));
        assertEquals(4 * MIB, Files.size(file));
        assertArrayEquals(expected, Arrays.copyOf(Files.readAllBytes(file), expected.length), "the data is kept");
        RangeAllocation allocation = Reservations.allocation(file, 0, 4 * MIB);
        assertTrue(allocation.allocated(), allocation::toString);
        assertEquals(0, allocation.bytes(RangeAllocation.State.UNWRITTEN), "emulation writes: " + allocation);
        assertTrue(progress.size() >= 4, "progress after each chunk: " + progress);
        for (int i = 1; i < progress.size(); i++) {
            assertTrue(progress.get(i) >= progress.get(i - 1), "progress goes forward: " + progress);
        }
        assertEquals(4 * MIB, progress.get(progress.size() - 1));
    }

    /**
     * An emulation that fills the device ends as the Javadoc says, with a NoSpaceException naming the file
     * and where it stopped (it was a bare IOException from RandomAccessFile.write, with no errno), the data
     * before the range intact.
     */
    @Test
    void emulateOnAFullDeviceThrowsNoSpaceException() throws Exception {
        Path file = Mounts.dir(Fs.EXT2).resolve("full");
        byte[] data = ReservingChannelTest.record(3, 4096);
        Files.write(file, data);
        long free = Files.getFileStore(file).getUsableSpace();
        try {
            NoSpaceException e = assertThrows(NoSpaceException.class,
                    () -> Reservations.reserve(file, 4096, free + 8 * MIB, ReservePolicy.EMULATE, ReserveListener.NONE));
            assertEquals(Errno.ENOSPC.number(), e.errno(), e.getMessage());
            assertEquals(file.toString(), e.getFile(), e.getMessage());
            assertArrayEquals(data, Arrays.copyOf(Files.readAllBytes(file), 4096), "the data before the range is kept");
        } finally {
            Files.delete(file);
        }
    }

    @Test
    void anInterruptStopsTheEmulationBetweenChunks() throws Exception {
        Path file = Mounts.dir(Fs.EXT2).resolve("f");
        List<Long> progress = new ArrayList<>();
        ReserveListener interruptAfterTheFirstChunk = offset -> {
            progress.add(offset);
            Thread.currentThread().interrupt();
        };
        try {
            InterruptedIOException e = assertThrows(InterruptedIOException.class,
                    () -> Reservations.reserve(file, 0, 8 * MIB, ReservePolicy.EMULATE, interruptAfterTheFirstChunk));
            assertTrue(Thread.currentThread().isInterrupted(), "the interrupt status is kept");
            assertEquals(MIB, e.bytesTransferred);
        } finally {
            Thread.interrupted();
        }
        assertEquals(List.of(MIB), progress);
        assertEquals(MIB, Files.size(file), "the zeros written so far stay, nothing more");
        assertTrue(Reservations.allocation(file, 0, MIB).allocated());
    }

    @Test
    void acceptSparseOnExt2GrowsTheFileAndSaysThereIsNoGuarantee() throws Exception {
        Path dir = Mounts.dir(Fs.EXT2);
        Path file = dir.resolve("f");
        byte[] expected = sparseFile(file);
        assertEquals(ReserveOutcome.NO_GUARANTEE, Reservations.reserve(file, 0, 4 * MIB, ReservePolicy.ACCEPT_SPARSE, ReserveListener.NONE));
        assertEquals(4 * MIB, Files.size(file));
        assertArrayEquals(expected, Arrays.copyOf(Files.readAllBytes(file), expected.length));
        assertFalse(Reservations.allocation(file, 0, 4 * MIB).holes().isEmpty(), "still sparse");

        Path log = dir.resolve("log");
        try (ReservingChannel ch = ReservingChannel.open(log, MIB, ReservePolicy.ACCEPT_SPARSE, StandardOpenOption.CREATE_NEW)) {
            assertEquals(ReserveOutcome.NO_GUARANTEE, ch.outcome());
            for (int i = 0; i < 10; i++) {
                ch.write(ByteBuffer.wrap(ReservingChannelTest.record(i, 4096)));
                assertEquals((i + 1) * 4096L, Files.size(log));
            }
        }
        assertEquals(40960, Files.size(log));
        ReservingChannelTest.assertNothingPastEnd(log);
    }
}
