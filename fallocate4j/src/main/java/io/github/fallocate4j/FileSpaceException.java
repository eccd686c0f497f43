package io.github.fallocate4j;

import java.nio.file.FileSystemException;

/**
 * A system call on a file failed. Carries what the kernel said (the errno number and its name) and
 * what was asked of it: the operation, the offset, the length and the mode (or advice), and the file.
 *
 * <p>{@link #getMessage()} reads like {@code /data/log: fallocate(mode=COLLAPSE_RANGE, offset=4096,
 * len=100) failed: EINVAL (Invalid argument): COLLAPSE_RANGE needs offset and len to be multiples
 * of the filesystem block size (4096 bytes) ...}.
 *
 * <p>Subclasses mark the two failures a caller most often handles:
 * {@link ModeNotSupportedException} and {@link NoSpaceException}.
 * @since 0.1.0
 */
public class FileSpaceException extends FileSystemException {
    private static final long serialVersionUID = 1L;

    /** Stands for "not applicable" in {@link #offset()}, {@link #length()} and {@link #mode()}. */
    public static final long NONE = -1;

    /** The error number. */
    private final int errno;
    /** The call that failed. */
    private final String operation;
    /** The offset passed, or NONE. */
    private final long offset;
    /** The length passed, or NONE. */
    private final long length;
    /** The mode or advice passed, or NONE. */
    private final int mode;
    /** The mode or advice spelled out, or null. */
    private final String modeName;

    /**
     * Creates an exception for a failed call.
     *
     * @param file        the file's path, {@code /proc/self/fd} target or a description such as {@code "fd 7"}; may be null
     * @param errno       the error number the kernel or C library reported
     * @param operation   the call that failed, such as {@code "fallocate"} or {@code "posix_fadvise"}
     * @param offset      the offset passed to the call, or {@link #NONE}
     * @param length      the length passed to the call, or {@link #NONE}
     * @param mode        the fallocate mode or the fadvise advice passed to the call, or {@link #NONE}
     * @param modeName    {@code mode} spelled out, such as {@code "PUNCH_HOLE|KEEP_SIZE"}; may be null
     * @param explanation what the error means for this call, in words; may be null
     */
    public FileSpaceException(String file, int errno, String operation, long offset, long length,
                              int mode, String modeName, String explanation) {
        super(file, null, reason(errno, operation, offset, length, modeName, explanation));
        this.errno = errno;
        this.operation = operation;
        this.offset = offset;
        this.length = length;
        this.mode = mode;
        this.modeName = modeName;
    }

    private static String reason(int errno, String operation, long offset, long length,
                                 String modeName, String explanation) {
        // An operation named with its request, ioctl(FS_IOC_FIEMAP), takes the arguments after it.
        boolean request = operation.endsWith(")");
        StringBuilder sb = request ? new StringBuilder(operation).deleteCharAt(operation.length() - 1)
                : new StringBuilder(operation).append('(');
        String sep = request ? ", " : "";
        if (modeName != null) {
            sb.append(operation.endsWith("advise") ? "advice=" : "mode=").append(modeName);
            sep = ", ";
        }
        if (offset != NONE) {
            sb.append(sep).append("offset=").append(offset);
            sep = ", ";
        }
        if (length != NONE) {
            sb.append(sep).append("len=").append(length);
        }
        sb.append(") failed: ").append(Errno.nameOf(errno));
        Errno.of(errno).ifPresent(e -> sb.append(" (").append(e.description()).append(')'));
        if (explanation != null) {
            sb.append(": ").append(explanation);
        }
        return sb.toString();
    }

    /**
     * The error number, as in errno(3).
     *
     * @return the errno value
     */
    public int errno() {
        return errno;
    }

    /**
     * The error's symbolic name, such as {@code "EOPNOTSUPP"}.
     *
     * @return the name, or {@code "errno N"} for a number without one
     */
    public String errnoName() {
        return Errno.nameOf(errno);
    }

    /**
     * The call that failed: {@code fallocate}, {@code posix_fallocate}, {@code posix_fadvise}, {@code open}, ...
     *
     * @return the call's name
     */
    public String operation() {
        return operation;
    }

    /**
     * The offset the call was given, or {@link #NONE}.
     *
     * @return the offset
     */
    public long offset() {
        return offset;
    }

    /**
     * The length the call was given, or {@link #NONE}.
     *
     * @return the length
     */
    public long length() {
        return length;
    }

    /**
     * The fallocate mode bits, or the posix_fadvise advice, the call was given; {@link #NONE} for other calls.
     *
     * @return the mode or advice
     */
    public int mode() {
        return mode;
    }

    /**
     * {@link #mode()} spelled out (for example {@code "PUNCH_HOLE|KEEP_SIZE"} or {@code "POSIX_FADV_DONTNEED"}), or null.
     *
     * @return the name, or null
     */
    public String modeName() {
        return modeName;
    }
}
