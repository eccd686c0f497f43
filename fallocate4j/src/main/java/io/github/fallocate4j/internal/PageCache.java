package io.github.fallocate4j.internal;

import io.github.fallocate4j.FileSpaceException;
import io.github.fallocate4j.Residency;
import java.nio.ByteBuffer;

/**
 * Which pages of a file are in the page cache: mmap(2) a window, mincore(2), munmap(2), window after
 * window, so that memory use stays bounded (one byte per page of a 1 GiB window) whatever the file size.
 */
public final class PageCache {
    private static final long WINDOW = 1L << 30;

    private PageCache() {}

    /** The residency of {@code [offset, offset+len)}, clipped to the file size; pages partly in the range count. */
    public static Residency residency(OpenFile file, long offset, long len) throws FileSpaceException {
        long size = FileStats.of(file).size();
        long page = LibC.pageSize();
        long end = Math.min(size, Offsets.end(offset, len));
        long first = offset / page * page;
        if (first >= end) {
            return new Residency(page, 0, 0);
        }
        long pages = (end - first - 1) / page + 1;
        long resident = 0;
        ByteBuffer vector = LibC.allocate((int) (WINDOW / page));
        for (long at = first, length; at < end; at += length) {
            length = Math.min(WINDOW, end - at);
            int rc = LibC.residentPages(file.fd(), at, length, vector);
            if (rc < 0) {
                throw Errors.residency(-rc, file, at, length);
            }
            int count = (int) ((length + page - 1) / page);
            for (int i = 0; i < count; i++) {
                resident += vector.get(i) & 1;
            }
        }
        return new Residency(page, pages, resident);
    }
}
