package io.github.fallocate4j.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Re-reads every number of {@link Darwin} from XNU's headers ({@link XnuHeaders}), for arm64 and x86_64,
 * and compares with the table and with {@code darwin-xnu.txt}. It needs an XNU source tree, which CI
 * does not have: tagged {@code xnu-headers}, which the suite leaves out unless asked:
 * <pre>
 * FALLOCATE4J_XNU=/path/to/xnu mvn -pl fallocate4j verify -Dfallocate4j.xnuHeaders=none -Dit.test=DarwinHeadersTest
 * </pre>
 * FALLOCATE4J_XNU is a checkout or a bare git directory; FALLOCATE4J_XNU_COMMIT (default HEAD) the commit
 * read from a bare one. FALLOCATE4J_XNU_WRITE=path writes the numbers read, in darwin-xnu.txt's format.
 */
@Tag("xnu-headers")
class DarwinHeadersTest {
    @Test
    void theTableIsWhatTheHeadersSay() throws Exception {
        String tree = System.getenv("FALLOCATE4J_XNU");
        assertTrue(tree != null && Files.isDirectory(Path.of(tree)),
                "FALLOCATE4J_XNU must name an XNU source tree (github.com/apple-oss-distributions/xnu)");
        String commit = System.getenv().getOrDefault("FALLOCATE4J_XNU_COMMIT", "HEAD");
        Map<String, Long> arm64 = read(new XnuHeaders(Path.of(tree), commit, "arm"));
        Map<String, Long> x8664 = read(new XnuHeaders(Path.of(tree), commit, "i386"));
        assertEquals(arm64, x8664, "arm64 and x86_64 differ");
        String write = System.getenv("FALLOCATE4J_XNU_WRITE");
        if (write != null) {
            write(Path.of(write), arm64, Path.of(tree), commit);
        }
        assertEquals(arm64, DarwinTableTest.table());
        assertEquals(arm64, DarwinTableTest.extract());
    }

    private static Map<String, Long> read(XnuHeaders headers) throws IllegalAccessException {
        Map<String, Long> numbers = new TreeMap<>();
        for (String key : DarwinTableTest.table().keySet()) {
            String[] parts = key.split("\t");
            String header = parts[0];
            String name = parts[1];
            long value;
            if (name.startsWith("sizeof ")) {
                value = headers.sizeOf(name.substring("sizeof ".length()));
            } else if (name.startsWith("struct ")) {
                int dot = name.indexOf('.');
                value = headers.offsetOf(name.substring(0, dot), name.substring(dot + 1));
            } else {
                value = headers.define(header, name);
            }
            numbers.put(key, value);
        }
        return numbers;
    }

    private static void write(Path file, Map<String, Long> numbers, Path tree, String commit) throws IOException, InterruptedException {
        Process git = new ProcessBuilder("git", "--git-dir=" + tree, "log", "-1", "--format=%H %s", commit)
                .redirectErrorStream(true).start();
        String version = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        git.waitFor();
        StringBuilder out = new StringBuilder();
        out.append("# Numbers read by DarwinHeadersTest from github.com/apple-oss-distributions/xnu at\n");
        out.append("# ").append(version).append("\n");
        out.append("# (arm64 and x86_64 agree). Numbers only: header, macro or struct member, value.\n");
        numbers.forEach((key, value) -> out.append(key).append('\t').append(value).append('\n'));
        Files.writeString(file, out.toString(), StandardCharsets.UTF_8);
    }
}
