package io.github.fallocate4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.FileDescriptor;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.reflect.InaccessibleObjectException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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
            // A channel needs both packages opened: one error names both, as they are typed.
            InaccessibleObjectException e = assertThrows(InaccessibleObjectException.class,
                    () -> FileSpace.allocate(ch, 0, 4096));
            assertEquals(BOTH_MISSING, e.getMessage());
            assertEquals(BOTH_MISSING, assertThrows(InaccessibleObjectException.class,
                    () -> SparseFiles.digHoles(ch, 0, Long.MAX_VALUE, DigListener.NONE)).getMessage());
        }
        assertEquals(12288, Files.size(file));
    }

    /**
     * Every call that takes a Path needs no --add-opens, whichever class it is on: FilesystemCapabilities
     * probed per-descriptor advice through a FileChannel of its own, and so needed both options.
     */
    @Test
    void pathCallsOfEveryClassWork() throws IOException {
        FilesystemCapabilities capabilities = FilesystemCapabilities.of(dir);
        assertEquals(FilesystemCapabilities.YES, capabilities.answer(FilesystemCapabilities.Operation.ADVISE_RANDOM));
        assertEquals(FilesystemCapabilities.YES, capabilities.answer(FilesystemCapabilities.Operation.PUNCH_HOLE));
        Path file = dir.resolve("r");
        assertEquals(ReserveOutcome.RESERVED, Reservations.reserve(file, 0, 8192, ReservePolicy.FAIL, ReserveListener.NONE));
        FileSpace.allocate(file, 8192, 8192, AllocateOption.KEEP_SIZE);
        assertEquals(8192, Reservations.release(file));
        assertEquals(8192, Files.size(file));
        assertEquals(1, Reservations.allocation(file, 0, 8192).parts().size());
        try (var files = Files.list(dir)) {
            assertEquals(0, files.filter(f -> f.getFileName().toString().startsWith(".fallocate4j-probe")).count(),
                    "the probe file is gone");
        }
    }

    private static final String BOTH_MISSING = "fallocate4j needs the JVM options --add-opens java.base/sun.nio.ch=ALL-UNNAMED "
            + "--add-opens java.base/java.io=ALL-UNNAMED to read the file descriptor inside a FileChannelImpl; add them "
            + "to the java command line, or pass a Path or an int fd instead";

    /** With one of the two opened (as a user adds one of them), the other alone is named. */
    @ParameterizedTest
    @CsvSource({"sun.nio.ch, java.io, FileDescriptor", "java.io, sun.nio.ch, FileChannelImpl"})
    void aChannelWithOnePackageOpenedNamesTheOther(String opened, String missing, String holder) throws Exception {
        Path file = dir.resolve("f");
        Files.write(file, new byte[8192]);
        long allocated = SparseFiles.allocatedBytes(file);
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "--enable-native-access=ALL-UNNAMED", "--add-opens", "java.base/" + opened + "=ALL-UNNAMED"));
        if (System.getProperty("fallocate4j.backend") != null) {
            command.add("-Dfallocate4j.backend=" + System.getProperty("fallocate4j.backend"));
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), NoAddOpensTest.class.getName(), file.toString()));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, child.waitFor(), out);
        assertEquals("fallocate4j needs the JVM option --add-opens java.base/" + missing + "=ALL-UNNAMED to read the "
                + "file descriptor inside a " + holder + "; add it to the java command line, or pass a Path "
                + "or an int fd instead", out);
        assertArrayEquals(new byte[8192], Files.readAllBytes(file));
        assertEquals(allocated, SparseFiles.allocatedBytes(file), "the failed dig punched nothing");
    }

    /** The child JVM of {@link #aChannelWithOnePackageOpenedNamesTheOther}: digs a channel, prints the refusal. */
    public static void main(String[] args) throws IOException {
        try (FileChannel ch = FileChannel.open(Path.of(args[0]), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            SparseFiles.digHoles(ch);
            System.out.print("dug");
        } catch (InaccessibleObjectException e) {
            System.out.print(e.getMessage());
        }
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
