package io.github.fallocate4j;

/**
 * The advice {@link FileSpace#advise} passes to posix_fadvise(3), with the kernel's values. NORMAL,
 * RANDOM, SEQUENTIAL and NOREUSE set how reads through one open descriptor behave and end with it, so
 * they are given with a channel; WILLNEED and DONTNEED act on the page cache and also work on a Path.
 */
public enum Advice {
    /** No advice: the kernel's default read-ahead ({@code POSIX_FADV_NORMAL}). */
    NORMAL(Fallocate.POSIX_FADV_NORMAL),
    /** Access will be random: the kernel disables read-ahead ({@code POSIX_FADV_RANDOM}). */
    RANDOM(Fallocate.POSIX_FADV_RANDOM),
    /** Access will be sequential: the kernel doubles its read-ahead window ({@code POSIX_FADV_SEQUENTIAL}). */
    SEQUENTIAL(Fallocate.POSIX_FADV_SEQUENTIAL),
    /** The range will be needed soon: the kernel starts reading it into the page cache ({@code POSIX_FADV_WILLNEED}). */
    WILLNEED(Fallocate.POSIX_FADV_WILLNEED),
    /** The range will not be needed: the kernel writes back and drops its cached pages ({@code POSIX_FADV_DONTNEED}). */
    DONTNEED(Fallocate.POSIX_FADV_DONTNEED),
    /** The range will be accessed once ({@code POSIX_FADV_NOREUSE}; honoured since Linux 6.3). */
    NOREUSE(Fallocate.POSIX_FADV_NOREUSE);

    private final int value;

    Advice(int value) {
        this.value = value;
    }

    /**
     * The {@code POSIX_FADV_*} value passed to the kernel.
     *
     * @return the advice number, 0 to 5
     */
    public int value() {
        return value;
    }
}
