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

    /** The residency of {@code [offset, offset+len)}, clipped to the file size; pages partly in the range count. */
    public static Residency residency(OpenFile file, long offset, long len) throws FileSpaceException {
        long size = FileStats.of(file).size();
        long page = LibC.pageSize();
        long end = Math.min(size, Offsets.end(offset, len));
        long first = offset / page * page;
        if (first >= end) {
            return new Residency(page, 0, 0, 0, 0, 0, 0);
        }
        long pages = (end - first - 1) / page + 1;
        if (cachestat) {
            try {
                LibC.PageCounts counts = LibC.cachestat(file.fd(), first, end - first);
                return new Residency(page, pages, counts.cached(), counts.dirty(), counts.writeback(), counts.evicted(),
                        counts.recentlyEvicted());
            } catch (LibC.NativeException e) {
                if (e.errno() == ENOSYS) {
                    cachestat = false;
                } else if (e.errno() == Errno.EPERM.number()) {
                    throw Errors.pageCacheHidden(file, "cachestat", first, end - first, null);
                } else if (e.errno() != Errno.EOPNOTSUPP.number()) { // hugetlbfs: mincore answers
                    throw Errors.residency(e.errno(), file, "cachestat", first, end - first);
                }
            }
        }
        String hidden;
        try {
            hidden = CacheVisibility.whyMincoreHides(file);
        } catch (LibC.NativeException e) {
            throw Errors.of(e.errno(), file, "statx");
        }
        if (hidden != null) {
            throw Errors.pageCacheHidden(file, "mincore", first, end - first, hidden);
        }
        return new Residency(page, pages, residentPages(file, first, end, page));
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
