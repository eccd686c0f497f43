package io.github.fallocate4j.internal;

import io.github.fallocate4j.FileSpaceException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A write lease (fcntl(2) {@code F_SETLEASE F_WRLCK}) on a dig's own open file description: while it is
 * held, no one else has the file open, so nothing else can write to it, and whoever opens it (or truncates
 * it by name) waits in open(2) until the lease is given up, or fails with EWOULDBLOCK if it opens with
 * O_NONBLOCK. A run of zeros read while the lease was held, and punched while it still is, was read from a
 * file no one else could change: it needs neither {@link WriteWatch}'s proof nor a second read, so the dig
 * punches it on its second thread while it reads on.
 *
 * <p>The kernel grants the lease only when no other description of the file is open, in any process, this
 * one included (a caller's own channel to the file stops it), to the file's owner or a holder of
 * CAP_LEASE, where leases are enabled (/proc/sys/fs/leases-enable). It is asked for only on the local
 * filesystems whose every writer opens the file through this kernel ({@link #LOCAL}: ext2/3/4, xfs, btrfs,
 * tmpfs). Elsewhere the kernel may grant it (overlayfs and FUSE do, on Linux 6.18) while writes reach the
 * file without any open that breaks it: through an overlay's upper layer, which holds the very data the
 * overlay file shows; from a FUSE server's backing store or another of its clients (virtiofs' host, a
 * network filesystem over FUSE); from another client of a network filesystem. Without a lease the dig
 * proves each punch as it does without one.
 *
 * <p>When someone opens the file, the kernel starts breaking the lease, and the opener waits up to
 * /proc/sys/fs/lease-break-time seconds (45 by default) for the holder to give it up. The dig looks before
 * each punch and each cache drop (F_GETLEASE), and every millisecond while it has nothing to do; seeing a
 * break, it punches the runs already read under the lease while the opener still waits, gives the lease
 * up, and proves its remaining punches as without one. A lease left to time out would be removed while a
 * punch of a run read under it was still to come, so none is taken where the break time is under a second;
 * a punch follows its look within microseconds. (A dig suspended for the
 * whole break time, by Ctrl-Z, SIGSTOP, a frozen cgroup or a debugger, still punches over a write when the
 * suspension caught it between the two, which it does as the look's fcntl returns: measured, about a
 * third of such suspensions during a dig of many short runs. {@link #requireCovered} reports it.)
 *
 * <p>A break signals the holder: SIGIO unless told otherwise, which would end the JVM. The signal is set
 * to SIGURG first (F_SETSIG), which is discarded unless a handler is installed (measured on Linux 6.18,
 * ignored or not), and the owner to none right after the lease is taken (F_SETOWN 0), so no signal at all
 * is sent after that. Taking a lease sets the owner (the process, when taken on its first thread; an owner
 * no signal reaches from any other) and giving it up clears the signal, hence the order.
 */
final class WriteLease {
    /** The shortest lease-break-time (seconds) under which a lease is still taken. */
    private static final long SHORTEST_BREAK_TIME = 1;
    /**
     * The filesystems ({@link Filesystems#of}) on which a lease is asked for: local ones, not stacked on
     * another, where every write to the file comes through an open file description of this kernel's.
     * "ext2/ext3/ext4" is the name when /proc/self/mountinfo cannot tell them apart.
     */
    private static final Set<String> LOCAL = Set.of("ext2", "ext3", "ext4", "ext2/ext3/ext4", "xfs", "btrfs", "tmpfs");

    private final OpenFile file;
    /**
     * lease-break-time in nanoseconds: when the lease was taken, and the smaller value read when a look first
     * sees the break; only the punching thread reads and writes it.
     */
    private long breakNanos;
    /** Set only after the lease is taken; cleared only after it is given up. */
    private volatile boolean held;
    /**
     * Set when a look first finds someone breaking the lease: from then on no read counts as made under
     * it ({@link #held} is false), but it is kept until the runs read under it are punched.
     */
    private volatile boolean breaking;
    /** {@link System#nanoTime} of the last look that found the lease whole: any break began after it. */
    private volatile long lastWholeLook;

    private WriteLease(OpenFile file) {
        this.file = file;
    }

    /**
     * Takes a write lease on {@code file}, a description of the library's own; returns it, held or not:
     * not on macOS, nor on a caller's description (its other users would not break it), nor outside the
     * {@link #LOCAL} filesystems (writers there need not open the file here), nor where the kernel refuses
     * (EAGAIN: the file is open elsewhere; EACCES: not the owner; EINVAL: no leases there).
     *
     * @param filesystem the file's filesystem, {@link Filesystems#of}; null when unknown
     */
    static WriteLease take(OpenFile file, String filesystem) {
        WriteLease lease = new WriteLease(file);
        if (Platform.isMacOs() || file.sharesCallersOffset() || "false".equals(System.getProperty("fallocate4j.lease"))
                || filesystem == null || !LOCAL.contains(filesystem)) {
            return lease;
        }
        long breakSeconds = breakTimeSeconds();
        if (breakSeconds < SHORTEST_BREAK_TIME) {
            return lease;
        }
        lease.breakNanos = TimeUnit.SECONDS.toNanos(breakSeconds);
        // No break can begin before the lease is granted: the first punch may come after a break was seen
        // and before any look found the lease whole (a reviewer's opener lost a write there).
        lease.lastWholeLook = System.nanoTime();
        if (LibC.fcntl(file.fd(), Linux.F_SETSIG, Linux.SIGURG) < 0
                || LibC.fcntl(file.fd(), Linux.F_SETLEASE, Linux.F_WRLCK) < 0) {
            return lease;
        }
        if (LibC.fcntl(file.fd(), Linux.F_SETOWN, 0) < 0) {
            LibC.fcntl(file.fd(), Linux.F_SETLEASE, Linux.F_UNLCK);
            return lease;
        }
        lease.held = true;
        return lease;
    }

    /** A lease never held: for digs that take none. */
    static WriteLease none(OpenFile file) {
        return new WriteLease(file);
    }

    /** Whether the lease is held and no break of it seen yet: a read begun now is made under it. */
    boolean held() {
        return held && !breaking;
    }

    /** Whether the lease is kept, broken or not: false once given up (or never taken). */
    boolean kept() {
        return held;
    }

    /**
     * Whether the lease is still held and no one has begun to break it (F_GETLEASE still says F_WRLCK). If
     * someone has, the lease is marked breaking but kept, for {@link #coversBreaking}; the one thread that
     * punches gives it up ({@link #release}) once the runs read under it are punched.
     */
    boolean stillHeld() {
        if (!held || breaking) {
            return false;
        }
        long looked = System.nanoTime();
        if (LibC.fcntl(file.fd(), Linux.F_GETLEASE, 0) == Linux.F_WRLCK) {
            lastWholeLook = looked;
            return true;
        }
        breaking = true;
        // The kernel read lease-break-time when the break began: had root lowered it since the lease was
        // taken, the opener gets in sooner than the old value says (down to a clock tick, at 0).
        breakNanos = Math.min(breakNanos, TimeUnit.SECONDS.toNanos(breakTimeSeconds()));
        return false;
    }

    /**
     * Whether a punch made now of a run read under the lease is still covered although someone is breaking
     * it: the opener waits in open(2) until the lease is given up or lease-break-time has passed since the
     * break began, which was after the last look that found the lease whole; a punch begun within a quarter
     * of that time of the look is covered ({@link #requireCovered} checks that it also ended within half).
     * So the runs already read are punched before the opener gets in, instead of being read again while it
     * writes (a reviewer's opener lost writes that way).
     */
    boolean coversBreaking() {
        return held && breaking && System.nanoTime() - lastWholeLook < breakNanos / 4;
    }

    /**
     * When the last look that found the lease whole was made ({@link System#nanoTime}; at first, when it was
     * taken): for {@link #requireCovered} after a punch {@link #stillHeld} or {@link #coversBreaking} allowed.
     */
    long lastWholeLook() {
        return lastWholeLook;
    }

    /** Whether someone is breaking the kept lease: it is to be given up once the runs read under it are punched. */
    boolean breaking() {
        return held && breaking;
    }

    /**
     * After a punch of {@code [offset, offset+length)} made because {@link #stillHeld} said so at
     * {@code lookedAt} ({@link System#nanoTime}, taken before it asked): whoever began to break the lease
     * after that look waited in open(2) for the break time, so a punch ended within half of it was covered,
     * and so was one after which the lease is still held. Otherwise the dig was held up between the look
     * and the punch (suspended: Ctrl-Z, SIGSTOP, a frozen cgroup, a debugger) long enough for the kernel to
     * take the lease away and let an opener write into the run before the punch freed it: that is thrown
     * (EIO), naming the range, for the caller to check, since nothing can undo the punch.
     */
    void requireCovered(long lookedAt, long offset, long length) throws FileSpaceException {
        if (System.nanoTime() - lookedAt < breakNanos / 2
                || LibC.fcntl(file.fd(), Linux.F_GETLEASE, 0) == Linux.F_WRLCK) {
            return;
        }
        release();
        throw Errors.leaseLapsed(file, offset, length, breakNanos);
    }

    /** Gives the lease up, if held. Called by one thread at a time, once no punch relies on it. */
    void release() {
        if (held) {
            held = false; // first: no read from now on counts as made under it, before anyone gets in
            LibC.fcntl(file.fd(), Linux.F_SETLEASE, Linux.F_UNLCK);
            breaking = false;
        }
    }

    /** /proc/sys/fs/lease-break-time: how long an opener waits for a lease to be given up; 0 if unknown. */
    static long breakTimeSeconds() {
        try {
            return Long.parseLong(Files.readString(Path.of("/proc/sys/fs/lease-break-time")).trim());
        } catch (IOException | NumberFormatException | SecurityException e) {
            return 0;
        }
    }
}
