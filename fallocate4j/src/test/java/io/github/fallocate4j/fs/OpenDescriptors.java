package io.github.fallocate4j.fs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The process's open descriptors, as "N -> target", for leak checks. A check counts only those that refer to
 * its own files: the process has others that come and go, which a count of all of them took for leaks on
 * JDK 17 with JNA. JNA's libffi opens a temporary file for its closure trampolines at the first call in the JVM
 * and keeps it for the JVM's life ({@code /tmp/ffiXXXXXX (deleted)}; seen in CI's listings when a count began
 * before the first call), and HotSpot on JDK 17 reads the cgroup v1 memory files
 * ({@code /sys/fs/cgroup/memory/.../memory.limit_in_bytes}, {@code memory.stat}) from its C1 and C2 compiler
 * threads and its VM thread, each open for a moment (strace of 100 digs in a JNA JVM after a warm-up: 260 and
 * 300 such opens in two runs; none on JDK 25), so a listing may catch one of them open.
 */
public final class OpenDescriptors {
    private OpenDescriptors() {}

    /** Every descriptor open now (the listing's own among them). */
    public static List<String> all() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.map(fd -> {
                try {
                    return fd.getFileName() + " -> " + Files.readSymbolicLink(fd);
                } catch (IOException e) {
                    return fd.getFileName() + " -> (closed)";
                }
            }).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The descriptors open on files in {@code dir} (or below it). */
    public static List<String> into(Path dir) {
        String prefix;
        try {
            prefix = " -> " + dir.toRealPath() + "/";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return all().stream().filter(fd -> fd.contains(prefix)).toList();
    }

    /** The descriptors open on {@code target} itself. */
    public static List<String> to(Path target) {
        return all().stream().filter(fd -> fd.endsWith(" -> " + target)).toList();
    }
}
