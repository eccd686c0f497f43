package io.github.fallocate4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The FFM and the JNA backend give the same results and the same exceptions (class, errno, message):
 * the same operations, successes and failures, run in two fresh JVMs of this JDK, one forced to each
 * backend with {@code -Dfallocate4j.backend}, and their reports compared line by line. Needs Java 22+
 * (FFM), so the JDK 17 run leaves it out by its tag.
 */
@Tag("jdk22")
class BackendsAgreeTest {
    @TempDir
    Path dir;

    /** What each child JVM runs, in a directory of its own; prints one line per operation. */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        Path f = dir.resolve("f");
        Path g = dir.resolve("g");
        List<String> report = new ArrayList<>();
        report(report, "allocate", () -> {
            FileSpace.allocate(f, 0, 1 << 20);
            return "size=" + Files.size(f) + " allocated=" + SparseFiles.allocatedBytes(f);
        });
        report(report, "punchHole", () -> {
            FileSpace.punchHole(f, 4096, 8192);
            return "allocated=" + SparseFiles.allocatedBytes(f) + " regions=" + SparseFiles.regions(f).collect(Collectors.toList());
        });
        report(report, "zeroRange", () -> {
            FileSpace.zeroRange(f, 100, 10, AllocateOption.KEEP_SIZE);
            return "size=" + Files.size(f);
        });
        report(report, "collapseRange unaligned", () -> {
            FileSpace.collapseRange(f, 1, 4096);
            return "size=" + Files.size(f);
        });
        report(report, "insertRange past the end", () -> {
            FileSpace.insertRange(f, 1L << 30, 4096);
            return "size=" + Files.size(f);
        });
        report(report, "posixAllocate", () -> {
            FileSpace.posixAllocate(f, 0, 2 << 20);
            return "size=" + Files.size(f);
        });
        report(report, "advise", () -> {
            FileSpace.advise(f, 0, 0, Advice.DONTNEED);
            return "ok";
        });
        report(report, "posixFadvise advice 99", () -> {
            Fallocate.posixFadvise(f, 0, 0, 99);
            return "ok";
        });
        report(report, "fallocate unknown mode bit", () -> {
            Fallocate.fallocate(f, 0, 10, 0x100);
            return "ok";
        });
        report(report, "blockSize", () -> String.valueOf(SparseFiles.blockSize(f)));
        report(report, "extents", () -> {
            long mapped = 0;
            for (Extent e : SparseFiles.extents(f)) {
                mapped += e.length();
            }
            return "bytes mapped=" + mapped;
        });
        report(report, "residency", () -> {
            Residency r = SparseFiles.residency(f, 0, Files.size(f));
            return r.pageSize() + " " + r.pages() + " counts=" + r.hasCachestatCounts();
        });
        report(report, "madvise POPULATE_READ then PAGEOUT", () -> {
            Path h = Files.write(dir.resolve("h"), new byte[1 << 20]);
            try (FileChannel ch = FileChannel.open(h, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                ch.force(true); // PAGEOUT leaves dirty file pages to writeback
                java.nio.MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_ONLY, 0, 1 << 20);
                MappedMemory.advise(map, 4096, 65536, MemoryAdvice.POPULATE_READ);
                long before = SparseFiles.residency(h, 4096, 65536).residentPages();
                MappedMemory.advise(map, MemoryAdvice.PAGEOUT);
                long after = SparseFiles.residency(h, 4096, 65536).residentPages();
                // How many stay is the kernel's to decide (a page still in a per-CPU LRU batch cannot be
                // isolated: 0 and 2 stayed in two runs); that PAGEOUT reclaimed some is the call's effect.
                return "populated range cached before=" + before + " fewer after PAGEOUT=" + (after < before);
            }
        });
        report(report, "madvise POPULATE_WRITE on a read-only mapping", () -> {
            try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
                MappedMemory.advise(ch.map(FileChannel.MapMode.READ_ONLY, 0, 4096), MemoryAdvice.POPULATE_WRITE);
                return "ok";
            }
        });
        report(report, "digHoles", () -> {
            byte[] data = new byte[1 << 20];
            data[0] = 1;
            data[data.length - 1] = 1;
            Files.write(g, data);
            return SparseFiles.digHoles(g) + " bytes; regions=" + SparseFiles.regions(g).collect(Collectors.toList());
        });
        report(report, "allocate a directory", () -> {
            FileSpace.allocate(dir, 0, 10);
            return "ok";
        });
        report(report, "punch a missing file", () -> {
            FileSpace.punchHole(dir.resolve("missing"), 0, 10);
            return "ok";
        });
        report(report, "allocate through a read-only channel", () -> {
            try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
                FileSpace.allocate(ch, 0, 10);
            }
            return "ok";
        });
        report(report, "fallocate on fd 999999", () -> {
            Fallocate.fallocate(999999, 0, 10);
            return "ok";
        });
        report(report, "fallocate on fd -1", () -> {
            Fallocate.fallocate(-1, 0, 10);
            return "ok";
        });
        System.out.print(String.join("\n", report).replace(dir.toString(), "DIR") + "\n");
    }

    private interface Operation {
        String run() throws IOException;
    }

    private static void report(List<String> report, String name, Operation operation) {
        String outcome;
        try {
            outcome = operation.run();
        } catch (FileSpaceException e) {
            outcome = "! " + e.getClass().getName() + " errno=" + e.errno() + ": " + e.getMessage();
        } catch (IOException | RuntimeException e) {
            outcome = "! " + e.getClass().getName() + ": " + e.getMessage();
        }
        report.add(name + " -> " + outcome);
    }

    private List<String> run(String backend) throws IOException, InterruptedException {
        Path own = Files.createDirectory(dir.resolve(backend));
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "--enable-native-access=ALL-UNNAMED", "--add-opens", "java.base/java.io=ALL-UNNAMED",
                "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED", "-Dfallocate4j.backend=" + backend));
        String jnaTmp = System.getProperty("jna.tmpdir");
        if (jnaTmp != null) {
            command.add("-Djna.tmpdir=" + jnaTmp);
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), BackendsAgreeTest.class.getName(), own.toString()));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), out);
        return out.lines().collect(Collectors.toList());
    }

    @Test
    void ffmAndJnaReportTheSame() throws Exception {
        List<String> ffm = run("ffm");
        List<String> jna = run("jna");
        assertEquals(String.join("\n", ffm), String.join("\n", jna));
        // The report is worth comparing: successes, and failures with their errno, each as expected.
        assertTrue(ffm.contains("allocate -> size=1048576 allocated=1048576"), String.join("\n", ffm));
        assertTrue(ffm.stream().anyMatch(l -> l.startsWith("collapseRange unaligned -> ! io.github.fallocate4j.FileSpaceException errno=22")),
                String.join("\n", ffm));
        assertTrue(ffm.stream().anyMatch(l -> l.startsWith("posixFadvise advice 99 -> ! io.github.fallocate4j.FileSpaceException errno=22")),
                String.join("\n", ffm));
        assertTrue(ffm.stream().anyMatch(l -> l.startsWith("punch a missing file -> ! java.nio.file.NoSuchFileException")),
                String.join("\n", ffm));
        assertTrue(ffm.stream().anyMatch(l -> l.startsWith("fallocate on fd 999999 -> ! io.github.fallocate4j.FileSpaceException errno=9")),
                String.join("\n", ffm));
        assertTrue(ffm.stream().anyMatch(l -> l.startsWith("digHoles -> ")), String.join("\n", ffm));
    }
}
