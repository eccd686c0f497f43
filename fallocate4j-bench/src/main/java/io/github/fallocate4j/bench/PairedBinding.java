package io.github.fallocate4j.bench;

import io.github.fallocate4j.Advice;
import io.github.fallocate4j.AllocateOption;
import io.github.fallocate4j.Fallocate;
import io.github.fallocate4j.FileSpace;
import io.github.fallocate4j.internal.Descriptors;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JNA backend against hand-rolled JNA direct mapping, measured in pairs: in one JVM, a slice of
 * {@code calls} hand-rolled calls and a slice of as many library calls, one right after the other (in
 * turn AB and BA), {@code pairs} times, and the median of the pairs' ratios. On a machine that other
 * work shares, each pair sees the same load, and a slice that a preemption lands in spoils one ratio,
 * which the median leaves out; JMH's forks, seconds apart, see different loads. Run by
 * {@link BindingOverhead} in a child JVM of each JDK; the library chooses its JNA backend
 * ({@code -Dfallocate4j.backend=jna}, set before the first call).
 */
final class PairedBinding {
    /** The compared rows: the library's int-fd and FileChannel calls, each against hand-rolled JNA. */
    static final List<String> ROWS = List.of("fadviseJnaBackendIntFd", "fadviseJnaBackendChannel",
            "fallocateJnaBackendIntFd", "fallocateJnaBackendChannel");

    private static int fd;
    private static FileChannel channel;
    private static int sink;

    private PairedBinding() {}

    /** Median ratio (library ns / hand-rolled ns) of each row, after a warm-up of every loop. */
    static Map<String, Double> measure(int pairs, int calls) throws IOException {
        System.setProperty("fallocate4j.backend", "jna");
        Path file = Files.createTempFile("fallocate4j-bench", ".bin");
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            channel = raf.getChannel();
            fd = Descriptors.of(raf.getFD());
            Fallocate.fallocate(fd, 0, BindingFile.RANGE);
            for (int warm = 0; warm < 50; warm++) {
                for (int row = -2; row < ROWS.size(); row++) {
                    slice(row, calls);
                }
            }
            Map<String, Double> ratios = new LinkedHashMap<>();
            for (int row = 0; row < ROWS.size(); row++) {
                int reference = row < 2 ? -2 : -1; // hand-rolled fadvise, fallocate
                double[] ratio = new double[pairs];
                for (int p = 0; p < pairs; p++) {
                    double a;
                    double b;
                    if (p % 2 == 0) {
                        a = slice(reference, calls);
                        b = slice(row, calls);
                    } else {
                        b = slice(row, calls);
                        a = slice(reference, calls);
                    }
                    ratio[p] = b / a;
                }
                ratios.put(ROWS.get(row), Harness.median(ratio));
            }
            return ratios;
        } finally {
            Files.delete(file);
        }
    }

    /** ns of a slice of {@code calls} calls of one row (-2, -1: hand-rolled fadvise, fallocate). */
    private static long slice(int row, int calls) throws IOException {
        long start = System.nanoTime();
        switch (row) {
            case -2:
                for (int i = 0; i < calls; i++) {
                    sink += JnaLibC.posix_fadvise(fd, 0, 0, Fallocate.POSIX_FADV_NORMAL);
                }
                break;
            case -1:
                for (int i = 0; i < calls; i++) {
                    sink += JnaLibC.fallocate(fd, Fallocate.FALLOC_FL_KEEP_SIZE, 0, BindingFile.RANGE);
                }
                break;
            case 0:
                for (int i = 0; i < calls; i++) {
                    Fallocate.posixFadvise(fd, 0, 0, Fallocate.POSIX_FADV_NORMAL);
                }
                break;
            case 1:
                for (int i = 0; i < calls; i++) {
                    FileSpace.advise(channel, 0, 0, Advice.NORMAL);
                }
                break;
            case 2:
                for (int i = 0; i < calls; i++) {
                    Fallocate.fallocate(fd, 0, BindingFile.RANGE, Fallocate.FALLOC_FL_KEEP_SIZE);
                }
                break;
            default:
                for (int i = 0; i < calls; i++) {
                    FileSpace.allocate(channel, 0, BindingFile.RANGE, AllocateOption.KEEP_SIZE);
                }
        }
        return System.nanoTime() - start;
    }

    /** {@code PAIRS CALLS}: prints "row ratio" lines, then the hand-rolled calls' sum (0: none failed). */
    public static void main(String[] args) throws IOException {
        measure(Integer.parseInt(args[0]), Integer.parseInt(args[1]))
                .forEach((row, ratio) -> System.out.println(row + " " + ratio));
        System.out.println("sink " + sink);
    }
}
