package io.github.fallocate4j.internal;

import io.github.fallocate4j.DigListener;
import io.github.fallocate4j.DigResult;
import io.github.fallocate4j.Fallocate;
import io.github.fallocate4j.FileSpaceException;
import io.github.fallocate4j.Region;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Turns runs of zero blocks into holes: the one implementation behind {@code SparseFiles.digHoles}
 * and {@code fallocate --dig-holes}.
 *
 * <p>Existing holes are skipped with SEEK_DATA/SEEK_HOLE; data is read in 1 MiB preads (util-linux
 * reads one st_blksize block per call) and checked for zeros with {@link java.nio.ByteBuffer#mismatch},
 * which the JDK vectorises, one call per stretch of zeros rather than per block. Only whole
 * filesystem blocks, aligned to the start of the file, are punched; the file's last, partial block
 * counts as whole when the range reaches the end of the file, and is punched to its block boundary
 * past the end (the size is kept), since punching only up to the end of the file would zero it
 * without freeing it. As util-linux does, the kernel is told the read is sequential and each
 * processed megabyte is dropped from the page cache (except the zero runs, whose punch drops them
 * anyway). The punching and dropping run beside the reading, on a second thread ({@link DigReleaser}).
 */
public final class HoleDigger {
    static final int CHUNK = 1 << 20;

    private final OpenFile file;
    private final long blockSize;
    private final DigListener listener;
    private final boolean punch;
    private final long fileEnd;
    private DigReleaser releaser;
    private long runStart = -1;
    private long runEnd;
    /** Where the pages read but neither dropped from the cache nor punched begin. */
    private long cachedFrom;
    private long runs;
    private long bytes;

    private HoleDigger(OpenFile file, long blockSize, long fileEnd, DigListener listener, boolean punch) {
        this.file = file;
        this.fileEnd = fileEnd;
        this.blockSize = blockSize;
        this.listener = listener;
        this.punch = punch;
    }

    /**
     * Finds, and unless {@code punch} is false punches, the zero blocks of {@code [offset, offset+len)}
     * (clipped to the file size).
     */
    public static DigResult dig(OpenFile file, long offset, long len, DigListener listener, boolean punch,
                                boolean lock) throws IOException {
        if (!lock) {
            return dig(file, offset, len, listener, punch);
        }
        int rc = LibC.lockWholeFile(file.fd(), punch ? Linux.F_WRLCK : Linux.F_RDLCK);
        if (rc < 0) {
            throw Errors.lock(-rc, file, punch);
        }
        try {
            return dig(file, offset, len, listener, punch);
        } finally {
            // The description may be the caller's (a duplicated descriptor): closing ours would not release it.
            LibC.lockWholeFile(file.fd(), Linux.F_UNLCK);
        }
    }

    private static DigResult dig(OpenFile file, long offset, long len, DigListener listener, boolean punch)
            throws IOException {
        LibC.FileStat stat = FileStats.of(file);
        long blockSize = FileStats.blockSize(file);
        if (!stat.isRegularFile()) {
            // Character devices such as /dev/zero would never end; fallocate(2) refuses them anyway.
            throw Errors.notRegularFile(file, "dig holes", offset, len);
        }
        long size = stat.size();
        long end = len > size - offset ? size : offset + len;
        long first = Offsets.roundUp(offset, blockSize);
        // Up to the end of the file the last, partial block counts as whole.
        long last = end == size ? end : end / blockSize * blockSize;
        if (first >= last) {
            return new DigResult(0, 0);
        }
        LibC.posixFadvise(file.fd(), first, last - first, Fallocate.POSIX_FADV_SEQUENTIAL);
        return new HoleDigger(file, blockSize, size, listener, punch).run(first, last);
    }

    private DigResult run(long first, long last) throws IOException {
        // Two chunks or less: a thread would cost more than the overlap saves.
        releaser = new DigReleaser(file, blockSize, last - first > 2L * CHUNK);
        cachedFrom = first;
        try {
            scanRegions(first, last);
        } catch (Throwable t) {
            releaser.finishAfter(t);
            throw t;
        }
        releaser.finish();
        return new DigResult(runs, bytes);
    }

    private void scanRegions(long first, long last) throws IOException {
        long chunkSize = Math.max(CHUNK / blockSize, 1) * blockSize;
        {
            ByteBuffer buffer = LibC.allocatePageAligned((int) chunkSize);
            ByteBuffer zeros = LibC.allocatePageAligned((int) chunkSize);
            HoleMap map = new HoleMap(file, first, last, () -> true);
            while (map.hasNext()) {
                Region region = map.next();
                if (region.isHole()) {
                    endRun();
                    continue;
                }
                long regionEnd = Math.min(Offsets.roundUp(region.end(), blockSize), last);
                for (long at = region.offset() / blockSize * blockSize, want; at < regionEnd; at += want) {
                    want = Math.min(chunkSize, regionEnd - at);
                    // Whole blocks are asked for, as O_DIRECT needs, even where the file ends inside one
                    // (the read is then short); never past 2^63-1, which the kernel refuses.
                    long ask = Math.min(Offsets.roundUp(want, blockSize), Long.MAX_VALUE - at);
                    long got = readFully(buffer.slice(0, (int) ask), at, want);
                    scan(buffer, zeros, at, got);
                    // A run still open will be punched, which drops its pages: only what lies before it now.
                    dropCacheUpTo(punch && runStart >= 0 ? runStart : at + got);
                    releaser.handOver();
                    listener.progress(at + got);
                    if (got < want) {
                        break; // the file shrank under us
                    }
                }
            }
            endRun();
        }
    }

    /**
     * Extends or ends the current run of zero blocks for each block of the buffer, which starts on a
     * block boundary. A block whose first eight bytes are not all zero is data, with nothing more read
     * (nearly every data block ends there); otherwise one vectorised comparison runs to the first
     * non-zero byte, however many zero blocks that spans, so a zero chunk costs a single call.
     */
    private void scan(ByteBuffer buffer, ByteBuffer zeros, long fileOffset, long length) throws FileSpaceException {
        long b = 0;
        while (b < length) {
            if (length - b >= Long.BYTES && buffer.getLong((int) b) != 0) {
                endRun();
                b += blockSize;
                continue;
            }
            int rest = (int) (length - b);
            long mismatch = buffer.slice((int) b, rest).mismatch(zeros.slice(0, rest));
            long zeroEnd = mismatch < 0 ? length : b + mismatch / blockSize * blockSize;
            if (zeroEnd > b) {
                extendRun(fileOffset + b, fileOffset + zeroEnd);
            }
            if (mismatch < 0) {
                return;
            }
            endRun(); // the block holding the non-zero byte
            b = zeroEnd + blockSize;
        }
    }

    private void extendRun(long start, long end) throws FileSpaceException {
        if (runStart < 0 || runEnd != start) {
            endRun();
            runStart = start;
        }
        runEnd = end;
    }

    private void endRun() throws FileSpaceException {
        if (runStart >= 0) {
            if (punch) {
                long punchEnd = runEnd == fileEnd ? Offsets.roundUp(runEnd, blockSize) : runEnd;
                dropCacheUpTo(runStart);
                releaser.punch(runStart, punchEnd - runStart);
                cachedFrom = punchEnd; // punching takes the run's pages out of the cache
            }
            runs++;
            bytes += runEnd - runStart;
            listener.zeroRun(runStart, runEnd - runStart);
            runStart = -1;
        }
    }

    private void dropCacheUpTo(long end) throws FileSpaceException {
        if (end > cachedFrom) {
            releaser.dropCache(cachedFrom, end - cachedFrom);
            cachedFrom = end;
        }
    }

    /** Reads into {@code target} until {@code needed} bytes are in or the file ends; returns at most {@code needed}. */
    private long readFully(ByteBuffer target, long offset, long needed) throws FileSpaceException {
        int done = 0;
        while (done < needed) {
            long n = LibC.pread(file.fd(), target.slice(done, target.capacity() - done), offset + done);
            if (n < 0) {
                throw Errors.of((int) -n, file, "pread", offset + done, target.capacity() - done);
            }
            if (n == 0) {
                break;
            }
            done += (int) n;
        }
        return Math.min(done, needed);
    }
}
