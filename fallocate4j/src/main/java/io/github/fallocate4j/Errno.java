package io.github.fallocate4j;

import java.util.Optional;

/**
 * The Linux error numbers that fallocate(2), posix_fallocate(3), posix_fadvise(3) and the calls
 * the library makes around them (open, lseek, statx, ioctl) can report. The numbers are the
 * kernel's asm-generic values, which x86_64 and aarch64 share.
 * @since 0.1.0
 */
public enum Errno {
    /** The file is immutable or append-only (chattr(1)), or sealed against the change (memfd seals). */
    EPERM(1, "Operation not permitted"),
    /** No such file: a Path that does not exist (reported as {@link java.nio.file.NoSuchFileException}). */
    ENOENT(2, "No such file or directory"),
    /** A signal interrupted the call; the library retries it, so callers do not see this. */
    EINTR(4, "Interrupted system call"),
    /** The device reported an I/O error. */
    EIO(5, "Input/output error"),
    /** lseek(2) SEEK_DATA/SEEK_HOLE found nothing before the end of the file. */
    ENXIO(6, "No such device or address"),
    /**
     * Not an open descriptor, opened with O_PATH, or not open the way the call needs: fallocate needs
     * writing, reading needs reading, and posix_fallocate's emulation (where the filesystem has no
     * fallocate for the file: ext2, ext3, ext4 without extents) needs both, and no O_APPEND.
     */
    EBADF(9, "Bad file descriptor"),
    /** The resource is temporarily unavailable. */
    EAGAIN(11, "Resource temporarily unavailable"),
    /** The kernel could not allocate memory for the call. */
    ENOMEM(12, "Cannot allocate memory"),
    /** Permission denied opening a Path (reported as {@link java.nio.file.AccessDeniedException}). */
    EACCES(13, "Permission denied"),
    /** A buffer address was invalid. */
    EFAULT(14, "Bad address"),
    /** The device or file is busy. */
    EBUSY(16, "Device or resource busy"),
    /** The file exists. */
    EEXIST(17, "File exists"),
    /** Neither a regular file nor a block device: fallocate refuses character devices and the like. */
    ENODEV(19, "No such device"),
    /** A component of a Path is not a directory. */
    ENOTDIR(20, "Not a directory"),
    /** The file is a directory. */
    EISDIR(21, "Is a directory"),
    /**
     * An argument the kernel rejects: COLLAPSE/INSERT not in whole blocks (clusters on ext4 bigalloc) or
     * not inside the file, a block-device range not in whole logical blocks or past the device's end, bad advice.
     */
    EINVAL(22, "Invalid argument"),
    /** The system's table of open files is full. */
    ENFILE(23, "Too many open files in system"),
    /** This process has too many open files. */
    EMFILE(24, "Too many open files"),
    /** The ioctl is not supported by this file or filesystem. */
    ENOTTY(25, "Inappropriate ioctl for device"),
    /** fallocate on an active swap file; opening a program that is being executed for writing. */
    ETXTBSY(26, "Text file busy"),
    /** offset+len would pass the largest file size the filesystem allows, or the process's file size limit (RLIMIT_FSIZE). */
    EFBIG(27, "File too large"),
    /** Not enough free space on the device (reported as {@link NoSpaceException}). */
    ENOSPC(28, "No space left on device"),
    /** The file is a pipe or FIFO. */
    ESPIPE(29, "Illegal seek"),
    /** The filesystem is mounted read-only. */
    EROFS(30, "Read-only file system"),
    /** A number out of range: what the command-line tools print for a size that does not fit in 64 bits. */
    ERANGE(34, "Numerical result out of range"),
    /** A Path is longer than the kernel accepts. */
    ENAMETOOLONG(36, "File name too long"),
    /** The kernel does not implement the call. */
    ENOSYS(38, "Function not implemented"),
    /** Too many symbolic links resolving a Path. */
    ELOOP(40, "Too many levels of symbolic links"),
    /** A value does not fit the type the kernel returns it in. */
    EOVERFLOW(75, "Value too large for defined data type"),
    /** The filesystem does not support the mode, or the mode bits are invalid (reported as {@link ModeNotSupportedException}). */
    EOPNOTSUPP(95, "Operation not supported"),
    /** The user's disk quota is used up (reported as {@link NoSpaceException}). */
    EDQUOT(122, "Disk quota exceeded");

    private static final Errno[] BY_NUMBER = new Errno[128];

    static {
        for (Errno e : values()) {
            BY_NUMBER[e.number] = e;
        }
    }

    private final int number;
    private final String description;

    Errno(int number, String description) {
        this.number = number;
        this.description = description;
    }

    /**
     * The value the kernel stores in errno.
     *
     * @return the error number
     */
    public int number() {
        return number;
    }

    /**
     * The C library's text for this error, as strerror(3) gives it in the C locale.
     *
     * @return a short description, such as {@code "Invalid argument"}
     */
    public String description() {
        return description;
    }

    /**
     * The constant with this number.
     *
     * @param number an errno value
     * @return the constant, or empty for a number this enum does not list
     */
    public static Optional<Errno> of(int number) {
        return number > 0 && number < BY_NUMBER.length ? Optional.ofNullable(BY_NUMBER[number]) : Optional.empty();
    }

    /**
     * The symbolic name of any error number.
     *
     * @param number an errno value
     * @return {@code "EINVAL"}, say, or {@code "errno 133"} for a number this enum does not list
     */
    public static String nameOf(int number) {
        return of(number).map(Enum::name).orElse("errno " + number);
    }
}
