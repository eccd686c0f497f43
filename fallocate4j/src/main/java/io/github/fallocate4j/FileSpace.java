package io.github.fallocate4j;

import io.github.fallocate4j.internal.Calls;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Each fallocate(2) mode as a named call, on a {@link Path} or a {@link FileChannel}, in the manner of
 * {@link java.nio.file.Files}: options are enums, failures are {@link FileSpaceException}s that name
 * the file, the errno, the operation and its range. Arguments are checked before any system call:
 * a negative offset, a length {@code <= 0} or an offset+len past {@code 2^63-1} throw
 * {@link IllegalArgumentException}.
 *
 * <p>For the C flags and every other kind of file handle, see {@link Fallocate}.
 * @since 0.1.0
 */
public final class FileSpace {
    private FileSpace() {}

    /**
     * Allocates disk space for {@code [offset, offset+len)} (fallocate(2), mode 0, or {@code KEEP_SIZE} with {@link AllocateOption#KEEP_SIZE}). Holes in the range become allocated blocks that read as zeros; existing data is untouched. Without {@code KEEP_SIZE} the file grows to at least {@code offset+len}. Afterwards, writes into the range cannot fail for lack of space. A missing Path is created (without {@code KEEP_SIZE}), as fallocate(1) does.
     *
     * @param file the file; opened for the call and closed afterwards
     * @param offset first byte of the range, {@code >= 0}
     * @param len length of the range, {@code > 0}
     * @param options {@link AllocateOption#KEEP_SIZE} to leave the file size unchanged
     * @throws ModeNotSupportedException when the filesystem does not support this operation
     * @throws FileSpaceException when the kernel refuses the call; it names the errno
     * @throws IOException when the file cannot be opened
     */
    public static void allocate(Path file, long offset, long len, AllocateOption... options) throws IOException {
        Calls.fallocate(file, offset, len, keep(options));
    }

    /**
     * Allocates disk space for {@code [offset, offset+len)} (fallocate(2), mode 0, or {@code KEEP_SIZE} with {@link AllocateOption#KEEP_SIZE}). Holes in the range become allocated blocks that read as zeros; existing data is untouched. Without {@code KEEP_SIZE} the file grows to at least {@code offset+len}. Afterwards, writes into the range cannot fail for lack of space. A missing Path is created (without {@code KEEP_SIZE}), as fallocate(1) does.
     *
     * @param channel an open channel (needs the JVM options named in {@link Fallocate})
     * @param offset first byte of the range, {@code >= 0}
     * @param len length of the range, {@code > 0}
     * @param options {@link AllocateOption#KEEP_SIZE} to leave the file size unchanged
     * @throws ModeNotSupportedException when the filesystem does not support this operation
     * @throws FileSpaceException when the kernel refuses the call; it names the errno
     * @throws IOException when the file cannot be opened or the channel is closed
     */
    public static void allocate(FileChannel channel, long offset, long len, AllocateOption... options) throws IOException {
        Calls.fallocate(channel, offset, len, keep(options));
    }

    /**
     * Deallocates {@code [offset, offset+len)} ({@code PUNCH_HOLE|KEEP_SIZE}): whole filesystem blocks in the range are freed and partial blocks at its ends are zeroed; the range then reads as zeros and the file size does not change. Supported by ext4, xfs, btrfs, tmpfs and others.
     *
     * @param file the file; opened for the call and closed afterwards
     * @param offset first byte of the range, {@code >= 0}
     * @param len length of the range, {@code > 0}
     * @throws ModeNotSupportedException when the filesystem does not support this operation
     * @throws FileSpaceException when the kernel refuses the call; it names the errno
     * @throws IOException when the file cannot be opened
     */
    public static void punchHole(Path file, long offset, long len) throws IOException {
        Calls.fallocate(file, offset, len, Fallocate.FALLOC_FL_PUNCH_HOLE | Fallocate.FALLOC_FL_KEEP_SIZE);
    }

    /**
     * Deallocates {@code [offset, offset+len)} ({@code PUNCH_HOLE|KEEP_SIZE}): whole filesystem blocks in the range are freed and partial blocks at its ends are zeroed; the range then reads as zeros and the file size does not change. Supported by ext4, xfs, btrfs, tmpfs and others.
     *
     * @param channel an open channel (needs the JVM options named in {@link Fallocate})
     * @param offset first byte of the range, {@code >= 0}
     * @param len length of the range, {@code > 0}
     * @throws ModeNotSupportedException when the filesystem does not support this operation
     * @throws FileSpaceException when the kernel refuses the call; it names the errno
     * @throws IOException when the file cannot be opened or the channel is closed
     */
    public static void punchHole(FileChannel channel, long offset, long len) throws IOException {
        Calls.fallocate(channel, offset, len, Fallocate.FALLOC_FL_PUNCH_HOLE | Fallocate.FALLOC_FL_KEEP_SIZE);
    }

    /**
     * Makes {@code [offset, offset+len)} read as zeros ({@code ZERO_RANGE}), keeping it allocated: filesystems convert whole blocks to unwritten extents rather than writing zeros. Without {@link AllocateOption#KEEP_SIZE} the file grows to at least {@code offset+len}. ext4, xfs, btrfs; tmpfs answers EOPNOTSUPP.
     *
     * @param file the file; opened for the call and closed afterwards
     * @param offset first byte of the range, {@code >= 0}
     * @param len length of the range, {@code > 0}
     * @param options {@link AllocateOption#KEEP_SIZE} to leave the file size unchanged
     * @throws ModeNotSupportedException when the filesystem does not support this operation
     * @throws FileSpaceException when the kernel refuses the call; it names the errno
     * @throws IOException when the file cannot be opened
     */
    public static void zeroRange(Path file, long offset, long len, AllocateOption... options) throws IOException {
        Calls.fallocate(file, offset, len, Fallocate.FALLOC_FL_ZERO_RANGE | keep(options));
    }

    /**
     * Makes {@code [offset, offset+len)} read as zeros ({@code ZERO_RANGE}), keeping it allocated: filesystems convert whole blocks to unwritten extents rather than writing zeros. Without {@link AllocateOption#KEEP_SIZE} the file grows to at least {@code offset+len}. ext4, xfs, btrfs; tmpfs answers EOPNOTSUPP.
     *
     * @param channel an open channel (needs the JVM options named in {@link Fallocate})
     * @param offset first byte of the range, {@code >= 0}
     * @param len length of the range, {@code > 0}
     * @param options {@link AllocateOption#KEEP_SIZE} to leave the file size unchanged
     * @throws ModeNotSupportedException when the filesystem does not support this operation
     * @throws FileSpaceException when the kernel refuses the call; it names the errno
     * @throws IOException when the file cannot be opened or the channel is closed
     */
    public static void zeroRange(FileChannel channel, long offset, long len, AllocateOption... options) throws IOException {
        Calls.fallocate(channel, offset, len, Fallocate.FALLOC_FL_ZERO_RANGE | keep(options));
    }

    /**
     * Removes {@code [offset, offset+len)} from the file without leaving a hole ({@code COLLAPSE_RANGE}): what followed moves down by {@code len} and the file shrinks by {@code len}. {@code offset} and {@code len} must be multiples of {@link SparseFiles#blockSize} (the filesystem block size; the cluster size on ext4 with bigalloc) and the range must end before the end of the file (EINVAL otherwise). ext4 (extent-based files) and xfs.
     *
     * @param file the file; opened for the call and closed afterwards
     * @param offset first byte of the range, {@code >= 0}
     * @param len length of the range, {@code > 0}
     * @throws ModeNotSupportedException when the filesystem does not support this operation
     * @throws FileSpaceException when the kernel refuses the call; it names the errno
     * @throws IOException when the file cannot be opened
     */
    public static void collapseRange(Path file, long offset, long len) throws IOException {
        Calls.fallocate(file, offset, len, Fallocate.FALLOC_FL_COLLAPSE_RANGE);
    }

    /**
     * Removes {@code [offset, offset+len)} from the file without leaving a hole ({@code COLLAPSE_RANGE}): what followed moves down by {@code len} and the file shrinks by {@code len}. {@code offset} and {@code len} must be multiples of {@link SparseFiles#blockSize} (the filesystem block size; the cluster size on ext4 with bigalloc) and the range must end before the end of the file (EINVAL otherwise). ext4 (extent-based files) and xfs.
     *
     * @param channel an open channel (needs the JVM options named in {@link Fallocate})
     * @param offset first byte of the range, {@code >= 0}
     * @param len length of the range, {@code > 0}
     * @throws ModeNotSupportedException when the filesystem does not support this operation
     * @throws FileSpaceException when the kernel refuses the call; it names the errno
     * @throws IOException when the file cannot be opened or the channel is closed
     */
    public static void collapseRange(FileChannel channel, long offset, long len) throws IOException {
        Calls.fallocate(channel, offset, len, Fallocate.FALLOC_FL_COLLAPSE_RANGE);
    }

    /**
     * Inserts a hole of {@code len} bytes at {@code offset} ({@code INSERT_RANGE}): what was at {@code offset} and after moves up by {@code len} and the file grows by {@code len}. {@code offset} and {@code len} must be multiples of {@link SparseFiles#blockSize} (the filesystem block size; the cluster size on ext4 with bigalloc) and {@code offset} must be before the end of the file (EINVAL otherwise). ext4 and xfs.
     *
     * @param file the file; opened for the call and closed afterwards
     * @param offset first byte of the range, {@code >= 0}
     * @param len length of the range, {@code > 0}
     * @throws ModeNotSupportedException when the filesystem does not support this operation
     * @throws FileSpaceException when the kernel refuses the call; it names the errno
     * @throws IOException when the file cannot be opened
     */
    public static void insertRange(Path file, long offset, long len) throws IOException {
        Calls.fallocate(file, offset, len, Fallocate.FALLOC_FL_INSERT_RANGE);
    }

    /**
     * Inserts a hole of {@code len} bytes at {@code offset} ({@code INSERT_RANGE}): what was at {@code offset} and after moves up by {@code len} and the file grows by {@code len}. {@code offset} and {@code len} must be multiples of {@link SparseFiles#blockSize} (the filesystem block size; the cluster size on ext4 with bigalloc) and {@code offset} must be before the end of the file (EINVAL otherwise). ext4 and xfs.
     *
     * @param channel an open channel (needs the JVM options named in {@link Fallocate})
     * @param offset first byte of the range, {@code >= 0}
     * @param len length of the range, {@code > 0}
     * @throws ModeNotSupportedException when the filesystem does not support this operation
     * @throws FileSpaceException when the kernel refuses the call; it names the errno
     * @throws IOException when the file cannot be opened or the channel is closed
     */
    public static void insertRange(FileChannel channel, long offset, long len) throws IOException {
        Calls.fallocate(channel, offset, len, Fallocate.FALLOC_FL_INSERT_RANGE);
    }

    /**
     * Gives the file its own copy of every extent in {@code [offset, offset+len)} that it shares with other files through reflinks ({@code UNSHARE_RANGE}), so later writes cannot fail for lack of space. Contents do not change. xfs with reflink; ext4 answers EOPNOTSUPP.
     *
     * @param file the file; opened for the call and closed afterwards
     * @param offset first byte of the range, {@code >= 0}
     * @param len length of the range, {@code > 0}
     * @param options {@link AllocateOption#KEEP_SIZE} to leave the file size unchanged
     * @throws ModeNotSupportedException when the filesystem does not support this operation
     * @throws FileSpaceException when the kernel refuses the call; it names the errno
     * @throws IOException when the file cannot be opened
     */
    public static void unshareRange(Path file, long offset, long len, AllocateOption... options) throws IOException {
        Calls.fallocate(file, offset, len, Fallocate.FALLOC_FL_UNSHARE_RANGE | keep(options));
    }

    /**
     * Gives the file its own copy of every extent in {@code [offset, offset+len)} that it shares with other files through reflinks ({@code UNSHARE_RANGE}), so later writes cannot fail for lack of space. Contents do not change. xfs with reflink; ext4 answers EOPNOTSUPP.
     *
     * @param channel an open channel (needs the JVM options named in {@link Fallocate})
     * @param offset first byte of the range, {@code >= 0}
     * @param len length of the range, {@code > 0}
     * @param options {@link AllocateOption#KEEP_SIZE} to leave the file size unchanged
     * @throws ModeNotSupportedException when the filesystem does not support this operation
     * @throws FileSpaceException when the kernel refuses the call; it names the errno
     * @throws IOException when the file cannot be opened or the channel is closed
     */
    public static void unshareRange(FileChannel channel, long offset, long len, AllocateOption... options) throws IOException {
        Calls.fallocate(channel, offset, len, Fallocate.FALLOC_FL_UNSHARE_RANGE | keep(options));
    }

    /**
     * Makes {@code [offset, offset+len)} read as zeros by allocating written (not unwritten) blocks, using the device's write-zeroes command where it has one ({@code WRITE_ZEROES}, Linux 6.17+). The file grows to at least {@code offset+len}. Filesystems or devices without support answer EOPNOTSUPP.
     *
     * @param file the file; opened for the call and closed afterwards
     * @param offset first byte of the range, {@code >= 0}
     * @param len length of the range, {@code > 0}
     * @throws ModeNotSupportedException when the filesystem does not support this operation
     * @throws FileSpaceException when the kernel refuses the call; it names the errno
     * @throws IOException when the file cannot be opened
     */
    public static void writeZeroes(Path file, long offset, long len) throws IOException {
        Calls.fallocate(file, offset, len, Fallocate.FALLOC_FL_WRITE_ZEROES);
    }

    /**
     * Makes {@code [offset, offset+len)} read as zeros by allocating written (not unwritten) blocks, using the device's write-zeroes command where it has one ({@code WRITE_ZEROES}, Linux 6.17+). The file grows to at least {@code offset+len}. Filesystems or devices without support answer EOPNOTSUPP.
     *
     * @param channel an open channel (needs the JVM options named in {@link Fallocate})
     * @param offset first byte of the range, {@code >= 0}
     * @param len length of the range, {@code > 0}
     * @throws ModeNotSupportedException when the filesystem does not support this operation
     * @throws FileSpaceException when the kernel refuses the call; it names the errno
     * @throws IOException when the file cannot be opened or the channel is closed
     */
    public static void writeZeroes(FileChannel channel, long offset, long len) throws IOException {
        Calls.fallocate(channel, offset, len, Fallocate.FALLOC_FL_WRITE_ZEROES);
    }

    /**
     * Ensures disk space for {@code [offset, offset+len)} with posix_fallocate(3), growing the file if
     * needed. Unlike {@link #allocate}, works on every filesystem: where fallocate(2) is missing, the C
     * library writes a byte into each block instead (slowly).
     *
     * @param file the file; created when missing, and closed afterwards
     * @param offset first byte of the range, {@code >= 0}
     * @param len length of the range, {@code > 0}
     * @throws NoSpaceException when the device is full
     * @throws FileSpaceException when the call fails otherwise
     * @throws IOException when the file cannot be opened
     */
    public static void posixAllocate(Path file, long offset, long len) throws IOException {
        Calls.posixFallocate(file, offset, len);
    }

    /**
     * Acts on the page cache for {@code [offset, offset+len)} (posix_fadvise(3)); {@code len} 0 means up
     * to the end of the file: {@link Advice#WILLNEED} starts reading the range in, {@link Advice#DONTNEED}
     * writes back and drops its cached pages. Contents never change. {@link Advice#NORMAL},
     * {@link Advice#RANDOM}, {@link Advice#SEQUENTIAL} and {@link Advice#NOREUSE} hold only for the open
     * descriptor they are given, which here would be closed straight after: they are refused; give them
     * to {@link #advise(FileChannel, long, long, Advice)} with the channel the reads will use.
     *
     * @param file the file; opened read-only for the call and closed afterwards
     * @param offset first byte of the range, {@code >= 0}
     * @param len length of the range, {@code >= 0}
     * @param advice {@link Advice#WILLNEED} or {@link Advice#DONTNEED}
     * @throws IllegalArgumentException for the per-descriptor advice (NORMAL, RANDOM, SEQUENTIAL, NOREUSE),
     *         before the file is opened
     * @throws FileSpaceException when the call fails (ESPIPE for a pipe)
     * @throws IOException when the file cannot be opened
     */
    public static void advise(Path file, long offset, long len, Advice advice) throws IOException {
        Calls.posixFadvise(file, offset, len, Objects.requireNonNull(advice, "advice").value());
    }

    /**
     * Ensures disk space for {@code [offset, offset+len)} with posix_fallocate(3), growing the file if
     * needed. Unlike {@link #allocate}, works on every filesystem: where fallocate(2) is missing (ext2,
     * ext3, ext4 without extents, ...), the C library reads and rewrites a byte in each block instead
     * (slowly), which needs the channel open for reading and writing and not for appending (EBADF otherwise).
     *
     * @param channel an open channel
     * @param offset first byte of the range, {@code >= 0}
     * @param len length of the range, {@code > 0}
     * @throws NoSpaceException when the device is full
     * @throws FileSpaceException when the call fails otherwise
     * @throws IOException when the file cannot be opened
     */
    public static void posixAllocate(FileChannel channel, long offset, long len) throws IOException {
        Calls.posixFallocate(channel, offset, len);
    }

    /**
     * Tells the kernel how {@code [offset, offset+len)} will be accessed (posix_fadvise(3)); {@code len}
     * 0 means up to the end of the file. Advice changes caching and read-ahead only, never contents.
     * NORMAL, RANDOM, SEQUENTIAL and NOREUSE apply to reads through this channel (its open file
     * description: a channel opened separately on the same file is not affected), WILLNEED and DONTNEED
     * to the file's pages in the page cache.
     *
     * @param channel an open channel
     * @param offset first byte of the range, {@code >= 0}
     * @param len length of the range, {@code >= 0}
     * @param advice what the program will do with the range
     * @throws FileSpaceException when the call fails (ESPIPE for a pipe)
     * @throws IOException when the file cannot be opened
     */
    public static void advise(FileChannel channel, long offset, long len, Advice advice) throws IOException {
        Calls.posixFadvise(channel, offset, len, Objects.requireNonNull(advice, "advice").value());
    }

    private static int keep(AllocateOption... options) {
        int mode = 0;
        for (AllocateOption option : options) {
            if (Objects.requireNonNull(option, "option") == AllocateOption.KEEP_SIZE) {
                mode |= Fallocate.FALLOC_FL_KEEP_SIZE;
            }
        }
        return mode;
    }
}
