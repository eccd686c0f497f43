package io.github.fallocate4j.internal;

import io.github.fallocate4j.FileSpaceException;
import java.util.Set;

/**
 * Tells a dig whether anyone has written to the file since a moment, without reading the file again:
 * the proof that a run of zeros read a moment ago is still zero, right before it is punched.
 *
 * <p>Two signs, both needed. The change time (statx stx_ctime) moves with every write(2), pwrite, O_DIRECT
 * or io_uring write, fallocate, truncate or clone into the file, and with the first write through a
 * mapping to a page that has been written back (the write fault updates it). It moves for every such change
 * only where the filesystem has multigrain timestamps (Linux 6.13+: ext4, xfs, btrfs; tmpfs too, but tmpfs
 * does not track dirty pages, see below): once its ctime has been read, the next change gets a
 * fine-grained time. Elsewhere (ext2, ext3, older kernels) changes within one timer tick share a time,
 * and this watch is not used. A write through a mapping to a page already dirty changes no time, so
 * cachestat(2) must also find none of the run's pages dirty or under writeback.
 *
 * <p>Found by a review that made the first version lose data (issue 15): a store through a shared mapping
 * to a page already dirty and writable moves no time, and its writeback before the check hid it; so a read
 * whose pages are not all clean when it starts is not watched ({@link #start}). ext4 with 128-byte inodes
 * keeps whole seconds; a change time without nanoseconds turns the watch off for that read. Not covered:
 * xfs's open-by-handle I/O (CAP_SYS_ADMIN), which changes no time by design, and DAX files, whose dirty
 * pages cachestat does not count.
 *
 * <p>What neither sign can show is a write already under way when the first time was read (its time was
 * set before its data were copied): the kernel's punch waits for it and then frees its bytes. Reading the
 * run again has the same blind spot; only a lock ({@code DigOption.LOCK}) closes it, for writers that lock.
 */
public final class WriteWatch {
    /** The filesystems with multigrain timestamps and dirty-page tracking (fs_flags FS_MGTIME, Linux 6.13). */
    private static final Set<String> MULTIGRAIN = Set.of("ext4", "xfs", "btrfs");

    private final OpenFile file;
    private boolean usable;
    private long since;
    /** Whether the read being watched began with none of its pages dirty or under writeback. */
    private boolean clean;

    private WriteWatch(OpenFile file, boolean usable) {
        this.file = file;
        this.usable = usable;
    }

    /**
     * A watch over {@code file}, usable where its filesystem shows every write in its change time.
     *
     * @param filesystem the file's filesystem, {@link Filesystems#of} (the dig looks it up once for this and its
     *                   lease); null when unknown
     */
    public static WriteWatch of(OpenFile file, String filesystem) {
        boolean usable = !"false".equals(System.getProperty("fallocate4j.writeWatch"))
                && !Platform.isMacOs() && !Platform.kernelBefore(6, 13)
                && filesystem != null && MULTIGRAIN.contains(filesystem) && PageCache.cachestatAvailable();
        return new WriteWatch(file, usable);
    }

    /**
     * Starts watching, right before reading {@code [offset, offset+length)}, which may then be punched;
     * returns whether the watch can prove anything about this read. It cannot when a page of the range is
     * dirty or under writeback now: such a page may be writable through a shared mapping, where a store moves
     * no time, and a writeback before the check would hide it. Nor when the change time has no nanoseconds:
     * a filesystem keeping whole seconds (ext4 with 128-byte inodes), where writes within a second share one
     * time. The time is read before the pages: a write fault between the two moves the time.
     */
    public boolean start(long offset, long length) throws FileSpaceException {
        clean = false;
        if (usable) {
            since = changeTime();
            if (since % 1_000_000_000L == 0) {
                return false;
            }
            try {
                LibC.PageCounts pages = LibC.cachestat(file.fd(), offset, length);
                clean = pages.dirty() == 0 && pages.writeback() == 0;
            } catch (LibC.NativeException e) {
                usable = false;
            }
        }
        return clean;
    }

    /**
     * Whether nothing has written to the file since {@link #start()} and no page of
     * {@code [offset, offset+length)} is dirty or under writeback; false also when the watch is not usable.
     */
    public boolean unwrittenSinceStart(long offset, long length) throws FileSpaceException {
        if (!usable || !clean || changeTime() != since) {
            return false;
        }
        try {
            LibC.PageCounts pages = LibC.cachestat(file.fd(), offset, length);
            return pages.dirty() == 0 && pages.writeback() == 0;
        } catch (LibC.NativeException e) {
            usable = false;
            return false;
        }
    }

    /**
     * After the dig's own punch: the punch must have moved the change time, else the filesystem does not
     * show every change there after all, and the watch is no longer used.
     */
    public void punched() throws FileSpaceException {
        if (usable && changeTime() == since) {
            usable = false;
        }
    }

    private long changeTime() throws FileSpaceException {
        try {
            return LibC.changeTime(file.fd());
        } catch (LibC.NativeException e) {
            throw Errors.of(e.errno(), file, "statx");
        }
    }
}
