package io.github.fallocate4j;

import static io.github.fallocate4j.TestFiles.data;
import static io.github.fallocate4j.TestFiles.hole;
import static io.github.fallocate4j.TestFiles.lettered;
import static io.github.fallocate4j.TestFiles.regions;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every fallocate mode and posix_fallocate through the typed layer, checked on the file itself: size,
 * allocated bytes, data/hole map and contents. Runs in the temp directory (ext4 on the build machines;
 * the filesystem matrix in the fs package covers xfs, btrfs and tmpfs).
 */
class FileSpaceModesTest extends TempFileTest {

    @BeforeEach
    void requireCollapseAndInsert() throws IOException {
        String fs = TestFiles.filesystem(dir);
        assumeTrue(fs.equals("ext4") || fs.equals("xfs"),
                "collapse/insert need ext4 or xfs; the temp directory is on " + fs);
    }

    @Test
    void seedExamplePunchesHelloWorld() throws IOException {
        Files.writeString(file, "Hello World");
        Fallocate.fallocate(file, 6, 4, Fallocate.FALLOC_FL_PUNCH_HOLE | Fallocate.FALLOC_FL_KEEP_SIZE);
        assertEquals("Hello \0\0\0\0d", Files.readString(file, StandardCharsets.ISO_8859_1));
        assertEquals(11, Files.size(file));
    }

    @Test
    void allocateCreatesGrowsAndReservesZeros() throws IOException {
        FileSpace.allocate(file, 0, 16L * block);
        assertEquals(16L * block, Files.size(file));
        assertTrue(SparseFiles.allocatedBytes(file) >= 16L * block);
        // ext4 and xfs allocate unwritten extents, which SEEK_DATA reports as a hole although they are allocated.
        assertEquals(List.of(hole(0, 16L * block)), regions(file));
        assertArrayEquals(new byte[16 * block], Files.readAllBytes(file));
    }

    @Test
    void allocateLeavesExistingDataAlone() throws IOException {
        Files.write(file, lettered(2, block));
        FileSpace.allocate(file, block, 3L * block);
        byte[] expected = Arrays.copyOf(lettered(2, block), 4 * block);
        assertArrayEquals(expected, Files.readAllBytes(file));
        assertEquals(4L * block, SparseFiles.allocatedBytes(file));
    }

    @Test
    void keepSizeReservesBeyondTheEnd() throws IOException {
        Files.write(file, lettered(1, block));
        FileSpace.allocate(file, 0, 8L * block, AllocateOption.KEEP_SIZE);
        assertEquals(block, Files.size(file));
        assertEquals(8L * block, SparseFiles.allocatedBytes(file));
        assertArrayEquals(lettered(1, block), Files.readAllBytes(file));
    }

    @Test
    void punchHoleFreesWholeBlocksAndZeroesPartialOnes() throws IOException {
        Files.write(file, lettered(4, block));
        FileSpace.punchHole(file, block, 2L * block);
        assertEquals(4L * block, Files.size(file));
        assertEquals(2L * block, SparseFiles.allocatedBytes(file));
        assertEquals(List.of(data(0, block), hole(block, 2L * block), data(3L * block, block)), regions(file));
        byte[] expected = lettered(4, block);
        Arrays.fill(expected, block, 3 * block, (byte) 0);
        assertArrayEquals(expected, Files.readAllBytes(file));

        // A range inside one block frees nothing and zeroes just the range.
        FileSpace.punchHole(file, 10, 20);
        Arrays.fill(expected, 10, 30, (byte) 0);
        assertArrayEquals(expected, Files.readAllBytes(file));
        assertEquals(2L * block, SparseFiles.allocatedBytes(file));
    }

    @Test
    void punchHolePastTheEndKeepsTheSize() throws IOException {
        Files.write(file, lettered(2, block));
        FileSpace.punchHole(file, block, 100L * block);
        assertEquals(2L * block, Files.size(file));
        assertEquals(List.of(data(0, block), hole(block, block)), regions(file));
    }

    @Test
    void zeroRangeZeroesButKeepsTheBlocks() throws IOException {
        Files.write(file, lettered(3, block));
        FileSpace.zeroRange(file, block, block);
        byte[] expected = lettered(3, block);
        Arrays.fill(expected, block, 2 * block, (byte) 0);
        assertArrayEquals(expected, Files.readAllBytes(file));
        assertEquals(3L * block, Files.size(file));
        assertEquals(3L * block, SparseFiles.allocatedBytes(file));
    }

    @Test
    void zeroRangeGrowsUnlessKeepSize() throws IOException {
        Files.write(file, lettered(1, block));
        FileSpace.zeroRange(file, 0, 4L * block, AllocateOption.KEEP_SIZE);
        assertEquals(block, Files.size(file));
        assertEquals(4L * block, SparseFiles.allocatedBytes(file));
        assertArrayEquals(new byte[block], Files.readAllBytes(file));

        FileSpace.zeroRange(file, 2L * block, 2L * block + 7);
        assertEquals(4L * block + 7, Files.size(file));
        assertArrayEquals(new byte[4 * block + 7], Files.readAllBytes(file));
    }

    @Test
    void collapseRangeRemovesBlocksAndShrinks() throws IOException {
        Files.write(file, lettered(4, block));
        FileSpace.collapseRange(file, block, 2L * block);
        assertEquals(2L * block, Files.size(file));
        byte[] expected = new byte[2 * block];
        Arrays.fill(expected, 0, block, (byte) 'A');
        Arrays.fill(expected, block, 2 * block, (byte) 'D');
        assertArrayEquals(expected, Files.readAllBytes(file));
        assertEquals(2L * block, SparseFiles.allocatedBytes(file));
    }

    @Test
    void insertRangeShiftsUpAndLeavesAHole() throws IOException {
        Files.write(file, lettered(3, block));
        FileSpace.insertRange(file, block, 2L * block);
        assertEquals(5L * block, Files.size(file));
        assertEquals(List.of(data(0, block), hole(block, 2L * block), data(3L * block, 2L * block)), regions(file));
        byte[] expected = new byte[5 * block];
        Arrays.fill(expected, 0, block, (byte) 'A');
        Arrays.fill(expected, 3 * block, 4 * block, (byte) 'B');
        Arrays.fill(expected, 4 * block, 5 * block, (byte) 'C');
        assertArrayEquals(expected, Files.readAllBytes(file));
        assertEquals(3L * block, SparseFiles.allocatedBytes(file));
    }

    @Test
    void unshareRangeKeepsContentsOrIsRefused() throws IOException {
        Files.write(file, lettered(2, block));
        if (TestFiles.filesystem(dir).equals("ext4")) {
            ModeNotSupportedException e = assertThrows(ModeNotSupportedException.class,
                    () -> FileSpace.unshareRange(file, 0, 2L * block));
            assertEquals("EOPNOTSUPP", e.errnoName());
            assertTrue(e.getMessage().contains("the ext4 filesystem does not support UNSHARE_RANGE"), e.getMessage());
        } else {
            FileSpace.unshareRange(file, 0, 2L * block);
        }
        assertArrayEquals(lettered(2, block), Files.readAllBytes(file));
        assertEquals(2L * block, Files.size(file));
    }

    @Test
    void writeZeroesZeroesAndAllocatesOrIsRefused() throws IOException {
        Files.write(file, lettered(2, block));
        try {
            FileSpace.writeZeroes(file, block, 3L * block);
        } catch (ModeNotSupportedException e) {
            // The device under the filesystem lacks an unmapping write-zeroes command.
            assertEquals(Fallocate.FALLOC_FL_WRITE_ZEROES, e.mode());
            assertEquals(TestFiles.Snapshot.of(file).size(), 2L * block);
            assertArrayEquals(lettered(2, block), Files.readAllBytes(file));
            return;
        }
        byte[] expected = Arrays.copyOf(lettered(1, block), 4 * block);
        assertArrayEquals(expected, Files.readAllBytes(file));
        assertEquals(4L * block, SparseFiles.allocatedBytes(file));
        assertEquals(List.of(data(0, 4L * block)), regions(file));
    }

    @Test
    void posixAllocateCreatesAndGrows() throws IOException {
        FileSpace.posixAllocate(file, block, 2L * block);
        assertEquals(3L * block, Files.size(file));
        assertTrue(SparseFiles.allocatedBytes(file) >= 2L * block);
        assertArrayEquals(new byte[3 * block], Files.readAllBytes(file));
    }

    @Test
    void everyAdviceIsAcceptedAndChangesNothing() throws IOException {
        Files.write(file, lettered(3, block));
        TestFiles.Snapshot before = TestFiles.Snapshot.of(file);
        try (FileChannel channel = FileChannel.open(file)) {
            for (Advice advice : Advice.values()) {
                FileSpace.advise(channel, 0, 0, advice);
                FileSpace.advise(channel, block, block, advice);
            }
        }
        FileSpace.advise(file, 0, 0, Advice.WILLNEED);
        FileSpace.advise(file, block, block, Advice.DONTNEED);
        before.assertUnchanged(file);
    }
}
