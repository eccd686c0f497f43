package io.github.fallocate4j.internal;

import io.github.fallocate4j.Extent;
import io.github.fallocate4j.ExtentFlag;
import io.github.fallocate4j.FileSpaceException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The file's extents from ioctl FS_IOC_FIEMAP. struct fiemap and struct fiemap_extent are made of
 * fixed-width fields and laid out the same on every architecture; the request number is the same on
 * x86_64 and aarch64.
 */
public final class Fiemap {
    private static final int BATCH = 512;

    private Fiemap() {}

    /** The extents overlapping {@code [offset, offset+len)}, in order; with {@code sync}, dirty data is written first. */
    public static List<Extent> extents(OpenFile file, long offset, long len, boolean sync) throws FileSpaceException {
        List<Extent> extents = new ArrayList<>();
        long end = Offsets.end(offset, len);
        ByteBuffer map = LibC.allocate(Structs.FIEMAP_SIZE + Structs.FIEMAP_EXTENT_SIZE * BATCH);
        long start = offset;
        while (start < end) {
            map.clear();
            map.putLong(Structs.FIEMAP_START, start);
            map.putLong(Structs.FIEMAP_LENGTH, end - start);
            map.putInt(Structs.FIEMAP_FLAGS, sync ? Linux.FIEMAP_FLAG_SYNC : 0);
            map.putInt(Structs.FIEMAP_MAPPED_EXTENTS, 0);
            map.putInt(Structs.FIEMAP_EXTENT_COUNT, BATCH);
            int rc = LibC.ioctl(file.fd(), Linux.FS_IOC_FIEMAP, map);
            if (rc < 0) {
                throw Errors.fiemap(-rc, file, offset, len);
            }
            int mapped = map.getInt(Structs.FIEMAP_MAPPED_EXTENTS);
            if (mapped == 0) {
                break;
            }
            int lastFlags = 0;
            for (int i = 0; i < mapped; i++) {
                int at = Structs.FIEMAP_SIZE + Structs.FIEMAP_EXTENT_SIZE * i;
                long logical = map.getLong(at + Structs.FIEMAP_EXTENT_LOGICAL);
                long physical = map.getLong(at + Structs.FIEMAP_EXTENT_PHYSICAL);
                long length = map.getLong(at + Structs.FIEMAP_EXTENT_LENGTH);
                lastFlags = map.getInt(at + Structs.FIEMAP_EXTENT_FLAGS);
                extents.add(new Extent(logical, physical, length, flags(lastFlags)));
                start = Offsets.end(logical, length);
            }
            // A short batch means the range holds no more extents; a full one may be followed by more.
            if ((lastFlags & Linux.FIEMAP_EXTENT_LAST) != 0 || mapped < BATCH) {
                break;
            }
        }
        return extents;
    }

    private static Set<ExtentFlag> flags(int bits) {
        Set<ExtentFlag> flags = EnumSet.noneOf(ExtentFlag.class);
        for (ExtentFlag flag : ExtentFlag.values()) {
            if ((bits & flag.value()) != 0) {
                flags.add(flag);
            }
        }
        return flags;
    }
}
