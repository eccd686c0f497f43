package io.github.fallocate4j.internal;

import java.util.Optional;

/**
 * Decides, before any native symbol is looked up, whether this JVM runs where the library's
 * downcalls are valid. The check runs first so that an unsupported platform gets a plain
 * {@link UnsupportedOperationException} instead of a failed class initialisation.
 */
public final class Platform {
    private static final Optional<String> UNSUPPORTED =
            unsupportedReason(System.getProperty("os.name", ""), System.getProperty("os.arch", ""));

    private Platform() {}

    /** Throws {@link UnsupportedOperationException} unless this is Linux on x86_64 or aarch64. */
    public static void requireSupported() {
        if (UNSUPPORTED.isPresent()) {
            throw new UnsupportedOperationException(UNSUPPORTED.get());
        }
    }

    /** Why the named platform is not supported, or empty when it is. */
    static Optional<String> unsupportedReason(String osName, String osArch) {
        if (!osName.equals("Linux")) {
            return Optional.of("fallocate4j calls Linux system calls (fallocate(2), posix_fadvise(3)) "
                    + "and cannot run on " + osName);
        }
        // Both use the asm-generic errno numbers and 64-bit off_t, which the bindings rely on.
        if (!osArch.equals("amd64") && !osArch.equals("x86_64") && !osArch.equals("aarch64")) {
            return Optional.of("fallocate4j supports Linux on x86_64 and aarch64, not on " + osArch);
        }
        return Optional.empty();
    }

    /** Whether the running kernel ({@code os.version}, its uname release) is older than major.minor. */
    public static boolean kernelBefore(int major, int minor) {
        String[] parts = System.getProperty("os.version", "").split("[.-]");
        try {
            int actualMajor = Integer.parseInt(parts[0]);
            int actualMinor = Integer.parseInt(parts[1]);
            return actualMajor < major || actualMajor == major && actualMinor < minor;
        } catch (RuntimeException e) {
            return false; // unknown: assume a recent kernel
        }
    }
}
