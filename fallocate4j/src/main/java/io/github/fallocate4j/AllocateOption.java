package io.github.fallocate4j;

/**
 * Options for the {@link FileSpace} calls that may grow a file.
 *
 * @since 0.1.0
 */
public enum AllocateOption {
    /**
     * Leave the file size as it is, even when the range passes the end of the file
     * ({@code FALLOC_FL_KEEP_SIZE}). Space beyond the end is reserved for later appends.
     */
    KEEP_SIZE
}
