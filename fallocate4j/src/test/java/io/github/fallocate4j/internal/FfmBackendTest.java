package io.github.fallocate4j.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.invoke.MethodHandle;
import java.lang.reflect.Array;
import java.lang.reflect.Method;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * FFM-only internals, on Java 22+ (the JDK 17 run leaves this out by its tag). The tests compile for
 * Java 17, so the FFM API is reached by reflection: {@code FfmBackend.bind(name, FunctionDescriptor,
 * Linker.Option...)} of a function the C library lacks.
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
}
