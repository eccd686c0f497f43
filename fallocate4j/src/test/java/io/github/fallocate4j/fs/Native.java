package io.github.fallocate4j.fs;

import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;

/**
 * Test-only downcalls the library does not need: memfd_create and fcntl(F_ADD_SEALS) for sealed
 * memfds, pipe for pipe descriptors, and close; gettid and tgkill to signal one thread, and a
 * fallocate(2) made once, without the library's EINTR retry. A failure throws IllegalStateException:
 * the tests need the descriptors, not the errno (except from {@link #fallocateOnce}).
 *
 * <p>JNA direct mapping, so the tests compile and run on every JDK the library supports, whichever
 * backend the library runs on.
 */
final class Native {
    static final int MFD_ALLOW_SEALING = 2;
    static final int F_ADD_SEALS = 1033;
    static final int F_SEAL_SHRINK = 0x2;
    static final int F_SEAL_GROW = 0x4;
    static final int F_SEAL_WRITE = 0x8;
    static final int O_PATH = 010000000;
    private static final int O_RDWR = 2;

    /** The C functions; errno is read with {@link com.sun.jna.Native#getLastError()} after a failure. */
    private static final class C {
        static {
            com.sun.jna.Native.register(C.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
        }

        static native int memfd_create(String name, int flags);

        static native int fcntl(int fd, int command, int argument);

        static native int pipe(int[] fds);

        static native int close(int fd);

        static native int gettid();

        static native int getpid();

        static native int tgkill(int tgid, int tid, int signal);

        static native int open(String path, int flags);

        static native int fallocate(int fd, int mode, long offset, long len);

        static native int posix_fallocate(int fd, long offset, long len);

        static native int posix_fadvise(int fd, long offset, long len, int advice);

        static native int prlimit(int pid, int resource, long[] newLimit, long[] oldLimit);
    }

    private Native() {}

    /** A new memfd that allows sealing. */
    static int memfdCreate(String name) {
        return check(C.memfd_create(name, MFD_ALLOW_SEALING), "memfd_create");
    }

    /** Adds seals to a memfd. */
    static void addSeals(int fd, int seals) {
        check(C.fcntl(fd, F_ADD_SEALS, seals), "fcntl(F_ADD_SEALS)");
    }

    /** A new pipe: {read end, write end}. */
    static int[] pipe() {
        int[] fds = new int[2];
        check(C.pipe(fds), "pipe");
        return fds;
    }

    /** Closes a descriptor these tests opened. */
    static void close(int fd) {
        check(C.close(fd), "close");
    }

    /** The kernel's id of the calling thread. */
    static int gettid() {
        return C.gettid();
    }

    /** Sends {@code signal} to one thread of this process. */
    static void tgkill(int tid, int signal) {
        check(C.tgkill(C.getpid(), tid, signal), "tgkill");
    }

    /** open(2) read-write, for {@link #fallocateOnce}. */
    static int openReadWrite(String path) {
        return open(path, O_RDWR);
    }

    /** open(2) with the given flags (no O_CREAT). */
    static int open(String path, int flags) {
        return check(C.open(path, flags), "open " + path);
    }

    /** fallocate(2), made once: 0, or the errno it failed with. */
    static int fallocateOnce(int fd, int mode, long offset, long len) {
        return C.fallocate(fd, mode, offset, len) == 0 ? 0 : com.sun.jna.Native.getLastError();
    }

    /** posix_fallocate(3), made once: 0 or the error number it returns. */
    static int posixFallocate(int fd, long offset, long len) {
        return C.posix_fallocate(fd, offset, len);
    }

    /** posix_fadvise(3), made once: 0 or the error number it returns. */
    static int posixFadvise(int fd, long offset, long len, int advice) {
        return C.posix_fadvise(fd, offset, len, advice);
    }

    /** RLIMIT_FSIZE (asm-generic, x86_64 and aarch64 alike). */
    private static final int RLIMIT_FSIZE = 1;

    /**
     * Sets this process's soft RLIMIT_FSIZE ({@code ulimit -f}, in bytes; -1 for unlimited), the hard
     * limit unchanged, and returns the soft limit it replaces. The JVM ignores SIGXFSZ, so a write or
     * allocation past it fails with EFBIG instead of killing the process.
     */
    static long setFileSizeLimit(long soft) {
        long[] old = new long[2];
        check(C.prlimit(0, RLIMIT_FSIZE, null, old), "prlimit");
        check(C.prlimit(0, RLIMIT_FSIZE, new long[] {soft, old[1]}, null), "prlimit");
        return old[0];
    }

    private static int check(int rc, String call) {
        if (rc < 0) {
            throw new IllegalStateException(call + " failed: errno " + com.sun.jna.Native.getLastError());
        }
        return rc;
    }
}
