package io.github.fallocate4j;

import java.util.List;

/**
 * How the space of a byte range of a file is allocated, as {@link Reservations#allocation} found it:
 * the range cut into parts that are holes, allocated but never written (reserved), or written. Shows
 * whether a reservation really happened.
 *
 * @param offset       first byte of the range
 * @param length       bytes in the range
 * @param parts        the parts, in order, covering the range without gaps
 * @param fromExtents  true when the parts come from the extent map (FIEMAP), which tells reserved from
 *                     written and sees past the end of the file; false when they come from lseek(2)
 *                     {@code SEEK_HOLE} (tmpfs, say), which sees holes only up to the end of the file
 */
public record RangeAllocation(long offset, long length, List<Part> parts, boolean fromExtents) {
    /** Copies the parts. */
    public RangeAllocation {
        parts = List.copyOf(parts);
    }

    /** What a part of the range is. */
    public enum State {
        /** Not allocated: reads as zeros, and a write into it may fail with ENOSPC. */
        HOLE,
        /** Allocated and never written ({@link ExtentFlag#UNWRITTEN}): reserved, reads as zeros. */
        UNWRITTEN,
        /** Allocated and written. */
        WRITTEN,
        /** Allocated, written or not: lseek(2) cannot tell which. */
        ALLOCATED,
        /** Past the end of the file on a filesystem without FIEMAP: lseek(2) cannot see there. */
        UNKNOWN
    }

    /**
     * A part of the range in one state.
     *
     * @param state  what the part is
     * @param offset first byte
     * @param length bytes, {@code > 0}
     */
    public record Part(State state, long offset, long length) {
        /**
         * The byte after the part.
         *
         * @return {@code offset + length}
         */
        public long end() {
            return offset + length;
        }
    }

    /**
     * The bytes of the range in one state.
     *
     * @param state the state
     * @return the sum of the lengths of the parts in that state
     */
    public long bytes(State state) {
        return parts.stream().filter(p -> p.state() == state).mapToLong(Part::length).sum();
    }

    /**
     * The holes of the range.
     *
     * @return the parts in state {@link State#HOLE}, in order
     */
    public List<Part> holes() {
        return parts.stream().filter(p -> p.state() == State.HOLE).toList();
    }

    /**
     * Whether every byte of the range is known to be allocated (no hole, nothing unknown), so that
     * writes into it cannot fail for lack of space.
     *
     * @return true when the whole range is allocated
     */
    public boolean allocated() {
        return bytes(State.HOLE) == 0 && bytes(State.UNKNOWN) == 0;
    }
}
