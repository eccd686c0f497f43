package io.github.fallocate4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.fallocate4j.internal.LibC;
import io.github.fallocate4j.internal.Linux;
import io.github.fallocate4j.internal.OpenFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Path is opened by the bytes the JDK would use for it: its name in the JVM's file-name charset. A
 * name read from a directory that this charset cannot decode (the byte 0xFF) has no such string;
 * encoding its {@code toString()} named another file, and allocating created that file.
 */
class FileNameBytesTest {
    @TempDir
    Path dir;

    private List<Path> listing() throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.toList();
        }
    }

    @Test
    void aNameTheCharsetCannotDecodeIsRefusedNotRenamed() throws Exception {
        byte[] name = (dir + "/\u0000").getBytes(StandardCharsets.UTF_8);
        name[name.length - 1] = (byte) 0xFF;
        int fd = LibC.open(name, Linux.O_RDWR | Linux.O_CREAT | Linux.O_CLOEXEC);
        assertTrue(fd >= 0);
        LibC.close(fd);
        Path listed = listing().get(0);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Fallocate.fallocate(listed, 0, 4096));
        assertTrue(e.getMessage().contains("open it with FileChannel.open and pass the channel"), e.getMessage());
        assertEquals(List.of(listed), listing(), "no file of another name created");
        assertEquals(0, Files.size(listed), "the JDK, which has the bytes, still finds it untouched");
    }

    @Test
    void aNameInTheCharsetIsOpenedByItsBytesInThatCharset() throws Exception {
        if (!OpenFile.fileNameCharset().newEncoder().canEncode("é")) {
            // LC_ALL=C: the JDK itself refuses such a Path, before fallocate4j sees it.
            assertThrows(InvalidPathException.class, () -> dir.resolve("é.img"));
            return;
        }
        Path f = dir.resolve("é.img");
        Fallocate.fallocate(f, 0, 4096);
        assertEquals(List.of(f), listing());
        assertEquals(4096, Files.size(f));
    }
}
