package io.github.fallocate4j.internal;

import io.github.fallocate4j.FileSpaceException;
import io.github.fallocate4j.Region;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ref.Cleaner;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The lazy stream behind {@code SparseFiles.regions}: a {@link HoleMap} on a descriptor of the
 * library's own, closed when the stream is closed or, for a stream abandoned unclosed, once neither it
 * nor any iterator taken from it can be reached any more (a {@link Cleaner} watches the spliterator,
 * which both hold, so the descriptor cannot go while a walk may still use its number).
 */
public final class RegionStream {
    private static final class Holder {
        static final Cleaner CLEANER = Cleaner.create();
    }

    private RegionStream() {}

    /**
     * The regions of {@code [offset, end)} of {@code own}, which the stream now owns (closed also when
     * this throws). {@code callerOpen} is checked before each step: false ends the walk with a
     * {@link java.nio.channels.ClosedChannelException}, as a closed stream does.
     */
    public static Stream<Region> of(OpenFile own, long offset, long end, BooleanSupplier callerOpen)
            throws IOException {
        Closer closer = new Closer(own);
        HoleMap map;
        try {
            map = new HoleMap(own, offset, end, () -> !closer.closed.get() && callerOpen.getAsBoolean());
        } catch (FileSpaceException | RuntimeException e) {
            closer.run();
            throw e;
        }
        Walk walk = new Walk(map);
        Cleaner.Cleanable cleanable = Holder.CLEANER.register(walk, closer);
        return StreamSupport.stream(walk, false).onClose(cleanable::clean);
    }

    /** Closes the descriptor once; must not refer to the walk, or the walk would never become unreachable. */
    private static final class Closer implements Runnable {
        private final OpenFile file;
        private final AtomicBoolean closed = new AtomicBoolean();

        Closer(OpenFile file) {
            this.file = file;
        }

        @Override
        public void run() {
            if (closed.getAndSet(true)) {
                return;
            }
            try {
                OpenFiles.close(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** The map as a spliterator; errors surface as {@link UncheckedIOException}, the Stream API's way. */
    private static final class Walk extends Spliterators.AbstractSpliterator<Region> {
        private final HoleMap map;

        Walk(HoleMap map) {
            super(Long.MAX_VALUE, Spliterator.ORDERED | Spliterator.NONNULL | Spliterator.DISTINCT);
            this.map = map;
        }

        @Override
        public boolean tryAdvance(Consumer<? super Region> action) {
            if (!map.hasNext()) {
                return false;
            }
            try {
                action.accept(map.next());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return true;
        }
    }
}
