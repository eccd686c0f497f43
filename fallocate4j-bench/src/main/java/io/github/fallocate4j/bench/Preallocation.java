package io.github.fallocate4j.bench;

import io.github.fallocate4j.FileSpace;
import io.github.fallocate4j.SparseFiles;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Benchmark 3: making a 1 GiB file, three ways a Java program can: fallocate, writing zeros through a
 * FileChannel, RandomAccessFile.setLength. Only the first two reserve the space.
 */
final class Preallocation {
    record Config(long bytes, int rounds) {}

    static final Config FULL = new Config(1L << 30, 5);
    static final Config SMOKE = new Config(4L << 20, 1);

    /** Median seconds and allocated bytes afterwards, per way. */
    record Way(String name, double seconds, long allocated, boolean guaranteed) {}

    private Preallocation() {}

    static Way[] measure(Config config, Path dir) throws IOException {
        Path file = dir.resolve("prealloc.bin");
        String[] names = {"fallocate4j `FileSpace.allocate`", "FileChannel.write of zeros (1 MiB buffers) + force",
            "RandomAccessFile.setLength"};
        double[][] seconds = new double[3][config.rounds()];
        long[] allocated = new long[3];
        // Rounds outside, ways inside: each way is timed in every stretch of the run.
        for (int r = 0; r < config.rounds(); r++) {
            for (int way = 0; way < 3; way++) {
                Files.deleteIfExists(file);
                long start = System.nanoTime();
                switch (way) {
                    case 0 -> FileSpace.allocate(file, 0, config.bytes());
                    case 1 -> writeZeros(file, config.bytes());
                    default -> {
                        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                            raf.setLength(config.bytes());
                        }
                    }
                }
                seconds[way][r] = (System.nanoTime() - start) / 1e9;
                allocated[way] = SparseFiles.allocatedBytes(file);
            }
        }
        Way[] ways = new Way[3];
        for (int way = 0; way < 3; way++) {
            ways[way] = new Way(names[way], Harness.median(seconds[way]), allocated[way], way < 2);
        }
        Files.deleteIfExists(file);
        return ways;
    }

    private static void writeZeros(Path file, long size) throws IOException {
        ByteBuffer zeros = ByteBuffer.allocateDirect(1 << 20);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            for (long at = 0; at < size; at += zeros.capacity()) {
                ByteBuffer chunk = zeros.duplicate();
                while (chunk.hasRemaining()) {
                    ch.write(chunk, at + chunk.position());
                }
            }
            ch.force(false);
        }
    }

    static Harness.Table table(Way[] ways) {
        Harness.Table table = new Harness.Table("way", "median ms", "vs fallocate", "allocated afterwards", "space guaranteed");
        for (Way way : ways) {
            table.row(way.name(), Harness.format("%.2f", way.seconds() * 1000),
                    Harness.format("%.2fx", way.seconds() / ways[0].seconds()),
                    Harness.format("%d MiB", way.allocated() >> 20), way.guaranteed() ? "yes" : "no (sparse)");
        }
        return table;
    }
}
