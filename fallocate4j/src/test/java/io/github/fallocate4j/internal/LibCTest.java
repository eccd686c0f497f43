package io.github.fallocate4j.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The backend the JVM runs (FFM on 25, JNA on 17 in the build's two runs) reports errors as -errno. */
class LibCTest {
    @Test
    void errorsComeBackAsNegativeErrno() {
        assertEquals(-9, LibC.close(-1));
        assertEquals(-9, LibC.fallocate(-1, 0, 0, 1));
        assertEquals(-9, LibC.posixFadvise(-1, 0, 0, 0));
        assertEquals(-9, LibC.posixFallocate(-1, 0, 1));
        assertEquals(-9, LibC.fcntl(-1, Linux.F_GETFL, 0));
        assertEquals(-2, LibC.open("/nonexistent/fallocate4j".getBytes(StandardCharsets.US_ASCII), Linux.O_RDONLY));
        assertEquals(-9, LibC.fsync(-1));
    }

    @Test
    void theBackendIsTheOneAskedFor() {
        String expected = System.getProperty(Backends.PROPERTY);
        if (expected == null) {
            expected = Runtime.version().feature() >= 22 ? "ffm" : "jna";
        }
        assertEquals(expected, LibC.backend().name());
    }
}
