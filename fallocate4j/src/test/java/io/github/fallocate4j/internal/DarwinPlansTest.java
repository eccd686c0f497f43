package io.github.fallocate4j.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.fallocate4j.internal.DarwinPlans.Allocation;
import io.github.fallocate4j.internal.DarwinPlans.FileFacts;
import io.github.fallocate4j.internal.DarwinPlans.Punch;
import io.github.fallocate4j.internal.DarwinPlans.Span;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * The macOS emulation's decisions ({@link DarwinPlans}), on random files (size, block size, holes,
 * space reserved past the end) and ranges. Pure arithmetic: these prove what the emulation asks of
 * macOS, not what macOS then does, which only a run on a Mac shows.
 */
class DarwinPlansTest {
    private static final long MIB = 1 << 20;

    /** A file and a range: the facts the planner gets and the call's arguments. */
    record Case(FileFacts file, long offset, long len) {
        long end() {
            return offset + len;
        }
    }

    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<Long> blockSize = Arbitraries.of(512L, 4096L, 16384L);
        return blockSize.flatMap(block -> {
            Arbitrary<Integer> blocks = Arbitraries.integers().between(0, 40);
            Arbitrary<Long> tail = Arbitraries.longs().between(0, block - 1);
            Arbitrary<List<Boolean>> holeBits = Arbitraries.of(true, false).list().ofSize(41);
            Arbitrary<Integer> reservedBlocks = Arbitraries.integers().between(0, 8);
            Arbitrary<Long> offset = Arbitraries.longs().between(0, 50 * block);
            Arbitrary<Long> len = Arbitraries.longs().between(1, 50 * block);
            return Combinators.combine(blocks, tail, holeBits, reservedBlocks, offset, len)
                    .as((n, t, bits, reserved, off, l) -> new Case(file(block, n * block + (n == 0 ? 0 : t), bits, reserved), off, l));
        });
    }

    /** A file of {@code size} bytes whose whole blocks are holes where {@code holeBits} says, with space reserved past its end. */
    static FileFacts file(long block, long size, List<Boolean> holeBits, int reservedBlocks) {
        List<Span> holes = new ArrayList<>();
        long data = 0;
        for (long at = 0; at < size; at += block) {
            long end = Math.min(size, at + block);
            if (holeBits.get((int) (at / block))) {
                Span last = holes.isEmpty() ? null : holes.get(holes.size() - 1);
                if (last != null && last.end() == at) {
                    holes.set(holes.size() - 1, new Span(last.start(), end));
                } else {
                    holes.add(new Span(at, end));
                }
            } else {
                data += block;
            }
        }
        return new FileFacts(size, data + reservedBlocks * block, block, holes);
    }

    private static long covered(List<Span> spans, long start, long end) {
        long bytes = 0;
        for (Span span : DarwinPlans.clip(spans, start, end)) {
            bytes += span.length();
        }
        return bytes;
    }

    private static boolean inside(Span span, long start, long end) {
        return span.start() >= start && span.end() <= end;
    }

    @Property
    void allocationNeverShrinksTheFile(@ForAll("cases") Case c, @ForAll boolean keepSize) {
        Allocation plan = DarwinPlans.allocate(c.file(), c.offset(), c.len(), keepSize);
        assertTrue(plan.truncateTo() == -1 || plan.truncateTo() > c.file().size(), () -> plan + " for " + c);
        if (keepSize) {
            assertEquals(-1, plan.truncateTo(), "KEEP_SIZE never changes the size");
        } else {
            assertEquals(c.end() > c.file().size() ? c.end() : -1, plan.truncateTo(), "mode 0 grows to offset+len");
        }
    }

    @Property
    void allocationLeavesNoHoleInTheRange(@ForAll("cases") Case c, @ForAll boolean keepSize) {
        Allocation plan = DarwinPlans.allocate(c.file(), c.offset(), c.len(), keepSize);
        long end = Math.min(c.end(), c.file().size());
        long holeBytes = covered(c.file().holes(), c.offset(), end);
        assertEquals(holeBytes, covered(plan.zeroFills(), c.offset(), end), () -> plan + " for " + c);
    }

    @Property
    void allocationWritesOnlyHolesOfTheRangeInsideTheFile(@ForAll("cases") Case c, @ForAll boolean keepSize) {
        Allocation plan = DarwinPlans.allocate(c.file(), c.offset(), c.len(), keepSize);
        for (Span fill : plan.zeroFills()) {
            assertTrue(inside(fill, c.offset(), Math.min(c.end(), c.file().size())), () -> fill + " of " + plan + " for " + c);
            assertEquals(fill.length(), covered(c.file().holes(), fill.start(), fill.end()), () -> fill + " is not all hole: " + c);
        }
    }

    @Property
    void preallocationAsksExactlyForTheRangePastTheEndNotYetReserved(@ForAll("cases") Case c, @ForAll boolean keepSize) {
        Allocation plan = DarwinPlans.allocate(c.file(), c.offset(), c.len(), keepSize);
        long pastEnd = Math.max(0, c.end() - Math.max(c.offset(), c.file().size()));
        assertTrue(plan.preallocate() <= pastEnd, () -> "asks for more than the range: " + plan + " for " + c);
        assertTrue(plan.preallocate() + c.file().reservedPastEnd() >= pastEnd, () -> "leaves part unreserved: " + plan + " for " + c);
        assertTrue(plan.preallocate() >= 0);
    }

    @Property
    void punchKeepsTheSizeAndZeroesEveryByteOfTheRange(@ForAll("cases") Case c) {
        Punch plan = DarwinPlans.punchHole(c.file(), c.offset(), c.len());
        long end = Math.min(c.end(), c.file().size());
        long block = c.file().blockSize();
        Span punch = plan.punch();
        if (punch.length() > 0) {
            assertEquals(0, punch.start() % block, () -> "unaligned punch " + plan + " for " + c);
            assertEquals(0, punch.end() % block, () -> "unaligned punch " + plan + " for " + c);
            assertTrue(inside(punch, c.offset(), end), () -> plan + " for " + c);
        }
        List<Span> zeroed = new ArrayList<>(c.file().holes());
        zeroed.add(punch);
        for (Span write : plan.zeroWrites()) {
            assertTrue(inside(write, c.offset(), end), () -> "writes outside the range or past the end: " + plan + " for " + c);
            assertEquals(0, covered(c.file().holes(), write.start(), write.end()), () -> "writes into a hole: " + plan + " for " + c);
            zeroed.add(write);
        }
        // Every byte of the range inside the file reads zero afterwards: hole, punched, or written over.
        long missing = 0;
        for (long at = c.offset(); at < end; at++) {
            long byteAt = at;
            if (zeroed.stream().noneMatch(s -> s.start() <= byteAt && byteAt < s.end())) {
                missing++;
            }
        }
        assertEquals(0, missing, () -> plan + " for " + c);
    }

    @Property
    void readAdviceChunksFitAnIntAndCoverTheRange(@ForAll("bigOffsets") long offset, @ForAll("bigLengths") long len) {
        long end = Offsets.end(offset, len);
        long at = offset;
        for (long[] chunk : DarwinPlans.readAdviceChunks(offset, end)) {
            assertEquals(at, chunk[0]);
            assertTrue(chunk[1] > 0 && chunk[1] <= Integer.MAX_VALUE, () -> "count " + chunk[1]);
            at += chunk[1];
        }
        assertEquals(end, at);
    }

    @Provide
    Arbitrary<Long> bigOffsets() {
        return Arbitraries.longs().between(0, 1L << 40);
    }

    @Provide
    Arbitrary<Long> bigLengths() {
        return Arbitraries.longs().between(0, 20L << 30);
    }

    /** The Python package, rustix and others: ftruncate(offset+len) after F_PREALLOCATE, whatever the size. */
    @Test
    void aLargerFileIsNotShrunkAsThePeersDo() {
        FileFacts tenMib = new FileFacts(10 * MIB, 10 * MIB, 4096, List.of());
        Allocation plan = DarwinPlans.allocate(tenMib, 0, MIB, false);
        assertEquals(-1, plan.truncateTo(), "ftruncate(offset+len) would cut a 10 MiB file to 1 MiB");
        assertEquals(0, plan.preallocate(), "the range is allocated already");
        assertEquals(List.of(), plan.zeroFills());
    }

    /**
     * The Python package passes the caller's offset to F_PREALLOCATE, which end-of-file mode rejects
     * (EINVAL) for any offset but 0; the plan has a length only, and DarwinBackendTest checks that the
     * struct carries offset 0. The length counts from the end of the file, not from offset.
     */
    @Test
    void preallocationPastTheEndCountsFromTheEndNotFromTheCallersOffset() {
        FileFacts oneMib = new FileFacts(MIB, MIB, 4096, List.of());
        Allocation plan = DarwinPlans.allocate(oneMib, MIB / 2, MIB, false);
        assertEquals(MIB / 2, plan.preallocate(), "only the half of the range past the end needs space");
        assertEquals(MIB + MIB / 2, plan.truncateTo());
    }

    @Test
    void holesInsideTheRangeAreWrittenWithZeros() {
        FileFacts sparse = new FileFacts(4 * MIB, 2 * MIB, 4096, List.of(new Span(MIB, 2 * MIB), new Span(3 * MIB, 4 * MIB)));
        Allocation plan = DarwinPlans.allocate(sparse, MIB / 2, 3 * MIB, true);
        assertEquals(List.of(new Span(MIB, 2 * MIB), new Span(3 * MIB, MIB / 2 + 3 * MIB)), plan.zeroFills());
        assertEquals(0, plan.preallocate());
        assertEquals(-1, plan.truncateTo());
    }

    @Test
    void spaceAlreadyReservedPastTheEndIsNotAskedForAgain() {
        FileFacts reserved = new FileFacts(MIB, 2 * MIB, 4096, List.of()); // KEEP_SIZE of 1 MiB earlier
        assertEquals(MIB, reserved.reservedPastEnd());
        assertEquals(0, DarwinPlans.allocate(reserved, 0, 2 * MIB, true).preallocate());
        assertEquals(MIB, DarwinPlans.allocate(reserved, 0, 3 * MIB, true).preallocate());
    }

    @Test
    void punchWithinOneBlockOnlyWritesZeros() {
        FileFacts file = new FileFacts(16384, 16384, 4096, List.of());
        Punch plan = DarwinPlans.punchHole(file, 100, 200);
        assertEquals(0, plan.punch().length());
        assertEquals(List.of(new Span(100, 300)), plan.zeroWrites());
    }

    @Test
    void punchPastTheEndNeverWritesPastIt() {
        FileFacts file = new FileFacts(10_000, 12_288, 4096, List.of());
        Punch plan = DarwinPlans.punchHole(file, 1000, 1 << 30);
        assertEquals(new Span(4096, 8192), plan.punch());
        assertEquals(List.of(new Span(1000, 4096), new Span(8192, 10_000)), plan.zeroWrites());
    }
}
