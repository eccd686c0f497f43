package io.github.fallocate4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.FileDescriptor;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.reflect.InaccessibleObjectException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs in a JVM started without any --add-opens (the failsafe executions "ffm-no-add-opens" and "jna-no-add-opens"): JDK file
 * objects are refused with the exact option to add, while Paths and int descriptors just work.
 */
@Tag("no-add-opens")
class NoAddOpensTest {
    @TempDir
    Path dir;

    @Test
    void jdkObjectsNameTheOptionAndPathsWork() throws IOException {
        Path file = dir.resolve("f");
        Fallocate.fallocate(file, 0, 8192);
        FileSpace.punchHole(file, 0, 4096);
        assertEquals(4096, SparseFiles.allocatedBytes(file));

        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            FileDescriptor fd = raf.getFD();
            InaccessibleObjectException e = assertThrows(InaccessibleObjectException.class,
                    () -> Fallocate.fallocate(fd, 0, 4096));
            assertEquals("fallocate4j needs the JVM option --add-opens java.base/java.io=ALL-UNNAMED to read the "
                    + "file descriptor inside a FileDescriptor; add it to the java command line, or pass a Path "
                    + "or an int fd instead", e.getMessage());
            // Asked again, the same answer (not a NoClassDefFoundError from a failed initialiser).
            assertThrows(InaccessibleObjectException.class, () -> Fallocate.posixFadvise(raf, 0, 0, 0));
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            // The descriptor number as a program without private access finds it: through /proc.
            int fd = descriptorOf(file);
            Fallocate.fallocate(fd, 8192, 4096);
            Fallocate.posixFadvise(fd, 0, 0, Fallocate.POSIX_FADV_DONTNEED);
            InaccessibleObjectException e = assertThrows(InaccessibleObjectException.class,
                    () -> FileSpace.allocate(ch, 0, 4096));
            assertEquals(true, e.getMessage().contains("--add-opens java.base/sun.nio.ch=ALL-UNNAMED"), e.getMessage());
        }
        assertEquals(12288, Files.size(file));
    }

    private static int descriptorOf(Path file) throws IOException {
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    if (Files.readSymbolicLink(fd).equals(file)) {
                        return Integer.parseInt(fd.getFileName().toString());
                    }
                } catch (IOException gone) {
                    // the directory stream's own descriptor
                }
            }
        }
        throw new AssertionError("no descriptor open on " + file);
    }
}
