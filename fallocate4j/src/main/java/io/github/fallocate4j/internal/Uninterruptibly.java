package io.github.fallocate4j.internal;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * Waiting that an interrupt does not cut short, for work that must end before a descriptor is closed:
 * the interrupt is kept and set again when the wait is over.
 */
public final class Uninterruptibly {
    private Uninterruptibly() {}

    /** {@link BlockingQueue#put}, waiting for room however often the thread is interrupted. */
    public static <T> void put(BlockingQueue<T> queue, T element) {
        boolean interrupted = false;
        while (true) {
            try {
                queue.put(element);
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Waits {@code nanos} nanoseconds however often the thread is interrupted (a park returns at once while the
     * interrupt is set, which would make a loop of pauses spin).
     */
    public static void pause(long nanos) {
        boolean interrupted = Thread.interrupted();
        long end = System.nanoTime() + nanos;
        for (long left = nanos; left > 0; left = end - System.nanoTime()) {
            LockSupport.parkNanos(left);
            interrupted |= Thread.interrupted();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@link Thread#join()}, waiting for the end however often the thread is interrupted. */
    public static void join(Thread thread) {
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
