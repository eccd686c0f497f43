package io.github.fallocate4j;

/**
 * A stretch of a file that is all data or all hole, as lseek(2) {@code SEEK_DATA}/{@code SEEK_HOLE}
 * report it. ext4 and xfs report preallocated extents that were never written as holes, although
 * they are allocated ({@link SparseFiles#allocatedBytes} counts them); a filesystem without hole
 * support reports the whole file as data.
 *
 * @param kind   data or hole
 * @param offset first byte
 * @param length number of bytes, {@code > 0}
 * @since 0.1.0
 */
public record Region(Kind kind, long offset, long length) {
    /** What a region holds. */
    public enum Kind {
        /** Bytes the filesystem stores (or has allocated). */
        DATA,
        /** Bytes that are not allocated and read as zeros. */
        HOLE
    }

    /**
     * The byte after the region.
     *
     * @return {@code offset + length}
     */
    public long end() {
        return offset + length;
    }

    /**
     * Whether the region is a hole.
     *
     * @return true for {@link Kind#HOLE}
     */
    public boolean isHole() {
        return kind == Kind.HOLE;
    }
}
