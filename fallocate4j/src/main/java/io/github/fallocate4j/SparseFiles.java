package io.github.fallocate4j;

import io.github.fallocate4j.internal.Calls;
import io.github.fallocate4j.internal.Fiemap;
import io.github.fallocate4j.internal.FileStats;
import io.github.fallocate4j.internal.HoleDigger;
import io.github.fallocate4j.internal.OpenFiles;
import io.github.fallocate4j.internal.PageCache;
import io.github.fallocate4j.internal.RegionStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * What a file's space looks like, and how to give back the parts it does not need: the data/hole
 * map ({@code SEEK_DATA}/{@code SEEK_HOLE}), the bytes allocated on disk, the filesystem's block size,
 * and digging holes where blocks hold only zeros.
 *
 * <p>The calls that take a {@link Path} open it and close it again; {@code digHoles}, {@code regions},
 * {@code extents} and {@code residency} on a {@link FileChannel} work on a duplicate of its descriptor
 * and close that. Closing any descriptor of a file releases every POSIX record lock this process holds
 * on the file (fcntl(2)), and {@link FileChannel#lock} takes such locks: as the {@link
 * java.nio.channels.FileLock} Javadoc warns for a second channel, these calls end the process's
 * {@code FileChannel} locks on the file they examine. Take locks on a file only after such calls, or
 * use {@link DigOption#LOCK} for a dig.
 *
 * <p>The calls that take a range ({@code offset}, {@code len}, in bytes) throw {@link
 * IllegalArgumentException}, before any system call, when {@code offset < 0}, {@code len <= 0}, or
 * {@code offset + len} passes 2^63-1 (pass {@code Long.MAX_VALUE - offset} or less to reach the end).
 *
 * @since 0.1.0
 */
public final class SparseFiles {
    private SparseFiles() {}

    /**
     * The data and hole regions of the whole file, in order, found lazily with lseek(2) {@code SEEK_DATA}
     * and {@code SEEK_HOLE} (two system calls per region, so cheap for huge files). The stream holds the
     * file open: close it, as with {@link java.nio.file.Files#lines}. (A stream left unclosed has its
     * descriptor closed after the garbage collector finds it and its iterators unreachable, which may be
     * never; do not count on it.) Errors while walking surface as
     * {@link java.io.UncheckedIOException} wrapping a {@link FileSpaceException}, or a
     * {@link java.nio.channels.ClosedChannelException} once the stream is closed.
     *
     * @param file the file
     * @return the regions, covering {@code [0, size)} without gaps
     * @throws IOException when the file cannot be opened
     */
    public static Stream<Region> regions(Path file) throws IOException {
        return regions(file, 0, Long.MAX_VALUE);
    }

    /**
     * The data and hole regions of {@code [offset, offset+len)}, clipped to the file size; see {@link #regions(Path)}.
     *
     * @param file   the file
     * @param offset first byte, {@code >= 0}
     * @param len    bytes to cover, {@code > 0}; the range is clipped to the end of the file
     * @return the regions; close the stream to close the file
     * @throws IOException when the file cannot be opened
     */
    public static Stream<Region> regions(Path file, long offset, long len) throws IOException {
        Calls.requireRange(offset, len);
        return RegionStream.of(OpenFiles.open(file, OpenFiles.Access.READ), offset, offset + len, () -> true);
    }

    /**
     * The data and hole regions of the whole file behind an open channel, in order: the same as
     * {@link #regions(FileChannel, long, long) regions(channel, 0, Long.MAX_VALUE)}, which gives the full
     * specification (a duplicate descriptor of its own, the channel's position left alone).
     *
     * @param channel an open channel
     * @return the regions, covering {@code [0, size)} without gaps; close the stream to close its descriptor
     * @throws IOException when the channel is closed or its descriptor cannot be duplicated
     */
    public static Stream<Region> regions(FileChannel channel) throws IOException {
        return regions(channel, 0, Long.MAX_VALUE);
    }

    /**
     * The data and hole regions of {@code [offset, offset+len)} of an open channel, clipped to the file
     * size; see {@link #regions(Path)}. The stream walks a duplicate of the channel's descriptor
     * (fcntl {@code F_DUPFD_CLOEXEC}), so it never reads another file that takes the channel's
     * descriptor number: close the stream to close the duplicate. The duplicate is reopened through
     * {@code /proc/self/fd} as an open file description of its own, so its lseek(2) calls leave the
     * channel's position where it was. Closing the channel ends the walk
     * with a {@link java.nio.channels.ClosedChannelException}.
     *
     * @param channel an open channel
     * @param offset  first byte, {@code >= 0}
     * @param len     bytes to cover, {@code > 0}
     * @return the regions; close the stream to close its descriptor
     * @throws IOException when the channel is closed or its descriptor cannot be duplicated
     */
    public static Stream<Region> regions(FileChannel channel, long offset, long len) throws IOException {
        Calls.requireRange(offset, len);
        return RegionStream.of(OpenFiles.own(channel, OpenFiles.Access.READ), offset, offset + len, channel::isOpen);
    }

    /**
     * The bytes the file occupies on disk: {@code st_blocks * 512} from statx(2). Smaller than the size
     * for a sparse file; larger than it after a {@code KEEP_SIZE} allocation past the end.
     *
     * @param file the file
     * @return allocated bytes
     * @throws IOException when the file cannot be opened or examined
     */
    public static long allocatedBytes(Path file) throws IOException {
        return OpenFiles.with(file, OpenFiles.Access.READ, FileStats::allocatedBytes);
    }

    /**
     * The bytes the file behind an open channel occupies on disk; see {@link #allocatedBytes(Path)}.
     *
     * @param channel an open channel
     * @return allocated bytes
     * @throws IOException when the channel is closed or the file cannot be examined
     */
    public static long allocatedBytes(FileChannel channel) throws IOException {
        return OpenFiles.with(channel, OpenFiles.Access.READ, FileStats::allocatedBytes);
    }


    /**
     * The unit {@link FileSpace#collapseRange} and {@link FileSpace#insertRange} need {@code offset} and
     * {@code len} to be multiples of, in bytes: the filesystem's fundamental block size ({@code f_frsize}
     * from fstatvfs(3)), except on ext4 with {@code bigalloc}, where it is the cluster size (several
     * blocks, 64 KiB say), read from the filesystem's superblock because statfs does not report it.
     * Reading the superblock needs read access to the device (root, or the disk group); without it the
     * block size is returned, and collapse and insert fail with EINVAL for ranges that are not whole
     * clusters. An xfs extent-size hint does not change the unit. Holes are punched and space allocated
     * in blocks of {@code f_frsize}; on bigalloc, space is taken and freed by whole clusters.
     *
     * @param file a file on the filesystem
     * @return the block size in bytes
     * @throws IOException when the file cannot be opened or examined
     */
    public static long blockSize(Path file) throws IOException {
        return OpenFiles.with(file, OpenFiles.Access.READ, FileStats::allocationUnit);
    }

    /**
     * The block size of the filesystem holding an open channel's file; see {@link #blockSize(Path)}.
     *
     * @param channel an open channel
     * @return the block size in bytes
     * @throws IOException when the channel is closed or the filesystem cannot be examined
     */
    public static long blockSize(FileChannel channel) throws IOException {
        return OpenFiles.with(channel, OpenFiles.Access.READ, FileStats::allocationUnit);
    }


    /**
     * Punches a hole wherever the whole file holds a run of zero-filled blocks, as
     * {@code fallocate --dig-holes} does; contents and size stay the same.
     *
     * @param file a regular file, opened for reading and writing
     * @return the bytes turned into holes
     * @throws ModeNotSupportedException when the filesystem cannot punch holes
     * @throws IOException when the file cannot be opened, read or changed
     */
    public static long digHoles(Path file) throws IOException {
        return digHoles(file, 0, Long.MAX_VALUE, DigListener.NONE).bytes();
    }

    /**
     * Punches a hole over every run of whole filesystem blocks in {@code [offset, offset+len)} that hold
     * only zeros. Existing holes are skipped without reading; data is read in large chunks and checked
     * with vectorised comparisons. Blocks are aligned to the start of the file, so partial blocks at an
     * unaligned {@code offset} or end are left alone, except the file's last block when the range
     * reaches the end of the file. Contents and size stay the same. The page cache is left as it was
     * found: the pages cached before the dig stay cached but for the runs punched (told apart with
     * cachestat(2), Linux 6.5+, in 1 MiB steps and, in a step partly cached, in halves down to pages, up to
     * 64 splits a step; without it, every page read is dropped, as util-linux does), the pages the dig read
     * in are dropped, and 1 MiB steps none of whose pages was cached are
     * read, 4 MiB at a time, with preadv2 {@code RWF_DONTCACHE} (Linux 6.14+: the pages are dropped once copied), or where
     * that is refused with {@code O_DIRECT} (set on the dig's descriptor for the read), or else read and then dropped
     * (posix_fadvise {@code POSIX_FADV_DONTNEED}). The kernel's read-ahead may run past the end of data into
     * a hole, and pages it still has under I/O when the dig drops their part are skipped by the drop (as
     * util-linux's are): up to a read-ahead window or two can stay cached. Over 2 MiB the cache drops, the
     * punches under a lease and those that need a second read (below) are made by a second thread, beside
     * the reads; and where the range is cached and nothing can write to the file (a dry run, or a dig
     * holding the lease below), a third thread reads and checks chunks ahead of the calling thread, which
     * takes them up in file order. Both have finished when this method returns or throws.
     *
     * <p><b>Digging a file that another thread or process is writing can lose that writer's writes.</b>
     * The kernel has no "punch only if still zero": a block written between the moment it is last read as
     * zeros and the moment the hole is punched over it becomes a hole again, and reads back as zeros. So a
     * run is punched only on proof, taken right before the punch, that it is still zero.
     *
     * <p>The strongest proof is that no one else can write: on Linux, a dig of more than 2 MiB of a file that no
     * other open file description refers to, in any process (this one included), takes a write lease on its
     * own descriptor (fcntl(2) {@code F_SETLEASE F_WRLCK}; granted to the file's owner or a holder of
     * {@code CAP_LEASE}; only on ext2/3/4, xfs, btrfs and tmpfs: over overlayfs, FUSE or a network
     * filesystem a write can reach the file without an open that breaks the lease, through the overlay's
     * upper layer or from another client, so the dig takes none there). While it
     * holds the lease, whoever opens the file, or truncates it by name, waits in open(2), or fails with
     * {@code EWOULDBLOCK} if opening with {@code O_NONBLOCK}; the dig gives the lease up within a
     * few milliseconds of being asked (tens at the start of the first dig in a JVM) and digs on with the
     * proofs below, so the opener's writes are kept.
     * Runs read under the lease are punched without another look, on the second thread while the first
     * reads on. {@code -Dfallocate4j.lease=false} turns the lease off for the JVM. A dig still relies on the
     * lease being given up by it, not taken away: the kernel takes it away after
     * {@code /proc/sys/fs/lease-break-time} seconds (45 by default; no lease is taken under 1 s), which a dig
     * suspended that long (Ctrl-Z, SIGSTOP, a frozen cgroup such as {@code docker pause}, a debugger) sees
     * when the suspension caught it between its look at the lease and its punch: a suspension takes effect
     * as the look's system call returns, and about a third of those made during a dig of many short runs
     * lost an opener's write (9 of 26, lease-break-time 1 s; without the lease, a suspension of any length
     * between a second read and its punch does the same: 12 of 39). Under the lease the dig sees it, since
     * the punch ends long after the look and the lease is gone, and throws (EIO, naming the range).
     *
     * <p>Without the lease (a file open elsewhere, a channel's file, macOS, a filesystem without leases): on
     * ext4, xfs and btrfs from Linux 6.13 (multigrain timestamps) the proof is that the file's change time (statx
     * {@code stx_ctime}) is the one it had just before the run was read, which every write since would have
     * moved, and that none of the run's pages is dirty or under writeback (cachestat(2)); then the run is
     * punched at once, in one call per 1 MiB read. Elsewhere, or when that proof fails, the run is read
     * again in 64 KiB pieces right before each piece is punched, and only blocks still zero are punched.
     * Either way a write can still be lost: one landing in the few microseconds between the proof and
     * the punch, or one already under way when the run was read, which the punch waits for and then frees
     * (BENCHMARKS.md has the measured loss). {@link DigOption#LOCK} closes the window for writers that take
     * fcntl locks; against any other writer that has the file open when the dig begins, dig only files
     * nobody writes meanwhile.
     *
     * <p>The dig works on a descriptor of its own for its whole length (the {@code Path} opened, or a
     * channel's descriptor duplicated with fcntl {@code F_DUPFD_CLOEXEC} and reopened through
     * {@code /proc/self/fd}), so it never acts on another file that takes the number of a channel closed
     * meanwhile, and never moves a channel's position.
     *
     * <p>An interrupt does not stop a dig, nor is it lost: the thread's interrupt status is set when the call
     * returns or throws if it was set before the call or was set during it (the dig's waits for its threads
     * take it and set it again).
     *
     * @param file     a regular file (anything else fails with ENODEV rather than reading forever)
     * @param offset   first byte, {@code >= 0}
     * @param len      bytes to examine, {@code > 0}; clipped to the end of the file
     * @param listener told of each run of zero blocks and of progress
     * @param options  {@link DigOption#DRY_RUN} to find the runs without punching them; {@link DigOption#LOCK}
     *                 to hold an fcntl lock over the file meanwhile
     * @return the runs found and their bytes (a run written to before it is punched is counted, but
     *         punched only where it is still zero)
     * @throws FileSpaceException with ENOENT on ext4 with inline_data, for a file whose data still lives in
     *         its inode; with EBADF when {@code LOCK} asks a write lock of a file not open for writing; with
     *         EIO when the dig was suspended past the lease break time between its look at the lease and a
     *         punch (the range named may have lost a write)
     * @throws IOException when the file cannot be opened, read or changed
     */
    public static DigResult digHoles(Path file, long offset, long len, DigListener listener, DigOption... options)
            throws IOException {
        return dig(file, offset, len, listener, options);
    }

    /**
     * Punches a hole wherever the whole file behind an open channel holds a run of zero-filled blocks:
     * the same as {@link #digHoles(FileChannel, long, long, DigListener, DigOption...)
     * digHoles(channel, 0, Long.MAX_VALUE, DigListener.NONE)} (the whole file, no listener, no options),
     * which gives the full specification. Contents, size and the channel's position stay the same.
     *
     * @param channel an open channel to a regular file, readable and writable
     * @return the bytes turned into holes
     * @throws ModeNotSupportedException when the filesystem cannot punch holes
     * @throws IOException when the channel is closed or the file cannot be read or changed
     */
    public static long digHoles(FileChannel channel) throws IOException {
        return digHoles(channel, 0, Long.MAX_VALUE, DigListener.NONE).bytes();
    }

    /**
     * Digs holes in the file behind an open channel, which must be readable, and writable unless it is a
     * dry run; see {@link #digHoles(Path, long, long, DigListener, DigOption...)}.
     *
     * @param channel  an open channel to a regular file
     * @param offset   first byte, {@code >= 0}
     * @param len      bytes to examine, {@code > 0}; clipped to the end of the file
     * @param listener told of each run of zero blocks and of progress
     * @param options  {@link DigOption#DRY_RUN} to find the runs without punching them; {@link DigOption#LOCK}
     *                 to hold an fcntl lock over the file meanwhile
     * @return the runs found and their bytes
     * @throws IOException when the channel is closed or the file cannot be read or changed (closing the
     *         channel during the dig does not stop it: it works on a duplicate of the descriptor)
     */
    public static DigResult digHoles(FileChannel channel, long offset, long len, DigListener listener,
                                     DigOption... options) throws IOException {
        return dig(channel, offset, len, listener, options);
    }

    private static DigResult dig(Object file, long offset, long len, DigListener listener, DigOption... options)
            throws IOException {
        Calls.requireRange(offset, len);
        Objects.requireNonNull(listener, "listener");
        boolean dryRun = List.of(options).contains(DigOption.DRY_RUN);
        boolean lock = List.of(options).contains(DigOption.LOCK);
        OpenFiles.Access access = dryRun ? OpenFiles.Access.READ : OpenFiles.Access.WRITE;
        return OpenFiles.withOwn(file, access, open -> HoleDigger.dig(open, offset, len, listener, !dryRun, lock));
    }

    /**
     * The file's physical extents (ioctl FS_IOC_FIEMAP): where each run of its bytes lives on the device,
     * with flags such as {@link ExtentFlag#UNWRITTEN} and {@link ExtentFlag#SHARED}. Holes have no extent.
     * Dirty data is written back first, so that delayed allocations have their place.
     *
     * @param file the file
     * @return the extents in file order
     * @throws FileSpaceException with ENOTTY or EOPNOTSUPP where the filesystem (tmpfs, say) has no FIEMAP
     * @throws IOException when the file cannot be opened
     */
    public static List<Extent> extents(Path file) throws IOException {
        return OpenFiles.with(file, OpenFiles.Access.READ, open -> Fiemap.extents(open, 0, Long.MAX_VALUE, true));
    }

    /**
     * The extents overlapping {@code [offset, offset+len)} of a file; see {@link #extents(Path)}. The first
     * and last extent may reach outside the range: the kernel reports whole extents.
     *
     * @param file   the file
     * @param offset first byte, {@code >= 0}
     * @param len    bytes, {@code > 0}
     * @return the extents in file order
     * @throws IOException when the file cannot be opened or the filesystem has no FIEMAP
     */
    public static List<Extent> extents(Path file, long offset, long len) throws IOException {
        Calls.requireRange(offset, len);
        return OpenFiles.with(file, OpenFiles.Access.READ, open -> Fiemap.extents(open, offset, len, true));
    }

    /**
     * The extents of the whole file behind an open channel; see {@link #extents(Path)}.
     *
     * @param channel an open channel
     * @return the extents in file order
     * @throws IOException when the channel is closed or the filesystem has no FIEMAP
     */
    public static List<Extent> extents(FileChannel channel) throws IOException {
        return OpenFiles.withOwn(channel, OpenFiles.Access.READ, open -> Fiemap.extents(open, 0, Long.MAX_VALUE, true));
    }

    /**
     * The extents overlapping {@code [offset, offset+len)} of an open channel's file; see
     * {@link #extents(Path, long, long)}.
     *
     * @param channel an open channel
     * @param offset  first byte, {@code >= 0}
     * @param len     bytes, {@code > 0}
     * @return the extents in file order
     * @throws IOException when the channel is closed or the filesystem has no FIEMAP
     */
    public static List<Extent> extents(FileChannel channel, long offset, long len) throws IOException {
        Calls.requireRange(offset, len);
        return OpenFiles.withOwn(channel, OpenFiles.Access.READ, open -> Fiemap.extents(open, offset, len, true));
    }

    /**
     * How much of {@code [offset, offset+len)} (clipped to the file size; pages partly in the range count)
     * is in the page cache, and how much of that is dirty or under writeback, and how much was evicted.
     * Shows what {@link FileSpace#advise} with {@code WILLNEED} or {@code DONTNEED}, a read, a write or
     * an fsync did. The call itself caches nothing.
     *
     * <p>From cachestat(2) (Linux 6.5 and later). On older kernels, from mmap(2) and mincore(2), which count
     * only the cached pages (the other counts are {@link Residency#UNKNOWN}), and only where mincore tells
     * the truth: since Linux 5.2 it reports every page of a file as cached to a caller that neither owns
     * the file (nor has {@code CAP_FOWNER}) nor could open it for writing. The kernel hides the page cache
     * of such a file from such a caller, and cachestat refuses it too (EPERM; the check came to cachestat
     * in early 2025 and was backported to the stable kernels; before, cachestat answered anyone, truly):
     * this call then throws, rather than give an answer the kernel made up.
     *
     * @param file   the file
     * @param offset first byte, {@code >= 0}
     * @param len    bytes, {@code > 0}
     * @return pages in the range, how many are cached, dirty, under writeback and evicted
     * @throws FileSpaceException with errno EPERM when the kernel keeps the file's page cache from the caller,
     *                            as above (operation {@code cachestat}, or {@code mincore} when the kernel has
     *                            no cachestat)
     * @throws IOException        when the file cannot be opened, or (before Linux 6.5) mapped
     */
    public static Residency residency(Path file, long offset, long len) throws IOException {
        Calls.requireRange(offset, len);
        return OpenFiles.with(file, OpenFiles.Access.READ, open -> PageCache.residency(open, offset, len));
    }

    /**
     * The page-cache residency of a range of an open channel's file; see {@link #residency(Path, long, long)}.
     *
     * @param channel an open channel (before Linux 6.5, readable: the file is mapped)
     * @param offset  first byte, {@code >= 0}
     * @param len     bytes, {@code > 0}
     * @return pages in the range, how many are cached, dirty, under writeback and evicted
     * @throws FileSpaceException with errno EPERM when the kernel keeps the file's page cache from the caller
     * @throws IOException        when the channel is closed, or (before Linux 6.5) the file cannot be mapped
     */
    public static Residency residency(FileChannel channel, long offset, long len) throws IOException {
        Calls.requireRange(offset, len);
        return OpenFiles.withOwn(channel, OpenFiles.Access.READ, open -> PageCache.residency(open, offset, len));
    }
}
