package io.github.fallocate4j.internal;

import io.github.fallocate4j.FileSpaceException;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A second reader for {@link HoleDigger}: while the digger takes up the chunks of a stretch in file order,
 * this thread reads and checks for zeros the chunks after the one the digger is at, as does the digger
 * whenever the chunk it is at is still being read here; each chunk is claimed by one of the two. Two cores
 * then copy and check the file's pages: a single thread's 1 MiB preads and zero checks of a cached file
 * took 1.3-1.5x the time of the C read floor alone, two threads' 0.8x.
 *
 * <p>A stretch is handed over only where reading out of order changes nothing: every page of it cached (no
 * read-ahead, cache drop or read flag of the digger's is involved) and nothing able to write to the file
 * meanwhile: a dry run, which punches nothing, or a dig holding its {@link WriteLease}. A chunk is claimed
 * here or ahead by the digger only while the lease is held ({@link #mayRead}); the digger reads any chunk
 * left unclaimed, in order, as it reads without a second reader, with the proofs a dig without the lease
 * needs. The runs of chunks read under the lease are punched as the digger's own are
 * ({@link DigReleaser#punchLeased}: only while the lease is still held, else after a second read).
 */
final class ScanAhead {
    /** How many chunks past the one the digger is at may be claimed: one result each, kept until taken up. */
    static final int WINDOW = 32;
    /** The chunk index of a stretch closed to claims. */
    private static final int CLOSED = Integer.MAX_VALUE;
    /**
     * How long a waiting thread parks before it looks again, should a wake-up be missed: the digger
     * briefly; this thread, idle between stretches, longer (nothing is lost if it misses a stretch: the
     * digger reads every chunk no one claims).
     */
    private static final long DIGGER_PARK_NANOS = TimeUnit.MICROSECONDS.toNanos(100);
    private static final long READER_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final OpenFile file;
    private final long blockSize;
    private final long chunkSize;
    private final boolean punch;
    private final WriteLease lease;
    private final ByteBuffer zeros;
    /** This thread's buffer, and the digger's for the chunks it claims ahead. */
    private final ByteBuffer buffer;
    private final ByteBuffer diggersBuffer;
    /** The results of chunks claimed ahead, chunk i in slot i % WINDOW. */
    private final ZeroBlocks[] slots = new ZeroBlocks[WINDOW];
    /** Per slot: i + 1 once chunk i is in it, -(i + 1) if its read failed, else anything else. */
    private final AtomicIntegerArray ready = new AtomicIntegerArray(WINDOW);
    /**
     * The stretch's number (high 32 bits) and its next chunk to claim (low 32; {@link #CLOSED} between
     * stretches): a claim is a compare-and-set of both, so one looked at in an earlier stretch never
     * claims a chunk of a later one.
     */
    private final AtomicLong next = new AtomicLong(CLOSED);
    /** Claims this thread is making or reading: the digger waits for none before it closes a stretch. */
    private final AtomicInteger reading = new AtomicInteger();
    private volatile long stretchStart;
    private volatile long stretchEnd;
    private volatile int chunks;
    /** The chunk the digger is taking up: nothing at or past it plus {@link #WINDOW} is claimed. */
    private volatile int takingUp;
    private volatile boolean ended;
    private volatile boolean readerWaits;
    private volatile boolean diggerWaits;
    private final Thread digger = Thread.currentThread();
    private Thread thread;

    /**
     * @param zeros zeros as long as a chunk, only ever read
     * @param punch whether the dig punches: then chunks are read out of order only while {@code lease} is held
     */
    ScanAhead(OpenFile file, long blockSize, long chunkSize, ByteBuffer zeros, boolean punch, WriteLease lease) {
        this.file = file;
        this.blockSize = blockSize;
        this.chunkSize = chunkSize;
        this.zeros = zeros;
        this.punch = punch;
        this.lease = lease;
        this.buffer = LibC.allocatePageAligned((int) chunkSize);
        this.diggersBuffer = LibC.allocatePageAligned((int) chunkSize);
        for (int i = 0; i < WINDOW; i++) {
            slots[i] = new ZeroBlocks();
        }
    }

    /** Whether chunks may be read out of order now: in a dry run, or under the lease. */
    boolean mayRead() {
        return !punch || lease.held();
    }

    /**
     * Opens {@code [from, to)}, whose pages are all cached, to claims: its chunks are cut as the digger cuts
     * them, {@code chunkSize} each from {@code from} but the last. The digger then calls {@link #takeUp} for
     * each in order, and {@link #close} at the end.
     */
    void open(long from, long to) {
        stretchStart = from;
        stretchEnd = to;
        chunks = (int) ((to - from + chunkSize - 1) / chunkSize);
        takingUp = 0;
        for (int i = 0; i < WINDOW; i++) {
            ready.set(i, 0);
        }
        next.set((next.get() >>> 32) + 1 << 32); // chunk 0 of the next stretch; last: this thread reads the fields above only after it sees it
        if (thread == null) {
            thread = new Thread(this::work, "fallocate4j-dig-holes-reader");
            thread.setDaemon(true);
            thread.start();
        } else {
            wake(readerWaits, thread);
        }
    }

    /**
     * The zero blocks of the stretch's chunk {@code i}, read under the lease (or in a dry run) by either
     * thread; or null where the digger is to read it itself, in order and as without a second reader: no
     * one had claimed it (the lease may be gone), or its read here failed (the digger's then meets the
     * failure with its own context, if it lasts). Valid until the next call.
     */
    ZeroBlocks takeUp(int i) {
        takingUp = i;
        wake(readerWaits, thread); // the window moved
        int slot = i % WINDOW;
        while (true) {
            int state = ready.get(slot);
            if (state == i + 1) {
                return slots[slot];
            }
            if (state == -(i + 1)) {
                return null;
            }
            long claim = next.get();
            int j = (int) claim;
            if (j == i) {
                if (next.compareAndSet(claim, claim + 1)) {
                    return null;
                }
            } else if (j < chunks && j < i + WINDOW && mayRead()) {
                if (next.compareAndSet(claim, claim + 1)) {
                    read(j, diggersBuffer); // rather than wait for chunk i, whose read is under way here
                }
            } else {
                diggerWaits = true;
                if (ready.get(slot) != i + 1 && ready.get(slot) != -(i + 1)) {
                    LockSupport.parkNanos(this, DIGGER_PARK_NANOS);
                }
                diggerWaits = false;
            }
        }
    }

    /** Closes the stretch to claims and waits until no read of this thread's is under way. */
    void close() {
        next.set(next.get() >>> 32 << 32 | CLOSED);
        while (reading.get() > 0) {
            LockSupport.parkNanos(this, DIGGER_PARK_NANOS); // one chunk's read at most
        }
    }

    /** Ends the thread, after the read it is making; before the descriptor may be closed. */
    void finish() {
        if (thread != null) {
            close();
            ended = true;
            LockSupport.unpark(thread);
            Uninterruptibly.join(thread);
        }
    }

    private void work() {
        while (!ended) {
            long claim = next.get();
            int j = (int) claim;
            if (j >= chunks || j >= takingUp + WINDOW || !mayRead()) {
                readerWaits = true;
                claim = next.get();
                j = (int) claim;
                if (!ended && (j >= chunks || j >= takingUp + WINDOW || !mayRead())) {
                    LockSupport.parkNanos(this, READER_PARK_NANOS);
                }
                readerWaits = false;
                continue;
            }
            reading.incrementAndGet(); // before the claim: close() waits for it
            try {
                if (next.compareAndSet(claim, claim + 1)) {
                    read(j, buffer);
                    wake(diggerWaits, digger);
                }
            } finally {
                reading.decrementAndGet();
            }
        }
    }

    /** Reads chunk {@code j} of the stretch with {@code into}, and puts what it holds in its slot. */
    private void read(int j, ByteBuffer into) {
        int slot = j % WINDOW;
        try {
            long at = stretchStart + (long) j * chunkSize;
            long want = Math.min(chunkSize, stretchEnd - at);
            long ask = HoleDigger.askFor(at, want, blockSize);
            long got = HoleDigger.readFully(file, LibC::pread, into.slice(0, (int) ask), at, want);
            slots[slot].find(into, zeros, got, blockSize);
            ready.set(slot, j + 1);
        } catch (FileSpaceException | RuntimeException | Error e) {
            // Left to the digger, which reads the chunk again: the failure then has the digger's context,
            // and this thread must not die while the digger waits for its answer.
            ready.set(slot, -(j + 1));
        }
    }

    private static void wake(boolean waits, Thread thread) {
        if (waits && thread != null) {
            LockSupport.unpark(thread);
        }
    }
}
