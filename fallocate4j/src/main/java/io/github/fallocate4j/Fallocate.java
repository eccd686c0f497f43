package io.github.fallocate4j;

import io.github.fallocate4j.internal.Calls;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * The API of the Python package {@code fallocate}, carried over: {@code fallocate(file, offset, len[, mode])}
 * with the mode <em>last</em>, {@code posixFallocate(file, offset, len)} and
 * {@code posixFadvise(file, offset, len, advice)}, with the kernel's constants under their C names.
 *
 * <p>The file may be anything a Java program holds: a {@link FileChannel}, {@link RandomAccessFile},
 * {@link FileOutputStream}, {@link FileInputStream}, {@link FileDescriptor}, an {@code int} descriptor,
 * or a {@link Path}, which is opened for the call and always closed. The JDK objects keep their
 * descriptor in private fields: reading it needs {@code --add-opens java.base/java.io=ALL-UNNAMED}
 * (and {@code java.base/sun.nio.ch} for a FileChannel); without them the call throws
 * {@link java.lang.reflect.InaccessibleObjectException} naming the option. Paths and ints need neither.
 *
 * <p>For named operations and enums instead of bits, see {@link FileSpace}.
 * @since 0.1.0
 */
public final class Fallocate {
    /** Do not change the file size, even when the range passes the end of the file. */
    public static final int FALLOC_FL_KEEP_SIZE = 0x01;
    /** Deallocate the range, leaving a hole that reads as zeros. Must be combined with {@link #FALLOC_FL_KEEP_SIZE}. */
    public static final int FALLOC_FL_PUNCH_HOLE = 0x02;
    /** Reserved by the kernel; no Linux filesystem accepts it (EOPNOTSUPP). */
    public static final int FALLOC_FL_NO_HIDE_STALE = 0x04;
    /** Remove the range and shift what follows down, shrinking the file. Block-aligned; ext4 and xfs. */
    public static final int FALLOC_FL_COLLAPSE_RANGE = 0x08;
    /** Make the range read as zeros, allocating it (usually as unwritten extents). */
    public static final int FALLOC_FL_ZERO_RANGE = 0x10;
    /** Insert a hole of len bytes at offset, shifting what follows up, growing the file. Block-aligned; ext4 and xfs. */
    public static final int FALLOC_FL_INSERT_RANGE = 0x20;
    /** Give the file private copies of extents it shares with other files (reflinks), so writes cannot fail for space. */
    public static final int FALLOC_FL_UNSHARE_RANGE = 0x40;
    /** Make the range read as zeros by having the device write zeros (Linux 6.17+). */
    public static final int FALLOC_FL_WRITE_ZEROES = 0x80;

    /** No advice: the kernel's default read-ahead. */
    public static final int POSIX_FADV_NORMAL = 0;
    /** Access will be random: disable read-ahead. */
    public static final int POSIX_FADV_RANDOM = 1;
    /** Access will be sequential: read ahead more aggressively. */
    public static final int POSIX_FADV_SEQUENTIAL = 2;
    /** The range will be needed soon: start reading it into the page cache now. */
    public static final int POSIX_FADV_WILLNEED = 3;
    /** The range will not be needed soon: drop its clean pages from the page cache. */
    public static final int POSIX_FADV_DONTNEED = 4;
    /** The range will be accessed once (a no-op on Linux before 6.3). */
    public static final int POSIX_FADV_NOREUSE = 5;

    private Fallocate() {}

    /**
     * Allocates disk space for the range {@code [offset, offset+len)}: fallocate(2) with mode 0. Ranges that were holes read as zeros; the file grows when the range passes its end. Afterwards, writes into the range cannot fail for lack of space.
     *
     * @param file a channel from {@code FileChannel.open}, a RandomAccessFile or a file stream; needs {@code --add-opens java.base/sun.nio.ch} and {@code java.base/java.io}
     * @param offset first byte of the range, {@code >= 0}
     * @param len length of the range, {@code > 0}
     * @throws FileSpaceException when the call fails; the errno and the call's arguments are in the exception
     * @throws IllegalArgumentException for a negative offset, a length out of range, or offset+len past 2^63-1; no system call is made
     * @throws IOException when the Path cannot be opened or the channel is closed
     */
    public static void fallocate(FileChannel file, long offset, long len) throws IOException {
        Calls.fallocate(file, offset, len, 0);
    }

    /**
     * Allocates disk space for the range {@code [offset, offset+len)}: fallocate(2) with mode 0. Ranges that were holes read as zeros; the file grows when the range passes its end. Afterwards, writes into the range cannot fail for lack of space.
     *
     * @param file an open RandomAccessFile; needs {@code --add-opens java.base/java.io}
     * @param offset first byte of the range, {@code >= 0}
     * @param len length of the range, {@code > 0}
     * @throws FileSpaceException when the call fails; the errno and the call's arguments are in the exception
     * @throws IllegalArgumentException for a negative offset, a length out of range, or offset+len past 2^63-1; no system call is made
     * @throws IOException when the Path cannot be opened or the channel is closed
     */
    public static void fallocate(RandomAccessFile file, long offset, long len) throws IOException {
        Calls.fallocate(file, offset, len, 0);
    }

    /**
     * Allocates disk space for the range {@code [offset, offset+len)}: fallocate(2) with mode 0. Ranges that were holes read as zeros; the file grows when the range passes its end. Afterwards, writes into the range cannot fail for lack of space.
     *
     * @param file an open FileOutputStream; needs {@code --add-opens java.base/java.io}
     * @param offset first byte of the range, {@code >= 0}
     * @param len length of the range, {@code > 0}
     * @throws FileSpaceException when the call fails; the errno and the call's arguments are in the exception
     * @throws IllegalArgumentException for a negative offset, a length out of range, or offset+len past 2^63-1; no system call is made
     * @throws IOException when the Path cannot be opened or the channel is closed
     */
    public static void fallocate(FileOutputStream file, long offset, long len) throws IOException {
        Calls.fallocate(file, offset, len, 0);
    }

    /**
     * Allocates disk space for the range {@code [offset, offset+len)}: fallocate(2) with mode 0. Ranges that were holes read as zeros; the file grows when the range passes its end. Afterwards, writes into the range cannot fail for lack of space.
     *
     * @param file an open FileInputStream (fallocate needs it opened for writing, which it is not: expect EBADF; posix_fadvise works); needs {@code --add-opens java.base/java.io}
     * @param offset first byte of the range, {@code >= 0}
     * @param len length of the range, {@code > 0}
     * @throws FileSpaceException when the call fails; the errno and the call's arguments are in the exception
     * @throws IllegalArgumentException for a negative offset, a length out of range, or offset+len past 2^63-1; no system call is made
     * @throws IOException when the Path cannot be opened or the channel is closed
     */
    public static void fallocate(FileInputStream file, long offset, long len) throws IOException {
        Calls.fallocate(file, offset, len, 0);
    }

    /**
     * Allocates disk space for the range {@code [offset, offset+len)}: fallocate(2) with mode 0. Ranges that were holes read as zeros; the file grows when the range passes its end. Afterwards, writes into the range cannot fail for lack of space.
     *
     * @param fd an open FileDescriptor; needs {@code --add-opens java.base/java.io}
     * @param offset first byte of the range, {@code >= 0}
     * @param len length of the range, {@code > 0}
     * @throws FileSpaceException when the call fails; the errno and the call's arguments are in the exception
     * @throws IllegalArgumentException for a negative offset, a length out of range, or offset+len past 2^63-1; no system call is made
     * @throws IOException when the Path cannot be opened or the channel is closed
     */
    public static void fallocate(FileDescriptor fd, long offset, long len) throws IOException {
        Calls.fallocate(fd, offset, len, 0);
    }

    /**
     * Allocates disk space for the range {@code [offset, offset+len)}: fallocate(2) with mode 0. Ranges that were holes read as zeros; the file grows when the range passes its end. Afterwards, writes into the range cannot fail for lack of space.
     *
     * @param fd a raw descriptor number, used as it is; needs no opened packages
     * @param offset first byte of the range, {@code >= 0}
     * @param len length of the range, {@code > 0}
     * @throws FileSpaceException when the call fails; the errno and the call's arguments are in the exception
     * @throws IllegalArgumentException for a negative offset, a length out of range, or offset+len past 2^63-1; no system call is made
     * @throws IOException when the Path cannot be opened or the channel is closed
     */
    public static void fallocate(int fd, long offset, long len) throws IOException {
        Calls.fallocate(fd, offset, len, 0);
    }

    /**
     * Allocates disk space for the range {@code [offset, offset+len)}: fallocate(2) with mode 0. Ranges that were holes read as zeros; the file grows when the range passes its end. Afterwards, writes into the range cannot fail for lack of space.
     *
     * @param file a path, opened for the call and always closed afterwards; needs no opened packages
     * @param offset first byte of the range, {@code >= 0}
     * @param len length of the range, {@code > 0}
     * @throws FileSpaceException when the call fails; the errno and the call's arguments are in the exception
     * @throws IllegalArgumentException for a negative offset, a length out of range, or offset+len past 2^63-1; no system call is made
     * @throws IOException when the Path cannot be opened or the channel is closed
     */
    public static void fallocate(Path file, long offset, long len) throws IOException {
        Calls.fallocate(file, offset, len, 0);
    }

    /**
     * fallocate(2): manipulates the disk space of {@code [offset, offset+len)} as {@code mode} says, a bitwise OR of the {@code FALLOC_FL_*} constants (0 allocates). Note the argument order of the Python package: mode last.
     *
     * @param file a channel from {@code FileChannel.open}, a RandomAccessFile or a file stream; needs {@code --add-opens java.base/sun.nio.ch} and {@code java.base/java.io}
     * @param offset first byte of the range, {@code >= 0}
     * @param len length of the range, {@code > 0}
     * @param mode {@code FALLOC_FL_*} flags; bits the kernel does not know fail with EOPNOTSUPP
     * @throws FileSpaceException when the call fails; the errno and the call's arguments are in the exception
     * @throws IllegalArgumentException for a negative offset, a length out of range, or offset+len past 2^63-1; no system call is made
     * @throws IOException when the Path cannot be opened or the channel is closed
     */
    public static void fallocate(FileChannel file, long offset, long len, int mode) throws IOException {
        Calls.fallocate(file, offset, len, mode);
    }

    /**
     * fallocate(2): manipulates the disk space of {@code [offset, offset+len)} as {@code mode} says, a bitwise OR of the {@code FALLOC_FL_*} constants (0 allocates). Note the argument order of the Python package: mode last.
     *
     * @param file an open RandomAccessFile; needs {@code --add-opens java.base/java.io}
     * @param offset first byte of the range, {@code >= 0}
     * @param len length of the range, {@code > 0}
     * @param mode {@code FALLOC_FL_*} flags; bits the kernel does not know fail with EOPNOTSUPP
     * @throws FileSpaceException when the call fails; the errno and the call's arguments are in the exception
     * @throws IllegalArgumentException for a negative offset, a length out of range, or offset+len past 2^63-1; no system call is made
     * @throws IOException when the Path cannot be opened or the channel is closed
     */
    public static void fallocate(RandomAccessFile file, long offset, long len, int mode) throws IOException {
        Calls.fallocate(file, offset, len, mode);
    }

    /**
     * fallocate(2): manipulates the disk space of {@code [offset, offset+len)} as {@code mode} says, a bitwise OR of the {@code FALLOC_FL_*} constants (0 allocates). Note the argument order of the Python package: mode last.
     *
     * @param file an open FileOutputStream; needs {@code --add-opens java.base/java.io}
     * @param offset first byte of the range, {@code >= 0}
     * @param len length of the range, {@code > 0}
     * @param mode {@code FALLOC_FL_*} flags; bits the kernel does not know fail with EOPNOTSUPP
     * @throws FileSpaceException when the call fails; the errno and the call's arguments are in the exception
     * @throws IllegalArgumentException for a negative offset, a length out of range, or offset+len past 2^63-1; no system call is made
     * @throws IOException when the Path cannot be opened or the channel is closed
     */
    public static void fallocate(FileOutputStream file, long offset, long len, int mode) throws IOException {
        Calls.fallocate(file, offset, len, mode);
    }

    /**
     * fallocate(2): manipulates the disk space of {@code [offset, offset+len)} as {@code mode} says, a bitwise OR of the {@code FALLOC_FL_*} constants (0 allocates). Note the argument order of the Python package: mode last.
     *
     * @param file an open FileInputStream (fallocate needs it opened for writing, which it is not: expect EBADF; posix_fadvise works); needs {@code --add-opens java.base/java.io}
     * @param offset first byte of the range, {@code >= 0}
     * @param len length of the range, {@code > 0}
     * @param mode {@code FALLOC_FL_*} flags; bits the kernel does not know fail with EOPNOTSUPP
     * @throws FileSpaceException when the call fails; the errno and the call's arguments are in the exception
     * @throws IllegalArgumentException for a negative offset, a length out of range, or offset+len past 2^63-1; no system call is made
     * @throws IOException when the Path cannot be opened or the channel is closed
     */
    public static void fallocate(FileInputStream file, long offset, long len, int mode) throws IOException {
        Calls.fallocate(file, offset, len, mode);
    }

    /**
     * fallocate(2): manipulates the disk space of {@code [offset, offset+len)} as {@code mode} says, a bitwise OR of the {@code FALLOC_FL_*} constants (0 allocates). Note the argument order of the Python package: mode last.
     *
     * @param fd an open FileDescriptor; needs {@code --add-opens java.base/java.io}
     * @param offset first byte of the range, {@code >= 0}
     * @param len length of the range, {@code > 0}
     * @param mode {@code FALLOC_FL_*} flags; bits the kernel does not know fail with EOPNOTSUPP
     * @throws FileSpaceException when the call fails; the errno and the call's arguments are in the exception
     * @throws IllegalArgumentException for a negative offset, a length out of range, or offset+len past 2^63-1; no system call is made
     * @throws IOException when the Path cannot be opened or the channel is closed
     */
    public static void fallocate(FileDescriptor fd, long offset, long len, int mode) throws IOException {
        Calls.fallocate(fd, offset, len, mode);
    }

    /**
     * fallocate(2): manipulates the disk space of {@code [offset, offset+len)} as {@code mode} says, a bitwise OR of the {@code FALLOC_FL_*} constants (0 allocates). Note the argument order of the Python package: mode last.
     *
     * @param fd a raw descriptor number, used as it is; needs no opened packages
     * @param offset first byte of the range, {@code >= 0}
     * @param len length of the range, {@code > 0}
     * @param mode {@code FALLOC_FL_*} flags; bits the kernel does not know fail with EOPNOTSUPP
     * @throws FileSpaceException when the call fails; the errno and the call's arguments are in the exception
     * @throws IllegalArgumentException for a negative offset, a length out of range, or offset+len past 2^63-1; no system call is made
     * @throws IOException when the Path cannot be opened or the channel is closed
     */
    public static void fallocate(int fd, long offset, long len, int mode) throws IOException {
        Calls.fallocate(fd, offset, len, mode);
    }

    /**
     * fallocate(2): manipulates the disk space of {@code [offset, offset+len)} as {@code mode} says, a bitwise OR of the {@code FALLOC_FL_*} constants (0 allocates). Note the argument order of the Python package: mode last.
     *
     * @param file a path, opened for the call and always closed afterwards; needs no opened packages
     * @param offset first byte of the range, {@code >= 0}
     * @param len length of the range, {@code > 0}
     * @param mode {@code FALLOC_FL_*} flags; bits the kernel does not know fail with EOPNOTSUPP
     * @throws FileSpaceException when the call fails; the errno and the call's arguments are in the exception
     * @throws IllegalArgumentException for a negative offset, a length out of range, or offset+len past 2^63-1; no system call is made
     * @throws IOException when the Path cannot be opened or the channel is closed
     */
    public static void fallocate(Path file, long offset, long len, int mode) throws IOException {
        Calls.fallocate(file, offset, len, mode);
    }

    /**
     * posix_fallocate(3): ensures disk space is allocated for {@code [offset, offset+len)}, growing the file if needed. Where the filesystem has no fallocate(2) for the file (ext2, ext3, ext4 without extents, ...) the C library emulates it by reading and rewriting a byte in every block, which needs a descriptor open for reading and writing and not for appending (EBADF otherwise).
     *
     * @param file a channel from {@code FileChannel.open}, a RandomAccessFile or a file stream; needs {@code --add-opens java.base/sun.nio.ch} and {@code java.base/java.io}
     * @param offset first byte of the range, {@code >= 0}
     * @param len length of the range, {@code > 0}
     * @throws FileSpaceException when the call fails; the errno and the call's arguments are in the exception
     * @throws IllegalArgumentException for a negative offset, a length out of range, or offset+len past 2^63-1; no system call is made
     * @throws IOException when the Path cannot be opened or the channel is closed
     */
    public static void posixFallocate(FileChannel file, long offset, long len) throws IOException {
        Calls.posixFallocate(file, offset, len);
    }

    /**
     * posix_fallocate(3): ensures disk space is allocated for {@code [offset, offset+len)}, growing the file if needed. Where the filesystem has no fallocate(2) for the file (ext2, ext3, ext4 without extents, ...) the C library emulates it by reading and rewriting a byte in every block, which needs a descriptor open for reading and writing and not for appending (EBADF otherwise).
     *
     * @param file an open RandomAccessFile; needs {@code --add-opens java.base/java.io}
     * @param offset first byte of the range, {@code >= 0}
     * @param len length of the range, {@code > 0}
     * @throws FileSpaceException when the call fails; the errno and the call's arguments are in the exception
     * @throws IllegalArgumentException for a negative offset, a length out of range, or offset+len past 2^63-1; no system call is made
     * @throws IOException when the Path cannot be opened or the channel is closed
     */
    public static void posixFallocate(RandomAccessFile file, long offset, long len) throws IOException {
        Calls.posixFallocate(file, offset, len);
    }

    /**
     * posix_fallocate(3): ensures disk space is allocated for {@code [offset, offset+len)}, growing the file if needed. Where the filesystem has no fallocate(2) for the file (ext2, ext3, ext4 without extents, ...) the C library emulates it by reading and rewriting a byte in every block, which needs a descriptor open for reading and writing and not for appending (EBADF otherwise).
     *
     * @param file an open FileOutputStream; needs {@code --add-opens java.base/java.io}
     * @param offset first byte of the range, {@code >= 0}
     * @param len length of the range, {@code > 0}
     * @throws FileSpaceException when the call fails; the errno and the call's arguments are in the exception
     * @throws IllegalArgumentException for a negative offset, a length out of range, or offset+len past 2^63-1; no system call is made
     * @throws IOException when the Path cannot be opened or the channel is closed
     */
    public static void posixFallocate(FileOutputStream file, long offset, long len) throws IOException {
        Calls.posixFallocate(file, offset, len);
    }

    /**
     * posix_fallocate(3): ensures disk space is allocated for {@code [offset, offset+len)}, growing the file if needed. Where the filesystem has no fallocate(2) for the file (ext2, ext3, ext4 without extents, ...) the C library emulates it by reading and rewriting a byte in every block, which needs a descriptor open for reading and writing and not for appending (EBADF otherwise).
     *
     * @param file an open FileInputStream (fallocate needs it opened for writing, which it is not: expect EBADF; posix_fadvise works); needs {@code --add-opens java.base/java.io}
     * @param offset first byte of the range, {@code >= 0}
     * @param len length of the range, {@code > 0}
     * @throws FileSpaceException when the call fails; the errno and the call's arguments are in the exception
     * @throws IllegalArgumentException for a negative offset, a length out of range, or offset+len past 2^63-1; no system call is made
     * @throws IOException when the Path cannot be opened or the channel is closed
     */
    public static void posixFallocate(FileInputStream file, long offset, long len) throws IOException {
        Calls.posixFallocate(file, offset, len);
    }

    /**
     * posix_fallocate(3): ensures disk space is allocated for {@code [offset, offset+len)}, growing the file if needed. Where the filesystem has no fallocate(2) for the file (ext2, ext3, ext4 without extents, ...) the C library emulates it by reading and rewriting a byte in every block, which needs a descriptor open for reading and writing and not for appending (EBADF otherwise).
     *
     * @param fd an open FileDescriptor; needs {@code --add-opens java.base/java.io}
     * @param offset first byte of the range, {@code >= 0}
     * @param len length of the range, {@code > 0}
     * @throws FileSpaceException when the call fails; the errno and the call's arguments are in the exception
     * @throws IllegalArgumentException for a negative offset, a length out of range, or offset+len past 2^63-1; no system call is made
     * @throws IOException when the Path cannot be opened or the channel is closed
     */
    public static void posixFallocate(FileDescriptor fd, long offset, long len) throws IOException {
        Calls.posixFallocate(fd, offset, len);
    }

    /**
     * posix_fallocate(3): ensures disk space is allocated for {@code [offset, offset+len)}, growing the file if needed. Where the filesystem has no fallocate(2) for the file (ext2, ext3, ext4 without extents, ...) the C library emulates it by reading and rewriting a byte in every block, which needs a descriptor open for reading and writing and not for appending (EBADF otherwise).
     *
     * @param fd a raw descriptor number, used as it is; needs no opened packages
     * @param offset first byte of the range, {@code >= 0}
     * @param len length of the range, {@code > 0}
     * @throws FileSpaceException when the call fails; the errno and the call's arguments are in the exception
     * @throws IllegalArgumentException for a negative offset, a length out of range, or offset+len past 2^63-1; no system call is made
     * @throws IOException when the Path cannot be opened or the channel is closed
     */
    public static void posixFallocate(int fd, long offset, long len) throws IOException {
        Calls.posixFallocate(fd, offset, len);
    }

    /**
     * posix_fallocate(3): ensures disk space is allocated for {@code [offset, offset+len)}, growing the file if needed. Where the filesystem has no fallocate(2) for the file (ext2, ext3, ext4 without extents, ...) the C library emulates it by reading and rewriting a byte in every block, which needs a descriptor open for reading and writing and not for appending (EBADF otherwise).
     *
     * @param file a path, opened for the call and always closed afterwards; needs no opened packages
     * @param offset first byte of the range, {@code >= 0}
     * @param len length of the range, {@code > 0}
     * @throws FileSpaceException when the call fails; the errno and the call's arguments are in the exception
     * @throws IllegalArgumentException for a negative offset, a length out of range, or offset+len past 2^63-1; no system call is made
     * @throws IOException when the Path cannot be opened or the channel is closed
     */
    public static void posixFallocate(Path file, long offset, long len) throws IOException {
        Calls.posixFallocate(file, offset, len);
    }

    /**
     * posix_fadvise(3): tells the kernel how {@code [offset, offset+len)} will be accessed ({@code len} 0 means to the end of the file), so it can read ahead or drop cached pages. {@code advice} is one of the {@code POSIX_FADV_*} constants.
     *
     * @param file a channel from {@code FileChannel.open}, a RandomAccessFile or a file stream; needs {@code --add-opens java.base/sun.nio.ch} and {@code java.base/java.io}
     * @param offset first byte of the range; any value (the kernel takes a negative one, and a range past 2^63-1, as reaching the end of the file)
     * @param len length of the range, {@code >= 0}; 0 means up to the end of the file
     * @param advice one of {@link #POSIX_FADV_NORMAL} .. {@link #POSIX_FADV_NOREUSE}; other values fail with EINVAL from the kernel
     * @throws FileSpaceException when the call fails; the errno and the call's arguments are in the exception
     * @throws IllegalArgumentException for a negative length, which the kernel refuses (EINVAL); no system call is made
     * @throws IOException when the Path cannot be opened or the channel is closed
     */
    public static void posixFadvise(FileChannel file, long offset, long len, int advice) throws IOException {
        Calls.posixFadvise(file, offset, len, advice);
    }

    /**
     * posix_fadvise(3): tells the kernel how {@code [offset, offset+len)} will be accessed ({@code len} 0 means to the end of the file), so it can read ahead or drop cached pages. {@code advice} is one of the {@code POSIX_FADV_*} constants.
     *
     * @param file an open RandomAccessFile; needs {@code --add-opens java.base/java.io}
     * @param offset first byte of the range; any value (the kernel takes a negative one, and a range past 2^63-1, as reaching the end of the file)
     * @param len length of the range, {@code >= 0}; 0 means up to the end of the file
     * @param advice one of {@link #POSIX_FADV_NORMAL} .. {@link #POSIX_FADV_NOREUSE}; other values fail with EINVAL from the kernel
     * @throws FileSpaceException when the call fails; the errno and the call's arguments are in the exception
     * @throws IllegalArgumentException for a negative length, which the kernel refuses (EINVAL); no system call is made
     * @throws IOException when the Path cannot be opened or the channel is closed
     */
    public static void posixFadvise(RandomAccessFile file, long offset, long len, int advice) throws IOException {
        Calls.posixFadvise(file, offset, len, advice);
    }

    /**
     * posix_fadvise(3): tells the kernel how {@code [offset, offset+len)} will be accessed ({@code len} 0 means to the end of the file), so it can read ahead or drop cached pages. {@code advice} is one of the {@code POSIX_FADV_*} constants.
     *
     * @param file an open FileOutputStream; needs {@code --add-opens java.base/java.io}
     * @param offset first byte of the range; any value (the kernel takes a negative one, and a range past 2^63-1, as reaching the end of the file)
     * @param len length of the range, {@code >= 0}; 0 means up to the end of the file
     * @param advice one of {@link #POSIX_FADV_NORMAL} .. {@link #POSIX_FADV_NOREUSE}; other values fail with EINVAL from the kernel
     * @throws FileSpaceException when the call fails; the errno and the call's arguments are in the exception
     * @throws IllegalArgumentException for a negative length, which the kernel refuses (EINVAL); no system call is made
     * @throws IOException when the Path cannot be opened or the channel is closed
     */
    public static void posixFadvise(FileOutputStream file, long offset, long len, int advice) throws IOException {
        Calls.posixFadvise(file, offset, len, advice);
    }

    /**
     * posix_fadvise(3): tells the kernel how {@code [offset, offset+len)} will be accessed ({@code len} 0 means to the end of the file), so it can read ahead or drop cached pages. {@code advice} is one of the {@code POSIX_FADV_*} constants.
     *
     * @param file an open FileInputStream (fallocate needs it opened for writing, which it is not: expect EBADF; posix_fadvise works); needs {@code --add-opens java.base/java.io}
     * @param offset first byte of the range; any value (the kernel takes a negative one, and a range past 2^63-1, as reaching the end of the file)
     * @param len length of the range, {@code >= 0}; 0 means up to the end of the file
     * @param advice one of {@link #POSIX_FADV_NORMAL} .. {@link #POSIX_FADV_NOREUSE}; other values fail with EINVAL from the kernel
     * @throws FileSpaceException when the call fails; the errno and the call's arguments are in the exception
     * @throws IllegalArgumentException for a negative length, which the kernel refuses (EINVAL); no system call is made
     * @throws IOException when the Path cannot be opened or the channel is closed
     */
    public static void posixFadvise(FileInputStream file, long offset, long len, int advice) throws IOException {
        Calls.posixFadvise(file, offset, len, advice);
    }

    /**
     * posix_fadvise(3): tells the kernel how {@code [offset, offset+len)} will be accessed ({@code len} 0 means to the end of the file), so it can read ahead or drop cached pages. {@code advice} is one of the {@code POSIX_FADV_*} constants.
     *
     * @param fd an open FileDescriptor; needs {@code --add-opens java.base/java.io}
     * @param offset first byte of the range; any value (the kernel takes a negative one, and a range past 2^63-1, as reaching the end of the file)
     * @param len length of the range, {@code >= 0}; 0 means up to the end of the file
     * @param advice one of {@link #POSIX_FADV_NORMAL} .. {@link #POSIX_FADV_NOREUSE}; other values fail with EINVAL from the kernel
     * @throws FileSpaceException when the call fails; the errno and the call's arguments are in the exception
     * @throws IllegalArgumentException for a negative length, which the kernel refuses (EINVAL); no system call is made
     * @throws IOException when the Path cannot be opened or the channel is closed
     */
    public static void posixFadvise(FileDescriptor fd, long offset, long len, int advice) throws IOException {
        Calls.posixFadvise(fd, offset, len, advice);
    }

    /**
     * posix_fadvise(3): tells the kernel how {@code [offset, offset+len)} will be accessed ({@code len} 0 means to the end of the file), so it can read ahead or drop cached pages. {@code advice} is one of the {@code POSIX_FADV_*} constants.
     *
     * @param fd a raw descriptor number, used as it is; needs no opened packages
     * @param offset first byte of the range; any value (the kernel takes a negative one, and a range past 2^63-1, as reaching the end of the file)
     * @param len length of the range, {@code >= 0}; 0 means up to the end of the file
     * @param advice one of {@link #POSIX_FADV_NORMAL} .. {@link #POSIX_FADV_NOREUSE}; other values fail with EINVAL from the kernel
     * @throws FileSpaceException when the call fails; the errno and the call's arguments are in the exception
     * @throws IllegalArgumentException for a negative length, which the kernel refuses (EINVAL); no system call is made
     * @throws IOException when the Path cannot be opened or the channel is closed
     */
    public static void posixFadvise(int fd, long offset, long len, int advice) throws IOException {
        Calls.posixFadvise(fd, offset, len, advice);
    }

    /**
     * posix_fadvise(3): tells the kernel how {@code [offset, offset+len)} will be accessed ({@code len} 0 means to the end of the file), so it can read ahead or drop cached pages. {@code advice} is one of the {@code POSIX_FADV_*} constants.
     *
     * @param file a path, opened for the call and always closed afterwards; needs no opened packages
     * @param offset first byte of the range; any value (the kernel takes a negative one, and a range past 2^63-1, as reaching the end of the file)
     * @param len length of the range, {@code >= 0}; 0 means up to the end of the file
     * @param advice {@link #POSIX_FADV_WILLNEED} or {@link #POSIX_FADV_DONTNEED}, which act on the page cache; values outside 0..5 fail with EINVAL from the kernel
     * @throws FileSpaceException when the call fails; the errno and the call's arguments are in the exception
     * @throws IllegalArgumentException for {@link #POSIX_FADV_NORMAL}, {@link #POSIX_FADV_RANDOM}, {@link #POSIX_FADV_SEQUENTIAL} and {@link #POSIX_FADV_NOREUSE}, which hold only for the descriptor they are given (the one opened here is closed at once: pass the open channel instead); for a negative length, which the kernel refuses (EINVAL); no system call is made
     * @throws IOException when the Path cannot be opened or the channel is closed
     */
    public static void posixFadvise(Path file, long offset, long len, int advice) throws IOException {
        Calls.posixFadvise(file, offset, len, advice);
    }
}
