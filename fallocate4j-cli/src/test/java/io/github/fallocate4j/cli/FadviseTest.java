package io.github.fallocate4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * fadvise against util-linux 2.42's fadvise.c (Debian 12 does not ship fadvise, so there is nothing
 * to run side by side): its messages and exit codes, and that dontneed really empties the page cache.
 */
class FadviseTest {
    @TempDir
    Path dir;

    private Outcome run(String... args) throws Exception {
        return Outcome.ours(FadviseCommand::run, "fadvise", List.of(args), dir.resolve("none"));
    }

    private Path file() throws Exception {
        Path f = dir.resolve("f");
        Files.write(f, new byte[1 << 20], StandardOpenOption.CREATE, StandardOpenOption.SYNC);
        return f;
    }

    private static void assertFails(Outcome o, String err) {
        assertEquals(1, o.status());
        assertEquals("", o.out());
        assertEquals(err, o.err());
    }

    @Test
    void everyAdviceIsAccepted() throws Exception {
        String f = file().toString();
        for (String advice : List.of("normal", "sequential", "random", "noreuse", "willneeded", "dontneed")) {
            Outcome o = run("-a", advice, "-o", "4096", "-l", "8KiB", f);
            assertEquals(0, o.status(), advice);
            assertEquals("", o.out() + o.err(), advice);
        }
        assertEquals(0, run("--advice=random", "--offset", "0", "--length=0", f).status());
        // The kernel takes a range past 2^63-1 (it reaches the end of the file), and so does util-linux.
        Outcome pastTheEnd = run("-o", "9223372036854775807", "-l", "1", f);
        assertEquals(0, pastTheEnd.status(), pastTheEnd.err());
        assertEquals("", pastTheEnd.out() + pastTheEnd.err());
    }

    @Test
    void mistakesGetUtilLinuxMessages() throws Exception {
        String f = file().toString();
        String help = "Try 'fadvise --help' for more information.\n";
        assertFails(run(), "fadvise: no file specified\n" + help);
        assertFails(run("-d", "3", f), "fadvise: specify either file descriptor or file name\n" + help);
        assertFails(run(f, f), "fadvise: specify one file descriptor or file name\n" + help);
        assertFails(run("-a", "willneed", f), "fadvise: invalid advice argument: 'willneed'\n");
        assertFails(run("-l", "abc", f), "fadvise: invalid length: 'abc': Invalid argument\n");
        assertFails(run("-o", "16E", f), "fadvise: invalid offset: '16E': Numerical result out of range\n");
        assertFails(run("-o", "-1", f), "fadvise: invalid offset: '-1': Invalid argument\n");
        assertFails(run("-d", "abc"), "fadvise: invalid fd argument: 'abc'\n");
        assertFails(run("-d", "3x"), "fadvise: invalid fd argument: '3x'\n");
        assertFails(run("-d", "99999999999"), "fadvise: invalid fd argument: '99999999999': Numerical result out of range\n");
        assertFails(run("-d", "99999999999999999999"),
                "fadvise: invalid fd argument: '99999999999999999999': Numerical result out of range\n");
        assertFails(run("-d", "1000000"), "fadvise: failed to advise: Bad file descriptor\n");
        assertFails(run(dir.resolve("missing").toString()),
                "fadvise: cannot open " + dir.resolve("missing") + ": No such file or directory\n");
        // 8E is 2^63: a negative off_t in C. The kernel takes a negative offset, but not a negative length.
        Outcome negativeOffset = run("-o", "8E", f);
        assertEquals(0, negativeOffset.status(), negativeOffset.err());
        assertEquals("", negativeOffset.out() + negativeOffset.err());
        assertFails(run("-l", "8E", f), "fadvise: failed to advise: Invalid argument\n");
        assertFails(run("-d", "-5"), "fadvise: failed to advise: Bad file descriptor\n");
        assertFails(run("-x"), "fadvise: invalid option -- 'x'\n" + help);
        assertFails(run("--fd"), "fadvise: option '--fd' requires an argument\n" + help);
    }

    /**
     * Run without the launcher's record of the caller's descriptors, only 0, 1 and 2 are the caller's:
     * any other number may be one the JVM opened. In-process, {@code run} takes the number as given.
     */
    @Test
    @SuppressWarnings("try") // the RandomAccessFile is held open for its descriptor, never read
    void withoutTheLauncherOnlyTheStandardDescriptorsAreTheCallers() throws Exception {
        Path f = file();
        assertEquals(Set.of(0, 1, 2), FadviseCommand.callerFds(null));
        assertEquals(Set.of(0, 1, 2, 7), FadviseCommand.callerFds("0,1,2,7"));
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "r")) {
            String fd;
            try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
                fd = fds.filter(p -> f.toString().equals(link(p))).findFirst().orElseThrow().getFileName().toString();
            }
            Outcome notTheCallers = Outcome.ours((argv0, args, out, err) -> FadviseCommand.runBytes(argv0, args, out, err,
                    FadviseCommand.callerFds(null)), "fadvise", List.of("-d", fd), dir.resolve("none"));
            assertFails(notTheCallers, "fadvise: failed to advise: Bad file descriptor\n");
            assertEquals(0, run("-d", fd).status());
        }
    }

    private static String link(Path fd) {
        try {
            return Files.readSymbolicLink(fd).toString();
        } catch (IOException e) {
            return "";
        }
    }

    @Test
    void usageIs242s() throws Exception {
        Outcome o = run("--help");
        assertEquals(0, o.status());
        assertEquals("""

                Usage:
                 fadvise [options] file
                 fadvise [options] --fd|-d file-descriptor

                Options:
                 -a, --advice <advice> applying advice to the file (default: "dontneed")
                 -d, --fd <num>        applying advice to the file descriptor
                 -l, --length <num>    length for range operations, in bytes
                 -o, --offset <num>    offset for range operations, in bytes

                 -h, --help            display this help
                 -V, --version         display version

                Available values for advice:
                  normal
                  sequential
                  random
                  noreuse
                  willneeded
                  dontneed

                For more details see fadvise(1).
                """, o.out());
        assertEquals("fadvise from fallocate4j 0.1.0 (util-linux 2.42 compatible)\n", run("-V").out());
    }

    @Test
    void dontneedEmptiesThePageCache() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/fincore")), "util-linux fincore is not installed");
        Path f = file();
        Files.readAllBytes(f); // cached now
        assertEquals(0, run(f.toString()).status()); // default advice: dontneed
        Process p = new ProcessBuilder("/usr/bin/fincore", "--bytes", "--noheadings", "--output", "RES", f.toString())
                .redirectErrorStream(true).start();
        String resident = new String(p.getInputStream().readAllBytes()).strip();
        assertEquals(0, p.waitFor());
        assertTrue(resident.equals("0"), "resident bytes after dontneed: " + resident);
    }
}
