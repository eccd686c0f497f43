package io.github.fallocate4j;

/**
 * How much of a range of a file is in the page cache, from mincore(2): what posix_fadvise
 * {@code WILLNEED} brings in and {@code DONTNEED} drops.
 *
 * @param pageSize      the page size in bytes
 * @param pages         pages in the range (partly covered pages count)
 * @param residentPages of those, the pages in the page cache
 * @since 0.1.0
 */
public record Residency(long pageSize, long pages, long residentPages) {
    /**
     * The bytes of the range in the page cache, counted in whole pages.
     *
     * @return {@code residentPages * pageSize}
     */
    public long residentBytes() {
        return residentPages * pageSize;
    }
}
