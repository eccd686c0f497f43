package io.github.fallocate4j.internal;

import io.github.fallocate4j.FileSpaceException;
import java.util.ArrayDeque;

/**
 * Which parts of a file a dig is about to read were already in the page cache, so that the dig drops
 * only the pages it brought in and leaves the file's cache as it found it (util-linux drops every page
 * it read, cached before or not).
 *
 * <p>Each 1 MiB step is looked at with cachestat(2) {@link #AHEAD} bytes before the reader gets there,
 * farther than the kernel's read-ahead reaches, so the pages the dig's own reads bring in are not taken
 * for the user's. A step partly cached is looked at again in halves, down to pages ({@link #SPLITS}), so
 * that the pages cached before the dig stay cached and only the others are dropped. Without cachestat
 * (Linux before 6.5, macOS) or where it is refused, nothing counts as cached and every page read is
 * dropped, as util-linux does.
 */
final class CacheLookahead {
    /** How far ahead of the reader steps are looked at; read-ahead reaches a few MiB at most. */
    static final long AHEAD = 64L << 20;
    private static final long STEP = 1L << 20;
    /**
     * How many partly cached pieces of a step are split in two to be looked at again: a step whose cached
     * pages form a few stretches (a reader's read-ahead windows, a mapping's fault-around) is told apart page
     * by page in about 8 looks per edge; one cached every other page would take 511, and stops at this.
     */
    private static final int SPLITS = 64;

    private final OpenFile file;
    private final long end;
    private final long page = LibC.pageSize();
    /** The cached stretches looked at and not yet passed, in order, as {start, end} pairs. */
    private final ArrayDeque<long[]> cached = new ArrayDeque<>();
    /** Likewise the stretches none of whose pages was cached. */
    private final ArrayDeque<long[]> empty = new ArrayDeque<>();
    private long lookedTo;
    private boolean available;

    /** @param end where the file (or the dig's range) ends: no step is looked at past it */
    CacheLookahead(OpenFile file, long end) {
        this.file = file;
        this.end = end;
        this.available = PageCache.cachestatAvailable();
    }

    /**
     * Looks at the steps from {@code at} to {@code AHEAD} past it not looked at yet; {@code at} is where the
     * reader is about to read. A reader that skipped a hole continues from the far side of it.
     */
    void lookAhead(long at) {
        if (!available) {
            return;
        }
        lookedTo = Math.max(lookedTo, at / STEP * STEP);
        long to = at + Math.min(AHEAD, end - at);
        while (lookedTo < to) {
            long stepEnd = lookedTo + Math.min(STEP, end - lookedTo);
            try {
                look(lookedTo, stepEnd, new int[] {SPLITS});
            } catch (LibC.NativeException e) {
                available = false; // ENOSYS, or the cache is hidden from us: drop all, as util-linux
                cached.clear();
                empty.clear();
                return;
            }
            lookedTo = stepEnd;
        }
    }

    /**
     * Looks at {@code [from, to)}: wholly cached, or not cached at all, it is noted as such; partly cached, its
     * halves are looked at in turn, down to single pages, while {@code splits} lasts; what is left partly
     * cached is neither, and is dropped after the read as util-linux drops it.
     */
    private void look(long from, long to, int[] splits) throws LibC.NativeException {
        long pages = (to - from + page - 1) / page;
        long counted = LibC.cachestat(file.fd(), from, to - from).cached();
        if (counted >= pages) {
            add(cached, from, to);
        } else if (counted == 0) {
            add(empty, from, to);
        } else if (pages > 1 && splits[0] > 0) {
            splits[0]--;
            long middle = from + pages / 2 * page;
            look(from, middle, splits);
            look(middle, to, splits);
        }
    }

    private static void add(ArrayDeque<long[]> stretches, long start, long end) {
        long[] last = stretches.peekLast();
        if (last != null && last[1] == start) {
            last[1] = end;
        } else {
            stretches.addLast(new long[] {start, end});
        }
    }

    /**
     * Whether none of the pages of {@code [from, to)} was cached when looked at (false where not looked
     * at, or without cachestat); stretches before {@code from} are forgotten.
     */
    boolean noneCached(long from, long to) {
        while (!empty.isEmpty() && empty.peekFirst()[1] <= from) {
            empty.removeFirst();
        }
        long[] first = empty.peekFirst();
        return first != null && first[0] <= from && first[1] >= to;
    }

    /**
     * Where the stretch of steps from {@code from} on, every page of which was cached when looked at, ends:
     * {@code from} itself where its step was not (or not looked at, or without cachestat). Forgets
     * nothing, so it may look past where the reader is.
     */
    long cachedUpTo(long from) {
        for (long[] stretch : cached) {
            if (stretch[0] > from) {
                break;
            }
            if (stretch[1] > from) {
                return stretch[1];
            }
        }
        return from;
    }

    /** What to do with a stretch that was not cached before the dig read it. */
    interface Uncached {
        void drop(long offset, long length) throws FileSpaceException;
    }

    /**
     * Hands each stretch of {@code [from, to)} that was not cached before the dig to {@code drop};
     * stretches before {@code from} are forgotten, so the reader must ask in order.
     */
    void forEachUncached(long from, long to, Uncached drop) throws FileSpaceException {
        while (!cached.isEmpty() && cached.peekFirst()[1] <= from) {
            cached.removeFirst();
        }
        long at = from;
        for (long[] stretch : cached) {
            if (stretch[0] >= to) {
                break;
            }
            if (stretch[0] > at) {
                drop.drop(at, stretch[0] - at);
            }
            at = Math.max(at, stretch[1]);
            if (at >= to) {
                return;
            }
        }
        if (at < to) {
            drop.drop(at, to - at);
        }
    }
}
