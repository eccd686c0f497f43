package io.github.fallocate4j.internal;

/**
 * The C structs the library reads and writes, as named sizes and field offsets of 64-bit Linux (x86_64
 * and aarch64 agree). Both backends pass the same buffers, so these are the only copy of the layouts;
 * StructLayoutTest compiles a C program that prints the C compiler's {@code sizeof} and {@code offsetof}
 * and compares. Only the fields the library uses are named.
 */
final class Structs {
    /** struct statx (linux/stat.h): the same layout on every architecture, unlike struct stat. */
    static final int IOVEC_SIZE = 16;
    static final int IOVEC_BASE = 0;      // void *iov_base
    static final int IOVEC_LEN = 8;       // size_t iov_len
    static final int STATX_SIZE = 256;
    static final int STATX_BLKSIZE = 4;   // __u32 stx_blksize
    static final int STATX_UID = 20;      // __u32 stx_uid
    static final int STATX_GID = 24;      // __u32 stx_gid
    static final int STATX_MODE = 28;     // __u16 stx_mode
    static final int STATX_SIZE_FIELD = 40; // __u64 stx_size
    static final int STATX_BLOCKS = 48;   // __u64 stx_blocks
    static final int STATX_CTIME_SEC = 96;  // __s64 stx_ctime.tv_sec
    static final int STATX_CTIME_NSEC = 104; // __u32 stx_ctime.tv_nsec
    static final int STATX_RDEV_MAJOR = 128; // __u32 stx_rdev_major
    static final int STATX_RDEV_MINOR = 132; // __u32 stx_rdev_minor
    static final int STATX_DEV_MAJOR = 136;  // __u32 stx_dev_major
    static final int STATX_DEV_MINOR = 140;  // __u32 stx_dev_minor

    /** struct statvfs (sys/statvfs.h). */
    // struct cachestat_range (linux/mman.h, Linux 6.5): the range cachestat(2) counts.
    static final int CACHESTAT_RANGE_SIZE = 16;
    static final int CACHESTAT_RANGE_OFF = 0;  // __u64 off
    static final int CACHESTAT_RANGE_LEN = 8;  // __u64 len (0: to the end of the file)

    // struct cachestat: page counts, each a __u64.
    static final int CACHESTAT_SIZE = 40;
    static final int CACHESTAT_NR_CACHE = 0;
    static final int CACHESTAT_NR_DIRTY = 8;
    static final int CACHESTAT_NR_WRITEBACK = 16;
    static final int CACHESTAT_NR_EVICTED = 24;
    static final int CACHESTAT_NR_RECENTLY_EVICTED = 32;

    static final int STATVFS_SIZE = 112;
    static final int STATVFS_FRSIZE = 8;  // unsigned long f_frsize

    /** struct statfs (sys/vfs.h). */
    static final int STATFS_SIZE = 120;
    static final int STATFS_TYPE = 0;     // __fsword_t f_type

    /** struct flock (fcntl.h), for F_OFD_SETLKW. */
    static final int FLOCK_SIZE = 32;
    static final int FLOCK_TYPE = 0;      // short l_type
    static final int FLOCK_WHENCE = 2;    // short l_whence
    static final int FLOCK_START = 8;     // off_t l_start
    static final int FLOCK_LEN = 16;      // off_t l_len
    static final int FLOCK_PID = 24;      // pid_t l_pid

    /** struct fiemap (linux/fiemap.h), followed by fm_extent_count struct fiemap_extent. */
    static final int FIEMAP_SIZE = 32;
    static final int FIEMAP_START = 0;           // __u64 fm_start
    static final int FIEMAP_LENGTH = 8;          // __u64 fm_length
    static final int FIEMAP_FLAGS = 16;          // __u32 fm_flags
    static final int FIEMAP_MAPPED_EXTENTS = 20; // __u32 fm_mapped_extents
    static final int FIEMAP_EXTENT_COUNT = 24;   // __u32 fm_extent_count

    /** struct fiemap_extent (linux/fiemap.h). */
    static final int FIEMAP_EXTENT_SIZE = 56;
    static final int FIEMAP_EXTENT_LOGICAL = 0;  // __u64 fe_logical
    static final int FIEMAP_EXTENT_PHYSICAL = 8; // __u64 fe_physical
    static final int FIEMAP_EXTENT_LENGTH = 16;  // __u64 fe_length
    static final int FIEMAP_EXTENT_FLAGS = 40;   // __u32 fe_flags

    private Structs() {}
}
