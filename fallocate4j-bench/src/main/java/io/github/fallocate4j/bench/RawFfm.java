package io.github.fallocate4j.bench;

import java.lang.invoke.MethodHandle;
import java.lang.reflect.Array;
import java.lang.reflect.InvocationTargetException;

/**
 * Bare FFM downcall handles for posix_fadvise and fallocate, with no library code around them: the floor
 * any FFM binding stands on. The benchmarks are compiled for Java 17, so the handles are built through
 * reflection on {@code java.lang.foreign} (Java 22+); what the benchmark then calls is the plain
 * {@link MethodHandle} that {@code Linker.downcallHandle} returns, from a static final field, as the
 * library's FFM backend does. Loaded only by the FFM rows, which run on Java 22+ alone.
 */
final class RawFfm {
    static final MethodHandle POSIX_FADVISE = downcall("posix_fadvise", "JAVA_INT", "JAVA_INT", "JAVA_LONG", "JAVA_LONG", "JAVA_INT");
    static final MethodHandle FALLOCATE = downcall("fallocate", "JAVA_INT", "JAVA_INT", "JAVA_INT", "JAVA_LONG", "JAVA_LONG");

    private RawFfm() {}

    /**
     * {@code Linker.nativeLinker().downcallHandle(defaultLookup().find(name).orElseThrow(),
     * FunctionDescriptor.of(ValueLayout.RESULT, ValueLayout.ARGUMENTS...))}.
     */
    private static MethodHandle downcall(String name, String result, String... arguments) {
        try {
            Class<?> linkerClass = Class.forName("java.lang.foreign.Linker");
            Class<?> lookupClass = Class.forName("java.lang.foreign.SymbolLookup");
            Class<?> layoutClass = Class.forName("java.lang.foreign.MemoryLayout");
            Class<?> valueLayoutClass = Class.forName("java.lang.foreign.ValueLayout");
            Class<?> descriptorClass = Class.forName("java.lang.foreign.FunctionDescriptor");
            Class<?> segmentClass = Class.forName("java.lang.foreign.MemorySegment");
            Class<?> optionClass = Class.forName("java.lang.foreign.Linker$Option");
            Object linker = linkerClass.getMethod("nativeLinker").invoke(null);
            Object lookup = linkerClass.getMethod("defaultLookup").invoke(linker);
            Object symbol = ((java.util.Optional<?>) lookupClass.getMethod("find", String.class).invoke(lookup, name)).orElseThrow();
            Object layouts = Array.newInstance(layoutClass, arguments.length);
            for (int i = 0; i < arguments.length; i++) {
                Array.set(layouts, i, valueLayoutClass.getField(arguments[i]).get(null));
            }
            Object descriptor = descriptorClass.getMethod("of", layoutClass, layouts.getClass())
                    .invoke(null, valueLayoutClass.getField(result).get(null), layouts);
            Object noOptions = Array.newInstance(optionClass, 0);
            return (MethodHandle) linkerClass.getMethod("downcallHandle", segmentClass, descriptorClass, noOptions.getClass())
                    .invoke(linker, symbol, descriptor, noOptions);
        } catch (ClassNotFoundException | NoSuchMethodException | NoSuchFieldException | IllegalAccessException e) {
            throw new IllegalStateException("the FFM rows need Java 22+, and this is Java " + Runtime.version(), e);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException(name + ": no downcall handle", e.getCause());
        }
    }
}
