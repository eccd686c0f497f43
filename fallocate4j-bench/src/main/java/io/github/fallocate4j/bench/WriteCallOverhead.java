package io.github.fallocate4j.bench;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Benchmark 4b: the cost of one write call through {@code ReservingChannel} against a plain
 * {@code FileChannel}, on tmpfs ({@link WriteCallBenchmark}): rounds of one fork each, every round running
 * all rows, medians over all rounds' iterations.
 */
final class WriteCallOverhead {
    /** {@code forks}: rounds of one fork each; 0 runs one round inside this JVM. */
    record Config(int forks, int warmups, int iterations, long iterationMillis) {}

    static final Config FULL = new Config(Integer.getInteger("bench.write.rounds", 5), 3, 5, 1000);
    static final Config SMOKE = new Config(0, 0, 1, 50);

    /** The rows, in table order: the method names of {@link WriteCallBenchmark}. */
    static final List<String> WRITERS = List.of("plainWrite", "positionalWrite", "reservedPositionalWrite", "reservingWrite");

    private WriteCallOverhead() {}

    /** Median ns per call of each writer and write size: "plainWrite:4096", ... */
    static Map<String, Double> measure(Config config) throws RunnerException {
        Map<String, List<Double>> scores = new TreeMap<>();
        for (int round = 0; round < Math.max(config.forks(), 1); round++) {
            Harness.jmh(new OptionsBuilder()
                    .include(Pattern.quote(WriteCallBenchmark.class.getName() + "."))
                    .forks(Math.min(config.forks(), 1))
                    .warmupIterations(config.warmups())
                    .warmupTime(TimeValue.milliseconds(config.iterationMillis()))
                    .measurementIterations(config.iterations())
                    .measurementTime(TimeValue.milliseconds(config.iterationMillis()))
                    .timeUnit(TimeUnit.NANOSECONDS)
                    .jvmArgs(Harness.forkFlags(Runtime.version().feature()))
                    .shouldFailOnError(true)
                    .build(), scores);
        }
        return Harness.medians(scores);
    }

    static Harness.Table table(Map<String, Double> ns) {
        Harness.Table table = new Harness.Table("write", "FileChannel.write(src) ns", "FileChannel.write(src, position) ns",
                "FileChannel.write(src, position), 64 MiB reserved ns", "ReservingChannel.write(src) ns",
                "ReservingChannel - FileChannel.write(src)", "ReservingChannel - FileChannel, 64 MiB reserved");
        for (String size : List.of("4096", "65536")) {
            double plain = ns.get(WRITERS.get(0) + ":" + size);
            double positional = ns.get(WRITERS.get(1) + ":" + size);
            double reserved = ns.get(WRITERS.get(2) + ":" + size);
            double reserving = ns.get(WRITERS.get(3) + ":" + size);
            table.row((Integer.parseInt(size) >> 10) + " KiB", Harness.format("%.0f", plain), Harness.format("%.0f", positional),
                    Harness.format("%.0f", reserved), Harness.format("%.0f", reserving),
                    Harness.format("%+.0f ns (%.3fx)", reserving - plain, reserving / plain),
                    Harness.format("%+.0f ns (%.3fx)", reserving - reserved, reserving / reserved));
        }
        return table;
    }
}
