package io.github.fallocate4j.fs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.fallocate4j.ReservePolicy;
import io.github.fallocate4j.ReservingChannel;
import io.github.fallocate4j.SparseFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The proof that reserving keeps a log in few extents: four logs appended to in turn, 64 KiB at a
 * time with fdatasync every 256 KiB, through ReservingChannels and then, on the same filesystem, through
 * plain FileChannels. Each filesystem is one of its own ({@link Fs#EXT4_APPENDS}, {@link Fs#XFS_APPENDS}),
 * fresh for this test alone: on the suite's shared filesystems the extent count depends on how earlier tests
 * left the free space. Each reservation is a chunk of {@code ahead} bytes that the filesystem can place in
 * one extent, so a file of {@code data} bytes takes at most {@code ceil(data / ahead)} extents, and one
 * more where a chunk falls across an allocation group's or block group's metadata. Checked on each file:
 * its extents (FIEMAP), its size (the bytes written), its bytes (the plain log's), and nothing allocated
 * past its end after close.
 */
class ReservingChannelExtentsTest {
    private static final int FILES = 4;
    private static final long DATA = 8L << 20; // per file
    private static final long AHEAD = 4L << 20;
    private static final int WRITE = 64 << 10;
    private static final long SYNC_EVERY = 256 << 10;
    private static final long BOUND = (DATA + AHEAD - 1) / AHEAD + 1;

    @ParameterizedTest
    @EnumSource(names = {"EXT4_APPENDS", "XFS_APPENDS"})
    void fourInterleavedLogsStayInFewExtentsAndLeaveNothingReserved(Fs fs) throws IOException {
        Path dir = Mounts.dir(fs);
        Path[] reserving = new Path[FILES];
        Path[] plain = new Path[FILES];
        FileChannel[] channels = new FileChannel[FILES];
        for (int i = 0; i < FILES; i++) {
            reserving[i] = dir.resolve("reserving" + i);
            channels[i] = ReservingChannel.open(reserving[i], AHEAD, ReservePolicy.FAIL, StandardOpenOption.CREATE_NEW);
        }
        appendInTurn(channels);
        for (int i = 0; i < FILES; i++) {
            plain[i] = dir.resolve("plain" + i);
            channels[i] = FileChannel.open(plain[i], StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        }
        appendInTurn(channels);

        int[] reservingExtents = extentCounts(reserving);
        int[] plainExtents = extentCounts(plain);
        String counts = fs + ": extents per file, ReservingChannel " + Arrays.toString(reservingExtents)
                + ", plain appends " + Arrays.toString(plainExtents) + ", bound " + BOUND;
        for (int i = 0; i < FILES; i++) {
            assertEquals(DATA, Files.size(reserving[i]), "size is the data written");
            assertArrayEquals(Files.readAllBytes(plain[i]), Files.readAllBytes(reserving[i]), "the same bytes as the plain log");
            ReservingChannelTest.assertNothingPastEnd(reserving[i]);
            assertTrue(reservingExtents[i] <= BOUND, counts);
        }
        // The same logs without reservations take more extents (6 each on both in November 2026), so the bound
        // above is the reservations' doing, not the filesystem's own placement.
        assertTrue(Arrays.stream(reservingExtents).sum() < Arrays.stream(plainExtents).sum(), counts);
    }

    /** DATA bytes to each channel, a write to each in turn, each synced every SYNC_EVERY bytes; then closes them. */
    private static void appendInTurn(FileChannel[] channels) throws IOException {
        try {
            for (long at = 0; at < DATA; at += WRITE) {
                for (int i = 0; i < channels.length; i++) {
                    ByteBuffer block = ByteBuffer.wrap(ReservingChannelTest.record(i * DATA + at, WRITE));
                    while (block.hasRemaining()) {
                        channels[i].write(block);
                    }
                    if ((at + WRITE) % SYNC_EVERY == 0) {
                        channels[i].force(false);
                    }
                }
            }
        } finally {
            for (FileChannel channel : channels) {
                channel.close();
            }
        }
    }

    private static int[] extentCounts(Path[] files) throws IOException {
        int[] counts = new int[files.length];
        for (int i = 0; i < files.length; i++) {
            counts[i] = SparseFiles.extents(files[i], 0, Files.size(files[i])).size();
        }
        return counts;
    }
}
