package io.github.fallocate4j.cli;

import io.github.fallocate4j.Errno;
import io.github.fallocate4j.Fallocate;
import io.github.fallocate4j.internal.LibC;
import io.github.fallocate4j.internal.Linux;
import java.nio.ByteBuffer;
import java.util.function.LongConsumer;

/**
 * {@code fallocate --dig-holes} and {@code --report-holes}: util-linux 2.42's {@code dig_holes()}, the
 * same system calls in the same order, so that the same file gives the same lines and summaries.
 * Each data region ({@code SEEK_DATA}, {@code SEEK_HOLE}) is read in {@code st_blksize} steps from
 * where it starts (an unaligned {@code -o} included); a run of all-zero steps is a data hole, a gap
 * between data regions a file hole. Reading changes what some filesystems report (unwritten extents
 * turn into data once cached), so each range is classified once, as it is reached, never from a hole
 * map taken beforehand.
 *
 * <p>One difference, where 2.42 loses data: at the end of a data region it punches {@code st_blksize}
 * bytes past the zero run "to meet the block boundary", which, when {@code -l} ends the range inside
 * data, deallocates data after the range. Here the extra block is punched only when the region really
 * ends there (in a hole, or at the end of the file); the run itself is always punched as 2.42 does.
 */
final class HoleDigging {
    private final Program program;
    private final String filename;
    private final boolean report;
    private final boolean verbose;

    /** The punches and cache drops of the dig under way. */
    private BehindTheReader behind;
    private long fileHoles;
    private long fileHoleBytes;
    private long dataHoles;
    private long dataHoleBytes;

    HoleDigging(Program program, String filename, boolean report, boolean verbose) {
        this.program = program;
        this.filename = filename;
        this.report = report;
        this.verbose = verbose;
    }

    /**
     * Digs (or, reporting, only finds) the zero runs of {@code [fileOff, fileOff+len)}.
     *
     * @param len bytes to examine; 0 for everything from {@code fileOff} on
     */
    void dig(int fd, long fileOff, long len) throws Program.Exit {
        long fileEnd = len != 0 ? fileOff + len : 0;
        long holeStart = 0;
        long holeSize = 0;
        long lastEnd = 0;
        long cacheStart = fileOff;
        long cacheSize = LibC.pageSize() * 256; // util-linux drops the cache behind it in 1 MiB steps
        LibC.FileStat st;
        try {
            st = LibC.fstat(fd);
        } catch (LibC.NativeException e) {
            throw program.err("stat of " + filename + " failed", Program.strerror(e.errno()));
        }
        int blockSize = st.blockSize();
        long seek = LibC.lseek(fd, fileOff, 0 /* SEEK_SET */);
        if (seek < 0) {
            throw program.err("seek on " + filename + " failed", Program.strerror((int) -seek));
        }
        LongConsumer progress = ProgressBar.forFile(program.err, fileOff,
                fileEnd != 0 ? Math.min(st.size(), fileEnd) : st.size());
        try {
            Steps steps = new Steps(fd, blockSize);
            behind = new BehindTheReader(fd);
            while (fileEnd == 0 || fileOff < fileEnd) {
                long seekData = LibC.lseek(fd, fileOff, Linux.SEEK_DATA);
                long off = Math.max(seekData, -1); // C: -1 and errno
                if (seekData == -Errno.ENXIO.number() || (fileEnd != 0 && off >= fileEnd)) {
                    break;
                }
                long end = Math.max(LibC.lseek(fd, off, Linux.SEEK_HOLE), -1);
                if (end > off && lastEnd < off) {
                    fileHole(lastEnd, off);
                } else if (off > end) {
                    fileHole(end, off);
                }
                lastEnd = end;
                if (fileEnd != 0 && end > fileEnd) {
                    end = fileEnd;
                }
                if (off < 0 || end < 0 || off == end) {
                    break; // a block device or /dev/null (EINVAL, or no movement): nothing to dig
                }
                LibC.posixFadvise(fd, off, end, Fallocate.POSIX_FADV_SEQUENTIAL); // (sic) end as the length
                while (off < end) {
                    long read = steps.read(off, end);
                    if (read < 0) {
                        int punched = behind.finish();
                        behind = null;
                        checkPunches(punched); // a punch that failed came first
                        throw program.err(filename + ": read failed", Program.strerror((int) -read));
                    }
                    if (read > 0 && off > end - read) {
                        read = end - off;
                    }
                    if (read <= 0) {
                        break;
                    }
                    if (steps.isZero(off, read)) {
                        if (holeSize == 0) {
                            holeStart = off;
                        }
                        holeSize += read;
                    } else if (holeSize != 0) {
                        punch(holeStart, holeSize);
                        dataHole(holeStart, holeStart + holeSize);
                        holeSize = 0;
                    }
                    if (off - cacheStart > cacheSize) {
                        long clen = (off - cacheStart) / cacheSize * cacheSize;
                        checkPunches(behind.dropCache(cacheStart, clen));
                        cacheStart += clen;
                    }
                    off += read;
                    progress.accept(off);
                }
                if (holeSize != 0) {
                    // 2.42 adds a block when off >= end; only safe where the region ends, not the range.
                    boolean regionEnds = off >= end && end == lastEnd;
                    punch(holeStart, regionEnds ? holeSize + blockSize : holeSize);
                    if (regionEnds) {
                        // The extra block may hold what the loop reads next: punched first, as 2.42 does.
                        checkPunches(behind.await());
                        steps.forget();
                    }
                    dataHole(holeStart, holeStart + holeSize);
                    holeSize = 0;
                }
                fileOff = off;
            }
            int punched = behind.finish();
            behind = null;
            checkPunches(punched);
        } finally {
            if (behind != null) {
                behind.finish(); // an exception on the way out: the calls end before the descriptor closes
            }
            if (progress instanceof ProgressBar bar) {
                bar.close();
            }
        }
        summarise(st.size());
    }

    /**
     * The {@code st_blksize} steps of util-linux's read loop, served from 1 MiB reads. 2.42 reads one
     * step per {@code pread}; a step here holds the same bytes (a regular file's pread is short only at
     * its end), so every step is classified, punched and reported as 2.42 does it, with 1/256 of the
     * system calls. A failed chunk read is retried one step at a time, so that a read error surfaces at
     * the step where 2.42 meets it, after the same punches.
     */
    private static final class Steps {
        private static final int STEPS = 256;

        private final int fd;
        private final int blockSize;
        private final ByteBuffer chunk;
        private final ByteBuffer zeros;
        private long chunkOff;
        private long chunkLen;
        /** Whether the read that filled the chunk was short: the file ended inside it. */
        private boolean chunkAtEof;
        /** Past the chunk's bytes known zero from {@link #zeroFrom}: the first byte not known zero. */
        private long zeroFrom;
        private long zeroEnd;

        Steps(int fd, int blockSize) {
            this.fd = fd;
            this.blockSize = blockSize;
            this.chunk = LibC.allocatePageAligned(blockSize * STEPS);
            this.zeros = LibC.allocate(blockSize * STEPS); // allocated zeroed
        }

        /**
         * What {@code pread(fd, buf, st_blksize, off)} returns, the step's bytes then in the chunk for
         * {@link #isZero}: served from the chunk when it holds the whole step (or the file ended inside
         * it), else read afresh from {@code off}, as many whole steps as reach {@code end}.
         */
        long read(long off, long end) {
            long chunkEnd = chunkOff + chunkLen;
            if (off < chunkOff || off >= chunkEnd || (off + blockSize > chunkEnd && !chunkAtEof)) {
                long steps = Math.min(STEPS, Math.max(1, (end - off + blockSize - 1) / blockSize));
                long want = steps * blockSize;
                long n = LibC.pread(fd, chunk.slice(0, (int) want), off);
                if (n < 0) {
                    want = blockSize;
                    n = LibC.pread(fd, chunk.slice(0, blockSize), off); // the step alone, as 2.42 reads it
                }
                if (n <= 0) {
                    chunkLen = 0;
                    return n;
                }
                chunkOff = off;
                chunkLen = n;
                chunkAtEof = n < want;
                zeroFrom = zeroEnd = off;
            }
            return Math.min(blockSize, chunkOff + chunkLen - off);
        }

        /** Drops what was read ahead: the next step reads the file again. */
        void forget() {
            chunkLen = 0;
        }

        /** util-linux's is_nul() on the step at {@code off}: one vectorised comparison per stretch of zeros. */
        boolean isZero(long off, long length) {
            if (off >= zeroFrom && off + length <= zeroEnd) {
                return true;
            }
            int at = (int) (off - chunkOff);
            if (length >= Long.BYTES && chunk.getLong(at) != 0) {
                return false;
            }
            int rest = (int) (chunkLen - at);
            long mismatch = chunk.slice(at, rest).mismatch(zeros.slice(0, rest));
            zeroFrom = off;
            zeroEnd = off + (mismatch < 0 ? rest : mismatch);
            return off + length <= zeroEnd;
        }
    }

    /** util-linux's xfallocate(PUNCH_HOLE | KEEP_SIZE), when digging: made behind the reader. */
    private void punch(long offset, long length) throws Program.Exit {
        if (!report) {
            checkPunches(behind.punch(offset, length));
        }
    }

    /** Exits as xfallocate() does when a punch made behind the reader failed ({@code rc} its -errno). */
    private void checkPunches(int rc) throws Program.Exit {
        if (rc < 0) {
            throw -rc == Errno.EOPNOTSUPP.number()
                    ? program.errx("fallocate failed: keep size mode is unsupported")
                    : program.err("fallocate failed", Program.strerror(-rc));
        }
    }

    private void fileHole(long start, long end) {
        fileHoles++;
        fileHoleBytes += end - start;
        line("file", start, end);
    }

    private void dataHole(long start, long end) {
        dataHoles++;
        dataHoleBytes += end - start;
        line("data", start, end);
    }

    private void line(String kind, long start, long end) {
        if (report && verbose) {
            program.out.print(kind + " hole: offset " + Long.toUnsignedString(start) + " - "
                    + Long.toUnsignedString(end) + " (" + Long.toUnsignedString(end - start) + " bytes)\n");
        }
    }

    private void summarise(long size) {
        if (report) {
            program.out.print("\nSummary:\n");
            program.out.print("file holes: " + summary(fileHoles, fileHoleBytes, size) + "\n");
            program.out.print("data holes: " + summary(dataHoles, dataHoleBytes, size) + "\n");
        } else if (verbose) {
            program.out.print(filename + ": " + summary(dataHoles, dataHoleBytes, size)
                    + " converted to sparse holes.\n");
        }
    }

    private static String summary(long holes, long bytes, long fileSize) {
        double pct = fileSize != 0 ? (double) bytes / (double) fileSize * 100.0 : 0.0;
        return holes + " holes, " + Sizes.human(bytes) + " (" + Long.toUnsignedString(bytes) + " bytes, "
                + Sizes.percent(pct) + "% of the file)";
    }
}
