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

    private WriteWatch(OpenFile file, boolean usable) {
        this.file = file;
        this.usable = usable;
    }

    /** A watch over {@code file}, usable where its filesystem shows every write in its change time. */
    public static WriteWatch of(OpenFile file) {
        boolean usable = !"false".equals(System.getProperty("fallocate4j.writeWatch"))
                && !Platform.isMacOs() && !Platform.kernelBefore(6, 13)
                && MULTIGRAIN.contains(Filesystems.of(file.fd())) && PageCache.cachestatAvailable();
        return new WriteWatch(file, usable);
    }

    /** Starts watching: call right before reading what may be punched. Returns whether the watch is usable. */
    public boolean start() throws FileSpaceException {
        if (usable) {
            since = changeTime();
        }
        return usable;
    }

    /**
     * Whether nothing has written to the file since {@link #start()} and no page of
     * {@code [offset, offset+length)} is dirty or under writeback; false also when the watch is not usable.
     */
    public boolean unwrittenSinceStart(long offset, long length) throws FileSpaceException {
        if (!usable || changeTime() != since) {
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
