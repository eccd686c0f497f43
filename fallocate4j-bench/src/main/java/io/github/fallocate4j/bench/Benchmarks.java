package io.github.fallocate4j.bench;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs the benchmarks named as arguments ({@code binding dig prealloc append write cli safety}; all when none;
 * {@code digscale}, half an hour and more, only when named) and prints the tables of BENCHMARKS.md. {@code -Dbench.smoke=true} runs each with tiny sizes (what CI
 * checks); {@code -Dbench.bin=DIR} names the directory of bin/fallocate; {@code -Dbench.append.mib=N} and
 * {@code -Dbench.append.rounds=N} change the append benchmark's bytes per run (120 MiB) and rounds (3), {@code -Dbench.append.fs=ext4,xfs}
 * its filesystems (ext4, xfs, btrfs); {@code -Dbench.write.rounds=N} the write-call benchmark's JMH forks (5) and
 * {@code -Dbench.write.sideBySideRounds=N} its side-by-side rounds (200);
 * {@code -Dbench.jdks=HOME,HOME} names the JDKs the binding benchmark forks in turn (the running one when not
 * given), {@code -Dbench.binding.rounds=N} its rounds (4) and {@code -Dbench.binding.rows=REGEX} the bindings it runs;
 * {@code -Dbench.digscale=4G:alt1m+random4k:3:cached+cold,...} the dig matrix's sizes, patterns, rounds and
 * cache states.
 */
public final class Benchmarks {
    private Benchmarks() {}

    static boolean smoke() {
        return Boolean.getBoolean("bench.smoke");
    }

    public static void main(String[] args) throws Exception {
        boolean smoke = smoke();
        Path bin = Path.of(System.getProperty("bench.bin", "bin")).toAbsolutePath();
        Path dir = Files.createTempDirectory("fallocate4j-bench");
        java.util.List<String> only = java.util.List.of(args);
        java.util.function.Predicate<String> wanted = name -> only.isEmpty() || only.contains(name);

        System.out.println(machine());
        if (wanted.test("binding")) {
            System.out.println("## 1. Per-call binding overhead\n");
            System.out.println(BindingOverhead.tables(smoke
                    ? BindingOverhead.measure(BindingOverhead.SMOKE, java.util.List.of(BindingOverhead.Jdk.current()))
                    : BindingOverhead.measure(BindingOverhead.FULL, BindingOverhead.jdks())));
        }
        String noLoop = Harness.loopMountUnavailable();
        if (!wanted.test("dig")) {
            // not asked for
        } else if (noLoop != null) {
            System.out.println("## 2. Dig holes\n");
            System.out.println("Skipped: " + noLoop + "\n");
        } else {
            System.out.println("## 2. Dig holes, 1 GiB half zeros, page-cached, loop ext4\n");
            System.out.println(DigHolesThroughput.table(
                    DigHolesThroughput.measure(smoke ? DigHolesThroughput.SMOKE : DigHolesThroughput.FULL, bin)));
        }

        if (wanted.test("prealloc")) {
            System.out.println("## 3. Preallocating 1 GiB\n");
            System.out.println(Preallocation.table(
                    Preallocation.measure(smoke ? Preallocation.SMOKE : Preallocation.FULL, dir)));
        }
        AppendFragmentation.Config append = smoke ? AppendFragmentation.SMOKE : AppendFragmentation.FULL;
        if (!wanted.test("append")) {
            // not asked for
        } else if (noLoop != null) {
            System.out.println("## 4. Appenders: reservation, fragmentation, latency\n");
            System.out.println("Skipped: " + noLoop + "\n");
        } else {
            for (String type : System.getProperty("bench.append.fs", "ext4,xfs,btrfs").split(",")) {
                System.out.println("## 4. Appenders on " + type + " (fdatasync every " + (append.syncEvery() >> 10) + " KiB, "
                        + (append.bytesPerRun() >> 20) + " MiB per run, " + (append.ahead() >> 10) + " KiB ahead)\n");
                // A sparse 1 GiB image holds a run with everything a writer leaves allocated.
                long start = System.nanoTime();
                try (Harness.LoopFs fs = new Harness.LoopFs(type, Math.max(1L << 30, 3 * append.bytesPerRun()))) {
                    System.out.println(AppendFragmentation.table(AppendFragmentation.measureAll(append, fs.mount), append));
                }
                System.out.println(Harness.format("(%.0f s on %s; load average now %s)%n", (System.nanoTime() - start) / 1e9, type, load()));
            }
        }

        if (wanted.test("write")) {
            System.out.println("## 4b. One write call: ReservingChannel against FileChannel, tmpfs\n");
            System.out.println(WriteCallOverhead.table(WriteCallOverhead.measure(smoke ? WriteCallOverhead.SMOKE : WriteCallOverhead.FULL)));
            System.out.println("Side by side, taking turns in one JVM:\n");
            System.out.println(WriteCallOverhead.table(WriteCallSideBySide.measure(smoke ? WriteCallSideBySide.SMOKE : WriteCallSideBySide.FULL)));
        }
        if (wanted.test("cli")) {
            System.out.println("## 5. CLI start-up: `fallocate -l 1G`\n");
            System.out.println(CliStartup.table(CliStartup.measure(smoke ? CliStartup.SMOKE : CliStartup.FULL, bin, dir)));
        }
        if (wanted.test("safety")) {
            // tmpfs, where the dig reads each run again before punching it; ext4, xfs and btrfs, where the
            // change time and cachestat prove nothing wrote since the run was read (WriteWatch).
            for (String type : System.getProperty("bench.safety.fs", "tmpfs,ext4,xfs,btrfs").split(",")) {
                if (!type.equals("tmpfs") && noLoop != null) {
                    System.out.println("## 6. Dig safety on " + type + "\n\nSkipped: " + noLoop + "\n");
                    continue;
                }
                System.out.println("## 6. Dig safety: a writer rewriting random 4 KiB blocks during a dig, " + type + "\n");
                DigSafety.Config config = smoke ? DigSafety.SMOKE : DigSafety.FULL;
                DigSafety.Mode[] modes = DigSafety.MODES;
                DigSafety.Run[][] results = new DigSafety.Run[modes.length][];
                if (type.equals("tmpfs")) {
                    Path shm = Files.createTempDirectory(Path.of("/dev/shm"), "fallocate4j-bench");
                    for (int m = 0; m < modes.length; m++) {
                        results[m] = DigSafety.measure(config, shm, modes[m]);
                    }
                    Files.deleteIfExists(shm);
                } else {
                    try (Harness.LoopFs fs = new Harness.LoopFs(type, 400L << 20)) {
                        for (int m = 0; m < modes.length; m++) {
                            results[m] = DigSafety.measure(config, fs.mount, modes[m]);
                        }
                    }
                }
                System.out.println(DigSafety.table(modes, results));
            }
        }
        if (only.contains("digscale")) {
            System.out.println("## 7. Dig and report holes at scale: 4 and 16 GiB, page-cached and cold, loop ext4\n");
            String noCold = DigScale.coldUnavailable();
            if (noLoop != null || noCold != null) {
                System.out.println("Skipped: " + (noLoop != null ? noLoop : noCold) + "\n");
            } else {
                String spec = System.getProperty("bench.digscale");
                java.util.List<DigScale.Cell> cells = DigScale.measure(
                        smoke ? DigScale.SMOKE : spec != null ? DigScale.parse(spec) : DigScale.FULL, bin, System.out);
                System.out.println();
                System.out.println(DigScale.summary(cells));
                System.out.println(DigScale.tables(cells));
            }
        }
        Files.deleteIfExists(dir.resolve("startup.bin"));
        Files.deleteIfExists(dir);
        System.out.println("Load average at the end: " + load());
    }

    /** What the numbers were measured on, for BENCHMARKS.md. */
    static String machine() throws java.io.IOException {
        String cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                .filter(line -> line.startsWith("model name")).findFirst()
                .map(line -> line.substring(line.indexOf(':') + 1).strip()).orElse("unknown CPU");
        return "Machine: " + Runtime.getRuntime().availableProcessors() + " CPUs (" + cpu + "), Linux "
                + System.getProperty("os.version") + ", JDK " + Runtime.version() + "; load average at the start: "
                + load() + "\n";
    }

    /** The 1, 5 and 15 minute load averages, as uptime(1) shows them. */
    static String load() throws java.io.IOException {
        String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
        return fields[0] + " " + fields[1] + " " + fields[2];
    }
}
