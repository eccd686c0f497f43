package io.github.fallocate4j;

/**
 * Told what {@link SparseFiles#digHoles(java.nio.file.Path, long, long, DigListener, DigOption...)}
 * does as it goes, for verbose output and progress bars. Both methods do nothing by default.
 * @since 0.1.0
 */
public interface DigListener {
    /** Hears nothing. */
    DigListener NONE = new DigListener() { };

    /**
     * A run of zero blocks was found. Unless {@link DigOption#DRY_RUN} was given it is punched, on a
     * range over 2 MiB by a second thread that may still be at it when this is called; every run has
     * been punched by the time {@code digHoles} returns. Called on the thread that called
     * {@code digHoles}, in file order.
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
