package io.github.fallocate4j.consumers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The library as a user gets it: the packaged jar (not target/classes), used by a program compiled
 * against it, run in a child JVM of the JDK this test runs on, once as a named module on the module
 * path and once on the class path, with the flags README gives for each. On Java 22+ nothing else is
 * on the path (no runtime dependency); below 22 the application adds JNA.
 */
class PackagedJarIT {
    private static final long MIB = 1 << 20;

    private static final Path LIBRARY_JAR = Path.of(property("fallocate4j.jar"));
    private static final Path JNA_JAR = Path.of(property("fallocate4j.jnaJar"));
    private static final Path SOURCES = Path.of(property("fallocate4j.consumerSources"));
    private static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");

    @TempDir
    Path dir;

    @Test
    void namedModuleOnTheModulePath() throws Exception {
        useTheJar(true);
    }

    @Test
    void classPath() throws Exception {
        useTheJar(false);
    }

    /**
     * JNA on the module path but left out of the module graph (the library requires it static, so only
     * {@code --add-modules} brings it in): the call fails naming that option, not a dependency the user
     * already has. The JNA backend is forced so that every JDK takes the Java 17-21 path.
     */
    @Test
    void jnaOnTheModulePathWithoutAddModules() throws Exception {
        Path classes = compile(true, "--module-path", LIBRARY_JAR.toString());
        Path file = dir.resolve("preallocated");
        String path = String.join(File.pathSeparator, LIBRARY_JAR.toString(), classes.toString(), JNA_JAR.toString());
        List<String> command = List.of(JAVA.toString(), "-Dfallocate4j.backend=jna", "--module-path", path,
                "-m", "consumer/consumer.Main", file.toString());
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the consumer did not end");
        assertEquals(1, process.exitValue(), output);
        assertTrue(output.contains("java.lang.UnsupportedOperationException: fallocate4j calls C through JNA on Java "
                + Runtime.version().feature() + " (through the FFM API from Java 22), and JNA is on the module path but"
                + " not in the module graph: fallocate4j requires it static, so add the JVM option --add-modules"
                + " com.sun.jna"), output);
        assertEquals(0, Files.size(file), "the failed call changed the file");
    }

    /** Compiles the consumer against the packaged jar and runs it with the flags README gives for the case. */
    private void useTheJar(boolean module) throws Exception {
        String pathOption = module ? "--module-path" : "--class-path";
        Path classes = compile(module, pathOption, LIBRARY_JAR.toString());
        List<String> command = new ArrayList<>(List.of(JAVA.toString()));
        String path = LIBRARY_JAR + File.pathSeparator + classes;
        if (Runtime.version().feature() >= 22) {
            command.add("--enable-native-access=" + (module ? "io.github.fallocate4j" : "ALL-UNNAMED"));
        } else {
            path += File.pathSeparator + JNA_JAR;
            command.add("-Djna.tmpdir=" + dir.resolve("jna"));
            if (module) {
                command.addAll(List.of("--add-modules", "com.sun.jna"));   // the library requires it static
            }
        }
        command.addAll(List.of(pathOption, path));
        command.addAll(module ? List.of("-m", "consumer/consumer.Main") : List.of("consumer.Main"));
        runAndCheck(command, module ? "io.github.fallocate4j" : "null");
    }

    /** Compiles the consumer (with its module-info.java when it is a module) against the packaged jar. */
    private Path compile(boolean module, String... pathOptions) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertNotNull(javac, JAVA + " is not a JDK: no compiler for the consumer");
        Path classes = dir.resolve("classes");
        List<String> args = new ArrayList<>(List.of(pathOptions));
        args.addAll(List.of("-d", classes.toString(), SOURCES.resolve("consumer/Main.java").toString()));
        if (module) {
            args.add(SOURCES.resolve("module-info.java").toString());
        }
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        int status = javac.run(null, diagnostics, diagnostics, args.toArray(String[]::new));
        assertEquals(0, status, () -> "javac " + args + ":\n" + diagnostics.toString(StandardCharsets.UTF_8));
        return classes;
    }

    /**
     * Runs the consumer on a new file and checks what it printed, that the JVM printed nothing else
     * (no restricted-method or native-access warning reaches the user), and the file itself.
     */
    private void runAndCheck(List<String> command, String module) throws Exception {
        Path file = dir.resolve("preallocated");
        command.add(file.toString());
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
        builder.environment().remove("JAVA_TOOL_OPTIONS");   // the JVM would print "Picked up ..."
        builder.environment().remove("JDK_JAVA_OPTIONS");
        Process process = builder.start();
        process.getOutputStream().close();
        byte[] out = process.getInputStream().readAllBytes();
        byte[] err = process.getErrorStream().readAllBytes();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the consumer did not end");
        String stdout = new String(out, StandardCharsets.UTF_8);
        String stderr = new String(err, StandardCharsets.UTF_8);
        String context = command + "\nstdout:\n" + stdout + "stderr:\n" + stderr;

        assertEquals(0, process.exitValue(), context);
        assertEquals("", stderr, context);
        assertEquals("module=" + module + "\nsize=" + MIB + "\n", stdout.substring(0, stdout.indexOf("allocated=")),
                context);
        long reported = Long.parseLong(stdout.substring(stdout.indexOf("allocated=") + 10).strip());
        assertEquals(MIB, Files.size(file), context);
        long allocated = allocatedBytes(file);
        assertTrue(allocated >= MIB, "allocated " + allocated + " bytes\n" + context);
        assertEquals(allocated, reported, context);
    }

    /** st_blocks * 512 as stat(1) reports it: measured without the library under test. */
    private static long allocatedBytes(Path file) throws Exception {
        Process stat = new ProcessBuilder("stat", "-c", "%b", file.toString()).start();
        String blocks = new String(stat.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
        assertEquals(0, stat.waitFor(), "stat " + file);
        return Long.parseLong(blocks) * 512;
    }

    private static String property(String name) {
        String value = System.getProperty(name);
        assertNotNull(value, "system property " + name + " (set by this module's pom) is missing");
        return value;
    }
}
