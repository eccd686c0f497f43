package io.github.fallocate4j.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.fallocate4j.AllocateOption;
import io.github.fallocate4j.Extent;
import io.github.fallocate4j.ExtentFlag;
import io.github.fallocate4j.FileSpace;
import io.github.fallocate4j.FileSpaceException;
import io.github.fallocate4j.SparseFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** FIEMAP extents on each filesystem of the matrix: holes, preallocation, reflinks, and tmpfs's refusal. */
class ExtentsMatrixTest {

    private static byte[] random(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    /** Data, a punched hole, data, then KEEP_SIZE space past the end: the map shows each as it is. */
    @ParameterizedTest
    @EnumSource(names = {"EXT4", "XFS", "BTRFS"})
    void holesHaveNoExtentAndPreallocationIsUnwritten(Fs fs) throws IOException {
        Path file = Mounts.dir(fs).resolve("f");
        int b = (int) Math.max(SparseFiles.blockSize(file.getParent()), 4096);
        Files.write(file, random(4 * b));
        FileSpace.punchHole(file, b, b);
        FileSpace.allocate(file, 4L * b, 2L * b, AllocateOption.KEEP_SIZE);

        List<Extent> extents = SparseFiles.extents(file);

        for (Extent e : extents) {
            assertTrue(e.logicalOffset() >= 2L * b || e.logicalOffset() + e.length() <= b,
                    "no extent covers the hole [" + b + ", " + 2 * b + "): " + extents);
        }
        long unwrittenPastEnd = extents.stream().filter(Extent::isUnwritten)
                .filter(e -> e.logicalOffset() >= 4L * b).mapToLong(Extent::length).sum();
        assertEquals(2L * b, unwrittenPastEnd, extents::toString);
        long written = extents.stream().filter(e -> !e.isUnwritten()).mapToLong(Extent::length).sum();
        assertEquals(3L * b, written, "the three data blocks: " + extents);
        assertTrue(extents.get(extents.size() - 1).flags().contains(ExtentFlag.LAST), extents::toString);
        assertEquals(extents, SparseFiles.extents(file, 0, Long.MAX_VALUE), "the range form agrees");
    }

    /** A reflink copy's extents are the file's own blocks, marked SHARED on both files. */
    @ParameterizedTest
    @EnumSource(names = {"XFS", "BTRFS"})
    void reflinkedBlocksAreShared(Fs fs) throws IOException {
        Path dir = Mounts.dir(fs);
        Path file = Files.write(dir.resolve("f"), random(64 << 10));
        assertFalse(SparseFiles.extents(file).stream().anyMatch(Extent::isShared), "nothing shared yet");
        Path clone = dir.resolve("clone");
        Sh.run("cp", "--reflink=always", file.toString(), clone.toString());

        List<Extent> original = SparseFiles.extents(file);
        List<Extent> copy = SparseFiles.extents(clone);

        assertTrue(original.stream().allMatch(Extent::isShared), original::toString);
        assertEquals(original.stream().map(Extent::physicalOffset).toList(),
                copy.stream().map(Extent::physicalOffset).toList(), "the clone points at the same blocks");
    }

    @ParameterizedTest
    @EnumSource(names = {"TMPFS"})
    void tmpfsRefusesWithAReason(Fs fs) throws IOException {
        Path file = Files.write(Mounts.dir(fs).resolve("f"), random(4096));
        FileSpaceException e = assertThrows(FileSpaceException.class, () -> SparseFiles.extents(file));
        assertTrue(e.getMessage().contains("tmpfs filesystem does not report extents"), e.getMessage());
        assertEquals(file.toString(), e.getFile());
    }
}
