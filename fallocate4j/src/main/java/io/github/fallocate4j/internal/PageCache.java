package io.github.fallocate4j.internal;

import io.github.fallocate4j.Errno;
import io.github.fallocate4j.FileSpaceException;
import io.github.fallocate4j.Residency;
import java.nio.ByteBuffer;

/**
 * Which pages of a file are in the page cache. cachestat(2) (Linux 6.5) counts them, with the dirty,
 * writeback and evicted ones, in one call. On an older kernel, mmap(2) a window, mincore(2), munmap(2),
 * window after window, so that memory use stays bounded (one byte per page of a 1 GiB window) whatever
 * the file size; but only where mincore tells the truth ({@link CacheVisibility}). Where neither can
 * answer truthfully, the answer is an exception, never a guess.
 *
 * <p>{@code -Dfallocate4j.cachestat=false} skips cachestat, as on a kernel before 6.5 (for tests, and
 * for comparing the two).
 */
public final class PageCache {
    private static final long WINDOW = 1L << 30;
    private static final int ENOSYS = Errno.ENOSYS.number();
    /** Cleared at the first ENOSYS: the kernel has no cachestat. */
    private static volatile boolean cachestat = !"false".equals(System.getProperty("fallocate4j.cachestat"));

    private PageCache() {}

    /** Whether cachestat(2) is to be tried: not after it answered ENOSYS, nor with {@code -Dfallocate4j.cachestat=false}. */
    static boolean cachestatAvailable() {
        return cachestat;
    }

    /** The residency of {@code [offset, offset+len)}, clipped to the file size; pages partly in the range count. */
    public static Residency residency(OpenFile file, long offset, long len) throws FileSpaceException {
        Pages range = Pages.of(file, offset, len);
        if (range.count() == 0) {
            return new Residency(range.size(), 0, 0, 0, 0, 0, 0);
        }
        if (cachestat) {
            try {
                LibC.PageCounts counts = LibC.cachestat(file.fd(), range.first(), range.length());
                return new Residency(range.size(), range.count(), counts.cached(), counts.dirty(), counts.writeback(),
                        counts.evicted(), counts.recentlyEvicted());
            } catch (LibC.NativeException e) {
                if (e.errno() == ENOSYS) {
                    cachestat = false;
                } else if (e.errno() == Errno.EPERM.number()) {
                    throw Errors.pageCacheHidden(file, "cachestat", range.first(), range.length(), null);
                } else if (e.errno() != Errno.EOPNOTSUPP.number()) { // hugetlbfs: mincore answers
                    throw Errors.residency(e.errno(), file, "cachestat", range.first(), range.length());
                }
            }
        }
        return mincore(file, range);
    }

    /**
     * The residency of the range from mmap and mincore alone, as on a kernel without cachestat: the
     * cached pages only, and an exception where mincore would not tell the truth.
     */
    public static Residency mincoreResidency(OpenFile file, long offset, long len) throws FileSpaceException {
        Pages range = Pages.of(file, offset, len);
        return range.count() == 0 ? new Residency(range.size(), 0, 0) : mincore(file, range);
    }

    /** The pages {@code [first, end)} of a range clipped to the file size, {@code count} of {@code size} bytes. */
    private record Pages(long size, long first, long end, long count) {
        static Pages of(OpenFile file, long offset, long len) throws FileSpaceException {
            long page = LibC.pageSize();
            long end = Math.min(FileStats.of(file).size(), Offsets.end(offset, len));
            long first = offset / page * page;
            return new Pages(page, first, end, first >= end ? 0 : (end - first - 1) / page + 1);
        }

        long length() {
            return end - first;
        }
    }

    private static Residency mincore(OpenFile file, Pages range) throws FileSpaceException {
        String hidden;
        try {
            hidden = CacheVisibility.whyMincoreHides(file);
        } catch (LibC.NativeException e) {
            throw Errors.of(e.errno(), file, "statx");
        }
        if (hidden != null) {
            throw Errors.pageCacheHidden(file, "mincore", range.first(), range.length(), hidden);
        }
        return new Residency(range.size(), range.count(), residentPages(file, range.first(), range.end(), range.size()));
    }

    private static long residentPages(OpenFile file, long first, long end, long page) throws FileSpaceException {
        long resident = 0;
        ByteBuffer vector = LibC.allocate((int) (WINDOW / page));
        for (long at = first, length; at < end; at += length) {
            length = Math.min(WINDOW, end - at);
            int rc = LibC.residentPages(file.fd(), at, length, vector);
            if (rc < 0) {
                throw Errors.residency(-rc, file, "mmap+mincore", at, length);
            }
            int count = (int) ((length + page - 1) / page);
            for (int i = 0; i < count; i++) {
                resident += vector.get(i) & 1;
            }
        }
        return resident;
    }
}
