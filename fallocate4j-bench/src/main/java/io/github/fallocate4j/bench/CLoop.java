package io.github.fallocate4j.bench;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;

/**
 * The gcc -O2 loops of {@link BindingOverhead}'s C source (the library named by {@code -Dbench.cloop}),
 * bound with JNA direct mapping so that every JDK 17+ can call them. One call runs a loop of
 * {@link BindingBenchmark#C_CALLS} system calls: the binding's own cost, paid once per loop, is spread
 * over them (JNA's few hundred ns over 10,000 calls: under 0.1 ns a call).
 */
final class CLoop {
    static {
        Native.register(CLoop.class, NativeLibrary.getInstance(System.getProperty("bench.cloop")));
    }

    private CLoop() {}

    static native int fadvise_loop(int fd, int n);

    static native int fallocate_loop(int fd, int n);
}
