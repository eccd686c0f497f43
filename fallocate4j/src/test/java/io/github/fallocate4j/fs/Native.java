package io.github.fallocate4j.fs;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Test-only downcalls the library does not need: memfd_create and fcntl(F_ADD_SEALS) for sealed
 * memfds, pipe for pipe descriptors, and close; gettid and tgkill to signal one thread, and a
 * fallocate(2) made once, without the library's EINTR retry. A failure throws IllegalStateException:
 * the tests need the descriptors, not the errno (except from {@link #fallocateOnce}).
 */
@SuppressWarnings("restricted") // the JVM runs the tests with --enable-native-access
final class Native {
    static final int MFD_ALLOW_SEALING = 2;
    static final int F_ADD_SEALS = 1033;
    static final int F_SEAL_SHRINK = 0x2;
    static final int F_SEAL_GROW = 0x4;
    static final int F_SEAL_WRITE = 0x8;
    static final int O_PATH = 010000000;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle MEMFD_CREATE = bind("memfd_create",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    private static final MethodHandle FCNTL = LINKER.downcallHandle(LINKER.defaultLookup().find("fcntl").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT),
            Linker.Option.firstVariadicArg(2));
    private static final MethodHandle PIPE = bind("pipe", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
    private static final MethodHandle CLOSE = bind("close", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle GETTID = bind("gettid", FunctionDescriptor.of(ValueLayout.JAVA_INT));
    private static final MethodHandle GETPID = bind("getpid", FunctionDescriptor.of(ValueLayout.JAVA_INT));
    private static final MethodHandle TGKILL = bind("tgkill",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle OPEN = bind("open",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    private static final MethodHandle FALLOCATE = LINKER.downcallHandle(LINKER.defaultLookup().find("fallocate").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG,
                    ValueLayout.JAVA_LONG), Linker.Option.captureCallState("errno"));
    private static final long ERRNO_OFFSET = Linker.Option.captureStateLayout()
            .byteOffset(java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));

    private Native() {}

    private static MethodHandle bind(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), descriptor);
    }

    /** A new memfd that allows sealing. */
    static int memfdCreate(String name) {
        try (Arena arena = Arena.ofConfined()) {
            return check((int) MEMFD_CREATE.invokeExact(arena.allocateFrom(name), MFD_ALLOW_SEALING), "memfd_create");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Adds seals to a memfd. */
    static void addSeals(int fd, int seals) {
        try {
            check((int) FCNTL.invokeExact(fd, F_ADD_SEALS, seals), "fcntl(F_ADD_SEALS)");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** A new pipe: {read end, write end}. */
    static int[] pipe() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment fds = arena.allocate(ValueLayout.JAVA_INT, 2);
            check((int) PIPE.invokeExact(fds), "pipe");
            return new int[] {fds.getAtIndex(ValueLayout.JAVA_INT, 0), fds.getAtIndex(ValueLayout.JAVA_INT, 1)};
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Closes a descriptor these tests opened. */
    static void close(int fd) {
        try {
            check((int) CLOSE.invokeExact(fd), "close");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** The kernel's id of the calling thread. */
    static int gettid() {
        try {
            return (int) GETTID.invokeExact();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Sends {@code signal} to one thread of this process. */
    static void tgkill(int tid, int signal) {
        try {
            check((int) TGKILL.invokeExact((int) GETPID.invokeExact(), tid, signal), "tgkill");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** open(2) read-write, for {@link #fallocateOnce}. */
    static int openReadWrite(String path) {
        return open(path, 2 /* O_RDWR */);
    }

    /** open(2) with the given flags (no O_CREAT). */
    static int open(String path, int flags) {
        try (Arena arena = Arena.ofConfined()) {
            return check((int) OPEN.invokeExact(arena.allocateFrom(path), flags), "open " + path);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** fallocate(2), made once: 0, or the errno it failed with. */
    static int fallocateOnce(int fd, int mode, long offset, long len) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Linker.Option.captureStateLayout());
            int rc = (int) FALLOCATE.invokeExact(state, fd, mode, offset, len);
            return rc == 0 ? 0 : state.get(ValueLayout.JAVA_INT, ERRNO_OFFSET);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static int check(int rc, String call) {
        if (rc < 0) {
            throw new IllegalStateException(call + " failed");
        }
        return rc;
    }

    private static RuntimeException rethrow(Throwable t) {
        return t instanceof RuntimeException r ? r : new IllegalStateException(t);
    }
}
