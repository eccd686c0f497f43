package io.github.fallocate4j;

/**
 * The kernel answered {@code EOPNOTSUPP}: the filesystem holding the file does not implement the
 * requested fallocate mode, or the kernel rejects the combination of mode bits. On macOS also the
 * operations it has no counterpart for (fallocate modes, {@code posix_fadvise} and {@code madvise}
 * advice), refused before any call, with a message saying "macOS has no such operation". Callers
 * typically catch this to fall back, for example to writing zeros instead of {@code ZERO_RANGE}.
 * @since 0.1.0
 */
public class ModeNotSupportedException extends FileSpaceException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception; see {@link FileSpaceException#FileSpaceException}.
     *
     * @param file        the file's path or description; may be null
     * @param errno       the error number
     * @param operation   the call that failed
     * @param offset      the offset passed, or {@link #NONE}
     * @param length      the length passed, or {@link #NONE}
     * @param mode        the mode passed, or {@link #NONE}
     * @param modeName    the mode spelled out; may be null
     * @param explanation what the error means for this call; may be null
     */
    public ModeNotSupportedException(String file, int errno, String operation, long offset, long length,
                                     int mode, String modeName, String explanation) {
        super(file, errno, operation, offset, length, mode, modeName, explanation);
    }
}
