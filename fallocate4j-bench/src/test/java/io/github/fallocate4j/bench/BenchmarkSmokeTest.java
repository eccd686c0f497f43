package io.github.fallocate4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.fallocate4j.FileSpaceException;
import io.github.fallocate4j.SparseFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CI runs every benchmark once with tiny sizes, to show it still works: it produces a number for each
 * row. No number is asserted against a threshold; speed is shown in BENCHMARKS.md, not here.
 */
class BenchmarkSmokeTest {
    private static final Path BIN = Path.of("..", "bin").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    @Test
    void bindingOverhead() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/gcc")), "needs gcc for the C side (apt-get install gcc)");
        BindingOverhead.Jdk jdk = BindingOverhead.Jdk.current();
        Map<String, Double> ns = BindingOverhead.measure(BindingOverhead.SMOKE, List.of(jdk)).get(jdk.feature());
        // On Java 17-21 (surefire's jdk17 execution) the JNA rows alone; on 22+ the FFM rows too.
        List<String> bindings = BindingOverhead.BINDINGS.stream()
                .filter(binding -> jdk.ffm() || !BindingOverhead.FFM_BINDINGS.contains(binding)).toList();
        for (String call : BindingOverhead.CALLS) {
            for (String binding : bindings) {
                assertTrue(ns.get(call + binding) > 0, call + binding + " measured on JDK " + jdk.feature());
            }
        }
        for (String row : PairedBinding.ROWS) {
            assertTrue(ns.get(BindingOverhead.PAIRED + row) > 0, row + " measured in pairs on JDK " + jdk.feature());
        }
        assertEquals(2 * bindings.size(), BindingOverhead.table(ns).rows());
        assertEquals(2, BindingOverhead.jnaTable(Map.of(jdk.feature(), ns)).rows());
    }

    @Test
    void digHoles() throws Exception {
        String unavailable = Harness.loopMountUnavailable();
        assumeTrue(unavailable == null, unavailable);
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/fallocate")), "util-linux fallocate is not installed");
        DigHolesThroughput.Result result = DigHolesThroughput.measure(DigHolesThroughput.SMOKE, BIN);
        assertTrue(result.library() > 0 && result.cli() > 0 && result.utilLinux() > 0 && result.cliStartup() > 0, result::toString);
        assertEquals(4, DigHolesThroughput.table(result).rows());
    }

    @Test
    void digScale() throws Exception {
        String unavailable = Harness.loopMountUnavailable();
        assumeTrue(unavailable == null, unavailable);
        String noCold = DigScale.coldUnavailable();
        assumeTrue(noCold == null, noCold);
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/fallocate")), "util-linux fallocate is not installed");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/gcc")), "needs gcc for the floors (apt-get install gcc)");
        // Each run checks its tool's work: the bytes dug or reported, and what is left allocated.
        java.util.List<DigScale.Cell> cells = DigScale.measure(DigScale.SMOKE, BIN, System.out);
        assertEquals(DigScale.Layout.values().length * 2, cells.size());
        for (DigScale.Cell cell : cells) {
            for (DigScale.Tool tool : DigScale.Tool.values()) {
                if (tool == DigScale.Tool.PUNCH_FLOOR && cell.cold()) {
                    continue; // measured page-cached only
                }
                assertTrue(cell.median(tool) > 0, tool + " measured in " + cell);
            }
        }
        assertEquals(cells.size(), DigScale.summary(cells).rows());
    }

    @Test
    void digSafety() throws Exception {
        DigSafety.Run[][] results = new DigSafety.Run[DigSafety.MODES.length][];
        for (int m = 0; m < results.length; m++) {
            results[m] = DigSafety.measure(DigSafety.SMOKE, dir, DigSafety.MODES[m]);
            if (DigSafety.MODES[m].writerLocks()) {
                assertEquals(0, results[m][0].lost(), "a writer taking the lock loses nothing");
            }
        }
        assertEquals(DigSafety.MODES.length, DigSafety.table(DigSafety.MODES, results).rows());
    }

    @Test
    void preallocation() throws Exception {
        Preallocation.Way[] ways = Preallocation.measure(Preallocation.SMOKE, dir);
        assertEquals(Preallocation.SMOKE.bytes(), ways[0].allocated(), "fallocate allocates");
        assertEquals(0, ways[2].allocated(), "setLength leaves a sparse file");
        assertEquals(3, Preallocation.table(ways).rows());
    }

    @Test
    void appendFragmentation() throws Exception {
        assumeTrue(hasExtentMap(dir), dir + " is on a filesystem without FIEMAP (tmpfs?)");
        java.util.List<AppendFragmentation.Result> results = AppendFragmentation.measureAll(AppendFragmentation.SMOKE, dir);
        assertEquals(2 * 2 * AppendFragmentation.Way.values().length, results.size());
        for (AppendFragmentation.Result r : results) {
            assertTrue(r.extentsPerFile() >= 1 && r.mibPerSecond() > 0 && r.maxMicros() >= r.p99Micros(), r::toString);
            if (r.way() == AppendFragmentation.Way.RESERVING) {
                assertEquals(0, r.leftAllocatedKibPerFile(), r::toString);
            }
        }
        assertEquals(results.size(), AppendFragmentation.table(results, AppendFragmentation.SMOKE).rows());
    }

    @Test
    void writeCall() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/dev/shm")), "needs tmpfs at /dev/shm");
        for (Map<String, Double> ns : List.of(WriteCallOverhead.measure(WriteCallOverhead.SMOKE),
                WriteCallSideBySide.measure(WriteCallSideBySide.SMOKE))) {
            for (String writer : WriteCallOverhead.WRITERS) {
                for (String size : List.of("4096", "65536")) {
                    assertTrue(ns.get(writer + ":" + size) > 0, writer + " " + size + " measured");
                }
            }
            assertEquals(2, WriteCallOverhead.table(ns).rows());
        }
    }

    private static boolean hasExtentMap(Path dir) throws Exception {
        Path probe = Files.write(dir.resolve("probe"), new byte[] {1});
        try {
            SparseFiles.extents(probe);
            return true;
        } catch (FileSpaceException e) {
            return false;
        } finally {
            Files.delete(probe);
        }
    }

    @Test
    void cliStartup() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/fallocate")), "util-linux fallocate is not installed");
        CliStartup.Result result = CliStartup.measure(CliStartup.SMOKE, BIN, dir);
        assertTrue(result.utilLinux() > 0 && result.noCds() > 0 && result.cds() > 0, result::toString);
    }
}
