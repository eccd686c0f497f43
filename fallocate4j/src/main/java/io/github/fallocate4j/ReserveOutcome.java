package io.github.fallocate4j;

/** What a reservation achieved, under its {@link ReservePolicy}. */
public enum ReserveOutcome {
    /** fallocate(2) allocated the space: writes into it cannot fail for lack of space. */
    RESERVED,
    /** The filesystem cannot allocate; zeros were written into the holes instead, with the same guarantee. */
    EMULATED,
    /** The filesystem cannot allocate and the policy accepted that: no guarantee, writes may still meet ENOSPC. */
    NO_GUARANTEE
}
