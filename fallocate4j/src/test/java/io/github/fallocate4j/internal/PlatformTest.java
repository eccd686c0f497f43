package io.github.fallocate4j.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class PlatformTest {
    @Test
    void linuxOnX8664AndAarch64IsSupported() {
        assertEquals(Optional.empty(), Platform.unsupportedReason("Linux", "amd64"));
        assertEquals(Optional.empty(), Platform.unsupportedReason("Linux", "aarch64"));
        Platform.requireSupported();
    }

    @Test
    void otherSystemsGetAPlainReason() {
        assertTrue(Platform.unsupportedReason("Mac OS X", "aarch64").orElseThrow().endsWith("cannot run on Mac OS X"));
        assertTrue(Platform.unsupportedReason("Windows 11", "amd64").orElseThrow().contains("Linux system calls"));
        assertEquals("fallocate4j supports Linux on x86_64 and aarch64, not on riscv64",
                Platform.unsupportedReason("Linux", "riscv64").orElseThrow());
    }
}
