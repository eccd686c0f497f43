package io.github.fallocate4j.bench;

import io.github.fallocate4j.Advice;
import io.github.fallocate4j.AllocateOption;
import io.github.fallocate4j.Fallocate;
import io.github.fallocate4j.FileSpace;
import io.github.fallocate4j.internal.Descriptors;
import io.github.fallocate4j.internal.LibC;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The cost of one cheap, real system call through each binding: posix_fadvise(NORMAL) on an open file,
 * and fallocate(KEEP_SIZE) over a range that is already allocated (the kernel has nothing to do).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class BindingBenchmark {
    static final long RANGE = 1 << 20;

    private Path file;
    private RandomAccessFile raf;
    private FileChannel channel;
    private int fd;

    /** Opens a 1 MiB allocated file in java.io.tmpdir. */
    @Setup(Level.Trial)
    public void open() throws IOException {
        file = Files.createTempFile("fallocate4j-bench", ".bin");
        raf = new RandomAccessFile(file.toFile(), "rw");
        channel = raf.getChannel();
        fd = Descriptors.of(raf.getFD());
        Fallocate.fallocate(fd, 0, RANGE);
    }

    /** Closes and deletes the file. */
    @TearDown(Level.Trial)
    public void close() throws IOException {
        raf.close();
        Files.deleteIfExists(file);
    }

    /** fallocate4j, int descriptor. */
    @Benchmark
    public void fadviseFfmIntFd() throws IOException {
        Fallocate.posixFadvise(fd, 0, 0, Fallocate.POSIX_FADV_NORMAL);
    }

    /** fallocate4j, typed layer on a FileChannel. */
    @Benchmark
    public void fadviseFfmChannel() throws IOException {
        FileSpace.advise(channel, 0, 0, Advice.NORMAL);
    }

    /** The bare FFM downcall, without the library's checks: what the FFM transition itself costs. */
    @Benchmark
    public int fadviseFfmRaw() {
        return LibC.posixFadvise(fd, 0, 0, Fallocate.POSIX_FADV_NORMAL);
    }

    /** JNA direct mapping. */
    @Benchmark
    public int fadviseJna() {
        return JnaLibC.posix_fadvise(fd, 0, 0, Fallocate.POSIX_FADV_NORMAL);
    }

    /** fallocate4j, int descriptor. */
    @Benchmark
    public void fallocateFfmIntFd() throws IOException {
        Fallocate.fallocate(fd, 0, RANGE, Fallocate.FALLOC_FL_KEEP_SIZE);
    }

    /** fallocate4j, typed layer on a FileChannel. */
    @Benchmark
    public void fallocateFfmChannel() throws IOException {
        FileSpace.allocate(channel, 0, RANGE, AllocateOption.KEEP_SIZE);
    }

    /** JNA direct mapping. */
    @Benchmark
    public int fallocateJna() {
        return JnaLibC.fallocate(fd, Fallocate.FALLOC_FL_KEEP_SIZE, 0, RANGE);
    }
}
