package io.github.fallocate4j.internal;

/**
 * Arithmetic on file offsets that stops at 2^63-1, the largest offset there is (xfs and btrfs allow a
 * file that large), instead of wrapping to a negative number.
 */
final class Offsets {
    private Offsets() {}

    /** {@code offset + len}, or {@link Long#MAX_VALUE} when that is past it; both arguments {@code >= 0}. */
    static long end(long offset, long len) {
        return offset > Long.MAX_VALUE - len ? Long.MAX_VALUE : offset + len;
    }

    /** {@code value} rounded up to a multiple of {@code unit}, or {@link Long#MAX_VALUE} when that is past it. */
    static long roundUp(long value, long unit) {
        long rest = value % unit;
        return rest == 0 ? value : end(value - rest, unit);
    }
}
