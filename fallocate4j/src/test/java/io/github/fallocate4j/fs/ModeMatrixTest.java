package io.github.fallocate4j.fs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.fallocate4j.Advice;
import io.github.fallocate4j.AllocateOption;
import io.github.fallocate4j.Fallocate;
import io.github.fallocate4j.FileSpace;
import io.github.fallocate4j.FileSpaceException;
import io.github.fallocate4j.ModeNotSupportedException;
import io.github.fallocate4j.Region;
import io.github.fallocate4j.SparseFiles;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every fallocate mode, posix_fallocate and every posix_fadvise advice on ext4, xfs, btrfs, tmpfs, ext2 and ext3:
 * either the documented effect, checked on the file (size, allocated bytes, data/hole map, every
 * byte), or the documented exception with the file untouched. The answers make the support table,
 * which must match README.md; run with {@code -Dfallocate4j.updateReadme=true} to rewrite it there.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ModeMatrixTest {

    /** The table's rows: what a caller asks for. */
    enum Op {
        ALLOCATE("`allocate` (mode 0)"),
        ALLOCATE_KEEP_SIZE("`allocate` `KEEP_SIZE`"),
        PUNCH_HOLE("`punchHole` (`PUNCH_HOLE\\|KEEP_SIZE`)"),
        ZERO_RANGE("`zeroRange` (`ZERO_RANGE`)"),
        ZERO_RANGE_KEEP_SIZE("`zeroRange` `KEEP_SIZE`"),
        COLLAPSE_RANGE("`collapseRange` (`COLLAPSE_RANGE`)"),
        INSERT_RANGE("`insertRange` (`INSERT_RANGE`)"),
        UNSHARE_RANGE("`unshareRange` (`UNSHARE_RANGE`)"),
        WRITE_ZEROES("`writeZeroes` (`WRITE_ZEROES`)"),
        POSIX_FALLOCATE("`posixAllocate` (posix_fallocate(3))"),
        // Per-descriptor advice is only taken with a channel (a Path refuses it); page-cache advice takes both.
        FADV_NORMAL("`advise` `NORMAL` (channel only)"),
        FADV_RANDOM("`advise` `RANDOM` (channel only)"),
        FADV_SEQUENTIAL("`advise` `SEQUENTIAL` (channel only)"),
        FADV_WILLNEED("`advise` `WILLNEED` (channel or `Path`)"),
        FADV_DONTNEED("`advise` `DONTNEED` (channel or `Path`)"),
        FADV_NOREUSE("`advise` `NOREUSE` (channel only)");

        final String label;

        Op(String label) {
            this.label = label;
        }
    }

    private static final SupportTable TABLE = new SupportTable(Arrays.stream(Op.values()).map(o -> o.label).toList());

    /** What the filesystems' sources say they refuse with EOPNOTSUPP; everything else must work. */
    private static final Set<String> REFUSED = Set.of(
            "EXT4 UNSHARE_RANGE",
            "BTRFS COLLAPSE_RANGE", "BTRFS INSERT_RANGE", "BTRFS UNSHARE_RANGE",
            "TMPFS ZERO_RANGE", "TMPFS ZERO_RANGE_KEEP_SIZE", "TMPFS COLLAPSE_RANGE", "TMPFS INSERT_RANGE",
            "TMPFS UNSHARE_RANGE", "TMPFS WRITE_ZEROES",
            // ext2 and ext3 files are block-mapped: of fallocate(2) only PUNCH_HOLE works there
            // (posix_fallocate is emulated by the C library).
            "EXT2 ALLOCATE", "EXT2 ALLOCATE_KEEP_SIZE", "EXT2 ZERO_RANGE", "EXT2 ZERO_RANGE_KEEP_SIZE", "EXT2 COLLAPSE_RANGE",
            "EXT2 INSERT_RANGE", "EXT2 UNSHARE_RANGE", "EXT2 WRITE_ZEROES",
            "EXT3 ALLOCATE", "EXT3 ALLOCATE_KEEP_SIZE", "EXT3 ZERO_RANGE", "EXT3 ZERO_RANGE_KEEP_SIZE", "EXT3 COLLAPSE_RANGE",
            "EXT3 INSERT_RANGE", "EXT3 UNSHARE_RANGE", "EXT3 WRITE_ZEROES");

    static Stream<Arguments> cases() {
        return Fs.MATRIX.stream().flatMap(fs -> Arrays.stream(Op.values()).map(op -> Arguments.of(fs, op)));
    }

    @Order(1)
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void modeHasItsDocumentedEffectOrException(Fs fs, Op op) throws IOException {
        Path file = Mounts.dir(fs).resolve("f");
        Files.createFile(file);
        long b = SparseFiles.blockSize(file);
        String outcome;
        try {
            check(op, file, (int) b);
            outcome = "yes";
        } catch (FileSpaceException e) {
            outcome = e.errnoName();
        }
        TABLE.record(fs, op.label, outcome);
        String key = fs + " " + op;
        if (REFUSED.contains(key)) {
            assertEquals("EOPNOTSUPP", outcome, key);
        } else if (op != Op.WRITE_ZEROES) {
            // WRITE_ZEROES depends on the kernel (6.17+) and on the device: either answer is correct.
            assertEquals("yes", outcome, key);
        }
    }

    @Order(2)
    @Test
    void readmeTableIsTheOneTheTestsProduced() throws IOException {
        Assumptions.assumeTrue(TABLE.complete(), "the matrix did not run on every filesystem (see the skipped tests)");
        Path target = Path.of(System.getProperty("basedir", ".")).resolve("target");
        Files.createDirectories(target);
        String table = TABLE.markdown();
        Files.writeString(target.resolve("support-table.md"), table);
        Path readme = SupportTable.readme();
        String text = Files.readString(readme);
        if (Boolean.getBoolean("fallocate4j.updateReadme")) {
            Files.writeString(readme, SupportTable.replaceSection(text, table));
            return;
        }
        assertEquals(table, SupportTable.section(text), "README.md's support table differs from what the kernel "
                + "answered (target/support-table.md); rerun with -Dfallocate4j.updateReadme=true to rewrite it");
    }

    /** Sets up the file, makes the call and checks its effect; a refused call must leave the file untouched. */
    private static void check(Op op, Path file, int b) throws IOException {
        byte[] data = FileState.writeRandom(file, (op == Op.ALLOCATE || op == Op.ALLOCATE_KEEP_SIZE || op == Op.POSIX_FALLOCATE ? 4 : 16) * b, op.ordinal());
        FileState before = FileState.of(file);
        try {
            call(op, file, b);
        } catch (FileSpaceException e) {
            before.assertUnchanged(file);
            assertEquals(file.toString(), e.getFile());
            assertTrue(e.operation().startsWith("fallocate") || e.operation().startsWith("posix_"), e.operation());
            if (e.errnoName().equals("EOPNOTSUPP")) {
                assertInstanceOf(ModeNotSupportedException.class, e);
            }
            throw e;
        }
        FileState after = FileState.of(file);
        byte[] expected = expectedContents(op, data, b);
        assertEquals(expected.length, after.size(), "size");
        assertArrayEquals(expected, after.contents(), "contents");
        assertCoverage(after);
        switch (op) {
            case ALLOCATE, POSIX_FALLOCATE -> {
                assertTrue(after.allocated() >= before.allocated() + 8L * b, "allocated " + before.allocated() + " -> " + after.allocated());
                assertTrue(after.covered(Region.Kind.HOLE, 4L * b, 8L * b), "the hole before the range stays a hole: " + after.regions());
            }
            case ALLOCATE_KEEP_SIZE ->
                assertTrue(after.allocated() >= before.allocated() + 8L * b, "space past the end reserved: " + before.allocated() + " -> " + after.allocated());
            case PUNCH_HOLE -> {
                assertTrue(after.allocated() <= before.allocated() - 4L * b, "blocks freed: " + before.allocated() + " -> " + after.allocated());
                assertTrue(after.covered(Region.Kind.HOLE, 2L * b, 6L * b), "punched blocks are a hole: " + after.regions());
            }
            case ZERO_RANGE, ZERO_RANGE_KEEP_SIZE ->
                assertTrue(after.allocated() >= before.allocated(), "zeroed blocks stay allocated: " + before.allocated() + " -> " + after.allocated());
            case INSERT_RANGE -> assertTrue(after.covered(Region.Kind.HOLE, 4L * b, 6L * b), "inserted range is a hole: " + after.regions());
            case WRITE_ZEROES -> {
                assertTrue(after.covered(Region.Kind.DATA, 2L * b, 6L * b), "written zeroes are data, not a hole: " + after.regions());
                assertTrue(after.allocated() >= before.allocated() + 3L * b, "grown range allocated");
            }
            case COLLAPSE_RANGE -> assertTrue(after.allocated() <= before.allocated(), "collapse frees the removed blocks");
            // xfs may keep copy-on-write preallocation past the range, so only a lower bound holds.
            case UNSHARE_RANGE -> assertTrue(after.allocated() >= before.allocated(), "the file still owns all its blocks");
            default -> before.assertUnchanged(file); // advice changes caching, never the file
        }
    }

    private static void call(Op op, Path file, int b) throws IOException {
        AllocateOption keep = AllocateOption.KEEP_SIZE;
        switch (op) {
            case ALLOCATE -> FileSpace.allocate(file, 8L * b, 8L * b);
            case ALLOCATE_KEEP_SIZE -> FileSpace.allocate(file, 4L * b, 8L * b, keep);
            case POSIX_FALLOCATE -> FileSpace.posixAllocate(file, 8L * b, 8L * b);
            case PUNCH_HOLE -> {
                FileSpace.punchHole(file, 2L * b, 4L * b);
                FileSpace.punchHole(file, 9L * b + 100, b); // unaligned: partial blocks are zeroed
            }
            case ZERO_RANGE -> {
                FileSpace.zeroRange(file, 2L * b, 4L * b);
                FileSpace.zeroRange(file, 9L * b + 100, 50);
                FileSpace.zeroRange(file, 15L * b, 4L * b); // past the end: grows the file
            }
            case ZERO_RANGE_KEEP_SIZE -> {
                FileSpace.zeroRange(file, 2L * b, 4L * b, keep);
                FileSpace.zeroRange(file, 9L * b + 100, 50, keep);
                FileSpace.zeroRange(file, 14L * b, 8L * b, keep); // past the end: size stays
            }
            case COLLAPSE_RANGE -> FileSpace.collapseRange(file, 4L * b, 2L * b);
            case INSERT_RANGE -> FileSpace.insertRange(file, 4L * b, 2L * b);
            case UNSHARE_RANGE -> Reflinks.unshareChecked(file, 16L * b);
            case WRITE_ZEROES -> {
                FileSpace.writeZeroes(file, 2L * b, 4L * b);
                FileSpace.writeZeroes(file, 15L * b, 4L * b);
            }
            case FADV_NORMAL, FADV_RANDOM, FADV_SEQUENTIAL, FADV_WILLNEED, FADV_DONTNEED, FADV_NOREUSE -> {
                Advice advice = Advice.valueOf(op.name().substring("FADV_".length()));
                try (FileChannel channel = FileChannel.open(file)) {
                    FileSpace.advise(channel, 0, 0, advice);
                    FileSpace.advise(channel, b, 3L * b, advice);
                    Fallocate.posixFadvise(channel, 0, 0, advice.value());
                }
                if (advice == Advice.WILLNEED || advice == Advice.DONTNEED) {
                    FileSpace.advise(file, 0, 0, advice);
                    FileSpace.advise(file, b, 3L * b, advice);
                    Fallocate.posixFadvise(file, 0, 0, advice.value());
                } else {
                    assertThrows(IllegalArgumentException.class, () -> FileSpace.advise(file, 0, 0, advice));
                    assertThrows(IllegalArgumentException.class, () -> Fallocate.posixFadvise(file, 0, 0, advice.value()));
                }
            }
        }
    }

    private static byte[] expectedContents(Op op, byte[] data, int b) {
        return switch (op) {
            case ALLOCATE, POSIX_FALLOCATE -> Arrays.copyOf(data, 16 * b);
            case PUNCH_HOLE -> zero(zero(data.clone(), 2 * b, 4 * b), 9 * b + 100, b);
            case ZERO_RANGE -> zero(zero(zero(Arrays.copyOf(data, 19 * b), 2 * b, 4 * b), 9 * b + 100, 50), 15 * b, 4 * b);
            case ZERO_RANGE_KEEP_SIZE -> zero(zero(zero(data.clone(), 2 * b, 4 * b), 9 * b + 100, 50), 14 * b, 2 * b);
            case COLLAPSE_RANGE -> concat(Arrays.copyOfRange(data, 0, 4 * b), Arrays.copyOfRange(data, 6 * b, 16 * b));
            case INSERT_RANGE -> concat(Arrays.copyOfRange(data, 0, 4 * b), new byte[2 * b], Arrays.copyOfRange(data, 4 * b, 16 * b));
            case WRITE_ZEROES -> zero(zero(Arrays.copyOf(data, 19 * b), 2 * b, 4 * b), 15 * b, 4 * b);
            default -> data;
        };
    }

    private static byte[] zero(byte[] a, int from, int len) {
        Arrays.fill(a, from, Math.min(a.length, from + len), (byte) 0);
        return a;
    }

    private static byte[] concat(byte[]... parts) {
        byte[] out = new byte[Arrays.stream(parts).mapToInt(p -> p.length).sum()];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    /** The map covers [0, size) in order, without gaps or overlaps. */
    private static void assertCoverage(FileState state) {
        long at = 0;
        for (Region r : state.regions()) {
            assertEquals(at, r.offset(), () -> "gap or overlap in " + state.regions());
            at = r.end();
        }
        assertEquals(state.size(), at, () -> "map does not cover the file: " + state.regions());
        assertFalse(state.regions().stream().anyMatch(r -> r.length() <= 0), "empty region");
    }
}
