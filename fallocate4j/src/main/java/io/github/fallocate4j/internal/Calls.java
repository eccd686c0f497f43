package io.github.fallocate4j.internal;

import io.github.fallocate4j.FileSpaceException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * The three calls the public API is made of: arguments checked before any system call, the
 * descriptor obtained (a Path opened and closed), the call made, and a failure turned into an exception.
 */
public final class Calls {
    private Calls() {}

    /** fallocate(2) on any kind of file the public API accepts. Mode 0 creates a missing Path, like fallocate(1). */
    public static void fallocate(Object file, long offset, long len, int mode) throws IOException {
        requireRange(offset, len);
        OpenFiles.Access access = mode == 0 ? OpenFiles.Access.CREATE : OpenFiles.Access.WRITE;
        OpenFiles.with(file, access, f -> {
            fallocate(f, offset, len, mode);
            return null;
        });
    }

    /** fallocate(2) on a raw descriptor: the hot path, with nothing between the checks and the call. */
    public static void fallocate(int fd, long offset, long len, int mode) throws IOException {
        requireRange(offset, len);
        OpenFile file = OpenFiles.of(fd);
        int rc = LibC.fallocate(fd, mode, offset, len);
        if (rc < 0) {
            throw Errors.fallocate(-rc, file, mode, offset, len);
        }
    }

    /** posix_fallocate(3) on a raw descriptor. */
    public static void posixFallocate(int fd, long offset, long len) throws IOException {
        requireRange(offset, len);
        OpenFile file = OpenFiles.of(fd);
        int rc = LibC.posixFallocate(fd, offset, len);
        if (rc < 0) {
            throw Errors.posixFallocate(-rc, file, offset, len);
        }
    }

    /** posix_fadvise(3) on a raw descriptor. */
    public static void posixFadvise(int fd, long offset, long len, int advice) throws IOException {
        requireFadviseRange(offset, len);
        posixFadvise(OpenFiles.of(fd), offset, len, advice);
    }

    /** fallocate(2) on a channel: the typed layer's hot path, with no dispatch on the kind of file. */
    public static void fallocate(FileChannel channel, long offset, long len, int mode) throws IOException {
        requireRange(offset, len);
        fallocate(OpenFiles.of(channel), offset, len, mode);
    }

    /** posix_fadvise(3) on a channel, with no dispatch on the kind of file. */
    public static void posixFadvise(FileChannel channel, long offset, long len, int advice) throws IOException {
        requireFadviseRange(offset, len);
        posixFadvise(OpenFiles.of(channel), offset, len, advice);
    }

    /** fallocate(2) on a descriptor already obtained; the range must have been checked. */
    public static void fallocate(OpenFile file, long offset, long len, int mode) throws FileSpaceException {
        int rc = LibC.fallocate(file.fd(), mode, offset, len);
        if (rc < 0) {
            throw Errors.fallocate(-rc, file, mode, offset, len);
        }
    }

    /** posix_fallocate(3); creates a missing Path. */
    public static void posixFallocate(Object file, long offset, long len) throws IOException {
        requireRange(offset, len);
        OpenFiles.with(file, OpenFiles.Access.CREATE, f -> {
            int rc = LibC.posixFallocate(f.fd(), offset, len);
            if (rc < 0) {
                throw Errors.posixFallocate(-rc, f, offset, len);
            }
            return null;
        });
    }

    /**
     * posix_fadvise(3); {@code len} 0 means "to the end of the file". A Path is opened read-only, and
     * takes only the advice that acts on the page cache (WILLNEED, DONTNEED) or that the kernel rejects:
     * the rest would be set on a descriptor closed straight after, to no effect.
     */
    public static void posixFadvise(Object file, long offset, long len, int advice) throws IOException {
        if (file instanceof Path && Modes.isPerDescriptorAdvice(advice)) {
            throw new IllegalArgumentException(Modes.adviceName(advice) + " holds only for the open descriptor it is "
                    + "given, and a Path is opened and closed for the call, so it would do nothing: pass the open "
                    + "FileChannel (or other descriptor) the reads will use");
        }
        requireFadviseRange(offset, len);
        OpenFiles.with(file, OpenFiles.Access.READ, f -> {
            posixFadvise(f, offset, len, advice);
            return null;
        });
    }

    /** posix_fadvise(3) on a descriptor already obtained. */
    public static void posixFadvise(OpenFile file, long offset, long len, int advice) throws FileSpaceException {
        int rc = LibC.posixFadvise(file.fd(), offset, len, advice);
        if (rc < 0) {
            throw Errors.posixFadvise(-rc, file, offset, len, advice);
        }
    }

    /** The kernel's own checks on a fallocate range, made here so that no system call is wasted on them. */
    public static void requireRange(long offset, long len) {
        requireNonNegative("offset", offset);
        if (len <= 0) {
            throw new IllegalArgumentException("len must be > 0, was " + len);
        }
        requireNoOverflow(offset, len);
    }

    /**
     * The kernel's only check on a posix_fadvise range: a negative length is EINVAL. A negative offset,
     * or an offset+len past 2^63-1, it accepts (the range then reaches the end of the file), and so
     * does this. len 0 means "to the end of the file".
     */
    private static void requireFadviseRange(long offset, long len) {
        requireNonNegative("len", len);
    }

    private static void requireNonNegative(String name, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must be >= 0, was " + value);
        }
    }

    private static void requireNoOverflow(long offset, long len) {
        if (offset > Long.MAX_VALUE - len) {
            throw new IllegalArgumentException("offset+len overflows a 64-bit file offset: offset=" + offset + ", len=" + len);
        }
    }
}
