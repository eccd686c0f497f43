package io.github.fallocate4j;

/**
 * What {@link Reservations#reserve} and {@link ReservingChannel} do when the filesystem cannot allocate
 * space (fallocate(2) answers EOPNOTSUPP: ext2, ext3, vfat, NFS before 4.2 and others). The library's
 * calls never emulate unless asked; glibc's posix_fallocate(3) does so silently (and fails with EBADF
 * on append-only or write-only descriptors).
 */
public enum ReservePolicy {
    /** Throw the {@link ModeNotSupportedException}: nothing is reserved and nothing changes. The default. */
    FAIL,
    /**
     * Write zeros into the holes of the range, which allocates them as written blocks (slow: every byte
     * is written), reporting progress to a {@link ReserveListener}; an interrupt stops it between
     * chunks. Result: {@link ReserveOutcome#EMULATED}. Zeros cannot be written past the end of a file
     * without moving the end, so a {@link ReservingChannel} refuses this policy.
     */
    EMULATE,
    /**
     * Go on without a reservation: the file stays sparse and later writes may still fail for lack of
     * space. Result: {@link ReserveOutcome#NO_GUARANTEE}.
     */
    ACCEPT_SPARSE
}
