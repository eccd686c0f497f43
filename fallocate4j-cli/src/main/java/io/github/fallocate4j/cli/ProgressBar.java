package io.github.fallocate4j.cli;

/** A one-line progress bar on stderr for long hole digging; drawn only on a terminal. */
final class ProgressBar {
    private static final int WIDTH = 40;
    private final Console console;
    private final long total;
    private final boolean enabled;
    private int shownPercent = -1;

    private ProgressBar(Console console, long total, boolean enabled) {
        this.console = console;
        this.total = total;
        this.enabled = enabled;
    }

    /** A bar for a file of {@code size} bytes: active only on a terminal and above the size threshold. */
    static ProgressBar forFile(Console console, long size) {
        return new ProgressBar(console, size,
                console.stderrIsTerminal() && size > FallocateCommand.PROGRESS_THRESHOLD);
    }

    void show(long done) {
        if (!enabled) {
            return;
        }
        int percent = (int) Math.min(100, done * 100 / total);
        if (percent == shownPercent) {
            return;
        }
        shownPercent = percent;
        int filled = percent * WIDTH / 100;
        console.err().print("\r[" + "#".repeat(filled) + " ".repeat(WIDTH - filled) + "] " + percent + "%");
        console.err().flush();
    }

    /** Shows 100% (the holes after the last data are done without reading), then erases the bar. */
    void finish() {
        show(total);
        clear();
    }

    /** Erases the bar, so the summary lines start on a clean line. */
    void clear() {
        if (enabled && shownPercent >= 0) {
            console.err().print("\r" + " ".repeat(WIDTH + 8) + "\r");
            console.err().flush();
            shownPercent = -1;
        }
    }
}
