package io.github.fallocate4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** fadvise(1) of util-linux 2.42 (the installed 2.38 has none): options, messages and exit codes. */
class FadviseCommandTest {
    @TempDir
    Path dir;

    private Run run(String... args) {
        return Run.ours(FadviseCommand::run, "fadvise", List.of(args));
    }

    @Test
    void everyAdviceByNameOnAFile() throws IOException {
        Path file = Files.write(dir.resolve("f"), new byte[8192]);
        for (String advice : List.of("normal", "sequential", "random", "noreuse", "willneeded", "dontneed")) {
            Run r = run("-a", advice, "-o", "4096", "-l", "1KiB", file.toString());
            assertEquals(0, r.status(), advice + ": " + r.err());
            assertEquals("", r.out() + r.err());
        }
        assertEquals(0, run(file.toString()).status(), "dontneed by default");
        assertEquals(8192, Files.size(file));
    }

    @Test
    void aDescriptorNumber() {
        // Descriptor 1 is this JVM's stdout; advising it is harmless and, for a pipe, ESPIPE.
        Run r = run("--fd", "1");
        assertTrue(r.status() == 0 || r.err().equals("fadvise: failed to advise: Illegal seek\n"), r.err());
        assertEquals("fadvise: failed to advise: Bad file descriptor\n", run("-d", "999999").err());
    }

    @Test
    void messagesAndExitCodes() throws IOException {
        Path file = Files.write(dir.resolve("f"), new byte[10]);
        String tryHelp = "Try 'fadvise --help' for more information.\n";
        assertEquals(new Run(1, "", "fadvise: no file specified\n" + tryHelp), run());
        assertEquals(new Run(1, "", "fadvise: specify either file descriptor or file name\n" + tryHelp),
                run("-d", "3", file.toString()));
        assertEquals(new Run(1, "", "fadvise: specify one file descriptor or file name\n" + tryHelp),
                run(file.toString(), file.toString()));
        assertEquals(new Run(1, "", "fadvise: invalid advice argument: 'willneed'\n"), run("-a", "willneed", file.toString()));
        assertEquals(new Run(1, "", "fadvise: invalid length: 'x': Invalid argument\n"), run("-l", "x", file.toString()));
        assertEquals(new Run(1, "", "fadvise: invalid offset: '-1': Invalid argument\n"), run("-o", "-1", file.toString()));
        assertEquals(new Run(1, "", "fadvise: invalid fd argument: '3x'\n"), run("-d", "3x"));
        assertEquals(new Run(1, "", "fadvise: invalid fd argument: '99999999999': Numerical result out of range\n"),
                run("-d", "99999999999"));
        Path missing = dir.resolve("missing");
        assertEquals(new Run(1, "", "fadvise: cannot open " + missing + ": No such file or directory\n"),
                run(missing.toString()));
        assertEquals(new Run(1, "", "fadvise: invalid option -- 'x'\n" + tryHelp), run("-x"));
        assertEquals(new Run(1, "", "fadvise: option '--advice' requires an argument\n" + tryHelp), run("--advice"));
    }

    @Test
    void helpListsTheAdvice() {
        Run help = run("-h");
        assertEquals(0, help.status());
        assertTrue(help.out().contains("\nAvailable values for advice:\n  normal\n  sequential\n  random\n  noreuse\n"
                + "  willneeded\n  dontneed\n\nFor more details see fadvise(1).\n"), help.out());
        assertTrue(run("--version").out().startsWith("fadvise from fallocate4j"));
    }
}
