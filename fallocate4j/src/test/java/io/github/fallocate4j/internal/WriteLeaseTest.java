package io.github.fallocate4j.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.fallocate4j.Errno;
import io.github.fallocate4j.FileSpaceException;
import io.github.fallocate4j.fs.ProcLocks;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dig's write lease on a real file (the temporary directory's filesystem): when the kernel grants it,
 * that a break is seen and the lease given up, and that the signal a break sends does not end the JVM.
 */
class WriteLeaseTest {
    /** fcntl(2) F_GETOWN (asm-generic 9): only this test asks. */
    private static final int F_GETOWN = 9;

    @TempDir
    Path dir;
    /** A 4 KiB file in {@code dir}, and the test's own description of it, read-write. */
    private Path path;
    private OpenFile file;

    @BeforeEach
    void openFile() throws IOException {
        path = Files.write(dir.resolve("f"), new byte[4096]);
        file = OpenFiles.open(path, OpenFiles.Access.WRITE);
    }

    @AfterEach
    void closeFile() throws IOException {
        OpenFiles.close(file);
    }

    /** A lease on {@code description}, taken as a dig takes it. */
    private WriteLease take(OpenFile description) {
        return WriteLease.take(description, Filesystems.of(description.fd()));
    }

    @Test
    @SuppressWarnings("try") // the other description is held open, never referenced
    void heldOnlyWhileNoOtherDescriptionIsOpen() throws IOException {
        try (FileChannel other = FileChannel.open(path)) {
            assertFalse(take(file).held(), "another description open: no lease");
        }
        WriteLease lease = take(file);
        assertTrue(lease.held(), "alone: a lease");
        assertEquals(Linux.F_WRLCK, LibC.fcntl(file.fd(), Linux.F_GETLEASE, 0));
        assertTrue(lease.stillHeld());
        lease.release();
        assertFalse(lease.held());
        assertEquals(Linux.F_UNLCK, LibC.fcntl(file.fd(), Linux.F_GETLEASE, 0), "given up");
        OpenFile duplicate = new OpenFile(LibC.duplicate(file.fd()), null, true);
        try {
            assertFalse(take(duplicate).held(), "never on a description a caller shares");
        } finally {
            LibC.close(duplicate.fd());
        }
    }

    @Test
    void aBreakIsSeenAndTheLeaseGivenUpSoTheOpenerGoesOn() throws Exception {
        WriteLease lease = take(file);
        assertTrue(lease.held());
        Process opener = new ProcessBuilder("sh", "-c", "echo x >> " + path).start();
        // The first look comes only after the break began, as when a dig's first punch is handed over
        // after an opener arrived: what was read under the lease is still covered then.
        waitWhile(() -> !breakBegun());
        assertFalse(lease.stillHeld(), "the break is seen at the first look");
        assertFalse(lease.held(), "the break was seen");
        assertTrue(lease.kept() && lease.breaking(), "kept until what was read under it is punched");
        assertFalse(opener.waitFor(100, TimeUnit.MILLISECONDS), "the opener waits while the lease is kept");
        assertTrue(lease.coversBreaking(), "a punch now is still covered");
        lease.release();
        assertTrue(opener.waitFor(10, TimeUnit.SECONDS), "the opener went on once the lease was given up");
        assertEquals(0, opener.exitValue());
        assertEquals(4096 + 2, Files.size(path), "its write landed");
    }

    /**
     * Root lowering lease-break-time during a dig: the kernel gives the opener the value current when the
     * break began, so what counts as covered while the opener waits is measured with the smaller one, read
     * again when a look first sees the break (with the 45 s of the start, runs read under the lease were
     * punched for a quarter of it, 11 s, after an opener that waited only 1 s had got in).
     */
    @Test
    void aBreakTimeLoweredDuringTheLeaseIsTheOneCounted() throws Exception {
        Path setting = Path.of("/proc/sys/fs/lease-break-time");
        assumeTrue(Files.isWritable(setting), "cannot write " + setting + " (needs root)");
        String before = Files.readString(setting).trim();
        assumeTrue(Long.parseLong(before) >= 2, "lease-break-time is " + before + " s here, the test lowers it to 1 s");
        WriteLease lease = take(file);
        assertTrue(lease.held());
        Process opener;
        try {
            Files.writeString(setting, "1");
            opener = new ProcessBuilder("sh", "-c", "echo x >> " + path).start();
            waitWhile(() -> !breakBegun());
            assertFalse(lease.stillHeld(), "the break is seen");
        } finally {
            Files.writeString(setting, before);
        }
        Thread.sleep(400); // past a quarter of 1 s since the last whole look, within a quarter of 2 s or more
        assertFalse(lease.coversBreaking(), "counted with 1 s, not with the " + before + " s of the start");
        assertTrue(opener.waitFor(10, TimeUnit.SECONDS), "the opener got in after 1 s");
        lease.release();
        assertEquals(4096 + 2, Files.size(path));
    }

    /**
     * The rule after a punch under the lease: covered when it ended within half the break time of the look,
     * or when the lease is still held; else (the dig held up past the break time, the lease gone) EIO
     * naming the range.
     */
    @Test
    void aPunchLongAfterTheLookWithTheLeaseGoneIsReported() throws IOException {
        WriteLease lease = take(file);
        assertTrue(lease.held());
        long longAgo = System.nanoTime() - TimeUnit.SECONDS.toNanos(WriteLease.breakTimeSeconds());
        lease.requireCovered(longAgo, 0, 4096); // still held: covered however long ago the look was
        LibC.fcntl(file.fd(), Linux.F_SETLEASE, Linux.F_UNLCK); // as the kernel takes a lapsed lease away
        lease.requireCovered(System.nanoTime(), 0, 4096); // a punch just after its look: covered
        FileSpaceException e = assertThrows(FileSpaceException.class, () -> lease.requireCovered(longAgo, 4096, 8192));
        assertEquals(Errno.EIO.number(), e.errno());
        assertEquals(4096, e.offset());
        assertEquals(8192, e.length());
        assertTrue(e.getMessage().contains("written into this range"), e.getMessage());
        assertFalse(lease.held());
    }

    /**
     * A lease taken with the signal set to SIGURG and this process as its owner, as in the moment between
     * taking the lease and clearing the owner when the thread taking it is the process's first (the kernel
     * then makes the process the owner; from any other thread, as here, it sets an owner no signal reaches,
     * so the test sets the process): a break sends SIGURG to the JVM, which goes on (SIGIO, the signal
     * without F_SETSIG, would end it).
     */
    @Test
    void theSignalOfABreakDoesNotEndTheJvm() throws Exception {
        assertEquals(0, LibC.fcntl(file.fd(), Linux.F_SETSIG, Linux.SIGURG));
        assertEquals(0, LibC.fcntl(file.fd(), Linux.F_SETLEASE, Linux.F_WRLCK));
        int pid = (int) ProcessHandle.current().pid();
        assertEquals(0, LibC.fcntl(file.fd(), Linux.F_SETOWN, pid));
        assertEquals(pid, LibC.fcntl(file.fd(), F_GETOWN, 0), "the owner is this process");
        Process opener = new ProcessBuilder("cat", path.toString()).start();
        waitWhile(() -> LibC.fcntl(file.fd(), Linux.F_GETLEASE, 0) == Linux.F_WRLCK);
        Thread.sleep(100); // time for a signal to arrive
        assertEquals(0, LibC.fcntl(file.fd(), Linux.F_SETLEASE, Linux.F_UNLCK));
        assertTrue(opener.waitFor(10, TimeUnit.SECONDS));
    }

    /**
     * Whether /proc/locks shows this process's lease on the file being broken ("LEASE  BREAKING"): not any
     * lease of the system's, which another build's test may be breaking meanwhile.
     */
    private boolean breakBegun() {
        try {
            return ProcLocks.breaking(ProcLocks.key(path));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Waits while {@code condition} holds, 10 s at most, looking every millisecond. */
    private static void waitWhile(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
    }
}
