package io.github.fallocate4j;

import java.util.Set;

/**
 * One extent of a file as ioctl FS_IOC_FIEMAP reports it: where a run of the file's bytes lives on the
 * device. Many extents for a file written in small pieces mean fragmentation.
 *
 * @param logicalOffset  offset in the file
 * @param physicalOffset offset on the device (0 where {@link ExtentFlag#UNKNOWN})
 * @param length         bytes
 * @param flags          the kernel's FIEMAP_EXTENT_* flags
 * @since 0.1.0
 */
public record Extent(long logicalOffset, long physicalOffset, long length, Set<ExtentFlag> flags) {
    /** Copies the flags. */
    public Extent {
        flags = Set.copyOf(flags);
    }

    /**
     * Whether the extent is allocated but never written: it reads as zeros (after fallocate, say).
     *
     * @return true when {@link ExtentFlag#UNWRITTEN} is set
     */
    public boolean isUnwritten() {
        return flags.contains(ExtentFlag.UNWRITTEN);
    }

    /**
     * Whether other files share these blocks (reflinks, snapshots).
     *
     * @return true when {@link ExtentFlag#SHARED} is set
     */
    public boolean isShared() {
        return flags.contains(ExtentFlag.SHARED);
    }
}
