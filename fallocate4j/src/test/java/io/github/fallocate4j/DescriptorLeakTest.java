package io.github.fallocate4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import io.github.fallocate4j.fs.OpenDescriptors;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every descriptor a call opens (a Path, or a channel's duplicate) is closed again, whether it succeeds or fails.
 * Each test counts only the descriptors that refer to its own files (and /dev/zero, which one call opens): a
 * leak of the library's refers to the file it worked on, while the JVM and JNA open descriptors of their own
 * ({@link OpenDescriptors} says which).
 */
class DescriptorLeakTest {
    @TempDir
    Path dir;

    @RepeatedTest(3)
    void pathCallsLeaveNoDescriptorOpen() throws IOException {
        Path file = dir.resolve("f");
        Files.write(file, new byte[64 * 1024]);
        Path missing = dir.resolve("missing");
        long devZero = toDevZero();
        assertEquals(List.of(), OpenDescriptors.into(dir));

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

        assertEquals(List.of(), OpenDescriptors.into(dir), () -> "descriptors now open: " + OpenDescriptors.all());
        assertEquals(devZero, toDevZero(), () -> "descriptors now open: " + OpenDescriptors.all());
    }

    /** How many descriptors refer to /dev/zero (the JVM may hold some of its own). */
    private static long toDevZero() {
        return OpenDescriptors.to(Path.of("/dev/zero")).size();
    }

    /** The calls on a channel work on a duplicate of its descriptor: closed again, on success and on failure. */
    @RepeatedTest(3)
    void channelCallsCloseTheirDuplicates() throws IOException {
        Path file = dir.resolve("c");
        Files.write(file, new byte[64 * 1024]);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
             FileChannel readOnly = FileChannel.open(file, StandardOpenOption.READ)) {
            for (int i = 0; i < 50; i++) {
                ch.write(java.nio.ByteBuffer.allocate(64 * 1024), 0); // zeros to dig again
                SparseFiles.digHoles(ch, 0, Long.MAX_VALUE, DigListener.NONE);
                ch.write(java.nio.ByteBuffer.allocate(64 * 1024), 0);
                SparseFiles.digHoles(ch, 0, Long.MAX_VALUE, DigListener.NONE, DigOption.LOCK);
                SparseFiles.extents(ch);
                SparseFiles.residency(ch, 0, 1 << 20);
                try (Stream<Region> regions = SparseFiles.regions(ch, 0, Long.MAX_VALUE)) {
                    regions.findFirst();
                }
                // Failures after the duplicate was made: EBADF punching and locking through a read-only descriptor.
                ch.write(java.nio.ByteBuffer.allocate(64 * 1024), 0);
                assertThrows(FileSpaceException.class, () -> SparseFiles.digHoles(readOnly, 0, Long.MAX_VALUE, DigListener.NONE));
                assertThrows(FileSpaceException.class,
                        () -> SparseFiles.digHoles(readOnly, 0, Long.MAX_VALUE, DigListener.NONE, DigOption.LOCK));
            }
            // Counted by what they refer to, not in all: the JVM and JNA open descriptors of their own now and
            // then (one more than before in a CI run on 30 November), and another test's abandoned stream may be
            // collected meanwhile. A duplicate left open refers to the file, as the two channels do.
            List<String> toFile = OpenDescriptors.to(file);
            assertEquals(2, toFile.size(), () -> "descriptors to the file: " + toFile + "; all open: " + OpenDescriptors.all());
        }
    }

    /** Issue 9 C14: a regions stream dropped unclosed gives its descriptor back once the GC finds it unreachable. */
    @Test
    void anAbandonedRegionsStreamIsClosedAfterGarbageCollection() throws Exception {
        Path file = dir.resolve("r");
        Files.write(file, new byte[64 * 1024]);
        for (int i = 0; i < 20; i++) {
            abandon(SparseFiles.regions(file));
        }
        assertEquals(20, OpenDescriptors.into(dir).size(), "the streams hold their descriptors until collected");
        for (int round = 0; round < 100 && !OpenDescriptors.into(dir).isEmpty(); round++) {
            System.gc();
            Thread.sleep(50);
        }
        assertEquals(List.of(), OpenDescriptors.into(dir), () -> "descriptors now open: " + OpenDescriptors.all());
    }

    /** Walks a little of a stream and drops it without closing it. */
    private static void abandon(Stream<Region> regions) {
        regions.iterator().next();
    }

    @RepeatedTest(3)
    void reservationCallsLeaveNoDescriptorOpen() throws IOException {
        Path file = dir.resolve("log");
        Path missing = dir.resolve("missing");
        FilesystemCapabilities.of(dir); // probed (and cached) before counting
        // Only descriptors on this test's files: the process's own (JIT, GC, class loading) come and go.
        assertEquals(List.of(), OpenDescriptors.into(dir));

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

        assertEquals(List.of(), OpenDescriptors.into(dir), () -> "descriptors now open: " + OpenDescriptors.all());
    }

}
