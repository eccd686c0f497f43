package io.github.fallocate4j.internal;

import io.github.fallocate4j.Errno;
import io.github.fallocate4j.Fallocate;
import io.github.fallocate4j.FileSpaceException;
import io.github.fallocate4j.ModeNotSupportedException;
import io.github.fallocate4j.NoSpaceException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The one place that turns an errno into an exception. It explains each error in terms of the call
 * that failed, following the ERRORS sections of fallocate(2), posix_fallocate(3) and posix_fadvise(3).
 * An errno has several causes, so each explanation is checked against the descriptor once the call has
 * failed ({@link Situation}: how it is open, what kind of file, which filesystem, its flags); when none
 * of the known causes is confirmed, the exception carries no explanation rather than a guess.
 */
public final class Errors {
    private static final long NONE = FileSpaceException.NONE;
    /** Calls that need a descriptor open for reading. */
    private static final Set<String> READS = Set.of("pread", "read");

    private Errors() {}

    /** A failed fallocate(2). */
    public static FileSpaceException fallocate(int errno, OpenFile file, int mode, long offset, long len) {
        String explanation = switch (Errno.of(errno).orElse(Errno.EIO)) {
            case EBADF -> badDescriptor(file, false, true);
            case EFBIG -> tooLarge(file, mode, offset, len);
            case EINVAL -> invalidRange(file, mode, offset, len);
            case ENODEV -> "fallocate works only on regular files (and, for some modes, block devices)";
            case EISDIR -> "the file is a directory";
            case ESPIPE -> "the file is a pipe or FIFO";
            case ENOSPC -> "not enough free space on the device";
            case EDQUOT -> "the disk quota would be exceeded";
            case EOPNOTSUPP -> Modes.combinationProblem(mode).orElseGet(() -> unsupported(file, mode));
            case EPERM -> notPermitted(file, mode);
            case ETXTBSY -> Situation.isSwapFile(file) ? "the file is in use as swap space (see swapon(8))" : null;
            case ENOSYS -> "this kernel does not implement fallocate";
            default -> null;
        };
        return create(errno, file, "fallocate", offset, len, mode, Modes.fallocateName(mode), explanation);
    }

    /** A failed posix_fallocate(3). */
    public static FileSpaceException posixFallocate(int errno, OpenFile file, long offset, long len) {
        String explanation = switch (Errno.of(errno).orElse(Errno.EIO)) {
            case EBADF -> emulationBadDescriptor(file);
            case EFBIG -> tooLarge(file, 0, offset, len);
            case EINVAL -> Situation.isBlockDevice(file) ? blockDeviceRange(file, offset, len) : emulationInvalid(file);
            case ENODEV -> "posix_fallocate works only on regular files";
            case ESPIPE -> "the file is a pipe or FIFO";
            case ENOSPC -> "not enough free space on the device";
            case EDQUOT -> "the disk quota would be exceeded";
            case EOPNOTSUPP -> Situation.where(file) + " does not support allocation, and the C library could not emulate it";
            case EPERM -> notPermitted(file, 0);
            default -> null;
        };
        return create(errno, file, "posix_fallocate", offset, len, NONE_MODE, null, explanation);
    }

    /** A failed posix_fadvise(3). */
    public static FileSpaceException posixFadvise(int errno, OpenFile file, long offset, long len, int advice) {
        String explanation = switch (Errno.of(errno).orElse(Errno.EIO)) {
            case EBADF -> badDescriptor(file, false, false);
            case EINVAL -> Modes.adviceName(advice).startsWith("POSIX_FADV_")
                    ? (len < 0 ? "len is negative" : null)
                    : "advice is not one of POSIX_FADV_NORMAL..POSIX_FADV_NOREUSE (0..5)";
            case ESPIPE -> "the file is a pipe or FIFO";
            case EOPNOTSUPP -> Platform.isMacOs() ? "macOS has no such operation: it has no posix_fadvise, and no call "
                    + "that drops a range of a file from the page cache (F_NOCACHE only stops caching a descriptor's "
                    + "later reads and writes)" : null;
            default -> null;
        };
        return create(errno, file, "posix_fadvise", offset, len, advice, Modes.adviceName(advice), explanation);
    }

    /** A failed ioctl(FS_IOC_FIEMAP): tmpfs, for one, keeps no extent map to report. */
    public static FileSpaceException fiemap(int errno, OpenFile file, long offset, long len) {
        String explanation = switch (Errno.of(errno).orElse(Errno.EIO)) {
            case EOPNOTSUPP, ENOTTY -> Platform.isMacOs() ? "macOS has no such operation: it has no FIEMAP ioctl "
                    + "(F_LOG2PHYS_EXT maps one file offset to a device offset at a time, and is not used)"
                    : Situation.isBlockDevice(file) ? "a block device has no extents to report"
                    : Situation.isDirectory(file) ? Situation.where(file) + " does not report extents for a directory"
                    : Situation.where(file) + " does not report extents (no FIEMAP support)";
            case EBADF -> badDescriptor(file, false, false);
            default -> null;
        };
        return create(errno, file, "ioctl(FS_IOC_FIEMAP)", offset, len, NONE_MODE, null, explanation);
    }

    /** A failed cachestat(2), or mmap(2) or mincore(2) ({@code operation} "mmap+mincore"), while finding which pages are cached. */
    public static FileSpaceException residency(int errno, OpenFile file, String operation, long offset, long len) {
        String explanation = switch (Errno.of(errno).orElse(Errno.EIO)) {
            case EACCES -> (Situation.openFlags(file) & Linux.O_ACCMODE) == Linux.O_WRONLY
                    ? "the file must be open for reading: its pages are mapped to ask mincore" : null;
            case EBADF -> badDescriptor(file, !operation.equals("cachestat"), false);
            case ENODEV -> Situation.where(file) + " cannot memory-map this file";
            case ENOMEM -> "no address space left to map the range";
            case EOVERFLOW -> "mmap cannot map a page that reaches past 2^63-1 bytes, the largest file offset";
            default -> null;
        };
        return create(errno, file, operation, offset, len, NONE_MODE, null, explanation);
    }

    /**
     * The kernel keeps this file's page cache from the caller: cachestat(2) refused with EPERM, or, on a
     * kernel without cachestat, mincore(2) would report every page as cached ({@code why} says why).
     * EPERM either way, as cachestat gives.
     */
    public static FileSpaceException pageCacheHidden(OpenFile file, String operation, long offset, long len, String why) {
        String explanation = operation.equals("cachestat")
                ? "the kernel shows which pages of a file are cached only to a process that owns the file, has "
                        + "CAP_FOWNER, has it open for writing or could open it so (a defence against page-cache side "
                        + "channels); mincore(2) would report every page as cached instead, so there is no true answer"
                : "this kernel has no cachestat(2) (Linux 6.5), and mincore(2) reports every page of a file as cached "
                        + "unless the caller owns the file, has CAP_FOWNER or could open it for writing: " + why
                        + "; so there is no true answer";
        return create(Errno.EPERM.number(), file, operation, offset, len, NONE_MODE, null, explanation);
    }

    /**
     * A failed madvise(2) on {@code [offset, offset+len)} of a mapped buffer ({@code readOnly}: mapped read-only);
     * {@code advice} is Linux's number, also on macOS.
     */
    public static FileSpaceException madvise(int errno, boolean readOnly, long offset, long len, int advice, String adviceName) {
        String explanation = Platform.isMacOs() ? darwinMadvise(errno, advice) : linuxMadvise(errno, readOnly, advice, adviceName);
        return create(errno, (String) null, "madvise", offset, len, advice, adviceName, explanation);
    }

    private static String linuxMadvise(int errno, boolean readOnly, int advice, String adviceName) {
        boolean populate = advice == Linux.MADV_POPULATE_READ || advice == Linux.MADV_POPULATE_WRITE;
        return switch (Errno.of(errno).orElse(Errno.EIO)) {
            case EINVAL -> advice == Linux.MADV_POPULATE_WRITE && readOnly ? "a read-only mapping cannot be populated writable"
                    : advice == Linux.MADV_DONTNEED ? "DONTNEED cannot act on locked pages (mlock)"
                    : advice >= Linux.MADV_COLD && Platform.kernelBefore(5, advice >= Linux.MADV_POPULATE_READ ? 14 : 4)
                            ? "this kernel does not know MADV_" + adviceName + " (COLD and PAGEOUT need Linux 5.4, "
                            + "POPULATE_READ and POPULATE_WRITE 5.14)" : null;
            case EFAULT -> populate ? "part of the range lies past the end of the file, where a page fault raises SIGBUS" : null;
            case ENOMEM -> "the range is not mapped (was the mapping released?)";
            case EPERM -> advice == Linux.MADV_POPULATE_WRITE ? "the mapping, or the file under it, is not writable" : null;
            default -> null;
        };
    }

    /**
     * XNU's madvise (bsd/kern/kern_mman.c): EINVAL for a range with unmapped pages in it, and for any
     * other failure of the VM call (a page WILLNEED could not fault in, since XNU 11417); ENOMEM outside
     * the address space. EOPNOTSUPP is DarwinBackend's, for advice it does not pass.
     */
    static String darwinMadvise(int errno, int advice) {
        boolean populate = advice == Linux.MADV_POPULATE_READ || advice == Linux.MADV_POPULATE_WRITE;
        return switch (Errno.of(errno).orElse(Errno.EIO)) {
            case EOPNOTSUPP -> advice == Linux.MADV_PAGEOUT
                    ? "macOS has no such operation: its MADV_PAGEOUT is for the kernel's own tests (a release kernel "
                            + "refuses it), and no other advice reclaims a range's pages"
                    : populate ? "macOS has no such operation: no advice there faults a range in and reports "
                            + "failure (WILLNEED reads it in as a hint)" : null;
            case EINVAL -> advice == Linux.MADV_WILLNEED
                    ? "the range is not mapped, or (macOS 15.4 and later, which fault the pages in) a page of it could "
                            + "not be read: past the end of the file, or a read error"
                    : "the range is not mapped (was the mapping released?)";
            case ENOMEM -> "the range lies outside the process's address space";
            default -> null;
        };
    }

    /** A failed lseek(2) SEEK_DATA or SEEK_HOLE ({@code whence}) while walking the data/hole map. */
    public static FileSpaceException seek(int errno, OpenFile file, String whence, long offset) {
        String explanation = switch (Errno.of(errno).orElse(Errno.EIO)) {
            // ext4_iomap_begin_report: a file whose bytes still live inside its inode (inline_data) has
            // no block map, and an offset past the inline bytes gets ENOENT until the data is written
            // out of the inode (at writeback, once it outgrows it).
            case ENOENT -> isExt4(file) ? "ext4 keeps this file's data inside its inode (inline_data) and has no "
                    + "data/hole map for offsets past the inline bytes until the data is written back" : null;
            case EBADF -> "not a valid open file descriptor";
            case EINVAL -> Situation.where(file) + " or file does not support " + whence;
            default -> null;
        };
        return create(errno, file, "lseek(" + whence + ")", offset, NONE, NONE_MODE, null, explanation);
    }

    /**
     * lseek(2) SEEK_DATA found data at {@code offset} but SEEK_HOLE a hole at or before it: both calls
     * succeeded, so there is no errno; EIO stands for it. Seen on btrfs with a file of 2^63-1 bytes.
     */
    public static FileSpaceException inconsistentMap(OpenFile file, long offset, long hole) {
        return create(Errno.EIO.number(), file, "lseek(SEEK_HOLE)", offset, NONE, NONE_MODE, null,
                "SEEK_DATA found data at this offset, yet SEEK_HOLE returned " + hole + ": " + Situation.where(file)
                        + " gave a data/hole map that contradicts itself (the file changed meanwhile, or a filesystem bug), "
                        + "so the walk stops rather than loop");
    }

    /** A failed fcntl(2) F_OFD_SETLKW taking a whole-file lock for a dig ({@code write}: a write lock). */
    public static FileSpaceException lock(int errno, OpenFile file, boolean write) {
        String explanation = switch (Errno.of(errno).orElse(Errno.EIO)) {
            case EBADF -> write ? "a write lock needs the file open for writing" : "a read lock needs the file open for reading";
            case EINVAL -> Platform.isMacOs() ? "this macOS has no open file description locks (F_OFD_SETLKW, macOS 13 and later)"
                    : "this kernel has no open file description locks (F_OFD_SETLKW, Linux 3.15 and later)";
            default -> null;
        };
        return create(errno, file, "fcntl(F_OFD_SETLKW)", NONE, NONE, NONE_MODE, null, explanation);
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
            case ELOOP -> "too many levels of symbolic links";
            case EBADF -> badDescriptor(file, READS.contains(operation), false);
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

    /**
     * A dig's punch under its lease that may have freed a write: the dig was held up between its look at
     * the lease and the punch for longer than the lease's break time allows for ({@link WriteLease}).
     */
    static FileSpaceException leaseLapsed(OpenFile file, long offset, long len, long breakNanos) {
        return create(Errno.EIO.number(), file, "dig holes", offset, len, NONE_MODE, null,
                "the dig was held up (suspended?) for more than half the lease break time ("
                + breakNanos / 1_000_000_000L + " s, /proc/sys/fs/lease-break-time) between its check that"
                + " nobody else had the file open and this punch; another process may have opened the file and"
                + " written into this range meanwhile, and such a write is now a hole. Check the range");
    }

    /** A FileDescriptor, stream or RandomAccessFile that is already closed. */
    public static FileSpaceException closedDescriptor() {
        return new FileSpaceException(null, Errno.EBADF.number(), "descriptor", NONE, NONE, NONE_MODE, null,
                "the FileDescriptor is closed (or was never opened)");
    }

    private static final int NONE_MODE = (int) NONE;

    private static FileSpaceException create(int errno, OpenFile file, String operation, long offset, long len,
                                             int mode, String modeName, String explanation) {
        return create(errno, file.displayName(), operation, offset, len, mode, modeName, explanation);
    }

    /** {@code name}: the file's, or null where the call names none (madvise acts on memory). */
    private static FileSpaceException create(int errno, String name, String operation, long offset, long len,
                                             int mode, String modeName, String explanation) {
        if (errno == Errno.EOPNOTSUPP.number()) {
            return new ModeNotSupportedException(name, errno, operation, offset, len, mode, modeName, explanation);
        }
        if (errno == Errno.ENOSPC.number() || errno == Errno.EDQUOT.number()) {
            return new NoSpaceException(name, errno, operation, offset, len, mode, modeName, explanation);
        }
        return new FileSpaceException(name, errno, operation, offset, len, mode, modeName, explanation);
    }

    /** EBADF: closed, opened with O_PATH, or not open the way the call needs. */
    private static String badDescriptor(OpenFile file, boolean needsRead, boolean needsWrite) {
        int flags = Situation.openFlags(file);
        if (flags < 0) {
            return "not a valid open file descriptor";
        }
        if ((flags & Linux.O_PATH) != 0) {
            return "the descriptor was opened with O_PATH, which allows neither reading nor writing";
        }
        int access = flags & Linux.O_ACCMODE;
        if (needsWrite && access == Linux.O_RDONLY) {
            return "the file is not open for writing";
        }
        if (needsRead && access == Linux.O_WRONLY) {
            return "the file is not open for reading";
        }
        if (needsWrite && Platform.isMacOs() && (flags & Linux.O_APPEND) != 0) {
            return "on macOS this writes zeros at offsets inside the file, which a descriptor opened for appending "
                    + "(O_APPEND) cannot do";
        }
        return null;
    }

    private static boolean isExt4(OpenFile file) {
        return "ext4".equals(file.fd() >= 0 ? Filesystems.of(file.fd()) : null);
    }

    /**
     * EBADF from posix_fallocate on a descriptor open for writing: fallocate(2) is not supported for the
     * file (ext2, ext3, ext4 without extents, ...), and glibc's emulation, which reads a byte of each
     * block inside the file and writes it back with pwrite, refuses O_APPEND and cannot read a
     * write-only descriptor.
     */
    private static String emulationBadDescriptor(OpenFile file) {
        String plain = badDescriptor(file, false, true);
        int flags = Situation.openFlags(file);
        if (plain != null || flags < 0) {
            return plain;
        }
        String emulated = Situation.where(file) + " cannot allocate space for this file, so the C library "
                + "emulates it by reading and rewriting a byte in each block";
        if ((flags & Linux.O_APPEND) != 0) {
            return emulated + ", which it refuses to do through a descriptor opened for appending (O_APPEND)";
        }
        if ((flags & Linux.O_ACCMODE) == Linux.O_WRONLY) {
            return emulated + ", which needs the file open for reading too";
        }
        return null;
    }

    /**
     * EFBIG: the end the call would give the file (offset+len; the size plus len for INSERT_RANGE) passes
     * the process's file size limit, which the kernel checks wherever the file would grow, or else the
     * largest file the filesystem allows.
     */
    private static String tooLarge(OpenFile file, int mode, long offset, long len) {
        boolean insert = (mode & Fallocate.FALLOC_FL_INSERT_RANGE) != 0;
        long limit = Situation.fileSizeLimit();
        if (limit >= 0) {
            LibC.FileStat stat = Situation.stat(file);
            long end = insert ? (stat == null ? -1 : stat.size() + len) : offset + len;
            if (end > limit) {
                return (insert ? "the file's size plus len passes" : "offset+len passes")
                        + " this process's file size limit (RLIMIT_FSIZE, ulimit -f: " + limit + " bytes)";
            }
        }
        return insert ? "the file's size plus len would exceed the largest file the filesystem allows"
                : "offset+len exceeds the largest file the filesystem allows";
    }

    /**
     * EINVAL from posix_fallocate on a regular file: the filesystem cannot allocate, and glibc's emulation
     * (a byte read and written back in each block) failed; through an O_DIRECT descriptor, which takes
     * only whole aligned blocks, it always does.
     */
    private static String emulationInvalid(OpenFile file) {
        String cannot = Situation.where(file) + " cannot allocate space for this file";
        int flags = Situation.openFlags(file);
        return flags >= 0 && (flags & Linux.O_DIRECT) != 0
                ? cannot + ", so the C library emulates it by reading and rewriting a byte in each block, which a "
                        + "descriptor opened with O_DIRECT refuses (it reads and writes whole aligned blocks only)"
                : cannot;
    }

    /** EOPNOTSUPP from the filesystem or device, the VFS having accepted the combination of bits. */
    private static String unsupported(OpenFile file, int mode) {
        String name = Modes.fallocateName(mode);
        if (Platform.isMacOs()) {
            return "macOS has no such operation: it has no fallocate(2), and of its modes only ALLOCATE_RANGE, "
                    + "KEEP_SIZE (emulated with F_PREALLOCATE) and PUNCH_HOLE|KEEP_SIZE (with F_PUNCHHOLE) are done "
                    + "there, not " + name;
        }
        if (Situation.isBlockDevice(file)) {
            return "the block device does not support " + name;
        }
        int operation = mode & ~Fallocate.FALLOC_FL_KEEP_SIZE;
        if (operation == Fallocate.FALLOC_FL_WRITE_ZEROES) {
            // ext4 and xfs have it (Linux 6.17+) only over a device with an unmapping write-zeroes command.
            return name + " is not supported here: " + Situation.where(file)
                    + " lacks it, or the device under it has no unmapping write-zeroes command";
        }
        boolean extentOnly = operation == 0 || operation == Fallocate.FALLOC_FL_ZERO_RANGE
                || operation == Fallocate.FALLOC_FL_COLLAPSE_RANGE || operation == Fallocate.FALLOC_FL_INSERT_RANGE;
        int flags = Situation.inodeFlags(file);
        if (extentOnly && isExt4(file)
                && flags >= 0 && (flags & Linux.FS_EXTENT_FL) == 0) {
            return "ext4 supports " + name + " only in files with extents, and this file is block-mapped "
                    + "(the filesystem has no extent feature, or the file was made before it was turned on)";
        }
        return Situation.where(file) + " does not support " + name;
    }

    /** EPERM: the inode's immutable or append-only flag, or a memfd seal; null when none is set. */
    private static String notPermitted(OpenFile file, int mode) {
        int flags = Situation.inodeFlags(file);
        if (flags >= 0 && (flags & Linux.FS_IMMUTABLE_FL) != 0) {
            return "the file is immutable (see chattr(1))";
        }
        if (flags >= 0 && (flags & Linux.FS_APPEND_FL) != 0 && (mode & ~Fallocate.FALLOC_FL_KEEP_SIZE) != 0) {
            return "the file is append-only (see chattr(1)), which allows allocating but not "
                    + Modes.fallocateName(mode);
        }
        int seals = Situation.seals(file);
        if (seals > 0) {
            List<String> names = new ArrayList<>();
            String[] known = {"F_SEAL_SEAL", "F_SEAL_SHRINK", "F_SEAL_GROW", "F_SEAL_WRITE", "F_SEAL_FUTURE_WRITE"};
            for (int bit = 0; bit < known.length; bit++) {
                if ((seals & (1 << bit)) != 0) {
                    names.add(known[bit]);
                }
            }
            return "the file is sealed (" + String.join(", ", names) + ") against this change (see fcntl(2) F_ADD_SEALS)";
        }
        return null;
    }

    /** EINVAL from fallocate: which rule of the mode, the device or the file the range breaks. */
    private static String invalidRange(OpenFile file, int mode, long offset, long len) {
        if (Situation.isBlockDevice(file)) {
            return blockDeviceRange(file, offset, len);
        }
        int operation = mode & (Fallocate.FALLOC_FL_COLLAPSE_RANGE | Fallocate.FALLOC_FL_INSERT_RANGE);
        if (operation == 0) {
            return null;
        }
        String name = Modes.fallocateName(operation);
        String rule = operation == Fallocate.FALLOC_FL_COLLAPSE_RANGE
                ? "the range to end before the end of the file"
                : "offset to be before the end of the file";
        Filesystems.AllocationUnit unit;
        long size;
        try {
            unit = Filesystems.allocationUnit(file.fd());
            size = LibC.fstat(file.fd()).size();
        } catch (LibC.NativeException e) {
            return name + " needs offset and len to be multiples of the filesystem's allocation unit and " + rule;
        }
        String facts = " (" + unit.describe() + ", file size " + size + " bytes)";
        if (offset % unit.bytes() != 0 || len % unit.bytes() != 0) {
            return name + " needs offset and len to be multiples of the filesystem's "
                    + (unit.cluster() ? "cluster size" : "block size") + facts;
        }
        boolean pastEnd = operation == Fallocate.FALLOC_FL_COLLAPSE_RANGE ? offset + len >= size : offset >= size;
        return pastEnd ? name + " needs " + rule + facts : null;
    }

    /** EINVAL from a block device: ranges must be whole logical blocks within the device. */
    private static String blockDeviceRange(OpenFile file, long offset, long len) {
        long logicalBlock = Situation.logicalBlockSize(file);
        if (logicalBlock > 0 && (offset % logicalBlock != 0 || len % logicalBlock != 0)) {
            return "a block device takes only offsets and lengths that are multiples of its logical block size ("
                    + logicalBlock + " bytes)";
        }
        long size = Situation.deviceSize(file);
        if (size >= 0 && offset + len > size) {
            return "the range ends past the end of the device (" + size + " bytes)";
        }
        return null;
    }
}
