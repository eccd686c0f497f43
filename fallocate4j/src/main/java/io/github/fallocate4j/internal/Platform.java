package io.github.fallocate4j.internal;

import java.util.Optional;

/**
 * Decides, before any native symbol is looked up, whether this JVM runs where the library's
 * downcalls are valid, and which kernel's numbers they take. The check runs first so that an
 * unsupported platform gets a plain {@link UnsupportedOperationException} instead of a failed class
 * initialisation.
 */
public final class Platform {
    static final String MAC_OS = "Mac OS X";
    private static final String OS_NAME = System.getProperty("os.name", "");
    private static final String OS_ARCH = System.getProperty("os.arch", "");
    private static final Optional<String> UNSUPPORTED = unsupportedReason(OS_NAME, OS_ARCH);

    private Platform() {}

    /** Throws {@link UnsupportedOperationException} unless this is Linux or macOS on x86_64 or aarch64. */
    public static void requireSupported() {
        if (UNSUPPORTED.isPresent()) {
            throw new UnsupportedOperationException(UNSUPPORTED.get());
        }
    }

    /** Whether this is macOS, whose calls {@link DarwinBackend} translates and emulates. */
    public static boolean isMacOs() {
        return OS_NAME.equals(MAC_OS);
    }

    /** This JVM's os.arch, for the symbols that differ between macOS's architectures ({@link Darwin#symbol}). */
    static String arch() {
        return OS_ARCH;
    }

    /** Why the named platform is not supported, or empty when it is. */
    static Optional<String> unsupportedReason(String osName, String osArch) {
        if (!osName.equals("Linux") && !osName.equals(MAC_OS)) {
            return Optional.of("fallocate4j calls Linux system calls (fallocate(2), posix_fadvise(3)), or their "
                    + "macOS counterparts, and cannot run on " + osName);
        }
        // Both use 64-bit off_t, and on Linux the asm-generic errno numbers, which the bindings rely on.
        if (!osArch.equals("amd64") && !osArch.equals("x86_64") && !osArch.equals("aarch64")) {
            return Optional.of("fallocate4j supports " + (osName.equals(MAC_OS) ? "macOS" : "Linux")
                    + " on x86_64 and aarch64, not on " + osArch);
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
