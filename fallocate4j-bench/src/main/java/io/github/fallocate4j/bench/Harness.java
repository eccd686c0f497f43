package io.github.fallocate4j.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;

/** What the side-by-side harnesses share: medians, subprocesses, loop-mounted filesystems, markdown. */
final class Harness {
    private Harness() {}

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /**
     * Runs JMH and adds every measured iteration's score to {@code scores}, under the benchmark's method name,
     * followed by ":" and its parameters' values when it has any ({@code plainWrite:4096}).
     */
    static void jmh(Options options, Map<String, List<Double>> scores) throws RunnerException {
        for (RunResult result : new Runner(options).run()) {
            String method = result.getParams().getBenchmark();
            StringBuilder key = new StringBuilder(method.substring(method.lastIndexOf('.') + 1));
            for (String param : result.getParams().getParamsKeys()) {
                key.append(':').append(result.getParams().getParam(param));
            }
            List<Double> list = scores.computeIfAbsent(key.toString(), m -> new ArrayList<>());
            for (BenchmarkResult fork : result.getBenchmarkResults()) {
                for (IterationResult iteration : fork.getIterationResults()) {
                    list.add(iteration.getPrimaryResult().getScore());
                }
            }
        }
    }

    /**
     * The flags of a JVM that JMH forks: the library's (native access, the two opens), then {@code extra}, and,
     * on JDK 24+ ({@code feature}), quiet about JMH's own use of Unsafe (an option older JDKs refuse). Given
     * as {@code jvmArgs}, which replace the flags JMH would otherwise copy from this JVM: a JDK 17 fork
     * refuses the last one.
     */
    static String[] forkFlags(int feature, String... extra) {
        List<String> flags = new ArrayList<>(List.of("--enable-native-access=ALL-UNNAMED",
                "--add-opens", "java.base/java.io=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED"));
        flags.addAll(List.of(extra));
        if (feature >= 24) {
            flags.add("--sun-misc-unsafe-memory-access=allow");
        }
        return flags.toArray(String[]::new);
    }

    /** The median of each list. */
    static Map<String, Double> medians(Map<String, List<Double>> scores) {
        Map<String, Double> medians = new java.util.TreeMap<>();
        scores.forEach((key, list) -> medians.put(key, median(list.stream().mapToDouble(Double::doubleValue).toArray())));
        return medians;
    }

    static String format(String pattern, Object... args) {
        return String.format(Locale.ROOT, pattern, args);
    }

    /** Runs a command, failing with its output when it fails; returns stdout. */
    static String run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int status = process.waitFor();
        if (status != 0) {
            throw new IOException(String.join(" ", command) + " exited " + status + ": " + out);
        }
        return out;
    }

    /** Wall-clock seconds of a command. */
    static double timeCommand(List<String> command) throws IOException, InterruptedException {
        long start = System.nanoTime();
        run(command);
        return (System.nanoTime() - start) / 1e9;
    }

    static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** Why loop mounts cannot be made here, or null when they can. */
    static String loopMountUnavailable() {
        if (!root()) {
            return "needs root to mount a loop device";
        }
        if (!Files.exists(Path.of("/dev/loop-control"))) {
            return "no loop devices (/dev/loop-control)";
        }
        return null;
    }

    /** A fresh ext4, xfs or btrfs on a loop device, unmounted and detached on close, or at exit if a run is cut short. */
    static final class LoopFs implements AutoCloseable {
        final Path mount;
        private final Path image;
        private final String device;
        private final Thread cleanupAtExit = new Thread(() -> {
            try {
                release();
            } catch (IOException | InterruptedException e) {
                System.err.println("could not release the loop mount: " + e.getMessage());
            }
        });

        /** {@code type}: ext4, xfs or btrfs; xfs needs at least 300 MiB, btrfs 114 MiB. */
        LoopFs(String type, long bytes) throws IOException, InterruptedException {
            this(type, bytes, false);
        }

        /**
         * {@code directIo}: the loop device reads and writes its image with O_DIRECT, so the filesystem's
         * pages are cached once (not again as the image's) and dropping the caches makes reads go to the disk.
         */
        LoopFs(String type, long bytes, boolean directIo) throws IOException, InterruptedException {
            Path base = Files.createTempDirectory("fallocate4j-bench");
            image = base.resolve(type + ".img");
            mount = Files.createDirectory(base.resolve("mnt"));
            try (var raf = new java.io.RandomAccessFile(image.toFile(), "rw")) {
                raf.setLength(bytes);
            }
            device = run(directIo ? List.of("losetup", "--direct-io=on", "--find", "--show", image.toString())
                    : List.of("losetup", "--find", "--show", image.toString())).strip();
            try {
                run(List.of("mkfs." + type, "-q", type.equals("ext4") ? "-F" : "-f", device));
                run(List.of("mount", device, mount.toString()));
            } catch (IOException | InterruptedException e) {
                run(List.of("losetup", "-d", device));
                throw e;
            }
            Runtime.getRuntime().addShutdownHook(cleanupAtExit);
        }

        @Override
        public void close() throws IOException, InterruptedException {
            Runtime.getRuntime().removeShutdownHook(cleanupAtExit);
            release();
        }

        private void release() throws IOException, InterruptedException {
            try {
                run(List.of("umount", mount.toString()));
            } finally {
                run(List.of("losetup", "-d", device));
                Files.deleteIfExists(image);
                Files.deleteIfExists(mount);
                Files.deleteIfExists(image.getParent());
            }
        }
    }

    /** A markdown table. */
    static final class Table {
        private final List<String> lines = new ArrayList<>();

        Table(String... headers) {
            lines.add("| " + String.join(" | ", headers) + " |");
            lines.add("|" + "---|".repeat(headers.length));
        }

        Table row(Object... cells) {
            lines.add("| " + String.join(" | ", Arrays.stream(cells).map(String::valueOf).toList()) + " |");
            return this;
        }

        int rows() {
            return lines.size() - 2;
        }

        @Override
        public String toString() {
            return String.join("\n", lines) + "\n";
        }
    }
}
