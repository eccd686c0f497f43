package io.github.fallocate4j;

import io.github.fallocate4j.internal.Descriptors;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A {@link FileChannel} that keeps disk space reserved ahead of its writer, for files that grow by
 * appends (write-ahead logs, journals, segments). Every method behaves as the wrapped channel's; in
 * addition, before a write that would leave less than half of {@code ahead} reserved past its end, the
 * next {@code ahead} bytes are reserved with fallocate(2) {@code KEEP_SIZE}; and {@link #force} reserves
 * them after syncing when less than {@code ahead} is left, so that a log that syncs regularly makes its
 * reservations in its syncs, which are slow anyway, and not inside its writes. So:
 * <ul>
 * <li>the file's size is always the data written (never a preallocated length a recovery must scan);
 * <li>the file is laid out in few extents, even with several files appended to at once;
 * <li>running out of space surfaces as a {@link NoSpaceException} from the write that needed the
 *     reservation, before any of its bytes are written, not as a failed write-back later; what is
 *     reserved past the end of the data is freed then (ext4 keeps what a refused fallocate(2)
 *     allocated), and the next write reserves again;
 * <li>{@link #close()}, {@link #truncate(long)} and {@link #release()} free what is reserved past the
 *     end of the data; after a crash, {@link Reservations#release(Path)} does.
 * </ul>
 *
 * <p>Reservations use the channel's descriptor, so the JVM needs the options named in
 * {@link Fallocate} ({@code --add-opens java.base/sun.nio.ch} and {@code java.base/java.io}); without
 * them {@link #open} throws {@link java.lang.reflect.InaccessibleObjectException} naming every option missing. The channel is safe for use by several
 * threads: relative writes are serialised, as {@link FileChannel}'s are; positional writes run
 * concurrently and wait only while a reservation is being made or released. The library's calls that
 * take a {@link FileChannel} ({@link FileSpace}, {@link SparseFiles}, {@link Fallocate}) take this one
 * too, and act on the file it holds open.
 */
public final class ReservingChannel extends FileChannel {
    private static final Set<StandardOpenOption> SUPPORTED = Set.of(StandardOpenOption.READ, StandardOpenOption.WRITE,
            StandardOpenOption.CREATE, StandardOpenOption.CREATE_NEW, StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.APPEND, StandardOpenOption.SYNC, StandardOpenOption.DSYNC);

    static {
        // The calls that take a FileChannel work on the descriptor of the JDK channel this one wraps.
        Descriptors.registerWrapper(ReservingChannel.class, channel -> ((ReservingChannel) channel).channel);
    }

    private final RandomAccessFile file; // for ftruncate to the same size, which FileChannel.truncate skips
    private final FileChannel channel;
    private final long ahead;
    private final boolean append;
    /** Held by relative operations, which move the position. */
    private final Object positionLock = new Object();
    /**
     * The channel's position, kept here rather than in the descriptor: relative reads and writes become
     * pread(2)/pwrite(2) at it, one system call as on a plain channel, instead of lseek(2) and then I/O.
     */
    private volatile long position;
    /**
     * Shared by positional writes, exclusive for release, truncate and close, so that no write lands between
     * size and ftruncate. Relative writes do not take it: they hold {@link #positionLock}, which release,
     * truncate and close take first, and so each write call costs one lock, as on a plain channel.
     */
    private final ReadWriteLock sizeLock = new ReentrantReadWriteLock();
    private final Object reserveLock = new Object();
    /** Space is reserved up to here (from the data's end, or the last reservation). */
    private volatile long reservedEnd;
    private volatile ReserveOutcome outcome = ReserveOutcome.RESERVED;

    private ReservingChannel(RandomAccessFile file, long ahead, boolean append) {
        this.file = file;
        this.channel = file.getChannel();
        this.ahead = ahead;
        this.append = append;
    }

    /**
     * Opens (or creates) a file for reading and writing and reserves the first {@code ahead} bytes past
     * its end ({@code KEEP_SIZE}), so that a filesystem without fallocate is found at start-up.
     *
     * @param file    the file
     * @param ahead   bytes reserved at a time, {@code > 0}: a new chunk of {@code ahead} bytes is
     *                reserved whenever a write would leave less than {@code ahead/2} reserved past its
     *                end, or {@link #force} finds less than {@code ahead} left; at most about
     *                {@code 2 * ahead} is reserved past the data. A few MiB to a few tens of MiB suit logs.
     * @param policy  what to do when the filesystem cannot allocate (EOPNOTSUPP): {@link ReservePolicy#FAIL}
     *                throws from this method; {@link ReservePolicy#ACCEPT_SPARSE} gives a channel that
     *                reserves nothing ({@link #outcome()} is then {@link ReserveOutcome#NO_GUARANTEE});
     *                {@link ReservePolicy#EMULATE} is refused, because zeros written past the end would
     *                move the end
     * @param options {@link StandardOpenOption}s: {@code READ} and {@code WRITE} (implied), {@code CREATE},
     *                {@code CREATE_NEW}, {@code TRUNCATE_EXISTING}, {@code APPEND}, {@code SYNC}, {@code DSYNC}.
     *                With {@code APPEND} each relative write goes to the end of the file as this channel
     *                finds it, under its lock; the descriptor is not opened with {@code O_APPEND}, so
     *                appends by another process at the same moment could interleave.
     * @return the open channel
     * @throws IllegalArgumentException for {@code ahead <= 0} or {@link ReservePolicy#EMULATE}
     * @throws UnsupportedOperationException for an option not listed
     * @throws ModeNotSupportedException when the filesystem cannot allocate and the policy is FAIL
     * @throws NoSpaceException when the first reservation finds the device full
     *         (after any of these the file is closed, deleted when this call created it, and unchanged otherwise;
     *         after a full device, space allocated past its end is freed: what the reservation took before it
     *         ran out, which ext4 keeps, and any left there before)
     * @throws NoSuchFileException when the file is missing and neither CREATE nor CREATE_NEW is given
     * @throws java.nio.file.FileAlreadyExistsException for CREATE_NEW when the file exists
     * @throws IOException when the file cannot be opened
     */
    public static ReservingChannel open(Path file, long ahead, ReservePolicy policy, OpenOption... options)
            throws IOException {
        Objects.requireNonNull(file, "file");
        if (ahead <= 0) {
            throw new IllegalArgumentException("ahead must be > 0 bytes, not " + ahead);
        }
        if (Objects.requireNonNull(policy, "policy") == ReservePolicy.EMULATE) {
            throw new IllegalArgumentException("a ReservingChannel cannot emulate a reservation: zeros written past "
                    + "the end of the file would move its end; use FAIL or ACCEPT_SPARSE");
        }
        Set<OpenOption> given = Set.of(options);
        for (OpenOption option : given) {
            if (!SUPPORTED.contains(option)) {
                throw new UnsupportedOperationException(option + " is not supported by a ReservingChannel");
            }
        }
        boolean created = false;
        if (given.contains(StandardOpenOption.CREATE_NEW)) {
            Files.createFile(file);
            created = true;
        } else if (!Files.exists(file)) {
            if (!given.contains(StandardOpenOption.CREATE)) {
                throw new NoSuchFileException(file.toString());
            }
            created = true;
        }
        String mode = given.contains(StandardOpenOption.SYNC) ? "rws" : given.contains(StandardOpenOption.DSYNC) ? "rwd" : "rw";
        RandomAccessFile raf = new RandomAccessFile(file.toFile(), mode);
        ReservingChannel channel = new ReservingChannel(raf, ahead, given.contains(StandardOpenOption.APPEND));
        try {
            // The first reservation comes before TRUNCATE_EXISTING, so that a refusal leaves the data as it was.
            channel.reservedEnd = raf.length();
            try {
                channel.reserve(raf.length(), raf.length());
            } catch (ModeNotSupportedException e) {
                if (policy == ReservePolicy.FAIL) {
                    throw e;
                }
                channel.outcome = ReserveOutcome.NO_GUARANTEE;
            }
            if (given.contains(StandardOpenOption.TRUNCATE_EXISTING) && raf.length() > 0) {
                raf.setLength(0); // frees the reservation too
                channel.reservedEnd = 0;
                channel.reserve(0, 0);
            }
            return channel;
        } catch (IOException | RuntimeException e) {
            try (raf) {
                if (!created && e instanceof NoSpaceException) {
                    // ext4 keeps what a KEEP_SIZE fallocate allocated before ENOSPC ended it: free it again.
                    raf.setLength(raf.length());
                }
            } catch (IOException | RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            if (created) {
                Files.deleteIfExists(file); // a failed open leaves no file behind
            }
            throw e;
        }
    }

    /**
     * Whether this channel reserves space: {@link ReserveOutcome#RESERVED}, or
     * {@link ReserveOutcome#NO_GUARANTEE} when the filesystem cannot allocate and the policy accepted it.
     *
     * @return the outcome of the reservations
     */
    public ReserveOutcome outcome() {
        return outcome;
    }

    /**
     * The offset up to which this channel has reserved space; at least the size of the file after a
     * write or a {@link #release()}.
     *
     * @return the end of the reservation, in bytes from the start of the file
     */
    public long reservedEnd() {
        return reservedEnd;
    }

    /**
     * Frees the disk space reserved past the end of the data, now, with ftruncate(2) to the file's size
     * (see {@link Reservations#release(Path)}); the next write that needs it reserves again. Writes
     * through this channel wait meanwhile; a write by another process or channel landing past that size
     * between the size being read and the truncation would be cut off, so no one else may append meanwhile.
     *
     * @throws ClosedChannelException when the channel is closed
     * @throws IOException when the file cannot be truncated
     */
    public void release() throws IOException {
        synchronized (positionLock) {
            sizeLock.writeLock().lock();
            try {
                ensureOpen();
                synchronized (reserveLock) {
                    long size = file.length();
                    file.setLength(size); // frees the blocks past the end
                    reservedEnd = size;
                }
            } finally {
                sizeLock.writeLock().unlock();
            }
        }
    }

    /**
     * Makes sure space up to {@code end + ahead/2} is reserved before {@code [start, end)} is written,
     * reserving a chunk of {@code ahead} past the last one if not; a write starting past the reservation
     * leaves the gap a hole, as it would on a plain channel.
     */
    private void reserve(long start, long end) throws IOException {
        if (end <= reservedEnd - ahead / 2 || outcome != ReserveOutcome.RESERVED) {
            return;
        }
        synchronized (reserveLock) {
            long have = reservedEnd;
            if (end <= have - ahead / 2) {
                return;
            }
            long target = Math.max(have + ahead, end + ahead / 2);
            if (target < 0) { // past 2^63-1: let the write fail as it would
                return;
            }
            long from = Math.max(have, start);
            FileSpace.allocate(channel, from, target - from, AllocateOption.KEEP_SIZE);
            reservedEnd = target;
        }
    }

    /**
     * After a reservation that ran out of space: ext4 keeps what the refused fallocate(2) allocated before
     * it did (xfs gives it back), so everything past the end of the data is freed, as {@link #release()}
     * does, rather than left taken on a full device until close. Called holding no lock but {@link
     * #positionLock}: release takes the size lock exclusively.
     */
    private NoSpaceException givenBack(NoSpaceException full) {
        try {
            release();
        } catch (IOException | RuntimeException e) {
            full.addSuppressed(e);
        }
        return full;
    }

    private void ensureOpen() throws ClosedChannelException {
        if (!isOpen() || !channel.isOpen()) { // an interrupt closes the wrapped channel
            throw new ClosedChannelException();
        }
    }

    private static long remaining(ByteBuffer[] srcs, int offset, int length) {
        long sum = 0;
        for (int i = offset; i < offset + length; i++) {
            sum += srcs[i].remaining();
        }
        return sum;
    }

    // The relative writes: under positionLock alone (see sizeLock), the reservation checked, then one pwrite(2).

    @Override
    public int write(ByteBuffer src) throws IOException {
        synchronized (positionLock) {
            ensureOpen();
            long at = append ? channel.size() : position;
            try {
                reserve(at, at + src.remaining());
            } catch (NoSpaceException e) {
                throw givenBack(e);
            }
            int n = channel.write(src, at);
            position = at + n;
            return n;
        }
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, srcs.length);
        synchronized (positionLock) {
            ensureOpen();
            long at = append ? channel.size() : position;
            try {
                reserve(at, at + remaining(srcs, offset, length));
            } catch (NoSpaceException e) {
                throw givenBack(e);
            }
            long n = channel.position(at).write(srcs, offset, length);
            position = at + n;
            return n;
        }
    }

    private interface Io {
        long at(long position) throws IOException;
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
        if (position < 0) {
            throw new IllegalArgumentException("negative position " + position);
        }
        NoSpaceException full;
        sizeLock.readLock().lock();
        try {
            ensureOpen();
            reserve(position, position + src.remaining());
            return channel.write(src, position);
        } catch (NoSpaceException e) {
            full = e;
        } finally {
            sizeLock.readLock().unlock();
        }
        throw givenBack(full);
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
        if (position < 0 || count < 0) {
            throw new IllegalArgumentException("negative position or count");
        }
        // In pieces of ahead/2, so that each is reserved before it is written.
        long piece = Math.max(1, ahead / 2);
        long done = 0;
        NoSpaceException full = null;
        while (done < count) {
            long want = Math.min(piece, count - done);
            long n;
            sizeLock.readLock().lock();
            try {
                ensureOpen();
                try {
                    reserve(position + done, position + done + want);
                } catch (NoSpaceException e) {
                    full = e;
                    break;
                }
                n = channel.transferFrom(src, position + done, want);
            } finally {
                sizeLock.readLock().unlock();
            }
            done += n;
            if (n < want) {
                break;
            }
        }
        if (full != null) {
            throw givenBack(full);
        }
        return done;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return (int) readRelative(at -> channel.read(dst, at));
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, dsts.length);
        return readRelative(at -> channel.position(at).read(dsts, offset, length));
    }

    private long readRelative(Io read) throws IOException {
        synchronized (positionLock) {
            ensureOpen();
            long n = read.at(position);
            if (n > 0) {
                position += n;
            }
            return n;
        }
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
        return channel.read(dst, position);
    }

    @Override
    public long position() throws IOException {
        ensureOpen();
        return position;
    }

    @Override
    public FileChannel position(long newPosition) throws IOException {
        if (newPosition < 0) {
            throw new IllegalArgumentException("negative position " + newPosition);
        }
        synchronized (positionLock) {
            ensureOpen();
            position = newPosition;
        }
        return this;
    }

    @Override
    public long size() throws IOException {
        return channel.size();
    }

    /**
     * Truncates the file as {@link FileChannel#truncate} does, then frees whatever is reserved past its
     * (new) end, as {@link #release()} does.
     */
    @Override
    public FileChannel truncate(long size) throws IOException {
        synchronized (positionLock) {
            sizeLock.writeLock().lock();
            try {
                channel.truncate(size);
                position = Math.min(position, size);
            } finally {
                sizeLock.writeLock().unlock();
            }
            release();
        }
        return this;
    }

    /**
     * Syncs as {@link FileChannel#force} does, then, when less than {@code ahead} is reserved past the end
     * of the file, reserves the next chunk, so that the writes to come do not have to: a log's write then
     * never waits for fallocate(2). A full device there is not reported: the data is synced, what is
     * reserved past the end of the data is freed (as after any reservation that ran out of space), and the
     * write that needs the space makes the reservation itself and throws {@link NoSpaceException} before
     * writing.
     */
    @Override
    public void force(boolean metaData) throws IOException {
        channel.force(metaData);
        NoSpaceException full;
        sizeLock.readLock().lock();
        try {
            ensureOpen();
            long size = channel.size();
            reserve(size, size + ahead / 2); // when less than ahead is left: the next chunk
            return;
        } catch (NoSpaceException e) {
            full = e; // the write that needs the space reserves it again, and throws
        } finally {
            sizeLock.readLock().unlock();
        }
        givenBack(full);
    }

    @Override
    public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
        return channel.transferTo(position, count, target);
    }

    /** Maps the file as {@link FileChannel#map} does; a read-write mapping past the end grows the file, unreserved. */
    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
        return channel.map(mode, position, size);
    }

    @Override
    public FileLock lock(long position, long size, boolean shared) throws IOException {
        return new Lock(channel.lock(position, size, shared));
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
        FileLock lock = channel.tryLock(position, size, shared);
        return lock == null ? null : new Lock(lock);
    }

    /** The wrapped channel's lock, answering {@link FileLock#channel()} with this channel. */
    private final class Lock extends FileLock {
        private final FileLock lock;

        Lock(FileLock lock) {
            super(ReservingChannel.this, lock.position(), lock.size(), lock.isShared());
            this.lock = lock;
        }

        @Override
        public boolean isValid() {
            return lock.isValid();
        }

        @Override
        public void release() throws IOException {
            lock.release();
        }
    }

    /**
     * Frees what is reserved past the end of the data, then closes the file (even when freeing failed).
     * When an interrupt has closed the file already, the reservation stays until
     * {@link Reservations#release(Path)}. Freeing is ftruncate(2) to the size just read, as in {@link
     * #release()}: the writes through this channel wait for it, but a write by another process or channel
     * landing past that size in between would be cut off, so no one else may append to the file meanwhile.
     */
    @Override
    protected void implCloseChannel() throws IOException {
        synchronized (positionLock) {
            sizeLock.writeLock().lock();
            try (RandomAccessFile closing = file) {
                if (outcome == ReserveOutcome.RESERVED && channel.isOpen()) {
                    closing.setLength(closing.length());
                }
            } finally {
                sizeLock.writeLock().unlock();
            }
        }
    }
}
