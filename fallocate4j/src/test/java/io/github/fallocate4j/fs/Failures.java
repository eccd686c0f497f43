package io.github.fallocate4j.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.fallocate4j.Errno;
import io.github.fallocate4j.FileSpaceException;
import java.nio.file.Path;
import org.junit.jupiter.api.function.Executable;

/** Asserts that a call fails with exactly the exception, errno and call details the errno matrix expects. */
final class Failures {
    private Failures() {}

    /** What the exception must carry. {@code mode} is the fallocate mode, the advice, or FileSpaceException.NONE. */
    record Expected(Class<? extends FileSpaceException> type, Errno errno, String operation, long offset, long length, long mode) {}

    static Expected expect(Class<? extends FileSpaceException> type, Errno errno, String operation, long offset, long length, long mode) {
        return new Expected(type, errno, operation, offset, length, mode);
    }

    /**
     * Runs {@code call}, which must throw {@code expected}, naming {@code file}; when {@code file} is a
     * regular file, it must be exactly as it was (size, allocation, map, contents).
     */
    static FileSpaceException fails(Expected expected, Path file, String fileName, Executable call) throws Exception {
        FileState before = file != null ? FileState.of(file) : null;
        FileSpaceException e = assertThrows(FileSpaceException.class, call);
        assertEquals(expected.type(), e.getClass(), e::getMessage);
        assertEquals(expected.errno().number(), e.errno(), e::getMessage);
        assertEquals(expected.errno().name(), e.errnoName(), e::getMessage);
        assertEquals(expected.operation(), e.operation(), e::getMessage);
        assertEquals(expected.offset(), e.offset(), e::getMessage);
        assertEquals(expected.length(), e.length(), e::getMessage);
        assertEquals(expected.mode(), e.mode(), e::getMessage);
        assertEquals(fileName, e.getFile(), e::getMessage);
        if (before != null) {
            before.assertUnchanged(file);
        }
        return e;
    }
}
