package io.github.fallocate4j.bench;

import io.github.fallocate4j.DigListener;
import io.github.fallocate4j.DigOption;
import io.github.fallocate4j.SparseFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Dig safety (issue 9 A3): what a dig costs a writer that rewrites the file meanwhile. A 64 MiB file
 * of written zeros on tmpfs; one thread rewrites random 4 KiB blocks of it with non-zero bytes, from
 * before the dig starts until after it ends; then every block the writer wrote is read back, and a block
 * that no longer holds the writer's last bytes for it counts as lost. The writer either writes as it
 * likes or takes a FileChannel lock (an fcntl lock) over each block it writes, cooperating with
 * {@link DigOption#LOCK}.
 */
final class DigSafety {
    static final int BLOCK = 4096;

    /** File size and runs per mode: the published numbers use {@link #FULL}. */
    record Config(long fileBytes, int runs) {}

    static final Config FULL = new Config(64L << 20, 8);
    static final Config SMOKE = new Config(4L << 20, 1);

    /** Per run: blocks lost, and blocks the writer wrote while the dig ran. */
    record Run(int lost, int writesDuringDig) {}

    /** One way of digging: the options, and whether the writer locks each block it writes. */
    record Mode(String name, boolean writerLocks, DigOption... options) {}

    /** The modes measured, in the table's order. */
    static final Mode[] MODES = {
        new Mode("`digHoles`", false),
        new Mode("`digHoles(..., LOCK)`", false, DigOption.LOCK),
        new Mode("`digHoles(..., LOCK)`", true, DigOption.LOCK),
    };

    private DigSafety() {}

    static Run[] measure(Config config, Path dir, Mode mode) throws IOException, InterruptedException {
        Run[] runs = new Run[config.runs()];
        Path file = dir.resolve("dig-safety.bin");
        for (int r = 0; r < runs.length; r++) {
            Files.deleteIfExists(file);
            Files.write(file, new byte[(int) config.fileBytes()]);
            runs[r] = once(file, config.fileBytes() / BLOCK, mode, r);
        }
        Files.deleteIfExists(file);
        return runs;
    }

    private static Run once(Path file, long blocks, Mode mode, long seed) throws IOException, InterruptedException {
        byte[] last = new byte[(int) blocks]; // the fill byte last written to each block; 0: never written
        AtomicBoolean digging = new AtomicBoolean();
        AtomicBoolean stop = new AtomicBoolean();
        int[] writesDuringDig = new int[1];
        IOException[] failure = new IOException[1];
        Thread writer = new Thread(() -> {
            Random random = new Random(seed);
            ByteBuffer buffer = ByteBuffer.allocateDirect(BLOCK);
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                while (!stop.get()) {
                    int block = random.nextInt((int) blocks);
                    byte fill = (byte) (1 + random.nextInt(255));
                    while (buffer.hasRemaining()) {
                        buffer.put(fill);
                    }
                    long at = (long) block * BLOCK;
                    if (mode.writerLocks()) {
                        try (FileLock lock = ch.lock(at, BLOCK, false)) {
                            write(ch, buffer.flip(), at);
                        }
                    } else {
                        write(ch, buffer.flip(), at);
                    }
                    buffer.clear();
                    last[block] = fill;
                    if (digging.get()) {
                        writesDuringDig[0]++;
                    }
                }
            } catch (IOException e) {
                failure[0] = e;
            }
        }, "dig-safety-writer");
        writer.start();
        Thread.sleep(20); // the writer is under way before the dig starts
        digging.set(true);
        SparseFiles.digHoles(file, 0, Long.MAX_VALUE, DigListener.NONE, mode.options());
        digging.set(false);
        Thread.sleep(20);
        stop.set(true);
        writer.join();
        if (failure[0] != null) {
            throw failure[0];
        }
        return new Run(lost(file, last), writesDuringDig[0]);
    }

    private static void write(FileChannel ch, ByteBuffer buffer, long at) throws IOException {
        while (buffer.hasRemaining()) {
            ch.write(buffer, at + buffer.position());
        }
    }

    /** Blocks that do not hold the bytes last written to them. */
    private static int lost(Path file, byte[] last) throws IOException {
        int lost = 0;
        byte[] expected = new byte[BLOCK];
        ByteBuffer actual = ByteBuffer.allocate(BLOCK);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            for (int block = 0; block < last.length; block++) {
                if (last[block] == 0) {
                    continue;
                }
                Arrays.fill(expected, last[block]);
                actual.clear();
                while (actual.hasRemaining() && ch.read(actual, (long) block * BLOCK + actual.position()) > 0) {
                    // read the whole block
                }
                if (!Arrays.equals(expected, actual.array())) {
                    lost++;
                }
            }
        }
        return lost;
    }

    static Harness.Table table(Mode[] modes, Run[][] results) {
        Harness.Table table = new Harness.Table("dig", "writer", "runs losing blocks", "blocks lost per run",
                "writes during the dig per run (median)");
        for (int m = 0; m < modes.length; m++) {
            Run[] runs = results[m];
            double[] writes = Arrays.stream(runs).mapToDouble(Run::writesDuringDig).toArray();
            table.row(modes[m].name(), modes[m].writerLocks() ? "locks each block" : "no lock",
                    Arrays.stream(runs).filter(r -> r.lost() > 0).count() + " of " + runs.length,
                    String.join(" ", Arrays.stream(runs).map(r -> String.valueOf(r.lost())).toList()),
                    Harness.format("%.0f", Harness.median(writes)));
        }
        return table;
    }
}
