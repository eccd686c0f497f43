package io.github.fallocate4j.bench;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Benchmark 4b, side by side: the rows of {@link WriteCallBenchmark} taking turns in one JVM, a pass over
 * the files' first {@link WriteCallBenchmark#WRAP} bytes each, the first row of each round rotating; the
 * median of the rounds' ns per call. JMH measures each row in a fork and seconds of its own, so load that
 * comes and goes on a shared machine falls on some rows and not others; here it falls on all of them.
 */
final class WriteCallSideBySide {
    /** {@code rounds} measured after {@code warmups}, for each write size. */
    record Config(int warmups, int rounds) {}

    static final Config FULL = new Config(20, Integer.getInteger("bench.write.sideBySideRounds", 200));
    static final Config SMOKE = new Config(1, 3);

    private interface Call {
        int write() throws IOException;
    }

    private WriteCallSideBySide() {}

    /** Median ns per call of each writer and write size, keyed as {@link WriteCallOverhead#measure} keys them. */
    static Map<String, Double> measure(Config config) throws IOException {
        Map<String, Double> ns = new TreeMap<>();
        for (int size : List.of(4096, 65536)) {
            WriteCallBenchmark files = new WriteCallBenchmark();
            files.size = size;
            files.open();
            try {
                Call[] calls = {files::plainWrite, files::positionalWrite, files::reservedPositionalWrite, files::reservingWrite};
                long perPass = WriteCallBenchmark.WRAP / size;
                double[][] rounds = new double[calls.length][config.rounds()];
                for (int r = -config.warmups(); r < config.rounds(); r++) {
                    for (int k = 0; k < calls.length; k++) {
                        int w = Math.floorMod(r + k, calls.length);
                        long start = System.nanoTime();
                        for (long i = 0; i < perPass; i++) {
                            calls[w].write();
                        }
                        if (r >= 0) {
                            rounds[w][r] = (System.nanoTime() - start) / (double) perPass;
                        }
                    }
                }
                for (int w = 0; w < calls.length; w++) {
                    ns.put(WriteCallOverhead.WRITERS.get(w) + ":" + size, Harness.median(rounds[w]));
                }
            } finally {
                files.close();
            }
        }
        return ns;
    }
}
