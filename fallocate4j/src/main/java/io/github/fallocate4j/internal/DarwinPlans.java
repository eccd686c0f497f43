package io.github.fallocate4j.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * What the macOS emulation of fallocate(2) does to a file, decided before it does anything: a pure
 * function of the file's size, its allocated bytes (st_blocks * 512), the filesystem's block size and
 * its hole map, so that every decision is tested on any machine (DarwinPlansTest). {@link DarwinBackend}
 * reads those facts and carries a plan out with F_PREALLOCATE, pwrite, ftruncate and F_PUNCHHOLE.
 *
 * <p>The rules, each against a bug found in other implementations:
 * <ul>
 * <li>F_PREALLOCATE is asked only in end-of-file mode, whose offset must be 0 (the Python package
 *     passes the caller's offset, which XNU rejects with EINVAL), and only for the bytes of the range
 *     past the end of the file that space already reserved there does not cover: never more than the
 *     range asks.
 * <li>The size changes only to grow to offset+len, in mode 0; never to shrink (the Python package and
 *     rustix call ftruncate(offset+len) unconditionally, cutting a larger file short).
 * <li>F_PREALLOCATE cannot fill holes inside the file: the holes of the range are written with zeros,
 *     so that, as after fallocate(2) on Linux, writing into the range cannot fail for want of space.
 * <li>F_PUNCHHOLE takes whole blocks: the blocks wholly inside the range are punched, and zeros are
 *     written over the partial blocks at its edges, only where they hold data and only below the end of
 *     the file (a write past it would grow the file).
 * </ul>
 */
final class DarwinPlans {
    private DarwinPlans() {}

    /** The bytes {@code [start, end)}. */
    record Span(long start, long end) {
        Span {
            if (start < 0 || end < start) {
                throw new IllegalArgumentException("bad span [" + start + ", " + end + ")");
            }
        }

        long length() {
            return end - start;
        }
    }

    /**
     * What a file is now: size, allocated bytes, block size, and its holes below {@code size}, in order
     * (for a punch, those of the range are enough: nothing else is looked at).
     */
    record FileFacts(long size, long allocatedBytes, long blockSize, List<Span> holes) {
        FileFacts {
            holes = List.copyOf(holes);
            if (size < 0 || allocatedBytes < 0 || blockSize <= 0) {
                throw new IllegalArgumentException("bad facts: size " + size + ", allocated " + allocatedBytes
                        + ", block size " + blockSize);
            }
        }

        /** The data spans below the size: the complement of the holes. */
        List<Span> data() {
            List<Span> data = new ArrayList<>();
            long at = 0;
            for (Span hole : holes) {
                if (hole.start() > at) {
                    data.add(new Span(at, hole.start()));
                }
                at = Math.max(at, hole.end());
            }
            if (at < size) {
                data.add(new Span(at, size));
            }
            return data;
        }

        /**
         * Bytes allocated past the end of the file (by an earlier KEEP_SIZE allocation): st_blocks less the
         * whole blocks the data below the size occupies. An estimate: metadata a filesystem counts in
         * st_blocks looks like reserved space here, which can only make the plan ask for less.
         */
        long reservedPastEnd() {
            long inFile = 0;
            for (Span span : data()) {
                inFile += Offsets.roundUp(span.end(), blockSize) - roundDown(span.start(), blockSize);
            }
            return Math.max(0, allocatedBytes - inFile);
        }
    }

    /**
     * An allocation: F_PREALLOCATE of {@code preallocate} bytes in end-of-file mode (offset 0; none when
     * 0), zeros written over {@code zeroFills}, then ftruncate to {@code truncateTo} (none when -1).
     */
    record Allocation(long preallocate, List<Span> zeroFills, long truncateTo) {
        Allocation {
            zeroFills = List.copyOf(zeroFills);
        }
    }

    /** A hole punch: F_PUNCHHOLE of {@code punch} (none when empty), zeros written over {@code zeroWrites}. */
    record Punch(Span punch, List<Span> zeroWrites) {
        Punch {
            zeroWrites = List.copyOf(zeroWrites);
        }
    }

    /** fallocate mode 0 ({@code keepSize} false) or KEEP_SIZE, and posix_fallocate (as mode 0), of {@code [offset, offset+len)}. */
    static Allocation allocate(FileFacts file, long offset, long len, boolean keepSize) {
        long end = Offsets.end(offset, len);
        List<Span> zeroFills = clip(file.holes(), offset, Math.min(end, file.size()));
        long pastEnd = Math.max(0, end - Math.max(offset, file.size()));
        long preallocate = Math.max(0, pastEnd - file.reservedPastEnd());
        long truncateTo = !keepSize && end > file.size() ? end : -1;
        return new Allocation(preallocate, zeroFills, truncateTo);
    }

    /** fallocate PUNCH_HOLE|KEEP_SIZE of {@code [offset, offset+len)}: the size never changes. */
    static Punch punchHole(FileFacts file, long offset, long len) {
        long end = Math.min(Offsets.end(offset, len), file.size());
        if (offset >= end) {
            return new Punch(new Span(0, 0), List.of());
        }
        long first = Offsets.roundUp(offset, file.blockSize());
        long last = roundDown(end, file.blockSize());
        List<Span> edges = new ArrayList<>();
        Span punch;
        if (first < last) {
            punch = new Span(first, last);
            edges.add(new Span(offset, first));
            edges.add(new Span(last, end));
        } else {
            punch = new Span(0, 0);
            edges.add(new Span(offset, end));
        }
        List<Span> zeroWrites = new ArrayList<>();
        for (Span edge : edges) {
            zeroWrites.addAll(clip(file.data(), edge.start(), edge.end()));
        }
        return new Punch(punch, zeroWrites);
    }

    /** The parts of {@code spans} (in order) inside {@code [start, end)}. */
    static List<Span> clip(List<Span> spans, long start, long end) {
        List<Span> inside = new ArrayList<>();
        for (Span span : spans) {
            long from = Math.max(span.start(), start);
            long to = Math.min(span.end(), end);
            if (from < to) {
                inside.add(new Span(from, to));
            }
        }
        return inside;
    }

    static long roundDown(long value, long unit) {
        return value - value % unit;
    }

    /**
     * F_RDADVISE's chunks for {@code [offset, end)}: its count is an int, so a range of more than
     * 2^31-1 bytes takes several calls. Each element is {offset, count}.
     */
    static List<long[]> readAdviceChunks(long offset, long end) {
        List<long[]> chunks = new ArrayList<>();
        for (long at = offset; at < end; ) {
            long count = Math.min(Integer.MAX_VALUE, end - at);
            chunks.add(new long[] {at, count});
            at += count;
        }
        return chunks;
    }
}
