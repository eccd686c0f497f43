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
 * {@link java.lang.reflect.InaccessibleObjectException} naming every option missing, as it is typed.
 * Paths and ints need neither.
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

    /** {@link #fallocate(Path, long, long, int)} with mode 0 (allocate), on a {@link FileChannel} (from {@code FileChannel.open}, a RandomAccessFile or a file stream, left open); needs {@code --add-opens java.base/sun.nio.ch=ALL-UNNAMED} and {@code java.base/java.io=ALL-UNNAMED}. */
    public static void fallocate(FileChannel file, long offset, long len) throws IOException {
        Calls.fallocate(file, offset, len, 0);
    }

    /** {@link #fallocate(Path, long, long, int)} with mode 0 (allocate), on an open {@link RandomAccessFile}, left open; needs {@code --add-opens java.base/java.io=ALL-UNNAMED}. */
    public static void fallocate(RandomAccessFile file, long offset, long len) throws IOException {
        Calls.fallocate(file, offset, len, 0);
    }

    /** {@link #fallocate(Path, long, long, int)} with mode 0 (allocate), on an open {@link FileOutputStream}, left open; needs {@code --add-opens java.base/java.io=ALL-UNNAMED}. */
    public static void fallocate(FileOutputStream file, long offset, long len) throws IOException {
        Calls.fallocate(file, offset, len, 0);
    }

    /** {@link #fallocate(Path, long, long, int)} with mode 0 (allocate), on an open {@link FileInputStream}, left open (read-only: fallocate and posix_fallocate fail with EBADF); needs {@code --add-opens java.base/java.io=ALL-UNNAMED}. */
    public static void fallocate(FileInputStream file, long offset, long len) throws IOException {
        Calls.fallocate(file, offset, len, 0);
    }

    /** {@link #fallocate(Path, long, long, int)} with mode 0 (allocate), on an open {@link FileDescriptor}, left open; needs {@code --add-opens java.base/java.io=ALL-UNNAMED}. */
    public static void fallocate(FileDescriptor fd, long offset, long len) throws IOException {
        Calls.fallocate(fd, offset, len, 0);
    }

    /** {@link #fallocate(Path, long, long, int)} with mode 0 (allocate), on a raw descriptor number, used as it is and left open; needs no opened package. */
    public static void fallocate(int fd, long offset, long len) throws IOException {
        Calls.fallocate(fd, offset, len, 0);
    }

    /** {@link #fallocate(Path, long, long, int)} with mode 0 (allocate), on a {@link Path}, opened for the call and always closed; needs no opened package. */
    public static void fallocate(Path file, long offset, long len) throws IOException {
        Calls.fallocate(file, offset, len, 0);
    }

    /** {@link #fallocate(Path, long, long, int)} on a {@link FileChannel} (from {@code FileChannel.open}, a RandomAccessFile or a file stream, left open); needs {@code --add-opens java.base/sun.nio.ch=ALL-UNNAMED} and {@code java.base/java.io=ALL-UNNAMED}. */
    public static void fallocate(FileChannel file, long offset, long len, int mode) throws IOException {
        Calls.fallocate(file, offset, len, mode);
    }

    /** {@link #fallocate(Path, long, long, int)} on an open {@link RandomAccessFile}, left open; needs {@code --add-opens java.base/java.io=ALL-UNNAMED}. */
    public static void fallocate(RandomAccessFile file, long offset, long len, int mode) throws IOException {
        Calls.fallocate(file, offset, len, mode);
    }

    /** {@link #fallocate(Path, long, long, int)} on an open {@link FileOutputStream}, left open; needs {@code --add-opens java.base/java.io=ALL-UNNAMED}. */
    public static void fallocate(FileOutputStream file, long offset, long len, int mode) throws IOException {
        Calls.fallocate(file, offset, len, mode);
    }

    /** {@link #fallocate(Path, long, long, int)} on an open {@link FileInputStream}, left open (read-only: fallocate and posix_fallocate fail with EBADF); needs {@code --add-opens java.base/java.io=ALL-UNNAMED}. */
    public static void fallocate(FileInputStream file, long offset, long len, int mode) throws IOException {
        Calls.fallocate(file, offset, len, mode);
    }

    /** {@link #fallocate(Path, long, long, int)} on an open {@link FileDescriptor}, left open; needs {@code --add-opens java.base/java.io=ALL-UNNAMED}. */
    public static void fallocate(FileDescriptor fd, long offset, long len, int mode) throws IOException {
        Calls.fallocate(fd, offset, len, mode);
    }

    /** {@link #fallocate(Path, long, long, int)} on a raw descriptor number, used as it is and left open; needs no opened package. */
    public static void fallocate(int fd, long offset, long len, int mode) throws IOException {
        Calls.fallocate(fd, offset, len, mode);
    }

    /**
     * fallocate(2): changes the disk space of the range {@code [offset, offset+len)} (bytes) as {@code mode}
     * says. Mode 0 allocates it: holes in the range become allocated blocks that read as zeros, the file
     * grows when the range passes its end, and afterwards writes into the range cannot fail for lack of
     * space. Other modes are a bitwise OR of the {@code FALLOC_FL_*} constants, each documented above (which
     * combinations the kernel accepts is checked by the kernel, not here). As in the Python package, mode
     * comes last. The call is retried when a signal interrupts it (EINTR).
     *
     * <p>This overload opens the Path for the call and always closes it: created (permissions 0666 less
     * the umask) when missing and mode is 0, as fallocate(1) does; otherwise opened for reading and
     * writing. The other overloads take the file as a FileChannel, RandomAccessFile, FileOutputStream,
     * FileInputStream, FileDescriptor or int descriptor and leave it open; every one but Path and int
     * needs {@code --add-opens java.base/java.io=ALL-UNNAMED} (a FileChannel also {@code java.base/sun.nio.ch}),
     * without which it throws {@link java.lang.reflect.InaccessibleObjectException} naming every option missing.
     * The three-argument overloads are mode 0.
     *
     * @param file the file
     * @param offset first byte of the range, {@code >= 0}
     * @param len length of the range in bytes, {@code > 0}
     * @param mode 0, or {@code FALLOC_FL_*} bits
     * @throws ModeNotSupportedException when the kernel or filesystem does not support {@code mode} (EOPNOTSUPP)
     * @throws NoSpaceException when the device or the disk quota is full (ENOSPC, EDQUOT)
     * @throws FileSpaceException when fallocate(2) fails otherwise (EBADF: not open for writing; EINVAL:
     *         misaligned or out-of-range COLLAPSE_RANGE or INSERT_RANGE; EFBIG, ENODEV, ESPIPE, EPERM,
     *         ETXTBSY, ...); it carries the errno, the call's arguments and an explanation
     * @throws java.nio.file.NoSuchFileException when the Path does not exist and mode is not 0
     * @throws java.nio.file.AccessDeniedException when the Path may not be opened for writing
     * @throws IllegalArgumentException for a negative offset, a len {@code <= 0}, or offset+len past
     *         2<sup>63</sup>-1, before any system call
     * @throws IOException when the Path cannot be opened otherwise, or the channel is closed
     */
    public static void fallocate(Path file, long offset, long len, int mode) throws IOException {
        Calls.fallocate(file, offset, len, mode);
    }

    /** {@link #posixFallocate(Path, long, long)} on a {@link FileChannel} (from {@code FileChannel.open}, a RandomAccessFile or a file stream, left open); needs {@code --add-opens java.base/sun.nio.ch=ALL-UNNAMED} and {@code java.base/java.io=ALL-UNNAMED}. */
    public static void posixFallocate(FileChannel file, long offset, long len) throws IOException {
        Calls.posixFallocate(file, offset, len);
    }

    /** {@link #posixFallocate(Path, long, long)} on an open {@link RandomAccessFile}, left open; needs {@code --add-opens java.base/java.io=ALL-UNNAMED}. */
    public static void posixFallocate(RandomAccessFile file, long offset, long len) throws IOException {
        Calls.posixFallocate(file, offset, len);
    }

    /** {@link #posixFallocate(Path, long, long)} on an open {@link FileOutputStream}, left open; needs {@code --add-opens java.base/java.io=ALL-UNNAMED}. */
    public static void posixFallocate(FileOutputStream file, long offset, long len) throws IOException {
        Calls.posixFallocate(file, offset, len);
    }

    /** {@link #posixFallocate(Path, long, long)} on an open {@link FileInputStream}, left open (read-only: fallocate and posix_fallocate fail with EBADF); needs {@code --add-opens java.base/java.io=ALL-UNNAMED}. */
    public static void posixFallocate(FileInputStream file, long offset, long len) throws IOException {
        Calls.posixFallocate(file, offset, len);
    }

    /** {@link #posixFallocate(Path, long, long)} on an open {@link FileDescriptor}, left open; needs {@code --add-opens java.base/java.io=ALL-UNNAMED}. */
    public static void posixFallocate(FileDescriptor fd, long offset, long len) throws IOException {
        Calls.posixFallocate(fd, offset, len);
    }

    /** {@link #posixFallocate(Path, long, long)} on a raw descriptor number, used as it is and left open; needs no opened package. */
    public static void posixFallocate(int fd, long offset, long len) throws IOException {
        Calls.posixFallocate(fd, offset, len);
    }

    /**
     * posix_fallocate(3): makes sure disk space is allocated for {@code [offset, offset+len)} (bytes),
     * growing the file when the range passes its end. glibc calls fallocate(2) with mode 0, and where the
     * filesystem has no fallocate for the file (ext2, ext3, ext4 without extents, ...) emulates it by
     * reading and rewriting a byte in every block (slow, and not atomic), which needs a descriptor open for
     * reading and writing and not for appending (EBADF otherwise). Retried on EINTR. This overload opens the Path for the call (created,
     * permissions 0666 less the umask, when missing) and always closes it; the other overloads take
     * the handles {@link #fallocate(Path, long, long, int)} lists, with the same JVM options.
     *
     * @param file the file
     * @param offset first byte of the range, {@code >= 0}
     * @param len length of the range in bytes, {@code > 0}
     * @throws NoSpaceException when the device or the disk quota is full (ENOSPC, EDQUOT)
     * @throws FileSpaceException when the call fails otherwise (EBADF: not open for writing; EFBIG, ENODEV,
     *         ESPIPE, EINVAL, ...); it carries the errno, the call's arguments and an explanation
     * @throws java.nio.file.AccessDeniedException when the Path may not be opened for writing
     * @throws IllegalArgumentException for a negative offset, a len {@code <= 0}, or offset+len past
     *         2<sup>63</sup>-1, before any system call
     * @throws IOException when the Path cannot be opened otherwise, or the channel is closed
     */
    public static void posixFallocate(Path file, long offset, long len) throws IOException {
        Calls.posixFallocate(file, offset, len);
    }

    /** {@link #posixFadvise(Path, long, long, int)} on a {@link FileChannel} (from {@code FileChannel.open}, a RandomAccessFile or a file stream, left open); needs {@code --add-opens java.base/sun.nio.ch=ALL-UNNAMED} and {@code java.base/java.io=ALL-UNNAMED}. */
    public static void posixFadvise(FileChannel file, long offset, long len, int advice) throws IOException {
        Calls.posixFadvise(file, offset, len, advice);
    }

    /** {@link #posixFadvise(Path, long, long, int)} on an open {@link RandomAccessFile}, left open; needs {@code --add-opens java.base/java.io=ALL-UNNAMED}. */
    public static void posixFadvise(RandomAccessFile file, long offset, long len, int advice) throws IOException {
        Calls.posixFadvise(file, offset, len, advice);
    }

    /** {@link #posixFadvise(Path, long, long, int)} on an open {@link FileOutputStream}, left open; needs {@code --add-opens java.base/java.io=ALL-UNNAMED}. */
    public static void posixFadvise(FileOutputStream file, long offset, long len, int advice) throws IOException {
        Calls.posixFadvise(file, offset, len, advice);
    }

    /** {@link #posixFadvise(Path, long, long, int)} on an open {@link FileInputStream}, left open (read-only: fallocate and posix_fallocate fail with EBADF); needs {@code --add-opens java.base/java.io=ALL-UNNAMED}. */
    public static void posixFadvise(FileInputStream file, long offset, long len, int advice) throws IOException {
        Calls.posixFadvise(file, offset, len, advice);
    }

    /** {@link #posixFadvise(Path, long, long, int)} on an open {@link FileDescriptor}, left open; needs {@code --add-opens java.base/java.io=ALL-UNNAMED}. */
    public static void posixFadvise(FileDescriptor fd, long offset, long len, int advice) throws IOException {
        Calls.posixFadvise(fd, offset, len, advice);
    }

    /** {@link #posixFadvise(Path, long, long, int)} on a raw descriptor number, used as it is and left open; needs no opened package. */
    public static void posixFadvise(int fd, long offset, long len, int advice) throws IOException {
        Calls.posixFadvise(fd, offset, len, advice);
    }

    /**
     * posix_fadvise(3): tells the kernel how the range {@code [offset, offset+len)} (bytes; len 0 means to
     * the end of the file) will be accessed, with one of the {@code POSIX_FADV_*} constants. The kernel acts
     * on it at once (WILLNEED starts reading the range into the page cache, DONTNEED writes back and drops
     * its cached pages) or adjusts its read-ahead; no data changes. Retried on EINTR. This overload opens
     * the Path read-only for the call and always closes it, so it takes only the advice that acts on the
     * page cache ({@link #POSIX_FADV_WILLNEED}, {@link #POSIX_FADV_DONTNEED}): the rest holds only for the
     * descriptor it is given. The other overloads take the handles {@link #fallocate(Path, long, long, int)}
     * lists, with the same JVM options, in any access mode, and every advice.
     *
     * @param file the file
     * @param offset first byte of the range; any value (the kernel takes a negative one, and a range past
     *        2<sup>63</sup>-1, as reaching the end of the file)
     * @param len length of the range in bytes, {@code >= 0}; 0 means to the end of the file
     * @param advice {@code POSIX_FADV_NORMAL} to {@code POSIX_FADV_NOREUSE} (0 to 5); on a Path only WILLNEED
     *        and DONTNEED, and values outside 0..5, which the kernel refuses (EINVAL)
     * @throws FileSpaceException when the call fails (EINVAL: advice out of range; ESPIPE: a pipe or FIFO;
     *         EBADF); it carries the errno, the call's arguments and an explanation
     * @throws java.nio.file.NoSuchFileException when the Path does not exist
     * @throws java.nio.file.AccessDeniedException when the Path may not be opened for reading
     * @throws IllegalArgumentException for NORMAL, RANDOM, SEQUENTIAL or NOREUSE on a Path (pass the open
     *         channel the reads will use instead), or a negative len, which the kernel refuses (EINVAL),
     *         before any system call
     * @throws IOException when the Path cannot be opened otherwise, or the channel is closed
     */
    public static void posixFadvise(Path file, long offset, long len, int advice) throws IOException {
        Calls.posixFadvise(file, offset, len, advice);
    }
}
