package io.github.fallocate4j.cli;

import java.io.PrintStream;
import java.util.function.LongConsumer;

/**
 * A progress bar on stderr for digging through a big file: only when stderr is a terminal (the
 * launcher checks isatty(2) and sets {@code fallocate4j.stderrTty}), never in pipes or redirections,
 * and only for ranges over {@link #THRESHOLD}. Redrawn at most once per percent, erased when done.
 */
final class ProgressBar implements LongConsumer, AutoCloseable {
    /** Ranges smaller than this are done before a bar would help. */
    static final long THRESHOLD = 256L << 20;
    private static final int WIDTH = 40;

    private final PrintStream err;
    private final long start;
    private final long end;
    private int shown = -1;

    private ProgressBar(PrintStream err, long start, long end) {
        this.err = err;
        this.start = start;
        this.end = end;
    }

    /** A bar for {@code [start, end)}, or a consumer that ignores progress when no bar is wanted. */
    static LongConsumer forFile(PrintStream err, long start, long end) {
        boolean tty = "1".equals(System.getProperty("fallocate4j.stderrTty"));
        return tty && end - start > THRESHOLD ? new ProgressBar(err, start, end) : position -> { };
    }

    @Override
    public void accept(long position) {
        int percent = (int) Math.min(100, (position - start) * 100 / (end - start));
        if (percent == shown) {
            return;
        }
        shown = percent;
        int filled = percent * WIDTH / 100;
        err.print("\r[" + "#".repeat(filled) + " ".repeat(WIDTH - filled) + "] " + percent + "% "
                + Sizes.human(position - start) + " / " + Sizes.human(end - start) + "\033[K");
        err.flush();
    }

    /** Erases the bar, so that what follows starts on a clean line. */
    @Override
    public void close() {
        if (shown >= 0) {
            err.print("\r\033[K");
            err.flush();
        }
    }
}
