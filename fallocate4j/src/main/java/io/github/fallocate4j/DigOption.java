package io.github.fallocate4j;

/**
 * Options for {@link SparseFiles#digHoles(java.nio.file.Path, long, long, DigListener, DigOption...)}.
 *
 * @since 0.1.0
 */
public enum DigOption {
    /** Find the runs of zero blocks but punch nothing: the file is not changed (fallocate --report-holes). */
    DRY_RUN,

    /**
     * Hold a lock over the whole file for the whole dig: an open file description lock (fcntl(2)
     * {@code F_OFD_SETLKW}), a write lock, or a read lock for a {@link #DRY_RUN}, waiting first until no
     * conflicting lock is held. It is advisory: it keeps out only writers that lock what they write with
     * fcntl locks (POSIX record locks, OFD locks, lockf(3), Java's {@link java.nio.channels.FileChannel#lock}),
     * which then wait until the dig ends. Writers that take no lock, or only flock(2) locks (which Linux
     * keeps apart from fcntl locks), or write through a shared memory mapping are not stopped, and can
     * still lose writes. A lock this process holds through {@code FileChannel.lock} on the same file also
     * conflicts (OFD and POSIX locks always do): a dig of a {@code Path} waits for it, forever if the
     * digging thread holds it; a dig of a channel ends it before locking (closing its duplicate of the
     * channel's descriptor releases the process's POSIX locks on the file). Release it first.
     */
    LOCK
}
