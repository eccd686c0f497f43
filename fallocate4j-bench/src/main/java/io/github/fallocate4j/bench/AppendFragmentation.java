package io.github.fallocate4j.bench;

import io.github.fallocate4j.AllocateOption;
import io.github.fallocate4j.Extent;
import io.github.fallocate4j.FileSpace;
import io.github.fallocate4j.ReservePolicy;
import io.github.fallocate4j.ReservingChannel;
import io.github.fallocate4j.SparseFiles;
import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Benchmark 4: log files appended to in turn (1 or 4 of them, 4 KiB or 64 KiB at a time) and made
 * durable every MiB (fdatasync), as logs are, by four writers: plain appends; {@code setLength} ahead
 * of the writer and truncated on close (what Kafka's preallocation does: it reserves nothing, the file
 * stays sparse and its size is false until close); hand-rolled {@code KEEP_SIZE} preallocation ahead
 * of the writer, left as it is on close; and {@link ReservingChannel}. Measured: throughput, the
 * latency of each write call (p50, p99, max), the extent count of each file's data (FIEMAP), and the
 * space left allocated past the end of each file after close. The syncs matter: without them ext4's
 * delayed allocation places each file in one piece at write-back anyway. Where the slow writes are: the
 * first write to a file after its fdatasync is measured apart (p50) from the others (p99), because those
 * first writes, about 0.4% of the 4 KiB writes, are several times slower for every writer, and so p99 falls
 * at the edge between them and the tail of the others.
 */
final class AppendFragmentation {
    /**
     * @param bytesPerRun bytes written in one run, over all its files
     * @param ahead       bytes reserved (or setLength'd) at a time
     * @param syncEvery   bytes appended to each file between fdatasyncs
     * @param rounds      runs of each writer, interleaved; medians are reported
     */
    record Config(long bytesPerRun, long ahead, long syncEvery, int rounds, List<Integer> files, List<Integer> writeSizes) {}

    /**
     * 120 MiB a run: a file ends inside a 16 MiB chunk (at 120 MiB, or 30 MiB with four files), as a log
     * segment usually does, so what a writer leaves reserved past the end shows.
     */
    static final Config FULL = new Config(Long.getLong("bench.append.mib", 120) << 20, 16L << 20, 1L << 20,
            Integer.getInteger("bench.append.rounds", 3), List.of(1, 4), List.of(4096, 65536));
    static final Config SMOKE = new Config(2L << 20, 512L << 10, 256L << 10, 1, List.of(1, 4), List.of(4096, 65536));

    /** The four ways to append. */
    enum Way {
        PLAIN("plain appends"),
        SET_LENGTH("setLength ahead (Kafka)"),
        KEEP_SIZE("hand-rolled KEEP_SIZE"),
        RESERVING("ReservingChannel");

        final String label;

        Way(String label) {
            this.label = label;
        }
    }

    /** One writer's medians for one shape of load. */
    record Result(Way way, int files, int writeSize, double mibPerSecond, double p50Micros, double p99Micros,
                  double maxMicros, double afterSyncP50Micros, double otherP99Micros, double extentsPerFile,
                  double leftAllocatedKibPerFile, String againstPlain) {}

    private AppendFragmentation() {}

    /**
     * Every writer for every number of files and write size, {@code rounds} times in turn; the medians, and
     * in how many rounds each writer was at least as fast as plain appends and its p99 no worse: a median a few
     * per cent either side of plain appends' says little on a shared machine, a count of rounds says how often.
     */
    static List<Result> measureAll(Config config, Path dir) throws IOException {
        List<Result> results = new ArrayList<>();
        for (int files : config.files()) {
            for (int writeSize : config.writeSizes()) {
                Result[][] runs = new Result[Way.values().length][config.rounds()];
                Way[] ways = Way.values();
                for (int r = 0; r < config.rounds(); r++) {
                    // Each round starts with the next writer, so that none always follows the same one.
                    for (int w = 0; w < ways.length; w++) {
                        Way way = ways[(r + w) % ways.length];
                        runs[way.ordinal()][r] = measure(config, dir, way, files, writeSize);
                    }
                }
                Result[] plain = runs[Way.PLAIN.ordinal()];
                for (Way way : Way.values()) {
                    Result[] w = runs[way.ordinal()];
                    int faster = 0;
                    int p99NoWorse = 0;
                    for (int r = 0; r < w.length; r++) {
                        faster += w[r].mibPerSecond() >= plain[r].mibPerSecond() ? 1 : 0;
                        p99NoWorse += w[r].p99Micros() <= plain[r].p99Micros() ? 1 : 0;
                    }
                    String againstPlain = way == Way.PLAIN ? "" : faster + "/" + w.length + ", " + p99NoWorse + "/" + w.length;
                    results.add(new Result(way, files, writeSize,
                            median(w, Result::mibPerSecond), median(w, Result::p50Micros), median(w, Result::p99Micros),
                            median(w, Result::maxMicros), median(w, Result::afterSyncP50Micros), median(w, Result::otherP99Micros),
                            median(w, Result::extentsPerFile), median(w, Result::leftAllocatedKibPerFile), againstPlain));
                }
            }
        }
        return results;
    }

    private interface Metric {
        double of(Result r);
    }

    private static double median(Result[] runs, Metric metric) {
        return Harness.median(Arrays.stream(runs).mapToDouble(metric::of).toArray());
    }

    /** A log file written by one of the ways. */
    private interface Appender extends Closeable {
        void append(ByteBuffer data) throws IOException;

        void sync() throws IOException;
    }

    private static Appender open(Way way, Path path, long ahead) throws IOException {
        switch (way) {
            case RESERVING: {
                ReservingChannel ch = ReservingChannel.open(path, ahead, ReservePolicy.FAIL, StandardOpenOption.CREATE_NEW);
                return appender(ch, ch::write, ch::close);
            }
            case SET_LENGTH: {
                RandomAccessFile raf = new RandomAccessFile(Files.createFile(path).toFile(), "rw");
                FileChannel ch = raf.getChannel();
                long[] lengthAndEnd = {0, 0}; // kept here: asking the channel for its position costs an lseek
                return appender(ch, data -> {
                    long end = lengthAndEnd[1] + data.remaining();
                    if (end > lengthAndEnd[0]) {
                        lengthAndEnd[0] = Math.max(end, lengthAndEnd[0] + ahead);
                        raf.setLength(lengthAndEnd[0]);
                    }
                    lengthAndEnd[1] += ch.write(data);
                }, () -> {
                    raf.setLength(lengthAndEnd[1]); // the true size, at last
                    raf.close();
                });
            }
            case KEEP_SIZE: {
                FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                long[] reservedAndEnd = {0, 0};
                return appender(ch, data -> {
                    long end = reservedAndEnd[1] + data.remaining();
                    while (end > reservedAndEnd[0]) {
                        FileSpace.allocate(ch, reservedAndEnd[0], ahead, AllocateOption.KEEP_SIZE);
                        reservedAndEnd[0] += ahead;
                    }
                    reservedAndEnd[1] += ch.write(data);
                }, ch::close);
            }
            default: {
                FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                return appender(ch, ch::write, ch::close);
            }
        }
    }

    private interface Io<T> {
        void run(T t) throws IOException;
    }

    private interface Close {
        void run() throws IOException;
    }

    private static Appender appender(FileChannel ch, Io<ByteBuffer> write, Close close) {
        return new Appender() {
            @Override
            public void append(ByteBuffer data) throws IOException {
                while (data.hasRemaining()) {
                    write.run(data);
                }
            }

            @Override
            public void sync() throws IOException {
                ch.force(false);
            }

            @Override
            public void close() throws IOException {
                close.run();
            }
        };
    }

    static Result measure(Config config, Path dir, Way way, int files, int writeSize) throws IOException {
        startFromCommittedFreeSpace(dir);
        Appender[] logs = new Appender[files];
        Path[] paths = new Path[files];
        long perFile = config.bytesPerRun() / files;
        long[] latencies = new long[(int) (perFile / writeSize) * files];
        boolean[] afterSync = new boolean[latencies.length]; // the first write to its file after an fdatasync
        int n = 0;
        long start = System.nanoTime();
        try {
            for (int i = 0; i < files; i++) {
                paths[i] = dir.resolve("log" + i + "-" + way);
                logs[i] = open(way, paths[i], config.ahead());
            }
            ByteBuffer block = ByteBuffer.allocateDirect(writeSize);
            for (long at = 0; at < perFile; at += writeSize) {
                for (Appender log : logs) {
                    block.clear();
                    long t = System.nanoTime();
                    log.append(block);
                    afterSync[n] = at > 0 && at % config.syncEvery() == 0;
                    latencies[n++] = System.nanoTime() - t;
                    if ((at + writeSize) % config.syncEvery() == 0) {
                        log.sync();
                    }
                }
            }
            for (Appender log : logs) {
                log.sync();
            }
        } finally {
            for (Appender log : logs) {
                if (log != null) {
                    log.close();
                }
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long extents = 0;
        long left = 0;
        for (Path path : paths) {
            long size = Files.size(path);
            extents += SparseFiles.extents(path, 0, Math.max(1, size)).size();
            // Space still mapped past the end, from the extent map: st_blocks would also count ext4's extent
            // index block, metadata that no release can give back.
            long blocks = (size + 4095) / 4096 * 4096;
            for (Extent e : SparseFiles.extents(path, blocks, Long.MAX_VALUE - blocks)) {
                left += Math.max(0, e.logicalOffset() + e.length() - Math.max(e.logicalOffset(), blocks));
            }
            Files.delete(path);
        }
        long[] firsts = new long[n];
        long[] others = new long[n];
        int f = 0;
        int o = 0;
        for (int i = 0; i < n; i++) {
            if (afterSync[i]) {
                firsts[f++] = latencies[i];
            } else {
                others[o++] = latencies[i];
            }
        }
        Arrays.sort(latencies, 0, n);
        Arrays.sort(firsts, 0, f);
        Arrays.sort(others, 0, o);
        return new Result(way, files, writeSize, config.bytesPerRun() / seconds / (1 << 20),
                latencies[n / 2] / 1e3, p99(latencies, n) / 1e3, latencies[n - 1] / 1e3,
                f == 0 ? 0 : firsts[f / 2] / 1e3, p99(others, o) / 1e3, extents / (double) files, left / 1024.0 / files, "");
    }

    private static long p99(long[] sorted, int n) {
        return sorted[(int) Math.min(n - 1, n * 0.99)];
    }

    /**
     * Commits the filesystem twice (syncfs(2), {@code sync -f}), so that the blocks of the files the last run
     * deleted are free again. Until its journal (ext4), log (xfs) or transaction (btrfs) commits, a filesystem
     * keeps freed blocks from reuse, and the next run's files would be placed elsewhere than the last run's:
     * on ext4, across the block groups that hold a backup superblock, where one file of the same fallocate
     * calls came out in 1, 2 or 4 extents depending on which writer ran before. btrfs needed a second
     * commit: after one, the same writer's 20 MiB file came out in 1 and 2 extents in turn. After both,
     * every run starts on the same free space.
     */
    private static void startFromCommittedFreeSpace(Path dir) throws IOException {
        try {
            Harness.run(List.of("sync", "-f", dir.toString()));
            Harness.run(List.of("sync", "-f", dir.toString()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while committing " + dir);
        }
    }

    static Harness.Table table(List<Result> results, Config config) {
        Harness.Table table = new Harness.Table("files x write", "writer", "MiB/s", "p50 µs", "p99 µs", "max µs",
                "first write after a sync, p50 µs", "other writes, p99 µs", "extents per file",
                "KiB left allocated past the end, per file", "rounds with MiB/s ≥, p99 ≤ plain appends' in the same round");
        for (Result r : results) {
            table.row(r.files() + " x " + (r.writeSize() >> 10) + " KiB", r.way().label,
                    Harness.format("%.0f", r.mibPerSecond()), Harness.format("%.1f", r.p50Micros()),
                    Harness.format("%.1f", r.p99Micros()), Harness.format("%.0f", r.maxMicros()),
                    Harness.format("%.1f", r.afterSyncP50Micros()), Harness.format("%.1f", r.otherP99Micros()),
                    Harness.format("%.1f", r.extentsPerFile()), Harness.format("%.0f", r.leftAllocatedKibPerFile()), r.againstPlain());
        }
        return table;
    }
}
