package io.github.fallocate4j.internal;

/**
 * The numbers of the Linux C interface the library passes to {@link Backend}: open flags, lseek whence,
 * fcntl commands, ioctl requests, mmap protections. The same on x86_64 and aarch64 (both use the
 * asm-generic values). Another kernel gets a class of its own beside this one.
 */
final class Linux {
    static final int O_RDONLY = 0;
    static final int O_WRONLY = 1;
    static final int O_RDWR = 2;
    static final int O_ACCMODE = 3;
    static final int O_CREAT = 0100;
    static final int O_APPEND = 02000;
    static final int O_NONBLOCK = 04000;
    static final int O_CLOEXEC = 02000000;
    static final int O_PATH = 010000000;

    static final int SEEK_DATA = 3;
    static final int SEEK_HOLE = 4;

    static final int F_GETFL = 3;
    static final int F_DUPFD_CLOEXEC = 1030;
    static final int F_GET_SEALS = 1034;


    static final int AT_EMPTY_PATH = 0x1000;
    static final int STATX_BASIC_STATS = 0x7ff;

    static final int PROT_READ = 1;
    static final int MAP_SHARED = 1;

    /** _IOR('f', 1, long): the inode flags lsattr(1) shows. */
    static final long FS_IOC_GETFLAGS = 0x80086601L;
    static final int FS_IMMUTABLE_FL = 0x10;
    static final int FS_APPEND_FL = 0x20;
    /** ext4's EXT4_EXTENTS_FL: the file is mapped by extents, not blocks. */
    static final int FS_EXTENT_FL = 0x80000;
    /** A block device's logical block size (int) and size in bytes (u64). */
    static final long BLKSSZGET = 0x1268L;
    static final long BLKGETSIZE64 = 0x80081272L;

    /** _IOWR('f', 11, struct fiemap). */
    static final long FS_IOC_FIEMAP = 0xC020660BL;
    static final int FIEMAP_FLAG_SYNC = 0x1;
    static final int FIEMAP_EXTENT_LAST = 0x1;

    private Linux() {}
}
