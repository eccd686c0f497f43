package io.github.fallocate4j.fs;

import io.github.fallocate4j.AllocateOption;
import io.github.fallocate4j.FileSpace;
import io.github.fallocate4j.FileSpaceException;
import io.github.fallocate4j.ModeNotSupportedException;
import io.github.fallocate4j.SparseFiles;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Random;
import java.util.Set;

/**
 * A real file and an in-memory model of it (bytes and size), changed together by {@link Op}s. After
 * every step the file's size and every byte must equal the model's; a call the model says is invalid
 * must fail and change nothing. Modes the filesystem answers EOPNOTSUPP for are skipped from then on.
 */
final class FileModel {
    /** The model's capacity; ops keep files below it. */
    static final int MAX = 256 << 10;

    enum Kind { WRITE, TRUNCATE, ALLOCATE, ALLOCATE_KEEP_SIZE, PUNCH, ZERO, ZERO_KEEP_SIZE, COLLAPSE, INSERT }

    /** One step; {@code seed} makes written data reproducible in a printed sequence. */
    record Op(Kind kind, long offset, long len, int seed) {
        @Override
        public String toString() {
            return kind + "(" + offset + ", " + len + (kind == Kind.WRITE ? ", seed " + seed : "") + ")";
        }
    }

    private final RandomAccessFile raf;
    private final FileChannel ch;
    final long block;
    private final byte[] model = new byte[2 * MAX];
    private final ByteBuffer read = ByteBuffer.allocate(2 * MAX);
    private int size;
    private final Set<Kind> unsupported = EnumSet.noneOf(Kind.class);
    private long ops;

    FileModel(Path file) throws IOException {
        raf = new RandomAccessFile(file.toFile(), "rw");
        raf.setLength(0);
        ch = raf.getChannel();
        block = SparseFiles.blockSize(ch);
    }

    int size() {
        return size;
    }

    long ops() {
        return ops;
    }

    void close() throws IOException {
        raf.close();
    }

    /** Applies {@code op} to the file and the model, then compares them. */
    void apply(Op op) {
        ops++;
        boolean valid = valid(op);
        try {
            if (unsupported.contains(op.kind())) {
                expectUnsupported(op);
            } else {
                try {
                    call(op);
                    if (!valid) {
                        throw new AssertionError(op + " should have failed on a file of " + size + " bytes, block " + block);
                    }
                    update(op);
                } catch (ModeNotSupportedException e) {
                    if (op.kind() != Kind.ZERO && op.kind() != Kind.ZERO_KEEP_SIZE && op.kind() != Kind.COLLAPSE && op.kind() != Kind.INSERT) {
                        throw new AssertionError(op + ": EOPNOTSUPP for a mode every filesystem here supports", e);
                    }
                    unsupported.add(op.kind());
                } catch (FileSpaceException | IllegalArgumentException e) {
                    if (valid) {
                        throw new AssertionError(op + " failed on a file of " + size + " bytes, block " + block + ": " + e, e);
                    }
                }
            }
            compare(op);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void expectUnsupported(Op op) throws IOException {
        try {
            call(op);
            throw new AssertionError(op + " succeeded after EOPNOTSUPP");
        } catch (ModeNotSupportedException | IllegalArgumentException expected) {
            // Still unsupported (or rejected before the call); the comparison proves nothing changed.
        }
    }

    /** What the kernel (and the library's argument checks) accept, by fallocate(2). */
    private boolean valid(Op op) {
        if (op.offset() < 0 || op.len() <= 0) {
            return op.kind() == Kind.TRUNCATE && op.offset() >= 0;
        }
        boolean aligned = op.offset() % block == 0 && op.len() % block == 0;
        return switch (op.kind()) {
            case COLLAPSE -> aligned && op.offset() + op.len() < size;
            case INSERT -> aligned && op.offset() < size;
            default -> true;
        };
    }

    private void call(Op op) throws IOException {
        long off = op.offset();
        long len = op.len();
        switch (op.kind()) {
            case WRITE -> ch.write(ByteBuffer.wrap(data(op)), off);
            case TRUNCATE -> raf.setLength(off);
            case ALLOCATE -> FileSpace.allocate(ch, off, len);
            case ALLOCATE_KEEP_SIZE -> FileSpace.allocate(ch, off, len, AllocateOption.KEEP_SIZE);
            case PUNCH -> FileSpace.punchHole(ch, off, len);
            case ZERO -> FileSpace.zeroRange(ch, off, len);
            case ZERO_KEEP_SIZE -> FileSpace.zeroRange(ch, off, len, AllocateOption.KEEP_SIZE);
            case COLLAPSE -> FileSpace.collapseRange(ch, off, len);
            case INSERT -> FileSpace.insertRange(ch, off, len);
        }
    }

    private void update(Op op) {
        int off = (int) op.offset();
        int len = (int) op.len();
        int end = off + len;
        switch (op.kind()) {
            case WRITE -> {
                zeroGap(off);
                System.arraycopy(data(op), 0, model, off, len);
                size = Math.max(size, end);
            }
            case TRUNCATE -> {
                zeroGap(off);
                size = off;
            }
            case ALLOCATE, ZERO -> {
                zeroGap(end);
                if (op.kind() == Kind.ZERO) {
                    Arrays.fill(model, off, end, (byte) 0);
                }
                size = Math.max(size, end);
            }
            case PUNCH, ZERO_KEEP_SIZE -> {
                if (off < size) {
                    Arrays.fill(model, off, Math.min(end, size), (byte) 0);
                }
            }
            case COLLAPSE -> {
                System.arraycopy(model, end, model, off, size - end);
                size -= len;
            }
            case INSERT -> {
                System.arraycopy(model, off, model, end, size - off);
                Arrays.fill(model, off, end, (byte) 0);
                size += len;
            }
            case ALLOCATE_KEEP_SIZE -> { }
        }
    }

    /** Bytes between the old end and {@code newEnd} read as zeros when the file grows. */
    private void zeroGap(int newEnd) {
        if (newEnd > size) {
            Arrays.fill(model, size, newEnd, (byte) 0);
        }
    }

    private static byte[] data(Op op) {
        byte[] b = new byte[(int) op.len()];
        new Random(op.seed()).nextBytes(b);
        return b;
    }

    private void compare(Op op) throws IOException {
        long real = ch.size();
        if (real != size) {
            throw new AssertionError("after " + op + ": size " + real + ", model " + size);
        }
        read.clear().limit(size);
        while (read.hasRemaining() && ch.read(read, read.position()) >= 0) {
            // read the whole file
        }
        int mismatch = Arrays.mismatch(read.array(), 0, size, model, 0, size);
        if (mismatch >= 0) {
            throw new AssertionError("after " + op + ": byte " + mismatch + " is " + read.array()[mismatch]
                    + ", model " + model[mismatch] + " (size " + size + ", block " + block + ")");
        }
    }
}
