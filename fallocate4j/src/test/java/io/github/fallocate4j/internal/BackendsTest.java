package io.github.fallocate4j.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.sun.jna.Native;
import io.github.fallocate4j.FileSpace;
import java.io.File;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the backend is chosen when the one asked for cannot run: every call says why, and what to add. */
class BackendsTest {
    @TempDir
    Path dir;

    @Test
    void theAdviceNamesTheJnaThisBuildUses() {
        String jna = Native.class.getPackage().getImplementationVersion().split(" ")[0]; // "5.19.1 (b0)"
        assertEquals(jna, Backends.jnaVersion());
        assertEquals("add the dependency net.java.dev.jna:jna:" + jna + " (Maven: <groupId>net.java.dev.jna"
                + "</groupId> <artifactId>jna</artifactId> <version>" + jna + "</version>)", Backends.jnaAdvice());
    }

    @Test
    void anUnknownBackendNameFailsEveryCall() {
        Backend none = new Backends.Unavailable("-Dfallocate4j.backend=x names no backend: use ffm or jna");
        UnsupportedOperationException e = assertThrows(
                UnsupportedOperationException.class, () -> none.fallocate(0, 0, 0, 1));
        assertEquals("-Dfallocate4j.backend=x names no backend: use ffm or jna", e.getMessage());
    }

    /** What the child JVM runs: one allocation; prints the exception's class and message. */
    public static void main(String[] args) throws Exception {
        try {
            FileSpace.allocate(Path.of(args[0]), 0, 4096);
            System.out.print("allocated");
        } catch (UnsupportedOperationException e) {
            System.out.print(e.getClass().getName() + ": " + e.getMessage());
        }
    }

    @Test
    void withoutJnaOnTheClassPathEveryCallSaysWhatToAdd() throws Exception {
        String classPath = location(Backends.class) + File.pathSeparator + location(BackendsTest.class)
                + File.pathSeparator + location(Test.class) + File.pathSeparator + location(TempDir.class);
        Process process = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(),
                "--enable-native-access=ALL-UNNAMED", "-Dfallocate4j.backend=jna", "-cp", classPath,
                BackendsTest.class.getName(), dir.resolve("f").toString()).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), out);
        assertEquals("java.lang.UnsupportedOperationException: fallocate4j calls C through JNA on Java "
                + Runtime.version().feature() + " (through the FFM API from Java 22), and JNA is not on the class path: "
                + Backends.jnaAdvice(), out);
    }

    private static String location(Class<?> type) throws URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }
}
