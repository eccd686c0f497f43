package io.github.fallocate4j.cli;

import java.io.PrintStream;

/**
 * Where a command writes, and what it knows of how it was started.
 *
 * @param out              standard output
 * @param err              standard error
 * @param argv0            the program path as invoked (getopt's messages start with it), or null for the name
 * @param stderrIsTerminal whether stderr is a terminal, so a progress bar may be drawn on it
 */
record Console(PrintStream out, PrintStream err, String argv0, boolean stderrIsTerminal) {

    /**
     * The process's streams. The launcher passes {@code -Dfallocate4j.argv0="$0"} and, when {@code [ -t 2 ]},
     * {@code -Dfallocate4j.stderrIsTerminal=true}: the JVM itself cannot tell whether stderr alone is a terminal.
     */
    static Console system() {
        return new Console(System.out, System.err, System.getProperty("fallocate4j.argv0"),
                Boolean.getBoolean("fallocate4j.stderrIsTerminal"));
    }

    /** argv[0] for getopt diagnostics, falling back to the command's name. */
    String argv0(String name) {
        return argv0 == null || argv0.isEmpty() ? name : argv0;
    }
}
