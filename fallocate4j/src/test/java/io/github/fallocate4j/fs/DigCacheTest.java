package io.github.fallocate4j.fs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.fallocate4j.DigResult;
import io.github.fallocate4j.DigListener;
import io.github.fallocate4j.Fallocate;
import io.github.fallocate4j.SparseFiles;
import io.github.fallocate4j.internal.LibC;
import io.github.fallocate4j.internal.OpenFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A dig leaves the page cache as it found it (issue 15): the data pages of a cached file stay cached,
 * those it had to read in are dropped behind it; and either way the zero runs are holes and the data intact.
 */
class DigCacheTest {
    private static final int MIB = 1 << 20;
    private static final int DATA_MIB = 4;

    @ParameterizedTest
    @EnumSource(names = {"EXT4", "XFS", "BTRFS"})
    void aCachedFileStaysCached(Fs fs) throws IOException {
        Sh.abortUnderEmulation("qemu-user has no cachestat(2): the dig cannot tell what was cached and drops all, as util-linux");
        Path file = alternating(fs);
        byte[] before = Files.readAllBytes(file); // reads every page in
        assertEquals(DATA_MIB * MIB / 4096, dataPagesCached(file), "cached before the dig");
        dig(file);
        assertEquals(DATA_MIB * MIB / 4096, dataPagesCached(file), "data pages cached after the dig");
        assertDug(file, before);
    }

    @ParameterizedTest
    @EnumSource(names = {"EXT4", "XFS", "BTRFS"})
    void whatTheDigReadInIsDroppedBehindIt(Fs fs) throws IOException {
        Path file = alternating(fs);
        byte[] before = Files.readAllBytes(file);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            Fallocate.posixFadvise(ch, 0, 0, Fallocate.POSIX_FADV_DONTNEED);
        }
        assertEquals(0, dataPagesCached(file), "nothing cached before the dig");
        dig(file);
        assertEquals(0, dataPagesCached(file), "data pages cached after the dig");
        assertDug(file, before);
    }

    /**
     * A 1 MiB step partly cached before the dig: the pages that were cached stay cached, those the dig read
     * in are dropped (the whole step was dropped, as util-linux drops it, when a step counted as cached only
     * if every page of it was).
     */
    @ParameterizedTest
    @EnumSource(names = {"EXT4", "XFS", "BTRFS"})
    void aPartlyCachedStepKeepsOnlyWhatWasCached(Fs fs) throws IOException {
        Sh.abortUnderEmulation("qemu-user has no cachestat(2): the dig cannot tell what was cached and drops all, as util-linux");
        Path file = alternating(fs);
        byte[] before = Files.readAllBytes(file);
        int half = MIB / 2;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            Fallocate.posixFadvise(ch, 0, 0, Fallocate.POSIX_FADV_DONTNEED);
            Fallocate.posixFadvise(ch, 0, 0, Fallocate.POSIX_FADV_RANDOM); // no read-ahead past what is read
            for (int m = 0; m < DATA_MIB; m++) {
                ch.read(ByteBuffer.allocate(half), 2L * m * MIB + 3 * 4096); // pages 3 to 130 of the data MiB
            }
        }
        long read = half / 4096;
        assertEquals(DATA_MIB * read, dataPagesCached(file), "cached before the dig");
        dig(file);
        for (int m = 0; m < DATA_MIB; m++) {
            long at = 2L * m * MIB;
            assertEquals(read, SparseFiles.residency(file, at + 3 * 4096, half).residentPages(), "data MiB " + m + ": what was cached");
            assertEquals(read, SparseFiles.residency(file, at, MIB).residentPages(), "data MiB " + m + ": nothing else");
        }
        assertDug(file, before);
    }

    /**
     * The read the dig makes of a chunk none of whose pages is cached: the file's bytes, and nothing left
     * cached. (btrfs answers RWF_DONTCACHE with EOPNOTSUPP on Linux 6.18; the dig then reads with O_DIRECT,
     * which {@link #whatTheDigReadInIsDroppedBehindIt} covers there.)
     */
    @ParameterizedTest
    @EnumSource(names = {"EXT4", "XFS"})
    void anUncachedReadGetsTheBytesAndLeavesNothingCached(Fs fs) throws IOException {
        Sh.abortUnderEmulation("qemu-user's preadv2 is not the kernel's");
        Path file = alternating(fs);
        byte[] bytes = Files.readAllBytes(file);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            Fallocate.posixFadvise(ch, 0, 0, Fallocate.POSIX_FADV_DONTNEED);
            ByteBuffer buffer = LibC.allocatePageAligned(MIB);
            long n = LibC.preadUncached(OpenFiles.of(ch).fd(), buffer, 0);
            assertEquals(MIB, n, "bytes read (negative: -errno)");
            byte[] read = new byte[MIB];
            buffer.get(0, read);
            assertArrayEquals(Arrays.copyOf(bytes, MIB), read);
        }
        assertEquals(0, SparseFiles.residency(file, 0, MIB).residentPages(), "pages cached after the read");
    }

    /** 2 * DATA_MIB MiB: 1 MiB of random bytes and 1 MiB of written zeros in turn, written back. */
    private static Path alternating(Fs fs) throws IOException {
        Path file = Mounts.dir(fs).resolve("alternating");
        Files.deleteIfExists(file);
        byte[] bytes = new byte[2 * DATA_MIB * MIB];
        Random random = new Random(15);
        for (int m = 0; m < DATA_MIB; m++) {
            byte[] data = new byte[MIB];
            random.nextBytes(data);
            System.arraycopy(data, 0, bytes, 2 * m * MIB, MIB);
        }
        Files.write(file, bytes);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        return file;
    }

    private static void dig(Path file) throws IOException {
        DigResult result = SparseFiles.digHoles(file, 0, Long.MAX_VALUE, DigListener.NONE);
        assertEquals(DATA_MIB, result.runs(), "zero runs");
        assertEquals((long) DATA_MIB * MIB, result.bytes(), "zero bytes");
    }

    private static void assertDug(Path file, byte[] before) throws IOException {
        assertArrayEquals(before, Files.readAllBytes(file), "contents");
        assertEquals((long) DATA_MIB * MIB, Files.size(file) - holeBytes(file), "the zero runs are holes");
    }

    private static long holeBytes(Path file) throws IOException {
        try (var regions = SparseFiles.regions(file)) {
            return regions.filter(r -> r.isHole()).mapToLong(r -> r.length()).sum();
        }
    }

    private static long dataPagesCached(Path file) throws IOException {
        long pages = 0;
        for (int m = 0; m < DATA_MIB; m++) {
            pages += SparseFiles.residency(file, 2L * m * MIB, MIB).residentPages();
        }
        return pages;
    }
}
