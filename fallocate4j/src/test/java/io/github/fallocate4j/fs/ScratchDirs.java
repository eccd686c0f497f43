package io.github.fallocate4j.fs;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Directories a test makes on the fixtures' filesystems, deleted after each test: those filesystems are
 * small and shared by the whole suite. Register with {@code @RegisterExtension}.
 */
final class ScratchDirs implements AfterEachCallback {
    private final List<Path> dirs = new ArrayList<>();

    /** A new directory on {@code fs} ({@link Mounts#dir}), deleted after the test. */
    Path on(Fs fs) throws IOException {
        Path dir = Mounts.dir(fs);
        dirs.add(dir);
        return dir;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        dirs.forEach(Mounts::deleteTree);
        dirs.clear();
    }
}
