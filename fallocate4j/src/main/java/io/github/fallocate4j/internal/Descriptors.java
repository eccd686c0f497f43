package io.github.fallocate4j.internal;

import java.io.FileDescriptor;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.reflect.InaccessibleObjectException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * The one place that reads the int descriptor out of JDK objects. The JDK keeps it in private
 * fields ({@code FileDescriptor.fd}, {@code sun.nio.ch.FileChannelImpl.fd}), so this needs the
 * packages opened to the library; when they are not, the exception names the exact JVM option.
 */
public final class Descriptors {
    private static final String CHANNEL_IMPL = "sun.nio.ch.FileChannelImpl";

    private Descriptors() {}

    /** The descriptor number inside {@code fd}, or -1 when it is closed or was never open. */
    public static int of(FileDescriptor fd) {
        // Invoked with its exact types (FileDescriptor)int: through get(Object)Object the int was boxed
        // and the handle adapted on every call.
        return (int) FileDescriptorField.FD.handle().get(fd);
    }

    /**
     * The library's own channels that wrap a JDK one ({@code ReservingChannel}), each with how to reach
     * the channel it wraps: registered by the class itself when it is initialised, so before any instance
     * can reach this class.
     */
    private static final Map<Class<?>, UnaryOperator<FileChannel>> WRAPPERS = new ConcurrentHashMap<>();

    /** Registers a FileChannel of the library's own that wraps a JDK channel, which {@code wrapped} gives. */
    public static void registerWrapper(Class<? extends FileChannel> type, UnaryOperator<FileChannel> wrapped) {
        WRAPPERS.put(type, wrapped);
    }

    /** The descriptor behind a JDK file channel, or behind the JDK channel a library channel wraps. */
    public static int of(FileChannel channel) throws ClosedChannelException {
        // A class identity check rather than comparing names: this runs on every call on a channel.
        UnaryOperator<FileChannel> wrapped = channel.getClass() == ChannelImpl.CLASS ? null : WRAPPERS.get(channel.getClass());
        if (wrapped != null) {
            if (!channel.isOpen()) {
                throw new ClosedChannelException();
            }
            channel = wrapped.apply(channel);
        }
        if (channel.getClass() != ChannelImpl.CLASS) {
            throw new IllegalArgumentException(channel.getClass().getName()
                    + " is not backed by a file descriptor (only channels from FileChannel.open, "
                    + "RandomAccessFile, FileInputStream and FileOutputStream are)");
        }
        if (!channel.isOpen()) {
            throw new ClosedChannelException();
        }
        ChannelField.FD.requireOpenedWith(FileDescriptorField.FD);
        int fd = of((FileDescriptor) ChannelField.FD.handle().get(channel));
        if (fd < 0) {
            throw new ClosedChannelException();
        }
        return fd;
    }

    private static String packageOf(String className) {
        return className.substring(0, className.lastIndexOf('.'));
    }

    private static String simpleName(String className) {
        return className.substring(className.lastIndexOf('.') + 1);
    }

    /** The JVM option that opens {@code packageName} of java.base to this library. */
    static String addOpensOption(String packageName) {
        Module self = Descriptors.class.getModule();
        String target = self.isNamed() ? self.getName() : "ALL-UNNAMED";
        return "--add-opens java.base/" + packageName + "=" + target;
    }

    /**
     * A private field's handle, or why the JVM refused it. The refusal is kept rather than thrown from
     * a static initialiser, so every call reports it in the same words.
     */
    private record PrivateField(String className, VarHandle handle, RuntimeException refusal) {
        static PrivateField lookUp(String className, String name, Class<?> type) {
            Class<?> owner;
            try {
                owner = Class.forName(className);
                return new PrivateField(className,
                        MethodHandles.privateLookupIn(owner, MethodHandles.lookup()).findVarHandle(owner, name, type), null);
            } catch (IllegalAccessException | InaccessibleObjectException e) {
                return new PrivateField(className, null, new InaccessibleObjectException(
                        "fallocate4j needs the JVM option " + addOpensOption(packageOf(className))
                        + " to read the file descriptor inside a " + simpleName(className)
                        + "; add it to the java command line, or pass a Path or an int fd instead"));
            } catch (ClassNotFoundException | NoSuchFieldException e) {
                return new PrivateField(className, null, new UnsupportedOperationException(
                        "this JDK has no field " + className + "." + name + "; pass a Path or an int fd instead", e));
            }
        }

        /**
         * Throws when this field or {@code next}, which is read through it, is closed to the library,
         * naming every --add-opens option missing at once: one at a time, the user would add the first,
         * run again, and only then learn of the second.
         */
        void requireOpenedWith(PrivateField next) {
            boolean thisClosed = refusal instanceof InaccessibleObjectException;
            boolean nextClosed = next.refusal instanceof InaccessibleObjectException;
            if (thisClosed && nextClosed) {
                throw new InaccessibleObjectException("fallocate4j needs the JVM options "
                        + addOpensOption(packageOf(className)) + " " + addOpensOption(packageOf(next.className))
                        + " to read the file descriptor inside a " + simpleName(className)
                        + "; add them to the java command line, or pass a Path or an int fd instead");
            }
            handle();
            next.handle();
        }

        /** The handle, or the reason there is none; the caller invokes it with the field's exact types. */
        @Override
        public VarHandle handle() {
            if (handle == null) {
                // A fresh exception each time, so its stack trace shows the caller.
                if (refusal instanceof InaccessibleObjectException) {
                    throw new InaccessibleObjectException(refusal.getMessage());
                }
                throw new UnsupportedOperationException(refusal.getMessage(), refusal.getCause());
            }
            return handle;
        }
    }

    // Looked up on first use, each on its own, so a missing sun.nio.ch opening leaves the
    // FileDescriptor path working.
    private static final class FileDescriptorField {
        static final PrivateField FD = PrivateField.lookUp("java.io.FileDescriptor", "fd", int.class);
    }

    /** The JDK's FileChannel implementation, or null on a JDK without it. Loading it needs no opening. */
    private static final class ChannelImpl {
        static final Class<?> CLASS = load();

        private static Class<?> load() {
            try {
                return Class.forName(CHANNEL_IMPL);
            } catch (ClassNotFoundException e) {
                return null;
            }
        }
    }

    private static final class ChannelField {
        static final PrivateField FD = PrivateField.lookUp(CHANNEL_IMPL, "fd", FileDescriptor.class);
    }
}
