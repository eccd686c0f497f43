package consumer;

import io.github.fallocate4j.Fallocate;
import io.github.fallocate4j.SparseFiles;
import java.nio.file.Files;
import java.nio.file.Path;

/** A user's program: preallocates 1 MiB of the file it is given, and says what it saw. */
public final class Main {
    public static void main(String[] args) throws Exception {
        Path file = Files.createFile(Path.of(args[0]));
        Fallocate.fallocate(file, 0, 1 << 20);
        System.out.println("module=" + Fallocate.class.getModule().getName());
        System.out.println("size=" + Files.size(file));
        System.out.println("allocated=" + SparseFiles.allocatedBytes(file));
    }
}
