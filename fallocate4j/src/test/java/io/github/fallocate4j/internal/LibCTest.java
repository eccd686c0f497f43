package io.github.fallocate4j.internal;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.FunctionDescriptor;
import java.lang.invoke.MethodHandle;
import org.junit.jupiter.api.Test;

class LibCTest {
    @Test
    void aMissingFunctionFailsWhenCalledNotWhenBound() {
        MethodHandle missing = LibC.bind("fallocate4j_no_such_function", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> { int ignored = (int) missing.invokeExact(1); });
        assertEquals("the C library has no fallocate4j_no_such_function()", e.getMessage());
    }

    @Test
    void errorsComeBackAsNegativeErrno() {
        assertEquals(-9, LibC.close(-1));
        assertEquals(-9, LibC.fallocate(-1, 0, 0, 1));
        assertEquals(-9, LibC.posixFadvise(-1, 0, 0, 0));
        assertEquals(-9, LibC.posixFallocate(-1, 0, 1));
        assertEquals(-2, LibC.open("/nonexistent/fallocate4j".getBytes(java.nio.charset.StandardCharsets.US_ASCII), LibC.O_RDONLY));
    }
}
