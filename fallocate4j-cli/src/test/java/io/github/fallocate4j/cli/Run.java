package io.github.fallocate4j.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/** What a command printed and returned. */
record Run(int status, String out, String err) {

    /** Runs one of our commands in this JVM, as if invoked by {@code name}. */
    static Run ours(BiFunction<String[], Console, Integer> command, String name, List<String> args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            status = command.apply(args.toArray(String[]::new), new Console(o, e, name, false));
        }
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Runs an installed program in the C locale, with getopt's "/usr/bin/x:" prefixes shortened to "x:". */
    static Run program(String path, List<String> args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(path);
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("LC_ALL", "C");
        Process process = builder.start();
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        String name = path.substring(path.lastIndexOf('/') + 1);
        return new Run(process.waitFor(), out, err.replace(path + ": ", name + ": "));
    }
}
