package io.github.fallocate4j.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.fallocate4j.Errno;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every number the backends pass to C ({@link Linux}) and every struct size and field offset they read
 * ({@link Structs}) is what the C compiler says for this machine: layouts.c prints them all with
 * {@code sizeof}, {@code offsetof} and the headers' macros, and the two sets must be the same, name for name.
 * So is every {@link Errno}'s number, against errno.h.
 */
class StructLayoutTest {
    @TempDir
    Path dir;

    @Test
    void javaNumbersAreTheCompilers() throws Exception {
        Assumptions.assumeTrue(onPath("gcc"), "needs gcc to compile layouts.c");
        Path source = dir.resolve("layouts.c");
        try (InputStream in = StructLayoutTest.class.getResourceAsStream("layouts.c")) {
            Files.copy(in, source);
        }
        Path binary = dir.resolve("layouts");
        run("gcc", "-Wall", "-Werror", "-o", binary.toString(), source.toString());
        Map<String, Long> c = parse(run(binary.toString()));
        Map<String, Long> java = new TreeMap<>();
        for (Class<?> type : List.of(Linux.class, Structs.class)) {
            for (Field field : type.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers()) && field.getType().isPrimitive()) {
                    field.setAccessible(true);
                    java.put(field.getName(), ((Number) field.get(null)).longValue());
                }
            }
        }
        assertEquals(c, java);
    }

    @Test
    void errnoNumbersAreTheCLibrarys() throws Exception {
        Assumptions.assumeTrue(onPath("gcc"), "needs gcc to compile the errno program");
        StringBuilder source = new StringBuilder("#include <errno.h>\n#include <stdio.h>\nint main(void) {\n");
        Map<String, Long> java = new TreeMap<>();
        for (Errno errno : Errno.values()) {
            source.append("    printf(\"%s %d\\n\", \"").append(errno.name()).append("\", ").append(errno.name()).append(");\n");
            java.put(errno.name(), (long) errno.number());
        }
        Path file = Files.writeString(dir.resolve("errnos.c"), source.append("    return 0;\n}\n"));
        Path binary = dir.resolve("errnos");
        run("gcc", "-Wall", "-Werror", "-o", binary.toString(), file.toString());
        assertEquals(java, parse(run(binary.toString())));
    }

    private static Map<String, Long> parse(String output) {
        Map<String, Long> numbers = new TreeMap<>();
        for (String line : output.split("\n")) {
            String[] nameValue = line.split(" ");
            numbers.put(nameValue[0], Long.parseLong(nameValue[1]));
        }
        return numbers;
    }

    private static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), String.join(" ", command) + ": " + out);
        return out;
    }
}
