package io.github.fallocate4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/fallocate and bin/fadvise as a user runs them, after the jar is packaged (Failsafe): a JDK found,
 * no JVM warning on stderr, getopt messages under the invoked path, and a clear word when no JDK 22+ exists.
 */
class LauncherIT {
    private static final Path BIN = Path.of("..", "bin").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    private record Result(int status, String out, String err) {}

    private static Result run(Map<String, String> env, String... command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(env);
        Process process = builder.start();
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(process.waitFor(), out, err);
    }

    @Test
    void allocatesWithoutAnyJvmNoise() throws Exception {
        Path file = dir.resolve("f");
        Result result = run(Map.of(), BIN.resolve("fallocate").toString(), "-v", "-l", "1MiB", file.toString());
        assertEquals(new Result(0, file + ": 1 MiB (1048576 bytes) allocated.\n", ""), result);
        assertEquals(1 << 20, Files.size(file));
        Result advise = run(Map.of(), BIN.resolve("fadvise").toString(), "-a", "willneeded", file.toString());
        assertEquals(new Result(0, "", ""), advise);
    }

    @Test
    void getoptMessagesNameTheInvokedPath() throws Exception {
        String fallocate = BIN.resolve("fallocate").toString();
        Result result = run(Map.of(), fallocate, "-q");
        assertEquals(new Result(1, "", fallocate + ": invalid option -- 'q'\nTry 'fallocate --help' for more information.\n"),
                result);
    }

    @Test
    void startupArchiveCanBeTurnedOff() throws Exception {
        Path archive = BIN.resolveSibling("fallocate4j-cli").resolve("target").resolve("fallocate.jsa");
        run(Map.of(), BIN.resolve("fallocate").toString(), "-l", "1", dir.resolve("a").toString());
        assertTrue(Files.exists(archive), "the JVM wrote " + archive);
        Result plain = run(Map.of("FALLOCATE4J_NO_CDS", "1"), BIN.resolve("fallocate").toString(), "-l", "1",
                dir.resolve("b").toString());
        assertEquals(new Result(0, "", ""), plain);
    }

    @Test
    void saysWhatIsMissingWithoutAJdk22() throws Exception {
        // A PATH with the tools the script uses and no java at all.
        Path tools = Files.createDirectory(dir.resolve("tools"));
        for (String tool : List.of("bash", "dirname", "readlink", "sed", "head")) {
            Path real = Path.of("/usr/bin", tool);
            Files.createSymbolicLink(tools.resolve(tool), Files.exists(real) ? real : Path.of("/bin", tool));
        }
        List<String> command = new ArrayList<>(List.of(BIN.resolve("fallocate").toString(), "-l", "1", "x"));
        Result result = run(Map.of("JAVA_HOME", "/nonexistent", "PATH", tools.toString(), "FALLOCATE4J_JVM_DIR", "/nonexistent"),
                command.toArray(String[]::new));
        assertEquals(1, result.status());
        assertEquals("fallocate: needs Java 22 or newer (for the Foreign Function & Memory API); found none in "
                + "JAVA_HOME (/nonexistent), on PATH or in /nonexistent. Install a JDK 22+ or set JAVA_HOME to one.\n",
                result.err());
    }
}
