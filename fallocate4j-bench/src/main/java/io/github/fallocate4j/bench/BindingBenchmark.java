package io.github.fallocate4j.bench;

import io.github.fallocate4j.Advice;
import io.github.fallocate4j.AllocateOption;
import io.github.fallocate4j.Fallocate;
import io.github.fallocate4j.FileSpace;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;

/**
 * The cost of one cheap, real system call through each binding: posix_fadvise(NORMAL) on an open file, and
 * fallocate(KEEP_SIZE) over a range that is already allocated (the kernel has nothing to do). Compiled for
 * Java 17; the {@code *RawFfm} and {@code *Ffm*} rows run on Java 22+ only ({@link BindingOverhead} leaves
 * them out below).
 *
 * <p>The C rows call a gcc -O2 function that makes the same call {@link #C_CALLS} times in a loop
 * ({@link CLoop}), so C is timed by JMH in the same forks, under the same load, as the Java rows. The raw
 * rows are a bare FFM downcall handle ({@link RawFfm}). The {@code *Ffm*} rows are the library on its FFM
 * backend, the {@code *JnaBackend*} rows the library on its JNA backend (chosen in {@link BindingFile}'s
 * set-up): what a Java 17-21 user gets, against the hand-rolled JNA direct mapping of the {@code *Jna} rows.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class BindingBenchmark {
    /** Calls per invocation of a C loop. */
    static final int C_CALLS = 10_000;

    /** C: posix_fadvise in a gcc -O2 loop; JMH divides by the calls. */
    @Benchmark
    @OperationsPerInvocation(C_CALLS)
    public int fadviseC(BindingFile f) {
        return CLoop.fadvise_loop(f.fd, C_CALLS);
    }

    /** A bare FFM downcall, no library code. */
    @Benchmark
    public int fadviseRawFfm(BindingFile f) throws Throwable {
        return (int) RawFfm.POSIX_FADVISE.invokeExact(f.fd, 0L, 0L, Fallocate.POSIX_FADV_NORMAL);
    }

    /** fallocate4j on its FFM backend, int descriptor. */
    @Benchmark
    public void fadviseFfmIntFd(BindingFile f) throws IOException {
        Fallocate.posixFadvise(f.fd, 0, 0, Fallocate.POSIX_FADV_NORMAL);
    }

    /** fallocate4j on its FFM backend, typed layer on a FileChannel. */
    @Benchmark
    public void fadviseFfmChannel(BindingFile f) throws IOException {
        FileSpace.advise(f.channel, 0, 0, Advice.NORMAL);
    }

    /** fallocate4j on its JNA backend, int descriptor. */
    @Benchmark
    public void fadviseJnaBackendIntFd(BindingFile f) throws IOException {
        Fallocate.posixFadvise(f.fd, 0, 0, Fallocate.POSIX_FADV_NORMAL);
    }

    /** fallocate4j on its JNA backend, typed layer on a FileChannel. */
    @Benchmark
    public void fadviseJnaBackendChannel(BindingFile f) throws IOException {
        FileSpace.advise(f.channel, 0, 0, Advice.NORMAL);
    }

    /** JNA direct mapping. */
    @Benchmark
    public int fadviseJna(BindingFile f) {
        return JnaLibC.posix_fadvise(f.fd, 0, 0, Fallocate.POSIX_FADV_NORMAL);
    }

    /** JNA interface mapping. */
    @Benchmark
    public int fadviseJnaInterface(BindingFile f) {
        return JnaLibCInterface.C.posix_fadvise(f.fd, 0, 0, Fallocate.POSIX_FADV_NORMAL);
    }

    /** C: fallocate in a gcc -O2 loop; JMH divides by the calls. */
    @Benchmark
    @OperationsPerInvocation(C_CALLS)
    public int fallocateC(BindingFile f) {
        return CLoop.fallocate_loop(f.fd, C_CALLS);
    }

    /** A bare FFM downcall, no library code. */
    @Benchmark
    public int fallocateRawFfm(BindingFile f) throws Throwable {
        return (int) RawFfm.FALLOCATE.invokeExact(f.fd, Fallocate.FALLOC_FL_KEEP_SIZE, 0L, BindingFile.RANGE);
    }

    /** fallocate4j on its FFM backend, int descriptor. */
    @Benchmark
    public void fallocateFfmIntFd(BindingFile f) throws IOException {
        Fallocate.fallocate(f.fd, 0, BindingFile.RANGE, Fallocate.FALLOC_FL_KEEP_SIZE);
    }

    /** fallocate4j on its FFM backend, typed layer on a FileChannel. */
    @Benchmark
    public void fallocateFfmChannel(BindingFile f) throws IOException {
        FileSpace.allocate(f.channel, 0, BindingFile.RANGE, AllocateOption.KEEP_SIZE);
    }

    /** fallocate4j on its JNA backend, int descriptor. */
    @Benchmark
    public void fallocateJnaBackendIntFd(BindingFile f) throws IOException {
        Fallocate.fallocate(f.fd, 0, BindingFile.RANGE, Fallocate.FALLOC_FL_KEEP_SIZE);
    }

    /** fallocate4j on its JNA backend, typed layer on a FileChannel. */
    @Benchmark
    public void fallocateJnaBackendChannel(BindingFile f) throws IOException {
        FileSpace.allocate(f.channel, 0, BindingFile.RANGE, AllocateOption.KEEP_SIZE);
    }

    /** JNA direct mapping. */
    @Benchmark
    public int fallocateJna(BindingFile f) {
        return JnaLibC.fallocate(f.fd, Fallocate.FALLOC_FL_KEEP_SIZE, 0, BindingFile.RANGE);
    }

    /** JNA interface mapping. */
    @Benchmark
    public int fallocateJnaInterface(BindingFile f) {
        return JnaLibCInterface.C.fallocate(f.fd, Fallocate.FALLOC_FL_KEEP_SIZE, 0, BindingFile.RANGE);
    }
}
