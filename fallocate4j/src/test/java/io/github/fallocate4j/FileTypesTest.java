package io.github.fallocate4j;

import static io.github.fallocate4j.Fallocate.FALLOC_FL_KEEP_SIZE;
import static io.github.fallocate4j.Fallocate.FALLOC_FL_PUNCH_HOLE;
import static io.github.fallocate4j.Fallocate.POSIX_FADV_DONTNEED;
import static io.github.fallocate4j.TestFiles.lettered;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.fallocate4j.internal.Descriptors;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URI;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every kind of file the Python-style API accepts, each used for a real allocate, punch and advise,
 * with the effect checked on the file.
 */
class FileTypesTest extends TempFileTest {
    private static final int PUNCH = FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE;

    @BeforeEach
    void writeTwoBlocks() throws IOException {
        Files.write(file, lettered(2, block));
    }

    /** After allocating 4 blocks and punching the first: size 4 blocks, block 0 zeros, block 1 'B', rest zeros. */
    private void assertAllocatedAndPunched() throws IOException {
        byte[] expected = new byte[4 * block];
        Arrays.fill(expected, block, 2 * block, (byte) 'B');
        assertArrayEquals(expected, Files.readAllBytes(file));
        assertEquals(3L * block, SparseFiles.allocatedBytes(file));
    }

    @Test
    void fileChannel() throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            Fallocate.fallocate(ch, 0, 4L * block);
            Fallocate.fallocate(ch, 0, block, PUNCH);
            Fallocate.posixFallocate(ch, 0, 4L * block);
            Fallocate.posixFadvise(ch, 0, 0, POSIX_FADV_DONTNEED);
            assertTrue(ch.isOpen());
        }
        // posix_fallocate filled the hole again.
        assertEquals(4L * block, SparseFiles.allocatedBytes(file));
        FileSpace.punchHole(file, 0, block);
        assertAllocatedAndPunched();
    }

    @Test
    void randomAccessFile() throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            Fallocate.fallocate(raf, 0, 4L * block);
            Fallocate.fallocate(raf, 0, block, PUNCH);
            Fallocate.posixFadvise(raf, 0, 0, POSIX_FADV_DONTNEED);
        }
        assertAllocatedAndPunched();
    }

    @Test
    void fileOutputStream() throws IOException {
        try (FileOutputStream out = new FileOutputStream(file.toFile(), true)) {
            Fallocate.fallocate(out, 0, 4L * block);
            Fallocate.fallocate(out, 0, block, PUNCH);
            Fallocate.posixFadvise(out, 0, 0, POSIX_FADV_DONTNEED);
        }
        assertAllocatedAndPunched();
    }

    @Test
    void fileInputStreamCanBeAdvisedButNotAllocated() throws IOException {
        try (FileInputStream in = new FileInputStream(file.toFile())) {
            Fallocate.posixFadvise(in, 0, 0, POSIX_FADV_DONTNEED);
            FileSpaceException e = assertThrows(FileSpaceException.class, () -> Fallocate.fallocate(in, 0, 4L * block));
            assertEquals(Errno.EBADF.number(), e.errno());
            assertEquals(file.toString(), e.getFile());
        }
        assertArrayEquals(lettered(2, block), Files.readAllBytes(file));
    }

    @Test
    void fileDescriptorAndIntFd() throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            FileDescriptor descriptor = raf.getFD();
            Fallocate.fallocate(descriptor, 0, 4L * block);
            int fd = Descriptors.of(descriptor);
            Fallocate.fallocate(fd, 0, block, PUNCH);
            Fallocate.posixFallocate(fd, 0, block);
            Fallocate.posixFadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
            Fallocate.fallocate(descriptor, 0, block, PUNCH);
            assertTrue(descriptor.valid());
        }
        assertAllocatedAndPunched();
    }

    @Test
    void pathIsOpenedUsedAndClosed() throws IOException {
        Fallocate.fallocate(file, 0, 4L * block);
        Fallocate.fallocate(file, 0, block, PUNCH);
        Fallocate.posixFadvise(file, 0, 0, POSIX_FADV_DONTNEED);
        assertAllocatedAndPunched();
    }

    @Test
    void pathIsCreatedOnlyByPlainAllocation() throws IOException {
        Path fresh = dir.resolve("fresh");
        assertThrows(NoSuchFileException.class, () -> Fallocate.fallocate(fresh, 0, block, FALLOC_FL_KEEP_SIZE));
        assertThrows(NoSuchFileException.class, () -> Fallocate.fallocate(fresh, 0, block, PUNCH));
        assertThrows(NoSuchFileException.class, () -> Fallocate.posixFadvise(fresh, 0, 0, POSIX_FADV_DONTNEED));
        assertFalse(Files.exists(fresh));

        Fallocate.fallocate(fresh, 0, block);
        assertEquals(block, Files.size(fresh));
        Path posix = dir.resolve("posix");
        Fallocate.posixFallocate(posix, 0, block);
        assertEquals(block, Files.size(posix));
    }

    @Test
    void closedChannelIsRefusedBeforeAnySystemCall() throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE);
        ch.close();
        assertThrows(ClosedChannelException.class, () -> Fallocate.fallocate(ch, 0, 4L * block));
        assertThrows(ClosedChannelException.class, () -> FileSpace.punchHole(ch, 0, block));
        assertArrayEquals(lettered(2, block), Files.readAllBytes(file));
    }

    @Test
    void closedStreamIsEbadf() throws IOException {
        RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw");
        raf.close();
        FileSpaceException e = assertThrows(FileSpaceException.class, () -> Fallocate.fallocate(raf, 0, 4L * block));
        assertEquals("EBADF", e.errnoName());
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }

    @Test
    void channelsWithoutADescriptorAreRefused() throws IOException {
        Path zip = dir.resolve("z.zip");
        try (FileSystem zipfs = FileSystems.newFileSystem(URI.create("jar:" + zip.toUri()), Map.of("create", "true"))) {
            Path inside = zipfs.getPath("/entry");
            IllegalArgumentException onPath = assertThrows(IllegalArgumentException.class,
                    () -> FileSpace.allocate(inside, 0, block));
            assertTrue(onPath.getMessage().contains("not on the default file system"), onPath.getMessage());
            try (FileChannel ch = FileChannel.open(inside, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                IllegalArgumentException onChannel = assertThrows(IllegalArgumentException.class,
                        () -> FileSpace.allocate(ch, 0, block));
                assertTrue(onChannel.getMessage().contains("not backed by a file descriptor"), onChannel.getMessage());
            }
        }
    }
}
