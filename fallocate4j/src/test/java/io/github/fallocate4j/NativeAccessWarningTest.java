package io.github.fallocate4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starts a fresh JVM the way a user would, to show what reaches its output: nothing with
 * {@code --enable-native-access}; without it, the JDK's restricted-method warning on Java 22+ (FFM),
 * and nothing on Java 17 to 21, whose JNI loading (JNA) has no such warning.
 */
class NativeAccessWarningTest {
    @TempDir
    Path dir;

    /** What the child JVM runs: one allocation and one punch on the file named by the argument. */
    public static void main(String[] args) throws IOException {
        Path file = Path.of(args[0]);
        FileSpace.allocate(file, 0, 8192);
        FileSpace.punchHole(file, 0, 4096);
    }

    private record Result(int exit, String stderr) {}

    private Result run(String... jvmFlags) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElseThrow());
        command.addAll(List.of(jvmFlags));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"),
                NativeAccessWarningTest.class.getName(), dir.resolve("f").toString()));
        Process process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(process.waitFor(), stderr);
    }

    @Test
    void noWarningWithTheFlag() throws Exception {
        Result result = run("--enable-native-access=ALL-UNNAMED");
        assertEquals(0, result.exit(), result.stderr());
        assertEquals("", result.stderr());
        assertEquals(8192, Files.size(dir.resolve("f")));
        assertEquals(4096, SparseFiles.allocatedBytes(dir.resolve("f")));
    }

    @Test
    void theJdkWarnsWithoutItFromJava22() throws Exception {
        Result result = run();
        assertEquals(0, result.exit(), result.stderr());
        if (Runtime.version().feature() >= 22) {
            assertTrue(result.stderr().contains("--enable-native-access"), result.stderr());
        } else {
            assertEquals("", result.stderr());
        }
    }
}
