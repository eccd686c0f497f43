package io.github.fallocate4j.fs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static io.github.fallocate4j.fs.DigExpectations.assertDug;
import static io.github.fallocate4j.fs.DigExpectations.isZero;
import static io.github.fallocate4j.fs.DigExpectations.zeroRuns;

import io.github.fallocate4j.DigListener;
import io.github.fallocate4j.DigOption;
import io.github.fallocate4j.DigResult;
import io.github.fallocate4j.Fallocate;
import io.github.fallocate4j.Region;
import io.github.fallocate4j.SparseFiles;
import io.github.fallocate4j.fs.DigExpectations.Recorder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Review of the second reader (ScanAhead) and the 4 MiB cold reads (issue 15, rev17): writers into runs the
 * second reader has already read, from another thread, through a mapping made before the dig, with the
 * lease and without; listeners that throw; an interrupted caller; truncation during a dig; partly cached
 * files; ranges; parallel digs. Each checks the file byte for byte, that every other zero granule is a
 * hole, and that no thread, descriptor or lease outlives the dig.
 */
class DigSecondReaderReviewTest {
    private static final int MIB = 1 << 20;
    private static final int GRANULE = DigExpectations.GRANULE;
    private static final int FILE_MIB = 24;
    private static final String THREADS = "fallocate4j-dig-holes";

    private final List<Path> written = new ArrayList<>();

    @AfterEach
    void removeFiles() throws IOException {
        System.clearProperty("fallocate4j.lease");
        for (Path file : written) {
            Files.deleteIfExists(file);
        }
    }

    enum Lease { ON, OFF }

    /**
     * Once the dig has read 4 MiB, another thread opens the file (which breaks the lease) and writes a byte
     * into every seventh zero granule of the whole file, behind and ahead; the listener waits for it. README
     * says the lease closes the window ("The opener's writes are kept"); twelve digs each, with the lease
     * and without (-Dfallocate4j.lease=false, the documented window): none may lose a write with the lease.
     * Failed at 2b687ef and before the second reader (1 to 7 of 12 digs a filesystem lost writes): the runs
     * read under the lease and not yet punched when it was given up were read again and punched 64 KiB at a
     * time while the opener wrote. Passes since 2641577 (they are punched before the lease is given up).
     */
    @ParameterizedTest
    @EnumSource(names = {"TMPFS", "EXT4", "XFS", "BTRFS"})
    void anOpenersWritesIntoRunsReadUnderTheLeaseStay(Fs fs) throws Exception {
        openerWritesDuringDigs(fs, true);
    }

    /**
     * As above, but the listener does not wait for the writer, which writes while the dig reads on, into the
     * zero granules of the first 3 MiB: runs read under the lease and handed over before it was broken,
     * which are punched before it is given up. (Writes into runs read after that are proven as without a
     * lease, with the window README describes: in 1 or 2 of 12 digs such a write was lost on tmpfs, ext4 and
     * xfs, as without the lease.) Failed at 2b687ef, also before the second reader: those runs were read
     * again and punched while the opener wrote.
     */
    @ParameterizedTest
    @EnumSource(names = {"TMPFS", "EXT4", "XFS", "BTRFS"})
    void anOpenerWritingWhileTheDigRunsLosesNothingUnderTheLease(Fs fs) throws Exception {
        openerWritesDuringDigs(fs, false);
    }

    private void openerWritesDuringDigs(Fs fs, boolean listenerWaits) throws Exception {
        // Twelve digs a filesystem and lease setting natively (a loss showed in 1 to 5 of 12 before the
        // fix); three under qemu-user, where each takes some seconds.
        int rounds = Sh.emulator() == null ? 12 : 3;
        StringBuilder report = new StringBuilder();
        for (Lease lease : Lease.values()) {
            int lost = 0;
            int bytesLost = 0;
            for (int round = 0; round < rounds; round++) {
                Path file = Mounts.dir(fs).resolve("r-" + lease);
                byte[] bytes = create(file);
                if (lease == Lease.OFF) {
                    System.setProperty("fallocate4j.lease", "false");
                }
                List<Integer> targets = everySeventhZeroGranule(bytes);
                if (!listenerWaits) {
                    targets.removeIf(t -> t >= 3 * MIB); // read and handed over before the break
                }
                Thread[] writer = new Thread[1];
                SparseFiles.digHoles(file, 0, Long.MAX_VALUE, new DigListener() {
                    @Override
                    public void progress(long offset) {
                        if (writer[0] == null && offset >= 4L * MIB) {
                            writer[0] = new Thread(() -> {
                                try {
                                    writeGranules(file, targets);
                                } catch (IOException e) {
                                    throw new UncheckedIOException(e);
                                }
                            });
                            writer[0].start();
                            if (listenerWaits) {
                                join(writer[0]);
                            }
                        }
                    }
                });
                join(writer[0]);
                System.clearProperty("fallocate4j.lease");
                byte[] now = Files.readAllBytes(file);
                int l = 0;
                for (int t : targets) {
                    if (now[t] != 0x55) {
                        l++;
                        report.append(lease).append("@").append(t / 1024).append("K ");
                    }
                }
                if (l > 0) {
                    lost++;
                    bytesLost += l;
                }
                Files.delete(file);
            }
            report.append(fs).append(" lease ").append(lease).append(": ").append(lost).append("/").append(rounds).append(" rounds lost writes, ")
                    .append(bytesLost).append(" writes lost; ");
        }
        System.out.println("LOSSRATE " + report);
        assertFalse(report.toString().matches(".*lease ON: [1-9].*"), report.toString());
    }

    /** The listener throws (unchecked, and an Error) mid-stretch: no thread, descriptor or lease is left, nor a byte changed. */
    @ParameterizedTest
    @EnumSource(names = {"TMPFS", "EXT4"})
    void aListenerThatThrowsLeavesNothingBehind(Fs fs) throws Exception {
        for (boolean error : new boolean[] {false, true}) {
            for (boolean dryRun : new boolean[] {false, true}) {
                Path file = Mounts.dir(fs).resolve("t");
                byte[] bytes = create(file);
                Leftovers before = Leftovers.of(file);
                DigListener thrower = new DigListener() {
                    @Override
                    public void progress(long offset) {
                        if (offset >= 10L * MIB) {
                            if (error) {
                                throw new AssertionError("listener");
                            }
                            throw new IllegalStateException("listener");
                        }
                    }
                };
                DigOption[] options = dryRun ? new DigOption[] {DigOption.DRY_RUN} : new DigOption[0];
                Throwable thrown = assertThrows(Throwable.class, () -> SparseFiles.digHoles(file, 0, Long.MAX_VALUE, thrower, options));
                assertEquals("listener", thrown.getMessage());
                assertArrayEquals(bytes, Files.readAllBytes(file), "the bytes");
                Leftovers.of(file).assertNoMoreThan(before);
                Files.delete(file);
            }
        }
    }

    /**
     * A caller interrupted before the dig: same runs, holes, and the interrupt still set after. The check of the
     * interrupt was left out at 416ec39 after it failed twice on JNA (JDK 17) in full runs, untraced; not
     * reproduced since in 300 interrupted digs on JDK 17 (lease, lease broken by an opener, channel, lock, dry
     * run), where a JDI trace of every clearing of the caller's interrupt found each restored (the hand-over
     * queue's and the joins' in Uninterruptibly, and the JDK's class loading).
     */
    @ParameterizedTest
    @EnumSource(names = {"EXT4", "XFS"})
    void anInterruptedCallerDigsAllTheSame(Fs fs) throws Exception {
        Path file = Mounts.dir(fs).resolve("i");
        byte[] bytes = create(file);
        Leftovers before = Leftovers.of(file);
        Recorder dry = new Recorder();
        Thread.currentThread().interrupt();
        DigResult found;
        DigResult dug;
        Recorder dig = new Recorder();
        try {
            found = SparseFiles.digHoles(file, 0, Long.MAX_VALUE, dry, DigOption.DRY_RUN);
            dug = SparseFiles.digHoles(file, 0, Long.MAX_VALUE, dig);
            assertTrue(Thread.currentThread().isInterrupted(), "the interrupt is kept");
        } finally {
            Thread.interrupted();
        }
        List<long[]> expected = zeroRuns(bytes, blockSize(file), 0, bytes.length);
        dry.assertSaw(expected, found, "dry run");
        dig.assertSaw(expected, dug, "dig");
        assertDug(file, bytes, fs.toString());
        Leftovers.of(file).assertNoMoreThan(before);
    }

    /** An interrupt arriving while the dig reads (from the listener): the dig goes on, and the interrupt is still set after. */
    @ParameterizedTest
    @EnumSource(names = {"EXT4", "XFS"})
    void anInterruptDuringTheDigIsKept(Fs fs) throws Exception {
        Path file = Mounts.dir(fs).resolve("id");
        byte[] bytes = create(file);
        List<long[]> expected = zeroRuns(bytes, blockSize(file), 0, bytes.length);
        for (DigOption[] options : new DigOption[][] {{DigOption.DRY_RUN}, {}}) {
            Recorder report = new Recorder() {
                @Override
                public void progress(long offset) {
                    super.progress(offset);
                    if (offset >= 4L * MIB && offset < 5L * MIB) {
                        Thread.currentThread().interrupt();
                    }
                }
            };
            DigResult result;
            boolean kept;
            try {
                result = SparseFiles.digHoles(file, 0, Long.MAX_VALUE, report, options);
            } finally {
                kept = Thread.interrupted();
            }
            String what = options.length == 0 ? "dig" : "dry run";
            assertTrue(kept, what + ": the interrupt is kept");
            report.assertSaw(expected, result, what);
        }
        assertDug(file, bytes, fs.toString());
    }

    /**
     * The listener truncates the file by path to 12 MiB once the dig has read 8 MiB: a single reader then
     * finds the file's end at 12 MiB and reports nothing past it (as the dig of an uncached file does); the
     * bytes left are the first 12 MiB, every zero granule in them a hole.
     */
    @ParameterizedTest
    @EnumSource(names = {"EXT4", "XFS"})
    void aTruncationByTheListenerEndsTheReportWhereTheFileNowEnds(Fs fs) throws Exception {
        truncatedByTheListener(fs, new DigOption[0]);
    }

    /** As above, in a dry run: there no lease tells the dig the file changed. */
    @ParameterizedTest
    @EnumSource(names = {"EXT4", "XFS"})
    void aTruncationByTheListenerEndsTheDryRunsReportWhereTheFileNowEnds(Fs fs) throws Exception {
        truncatedByTheListener(fs, new DigOption[] {DigOption.DRY_RUN});
    }

    private void truncatedByTheListener(Fs fs, DigOption[] options) throws IOException {
        {
            Path file = Mounts.dir(fs).resolve("tr");
            byte[] bytes = create(file);
            Recorder report = new Recorder() {
                @Override
                public void progress(long offset) {
                    super.progress(offset);
                    if (offset >= 8L * MIB && offset < 9L * MIB) {
                        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                            ch.truncate(12L * MIB);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }
                }
            };
            SparseFiles.digHoles(file, 0, Long.MAX_VALUE, report, options);
            String what = options.length == 0 ? "dig" : "dry run";
            assertEquals(12L * MIB, Files.size(file));
            byte[] kept = Arrays.copyOf(bytes, 12 * MIB);
            assertArrayEquals(kept, Files.readAllBytes(file), what + ": the bytes");
            long lastReported = report.runs.isEmpty() ? 0 : report.runs.get(report.runs.size() - 1)[0];
            assertTrue(lastReported < 12L * MIB, what + ": a run reported at " + lastReported + ", past the end at 12 MiB");
            assertTrue(report.progress.get(report.progress.size() - 1) <= 12L * MIB,
                    what + ": progress reported past the end: " + report.progress.get(report.progress.size() - 1));
            Files.delete(file);
        }
    }

    /**
     * Only some MiBs cached, the range neither from 0 nor to the end, starting and ending inside blocks:
     * the runs reported are those of the blocks wholly in the range, in order, and the MiBs cached before
     * are cached after, the others not.
     */
    @ParameterizedTest
    @EnumSource(names = {"EXT4", "XFS", "BTRFS"})
    void aPartlyCachedRangeIsReportedAndDugAsByOneReader(Fs fs) throws Exception {
        Path file = Mounts.dir(fs).resolve("p");
        byte[] bytes = create(file);
        uncache(file);
        boolean[] cachedMib = new boolean[FILE_MIB];
        long[] residentBefore = new long[FILE_MIB];
        try (FileChannel ch = FileChannel.open(file)) {
            ByteBuffer sink = ByteBuffer.allocate(MIB);
            for (int m = 0; m < FILE_MIB; m++) {
                cachedMib[m] = (m >= 2 && m < 9) || (m >= 13 && m < 20);
                if (cachedMib[m]) {
                    sink.clear();
                    ch.read(sink, (long) m * MIB);
                }
            }
        }
        for (int m = 0; m < FILE_MIB; m++) {
            residentBefore[m] = SparseFiles.residency(file, (long) m * MIB, MIB).residentPages();
        }
        long block = blockSize(file);
        long offset = 3L * MIB - 100;
        long len = 18L * MIB + 777;
        long first = (offset + block - 1) / block * block;
        long last = (offset + len) / block * block;
        List<long[]> expected = zeroRuns(bytes, block, first, last);
        Recorder dry = new Recorder();
        dry.assertSaw(expected, SparseFiles.digHoles(file, offset, len, dry, DigOption.DRY_RUN), "dry run");
        Recorder dig = new Recorder();
        dig.assertSaw(expected, SparseFiles.digHoles(file, offset, len, dig), "dig");
        for (long[] run : expected) {
            try (Stream<Region> regions = SparseFiles.regions(file)) {
                List<Region> holes = regions.filter(Region::isHole).collect(Collectors.toList());
                assertTrue(holes.stream().anyMatch(h -> h.offset() <= run[0] && h.end() >= run[0] + run[1]),
                        "a hole over " + run[0] + "+" + run[1]);
            }
        }
        for (int m = 0; m < FILE_MIB; m++) {
            long resident = SparseFiles.residency(file, (long) m * MIB, MIB).residentPages();
            if (residentBefore[m] == 0 && m >= 3 && m < 21) { // past the range, read-ahead may stay (README)
                assertEquals(0, resident, "MiB " + m + " was not cached before the dig");
            }
        }
        assertArrayEquals(bytes, Files.readAllBytes(file), "the bytes");
    }

    /**
     * Two threads dig two cached files and a third dry-runs a third at once: each is reported and dug as
     * alone. On the 320 MiB xfs only: the three 24 MiB files filled the suite's 128 MiB ext4 (1 KiB blocks)
     * with what other tests leave there (ENOSPC writing them, in CI's JDK 21 chroot).
     */
    @ParameterizedTest
    @EnumSource(names = {"XFS"})
    void parallelDigsAreEachAsAlone(Fs fs) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<?>> done = new ArrayList<>();
            Path shared = Mounts.dir(fs).resolve("shared");
            byte[] sharedBytes = create(shared);
            for (int t = 0; t < 3; t++) {
                int n = t;
                done.add(pool.submit(() -> {
                    Path file = n < 2 ? Mounts.dir(fs).resolve("par" + n) : shared;
                    byte[] bytes = n < 2 ? create(file) : sharedBytes;
                    Recorder r = new Recorder();
                    DigResult result = SparseFiles.digHoles(file, 0, Long.MAX_VALUE, r, n < 2 ? new DigOption[0] : new DigOption[] {DigOption.DRY_RUN});
                    r.assertSaw(zeroRuns(bytes, blockSize(file), 0, bytes.length), result, "dig " + n);
                    if (n < 2) {
                        assertDug(file, bytes, "file " + n);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertFalse(threadsAlive(), "no dig thread left");
    }

    // ---------------------------------------------------------------------------------------------------

    private byte[] create(Path file) throws IOException {
        synchronized (written) {
            written.add(file);
        }
        byte[] bytes = new byte[FILE_MIB * MIB];
        Random random = new Random(file.getFileName().toString().hashCode());
        boolean data = true;
        for (int at = 0; at < bytes.length; data = !data) {
            int granules = data ? 1 + random.nextInt(24) : 1 + random.nextInt(400);
            int end = Math.min(bytes.length, at + granules * GRANULE);
            if (data) {
                for (int b = at; b < end; b += 256) {
                    bytes[b] = (byte) (1 + random.nextInt(200));
                }
            }
            at = end;
        }
        Files.write(file, bytes);
        return bytes;
    }

    private static void uncache(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.force(true);
            Fallocate.posixFadvise(ch, 0, 0, Fallocate.POSIX_FADV_DONTNEED);
        }
    }

    private static long blockSize(Path file) throws IOException {
        return Files.getFileStore(file).getBlockSize();
    }

    private static List<Integer> everySeventhZeroGranule(byte[] bytes) {
        List<Integer> targets = new ArrayList<>();
        int zeros = 0;
        for (int at = 0; at < bytes.length; at += GRANULE) {
            if (isZero(bytes, at, GRANULE) && zeros++ % 7 == 3) {
                targets.add(at + 1000); // inside the granule
            }
        }
        return targets;
    }

    private static void writeGranules(Path file, List<Integer> targets) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            for (int t : targets) {
                ch.write(ByteBuffer.wrap(new byte[] {0x55}), t);
            }
        }
    }

    private static void applyWrites(byte[] bytes, List<Integer> targets) {
        for (int t : targets) {
            bytes[t] = 0x55;
        }
    }

    private static void join(Thread thread) {
        try {
            thread.join(20_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        assertFalse(thread.isAlive(), "the writer finished");
    }

    private static boolean threadsAlive() {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().startsWith(THREADS) && t.isAlive());
    }

    /** Descriptors to the file and leases on it, and dig threads, at a moment. */
    private record Leftovers(long fds, boolean lease, boolean threads) {
        static Leftovers of(Path file) throws IOException {
            long fds = 0;
            try (Stream<Path> all = Files.list(Path.of("/proc/self/fd"))) {
                for (Path fd : (Iterable<Path>) all::iterator) {
                    try {
                        if (Files.readSymbolicLink(fd).toString().startsWith(file.toString())) {
                            fds++;
                        }
                    } catch (IOException e) {
                        // gone meanwhile
                    }
                }
            }
            return new Leftovers(fds, ProcLocks.leaseOn(ProcLocks.key(file)), threadsAlive());
        }

        void assertNoMoreThan(Leftovers before) {
            assertEquals(before.fds, fds, "descriptors to the file");
            assertFalse(lease, "a lease left on the file");
            assertFalse(threads, "a dig thread left");
        }
    }


}
