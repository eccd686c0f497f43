package io.github.fallocate4j.fs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.fallocate4j.DigListener;
import io.github.fallocate4j.DigOption;
import io.github.fallocate4j.DigResult;
import io.github.fallocate4j.Errno;
import io.github.fallocate4j.FileSpaceException;
import io.github.fallocate4j.Region;
import io.github.fallocate4j.Residency;
import io.github.fallocate4j.SparseFiles;
import io.github.fallocate4j.internal.OpenFiles;
import io.github.fallocate4j.internal.PageCache;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 9 C13: a dig fails only with the IOException it declares, with a message true to the case, and
 * works where the file is merely unusual (2^63-1 bytes long, open with O_DIRECT).
 */
class DigFailureTypesTest {
    private static final long MAX = Long.MAX_VALUE;

    /** Closing the channel mid-dig used to leak UncheckedIOException (lseek EBADF); the dig now goes on. */
    @Test
    void closingTheChannelMidDigEndsInAResultOrACheckedException() throws IOException {
        Path file = Mounts.dir(Fs.TMPFS).resolve("f");
        Files.write(file, new byte[4 << 20]);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        DigListener closer = new DigListener() {
            @Override
            public void progress(long offset) {
                try {
                    channel.close();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
        DigResult result = SparseFiles.digHoles(channel, 0, MAX, closer);
        assertEquals(new DigResult(1, 4 << 20), result);
        assertEquals(List.of(new Region(Region.Kind.HOLE, 0, 4 << 20)), regions(file));
    }

    /**
     * ext4 inline_data: a file written past what fits in its inode is not converted until writeback, and
     * SEEK_HOLE gives ENOENT meanwhile. It used to leak as UncheckedIOException; now it is a
     * FileSpaceException that says why.
     */
    @Test
    void inlineDataSeekFailureIsCheckedAndExplained() throws IOException {
        Path file = Mounts.dir(Fs.EXT4_INLINE).resolve("f");
        byte[] bytes = new byte[8000];
        bytes[0] = 'x';
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(bytes, 0, 100), 0);
            ch.force(true); // written out while it fits in the inode: inline
            ch.write(ByteBuffer.wrap(bytes, 100, bytes.length - 100), 100); // outgrows it; not yet written back
        }
        var e = assertThrows(FileSpaceException.class, () -> SparseFiles.digHoles(file, 0, MAX, DigListener.NONE,
                DigOption.DRY_RUN));
        assertEquals(Errno.ENOENT.number(), e.errno(), e::getMessage);
        assertTrue(e.getMessage().contains("inline_data"), e::getMessage);
        assertEquals("lseek(SEEK_HOLE)", e.operation(), e::getMessage);
        assertTrue(e.getMessage().contains("lseek(SEEK_HOLE, offset=0) failed"), e::getMessage);
        assertArrayEquals(bytes, Files.readAllBytes(file));
    }

    /**
     * A file of 2^63-1 bytes (xfs and btrfs allow it) with written zeros in its first block and in its
     * last, partial one: a dry run used to throw IndexOutOfBoundsException (an offset wrapped).
     */
    @ParameterizedTest
    @EnumSource(names = {"XFS", "BTRFS"})
    void digsAFileOfTheLargestSize(Fs fs) throws IOException {
        Path file = Mounts.dir(fs).resolve("largest");
        long block = SparseFiles.blockSize(file.getParent());
        long lastBlock = MAX / block * block;
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(MAX);
            raf.getChannel().write(ByteBuffer.allocate((int) block), 0);
            raf.getChannel().write(ByteBuffer.allocate((int) (MAX - lastBlock)), lastBlock);
        }
        List<long[]> runs = new ArrayList<>();
        DigListener listener = new DigListener() {
            @Override
            public void zeroRun(long offset, long length) {
                runs.add(new long[] {offset, length});
            }
        };
        DigResult found = SparseFiles.digHoles(file, 0, MAX, listener, DigOption.DRY_RUN);
        assertEquals(new DigResult(2, block + MAX - lastBlock), found);
        assertArrayEquals(new long[] {0, block}, runs.get(0));
        assertArrayEquals(new long[] {lastBlock, MAX - lastBlock}, runs.get(1));

        DigResult dug;
        try {
            dug = SparseFiles.digHoles(file, 0, MAX, DigListener.NONE);
        } catch (FileSpaceException e) {
            // btrfs's map of a file this large is unreliable once a block of it is punched (SEEK_HOLE gives
            // ENOENT, or a hole where SEEK_DATA found data): a checked exception, never a hang.
            assertEquals(Fs.BTRFS, fs, e::getMessage);
            return;
        }
        // The first run always; the last block too unless SEEK_DATA missed it: xfs can report that block as
        // a hole for a moment after the dry run dropped its pages (writeback under way), and it is not read.
        assertTrue(dug.runs() >= 1 && dug.runs() <= 2, dug::toString);
        assertTrue(dug.bytes() == block || dug.bytes() == found.bytes(), dug::toString);
        assertEquals(MAX, Files.size(file));
        try (Stream<Region> regions = SparseFiles.regions(file)) {
            // The last, partial block cannot be freed: punching past 2^63-1 is impossible, and short of it only zeroes.
            assertEquals(Region.Kind.HOLE, regions.findFirst().orElseThrow().kind(), "the first block became a hole");
        }
        Residency resident = SparseFiles.residency(file, lastBlock - (1 << 20), 1 << 20);
        assertEquals((1 << 20) / resident.pageSize(), resident.pages(), "pages just before the end of the largest file");
        // cachestat counts the page that reaches 2^63; mmap (the path of kernels before 6.5) cannot map it:
        // a checked exception that says so.
        if (Sh.emulator() == null) {
            Residency last = SparseFiles.residency(file, lastBlock, MAX - lastBlock);
            assertTrue(last.hasCachestatCounts() && last.pages() == 1, last::toString);
        } else {   // qemu-user answers cachestat with ENOSYS: the library takes the mincore path, which says why not
            var e = assertThrows(FileSpaceException.class, () -> SparseFiles.residency(file, lastBlock, MAX - lastBlock));
            assertEquals(Errno.EOVERFLOW.number(), e.errno(), e::getMessage);
        }
        var e = assertThrows(FileSpaceException.class, () -> OpenFiles.with(file, OpenFiles.Access.READ,
                open -> PageCache.mincoreResidency(open, lastBlock, MAX - lastBlock)));
        assertEquals(Errno.EOVERFLOW.number(), e.errno(), e::getMessage);
        assertTrue(e.getMessage().contains("2^63"), e::getMessage);
    }

    /**
     * An O_DIRECT channel to a file whose size is not a multiple of 512: the dig used to fail with a
     * bare pread EINVAL; it now reads whole blocks into an aligned buffer and digs.
     */
    @ParameterizedTest
    @EnumSource(names = {"EXT4", "XFS"})
    void digsThroughAnODirectChannel(Fs fs) throws IOException {
        Path file = Mounts.dir(fs).resolve("direct");
        int block = (int) SparseFiles.blockSize(file.getParent());
        int size = 3 * (1 << 20) + 100;
        byte[] bytes = new byte[size];
        bytes[0] = 1;
        bytes[size - 1] = 2;
        Files.write(file, bytes);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE, direct())) {
            DigResult dug = SparseFiles.digHoles(ch, 0, MAX, DigListener.NONE);
            long lastBlock = (size - 1) / block * (long) block;
            assertEquals(new DigResult(1, lastBlock - block), dug);
        }
        assertArrayEquals(bytes, Files.readAllBytes(file));
        long lastBlock = (size - 1) / block * (long) block;
        assertEquals(List.of(new Region(Region.Kind.DATA, 0, block), new Region(Region.Kind.HOLE, block, lastBlock - block),
                new Region(Region.Kind.DATA, lastBlock, size - lastBlock)), regions(file));
    }

    /** com.sun.nio.file.ExtendedOpenOption.DIRECT, from jdk.unsupported, which the library module does not read. */
    static OpenOption direct() {
        try {
            return (OpenOption) Class.forName("com.sun.nio.file.ExtendedOpenOption").getField("DIRECT").get(null);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("this JDK has no ExtendedOpenOption.DIRECT", e);
        }
    }

    private static List<Region> regions(Path file) throws IOException {
        try (Stream<Region> regions = SparseFiles.regions(file)) {
            return regions.toList();
        }
    }
}
