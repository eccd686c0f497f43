/* Prints, as "NAME value" lines, what the C compiler says about every number in Linux.java and
 * Structs.java: constants, struct sizes and field offsets. StructLayoutTest compares. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/fiemap.h>
#include <linux/fs.h>
#include <stddef.h>
#include <stdio.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/statvfs.h>
#include <sys/vfs.h>
#include <unistd.h>

/* Linux 6.5's cachestat: C library headers before it (Debian 12's) lack the number and the structs,
 * so they are declared here as include/uapi/linux/mman.h and the syscall tables have them; the test
 * then checks the offsets the C compiler gives these declarations. */
#ifndef __NR_cachestat
#define __NR_cachestat 451
struct cachestat_range { __u64 off; __u64 len; };
struct cachestat { __u64 nr_cache; __u64 nr_dirty; __u64 nr_writeback; __u64 nr_evicted; __u64 nr_recently_evicted; };
#else
#include <linux/mman.h>
#endif

/* Linux 6.14's RWF_DONTCACHE (include/uapi/linux/fs.h), which C library headers before it lack. */
#ifndef RWF_DONTCACHE
#define RWF_DONTCACHE 0x00000080
#endif

#define NUMBER(name, value) printf("%s %lld\n", name, (long long) (value))

int main(void) {
    NUMBER("O_RDONLY", O_RDONLY);
    NUMBER("O_WRONLY", O_WRONLY);
    NUMBER("O_RDWR", O_RDWR);
    NUMBER("O_ACCMODE", O_ACCMODE);
    NUMBER("O_CREAT", O_CREAT);
    NUMBER("O_APPEND", O_APPEND);
    NUMBER("O_NONBLOCK", O_NONBLOCK);
    NUMBER("O_CLOEXEC", O_CLOEXEC);
    NUMBER("O_DIRECT", O_DIRECT);
    NUMBER("RWF_DONTCACHE", RWF_DONTCACHE);
    NUMBER("IOVEC_SIZE", sizeof(struct iovec));
    NUMBER("IOVEC_BASE", offsetof(struct iovec, iov_base));
    NUMBER("IOVEC_LEN", offsetof(struct iovec, iov_len));
    NUMBER("O_PATH", O_PATH);
    NUMBER("SEEK_SET", SEEK_SET);
    NUMBER("SEEK_CUR", SEEK_CUR);
    NUMBER("SEEK_DATA", SEEK_DATA);
    NUMBER("SEEK_HOLE", SEEK_HOLE);
    NUMBER("F_GETFL", F_GETFL);
    NUMBER("F_SETFL", F_SETFL);
    NUMBER("F_DUPFD_CLOEXEC", F_DUPFD_CLOEXEC);
    NUMBER("F_GET_SEALS", F_GET_SEALS);
    NUMBER("F_OFD_SETLKW", F_OFD_SETLKW);
    NUMBER("F_RDLCK", F_RDLCK);
    NUMBER("F_WRLCK", F_WRLCK);
    NUMBER("F_UNLCK", F_UNLCK);
    NUMBER("F_SETOWN", F_SETOWN);
    NUMBER("F_SETSIG", F_SETSIG);
    NUMBER("F_SETLEASE", F_SETLEASE);
    NUMBER("F_GETLEASE", F_GETLEASE);
    NUMBER("SIGURG", SIGURG);
    NUMBER("AT_EMPTY_PATH", AT_EMPTY_PATH);
    NUMBER("STATX_BASIC_STATS", STATX_BASIC_STATS);
    NUMBER("PROT_READ", PROT_READ);
    NUMBER("MAP_SHARED", MAP_SHARED);
    NUMBER("MADV_NORMAL", MADV_NORMAL);
    NUMBER("MADV_RANDOM", MADV_RANDOM);
    NUMBER("MADV_SEQUENTIAL", MADV_SEQUENTIAL);
    NUMBER("MADV_WILLNEED", MADV_WILLNEED);
    NUMBER("MADV_DONTNEED", MADV_DONTNEED);
    NUMBER("MADV_COLD", MADV_COLD);
    NUMBER("MADV_PAGEOUT", MADV_PAGEOUT);
    NUMBER("MADV_POPULATE_READ", MADV_POPULATE_READ);
    NUMBER("MADV_POPULATE_WRITE", MADV_POPULATE_WRITE);
    NUMBER("SYS_CACHESTAT", __NR_cachestat);
    NUMBER("SYS_FACCESSAT2", SYS_faccessat2);
    NUMBER("SYS_MADVISE", SYS_madvise);
    NUMBER("W_OK", W_OK);
    NUMBER("AT_EACCESS", AT_EACCESS);
    NUMBER("FS_IOC_GETFLAGS", FS_IOC_GETFLAGS);
    NUMBER("FS_IMMUTABLE_FL", FS_IMMUTABLE_FL);
    NUMBER("FS_APPEND_FL", FS_APPEND_FL);
    NUMBER("FS_EXTENT_FL", FS_EXTENT_FL);
    NUMBER("BLKSSZGET", BLKSSZGET);
    NUMBER("BLKGETSIZE64", BLKGETSIZE64);
    NUMBER("FS_IOC_FIEMAP", FS_IOC_FIEMAP);
    NUMBER("FIEMAP_FLAG_SYNC", FIEMAP_FLAG_SYNC);
    NUMBER("FIEMAP_EXTENT_LAST", FIEMAP_EXTENT_LAST);

    NUMBER("STATX_SIZE", sizeof(struct statx));
    NUMBER("STATX_BLKSIZE", offsetof(struct statx, stx_blksize));
    NUMBER("STATX_UID", offsetof(struct statx, stx_uid));
    NUMBER("STATX_GID", offsetof(struct statx, stx_gid));
    NUMBER("STATX_MODE", offsetof(struct statx, stx_mode));
    NUMBER("STATX_SIZE_FIELD", offsetof(struct statx, stx_size));
    NUMBER("STATX_BLOCKS", offsetof(struct statx, stx_blocks));
    NUMBER("STATX_CTIME_SEC", offsetof(struct statx, stx_ctime.tv_sec));
    NUMBER("STATX_CTIME_NSEC", offsetof(struct statx, stx_ctime.tv_nsec));
    NUMBER("STATX_RDEV_MAJOR", offsetof(struct statx, stx_rdev_major));
    NUMBER("STATX_RDEV_MINOR", offsetof(struct statx, stx_rdev_minor));
    NUMBER("STATX_DEV_MAJOR", offsetof(struct statx, stx_dev_major));
    NUMBER("STATX_DEV_MINOR", offsetof(struct statx, stx_dev_minor));
    NUMBER("CACHESTAT_RANGE_SIZE", sizeof(struct cachestat_range));
    NUMBER("CACHESTAT_RANGE_OFF", offsetof(struct cachestat_range, off));
    NUMBER("CACHESTAT_RANGE_LEN", offsetof(struct cachestat_range, len));
    NUMBER("CACHESTAT_SIZE", sizeof(struct cachestat));
    NUMBER("CACHESTAT_NR_CACHE", offsetof(struct cachestat, nr_cache));
    NUMBER("CACHESTAT_NR_DIRTY", offsetof(struct cachestat, nr_dirty));
    NUMBER("CACHESTAT_NR_WRITEBACK", offsetof(struct cachestat, nr_writeback));
    NUMBER("CACHESTAT_NR_EVICTED", offsetof(struct cachestat, nr_evicted));
    NUMBER("CACHESTAT_NR_RECENTLY_EVICTED", offsetof(struct cachestat, nr_recently_evicted));
    NUMBER("STATVFS_SIZE", sizeof(struct statvfs));
    NUMBER("STATVFS_FRSIZE", offsetof(struct statvfs, f_frsize));
    NUMBER("STATFS_SIZE", sizeof(struct statfs));
    NUMBER("STATFS_TYPE", offsetof(struct statfs, f_type));
    NUMBER("FLOCK_SIZE", sizeof(struct flock));
    NUMBER("FLOCK_TYPE", offsetof(struct flock, l_type));
    NUMBER("FLOCK_WHENCE", offsetof(struct flock, l_whence));
    NUMBER("FLOCK_START", offsetof(struct flock, l_start));
    NUMBER("FLOCK_LEN", offsetof(struct flock, l_len));
    NUMBER("FLOCK_PID", offsetof(struct flock, l_pid));
    NUMBER("FIEMAP_SIZE", sizeof(struct fiemap));
    NUMBER("FIEMAP_START", offsetof(struct fiemap, fm_start));
    NUMBER("FIEMAP_LENGTH", offsetof(struct fiemap, fm_length));
    NUMBER("FIEMAP_FLAGS", offsetof(struct fiemap, fm_flags));
    NUMBER("FIEMAP_MAPPED_EXTENTS", offsetof(struct fiemap, fm_mapped_extents));
    NUMBER("FIEMAP_EXTENT_COUNT", offsetof(struct fiemap, fm_extent_count));
    NUMBER("FIEMAP_EXTENT_SIZE", sizeof(struct fiemap_extent));
    NUMBER("FIEMAP_EXTENT_LOGICAL", offsetof(struct fiemap_extent, fe_logical));
    NUMBER("FIEMAP_EXTENT_PHYSICAL", offsetof(struct fiemap_extent, fe_physical));
    NUMBER("FIEMAP_EXTENT_LENGTH", offsetof(struct fiemap_extent, fe_length));
    NUMBER("FIEMAP_EXTENT_FLAGS", offsetof(struct fiemap_extent, fe_flags));
    return 0;
}
