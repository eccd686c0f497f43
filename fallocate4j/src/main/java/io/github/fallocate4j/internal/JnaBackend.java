package io.github.fallocate4j.internal;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * The {@link Backend} on JNA's direct mapping (Java 17+): static native methods bound with
 * {@link Native#register}, which JNA calls without the reflection and argument boxing of its interface
 * mapping. JNA keeps each thread's errno after every direct call; {@link Native#getLastError()} reads
 * it, and only after a call has reported failure, as C code reads errno.
 *
 * <p>statx is bound on its own: a C library without it (glibc before 2.28) would otherwise fail the
 * whole registration, where now only that call fails, with {@link UnsupportedOperationException}.
 */
final class JnaBackend implements Backend {
    private static final String C_LIBRARY = Platform.C_LIBRARY_NAME;

    /**
     * Binds every C function now, so that a JNA that cannot load fails the choice of backend, not a call,
     * and no call later pays for (or opens files during) a registration.
     */
    JnaBackend() {
        C.bind();
        FcntlPointer.bind();
        Cachestat.bind();
        Faccessat2.bind();
        Objects.requireNonNull(Statx.EMPTY_PATH); // registers statx, or records that the C library lacks it
    }

    private static final class C {
        static {
            Native.register(C.class, NativeLibrary.getInstance(C_LIBRARY));
        }

        static void bind() {
            // Loading the class ran the registration.
        }

        static native int fallocate(int fd, int mode, long offset, long len);

        static native int posix_fallocate(int fd, long offset, long len);

        static native int posix_fadvise(int fd, long offset, long len, int advice);

        static native int open(byte[] path, int flags, int mode);

        static native int fsync(int fd);

        static native int close(int fd);

        static native int fcntl(int fd, int command, int argument);

        static native long lseek(int fd, long offset, int whence);

        static native long pread(int fd, ByteBuffer buffer, long count, long offset);

        static native int fstatvfs(int fd, ByteBuffer statvfs);

        static native int fstatfs(int fd, ByteBuffer statfs);

        static native int ioctl(int fd, long request, ByteBuffer argument);

        static native long mmap(long address, long length, int protection, int flags, int fd, long offset);

        static native int munmap(long address, long length);

        static native int mincore(long address, long length, ByteBuffer vector);

        static native int getpagesize();

        static native int madvise(long address, long length, int advice);
    }

    // syscall(2) is variadic: each use is a signature of its own, so a holder of its own. Every argument
    // is passed as a long, as the kernel reads each from a full register.
    private static final class Cachestat {
        static {
            Native.register(Cachestat.class, NativeLibrary.getInstance(C_LIBRARY));
        }

        static void bind() {
            // Loading the class ran the registration.
        }

        static native long syscall(long number, long fd, ByteBuffer range, ByteBuffer cachestat, long flags);
    }

    private static final class Faccessat2 {
        static {
            Native.register(Faccessat2.class, NativeLibrary.getInstance(C_LIBRARY));
        }

        static void bind() {
            // Loading the class ran the registration.
        }

        static native long syscall(long number, long dirfd, byte[] path, long mode, long flags);
    }

    /** fcntl with a pointer argument: a holder of its own, as JNA binds one signature per name and class. */
    private static final class FcntlPointer {
        static {
            Native.register(FcntlPointer.class, NativeLibrary.getInstance(C_LIBRARY));
        }

        static void bind() {
            // Loading the class ran the registration.
        }

        static native int fcntl(int fd, int command, ByteBuffer argument);
    }

    private static final class Statx {
        static final byte[] EMPTY_PATH = {0};
        static final UnsatisfiedLinkError MISSING = register();

        private static UnsatisfiedLinkError register() {
            try {
                Native.register(Statx.class, NativeLibrary.getInstance(C_LIBRARY));
                return null;
            } catch (UnsatisfiedLinkError e) {
                return e;
            }
        }

        static native int statx(int dirfd, byte[] path, int flags, int mask, ByteBuffer statx);
    }

    /** JNA passes a direct buffer's start address, whatever its position: a slice starts at the position. */
    private static ByteBuffer atPosition(ByteBuffer buffer) {
        return buffer.position() == 0 ? buffer : buffer.slice();
    }

    private static int errno() {
        return -Native.getLastError();
    }

    @Override
    public String name() {
        return "jna";
    }

    @Override
    public int fallocate(int fd, int mode, long offset, long len) {
        return C.fallocate(fd, mode, offset, len) == 0 ? 0 : errno();
    }

    @Override
    public int posixFallocate(int fd, long offset, long len) {
        return -C.posix_fallocate(fd, offset, len);
    }

    @Override
    public int posixFadvise(int fd, long offset, long len, int advice) {
        return -C.posix_fadvise(fd, offset, len, advice);
    }

    @Override
    public int open(byte[] path, int flags) {
        int fd = C.open(path, flags, 0666);
        return fd >= 0 ? fd : errno();
    }

    @Override
    public int fsync(int fd) {
        return C.fsync(fd) == 0 ? 0 : errno();
    }

    @Override
    public int close(int fd) {
        return C.close(fd) == 0 ? 0 : errno();
    }

    @Override
    public int fcntl(int fd, int command, int argument) {
        int rc = C.fcntl(fd, command, argument);
        return rc >= 0 ? rc : errno();
    }

    @Override
    public int fcntl(int fd, int command, ByteBuffer argument) {
        int rc = FcntlPointer.fcntl(fd, command, atPosition(argument));
        return rc >= 0 ? rc : errno();
    }

    @Override
    public long lseek(int fd, long offset, int whence) {
        long rc = C.lseek(fd, offset, whence);
        return rc >= 0 ? rc : errno();
    }

    @Override
    public long pread(int fd, ByteBuffer buffer, long offset) {
        long n = C.pread(fd, atPosition(buffer), buffer.remaining(), offset);
        return n >= 0 ? n : errno();
    }

    @Override
    public int statx(int fd, ByteBuffer statx) {
        if (Statx.MISSING != null) {
            throw new UnsupportedOperationException("the C library has no statx()", Statx.MISSING);
        }
        int rc = Statx.statx(fd, Statx.EMPTY_PATH, Linux.AT_EMPTY_PATH, Linux.STATX_BASIC_STATS, atPosition(statx));
        return rc == 0 ? 0 : errno();
    }

    @Override
    public int fstatvfs(int fd, ByteBuffer statvfs) {
        return C.fstatvfs(fd, atPosition(statvfs)) == 0 ? 0 : errno();
    }

    @Override
    public int fstatfs(int fd, ByteBuffer statfs) {
        return C.fstatfs(fd, atPosition(statfs)) == 0 ? 0 : errno();
    }

    @Override
    public int ioctl(int fd, long request, ByteBuffer argument) {
        int rc = C.ioctl(fd, request, atPosition(argument));
        return rc >= 0 ? rc : errno();
    }

    @Override
    public int residentPages(int fd, long offset, long length, ByteBuffer vector) {
        long address = C.mmap(0, length, Linux.PROT_READ, Linux.MAP_SHARED, fd, offset);
        if (address == -1L) {
            return errno();
        }
        try {
            return C.mincore(address, length, atPosition(vector)) == 0 ? 0 : errno();
        } finally {
            C.munmap(address, length);
        }
    }

    @Override
    public int cachestat(int fd, ByteBuffer range, ByteBuffer cachestat) {
        return Cachestat.syscall(Linux.SYS_CACHESTAT, fd, atPosition(range), atPosition(cachestat), 0) == 0 ? 0 : errno();
    }

    @Override
    public int faccessat2(int fd, int mode, int flags) {
        return Faccessat2.syscall(Linux.SYS_FACCESSAT2, fd, Statx.EMPTY_PATH, mode, flags | Linux.AT_EMPTY_PATH) == 0
                ? 0 : errno();
    }

    @Override
    public long address(ByteBuffer direct) {
        return Pointer.nativeValue(Native.getDirectBufferPointer(direct));
    }

    @Override
    public int madvise(ByteBuffer mapping, long address, long length, int advice) {
        try {
            return C.madvise(address, length, advice) == 0 ? 0 : errno();
        } finally {
            // A MappedByteBuffer is unmapped once it is unreachable: not before the call has returned.
            Reference.reachabilityFence(mapping);
        }
    }

    @Override
    public int pageSize() {
        return C.getpagesize();
    }
}
