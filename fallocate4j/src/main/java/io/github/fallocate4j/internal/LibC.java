package io.github.fallocate4j.internal;

import io.github.fallocate4j.Errno;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The library's C calls, through the {@link Backend} chosen at first use ({@link Backends}). Every
 * method returns a non-negative result on success and {@code -errno} on failure, except those that
 * return a struct's fields, which throw {@link NativeException}. Calls that can be interrupted by a
 * signal are retried on {@code EINTR} here, the same for every backend.
 *
 * <p>Callers must call {@link Platform#requireSupported()} before touching this class.
 */
public final class LibC {
    private static final Backend BACKEND = Backends.select();
    private static final int EINTR = -Errno.EINTR.number();

    /** A struct buffer per thread: allocating direct memory on every statx would cost more than the call. */
    private static final ThreadLocal<ByteBuffer> STRUCT =
            ThreadLocal.withInitial(() -> allocate(Math.max(Structs.STATX_SIZE, Structs.STATFS_SIZE)));

    private LibC() {}

    /** The backend every call goes to. */
    static Backend backend() {
        return BACKEND;
    }

    /** Memory for the calls that take a buffer: direct, in native byte order, zero-filled. */
    public static ByteBuffer allocate(int size) {
        return ByteBuffer.allocateDirect(size).order(ByteOrder.nativeOrder());
    }

    /**
     * Memory for reads that may go through an O_DIRECT descriptor, which needs the buffer's address
     * aligned (to the logical block size; a page covers every device): direct, native order, zero-filled,
     * starting on a page boundary.
     */
    public static ByteBuffer allocatePageAligned(int size) {
        int page = 4096;
        return ByteBuffer.allocateDirect(size + page - 1).alignedSlice(page).limit(size).slice()
                .order(ByteOrder.nativeOrder());
    }

    /** fallocate(2): 0 or -errno. */
    public static int fallocate(int fd, int mode, long offset, long len) {
        int rc;
        do {
            rc = BACKEND.fallocate(fd, mode, offset, len);
        } while (rc == EINTR);
        return rc;
    }

    /** posix_fallocate(3): 0 or -errno. */
    public static int posixFallocate(int fd, long offset, long len) {
        int rc;
        do {
            rc = BACKEND.posixFallocate(fd, offset, len);
        } while (rc == EINTR);
        return rc;
    }

    /** posix_fadvise(3): 0 or -errno. */
    public static int posixFadvise(int fd, long offset, long len, int advice) {
        int rc;
        do {
            rc = BACKEND.posixFadvise(fd, offset, len, advice);
        } while (rc == EINTR);
        return rc;
    }

    /**
     * open(2) of a path given as its exact bytes (no NUL), with mode 0666 (less the umask) for created
     * files: the descriptor or -errno. Bytes, not a String: a file name is bytes, and only the caller
     * knows which (the JDK's encoding of a Path, or a command line's argv as given).
     */
    public static int open(byte[] path, int flags) {
        byte[] cPath = Arrays.copyOf(path, path.length + 1);
        int fd;
        do {
            fd = BACKEND.open(cPath, flags);
        } while (fd == EINTR);
        return fd;
    }

    /** fsync(2): 0 or -errno. Made once, as util-linux's close_fd() makes it. */
    public static int fsync(int fd) {
        return BACKEND.fsync(fd);
    }

    /** close(2): 0 or -errno. Never retried: on Linux the descriptor is gone even after EINTR. */
    public static int close(int fd) {
        return BACKEND.close(fd);
    }

    /** fcntl(2) with an int argument: the command's result or -errno. */
    public static int fcntl(int fd, int command, int argument) {
        return BACKEND.fcntl(fd, command, argument);
    }

    /**
     * fcntl(2) F_DUPFD_CLOEXEC: a new descriptor, close-on-exec, for the same open file description
     * (the lowest free number), or -errno.
     */
    public static int duplicate(int fd) {
        return BACKEND.fcntl(fd, Linux.F_DUPFD_CLOEXEC, 0);
    }

    /**
     * fcntl(2) F_OFD_SETLKW: takes ({@link Linux#F_RDLCK}, {@link Linux#F_WRLCK}) or releases
     * ({@link Linux#F_UNLCK}) a lock over the whole file owned by the open file description, waiting
     * while another lock conflicts (again after EINTR); 0 or -errno.
     */
    public static int lockWholeFile(int fd, short type) {
        ByteBuffer flock = allocate(Structs.FLOCK_SIZE); // zeroed: SEEK_SET, start 0, len 0 (to the end), pid 0
        flock.putShort(Structs.FLOCK_TYPE, type);
        int rc;
        do {
            rc = BACKEND.fcntl(fd, Linux.F_OFD_SETLKW, flock);
        } while (rc == EINTR);
        return rc;
    }

    /** lseek(2): the new offset or -errno (ENXIO when SEEK_DATA/SEEK_HOLE finds nothing before EOF). */
    public static long lseek(int fd, long offset, int whence) {
        return BACKEND.lseek(fd, offset, whence);
    }

    /**
     * pread(2) of {@code buffer.remaining()} bytes into {@code buffer} (direct, from {@link #allocate}):
     * bytes read (0 at EOF) or -errno. The buffer's position and limit are left as they were.
     */
    public static long pread(int fd, ByteBuffer buffer, long offset) {
        long n;
        do {
            n = BACKEND.pread(fd, buffer, offset);
        } while (n == EINTR);
        return n;
    }

    /**
     * statx(2)'s stx_ctime of an open descriptor, in nanoseconds since the epoch: when the inode last
     * changed (its data written, its size or blocks changed, its metadata set).
     */
    public static long changeTime(int fd) throws NativeException {
        ByteBuffer statx = STRUCT.get();
        statx.clear();
        check(BACKEND.statx(fd, statx));
        return statx.getLong(Structs.STATX_CTIME_SEC) * 1_000_000_000L
                + Integer.toUnsignedLong(statx.getInt(Structs.STATX_CTIME_NSEC));
    }

    /**
     * preadv2(2) with {@code RWF_DONTCACHE} (Linux 6.14): like {@link #pread}, but the pages the read brings
     * into the page cache are dropped once copied. Returns the bytes read or -errno: -EOPNOTSUPP where the
     * kernel or the filesystem does not support it.
     */
    public static long preadUncached(int fd, ByteBuffer buffer, long offset) {
        return BACKEND.preadv2(fd, buffer, offset, Linux.RWF_DONTCACHE);
    }

    /** statx(2) on an open descriptor. */
    public static FileStat fstat(int fd) throws NativeException {
        ByteBuffer statx = STRUCT.get();
        statx.clear();
        check(BACKEND.statx(fd, statx));
        return new FileStat(
                Short.toUnsignedInt(statx.getShort(Structs.STATX_MODE)),
                Integer.toUnsignedLong(statx.getInt(Structs.STATX_UID)), Integer.toUnsignedLong(statx.getInt(Structs.STATX_GID)),
                statx.getLong(Structs.STATX_SIZE_FIELD),
                statx.getLong(Structs.STATX_BLOCKS),
                statx.getInt(Structs.STATX_BLKSIZE),
                statx.getInt(Structs.STATX_RDEV_MAJOR), statx.getInt(Structs.STATX_RDEV_MINOR),
                statx.getInt(Structs.STATX_DEV_MAJOR), statx.getInt(Structs.STATX_DEV_MINOR));
    }

    /** fstatvfs(3): the filesystem's fundamental block size (f_frsize). */
    public static long fragmentSize(int fd) throws NativeException {
        ByteBuffer statvfs = STRUCT.get();
        statvfs.clear();
        check(BACKEND.fstatvfs(fd, statvfs));
        return statvfs.getLong(Structs.STATVFS_FRSIZE);
    }

    /** fstatfs(2): the filesystem's magic number (f_type). */
    public static long filesystemMagic(int fd) throws NativeException {
        ByteBuffer statfs = STRUCT.get();
        statfs.clear();
        check(BACKEND.fstatfs(fd, statfs));
        return statfs.getLong(Structs.STATFS_TYPE);
    }

    private static void check(int rc) throws NativeException {
        if (rc < 0) {
            throw new NativeException(-rc);
        }
    }

    /** ioctl(2) with a pointer argument: 0 (or the request's non-negative result) or -errno. */
    public static int ioctl(int fd, long request, ByteBuffer argument) {
        int rc;
        do {
            rc = BACKEND.ioctl(fd, request, argument);
        } while (rc == EINTR);
        return rc;
    }

    /** The size of a memory page, for mmap offsets and mincore's vector. */
    public static long pageSize() {
        return BACKEND.pageSize();
    }

    /**
     * Which pages of {@code [offset, offset+length)} are in the page cache: one byte per page into
     * {@code vector}, bit 0 set for resident (mmap, mincore, munmap). Returns 0 or -errno.
     */
    public static int residentPages(int fd, long offset, long length, ByteBuffer vector) {
        return BACKEND.residentPages(fd, offset, length, vector);
    }

    /**
     * cachestat(2) of {@code [offset, offset+length)} (pages partly in the range count): the page counts,
     * or {@link NativeException} with ENOSYS before Linux 6.5, EPERM when the kernel hides this file's page
     * cache from the caller, EOPNOTSUPP on hugetlbfs.
     */
    public static PageCounts cachestat(int fd, long offset, long length) throws NativeException {
        // The per-thread struct buffer, as for statx: the dig calls this once or twice per MiB it reads.
        ByteBuffer struct = STRUCT.get().clear();
        ByteBuffer range = struct.slice(0, Structs.CACHESTAT_RANGE_SIZE).order(ByteOrder.nativeOrder());
        range.putLong(Structs.CACHESTAT_RANGE_OFF, offset).putLong(Structs.CACHESTAT_RANGE_LEN, length);
        ByteBuffer counts = struct.slice(Structs.CACHESTAT_RANGE_SIZE, Structs.CACHESTAT_SIZE).order(ByteOrder.nativeOrder());
        check(BACKEND.cachestat(fd, range, counts));
        return new PageCounts(counts.getLong(Structs.CACHESTAT_NR_CACHE), counts.getLong(Structs.CACHESTAT_NR_DIRTY),
                counts.getLong(Structs.CACHESTAT_NR_WRITEBACK), counts.getLong(Structs.CACHESTAT_NR_EVICTED),
                counts.getLong(Structs.CACHESTAT_NR_RECENTLY_EVICTED));
    }

    /** struct cachestat: pages cached, of those dirty and under writeback; pages evicted, and evicted recently. */
    public record PageCounts(long cached, long dirty, long writeback, long evicted, long recentlyEvicted) {}

    /**
     * faccessat2(2) {@code W_OK} with {@code AT_EACCESS} on the descriptor itself: 0 when the caller's
     * effective ids could open the file for writing, else -errno (ENOSYS before Linux 5.8).
     */
    public static int writable(int fd) {
        return BACKEND.faccessat2(fd, Linux.W_OK, Linux.AT_EACCESS);
    }

    /**
     * madvise(2) of {@code length} bytes at {@code offset} from the start of a direct buffer holding a
     * mapping, the start rounded down to a page as the kernel requires (the kernel rounds the end up):
     * 0 or -errno. The caller checks the range lies in the buffer.
     */
    public static int madvise(ByteBuffer mapping, long offset, long length, int advice) {
        long start = BACKEND.address(mapping) + offset;
        long aligned = start & -pageSize();
        return BACKEND.madvise(mapping, aligned, start - aligned + length, advice);
    }

    /**
     * The fields of struct statx the library uses: {@code uid} and {@code gid} the owner (as seen through
     * the mount), {@code rdev} is the device a device node stands for,
     * {@code dev} the device holding the file (major and minor numbers).
     */
    public record FileStat(int mode, long uid, long gid, long size, long blocks, int blockSize,
                           int rdevMajor, int rdevMinor, int devMajor, int devMinor) {
        private static final int S_IFMT = 0170000;
        private static final int S_IFREG = 0100000;
        private static final int S_IFBLK = 0060000;
        private static final int S_IFCHR = 0020000;
        private static final int S_IFDIR = 0040000;

        public boolean isRegularFile() {
            return (mode & S_IFMT) == S_IFREG;
        }

        public boolean isBlockDevice() {
            return (mode & S_IFMT) == S_IFBLK;
        }

        public boolean isCharacterDevice() {
            return (mode & S_IFMT) == S_IFCHR;
        }

        public boolean isDirectory() {
            return (mode & S_IFMT) == S_IFDIR;
        }

        /** st_blocks counts 512-byte units whatever the filesystem's block size. */
        public long allocatedBytes() {
            return blocks * 512;
        }
    }

    /** A failed call's errno, for wrappers that return a struct rather than a number. */
    public static final class NativeException extends Exception {
        private static final long serialVersionUID = 1L;
        private final int errno;

        NativeException(int errno) {
            super(null, null, false, false);
            this.errno = errno;
        }

        public int errno() {
            return errno;
        }
    }
}
