package io.github.fallocate4j;

/**
 * The kernel answered {@code EOPNOTSUPP}: the filesystem holding the file does not implement the
 * requested fallocate mode, or the kernel rejects the combination of mode bits. Callers typically
 * catch this to fall back, for example to writing zeros instead of {@code ZERO_RANGE}.
 */
public class ModeNotSupportedException extends FileSpaceException {
    private static final long serialVersionUID = 1L;

    /** See {@link FileSpaceException#FileSpaceException}. */
    public ModeNotSupportedException(String file, int errno, String operation, long offset, long length,
                                     int mode, String modeName, String explanation) {
        super(file, errno, operation, offset, length, mode, modeName, explanation);
    }
}
