package io.github.fallocate4j.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Benchmark 5: wall time of {@code fallocate -l 1G} from the shell: util-linux, our launcher without
 * and with its class-data-sharing archive.
 */
final class CliStartup {
    record Config(String length, int runs) {}

    static final Config FULL = new Config("1G", 15);
    static final Config SMOKE = new Config("1M", 2);

    record Result(double utilLinux, double noCds, double cds) {}

    private CliStartup() {}

    static Result measure(Config config, Path bin, Path dir) throws IOException, InterruptedException {
        Path file = dir.resolve("startup.bin");
        String ours = bin.resolve("fallocate").toString();
        // A first run writes the archive; runs after it map it.
        time(List.of(ours, "-l", config.length(), file.toString()), Map.of(), file);
        double[] util = new double[config.runs()];
        double[] plain = new double[config.runs()];
        double[] cds = new double[config.runs()];
        for (int r = 0; r < config.runs(); r++) {
            util[r] = time(List.of("/usr/bin/fallocate", "-l", config.length(), file.toString()), Map.of(), file);
            plain[r] = time(List.of(ours, "-l", config.length(), file.toString()), Map.of("FALLOCATE4J_NO_CDS", "1"), file);
            cds[r] = time(List.of(ours, "-l", config.length(), file.toString()), Map.of(), file);
        }
        return new Result(Harness.median(util), Harness.median(plain), Harness.median(cds));
    }

    private static double time(List<String> command, Map<String, String> env, Path file)
            throws IOException, InterruptedException {
        Files.deleteIfExists(file);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        long start = System.nanoTime();
        Process process = builder.start();
        process.getOutputStream().close();
        byte[] output = process.getInputStream().readAllBytes();
        int status = process.waitFor();
        double seconds = (System.nanoTime() - start) / 1e9;
        if (status != 0) {
            throw new IOException(command + " exited " + status + ": " + new String(output));
        }
        return seconds;
    }

    static Harness.Table table(Result result) {
        Harness.Table table = new Harness.Table("command", "median ms", "vs util-linux");
        table.row("util-linux `fallocate -l 1G`", Harness.format("%.1f", result.utilLinux() * 1000), "1.0x");
        table.row("`bin/fallocate -l 1G`, FALLOCATE4J_NO_CDS=1", Harness.format("%.1f", result.noCds() * 1000),
                Harness.format("%.1fx", result.noCds() / result.utilLinux()));
        table.row("`bin/fallocate -l 1G`, CDS archive", Harness.format("%.1f", result.cds() * 1000),
                Harness.format("%.1fx", result.cds() / result.utilLinux()));
        return table;
    }
}
