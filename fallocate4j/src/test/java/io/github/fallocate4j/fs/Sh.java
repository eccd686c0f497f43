package io.github.fallocate4j.fs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** Runs the system tools the filesystem tests need (losetup, mkfs, mount, chattr, cp, filefrag). */
public final class Sh {
    private Sh() {}

    /** Runs a command and returns its standard output; a non-zero exit becomes an IOException with its stderr. */
    static String run(String... command) throws IOException {
        Process p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        try {
            // Read stderr on another thread: a tool that fills one pipe while we read the other would block.
            var err = new java.io.ByteArrayOutputStream();
            Thread errReader = new Thread(() -> {
                try (var in = p.getErrorStream()) {
                    in.transferTo(err);
                } catch (IOException ignored) {
                    // The exit status still tells what happened.
                }
            });
            errReader.start();
            String out;
            try (var in = p.getInputStream()) {
                out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            errReader.join();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + ": timed out");
            }
            if (p.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + ": exit " + p.exitValue() + ": "
                        + err.toString(StandardCharsets.UTF_8).strip());
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + ": interrupted", e);
        }
    }

    /** Whether a program is on the PATH (or in the sbin directories root's PATH has). */
    static boolean has(String program) {
        String path = System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/sbin:/usr/bin:/bin";
        return List.of(path.split(":")).stream().anyMatch(d -> !d.isEmpty() && Files.isExecutable(Path.of(d, program)));
    }

    /**
     * Aborts the test under qemu-user, where what it checks is the emulator's doing, not the kernel's:
     * {@code .ci/chroots} accepts the skip, by its prefix, in its emulated chroots only.
     */
    static void abortUnderEmulation(String why) throws IOException {
        String emulator = emulator();
        if (emulator != null) {
            Assumptions.abort("qemu-user emulation: " + why + " (" + emulator + ")");
        }
    }

    /**
     * The emulator that runs this machine's programs (qemu-user through binfmt_misc, as in the aarch64
     * chroot of .ci/chroots), or null when they run natively. Read from /proc/PID/exe of a child: qemu-user
     * fakes only /proc/self.
     */
    public static synchronized String emulator() throws IOException {
        if (emulator == null) {
            Process p = new ProcessBuilder("sleep", "10").start();
            try {
                String exe = Files.readSymbolicLink(Path.of("/proc", Long.toString(p.pid()), "exe")).toString();
                emulator = exe.substring(exe.lastIndexOf('/') + 1).startsWith("qemu-") ? exe : "";
            } finally {
                p.destroyForcibly();
            }
        }
        return emulator.isEmpty() ? null : emulator;
    }

    private static String emulator;

    /** Whether this JVM runs as root, which mounting and chattr need. */
    static boolean isRoot() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
