package io.github.fallocate4j;

/**
 * How much of a range of a file is in the page cache: what posix_fadvise {@code WILLNEED} brings in
 * and {@code DONTNEED} drops, what reads cache and writes dirty. Counted by cachestat(2) on Linux 6.5
 * and later, which also counts the dirty, writeback and evicted pages; on older kernels by mmap(2) and
 * mincore(2), which count only the cached pages: the other counts are then {@link #UNKNOWN}.
 *
 * @param pageSize             the page size in bytes
 * @param pages                pages in the range (partly covered pages count)
 * @param residentPages        of those, the pages in the page cache (cachestat's {@code nr_cache}, which
 *                             counts a page from the moment a read of it starts; mincore only once it has
 *                             been read)
 * @param dirtyPages           of the cached pages, those modified and not yet written back ({@code nr_dirty}),
 *                             or {@link #UNKNOWN}
 * @param writebackPages       of the cached pages, those being written back now ({@code nr_writeback}), or
 *                             {@link #UNKNOWN}
 * @param evictedPages         pages of the range that were cached and have been evicted since the file was
 *                             opened by anyone ({@code nr_evicted}; on tmpfs, pages swapped out), or {@link #UNKNOWN}
 * @param recentlyEvictedPages of the evicted pages, those evicted recently enough that reading them again
 *                             would count as thrashing ({@code nr_recently_evicted}), or {@link #UNKNOWN}
 * @since 0.1.0
 */
public record Residency(long pageSize, long pages, long residentPages, long dirtyPages, long writebackPages,
                        long evictedPages, long recentlyEvictedPages) {
    /** The value of a count mincore(2) cannot give: -1. */
    public static final long UNKNOWN = -1;

    /**
     * A residency counted by mincore(2), which knows only which pages are cached: the dirty, writeback
     * and evicted counts are {@link #UNKNOWN}.
     *
     * @param pageSize      the page size in bytes
     * @param pages         pages in the range
     * @param residentPages of those, the pages in the page cache
     */
    public Residency(long pageSize, long pages, long residentPages) {
        this(pageSize, pages, residentPages, UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN);
    }

    /**
     * The bytes of the range in the page cache, counted in whole pages.
     *
     * @return {@code residentPages * pageSize}
     */
    public long residentBytes() {
        return residentPages * pageSize;
    }

    /**
     * Whether the dirty, writeback and evicted counts are known: true when cachestat(2) counted them.
     *
     * @return {@code dirtyPages() != UNKNOWN}
     */
    public boolean hasCachestatCounts() {
        return dirtyPages != UNKNOWN;
    }
}
