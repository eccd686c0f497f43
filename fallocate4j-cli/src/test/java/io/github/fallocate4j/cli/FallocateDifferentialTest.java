package io.github.fallocate4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.fallocate4j.FileSpace;
import io.github.fallocate4j.SparseFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs our {@code fallocate} and the installed util-linux one on identical fresh files and compares
 * exit status, stdout, stderr (util-linux 2.38's two older messages translated to 2.42's words), and the
 * file: existence, size, allocated bytes and contents.
 */
class FallocateDifferentialTest {
    private static final String UTIL_LINUX = "/usr/bin/fallocate";
    private static final int BLOCK = 4096;

    @TempDir
    Path ours;
    @TempDir
    Path theirs;

    /** How the file is before the command: missing, or 16 blocks of random data and zero blocks with a hole. */
    enum Start { MISSING, MIXED }

    static Stream<Arguments> cases() {
        return Stream.of(
                // allocation and sizes
                c(Start.MISSING, "-l", "1MiB", "F"),
                c(Start.MISSING, "-l", "4096", "-o", "8192", "F"),
                c(Start.MISSING, "--length=1K", "F"),
                c(Start.MISSING, "--len", "1KB", "F"),
                c(Start.MISSING, "-l", "0x1000", "F"),
                c(Start.MISSING, "-l", "010", "F"),
                c(Start.MISSING, "-l", "1.5MiB", "-v", "F"),
                c(Start.MISSING, "-l", "0.5K", "-v", "F"),
                c(Start.MISSING, "-l", " +12", "F"),
                c(Start.MISSING, "-vl", "100k", "F"),
                c(Start.MISSING, "F", "-l", "20000"),
                c(Start.MISSING, "-l", "1e", "F"),
                c(Start.MISSING, "-l", "-1", "F"),
                c(Start.MISSING, "-l", "abc", "F"),
                c(Start.MISSING, "-l", "1.5", "F"),
                c(Start.MISSING, "-l", "99999999999999999999", "F"),
                c(Start.MISSING, "-l", "8E", "F"),
                c(Start.MISSING, "-l", "0", "F"),
                c(Start.MISSING, "-o", "-1", "-l", "1", "F"),
                c(Start.MISSING, "-o", "junk", "-l", "1", "F"),
                c(Start.MISSING, "F"),
                c(Start.MISSING, "-l", "1"),
                c(Start.MISSING, "-l", "1", "F", "G"),
                c(Start.MISSING, "-n", "-l", "1M", "F"),
                c(Start.MISSING, "-p", "-l", "1M", "F"),
                c(Start.MISSING, "-l", "7E", "F"),
                c(Start.MIXED, "-n", "-l", "1M", "-v", "F"),
                c(Start.MIXED, "-l", "256K", "-o", "32K", "F"),
                // modes
                c(Start.MIXED, "-p", "-o", "4096", "-l", "8192", "-v", "F"),
                c(Start.MIXED, "--punch-hole", "--offset=100", "--length=5000", "F"),
                c(Start.MIXED, "-z", "-o", "0", "-l", "4096", "-v", "F"),
                c(Start.MIXED, "-zn", "-o", "60K", "-l", "16K", "F"),
                c(Start.MIXED, "-c", "-o", "4096", "-l", "4096", "-v", "F"),
                c(Start.MIXED, "-c", "-o", "4095", "-l", "4096", "F"),
                c(Start.MIXED, "-c", "-o", "0", "-l", "64K", "F"),
                c(Start.MIXED, "-i", "-o", "4096", "-l", "8192", "-v", "F"),
                c(Start.MIXED, "-i", "-o", "64K", "-l", "4096", "F"),
                c(Start.MIXED, "-d", "F"),
                c(Start.MIXED, "-d", "-o", "16K", "F"),
                c(Start.MIXED, "-d", "-l", "-5", "F"),
                c(Start.MISSING, "-d", "F"),
                c(Start.MISSING, "-l", "1", "/"),
                c(Start.MIXED, "-pp", "-o", "0", "-l", "1", "F"),
                // getopt
                c(Start.MISSING, "-q", "F"),
                c(Start.MISSING, "-nq", "F"),
                c(Start.MISSING, "--foo", "F"),
                c(Start.MISSING, "--foo=1", "F"),
                c(Start.MISSING, "-l"),
                c(Start.MISSING, "F", "--length"),
                c(Start.MISSING, "--keep-size=1", "-l", "1", "F"),
                c(Start.MISSING, "--p", "-l", "1", "F"),
                c(Start.MISSING, "--", "-l"),
                c(Start.MISSING, "-l", "4096", "--", "F"),
                c(Start.MISSING, "-l4096", "F"));
    }

    private static Arguments c(Start start, String... args) {
        return Arguments.of(start, List.of(args));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("cases")
    void sameAsUtilLinux(Start start, List<String> args) throws Exception {
        assumeTrue(Files.isExecutable(Path.of(UTIL_LINUX)), "util-linux fallocate is not installed");
        prepare(ours, start);
        prepare(theirs, start);

        Run mine = Run.ours(FallocateCommand::run, "fallocate", resolve(args, ours));
        Run util = Run.program(UTIL_LINUX, resolve(args, theirs));

        assertEquals(util.status(), mine.status(), "exit status");
        assertEquals(util.out().replace(theirs.toString(), "DIR"), mine.out().replace(ours.toString(), "DIR"), "stdout");
        assertEquals(as242(util.err()).replace(theirs.toString(), "DIR"), mine.err().replace(ours.toString(), "DIR"),
                "stderr");
        assertSameFile(ours.resolve("F"), theirs.resolve("F"), args.contains("-d"));
    }

    /**
     * Where util-linux 2.42 words a message differently from the installed 2.38: the exit status and the
     * file are still compared with 2.38, the message with 2.42's text.
     */
    static Stream<Arguments> worded242() {
        return Stream.of(
                Arguments.of(List.of("-c", "-p", "-l", "1", "F"), "options --collapse-range and --punch-hole cannot be combined"),
                Arguments.of(List.of("-p", "-z", "-l", "1", "F"), "options --punch-hole and --zero-range cannot be combined"),
                Arguments.of(List.of("-d", "-z", "F"), "options --dig-holes and --zero-range cannot be combined"),
                Arguments.of(List.of("-c", "-n", "-l", "4096", "F"), "options --collapse-range and --keep-size cannot be combined"),
                Arguments.of(List.of("-z", "--dig", "F"), "options --zero-range and --dig-holes cannot be combined"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("worded242")
    void sameOutcomeWith242Wording(List<String> args, String message) throws Exception {
        assumeTrue(Files.isExecutable(Path.of(UTIL_LINUX)), "util-linux fallocate is not installed");
        prepare(ours, Start.MIXED);
        prepare(theirs, Start.MIXED);
        Run mine = Run.ours(FallocateCommand::run, "fallocate", resolve(args, ours));
        Run util = Run.program(UTIL_LINUX, resolve(args, theirs));
        assertEquals(util.status(), mine.status(), "exit status");
        assertEquals(util.out(), mine.out(), "stdout");
        assertEquals("fallocate: " + message + "\n", mine.err());
        assertSameFile(ours.resolve("F"), theirs.resolve("F"), false);
    }

    /** The messages util-linux 2.42 words differently from the installed 2.38. */
    static String as242(String stderr) {
        return stderr.replace("invalid length value specified", "invalid length")
                .replace("invalid offset value specified", "invalid offset");
    }

    static List<String> resolve(List<String> args, Path dir) {
        return args.stream().map(a -> a.equals("F") || a.equals("G") ? dir.resolve(a).toString() : a).toList();
    }

    /** Writes the same bytes in both directories: data, zero blocks, and a punched hole. */
    static void prepare(Path dir, Start start) throws IOException {
        if (start == Start.MISSING) {
            return;
        }
        byte[] bytes = new byte[16 * BLOCK];
        Random random = new Random(7);
        for (int block : new int[] {0, 1, 2, 3, 8, 9, 14}) {
            byte[] chunk = new byte[BLOCK];
            random.nextBytes(chunk);
            System.arraycopy(chunk, 0, bytes, block * BLOCK, BLOCK);
        }
        Path file = dir.resolve("F");
        Files.write(file, bytes);
        FileSpace.punchHole(file, 11 * BLOCK, 2 * BLOCK);
    }

    /**
     * The same file on both sides. After digging, ours may hold fewer blocks (it punches every whole zero
     * block; util-linux leaves some) but never more, and the contents must match.
     */
    static void assertSameFile(Path mine, Path util, boolean dug) throws IOException {
        assertEquals(Files.exists(util), Files.exists(mine), "file exists");
        if (!Files.exists(util)) {
            return;
        }
        assertEquals(Files.size(util), Files.size(mine), "size");
        assertArrayEquals(Files.readAllBytes(util), Files.readAllBytes(mine), "contents");
        if (dug) {
            assertTrue(SparseFiles.allocatedBytes(mine) <= SparseFiles.allocatedBytes(util), "allocated bytes");
        } else {
            // ext4 counts the blocks of its extent tree too, and the two files' trees may differ by one.
            assertEquals(SparseFiles.allocatedBytes(util), SparseFiles.allocatedBytes(mine), BLOCK, "allocated bytes");
            assertEquals(Arrays.toString(regions(util)), Arrays.toString(regions(mine)), "data/hole map");
        }
    }

    private static Object[] regions(Path file) throws IOException {
        try (var regions = SparseFiles.regions(file)) {
            return regions.map(r -> r.kind() + "@" + r.offset() + "+" + r.length()).toArray();
        }
    }
}
