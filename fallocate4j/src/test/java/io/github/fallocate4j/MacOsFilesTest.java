package io.github.fallocate4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The macOS backend on a real macOS filesystem (the temporary directory's, APFS on GitHub's runners),
 * through the public API, checked on the file itself: size, allocated bytes, hole map, bytes. Tagged
 * {@code macos}: the Linux suite leaves it out (-Dfallocate4j.macosTests=none includes it), and the
 * workflow's macOS jobs run it. It has not been run on a Mac by the people who wrote it: its first run
 * there is its proof.
 */
@Tag("macos")
class MacOsFilesTest {
    private static final int MIB = 1 << 20;

    @TempDir
    Path dir;
    Path file;

    @BeforeEach
    void isMacOs() {
        assertEquals("Mac OS X", System.getProperty("os.name"), "this test is for macOS");
        file = dir.resolve("f");
    }

    private FileChannel open() throws IOException {
        return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    private static byte[] pattern(int length) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte) 0x5a);
        return bytes;
    }

    @Test
    void allocationGrowsTheFileAndReservesItsSpace() throws IOException {
        try (FileChannel channel = open()) {
            Fallocate.fallocate(channel, 0, 8 * MIB);
            assertEquals(8 * MIB, channel.size());
            assertTrue(SparseFiles.allocatedBytes(channel) >= 8 * MIB, () -> "allocated " + allocated(channel));
            // Not asserted: how SEEK_HOLE reports allocated, never written space (ext4 and xfs call it a hole).
        }
    }

    @Test
    void allocationNeverShrinksALargerFile() throws IOException {
        Files.write(file, pattern(4 * MIB));
        try (FileChannel channel = open()) {
            Fallocate.fallocate(channel, 0, MIB);
            Fallocate.posixFallocate(channel, MIB, MIB);
            assertEquals(4 * MIB, channel.size(), "ftruncate(offset+len) would have cut it to 1 or 2 MiB");
        }
        assertArrayEquals(pattern(4 * MIB), Files.readAllBytes(file));
    }

    @Test
    void allocationAtAnOffsetPastTheEndWorks() throws IOException {
        Files.write(file, pattern(MIB));
        try (FileChannel channel = open()) {
            Fallocate.fallocate(channel, 2 * MIB, MIB); // F_PREALLOCATE with this offset: EINVAL
            assertEquals(3 * MIB, channel.size());
        }
    }

    @Test
    void keepSizeReservesSpaceWithoutChangingTheSize() throws IOException {
        Files.write(file, pattern(MIB));
        try (FileChannel channel = open()) {
            long before = SparseFiles.allocatedBytes(channel);
            Fallocate.fallocate(channel, 0, 5 * MIB, Fallocate.FALLOC_FL_KEEP_SIZE);
            assertEquals(MIB, channel.size());
            assertTrue(SparseFiles.allocatedBytes(channel) >= before + 4 * MIB, () -> "allocated " + allocated(channel));
        }
    }

    @Test
    void holesInsideTheRangeAreFilled() throws IOException {
        try (FileChannel channel = open()) {
            channel.write(ByteBuffer.wrap(pattern(4096)), 8 * MIB - 4096); // 8 MiB, a hole before the last block
            assertTrue(regions(channel).stream().anyMatch(Region::isHole), () -> "no hole to start with: " + regions(channel));
            Fallocate.fallocate(channel, 0, 8 * MIB);
            assertEquals(List.of(new Region(Region.Kind.DATA, 0, 8 * MIB)), regions(channel));
            assertTrue(SparseFiles.allocatedBytes(channel) >= 8 * MIB);
        }
    }

    @Test
    void punchHoleKeepsTheSizeAndZeroesTheRange() throws IOException {
        Files.write(file, pattern(MIB));
        long block = SparseFiles.blockSize(file);
        try (FileChannel channel = open()) {
            long before = SparseFiles.allocatedBytes(channel);
            Fallocate.fallocate(channel, 100, 4 * block, Fallocate.FALLOC_FL_PUNCH_HOLE | Fallocate.FALLOC_FL_KEEP_SIZE);
            assertEquals(MIB, channel.size());
            assertTrue(SparseFiles.allocatedBytes(channel) <= before - 3 * block, () -> "allocated " + allocated(channel));
        }
        byte[] expected = pattern(MIB);
        Arrays.fill(expected, 100, (int) (100 + 4 * block), (byte) 0);
        assertArrayEquals(expected, Files.readAllBytes(file));
    }

    @Test
    void modesMacOsLacksAreRefusedSayingSo() throws IOException {
        Files.write(file, pattern(MIB));
        try (FileChannel channel = open()) {
            for (int mode : new int[] {Fallocate.FALLOC_FL_COLLAPSE_RANGE, Fallocate.FALLOC_FL_INSERT_RANGE,
                    Fallocate.FALLOC_FL_ZERO_RANGE, Fallocate.FALLOC_FL_UNSHARE_RANGE}) {
                ModeNotSupportedException e = assertThrows(ModeNotSupportedException.class,
                        () -> Fallocate.fallocate(channel, 0, 65536, mode));
                assertTrue(e.getMessage().contains("macOS has no such operation"), e::getMessage);
            }
        }
        assertArrayEquals(pattern(MIB), Files.readAllBytes(file));
    }

    @Test
    void adviceWithoutAMacOsCounterpartIsRefused() throws IOException {
        Files.write(file, pattern(MIB));
        try (FileChannel channel = open()) {
            Fallocate.posixFadvise(channel, 0, 0, Fallocate.POSIX_FADV_WILLNEED);
            Fallocate.posixFadvise(channel, 0, 0, Fallocate.POSIX_FADV_RANDOM);
            Fallocate.posixFadvise(channel, 0, 0, Fallocate.POSIX_FADV_SEQUENTIAL);
            ModeNotSupportedException e = assertThrows(ModeNotSupportedException.class,
                    () -> Fallocate.posixFadvise(channel, 0, 0, Fallocate.POSIX_FADV_DONTNEED));
            assertTrue(e.getMessage().contains("macOS has no such operation"), e::getMessage);
        }
    }

    @Test
    void regionsResidencyAndDigHoles() throws IOException {
        Files.write(file, new byte[0]);
        long block = SparseFiles.blockSize(file);
        try (FileChannel channel = open()) {
            channel.write(ByteBuffer.wrap(pattern((int) block)), 0);
            channel.write(ByteBuffer.wrap(new byte[(int) (4 * block)]), block); // zeros, written: data
            channel.write(ByteBuffer.wrap(pattern((int) block)), 5 * block);
            assertEquals(6 * block, regions(channel).stream().mapToLong(Region::length).sum());
            assertTrue(SparseFiles.residency(channel, 0, 6 * block).pages() > 0);
        }
        long dug = SparseFiles.digHoles(file);
        assertTrue(dug >= 4 * block - block, () -> "dug " + dug);
        try (FileChannel channel = open()) {
            assertTrue(regions(channel).stream().anyMatch(Region::isHole), () -> regions(channel).toString());
        }
        FileSpaceException e = assertThrows(FileSpaceException.class, () -> SparseFiles.extents(file));
        assertTrue(e.getMessage().contains("macOS has no such operation"), e::getMessage);
    }

    /**
     * A file of holes has nothing cached until something reads it; WILLNEED on a mapping of it reads it
     * in. 256 KiB: under the 1 MiB that one WILLNEED reads before macOS 15.4, whole pages on both page
     * sizes (4 KiB on x86_64, 16 KiB on arm64).
     */
    @Test
    void madviseWillNeedReadsAMappedFileIn() throws Exception {
        int size = 256 << 10;
        try (RandomAccessFile holes = new RandomAccessFile(file.toFile(), "rw")) {
            holes.setLength(size);
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            Residency before = SparseFiles.residency(channel, 0, size);
            assertEquals(0, before.residentPages(), () -> "a file of holes, never read: " + before);
            MappedByteBuffer map = channel.map(FileChannel.MapMode.READ_ONLY, 0, size);
            MappedMemory.advise(map, MemoryAdvice.WILLNEED);
            // Before macOS 15.4 WILLNEED starts the read and returns: wait for it (the deadline only keeps
            // a broken kernel from hanging the build).
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (SparseFiles.residency(channel, 0, size).residentPages() < before.pages() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            Residency after = SparseFiles.residency(channel, 0, size);
            assertEquals(before.pages(), after.residentPages(), () -> "WILLNEED read the mapping in: " + after);
        }
    }

    /** macOS's DONTNEED (and COLD, which is passed as it) deactivates pages: a private mapping keeps its changes. */
    @Test
    void madviseDontNeedAndColdKeepAPrivateMappingsChanges() throws IOException {
        Files.write(file, pattern(MIB));
        try (FileChannel channel = open()) {
            MappedByteBuffer map = channel.map(FileChannel.MapMode.PRIVATE, 0, MIB);
            map.put(0, (byte) 1);
            map.put(MIB - 1, (byte) 2);
            long cached = SparseFiles.residency(channel, 0, MIB).residentPages();
            MappedMemory.advise(map, MemoryAdvice.DONTNEED);
            MappedMemory.advise(map, MemoryAdvice.COLD);
            assertEquals(1, map.get(0), "on Linux DONTNEED would have read the file's 0x5a again");
            assertEquals(2, map.get(MIB - 1));
            assertEquals(0x5a, map.get(MIB / 2));
            assertEquals(cached, SparseFiles.residency(channel, 0, MIB).residentPages(), "deactivated, not evicted");
        }
        assertArrayEquals(pattern(MIB), Files.readAllBytes(file), "a private mapping's changes never reach the file");
    }

    @Test
    void madviseMacOsLacksIsRefusedSayingSo() throws IOException {
        Files.write(file, pattern(MIB));
        try (FileChannel channel = open()) {
            MappedByteBuffer map = channel.map(FileChannel.MapMode.READ_WRITE, 0, MIB);
            for (MemoryAdvice advice : EnumSet.of(MemoryAdvice.PAGEOUT, MemoryAdvice.POPULATE_READ, MemoryAdvice.POPULATE_WRITE)) {
                ModeNotSupportedException e = assertThrows(ModeNotSupportedException.class,
                        () -> MappedMemory.advise(map, 0, MIB, advice), advice::name);
                assertTrue(e.getMessage().contains("macOS has no such operation"), e::getMessage);
                assertEquals(Errno.EOPNOTSUPP.number(), e.errno());
                assertEquals(advice.value(), e.mode());
            }
            for (MemoryAdvice advice : EnumSet.of(MemoryAdvice.RANDOM, MemoryAdvice.SEQUENTIAL, MemoryAdvice.NORMAL)) {
                MappedMemory.advise(map, 100, 5000, advice); // unaligned: rounded out to whole pages
            }
        }
        assertArrayEquals(pattern(MIB), Files.readAllBytes(file));
    }

    private static List<Region> regions(FileChannel channel) {
        try (Stream<Region> regions = SparseFiles.regions(channel, 0, Long.MAX_VALUE)) {
            return regions.collect(Collectors.toList());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static long allocated(FileChannel channel) {
        try {
            return SparseFiles.allocatedBytes(channel);
        } catch (IOException e) {
            return -1;
        }
    }
}
