package io.github.fallocate4j;

/**
 * The kernel answered {@code ENOSPC} (the device is full) or {@code EDQUOT} (the user's quota is
 * used up): the space asked for could not be reserved. The bytes already in the file are unchanged,
 * but some filesystems keep the part of the range they allocated before space ran out: ext4 does,
 * and without {@code KEEP_SIZE} it also moves the file size up over that part (which reads as zeros).
 * @since 0.1.0
 */
public class NoSpaceException extends FileSpaceException {
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
    public NoSpaceException(String file, int errno, String operation, long offset, long length,
                            int mode, String modeName, String explanation) {
        super(file, errno, operation, offset, length, mode, modeName, explanation);
    }
}
