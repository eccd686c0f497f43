package io.github.fallocate4j.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.fallocate4j.Fallocate;
import io.github.fallocate4j.FileSpaceException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The rule "only what the kernel would reject is rejected before the call", per call: a table of
 * ranges, each made through the C library (posix_fallocate and posix_fadvise return the error number;
 * fallocate's is taken the same way) and through fallocate4j on the same file. Where the C library
 * succeeds, fallocate4j must; where fallocate4j refuses beforehand (IllegalArgumentException), the C
 * library must fail; where both fail, with the same errno.
 */
class KernelRangeRuleTest {
    private enum Call { FALLOCATE_PUNCH, POSIX_FALLOCATE, POSIX_FADVISE }

    /** One row: a call and its range, and what the kernel says on these filesystems (0 or errno). */
    private record Row(Call call, long offset, long len, int kernel) {}

    private static final long MAX = Long.MAX_VALUE;
    private static final int EINVAL = 22;
    private static final int EFBIG = 27;

    /** fallocate is made with PUNCH_HOLE|KEEP_SIZE, so that a huge accepted range allocates nothing. */
    private static final List<Row> TABLE = List.of(
            new Row(Call.FALLOCATE_PUNCH, 0, 4096, 0),
            new Row(Call.FALLOCATE_PUNCH, -1, 4096, EINVAL),
            new Row(Call.FALLOCATE_PUNCH, 0, 0, EINVAL),
            new Row(Call.FALLOCATE_PUNCH, 0, -1, EINVAL),
            new Row(Call.FALLOCATE_PUNCH, MAX, 1, EFBIG),
            new Row(Call.FALLOCATE_PUNCH, 1, MAX, EFBIG),
            new Row(Call.POSIX_FALLOCATE, 0, 4096, 0),
            new Row(Call.POSIX_FALLOCATE, -1, 4096, EINVAL),
            new Row(Call.POSIX_FALLOCATE, 0, 0, EINVAL),
            new Row(Call.POSIX_FALLOCATE, 0, -1, EINVAL),
            new Row(Call.POSIX_FALLOCATE, MAX, 1, EFBIG),
            new Row(Call.POSIX_FADVISE, 0, 0, 0),
            new Row(Call.POSIX_FADVISE, -1, 0, 0),
            new Row(Call.POSIX_FADVISE, Long.MIN_VALUE, 4096, 0),
            new Row(Call.POSIX_FADVISE, MAX, 1, 0),
            new Row(Call.POSIX_FADVISE, 1, MAX, 0),
            new Row(Call.POSIX_FADVISE, 0, -1, EINVAL),
            new Row(Call.POSIX_FADVISE, 0, Long.MIN_VALUE, EINVAL));

    static Stream<Fs> filesystems() {
        return Stream.concat(Stream.of(Fs.TMP), Fs.MATRIX.stream());
    }

    @ParameterizedTest
    @MethodSource("filesystems")
    void onlyWhatTheKernelRejectsIsRejectedBeforehand(Fs fs) throws Throwable {
        Path f = Mounts.dir(fs).resolve("f");
        Files.write(f, new byte[8192]);
        for (Row row : TABLE) {
            assertEquals(row.kernel(), viaLibc(f, row), fs + " " + row + ": the kernel's answer");
            Object ours = viaFallocate4j(f, row);
            if (row.kernel() == 0) {
                assertEquals("ok", ours, fs + " " + row);
            } else {
                assertTrue(ours.equals("refused") || ours.equals(row.kernel()), fs + " " + row + ": " + ours);
            }
        }
    }

    private static int viaLibc(Path f, Row row) throws Throwable {
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            int fd = io.github.fallocate4j.internal.Descriptors.of(ch);
            return switch (row.call()) {
                case FALLOCATE_PUNCH -> Native.fallocateOnce(fd, Fallocate.FALLOC_FL_PUNCH_HOLE | Fallocate.FALLOC_FL_KEEP_SIZE,
                        row.offset(), row.len());
                case POSIX_FALLOCATE -> Native.posixFallocate(fd, row.offset(), row.len());
                case POSIX_FADVISE -> Native.posixFadvise(fd, row.offset(), row.len(), Fallocate.POSIX_FADV_NORMAL);
            };
        }
    }

    /** "ok", "refused" (IllegalArgumentException), or the errno of the FileSpaceException. */
    private static Object viaFallocate4j(Path f, Row row) throws IOException {
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            switch (row.call()) {
                case FALLOCATE_PUNCH -> Fallocate.fallocate(ch, row.offset(), row.len(),
                        Fallocate.FALLOC_FL_PUNCH_HOLE | Fallocate.FALLOC_FL_KEEP_SIZE);
                case POSIX_FALLOCATE -> Fallocate.posixFallocate(ch, row.offset(), row.len());
                case POSIX_FADVISE -> Fallocate.posixFadvise(ch, row.offset(), row.len(), Fallocate.POSIX_FADV_NORMAL);
            }
            return "ok";
        } catch (IllegalArgumentException e) {
            return "refused";
        } catch (FileSpaceException e) {
            return e.errno();
        }
    }
}
