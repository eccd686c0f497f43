package io.github.fallocate4j.internal;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.module.ModuleFinder;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Properties;

/**
 * Chooses the {@link Backend}, once: {@code -Dfallocate4j.backend=ffm|jna} when given; otherwise FFM on
 * Java 22+ (its class is in the jar's {@code META-INF/versions/22}), else JNA when it is on the class
 * path; else a backend whose every call throws {@link UnsupportedOperationException} saying which
 * dependency to add. The choice never fails the class that asks: the reason travels with the calls.
 * On macOS the binding chosen is wrapped in {@link DarwinBackend}.
 */
final class Backends {
    static final String PROPERTY = "fallocate4j.backend";
    private static final String FFM_CLASS = "io.github.fallocate4j.internal.FfmBackend";

    private Backends() {}

    static Backend select() {
        Backend backend = selectBinding();
        return Platform.isMacOs() && !(backend instanceof Unavailable) ? new DarwinBackend(backend) : backend;
    }

    private static Backend selectBinding() {
        String forced = System.getProperty(PROPERTY, "");
        switch (forced) {
            case "ffm":
                return ffm();
            case "jna":
                return jna();
            case "":
                if (Runtime.version().feature() >= 22) {
                    Backend ffm = ffm();
                    // The FFM class is missing when the library runs from class directories rather than
                    // its jar (target/classes ignores META-INF/versions): JNA, if present, still works.
                    return ffm instanceof Unavailable && jnaPresent() ? jna() : ffm;
                }
                return jna();
            default:
                return new Unavailable("-D" + PROPERTY + "=" + forced + " names no backend: use ffm or jna");
        }
    }

    private static Backend ffm() {
        int feature = Runtime.version().feature();
        if (feature < 22) {
            return new Unavailable("fallocate4j's FFM backend needs Java 22 or newer, and this is Java " + feature
                    + "; on Java 17 to 21 it calls C through JNA: " + jnaAdvice());
        }
        try {
            Class<?> type = Class.forName(FFM_CLASS);
            return (Backend) MethodHandles.lookup().findConstructor(type, MethodType.methodType(void.class)).invoke();
        } catch (ClassNotFoundException e) {
            return new Unavailable("fallocate4j's FFM backend is missing: it is in the jar's META-INF/versions/22, "
                    + "which class directories and jars without Multi-Release: true in their manifest do not see");
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static Backend jna() {
        if (!jnaPresent()) {
            String calls = "fallocate4j calls C through JNA on Java " + Runtime.version().feature()
                    + " (through the FFM API from Java 22), and ";
            return new Unavailable(jnaUnresolvedOnModulePath()
                    ? calls + "JNA is on the module path but not in the module graph: fallocate4j requires it"
                            + " static, so add the JVM option --add-modules com.sun.jna"
                    : calls + "JNA is not on the class path: " + jnaAdvice());
        }
        try {
            return new JnaBackend();
        } catch (LinkageError e) {
            return new Unavailable("JNA could not load its native library or bind the C library: " + e, e);
        }
    }

    private static boolean jnaPresent() {
        try {
            Class.forName("com.sun.jna.Native", false, Backends.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /**
     * Whether JNA's module is on the module path but was not resolved: a {@code requires static}
     * dependency joins the module graph only when something else requires it or {@code --add-modules}
     * names it, which is the one thing such a user has to add.
     */
    private static boolean jnaUnresolvedOnModulePath() {
        String modulePath = System.getProperty("jdk.module.path");
        if (!Backends.class.getModule().isNamed() || modulePath == null || modulePath.isEmpty()) {
            return false;
        }
        try {
            Path[] entries = Arrays.stream(modulePath.split(File.pathSeparator)).map(Path::of).toArray(Path[]::new);
            return ModuleFinder.of(entries).find("com.sun.jna").isPresent();
        } catch (RuntimeException e) {   // an unreadable or malformed entry: fall back to the general advice
            return false;
        }
    }

    /** The dependency to add, with the JNA version this library was built and tested with. */
    static String jnaAdvice() {
        return "add the dependency net.java.dev.jna:jna:" + jnaVersion()
                + " (Maven: <groupId>net.java.dev.jna</groupId> <artifactId>jna</artifactId> <version>"
                + jnaVersion() + "</version>)";
    }

    static String jnaVersion() {
        Properties properties = new Properties();
        try (InputStream in = Backends.class.getResourceAsStream("jna.properties")) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties.getProperty("version");
    }

    /** Every call fails with the reason no backend could be used. */
    static final class Unavailable implements Backend {
        private final String reason;
        private final Throwable cause;

        Unavailable(String reason) {
            this(reason, null);
        }

        Unavailable(String reason, Throwable cause) {
            this.reason = reason;
            this.cause = cause;
        }

        private UnsupportedOperationException fail() {
            return new UnsupportedOperationException(reason, cause);
        }

        @Override
        public String name() {
            return "none";
        }

        @Override
        public int fallocate(int fd, int mode, long offset, long len) {
            throw fail();
        }

        @Override
        public int posixFallocate(int fd, long offset, long len) {
            throw fail();
        }

        @Override
        public int posixFadvise(int fd, long offset, long len, int advice) {
            throw fail();
        }

        @Override
        public int open(byte[] path, int flags) {
            throw fail();
        }

        @Override
        public int fsync(int fd) {
            throw fail();
        }

        @Override
        public int close(int fd) {
            throw fail();
        }

        @Override
        public int fcntl(int fd, int command, int argument) {
            throw fail();
        }

        @Override
        public int fcntl(int fd, int command, ByteBuffer argument) {
            throw fail();
        }

        @Override
        public long lseek(int fd, long offset, int whence) {
            throw fail();
        }

        @Override
        public long pread(int fd, ByteBuffer buffer, long offset) {
            throw fail();
        }

        @Override
        public long preadv2(int fd, ByteBuffer buffer, long offset, int flags) {
            throw fail();
        }

        @Override
        public long pwrite(int fd, ByteBuffer buffer, long offset) {
            throw fail();
        }

        @Override
        public int ftruncate(int fd, long length) {
            throw fail();
        }

        @Override
        public int fstat(int fd, ByteBuffer stat) {
            throw fail();
        }

        @Override
        public int statx(int fd, ByteBuffer statx) {
            throw fail();
        }

        @Override
        public int fstatvfs(int fd, ByteBuffer statvfs) {
            throw fail();
        }

        @Override
        public int fstatfs(int fd, ByteBuffer statfs) {
            throw fail();
        }

        @Override
        public int ioctl(int fd, long request, ByteBuffer argument) {
            throw fail();
        }

        @Override
        public int residentPages(int fd, long offset, long length, ByteBuffer vector) {
            throw fail();
        }

        @Override
        public int cachestat(int fd, ByteBuffer range, ByteBuffer cachestat) {
            throw fail();
        }

        @Override
        public int faccessat2(int fd, int mode, int flags) {
            throw fail();
        }

        @Override
        public long address(ByteBuffer direct) {
            throw fail();
        }

        @Override
        public int madvise(ByteBuffer mapping, long address, long length, int advice) {
            throw fail();
        }

        @Override
        public int pageSize() {
            throw fail();
        }
    }
}
