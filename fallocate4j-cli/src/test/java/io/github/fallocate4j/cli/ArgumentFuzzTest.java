package io.github.fallocate4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

/**
 * Random argument vectors, valid and not: the commands never show a stack trace, exit 0 or 1, and every
 * line of a failure is a util-linux style message. Sizes stay small so that a valid vector stays cheap.
 */
class ArgumentFuzzTest {
    private static final Pattern FALLOCATE_LINE =
            Pattern.compile("fallocate: .+|Try 'fallocate --help' for more information\\.");
    private static final Pattern FADVISE_LINE =
            Pattern.compile("fadvise: .+|Try 'fadvise --help' for more information\\.");

    @Provide
    Arbitrary<List<String>> fallocateArgs() {
        return Arbitraries.of("-c", "-d", "-i", "-l", "-n", "-o", "-p", "-r", "-v", "-w", "-x", "-z", "-V",
                "--length", "--length=", "--len=4096", "--offset=1K", "--p", "--posix", "--dig", "--foo", "--keep-size=1",
                "-", "--", "-nq", "-lz", "-vl4096", "-pv", "0", "1", "4096", "1K", "8KiB", "1.5MiB", "0.5", "-1",
                "abc", "0x10", "010", "8E", "7E", "99999999999999999999", "", " ", "F", "M", "D", "/dev/null")
                .list().ofMaxSize(7);
    }

    @Provide
    Arbitrary<List<String>> fadviseArgs() {
        return Arbitraries.of("-a", "-d", "-l", "-o", "-V", "--advice", "--advice=random", "--fd=0", "--fd",
                "normal", "willneeded", "bogus", "0", "1", "-1", "4096", "1K", "x", "", "--", "F", "M", "D")
                .list().ofMaxSize(6);
    }

    @Property(tries = 300)
    void fallocateAnswersLikeUtilLinux(@ForAll("fallocateArgs") List<String> args) throws IOException {
        check(FallocateCommand::run, "fallocate", args, FALLOCATE_LINE);
    }

    @Property(tries = 200)
    void fadviseAnswersLikeUtilLinux(@ForAll("fadviseArgs") List<String> args) throws IOException {
        check(FadviseCommand::run, "fadvise", args, FADVISE_LINE);
    }

    private static void check(java.util.function.BiFunction<String[], Console, Integer> command, String name,
                              List<String> args, Pattern line) throws IOException {
        Path dir = Files.createTempDirectory("fallocate4j-fuzz");
        try {
            Files.write(dir.resolve("F"), new byte[8192]);
            Files.createDirectory(dir.resolve("D"));
            List<String> resolved = args.stream()
                    .map(a -> a.equals("F") || a.equals("M") || a.equals("D") ? dir.resolve(a).toString() : a).toList();
            Run run = Run.ours(command, name, resolved);
            assertTrue(run.status() == 0 || run.status() == 1, "status " + run.status());
            assertFalse(run.err().contains("Exception") || run.err().contains("\tat "), run.err());
            if (run.status() == 0) {
                assertEquals("", run.err());
            } else {
                assertFalse(run.err().isEmpty());
                run.err().lines().forEach(l -> assertTrue(line.matcher(l).matches(), "not a util-linux message: " + l));
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
