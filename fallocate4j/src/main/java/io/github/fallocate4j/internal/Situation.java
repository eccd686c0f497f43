package io.github.fallocate4j.internal;

import io.github.fallocate4j.Errno;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What is true of a descriptor once a call on it has failed: how it is open (fcntl F_GETFL), what
 * kind of file it is, where it lives, its inode flags and seals. {@link Errors} checks each sentence of
 * an explanation against these answers instead of assuming the usual cause; an answer that cannot be
 * had is negative or null, and the sentence that needs it is left out.
 */
final class Situation {
    private static final long FS_IOC_GETFLAGS = 0x80086601L;
    static final int FS_IMMUTABLE_FL = 0x10;
    static final int FS_APPEND_FL = 0x20;
    static final int EXT4_EXTENTS_FL = 0x80000;
    private static final long BLKSSZGET = 0x1268L;
    private static final int S_IFMT = 0170000;
    private static final int S_IFCHR = 0020000;
    private static final long BLKGETSIZE64 = 0x80081272L;

    private Situation() {}

    /** The descriptor's status flags (fcntl F_GETFL), or -errno when it is not an open descriptor. */
    static int openFlags(OpenFile file) {
        return file.fd() < 0 ? -Errno.EBADF.number() : LibC.fcntl(file.fd(), LibC.F_GETFL, 0);
    }

    static boolean isBlockDevice(OpenFile file) {
        LibC.FileStat stat = stat(file);
        return stat != null && stat.isBlockDevice();
    }

    static LibC.FileStat stat(OpenFile file) {
        try {
            return file.fd() < 0 ? null : LibC.fstat(file.fd());
        } catch (LibC.NativeException e) {
            return null;
        }
    }

    /**
     * What answers for the file, for sentences: "the block device", "the character device" (not the
     * filesystem their nodes sit on, devtmpfs say), "the ext3 filesystem", "the filesystem".
     */
    static String where(OpenFile file) {
        LibC.FileStat stat = stat(file);
        if (stat != null && stat.isBlockDevice()) {
            return "the block device";
        }
        if (stat != null && (stat.mode() & S_IFMT) == S_IFCHR) {
            return "the character device";
        }
        String fs = file.fd() >= 0 ? Filesystems.of(file.fd()) : null;
        return fs == null ? "the filesystem" : "the " + fs + " filesystem";
    }

    /** The inode flags (FS_IOC_GETFLAGS, as lsattr(1) shows them), or -1 when the filesystem has none. */
    static int inodeFlags(OpenFile file) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment flags = arena.allocate(8, 8);
            return file.fd() >= 0 && LibC.ioctl(file.fd(), FS_IOC_GETFLAGS, flags) >= 0 ? flags.get(ValueLayout.JAVA_INT, 0) : -1;
        }
    }

    /** The seals (fcntl F_GET_SEALS) of a memfd or shmem file, 0 for none, -errno elsewhere. */
    static int seals(OpenFile file) {
        return file.fd() < 0 ? -Errno.EBADF.number() : LibC.fcntl(file.fd(), LibC.F_GET_SEALS, 0);
    }

    /** A block device's logical block size (BLKSSZGET), or -1. */
    static long logicalBlockSize(OpenFile file) {
        return blockDeviceIoctl(file, BLKSSZGET, ValueLayout.JAVA_INT);
    }

    /** A block device's size in bytes (BLKGETSIZE64), or -1. */
    static long deviceSize(OpenFile file) {
        return blockDeviceIoctl(file, BLKGETSIZE64, ValueLayout.JAVA_LONG);
    }

    private static long blockDeviceIoctl(OpenFile file, long request, ValueLayout layout) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(8, 8);
            if (file.fd() < 0 || LibC.ioctl(file.fd(), request, out) < 0) {
                return -1;
            }
            return layout == ValueLayout.JAVA_INT ? out.get(ValueLayout.JAVA_INT, 0) : out.get(ValueLayout.JAVA_LONG, 0);
        }
    }

    /** Whether /proc/swaps lists the file as active swap space. */
    static boolean isSwapFile(OpenFile file) {
        String name = file.displayName();
        try {
            return Files.readAllLines(Path.of("/proc/swaps")).stream().skip(1)
                    .map(line -> line.split("\\s+")[0].replace("\\040", " "))
                    .anyMatch(name::equals);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
