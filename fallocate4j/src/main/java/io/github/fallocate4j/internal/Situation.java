package io.github.fallocate4j.internal;

import io.github.fallocate4j.Errno;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What is true of a descriptor once a call on it has failed: how it is open (fcntl F_GETFL), what
 * kind of file it is, where it lives, its inode flags and seals. {@link Errors} checks each sentence of
 * an explanation against these answers instead of assuming the usual cause; an answer that cannot be
 * had is negative or null, and the sentence that needs it is left out.
 */
final class Situation {
    private Situation() {}

    /** The descriptor's status flags (fcntl F_GETFL), or -errno when it is not an open descriptor. */
    static int openFlags(OpenFile file) {
        return file.fd() < 0 ? -Errno.EBADF.number() : LibC.fcntl(file.fd(), Linux.F_GETFL, 0);
    }

    static boolean isBlockDevice(OpenFile file) {
        LibC.FileStat stat = stat(file);
        return stat != null && stat.isBlockDevice();
    }

    static boolean isDirectory(OpenFile file) {
        LibC.FileStat stat = stat(file);
        return stat != null && stat.isDirectory();
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
        if (stat != null && stat.isCharacterDevice()) {
            return "the character device";
        }
        String fs = file.fd() >= 0 ? Filesystems.of(file.fd()) : null;
        return fs == null ? "the filesystem" : "the " + fs + " filesystem";
    }

    /** The inode flags (FS_IOC_GETFLAGS, as lsattr(1) shows them), or -1 when the filesystem has none. */
    static int inodeFlags(OpenFile file) {
        ByteBuffer flags = LibC.allocate(8);
        return file.fd() >= 0 && LibC.ioctl(file.fd(), Linux.FS_IOC_GETFLAGS, flags) >= 0 ? flags.getInt(0) : -1;
    }

    /** The seals (fcntl F_GET_SEALS) of a memfd or shmem file, 0 for none, -errno elsewhere. */
    static int seals(OpenFile file) {
        return file.fd() < 0 ? -Errno.EBADF.number() : LibC.fcntl(file.fd(), Linux.F_GET_SEALS, 0);
    }

    /** A block device's logical block size (BLKSSZGET, an int), or -1. */
    static long logicalBlockSize(OpenFile file) {
        ByteBuffer out = blockDeviceIoctl(file, Linux.BLKSSZGET);
        return out == null ? -1 : out.getInt(0);
    }

    /** A block device's size in bytes (BLKGETSIZE64, a u64), or -1. */
    static long deviceSize(OpenFile file) {
        ByteBuffer out = blockDeviceIoctl(file, Linux.BLKGETSIZE64);
        return out == null ? -1 : out.getLong(0);
    }

    private static ByteBuffer blockDeviceIoctl(OpenFile file, long request) {
        ByteBuffer out = LibC.allocate(8);
        return file.fd() < 0 || LibC.ioctl(file.fd(), request, out) < 0 ? null : out;
    }

    /**
     * This process's soft file size limit (RLIMIT_FSIZE, {@code ulimit -f}) in bytes, from the "Max file
     * size" line of /proc/self/limits; -1 when it is unlimited or cannot be read.
     */
    static long fileSizeLimit() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max file size ")) {
                    String soft = line.substring("Max file size ".length()).trim().split("\\s+")[0];
                    return soft.equals("unlimited") ? -1 : Long.parseLong(soft);
                }
            }
        } catch (IOException | RuntimeException e) {
            // no /proc: no such sentence
        }
        return -1;
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
