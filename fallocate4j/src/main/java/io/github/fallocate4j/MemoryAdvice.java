package io.github.fallocate4j;

import io.github.fallocate4j.internal.Linux;

/**
 * Advice for madvise(2) on a memory-mapped file ({@link MappedMemory#advise}), with the kernel's
 * {@code MADV_*} values. Only the advice that acts on file mappings is here: {@code MADV_FREE},
 * {@code MADV_WIPEONFORK} and {@code MADV_MERGEABLE} are for anonymous memory, {@code MADV_DONTFORK}
 * would break the JVM's own forks, and {@code MADV_REMOVE}, which frees the file's blocks (destroying
 * its data), is left out: {@link FileSpace#punchHole} does that by name.
 *
 * @since 0.1.0
 */
public enum MemoryAdvice {
    /** No advice: the kernel's default read-ahead on page faults ({@code MADV_NORMAL}). */
    NORMAL(Linux.MADV_NORMAL),
    /** Pages will be touched in random order: no read-ahead on faults ({@code MADV_RANDOM}). */
    RANDOM(Linux.MADV_RANDOM),
    /**
     * Pages will be touched in order: aggressive read-ahead, and pages behind may be freed soon
     * ({@code MADV_SEQUENTIAL}).
     */
    SEQUENTIAL(Linux.MADV_SEQUENTIAL),
    /** The range will be needed soon: the kernel starts reading it into the page cache ({@code MADV_WILLNEED}). */
    WILLNEED(Linux.MADV_WILLNEED),
    /**
     * The range will not be needed: its pages are unmapped from this process ({@code MADV_DONTNEED}). A
     * shared mapping reads the file (the page cache) again on the next access, losing nothing; a private
     * mapping ({@link java.nio.channels.FileChannel.MapMode#PRIVATE}) loses its changes to the range
     * and reads the file's bytes again. Fails (EINVAL) on locked pages.
     */
    DONTNEED(Linux.MADV_DONTNEED),
    /**
     * The range is cold: the pages of it this process alone has mapped move to the inactive list, the
     * first to be reclaimed under memory pressure; they stay cached until then ({@code MADV_COLD}, Linux 5.4).
     */
    COLD(Linux.MADV_COLD),
    /**
     * Reclaim the range now: the clean pages of it this process alone has mapped (faulted in, or
     * populated) leave the page cache ({@code MADV_PAGEOUT}, Linux 5.4). Dirty pages stay until written
     * back (reclaim leaves file writeback to the kernel's flusher), as do cached pages this process has
     * not mapped and pages other processes also map. For a file the caller neither owns nor could open
     * for writing, the kernel pages out none of the file's pages (a side-channel defence), only a private
     * mapping's own copies.
     */
    PAGEOUT(Linux.MADV_PAGEOUT),
    /**
     * Fault the range in readable now, reading the file as needed, so later accesses do not fault
     * ({@code MADV_POPULATE_READ}, Linux 5.14). Fails (EFAULT) where the mapping reaches past the end
     * of the file.
     */
    POPULATE_READ(Linux.MADV_POPULATE_READ),
    /**
     * Fault the range in writable now, as a write would, without changing a byte: a private mapping gets
     * its own copies of the pages, a shared one's pages become dirty (and are written back unchanged)
     * ({@code MADV_POPULATE_WRITE}, Linux 5.14). Fails (EINVAL) on a read-only mapping, and (EFAULT)
     * past the end of the file.
     */
    POPULATE_WRITE(Linux.MADV_POPULATE_WRITE);

    private final int value;

    MemoryAdvice(int value) {
        this.value = value;
    }

    /**
     * The {@code MADV_*} value passed to the kernel.
     *
     * @return the advice number
     */
    public int value() {
        return value;
    }
}
