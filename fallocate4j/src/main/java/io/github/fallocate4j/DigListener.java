package io.github.fallocate4j;

/**
 * Told what {@link SparseFiles#digHoles(java.nio.file.Path, long, long, DigListener, DigOption...)}
 * does as it goes, for verbose output and progress bars. Both methods do nothing by default.
 */
public interface DigListener {
    /** Hears nothing. */
    DigListener NONE = new DigListener() { };

    /**
     * A run of zero blocks was found, and punched unless {@link DigOption#DRY_RUN} was given.
     *
     * @param offset first byte of the run
     * @param length bytes in the run (the file's last block counts only up to the end of the file)
     */
    default void zeroRun(long offset, long length) { }

    /**
     * The range has been examined up to {@code offset}; called after each chunk read.
     *
     * @param offset the first byte not yet examined
     */
    default void progress(long offset) { }
}
