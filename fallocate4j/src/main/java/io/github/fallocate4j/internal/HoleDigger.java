package io.github.fallocate4j.internal;

import io.github.fallocate4j.DigListener;
import io.github.fallocate4j.DigResult;
import io.github.fallocate4j.Errno;
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
 * without freeing it.
 *
 * <p>A run of zeros is punched chunk by chunk, each part right after the read that found it, and only
 * on proof that it is still zero (the race with a writer, issue 9). Where the dig holds a
 * {@link WriteLease} (no one else has the file open; digs of more than two chunks), the lease is the
 * proof: the part is handed to {@link DigReleaser}, which punches it on its own thread while this one
 * reads on. Without one, where {@link WriteWatch} shows that nothing wrote to the file since just before
 * that read, it is punched at once on this thread; otherwise it is handed to the releaser, which reads
 * it again in small pieces right before punching each.
 *
 * <p>Where a stretch of the file is cached and nothing can write to it meanwhile (the lease held, or a
 * dry run, which punches nothing), {@link ScanAhead}'s thread reads and checks chunks ahead of this one,
 * which takes them up in file order: a single thread's copies and zero checks were 1.3-1.5x the C read
 * floor, two threads' below it.
 *
 * <p>As util-linux does, the kernel is told the read is sequential and the pages read are dropped from
 * the page cache behind the reader, on the releaser's thread; unlike util-linux, only the pages the dig
 * brought in ({@link CacheLookahead}): a file that was cached stays cached.
 */
public final class HoleDigger {
    static final int CHUNK = 1 << 20;
    /**
     * Chunks none of whose pages is cached are read this many at once with RWF_DONTCACHE: on Linux 6.18,
     * preads of 2 or 4 MiB read a cold file in half the time 1 MiB ones took (0.73-0.82 s against
     * 1.66-1.73 s for 4 GiB on a loop-mounted ext4; BENCHMARKS.md 7).
     */
    private static final int COLD_CHUNKS = 4;
    /** How far past the end of data the kernel's read-ahead may have read (its window is at most a few MiB). */
    private static final long READ_AHEAD_SPILL = 4L << 20;
    private static final long PAGE = LibC.pageSize();
    private static final int PUNCH = Fallocate.FALLOC_FL_PUNCH_HOLE | Fallocate.FALLOC_FL_KEEP_SIZE;

    private final OpenFile file;
    private final long blockSize;
    private final DigListener listener;
    private final boolean punch;
    private final long fileEnd;
    private DigReleaser releaser;
    private WriteLease lease;
    /** Whether the lease was held when the chunk being scanned began to be read. */
    private boolean leasedChunk;
    private CacheLookahead lookahead;
    /** The second reader of cached stretches, where the dig is threaded; else null. */
    private ScanAhead ahead;
    private long runStart = -1;
    private long runEnd;
    /** Where the part of the current run not yet punched (nor handed over to be) begins. */
    private long settledTo;
    /**
     * Whether the chunks none of whose pages is cached are read with O_DIRECT where RWF_DONTCACHE is
     * refused: into the buffer straight from the disk, not copied out of pages the dig would only drop
     * again. The flag is set on the dig's own description for such a read and cleared after it (fcntl
     * F_SETFL), not given a description of its own, whose open would break the lease; never on a
     * description a caller shares. Until the first refusal.
     */
    private boolean directReads;
    /**
     * Whether a run of the chunk last scanned was handed to the releaser to be read again (or a run that
     * ended at a hole since). A chunk after one that was is read through the cache even if none of it is cached: such
     * second reads must find the run cached, not go to the disk for each piece (a cold 4 KiB-grained file
     * took 40 s instead of 8 without this; a file of long zero runs, where a chunk often holds two, 9.7 s
     * instead of 4).
     */
    private boolean readAgainInChunk;
    /** Whether uncached chunks are read with preadv2 RWF_DONTCACHE: until the first refusal. */
    private boolean dontCache = !Platform.isMacOs();
    /** Whether anything wrote to the file since the read of the chunk being scanned began. */
    private WriteWatch watch;
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
        this.directReads = !Platform.isMacOs() && !file.sharesCallersOffset();
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
        // Two chunks or less: a thread would cost more than the overlap saves. The lease needs the thread,
        // which gives it up when asked even while this one is busy (in the listener, say).
        boolean threaded = last - first > 2L * CHUNK;
        String filesystem = Filesystems.of(file.fd()); // one lookup (ext4's reads mountinfo) for both
        lease = punch && threaded ? WriteLease.take(file, filesystem) : WriteLease.none(file);
        try {
            lookahead = new CacheLookahead(file, last);
            watch = WriteWatch.of(file, filesystem);
            // Last: once its thread runs, only finish() ends it.
            releaser = new DigReleaser(file, blockSize, threaded, lease);
            cachedFrom = first;
            try {
                try {
                    scanRegions(first, last, threaded);
                } finally {
                    if (ahead != null) {
                        ahead.finish();
                    }
                }
            } catch (Throwable t) {
                releaser.finishAfter(t);
                throw t;
            }
            releaser.finish();
        } finally {
            lease.release(); // no punch is left to rely on it
        }
        return new DigResult(runs, bytes);
    }

    private void scanRegions(long first, long last, boolean threaded) throws IOException {
        long chunkSize = Math.max(CHUNK / blockSize, 1) * blockSize;
        ByteBuffer buffer = LibC.allocatePageAligned((int) (COLD_CHUNKS * chunkSize));
        ByteBuffer zeros = LibC.allocatePageAligned((int) chunkSize);
        ZeroBlocks found = new ZeroBlocks();
        if (threaded) {
            ahead = new ScanAhead(file, blockSize, chunkSize, zeros, punch, lease);
        }
        HoleMap map = new HoleMap(file, first, last, () -> true);
        while (map.hasNext()) {
            Region region = map.next();
            if (region.isHole()) {
                endRun();
                // Nothing of a hole is read, but read-ahead may have run into its first pages: those are
                // dropped unless cached before; the rest of the hole's cache is left alone.
                lookahead.lookAhead(region.offset());
                dropCacheUpTo(region.offset() + Math.min(READ_AHEAD_SPILL, region.length()));
                cachedFrom = Math.max(cachedFrom, region.end());
                continue;
            }
            long regionEnd = Math.min(Offsets.roundUp(region.end(), blockSize), last);
            for (long at = region.offset() / blockSize * blockSize, to; at < regionEnd; at = to) {
                to = stretchEnd(at, regionEnd, chunkSize);
                boolean whole;
                if (to > at) {
                    whole = readStretch(at, to, chunkSize, buffer, zeros, found);
                } else {
                    to = chunkEnd(at, regionEnd, chunkSize);
                    whole = readChunk(at, to, buffer, zeros, found);
                }
                if (!whole) {
                    break; // the file shrank under us
                }
            }
        }
        long lastRunEnd = runStart >= 0 ? runEnd : -1;
        endRun();
        if (lastRunEnd >= 0) {
            // A run open at the end of the file (which may end inside a block) was punched only now, after its
            // chunk's drop, which stopped at the run's start.
            dropCacheUpTo(lastRunEnd);
        }
    }

    /**
     * Where a stretch from {@code at} that {@link ScanAhead} may help read ends: the chunks from {@code at}
     * on that were cached when looked at, at least two, up to {@code regionEnd}; or {@code at} where there is
     * none (no second reader, the lease gone, pages not cached).
     */
    private long stretchEnd(long at, long regionEnd, long chunkSize) {
        if (ahead == null || !ahead.mayRead()) {
            return at;
        }
        lookahead.lookAhead(at);
        long cachedTo = Math.min(lookahead.cachedUpTo(at), regionEnd);
        long end = cachedTo == regionEnd ? regionEnd : at + (cachedTo - at) / chunkSize * chunkSize;
        return end - at > chunkSize ? end : at;
    }

    /**
     * Where the chunk read at {@code at} ends: {@link #COLD_CHUNKS} chunks on where none of their pages is
     * cached and they are read with RWF_DONTCACHE, in a dry run or under the lease, else one; never past
     * {@code regionEnd}. Not without the lease: there only a chunk's first punch can be proven by the change
     * time, the others are read again, and a chunk of four holds more of them (a cold 4 GiB dig of a file open
     * elsewhere took 3.9 s in the run that read it so, 2.5 s in the run before).
     */
    private long chunkEnd(long at, long regionEnd, long chunkSize) {
        long cold = Math.min(COLD_CHUNKS * chunkSize, regionEnd - at);
        lookahead.lookAhead(at);
        boolean large = dontCache && !readAgainInChunk && (!punch || lease.held()) && lookahead.noneCached(at, at + cold);
        return at + (large ? cold : Math.min(chunkSize, cold));
    }

    /**
     * Takes up the chunks of {@code [from, to)}, all cached, in order, as {@link ScanAhead} or this thread
     * read them. Returns false where the file ended before {@code to}.
     */
    private boolean readStretch(long from, long to, long chunkSize, ByteBuffer buffer, ByteBuffer zeros,
                                ZeroBlocks found) throws IOException {
        ahead.open(from, to);
        try {
            int chunk = 0;
            for (long at = from, want; at < to; at += want, chunk++) {
                want = Math.min(chunkSize, to - at);
                ZeroBlocks readAhead = ahead.takeUp(chunk);
                // Once the lease is given up, someone may have changed the file since a chunk was read
                // ahead (a listener truncating it, say): it is read again now, as a single reader would. A
                // dry run has no lease to tell it: a chunk the file no longer reaches is read again too.
                if (readAhead == null || !ahead.mayRead()
                        || !punch && FileStats.of(file).size() < at + readAhead.length()) {
                    if (!readChunk(at, at + want, buffer, zeros, found)) {
                        return false;
                    }
                    continue;
                }
                lookahead.lookAhead(at);
                leasedChunk = punch; // read out of order only under the lease
                readAgainInChunk = false;
                scanned(at, readAhead);
                if (readAhead.length() < want) {
                    return false;
                }
            }
            return true;
        } finally {
            ahead.close();
        }
    }

    /** Reads and takes up the chunk {@code [at, to)} on this thread; returns false where the file ended before {@code to}. */
    private boolean readChunk(long at, long to, ByteBuffer buffer, ByteBuffer zeros, ZeroBlocks found)
            throws IOException {
        long want = to - at;
        long ask = askFor(at, want, blockSize);
        lookahead.lookAhead(at);
        leasedChunk = lease.held();
        if (punch && !leasedChunk) {
            watch.start(at, ask);
        }
        long got = read(buffer.slice(0, (int) ask), at, want, !readAgainInChunk);
        readAgainInChunk = false;
        found.find(buffer, zeros, got, blockSize);
        scanned(at, found);
        return got == want;
    }

    /** What follows the read of the chunk at {@code at}: its runs, the listener, the punches and cache drops due. */
    private void scanned(long at, ZeroBlocks zeroBlocks) throws FileSpaceException {
        long got = zeroBlocks.length();
        long scannedTo = 0;
        for (int i = 0; i < zeroBlocks.runs(); i++) {
            if (zeroBlocks.start(i) > scannedTo) {
                endRun(); // data before this run
            }
            extendRun(at + zeroBlocks.start(i), at + zeroBlocks.end(i));
            scannedTo = zeroBlocks.end(i);
        }
        if (scannedTo < got) {
            endRun(); // data after the last run
        }
        // Before the open run's part in this chunk is punched: what the listener does to the file
        // when told (a write, in DigRaceTest) comes before that punch's proof, which then sees it.
        listener.progress(at + got);
        if (punch && runStart >= 0 && (at + got) % blockSize == 0) {
            settle(at + got); // the part of the open run in this chunk, on this chunk's look
        }
        // Once per chunk, after its punches (the releaser keeps the order: a run it reads again is still
        // cached), over its runs too, where the punches left nothing to drop: dropped run by run, a cold file
        // of 4 KiB runs took a posix_fadvise per run, as many as the punches.
        dropCacheUpTo(punch && runStart >= 0 ? Math.max(runStart, settledTo) : at + got);
        releaser.handOver();
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
                settle(runEnd == fileEnd ? Offsets.roundUp(runEnd, blockSize) : runEnd);
            }
            runs++;
            bytes += runEnd - runStart;
            listener.zeroRun(runStart, runEnd - runStart);
            runStart = -1;
        }
    }

    /**
     * Punches the current run's part up to {@code end} not punched yet: through the releaser when the chunk
     * was read under the lease; at once when nothing wrote to the file since the chunk was read (only the
     * chunk's first punch can know: the punch changes the file); else through the releaser, which reads it
     * again first.
     */
    private void settle(long end) throws FileSpaceException {
        long from = Math.max(runStart, settledTo);
        if (end <= from) {
            return;
        }
        if (leasedChunk) {
            releaser.punchLeased(from, end - from);
        } else if (watch.unwrittenSinceStart(from, end - from)) {
            Calls.fallocate(file, from, end - from, PUNCH);
            watch.punched();
        } else {
            releaser.punch(from, end - from);
            readAgainInChunk = true;
        }
        settledTo = end;
    }

    private void dropCacheUpTo(long end) throws FileSpaceException {
        if (end > cachedFrom) {
            // From the start of the page cachedFrom is in: a drop that ended there, at a run's start inside a
            // page (blocks smaller than pages), left that page out, as posix_fadvise does a page it covers in
            // part, and the punch only zeroed the run's part of it.
            lookahead.forEachUncached(cachedFrom / PAGE * PAGE, end, releaser::dropCache);
            cachedFrom = end;
        }
    }

    /**
     * Reads a chunk. One none of whose pages is cached is read so that it leaves nothing cached: with
     * preadv2 {@code RWF_DONTCACHE} (Linux 6.14: read-ahead kept, pages dropped once copied), else with
     * O_DIRECT ({@link #directReads}); each of these is given up at its first refusal (EOPNOTSUPP, or EINVAL: an alignment the
     * device needs that the filesystem's blocks do not give), and the chunk read another way. Any other
     * chunk, or any when {@code uncached} is false, is read through the page cache.
     */
    private long read(ByteBuffer target, long offset, long needed, boolean uncached) throws FileSpaceException {
        if (uncached && lookahead.noneCached(offset, offset + target.capacity())) {
            if (dontCache) {
                try {
                    return readFully(file, LibC::preadUncached, target, offset, needed);
                } catch (FileSpaceException e) {
                    if (!refused(e)) {
                        throw e;
                    }
                    dontCache = false;
                }
            }
            if (directReads) {
                try {
                    long n = readDirect(target, offset, needed);
                    if (n >= 0) {
                        return n;
                    }
                } catch (FileSpaceException e) {
                    if (!refused(e)) {
                        throw e;
                    }
                    directReads = false;
                }
            }
        }
        return readFully(file, LibC::pread, target, offset, needed);
    }

    private static boolean refused(FileSpaceException e) {
        return e.errno() == Errno.EOPNOTSUPP.number() || e.errno() == Errno.EINVAL.number();
    }

    /**
     * Reads with O_DIRECT set on the dig's description for the read; -1 where the flag is refused (EINVAL
     * from a filesystem without direct I/O), after which it is not asked again.
     */
    private long readDirect(ByteBuffer target, long offset, long needed) throws FileSpaceException {
        int flags = LibC.fcntl(file.fd(), Linux.F_GETFL, 0);
        if (flags < 0 || LibC.fcntl(file.fd(), Linux.F_SETFL, flags | Linux.O_DIRECT) < 0) {
            directReads = false;
            return -1;
        }
        try {
            return readFully(file, LibC::pread, target, offset, needed);
        } finally {
            LibC.fcntl(file.fd(), Linux.F_SETFL, flags);
        }
    }

    /**
     * How much to read at {@code at} for {@code want} bytes: whole blocks, as O_DIRECT needs, even where the
     * file ends inside one (the read is then short); never past 2^63-1, which the kernel refuses.
     */
    static long askFor(long at, long want, long blockSize) {
        return Math.min(Offsets.roundUp(want, blockSize), Long.MAX_VALUE - at);
    }

    /** pread(2) or a variant: the bytes read, or -errno. */
    interface Pread {
        long read(int fd, ByteBuffer target, long offset);
    }

    /** Reads into {@code target} until {@code needed} bytes are in or the file ends; returns at most {@code needed}. */
    static long readFully(OpenFile from, Pread pread, ByteBuffer target, long offset, long needed)
            throws FileSpaceException {
        int done = 0;
        while (done < needed) {
            long n = pread.read(from.fd(), target.slice(done, target.capacity() - done), offset + done);
            if (n < 0) {
                throw Errors.of((int) -n, from, "pread", offset + done, target.capacity() - done);
            }
            if (n == 0) {
                break;
            }
            done += (int) n;
        }
        return Math.min(done, needed);
    }
}
