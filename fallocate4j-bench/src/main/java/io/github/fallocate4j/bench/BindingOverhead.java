package io.github.fallocate4j.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Benchmark 1: per-call cost of fallocate4j (on its FFM and on its JNA backend), JNA (direct and interface
 * mapping) and C, side by side in one run.
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
     * is the number of rounds, one fork each; 0 runs one round inside this JVM.
     */
    record Config(int forks, int warmups, int iterations, long iterationMillis, int cRounds, int cCalls) {}

    static final Config FULL = new Config(4, 3, 5, 1000, 7, 2_000_000);
    static final Config SMOKE = new Config(0, 0, 1, 50, 1, 1000);

    private BindingOverhead() {}

    /** Median ns per call of each variant: "fadviseC", "fadviseFfmIntFd", ..., "fadviseCProcess". */
    static Map<String, Double> measure(Config config) throws IOException, InterruptedException, RunnerException {
        Map<String, Double> ns = new HashMap<>();
        Path dir = Files.createTempDirectory("fallocate4j-c");
        try {
            Path source = Files.writeString(dir.resolve("loop.c"), C_SOURCE);
            Path library = dir.resolve("libloop.so");
            Path program = dir.resolve("loop");
            Harness.run(List.of("gcc", "-O2", "-shared", "-fPIC", "-o", library.toString(), source.toString()));
            Harness.run(List.of("gcc", "-O2", "-o", program.toString(), source.toString()));
            String cloop = "-Dbench.cloop=" + library;
            System.setProperty("bench.cloop", library.toString()); // for forks(0), the smoke run
            // One fork per round, all benchmarks in each round: every row is measured in every window of
            // time, so load that comes and goes (other builds on the machine) falls on all rows alike.
            Map<String, List<Double>> scores = new HashMap<>();
            for (int round = 0; round < Math.max(config.forks(), 1); round++) {
                Options options = new OptionsBuilder()
                        .include(BindingBenchmark.class.getName())
                        .forks(Math.min(config.forks(), 1))
                        .warmupIterations(config.warmups())
                        .warmupTime(TimeValue.milliseconds(config.iterationMillis()))
                        .measurementIterations(config.iterations())
                        .measurementTime(TimeValue.milliseconds(config.iterationMillis()))
                        .timeUnit(TimeUnit.NANOSECONDS)
                        .jvmArgsAppend(forkFlags(cloop))
                        .shouldFailOnError(true)
                        .build();
                for (RunResult result : new Runner(options).run()) {
                    String method = result.getParams().getBenchmark();
                    method = method.substring(method.lastIndexOf('.') + 1);
                    List<Double> list = scores.computeIfAbsent(method, m -> new ArrayList<>());
                    for (BenchmarkResult fork : result.getBenchmarkResults()) {
                        for (IterationResult iteration : fork.getIterationResults()) {
                            list.add(iteration.getPrimaryResult().getScore());
                        }
                    }
                }
            }
            scores.forEach((method, list) -> ns.put(method,
                    Harness.median(list.stream().mapToDouble(Double::doubleValue).toArray())));
            Path file = dir.resolve("file");
            for (int call = 0; call < 2; call++) {
                double[] rounds = new double[config.cRounds()];
                for (int r = 0; r < rounds.length; r++) {
                    rounds[r] = Double.parseDouble(Harness.run(List.of(program.toString(), file.toString(),
                            String.valueOf(config.cCalls()), String.valueOf(call))).strip());
                }
                ns.put(call == 0 ? "fadviseCProcess" : "fallocateCProcess", Harness.median(rounds));
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

    /** The forked JVMs' flags: the library's, the C loop's path, and quiet about JMH's own use of Unsafe. */
    private static String[] forkFlags(String cloop) {
        List<String> flags = new ArrayList<>(List.of("--enable-native-access=ALL-UNNAMED",
                "--add-opens", "java.base/java.io=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED", cloop));
        if (Runtime.version().feature() >= 24) {
            flags.add("--sun-misc-unsafe-memory-access=allow");
        }
        return flags.toArray(String[]::new);
    }

    /** The markdown table: ns per call and ratios to C (timed by JMH) and to JNA. */
    static Harness.Table table(Map<String, Double> ns) {
        Harness.Table table = new Harness.Table("call", "binding", "median ns/call", "vs C", "JNA / this");
        for (String call : List.of("fadvise", "fallocate")) {
            double c = ns.get(call + "C");
            double jna = ns.get(call + "Jna");
            for (String binding : BINDINGS) {
                double value = ns.get(call + binding);
                table.row(call.equals("fadvise") ? "posix_fadvise NORMAL" : "fallocate KEEP_SIZE (allocated)",
                        label(binding), Harness.format("%.1f", value), Harness.format("%.2fx", value / c),
                        Harness.format("%.2fx", jna / value));
            }
        }
        return table;
    }

    /** The rows of each call, in table order. */
    static final List<String> BINDINGS = List.of("C", "CProcess", "RawFfm", "FfmIntFd", "FfmChannel", "Jna",
            "JnaBackendIntFd", "JnaInterface");

    private static String label(String binding) {
        return switch (binding) {
            case "C" -> "C, gcc -O2 loop (timed by JMH, same forks)";
            case "CProcess" -> "C, gcc -O2 program (own clock, cross-check)";
            case "RawFfm" -> "bare FFM downcall handle (no library code)";
            case "FfmIntFd" -> "fallocate4j, int fd";
            case "FfmChannel" -> "fallocate4j, FileChannel (typed layer)";
            case "Jna" -> "JNA direct mapping";
            case "JnaBackendIntFd" -> "fallocate4j on its JNA backend (Java 17-21), int fd";
            default -> "JNA interface mapping (Native.load)";
        };
    }

    public static void main(String[] args) throws Exception {
        System.out.print(table(measure(Benchmarks.smoke() ? SMOKE : FULL)));
    }
}
