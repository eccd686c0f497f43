package io.github.fallocate4j.bench;

import io.github.fallocate4j.DigListener;
import io.github.fallocate4j.DigOption;
import io.github.fallocate4j.DigResult;
import io.github.fallocate4j.SparseFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Benchmark 7 ({@code digscale}): digging ({@code -d}) and reporting ({@code -r}) holes at the sizes
 * people dig, on a loop-mounted ext4 whose loop device reads its image with direct I/O (so that the file's
 * pages are cached once, and a cold read goes to the disk). For each size and file pattern, in rounds
 * that take every row in turn: the library in this (warm) JVM, {@code bin/fallocate}, util-linux's
 * {@code fallocate -d}, and two floors measured in the same rounds: a C program reading the file's data
 * regions with 1 MiB {@code pread}s (read floor), and a C program making only the pattern's hole punches
 * (punch floor). Page-cached runs follow a read of the whole file; cold runs follow
 * {@code sync; echo 3 > /proc/sys/vm/drop_caches}.
 */
final class DigScale {
    /** How a file is laid out: grains of {@code grain} bytes, each data, written zeros, or never written. */
    enum Layout {
        ALT_1M("1 MiB data / 1 MiB zeros alternating", 1 << 20),
        RANDOM_4K("4 KiB blocks, half zero at random", 4096),
        DATA_95("95% data (64 KiB grains, 5% zero at random)", 64 << 10),
        ZEROS_95("95% zeros (64 KiB grains, 5% data at random)", 64 << 10),
        MOSTLY_HOLES("mostly holes (per 20 MiB: 1 MiB data, 1 MiB zeros, 18 MiB hole)", 1 << 20);

        final String label;
        final int grain;

        Layout(String label, int grain) {
            this.label = label;
            this.grain = grain;
        }

        static final int DATA = 0;
        static final int ZERO = 1;
        static final int HOLE = 2;

        int kind(long i) {
            long h = mix(i);
            return switch (this) {
                case ALT_1M -> (i & 1) == 0 ? DATA : ZERO;
                case RANDOM_4K -> (h & 1) == 0 ? DATA : ZERO;
                case DATA_95 -> Long.remainderUnsigned(h, 20) == 0 ? ZERO : DATA;
                case ZEROS_95 -> Long.remainderUnsigned(h, 20) == 0 ? DATA : ZERO;
                case MOSTLY_HOLES -> i % 20 == 0 ? DATA : i % 20 == 10 ? ZERO : HOLE;
            };
        }

        static Layout named(String name) {
            for (Layout l : values()) {
                if (l.name().replace("_", "").equalsIgnoreCase(name.replace("_", ""))) {
                    return l;
                }
            }
            throw new IllegalArgumentException("no pattern " + name);
        }

        private static long mix(long z) { // splitmix64
            z += 0x9E3779B97F4A7C15L;
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            return z ^ (z >>> 31);
        }
    }

    /** One size: which layouts, how many rounds, and which cache states. */
    record Part(long bytes, List<Layout> layouts, int rounds, List<Boolean> coldStates) {}

    /** What is timed: each row of a (size, layout, cache state). */
    enum Tool {
        READ_FLOOR("read floor: C `pread` 1 MiB loop over the data regions"),
        PUNCH_FLOOR("punch floor: C, the pattern's punches alone"),
        UTIL_D("util-linux `fallocate -d`"),
        LIB_D("library `SparseFiles.digHoles`"),
        LIB_D_SHARED("library `SparseFiles.digHoles`, the file also open elsewhere (no lease)"),
        CLI_D("CLI `bin/fallocate -d`"),
        LIB_R("library `digHoles(..., DRY_RUN)`"),
        CLI_R("CLI `bin/fallocate -r`");

        final String label;

        Tool(String label) {
            this.label = label;
        }

        boolean digs() {
            return this == UTIL_D || this == LIB_D || this == LIB_D_SHARED || this == CLI_D || this == PUNCH_FLOOR;
        }
    }

    /** Medians of one (size, layout, cold) cell; residency: the least fraction of the data found cached before a cached run. */
    record Cell(long bytes, Layout layout, boolean cold, Map<Tool, double[]> seconds, Map<Tool, double[]> cpu,
                double residency) {
        double median(Tool tool) {
            double[] s = seconds.get(tool);
            return s == null || s.length == 0 ? Double.NaN : Harness.median(s);
        }

        /** Median CPU seconds (user + system; the library's: this whole JVM's while it dug). */
        double cpuMedian(Tool tool) {
            double[] s = cpu.get(tool);
            return s == null || s.length == 0 ? Double.NaN : Harness.median(s);
        }
    }

    static final List<Part> SMOKE = List.of(new Part(8L << 20, List.of(Layout.values()), 1, List.of(false, true)));

    /**
     * The matrix of BENCHMARKS.md section 7, about 20 minutes on 2 shared cores: {@code alt1m} at 4 GiB
     * in 3 rounds, the other patterns in 1, and 16 GiB {@code alt1m} cold in 1 (its page-cached half
     * needs 16 GiB of free memory and another 10 minutes); {@code -Dbench.digscale=} chooses others.
     */
    static final List<Part> FULL = List.of(
            new Part(4L << 30, List.of(Layout.ALT_1M), 3, List.of(false, true)),
            new Part(4L << 30, List.of(Layout.DATA_95, Layout.ZEROS_95, Layout.MOSTLY_HOLES, Layout.RANDOM_4K), 1,
                    List.of(false, true)),
            new Part(16L << 30, List.of(Layout.ALT_1M), 1, List.of(true)));

    private static final Path TIME = Path.of("/usr/bin/time");

    private DigScale() {}

    /**
     * Parts from a property like {@code 4G:alt1m+random4k:3:cached+cold,16G:alt1m:1:cold} (size, layouts or
     * {@code all}, rounds, states).
     */
    static List<Part> parse(String spec) {
        List<Part> parts = new ArrayList<>();
        for (String item : spec.split(",")) {
            String[] f = item.strip().split(":");
            String size = f[0].toUpperCase();
            long bytes = Long.parseLong(size.substring(0, size.length() - 1))
                    << (size.endsWith("G") ? 30 : size.endsWith("M") ? 20 : 0);
            List<Layout> layouts = f.length < 2 || f[1].equals("all") ? List.of(Layout.values())
                    : java.util.Arrays.stream(f[1].split("\\+")).map(Layout::named).toList();
            int rounds = f.length < 3 ? 3 : Integer.parseInt(f[2]);
            List<Boolean> states = f.length < 4 ? List.of(false, true)
                    : java.util.Arrays.stream(f[3].split("\\+")).map(s -> s.equals("cold")).toList();
            parts.add(new Part(bytes, layouts, rounds, states));
        }
        return parts;
    }

    /** Why cold runs cannot be made here, or null. */
    static String coldUnavailable() {
        return Files.isWritable(Path.of("/proc/sys/vm/drop_caches")) ? null : "cannot write /proc/sys/vm/drop_caches (needs root)";
    }

    static List<Cell> measure(List<Part> parts, Path bin, java.io.PrintStream log) throws IOException, InterruptedException {
        List<Cell> cells = new ArrayList<>();
        Path work = Files.createTempDirectory("fallocate4j-digscale");
        Path floor = compileFloors(work);
        // The launcher builds the jar and its start-up cache at first use: not inside a timed run.
        Harness.run(List.of(bin.resolve("fallocate").toString(), "--version"));
        ByteBuffer random = ByteBuffer.allocateDirect(1 << 20);
        byte[] bytes = new byte[1 << 20];
        new Random(1).nextBytes(bytes);
        random.put(bytes).flip();
        try {
            for (Part part : parts) {
                long free = Files.getFileStore(work).getUsableSpace();
                long image = part.bytes() + part.bytes() / 16 + (256L << 20);
                if (free < image + (2L << 30)) {
                    log.printf("skipped %d GiB: %d GiB free on %s, the image needs %d GiB%n", part.bytes() >> 30,
                            free >> 30, work, image >> 30);
                    continue;
                }
                try (Harness.LoopFs fs = new Harness.LoopFs("ext4", image, true)) {
                    Path file = fs.mount.resolve("dig.bin");
                    Path runs = work.resolve("runs.bin");
                    Map<String, Map<Tool, List<double[]>>> times = new LinkedHashMap<>();
                    Map<String, Double> residency = new LinkedHashMap<>();
                    warmLibrary(fs.mount.resolve("warm.bin"), random);
                    for (int round = 0; round < part.rounds(); round++) {
                        for (Layout layout : part.layouts()) {
                            long start = System.nanoTime();
                            Expect expect = writeRuns(layout, part.bytes(), runs);
                            round(round, layout, part, file, runs, floor, bin, random, expect, times, residency);
                            log.printf("%d MiB %s round %d: %.0f s, load %s%n", part.bytes() >> 20, layout, round + 1,
                                    (System.nanoTime() - start) / 1e9, Benchmarks.load());
                        }
                    }
                    Files.deleteIfExists(file);
                    int before = cells.size();
                    for (Layout layout : part.layouts()) {
                        for (boolean cold : part.coldStates()) {
                            Map<Tool, double[]> seconds = new LinkedHashMap<>();
                            Map<Tool, double[]> cpu = new LinkedHashMap<>();
                            times.getOrDefault(key(layout, cold), Map.of()).forEach((tool, list) -> {
                                seconds.put(tool, list.stream().mapToDouble(a -> a[0]).toArray());
                                cpu.put(tool, list.stream().mapToDouble(a -> a[1]).toArray());
                            });
                            cells.add(new Cell(part.bytes(), layout, cold, seconds, cpu,
                                    residency.getOrDefault(key(layout, cold), Double.NaN)));
                        }
                    }
                    // Each size's results as soon as they are in, in case a long run is cut short.
                    log.println(summary(cells.subList(before, cells.size())));
                    log.println(tables(cells.subList(before, cells.size())));
                }
            }
        } finally {
            try (var files = Files.list(work)) {
                for (Path p : files.toList()) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(work);
        }
        return cells;
    }

    private static String key(Layout layout, boolean cold) {
        return layout + (cold ? "/cold" : "/cached");
    }

    /** What a dig of the layout must find. */
    record Expect(long zeroBytes, long dataBytes, long runs) {}

    /**
     * One round of one layout: a file written once serves the report rows and the floors (reporting changes
     * nothing; the punch floor, last, digs it); each dig row gets a file written for it. The rows' order
     * turns with the round.
     */
    private static void round(int round, Layout layout, Part part, Path file, Path runs, Path floor, Path bin,
                              ByteBuffer random, Expect expect, Map<String, Map<Tool, List<double[]>>> times,
                              Map<String, Double> residency) throws IOException, InterruptedException {
        write(file, layout, part.bytes(), random);
        List<Tool> readers = rotate(List.of(Tool.READ_FLOOR, Tool.LIB_R, Tool.CLI_R), round);
        for (boolean cold : part.coldStates()) {
            for (Tool tool : readers) {
                time(tool, cold, layout, file, runs, floor, bin, expect, times, residency);
            }
        }
        // The punch floor page-cached only: cold, it is below the read floor, which is the one that counts.
        time(Tool.PUNCH_FLOOR, false, layout, file, runs, floor, bin, expect, times, residency);
        for (boolean cold : part.coldStates()) {
            for (Tool tool : rotate(List.of(Tool.UTIL_D, Tool.LIB_D, Tool.CLI_D, Tool.LIB_D_SHARED), round)) {
                write(file, layout, part.bytes(), random);
                time(tool, cold, layout, file, runs, floor, bin, expect, times, residency);
            }
        }
    }

    private static <T> List<T> rotate(List<T> list, int by) {
        List<T> out = new ArrayList<>(list);
        java.util.Collections.rotate(out, by);
        return out;
    }

    private static void time(Tool tool, boolean cold, Layout layout, Path file, Path runs, Path floor, Path bin,
                             Expect expect, Map<String, Map<Tool, List<double[]>>> times,
                             Map<String, Double> residency) throws IOException, InterruptedException {
        if (cold) {
            Harness.run(List.of("sh", "-c", "sync && echo 3 > /proc/sys/vm/drop_caches"));
        } else {
            Harness.run(List.of(floor.toString(), "read", file.toString())); // brings back what a dig dropped
            double resident = expect.dataBytes() + expect.zeroBytes() == 0 ? 1
                    : (double) SparseFiles.residency(file, 0, Long.MAX_VALUE).residentBytes()
                            / (expect.dataBytes() + expect.zeroBytes());
            residency.merge(key(layout, cold), Math.min(resident, 1.0), Math::min);
        }
        String f = file.toString();
        double seconds;
        double cpu;
        String out = null;
        switch (tool) {
            case READ_FLOOR, PUNCH_FLOOR, UTIL_D, CLI_D, CLI_R -> {
                List<String> command = switch (tool) {
                    case READ_FLOOR -> List.of(floor.toString(), "read", f);
                    case PUNCH_FLOOR -> List.of(floor.toString(), "punch", f, runs.toString());
                    case UTIL_D -> List.of("/usr/bin/fallocate", "-d", f);
                    case CLI_D -> List.of(bin.resolve("fallocate").toString(), "-d", f);
                    default -> List.of(bin.resolve("fallocate").toString(), "-r", f);
                };
                // GNU time(1) for the CPU time (user + system), when installed; the wall time is taken here.
                Path usage = floor.resolveSibling("usage.txt");
                boolean gnuTime = Files.isExecutable(TIME);
                List<String> timed = new ArrayList<>(gnuTime ? List.of(TIME.toString(), "-f", "%U %S", "-o", usage.toString())
                        : List.of());
                timed.addAll(command);
                long start = System.nanoTime();
                out = Harness.run(timed);
                seconds = (System.nanoTime() - start) / 1e9;
                String[] u = gnuTime ? Files.readString(usage).strip().split("\\s+") : new String[] {"NaN", "NaN"};
                cpu = Double.parseDouble(u[u.length - 2]) + Double.parseDouble(u[u.length - 1]);
            }
            case LIB_D, LIB_D_SHARED, LIB_R -> {
                var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
                // A reader holding the file open keeps the dig from taking its lease (SparseFiles.digHoles).
                FileChannel elsewhere = tool == Tool.LIB_D_SHARED ? FileChannel.open(file) : null;
                long cpuStart = os.getProcessCpuTime();
                long start = System.nanoTime();
                DigResult r = tool == Tool.LIB_R
                        ? SparseFiles.digHoles(file, 0, Long.MAX_VALUE, DigListener.NONE, DigOption.DRY_RUN)
                        : SparseFiles.digHoles(file, 0, Long.MAX_VALUE, DigListener.NONE);
                seconds = (System.nanoTime() - start) / 1e9;
                cpu = (os.getProcessCpuTime() - cpuStart) / 1e9;
                if (elsewhere != null) {
                    elsewhere.close();
                }
                if (r.bytes() != expect.zeroBytes()) {
                    throw new IllegalStateException(tool + " found " + r.bytes() + " zero bytes, expected " + expect);
                }
            }
            default -> throw new AssertionError(tool);
        }
        if (tool == Tool.CLI_R) {
            Matcher m = Pattern.compile("data holes: \\d+ holes, .*?\\((\\d+) bytes").matcher(out);
            if (!m.find() || Long.parseLong(m.group(1)) != expect.zeroBytes()) {
                throw new IllegalStateException("bin/fallocate -r reported " + out + ", expected " + expect);
            }
        }
        if (tool.digs()) {
            long allocated = SparseFiles.allocatedBytes(file);
            // ext4's extent tree blocks come on top of the data.
            if (allocated < expect.dataBytes() || allocated > expect.dataBytes() + expect.dataBytes() / 100 + (1 << 20)) {
                throw new IllegalStateException(tool + " left " + allocated + " bytes allocated, expected " + expect);
            }
        }
        times.computeIfAbsent(key(layout, cold), k -> new LinkedHashMap<>())
                .computeIfAbsent(tool, t -> new ArrayList<>()).add(new double[] {seconds, cpu});
    }

    /** A few digs of a small file first, so that the library's rows measure a warm JVM. */
    private static void warmLibrary(Path file, ByteBuffer random) throws IOException, InterruptedException {
        for (int i = 0; i < 5; i++) {
            write(file, Layout.RANDOM_4K, 64L << 20, random);
            SparseFiles.digHoles(file, 0, Long.MAX_VALUE, DigListener.NONE, DigOption.DRY_RUN);
            SparseFiles.digHoles(file);
        }
        Files.delete(file);
    }

    /** Writes the layout's zero runs for the punch floor (pairs of little-endian longs) and counts what a dig finds. */
    private static Expect writeRuns(Layout layout, long size, Path runs) throws IOException {
        long zero = 0;
        long data = 0;
        long count = 0;
        long runStart = -1;
        ByteBuffer out = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        try (FileChannel ch = FileChannel.open(runs, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            long grains = size / layout.grain;
            for (long i = 0; i <= grains; i++) {
                int kind = i < grains ? layout.kind(i) : Layout.HOLE;
                if (kind == Layout.ZERO) {
                    zero += layout.grain;
                    if (runStart < 0) {
                        runStart = i * layout.grain;
                    }
                    continue;
                }
                if (kind == Layout.DATA) {
                    data += layout.grain;
                }
                if (runStart >= 0) {
                    count++;
                    if (out.remaining() < 16) {
                        ch.write(out.flip());
                        out.clear();
                    }
                    out.putLong(runStart).putLong(i * layout.grain - runStart);
                    runStart = -1;
                }
            }
            ch.write(out.flip());
        }
        return new Expect(zero, data, count);
    }

    /** Writes a fresh file of the layout (holes left unwritten) and syncs it; its pages stay cached. */
    static void write(Path file, Layout layout, long size, ByteBuffer random) throws IOException, InterruptedException {
        Files.deleteIfExists(file);
        ByteBuffer chunk = ByteBuffer.allocateDirect(1 << 20);
        ByteBuffer zeros = ByteBuffer.allocateDirect(1 << 20);
        try (var raf = new java.io.RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(size); // what is never written stays a hole
            FileChannel ch = raf.getChannel();
            int grain = layout.grain;
            for (long at = 0; at < size; at += 1 << 20) {
                int len = (int) Math.min(1 << 20, size - at);
                int from = 0; // a stretch of written grains
                for (int g = 0; g <= len; g += grain) {
                    int kind = g < len ? layout.kind((at + g) / grain) : Layout.HOLE;
                    if (kind != Layout.HOLE) {
                        chunk.put(g, kind == Layout.DATA ? random : zeros, g, grain);
                        continue;
                    }
                    if (g > from) {
                        ByteBuffer piece = chunk.slice(from, g - from);
                        while (piece.hasRemaining()) {
                            ch.write(piece, at + from + piece.position());
                        }
                    }
                    from = g + grain;
                }
            }
            ch.force(true);
        }
        // Freezing writes the journal out to its final places: deleting the last file and writing this
        // one cost the next timed run no checkpointing.
        if (Harness.root()) {
            Harness.run(List.of("fsfreeze", "--freeze", file.getParent().toString()));
            try {
                Harness.run(List.of("sync")); // nothing to write: frozen
            } finally {
                Harness.run(List.of("fsfreeze", "--unfreeze", file.getParent().toString()));
            }
        }
    }

    /** The floors' C program, compiled here with gcc -O2. */
    private static Path compileFloors(Path dir) throws IOException, InterruptedException {
        Path source = Files.writeString(dir.resolve("floor.c"), """
                #define _GNU_SOURCE
                #include <fcntl.h>
                #include <stdio.h>
                #include <stdlib.h>
                #include <string.h>
                #include <unistd.h>
                /* read FILE: 1 MiB preads over the data regions (SEEK_DATA/SEEK_HOLE), as the digs skip holes,
                   after POSIX_FADV_SEQUENTIAL (which doubles the read-ahead: cold, without it reads were slower).
                   punch FILE RUNS: PUNCH_HOLE|KEEP_SIZE over each (offset, length) pair of longs in RUNS. */
                static char buffer[1 << 20] __attribute__((aligned(4096)));
                int main(int argc, char **argv) {
                    if (argc >= 3 && strcmp(argv[1], "read") == 0) {
                        int fd = open(argv[2], O_RDONLY);
                        if (fd < 0) { perror(argv[2]); return 1; }
                        posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL); /* as util-linux and the library do */
                        off_t off = 0;
                        for (;;) {
                            off_t data = lseek(fd, off, SEEK_DATA);
                            if (data < 0) break;
                            off_t hole = lseek(fd, data, SEEK_HOLE);
                            for (off = data; off < hole;) {
                                ssize_t n = pread(fd, buffer, sizeof buffer, off);
                                if (n < 0) { perror("pread"); return 1; }
                                if (n == 0) break;
                                off += n;
                            }
                            off = hole;
                        }
                        return 0;
                    }
                    if (argc >= 4 && strcmp(argv[1], "punch") == 0) {
                        int fd = open(argv[2], O_WRONLY);
                        FILE *runs = fopen(argv[3], "rb");
                        if (fd < 0 || !runs) { perror("open"); return 1; }
                        long long run[2];
                        while (fread(run, sizeof run, 1, runs) == 1) {
                            if (fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, run[0], run[1]) != 0) {
                                perror("fallocate");
                                return 1;
                            }
                        }
                        return 0;
                    }
                    fprintf(stderr, "usage: floor read FILE | floor punch FILE RUNS\\n");
                    return 2;
                }
                """);
        Path program = dir.resolve("floor");
        Harness.run(List.of("gcc", "-O2", "-o", program.toString(), source.toString()));
        return program;
    }

    /** One table per size and cache state: seconds and ratios. */
    static String tables(List<Cell> cells) {
        StringBuilder sb = new StringBuilder();
        for (Cell cell : cells) {
            sb.append(Harness.format("### %s, %s, %s%n%n", size(cell.bytes()), cell.layout().label,
                    cell.cold() ? "cold (caches dropped before each run)"
                            : Harness.format("page-cached (at least %.0f%% of the file's pages cached before each run)",
                                    100 * cell.residency())));
            sb.append(table(cell)).append('\n');
        }
        return sb.toString();
    }

    static Harness.Table table(Cell cell) {
        double read = cell.median(Tool.READ_FLOOR);
        double punch = cell.median(Tool.PUNCH_FLOOR);
        double floor = cell.cold() || Double.isNaN(punch) ? read : Math.max(read, punch);
        double util = cell.median(Tool.UTIL_D);
        Harness.Table t = new Harness.Table("row", "median s", "runs (s)", "util-linux / row", "row / floor",
                "median CPU s", "util-linux CPU / row CPU");
        for (Tool tool : Tool.values()) {
            double s = cell.median(tool);
            if (Double.isNaN(s)) {
                continue;
            }
            boolean floorRow = tool == Tool.READ_FLOOR || tool == Tool.PUNCH_FLOOR;
            t.row(tool.label, Harness.format("%.3f", s), runs(cell.seconds().get(tool)),
                    tool.digs() && !floorRow ? Harness.format("%.2fx", util / s) : "",
                    floorRow ? "" : Harness.format("%.2fx", s / floor), Harness.format("%.3f", cell.cpuMedian(tool)),
                    tool.digs() && !floorRow ? Harness.format("%.2fx", cell.cpuMedian(Tool.UTIL_D) / cell.cpuMedian(tool)) : "");
        }
        return t;
    }

    /** The headline table: one line per (size, layout, state), the ratios the targets are stated in. */
    static Harness.Table summary(List<Cell> cells) {
        Harness.Table t = new Harness.Table("size", "pattern", "cache", "util-linux -d s", "CLI -d s", "library -d s",
                "read floor s", "punch floor s", "CLI vs util-linux", "library vs util-linux",
                "library / max(floors)", "read floor / library", "library, file open elsewhere -d s", "CLI -r s", "library -r s",
                "CPU s: util-linux, CLI, library -d");
        for (Cell c : cells) {
            double util = c.median(Tool.UTIL_D);
            double cli = c.median(Tool.CLI_D);
            double lib = c.median(Tool.LIB_D);
            double read = c.median(Tool.READ_FLOOR);
            double punch = c.median(Tool.PUNCH_FLOOR);
            double floor = c.cold() ? read : Math.max(read, punch);
            t.row(size(c.bytes()), c.layout().name().toLowerCase().replace("_", ""), c.cold() ? "cold" : "cached",
                    Harness.format("%.3f", util), Harness.format("%.3f", cli), Harness.format("%.3f", lib),
                    Harness.format("%.3f", read), c.cold() ? "" : Harness.format("%.3f", punch),
                    Harness.format("%.2fx", util / cli), Harness.format("%.2fx", util / lib),
                    Harness.format("%.2fx", lib / floor), Harness.format("%.2fx", read / lib),
                    Harness.format("%.3f", c.median(Tool.LIB_D_SHARED)), Harness.format("%.3f", c.median(Tool.CLI_R)), Harness.format("%.3f", c.median(Tool.LIB_R)),
                    Harness.format("%.2f, %.2f, %.2f", c.cpuMedian(Tool.UTIL_D), c.cpuMedian(Tool.CLI_D), c.cpuMedian(Tool.LIB_D)));
        }
        return t;
    }

    private static String runs(double[] s) {
        StringBuilder sb = new StringBuilder();
        for (double v : s) {
            sb.append(sb.isEmpty() ? "" : " ").append(Harness.format("%.2f", v));
        }
        return sb.toString();
    }

    private static String size(long bytes) {
        return bytes >= 1L << 30 ? (bytes >> 30) + " GiB" : (bytes >> 20) + " MiB";
    }
}
