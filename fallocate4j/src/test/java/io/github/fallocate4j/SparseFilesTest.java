package io.github.fallocate4j;

import static io.github.fallocate4j.TestFiles.data;
import static io.github.fallocate4j.TestFiles.hole;
import static io.github.fallocate4j.TestFiles.lettered;
import static io.github.fallocate4j.TestFiles.regions;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The data/hole map, allocated bytes, block size and hole digging, on real files. */
class SparseFilesTest extends TempFileTest {


    /** {@code length} zero bytes but for random bytes over each of the whole blocks numbered {@code dataBlocks}. */
    private byte[] zerosWithData(int length, int... dataBlocks) {
        byte[] contents = new byte[length];
        Random random = new Random(42);
        for (int b : dataBlocks) {
            byte[] data = new byte[block];
            random.nextBytes(data);
            System.arraycopy(data, 0, contents, b * block, block);
        }
        return contents;
    }

    /** Writes {@code bytes} at {@code offset} without touching the rest of the file. */
    private void writeAt(long offset, byte[] bytes) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(bytes), offset);
        }
    }

    @Test
    void blockSizeIsTheFileStoreBlockSize() throws IOException {
        assertEquals(Files.getFileStore(dir).getBlockSize(), SparseFiles.blockSize(dir));
        assertTrue(Integer.bitCount(block) == 1 && block >= 512, "power of two: " + block);
    }

    @Test
    void regionsOfASparseFile() throws IOException {
        writeAt(0, lettered(1, block));
        writeAt(10L * block, lettered(2, block));
        List<Region> expected = List.of(data(0, block), hole(block, 9L * block), data(10L * block, 2L * block));
        assertEquals(expected, regions(file));
        assertEquals(3L * block, SparseFiles.allocatedBytes(file));

        try (Stream<Region> part = SparseFiles.regions(file, block / 2, 10L * block)) {
            assertEquals(List.of(data(block / 2, block / 2), hole(block, 9L * block), data(10L * block, block / 2)),
                    part.toList());
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            assertEquals(expected, SparseFiles.regions(ch, 0, Long.MAX_VALUE).toList());
            assertEquals(3L * block, SparseFiles.allocatedBytes(ch));
            assertEquals(block, SparseFiles.blockSize(ch));
        }
    }

    @Test
    void fileEndingInAHole() throws IOException {
        writeAt(0, lettered(1, block));
        try (var raf = new java.io.RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(5L * block);
        }
        assertEquals(List.of(data(0, block), hole(block, 4L * block)), regions(file));
    }

    @Test
    void emptyFileHasNoRegions() throws IOException {
        Files.write(file, new byte[0]);
        assertEquals(List.of(), regions(file));
        assertEquals(0, SparseFiles.allocatedBytes(file));
    }

    @Test
    void closingTheChannelEndsTheWalk() throws IOException {
        writeAt(0, lettered(1, block));
        writeAt(4L * block, lettered(1, block));
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        var regions = SparseFiles.regions(ch, 0, Long.MAX_VALUE).iterator();
        regions.next();
        ch.close();
        var e = assertThrows(java.io.UncheckedIOException.class, regions::next);
        assertTrue(e.getCause() instanceof java.nio.channels.ClosedChannelException);

        Stream<Region> stream = SparseFiles.regions(file);
        var fromPath = stream.iterator();
        fromPath.next();
        stream.close();
        stream.close();
        assertThrows(java.io.UncheckedIOException.class, fromPath::next);
    }

    @Test
    void digHolesPunchesZeroBlocksOnly() throws IOException {
        // data | zeros (2 blocks) | data | zeros | 1 nonzero byte in an otherwise zero block | zeros | partial tail
        byte[] contents = zerosWithData(9 * block + 100, 0, 3);
        contents[5 * block + 17] = 1;
        Files.write(file, contents);
        long before = SparseFiles.allocatedBytes(file);

        long dug = SparseFiles.digHoles(file);

        assertEquals(2L * block + block + 3L * block + 100, dug);
        assertArrayEquals(contents, Files.readAllBytes(file));
        assertEquals(9L * block + 100, Files.size(file));
        assertEquals(List.of(data(0, block), hole(block, 2L * block), data(3L * block, block),
                hole(4L * block, block), data(5L * block, block), hole(6L * block, 3L * block + 100)), regions(file));
        assertEquals(10L * block, before);
        assertEquals(3L * block, SparseFiles.allocatedBytes(file), "blocks 0, 3 and 5 keep their data");
        assertEquals(0, SparseFiles.digHoles(file), "nothing left to dig");
    }

    @Test
    void digHolesLeavesPartialBlocksOfAnUnalignedRange() throws IOException {
        Files.write(file, new byte[4 * block]);
        List<Long> progress = new ArrayList<>();
        List<Region> runs = new ArrayList<>();
        DigListener listener = new DigListener() {
            @Override
            public void zeroRun(long offset, long length) {
                runs.add(data(offset, length));
            }

            @Override
            public void progress(long offset) {
                progress.add(offset);
            }
        };
        // A dry run finds the same and changes nothing.
        assertEquals(new DigResult(1, block), SparseFiles.digHoles(file, block / 2, 2L * block, listener, DigOption.DRY_RUN));
        assertEquals(List.of(data(0, 4L * block)), regions(file));
        DigResult dug = SparseFiles.digHoles(file, block / 2, 2L * block, listener);
        // Only block 1 lies wholly inside [block/2, 2.5 blocks).
        assertEquals(new DigResult(1, block), dug);
        assertEquals(List.of(data(block, block), data(block, block)), runs);
        assertEquals(List.of(data(0, block), hole(block, block), data(2L * block, 2L * block)), regions(file));
        assertEquals(List.of(2L * block, 2L * block), progress);
        assertArrayEquals(new byte[4 * block], Files.readAllBytes(file));
    }

    /** regions(channel) and digHoles(channel): the whole file, no listener, no options; the channel's position kept. */
    @Test
    void oneArgumentChannelFormsCoverTheWholeFileAndKeepThePosition() throws IOException {
        // data | zeros (3 blocks) | data | zeros | partial zero tail
        byte[] contents = zerosWithData(6 * block + 100, 0, 4);
        Files.write(file, contents);
        List<Region> dugMap = List.of(data(0, block), hole(block, 3L * block), data(4L * block, block),
                hole(5L * block, block + 100L));
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ch.position(100);
            try (Stream<Region> before = SparseFiles.regions(ch)) {
                assertEquals(List.of(data(0, 6L * block + 100)), before.toList());
            }
            assertEquals(100, ch.position(), "after regions(channel)");

            assertEquals(3L * block + block + 100, SparseFiles.digHoles(ch));
            assertEquals(100, ch.position(), "after digHoles(channel)");

            try (Stream<Region> after = SparseFiles.regions(ch)) {
                assertEquals(dugMap, after.toList());
            }
            assertEquals(0, SparseFiles.digHoles(ch), "nothing left to dig");
            assertEquals(100, ch.position());
        }
        assertArrayEquals(contents, Files.readAllBytes(file));
        assertEquals(6L * block + 100, Files.size(file));
        assertEquals(dugMap, regions(file));
        assertEquals(2L * block, SparseFiles.allocatedBytes(file), "blocks 0 and 4 keep their data");
    }

    @Test
    void digHolesOnAChannelSkipsExistingHolesAndCrossesChunks() throws IOException {
        int mib = 1 << 20;
        byte[] contents = new byte[3 * mib];
        Arrays.fill(contents, 0, mib / 2, (byte) 7);
        contents[2 * mib + 5] = 9;
        Files.write(file, contents);
        FileSpace.punchHole(file, mib, mib / 2);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            DigResult dug = SparseFiles.digHoles(ch, 0, Long.MAX_VALUE, DigListener.NONE);
            // [0.5, 1) MiB, [1.5, 2) MiB, and the zero blocks of the last MiB before and after byte 5.
            assertEquals(new DigResult(3, mib / 2 + mib / 2 + mib - block), dug);
        }
        assertArrayEquals(contents, Files.readAllBytes(file));
        long last = 2L * mib;   // the block holding byte 2 MiB + 5
        assertEquals(List.of(data(0, mib / 2), hole(mib / 2, last - mib / 2), data(last, block),
                hole(last + block, mib - block)), regions(file));
        // st_blocks also counts an ext4 extent-tree block when the write left the file in more than the
        // four extents its inode holds, and punching does not give that block back.
        long allocated = SparseFiles.allocatedBytes(file);
        assertTrue(allocated == mib / 2 + block || allocated == mib / 2 + 2L * block, "allocated " + allocated);
    }

    @Test
    void aFailedPunchStopsTheDigChangesNothingAndLeavesNoThreadBehind() throws IOException {
        // Zero MiBs between data MiBs: many runs, so the failure arrives while reads are still queued.
        int mib = 1 << 20;
        byte[] contents = new byte[8 * mib];
        for (int m = 0; m < 8; m += 2) {
            Arrays.fill(contents, m * mib, (m + 1) * mib, (byte) 3);
        }
        Files.write(file, contents);
        long allocated = SparseFiles.allocatedBytes(file);
        try (FileChannel readOnly = FileChannel.open(file, StandardOpenOption.READ)) {
            FileSpaceException e = assertThrows(FileSpaceException.class,
                    () -> SparseFiles.digHoles(readOnly, 0, Long.MAX_VALUE, DigListener.NONE));
            assertEquals("EBADF", e.errnoName());
            assertEquals("fallocate", e.operation());
            assertEquals(mib, e.offset(), "the first zero run");
        }
        assertArrayEquals(contents, Files.readAllBytes(file));
        assertEquals(allocated, SparseFiles.allocatedBytes(file));
        assertTrue(Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().startsWith("fallocate4j-")),
                "the digger's helper thread has ended");
    }

    @Test
    void digHolesRefusesCharacterDevicesInsteadOfReadingForever() {
        FileSpaceException e = assertThrows(FileSpaceException.class,
                () -> SparseFiles.digHoles(Path.of("/dev/zero"), 0, Long.MAX_VALUE, DigListener.NONE));
        assertEquals("ENODEV", e.errnoName());
        assertTrue(e.getMessage().contains("only in regular files"), e.getMessage());
    }
}
