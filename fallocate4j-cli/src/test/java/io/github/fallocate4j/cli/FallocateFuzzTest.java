package io.github.fallocate4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Random command lines (option words, sizes good and bad, junk, and files in a scratch directory):
 * whatever the arguments, the tools end with 0 and nothing on stderr, or 1 and only util-linux style
 * lines on stderr; never an exception or stack trace. Sizes stay small, so nothing fills the disk.
 */
class FallocateFuzzTest {
    private static Path dir;

    private static final Pattern FALLOCATE_ERR =
            Pattern.compile("(fallocate: [^\\n]+\\n)+(Try 'fallocate --help' for more information\\.\\n)?");
    private static final Pattern FADVISE_ERR =
            Pattern.compile("(fadvise: [^\\n]+\\n)+(Try 'fadvise --help' for more information\\.\\n)?");

    @BeforeContainer
    static void scratch() throws IOException {
        dir = Files.createTempDirectory("fallocate4j-fuzz");
        Files.write(dir.resolve("data"), new byte[64 << 10]);
        Files.createDirectory(dir.resolve("subdir"));
    }

    @AfterContainer
    static void clean() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Provide
    Arbitrary<List<String>> fallocateArgs() {
        Arbitrary<String> words = Arbitraries.oneOf(
                Arbitraries.of("-c", "-d", "-i", "-l", "-n", "-o", "-p", "-r", "-v", "-w", "-x", "-z", "-h", "-V",
                        "--collapse-range", "--dig-holes", "--insert-range", "--length", "--keep-size", "--offset",
                        "--punch-hole", "--report-holes", "--verbose", "--write-zeroes", "--posix", "--zero-range",
                        "--help", "--version", "--p", "--v", "--len=", "--length=4096", "--offset=1K", "-nl4096",
                        "-vpo4096", "-l4K", "-ql", "--", "-", "--=", "--nope", "--keep-size=1", "-:"),
                Arbitraries.of("1", "4096", "8KiB", "1M", "1.5K", "0x1000", "010", "-1", "abc", "16E", "8E", "1Z",
                        "", " 4096", "1KB", "0.5MiB", "1e3", "08", "4096x", "99999999999999999999"),
                Arbitraries.of("data", "new", "subdir", "missing/x", "").map(n -> n.isEmpty() ? "" : dir.resolve(n).toString()),
                Arbitraries.strings().withChars("-=.:,%'\"\\ abcdefghijklmnopqrstuvwxyzKMGTPEZYiB\u00e9\t").ofMaxLength(8));
        return words.list().ofMaxSize(7);
    }

    @Property(tries = 400)
    void fallocateAlwaysEndsLikeUtilLinux(@ForAll("fallocateArgs") List<String> args) throws Exception {
        Files.deleteIfExists(dir.resolve("new"));
        Outcome o = Outcome.ours(FallocateCommand::run, "fallocate", args, dir.resolve("new"));
        check(o, FALLOCATE_ERR, args);
    }

    @Provide
    Arbitrary<List<String>> fadviseArgs() {
        Arbitrary<String> words = Arbitraries.oneOf(
                Arbitraries.of("-a", "-d", "-l", "-o", "-h", "-V", "--advice", "--fd", "--length", "--offset",
                        "--advice=random", "--fd=0", "-d1", "-anormal", "-", "--", "--a"),
                Arbitraries.of("normal", "sequential", "random", "noreuse", "willneeded", "dontneed", "willneed",
                        "0", "1", "-1", "2147483648", "4096", "1M", "abc", "16E", "8E", ""),
                Arbitraries.of("data", "subdir", "missing").map(n -> dir.resolve(n).toString()),
                Arbitraries.strings().withChars("-=.:x1 aZ").ofMaxLength(6));
        return words.list().ofMaxSize(6);
    }

    @Property(tries = 300)
    void fadviseAlwaysEndsLikeUtilLinux(@ForAll("fadviseArgs") List<String> args) throws Exception {
        Outcome o = Outcome.ours(FadviseCommand::run, "fadvise", args, dir.resolve("data"));
        check(o, FADVISE_ERR, args);
    }

    private static void check(Outcome o, Pattern errors, List<String> args) {
        assertTrue(o.status() == 0 || o.status() == 1, "status " + o.status() + " for " + args);
        if (o.status() == 0) {
            assertEquals("", o.err(), "for " + args);
        } else {
            assertTrue(errors.matcher(o.err()).matches(), "stderr for " + args + ":\n" + o.err());
        }
        assertTrue(!o.err().contains("Exception") && !o.err().contains("\tat "), o.err());
    }
}
