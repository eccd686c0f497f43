package io.github.fallocate4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.fallocate4j.SparseFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What util-linux 2.42 does where the installed 2.38.1 differs, asserted against 2.42's source text:
 * the usage text, --version, the exclusive-option table and its message, --report-holes,
 * --write-zeroes, the dig-holes summary, posix_fallocate failures, and special files.
 */
class Fallocate242Test {
    @TempDir
    Path dir;

    private Outcome run(Path file, String... args) throws Exception {
        return Outcome.ours(FallocateCommand::run, "fallocate", List.of(args), file);
    }

    private Path sparse() throws Exception {
        Path file = dir.resolve("f");
        Layouts.SPARSE.create(file);
        return file;
    }

    @Test
    void usageIs242s() throws Exception {
        Outcome o = run(dir.resolve("f"), "-h");
        assertEquals(0, o.status());
        assertEquals("""

                Usage:
                 fallocate [options] <filename>

                Preallocate space to, or deallocate space from a file.

                Options:
                 -c, --collapse-range remove a range from the file
                 -d, --dig-holes      detect zeroes and replace with holes
                 -i, --insert-range   insert a hole at range, shifting existing data
                 -l, --length <num>   length for range operations, in bytes
                 -n, --keep-size      maintain the apparent size of the file
                 -o, --offset <num>   offset for range operations, in bytes
                 -p, --punch-hole     replace a range with a hole (implies -n)
                 -r, --report-holes   report file holes and data holes info
                 -v, --verbose        verbose mode
                 -w, --write-zeroes   write zeroes and ensure allocation of a range
                 -x, --posix          use posix_fallocate(3) instead of fallocate(2)
                 -z, --zero-range     zero and ensure allocation of a range

                 -h, --help           display this help
                 -V, --version        display version

                Arguments:
                 Values for <num> may be followed by a suffix: KiB, MiB,
                 GiB, TiB, PiB, EiB, ZiB, or YiB (where the "iB" is optional).

                For more details see fallocate(1).
                """, o.out());
        assertEquals("", o.err());
        assertEquals(false, o.file().exists());
    }

    @Test
    void versionNamesThisProject() throws Exception {
        Outcome o = run(dir.resolve("f"), "--version");
        assertEquals(new Outcome(0, "fallocate from fallocate4j 0.1.0 (util-linux 2.42 compatible)\n", "",
                o.file()), o);
    }

    @Test
    void exclusiveOptionsFollow242sTable() throws Exception {
        Path f = dir.resolve("f");
        String[][] cases = {
                {"options --collapse-range and --dig-holes cannot be combined", "-c", "-d"},
                {"options --insert-range and --keep-size cannot be combined", "-i", "-n", "-l1", "F"},
                {"options --posix and --keep-size cannot be combined", "-x", "-n"},
                {"options --write-zeroes and --punch-hole cannot be combined", "-w", "-p"},
                {"options --write-zeroes and --keep-size cannot be combined", "-w", "-n"},
                {"options --dig-holes and --zero-range cannot be combined", "--dig", "-z", "-h"},
                {"options --punch-hole and --insert-range cannot be combined", "-pi"},
        };
        for (String[] c : cases) {
            List<String> args = new ArrayList<>(List.of(c).subList(1, c.length));
            Outcome o = Outcome.ours(FallocateCommand::run, "fallocate", args, f);
            assertEquals(new Outcome(1, "", "fallocate: " + c[0] + "\n", o.file()), o, String.join(" ", args));
            assertEquals(false, o.file().exists());
        }
        // Help comes first when it is seen before the conflict; -r combines with anything.
        assertEquals(0, run(f, "-h", "-c", "-d").status());
        Path s = sparse();
        assertEquals(0, run(s, "-n", "-r", "-p", "-l", "1", s.toString()).status());
    }

    @Test
    void ambiguityListsEveryOptionOf242() throws Exception {
        Outcome o = run(dir.resolve("f"), "--=3", "x");
        assertEquals("fallocate: option '--=3' is ambiguous; possibilities: '--help' '--version' '--keep-size'"
                + " '--punch-hole' '--collapse-range' '--dig-holes' '--report-holes' '--insert-range' '--zero-range'"
                + " '--write-zeroes' '--offset' '--length' '--posix' '--verbose'\n"
                + "Try 'fallocate --help' for more information.\n", o.err());
        assertEquals(1, o.status());
    }

    @Test
    void digHolesVerboseCountsHoles() throws Exception {
        Path f = sparse();
        Outcome o = run(f, "-v", "-d", f.toString());
        assertEquals(f + ": 2 holes, 128 KiB (131072 bytes, 11.76% of the file) converted to sparse holes.\n", o.out());
        assertEquals(0, o.status());
        // The punched blocks are gone and read as zeros; the size stays.
        assertEquals(1114112, o.file().size());
        assertEquals(3 * Layouts.K64, SparseFiles.allocatedBytes(f)); // the three random blocks
    }

    @Test
    void reportHolesSummarisesWithoutChangingTheFile() throws Exception {
        Path f = sparse();
        Outcome.FileState before = Outcome.FileState.of(f);
        Outcome o = run(f, "-r", f.toString());
        assertEquals(new Outcome(0, """

                Summary:
                file holes: 1 holes, 768 KiB (786432 bytes, 70.59% of the file)
                data holes: 2 holes, 128 KiB (131072 bytes, 11.76% of the file)
                """, "", before), o);
    }

    @Test
    void reportHolesVerboseListsHolesInFileOrder() throws Exception {
        Path f = sparse();
        Outcome o = run(f, "--report-holes", "--verbose", f.toString());
        assertEquals("""
                data hole: offset 65536 - 131072 (65536 bytes)
                data hole: offset 196608 - 262144 (65536 bytes)
                file hole: offset 262144 - 1048576 (786432 bytes)

                Summary:
                file holes: 1 holes, 768 KiB (786432 bytes, 70.59% of the file)
                data holes: 2 holes, 128 KiB (131072 bytes, 11.76% of the file)
                """, o.out());
    }

    @Test
    void reportHolesFromAnOffsetCountsFromTheStartAs242Does() throws Exception {
        // 2.42 starts its "previous data end" at 0, so [0, offset) shows as a file hole.
        Path f = sparse();
        Outcome o = run(f, "-rv", "-o", "128KiB", f.toString());
        assertEquals("""
                file hole: offset 0 - 131072 (131072 bytes)
                data hole: offset 196608 - 262144 (65536 bytes)
                file hole: offset 262144 - 1048576 (786432 bytes)

                Summary:
                file holes: 2 holes, 896 KiB (917504 bytes, 82.35% of the file)
                data holes: 1 holes, 64 KiB (65536 bytes, 5.88% of the file)
                """, o.out());
    }

    @Test
    void reportHolesCreatesAMissingFileAs242Does() throws Exception {
        Path f = dir.resolve("f");
        Outcome o = run(f, "-r", f.toString());
        assertEquals(0, o.status());
        assertEquals(new Outcome.FileState(true, 0, 0, o.file().sha256()), o.file());
        assertTrue(o.out().endsWith("file holes: 0 holes, 0 B (0 bytes, 0.00% of the file)\n"
                + "data holes: 0 holes, 0 B (0 bytes, 0.00% of the file)\n"));
    }

    @Test
    void writeZeroesAllocatesOrSaysTheDeviceCannot() throws Exception {
        Path f = dir.resolve("f");
        Outcome o = run(f, "-v", "-w", "-l", "8KiB", f.toString());
        assertTrue(o.file().exists(), "-w creates the file, as 2.42's O_CREAT rule says");
        if (o.status() == 0) {
            assertEquals(f + ": 8 KiB (8192 bytes) written as zeroes.\n", o.out());
            assertEquals(8192, o.file().size());
        } else {
            assertEquals(new Outcome(1, "", "fallocate: fallocate failed: Operation not supported\n", o.file()), o);
        }
    }

    @Test
    void posixFailureIsReported() throws Exception {
        // 2.38.1 ignored posix_fallocate's result; 2.42 reports it.
        Path f = sparse();
        Outcome o = run(f, "-x", "-o", "9223372036854775807", "-l", "1", f.toString());
        assertEquals(1, o.status());
        assertEquals("fallocate: fallocate failed: File too large\n", o.err());
    }

    @Test
    void digHolesOnDevZeroEndsAtOnce() throws Exception {
        // 2.38.1 loops forever here; 2.42 stops when SEEK_DATA and SEEK_HOLE agree, prints its summary,
        // and then fails the fsync(2) of close_fd().
        assumeTrue(Files.isWritable(Path.of("/dev/zero")), "/dev/zero is not writable");
        Outcome o = run(Path.of("/dev/zero"), "-v", "-d", "/dev/zero");
        assertEquals(1, o.status());
        assertEquals("/dev/zero: 0 holes, 0 B (0 bytes, 0.00% of the file) converted to sparse holes.\n", o.out());
        assertEquals("fallocate: write failed: /dev/zero: Invalid argument\n", o.err());
    }

    @Test
    void digHolesOnAFifoFailsToSeek() throws Exception {
        Path fifo = dir.resolve("fifo");
        Process p = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assumeTrue(p.waitFor() == 0, "mkfifo failed");
        Outcome o = run(fifo, "-d", fifo.toString());
        assertEquals(new Outcome(1, "", "fallocate: seek on " + fifo + " failed: Illegal seek\n", o.file()), o);
    }
}
