package io.github.fallocate4j.internal;

import io.github.fallocate4j.FileSpaceException;

/** statx(2) and fstatvfs(3) of a file the library is working on, a failure as a {@link FileSpaceException}. */
public final class FileStats {
    private FileStats() {}

    /** The file's type, size and allocation (statx). */
    public static LibC.FileStat of(OpenFile file) throws FileSpaceException {
        try {
            return LibC.fstat(file.fd());
        } catch (LibC.NativeException e) {
            throw Errors.of(e.errno(), file, "statx");
        }
    }

    /** The bytes the file occupies on disk: st_blocks * 512. */
    public static long allocatedBytes(OpenFile file) throws FileSpaceException {
        return of(file).allocatedBytes();
    }

    /**
     * The unit collapse and insert need ranges in multiples of: the fundamental block size, or the
     * cluster size on ext4 with bigalloc ({@link Filesystems#allocationUnit}).
     */
    public static long allocationUnit(OpenFile file) throws FileSpaceException {
        try {
            return Filesystems.allocationUnit(file.fd()).bytes();
        } catch (LibC.NativeException e) {
            throw Errors.of(e.errno(), file, "fstatvfs");
        }
    }

    /** The filesystem's fundamental block size (f_frsize from fstatvfs). */
    public static long blockSize(OpenFile file) throws FileSpaceException {
        try {
            return LibC.fragmentSize(file.fd());
        } catch (LibC.NativeException e) {
            throw Errors.of(e.errno(), file, "fstatvfs");
        }
    }
}
