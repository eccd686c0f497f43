package io.github.fallocate4j.internal;

import io.github.fallocate4j.Fallocate;
import io.github.fallocate4j.FileSpaceException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Gives back what {@link HoleDigger} has finished with, on a thread of its own: punches the runs of
 * zero blocks and drops the pages read from the page cache, in the order they were handed over.
 *
 * <p>Freeing blocks and pages is about two thirds of a dig's time and needs nothing from the
 * reading, so on a second core it overlaps the next reads instead of following them. The queue is
 * short, so the reader is never far ahead; the first failure stops the work, and is thrown to the
 * reader at its next hand-over or at {@link #finish()}. A dig too short to gain from the overlap
 * does the work on the caller's thread, as it is handed over, rather than start a thread for it.
 */
final class DigReleaser {
    private static final int PUNCH = Fallocate.FALLOC_FL_PUNCH_HOLE | Fallocate.FALLOC_FL_KEEP_SIZE;
    private static final Task END = new Task(false, 0, 0);

    private record Task(boolean punch, long offset, long length) {}

    private final OpenFile file;
    private final BlockingQueue<Task> tasks = new ArrayBlockingQueue<>(64);
    private final Thread thread;
    /** The first failure on the thread: a FileSpaceException, or an unchecked throwable. */
    private volatile Throwable failure;

    /** @param threaded whether to work on a thread of its own, or at once on the caller's */
    DigReleaser(OpenFile file, boolean threaded) {
        this.file = file;
        this.thread = threaded ? new Thread(this::work, "fallocate4j-dig-holes") : null;
        if (thread != null) {
            thread.setDaemon(true);
            thread.start();
        }
    }

    /** Queues a hole punch over {@code [offset, offset+length)}, keeping the size. */
    void punch(long offset, long length) throws FileSpaceException {
        submit(new Task(true, offset, length));
    }

    /** Queues POSIX_FADV_DONTNEED over pages that have been read. */
    void dropCache(long offset, long length) throws FileSpaceException {
        submit(new Task(false, offset, length));
    }

    /** Waits until everything queued is done; throws the first failure. Call exactly once. */
    void finish() throws FileSpaceException {
        if (thread == null) {
            return;
        }
        putUninterruptibly(END);
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true; // the work must end before the descriptor may be closed
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
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
            putUninterruptibly(task);
        }
    }

    private void putUninterruptibly(Task task) {
        boolean interrupted = false;
        while (true) {
            try {
                tasks.put(task);
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void work() {
        while (true) {
            Task task;
            try {
                task = tasks.take();
            } catch (InterruptedException e) {
                continue; // nobody interrupts this thread; it ends only at END
            }
            if (task == END) {
                return;
            }
            if (failure != null) {
                continue; // drain without acting, so the reader never blocks on a full queue
            }
            try {
                run(task);
            } catch (FileSpaceException | RuntimeException | Error e) {
                failure = e; // whatever it is: were the thread to die, the reader would wait on a full queue
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
        if (task.punch()) {
            Calls.fallocate(file, task.offset(), task.length(), PUNCH);
        } else {
            LibC.posixFadvise(file.fd(), task.offset(), task.length(), Fallocate.POSIX_FADV_DONTNEED);
        }
    }
}
