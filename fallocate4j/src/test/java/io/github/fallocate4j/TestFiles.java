package io.github.fallocate4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.fallocate4j.internal.Filesystems;
import io.github.fallocate4j.internal.OpenFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/** Helpers that look at a file the way the kernel sees it. */
final class TestFiles {
    private TestFiles() {}

    /** {@code count} blocks of {@code size} bytes, block i filled with byte {@code 'A'+i}. */
    static byte[] lettered(int count, int size) {
        byte[] bytes = new byte[count * size];
        for (int i = 0; i < count; i++) {
            Arrays.fill(bytes, i * size, (i + 1) * size, (byte) ('A' + i));
        }
        return bytes;
    }

    static List<Region> regions(Path file) throws IOException {
        try (Stream<Region> regions = SparseFiles.regions(file)) {
            return regions.toList();
        }
    }

    static Region data(long offset, long length) {
        return new Region(Region.Kind.DATA, offset, length);
    }

    static Region hole(long offset, long length) {
        return new Region(Region.Kind.HOLE, offset, length);
    }

    /** Size, allocation and contents, to show that a failed call changed nothing. */
    record Snapshot(long size, long allocated, byte[] contents) {
        static Snapshot of(Path file) throws IOException {
            return new Snapshot(Files.size(file), SparseFiles.allocatedBytes(file), Files.readAllBytes(file));
        }

        void assertUnchanged(Path file) throws IOException {
            Snapshot now = of(file);
            assertEquals(size, now.size, "size");
            assertEquals(allocated, now.allocated, "allocated bytes");
            assertArrayEquals(contents, now.contents, "contents");
        }
    }

    /** The name of the filesystem holding {@code file} ("ext4", "tmpfs", ...). */
    static String filesystem(Path file) throws IOException {
        return OpenFiles.with(file, OpenFiles.Access.READ, f -> Filesystems.of(f.fd()));
    }
}
