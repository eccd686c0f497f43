package io.github.fallocate4j.internal;

import java.util.concurrent.BlockingQueue;

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
