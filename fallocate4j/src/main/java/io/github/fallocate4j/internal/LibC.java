package io.github.fallocate4j.internal;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

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

/**
 * The only place that declares downcalls into the C library. Each function is bound once, as a
 * static final {@link MethodHandle} the JIT can inline, in a holder class of its own so that it is
 * bound on first use: binding costs milliseconds, and a short-lived program (the CLI) needs few.
 *
 * <p>Every wrapper returns a non-negative result on success and {@code -errno} on failure, which
 * keeps {@link MemorySegment} and the errno capture out of the callers. Calls that can be
 * interrupted by a signal are retried on {@code EINTR} here.
 *
 * <p>Callers must call {@link Platform#requireSupported()} before touching this class.
 */
public final class LibC {
    public static final int O_RDONLY = 0;
    public static final int O_WRONLY = 1;
    public static final int O_RDWR = 2;
    public static final int O_ACCMODE = 3;
    public static final int O_APPEND = 02000;
    public static final int O_PATH = 010000000;
    public static final int O_CREAT = 0100;
    public static final int O_NONBLOCK = 04000;
    public static final int O_CLOEXEC = 02000000;

    public static final int F_GETFL = 3;
    public static final int F_GET_SEALS = 1034;

    public static final int SEEK_DATA = 3;
    public static final int SEEK_HOLE = 4;

    static final int EINTR = 4;
    private static final int F_DUPFD_CLOEXEC = 1030;
    private static final int F_OFD_SETLKW = 38;
    public static final short F_RDLCK = 0;
    public static final short F_WRLCK = 1;
    public static final short F_UNLCK = 2;
    /** struct flock on 64-bit Linux (x86_64 and aarch64 alike). */
    private static final StructLayout FLOCK = MemoryLayout.structLayout(
            JAVA_SHORT.withName("l_type"), JAVA_SHORT.withName("l_whence"), MemoryLayout.paddingLayout(4),
            JAVA_LONG.withName("l_start"), JAVA_LONG.withName("l_len"),
            JAVA_INT.withName("l_pid"), MemoryLayout.paddingLayout(4));
    private static final VarHandle FLOCK_TYPE = FLOCK.varHandle(MemoryLayout.PathElement.groupElement("l_type"));
    private static final int PROT_READ = 1;
    private static final int MAP_SHARED = 1;
    private static final int AT_EMPTY_PATH = 0x1000;
    private static final int STATX_BASIC_STATS = 0x7ff;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup C = LINKER.defaultLookup();
    private static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CAPTURE_LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

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

    private static final class Statx {
        static final MethodHandle HANDLE = bind("statx",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS), CAPTURE_ERRNO);
    }

    private static final class Fstatvfs {
        static final MethodHandle HANDLE = bind("fstatvfs",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS), CAPTURE_ERRNO);
    }

    private static final class Fstatfs {
        static final MethodHandle HANDLE = bind("fstatfs",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS), CAPTURE_ERRNO);
    }

    // ioctl(int fd, unsigned long request, ...): the argument is a pointer for every request used here.
    private static final class Ioctl {
        static final MethodHandle HANDLE = bind("ioctl",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS),
                Linker.Option.firstVariadicArg(2), CAPTURE_ERRNO);
    }

    // fcntl(int fd, int cmd, ...): declared with a pointer argument, which also carries the integer
    // argument of F_DUPFD_CLOEXEC (both travel in one general register or stack slot on every ABI used).
    private static final class Fcntl {
        static final MethodHandle HANDLE = bind("fcntl",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS),
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

    private static final class Getpagesize {
        static final MethodHandle HANDLE = bind("getpagesize", FunctionDescriptor.of(JAVA_INT));
    }


    /** One errno capture buffer per thread: allocating it per call would cost more than a cheap syscall. */
    private static final ThreadLocal<MemorySegment> CAPTURE =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(CAPTURE_LAYOUT));

    private LibC() {}

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

    private static int errno(MemorySegment capture) {
        return (int) ERRNO.get(capture, 0L);
    }

    /** fallocate(2): 0 or -errno. */
    public static int fallocate(int fd, int mode, long offset, long len) {
        MemorySegment capture = CAPTURE.get();
        try {
            while (true) {
                int rc = (int) Fallocate.HANDLE.invokeExact(capture, fd, mode, offset, len);
                if (rc == 0) {
                    return 0;
                }
                int errno = errno(capture);
                if (errno != EINTR) {
                    return -errno;
                }
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** posix_fallocate(3): 0 or -errno. */
    public static int posixFallocate(int fd, long offset, long len) {
        try {
            int err;
            do {
                err = (int) PosixFallocate.HANDLE.invokeExact(fd, offset, len);
            } while (err == EINTR);
            return -err;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** posix_fadvise(3): 0 or -errno. */
    public static int posixFadvise(int fd, long offset, long len, int advice) {
        try {
            int err;
            do {
                err = (int) PosixFadvise.HANDLE.invokeExact(fd, offset, len, advice);
            } while (err == EINTR);
            return -err;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * open(2) of a path given as its exact bytes (no NUL), with mode 0666 (less the umask) for created
     * files: the descriptor or -errno. Bytes, not a String: a file name is bytes, and only the caller
     * knows which (the JDK's encoding of a Path, or a command line's argv as given).
     */
    public static int open(byte[] path, int flags) {
        MemorySegment capture = CAPTURE.get();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cPath = arena.allocate(path.length + 1L);
            MemorySegment.copy(path, 0, cPath, JAVA_BYTE, 0, path.length);
            while (true) {
                int fd = (int) Open.HANDLE.invokeExact(capture, cPath, flags, 0666);
                if (fd >= 0) {
                    return fd;
                }
                int errno = errno(capture);
                if (errno != EINTR) {
                    return -errno;
                }
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** fcntl(2) with an int argument (0 for commands that take none): the result or -errno. */
    public static int fcntl(int fd, int command, int argument) {
        return fcntl(fd, command, MemorySegment.ofAddress(argument));
    }

    /** fsync(2): 0 or -errno. Made once, as util-linux's close_fd() makes it. */
    public static int fsync(int fd) {
        MemorySegment capture = CAPTURE.get();
        try {
            int rc = (int) Fsync.HANDLE.invokeExact(capture, fd);
            return rc == 0 ? 0 : -errno(capture);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** close(2): 0 or -errno. Never retried: on Linux the descriptor is gone even after EINTR. */
    public static int close(int fd) {
        MemorySegment capture = CAPTURE.get();
        try {
            int rc = (int) Close.HANDLE.invokeExact(capture, fd);
            return rc == 0 ? 0 : -errno(capture);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * fcntl(2) F_DUPFD_CLOEXEC: a new descriptor, close-on-exec, for the same open file description
     * (the lowest free number), or -errno.
     */
    public static int duplicate(int fd) {
        return fcntl(fd, F_DUPFD_CLOEXEC, MemorySegment.NULL);
    }

    /**
     * fcntl(2) F_OFD_SETLKW: takes ({@link #F_RDLCK}, {@link #F_WRLCK}) or releases ({@link #F_UNLCK}) a
     * lock over the whole file owned by the open file description, waiting while another lock conflicts;
     * 0 or -errno.
     */
    public static int lockWholeFile(int fd, short type) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment flock = arena.allocate(FLOCK); // zeroed: SEEK_SET, start 0, len 0 (to the end), pid 0
            FLOCK_TYPE.set(flock, 0L, type);
            return fcntl(fd, F_OFD_SETLKW, flock);
        }
    }

    private static int fcntl(int fd, int command, MemorySegment argument) {
        return retried(capture -> (int) Fcntl.HANDLE.invokeExact(capture, fd, command, argument));
    }

    /** A call returning an int, {@code -1} with errno on failure, given the errno capture buffer. */
    @FunctionalInterface
    private interface IntCall {
        int invoke(MemorySegment capture) throws Throwable;
    }

    /** Makes {@code call}, again after EINTR: its non-negative result, or -errno. */
    private static int retried(IntCall call) {
        MemorySegment capture = CAPTURE.get();
        try {
            while (true) {
                int rc = call.invoke(capture);
                if (rc >= 0) {
                    return rc;
                }
                int errno = errno(capture);
                if (errno != EINTR) {
                    return -errno;
                }
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** lseek(2): the new offset or -errno (ENXIO when SEEK_DATA/SEEK_HOLE finds nothing before EOF). */
    public static long lseek(int fd, long offset, int whence) {
        MemorySegment capture = CAPTURE.get();
        try {
            long rc = (long) Lseek.HANDLE.invokeExact(capture, fd, offset, whence);
            return rc >= 0 ? rc : -errno(capture);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** pread(2) into {@code buffer}: bytes read (0 at EOF) or -errno. */
    public static long pread(int fd, MemorySegment buffer, long offset) {
        MemorySegment capture = CAPTURE.get();
        try {
            while (true) {
                long n = (long) Pread.HANDLE.invokeExact(capture, fd, buffer, buffer.byteSize(), offset);
                if (n >= 0) {
                    return n;
                }
                int errno = errno(capture);
                if (errno != EINTR) {
                    return -errno;
                }
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * statx(2) on an open descriptor. struct statx has the same layout on every architecture,
     * unlike struct stat, which is why it is used here.
     */
    public static FileStat fstat(int fd) throws NativeException {
        MemorySegment capture = CAPTURE.get();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(256, 8);
            MemorySegment empty = arena.allocateFrom("");
            int rc = (int) Statx.HANDLE.invokeExact(capture, fd, empty, AT_EMPTY_PATH, STATX_BASIC_STATS, buf);
            if (rc != 0) {
                throw new NativeException(errno(capture));
            }
            return new FileStat(
                    Short.toUnsignedInt(buf.get(JAVA_SHORT, 28)),
                    buf.get(JAVA_LONG, 40),
                    buf.get(JAVA_LONG, 48),
                    buf.get(JAVA_INT, 4),
                    buf.get(JAVA_INT, 128), buf.get(JAVA_INT, 132),
                    buf.get(JAVA_INT, 136), buf.get(JAVA_INT, 140));
        } catch (NativeException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * fstatvfs(3): the filesystem's fundamental block size (f_frsize). On 64-bit Linux struct statvfs
     * is a run of unsigned longs on both x86_64 and aarch64, so f_frsize is the second word.
     */
    public static long fragmentSize(int fd) throws NativeException {
        return statfsWord(Fstatvfs.HANDLE, fd, 8);
    }

    /** fstatfs(2): the filesystem's magic number (f_type, the first word on 64-bit Linux). */
    public static long filesystemMagic(int fd) throws NativeException {
        return statfsWord(Fstatfs.HANDLE, fd, 0);
    }

    /**
     * Calls {@code int f(int fd, struct *buf)} (fstatvfs, fstatfs) and reads the unsigned long at
     * {@code offset} of the struct; both structs are under 256 bytes on every 64-bit Linux.
     */
    private static long statfsWord(MethodHandle function, int fd, long offset) throws NativeException {
        MemorySegment capture = CAPTURE.get();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(256, 8);
            int rc = (int) function.invokeExact(capture, fd, buf);
            if (rc != 0) {
                throw new NativeException(errno(capture));
            }
            return buf.get(JAVA_LONG, offset);
        } catch (NativeException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** ioctl(2) with a pointer argument: 0 (or the request's non-negative result) or -errno. */
    public static int ioctl(int fd, long request, MemorySegment argument) {
        return retried(capture -> (int) Ioctl.HANDLE.invokeExact(capture, fd, request, argument));
    }

    /** The size of a memory page, for mmap offsets and mincore's vector. */
    public static long pageSize() {
        try {
            return (int) Getpagesize.HANDLE.invokeExact();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * Maps {@code length} bytes of the file read-only and shared, tells which pages of the mapping are in
     * the page cache (mincore(2), one byte per page into {@code vector}, bit 0 set for resident), and
     * unmaps it. The mapping is never read, so a file shrinking meanwhile cannot fault. Returns 0 or -errno.
     */
    public static int residentPages(int fd, long offset, long length, MemorySegment vector) {
        MemorySegment capture = CAPTURE.get();
        try {
            MemorySegment address = (MemorySegment) Mmap.HANDLE.invokeExact(capture, MemorySegment.NULL, length,
                    PROT_READ, MAP_SHARED, fd, offset);
            if (address.address() == -1L) {
                return -errno(capture);
            }
            try {
                int rc = (int) Mincore.HANDLE.invokeExact(capture, address, length, vector);
                return rc == 0 ? 0 : -errno(capture);
            } finally {
                int ignored = (int) Munmap.HANDLE.invokeExact(capture, address, length);
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
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

    /**
     * The fields of struct statx the library uses: {@code rdev} is the device a device node stands for,
     * {@code dev} the device holding the file (major and minor numbers).
     */
    public record FileStat(int mode, long size, long blocks, int blockSize,
                           int rdevMajor, int rdevMinor, int devMajor, int devMinor) {
        private static final int S_IFMT = 0170000;
        private static final int S_IFREG = 0100000;
        private static final int S_IFBLK = 0060000;

        public boolean isRegularFile() {
            return (mode & S_IFMT) == S_IFREG;
        }

        public boolean isBlockDevice() {
            return (mode & S_IFMT) == S_IFBLK;
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
