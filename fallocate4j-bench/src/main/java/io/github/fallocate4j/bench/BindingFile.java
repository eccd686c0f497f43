package io.github.fallocate4j.bench;

import io.github.fallocate4j.Fallocate;
import io.github.fallocate4j.internal.Descriptors;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * The file every binding benchmark calls on: 1 MiB, allocated, open for writing, as an int descriptor
 * and as a {@link FileChannel}.
 */
@State(Scope.Benchmark)
public class BindingFile {
    static final long RANGE = 1 << 20;

    private Path file;
    private RandomAccessFile raf;
    FileChannel channel;
    int fd;

    /**
     * Opens the file in java.io.tmpdir. First, for the {@code *JnaBackend*} rows, makes the library choose
     * its JNA backend in this fork (before its first call), which is what Java 17-21 gets anyway.
     */
    @Setup(Level.Trial)
    public void open(BenchmarkParams params) throws IOException {
        if (params.getBenchmark().contains("JnaBackend")) {
            System.setProperty("fallocate4j.backend", "jna");
        }
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
}
