package io.github.fallocate4j.internal;

import io.github.fallocate4j.Fallocate;
import io.github.fallocate4j.Errno;
import io.github.fallocate4j.FileSpaceException;
import io.github.fallocate4j.ModeNotSupportedException;
import io.github.fallocate4j.NoSpaceException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The one place that turns an errno into an exception. It explains each error in terms of the call
 * that failed, following the ERRORS sections of fallocate(2), posix_fallocate(3) and posix_fadvise(3),
 * and looks up what helps the reader (the filesystem's name, its block size, the file's size) only
 * once a call has failed.
 */
public final class Errors {
    private static final long NONE = FileSpaceException.NONE;

    private Errors() {}

    /** A failed fallocate(2). */
    public static FileSpaceException fallocate(int errno, OpenFile file, int mode, long offset, long len) {
        String explanation = switch (Errno.of(errno).orElse(Errno.EIO)) {
            case EBADF -> "the file is not open for writing";
            case EFBIG -> (mode & Fallocate.FALLOC_FL_INSERT_RANGE) != 0
                    ? "the file's size plus len would exceed the largest file the filesystem allows"
                    : "offset+len exceeds the largest file the filesystem allows";
            case EINVAL -> invalidRange(file, mode);
            case ENODEV -> "fallocate works only on regular files (and, for some modes, block devices)";
            case EISDIR -> "the file is a directory";
            case ESPIPE -> "the file is a pipe or FIFO";
            case ENOSPC -> "not enough free space on the device";
            case EDQUOT -> "the disk quota would be exceeded";
            case EOPNOTSUPP -> Modes.combinationProblem(mode).orElseGet(() ->
                    filesystemPhrase(file) + " does not support " + Modes.fallocateName(mode));
            case EPERM -> "the file is immutable, or append-only and the mode removes or moves data "
                    + "(see chattr(1)), or sealed against this change (see fcntl(2) F_ADD_SEALS)";
            case ETXTBSY -> "the file is being executed, so its contents cannot be shifted";
            case ENOSYS -> "this kernel does not implement fallocate";
            default -> null;
        };
        return create(errno, file, "fallocate", offset, len, mode, Modes.fallocateName(mode), explanation);
    }

    /** A failed posix_fallocate(3). */
    public static FileSpaceException posixFallocate(int errno, OpenFile file, long offset, long len) {
        String explanation = switch (Errno.of(errno).orElse(Errno.EIO)) {
            case EBADF -> "the file is not open for writing";
            case EFBIG -> "offset+len exceeds the largest file the filesystem allows";
            case EINVAL -> filesystemPhrase(file) + " cannot allocate space for this file";
            case ENODEV -> "posix_fallocate works only on regular files";
            case ESPIPE -> "the file is a pipe or FIFO";
            case ENOSPC -> "not enough free space on the device";
            case EDQUOT -> "the disk quota would be exceeded";
            case EOPNOTSUPP -> filesystemPhrase(file) + " does not support allocation, and the C library could not emulate it";
            case EPERM -> "the file is immutable or sealed against growing (see chattr(1), fcntl(2) F_ADD_SEALS)";
            default -> null;
        };
        return create(errno, file, "posix_fallocate", offset, len, NONE_MODE, null, explanation);
    }

    /** A failed posix_fadvise(3). */
    public static FileSpaceException posixFadvise(int errno, OpenFile file, long offset, long len, int advice) {
        String explanation = switch (Errno.of(errno).orElse(Errno.EIO)) {
            case EBADF -> "not a valid open file descriptor";
            case EINVAL -> "advice is not one of POSIX_FADV_NORMAL..POSIX_FADV_NOREUSE (0..5), or the file cannot take advice";
            case ESPIPE -> "the file is a pipe or FIFO";
            default -> null;
        };
        return create(errno, file, "posix_fadvise", offset, len, advice, Modes.adviceName(advice), explanation);
    }

    /** A failed ioctl(FS_IOC_FIEMAP): tmpfs, for one, keeps no extent map to report. */
    public static FileSpaceException fiemap(int errno, OpenFile file, long offset, long len) {
        String explanation = switch (Errno.of(errno).orElse(Errno.EIO)) {
            case EOPNOTSUPP, ENOTTY -> filesystemPhrase(file) + " does not report extents (no FIEMAP support)";
            case EBADF -> "not a valid open file descriptor";
            default -> null;
        };
        return create(errno, file, "ioctl(FS_IOC_FIEMAP)", offset, len, NONE_MODE, null, explanation);
    }

    /** A failed mmap(2) or mincore(2) while finding which pages are cached. */
    public static FileSpaceException residency(int errno, OpenFile file, long offset, long len) {
        String explanation = switch (Errno.of(errno).orElse(Errno.EIO)) {
            case EACCES -> "the file must be open for reading: its pages are mapped to ask mincore";
            case ENODEV -> filesystemPhrase(file) + " cannot memory-map this file";
            case ENOMEM -> "no address space left to map the range";
            default -> null;
        };
        return create(errno, file, "mmap+mincore", offset, len, NONE_MODE, null, explanation);
    }

    /** Any other failed call on a file (open, close, lseek, pread, statx, ...). */
    public static FileSpaceException of(int errno, OpenFile file, String operation) {
        return of(errno, file, operation, NONE, NONE);
    }

    /** Any other failed call on a range of a file. */
    public static FileSpaceException of(int errno, OpenFile file, String operation, long offset, long len) {
        String explanation = switch (Errno.of(errno).orElse(Errno.EIO)) {
            case EISDIR -> "the file is a directory";
            case EROFS -> "the file is on a read-only filesystem";
            case ELOOP -> "too many symbolic links, or the last one was not to be followed";
            case EBADF -> "not a valid open file descriptor";
            default -> null;
        };
        return create(errno, file, operation, offset, len, NONE_MODE, null, explanation);
    }

    /** A failed open(2) of a Path: the java.nio.file exceptions for a missing file and a refused one, as Files.newByteChannel throws. */
    public static IOException open(int errno, Path path) {
        if (errno == Errno.ENOENT.number()) {
            return new NoSuchFileException(path.toString());
        }
        if (errno == Errno.EACCES.number()) {
            return new AccessDeniedException(path.toString());
        }
        return of(errno, new OpenFile(-1, path), "open");
    }

    /** A dig asked of something other than a regular file, refused before it reads: /dev/zero would never end. */
    public static FileSpaceException notRegularFile(OpenFile file, String operation, long offset, long len) {
        return create(Errno.ENODEV.number(), file, operation, offset, len, NONE_MODE, null,
                "holes can be dug only in regular files");
    }

    /** A FileDescriptor, stream or RandomAccessFile that is already closed. */
    public static FileSpaceException closedDescriptor() {
        return new FileSpaceException(null, Errno.EBADF.number(), "descriptor", NONE, NONE, NONE_MODE, null,
                "the FileDescriptor is closed (or was never opened)");
    }

    private static final int NONE_MODE = (int) NONE;

    private static FileSpaceException create(int errno, OpenFile file, String operation, long offset, long len,
                                             int mode, String modeName, String explanation) {
        String name = file.displayName();
        if (errno == Errno.EOPNOTSUPP.number()) {
            return new ModeNotSupportedException(name, errno, operation, offset, len, mode, modeName, explanation);
        }
        if (errno == Errno.ENOSPC.number() || errno == Errno.EDQUOT.number()) {
            return new NoSpaceException(name, errno, operation, offset, len, mode, modeName, explanation);
        }
        return new FileSpaceException(name, errno, operation, offset, len, mode, modeName, explanation);
    }

    private static String filesystemPhrase(OpenFile file) {
        String fs = file.fd() >= 0 ? Filesystems.of(file.fd()) : null;
        return fs == null ? "the filesystem" : "the " + fs + " filesystem";
    }

    private static String invalidRange(OpenFile file, int mode) {
        int operation = mode & (Fallocate.FALLOC_FL_COLLAPSE_RANGE | Fallocate.FALLOC_FL_INSERT_RANGE);
        if (operation == 0) {
            return (mode & (Fallocate.FALLOC_FL_ZERO_RANGE | Fallocate.FALLOC_FL_UNSHARE_RANGE | Fallocate.FALLOC_FL_WRITE_ZEROES)) != 0
                    ? Modes.fallocateName(mode) + " needs a regular file" : null;
        }
        String facts = "";
        try {
            long size = LibC.fstat(file.fd()).size();
            long block = LibC.fragmentSize(file.fd());
            facts = " (block size " + block + " bytes, file size " + size + " bytes)";
        } catch (LibC.NativeException e) {
            // The explanation stands without the numbers.
        }
        return operation == Fallocate.FALLOC_FL_COLLAPSE_RANGE
                ? "COLLAPSE_RANGE needs offset and len to be multiples of the filesystem block size and "
                        + "offset+len to end before the end of the file" + facts
                : "INSERT_RANGE needs offset and len to be multiples of the filesystem block size and "
                        + "offset to be before the end of the file" + facts;
    }
}
