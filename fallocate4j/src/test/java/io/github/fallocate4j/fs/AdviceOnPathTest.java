package io.github.fallocate4j.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.fallocate4j.Advice;
import io.github.fallocate4j.Fallocate;
import io.github.fallocate4j.FileSpace;
import io.github.fallocate4j.SparseFiles;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 9 C15: advice that holds for one open descriptor (NORMAL, RANDOM, SEQUENTIAL, NOREUSE) did
 * nothing on a Path, whose descriptor the library closes at once; it is refused there, and works on a
 * channel. Page-cache advice (WILLNEED, DONTNEED) still works on a Path. On ext4, where reads go
 * through read-ahead (tmpfs has none).
 */
class AdviceOnPathTest {
    private static final int MIB = 1 << 20;

    @ParameterizedTest
    @EnumSource(value = Advice.class, names = {"NORMAL", "RANDOM", "SEQUENTIAL", "NOREUSE"})
    void perDescriptorAdviceOnAPathIsRefusedBeforeOpeningIt(Advice advice) throws Exception {
        Path missing = Mounts.dir(Fs.EXT4).resolve("missing"); // not a NoSuchFileException: nothing is opened
        var e = assertThrows(IllegalArgumentException.class, () -> FileSpace.advise(missing, 0, 0, advice));
        assertTrue(e.getMessage().startsWith("POSIX_FADV_" + advice + " holds only for the open descriptor it is given"), e.getMessage());
        assertTrue(e.getMessage().endsWith("pass the open FileChannel (or other descriptor) the reads will use"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Fallocate.posixFadvise(missing, 0, 0, advice.value()));
        assertFalse(Files.exists(missing));
    }

    /** The measurement of the issue: one byte read after RANDOM on the channel caches one page; without it, read-ahead caches more. */
    @Test
    void randomOnTheChannelTurnsReadAheadOff() throws Exception {
        Path f = cold(Mounts.dir(Fs.EXT4).resolve("f"));
        assertEquals(1, cachedAfterReadingOneByte(f, Advice.RANDOM));
        f = cold(f);
        long normal = cachedAfterReadingOneByte(f, Advice.NORMAL);
        assertTrue(normal > 1, "read-ahead without RANDOM: " + normal + " pages");
    }

    @Test
    void pageCacheAdviceStillWorksOnAPath() throws Exception {
        Path f = cold(Mounts.dir(Fs.EXT4).resolve("g"));
        FileSpace.advise(f, 0, 0, Advice.WILLNEED);
        // WILLNEED starts the reads; give them a moment rather than racing them.
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (SparseFiles.residency(f, 0, MIB).residentPages() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(SparseFiles.residency(f, 0, MIB).residentPages() > 0, "WILLNEED read the file in");
        // cachestat counts pages from the moment their reads start, and DONTNEED skips pages still being
        // read: wait for the reads by reading.
        Files.readAllBytes(f);
        FileSpace.advise(f, 0, 0, Advice.DONTNEED);
        assertEquals(0, SparseFiles.residency(f, 0, MIB).residentPages(), "DONTNEED dropped it");
    }

    /** A 1 MiB file on disk with none of it in the page cache. */
    private static Path cold(Path f) throws Exception {
        if (!Files.exists(f)) {
            FileState.writeRandom(f, MIB, 5);
            try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
        }
        FileSpace.advise(f, 0, 0, Advice.DONTNEED);
        assertEquals(0, SparseFiles.residency(f, 0, MIB).residentPages(), "cold to begin with");
        return f;
    }

    private static long cachedAfterReadingOneByte(Path f, Advice advice) throws Exception {
        try (FileChannel ch = FileChannel.open(f)) {
            FileSpace.advise(ch, 0, 0, advice);
            assertEquals(1, ch.read(ByteBuffer.allocate(1), 0));
            return SparseFiles.residency(ch, 0, MIB).residentPages();
        }
    }
}
