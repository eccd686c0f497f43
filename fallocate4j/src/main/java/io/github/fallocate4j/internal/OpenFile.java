package io.github.fallocate4j.internal;

import io.github.fallocate4j.Errno;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A descriptor the library is working on, with the path it was opened from when known. Turns every
 * kind of file a caller can hold into one, and opens and always closes a {@link Path} for the caller.
 */
public record OpenFile(int fd, Path path) {
    private static final Charset FILE_NAME_CHARSET = fileNameCharset();

    /** The charset the JDK encodes file names (and decodes the command line) in: the locale's, fixed at JVM start. */
    public static Charset fileNameCharset() {
        try {
            return Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"));
        } catch (IllegalArgumentException e) {
            return StandardCharsets.UTF_8;
        }
    }

    /** How a {@link Path} is opened; descriptors the caller passes are used as they are. */
    public enum Access {
        READ(LibC.O_RDONLY),
        WRITE(LibC.O_RDWR),
        /** For allocating calls: the file is created (mode 0666 less the umask) when missing, as fallocate(1) does. */
        CREATE(LibC.O_RDWR | LibC.O_CREAT);

        final int flags;

        Access(int flags) {
            // No controlling terminal grabs, no descriptor leaked into child processes, and no
            // hang opening a FIFO: the call then fails with ESPIPE instead.
            this.flags = flags | LibC.O_CLOEXEC | LibC.O_NONBLOCK;
        }
    }

    /** What a caller runs on the descriptor. */
    @FunctionalInterface
    public interface Body<T> {
        T apply(OpenFile file) throws IOException;
    }

    /**
     * Runs {@code body} on the descriptor behind {@code file}: a {@link Path}, {@link FileChannel},
     * {@link RandomAccessFile}, {@link FileInputStream}, {@link FileOutputStream}, {@link FileDescriptor}
     * or {@link Integer} fd. A Path is opened for {@code access} and closed afterwards, even on failure.
     */
    public static <T> T with(Object file, Access access, Body<T> body) throws IOException {
        Objects.requireNonNull(file, "file");
        Platform.requireSupported();
        return switch (file) {
            case Path path -> withClosing(open(path, access), body);
            case FileChannel channel -> body.apply(of(channel));
            case RandomAccessFile raf -> body.apply(of(raf.getFD()));
            case FileInputStream in -> body.apply(of(in.getFD()));
            case FileOutputStream out -> body.apply(of(out.getFD()));
            case FileDescriptor fd -> body.apply(of(fd));
            case Integer fd -> body.apply(of(fd));
            default -> throw new IllegalArgumentException("cannot take the file descriptor of a "
                    + file.getClass().getName());
        };
    }

    /** A raw descriptor the caller owns; refused when negative, before any system call. */
    public static OpenFile of(int fd) {
        if (fd < 0) {
            throw new IllegalArgumentException("fd must be >= 0, was " + fd);
        }
        Platform.requireSupported();
        return new OpenFile(fd, null);
    }

    /** The descriptor behind a channel the caller owns. */
    public static OpenFile of(FileChannel channel) throws ClosedChannelException {
        Objects.requireNonNull(channel, "file");
        Platform.requireSupported();
        return new OpenFile(Descriptors.of(channel), null);
    }

    private static OpenFile of(FileDescriptor descriptor) throws IOException {
        int fd = Descriptors.of(descriptor);
        if (fd < 0) {
            throw Errors.closedDescriptor();
        }
        return new OpenFile(fd, null);
    }

    /**
     * Runs {@code body} on a descriptor of the library's own for {@code file} (see {@link #own}), closed
     * afterwards, even on failure: for calls that run long enough for the caller to close its handle
     * meanwhile, when the number could be reused by an unrelated file.
     */
    public static <T> T withOwn(Object file, Access access, Body<T> body) throws IOException {
        return withClosing(own(file, access), body);
    }

    /**
     * A descriptor the caller must {@link #close()}: a {@link Path} opened for {@code access}, or a
     * duplicate (fcntl F_DUPFD_CLOEXEC) of the descriptor behind any other kind of file. The duplicate
     * refers to the same open file description, so it reads and writes the same file, at the same
     * access, whatever the caller later does with its own descriptor. The caller's handle is looked at
     * again after duplicating: had it been closed in between, the number duplicated may already have
     * been another file's, so that fails as a closed handle would.
     */
    public static OpenFile own(Object file, Access access) throws IOException {
        if (file instanceof Path path) {
            return open(path, access);
        }
        OpenFile callers = with(file, access, f -> f);
        int fd = LibC.duplicate(callers.fd());
        if (fd < 0) {
            throw Errors.of(-fd, callers, "fcntl(F_DUPFD_CLOEXEC)");
        }
        OpenFile own = new OpenFile(fd, null);
        try {
            if (with(file, access, f -> f).fd() != callers.fd()) {
                throw file instanceof FileChannel ? new ClosedChannelException() : Errors.closedDescriptor();
            }
        } catch (IOException | RuntimeException e) {
            LibC.close(fd);
            throw e;
        }
        return own;
    }

    private static <T> T withClosing(OpenFile file, Body<T> body) throws IOException {
        T result;
        try {
            result = body.apply(file);
        } catch (Throwable t) {
            LibC.close(file.fd);
            throw t;
        }
        file.close();
        return result;
    }

    /** Opens a path; the caller must {@link #close()} the result. */
    public static OpenFile open(Path path, Access access) throws IOException {
        Objects.requireNonNull(path, "file");
        Platform.requireSupported();
        if (path.getFileSystem() != java.nio.file.FileSystems.getDefault()) {
            throw new IllegalArgumentException(path + " is not on the default file system");
        }
        int fd = LibC.open(nameBytes(path), access.flags);
        if (fd < 0) {
            throw openFailure(path, -fd);
        }
        return new OpenFile(fd, path);
    }

    /**
     * The bytes the JDK itself passes to open(2) for {@code path}: its string in the JVM's file-name
     * charset ({@code sun.jnu.encoding}). A name read from a directory that this charset cannot decode
     * (the byte 0xFF under UTF-8, any non-ASCII byte under {@code LC_ALL=C}) has no string that gives its
     * bytes back: encoding {@code toString()} would name another file (and create it), so it is refused.
     */
    private static byte[] nameBytes(Path path) {
        String name = path.toString();
        boolean sameBytes;
        try {
            sameBytes = Path.of(name).equals(path); // a Unix path compares by its bytes
        } catch (InvalidPathException e) {
            sameBytes = false;
        }
        if (!sameBytes) {
            throw new IllegalArgumentException(name + ": the file name's bytes are not valid in this JVM's file-name charset ("
                    + FILE_NAME_CHARSET + "); open it with FileChannel.open and pass the channel");
        }
        return name.getBytes(FILE_NAME_CHARSET);
    }

    /** Closes a descriptor this class opened. */
    public void close() throws IOException {
        int rc = LibC.close(fd);
        if (rc < 0) {
            // NFS and FUSE can report a failed write-back only here.
            throw Errors.of(-rc, this, "close");
        }
    }

    private static IOException openFailure(Path path, int errno) {
        if (errno == Errno.ENOENT.number()) {
            return new NoSuchFileException(path.toString());
        }
        if (errno == Errno.EACCES.number()) {
            return new AccessDeniedException(path.toString());
        }
        return Errors.of(errno, new OpenFile(-1, path), "open");
    }

    /** The path for messages: the one the caller gave, else where /proc says the descriptor points, else "fd N". */
    public String displayName() {
        if (path != null) {
            return path.toString();
        }
        try {
            return Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
        } catch (IOException | UnsupportedOperationException e) {
            return "fd " + fd;
        }
    }
}
