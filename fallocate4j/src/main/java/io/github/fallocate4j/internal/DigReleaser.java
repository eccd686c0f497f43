package io.github.fallocate4j.internal;

import io.github.fallocate4j.Fallocate;
import io.github.fallocate4j.FileSpaceException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Gives back what {@link HoleDigger} has finished with, on a thread of its own: punches the runs of
 * zero blocks and drops the pages read from the page cache, in the order they were handed over.
 *
 * <p>Freeing blocks and pages is about two thirds of a dig's time and needs nothing from the
 * reading, so on a second core it overlaps the next reads instead of following them. The tasks are
 * handed over a chunk at a time, and at most 16 hand-overs wait, so the reader is never far ahead; the first failure stops the work, and is thrown to the
 * reader at its next hand-over or at {@link #finish()}. A dig too short to gain from the overlap
 * does the work on the caller's thread, as it is handed over, rather than start a thread for it.
 *
 * <p>A run is read again just before it is punched, in pieces of {@link #RECHECK} bytes, and each piece
 * is punched only where its blocks still hold zeros, right after they were read: a block written since
 * the run was found keeps its data. The kernel has no "punch only if still zero", so a write landing
 * between that read and the punch is still lost; this makes the window one piece's read long instead
 * of the time from finding the run to punching it.
 *
 * <p>A run read under the dig's {@link WriteLease} is punched without reading it again, if the lease is
 * still held right before the punch; this thread watches the lease (before each task, and every
 * millisecond while idle). When someone asks for the file, the runs read under the lease that are already
 * handed over are punched first, while the opener still waits (within a quarter of lease-break-time of
 * the last look that found the lease whole), and the lease is given up as soon as none is left (or the
 * reader has not handed the rest over within a millisecond); runs read under it and punched later are
 * read again as above.
 */
final class DigReleaser {
    private static final int PUNCH = Fallocate.FALLOC_FL_PUNCH_HOLE | Fallocate.FALLOC_FL_KEEP_SIZE;
    private static final List<Task> END = List.of();
    /** Tasks handed over at once at most: a 4 KiB-grained file has a run every few blocks. */
    private static final int BATCH = 256;

    private enum Kind {
        /** A run read under the lease: punched at once while the lease holds, else read again first. */
        PUNCH_LEASED,
        /** A run read without the lease: read again, and punched where still zero. */
        PUNCH_READ_AGAIN,
        /** Pages read: POSIX_FADV_DONTNEED. */
        DROP_CACHE
    }

    private record Task(Kind kind, long offset, long length) {}

    /** How long the thread waits for work before looking at the lease again. */
    private static final long LEASE_LOOK_MILLIS = 1;

    /** The piece read again and punched at once; smaller narrows the window, at a system call per piece. */
    static final int RECHECK = 64 << 10;

    private final OpenFile file;
    private final WriteLease lease;
    /**
     * A description of the file's own for the second reads, with read-ahead off (POSIX_FADV_RANDOM): read
     * through the dig's own, a 64 KiB piece made the kernel read ahead into the next chunk, which the reader
     * may already have punched, leaving pages cached over a hole after the dig; or {@code file} itself.
     * Opened at the first second read, which comes only once the lease is given up: opening the file
     * would break it.
     */
    private OpenFile reads;
    private final long blockSize;
    /** Pieces read again before punching, and zeros to compare them with; used by one thread at a time. */
    private final ByteBuffer piece;
    private final ByteBuffer zeros;
    /**
     * Batches of tasks, a chunk's worth each: one hand-over per chunk instead of one per task, which
     * on a file of 4 KiB runs (262,000 punches in 4 GiB) cost more than the punches.
     */
    private final BlockingQueue<List<Task>> tasks = new ArrayBlockingQueue<>(16);
    private List<Task> batch = new ArrayList<>();
    private final Thread thread;
    /** The first failure on the thread: a FileSpaceException, or an unchecked throwable. */
    private volatile Throwable failure;

    /**
     * @param threaded whether to work on a thread of its own, or at once on the caller's
     * @param lease    the dig's lease, held or not; this thread gives it up when someone breaks it
     */
    DigReleaser(OpenFile file, long blockSize, boolean threaded, WriteLease lease) {
        this.file = file;
        this.lease = lease;
        this.blockSize = blockSize;
        long pieceSize = Math.max(RECHECK / blockSize, 1) * blockSize;
        // Freed with the releaser; the buffers serve whichever thread punches.
        this.piece = LibC.allocatePageAligned((int) pieceSize);
        this.zeros = LibC.allocatePageAligned((int) pieceSize);
        this.thread = threaded ? new Thread(this::work, "fallocate4j-dig-holes") : null;
        if (thread != null) {
            thread.setDaemon(true);
            thread.start();
        }
    }

    /**
     * Queues a hole punch over {@code [offset, offset+length)}, keeping the size, over the blocks that
     * still hold zeros when it is made. Both ends are on block boundaries, or the end at the end of the file.
     */
    void punch(long offset, long length) throws FileSpaceException {
        submit(new Task(Kind.PUNCH_READ_AGAIN, offset, length));
    }

    /**
     * Queues a hole punch over {@code [offset, offset+length)}, keeping the size, of a run read while the
     * lease was held: punched as it is if the lease still holds when its turn comes, else as {@link #punch}.
     */
    void punchLeased(long offset, long length) throws FileSpaceException {
        submit(new Task(Kind.PUNCH_LEASED, offset, length));
    }

    /** Queues POSIX_FADV_DONTNEED over pages that have been read. */
    void dropCache(long offset, long length) throws FileSpaceException {
        submit(new Task(Kind.DROP_CACHE, offset, length));
    }

    /** Hands the tasks queued since the last hand-over to the thread; the reader calls it after each chunk. */
    void handOver() {
        if (thread != null && !batch.isEmpty()) {
            Uninterruptibly.put(tasks, batch);
            batch = new ArrayList<>();
        }
    }

    /** Waits until everything queued is done; throws the first failure. Call exactly once. */
    void finish() throws FileSpaceException {
        if (thread != null) {
            handOver();
            Uninterruptibly.put(tasks, END);
            Uninterruptibly.join(thread); // the work must end before the descriptor may be closed
        }
        if (reads != null && reads != file) {
            LibC.close(reads.fd());
        }
        throwFailure();
    }

    /** {@link #finish()} on the way out of a failed dig: a failure here is added to {@code cause}. */
    void finishAfter(Throwable cause) {
        try {
            finish();
        } catch (FileSpaceException | RuntimeException | Error e) {
            if (e != cause) {
                cause.addSuppressed(e);
            }
        }
    }

    private void submit(Task task) throws FileSpaceException {
        if (thread == null) {
            run(task);
        } else if (failure != null) {
            throwFailure();
        } else {
            batch.add(task);
            if (batch.size() >= BATCH) {
                handOver();
            }
        }
    }

    private void work() {
        while (true) {
            List<Task> handed;
            try {
                handed = lease.kept() ? tasks.poll(LEASE_LOOK_MILLIS, TimeUnit.MILLISECONDS) : tasks.take();
            } catch (InterruptedException e) {
                continue; // nobody interrupts this thread; it ends only at END
            }
            if (handed == null) {
                try {
                    // Someone may be waiting in open(2) for it while the reader is busy: with nothing read under
                    // it left to punch (or the rest still with the reader, in its listener say), it is given up.
                    if (!lease.stillHeld()) {
                        lease.release();
                    }
                } catch (RuntimeException | Error e) {
                    failure = e; // the thread must not die: the reader would wait on a full queue
                }
                continue;
            }
            if (handed == END) {
                return;
            }
            for (Task task : handed) {
                if (failure != null) {
                    break; // drain without acting, so the reader never blocks on a full queue
                }
                try {
                    run(task);
                } catch (FileSpaceException | RuntimeException | Error e) {
                    failure = e; // whatever it is: were the thread to die, the reader would wait on a full queue
                }
            }
        }
    }

    private void throwFailure() throws FileSpaceException {
        Throwable e = failure;
        if (e instanceof FileSpaceException) {
            throw (FileSpaceException) e;
        }
        if (e instanceof RuntimeException) {
            throw (RuntimeException) e;
        }
        if (e instanceof Error) {
            throw (Error) e;
        }
        if (e != null) {
            throw new IllegalStateException(e);
        }
    }

    private void run(Task task) throws FileSpaceException {
        boolean leased = lease.stillHeld();
        switch (task.kind()) {
            case PUNCH_LEASED:
                // Held at this look, or being broken with the opener still waiting in open(2): punched before
                // anyone can write, which the last look that found the lease whole bounds.
                if (leased || lease.coversBreaking()) {
                    Calls.fallocate(file, task.offset(), task.length(), PUNCH);
                    lease.requireCovered(lease.lastWholeLook(), task.offset(), task.length());
                    break;
                }
                lease.release(); // nothing more is covered; and the second read may open the file
                punchWhereStillZero(task.offset(), task.offset() + task.length());
                break;
            case PUNCH_READ_AGAIN:
                lease.release(); // a run read after the break: its second read may open the file
                punchWhereStillZero(task.offset(), task.offset() + task.length());
                break;
            default:
                LibC.posixFadvise(file.fd(), task.offset(), task.length(), Fallocate.POSIX_FADV_DONTNEED);
        }
    }

    /** Reads {@code [offset, end)} again piece by piece and punches each piece's blocks that are still zero. */
    private void punchWhereStillZero(long offset, long end) throws FileSpaceException {
        for (long at = offset, length; at < end; at += length) {
            length = Math.min(piece.capacity(), end - at);
            long known = readPiece(at, length);
            if (known == length && isZero(0, length)) {
                Calls.fallocate(file, at, length, PUNCH);
                continue;
            }
            // Some block was written since the run was found: punch only the blocks still zero around it.
            long runStart = -1;
            for (long b = 0; b <= length; b += blockSize) {
                long block = Math.min(blockSize, length - b);
                boolean zero = b < length && b + block <= known
                        && isZero(b, b + block);
                if (zero && runStart < 0) {
                    runStart = b;
                } else if (!zero && runStart >= 0) {
                    Calls.fallocate(file, at + runStart, b - runStart, PUNCH);
                    runStart = -1;
                }
            }
        }
    }

    /** Whether bytes {@code [from, to)} of the piece are all zero (one vectorised comparison). */
    private boolean isZero(long from, long to) {
        int length = (int) (to - from);
        return piece.slice((int) from, length).mismatch(zeros.slice(0, length)) < 0;
    }

    private OpenFile reads() {
        if (reads == null) {
            OpenFile own = OpenFiles.reopenForReading(file);
            if (own != null) {
                LibC.posixFadvise(own.fd(), 0, 0, Fallocate.POSIX_FADV_RANDOM);
            }
            reads = own != null ? own : file;
        }
        return reads;
    }

    /**
     * Reads {@code length} bytes at {@code offset} into the piece buffer with one pread (whole blocks, as
     * O_DIRECT needs: no second read at the unaligned offset a short one leaves). Returns how many bytes
     * of the piece are known: all when the file ends inside it (the bytes past the end are zero, and are
     * zeroed in the buffer), else only those read, and the rest is left alone.
     */
    private long readPiece(long offset, long length) throws FileSpaceException {
        ByteBuffer target = piece.slice(0, (int) length);
        long n = LibC.pread(reads().fd(), target, offset);
        if (n < 0) {
            throw Errors.of((int) -n, file, "pread", offset, length);
        }
        if (n == length) {
            return length;
        }
        long size = FileStats.of(file).size();
        if (offset + n < size) {
            return n;
        }
        target.put((int) n, zeros, 0, (int) (length - n));
        return length;
    }
}
