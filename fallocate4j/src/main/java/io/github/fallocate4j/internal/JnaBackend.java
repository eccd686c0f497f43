package io.github.fallocate4j.internal;

import com.sun.jna.FunctionMapper;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.lang.ref.Reference;
import java.nio.ByteOrder;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Objects;

/**
 * The {@link Backend} on JNA's direct mapping (Java 17+): static native methods bound with
 * {@link Native#register}, which JNA calls without the reflection and argument boxing of its interface
 * mapping. JNA keeps each thread's errno after every direct call; {@link Native#getLastError()} reads
 * it, and only after a call has reported failure, as C code reads errno.
 *
 * <p>statx is bound on its own: a C library without it (glibc before 2.28) would otherwise fail the
 * whole registration, where now only that call fails, with {@link UnsupportedOperationException}.
 *
 * <p>macOS lacks fallocate, posix_fallocate, posix_fadvise and statx, so they are registered apart
 * ({@code LinuxOnly}) and only on Linux; and there open and fcntl go through {@code DarwinVarargs}, an
 * interface mapping whose varargs JNA passes as C varargs: Apple's arm64 ABI puts a variadic argument
 * on the stack, where a direct mapping's fixed argument (in a register) would never be read.
 */
final class JnaBackend implements Backend {
    private static final String C_LIBRARY = com.sun.jna.Platform.C_LIBRARY_NAME;
    private static final boolean MAC_OS = Platform.isMacOs();

    /**
     * Binds every C function now, so that a JNA that cannot load fails the choice of backend, not a call,
     * and no call later pays for (or opens files during) a registration.
     */
    JnaBackend() {
        C.bind();
        Stat.bind();
        if (MAC_OS) {
            Objects.requireNonNull(DarwinVarargs.C);
            Fstat.bind();
        } else {
            LinuxOnly.bind();
            FcntlPointer.bind();
            Cachestat.bind();
            Faccessat2.bind();
            Objects.requireNonNull(Statx.EMPTY_PATH); // registers statx, or records that the C library lacks it
        }
    }

    /** The functions both systems have, under the same names and with fixed arguments only. */
    private static final class C {
        static {
            Native.register(C.class, NativeLibrary.getInstance(C_LIBRARY));
        }

        static void bind() {
            // Loading the class ran the registration.
        }

        static native int fsync(int fd);

        static native int close(int fd);

        static native long lseek(int fd, long offset, int whence);

        static native long pread(int fd, ByteBuffer buffer, long count, long offset);

        static native long pwrite(int fd, ByteBuffer buffer, long count, long offset);

        static native int ftruncate(int fd, long length);

        static native int fstatvfs(int fd, ByteBuffer statvfs);

        static native int ioctl(int fd, long request, ByteBuffer argument);

        static native long mmap(long address, long length, int protection, int flags, int fd, long offset);

        static native int munmap(long address, long length);

        static native int mincore(long address, long length, ByteBuffer vector);

        static native int getpagesize();

        static native int madvise(long address, long length, int advice);
    }

    /** fstatfs, under the symbol {@link Darwin#cName} gives (the 64-bit-inode one on macOS x86_64). */
    private static final class Stat {
        static {
            Native.register(Stat.class, darwinSymbols());
        }

        static void bind() {
            // Loading the class ran the registration.
        }

        static native int fstatfs(int fd, ByteBuffer statfs);
    }

    /** fstat, which only macOS needs (Linux reads statx), and glibc before 2.33 exports only as __fxstat. */
    private static final class Fstat {
        static {
            Native.register(Fstat.class, darwinSymbols());
        }

        static void bind() {
            // Loading the class ran the registration.
        }

        static native int fstat(int fd, ByteBuffer stat);
    }

    /** The C library, its functions looked up under {@link Darwin#cName}: one instance for every holder. */
    private static NativeLibrary darwinSymbols() {
        return DarwinSymbols.LIBRARY;
    }

    private static final class DarwinSymbols {
        static final NativeLibrary LIBRARY = NativeLibrary.getInstance(C_LIBRARY, Map.of(Library.OPTION_FUNCTION_MAPPER,
                (FunctionMapper) (library, method) -> Darwin.cName(method.getName())));
    }

    /** Linux's functions macOS lacks, and open and fcntl with their variadic argument as a fixed one (same ABI on Linux). */
    private static final class LinuxOnly {
        static {
            Native.register(LinuxOnly.class, NativeLibrary.getInstance(C_LIBRARY));
        }

        static void bind() {
            // Loading the class ran the registration.
        }

        static native int fallocate(int fd, int mode, long offset, long len);

        static native int posix_fallocate(int fd, long offset, long len);

        static native int posix_fadvise(int fd, long offset, long len, int advice);

        static native int open(byte[] path, int flags, int mode);

        static native int fcntl(int fd, int command, int argument);

        static native long preadv2(int fd, ByteBuffer iov, int iovcnt, long offset, int flags);
    }

    /** open and fcntl on macOS, their last argument passed as a C variadic one. */
    interface DarwinVarargs extends Library {
        DarwinVarargs C = Native.load(C_LIBRARY, DarwinVarargs.class);

        int open(byte[] path, int flags, Object... mode);

        int fcntl(int fd, int command, Object... argument);
    }

    // syscall(2) is variadic: each use is a signature of its own, so a holder of its own. Every argument
    // is passed as a long, as the kernel reads each from a full register. Linux only.
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
        return LinuxOnly.fallocate(fd, mode, offset, len) == 0 ? 0 : errno();
    }

    @Override
    public int posixFallocate(int fd, long offset, long len) {
        return -LinuxOnly.posix_fallocate(fd, offset, len);
    }

    @Override
    public int posixFadvise(int fd, long offset, long len, int advice) {
        return -LinuxOnly.posix_fadvise(fd, offset, len, advice);
    }

    @Override
    public int open(byte[] path, int flags) {
        int fd = MAC_OS ? DarwinVarargs.C.open(path, flags, 0666) : LinuxOnly.open(path, flags, 0666);
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
        int rc = MAC_OS ? DarwinVarargs.C.fcntl(fd, command, argument) : LinuxOnly.fcntl(fd, command, argument);
        return rc >= 0 ? rc : errno();
    }

    @Override
    public int fcntl(int fd, int command, ByteBuffer argument) {
        int rc = MAC_OS ? DarwinVarargs.C.fcntl(fd, command, Native.getDirectBufferPointer(atPosition(argument)))
                : FcntlPointer.fcntl(fd, command, atPosition(argument));
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

    /** A struct iovec per thread, for preadv2. */
    private static final ThreadLocal<ByteBuffer> IOVEC =
            ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(Structs.IOVEC_SIZE).order(ByteOrder.nativeOrder()));

    @Override
    public long preadv2(int fd, ByteBuffer buffer, long offset, int flags) {
        ByteBuffer iov = IOVEC.get();
        iov.putLong(Structs.IOVEC_BASE, Pointer.nativeValue(Native.getDirectBufferPointer(buffer)) + buffer.position());
        iov.putLong(Structs.IOVEC_LEN, buffer.remaining());
        long n = LinuxOnly.preadv2(fd, iov, 1, offset, flags);
        Reference.reachabilityFence(buffer);
        return n >= 0 ? n : errno();
    }

    @Override
    public long pwrite(int fd, ByteBuffer buffer, long offset) {
        long n = C.pwrite(fd, atPosition(buffer), buffer.remaining(), offset);
        return n >= 0 ? n : errno();
    }

    @Override
    public int ftruncate(int fd, long length) {
        return C.ftruncate(fd, length) == 0 ? 0 : errno();
    }

    @Override
    public int fstat(int fd, ByteBuffer stat) {
        return Fstat.fstat(fd, atPosition(stat)) == 0 ? 0 : errno();
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
        return Stat.fstatfs(fd, atPosition(statfs)) == 0 ? 0 : errno();
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
