package io.github.fallocate4j.bench;

import io.github.fallocate4j.SparseFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Random;

/**
 * Benchmark 2: dig-holes throughput on a file of random and zero 1 MiB chunks, alternating, page-cached,
 * on a loop-mounted ext4: the library, our CLI and util-linux, each run on a freshly written file.
 */
final class DigHolesThroughput {
    /** File size and rounds: the published numbers use {@link #FULL}. */
    record Config(long fileBytes, int rounds) {}

    static final Config FULL = new Config(1L << 30, 5);
    static final Config SMOKE = new Config(8L << 20, 1);

    /** Median seconds per tool, and the MiB/s they give. */
    record Result(double library, double cli, double utilLinux, double cliStartup, long fileBytes) {}

    private DigHolesThroughput() {}

    static Result measure(Config config, Path bin) throws IOException, InterruptedException {
        try (Harness.LoopFs fs = new Harness.LoopFs("ext4", config.fileBytes() * 2 + (256L << 20))) {
            Path file = fs.mount.resolve("half-zero.bin");
            double[] library = new double[config.rounds()];
            double[] cli = new double[config.rounds()];
            double[] util = new double[config.rounds()];
            double[] startup = new double[config.rounds()];
            Path small = fs.mount.resolve("one-block.bin");
            for (int r = 0; r < config.rounds(); r++) {
                write(file, config.fileBytes());
                long start = System.nanoTime();
                long dug = SparseFiles.digHoles(file);
                library[r] = (System.nanoTime() - start) / 1e9;
                check(dug, config.fileBytes());

                write(file, config.fileBytes());
                cli[r] = Harness.timeCommand(List.of(bin.resolve("fallocate").toString(), "--dig-holes", file.toString()));

                write(file, config.fileBytes());
                util[r] = Harness.timeCommand(List.of("/usr/bin/fallocate", "--dig-holes", file.toString()));

                // The same command on a one-block file: what the JVM's start-up alone costs that row.
                Files.write(small, new byte[4096]);
                startup[r] = Harness.timeCommand(List.of(bin.resolve("fallocate").toString(), "--dig-holes", small.toString()));
            }
            return new Result(Harness.median(library), Harness.median(cli), Harness.median(util), Harness.median(startup),
                    config.fileBytes());
        }
    }

    private static void check(long dug, long size) {
        if (dug != size / 2) {
            throw new IllegalStateException("dug " + dug + " bytes, expected " + size / 2);
        }
    }

    /** Random and zero MiB chunks alternating, written through and kept in the page cache. */
    private static void write(Path file, long size) throws IOException {
        Files.deleteIfExists(file);
        ByteBuffer random = ByteBuffer.allocateDirect(1 << 20);
        byte[] bytes = new byte[1 << 20];
        new Random(1).nextBytes(bytes);
        random.put(bytes).flip();
        ByteBuffer zero = ByteBuffer.allocateDirect(1 << 20);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (long at = 0; at < size; at += 1 << 20) {
                ByteBuffer chunk = ((at >> 20) & 1) == 0 ? random.duplicate() : zero.duplicate();
                while (chunk.hasRemaining()) {
                    ch.write(chunk, at + chunk.position());
                }
            }
            ch.force(false);
        }
    }

    static Harness.Table table(Result result) {
        double mib = result.fileBytes() / (double) (1 << 20);
        Harness.Table table = new Harness.Table("tool", "median s", "MiB/s", "vs util-linux");
        table.row("util-linux 2.38.1 `fallocate --dig-holes`", Harness.format("%.3f", result.utilLinux()),
                Harness.format("%.0f", mib / result.utilLinux()), "1.00x");
        table.row("fallocate4j `SparseFiles.digHoles` (library)", Harness.format("%.3f", result.library()),
                Harness.format("%.0f", mib / result.library()), Harness.format("%.2fx", result.utilLinux() / result.library()));
        table.row("fallocate4j `bin/fallocate --dig-holes` (CLI, JVM start included)", Harness.format("%.3f", result.cli()),
                Harness.format("%.0f", mib / result.cli()), Harness.format("%.2fx", result.utilLinux() / result.cli()));
        table.row("(the CLI row's start-up: `bin/fallocate --dig-holes` on a 4 KiB file)",
                Harness.format("%.3f", result.cliStartup()), "", "");
        return table;
    }
}
