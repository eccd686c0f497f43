package io.github.fallocate4j.fs;

import static io.github.fallocate4j.Fallocate.FALLOC_FL_COLLAPSE_RANGE;
import static io.github.fallocate4j.Fallocate.FALLOC_FL_INSERT_RANGE;
import static io.github.fallocate4j.Fallocate.FALLOC_FL_KEEP_SIZE;
import static io.github.fallocate4j.Fallocate.FALLOC_FL_NO_HIDE_STALE;
import static io.github.fallocate4j.Fallocate.FALLOC_FL_PUNCH_HOLE;
import static io.github.fallocate4j.Fallocate.FALLOC_FL_ZERO_RANGE;
import static io.github.fallocate4j.fs.Failures.expect;
import static io.github.fallocate4j.fs.Failures.fails;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.fallocate4j.Advice;
import io.github.fallocate4j.AllocateOption;
import io.github.fallocate4j.Errno;
import io.github.fallocate4j.Fallocate;
import io.github.fallocate4j.FileSpace;
import io.github.fallocate4j.FileSpaceException;
import io.github.fallocate4j.ModeNotSupportedException;
import io.github.fallocate4j.NoSpaceException;
import io.github.fallocate4j.SparseFiles;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each error fallocate(2), posix_fallocate(3) and posix_fadvise(3) document, triggered for real, and
 * the exception the library turns it into: type, errno and its name, operation, offset, length, mode
 * and file. Every failed call on a regular file must leave it exactly as it was.
 */
class ErrnoMatrixTest {
    private static final long NONE = FileSpaceException.NONE;
    private static final String FALLOCATE = "fallocate";

    private static Path file(Fs fs, int blocks) throws IOException {
        Path f = Mounts.dir(fs).resolve("f");
        FileState.writeRandom(f, (int) (blocks * SparseFiles.blockSize(f.getParent())), 7);
        return f;
    }

    @Test
    void readOnlyDescriptorIsEbadf() throws Exception {
        Path f = file(Fs.TMP, 4);
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ);
             FileInputStream in = new FileInputStream(f.toFile())) {
            var ebadf = expect(FileSpaceException.class, Errno.EBADF, FALLOCATE, 0, 4096, 0);
            fails(ebadf, f, f.toString(), () -> Fallocate.fallocate(ch, 0, 4096));
            fails(ebadf, f, f.toString(), () -> Fallocate.fallocate(in, 0, 4096));
            fails(expect(FileSpaceException.class, Errno.EBADF, FALLOCATE, 0, 4096, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE),
                    f, f.toString(), () -> FileSpace.punchHole(ch, 0, 4096));
            fails(expect(FileSpaceException.class, Errno.EBADF, "posix_fallocate", 10, 4096, NONE),
                    f, f.toString(), () -> Fallocate.posixFallocate(ch, 10, 4096));
        }
    }

    /** EINVAL from the filesystems that implement collapse and insert (elsewhere they are EOPNOTSUPP), in units of blockSize. */
    @ParameterizedTest
    @EnumSource(names = {"TMP", "EXT4", "XFS", "EXT4_BIGALLOC", "XFS_EXTSIZE"})
    void misplacedCollapseAndInsertAreEinval(Fs fs) throws Exception {
        Path f = file(fs, 8);
        long b = SparseFiles.blockSize(f);
        long size = 8 * b;
        probeSupported(f, FALLOC_FL_INSERT_RANGE, b);
        String name = f.toString();
        long collapse = FALLOC_FL_COLLAPSE_RANGE;
        long insert = FALLOC_FL_INSERT_RANGE;
        fails(expect(FileSpaceException.class, Errno.EINVAL, FALLOCATE, 1, b, collapse), f, name, () -> FileSpace.collapseRange(f, 1, b));
        fails(expect(FileSpaceException.class, Errno.EINVAL, FALLOCATE, b, b + 1, collapse), f, name, () -> FileSpace.collapseRange(f, b, b + 1));
        fails(expect(FileSpaceException.class, Errno.EINVAL, FALLOCATE, 4 * b, 4 * b, collapse), f, name, () -> FileSpace.collapseRange(f, 4 * b, 4 * b));
        fails(expect(FileSpaceException.class, Errno.EINVAL, FALLOCATE, 6 * b, 4 * b, collapse), f, name, () -> FileSpace.collapseRange(f, 6 * b, 4 * b));
        fails(expect(FileSpaceException.class, Errno.EINVAL, FALLOCATE, b / 2, b, insert), f, name, () -> FileSpace.insertRange(f, b / 2, b));
        fails(expect(FileSpaceException.class, Errno.EINVAL, FALLOCATE, 0, b - 1, insert), f, name, () -> FileSpace.insertRange(f, 0, b - 1));
        fails(expect(FileSpaceException.class, Errno.EINVAL, FALLOCATE, size, b, insert), f, name, () -> FileSpace.insertRange(f, size, b));
        fails(expect(FileSpaceException.class, Errno.EINVAL, FALLOCATE, size + b, b, insert), f, name, () -> FileSpace.insertRange(f, size + b, b));
    }

    /** Makes a valid insert and undoes it, so a filesystem without the mode skips instead of failing. */
    private static void probeSupported(Path f, int mode, long b) throws IOException {
        try {
            Fallocate.fallocate(f, 0, b, mode);
            FileSpace.collapseRange(f, 0, b);
        } catch (ModeNotSupportedException e) {
            Assumptions.abort(f.getParent() + " does not support " + e.modeName());
        }
    }

    /** ext4 caps files at 16 TiB with 4 KiB blocks (less with 1 KiB blocks); xfs, btrfs and tmpfs at 2^63-1, which the library's own check covers. */
    @ParameterizedTest
    @EnumSource(names = {"TMP", "EXT4"})
    void pastTheLargestFileIsEfbig(Fs fs) throws Exception {
        Path f = file(fs, 2);
        Assumptions.assumeTrue(Files.getFileStore(f).type().equals("ext4"), () -> f + " is not on ext4");
        long far = 1L << 50;
        String name = f.toString();
        fails(expect(FileSpaceException.class, Errno.EFBIG, FALLOCATE, far, 4096, 0), f, name, () -> FileSpace.allocate(f, far, 4096));
        fails(expect(FileSpaceException.class, Errno.EFBIG, FALLOCATE, far, 4096, FALLOC_FL_KEEP_SIZE), f, name,
                () -> FileSpace.allocate(f, far, 4096, AllocateOption.KEEP_SIZE));
        fails(expect(FileSpaceException.class, Errno.EFBIG, FALLOCATE, 0, far, FALLOC_FL_ZERO_RANGE), f, name, () -> FileSpace.zeroRange(f, 0, far));
        fails(expect(FileSpaceException.class, Errno.EFBIG, "posix_fallocate", far, 4096, NONE), f, name, () -> FileSpace.posixAllocate(f, far, 4096));
    }

    @ParameterizedTest
    @EnumSource(names = {"EXT4_TINY", "TMPFS_TINY"})
    void fullFilesystemIsEnospc(Fs fs) throws Exception {
        Path dir = Mounts.dir(fs);
        Path f = dir.resolve("f");
        // Block-aligned: ext4 fills the partial last block of an unaligned file and moves the size
        // over it before it runs out of space (see NoSpaceException).
        FileState.writeRandom(f, 8192, 1);
        Path unaligned = dir.resolve("unaligned");
        byte[] data = FileState.writeRandom(unaligned, 5000, 2);
        fill(dir.resolve("filler"));
        long len = 1 << 20;
        String name = f.toString();
        assertThrows(NoSpaceException.class, () -> FileSpace.allocate(unaligned, 0, len));
        byte[] after = Files.readAllBytes(unaligned);
        assertArrayEquals(data, java.util.Arrays.copyOf(after, data.length), "bytes already in the file are unchanged");
        assertTrue(after.length < 8192 && java.util.Arrays.equals(after, data.length, after.length, new byte[after.length - data.length], 0,
                after.length - data.length), "at most the last block grew, and it reads as zeros");
        fails(expect(NoSpaceException.class, Errno.ENOSPC, FALLOCATE, 0, len, 0), f, name, () -> FileSpace.allocate(f, 0, len));
        fails(expect(NoSpaceException.class, Errno.ENOSPC, FALLOCATE, 8192, len, FALLOC_FL_KEEP_SIZE), f, name,
                () -> FileSpace.allocate(f, 8192, len, AllocateOption.KEEP_SIZE));
        fails(expect(NoSpaceException.class, Errno.ENOSPC, "posix_fallocate", 0, len, NONE), f, name, () -> FileSpace.posixAllocate(f, 0, len));
        Files.delete(dir.resolve("filler"));
        FileSpace.allocate(f, 0, len); // with the space back, the same call succeeds
        assertEquals(len, Files.size(f));
    }

    /** Takes every free block: writes until the device is full, then allocates whatever fragments remain. */
    private static void fill(Path filler) throws IOException {
        try (FileChannel ch = FileChannel.open(filler, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            try {
                java.nio.ByteBuffer chunk = java.nio.ByteBuffer.allocate(1 << 20);
                while (true) {
                    ch.write(chunk.clear());
                }
            } catch (IOException full) {
                // the device is full, or nearly: delayed allocation may leave a few blocks
            }
            ch.force(true);
            long at = ch.size() + (1 << 20);
            for (long len = 1 << 20; len >= 512; len /= 2) {
                try {
                    while (true) {
                        FileSpace.allocate(ch, at, len, AllocateOption.KEEP_SIZE);
                        at += len;
                    }
                } catch (NoSpaceException full) {
                    // next, smaller fragments
                }
            }
        }
    }

    @Test
    void immutableFileIsEperm() throws Exception {
        Assumptions.assumeTrue(Sh.isRoot(), "chattr +i needs root");
        Path f = file(Fs.TMP, 4);
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            Sh.run("chattr", "+i", f.toString());
            try {
                String name = f.toString();
                var e = fails(expect(FileSpaceException.class, Errno.EPERM, FALLOCATE, 0, 8192, 0), f, name, () -> FileSpace.allocate(ch, 0, 8192));
                assertTrue(e.getMessage().endsWith(": the file is immutable (see chattr(1))"), e.getMessage());
                fails(expect(FileSpaceException.class, Errno.EPERM, FALLOCATE, 0, 4096, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE), f, name,
                        () -> FileSpace.punchHole(ch, 0, 4096));
                // Through a Path the library cannot even open the file for writing.
                fails(expect(FileSpaceException.class, Errno.EPERM, "open", NONE, NONE, NONE), f, name, () -> FileSpace.punchHole(f, 0, 4096));
            } finally {
                Sh.run("chattr", "-i", f.toString());
            }
        }
    }

    @Test
    void appendOnlyFileRefusesRemovingOrMovingDataWithEperm() throws Exception {
        Assumptions.assumeTrue(Sh.isRoot(), "chattr +a needs root");
        Path f = file(Fs.TMP, 8);
        Sh.run("chattr", "+a", f.toString());
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.APPEND)) {
            String name = f.toString();
            for (int mode : new int[] {FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, FALLOC_FL_COLLAPSE_RANGE, FALLOC_FL_INSERT_RANGE, FALLOC_FL_ZERO_RANGE}) {
                var e = fails(expect(FileSpaceException.class, Errno.EPERM, FALLOCATE, 0, 4096, mode), f, name, () -> Fallocate.fallocate(ch, 0, 4096, mode));
                assertTrue(e.getMessage().endsWith(": the file is append-only (see chattr(1)), which allows allocating but not "
                        + e.modeName()), e.getMessage());
            }
            FileSpace.allocate(ch, 0, 64 << 10, AllocateOption.KEEP_SIZE); // reserving space is still allowed
        } finally {
            Sh.run("chattr", "-a", f.toString());
        }
    }

    @Test
    void sealedMemfdIsEperm() throws Throwable {
        int fd = Native.memfdCreate("fallocate4j-sealed");
        try {
            Path proc = Path.of("/proc/self/fd/" + fd);
            String name = Files.readSymbolicLink(proc).toString();
            byte[] data = new byte[8192];
            new java.util.Random(3).nextBytes(data);
            Files.write(proc, data);
            Native.addSeals(fd, Native.F_SEAL_GROW);
            Executable grow = () -> Fallocate.fallocate(fd, 4096, 8192);
            assertMemfdUnchanged(proc, data, () -> assertTrue(fails(expect(FileSpaceException.class, Errno.EPERM, FALLOCATE, 4096, 8192, 0),
                    null, name, grow).getMessage().endsWith(": the file is sealed (F_SEAL_GROW) against this change (see fcntl(2) F_ADD_SEALS)")));
            Fallocate.fallocate(fd, 0, 8192); // within the size: not growing, allowed
            Native.addSeals(fd, Native.F_SEAL_WRITE);
            Executable punch = () -> Fallocate.fallocate(fd, 0, 4096, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE);
            assertMemfdUnchanged(proc, data, () -> fails(expect(FileSpaceException.class, Errno.EPERM, FALLOCATE, 0, 4096,
                    FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE), null, name, punch));
        } finally {
            Native.close(fd);
        }
    }

    private static void assertMemfdUnchanged(Path proc, byte[] data, Executable call) throws Throwable {
        call.execute();
        assertArrayEquals(data, Files.readAllBytes(proc), "the memfd's contents");
    }

    @Test
    void pipesAreEspipe() throws Exception {
        Path fifo = Mounts.dir(Fs.TMP).resolve("fifo");
        Sh.run("mkfifo", fifo.toString());
        String name = fifo.toString();
        fails(expect(FileSpaceException.class, Errno.ESPIPE, FALLOCATE, 0, 4096, 0), null, name, () -> FileSpace.allocate(fifo, 0, 4096));
        fails(expect(FileSpaceException.class, Errno.ESPIPE, "posix_fadvise", 0, 0, Fallocate.POSIX_FADV_WILLNEED), null, name,
                () -> FileSpace.advise(fifo, 0, 0, Advice.WILLNEED));
        int[] pipe = Native.pipe();
        try {
            String writeEnd = Files.readSymbolicLink(Path.of("/proc/self/fd/" + pipe[1])).toString();
            fails(expect(FileSpaceException.class, Errno.ESPIPE, FALLOCATE, 0, 4096, FALLOC_FL_KEEP_SIZE), null, writeEnd,
                    () -> Fallocate.fallocate(pipe[1], 0, 4096, FALLOC_FL_KEEP_SIZE));
            fails(expect(FileSpaceException.class, Errno.ESPIPE, "posix_fadvise", 0, 100, Fallocate.POSIX_FADV_DONTNEED), null,
                    Files.readSymbolicLink(Path.of("/proc/self/fd/" + pipe[0])).toString(),
                    () -> Fallocate.posixFadvise(pipe[0], 0, 100, Fallocate.POSIX_FADV_DONTNEED));
        } finally {
            Native.close(pipe[0]);
            Native.close(pipe[1]);
        }
    }

    @Test
    void charDeviceIsEnodevAndDirectoryIsEisdir() throws Exception {
        fails(expect(FileSpaceException.class, Errno.ENODEV, FALLOCATE, 0, 4096, FALLOC_FL_KEEP_SIZE), null, "/dev/null",
                () -> FileSpace.allocate(Path.of("/dev/null"), 0, 4096, AllocateOption.KEEP_SIZE));
        fails(expect(FileSpaceException.class, Errno.ENODEV, "posix_fallocate", 0, 4096, NONE), null, "/dev/null",
                () -> FileSpace.posixAllocate(Path.of("/dev/null"), 0, 4096));
        // A directory cannot be opened for writing, so the kernel's answer comes from open(2).
        Path dir = Mounts.dir(Fs.TMP);
        fails(expect(FileSpaceException.class, Errno.EISDIR, "open", NONE, NONE, NONE), null, dir.toString(), () -> FileSpace.punchHole(dir, 0, 4096));
    }

    @Test
    void unknownOrInvalidModeBitsAreEopnotsupp() throws Exception {
        Path f = file(Fs.TMP, 4);
        String name = f.toString();
        for (int mode : new int[] {0x100, 0x100 | FALLOC_FL_KEEP_SIZE, FALLOC_FL_PUNCH_HOLE, FALLOC_FL_NO_HIDE_STALE | FALLOC_FL_KEEP_SIZE,
                                   FALLOC_FL_PUNCH_HOLE | FALLOC_FL_ZERO_RANGE | FALLOC_FL_KEEP_SIZE, FALLOC_FL_COLLAPSE_RANGE | FALLOC_FL_KEEP_SIZE}) {
            var e = fails(expect(ModeNotSupportedException.class, Errno.EOPNOTSUPP, FALLOCATE, 0, 4096, mode), f, name,
                    () -> Fallocate.fallocate(f, 0, 4096, mode));
            assertTrue(e.getMessage().contains(e.modeName()), e.getMessage());
        }
    }

    /** The filesystem's own refusal, with every detail of the call in the exception. */
    @Test
    void modeTheFilesystemLacksIsEopnotsupp() throws Exception {
        Path f = file(Fs.TMPFS, 4);
        String name = f.toString();
        fails(expect(ModeNotSupportedException.class, Errno.EOPNOTSUPP, FALLOCATE, 4096, 4096, FALLOC_FL_COLLAPSE_RANGE), f, name,
                () -> FileSpace.collapseRange(f, 4096, 4096));
        fails(expect(ModeNotSupportedException.class, Errno.EOPNOTSUPP, FALLOCATE, 0, 100, FALLOC_FL_ZERO_RANGE | FALLOC_FL_KEEP_SIZE), f, name,
                () -> FileSpace.zeroRange(f, 0, 100, AllocateOption.KEEP_SIZE));
    }

    @Test
    void runningExecutableIsEtxtbsy() throws Exception {
        Path exe = Mounts.dir(Fs.TMP).resolve("sleepy");
        Files.copy(Path.of("/bin/sleep"), exe);
        Process p;
        try {
            p = new ProcessBuilder(exe.toString(), "60").start(); // returns once exec has succeeded
        } catch (IOException e) {
            Assumptions.abort("cannot execute a file in " + exe.getParent() + " (mounted noexec?): " + e.getMessage());
            return;
        }
        try {
            // Under qemu-user (binfmt_misc) the kernel runs the emulator, which opens the program as an ordinary
            // file: nothing denies writing to it. .ci/chroots accepts this skip, by its prefix, in its emulated
            // chroots only.
            String emulator = Sh.emulator();
            if (emulator != null) {
                Assumptions.abort("qemu-user emulation: the running program is the emulator " + emulator
                        + ", which opens " + exe.getFileName() + " as an ordinary file, so writing to it is not ETXTBSY");
            }
            fails(expect(FileSpaceException.class, Errno.ETXTBSY, "open", NONE, NONE, NONE), exe, exe.toString(),
                    () -> FileSpace.collapseRange(exe, 0, 4096));
        } finally {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** An active swap file cannot be changed: fallocate itself answers ETXTBSY. */
    @Test
    void activeSwapFileIsEtxtbsy() throws Exception {
        Path swap = Mounts.dir(Fs.XFS).resolve("swap");
        FileState.writeRandom(swap, 1 << 20, 0);
        Files.setPosixFilePermissions(swap, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        Sh.run("mkswap", swap.toString());
        try (FileChannel ch = FileChannel.open(swap, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            try {
                Sh.run("swapon", swap.toString());
            } catch (IOException e) {
                Assumptions.abort("swapon refused: " + e.getMessage());
            }
            try {
                var e = fails(expect(FileSpaceException.class, Errno.ETXTBSY, FALLOCATE, 0, 4096, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE),
                        swap, swap.toString(), () -> FileSpace.punchHole(ch, 0, 4096));
                assertTrue(e.getMessage().endsWith(": the file is in use as swap space (see swapon(8))"), e.getMessage());
            } finally {
                Sh.run("swapoff", swap.toString());
            }
        }
    }

    @Test
    void fadviseErrors() throws Exception {
        Path f = file(Fs.TMP, 4);
        String name = f.toString();
        var advice = fails(expect(FileSpaceException.class, Errno.EINVAL, "posix_fadvise", 0, 0, 99), f, name, () -> Fallocate.posixFadvise(f, 0, 0, 99));
        assertTrue(advice.getMessage().endsWith(": advice is not one of POSIX_FADV_NORMAL..POSIX_FADV_NOREUSE (0..5)"), advice.getMessage());
        fails(expect(FileSpaceException.class, Errno.EINVAL, "posix_fadvise", 0, 0, -1), f, name, () -> Fallocate.posixFadvise(f, 0, 0, -1));
        int closed = 1 << 20; // above any RLIMIT_NOFILE this JVM has: never an open descriptor
        var ebadf = fails(expect(FileSpaceException.class, Errno.EBADF, "posix_fadvise", 0, 0, Fallocate.POSIX_FADV_NORMAL), null, "fd " + closed,
                () -> Fallocate.posixFadvise(closed, 0, 0, Fallocate.POSIX_FADV_NORMAL));
        assertTrue(ebadf.getMessage().endsWith(": not a valid open file descriptor"), ebadf.getMessage());
    }

    @Test
    void badArgumentsFailBeforeAnySystemCall() throws Exception {
        Path f = file(Fs.TMP, 4);
        FileState before = FileState.of(f);
        Executable[] calls = {
            () -> FileSpace.allocate(f, -1, 4096),
            () -> FileSpace.allocate(f, 0, 0),
            () -> FileSpace.allocate(f, 0, -4096),
            () -> FileSpace.allocate(f, Long.MAX_VALUE - 10, 4096),
            () -> FileSpace.punchHole(f, -4096, 4096),
            () -> FileSpace.zeroRange(f, 0, 0, AllocateOption.KEEP_SIZE),
            () -> FileSpace.collapseRange(f, 4096, Long.MAX_VALUE),
            () -> FileSpace.insertRange(f, -1, 4096),
            () -> FileSpace.posixAllocate(f, 1, 0),
            () -> Fallocate.fallocate(f, Long.MAX_VALUE, 1, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE),
            () -> Fallocate.posixFadvise(f, 0, -1, Fallocate.POSIX_FADV_WILLNEED),
            // Checked before the path is even looked at: a missing file is not created.
            () -> FileSpace.allocate(f.resolveSibling("missing"), -1, 1),
        };
        for (Executable call : calls) {
            assertThrows(IllegalArgumentException.class, call);
            before.assertUnchanged(f);
        }
        assertTrue(Files.notExists(f.resolveSibling("missing")));
    }
}
