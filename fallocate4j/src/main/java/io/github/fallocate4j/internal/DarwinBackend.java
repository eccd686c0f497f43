package io.github.fallocate4j.internal;

import static io.github.fallocate4j.Fallocate.FALLOC_FL_KEEP_SIZE;
import static io.github.fallocate4j.Fallocate.FALLOC_FL_PUNCH_HOLE;
import static io.github.fallocate4j.Fallocate.POSIX_FADV_DONTNEED;
import static io.github.fallocate4j.Fallocate.POSIX_FADV_NOREUSE;
import static io.github.fallocate4j.Fallocate.POSIX_FADV_NORMAL;
import static io.github.fallocate4j.Fallocate.POSIX_FADV_RANDOM;
import static io.github.fallocate4j.Fallocate.POSIX_FADV_SEQUENTIAL;
import static io.github.fallocate4j.Fallocate.POSIX_FADV_WILLNEED;

import io.github.fallocate4j.Errno;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@link Backend} on macOS: wraps the FFM or JNA binding of Darwin's C library and gives the rest of
 * the library the Linux interface it was written against. Numbers are translated both ways here and
 * nowhere else (open flags, lseek whence, fcntl commands and struct flock, struct stat into statx's
 * layout, errno into Linux's numbers, see {@link Darwin}), and the calls macOS lacks are emulated:
 *
 * <ul>
 * <li>fallocate mode 0 and KEEP_SIZE, and posix_fallocate: F_PREALLOCATE in end-of-file mode (contiguous
 *     first, then not), zeros written over holes inside the range, ftruncate only to grow, as
 *     {@link DarwinPlans#allocate} decides. Not atomic, unlike the Linux call: a file changed meanwhile by
 *     another writer can see the steps apart.
 * <li>PUNCH_HOLE|KEEP_SIZE: F_PUNCHHOLE over the whole blocks, zeros over the partial edges ({@link DarwinPlans#punchHole}).
 * <li>Every other mode fails with EOPNOTSUPP: macOS has no such operation.
 * <li>posix_fadvise: WILLNEED as F_RDADVISE (in chunks of at most 2^31-1 bytes), RANDOM as F_RDAHEAD 0,
 *     NORMAL and SEQUENTIAL as F_RDAHEAD 1 (per descriptor, whatever the range); DONTNEED and NOREUSE
 *     fail with EOPNOTSUPP, since macOS has no call that drops a range from the page cache.
 * <li>ioctl (FIEMAP, inode flags, block-device sizes): ENOTTY, the numbers meaning nothing on macOS.
 * <li>madvise: NORMAL, RANDOM, SEQUENTIAL, WILLNEED and DONTNEED under Darwin's numbers (the same as
 *     Linux's), COLD as Darwin's DONTNEED, which does what Linux's COLD does; PAGEOUT, POPULATE_READ and
 *     POPULATE_WRITE fail with EOPNOTSUPP, no call made ({@link #madvise}).
 * </ul>
 */
final class DarwinBackend implements Backend {
    private static final int ZERO_CHUNK = 1 << 20;
    private static final int S_IFMT = 0170000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFDIR = 0040000;
    private static final int S_IFIFO = 0010000;
    private static final int SEEK_CUR = 1;

    private final Backend c;

    DarwinBackend(Backend c) {
        this.c = c;
    }

    /** Darwin's -errno as Linux's. */
    private static int linux(int rc) {
        return rc < 0 ? -Darwin.linuxErrno(-rc) : rc;
    }

    private static long linux(long rc) {
        return rc < 0 ? -Darwin.linuxErrno((int) -rc) : rc;
    }

    private static int fail(Errno errno) {
        return -errno.number();
    }

    @Override
    public String name() {
        return c.name();
    }

    @Override
    public int fallocate(int fd, int mode, long offset, long len) {
        if (mode == 0 || mode == FALLOC_FL_KEEP_SIZE) {
            return allocate(fd, offset, len, mode == FALLOC_FL_KEEP_SIZE);
        }
        if (mode == (FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE)) {
            return punchHole(fd, offset, len);
        }
        return fail(Errno.EOPNOTSUPP);
    }

    @Override
    public int posixFallocate(int fd, long offset, long len) {
        return allocate(fd, offset, len, false);
    }

    private int allocate(int fd, long offset, long len, boolean keepSize) {
        try {
            requireWritable(fd, false);
            DarwinPlans.Allocation plan = DarwinPlans.allocate(facts(fd, 0, Long.MAX_VALUE), offset, len, keepSize);
            if (plan.preallocate() > 0) {
                check(preallocate(fd, plan.preallocate()));
            }
            writeZeros(fd, plan.zeroFills());
            if (plan.truncateTo() >= 0) {
                check(linux(c.ftruncate(fd, plan.truncateTo())));
            }
            return 0;
        } catch (LibC.NativeException e) {
            return -e.errno();
        }
    }

    private int punchHole(int fd, long offset, long len) {
        try {
            requireWritable(fd, false);
            // Only the range's holes matter to a punch: a dig punches run after run, and walking the
            // whole file's map for each would make it quadratic in the number of holes.
            DarwinPlans.Punch plan = DarwinPlans.punchHole(facts(fd, offset, Offsets.end(offset, len)), offset, len);
            if (!plan.zeroWrites().isEmpty()) {
                requireWritable(fd, true);
            }
            if (plan.punch().length() > 0) {
                ByteBuffer punch = LibC.allocate(Darwin.FPUNCHHOLE_SIZE);
                punch.putInt(Darwin.FPUNCHHOLE_FLAGS, 0);
                punch.putLong(Darwin.FPUNCHHOLE_OFFSET, plan.punch().start());
                punch.putLong(Darwin.FPUNCHHOLE_LENGTH, plan.punch().length());
                check(linux(c.fcntl(fd, Darwin.F_PUNCHHOLE, punch)));
            }
            writeZeros(fd, plan.zeroWrites());
            return 0;
        } catch (LibC.NativeException e) {
            return -e.errno();
        }
    }

    /**
     * F_PREALLOCATE of {@code length} bytes past the physical end of the file: offset 0, as end-of-file
     * mode requires; all or nothing; kept at close (F_ALLOCATEPERSIST), as KEEP_SIZE's space is on Linux.
     * Contiguous space first, and when there is none that large, any.
     */
    static ByteBuffer fstore(int flags, long length) {
        ByteBuffer fstore = LibC.allocate(Darwin.FSTORE_SIZE);
        fstore.putInt(Darwin.FSTORE_FLAGS, flags);
        fstore.putInt(Darwin.FSTORE_POSMODE, Darwin.F_PEOFPOSMODE);
        fstore.putLong(Darwin.FSTORE_OFFSET, 0);
        fstore.putLong(Darwin.FSTORE_LENGTH, length);
        return fstore;
    }

    private int preallocate(int fd, long length) {
        int all = Darwin.F_ALLOCATEALL | Darwin.F_ALLOCATEPERSIST;
        int rc = linux(c.fcntl(fd, Darwin.F_PREALLOCATE, fstore(Darwin.F_ALLOCATECONTIG | all, length)));
        if (rc == fail(Errno.ENOSPC)) {
            rc = linux(c.fcntl(fd, Darwin.F_PREALLOCATE, fstore(all, length)));
        }
        return Math.min(rc, 0);
    }

    /**
     * What {@link DarwinPlans} decides from: size, allocation, block size (fstatfs f_bsize), and the holes
     * of {@code [from, to)} (clipped to the size).
     */
    private DarwinPlans.FileFacts facts(int fd, long from, long to) throws LibC.NativeException {
        ByteBuffer stat = LibC.allocate(Darwin.STAT_SIZE);
        check(linux(c.fstat(fd, stat)));
        int type = Short.toUnsignedInt(stat.getShort(Darwin.STAT_MODE)) & S_IFMT;
        if (type != S_IFREG) {
            throw new LibC.NativeException((type == S_IFIFO ? Errno.ESPIPE : type == S_IFDIR ? Errno.EISDIR : Errno.ENODEV).number());
        }
        long size = stat.getLong(Darwin.STAT_SIZE_FIELD);
        long allocated = stat.getLong(Darwin.STAT_BLOCKS) * 512;
        ByteBuffer statfs = LibC.allocate(Darwin.STATFS_SIZE);
        check(linux(c.fstatfs(fd, statfs)));
        long block = Integer.toUnsignedLong(statfs.getInt(Darwin.STATFS_BSIZE));
        return new DarwinPlans.FileFacts(size, allocated, block, holes(fd, Math.min(from, size), Math.min(to, size)));
    }

    /**
     * The holes of {@code [from, size)}, by SEEK_DATA and SEEK_HOLE; the descriptor's offset, which lseek
     * moves, is put back. A filesystem without them (EINVAL: HFS+, which keeps no holes) has none.
     */
    private List<DarwinPlans.Span> holes(int fd, long from, long size) throws LibC.NativeException {
        long position = c.lseek(fd, 0, SEEK_CUR);
        List<DarwinPlans.Span> holes = new ArrayList<>();
        try {
            for (long at = from; at < size; ) {
                long data = c.lseek(fd, at, Darwin.SEEK_DATA);
                if (data == -Darwin.EINVAL || data == -Darwin.ENOTSUP) {
                    return List.of();
                }
                if (data == -Darwin.ENXIO || data >= size) {
                    holes.add(new DarwinPlans.Span(at, size));
                    break;
                }
                check(linux(data));
                if (data > at) {
                    holes.add(new DarwinPlans.Span(at, data));
                }
                long hole = c.lseek(fd, data, Darwin.SEEK_HOLE);
                check(linux(hole));
                if (hole <= data) {
                    throw new LibC.NativeException(Errno.EIO.number()); // a map that contradicts itself
                }
                at = hole;
            }
            return holes;
        } finally {
            if (position >= 0) {
                c.lseek(fd, position, 0);
            }
        }
    }

    /** EBADF unless open for writing (and, for writes at offsets, not for appending). */
    private void requireWritable(int fd, boolean atOffsets) throws LibC.NativeException {
        int flags = c.fcntl(fd, Darwin.F_GETFL, 0);
        check(linux(flags));
        if ((flags & Darwin.O_ACCMODE) == Darwin.O_RDONLY || atOffsets && (flags & Darwin.O_APPEND) != 0) {
            throw new LibC.NativeException(Errno.EBADF.number());
        }
    }

    private void writeZeros(int fd, List<DarwinPlans.Span> spans) throws LibC.NativeException {
        if (spans.isEmpty()) {
            return;
        }
        requireWritable(fd, true);
        ByteBuffer zeros = LibC.allocate(ZERO_CHUNK);
        for (DarwinPlans.Span span : spans) {
            for (long at = span.start(); at < span.end(); ) {
                int count = (int) Math.min(ZERO_CHUNK, span.end() - at);
                long n = c.pwrite(fd, zeros.clear().limit(count), at);
                if (n == -Darwin.EINTR) {
                    continue;
                }
                check(linux(n));
                at += n;
            }
        }
    }

    private static void check(long rc) throws LibC.NativeException {
        if (rc < 0) {
            throw new LibC.NativeException((int) -rc);
        }
    }

    @Override
    public int posixFadvise(int fd, long offset, long len, int advice) {
        switch (advice) {
            case POSIX_FADV_NORMAL, POSIX_FADV_SEQUENTIAL:
                return Math.min(0, linux(c.fcntl(fd, Darwin.F_RDAHEAD, 1)));
            case POSIX_FADV_RANDOM:
                return Math.min(0, linux(c.fcntl(fd, Darwin.F_RDAHEAD, 0)));
            case POSIX_FADV_WILLNEED:
                return readAdvice(fd, offset, len);
            case POSIX_FADV_DONTNEED, POSIX_FADV_NOREUSE:
                return fail(Errno.EOPNOTSUPP);
            default:
                return fail(Errno.EINVAL);
        }
    }

    /** F_RDADVISE over {@code [offset, offset+len)} (len 0: to the end of the file), clipped to the file. */
    private int readAdvice(int fd, long offset, long len) {
        ByteBuffer stat = LibC.allocate(Darwin.STAT_SIZE);
        int rc = linux(c.fstat(fd, stat));
        if (rc < 0) {
            return rc;
        }
        long size = stat.getLong(Darwin.STAT_SIZE_FIELD);
        long start = Math.max(0, offset);
        long end = len == 0 ? size : Math.min(size, Offsets.end(start, len));
        ByteBuffer advisory = LibC.allocate(Darwin.RADVISORY_SIZE);
        for (long[] chunk : DarwinPlans.readAdviceChunks(start, end)) {
            advisory.putLong(Darwin.RADVISORY_OFFSET, chunk[0]);
            advisory.putInt(Darwin.RADVISORY_COUNT, (int) chunk[1]);
            rc = linux(c.fcntl(fd, Darwin.F_RDADVISE, advisory));
            if (rc < 0) {
                return rc;
            }
        }
        return 0;
    }

    @Override
    public int open(byte[] path, int flags) {
        int darwin = openFlags(flags);
        return darwin < 0 ? darwin : linux(c.open(path, darwin));
    }

    /** Linux open flags as Darwin's; -EINVAL for one with no Darwin counterpart (O_PATH, say), never dropped. */
    static int openFlags(int linux) {
        int[][] pairs = {
            {Linux.O_CREAT, Darwin.O_CREAT}, {Linux.O_APPEND, Darwin.O_APPEND},
            {Linux.O_NONBLOCK, Darwin.O_NONBLOCK}, {Linux.O_CLOEXEC, Darwin.O_CLOEXEC},
        };
        int darwin = linux & Linux.O_ACCMODE; // O_RDONLY, O_WRONLY, O_RDWR: the same numbers
        int rest = linux & ~Linux.O_ACCMODE;
        for (int[] pair : pairs) {
            if ((rest & pair[0]) != 0) {
                darwin |= pair[1];
                rest &= ~pair[0];
            }
        }
        return rest == 0 ? darwin : fail(Errno.EINVAL);
    }

    /** Darwin status flags (F_GETFL) as Linux's: the access mode, O_APPEND, O_NONBLOCK. */
    static int statusFlags(int darwin) {
        int linux = darwin & Darwin.O_ACCMODE;
        linux |= (darwin & Darwin.O_APPEND) != 0 ? Linux.O_APPEND : 0;
        linux |= (darwin & Darwin.O_NONBLOCK) != 0 ? Linux.O_NONBLOCK : 0;
        return linux;
    }

    @Override
    public int fsync(int fd) {
        return linux(c.fsync(fd));
    }

    @Override
    public int close(int fd) {
        return linux(c.close(fd));
    }

    /** The Linux commands the library sends: F_GETFL, F_DUPFD_CLOEXEC; anything else (F_GET_SEALS) is EINVAL. */
    @Override
    public int fcntl(int fd, int command, int argument) {
        if (command == Linux.F_GETFL) {
            int flags = linux(c.fcntl(fd, Darwin.F_GETFL, 0));
            return flags < 0 ? flags : statusFlags(flags);
        }
        if (command == Linux.F_DUPFD_CLOEXEC) {
            return linux(c.fcntl(fd, Darwin.F_DUPFD_CLOEXEC, argument));
        }
        return fail(Errno.EINVAL);
    }

    /** F_OFD_SETLKW with Linux's struct flock, passed on in Darwin's layout and lock types. */
    @Override
    public int fcntl(int fd, int command, ByteBuffer argument) {
        if (command != Linux.F_OFD_SETLKW) {
            return fail(Errno.EINVAL);
        }
        short type = argument.getShort(argument.position() + Structs.FLOCK_TYPE);
        ByteBuffer flock = LibC.allocate(Darwin.FLOCK_SIZE);
        flock.putLong(Darwin.FLOCK_START, argument.getLong(argument.position() + Structs.FLOCK_START));
        flock.putLong(Darwin.FLOCK_LEN, argument.getLong(argument.position() + Structs.FLOCK_LEN));
        flock.putShort(Darwin.FLOCK_WHENCE, argument.getShort(argument.position() + Structs.FLOCK_WHENCE));
        flock.putShort(Darwin.FLOCK_TYPE, type == Linux.F_RDLCK ? Darwin.F_RDLCK
                : type == Linux.F_WRLCK ? Darwin.F_WRLCK : Darwin.F_UNLCK);
        return linux(c.fcntl(fd, Darwin.F_OFD_SETLKW, flock));
    }

    @Override
    public long lseek(int fd, long offset, int whence) {
        int darwin = whence == Linux.SEEK_DATA ? Darwin.SEEK_DATA : whence == Linux.SEEK_HOLE ? Darwin.SEEK_HOLE : whence;
        return linux(c.lseek(fd, offset, darwin));
    }

    @Override
    public long pread(int fd, ByteBuffer buffer, long offset) {
        return linux(c.pread(fd, buffer, offset));
    }

    /** macOS has no preadv2: EOPNOTSUPP, and the caller reads otherwise. */
    @Override
    public long preadv2(int fd, ByteBuffer buffer, long offset, int flags) {
        return fail(Errno.EOPNOTSUPP);
    }

    @Override
    public long pwrite(int fd, ByteBuffer buffer, long offset) {
        return linux(c.pwrite(fd, buffer, offset));
    }

    @Override
    public int ftruncate(int fd, long length) {
        return linux(c.ftruncate(fd, length));
    }

    @Override
    public int fstat(int fd, ByteBuffer stat) {
        return linux(c.fstat(fd, stat));
    }

    /** fstat(2), its fields written where LibC reads struct statx's (dev_t: 8 bits of major, 24 of minor). */
    @Override
    public int statx(int fd, ByteBuffer statx) {
        ByteBuffer stat = LibC.allocate(Darwin.STAT_SIZE);
        int rc = linux(c.fstat(fd, stat));
        if (rc < 0) {
            return rc;
        }
        int base = statx.position();
        int dev = stat.getInt(Darwin.STAT_DEV);
        int rdev = stat.getInt(Darwin.STAT_RDEV);
        statx.putShort(base + Structs.STATX_MODE, stat.getShort(Darwin.STAT_MODE));
        statx.putLong(base + Structs.STATX_SIZE_FIELD, stat.getLong(Darwin.STAT_SIZE_FIELD));
        statx.putLong(base + Structs.STATX_BLOCKS, stat.getLong(Darwin.STAT_BLOCKS));
        statx.putInt(base + Structs.STATX_BLKSIZE, stat.getInt(Darwin.STAT_BLKSIZE));
        statx.putInt(base + Structs.STATX_RDEV_MAJOR, (rdev >>> 24) & 0xff);
        statx.putInt(base + Structs.STATX_RDEV_MINOR, rdev & 0xffffff);
        statx.putInt(base + Structs.STATX_DEV_MAJOR, (dev >>> 24) & 0xff);
        statx.putInt(base + Structs.STATX_DEV_MINOR, dev & 0xffffff);
        return 0;
    }

    /** The block size from fstatfs's f_bsize, where LibC reads statvfs's f_frsize (macOS's statvfs copies it from there). */
    @Override
    public int fstatvfs(int fd, ByteBuffer statvfs) {
        ByteBuffer statfs = LibC.allocate(Darwin.STATFS_SIZE);
        int rc = linux(c.fstatfs(fd, statfs));
        if (rc == 0) {
            statvfs.putLong(statvfs.position() + Structs.STATVFS_FRSIZE, Integer.toUnsignedLong(statfs.getInt(Darwin.STATFS_BSIZE)));
        }
        return rc;
    }

    /** No Linux magic number on macOS: f_type reads 0, and {@link #filesystemName} gives the name. */
    @Override
    public int fstatfs(int fd, ByteBuffer statfs) {
        ByteBuffer darwin = LibC.allocate(Darwin.STATFS_SIZE);
        int rc = linux(c.fstatfs(fd, darwin));
        if (rc == 0) {
            statfs.putLong(statfs.position() + Structs.STATFS_TYPE, 0);
        }
        return rc;
    }

    /** fstatfs's f_fstypename ("apfs", "hfs", "msdos", ...), or null when fstatfs fails. */
    String filesystemName(int fd) {
        ByteBuffer statfs = LibC.allocate(Darwin.STATFS_SIZE);
        if (c.fstatfs(fd, statfs) < 0) {
            return null;
        }
        byte[] name = new byte[Darwin.MFSTYPENAMELEN];
        statfs.get(Darwin.STATFS_FSTYPENAME, name);
        int length = 0;
        while (length < name.length && name[length] != 0) {
            length++;
        }
        return new String(name, 0, length, StandardCharsets.US_ASCII);
    }

    /** No ioctl the library sends (FIEMAP, inode flags, block-device sizes) means anything on macOS. */
    @Override
    public int ioctl(int fd, long request, ByteBuffer argument) {
        return fail(Errno.ENOTTY);
    }

    /** mmap's PROT_READ and MAP_SHARED and mincore's in-core bit are Linux's numbers (DarwinTableTest). */
    @Override
    public int residentPages(int fd, long offset, long length, ByteBuffer vector) {
        return linux(c.residentPages(fd, offset, length, vector));
    }

    /** macOS has no cachestat: residency takes the mincore path. */
    @Override
    public int cachestat(int fd, ByteBuffer range, ByteBuffer cachestat) {
        return fail(Errno.ENOSYS);
    }

    @Override
    public int faccessat2(int fd, int mode, int flags) {
        return fail(Errno.ENOSYS);
    }

    @Override
    public long address(ByteBuffer direct) {
        return c.address(direct);
    }

    /** madvise(2) with Darwin's number for the advice ({@link #memoryAdvice}); nothing is called for advice macOS lacks. */
    @Override
    public int madvise(ByteBuffer mapping, long address, long length, int advice) {
        int darwin = memoryAdvice(advice);
        return darwin < 0 ? darwin : linux(c.madvise(mapping, address, length, darwin));
    }

    /**
     * Linux's MADV_* as Darwin's, as XNU's madvise (bsd/kern/kern_mman.c) and vm_map_behavior_set
     * (osfmk/vm/vm_map.c) act on them:
     * <ul>
     * <li>NORMAL, RANDOM, SEQUENTIAL: the same numbers; they set the map entries' paging behaviour, which
     *     decides how many pages around a fault are read, as on Linux.
     * <li>WILLNEED: the same number; reads the range in (vm_map_willneed), which is Linux's effect.
     * <li>DONTNEED: the same number, another effect: it moves the resident pages of the range to the
     *     inactive queue and clears their referenced bits (vm_map_msync with VM_SYNC_DEACTIVATE), keeping
     *     them, and a private mapping's changes, where Linux unmaps them and discards those changes.
     * <li>COLD: Darwin's DONTNEED, whose deactivation is what Linux's COLD does (but for every page of the
     *     range, not only those this process alone maps).
     * <li>PAGEOUT: -EOPNOTSUPP. Darwin's MADV_PAGEOUT (10) is "internal only": a release kernel, built
     *     without MACH_ASSERT, answers ENOTSUP.
     * <li>POPULATE_READ, POPULATE_WRITE: -EOPNOTSUPP; macOS has no advice that faults a range in and
     *     reports failure.
     * <li>anything else: -EINVAL, as from Linux.
     * </ul>
     */
    static int memoryAdvice(int linux) {
        switch (linux) {
            case Linux.MADV_NORMAL:
                return Darwin.MADV_NORMAL;
            case Linux.MADV_RANDOM:
                return Darwin.MADV_RANDOM;
            case Linux.MADV_SEQUENTIAL:
                return Darwin.MADV_SEQUENTIAL;
            case Linux.MADV_WILLNEED:
                return Darwin.MADV_WILLNEED;
            case Linux.MADV_DONTNEED, Linux.MADV_COLD:
                return Darwin.MADV_DONTNEED;
            case Linux.MADV_PAGEOUT, Linux.MADV_POPULATE_READ, Linux.MADV_POPULATE_WRITE:
                return fail(Errno.EOPNOTSUPP);
            default:
                return fail(Errno.EINVAL);
        }
    }

    @Override
    public int pageSize() {
        return c.pageSize();
    }
}
