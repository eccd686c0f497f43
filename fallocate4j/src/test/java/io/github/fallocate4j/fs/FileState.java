package io.github.fallocate4j.fs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.fallocate4j.Region;
import io.github.fallocate4j.SparseFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * What a file looks like on disk: size, allocated bytes, data/hole map and every byte. Taken before
 * and after a call to prove what it changed, or that a failed call changed nothing.
 */
record FileState(long size, long allocated, List<Region> regions, byte[] contents) {

    static FileState of(Path file) throws IOException {
        byte[] contents = Files.readAllBytes(file);
        List<Region> regions;
        try (Stream<Region> s = SparseFiles.regions(file)) {
            regions = s.toList();
        }
        return new FileState(Files.size(file), SparseFiles.allocatedBytes(file), regions, contents);
    }

    /** Asserts that {@code file} still has this size, allocation, map and contents. */
    void assertUnchanged(Path file) throws IOException {
        FileState now = of(file);
        assertEquals(size, now.size, () -> file + ": size changed");
        assertEquals(allocated, now.allocated, () -> file + ": allocated bytes changed");
        assertEquals(regions, now.regions, () -> file + ": data/hole map changed");
        assertArrayEquals(contents, now.contents, () -> file + ": contents changed");
    }

    /** Writes {@code len} bytes of seeded random data as a new file, and flushes it to disk. */
    static byte[] writeRandom(Path file, int len, long seed) throws IOException {
        byte[] data = new byte[len];
        new Random(seed).nextBytes(data);
        Files.write(file, data);
        try (var ch = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE)) {
            ch.force(true); // allocation is settled, not delayed: allocated bytes are then comparable
        }
        return data;
    }

    /** Whether {@code [from, to)} lies inside one region of the given kind. */
    boolean covered(Region.Kind kind, long from, long to) {
        return regions.stream().anyMatch(r -> r.kind() == kind && r.offset() <= from && r.end() >= to);
    }
}
