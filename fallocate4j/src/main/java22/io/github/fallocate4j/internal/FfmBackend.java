package io.github.fallocate4j.internal;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.lang.ref.Reference;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;

/**
 * The {@link Backend} on the Foreign Function and Memory API (Java 22+): no runtime dependency. Each C
 * function is bound once, as a static final {@link MethodHandle} the JIT can inline, in a holder class of
 * its own so that it is bound on first use: binding costs milliseconds, and a short-lived program (the
 * CLI) needs few. errno is captured by the downcall itself ({@code captureCallState}), since the JVM may
 * make calls of its own that change it before Java code could read it.
 *
 * <p>Lives in the jar's {@code META-INF/versions/22}, so it must stay package-private (the jar tool
 * refuses a public class that only a versioned section holds); {@link Backends} loads it by name.
 */
@SuppressWarnings("restricted") // the library's users run it with --enable-native-access, as its README says
final class FfmBackend implements Backend {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup C = LINKER.defaultLookup();
    private static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CAPTURE_LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");
    private static final boolean MAC_OS = Platform.isMacOs();

    private static final class Fallocate {
        static final MethodHandle HANDLE = bind("fallocate",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG), CAPTURE_ERRNO);
    }

    // posix_fallocate and posix_fadvise return the error number and leave errno alone.
    private static final class PosixFallocate {
        static final MethodHandle HANDLE = bind("posix_fallocate",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG));
    }

    private static final class PosixFadvise {
        static final MethodHandle HANDLE = bind("posix_fadvise",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT));
    }

    private static final class Open {
        static final MethodHandle HANDLE = bind("open",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT),
                Linker.Option.firstVariadicArg(2), CAPTURE_ERRNO);
    }

    private static final class Fsync {
        static final MethodHandle HANDLE = bind("fsync",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT), CAPTURE_ERRNO);
    }

    private static final class Close {
        static final MethodHandle HANDLE = bind("close",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT), CAPTURE_ERRNO);
    }

    private static final class Lseek {
        static final MethodHandle HANDLE = bind("lseek",
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT), CAPTURE_ERRNO);
    }

    private static final class Pread {
        static final MethodHandle HANDLE = bind("pread",
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG), CAPTURE_ERRNO);
    }

    private static final class Preadv2 {
        static final MethodHandle HANDLE = bind("preadv2",
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG, JAVA_INT), CAPTURE_ERRNO);
    }

    private static final class Statx {
        static final MethodHandle HANDLE = bind("statx",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS), CAPTURE_ERRNO);
    }

    private static final class Fstat {
        static final MethodHandle HANDLE = bind(Darwin.cName("fstat"),
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS), CAPTURE_ERRNO);
    }

    private static final class Pwrite {
        static final MethodHandle HANDLE = bind("pwrite",
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG), CAPTURE_ERRNO);
    }

    private static final class Ftruncate {
        static final MethodHandle HANDLE = bind("ftruncate",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG), CAPTURE_ERRNO);
    }

    private static final class Fstatvfs {
        static final MethodHandle HANDLE = bind("fstatvfs",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS), CAPTURE_ERRNO);
    }

    private static final class Fstatfs {
        static final MethodHandle HANDLE = bind(Darwin.cName("fstatfs"),
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS), CAPTURE_ERRNO);
    }

    // ioctl(int fd, unsigned long request, ...): the argument is a pointer for every request used here.
    private static final class Ioctl {
        static final MethodHandle HANDLE = bind("ioctl",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS),
                Linker.Option.firstVariadicArg(2), CAPTURE_ERRNO);
    }

    private static final class Mmap {
        static final MethodHandle HANDLE = bind("mmap",
                FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG), CAPTURE_ERRNO);
    }

    private static final class Munmap {
        static final MethodHandle HANDLE = bind("munmap",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG), CAPTURE_ERRNO);
    }

    private static final class Mincore {
        static final MethodHandle HANDLE = bind("mincore",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS), CAPTURE_ERRNO);
    }

    // syscall(long number, ...): every argument passed as a full register (long or pointer).
    private static final class Cachestat {
        static final MethodHandle HANDLE = bind("syscall",
                FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS, ADDRESS, JAVA_LONG),
                Linker.Option.firstVariadicArg(1), CAPTURE_ERRNO);
    }

    private static final class Faccessat2 {
        static final MethodHandle HANDLE = bind("syscall",
                FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS, JAVA_LONG, JAVA_LONG),
                Linker.Option.firstVariadicArg(1), CAPTURE_ERRNO);
    }

    /**
     * madvise through syscall(2), with the mapping's segment as a fourth argument that the kernel ignores
     * (madvise reads three): a segment passed to a downcall is kept alive until it returns, so an arena
     * closed by another thread meanwhile cannot unmap the range, and a new mapping reuse its addresses,
     * under the advice. The address itself is page-aligned, so it may precede the segment: a plain long.
     */
    private static final class Madvise {
        static final MethodHandle HANDLE = bind("syscall",
                FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS),
                Linker.Option.firstVariadicArg(1), CAPTURE_ERRNO);
    }

    /**
     * madvise on macOS, bound by name (Darwin's system call numbers are not Linux's, and its syscall(2) is
     * deprecated), with the mapping's segment as a fourth argument for the same reason as above: madvise
     * reads its three arguments from registers (x0-x2 on arm64, rdi, rsi, rdx on x86_64), and the fourth
     * goes in the next argument register (x3, rcx), which the caller may clobber and madvise never reads.
     */
    private static final class LibcMadvise {
        static final MethodHandle HANDLE = bind("madvise",
                FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT, ADDRESS), CAPTURE_ERRNO);
    }

    private static final class Getpagesize {
        static final MethodHandle HANDLE = bind("getpagesize", FunctionDescriptor.of(JAVA_INT));
    }

    // fcntl(int fd, int cmd, ...): the third argument is variadic, which Apple's arm64 ABI passes on the
    // stack, not in a register; without firstVariadicArg the struct pointer F_PREALLOCATE reads is lost.
    private static final class Fcntl {
        static final MethodHandle HANDLE = bind("fcntl",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT),
                Linker.Option.firstVariadicArg(2), CAPTURE_ERRNO);
    }

    private static final class FcntlPointer {
        static final MethodHandle HANDLE = bind("fcntl",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS),
                Linker.Option.firstVariadicArg(2), CAPTURE_ERRNO);
    }

    /** statx's path argument: the empty string, with AT_EMPTY_PATH, means the descriptor itself. */
    private static final class EmptyPath {
        static final MemorySegment SEGMENT = Arena.global().allocateFrom("");
    }

    /** One errno capture buffer per thread: allocating it per call would cost more than a cheap syscall. */
    private static final ThreadLocal<MemorySegment> CAPTURE =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(CAPTURE_LAYOUT));

    FfmBackend() {}

    /**
     * Binds a C function. A function this C library lacks (statx before glibc 2.28, say) is bound to a
     * handle that throws {@link UnsupportedOperationException} when called, so that the calls that do
     * not need it keep working instead of the whole class failing to initialise.
     */
    static MethodHandle bind(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        return C.find(name)
                .map(symbol -> LINKER.downcallHandle(symbol, descriptor, options))
                .orElseGet(() -> {
                    MethodType type = LINKER.downcallHandle(descriptor, options).type().dropParameterTypes(0, 1);
                    MethodHandle thrower = MethodHandles.throwException(type.returnType(), UnsupportedOperationException.class)
                            .bindTo(new UnsupportedOperationException("the C library has no " + name + "()"));
                    return MethodHandles.dropArguments(thrower, 0, type.parameterList());
                });
    }

    @Override
    public String name() {
        return "ffm";
    }

    @Override
    public int fallocate(int fd, int mode, long offset, long len) {
        MemorySegment capture = CAPTURE.get();
        try {
            int rc = (int) Fallocate.HANDLE.invokeExact(capture, fd, mode, offset, len);
            return rc == 0 ? 0 : -errno(capture);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int posixFallocate(int fd, long offset, long len) {
        try {
            return -(int) PosixFallocate.HANDLE.invokeExact(fd, offset, len);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int posixFadvise(int fd, long offset, long len, int advice) {
        try {
            return -(int) PosixFadvise.HANDLE.invokeExact(fd, offset, len, advice);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int open(byte[] path, int flags) {
        MemorySegment capture = CAPTURE.get();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cPath = arena.allocate(path.length);
            MemorySegment.copy(path, 0, cPath, ValueLayout.JAVA_BYTE, 0, path.length);
            int fd = (int) Open.HANDLE.invokeExact(capture, cPath, flags, 0666);
            return fd >= 0 ? fd : -errno(capture);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int fsync(int fd) {
        MemorySegment capture = CAPTURE.get();
        try {
            int rc = (int) Fsync.HANDLE.invokeExact(capture, fd);
            return rc == 0 ? 0 : -errno(capture);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int close(int fd) {
        MemorySegment capture = CAPTURE.get();
        try {
            int rc = (int) Close.HANDLE.invokeExact(capture, fd);
            return rc == 0 ? 0 : -errno(capture);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int fcntl(int fd, int command, int argument) {
        MemorySegment capture = CAPTURE.get();
        try {
            int rc = (int) Fcntl.HANDLE.invokeExact(capture, fd, command, argument);
            return rc >= 0 ? rc : -errno(capture);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int fcntl(int fd, int command, ByteBuffer argument) {
        MemorySegment capture = CAPTURE.get();
        try {
            int rc = (int) FcntlPointer.HANDLE.invokeExact(capture, fd, command, MemorySegment.ofBuffer(argument));
            return rc >= 0 ? rc : -errno(capture);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public long lseek(int fd, long offset, int whence) {
        MemorySegment capture = CAPTURE.get();
        try {
            long rc = (long) Lseek.HANDLE.invokeExact(capture, fd, offset, whence);
            return rc >= 0 ? rc : -errno(capture);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public long pread(int fd, ByteBuffer buffer, long offset) {
        return ioCall(Pread.HANDLE, fd, buffer, offset);
    }

    /** A struct iovec per thread, for preadv2. */
    private static final ThreadLocal<MemorySegment> IOVEC =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(Structs.IOVEC_SIZE, 8));

    @Override
    public long preadv2(int fd, ByteBuffer buffer, long offset, int flags) {
        MemorySegment capture = CAPTURE.get();
        MemorySegment memory = MemorySegment.ofBuffer(buffer);
        MemorySegment iov = IOVEC.get();
        iov.set(JAVA_LONG, Structs.IOVEC_BASE, memory.address());
        iov.set(JAVA_LONG, Structs.IOVEC_LEN, memory.byteSize());
        try {
            long n = (long) Preadv2.HANDLE.invokeExact(capture, fd, iov, 1, offset, flags);
            return n >= 0 ? n : -errno(capture);
        } catch (Throwable t) {
            throw rethrow(t);
        } finally {
            Reference.reachabilityFence(buffer);
        }
    }

    /** Calls {@code ssize_t f(int fd, void *buf, size_t count, off_t offset)} over the buffer's remaining bytes. */
    private static long ioCall(MethodHandle function, int fd, ByteBuffer buffer, long offset) {
        MemorySegment capture = CAPTURE.get();
        MemorySegment memory = MemorySegment.ofBuffer(buffer);
        try {
            long n = (long) function.invokeExact(capture, fd, memory, memory.byteSize(), offset);
            return n >= 0 ? n : -errno(capture);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public long pwrite(int fd, ByteBuffer buffer, long offset) {
        return ioCall(Pwrite.HANDLE, fd, buffer, offset);
    }

    @Override
    public int ftruncate(int fd, long length) {
        MemorySegment capture = CAPTURE.get();
        try {
            int rc = (int) Ftruncate.HANDLE.invokeExact(capture, fd, length);
            return rc == 0 ? 0 : -errno(capture);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int fstat(int fd, ByteBuffer stat) {
        return structCall(Fstat.HANDLE, fd, stat);
    }

    @Override
    public int statx(int fd, ByteBuffer statx) {
        MemorySegment capture = CAPTURE.get();
        try {
            int rc = (int) Statx.HANDLE.invokeExact(capture, fd, EmptyPath.SEGMENT, Linux.AT_EMPTY_PATH,
                    Linux.STATX_BASIC_STATS, MemorySegment.ofBuffer(statx));
            return rc == 0 ? 0 : -errno(capture);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int fstatvfs(int fd, ByteBuffer statvfs) {
        return structCall(Fstatvfs.HANDLE, fd, statvfs);
    }

    @Override
    public int fstatfs(int fd, ByteBuffer statfs) {
        return structCall(Fstatfs.HANDLE, fd, statfs);
    }

    /** Calls {@code int f(int fd, struct *buf)}. */
    private static int structCall(MethodHandle function, int fd, ByteBuffer struct) {
        MemorySegment capture = CAPTURE.get();
        try {
            int rc = (int) function.invokeExact(capture, fd, MemorySegment.ofBuffer(struct));
            return rc == 0 ? 0 : -errno(capture);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int ioctl(int fd, long request, ByteBuffer argument) {
        MemorySegment capture = CAPTURE.get();
        try {
            int rc = (int) Ioctl.HANDLE.invokeExact(capture, fd, request, MemorySegment.ofBuffer(argument));
            return rc >= 0 ? rc : -errno(capture);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int pageSize() {
        try {
            return (int) Getpagesize.HANDLE.invokeExact();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int residentPages(int fd, long offset, long length, ByteBuffer vector) {
        MemorySegment capture = CAPTURE.get();
        try {
            MemorySegment address = (MemorySegment) Mmap.HANDLE.invokeExact(capture, MemorySegment.NULL, length,
                    Linux.PROT_READ, Linux.MAP_SHARED, fd, offset);
            if (address.address() == -1L) {
                return -errno(capture);
            }
            try {
                int rc = (int) Mincore.HANDLE.invokeExact(capture, address, length, MemorySegment.ofBuffer(vector));
                return rc == 0 ? 0 : -errno(capture);
            } finally {
                int ignored = (int) Munmap.HANDLE.invokeExact(capture, address, length);
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int cachestat(int fd, ByteBuffer range, ByteBuffer cachestat) {
        MemorySegment capture = CAPTURE.get();
        try {
            long rc = (long) Cachestat.HANDLE.invokeExact(capture, Linux.SYS_CACHESTAT, (long) fd,
                    MemorySegment.ofBuffer(range), MemorySegment.ofBuffer(cachestat), 0L);
            return rc == 0 ? 0 : -errno(capture);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int faccessat2(int fd, int mode, int flags) {
        MemorySegment capture = CAPTURE.get();
        try {
            long rc = (long) Faccessat2.HANDLE.invokeExact(capture, Linux.SYS_FACCESSAT2, (long) fd, EmptyPath.SEGMENT,
                    (long) mode, (long) (flags | Linux.AT_EMPTY_PATH));
            return rc == 0 ? 0 : -errno(capture);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public long address(ByteBuffer direct) {
        return MemorySegment.ofBuffer(direct).address() - direct.position();
    }

    @Override
    public int madvise(ByteBuffer mapping, long address, long length, int advice) {
        if (MAC_OS) {
            return libcMadvise(mapping, address, length, advice);
        }
        MemorySegment capture = CAPTURE.get();
        try {
            long rc = (long) Madvise.HANDLE.invokeExact(capture, Linux.SYS_MADVISE, address, length, (long) advice,
                    MemorySegment.ofBuffer(mapping));
            return rc == 0 ? 0 : -errno(capture);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** The C library's madvise, as macOS calls it; Linux has the symbol too, where FfmBackendTest calls it. */
    static int libcMadvise(ByteBuffer mapping, long address, long length, int advice) {
        MemorySegment capture = CAPTURE.get();
        try {
            int rc = (int) LibcMadvise.HANDLE.invokeExact(capture, address, length, advice, MemorySegment.ofBuffer(mapping));
            return rc == 0 ? 0 : -errno(capture);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static int errno(MemorySegment capture) {
        return (int) ERRNO.get(capture, 0L);
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException("unexpected checked exception from a downcall", t);
    }
}
