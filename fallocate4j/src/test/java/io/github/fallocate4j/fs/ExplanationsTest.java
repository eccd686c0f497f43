package io.github.fallocate4j.fs;

import static io.github.fallocate4j.fs.Failures.expect;
import static io.github.fallocate4j.fs.Failures.fails;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.fallocate4j.AllocateOption;
import io.github.fallocate4j.DigListener;
import io.github.fallocate4j.DigOption;
import io.github.fallocate4j.Errno;
import io.github.fallocate4j.Fallocate;
import io.github.fallocate4j.FileSpace;
import io.github.fallocate4j.FileSpaceException;
import io.github.fallocate4j.ModeNotSupportedException;
import io.github.fallocate4j.SparseFiles;
import java.io.FileOutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each explanation a failure carries is true on the filesystem or device it talks about: the
 * examples of issue 9 (C11, C12), each on the fixture it names. Every failed call leaves the file as it was.
 */
class ExplanationsTest {
    private static final long NONE = FileSpaceException.NONE;
    private static final String FALLOCATE = "fallocate";

    private static Path file(Fs fs, int bytes) throws Exception {
        Path f = Mounts.dir(fs).resolve("f");
        FileState.writeRandom(f, bytes, 11);
        return f;
    }

    /**
     * ext2, ext3 and ext4 without extents have no fallocate(2) for the file, so glibc emulates
     * posix_fallocate by reading and rewriting a byte per block: EBADF on a write-only or append
     * descriptor, which is open for writing. The filesystem is named as mounted, not "ext4".
     */
    @ParameterizedTest
    @EnumSource(names = {"EXT2", "EXT3", "EXT4_NO_EXTENTS"})
    void posixFallocateEmulationExplainsItsEbadf(Fs fs) throws Exception {
        Path f = file(fs, 16384);
        String name = f.toString();
        var ebadf = expect(FileSpaceException.class, Errno.EBADF, "posix_fallocate", 0, 8192, NONE);
        try (FileChannel writeOnly = FileChannel.open(f, StandardOpenOption.WRITE)) {
            String message = fails(ebadf, f, name, () -> FileSpace.posixAllocate(writeOnly, 0, 8192)).getMessage();
            assertTrue(message.endsWith(": the " + fs.type() + " filesystem cannot allocate space for this file, so the C library "
                    + "emulates it by reading and rewriting a byte in each block, which needs the file open for reading too"), message);
        }
        try (FileOutputStream append = new FileOutputStream(f.toFile(), true)) {
            String message = fails(ebadf, f, name, () -> Fallocate.posixFallocate(append, 0, 8192)).getMessage();
            assertTrue(message.endsWith("which it refuses to do through a descriptor opened for appending (O_APPEND)"), message);
            assertFalse(message.contains("not open for writing"), message);
        }
        try (FileChannel readOnly = FileChannel.open(f, StandardOpenOption.READ)) {
            String message = fails(ebadf, f, name, () -> FileSpace.posixAllocate(readOnly, 0, 8192)).getMessage();
            assertTrue(message.endsWith(": the file is not open for writing"), message);
        }
        FileSpace.posixAllocate(f, 0, 65536); // read-write, not appending: the emulation works
        assertEquals(65536, Files.size(f));
    }

    /**
     * EFBIG also comes from the process's file size limit (RLIMIT_FSIZE, {@code ulimit -f}), checked where
     * a call would grow the file: the explanation blamed "the largest file the filesystem allows", which
     * is 16 TiB or 8 EiB there, not the 1 MiB that refused a 4 MiB allocation.
     */
    @ParameterizedTest
    @EnumSource(names = {"EXT4", "XFS", "EXT2"})
    void efbigFromTheFileSizeLimitSaysSo(Fs fs) throws Exception {
        Path f = file(fs, 8192);
        String name = f.toString();
        String limit = ": offset+len passes this process's file size limit (RLIMIT_FSIZE, ulimit -f: 1048576 bytes)";
        long old = Native.setFileSizeLimit(1 << 20);
        try {
            if (!fs.type().startsWith("ext2")) {
                var allocate = fails(expect(FileSpaceException.class, Errno.EFBIG, FALLOCATE, 0, 4 << 20, 0), f, name,
                        () -> FileSpace.allocate(f, 0, 4 << 20));
                assertTrue(allocate.getMessage().endsWith(limit), allocate.getMessage());
                var zero = fails(expect(FileSpaceException.class, Errno.EFBIG, FALLOCATE, 0, 4 << 20, Fallocate.FALLOC_FL_ZERO_RANGE),
                        f, name, () -> FileSpace.zeroRange(f, 0, 4 << 20));
                assertTrue(zero.getMessage().endsWith(limit), zero.getMessage());
            }
            // On ext2 glibc's emulation writes a byte per block up to the limit first (the file grows to 1 MiB).
            var posix = assertThrowsNamed(FileSpaceException.class, () -> FileSpace.posixAllocate(f, 0, 4 << 20));
            assertEquals(Errno.EFBIG.number(), posix.errno(), posix.getMessage());
            assertTrue(posix.getMessage().endsWith(limit), posix.getMessage());
        } finally {
            Native.setFileSizeLimit(old);
        }
        if (fs != Fs.XFS) { // xfs allows files of 2^63-1 bytes
            var past = fails(expect(FileSpaceException.class, Errno.EFBIG, FALLOCATE, Long.MAX_VALUE - 4096, 4096, 0), f, name,
                    () -> FileSpace.allocate(f, Long.MAX_VALUE - 4096, 4096));
            assertTrue(past.getMessage().endsWith(": offset+len exceeds the largest file the filesystem allows"), past.getMessage());
        }
    }

    /**
     * glibc emulates posix_fallocate where the filesystem cannot allocate by reading and writing one byte
     * per block, which a descriptor opened with O_DIRECT refuses (EINVAL): the explanation said only that
     * the filesystem cannot allocate, which does not explain EINVAL, nor that the same call on another
     * descriptor of the file works.
     */
    @ParameterizedTest
    @EnumSource(names = {"EXT2", "EXT3"})
    void posixFallocateEmulationOnADirectDescriptorSaysSo(Fs fs) throws Exception {
        Path f = file(fs, 16384);
        var einval = expect(FileSpaceException.class, Errno.EINVAL, "posix_fallocate", 0, 65536, NONE);
        try (FileChannel direct = FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE, DigFailureTypesTest.direct())) {
            String message = fails(einval, f, f.toString(), () -> FileSpace.posixAllocate(direct, 0, 65536)).getMessage();
            assertTrue(message.endsWith(": the " + fs.type() + " filesystem cannot allocate space for this file, so the C library "
                    + "emulates it by reading and rewriting a byte in each block, which a descriptor opened with O_DIRECT "
                    + "refuses (it reads and writes whole aligned blocks only)"), message);
        }
        FileSpace.posixAllocate(f, 0, 65536); // without O_DIRECT the emulation works
        assertEquals(65536, Files.size(f));
    }

    /**
     * xfs and btrfs have FIEMAP for files but refuse it for directories (EOPNOTSUPP): the explanation
     * said the filesystem has no FIEMAP support at all, which its files disprove.
     */
    @ParameterizedTest
    @EnumSource(names = {"XFS", "BTRFS"})
    void fiemapRefusedForADirectoryBlamesTheDirectory(Fs fs) throws Exception {
        Path f = file(fs, 16384);
        assertFalse(SparseFiles.extents(f).isEmpty(), "the filesystem reports a file's extents");
        Path dir = f.getParent();
        var e = assertThrowsNamed(ModeNotSupportedException.class, () -> SparseFiles.extents(dir));
        assertTrue(e.getMessage().endsWith(": the " + fs.type() + " filesystem does not report extents for a directory"),
                e.getMessage());
    }

    /** ext2 and ext3 are named as mounted; statfs gives the three one magic number. */
    @ParameterizedTest
    @EnumSource(names = {"EXT2", "EXT3"})
    void ext2AndExt3AreNamedAsMounted(Fs fs) throws Exception {
        refused(fs, Fallocate.FALLOC_FL_KEEP_SIZE, f -> FileSpace.allocate(f, 0, 4096, AllocateOption.KEEP_SIZE),
                ": the " + fs.type() + " filesystem does not support KEEP_SIZE");
    }

    /** ext4 supports allocation, only not in block-mapped files: the message says that, not "ext4 does not support it". */
    @Test
    void ext4WithoutExtentsBlamesTheFileLayout() throws Exception {
        refused(Fs.EXT4_NO_EXTENTS, Fallocate.FALLOC_FL_ZERO_RANGE, f -> FileSpace.zeroRange(f, 0, 4096),
                ": ext4 supports ZERO_RANGE only in files with extents, and this file is block-mapped "
                + "(the filesystem has no extent feature, or the file was made before it was turned on)");
    }

    /** On a block device the device is blamed, not the filesystem its node sits on, and EINVAL is the device's rule. */
    @Test
    void blockDeviceExplanationsNameTheDevice() throws Exception {
        Path dev = Mounts.blockDevice();
        String name = dev.toString();
        var unsupported = fails(expect(ModeNotSupportedException.class, Errno.EOPNOTSUPP, FALLOCATE, 0, 4096, 0), null, name,
                () -> FileSpace.allocate(dev, 0, 4096));
        assertTrue(unsupported.getMessage().endsWith(": the block device does not support ALLOCATE_RANGE"), unsupported.getMessage());
        var unaligned = fails(expect(FileSpaceException.class, Errno.EINVAL, FALLOCATE, 100, 4096, Fallocate.FALLOC_FL_ZERO_RANGE),
                null, name, () -> FileSpace.zeroRange(dev, 100, 4096));
        assertTrue(unaligned.getMessage().endsWith(": a block device takes only offsets and lengths that are multiples of its "
                + "logical block size (512 bytes)"), unaligned.getMessage());
        var pastEnd = fails(expect(FileSpaceException.class, Errno.EINVAL, FALLOCATE, 0, 1L << 40, Fallocate.FALLOC_FL_ZERO_RANGE),
                null, name, () -> FileSpace.zeroRange(dev, 0, 1L << 40));
        assertTrue(pastEnd.getMessage().endsWith(": the range ends past the end of the device (67108864 bytes)"), pastEnd.getMessage());
        var posix = fails(expect(FileSpaceException.class, Errno.EINVAL, "posix_fallocate", 100, 4096, NONE), null, name,
                () -> FileSpace.posixAllocate(dev, 100, 4096));
        assertTrue(posix.getMessage().endsWith("multiples of its logical block size (512 bytes)"), posix.getMessage());
        var posixAligned = fails(expect(FileSpaceException.class, Errno.ENODEV, "posix_fallocate", 0, 4096, NONE), null, name,
                () -> FileSpace.posixAllocate(dev, 0, 4096));
        assertTrue(posixAligned.getMessage().endsWith(": posix_fallocate works only on regular files"), posixAligned.getMessage());
        var fiemap = assertThrowsNamed(ModeNotSupportedException.class, () -> SparseFiles.extents(dev));
        assertTrue(fiemap.getMessage().endsWith(": a block device has no extents to report"), fiemap.getMessage());
    }

    /** A character device's refusal is the device's, not that of the filesystem its node sits on (devtmpfs). */
    @Test
    void characterDeviceIsNamedAsSuch() throws Exception {
        var e = assertThrowsNamed(FileSpaceException.class, () -> SparseFiles.extents(Path.of("/dev/null")));
        assertTrue(e.getMessage().endsWith(": the character device does not report extents (no FIEMAP support)"), e.getMessage());
    }

    /** ext4 has WRITE_ZEROES (6.17+) only over a device with an unmapping write-zeroes command, which a loop device lacks. */
    @Test
    void writeZeroesRefusalNamesBothPossibleCauses() throws Exception {
        refused(Fs.EXT4, Fallocate.FALLOC_FL_WRITE_ZEROES, f -> FileSpace.writeZeroes(f, 0, 4096),
                ": WRITE_ZEROES is not supported here: the ext4 filesystem lacks it, or the device under "
                + "it has no unmapping write-zeroes command");
    }

    /** digHoles reads the file: on a write-only channel EBADF means "not open for reading", not "not a valid descriptor". */
    @Test
    void digOnWriteOnlyChannelIsNotOpenForReading() throws Exception {
        Path f = Mounts.dir(Fs.TMP).resolve("zeros");
        Files.write(f, new byte[65536]);
        FileState before = FileState.of(f);
        try (FileChannel writeOnly = FileChannel.open(f, StandardOpenOption.WRITE)) {
            FileSpaceException e = assertThrowsNamed(FileSpaceException.class,
                    () -> SparseFiles.digHoles(writeOnly, 0, Long.MAX_VALUE, DigListener.NONE));
            assertEquals("EBADF", e.errnoName());
            assertTrue(e.getMessage().endsWith(": the file is not open for reading"), e.getMessage());
        }
        before.assertUnchanged(f);
    }

    /** A descriptor opened with O_PATH allows no I/O at all; a closed number is not a descriptor. */
    @Test
    void pathOnlyAndClosedDescriptorsAreToldApart() throws Exception {
        Path f = file(Fs.TMP, 8192);
        int fd = Native.open(f.toString(), Native.O_PATH);
        try {
            FileSpaceException e = assertThrowsNamed(FileSpaceException.class, () -> Fallocate.fallocate(fd, 0, 4096));
            assertTrue(e.getMessage().endsWith(": the descriptor was opened with O_PATH, which allows neither reading nor writing"),
                    e.getMessage());
        } finally {
            Native.close(fd);
        }
        int closed = 1 << 20;
        FileSpaceException e = assertThrowsNamed(FileSpaceException.class, () -> Fallocate.fallocate(closed, 0, 4096));
        assertTrue(e.getMessage().endsWith(": not a valid open file descriptor"), e.getMessage());
    }

    /** C12: on ext4 bigalloc the unit of collapse and insert is the 64 KiB cluster, and blockSize says so. */
    @Test
    void bigallocCollapseAndInsertUseTheCluster() throws Exception {
        Path f = file(Fs.EXT4_BIGALLOC, 4 * 65536);
        assertEquals(65536, SparseFiles.blockSize(f));
        assertEquals(65536, SparseFiles.blockSize(f.getParent()));
        String name = f.toString();
        var misaligned = fails(expect(FileSpaceException.class, Errno.EINVAL, FALLOCATE, 0, 4096, Fallocate.FALLOC_FL_COLLAPSE_RANGE),
                f, name, () -> FileSpace.collapseRange(f, 0, 4096));
        assertTrue(misaligned.getMessage().endsWith(": COLLAPSE_RANGE needs offset and len to be multiples of the filesystem's "
                + "cluster size (ext4 bigalloc cluster size 65536 bytes, file size 262144 bytes)"), misaligned.getMessage());
        var insert = fails(expect(FileSpaceException.class, Errno.EINVAL, FALLOCATE, 4096, 65536, Fallocate.FALLOC_FL_INSERT_RANGE),
                f, name, () -> FileSpace.insertRange(f, 4096, 65536));
        assertTrue(insert.getMessage().contains("INSERT_RANGE needs offset and len to be multiples of the filesystem's cluster size"),
                insert.getMessage());
        var toTheEnd = fails(expect(FileSpaceException.class, Errno.EINVAL, FALLOCATE, 65536, 3 * 65536, Fallocate.FALLOC_FL_COLLAPSE_RANGE),
                f, name, () -> FileSpace.collapseRange(f, 65536, 3 * 65536));
        assertTrue(toTheEnd.getMessage().endsWith(": COLLAPSE_RANGE needs the range to end before the end of the file "
                + "(ext4 bigalloc cluster size 65536 bytes, file size 262144 bytes)"), toTheEnd.getMessage());
        assertCollapseAndInsertWork(f, SparseFiles.blockSize(f));
    }

    /** An extent-size hint on xfs does not change the unit: one block still collapses. */
    @Test
    void xfsExtentSizeHintKeepsTheBlockAsTheUnit() throws Exception {
        Path f = file(Fs.XFS_EXTSIZE, 4 * 65536);
        if (Sh.emulator() == null) { // qemu-user does not translate xfs_io's XFS_IOC_FSGEOMETRY (FixturesTest says so)
            assertTrue(Sh.run("xfs_io", "-c", "extsize", f.toString()).contains("[65536]"), "the file has the hint");
        }
        assertEquals(4096, SparseFiles.blockSize(f));
        assertCollapseAndInsertWork(f, 4096);
    }

    /** Collapses the first {@code unit} bytes and inserts them back as a hole, checking the bytes. */
    private static void assertCollapseAndInsertWork(Path f, long unit) throws Exception {
        byte[] before = Files.readAllBytes(f);
        FileSpace.collapseRange(f, 0, unit);
        assertArrayEquals(Arrays.copyOfRange(before, (int) unit, before.length), Files.readAllBytes(f));
        FileSpace.insertRange(f, 0, unit);
        byte[] expected = before.clone();
        Arrays.fill(expected, 0, (int) unit, (byte) 0);
        assertArrayEquals(expected, Files.readAllBytes(f));
    }

    /** A call on a fresh 8 KiB file of {@code fs}, which must be refused (EOPNOTSUPP for 0+4096), leave the file as it was and be explained so. */
    private static void refused(Fs fs, int mode, PathCall call, String ending) throws Exception {
        Path f = file(fs, 8192);
        var e = fails(expect(ModeNotSupportedException.class, Errno.EOPNOTSUPP, FALLOCATE, 0, 4096, mode), f, f.toString(), () -> call.run(f));
        assertTrue(e.getMessage().endsWith(ending), e.getMessage());
    }

    @FunctionalInterface
    private interface PathCall {
        void run(Path f) throws Exception;
    }

    private static <T extends Throwable> T assertThrowsNamed(Class<T> type, org.junit.jupiter.api.function.Executable call) {
        T thrown = org.junit.jupiter.api.Assertions.assertThrows(type, call);
        assertNull(thrown.getCause());
        return thrown;
    }
}
