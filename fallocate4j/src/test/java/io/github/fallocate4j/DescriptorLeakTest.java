package io.github.fallocate4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.io.TempDir;

/** Every call that opens a Path closes it again, whether it succeeds or fails. */
class DescriptorLeakTest {
    @TempDir
    Path dir;

    @RepeatedTest(3)
    void pathCallsLeaveNoDescriptorOpen() throws IOException {
        Path file = dir.resolve("f");
        Files.write(file, new byte[64 * 1024]);
        Path missing = dir.resolve("missing");
        long before = TestFiles.openDescriptors();

        for (int i = 0; i < 50; i++) {
            Fallocate.fallocate(file, 0, 128 * 1024);
            FileSpace.punchHole(file, 4096, 4096);
            FileSpace.advise(file, 0, 0, Advice.DONTNEED);
            Fallocate.posixFallocate(file, 0, 4096);
            SparseFiles.allocatedBytes(file);
            SparseFiles.blockSize(file);
            SparseFiles.digHoles(file);
            SparseFiles.extents(file);
            SparseFiles.residency(file, 0, 1 << 20);
            try (Stream<Region> regions = SparseFiles.regions(file)) {
                regions.forEach(r -> { });
            }
            // A stream abandoned half-way is closed by close() too.
            try (Stream<Region> regions = SparseFiles.regions(file)) {
                regions.findFirst();
            }
            // Failures after the open: EINVAL from the kernel, EOPNOTSUPP, ENODEV from dig holes.
            assertThrows(FileSpaceException.class, () -> FileSpace.collapseRange(file, 1, 4096));
            assertThrows(ModeNotSupportedException.class, () -> Fallocate.fallocate(file, 0, 1, 0x100));
            assertThrows(FileSpaceException.class, () -> Fallocate.posixFadvise(file, 0, 0, 99));
            assertThrows(FileSpaceException.class, () -> SparseFiles.digHoles(Path.of("/dev/zero")));
            // Failures at the open.
            assertThrows(IOException.class, () -> FileSpace.punchHole(missing, 0, 1));
            assertThrows(IOException.class, () -> FileSpace.allocate(dir, 0, 1));
            assertThrows(IOException.class, () -> SparseFiles.regions(missing));
        }

        assertEquals(before, TestFiles.openDescriptors(), () -> "descriptors now open: " + list());
    }

    @RepeatedTest(3)
    void reservationCallsLeaveNoDescriptorOpen() throws IOException {
        Path file = dir.resolve("log");
        Path missing = dir.resolve("missing");
        FilesystemCapabilities.of(dir); // probed (and cached) before counting
        long before = TestFiles.openDescriptors();

        for (int i = 0; i < 20; i++) {
            try (ReservingChannel ch = ReservingChannel.open(file, 1 << 20, ReservePolicy.FAIL, StandardOpenOption.CREATE)) {
                ch.write(ByteBuffer.allocate(4096));
                ch.release();
            }
            Reservations.reserve(file, 0, 1 << 20, ReservePolicy.FAIL, ReserveListener.NONE);
            Reservations.release(file);
            Reservations.allocation(file, 0, 2 << 20);
            FilesystemCapabilities.of(dir);
            // Failures before and after the open.
            assertThrows(IOException.class, () -> ReservingChannel.open(missing, 1 << 20, ReservePolicy.FAIL));
            assertThrows(IOException.class, () -> ReservingChannel.open(file, 1 << 20, ReservePolicy.FAIL, StandardOpenOption.CREATE_NEW));
            assertThrows(IOException.class, () -> ReservingChannel.open(dir, 1 << 20, ReservePolicy.FAIL));
            assertThrows(IOException.class, () -> Reservations.release(missing));
            assertThrows(IOException.class, () -> Reservations.allocation(missing, 0, 1));
        }

        assertEquals(before, TestFiles.openDescriptors(), () -> "descriptors now open: " + list());
    }

    private static List<String> list() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.map(fd -> {
                try {
                    return fd.getFileName() + " -> " + Files.readSymbolicLink(fd);
                } catch (IOException e) {
                    return fd.getFileName().toString();
                }
            }).toList();
        } catch (IOException e) {
            return List.of(e.toString());
        }
    }
}
