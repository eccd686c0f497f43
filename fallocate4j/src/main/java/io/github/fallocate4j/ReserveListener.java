package io.github.fallocate4j;

/**
 * Told how far {@link Reservations#reserve} has got, for progress bars: when it emulates a reservation
 * by writing zeros ({@link ReservePolicy#EMULATE}), after each chunk; otherwise once, at the end.
 */
@FunctionalInterface
public interface ReserveListener {
    /** Hears nothing. */
    ReserveListener NONE = offset -> { };

    /**
     * The range is reserved up to {@code offset}; called on the calling thread after each chunk of zeros
     * (at most 1 MiB) is written, and once at the end.
     *
     * @param offset the first byte of the range not yet reserved
     */
    void progress(long offset);
}
