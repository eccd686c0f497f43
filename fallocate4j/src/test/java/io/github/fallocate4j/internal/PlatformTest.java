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
    void macOsOnArm64AndX8664IsSupported() {
        assertEquals(Optional.empty(), Platform.unsupportedReason("Mac OS X", "aarch64"));
        assertEquals(Optional.empty(), Platform.unsupportedReason("Mac OS X", "x86_64"));
        assertEquals("fallocate4j supports macOS on x86_64 and aarch64, not on ppc",
                Platform.unsupportedReason("Mac OS X", "ppc").orElseThrow());
        assertEquals(System.getProperty("os.name").equals("Mac OS X"), Platform.isMacOs());
    }

    @Test
    void otherSystemsGetAPlainReason() {
        assertTrue(Platform.unsupportedReason("Windows 11", "amd64").orElseThrow().endsWith("cannot run on Windows 11"));
        assertTrue(Platform.unsupportedReason("Windows 11", "amd64").orElseThrow().contains("Linux system calls"));
        assertEquals("fallocate4j supports Linux on x86_64 and aarch64, not on riscv64",
                Platform.unsupportedReason("Linux", "riscv64").orElseThrow());
    }
}
