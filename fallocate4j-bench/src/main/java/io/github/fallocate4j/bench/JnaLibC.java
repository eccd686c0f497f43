package io.github.fallocate4j.bench;

import com.sun.jna.Native;

/** The C calls through JNA direct mapping: what a Java program hand-rolls today. */
final class JnaLibC {
    static {
        Native.register("c");
    }

    private JnaLibC() {}

    static native int posix_fadvise(int fd, long offset, long len, int advice);

    static native int fallocate(int fd, int mode, long offset, long len);
}
