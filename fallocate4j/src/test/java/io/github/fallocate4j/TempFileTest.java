package io.github.fallocate4j;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A fresh directory per test, the path of a file in it, and its filesystem's block size. */
abstract class TempFileTest {
    @TempDir
    Path dir;
    Path file;
    int block;

    @BeforeEach
    void resolveFileAndBlockSize() throws IOException {
        file = dir.resolve("f");
        block = (int) SparseFiles.blockSize(dir);
    }
}
