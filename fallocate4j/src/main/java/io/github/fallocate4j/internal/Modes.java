package io.github.fallocate4j.internal;

import static io.github.fallocate4j.Fallocate.FALLOC_FL_COLLAPSE_RANGE;
import static io.github.fallocate4j.Fallocate.FALLOC_FL_INSERT_RANGE;
import static io.github.fallocate4j.Fallocate.FALLOC_FL_KEEP_SIZE;
import static io.github.fallocate4j.Fallocate.FALLOC_FL_NO_HIDE_STALE;
import static io.github.fallocate4j.Fallocate.FALLOC_FL_PUNCH_HOLE;
import static io.github.fallocate4j.Fallocate.FALLOC_FL_UNSHARE_RANGE;
import static io.github.fallocate4j.Fallocate.FALLOC_FL_WRITE_ZEROES;
import static io.github.fallocate4j.Fallocate.FALLOC_FL_ZERO_RANGE;
import static io.github.fallocate4j.Fallocate.POSIX_FADV_NOREUSE;
import static io.github.fallocate4j.Fallocate.POSIX_FADV_NORMAL;
import static io.github.fallocate4j.Fallocate.POSIX_FADV_RANDOM;
import static io.github.fallocate4j.Fallocate.POSIX_FADV_SEQUENTIAL;

import java.util.Optional;

/**
 * Names for fallocate mode bits and posix_fadvise advice, and the kernel's rules for combining modes. The
 * values themselves are declared once, as {@link io.github.fallocate4j.Fallocate}'s public constants.
 */
public final class Modes {

    private static final String[] FLAG_NAMES = {
        "KEEP_SIZE", "PUNCH_HOLE", "NO_HIDE_STALE", "COLLAPSE_RANGE",
        "ZERO_RANGE", "INSERT_RANGE", "UNSHARE_RANGE", "WRITE_ZEROES",
    };
    private static final String[] ADVICE_NAMES = {
        "POSIX_FADV_NORMAL", "POSIX_FADV_RANDOM", "POSIX_FADV_SEQUENTIAL",
        "POSIX_FADV_WILLNEED", "POSIX_FADV_DONTNEED", "POSIX_FADV_NOREUSE",
    };
    private static final int OPERATION_BITS =
            FALLOC_FL_PUNCH_HOLE | FALLOC_FL_COLLAPSE_RANGE | FALLOC_FL_ZERO_RANGE | FALLOC_FL_INSERT_RANGE
            | FALLOC_FL_UNSHARE_RANGE | FALLOC_FL_WRITE_ZEROES;

    private Modes() {}

    /** {@code "PUNCH_HOLE|KEEP_SIZE"}; mode 0 is {@code "ALLOCATE_RANGE"}; unknown bits as hex. */
    public static String fallocateName(int mode) {
        if (mode == 0) {
            return "ALLOCATE_RANGE";
        }
        StringBuilder sb = new StringBuilder();
        // Operation first, then modifiers, as people write them.
        for (int bit : new int[] {FALLOC_FL_PUNCH_HOLE, FALLOC_FL_COLLAPSE_RANGE, FALLOC_FL_ZERO_RANGE,
                                  FALLOC_FL_INSERT_RANGE, FALLOC_FL_UNSHARE_RANGE, FALLOC_FL_WRITE_ZEROES,
                                  FALLOC_FL_KEEP_SIZE, FALLOC_FL_NO_HIDE_STALE}) {
            if ((mode & bit) != 0) {
                sb.append(sb.isEmpty() ? "" : "|").append(FLAG_NAMES[Integer.numberOfTrailingZeros(bit)]);
            }
        }
        int unknown = mode & ~0xff;
        if (unknown != 0) {
            sb.append(sb.isEmpty() ? "" : "|").append("0x").append(Integer.toHexString(unknown));
        }
        return sb.toString();
    }

    /** {@code "POSIX_FADV_DONTNEED"}, or {@code "advice 9"} for a value outside 0..5. */
    public static String adviceName(int advice) {
        return advice >= 0 && advice < ADVICE_NAMES.length ? ADVICE_NAMES[advice] : "advice " + advice;
    }

    /**
     * Whether the advice is a property of the open file description (its read-ahead mode, or
     * FMODE_NOREUSE), which ends when that descriptor is closed, rather than an action on the page
     * cache (WILLNEED, DONTNEED) that outlasts it.
     */
    public static boolean isPerDescriptorAdvice(int advice) {
        return advice == POSIX_FADV_NORMAL || advice == POSIX_FADV_RANDOM || advice == POSIX_FADV_SEQUENTIAL
                || advice == POSIX_FADV_NOREUSE;
    }

    /**
     * Why the kernel's VFS layer (vfs_fallocate) rejects this combination with EOPNOTSUPP before any
     * filesystem sees it, or empty when the combination is valid and only the filesystem can refuse.
     */
    public static Optional<String> combinationProblem(int mode) {
        if ((mode & ~0xff) != 0) {
            return Optional.of("0x" + Integer.toHexString(mode & ~0xff) + " is not a fallocate mode bit this library knows");
        }
        if ((mode & FALLOC_FL_NO_HIDE_STALE) != 0) {
            return Optional.of("NO_HIDE_STALE is reserved and accepted by no Linux filesystem");
        }
        int operation = mode & OPERATION_BITS;
        if (Integer.bitCount(operation) > 1) {
            return Optional.of("at most one of PUNCH_HOLE, COLLAPSE_RANGE, ZERO_RANGE, INSERT_RANGE, "
                    + "UNSHARE_RANGE and WRITE_ZEROES may be given");
        }
        boolean keepSize = (mode & FALLOC_FL_KEEP_SIZE) != 0;
        if (operation == FALLOC_FL_PUNCH_HOLE && !keepSize) {
            return Optional.of("PUNCH_HOLE must be combined with KEEP_SIZE");
        }
        if ((operation == FALLOC_FL_COLLAPSE_RANGE || operation == FALLOC_FL_INSERT_RANGE || operation == FALLOC_FL_WRITE_ZEROES) && keepSize) {
            return Optional.of(FLAG_NAMES[Integer.numberOfTrailingZeros(operation)] + " cannot be combined with KEEP_SIZE");
        }
        return Optional.empty();
    }
}
