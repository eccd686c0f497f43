package io.github.fallocate4j.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The training run the launcher makes once to build the JVM's startup cache (AOT cache or CDS
 * archive): the usual command lines of both tools on a scratch file, output discarded, so that the
 * classes of every path are loaded, linked and recorded without touching any file of the user's.
 * @since 0.1.0
 */
public final class Training {
    private Training() {}

    /**
     * Runs the training commands in a fresh temporary directory, then deletes it.
     *
     * @param args ignored
     * @throws IOException when the scratch directory cannot be made or removed
     */
    public static void main(String[] args) throws IOException {
        Path dir = Files.createTempDirectory("fallocate4j-training");
        try (PrintStream sink = new PrintStream(OutputStream.nullOutputStream())) {
            String file = dir.resolve("f").toString();
            List<List<String>> fallocate = List.of(
                    List.of("-v", "-l", "1MiB", file),
                    List.of("-x", "-l", "2M", file),
                    List.of("-n", "-o", "1M", "--length=1M", file),
                    List.of("-vp", "-o", "4096", "-l", "8KiB", file),
                    List.of("-z", "-l", "4096", file),
                    List.of("-v", "-d", file),
                    List.of("-v", "-r", file),
                    List.of("-q", file),
                    List.of("-h"));
            for (List<String> args1 : fallocate) {
                FallocateCommand.run("fallocate", args1, sink, sink);
            }
            FadviseCommand.run("fadvise", List.of("-a", "sequential", file), sink, sink);
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
