package io.github.fallocate4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.fallocate4j.Fallocate;
import io.github.fallocate4j.ModeNotSupportedException;
import io.github.fallocate4j.SparseFiles;
import io.github.fallocate4j.fs.Fs;
import io.github.fallocate4j.fs.Mounts;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code --report-holes} and {@code --dig-holes} as util-linux 2.42.2's dig_holes(): each byte range
 * classified once (reading turns unwritten extents into data on ext4 and xfs), unaligned ranges
 * stepped from the given offset, and block devices, where SEEK_DATA fails, left alone with status 0.
 */
class HoleReportTest {
    private static final Pattern LINE = Pattern.compile("(file|data) hole: offset (\\d+) - (\\d+) \\((\\d+) bytes\\)");

    @TempDir
    Path tmp;

    private static Outcome run(Path file, String... args) throws Exception {
        return Outcome.ours(FallocateCommand::run, "fallocate", List.of(args), file);
    }

    private record Hole(boolean file, long start, long end) {}

    private static List<Hole> holes(String out) {
        List<Hole> holes = new ArrayList<>();
        Matcher m = LINE.matcher(out);
        while (m.find()) {
            holes.add(new Hole(m.group(1).equals("file"), Long.parseLong(m.group(2)), Long.parseLong(m.group(3))));
        }
        return holes;
    }

    /**
     * The file: 1 MiB allocated (unwritten extents), 4096 random bytes written at 0 and at
     * 1044480, synced, and its pages dropped from the cache. Where the filesystem cannot allocate
     * (ext2, ext3), the range between the two blocks is a hole instead.
     */
    private static Path unwrittenBetweenTwoBlocks(Path dir) throws IOException {
        Path t = dir.resolve("T");
        Random random = new Random(9);
        try (FileChannel ch = FileChannel.open(t, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            try {
                Fallocate.fallocate(ch, 0, 1 << 20);
            } catch (ModeNotSupportedException e) {
                // ext2, ext3: no unwritten extents; the gap stays a hole, which the invariant covers too
            }
            for (long at : new long[] {0, 1044480}) {
                byte[] block = new byte[4096];
                random.nextBytes(block);
                block[0] = 1;
                ch.write(ByteBuffer.wrap(block), at);
            }
            ch.force(true);
            Fallocate.posixFadvise(ch, 0, 0, Fallocate.POSIX_FADV_DONTNEED);
        }
        return t;
    }

    static Stream<Fs> extentFilesystems() {
        return Stream.of(Fs.EXT4, Fs.XFS);
    }

    @ParameterizedTest
    @MethodSource("extentFilesystems")
    void unwrittenExtentsReadAsZerosAreDataHolesOnly(Fs fs) throws Exception {
        Path t = unwrittenBetweenTwoBlocks(Mounts.dir(fs));
        Outcome o = run(t, "-r", "-v", t.toString());
        assertEquals(0, o.status(), o.err());
        List<Hole> holes = holes(o.out());
        assertTrue(holes.stream().noneMatch(Hole::file), o.out());
        assertEquals(1040384, holes.stream().mapToLong(h -> h.end() - h.start()).sum(), o.out());
        assertTrue(o.out().contains("\nfile holes: 0 holes, 0 B (0 bytes, 0.00% of the file)\n"), o.out());
        assertTrue(o.out().contains(" (1040384 bytes, 99.22% of the file)\n"), o.out());
        assertEachByteOnce(holes, 1 << 20, o.out());
    }

    static Stream<Fs> matrix() {
        return Fs.MATRIX.stream();
    }

    /** On every filesystem: no range in both lists, and the holes add up to no more than the range. */
    @ParameterizedTest
    @MethodSource("matrix")
    void eachRangeIsClassifiedOnce(Fs fs) throws Exception {
        Path dir = Mounts.dir(fs);
        Path sparse = dir.resolve("sparse");
        Layouts.SPARSE.create(sparse);
        for (Path f : List.of(sparse, unwrittenBetweenTwoBlocks(dir))) {
            long size = Files.size(f);
            for (String length : List.of("0", "300000")) {
                Outcome o = run(f, "-r", "-v", "-l", length, f.toString());
                assertEquals(0, o.status(), o.err());
                assertEachByteOnce(holes(o.out()), length.equals("0") ? size : Math.min(size, 300000), fs + " " + o.out());
            }
        }
    }

    private static void assertEachByteOnce(List<Hole> holes, long range, String context) {
        long total = 0;
        for (int i = 0; i < holes.size(); i++) {
            Hole a = holes.get(i);
            assertTrue(a.start() >= 0 && a.end() <= range, context);
            total += a.end() - a.start();
            for (int j = i + 1; j < holes.size(); j++) {
                Hole b = holes.get(j);
                assertTrue(a.end() <= b.start() || b.end() <= a.start(), "overlap " + a + " " + b + ": " + context);
            }
        }
        assertTrue(total <= range, context);
    }

    @Test
    void anUnalignedRangeIsSteppedFromItsOffset() throws Exception {
        Path f = tmp.resolve("F");
        Layouts.SPARSE.create(f); // written zeros over [65536, 131072)
        Outcome o = run(f, "-r", "-v", "-o", "70000", "-l", "10000", f.toString());
        assertEquals(new Outcome(0, """
                file hole: offset 0 - 70000 (70000 bytes)
                data hole: offset 70000 - 80000 (10000 bytes)

                Summary:
                file holes: 1 holes, 68.4 KiB (70000 bytes, 6.28% of the file)
                data holes: 1 holes, 9.8 KiB (10000 bytes, 0.90% of the file)
                """, "", o.file()), o);

        Outcome dug = run(f, "-d", "-v", "-o", "70000", "-l", "10000", f.toString());
        assertEquals(new Outcome(0, f + ": 1 holes, 9.8 KiB (10000 bytes, 0.90% of the file) converted to sparse holes.\n",
                "", dug.file()), dug);
        assertEquals(o.file().sha256(), dug.file().sha256(), "the same bytes: the run was zeros");
        assertEquals(o.file().allocated() - 4096, dug.file().allocated(), "the one whole block in the run freed");
    }

    /**
     * The steps are read 256 at a time: across chunk boundaries, at an unaligned offset and at a file end
     * inside a step, each step is still classified on its own bytes. Checked against 2.42's loop written
     * out here: st_blksize steps from the offset, a run of all-zero steps a data hole.
     */
    @Test
    void stepsReadAheadAreClassifiedAsTheyWouldBeOneByOne() throws Exception {
        Path f = tmp.resolve("F");
        byte[] data = new byte[3 * (1 << 20) + 1000];
        Random random = new Random(15);
        for (int b = 0; b < data.length; b += 4096) {
            int kind = random.nextInt(4); // zeros, random, or zeros but for one byte late in the block
            if (kind == 1) {
                for (int i = b; i < Math.min(b + 4096, data.length); i++) {
                    data[i] = (byte) (random.nextInt(255) + 1);
                }
            } else if (kind == 2) {
                data[Math.min(b + 3000, data.length - 1)] = 9;
            }
        }
        Arrays.fill(data, (1 << 20) - 20000, (1 << 20) + 30000, (byte) 0); // a run across the first chunk's end
        Arrays.fill(data, data.length - 9000, data.length, (byte) 0); // ending in a partial step
        Files.write(f, data);
        int step = (int) SparseFiles.blockSize(f);
        List<Hole> expected = new ArrayList<>(List.of(new Hole(true, 0, 1000))); // 2.42: before -o counts as a file hole
        long runStart = -1;
        for (long off = 1000; off < data.length; off += step) {
            int end = (int) Math.min(off + step, data.length);
            boolean zero = true;
            for (int i = (int) off; i < end && zero; i++) {
                zero = data[i] == 0;
            }
            if (zero && runStart < 0) {
                runStart = off;
            } else if (!zero && runStart >= 0) {
                expected.add(new Hole(false, runStart, off));
                runStart = -1;
            }
        }
        if (runStart >= 0) {
            expected.add(new Hole(false, runStart, data.length));
        }
        Outcome o = run(f, "-r", "-v", "-o", "1000", f.toString());
        assertEquals(0, o.status(), o.err());
        assertEquals(expected, holes(o.out()));
        assertTrue(expected.size() > 100, "a layout with many runs: " + expected.size());

        Outcome dug = run(f, "-d", "-v", "-o", "1000", f.toString());
        assertEquals(0, dug.status(), dug.err());
        assertTrue(dug.out().startsWith(f + ": " + (expected.size() - 1) + " holes, "), dug.out());
        assertArrayEquals(data, Files.readAllBytes(f));
    }

    /**
     * The one difference in digging: 2.42.2 punches a block past the zero run at the end of the range
     * ("meet block boundary"), which with {@code -l} ending inside data deallocates data after the
     * range. Here only the run is punched; the count is 2.42.2's.
     */
    @Test
    void digNeverTouchesDataAfterTheRange() throws Exception {
        Path f = tmp.resolve("F");
        byte[] data = new byte[16384];
        Arrays.fill(data, 8192, data.length, (byte) 7); // zeros [0, 8192), data after
        Files.write(f, data);
        Outcome o = run(f, "-d", "-v", "-l", "8192", f.toString());
        assertEquals(0, o.status(), o.err());
        assertEquals(f + ": 1 holes, 8 KiB (8192 bytes, 50.00% of the file) converted to sparse holes.\n", o.out());
        assertArrayEquals(data, Files.readAllBytes(f));
    }

    /** Our one addition to the output: a progress bar, only when the launcher saw a terminal on stderr. */
    @Test
    void aProgressBarOnlyOnATerminal() throws Exception {
        Path f = tmp.resolve("big");
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {1}), 0);
            ch.write(ByteBuffer.wrap(new byte[] {1}), (300L << 20) - 1); // 300 MiB, nearly all hole
        }
        assertEquals("", run(f, "-r", f.toString()).err());
        System.setProperty("fallocate4j.stderrTty", "1");
        try {
            String err = run(f, "-r", f.toString()).err();
            assertTrue(err.startsWith("\r[") && err.contains("] 0% ") && err.endsWith("\r\033[K"), err);
        } finally {
            System.clearProperty("fallocate4j.stderrTty");
        }
    }

    /** A loop block device: SEEK_DATA fails (EINVAL), so 2.42.2 reports and punches nothing, status 0. */
    @Test
    void aBlockDeviceIsLeftAloneWithStatusZero() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "losetup needs root");
        Path image = tmp.resolve("disk.img");
        byte[] content = new byte[1 << 20];
        Arrays.fill(content, 0, 4096, (byte) 1); // then zeros: a dig would punch them
        Files.write(image, content);
        Process attach = new ProcessBuilder("losetup", "--find", "--show", image.toString()).start();
        String device = new String(attach.getInputStream().readAllBytes()).trim();
        assumeTrue(attach.waitFor() == 0 && device.startsWith("/dev/loop"), "losetup failed: "
                + new String(attach.getErrorStream().readAllBytes()));
        try {
            Path dev = Path.of(device);
            Outcome report = run(dev, "-r", "-v", device);
            assertEquals(0, report.status(), report.err());
            assertEquals("""

                    Summary:
                    file holes: 0 holes, 0 B (0 bytes, 0.00% of the file)
                    data holes: 0 holes, 0 B (0 bytes, 0.00% of the file)
                    """, report.out());
            Outcome dig = run(dev, "-d", "-v", device);
            assertEquals(0, dig.status(), dig.err());
            assertEquals(device + ": 0 holes, 0 B (0 bytes, 0.00% of the file) converted to sparse holes.\n", dig.out());
        } finally {
            new ProcessBuilder("losetup", "-d", device).start().waitFor();
        }
        assertArrayEquals(content, Files.readAllBytes(image));
    }
}
