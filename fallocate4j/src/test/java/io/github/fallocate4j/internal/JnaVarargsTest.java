package io.github.fallocate4j.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Native;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Arrays;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JNA mapping macOS uses for open and fcntl ({@code JnaBackend.DarwinVarargs}: the last argument as
 * a C variadic one), exercised here on Linux, with Linux's numbers. It proves that JNA's varargs path
 * delivers an int and a pointer to the callee and that errno reads back after it; not Apple's arm64 ABI
 * (variadic arguments on the stack), which only a run on a Mac exercises.
 */
class JnaVarargsTest {
    @TempDir
    Path dir;

    @Test
    void openPassesTheVariadicModeAndFcntlItsArguments() throws Exception {
        Path file = dir.resolve("f");
        byte[] path = Arrays.copyOf(file.toString().getBytes(StandardCharsets.UTF_8), file.toString().length() + 1);
        int fd = JnaBackend.DarwinVarargs.C.open(path, Linux.O_RDWR | Linux.O_CREAT | Linux.O_CLOEXEC, 0600);
        assertTrue(fd >= 0, () -> "open: errno " + Native.getLastError());
        try {
            // 0600 under any usual umask (which clears group and other bits): a lost mode argument gives other bits.
            assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
                    Files.getPosixFilePermissions(file));
            assertEquals(Linux.O_RDWR, JnaBackend.DarwinVarargs.C.fcntl(fd, Linux.F_GETFL, 0) & Linux.O_ACCMODE);
            // A pointer argument: F_OFD_SETLKW with a struct flock, then the lock seen from another description.
            ByteBuffer flock = LibC.allocate(Structs.FLOCK_SIZE);
            flock.putShort(Structs.FLOCK_TYPE, Linux.F_WRLCK);
            assertEquals(0, JnaBackend.DarwinVarargs.C.fcntl(fd, Linux.F_OFD_SETLKW, Native.getDirectBufferPointer(flock)));
            assertEquals(-1, JnaBackend.DarwinVarargs.C.fcntl(-1, Linux.F_GETFL, 0));
            assertEquals(9, Native.getLastError(), "EBADF read back after a varargs call");
        } finally {
            LibC.close(fd);
        }
    }
}
