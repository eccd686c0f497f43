package io.github.fallocate4j.internal;

import io.github.fallocate4j.Errno;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;

/**
 * Every number of the macOS (Darwin) C interface the library uses, in one table: fcntl commands and
 * their flags, open flags, lseek whence, mmap protections, madvise advice, errno values, and the size
 * and field offsets of each struct passed to a call. arm64 and x86_64 agree on all of them (both LP64,
 * 64-bit off_t and ino_t; x86_64 reaches the 64-bit-inode struct stat and statfs through the
 * {@code $INODE64} symbols, see {@link #symbol}).
 *
 * <p>Each field names the XNU header it comes from ({@link Xnu}); DarwinTableTest checks every field
 * against {@code darwin-xnu.txt}, the numbers read out of those headers at a recorded XNU commit, and
 * (with {@code -Pxnu-headers}, where an XNU checkout is at hand) re-reads them from the headers
 * themselves. Only numbers are copied, never Apple's code.
 */
final class Darwin {
    /** The header a number comes from, and the macro or struct field it is (default: the field's name). */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    @interface Xnu {
        /** The header's path in the XNU source tree. */
        String value();

        /** {@code "#define NAME"}'s NAME, {@code "struct S.field"} for an offset, {@code "sizeof struct S"}. */
        String name() default "";
    }

    private static final String FCNTL = "bsd/sys/fcntl.h";
    private static final String ERRNO = "bsd/sys/errno.h";

    // fcntl(2) commands (fcntl.h).
    @Xnu(FCNTL) static final int F_GETFL = 3;
    @Xnu(FCNTL) static final int F_PREALLOCATE = 42;
    @Xnu(FCNTL) static final int F_RDADVISE = 44;
    @Xnu(FCNTL) static final int F_RDAHEAD = 45;
    @Xnu(FCNTL) static final int F_NOCACHE = 48;
    @Xnu(FCNTL) static final int F_LOG2PHYS_EXT = 65;
    @Xnu(FCNTL) static final int F_DUPFD_CLOEXEC = 67;
    /** Open-file-description locks: public in the headers since macOS 13 (XNU 8792). */
    @Xnu(FCNTL) static final int F_OFD_SETLKW = 91;
    @Xnu(FCNTL) static final int F_PUNCHHOLE = 99;
    @Xnu(FCNTL) static final short F_RDLCK = 1;
    @Xnu(FCNTL) static final short F_UNLCK = 2;
    @Xnu(FCNTL) static final short F_WRLCK = 3;

    // F_PREALLOCATE's fst_flags and fst_posmode (fcntl.h).
    @Xnu(FCNTL) static final int F_ALLOCATECONTIG = 0x2;
    @Xnu(FCNTL) static final int F_ALLOCATEALL = 0x4;
    /** Without it the space allocated past the end of the file is given back at close(2). */
    @Xnu(FCNTL) static final int F_ALLOCATEPERSIST = 0x8;
    @Xnu(FCNTL) static final int F_PEOFPOSMODE = 3;

    // open(2) flags (fcntl.h).
    @Xnu(FCNTL) static final int O_RDONLY = 0x0;
    @Xnu(FCNTL) static final int O_WRONLY = 0x1;
    @Xnu(FCNTL) static final int O_RDWR = 0x2;
    @Xnu(FCNTL) static final int O_ACCMODE = 0x3;
    @Xnu(FCNTL) static final int O_NONBLOCK = 0x4;
    @Xnu(FCNTL) static final int O_APPEND = 0x8;
    @Xnu(FCNTL) static final int O_CREAT = 0x200;
    @Xnu(FCNTL) static final int O_CLOEXEC = 0x1000000;

    // lseek(2) whence: the reverse of Linux's SEEK_DATA 3, SEEK_HOLE 4.
    @Xnu("bsd/sys/_types/_seek_set.h") static final int SEEK_HOLE = 3;
    @Xnu("bsd/sys/_types/_seek_set.h") static final int SEEK_DATA = 4;

    // mmap(2) and mincore(2) (mman.h).
    @Xnu("bsd/sys/mman.h") static final int PROT_READ = 0x1;
    @Xnu("bsd/sys/mman.h") static final int MAP_SHARED = 0x1;
    @Xnu("bsd/sys/mman.h") static final int MINCORE_INCORE = 0x1;

    // madvise(2) advice (mman.h): NORMAL..DONTNEED are Linux's numbers, under Linux's names, with other
    // effects (see DarwinBackend#madvise); Linux's COLD 20 .. POPULATE_WRITE 23 do not exist. Darwin's own
    // MADV_PAGEOUT (10, "internal only") answers ENOTSUP on release kernels and is never passed.
    @Xnu("bsd/sys/mman.h") static final int MADV_NORMAL = 0;
    @Xnu("bsd/sys/mman.h") static final int MADV_RANDOM = 1;
    @Xnu("bsd/sys/mman.h") static final int MADV_SEQUENTIAL = 2;
    @Xnu("bsd/sys/mman.h") static final int MADV_WILLNEED = 3;
    @Xnu("bsd/sys/mman.h") static final int MADV_DONTNEED = 4;

    // errno (errno.h): 1-34 agree with Linux except 11; EAGAIN, ENOSYS and the rest are elsewhere.
    @Xnu(ERRNO) static final int EPERM = 1;
    @Xnu(ERRNO) static final int ENOENT = 2;
    @Xnu(ERRNO) static final int EINTR = 4;
    @Xnu(ERRNO) static final int EIO = 5;
    @Xnu(ERRNO) static final int ENXIO = 6;
    @Xnu(ERRNO) static final int EBADF = 9;
    /** Linux's 11 is EAGAIN; Darwin's is EDEADLK, which the library has no name for (see {@link #linuxErrno}). */
    @Xnu(ERRNO) static final int EDEADLK = 11;
    @Xnu(ERRNO) static final int ENOMEM = 12;
    @Xnu(ERRNO) static final int EACCES = 13;
    @Xnu(ERRNO) static final int EFAULT = 14;
    @Xnu(ERRNO) static final int EBUSY = 16;
    @Xnu(ERRNO) static final int EEXIST = 17;
    @Xnu(ERRNO) static final int ENODEV = 19;
    @Xnu(ERRNO) static final int ENOTDIR = 20;
    @Xnu(ERRNO) static final int EISDIR = 21;
    @Xnu(ERRNO) static final int EINVAL = 22;
    @Xnu(ERRNO) static final int ENFILE = 23;
    @Xnu(ERRNO) static final int EMFILE = 24;
    @Xnu(ERRNO) static final int ENOTTY = 25;
    @Xnu(ERRNO) static final int ETXTBSY = 26;
    @Xnu(ERRNO) static final int EFBIG = 27;
    @Xnu(ERRNO) static final int ENOSPC = 28;
    @Xnu(ERRNO) static final int ESPIPE = 29;
    @Xnu(ERRNO) static final int EROFS = 30;
    @Xnu(ERRNO) static final int ERANGE = 34;
    @Xnu(ERRNO) static final int EAGAIN = 35;
    /** ENOTSUP and EOPNOTSUPP are distinct on Darwin (one number on Linux): both become {@link Errno#EOPNOTSUPP}. */
    @Xnu(ERRNO) static final int ENOTSUP = 45;
    @Xnu(ERRNO) static final int ELOOP = 62;
    @Xnu(ERRNO) static final int ENAMETOOLONG = 63;
    @Xnu(ERRNO) static final int EDQUOT = 69;
    @Xnu(ERRNO) static final int ENOSYS = 78;
    @Xnu(ERRNO) static final int EOVERFLOW = 84;
    @Xnu(ERRNO) static final int EOPNOTSUPP = 102;

    // struct fstore (fstore_t), F_PREALLOCATE's argument (fcntl.h).
    @Xnu(value = FCNTL, name = "sizeof struct fstore") static final int FSTORE_SIZE = 32;
    @Xnu(value = FCNTL, name = "struct fstore.fst_flags") static final int FSTORE_FLAGS = 0;       // unsigned int
    @Xnu(value = FCNTL, name = "struct fstore.fst_posmode") static final int FSTORE_POSMODE = 4;   // int
    @Xnu(value = FCNTL, name = "struct fstore.fst_offset") static final int FSTORE_OFFSET = 8;     // off_t
    @Xnu(value = FCNTL, name = "struct fstore.fst_length") static final int FSTORE_LENGTH = 16;    // off_t
    @Xnu(value = FCNTL, name = "struct fstore.fst_bytesalloc") static final int FSTORE_BYTESALLOC = 24; // off_t, out

    // struct fpunchhole (fpunchhole_t), F_PUNCHHOLE's argument (fcntl.h).
    @Xnu(value = FCNTL, name = "sizeof struct fpunchhole") static final int FPUNCHHOLE_SIZE = 24;
    @Xnu(value = FCNTL, name = "struct fpunchhole.fp_flags") static final int FPUNCHHOLE_FLAGS = 0;   // unsigned int
    @Xnu(value = FCNTL, name = "struct fpunchhole.fp_offset") static final int FPUNCHHOLE_OFFSET = 8; // off_t
    @Xnu(value = FCNTL, name = "struct fpunchhole.fp_length") static final int FPUNCHHOLE_LENGTH = 16; // off_t

    // struct radvisory, F_RDADVISE's argument (fcntl.h; packed only inside the kernel).
    @Xnu(value = FCNTL, name = "sizeof struct radvisory") static final int RADVISORY_SIZE = 16;
    @Xnu(value = FCNTL, name = "struct radvisory.ra_offset") static final int RADVISORY_OFFSET = 0; // off_t
    @Xnu(value = FCNTL, name = "struct radvisory.ra_count") static final int RADVISORY_COUNT = 8;   // int

    // struct flock, F_OFD_SETLKW's argument (fcntl.h): another order than Linux's.
    @Xnu(value = FCNTL, name = "sizeof struct flock") static final int FLOCK_SIZE = 24;
    @Xnu(value = FCNTL, name = "struct flock.l_start") static final int FLOCK_START = 0;    // off_t
    @Xnu(value = FCNTL, name = "struct flock.l_len") static final int FLOCK_LEN = 8;        // off_t
    @Xnu(value = FCNTL, name = "struct flock.l_pid") static final int FLOCK_PID = 16;       // pid_t
    @Xnu(value = FCNTL, name = "struct flock.l_type") static final int FLOCK_TYPE = 20;     // short
    @Xnu(value = FCNTL, name = "struct flock.l_whence") static final int FLOCK_WHENCE = 22; // short

    // struct stat with 64-bit inodes (__DARWIN_STRUCT_STAT64, sys/stat.h).
    @Xnu(value = "bsd/sys/stat.h", name = "sizeof struct stat") static final int STAT_SIZE = 144;
    @Xnu(value = "bsd/sys/stat.h", name = "struct stat.st_dev") static final int STAT_DEV = 0;         // dev_t (int32)
    @Xnu(value = "bsd/sys/stat.h", name = "struct stat.st_mode") static final int STAT_MODE = 4;       // mode_t (uint16)
    @Xnu(value = "bsd/sys/stat.h", name = "struct stat.st_rdev") static final int STAT_RDEV = 24;      // dev_t (int32)
    @Xnu(value = "bsd/sys/stat.h", name = "struct stat.st_size") static final int STAT_SIZE_FIELD = 96; // off_t
    @Xnu(value = "bsd/sys/stat.h", name = "struct stat.st_blocks") static final int STAT_BLOCKS = 104; // blkcnt_t, 512-byte units
    @Xnu(value = "bsd/sys/stat.h", name = "struct stat.st_blksize") static final int STAT_BLKSIZE = 112; // blksize_t (int32)

    // struct statfs with 64-bit inodes (__DARWIN_STRUCT_STATFS64, sys/mount.h).
    @Xnu(value = "bsd/sys/mount.h", name = "sizeof struct statfs") static final int STATFS_SIZE = 2168;
    @Xnu(value = "bsd/sys/mount.h", name = "struct statfs.f_bsize") static final int STATFS_BSIZE = 0;            // uint32
    @Xnu(value = "bsd/sys/mount.h", name = "struct statfs.f_fstypename") static final int STATFS_FSTYPENAME = 72; // char[16]
    @Xnu(value = "bsd/sys/mount.h", name = "MFSTYPENAMELEN") static final int MFSTYPENAMELEN = 16;

    private static final int[] TO_LINUX = linuxErrnos();

    private Darwin() {}

    /** The C symbol to bind for {@code function} on this machine: {@link #symbol} on macOS, the name itself elsewhere. */
    static String cName(String function) {
        return Platform.isMacOs() ? symbol(function, Platform.arch()) : function;
    }

    /**
     * The C symbol of a function: the 64-bit-inode variants of fstat and fstatfs are {@code fstat$INODE64}
     * and {@code fstatfs$INODE64} on x86_64 (the plain names there fill the old, 32-bit-inode structs);
     * arm64 has only the 64-bit-inode ones, under the plain names.
     */
    static String symbol(String function, String osArch) {
        boolean inode64 = function.equals("fstat") || function.equals("fstatfs");
        return inode64 && (osArch.equals("x86_64") || osArch.equals("amd64")) ? function + "$INODE64" : function;
    }

    /**
     * The Linux number of a Darwin errno, which the rest of the library (and {@link Errno}) speaks: the
     * same name, so EAGAIN 35 becomes 11 and ENOTSUP 45 becomes EOPNOTSUPP 95. A Darwin error the
     * library has no name for (EDEADLK, the RPC and Mach-O errors, ...) becomes EIO rather than the
     * Linux error that happens to share its number.
     */
    static int linuxErrno(int darwinErrno) {
        return darwinErrno > 0 && darwinErrno < TO_LINUX.length && TO_LINUX[darwinErrno] != 0
                ? TO_LINUX[darwinErrno] : Errno.EIO.number();
    }

    /** The Darwin number of a Linux errno with a name in {@link Errno}, or -1 when Darwin has no such name. */
    static int darwinErrno(Errno errno) {
        try {
            return Darwin.class.getDeclaredField(errno.name()).getInt(null);
        } catch (NoSuchFieldException e) {
            return -1;
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int[] linuxErrnos() {
        int[] table = new int[128];
        for (Field field : Darwin.class.getDeclaredFields()) {
            Xnu xnu = field.getAnnotation(Xnu.class);
            if (xnu == null || !xnu.value().equals(ERRNO) || !Modifier.isStatic(field.getModifiers())) {
                continue;
            }
            String name = field.getName().equals("ENOTSUP") ? "EOPNOTSUPP" : field.getName();
            Errno.of(linuxNumber(name)).ifPresent(e -> {
                try {
                    table[field.getInt(null)] = e.number();
                } catch (IllegalAccessException ex) {
                    throw new IllegalStateException(ex);
                }
            });
        }
        return table;
    }

    private static int linuxNumber(String name) {
        for (Errno e : Errno.values()) {
            if (e.name().equals(name)) {
                return e.number();
            }
        }
        return -1;
    }
}
