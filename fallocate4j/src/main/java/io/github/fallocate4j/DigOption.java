package io.github.fallocate4j;

/**
 * Options for {@link SparseFiles#digHoles(java.nio.file.Path, long, long, DigListener, DigOption...)}.
 *
 * @since 0.1.0
 */
public enum DigOption {
    /** Find the runs of zero blocks but punch nothing: the file is not changed (fallocate --report-holes). */
    DRY_RUN
}
