package io.github.fallocate4j.bench;

import io.github.fallocate4j.Advice;
import io.github.fallocate4j.AllocateOption;
import io.github.fallocate4j.Fallocate;
import io.github.fallocate4j.FileSpace;
import io.github.fallocate4j.internal.Descriptors;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * The cost of one cheap, real system call through each binding: posix_fadvise(NORMAL) on an open file,
 * and fallocate(KEEP_SIZE) over a range that is already allocated (the kernel has nothing to do).
 *
 * <p>The C rows call a gcc -O2 function that makes the same call {@link #C_CALLS} times in a loop
 * (the library named by the system property {@code bench.cloop}, built by {@link BindingOverhead}), so
 * C is timed by JMH in the same forks, under the same load, as the Java rows; the one downcall into
 * the loop is spread over the calls it makes. The raw rows are a bare FFM downcall handle, declared
 * here, with no library code around it: the floor any FFM binding stands on. The library rows run on
 * the FFM backend, except the {@code *JnaBackend*} rows, whose forks choose the library's JNA backend
 * ({@code -Dfallocate4j.backend=jna}, set before the first call): what a Java 17-21 user gets, against
 * the hand-rolled JNA direct mapping of the {@code *Jna} rows.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class BindingBenchmark {
    static final long RANGE = 1 << 20;
    /** Calls per invocation of a C loop. */
    static final int C_CALLS = 10_000;
    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle RAW_FADVISE = LINKER.downcallHandle(
            LINKER.defaultLookup().find("posix_fadvise").orElseThrow(), FunctionDescriptor.of(ValueLayout.JAVA_INT,
                    ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
    private static final MethodHandle RAW_FALLOCATE = LINKER.downcallHandle(
            LINKER.defaultLookup().find("fallocate").orElseThrow(), FunctionDescriptor.of(ValueLayout.JAVA_INT,
                    ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG));

    private Path file;
    private RandomAccessFile raf;
    private FileChannel channel;
    private int fd;
    private MethodHandle cFadviseLoop;
    private MethodHandle cFallocateLoop;

    /** Opens a 1 MiB allocated file in java.io.tmpdir; first picks the library's backend for this fork. */
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
        SymbolLookup loop = SymbolLookup.libraryLookup(Path.of(System.getProperty("bench.cloop")), Arena.global());
        FunctionDescriptor loopType = FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT);
        cFadviseLoop = LINKER.downcallHandle(loop.find("fadvise_loop").orElseThrow(), loopType);
        cFallocateLoop = LINKER.downcallHandle(loop.find("fallocate_loop").orElseThrow(), loopType);
    }

    /** Closes and deletes the file. */
    @TearDown(Level.Trial)
    public void close() throws IOException {
        raf.close();
        Files.deleteIfExists(file);
    }

    /** C: posix_fadvise in a gcc -O2 loop; JMH divides by the calls. */
    @Benchmark
    @OperationsPerInvocation(C_CALLS)
    public int fadviseC() throws Throwable {
        return (int) cFadviseLoop.invokeExact(fd, C_CALLS);
    }

    /** A bare FFM downcall, no library code. */
    @Benchmark
    public int fadviseRawFfm() throws Throwable {
        return (int) RAW_FADVISE.invokeExact(fd, 0L, 0L, Fallocate.POSIX_FADV_NORMAL);
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

    /** fallocate4j on its JNA backend, int descriptor. */
    @Benchmark
    public void fadviseJnaBackendIntFd() throws IOException {
        Fallocate.posixFadvise(fd, 0, 0, Fallocate.POSIX_FADV_NORMAL);
    }

    /** JNA direct mapping. */
    @Benchmark
    public int fadviseJna() {
        return JnaLibC.posix_fadvise(fd, 0, 0, Fallocate.POSIX_FADV_NORMAL);
    }

    /** JNA interface mapping. */
    @Benchmark
    public int fadviseJnaInterface() {
        return JnaLibCInterface.C.posix_fadvise(fd, 0, 0, Fallocate.POSIX_FADV_NORMAL);
    }

    /** C: fallocate in a gcc -O2 loop; JMH divides by the calls. */
    @Benchmark
    @OperationsPerInvocation(C_CALLS)
    public int fallocateC() throws Throwable {
        return (int) cFallocateLoop.invokeExact(fd, C_CALLS);
    }

    /** A bare FFM downcall, no library code. */
    @Benchmark
    public int fallocateRawFfm() throws Throwable {
        return (int) RAW_FALLOCATE.invokeExact(fd, Fallocate.FALLOC_FL_KEEP_SIZE, 0L, RANGE);
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

    /** fallocate4j on its JNA backend, int descriptor. */
    @Benchmark
    public void fallocateJnaBackendIntFd() throws IOException {
        Fallocate.fallocate(fd, 0, RANGE, Fallocate.FALLOC_FL_KEEP_SIZE);
    }

    /** JNA direct mapping. */
    @Benchmark
    public int fallocateJna() {
        return JnaLibC.fallocate(fd, Fallocate.FALLOC_FL_KEEP_SIZE, 0, RANGE);
    }

    /** JNA interface mapping. */
    @Benchmark
    public int fallocateJnaInterface() {
        return JnaLibCInterface.C.fallocate(fd, Fallocate.FALLOC_FL_KEEP_SIZE, 0, RANGE);
    }
}
