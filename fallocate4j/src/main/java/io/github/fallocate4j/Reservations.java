package io.github.fallocate4j;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Space reservation for files that grow by appends (write-ahead logs, journals, segments), in the
 * manner of {@link java.nio.file.Files}: reserve a range under an explicit {@link ReservePolicy},
 * release the space a crash left reserved past the end of a file, and check what a range really has
 * on disk. For a channel that keeps space reserved ahead of its writer, see {@link ReservingChannel}.
 */
public final class Reservations {
    /** The zeros written at a time when a reservation is emulated; interrupts are seen between them. */
    private static final int ZERO_CHUNK = 1 << 20;

    private Reservations() {}

    /**
     * Reserves disk space for {@code [offset, offset+len)} with fallocate(2) mode 0, growing the file to
     * at least {@code offset+len} (as posix_fallocate(3) does, but never emulating unless the policy
     * says so). Where the filesystem cannot allocate (EOPNOTSUPP), {@code policy} decides:
     * {@link ReservePolicy#FAIL} rethrows; {@link ReservePolicy#EMULATE} writes zeros into the holes
     * of the range as lseek(2) {@code SEEK_HOLE} reports them and past the end of the file, in chunks of
     * 1 MiB (posix_fallocate(3) of each, which the C library emulates there by writing a zero byte into
     * each block), telling {@code listener} after each, and stops with {@link InterruptedIOException} (the
     * thread's interrupt status kept) when the thread is interrupted between chunks, the zeros written so
     * far staying; {@link ReservePolicy#ACCEPT_SPARSE} only grows the file to {@code offset+len}
     * (sparse). Data already in the range is never changed. Do not write the range from elsewhere while
     * an emulation runs: a hole it is filling may be overwritten with zeros.
     *
     * @param file     the file; created when missing
     * @param offset   first byte of the range, {@code >= 0}
     * @param len      bytes, {@code > 0}; {@code offset+len} at most {@code 2^63-1}
     * @param policy   what to do when the filesystem cannot allocate
     * @param listener told of progress; {@link ReserveListener#NONE} for nothing
     * @return {@link ReserveOutcome#RESERVED}, {@link ReserveOutcome#EMULATED} or {@link ReserveOutcome#NO_GUARANTEE}
     * @throws ModeNotSupportedException when the filesystem cannot allocate and {@code policy} is FAIL
     * @throws NoSpaceException when the device is full (ENOSPC) or the quota used up (EDQUOT)
     * @throws InterruptedIOException when interrupted during an emulation
     * @throws IllegalArgumentException for a negative offset, {@code len <= 0} or an end past {@code 2^63-1}
     * @throws IOException when the file cannot be opened or written
     */
    public static ReserveOutcome reserve(Path file, long offset, long len, ReservePolicy policy,
                                         ReserveListener listener) throws IOException {
        requireRange(offset, len);
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(listener, "listener");
        try {
            FileSpace.allocate(file, offset, len);
            listener.progress(offset + len);
            return ReserveOutcome.RESERVED;
        } catch (ModeNotSupportedException e) {
            if (policy == ReservePolicy.FAIL) {
                throw e;
            }
        }
        long size;
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            if (policy == ReservePolicy.ACCEPT_SPARSE) {
                if (raf.length() < offset + len) {
                    raf.setLength(offset + len);
                }
                listener.progress(offset + len);
                return ReserveOutcome.NO_GUARANTEE;
            }
            size = raf.length();
        }
        for (long[] hole : holes(file, offset, len, size)) {
            writeZeros(file, hole[0], hole[1], listener);
        }
        listener.progress(offset + len);
        return ReserveOutcome.EMULATED;
    }

    /** The holes of {@code [offset, offset+len)} as {start, end} pairs: SEEK_HOLE's up to the size, then the rest. */
    private static List<long[]> holes(Path file, long offset, long len, long size) throws IOException {
        List<long[]> holes = new ArrayList<>();
        if (offset < size) {
            try (Stream<Region> regions = SparseFiles.regions(file, offset, Math.min(len, size - offset))) {
                regions.filter(Region::isHole).forEach(r -> holes.add(new long[] {r.offset(), r.end()}));
            }
        }
        if (offset + len > size) {
            holes.add(new long[] {Math.max(offset, size), offset + len});
        }
        return holes;
    }

    /**
     * Fills {@code [from, to)} with zeros a chunk at a time through posix_fallocate(3), which, on the
     * filesystems that get here (no fallocate(2)), the C library emulates by writing a zero byte into each
     * block: so a full device is a {@link NoSpaceException} carrying the errno, as from any other call.
     */
    private static void writeZeros(Path file, long from, long to, ReserveListener listener) throws IOException {
        for (long at = from; at < to; ) {
            if (Thread.currentThread().isInterrupted()) {
                InterruptedIOException e = new InterruptedIOException("reserving by writing zeros was interrupted at offset " + at);
                e.bytesTransferred = (int) Math.min(Integer.MAX_VALUE, at - from);
                throw e;
            }
            long n = Math.min(ZERO_CHUNK, to - at);
            FileSpace.posixAllocate(file, at, n);
            at += n;
            listener.progress(at);
        }
    }

    /**
     * Releases the disk space allocated past the end of the file, such as the reservation a
     * {@link ReservingChannel} held when its process was killed: ftruncate(2) to the file's own size,
     * which frees the blocks beyond it on ext4, xfs, btrfs and tmpfs (a hole punched there would not
     * be freed by ext4). Contents and size do not change; the modification time does. This is all a
     * recovery needs, since a reserving channel's size is always the data written. Call it while no
     * process writes the file: a write landing between the size being read and the truncation would be
     * cut off.
     *
     * @param file an existing file, opened for writing for the call
     * @return the bytes freed: the drop in {@link SparseFiles#allocatedBytes}, 0 when nothing was reserved
     * @throws NoSuchFileException when the file does not exist
     * @throws IOException when the file cannot be opened, examined or truncated
     */
    public static long release(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString());
        }
        long before = SparseFiles.allocatedBytes(file);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(raf.length()); // RandomAccessFile truncates even to the same size; FileChannel does not
        }
        return Math.max(0, before - SparseFiles.allocatedBytes(file));
    }

    /**
     * How {@code [offset, offset+len)} of the file is allocated: its holes, and whether its allocated
     * parts are reserved (unwritten) or written, from the extent map (ioctl FS_IOC_FIEMAP,
     * {@link ExtentFlag#UNWRITTEN}), which sees past the end of the file too. Where the filesystem has
     * no FIEMAP (tmpfs) the parts come from lseek(2) {@code SEEK_HOLE} instead: allocated parts are then
     * {@link RangeAllocation.State#ALLOCATED} and the part past the end of the file
     * {@link RangeAllocation.State#UNKNOWN}. Dirty data is written back first, so that delayed
     * allocations have their place.
     *
     * @param file   the file
     * @param offset first byte, {@code >= 0}
     * @param len    bytes, {@code > 0}; the range may pass the end of the file
     * @return the range's parts
     * @throws IllegalArgumentException for a negative offset, {@code len <= 0} or an end past {@code 2^63-1}
     * @throws IOException when the file cannot be opened or examined
     */
    public static RangeAllocation allocation(Path file, long offset, long len) throws IOException {
        requireRange(offset, len);
        List<Extent> extents;
        try {
            extents = SparseFiles.extents(file, offset, len);
        } catch (FileSpaceException e) {
            if (!e.errnoName().equals("ENOTTY") && !e.errnoName().equals("EOPNOTSUPP")) {
                throw e;
            }
            return fromHoles(file, offset, len);
        }
        Parts parts = new Parts(offset);
        for (Extent extent : extents) {
            long from = Math.max(extent.logicalOffset(), parts.end);
            long to = Math.min(extent.logicalOffset() + extent.length(), offset + len);
            if (from < to) {
                parts.add(RangeAllocation.State.HOLE, from);
                parts.add(extent.isUnwritten() ? RangeAllocation.State.UNWRITTEN : RangeAllocation.State.WRITTEN, to);
            }
        }
        parts.add(RangeAllocation.State.HOLE, offset + len);
        return new RangeAllocation(offset, len, parts.list, true);
    }

    private static RangeAllocation fromHoles(Path file, long offset, long len) throws IOException {
        Parts parts = new Parts(offset);
        long size = Files.size(file);
        if (offset < size) {
            try (Stream<Region> regions = SparseFiles.regions(file, offset, Math.min(len, size - offset))) {
                for (Region r : (Iterable<Region>) regions::iterator) {
                    parts.add(r.isHole() ? RangeAllocation.State.HOLE : RangeAllocation.State.ALLOCATED, r.end());
                }
            }
        }
        parts.add(RangeAllocation.State.UNKNOWN, offset + len);
        return new RangeAllocation(offset, len, parts.list, false);
    }

    /** Builds the list of parts from left to right, joining neighbours in the same state. */
    private static final class Parts {
        final List<RangeAllocation.Part> list = new ArrayList<>();
        long end;

        Parts(long start) {
            end = start;
        }

        void add(RangeAllocation.State state, long to) {
            if (to <= end) {
                return;
            }
            int last = list.size() - 1;
            if (last >= 0 && list.get(last).state() == state) {
                RangeAllocation.Part p = list.remove(last);
                list.add(new RangeAllocation.Part(state, p.offset(), to - p.offset()));
            } else {
                list.add(new RangeAllocation.Part(state, end, to - end));
            }
            end = to;
        }
    }

    static void requireRange(long offset, long len) {
        if (offset < 0 || len <= 0 || offset + len < 0) {
            throw new IllegalArgumentException("offset " + offset + " and length " + len
                    + " do not make a range: offset >= 0, length > 0 and offset+length <= 2^63-1 are needed");
        }
    }
}
