package io.github.fallocate4j;

import static io.github.fallocate4j.TestFiles.lettered;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.fallocate4j.fs.Sh;
import io.github.fallocate4j.internal.OpenFiles;
import io.github.fallocate4j.internal.PageCache;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;

/** FIEMAP extents and mincore residency on real files: what fallocate and fadvise did, made visible. */
class ExtentsAndResidencyTest extends TempFileTest {

    @Test
    void extentsFollowDataAndHoles() throws IOException {
        assumeTrue(List.of("ext4", "xfs", "btrfs").contains(TestFiles.filesystem(dir)), "needs a FIEMAP filesystem");
        Files.write(file, lettered(4, block));
        FileSpace.punchHole(file, block, 2L * block);

        List<Extent> extents = SparseFiles.extents(file);

        assertEquals(2, extents.size(), extents::toString);
        assertEquals(0, extents.get(0).logicalOffset());
        assertEquals(block, extents.get(0).length());
        assertEquals(3L * block, extents.get(1).logicalOffset());
        assertEquals(block, extents.get(1).length());
        assertTrue(extents.get(1).flags().contains(ExtentFlag.LAST));
        assertTrue(extents.get(0).physicalOffset() > 0);
        assertFalse(extents.get(0).isUnwritten());
    }

    @Test
    void preallocatedSpaceIsUnwritten() throws IOException {
        assumeTrue(List.of("ext4", "xfs").contains(TestFiles.filesystem(dir)), "needs ext4 or xfs");
        Files.write(file, lettered(1, block));
        FileSpace.allocate(file, block, 3L * block, AllocateOption.KEEP_SIZE);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            List<Extent> extents = SparseFiles.extents(ch, 0, 4L * block);
            long unwritten = extents.stream().filter(Extent::isUnwritten).mapToLong(Extent::length).sum();
            assertEquals(3L * block, unwritten, extents::toString);
            assertEquals(List.of(), SparseFiles.extents(ch, 100L * block, block), "nothing allocated there");
        }
    }

    @Test
    void zeroRangeLeavesUnwrittenExtentsThatReadAsZeros() throws IOException {
        assumeTrue(List.of("ext4", "xfs").contains(TestFiles.filesystem(dir)), "needs ext4 or xfs");
        Files.write(file, lettered(4, block));
        FileSpace.zeroRange(file, block, 2L * block);

        List<Extent> middle = SparseFiles.extents(file, block, 2L * block);
        long unwritten = middle.stream().filter(Extent::isUnwritten).mapToLong(Extent::length).sum();
        assertEquals(2L * block, unwritten, middle::toString);
        assertEquals(4L * block, SparseFiles.allocatedBytes(file), "zeroing keeps the blocks allocated");
        byte[] expected = lettered(4, block);
        java.util.Arrays.fill(expected, block, 3 * block, (byte) 0);
        org.junit.jupiter.api.Assertions.assertArrayEquals(expected, Files.readAllBytes(file));
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            assertEquals(SparseFiles.extents(file), SparseFiles.extents(ch), "channel and path agree");
            assertFalse(SparseFiles.extents(ch).get(0).isUnwritten(), "the written first block");
        }
    }

    @Test
    void manyExtentsCrossTheIoctlBatch() throws IOException {
        assumeTrue(List.of("ext4", "xfs", "btrfs").contains(TestFiles.filesystem(dir)), "needs a FIEMAP filesystem");
        // Every other block written: 600 separate extents, more than one ioctl call returns.
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            for (int i = 0; i < 600; i++) {
                ch.write(ByteBuffer.wrap(lettered(1, block)), 2L * i * block);
            }
        }
        List<Extent> extents = SparseFiles.extents(file);
        assertEquals(600, extents.size());
        for (int i = 0; i < 600; i++) {
            assertEquals(2L * i * block, extents.get(i).logicalOffset());
        }
    }

    @Test
    void adviceMovesPagesInAndOutOfTheCache() throws IOException {
        int size = 64 * block;
        Files.write(file, lettered(64, block));
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ch.force(true); // DONTNEED drops only clean pages
            FileSpace.advise(ch, 0, 0, Advice.DONTNEED);
            Residency dropped = SparseFiles.residency(ch, 0, size);
            assertEquals(64L * block / dropped.pageSize(), dropped.pages());
            assertEquals(0, dropped.residentPages(), dropped::toString);

            ch.read(ByteBuffer.allocate(block), 0);
            assertTrue(SparseFiles.residency(ch, 0, block).residentPages() >= 1, "a read caches its page");

            FileSpace.advise(ch, 0, 0, Advice.WILLNEED);
            // WILLNEED starts the reads and returns: wait for them (not a timing assertion; the
            // deadline only keeps a broken kernel from hanging the build).
            Residency wanted = SparseFiles.residency(file, 0, size);
            for (long deadline = System.nanoTime() + 10_000_000_000L;
                    wanted.residentPages() < wanted.pages() && System.nanoTime() < deadline; ) {
                Thread.onSpinWait();
                wanted = SparseFiles.residency(file, 0, size);
            }
            assertEquals(wanted.pages(), wanted.residentPages(), wanted::toString);
            assertEquals(size, wanted.residentBytes());
        }
    }

    @Test
    void residencyClipsToTheFile() throws IOException {
        Files.write(file, new byte[10]);
        Residency r = SparseFiles.residency(file, 0, 1 << 30);
        assertEquals(1, r.pages());
        assertEquals(new Residency(r.pageSize(), 0, 0, 0, 0, 0, 0), SparseFiles.residency(file, 1 << 20, 10));
        Files.write(file, new byte[0]);
        assertEquals(0, SparseFiles.residency(file, 0, 10).pages());
    }

    @Test
    void unalignedRangesCountEveryPageTheyTouch() throws IOException {
        Files.write(file, lettered(4, block));
        long page = SparseFiles.residency(file, 0, 1).pageSize();
        assertEquals(1, SparseFiles.residency(file, page + 1, 10).pages(), "inside one page");
        assertEquals(2, SparseFiles.residency(file, page - 1, 2).pages(), "across a page boundary");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ch.read(ByteBuffer.allocate(1), page + 5); // cache the second page
            assertEquals(1, SparseFiles.residency(ch, page + 3, 1).residentPages());
        }
    }

    /** cachestat counts through any descriptor; mincore (a kernel before 6.5) must map the file, so read it. */
    @Test
    void aWriteOnlyChannelIsCountedButCannotBeMapped() throws IOException {
        Files.write(file, lettered(1, block));
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            if (Sh.emulator() == null) {
                Residency r = SparseFiles.residency(ch, 0, block);
                assertTrue(r.hasCachestatCounts(), r::toString);
                assertEquals(r.pages(), r.residentPages(), r::toString);
            } else {   // qemu-user answers cachestat with ENOSYS: the mincore path, which must read the file
                assertEquals("EACCES", assertThrows(FileSpaceException.class,
                        () -> SparseFiles.residency(ch, 0, block)).errnoName());
            }
            FileSpaceException e = assertThrows(FileSpaceException.class, () -> OpenFiles.with(ch, OpenFiles.Access.READ,
                    open -> PageCache.mincoreResidency(open, 0, block)));
            assertEquals("EACCES", e.errnoName());
            assertTrue(e.getMessage().contains("must be open for reading"), e.getMessage());
        }
    }

    @Test
    void tmpfsHasNoExtentMap() throws IOException {
        Path shm = Path.of("/dev/shm");
        assumeTrue(Files.isDirectory(shm) && TestFiles.filesystem(shm).equals("tmpfs"), "needs a tmpfs at /dev/shm");
        Path tmp = Files.createTempFile(shm, "fallocate4j", ".bin");
        try {
            Files.write(tmp, new byte[block]);
            FileSpaceException e = assertThrows(FileSpaceException.class, () -> SparseFiles.extents(tmp));
            assertTrue(List.of("EOPNOTSUPP", "ENOTTY").contains(e.errnoName()), e.getMessage());
            assertEquals("ioctl(FS_IOC_FIEMAP)", e.operation());
            assertTrue(e.getMessage().contains(" ioctl(FS_IOC_FIEMAP, offset=0, len="), e.getMessage()); // one pair of parentheses
            assertTrue(e.getMessage().contains("tmpfs filesystem does not report extents"), e.getMessage());
            // tmpfs pages are the file: always resident.
            Residency r = SparseFiles.residency(tmp, 0, block);
            assertEquals(r.pages(), r.residentPages());
        } finally {
            Files.delete(tmp);
        }
    }
}
