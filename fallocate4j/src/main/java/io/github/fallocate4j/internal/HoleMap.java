package io.github.fallocate4j.internal;

import io.github.fallocate4j.Errno;
import io.github.fallocate4j.FileSpaceException;
import io.github.fallocate4j.Region;
import java.nio.channels.ClosedChannelException;
import java.util.function.BooleanSupplier;

/**
 * Walks a file's data and holes with lseek(2) SEEK_DATA and SEEK_HOLE: at most two system calls per
 * region, whatever the file's size, and nothing held in memory.
 */
public final class HoleMap {
    private final OpenFile file;
    private final long limit;
    private final BooleanSupplier stillOpen;
    private long position;

    /**
     * @param file      the descriptor to walk
     * @param offset    where to start
     * @param end       where to stop; clipped to the file's size now
     * @param stillOpen checked before each step: false ends the walk as a closed channel
     */
    public HoleMap(OpenFile file, long offset, long end, BooleanSupplier stillOpen) throws FileSpaceException {
        this.file = file;
        this.position = offset;
        this.stillOpen = stillOpen;
        this.limit = Math.min(end, FileStats.of(file).size());
    }

    public boolean hasNext() {
        return position < limit;
    }

    /** The next region; call only while {@link #hasNext()}. */
    public Region next() throws ClosedChannelException, FileSpaceException {
        long data = seek(position, Linux.SEEK_DATA);
        Region region;
        if (data < 0 || data > position) {
            // ENXIO (data < 0): nothing but hole up to the end of the file.
            long holeEnd = data < 0 ? limit : Math.min(data, limit);
            region = new Region(Region.Kind.HOLE, position, holeEnd - position);
        } else {
            long hole = seek(position, Linux.SEEK_HOLE);
            if (hole >= 0 && hole <= position) {
                // Data at position, yet a hole there too: walking on would never advance.
                throw Errors.inconsistentMap(file, position, hole);
            }
            long dataEnd = hole < 0 ? limit : Math.min(hole, limit);
            region = new Region(Region.Kind.DATA, position, dataEnd - position);
        }
        position = region.end();
        return region;
    }

    /** The offset lseek finds, or -1 for ENXIO (no more data, or offset at or past the end). */
    private long seek(long offset, int whence) throws ClosedChannelException, FileSpaceException {
        if (!stillOpen.getAsBoolean()) {
            throw new ClosedChannelException();
        }
        long callers = file.sharesCallersOffset() ? LibC.lseek(file.fd(), 0, Linux.SEEK_CUR) : -1;
        long rc = LibC.lseek(file.fd(), offset, whence);
        if (callers >= 0) {
            // Put back the offset its owner's next relative read or write uses. Another thread of theirs
            // could still use it between the two calls: descriptors of the library's own have no such
            // window (OpenFiles.own reopens regular files), so this is only for what could not be reopened.
            LibC.lseek(file.fd(), callers, Linux.SEEK_SET);
        }
        if (rc == -Errno.ENXIO.number()) {
            return -1;
        }
        if (rc < 0) {
            throw Errors.seek((int) -rc, file, whence == Linux.SEEK_DATA ? "SEEK_DATA" : "SEEK_HOLE", offset);
        }
        return rc;
    }
}
