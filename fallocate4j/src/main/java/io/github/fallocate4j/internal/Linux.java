package io.github.fallocate4j.internal;

/**
 * The numbers of the Linux C interface the library passes to {@link Backend}: open flags, lseek whence,
 * fcntl commands, ioctl requests, mmap protections. The same on x86_64 and aarch64 (both use the
 * asm-generic values). Another kernel gets a class of its own beside this one.
 */
public final class Linux {
    public static final int O_RDONLY = 0;
    public static final int O_WRONLY = 1;
    public static final int O_RDWR = 2;
    public static final int O_ACCMODE = 3;
    public static final int O_CREAT = 0100;
    public static final int O_APPEND = 02000;
    public static final int O_NONBLOCK = 04000;
    public static final int O_CLOEXEC = 02000000;
    public static final int O_PATH = 010000000;
    /** Not asm-generic: arm64 swaps O_DIRECT and O_DIRECTORY (arch/arm64/include/uapi/asm/fcntl.h). */
    public static final int O_DIRECT = "aarch64".equals(System.getProperty("os.arch")) ? 0200000 : 040000;

    /**
     * preadv2 flag (Linux 6.14, include/uapi/linux/fs.h): read through the page cache, with read-ahead,
     * and drop the pages the read brought in once copied.
     */
    public static final int RWF_DONTCACHE = 0x80;

    public static final int SEEK_SET = 0;
    public static final int SEEK_CUR = 1;
    public static final int SEEK_DATA = 3;
    public static final int SEEK_HOLE = 4;

    public static final int F_GETFL = 3;
    public static final int F_SETFL = 4;
    public static final int F_DUPFD_CLOEXEC = 1030;
    public static final int F_GET_SEALS = 1034;
    public static final int F_OFD_SETLKW = 38;
    public static final short F_RDLCK = 0;
    public static final short F_WRLCK = 1;
    public static final short F_UNLCK = 2;
    /** fcntl(2) commands for leases (F_SETLEASE takes F_RDLCK, F_WRLCK, F_UNLCK) and their signal. */
    public static final int F_SETOWN = 8;
    public static final int F_SETSIG = 10;
    public static final int F_SETLEASE = 1024;
    public static final int F_GETLEASE = 1025;
    /** The signal a lease break sends once set with F_SETSIG: ignored unless a handler is installed. */
    public static final int SIGURG = 23;


    public static final int AT_EMPTY_PATH = 0x1000;
    public static final int STATX_BASIC_STATS = 0x7ff;

    public static final int PROT_READ = 1;
    public static final int MAP_SHARED = 1;

    /** madvise(2) advice for file mappings; COLD and PAGEOUT since Linux 5.4, POPULATE_* since 5.14. */
    public static final int MADV_NORMAL = 0;
    public static final int MADV_RANDOM = 1;
    public static final int MADV_SEQUENTIAL = 2;
    public static final int MADV_WILLNEED = 3;
    public static final int MADV_DONTNEED = 4;
    public static final int MADV_COLD = 20;
    public static final int MADV_PAGEOUT = 21;
    public static final int MADV_POPULATE_READ = 22;
    public static final int MADV_POPULATE_WRITE = 23;

    /**
     * System calls made through syscall(2): cachestat (Linux 6.5) has no C library wrapper; faccessat2
     * (Linux 5.8) is called directly because glibc's faccessat, on a kernel without it, guesses from the
     * mode bits (no ACLs, no security modules); madvise goes this way in the FFM backend only, which
     * passes it an extra argument (see there). x86_64 and aarch64 share the first two numbers.
     */
    public static final long SYS_CACHESTAT = 451;
    public static final long SYS_FACCESSAT2 = 439;
    public static final long SYS_MADVISE = "aarch64".equals(System.getProperty("os.arch")) ? 233 : 28;
    /** faccessat2(2): test write permission, with the effective (fs) ids, of the descriptor itself. */
    public static final int W_OK = 2;
    public static final int AT_EACCESS = 0x200;

    /** _IOR('f', 1, long): the inode flags lsattr(1) shows. */
    public static final long FS_IOC_GETFLAGS = 0x80086601L;
    public static final int FS_IMMUTABLE_FL = 0x10;
    public static final int FS_APPEND_FL = 0x20;
    /** ext4's EXT4_EXTENTS_FL: the file is mapped by extents, not blocks. */
    public static final int FS_EXTENT_FL = 0x80000;
    /** A block device's logical block size (int) and size in bytes (u64). */
    public static final long BLKSSZGET = 0x1268L;
    public static final long BLKGETSIZE64 = 0x80081272L;

    /** _IOWR('f', 11, struct fiemap). */
    public static final long FS_IOC_FIEMAP = 0xC020660BL;
    public static final int FIEMAP_FLAG_SYNC = 0x1;
    public static final int FIEMAP_EXTENT_LAST = 0x1;

    private Linux() {}
}
