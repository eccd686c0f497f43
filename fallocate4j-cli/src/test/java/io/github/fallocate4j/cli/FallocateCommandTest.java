package io.github.fallocate4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.fallocate4j.FileSpace;
import io.github.fallocate4j.SparseFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The behaviour of util-linux 2.42 that the installed 2.38 lacks or words differently: --report-holes,
 * --write-zeroes, the 2.42 exclusivity table and messages, posix_fallocate errors, the help text, and
 * dig holes on devices and past the range.
 */
class FallocateCommandTest {
    private static final int BLOCK = 4096;

    @TempDir
    Path dir;

    private Run run(String... args) {
        return Run.ours(FallocateCommand::run, "fallocate", List.of(args));
    }

    /** 8 blocks: data, 2 zero blocks, data, a 2-block hole, a zero block, data. */
    private Path sparseFile() throws IOException {
        Path file = dir.resolve("f");
        byte[] bytes = new byte[8 * BLOCK];
        Arrays.fill(bytes, 0, BLOCK, (byte) 1);
        Arrays.fill(bytes, 3 * BLOCK, 4 * BLOCK, (byte) 2);
        Arrays.fill(bytes, 7 * BLOCK, 8 * BLOCK, (byte) 3);
        Files.write(file, bytes);
        FileSpace.punchHole(file, 4 * BLOCK, 2 * BLOCK);
        return file;
    }

    @Test
    void reportHolesCountsFileAndDataHolesAndChangesNothing() throws IOException {
        Path file = sparseFile();
        byte[] before = Files.readAllBytes(file);
        long allocated = SparseFiles.allocatedBytes(file);

        Run report = run("-r", "-v", file.toString());

        assertEquals(0, report.status(), report.err());
        assertEquals("", report.err());
        assertEquals("""
                data hole: offset 4096 - 12288 (8192 bytes)
                file hole: offset 16384 - 24576 (8192 bytes)
                data hole: offset 24576 - 28672 (4096 bytes)

                Summary:
                file holes: 1 holes, 8 KiB (8192 bytes, 25.00% of the file)
                data holes: 2 holes, 12 KiB (12288 bytes, 37.50% of the file)
                """, report.out());
        assertArrayEquals(before, Files.readAllBytes(file));
        assertEquals(allocated, SparseFiles.allocatedBytes(file));
    }

    @Test
    void digHolesVerboseSummary() throws IOException {
        Path file = sparseFile();
        Run dig = run("--dig-holes", "--verbose", file.toString());
        assertEquals(0, dig.status(), dig.err());
        assertEquals(file + ": 2 holes, 12 KiB (12288 bytes, 37.50% of the file) converted to sparse holes.\n", dig.out());
        assertEquals(3L * BLOCK, SparseFiles.allocatedBytes(file));
    }

    @Test
    void digHolesNeverTouchesBytesPastTheRange() throws IOException {
        Path file = sparseFile();
        byte[] before = Files.readAllBytes(file);
        // Blocks 1 and 2 are zero, block 3 is data: util-linux punches one block past a range ending there.
        Run dig = run("-d", "-o", "4096", "-l", "8192", file.toString());
        assertEquals(0, dig.status(), dig.err());
        assertArrayEquals(before, Files.readAllBytes(file));
        assertEquals(3L * BLOCK + BLOCK, SparseFiles.allocatedBytes(file));
    }

    @Test
    void digHolesOnADeviceEndsAtOnceLike242() {
        Run dig = run("-d", "-v", "/dev/zero");
        assertEquals(0, dig.status(), dig.err());
        assertEquals("/dev/zero: 0 holes, 0 B (0 bytes, 0.00% of the file) converted to sparse holes.\n", dig.out());
    }

    @Test
    void writeZeroesIsReportedLikeAnyUnsupportedMode() throws IOException {
        Path file = sparseFile();
        Run zeroes = run("-w", "-l", "4096", "-v", file.toString());
        if (zeroes.status() == 0) {
            assertEquals(file + ": 4 KiB (4096 bytes) written as zeroes.\n", zeroes.out());
            assertEquals(0, Files.readAllBytes(file)[0]);
        } else {
            assertEquals("fallocate: fallocate failed: Operation not supported\n", zeroes.err());
            assertEquals(1, Files.readAllBytes(file)[0]);
        }
    }

    @Test
    void writeZeroesCreatesAMissingFileLikePlainAllocation() {
        Path missing = dir.resolve("new");
        run("-w", "-l", "4096", missing.toString());
        assertTrue(Files.exists(missing), "-w opens with O_CREAT, as in 2.42");
    }

    @Test
    void exclusiveOptionsOf242() throws IOException {
        Path file = sparseFile();
        String[][] cases = {
            {"-i", "-p", "options --insert-range and --punch-hole cannot be combined"},
            {"-x", "-z", "options --posix and --zero-range cannot be combined"},
            {"-n", "-x", "options --keep-size and --posix cannot be combined"},
            {"-w", "-n", "options --write-zeroes and --keep-size cannot be combined"},
            {"-i", "-c", "options --insert-range and --collapse-range cannot be combined"},
        };
        for (String[] c : cases) {
            Run r = run(c[0], c[1], "-l", "4096", file.toString());
            assertEquals(1, r.status());
            assertEquals("fallocate: " + c[2] + "\n", r.err());
        }
        // -d and -r go together.
        assertEquals(0, run("-d", "-r", file.toString()).status());
    }

    @Test
    void posixFailureIsReported() throws IOException {
        Path file = dir.resolve("ro");
        Files.write(file, new byte[10]);
        try (RandomAccessFile keep = new RandomAccessFile(file.toFile(), "r")) {
            // 8 EiB - 1 is past every filesystem's largest file: EFBIG.
            Run r = run("-x", "-o", "1", "-l", String.valueOf(Long.MAX_VALUE - 1), file.toString());
            assertEquals(1, r.status());
            assertEquals("fallocate: fallocate failed: File too large\n", r.err());
        }
    }

    @Test
    void helpAndVersion() {
        Run help = run("--help", "--bogus");
        assertEquals(0, help.status());
        assertTrue(help.out().startsWith("\nUsage:\n fallocate [options] <filename>\n"), help.out());
        assertTrue(help.out().contains(" -r, --report-holes   report file holes and data holes info\n"));
        assertTrue(help.out().contains(" -w, --write-zeroes   write zeroes and ensure allocation of a range\n"));
        assertTrue(help.out().endsWith("\nFor more details see fallocate(1).\n"));
        Run version = run("-V");
        assertEquals(0, version.status());
        assertTrue(version.out().startsWith("fallocate from fallocate4j "), version.out());
    }

    @Test
    void unsupportedModeOnTmpfs() throws IOException {
        Path shm = Path.of("/dev/shm");
        assumeTrue(Files.isDirectory(shm), "needs a tmpfs at /dev/shm");
        Path file = Files.createTempFile(shm, "fallocate4j-cli", ".bin");
        try {
            Files.write(file, new byte[2 * BLOCK]);
            Run collapse = run("-c", "-l", "4096", file.toString());
            assertEquals(1, collapse.status());
            assertEquals("fallocate: fallocate failed: Operation not supported\n", collapse.err());
            Run keep = run("-z", "-n", "-l", "4096", file.toString());
            assertEquals("fallocate: fallocate failed: keep size mode is unsupported\n", keep.err());
            assertEquals(2 * BLOCK, Files.size(file));
        } finally {
            Files.delete(file);
        }
    }

    @Test
    void progressBarOnlyOnATerminal() throws IOException {
        Path file = dir.resolve("big");
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(FallocateCommand.PROGRESS_THRESHOLD + (8L << 20));
            raf.write(new byte[1 << 20]);
            raf.seek(FallocateCommand.PROGRESS_THRESHOLD);
            raf.write(new byte[4 << 20]);
        }
        for (boolean terminal : new boolean[] {true, false}) {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int status = FallocateCommand.run(new String[] {"-d", file.toString()},
                    new Console(new PrintStream(out, true), new PrintStream(err, true), "fallocate", terminal));
            assertEquals(0, status);
            String shown = err.toString(StandardCharsets.UTF_8);
            if (terminal) {
                assertTrue(shown.startsWith("\r[") && shown.contains("100%") && shown.endsWith("\r"), shown);
            } else {
                assertEquals("", shown);
            }
        }
        assertEquals(0, SparseFiles.allocatedBytes(file));
    }

    @Test
    void missingFileForNonAllocatingModes() {
        Path missing = dir.resolve("missing");
        Run r = run("-p", "-l", "1", missing.toString());
        assertEquals("fallocate: cannot open " + missing + ": No such file or directory\n", r.err());
        assertFalse(Files.exists(missing));
    }
}
