package io.github.fallocate4j.cli;

import io.github.fallocate4j.Fallocate;
import io.github.fallocate4j.internal.LibC;
import io.github.fallocate4j.internal.Uninterruptibly;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * The calls of {@code dig_holes()} that give back what the read loop has finished with, the hole
 * punches and the {@code POSIX_FADV_DONTNEED} behind it, made in 2.42's order on a thread of their
 * own, so that on a second core they overlap the reading instead of following it. They change nothing
 * the loop reads next (a punch covers steps already read, or, at a region's end, steps past it), so the
 * file ends the same and the same lines are printed. The first failed punch stops the calls after it,
 * as 2.42 stops there, and is reported at the loop's next hand-over or at {@link #finish()}: before
 * anything else is printed, since 2.42 prints the summary only after the last punch.
 */
final class BehindTheReader {
    private static final int PUNCH = Fallocate.FALLOC_FL_PUNCH_HOLE | Fallocate.FALLOC_FL_KEEP_SIZE;
    private static final long[] END = new long[0];
    private static final long PUNCH_CALL = 1;
    private static final long DROP_CALL = 0;
    private static final long WAKE_CALL = 2;

    private final int fd;
    private final BlockingQueue<long[]> calls = new ArrayBlockingQueue<>(256);
    private final Thread thread = new Thread(this::work, "fallocate-dig-holes");
    private final java.util.List<java.util.concurrent.Semaphore> wakers = new java.util.ArrayList<>();
    /** The first failed punch's -errno, or 0. */
    private volatile int failure;

    BehindTheReader(int fd) {
        this.fd = fd;
        thread.setDaemon(true);
        thread.start();
    }

    /** Queues fallocate(PUNCH_HOLE | KEEP_SIZE); returns the -errno of an earlier punch that failed, else 0. */
    int punch(long offset, long length) {
        return put(new long[] {PUNCH_CALL, offset, length});
    }

    /** Queues posix_fadvise(DONTNEED); returns as {@link #punch}. */
    int dropCache(long offset, long length) {
        return put(new long[] {DROP_CALL, offset, length});
    }

    /**
     * Waits until every queued call is made, for a punch the loop may read over next (the block 2.42
     * punches past a region's end); returns as {@link #punch}.
     */
    int await() {
        java.util.concurrent.Semaphore done = new java.util.concurrent.Semaphore(0);
        synchronized (wakers) {
            wakers.add(done);
        }
        Uninterruptibly.put(calls, new long[] {WAKE_CALL});
        done.acquireUninterruptibly();
        return failure;
    }

    /** Waits for every queued call; returns the -errno of the punch that failed, else 0. */
    int finish() {
        Uninterruptibly.put(calls, END);
        Uninterruptibly.join(thread); // the calls must end before the descriptor is closed
        return failure;
    }

    private int put(long[] call) {
        int rc = failure;
        if (rc == 0) {
            Uninterruptibly.put(calls, call);
        }
        return rc;
    }

    private void work() {
        while (true) {
            long[] call;
            try {
                call = calls.take();
            } catch (InterruptedException e) {
                continue; // nobody interrupts this thread; it ends at END
            }
            if (call == END) {
                return;
            }
            if (call[0] == WAKE_CALL) {
                synchronized (wakers) {
                    wakers.remove(0).release();
                }
                continue;
            }
            if (failure != 0) {
                continue; // 2.42 made no call after the failed punch; drain so the loop never blocks
            }
            if (call[0] == PUNCH_CALL) {
                int rc = LibC.fallocate(fd, PUNCH, call[1], call[2]);
                if (rc < 0) {
                    failure = rc;
                }
            } else {
                LibC.posixFadvise(fd, call[1], call[2], Fallocate.POSIX_FADV_DONTNEED);
            }
        }
    }
}
