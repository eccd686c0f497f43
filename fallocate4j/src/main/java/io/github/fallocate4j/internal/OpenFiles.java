package io.github.fallocate4j.internal;

import io.github.fallocate4j.Errno;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import io.github.fallocate4j.FileSpaceException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Turns every kind of file a caller can hold into an {@link OpenFile}, and opens and always closes a
 * {@link Path} for the caller. The descriptor value itself is {@link OpenFile}, which knows nothing of this.
 */
public final class OpenFiles {
    private static final Charset FILE_NAME_CHARSET = OpenFile.fileNameCharset();
    /** The longest pause between two opens waiting out a lease (see {@link #openWaitingOutLeases}). */
    private static final long LEASE_WAIT_LONGEST_PAUSE = TimeUnit.MILLISECONDS.toNanos(100);

    private OpenFiles() {}

    /** How a {@link Path} is opened; descriptors the caller passes are used as they are. */
    public enum Access {
        READ(Linux.O_RDONLY),
        WRITE(Linux.O_RDWR),
        /** For allocating calls: the file is created (mode 0666 less the umask) when missing, as fallocate(1) does. */
        CREATE(Linux.O_RDWR | Linux.O_CREAT);

        final int flags;

        Access(int flags) {
            // No controlling terminal grabs, no descriptor leaked into child processes, and no
            // hang opening a FIFO: the call then fails with ESPIPE instead.
            this.flags = flags | Linux.O_CLOEXEC | Linux.O_NONBLOCK;
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
        if (file instanceof Path) {
            return withClosing(open((Path) file, access), body);
        }
        if (file instanceof FileChannel) {
            return body.apply(of((FileChannel) file));
        }
        if (file instanceof RandomAccessFile) {
            return body.apply(of(((RandomAccessFile) file).getFD()));
        }
        if (file instanceof FileInputStream) {
            return body.apply(of(((FileInputStream) file).getFD()));
        }
        if (file instanceof FileOutputStream) {
            return body.apply(of(((FileOutputStream) file).getFD()));
        }
        if (file instanceof FileDescriptor) {
            return body.apply(of((FileDescriptor) file));
        }
        if (file instanceof Integer) {
            return body.apply(of((int) (Integer) file));
        }
        throw new IllegalArgumentException("cannot take the file descriptor of a " + file.getClass().getName());
    }

    /** A raw descriptor the caller owns; refused when negative, before any system call. */
    public static OpenFile of(int fd) {
        if (fd < 0) {
            throw new IllegalArgumentException("fd must be >= 0, was " + fd);
        }
        Platform.requireSupported();
        return new OpenFile(fd, null, true);
    }

    /** The descriptor behind a channel the caller owns. */
    public static OpenFile of(FileChannel channel) throws ClosedChannelException {
        Objects.requireNonNull(channel, "file");
        Platform.requireSupported();
        return new OpenFile(Descriptors.of(channel), null, true);
    }

    private static OpenFile of(FileDescriptor descriptor) throws IOException {
        int fd = Descriptors.of(descriptor);
        if (fd < 0) {
            throw Errors.closedDescriptor();
        }
        return new OpenFile(fd, null, true);
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
     * A descriptor the caller must {@link #close(OpenFile)}: a {@link Path} opened for {@code access}, or,
     * for any other kind of file, a descriptor of the library's own for the file behind the caller's. That
     * is a duplicate (fcntl F_DUPFD_CLOEXEC), which refers to the same file at the same access whatever
     * the caller later does with its own descriptor; the caller's handle is looked at again after
     * duplicating: had it been closed in between, the number duplicated may already have been another
     * file's, so that fails as a closed handle would. A regular file's duplicate is then replaced by a new
     * open file description of the same file ({@link #reopen}), so that lseek(2) SEEK_DATA/SEEK_HOLE on
     * it leave the caller's file offset (its channel's position) alone.
     */
    public static OpenFile own(Object file, Access access) throws IOException {
        if (file instanceof Path) {
            return open((Path) file, access);
        }
        OpenFile callers = with(file, access, f -> f);
        int fd = LibC.duplicate(callers.fd());
        if (fd < 0) {
            throw Errors.of(-fd, callers, "fcntl(F_DUPFD_CLOEXEC)");
        }
        try {
            if (with(file, access, f -> f).fd() != callers.fd()) {
                throw file instanceof FileChannel ? new ClosedChannelException() : Errors.closedDescriptor();
            }
            return reopen(new OpenFile(fd, null, true));
        } catch (IOException | RuntimeException e) {
            LibC.close(fd);
            throw e;
        }
    }

    /**
     * A new open file description of the regular file behind {@code duplicate}, at the same access
     * (open(2) of /proc/self/fd/N, which opens the very file the descriptor refers to, renamed or deleted
     * as it may be), and {@code duplicate} closed; or {@code duplicate} itself, still marked as sharing the
     * caller's offset, where that open fails (no /proc, or the file's permissions changed since the caller
     * opened it) or the file is not a regular one (reopening a device or a FIFO can have effects of its own).
     */
    private static OpenFile reopen(OpenFile duplicate) throws FileSpaceException {
        int flags = LibC.fcntl(duplicate.fd(), Linux.F_GETFL, 0);
        if (flags < 0 || !FileStats.of(duplicate).isRegularFile()) {
            return duplicate;
        }
        int fd = openAgain(duplicate, (flags & Linux.O_ACCMODE) | Linux.O_CLOEXEC | Linux.O_NONBLOCK);
        if (fd < 0) {
            return duplicate;
        }
        LibC.close(duplicate.fd());
        return new OpenFile(fd, null);
    }

    /**
     * The regular file behind {@code file} opened again read-only (open(2) of /proc/self/fd/N): a
     * description of its own, whose offset and read-ahead state are its own; the caller closes it. Null
     * where the open fails (no /proc) or on macOS.
     */
    static OpenFile reopenForReading(OpenFile file) {
        if (Platform.isMacOs()) {
            return null;
        }
        int fd = openAgain(file, Linux.O_RDONLY | Linux.O_CLOEXEC | Linux.O_NONBLOCK);
        return fd < 0 ? null : new OpenFile(fd, null);
    }

    /** open(2) of /proc/self/fd/N with {@code flags}: a new description of the file behind {@code file}; fd or -errno. */
    private static int openAgain(OpenFile file, int flags) {
        return LibC.open(("/proc/self/fd/" + file.fd()).getBytes(StandardCharsets.US_ASCII), flags);
    }

    private static <T> T withClosing(OpenFile file, Body<T> body) throws IOException {
        T result;
        try {
            result = body.apply(file);
        } catch (Throwable t) {
            LibC.close(file.fd());
            throw t;
        }
        close(file);
        return result;
    }

    /** Opens a path; the caller must {@link #close(OpenFile)} the result. */
    public static OpenFile open(Path path, Access access) throws IOException {
        Objects.requireNonNull(path, "file");
        Platform.requireSupported();
        if (path.getFileSystem() != FileSystems.getDefault()) {
            throw new IllegalArgumentException(path + " is not on the default file system");
        }
        int fd = openWaitingOutLeases(nameBytes(path), access.flags);
        if (fd < 0) {
            throw Errors.open(-fd, path);
        }
        return new OpenFile(fd, path);
    }

    /**
     * open(2), tried again while it fails with EWOULDBLOCK: with O_NONBLOCK (see {@link Access}), that
     * says someone holds a lease the open has just begun to break (a dig's, of this JVM or another
     * process; Samba's), where an open without O_NONBLOCK would wait. The holder is asked to give it up,
     * which a dig does within a millisecond or so, and the kernel takes it away after
     * /proc/sys/fs/lease-break-time seconds, after which an open always goes on; so the open is tried
     * again at intervals growing from 1 ms, until then and a second more. An interrupt does not end the
     * wait (a dig's lease is given up within milliseconds, and a call made while it is held waits that moment,
     * interrupted or not, as a dig goes on when interrupted); the interrupt is kept.
     */
    private static int openWaitingOutLeases(byte[] name, int flags) {
        int fd = LibC.open(name, flags);
        if (fd != -Errno.EAGAIN.number()) {
            return fd; // nearly always: the break time is read only when there is a lease to wait out
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WriteLease.breakTimeSeconds() + 1);
        long pause = TimeUnit.MILLISECONDS.toNanos(1);
        while (fd == -Errno.EAGAIN.number() && System.nanoTime() - deadline < 0) {
            Uninterruptibly.pause(pause);
            pause = Math.min(2 * pause, LEASE_WAIT_LONGEST_PAUSE);
            fd = LibC.open(name, flags);
        }
        return fd;
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
    public static void close(OpenFile file) throws IOException {
        int rc = LibC.close(file.fd());
        if (rc < 0) {
            // NFS and FUSE can report a failed write-back only here.
            throw Errors.of(-rc, file, "close");
        }
    }
}
