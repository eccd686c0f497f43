package io.github.fallocate4j.bench;

import io.github.fallocate4j.AllocateOption;
import io.github.fallocate4j.FileSpace;
import io.github.fallocate4j.ReservePolicy;
import io.github.fallocate4j.ReservingChannel;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One write call through {@link ReservingChannel} against one through the plain {@link FileChannel} it
 * wraps, on tmpfs ({@code -Dbench.tmpfs}, /dev/shm), where a write is a copy into the page cache and
 * nothing waits for a disk: what the channel adds to each call (its locks, its position, the check of
 * the reservation) without the disk's noise. Each file is rewritten in a loop over its first
 * {@link #WRAP} bytes, and the channel reserves {@link #AHEAD} ahead, more than the loop reaches, so no
 * call here reserves: the reservation's own cost (one fallocate per chunk) is in the append benchmark.
 * A plain channel on a file with the same {@link #AHEAD} reserved ({@code KEEP_SIZE}) is the like-for-like
 * row: on tmpfs, writes into a file whose pages fallocate made cost more than into one whose pages its
 * writes made (up to a third more for 64 KiB writes, varying from file to file), whichever channel writes.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class WriteCallBenchmark {
    static final long WRAP = 16L << 20;
    static final long AHEAD = 64L << 20;

    @Param({"4096", "65536"})
    public int size;

    private Path dir;
    private FileChannel plain;
    private FileChannel positional;
    private FileChannel reserved;
    private ReservingChannel reserving;
    private ByteBuffer block;
    private long plainAt;
    private long positionalAt;
    private long reservedAt;
    private long reservingAt;

    /** Four new files on tmpfs. */
    @Setup(Level.Trial)
    public void open() throws IOException {
        dir = Files.createTempDirectory(Path.of(System.getProperty("bench.tmpfs", "/dev/shm")), "fallocate4j-bench");
        plain = FileChannel.open(dir.resolve("plain"), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        positional = FileChannel.open(dir.resolve("positional"), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        reserved = FileChannel.open(dir.resolve("reserved"), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        FileSpace.allocate(reserved, 0, AHEAD, AllocateOption.KEEP_SIZE);
        reserving = ReservingChannel.open(dir.resolve("reserving"), AHEAD, ReservePolicy.FAIL, StandardOpenOption.CREATE_NEW);
        block = ByteBuffer.allocateDirect(size);
    }

    /** Closes and deletes them. */
    @TearDown(Level.Trial)
    public void close() throws IOException {
        for (FileChannel channel : new FileChannel[] {plain, positional, reserved, reserving}) {
            channel.close();
        }
        try (var files = Files.list(dir)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        Files.delete(dir);
    }

    /** {@code FileChannel.write(src)}: write(2) at the channel's position. */
    @Benchmark
    public int plainWrite() throws IOException {
        block.clear();
        int n = plain.write(block);
        plainAt += n;
        if (plainAt >= WRAP) {
            plain.position(0);
            plainAt = 0;
        }
        return n;
    }

    /** {@code FileChannel.write(src, position)}: pwrite(2), which ReservingChannel's relative write becomes. */
    @Benchmark
    public int positionalWrite() throws IOException {
        int n = positional.write(block.clear(), positionalAt);
        positionalAt = next(positionalAt, n);
        return n;
    }

    /** {@code FileChannel.write(src, position)} into a file with {@link #AHEAD} reserved, as the channel's is. */
    @Benchmark
    public int reservedPositionalWrite() throws IOException {
        int n = reserved.write(block.clear(), reservedAt);
        reservedAt = next(reservedAt, n);
        return n;
    }

    /** The position after {@code n} bytes written at {@code at}, back to 0 at {@link #WRAP}. */
    private static long next(long at, int n) {
        return at + n >= WRAP ? 0 : at + n;
    }

    /** {@code ReservingChannel.write(src)}. */
    @Benchmark
    public int reservingWrite() throws IOException {
        block.clear();
        int n = reserving.write(block);
        reservingAt += n;
        if (reservingAt >= WRAP) {
            reserving.position(0);
            reservingAt = 0;
        }
        return n;
    }
}
