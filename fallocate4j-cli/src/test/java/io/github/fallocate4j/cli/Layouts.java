package io.github.fallocate4j.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;

/** The files the CLI tests start from, made the same way every time. */
enum Layouts {
    /** No file at all. */
    MISSING,
    /** An empty file. */
    EMPTY,
    /**
     * 1 MiB + 64 KiB: random [0,64K), written zeros [64K,128K), random [128K,192K), written zeros
     * [192K,256K), a hole [256K,1M), random [1M,1M+64K).
     */
    SPARSE,
    /** A directory in place of the file. */
    DIRECTORY;

    static final int K64 = 64 << 10;

    /** Creates the layout at {@code file}, which must not exist. */
    void create(Path file) throws IOException {
        switch (this) {
            case MISSING -> { }
            case EMPTY -> Files.createFile(file);
            case DIRECTORY -> Files.createDirectory(file);
            case SPARSE -> {
                Random random = new Random(42);
                try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                    write(ch, 0, random(random), random);
                    write(ch, K64, new byte[K64], random);
                    write(ch, 2L * K64, random(random), random);
                    write(ch, 3L * K64, new byte[K64], random);
                    write(ch, 1 << 20, random(random), random);
                    ch.force(true);
                }
            }
            default -> throw new AssertionError(this);
        }
    }

    private static byte[] random(Random random) {
        byte[] bytes = new byte[K64];
        random.nextBytes(bytes);
        bytes[0] = 1; // never a zero block by chance
        return bytes;
    }

    private static void write(FileChannel ch, long at, byte[] bytes, Random unused) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
            ch.write(buffer, at + buffer.position());
        }
    }

    /** Removes whatever is at {@code file}. */
    static void remove(Path file) throws IOException {
        if (Files.isDirectory(file)) {
            Files.delete(file);
        } else {
            Files.deleteIfExists(file);
        }
    }
}
