package io.github.fallocate4j.bench;

import io.github.fallocate4j.AllocateOption;
import io.github.fallocate4j.FileSpace;
import io.github.fallocate4j.SparseFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Benchmark 4: four files appended to in turn, 4 KiB at a time and made durable every MiB
 * (fdatasync), as four logs would be, with and without KEEP_SIZE preallocation ahead of the writer;
 * then the extent count (FIEMAP) of each file. The syncs matter: without them ext4's delayed
 * allocation places each file in one piece at write-back anyway.
 */
final class AppendFragmentation {
    record Config(long bytesPerFile, long preallocateAhead, long syncEvery, int rounds) {}

    static final Config FULL = new Config(256L << 20, 64L << 20, 1L << 20, 3);
    static final Config SMOKE = new Config(2L << 20, 1L << 20, 256L << 10, 1);
    private static final int FILES = 4;
    private static final int WRITE = 4096;

    /** Seconds and the mean extent count per file, with or without preallocation. */
    record Result(boolean preallocated, double seconds, double extentsPerFile) {}

    private AppendFragmentation() {}

    /**
     * Both writers, {@code rounds} times in turn (plain, preallocated, plain, ...), so that both meet the
     * same load; the medians of seconds and extents for each.
     */
    static Result[] measureBoth(Config config, Path dir) throws IOException {
        double[][] seconds = new double[2][config.rounds()];
        double[][] extents = new double[2][config.rounds()];
        for (int r = 0; r < config.rounds(); r++) {
            for (int way = 0; way < 2; way++) {
                Result one = measure(config, dir, way == 1);
                seconds[way][r] = one.seconds();
                extents[way][r] = one.extentsPerFile();
            }
        }
        return new Result[] {
            new Result(false, Harness.median(seconds[0]), Harness.median(extents[0])),
            new Result(true, Harness.median(seconds[1]), Harness.median(extents[1])),
        };
    }

    static Result measure(Config config, Path dir, boolean preallocate) throws IOException {
        FileChannel[] files = new FileChannel[FILES];
        Path[] paths = new Path[FILES];
        long start = System.nanoTime();
        try {
            for (int i = 0; i < FILES; i++) {
                paths[i] = dir.resolve("log" + i + (preallocate ? "-prealloc" : "-plain"));
                files[i] = FileChannel.open(paths[i], StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            }
            ByteBuffer block = ByteBuffer.allocateDirect(WRITE);
            long reserved = 0;
            for (long at = 0; at < config.bytesPerFile(); at += WRITE) {
                if (preallocate && at >= reserved) {
                    for (FileChannel ch : files) {
                        FileSpace.allocate(ch, reserved, config.preallocateAhead(), AllocateOption.KEEP_SIZE);
                    }
                    reserved += config.preallocateAhead();
                }
                for (FileChannel ch : files) {
                    block.clear();
                    ch.write(block, at);
                    if ((at + WRITE) % config.syncEvery() == 0) {
                        ch.force(false);
                    }
                }
            }
            for (FileChannel ch : files) {
                ch.force(false);
            }
        } finally {
            for (FileChannel ch : files) {
                if (ch != null) {
                    ch.close();
                }
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long extents = 0;
        for (Path path : paths) {
            extents += SparseFiles.extents(path).size();
            Files.delete(path);
        }
        return new Result(preallocate, seconds, extents / (double) FILES);
    }

    static Harness.Table table(Result plain, Result preallocated, Config config) {
        Harness.Table table = new Harness.Table("writer (fdatasync every " + (config.syncEvery() >> 10) + " KiB)",
                "median s for 4 x " + (config.bytesPerFile() >> 20) + " MiB", "median extents per file (FIEMAP)");
        table.row("plain appends", Harness.format("%.2f", plain.seconds()), Harness.format("%.1f", plain.extentsPerFile()));
        table.row("KEEP_SIZE preallocation " + (config.preallocateAhead() >> 20) + " MiB ahead",
                Harness.format("%.2f", preallocated.seconds()), Harness.format("%.1f", preallocated.extentsPerFile()));
        return table;
    }
}
