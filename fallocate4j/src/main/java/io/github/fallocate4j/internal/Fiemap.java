package io.github.fallocate4j.internal;

import io.github.fallocate4j.Extent;
import io.github.fallocate4j.ExtentFlag;
import io.github.fallocate4j.FileSpaceException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
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
    private static final long FS_IOC_FIEMAP = 0xC020660BL;
    private static final int FIEMAP_FLAG_SYNC = 0x1;
    private static final int HEADER = 32;
    private static final int EXTENT = 56;
    private static final int BATCH = 512;
    private static final int FIEMAP_EXTENT_LAST = 0x1;

    private Fiemap() {}

    /** The extents overlapping {@code [offset, offset+len)}, in order; with {@code sync}, dirty data is written first. */
    public static List<Extent> extents(OpenFile file, long offset, long len, boolean sync) throws FileSpaceException {
        List<Extent> extents = new ArrayList<>();
        long end = Offsets.end(offset, len);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment map = arena.allocate(HEADER + (long) EXTENT * BATCH, 8);
            long start = offset;
            while (start < end) {
                map.fill((byte) 0);
                map.set(ValueLayout.JAVA_LONG, 0, start);
                map.set(ValueLayout.JAVA_LONG, 8, end - start);
                map.set(ValueLayout.JAVA_INT, 16, sync ? FIEMAP_FLAG_SYNC : 0);
                map.set(ValueLayout.JAVA_INT, 24, BATCH);
                int rc = LibC.ioctl(file.fd(), FS_IOC_FIEMAP, map);
                if (rc < 0) {
                    throw Errors.fiemap(-rc, file, offset, len);
                }
                int mapped = map.get(ValueLayout.JAVA_INT, 20);
                if (mapped == 0) {
                    break;
                }
                int lastFlags = 0;
                for (int i = 0; i < mapped; i++) {
                    long at = HEADER + (long) EXTENT * i;
                    long logical = map.get(ValueLayout.JAVA_LONG, at);
                    long physical = map.get(ValueLayout.JAVA_LONG, at + 8);
                    long length = map.get(ValueLayout.JAVA_LONG, at + 16);
                    lastFlags = map.get(ValueLayout.JAVA_INT, at + 40);
                    extents.add(new Extent(logical, physical, length, flags(lastFlags)));
                    start = Offsets.end(logical, length);
                }
                // A short batch means the range holds no more extents; a full one may be followed by more.
                if ((lastFlags & FIEMAP_EXTENT_LAST) != 0 || mapped < BATCH) {
                    break;
                }
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
