package io.github.fallocate4j.fs;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Test-only downcalls the library does not need: memfd_create and fcntl(F_ADD_SEALS) for sealed
 * memfds, pipe for pipe descriptors, and close. A failure throws IllegalStateException: the tests
 * need the descriptors, not the errno.
 */
@SuppressWarnings("restricted") // the JVM runs the tests with --enable-native-access
final class Native {
    static final int MFD_ALLOW_SEALING = 2;
    static final int F_ADD_SEALS = 1033;
    static final int F_SEAL_SHRINK = 0x2;
    static final int F_SEAL_GROW = 0x4;
    static final int F_SEAL_WRITE = 0x8;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle MEMFD_CREATE = bind("memfd_create",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    private static final MethodHandle FCNTL = LINKER.downcallHandle(LINKER.defaultLookup().find("fcntl").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT),
            Linker.Option.firstVariadicArg(2));
    private static final MethodHandle PIPE = bind("pipe", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
    private static final MethodHandle CLOSE = bind("close", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));

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
