package io.github.fallocate4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringWriter;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compiles every {@code ```java} block of README.md as written and runs it, with its /tmp paths moved
 * into a temporary directory, so the front page cannot drift from the API.
 */
class ReadmeExamplesTest {
    private static final Path README = Path.of("..", "README.md");
    private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);
    private static final String IMPORTS = """
            import io.github.fallocate4j.*;
            import java.io.*;
            import java.nio.*;
            import java.nio.channels.*;
            import java.nio.file.*;
            import java.util.*;
            import java.util.stream.*;
            """;

    @TempDir
    Path work;

    @TestFactory
    Stream<DynamicTest> everyJavaBlockCompilesAndRuns() throws IOException {
        List<String> blocks = new ArrayList<>();
        Matcher m = JAVA_BLOCK.matcher(Files.readString(README));
        while (m.find()) {
            blocks.add(m.group(1));
        }
        assertFalse(blocks.isEmpty(), "README.md has no java examples");
        return blocks.stream().map(block -> DynamicTest.dynamicTest(
                "README example " + (blocks.indexOf(block) + 1) + ": " + block.lines().findFirst().orElse(""),
                () -> compileAndRun("Example" + blocks.indexOf(block), block)));
    }

    private void compileAndRun(String className, String block) throws Exception {
        StringBuilder imports = new StringBuilder(IMPORTS);
        StringBuilder body = new StringBuilder();
        for (String line : block.replace("\"/tmp/", "\"" + work + "/").lines().toList()) {
            (line.startsWith("import ") ? imports : body).append(line).append('\n');
        }
        String source = imports + "public class " + className + " {\n"
                + "    public static void run() throws Exception {\n" + body + "    }\n}\n";
        Path src = Files.writeString(work.resolve(className + ".java"), source);
        Path classes = Files.createDirectories(work.resolve("classes"));

        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StringWriter diagnostics = new StringWriter();
        boolean compiled = javac.getTask(diagnostics, null, null,
                List.of("-d", classes.toString(), "-cp", System.getProperty("java.class.path")
                        + java.io.File.pathSeparator + Path.of("target", "classes").toAbsolutePath(), "-Xlint:none"),
                null, javac.getStandardFileManager(null, null, null).getJavaFileObjects(src)).call();
        assertTrue(compiled, () -> diagnostics + "\n" + source);

        try (URLClassLoader loader = new URLClassLoader(new java.net.URL[] {classes.toUri().toURL()},
                getClass().getClassLoader())) {
            loader.loadClass(className).getMethod("run").invoke(null);
        }
        assertEquals(List.of(), leftovers(), "examples write only below the temporary directory");
    }

    /** Files the examples would have written to /tmp had the rewrite missed a path. */
    private static List<Path> leftovers() {
        return Stream.of("test.file", "hello.txt", "app.log", "sparse.bin")
                .map(name -> Path.of("/tmp", name)).filter(Files::exists).toList();
    }
}
