package io.github.fallocate4j.cli;

import io.github.fallocate4j.Errno;
import io.github.fallocate4j.FileSpaceException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/** The C library's text for the error behind a Java exception, as util-linux's err() prints it. */
final class Strerror {
    private Strerror() {}

    static String of(Throwable e) {
        if (e instanceof FileSpaceException f) {
            return Errno.of(f.errno()).map(Errno::description).orElse("Unknown error " + f.errno());
        }
        if (e instanceof NoSuchFileException) {
            return Errno.ENOENT.description();
        }
        if (e instanceof AccessDeniedException) {
            return Errno.EACCES.description();
        }
        if (e instanceof FileAlreadyExistsException) {
            return Errno.EEXIST.description();
        }
        if (e instanceof NotDirectoryException) {
            return Errno.ENOTDIR.description();
        }
        // The JDK puts strerror(errno) in the reason of the other FileSystemExceptions it throws.
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
