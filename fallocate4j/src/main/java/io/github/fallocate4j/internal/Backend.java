package io.github.fallocate4j.internal;

import java.nio.ByteBuffer;

/**
 * The C calls the library makes, one method each, implemented once per way of calling C: {@code FfmBackend}
 * (Java 22+, in the jar's {@code META-INF/versions/22}) and {@link JnaBackend} (Java 17+, when JNA is on the
 * class path). {@link LibC} picks one at first use; nothing else names an implementation.
 *
 * <p>Each method makes its call once and returns a non-negative result or {@code -errno}; retrying on
 * EINTR and reading structs is {@link LibC}'s job, so both implementations behave alike by construction.
 * Numbers (flags, requests, struct offsets) are the Linux ones from {@link Linux}; on macOS
 * {@link DarwinBackend} wraps the FFM or JNA backend, translates them to Darwin's ({@link Darwin}) and
 * emulates the calls macOS lacks, so that the rest of the library sees the same interface. Memory is passed as
 * direct {@link ByteBuffer}s in native byte order; a call reads or writes the buffer from its position
 * to its limit and leaves both unchanged.
 */
interface Backend {
    /** The name {@code -Dfallocate4j.backend} selects this implementation by. */
    String name();

    /** fallocate(2). */
    int fallocate(int fd, int mode, long offset, long len);

    /** posix_fallocate(3), which returns the error number rather than setting errno: 0 or -error. */
    int posixFallocate(int fd, long offset, long len);

    /** posix_fadvise(3), which returns the error number rather than setting errno: 0 or -error. */
    int posixFadvise(int fd, long offset, long len, int advice);

    /** open(2) of a NUL-terminated path, with mode 0666 (less the umask) for created files. */
    int open(byte[] path, int flags);

    /** fsync(2). */
    int fsync(int fd);

    /** close(2). */
    int close(int fd);

    /** fcntl(2) with an int argument (ignored by commands that take none). */
    int fcntl(int fd, int command, int argument);

    /** fcntl(2) with a pointer argument (struct flock for the lock commands). */
    int fcntl(int fd, int command, ByteBuffer argument);

    /** lseek(2). */
    long lseek(int fd, long offset, int whence);

    /** pread(2) of {@code buffer.remaining()} bytes into the buffer. */
    long pread(int fd, ByteBuffer buffer, long offset);

    /**
     * preadv2(2) of {@code buffer.remaining()} bytes into the buffer (one struct iovec) with {@code flags}
     * ({@code RWF_*}); -EOPNOTSUPP for a flag the kernel or the filesystem does not support. Linux only.
     */
    long preadv2(int fd, ByteBuffer buffer, long offset, int flags);

    /** pwrite(2) of {@code buffer.remaining()} bytes from the buffer: bytes written or -errno. */
    long pwrite(int fd, ByteBuffer buffer, long offset);

    /** ftruncate(2). */
    int ftruncate(int fd, long length);

    /**
     * fstat(2) into the C library's struct stat. Used on macOS, which has no statx (the 64-bit-inode
     * symbol, {@link Darwin#symbol}); Linux reads statx.
     */
    int fstat(int fd, ByteBuffer stat);

    /** statx(2) of the open descriptor ({@code AT_EMPTY_PATH}, {@code STATX_BASIC_STATS}) into a struct statx. */
    int statx(int fd, ByteBuffer statx);

    /** fstatvfs(3) into a struct statvfs. */
    int fstatvfs(int fd, ByteBuffer statvfs);

    /** fstatfs(2) into a struct statfs. */
    int fstatfs(int fd, ByteBuffer statfs);

    /** ioctl(2) with a pointer argument. */
    int ioctl(int fd, long request, ByteBuffer argument);

    /**
     * mmap(2) of {@code [offset, offset+length)} read-only and shared, mincore(2) of the mapping into
     * {@code vector} (one byte per page), munmap(2): 0 or the -errno of the first call that failed. The
     * mapping is never read, so a file shrinking meanwhile cannot fault, and never outlives the call.
     */
    int residentPages(int fd, long offset, long length, ByteBuffer vector);

    /**
     * cachestat(2), through syscall(2): the page-cache counts of the range in {@code range} (a struct
     * cachestat_range) into {@code cachestat} (a struct cachestat). 0 or -errno (ENOSYS before Linux 6.5).
     */
    int cachestat(int fd, ByteBuffer range, ByteBuffer cachestat);

    /**
     * faccessat2(2), through syscall(2), of the descriptor itself ({@code AT_EMPTY_PATH} is added to
     * {@code flags}): 0 or -errno (ENOSYS before Linux 5.8).
     */
    int faccessat2(int fd, int mode, int flags);

    /** The address of a direct buffer's first byte (whatever its position). */
    long address(ByteBuffer direct);

    /**
     * madvise(2) of {@code [address, address+length)}, which lies in the memory of {@code mapping}'s
     * mapping (its first page may start before the buffer), kept mapped until the call returns: 0 or -errno.
     */
    int madvise(ByteBuffer mapping, long address, long length, int advice);

    /** getpagesize(2). */
    int pageSize();
}
