package io.github.fallocate4j;

/**
 * The kernel answered {@code ENOSPC} (the device is full) or {@code EDQUOT} (the user's quota is
 * used up): the space asked for could not be reserved. The bytes already in the file are unchanged,
 * but some filesystems keep the part of the range they allocated before space ran out: ext4 does,
 * and without {@code KEEP_SIZE} it also moves the file size up over that part (which reads as zeros).
 */
public class NoSpaceException extends FileSpaceException {
    private static final long serialVersionUID = 1L;

    /** See {@link FileSpaceException#FileSpaceException}. */
    public NoSpaceException(String file, int errno, String operation, long offset, long length,
                            int mode, String modeName, String explanation) {
        super(file, errno, operation, offset, length, mode, modeName, explanation);
    }
}
