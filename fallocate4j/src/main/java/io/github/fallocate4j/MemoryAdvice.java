package io.github.fallocate4j;

import io.github.fallocate4j.internal.Linux;

/**
 * Advice for madvise(2) on a memory-mapped file ({@link MappedMemory#advise}), with Linux's
 * {@code MADV_*} values. Only the advice that acts on file mappings is here: {@code MADV_FREE},
 * {@code MADV_WIPEONFORK} and {@code MADV_MERGEABLE} are for anonymous memory, {@code MADV_DONTFORK}
 * would break the JVM's own forks, and {@code MADV_REMOVE}, which frees the file's blocks (destroying
 * its data), is left out: {@link FileSpace#punchHole} does that by name.
 *
 * <p><b>Linux</b> (madvise(2) of the Linux man pages) and <b>macOS</b> (madvise(2) of macOS, XNU's
 * {@code bsd/kern/kern_mman.c}) differ, and each constant says what it does on each. On macOS
 * {@code NORMAL} to {@code DONTNEED} are passed under the same numbers (Darwin's are Linux's),
 * {@code COLD} as Darwin's {@code MADV_DONTNEED}; {@code PAGEOUT}, {@code POPULATE_READ} and
 * {@code POPULATE_WRITE}, which macOS has no counterpart for, throw {@link ModeNotSupportedException}
 * ("macOS has no such operation") without any call.
 *
 * @since 0.1.0
 */
public enum MemoryAdvice {
    /**
     * No advice: the default read-around on page faults ({@code MADV_NORMAL}). The same on macOS.
     */
    NORMAL(Linux.MADV_NORMAL),
    /**
     * Pages will be touched in random order: no read-around on faults ({@code MADV_RANDOM}). On macOS a
     * fault then reads only the page it needs too.
     */
    RANDOM(Linux.MADV_RANDOM),
    /**
     * Pages will be touched in order: aggressive read-ahead, and pages behind may be freed soon
     * ({@code MADV_SEQUENTIAL}). On macOS a fault reads ahead of the page, not behind it.
     */
    SEQUENTIAL(Linux.MADV_SEQUENTIAL),
    /**
     * The range will be needed soon: the kernel starts reading it into the page cache and returns
     * ({@code MADV_WILLNEED}). On macOS before 15.4 (XNU before 11417) the same, but for at most 1 MiB
     * from the start of the range (XNU's cap on one read request); from macOS 15.4 it faults the range's
     * pages in before returning, as a write fault where the mapping is writable: a writable private
     * mapping then holds its own copies of the pages, and a writable shared mapping's pages may be marked
     * modified and written back unchanged. Advise a read-only mapping to read ahead without either.
     */
    WILLNEED(Linux.MADV_WILLNEED),
    /**
     * The range will not be needed.
     * <ul>
     * <li>Linux: its pages are unmapped from this process ({@code MADV_DONTNEED}). A shared mapping reads
     *     the file (the page cache) again on the next access, losing nothing; a private mapping
     *     ({@link java.nio.channels.FileChannel.MapMode#PRIVATE}) loses its changes to the range and reads
     *     the file's bytes again. Fails (EINVAL) on locked pages.
     * <li>macOS: a hint that discards nothing: the range's resident pages move to the inactive queue, the
     *     first to be reclaimed under memory pressure, and stay cached and mapped until then; a private
     *     mapping keeps its changes. Locked (wired) pages are left alone. This is what {@link #COLD}
     *     does on Linux.
     * </ul>
     */
    DONTNEED(Linux.MADV_DONTNEED),
    /**
     * The range is cold: the pages of it this process alone has mapped move to the inactive list, the
     * first to be reclaimed under memory pressure; they stay cached until then ({@code MADV_COLD}, Linux 5.4).
     * On macOS, Darwin's {@code MADV_DONTNEED} (see {@link #DONTNEED}), which deactivates every resident
     * page of the range, also those other processes map.
     */
    COLD(Linux.MADV_COLD),
    /**
     * Reclaim the range now: the clean pages of it this process alone has mapped (faulted in, or
     * populated) leave the page cache ({@code MADV_PAGEOUT}, Linux 5.4). Dirty pages stay until written
     * back (reclaim leaves file writeback to the kernel's flusher), as do cached pages this process has
     * not mapped and pages other processes also map. For a file the caller neither owns nor could open
     * for writing, the kernel pages out none of the file's pages (a side-channel defence), only a private
     * mapping's own copies. macOS: {@link ModeNotSupportedException}; Darwin's {@code MADV_PAGEOUT} is
     * "internal only" and refused (ENOTSUP) by release kernels.
     */
    PAGEOUT(Linux.MADV_PAGEOUT),
    /**
     * Fault the range in readable now, reading the file as needed, so later accesses do not fault
     * ({@code MADV_POPULATE_READ}, Linux 5.14). Fails (EFAULT) where the mapping reaches past the end
     * of the file. macOS: {@link ModeNotSupportedException} ({@link #WILLNEED} reads ahead, as a hint).
     */
    POPULATE_READ(Linux.MADV_POPULATE_READ),
    /**
     * Fault the range in writable now, as a write would, without changing a byte: a private mapping gets
     * its own copies of the pages, a shared one's pages become dirty (and are written back unchanged)
     * ({@code MADV_POPULATE_WRITE}, Linux 5.14). Fails (EINVAL) on a read-only mapping, and (EFAULT)
     * past the end of the file. macOS: {@link ModeNotSupportedException}.
     */
    POPULATE_WRITE(Linux.MADV_POPULATE_WRITE);

    private final int value;

    MemoryAdvice(int value) {
        this.value = value;
    }

    /**
     * Linux's {@code MADV_*} value, which Linux's kernel is passed; on macOS the advice is passed under
     * Darwin's number (the same for {@code NORMAL} to {@code DONTNEED}, 4 for {@code COLD}). Exceptions
     * carry this value as their mode.
     *
     * @return the advice number
     */
    public int value() {
        return value;
    }
}
