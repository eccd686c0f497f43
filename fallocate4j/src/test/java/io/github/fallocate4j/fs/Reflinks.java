package io.github.fallocate4j.fs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.fallocate4j.FileSpace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Shared extents made with FICLONE ({@code cp --reflink=always}) and seen with FIEMAP ({@code filefrag -v}). */
final class Reflinks {
    private Reflinks() {}

    /**
     * UNSHARE_RANGE over {@code [0, len)} of {@code file}. Where the filesystem can reflink, a clone is
     * made first, and the call must leave the file with the same contents and no shared extent, and the
     * clone untouched. Elsewhere the call is made on the plain file.
     */
    static void unshareChecked(Path file, long len) throws IOException {
        Path clone = file.resolveSibling(file.getFileName() + ".clone");
        try {
            Sh.run("cp", "--reflink=always", file.toString(), clone.toString());
        } catch (IOException noReflinks) {
            FileSpace.unshareRange(file, 0, len);
            return;
        }
        byte[] data = Files.readAllBytes(file);
        assertTrue(shared(file), "the clone shares the file's extents: " + Sh.run("filefrag", "-v", file.toString()));
        FileSpace.unshareRange(file, 0, len);
        assertFalse(shared(file), "no extent is shared after UNSHARE_RANGE: " + Sh.run("filefrag", "-v", file.toString()));
        assertArrayEquals(data, Files.readAllBytes(file), "unsharing keeps the contents");
        assertArrayEquals(data, Files.readAllBytes(clone), "the clone is untouched");
        Files.delete(clone);
    }

    /** Whether FIEMAP reports any extent of the file as shared with another file. */
    static boolean shared(Path file) throws IOException {
        return Sh.run("filefrag", "-v", file.toString()).lines().anyMatch(l -> l.matches(".*\\bshared\\b.*"));
    }
}
