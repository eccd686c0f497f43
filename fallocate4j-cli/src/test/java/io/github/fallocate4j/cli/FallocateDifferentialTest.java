package io.github.fallocate4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs each command line on a fresh file with the installed util-linux {@code /usr/bin/fallocate}
 * (2.38.1 on Debian 12) and with ours, and requires the same exit status, stdout, stderr, file size,
 * allocated bytes and contents. Both run as {@code /usr/bin/fallocate} on the same path, so even
 * getopt's argv[0] messages must match byte for byte.
 *
 * <p>2.38.1 words two messages differently from 2.42 ("invalid length value specified" became
 * "invalid length", the same for offset); its stderr is rewritten to 2.42's words before comparing.
 * Everything 2.38.1 does differently in substance is in {@link Fallocate242Test} instead.
 */
class FallocateDifferentialTest {
    private static final Path UTIL_LINUX = Path.of("/usr/bin/fallocate");

    @TempDir
    Path dir;

    /** A command line; "F" stands for the file. */
    record Case(Layouts layout, String args, boolean onTmpfs) {
        Case(Layouts layout, String args) {
            this(layout, args, false);
        }
    }

    static List<Case> cases() {
        List<Case> c = new ArrayList<>();
        Layouts m = Layouts.MISSING;
        Layouts s = Layouts.SPARSE;
        Layouts e = Layouts.EMPTY;
        // Plain allocation, sizes in every notation, creating a missing file.
        for (String size : List.of("1M", "1MiB", "1.5MiB", "0x100000", "010000", "1KB", "1MB", "2k", "3KiB",
                "1kb", "4096", "+4096", "0.5K", "1.25MiB", "1.05K", "7b", "1.010M", "1..5M", " 0x10K")) {
            c.add(new Case(m, "-l " + size + " F"));
        }
        c.add(new Case(s, "-l 2M F"));
        c.add(new Case(s, "-l 4096 F"));
        c.add(new Case(e, "-n -l 4M F"));
        c.add(new Case(s, "-n -o 1M -l 1M F"));
        c.add(new Case(s, "-o 4M -l 1M F"));
        // Each mode, quiet and verbose.
        for (String v : List.of("", "-v ")) {
            c.add(new Case(s, v + "-l 3M F"));
            c.add(new Case(s, v + "-p -o 4096 -l 8192 F"));
            c.add(new Case(s, v + "-z -o 0 -l 64KiB F"));
            c.add(new Case(s, v + "-z -n -o 1M -l 1M F"));
            c.add(new Case(s, v + "-c -o 64KiB -l 64KiB F"));
            c.add(new Case(s, v + "-i -o 64KiB -l 64KiB F"));
            c.add(new Case(m, v + "-x -l 2M F"));
            c.add(new Case(s, v + "-x -o 1M -l 1M F"));
        }
        c.add(new Case(s, "-d F"));
        c.add(new Case(s, "-d -o 64KiB -l 128KiB F"));
        c.add(new Case(e, "-d F"));
        c.add(new Case(s, "-p -l 1 F"));
        // Spellings: clusters, attached arguments, long options, abbreviations, operands first, "--".
        c.add(new Case(m, "-nl1M F"));
        c.add(new Case(m, "-vnl 1M F"));
        c.add(new Case(s, "-vpo4096 -l4096 F"));
        c.add(new Case(m, "--length=1M F"));
        c.add(new Case(m, "--len 1M F"));
        c.add(new Case(m, "--keep-size --length 1M F"));
        c.add(new Case(s, "--offset=4096 --length=4096 --punch-hole --verb F"));
        c.add(new Case(m, "F -l 1M"));
        c.add(new Case(m, "-l 1M -- F"));
        c.add(new Case(m, "-v F -l1M -n"));
        // Mistakes.
        c.add(new Case(m, ""));
        c.add(new Case(m, "F G"));
        c.add(new Case(m, "-l"));
        c.add(new Case(m, "F -l"));
        c.add(new Case(m, "--length"));
        c.add(new Case(m, "--foo F"));
        c.add(new Case(m, "--foo=bar F"));
        c.add(new Case(m, "--keep-size=1 -l 1 F"));
        c.add(new Case(m, "-q F"));
        c.add(new Case(m, "-nq F"));
        c.add(new Case(m, "--p F"));
        c.add(new Case(m, "--v F"));
        c.add(new Case(m, "--ver F"));
        c.add(new Case(m, "-l 1M"));
        c.add(new Case(m, "F"));
        for (String size : List.of("abc", "-1", "0", "1.5", "99999999999999999999", "16E", "8E", "1Z", "1Y",
                "1Q", "1KiBB", "1 K", "", "0x", "08", "1.M", "1e3", " -1", "1.5.5M", "1iB", "1KiB ")) {
            c.add(new Case(m, "-l '" + size + "' F"));
            c.add(new Case(m, "-o '" + size + "' -l 4096 F"));
        }
        c.add(new Case(s, "-d -l -1 F"));
        c.add(new Case(s, "-d -l 0 F"));
        c.add(new Case(m, "-p -l 4096 F"));
        c.add(new Case(m, "-z -l 4096 F"));
        c.add(new Case(m, "-l 1 ''"));
        c.add(new Case(Layouts.DIRECTORY, "-l 1M F"));
        c.add(new Case(s, "-c -o 1 -l 4096 F"));
        c.add(new Case(s, "-c -o 1M -l 1M F"));
        c.add(new Case(s, "-o 9223372036854775807 -l 1 F"));
        c.add(new Case(s, "-l 18446744073709551614 F"));
        // tmpfs has no collapse, insert or zero range.
        c.add(new Case(s, "-c -o 0 -l 64KiB F", true));
        c.add(new Case(s, "-i -o 0 -l 64KiB F", true));
        c.add(new Case(s, "-z -o 0 -l 64KiB F", true));
        c.add(new Case(s, "-z -n -o 0 -l 64KiB F", true));
        c.add(new Case(s, "-p -o 0 -l 64KiB F", true));
        c.add(new Case(s, "-d F", true));
        return c;
    }

    @TestFactory
    Stream<DynamicTest> sameAsUtilLinux() {
        assumeTrue(Files.isExecutable(UTIL_LINUX), "util-linux fallocate is not installed at " + UTIL_LINUX);
        return cases().stream().map(c -> DynamicTest.dynamicTest(
                c.layout() + (c.onTmpfs() ? " on tmpfs" : "") + ": fallocate " + c.args(), () -> check(c)));
    }

    private void check(Case c) throws Exception {
        Path base = dir;
        if (c.onTmpfs()) {
            assumeTrue(Files.isDirectory(Path.of("/dev/shm")), "no tmpfs at /dev/shm");
            base = Files.createTempDirectory(Path.of("/dev/shm"), "fallocate4j-cli");
        }
        Path file = base.resolve("f");
        List<String> args = Shell.split(c.args()).stream().map(a -> a.equals("F") ? file.toString() : a).toList();
        try {
            c.layout().create(file);
            List<String> command = new ArrayList<>(List.of(UTIL_LINUX.toString()));
            command.addAll(args);
            Outcome theirs = Outcome.process(command, file);
            theirs = new Outcome(theirs.status(), theirs.out(), reword238(theirs.err()), theirs.file());
            Layouts.remove(file);

            c.layout().create(file);
            Outcome ours = Outcome.ours(FallocateCommand::run, UTIL_LINUX.toString(), args, file);
            assertEquals(theirs, ours);
        } finally {
            Layouts.remove(file);
            if (c.onTmpfs()) {
                Files.delete(base);
            }
        }
    }

    /** 2.38.1's wording, in 2.42's words. */
    static String reword238(String err) {
        return err.replace("invalid length value specified", "invalid length")
                .replace("invalid offset value specified", "invalid offset");
    }

    /** A tiny shell-like splitter: blanks separate words, '...' quotes (and may be empty). */
    static final class Shell {
        static List<String> split(String line) {
            List<String> words = new ArrayList<>();
            StringBuilder word = null;
            boolean quoted = false;
            for (char ch : line.toCharArray()) {
                if (ch == '\'') {
                    quoted = !quoted;
                    if (word == null) {
                        word = new StringBuilder();
                    }
                } else if (ch == ' ' && !quoted) {
                    if (word != null) {
                        words.add(word.toString());
                        word = null;
                    }
                } else {
                    if (word == null) {
                        word = new StringBuilder();
                    }
                    word.append(ch);
                }
            }
            if (word != null) {
                words.add(word.toString());
            }
            return words;
        }
    }

}
