package io.github.fallocate4j.internal;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The runs of zero blocks in one chunk a dig has read, as offsets from the chunk's start: found by
 * whichever thread read the chunk ({@link HoleDigger} or {@link ScanAhead}), taken up by the digger in
 * file order.
 */
final class ZeroBlocks {
    /** The bytes read into the chunk (the file may end inside it). */
    private long length;
    /** start, end pairs; block-aligned but for an end at {@link #length}. */
    private long[] bounds = new long[64];
    private int count;

    /**
     * Finds the runs of zero blocks in the first {@code length} bytes of {@code buffer}, which starts on a
     * block boundary; a partial last block counts when it is zero. A block whose first eight bytes are
     * not all zero is data, with nothing more read (nearly every data block ends there); otherwise one
     * vectorised comparison with {@code zeros} (a whole number of blocks long) runs to the first non-zero
     * byte, however many zero blocks that spans, so a zero chunk costs a call per length of {@code zeros}.
     */
    void find(ByteBuffer buffer, ByteBuffer zeros, long length, long blockSize) {
        this.length = length;
        count = 0;
        long b = 0;
        while (b < length) {
            if (length - b >= Long.BYTES && buffer.getLong((int) b) != 0) {
                b += blockSize;
                continue;
            }
            int rest = (int) Math.min(length - b, zeros.capacity()); // a whole number of blocks, or up to the end
            long mismatch = buffer.slice((int) b, rest).mismatch(zeros.slice(0, rest));
            long zeroEnd = mismatch < 0 ? b + rest : b + mismatch / blockSize * blockSize;
            if (zeroEnd > b) {
                add(b, zeroEnd);
            }
            b = mismatch < 0 ? zeroEnd : zeroEnd + blockSize; // else past the block holding the non-zero byte
        }
    }

    private void add(long start, long end) {
        if (count > 0 && bounds[2 * count - 1] == start) {
            bounds[2 * count - 1] = end; // zeros compared a piece at a time
            return;
        }
        if (2 * count == bounds.length) {
            bounds = Arrays.copyOf(bounds, 2 * bounds.length);
        }
        bounds[2 * count] = start;
        bounds[2 * count + 1] = end;
        count++;
    }

    long length() {
        return length;
    }

    int runs() {
        return count;
    }

    long start(int run) {
        return bounds[2 * run];
    }

    long end(int run) {
        return bounds[2 * run + 1];
    }
}
