package io.github.fallocate4j.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.fallocate4j.Errno;
import io.github.fallocate4j.fs.Sh;
import java.lang.invoke.MethodHandle;
import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * FFM-only internals, on Java 22+ (the JDK 17 run leaves this out by its tag). The tests compile for
 * Java 17, so the FFM API is reached by reflection: {@code FfmBackend.bind(name, FunctionDescriptor,
 * Linker.Option...)} of a function the C library lacks, and the macOS binding of madvise.
 */
@Tag("jdk22")
class FfmBackendTest {
    @Test
    void aMissingFunctionFailsWhenCalledNotWhenBound() throws Exception {
        Class<?> backend = Class.forName("io.github.fallocate4j.internal.FfmBackend");
        Class<?> descriptorType = Class.forName("java.lang.foreign.FunctionDescriptor");
        Class<?> layoutType = Class.forName("java.lang.foreign.MemoryLayout");
        Class<?> optionType = Class.forName("java.lang.foreign.Linker$Option");
        Object javaInt = Class.forName("java.lang.foreign.ValueLayout").getField("JAVA_INT").get(null);
        Object layouts = Array.newInstance(layoutType, 1);
        Array.set(layouts, 0, javaInt);
        Object descriptor = descriptorType.getMethod("of", layoutType, layouts.getClass()).invoke(null, javaInt, layouts);
        Method bind = backend.getDeclaredMethod("bind", String.class, descriptorType, Array.newInstance(optionType, 0).getClass());
        MethodHandle missing = (MethodHandle) bind.invoke(null, "fallocate4j_no_such_function", descriptor,
                Array.newInstance(optionType, 0));
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> missing.invokeWithArguments(1));
        assertEquals("the C library has no fallocate4j_no_such_function()", e.getMessage());
    }

    /**
     * The binding macOS uses for madvise (the C library's symbol, a fourth argument it does not read),
     * called on Linux, whose x86_64 calling convention macOS x86_64 shares: address, length and advice
     * arrive, seen by DONTNEED's effect on a private mapping (Linux discards the changes of the pages it
     * covers, here the first of two), and errno comes back.
     */
    @Test
    void theCLibrarysMadviseGetsItsArgumentsAndErrno(@TempDir Path dir) throws Exception {
        String emulator = Sh.emulator();
        Assumptions.assumeTrue(emulator == null,
                () -> "qemu-user emulation: qemu-user runs madvise itself, not the kernel (" + emulator + ")");
        int page = (int) LibC.pageSize();
        Path file = dir.resolve("mapped");
        byte[] bytes = new byte[2 * page];
        Arrays.fill(bytes, (byte) 0x5a);
        Files.write(file, bytes);
        Method madvise = Class.forName("io.github.fallocate4j.internal.FfmBackend")
                .getDeclaredMethod("libcMadvise", ByteBuffer.class, long.class, long.class, int.class);
        // A private mapping needs a channel open for writing too, though nothing reaches the file.
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            MappedByteBuffer map = channel.map(FileChannel.MapMode.PRIVATE, 0, 2 * page);
            map.put(0, (byte) 1);
            map.put(page, (byte) 2);
            long address = LibC.backend().address(map);
            assertEquals(0, madvise.invoke(null, map, address, (long) page, Linux.MADV_DONTNEED));
            assertEquals(0x5a, map.get(0), "the first page's change was discarded");
            assertEquals(2, map.get(page), "the second page was not in the range");
            assertEquals(-Errno.EINVAL.number(), madvise.invoke(null, map, address, (long) page, 999), "unknown advice");
        }
        assertArrayEquals(bytes, Files.readAllBytes(file));
    }
}
