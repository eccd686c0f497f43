package io.github.fallocate4j.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.fallocate4j.FilesystemCapabilities;
import io.github.fallocate4j.FilesystemCapabilities.Operation;
import io.github.fallocate4j.NoSpaceException;
import io.github.fallocate4j.SparseFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The capability probe on every filesystem of the matrix agrees with README.md's support table (which
 * {@link ModeMatrixTest} checks against the kernel), leaves nothing behind, and is cached per filesystem.
 */
class FilesystemCapabilitiesTest {

    /** README's support table: row label to the answers in {@link Fs#MATRIX} order. */
    private static Map<String, List<String>> readmeTable() throws IOException {
        Map<String, List<String>> rows = new HashMap<>();
        for (String line : SupportTable.section(Files.readString(SupportTable.readme())).split("\n")) {
            String[] cells = line.split("(?<!\\\\)\\|");
            if (cells.length == Fs.MATRIX.size() + 2 && line.startsWith("| `")) {
                rows.put(cells[1].strip(), Stream.of(cells).skip(2).map(String::strip).toList());
            }
        }
        return rows;
    }

    @ParameterizedTest
    @EnumSource(names = {"EXT4", "XFS", "BTRFS", "TMPFS"})
    void theProbeAgreesWithTheReadmeTable(Fs fs) throws IOException {
        Path dir = Mounts.dir(fs);
        FilesystemCapabilities caps = FilesystemCapabilities.of(dir);
        Map<String, List<String>> table = readmeTable();
        int column = Fs.MATRIX.indexOf(fs);
        for (Operation op : Operation.values()) {
            if (op == Operation.SEEK_HOLE || op == Operation.FIEMAP) {
                continue; // not rows of the table
            }
            String label = ModeMatrixTest.Op.valueOf(op.name().replace("ADVISE_", "FADV_")).label;
            assertTrue(table.containsKey(label), "README row " + label);
            assertEquals(table.get(label).get(column), caps.answer(op), fs + " " + op + ": " + caps);
        }
        assertTrue(caps.supports(Operation.SEEK_HOLE), caps::toString);
        assertEquals(fs != Fs.TMPFS, caps.supports(Operation.FIEMAP), caps::toString);
        assertEquals(fs.type(), caps.type());
        assertEquals(SparseFiles.blockSize(dir), caps.blockSize());
        assertEquals(caps.blockSize(), caps.allocationUnit(), "no bigalloc in the matrix: " + caps);
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(List.of(), left.toList(), "the probe file is removed");
        }
        assertSame(caps, FilesystemCapabilities.of(Mounts.dir(fs)), "cached per filesystem");
    }

    @Test
    void ext2CannotAllocateSoPosixFallocateWouldEmulate() throws IOException {
        FilesystemCapabilities caps = FilesystemCapabilities.of(Mounts.dir(Fs.EXT2));
        for (Operation op : List.of(Operation.ALLOCATE, Operation.ALLOCATE_KEEP_SIZE, Operation.POSIX_FALLOCATE)) {
            assertEquals("EOPNOTSUPP", caps.answer(op), caps::toString);
        }
        assertTrue(caps.supports(Operation.ADVISE_DONTNEED), caps::toString);
        assertNotEquals(caps, FilesystemCapabilities.of(Mounts.dir(Fs.EXT4)));
    }

    @Test
    void aFailedProbeLeavesNothingBehind() throws IOException {
        Path dir = Mounts.dir(Fs.TMPFS_TINY);
        Path probed = Files.createDirectory(dir.resolve("probed"));
        Path filler = dir.resolve("filler");
        try (OutputStream out = Files.newOutputStream(filler)) {
            byte[] chunk = new byte[64 << 10];
            while (true) {
                out.write(chunk);
            }
        } catch (IOException full) {
            // the filesystem is full
        }
        assertThrows(NoSpaceException.class, () -> FilesystemCapabilities.of(probed));
        try (Stream<Path> left = Files.list(probed)) {
            assertEquals(List.of(), left.toList(), "the probe file is removed");
        }
        // Two pages free: the probe's first allocation succeeds, the 16 pages of data it writes next do not.
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(filler, java.nio.file.StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() / 4096 * 4096 - 8192);
        }
        NoSpaceException full = assertThrows(NoSpaceException.class, () -> FilesystemCapabilities.of(probed),
                "as the Javadoc says: a bare IOException from writing the probe file carried no errno");
        assertEquals("ENOSPC", full.errnoName(), full.getMessage());
        try (Stream<Path> left = Files.list(probed)) {
            assertEquals(List.of(), left.toList(), "the probe file is removed");
        }
        Files.delete(filler);
    }
}
