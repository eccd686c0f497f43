package io.github.fallocate4j.fs;

import io.github.fallocate4j.fs.FileModel.Kind;
import io.github.fallocate4j.fs.FileModel.Op;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.EnumMap;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Group;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.state.Action;
import net.jqwik.api.state.ActionChain;
import net.jqwik.api.state.Transformer;

/**
 * Model-based random testing: random sequences of write, truncate, allocate (± KEEP_SIZE), punch,
 * zero (± KEEP_SIZE), collapse and insert, some deliberately invalid, applied to a real file and to
 * {@link FileModel}; size and every byte compared after every step. On a divergence jqwik shrinks the
 * sequence and prints it. {@code -Dfallocate4j.model.ops=N} sets the ops per filesystem (20,000 by
 * default; the {@code soak} profile runs 1,000,000).
 */
class ModelTest {
    private static final int TRIES = 40;
    private static final int OPS = Integer.getInteger("fallocate4j.model.ops", 20_000);
    private static final int STEPS = Math.max(1, OPS / TRIES);
    private static final Map<Fs, long[]> DONE = new EnumMap<>(Fs.class);
    private static final Map<Fs, FileModel> OPEN = new EnumMap<>(Fs.class);

    /** The property, run once per filesystem by the groups below. */
    abstract class OnFilesystem {
        private final Fs fs = getClass().getAnnotation(On.class).value();

        @Property(tries = TRIES)
        @AddLifecycleHook(On.SkipUnavailable.class)
        void randomOperationsMatchTheModel(@ForAll("chains") ActionChain<FileModel> chain) {
            FileModel end = chain.run();
            synchronized (DONE) {
                DONE.computeIfAbsent(fs, f -> new long[1])[0] += end.ops();
            }
        }

        @Provide
        Arbitrary<ActionChain<FileModel>> chains() {
            return ActionChain.<FileModel>startWith(() -> fresh(fs))
                    .withAction((Action.Dependent<FileModel>) ModelTest::ops)
                    .withMaxTransformations(STEPS);
        }
    }

    @Group
    @On(Fs.TMP)
    class TmpDirectory extends OnFilesystem {}

    @Group
    @On(Fs.EXT4)
    class Ext4 extends OnFilesystem {}

    @Group
    @On(Fs.XFS)
    class Xfs extends OnFilesystem {}

    @Group
    @On(Fs.BTRFS)
    class Btrfs extends OnFilesystem {}

    @Group
    @On(Fs.TMPFS)
    class Tmpfs extends OnFilesystem {}

    @AfterContainer
    static void closeAndCountOps() throws IOException {
        for (FileModel m : OPEN.values()) {
            m.close();
        }
        OPEN.clear();
        DONE.forEach((fs, done) -> {
            System.out.println("ModelTest: " + done[0] + " ops on " + fs);
            if (done[0] < OPS) {
                throw new AssertionError(fs + ": only " + done[0] + " of " + OPS + " ops ran");
            }
        });
    }

    /** One file per filesystem, emptied for each sequence. */
    private static synchronized FileModel fresh(Fs fs) {
        try {
            FileModel old = OPEN.remove(fs);
            if (old != null) {
                old.close();
            }
            FileModel m = new FileModel(Mounts.root(fs).resolve("model-" + fs));
            OPEN.put(fs, m);
            return m;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The next step, chosen for the file as it is now: mostly valid, some deliberately not. */
    @SuppressWarnings("unchecked")
    private static Arbitrary<Transformer<FileModel>> ops(FileModel s) {
        int b = (int) s.block;
        int size = s.size();
        int blocks = size / b;
        Arbitrary<Integer> offset = Arbitraries.integers().between(0, Math.min(FileModel.MAX - 1, size + 2 * b));
        Arbitrary<Integer> length = Arbitraries.integers().between(1, 64 << 10);
        Arbitrary<Integer> seed = Arbitraries.integers();
        Arbitrary<Integer> alignedOffset = Arbitraries.integers().between(0, Math.max(0, blocks - 1)).map(k -> k * b);
        Arbitrary<Integer> alignedLength = Arbitraries.integers().between(1, Math.max(1, Math.min(16, blocks - 1))).map(m -> m * b);
        Arbitrary<Integer> roomLeft = Arbitraries.integers().between(1, Math.max(1, Math.min(16, (FileModel.MAX - size) / b))).map(m -> m * b);
        return Arbitraries.frequencyOf(
                Tuple.of(5, Combinators.combine(offset, length, seed).as((o, l, r) -> op(Kind.WRITE, o, Math.min(l, FileModel.MAX - o), r))),
                Tuple.of(1, offset.map(o -> op(Kind.TRUNCATE, o, 0, 0))),
                Tuple.of(2, ranged(Kind.ALLOCATE, offset, length)),
                Tuple.of(2, ranged(Kind.ALLOCATE_KEEP_SIZE, offset, length)),
                Tuple.of(3, ranged(Kind.PUNCH, offset, length)),
                Tuple.of(2, ranged(Kind.ZERO, offset, length)),
                Tuple.of(2, ranged(Kind.ZERO_KEEP_SIZE, offset, length)),
                Tuple.of(3, Combinators.combine(alignedOffset, alignedLength).as((o, l) -> op(Kind.COLLAPSE, o, l, 0))),
                Tuple.of(3, Combinators.combine(alignedOffset, roomLeft).as((o, l) -> op(Kind.INSERT, size + l > FileModel.MAX ? size : o, l, 0))),
                // Invalid on purpose: must fail and change nothing.
                Tuple.of(1, Combinators.combine(offset, length).as((o, l) -> op(Kind.COLLAPSE, o, l, 0))),
                Tuple.of(1, Combinators.combine(offset, length).as((o, l) -> op(Kind.INSERT, o, l, 0))),
                Tuple.of(1, alignedLength.map(l -> op(Kind.COLLAPSE, Math.max(0, size - l), l, 0))),
                Tuple.of(1, alignedLength.map(l -> op(Kind.INSERT, (blocks + 1L) * b, l, 0))),
                Tuple.of(1, Arbitraries.of(Kind.values()).filter(k -> k != Kind.TRUNCATE).map(k -> op(k, -b, b, 0))));
    }

    private static Arbitrary<Transformer<FileModel>> ranged(Kind kind, Arbitrary<Integer> offset, Arbitrary<Integer> length) {
        return Combinators.combine(offset, length).as((o, l) -> op(kind, o, Math.min(l, FileModel.MAX - o), 0));
    }

    private static Transformer<FileModel> op(Kind kind, long offset, long len, int seed) {
        Op op = new Op(kind, offset, len, seed);
        return Transformer.mutate(op.toString(), s -> s.apply(op));
    }
}
