package io.github.fallocate4j;

import io.github.fallocate4j.internal.Errors;
import io.github.fallocate4j.internal.LibC;
import io.github.fallocate4j.internal.Platform;
import java.nio.MappedByteBuffer;
import java.util.Objects;

/**
 * madvise(2) for memory-mapped files: tell the kernel how a {@link MappedByteBuffer} from
 * {@link java.nio.channels.FileChannel#map} will be used, or have it read in, drop or reclaim the pages.
 *
 * <p><b>MemorySegment</b> (Java 22+): a segment from {@code FileChannel.map(mode, offset, size, arena)}
 * gives a {@code MappedByteBuffer} over the same memory with {@code segment.asByteBuffer()} (for at most
 * 2 GiB; advise larger segments slice by slice, {@code segment.asSlice(offset, size).asByteBuffer()}).
 * This class cannot take a {@code MemorySegment} itself: its API is that of Java 17, which has none,
 * and a multi-release jar may not give a class more public methods on a later Java. Nor does it take a
 * raw address: it could not tell a file mapping from the Java heap, where {@code DONTNEED} would crash
 * the JVM. On Java 22+ the segment's arena is kept open during the call.
 *
 * <p><b>Alignment</b>: the kernel advises whole pages (getpagesize(): 4 KiB on x86_64, 4, 16 or 64 KiB
 * on Linux aarch64, 16 KiB on Apple silicon). The start of the range is rounded down to a page
 * boundary and its end rounded up, so the advice reaches every page the range touches, including bytes
 * outside the range in its first and last page (for {@link MemoryAdvice#DONTNEED} on a private mapping
 * on Linux, their changes are discarded too). Advise page-aligned ranges to act on exactly those bytes.
 *
 * <p><b>Systems</b>: on Linux, madvise(2) of the Linux man pages (through {@code syscall(SYS_madvise)}
 * on Java 22+, the C library's {@code madvise} through JNA); on macOS, madvise(2) of macOS (the C
 * library's {@code madvise} in both), where the advice means other things or is refused: see
 * {@link MemoryAdvice}.
 *
 * @since 0.1.0
 */
public final class MappedMemory {
    private MappedMemory() {}

    /**
     * Gives advice about all of a mapped buffer ({@code [0, capacity)}, whatever its position and
     * limit), with madvise(2).
     *
     * @param buffer a buffer from {@code FileChannel.map}, or a mapped segment's {@code asByteBuffer()}
     * @param advice what to tell the kernel
     * @throws ModeNotSupportedException on macOS, for PAGEOUT, POPULATE_READ and POPULATE_WRITE, which it
     *                               has no counterpart for (EOPNOTSUPP, "macOS has no such operation"),
     *                               before any system call
     * @throws FileSpaceException    when the kernel refuses. Linux: EINVAL for advice this kernel does not
     *                               know (COLD and PAGEOUT need Linux 5.4, POPULATE_READ and POPULATE_WRITE
     *                               5.14), for DONTNEED on locked pages, for POPULATE_WRITE on a read-only
     *                               mapping; EFAULT when POPULATE_* reaches past the end of the file; ENOMEM
     *                               when the range is not mapped; EIO when reading the file failed. macOS:
     *                               EINVAL when the range is not mapped, or (macOS 15.4 and later) when
     *                               WILLNEED cannot fault a page in (past the end of the file, a read error)
     * @throws IllegalStateException when the buffer's memory segment's arena is closed (Java 22+)
     * @throws RuntimeException      {@code java.lang.WrongThreadException} (Java 19+) when the buffer's
     *                               memory segment's arena is confined to another thread (Java 22+)
     */
    public static void advise(MappedByteBuffer buffer, MemoryAdvice advice) throws FileSpaceException {
        advise(buffer, 0, buffer.capacity(), advice);
    }

    /**
     * Gives advice about {@code [offset, offset+length)} of a mapped buffer, with madvise(2): offsets are
     * bytes from the buffer's first byte (index 0, not its position), rounded out to whole pages as the
     * class description says.
     *
     * @param buffer a buffer from {@code FileChannel.map}, or a mapped segment's {@code asByteBuffer()}
     * @param offset first byte, {@code 0 <= offset <= capacity}
     * @param length bytes, {@code >= 0}, {@code offset+length <= capacity}; 0 does nothing
     * @param advice what to tell the kernel
     * @throws IndexOutOfBoundsException when the range is not inside the buffer (before any system call)
     * @throws FileSpaceException        when the kernel refuses; see {@link #advise(MappedByteBuffer, MemoryAdvice)}
     * @throws IllegalStateException     when the buffer's memory segment's arena is closed (Java 22+)
     * @throws RuntimeException          {@code java.lang.WrongThreadException} when the arena is confined to
     *                                   another thread; see {@link #advise(MappedByteBuffer, MemoryAdvice)}
     */
    public static void advise(MappedByteBuffer buffer, long offset, long length, MemoryAdvice advice)
            throws FileSpaceException {
        Objects.requireNonNull(advice, "advice");
        Objects.checkFromIndexSize(offset, length, buffer.capacity());
        if (length == 0) {
            return;
        }
        Platform.requireSupported();
        int rc = LibC.madvise(buffer, offset, length, advice.value());
        if (rc < 0) {
            throw Errors.madvise(-rc, buffer.isReadOnly(), offset, length, advice.value(), advice.name());
        }
    }
}
