package io.github.fallocate4j.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Benchmark 1: per-call cost of fallocate4j (on its FFM and on its JNA backend), JNA (direct and interface
 * mapping) and C, side by side in one run, on each JDK named by {@code -Dbench.jdks} (17 and 25, say:
 * the FFM rows only on 22+).
 * The C loops are compiled here with gcc -O2 and timed by JMH alongside the Java rows; the same loops
 * as a program of their own, timed with CLOCK_MONOTONIC, cross-check them.
 */
final class BindingOverhead {
    // One source, built twice: a shared library whose loops JMH calls (the C rows), and a program that
    // times the same loops by itself (the cross-check row).
    private static final String C_SOURCE = """
            #define _GNU_SOURCE
            #include <errno.h>
            #include <fcntl.h>
            #include <stdio.h>
            #include <stdlib.h>
            #include <time.h>
            int fadvise_loop(int fd, int n) {
                for (int i = 0; i < n; i++) {
                    int rc = posix_fadvise(fd, 0, 0, POSIX_FADV_NORMAL);
                    if (rc != 0) return rc;
                }
                return 0;
            }
            int fallocate_loop(int fd, int n) {
                for (int i = 0; i < n; i++) {
                    if (fallocate(fd, FALLOC_FL_KEEP_SIZE, 0, 1 << 20) != 0) return errno;
                }
                return 0;
            }
            int main(int argc, char **argv) {
                int fd = open(argv[1], O_RDWR | O_CREAT, 0644);
                int n = atoi(argv[2]);
                int call = atoi(argv[3]);
                if (fd < 0 || fallocate(fd, 0, 0, 1 << 20) != 0) { perror(argv[1]); return 1; }
                struct timespec a, b;
                clock_gettime(CLOCK_MONOTONIC, &a);
                int rc = call == 0 ? fadvise_loop(fd, n) : fallocate_loop(fd, n);
                clock_gettime(CLOCK_MONOTONIC, &b);
                if (rc != 0) { fprintf(stderr, "call failed: %d\\n", rc); return 1; }
                printf("%.3f\\n", ((b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec)) / n);
                return 0;
            }
            """;

    /**
     * How long to measure: the published numbers use {@link #FULL}; the smoke test {@link #SMOKE}. {@code forks}
     * is the number of rounds, one fork per JDK each; 0 runs one round inside this JVM.
     */
    record Config(int forks, int warmups, int iterations, long iterationMillis, int cRounds, int cCalls,
                  int pairs, int pairCalls) {}

    static final Config FULL = new Config(Integer.getInteger("bench.binding.rounds", 4), 3, 5, 1000, 7, 2_000_000, 1000, 500);
    static final Config SMOKE = new Config(0, 0, 1, 50, 1, 1000, 4, 10);

    /** A JDK to fork the benchmarks on: its java and its feature release (17, 25, ...). */
    record Jdk(Path java, int feature) {
        /** The JDK running this harness. */
        static Jdk current() {
            return new Jdk(Path.of(System.getProperty("java.home"), "bin", "java"), Runtime.version().feature());
        }

        /** A JDK home, or its bin/java; the feature release from its release file. */
        static Jdk of(String homeOrJava) throws IOException {
            Path given = Path.of(homeOrJava).toAbsolutePath();
            Path home = given.endsWith(Path.of("bin", "java")) ? given.getParent().getParent() : given;
            String version = Files.readAllLines(home.resolve("release")).stream()
                    .filter(line -> line.startsWith("JAVA_VERSION="))
                    .findFirst().orElseThrow(() -> new IOException("no JAVA_VERSION in " + home + "/release"));
            String number = version.substring(version.indexOf('"') + 1).split("[.\"]")[0];
            return new Jdk(home.resolve(Path.of("bin", "java")), Integer.parseInt(number));
        }

        /** Whether the FFM rows (FFM backend, bare downcall handles) run on this JDK. */
        boolean ffm() {
            return feature >= 22;
        }
    }

    /**
     * The JDKs named by {@code -Dbench.jdks} (comma-separated homes or java executables), else the one
     * running this harness.
     */
    static List<Jdk> jdks() throws IOException {
        String named = System.getProperty("bench.jdks", "");
        if (named.isBlank()) {
            return List.of(Jdk.current());
        }
        List<Jdk> jdks = new ArrayList<>();
        for (String jdk : named.split(",")) {
            jdks.add(Jdk.of(jdk.strip()));
        }
        return jdks;
    }

    private BindingOverhead() {}

    /**
     * Median ns per call of each variant on each JDK (by feature release): "fadviseC", "fadviseJna", ...,
     * "fadviseCProcess". Every round forks each JDK in turn, so load that comes and goes falls on all of
     * them; {@code -Dbench.binding.rows=REGEX} keeps only the rows whose binding (C, Jna, FfmIntFd, ...: {@link
     * #BINDINGS}) it matches.
     */
    static Map<Integer, Map<String, Double>> measure(Config config, List<Jdk> jdks)
            throws IOException, InterruptedException, RunnerException {
        Map<Integer, Map<String, Double>> ns = new TreeMap<>();
        Path dir = Files.createTempDirectory("fallocate4j-c");
        try {
            Path source = Files.writeString(dir.resolve("loop.c"), C_SOURCE);
            Path library = dir.resolve("libloop.so");
            Path program = dir.resolve("loop");
            Harness.run(List.of("gcc", "-O2", "-shared", "-fPIC", "-o", library.toString(), source.toString()));
            Harness.run(List.of("gcc", "-O2", "-o", program.toString(), source.toString()));
            System.setProperty("bench.cloop", library.toString()); // for forks(0), the smoke run
            String rows = System.getProperty("bench.binding.rows", ".*");
            // One fork per JDK per round, all benchmarks in each: every row is measured in every window of
            // time, so load that comes and goes (other builds on the machine) falls on all rows alike.
            Map<Integer, Map<String, List<Double>>> scores = new TreeMap<>();
            for (int round = 0; round < Math.max(config.forks(), 1); round++) {
                for (Jdk jdk : jdks) {
                    OptionsBuilder options = new OptionsBuilder();
                    options.include(Pattern.quote(BindingBenchmark.class.getName() + ".") + "(fadvise|fallocate)(" + rows + ")$");
                    if (!jdk.ffm()) { // the FFM rows need Java 22
                        options.exclude(Pattern.quote(BindingBenchmark.class.getName() + ".")
                                + "(fadvise|fallocate)(" + String.join("|", FFM_BINDINGS) + ")$");
                    }
                    options.forks(Math.min(config.forks(), 1))
                            .warmupIterations(config.warmups())
                            .warmupTime(TimeValue.milliseconds(config.iterationMillis()))
                            .measurementIterations(config.iterations())
                            .measurementTime(TimeValue.milliseconds(config.iterationMillis()))
                            .timeUnit(TimeUnit.NANOSECONDS)
                            .shouldFailOnError(true);
                    if (config.forks() > 0) {
                        options.jvm(jdk.java().toString()).jvmArgs(Harness.forkFlags(jdk.feature(), "-Dbench.cloop=" + library));
                    }
                    Harness.jmh(options.build(), scores.computeIfAbsent(jdk.feature(), f -> new TreeMap<>()));
                }
            }
            Path file = dir.resolve("file");
            Map<String, Double> process = new TreeMap<>();
            for (int call = 0; call < 2; call++) {
                double[] rounds = new double[config.cRounds()];
                for (int r = 0; r < rounds.length; r++) {
                    rounds[r] = Double.parseDouble(Harness.run(List.of(program.toString(), file.toString(),
                            String.valueOf(config.cCalls()), String.valueOf(call))).strip());
                }
                process.put(call == 0 ? "fadviseCProcess" : "fallocateCProcess", Harness.median(rounds));
            }
            scores.forEach((feature, methods) -> {
                Map<String, Double> medians = new TreeMap<>(process);
                medians.putAll(Harness.medians(methods));
                ns.put(feature, medians);
            });
            // The JNA backend against hand-rolled JNA once more, in pairs (PairedBinding), in a JVM of each JDK.
            for (Jdk jdk : jdks) {
                Map<String, Double> paired = config.forks() == 0 ? PairedBinding.measure(config.pairs(), config.pairCalls())
                        : pairedInChild(jdk, config);
                paired.forEach((row, ratio) -> ns.get(jdk.feature()).put(PAIRED + row, ratio));
            }
        } finally {
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    Files.delete(p);
                }
            }
            Files.delete(dir);
        }
        return ns;
    }

    /** The key prefix of {@link PairedBinding}'s ratios in {@link #measure}'s maps. */
    static final String PAIRED = "paired:";

    private static Map<String, Double> pairedInChild(Jdk jdk, Config config) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(jdk.java().toString()));
        command.addAll(List.of(Harness.forkFlags(jdk.feature())));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), PairedBinding.class.getName(),
                String.valueOf(config.pairs()), String.valueOf(config.pairCalls())));
        Map<String, Double> ratios = new TreeMap<>();
        for (String line : Harness.run(command).split("\n")) {
            String[] fields = line.strip().split(" ");
            if (PairedBinding.ROWS.contains(fields[0])) {
                ratios.put(fields[0], Double.parseDouble(fields[1]));
            }
        }
        return ratios;
    }

    /** The markdown table of one JDK: ns per call and ratios to C (timed by JMH) and to JNA; rows not run are left out. */
    static Harness.Table table(Map<String, Double> ns) {
        Harness.Table table = new Harness.Table("call", "binding", "median ns/call", "vs C", "JNA / this");
        for (String call : CALLS) {
            double c = ns.getOrDefault(call + "C", Double.NaN);
            double jna = ns.getOrDefault(call + "Jna", Double.NaN);
            for (String binding : BINDINGS) {
                Double value = ns.get(call + binding);
                if (value != null) {
                    table.row(label(call), label(binding), Harness.format("%.1f", value),
                            Harness.format("%.2fx", value / c), Harness.format("%.2fx", jna / value));
                }
            }
        }
        return table;
    }

    /**
     * The JNA backend against hand-rolled JNA direct mapping, one row per JDK and call: the library's cost
     * as a multiple of the hand-rolled call's (the target is at most 1.05x), from the JMH medians and from
     * {@link PairedBinding}'s pairs.
     */
    static Harness.Table jnaTable(Map<Integer, Map<String, Double>> ns) {
        Harness.Table table = new Harness.Table("JDK", "call", "C loop ns", "JNA direct mapping ns",
                "fallocate4j JNA backend, int fd ns", "fallocate4j JNA backend, FileChannel ns",
                "int fd / JNA direct", "FileChannel / JNA direct",
                "int fd / JNA direct, in pairs", "FileChannel / JNA direct, in pairs");
        ns.forEach((feature, rows) -> {
            for (String call : CALLS) {
                double jna = rows.getOrDefault(call + "Jna", Double.NaN);
                double intFd = rows.getOrDefault(call + "JnaBackendIntFd", Double.NaN);
                double channel = rows.getOrDefault(call + "JnaBackendChannel", Double.NaN);
                table.row(feature, label(call), Harness.format("%.1f", rows.getOrDefault(call + "C", Double.NaN)),
                        Harness.format("%.1f", jna), Harness.format("%.1f", intFd), Harness.format("%.1f", channel),
                        Harness.format("%.3fx", intFd / jna), Harness.format("%.3fx", channel / jna),
                        Harness.format("%.3fx", rows.getOrDefault(PAIRED + call + "JnaBackendIntFd", Double.NaN)),
                        Harness.format("%.3fx", rows.getOrDefault(PAIRED + call + "JnaBackendChannel", Double.NaN)));
            }
        });
        return table;
    }

    static final List<String> CALLS = List.of("fadvise", "fallocate");

    /** The rows of each call, in table order. */
    static final List<String> BINDINGS = List.of("C", "CProcess", "RawFfm", "FfmIntFd", "FfmChannel", "Jna",
            "JnaBackendIntFd", "JnaBackendChannel", "JnaInterface");

    /** The rows that need Java 22 (FFM). */
    static final List<String> FFM_BINDINGS = List.of("RawFfm", "FfmIntFd", "FfmChannel");

    private static String label(String binding) {
        return switch (binding) {
            case "fadvise" -> "posix_fadvise NORMAL";
            case "fallocate" -> "fallocate KEEP_SIZE (allocated)";
            case "C" -> "C, gcc -O2 loop (timed by JMH, same forks)";
            case "CProcess" -> "C, gcc -O2 program (own clock, cross-check)";
            case "RawFfm" -> "bare FFM downcall handle (no library code)";
            case "FfmIntFd" -> "fallocate4j, int fd";
            case "FfmChannel" -> "fallocate4j, FileChannel (typed layer)";
            case "Jna" -> "JNA direct mapping";
            case "JnaBackendIntFd" -> "fallocate4j on its JNA backend (Java 17-21), int fd";
            case "JnaBackendChannel" -> "fallocate4j on its JNA backend (Java 17-21), FileChannel";
            default -> "JNA interface mapping (Native.load)";
        };
    }

    /** Prints the tables of each JDK, then the JNA backend's against hand-rolled JNA. */
    static String tables(Map<Integer, Map<String, Double>> ns) {
        StringBuilder out = new StringBuilder();
        ns.forEach((feature, rows) -> out.append("JDK ").append(feature).append(":\n\n").append(table(rows)).append('\n'));
        return out.append("The JNA backend against hand-rolled JNA direct mapping:\n\n").append(jnaTable(ns)).toString();
    }

    public static void main(String[] args) throws Exception {
        System.out.print(tables(measure(Benchmarks.smoke() ? SMOKE : FULL, Benchmarks.smoke() ? List.of(Jdk.current()) : jdks())));
    }
}
