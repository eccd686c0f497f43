package io.github.fallocate4j.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.fallocate4j.DigListener;
import io.github.fallocate4j.DigResult;
import io.github.fallocate4j.Region;
import io.github.fallocate4j.SparseFiles;
import io.github.fallocate4j.internal.Descriptors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 9 A2: a caller closes its channel while a long call is still working on it, and the next file
 * opened takes the same descriptor number. The call must go on with the file it was given, or fail with
 * a checked exception; the other file must not change at all.
 */
class OutlivedDescriptorTest {
    private static final int MIB = 1 << 20;

    /** The dig goes on at the file it was given: 8 MiB, zero but for a data block at the start of each MiB. */
    @ParameterizedTest
    @EnumSource(names = {"TMPFS", "EXT4"})
    void closingTheChannelMidDigNeverDigsTheFileThatTakesItsNumber(Fs fs) throws IOException {
        Path dir = Mounts.dir(fs);
        Path given = dir.resolve("given");
        Path other = dir.resolve("other");
        int block = twoFiles(given, other);
        FileState otherBefore = FileState.of(other);
        List<FileChannel> opened = new ArrayList<>();
        FileChannel channel = FileChannel.open(given, StandardOpenOption.READ, StandardOpenOption.WRITE);
        int number = Descriptors.of(channel);
        DigListener closer = new DigListener() {
            @Override
            public void progress(long offset) {
                if (channel.isOpen()) {
                    try {
                        channel.close();
                        opened.addAll(openUntilNumber(other, number));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            }
        };
        DigResult result = null;
        try {
            result = SparseFiles.digHoles(channel, 0, Long.MAX_VALUE, closer);
        } catch (IOException acceptable) {
            // Failing is the other allowed outcome; an unchecked exception fails the test.
        } finally {
            for (FileChannel c : opened) {
                c.close();
            }
        }
        assertTrue(opened.size() > 0, "the other file took the closed channel's number " + number);
        otherBefore.assertUnchanged(other);
        if (result != null) {
            // Went on with the given file: every zero run of it became a hole.
            assertEquals(8, result.runs());
            assertEquals(8L * (MIB - block), result.bytes());
            try (Stream<Region> regions = SparseFiles.regions(given)) {
                assertEquals(16, regions.count(), "the given file is data, hole, data, hole, ...");
            }
        }
    }

    /** A regions walk on a channel closed mid-way fails; it never reads the file that takes the number. */
    @ParameterizedTest
    @EnumSource(names = {"TMPFS", "EXT4"})
    void closingTheChannelMidWalkNeverWalksAnotherFile(Fs fs) throws IOException {
        Path dir = Mounts.dir(fs);
        Path given = dir.resolve("given");
        Path other = dir.resolve("other");
        twoFiles(given, other);
        SparseFiles.digHoles(given);
        FileChannel channel = FileChannel.open(given, StandardOpenOption.READ);
        List<FileChannel> opened = new ArrayList<>();
        try (Stream<Region> regions = SparseFiles.regions(channel, 0, Long.MAX_VALUE)) {
            Iterator<Region> walk = regions.iterator();
            walk.next();
            int number = Descriptors.of(channel);
            channel.close();
            opened.addAll(openUntilNumber(other, number));
            try {
                Region next = walk.next();
                assertEquals(Region.Kind.HOLE, next.kind(), "the given file's first hole, not the other file's data");
            } catch (UncheckedIOException expected) {
                assertTrue(expected.getCause() instanceof java.nio.channels.ClosedChannelException, expected::toString);
            }
        } finally {
            for (FileChannel c : opened) {
                c.close();
            }
        }
    }

    /**
     * The price of the duplicate, pinned: closing it, like closing any descriptor of the file, ends the
     * POSIX record lock that FileChannel.lock took for this process (README says so).
     */
    @ParameterizedTest
    @EnumSource(names = {"TMPFS"})
    void closingTheDuplicateEndsTheProcesssFileChannelLocks(Fs fs) throws IOException {
        Path file = Mounts.dir(fs).resolve("locked");
        Files.write(file, new byte[MIB]);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
             java.nio.channels.FileLock lock = ch.lock()) {
            assertEquals(1, posixLocks(file), "FileChannel.lock took a POSIX lock");
            SparseFiles.residency(ch, 0, MIB);
            assertEquals(0, posixLocks(file), "the duplicate's close released it");
            assertTrue(lock.isValid(), "the JDK does not know");
        }
    }

    /** POSIX record locks this process holds on {@code file}, from /proc/locks. */
    private static long posixLocks(Path file) throws IOException {
        String inode = ":" + Files.getAttribute(file, "unix:ino") + " ";
        String pid = " " + ProcessHandle.current().pid() + " ";
        return Files.readAllLines(Path.of("/proc/locks")).stream()
                .filter(line -> line.contains("POSIX") && line.contains(pid) && line.contains(inode)).count();
    }

    /**
     * {@code given}: eight MiB of zeros with a block of data at the start of each MiB; {@code other}: eight
     * MiB of zeros, all allocated, so that every block of it could be dug. Returns the block size.
     */
    private static int twoFiles(Path given, Path other) throws IOException {
        int block = (int) SparseFiles.blockSize(given.getParent());
        writeMostlyZero(given, block);
        Files.write(other, new byte[8 * MIB]);
        return block;
    }

    private static void writeMostlyZero(Path file, int block) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer zeros = ByteBuffer.allocate(MIB);
            for (int m = 0; m < 8; m++) {
                ch.write(zeros.clear(), (long) m * MIB);
                byte[] data = new byte[block];
                java.util.Arrays.fill(data, (byte) (m + 1));
                ch.write(ByteBuffer.wrap(data), (long) m * MIB);
            }
            ch.force(true);
        }
    }

    /** Opens {@code file} until a channel gets descriptor {@code number}; returns all opened (the caller closes them). */
    private static List<FileChannel> openUntilNumber(Path file, int number) throws IOException {
        List<FileChannel> channels = new ArrayList<>();
        for (int i = 0; i < 256; i++) {
            FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
            channels.add(ch);
            if (Descriptors.of(ch) == number) {
                return channels;
            }
        }
        for (FileChannel ch : channels) {
            ch.close();
        }
        fail("no channel got descriptor " + number);
        return List.of();
    }
}
