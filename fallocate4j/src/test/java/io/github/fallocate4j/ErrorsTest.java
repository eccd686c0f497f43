package io.github.fallocate4j;

import static io.github.fallocate4j.Fallocate.FALLOC_FL_COLLAPSE_RANGE;
import static io.github.fallocate4j.Fallocate.FALLOC_FL_KEEP_SIZE;
import static io.github.fallocate4j.Fallocate.FALLOC_FL_PUNCH_HOLE;
import static io.github.fallocate4j.TestFiles.lettered;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The error paths that need no root: each triggered for real, mapped to the right exception with every
 * field filled in, and leaving the file as it was.
 */
class ErrorsTest extends TempFileTest {
    TestFiles.Snapshot before;

    @BeforeEach
    void writeFourBlocks() throws IOException {
        Files.write(file, lettered(4, block));
        before = TestFiles.Snapshot.of(file);
    }

    private <T extends Throwable> T fails(Class<T> type, Executable call) throws IOException {
        T thrown = assertThrows(type, call);
        before.assertUnchanged(file);
        return thrown;
    }

    @Test
    void readOnlyDescriptorIsEbadfWithEveryField() throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            FileSpaceException e = fails(FileSpaceException.class,
                    () -> Fallocate.fallocate(ch, 5, 100, FALLOC_FL_KEEP_SIZE));
            assertAll(
                    () -> assertEquals(9, e.errno()),
                    () -> assertEquals("EBADF", e.errnoName()),
                    () -> assertEquals("fallocate", e.operation()),
                    () -> assertEquals(5, e.offset()),
                    () -> assertEquals(100, e.length()),
                    () -> assertEquals(FALLOC_FL_KEEP_SIZE, e.mode()),
                    () -> assertEquals("KEEP_SIZE", e.modeName()),
                    () -> assertEquals(file.toString(), e.getFile()),
                    () -> assertEquals(file + ": fallocate(mode=KEEP_SIZE, offset=5, len=100) failed: "
                            + "EBADF (Bad file descriptor): the file is not open for writing", e.getMessage()));
        }
    }

    @Test
    void unalignedCollapseIsEinvalAndExplainsAlignment() throws IOException {
        FileSpaceException e = fails(FileSpaceException.class, () -> FileSpace.collapseRange(file, 1, block));
        assertEquals("EINVAL", e.errnoName());
        assertEquals(FALLOC_FL_COLLAPSE_RANGE, e.mode());
        assertTrue(e.getMessage().contains("multiples of the filesystem's block size"), e.getMessage());
        assertTrue(e.getMessage().contains("block size " + block + " bytes, file size " + 4 * block + " bytes"), e.getMessage());
    }

    @Test
    void collapseReachingTheEndIsEinval() throws IOException {
        FileSpaceException e = fails(FileSpaceException.class, () -> FileSpace.collapseRange(file, block, 3L * block));
        assertEquals("EINVAL", e.errnoName());
        FileSpaceException insert = fails(FileSpaceException.class, () -> FileSpace.insertRange(file, 4L * block, block));
        assertEquals("EINVAL", insert.errnoName());
        assertTrue(insert.getMessage().contains("INSERT_RANGE needs offset to be before the end of the file (block size "
                + block + " bytes, file size " + 4 * block + " bytes)"), insert.getMessage());
        assertTrue(e.getMessage().contains("COLLAPSE_RANGE needs the range to end before the end of the file"), e.getMessage());
    }

    @Test
    void unsupportedModeOnTmpfsSaysSo() throws IOException {
        Path shm = Path.of("/dev/shm");
        assumeTrue(Files.isDirectory(shm) && TestFiles.filesystem(shm).equals("tmpfs"), "needs a tmpfs at /dev/shm");
        Path tmp = Files.createTempFile(shm, "fallocate4j", ".bin");
        try {
            Files.write(tmp, lettered(2, 4096));
            ModeNotSupportedException e = assertThrows(ModeNotSupportedException.class,
                    () -> FileSpace.collapseRange(tmp, 0, 4096));
            assertEquals("EOPNOTSUPP", e.errnoName());
            assertTrue(e.getMessage().endsWith("the tmpfs filesystem does not support COLLAPSE_RANGE"), e.getMessage());
            assertEquals(2 * 4096, Files.size(tmp));
        } finally {
            Files.delete(tmp);
        }
    }

    @Test
    void invalidModeBitsReachTheKernelAndAreExplained() throws IOException {
        ModeNotSupportedException unknown = fails(ModeNotSupportedException.class,
                () -> Fallocate.fallocate(file, 0, block, 0x100));
        assertEquals("0x100", unknown.modeName());
        ModeNotSupportedException punch = fails(ModeNotSupportedException.class,
                () -> Fallocate.fallocate(file, 0, block, FALLOC_FL_PUNCH_HOLE));
        assertTrue(punch.getMessage().endsWith("PUNCH_HOLE must be combined with KEEP_SIZE"), punch.getMessage());
        ModeNotSupportedException two = fails(ModeNotSupportedException.class,
                () -> Fallocate.fallocate(file, 0, block, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_COLLAPSE_RANGE));
        assertTrue(two.getMessage().contains("at most one of"), two.getMessage());
        ModeNotSupportedException stale = fails(ModeNotSupportedException.class,
                () -> Fallocate.fallocate(file, 0, block, Fallocate.FALLOC_FL_NO_HIDE_STALE));
        assertTrue(stale.getMessage().contains("NO_HIDE_STALE is reserved"), stale.getMessage());
    }

    @Test
    void badArgumentsFailBeforeAnySystemCall() throws IOException {
        Path missing = dir.resolve("missing");
        // Plain allocation would create the file: it must not exist afterwards.
        assertAll(
                () -> assertThrows(IllegalArgumentException.class, () -> Fallocate.fallocate(missing, 0, 0)),
                () -> assertThrows(IllegalArgumentException.class, () -> Fallocate.fallocate(missing, -1, 10)),
                () -> assertThrows(IllegalArgumentException.class, () -> Fallocate.fallocate(missing, 0, -10)),
                () -> assertThrows(IllegalArgumentException.class, () -> Fallocate.fallocate(missing, Long.MAX_VALUE, 1)),
                () -> assertThrows(IllegalArgumentException.class, () -> Fallocate.posixFallocate(missing, 0, 0)),
                () -> assertThrows(IllegalArgumentException.class, () -> Fallocate.posixFadvise(missing, 0, -1, 0)),
                () -> assertThrows(IllegalArgumentException.class, () -> Fallocate.fallocate(-1, 0, 10)),
                () -> assertThrows(IllegalArgumentException.class, () -> FileSpace.allocate(missing, 0, 0)),
                () -> assertThrows(NullPointerException.class, () -> Fallocate.fallocate((Path) null, 0, 10)),
                () -> assertThrows(NullPointerException.class, () -> FileSpace.advise(missing, 0, 0, null)));
        assertFalse(Files.exists(missing));
        IllegalArgumentException e = fails(IllegalArgumentException.class, () -> FileSpace.punchHole(file, 0, 0));
        assertEquals("len must be > 0, was 0", e.getMessage());
        fails(IllegalArgumentException.class, () -> FileSpace.zeroRange(file, 1, Long.MAX_VALUE));
    }

    @Test
    void fifoIsEspipeAndDoesNotHang() throws Exception {
        Path fifo = dir.resolve("fifo");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        FileSpaceException e = assertThrows(FileSpaceException.class,
                () -> Fallocate.fallocate(fifo, 0, 10, FALLOC_FL_KEEP_SIZE));
        assertEquals("ESPIPE", e.errnoName());
        assertTrue(e.getMessage().endsWith("the file is a pipe or FIFO"), e.getMessage());
        FileSpaceException advise = assertThrows(FileSpaceException.class,
                () -> FileSpace.advise(fifo, 0, 0, Advice.WILLNEED));
        assertEquals("ESPIPE", advise.errnoName());
        assertEquals("posix_fadvise", advise.operation());
        assertEquals("POSIX_FADV_WILLNEED", advise.modeName());
    }

    @Test
    void characterDeviceIsEnodevAndDirectoryIsEisdir() {
        FileSpaceException dev = assertThrows(FileSpaceException.class,
                () -> Fallocate.fallocate(Path.of("/dev/null"), 0, 10, FALLOC_FL_KEEP_SIZE));
        assertEquals("ENODEV", dev.errnoName());
        FileSpaceException directory = assertThrows(FileSpaceException.class, () -> FileSpace.allocate(dir, 0, 10));
        assertEquals("EISDIR", directory.errnoName());
        assertEquals("open", directory.operation());
        assertEquals(FileSpaceException.NONE, directory.offset());
        assertNull(directory.modeName());
    }

    @Test
    void badAdviceIsEinvalAndBadDescriptorIsEbadf() throws IOException {
        FileSpaceException advice = fails(FileSpaceException.class, () -> Fallocate.posixFadvise(file, 0, 0, 42));
        assertEquals("EINVAL", advice.errnoName());
        assertEquals("advice 42", advice.modeName());
        assertEquals(42, advice.mode());
        FileSpaceException fd = assertThrows(FileSpaceException.class,
                () -> Fallocate.posixFadvise(1_000_000, 0, 0, Fallocate.POSIX_FADV_NORMAL));
        assertEquals("EBADF", fd.errnoName());
        assertEquals("fd 1000000", fd.getFile());
        FileSpaceException allocate = assertThrows(FileSpaceException.class, () -> Fallocate.fallocate(1_000_000, 0, 1));
        assertEquals("EBADF", allocate.errnoName());
    }

    @Test
    void subclassesMarkTheCommonFailures() {
        assertInstanceOf(ModeNotSupportedException.class,
                assertThrows(FileSpaceException.class, () -> Fallocate.fallocate(file, 0, 1, 0x200)));
    }
}
