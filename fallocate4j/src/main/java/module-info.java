/**
 * fallocate4j: Linux fallocate(2), posix_fallocate(3), posix_fadvise(3) and sparse-file tools for Java 17+;
 * on macOS, their emulation with fcntl(F_PREALLOCATE), fcntl(F_PUNCHHOLE) and fcntl(F_RDADVISE) (see README).
 * On Java 22+ the library calls C through the Foreign Function and Memory API and needs no other module;
 * on Java 17 to 21 it calls C through JNA, which the application adds ({@code net.java.dev.jna:jna}).
 * Run with {@code --enable-native-access=io.github.fallocate4j} (or {@code ALL-UNNAMED} on the class path).
 */
module io.github.fallocate4j {
    requires static com.sun.jna;

    exports io.github.fallocate4j;
}
