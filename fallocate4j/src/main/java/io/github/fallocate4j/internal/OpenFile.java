package io.github.fallocate4j.internal;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A descriptor the library is working on, with the path it was opened from when known. A value only:
 * {@link OpenFiles} obtains, opens and closes them.
 *
 * @param sharesCallersOffset whether the descriptor's file offset is one a caller's handle also uses (the
 *                            caller's own descriptor, or a duplicate of it): lseek(2) on it must put the
 *                            offset back, or the caller's next relative read or write lands elsewhere
 */
public record OpenFile(int fd, Path path, boolean sharesCallersOffset) {
    /** A descriptor of the library's own (opened from {@code path}, or reopened), whose offset no caller uses. */
    public OpenFile(int fd, Path path) {
        this(fd, path, false);
    }

    /** The charset the JDK encodes file names (and decodes the command line) in: the locale's, fixed at JVM start. */
    public static Charset fileNameCharset() {
        try {
            return Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"));
        } catch (IllegalArgumentException e) {
            return StandardCharsets.UTF_8;
        }
    }

    /** The path for messages: the one the caller gave, else where /proc says the descriptor points, else "fd N". */
    public String displayName() {
        if (path != null) {
            return path.toString();
        }
        try {
            return Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
        } catch (IOException | UnsupportedOperationException e) {
            return "fd " + fd;
        }
    }
}
