package io.github.fallocate4j.fs;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.fallocate4j.Fallocate;
import io.github.fallocate4j.internal.Filesystems;
import io.github.fallocate4j.internal.OpenFile;
import io.github.fallocate4j.internal.OpenFiles;
import io.github.fallocate4j.internal.WriteWatch;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The proof a dig punches on without reading a run again (issue 15): every kind of write since
 * {@link WriteWatch#start()} is seen, on the filesystems where the watch is used, and the watch is not used
 * where change times are coarse (ext2, ext3) or dirty pages are not tracked (tmpfs).
 */
class WriteWatchTest {
    private static final int MIB = 1 << 20;
    private static final int PAGE = 4096;

    @ParameterizedTest
    @EnumSource(names = {"EXT4", "XFS", "BTRFS"})
    void aWriteOfEveryKindSinceTheStartIsSeen(Fs fs) throws IOException {
        Sh.abortUnderEmulation("qemu-user has no cachestat(2), which the watch needs");
        Path file = zeros(fs);
        try (FileChannel dig = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
             FileChannel writer = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            OpenFile open = OpenFiles.of(dig);
            WriteWatch watch = WriteWatch.of(open, Filesystems.of(open.fd()));
            assertTrue(watch.start(0, MIB), "usable on " + fs);
            assertTrue(watch.unwrittenSinceStart(0, MIB), "nothing written yet");

            // pwrite(2), then written back: the page is clean again, the change time has moved.
            writer.write(ByteBuffer.wrap(new byte[] {7}), 100 * 1024);
            writer.force(false);
            assertFalse(watch.unwrittenSinceStart(0, MIB), "a pwrite since the start, written back");

            // A write through a mapping to a clean page: the write fault moves the change time.
            MappedByteBuffer map = writer.map(FileChannel.MapMode.READ_WRITE, 0, MIB);
            map.force();
            assertTrue(watch.start(0, MIB));
            map.put(200 * 1024, (byte) 9);
            assertFalse(watch.unwrittenSinceStart(0, MIB), "a write through a mapping to a clean page");

            // Through a mapping to a page already dirty and writable: no fault, no time; and once written back,
            // not dirty either (the review's finding). So a read whose pages are not all clean is not watched.
            map.put(300 * 1024, (byte) 0);
            assertFalse(watch.start(0, MIB), "a dirty page in the range read");
            map.put(300 * 1024 + 1, (byte) 2);
            map.force();
            assertFalse(watch.unwrittenSinceStart(0, MIB), "a store to a dirty page, then written back");
            assertTrue(watch.start(0, MIB), "all clean again");
            assertTrue(watch.unwrittenSinceStart(0, MIB), "written back, and nothing since");

            // The dig's own punch moves the time too: after it, nothing is proven until the next start.
            Fallocate.fallocate(dig, 512 * 1024, 64 * 1024,
                    Fallocate.FALLOC_FL_PUNCH_HOLE | Fallocate.FALLOC_FL_KEEP_SIZE);
            watch.punched();
            assertFalse(watch.unwrittenSinceStart(0, MIB), "after the punch");
            assertTrue(watch.start(0, MIB), "still usable after a punch that moved the time");
        }
    }

    @ParameterizedTest
    @EnumSource(names = {"TMPFS", "EXT2", "EXT3", "EXT4_SECONDS"})
    void notUsedWhereAWriteCouldGoUnseen(Fs fs) throws IOException {
        Path file = zeros(fs);
        try (FileChannel dig = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            OpenFile open = OpenFiles.of(dig);
            WriteWatch watch = WriteWatch.of(open, Filesystems.of(open.fd()));
            assertFalse(watch.start(0, MIB), fs + ": coarse change times or no dirty-page tracking");
            assertFalse(watch.unwrittenSinceStart(0, MIB));
        }
    }

    private static Path zeros(Fs fs) throws IOException {
        Path file = Mounts.dir(fs).resolve("watched");
        Files.deleteIfExists(file);
        Files.write(file, new byte[MIB]);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        return file;
    }
}
