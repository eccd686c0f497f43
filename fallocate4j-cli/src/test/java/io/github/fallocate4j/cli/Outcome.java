package io.github.fallocate4j.cli;

import io.github.fallocate4j.SparseFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What a run of a command left behind: exit status, stdout, stderr, and the file's size, allocated
 * bytes and a digest of its contents. Records compare whole, so one assertEquals checks them all.
 */
record Outcome(int status, String out, String err, FileState file) {

    /** The file after the run; all -1 / "" when it does not exist (or is not a regular file). */
    record FileState(boolean exists, long size, long allocated, String sha256) {
        static FileState of(Path file) throws IOException {
            if (!Files.isRegularFile(file)) {
                return new FileState(Files.exists(file), -1, -1, "");
            }
            try {
                MessageDigest digest = MessageDigest.getInstance("SHA-256");
                try (var in = Files.newInputStream(file)) {
                    byte[] buffer = new byte[1 << 16];
                    for (int n; (n = in.read(buffer)) > 0; ) {
                        digest.update(buffer, 0, n);
                    }
                }
                return new FileState(true, Files.size(file), SparseFiles.allocatedBytes(file),
                        HexFormat.of().formatHex(digest.digest()));
            } catch (NoSuchAlgorithmException e) {
                throw new AssertionError(e);
            }
        }
    }

    /** The tool's in-process entry point. */
    @FunctionalInterface
    interface Entry {
        int run(String argv0, List<String> args, PrintStream out, PrintStream err);
    }

    /** Runs our command in this JVM, as {@code argv0}. */
    static Outcome ours(Entry entry, String argv0, List<String> args, Path file) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            status = entry.run(argv0, args, o, e);
        }
        return new Outcome(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8),
                FileState.of(file));
    }

    /** Runs a program as a subprocess in the C locale. */
    static Outcome process(List<String> command, Path file) throws IOException, InterruptedException {
        return process(command, file, java.util.Map.of());
    }

    /** Runs a program as a subprocess in the C locale, with extra environment variables. */
    static Outcome process(List<String> command, Path file, java.util.Map<String, String> env)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("LC_ALL", "C");
        pb.environment().putAll(env);
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Path out = Files.createTempFile("out", ".txt");
        Path err = Files.createTempFile("err", ".txt");
        try {
            pb.redirectOutput(out.toFile()).redirectError(err.toFile());
            Process p = pb.start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("did not finish: " + command);
            }
            return new Outcome(p.exitValue(), Files.readString(out), Files.readString(err), FileState.of(file));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
