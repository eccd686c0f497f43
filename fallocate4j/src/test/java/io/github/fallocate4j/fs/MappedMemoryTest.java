package io.github.fallocate4j.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.fallocate4j.Advice;
import io.github.fallocate4j.FileSpace;
import io.github.fallocate4j.FileSpaceException;
import io.github.fallocate4j.MappedMemory;
import io.github.fallocate4j.MemoryAdvice;
import io.github.fallocate4j.Residency;
import io.github.fallocate4j.SparseFiles;
import io.github.fallocate4j.internal.LibC;
import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 12: madvise(2) on mapped files, each advice checked by its effect on the page cache (cachestat
 * counts, through {@link SparseFiles#residency}) or on the mapping's bytes, and its errors.
 */
class MappedMemoryTest {
    private static final String QEMU = "qemu-user runs madvise itself (most advice succeeds without reaching the kernel) and has no cachestat(2) (ENOSYS)";

    private static final int PAGES = 64;
    private static final long PAGE = LibC.pageSize();
    private static final long SIZE = PAGES * PAGE;
    @RegisterExtension
    final ScratchDirs dirs = new ScratchDirs();

    @ParameterizedTest
    @EnumSource(names = {"EXT4", "XFS", "BTRFS"})
    void willNeedPopulatesAndPageOutEmpties(Fs fs) throws Exception {
        Sh.abortUnderEmulation(QEMU);
        Path f = cold(dirs.on(fs).resolve("f"));
        try (FileChannel ch = FileChannel.open(f)) {
            MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_ONLY, 0, SIZE);
            MappedMemory.advise(map, MemoryAdvice.WILLNEED);
            // WILLNEED starts the reads and returns: wait for them (the deadline only keeps a broken
            // kernel from hanging the build).
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (cached(f) < PAGES && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(PAGES, cached(f), "WILLNEED read the mapping in");

            // PAGEOUT walks this process's page tables: WILLNEED cached the pages without mapping them.
            MappedMemory.advise(map, MemoryAdvice.PAGEOUT);
            assertEquals(PAGES, cached(f), "PAGEOUT leaves pages the process has not mapped");

            MappedMemory.advise(map, MemoryAdvice.POPULATE_READ); // synchronous: maps every page
            assertEquals(PAGES, cached(f), "POPULATE_READ faulted every page in");
            MappedMemory.advise(map, MemoryAdvice.PAGEOUT);
            Residency out = SparseFiles.residency(f, 0, SIZE);
            assertEquals(0, out.residentPages(), "PAGEOUT reclaimed the clean mapped pages: " + out);
            assertEquals(PAGES, out.evictedPages(), "reclaim leaves shadow entries: " + out);

            MappedMemory.advise(map, MemoryAdvice.POPULATE_READ);
            assertEquals(PAGES, cached(f), "POPULATE_READ read them in again");

            MappedMemory.advise(map, 0, SIZE / 2, MemoryAdvice.PAGEOUT);
            assertEquals(PAGES / 2, cached(f), "PAGEOUT of the first half");

            // COLD only moves pages to the inactive list: they stay cached until memory runs short.
            MappedMemory.advise(map, MemoryAdvice.COLD);
            assertEquals(PAGES / 2, cached(f), "COLD evicts nothing by itself");
        }
    }

    /** Read-around: a fault reads the pages around it, unless RANDOM turns that off. */
    @Test
    void randomTurnsFaultReadAroundOff() throws Exception {
        Sh.abortUnderEmulation(QEMU);
        Path f = cold(dirs.on(Fs.EXT4).resolve("f"));
        try (FileChannel ch = FileChannel.open(f)) {
            MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_ONLY, 0, SIZE);
            MappedMemory.advise(map, MemoryAdvice.RANDOM);
            map.get((int) (10 * PAGE));
            assertEquals(1, cached(f), "RANDOM: the faulting page alone");
            MappedMemory.advise(map, MemoryAdvice.NORMAL);
            map.get((int) (40 * PAGE));
            assertTrue(cached(f) > 2, "NORMAL: read-around, " + cached(f) + " pages");
            MappedMemory.advise(map, MemoryAdvice.SEQUENTIAL); // accepted; its read-ahead has no fixed size to check
        }
    }

    @ParameterizedTest
    @EnumSource(names = {"EXT4", "XFS", "BTRFS", "TMPFS"})
    void populateWriteDirtiesASharedMapping(Fs fs) throws Exception {
        Sh.abortUnderEmulation(QEMU);
        Path f = cold(dirs.on(fs).resolve("f"));
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_WRITE, 0, SIZE);
            MappedMemory.advise(map, PAGE, 2 * PAGE, MemoryAdvice.POPULATE_WRITE);
            Residency r = SparseFiles.residency(f, 0, SIZE);
            assertTrue(r.residentPages() >= 2, r::toString); // and the fault's read-around
            if (fs != Fs.TMPFS) { // tmpfs keeps no dirty tag in its page cache
                assertEquals(2, r.dirtyPages() + r.writebackPages(), "a write fault dirties the page: " + r);
            }
            map.force();
            assertEquals(0, SparseFiles.residency(f, 0, SIZE).dirtyPages());
        }
    }

    /** DONTNEED drops a private mapping's copies: every page the range touches reads the file again. */
    @ParameterizedTest
    @EnumSource(names = {"EXT4", "XFS", "BTRFS", "TMPFS"})
    void dontNeedDiscardsAPrivateMappingsChanges(Fs fs) throws Exception {
        Path f = cold(dirs.on(fs).resolve("f"));
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            MappedByteBuffer map = ch.map(FileChannel.MapMode.PRIVATE, 0, SIZE);
            MappedByteBuffer file = ch.map(FileChannel.MapMode.READ_ONLY, 0, SIZE);
            int[] at = {(int) PAGE, (int) PAGE + 100, (int) (3 * PAGE)};
            for (int i : at) {
                map.put(i, (byte) ~file.get(i));
            }
            // The range is inside page 1, unaligned: the whole page goes back to the file's bytes.
            MappedMemory.advise(map, PAGE + 5, 10, MemoryAdvice.DONTNEED);
            assertEquals(file.get(at[0]), map.get(at[0]), "page 1, before the range");
            assertEquals(file.get(at[1]), map.get(at[1]), "page 1, after the range");
            assertEquals((byte) ~file.get(at[2]), map.get(at[2]), "page 3 keeps its change");
            MappedMemory.advise(map, MemoryAdvice.DONTNEED);
            assertEquals(file.get(at[2]), map.get(at[2]), "all of it");
        }
    }

    @Test
    void errors() throws Exception {
        Sh.abortUnderEmulation(QEMU);
        Path f = cold(dirs.on(Fs.EXT4).resolve("f"));
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_ONLY, 0, SIZE);
            assertThrows(IndexOutOfBoundsException.class, () -> MappedMemory.advise(map, SIZE - 1, 2, MemoryAdvice.WILLNEED));
            assertThrows(IndexOutOfBoundsException.class, () -> MappedMemory.advise(map, -1, 1, MemoryAdvice.WILLNEED));
            assertThrows(IndexOutOfBoundsException.class, () -> MappedMemory.advise(map, 0, -1, MemoryAdvice.WILLNEED));
            assertThrows(NullPointerException.class, () -> MappedMemory.advise(map, null));
            MappedMemory.advise(map, SIZE, 0, MemoryAdvice.DONTNEED); // empty: nothing to do

            FileSpaceException readOnly = assertThrows(FileSpaceException.class,
                    () -> MappedMemory.advise(map, MemoryAdvice.POPULATE_WRITE));
            assertEquals("EINVAL", readOnly.errnoName());
            assertEquals("madvise(advice=POPULATE_WRITE, offset=0, len=" + SIZE + ") failed: EINVAL (Invalid argument): "
                    + "a read-only mapping cannot be populated writable", readOnly.getMessage());

            ch.truncate(SIZE / 2); // the mapping's second half now lies past the end of the file
            FileSpaceException pastEnd = assertThrows(FileSpaceException.class,
                    () -> MappedMemory.advise(map, MemoryAdvice.POPULATE_READ));
            assertEquals("EFAULT", pastEnd.errnoName());
            assertTrue(pastEnd.getMessage().endsWith("part of the range lies past the end of the file, where a page "
                    + "fault raises SIGBUS"), pastEnd.getMessage());
            MappedMemory.advise(map, 0, SIZE / 2, MemoryAdvice.POPULATE_READ); // the part inside the file
        }
    }

    private static long cached(Path f) throws IOException {
        return SparseFiles.residency(f, 0, SIZE).residentPages();
    }

    /** A file of {@link #PAGES} pages on disk, none of them in the page cache. */
    private static Path cold(Path f) throws IOException {
        FileState.writeRandom(f, (int) SIZE, 7);
        FileSpace.advise(f, 0, 0, Advice.DONTNEED);
        return f;
    }
}
