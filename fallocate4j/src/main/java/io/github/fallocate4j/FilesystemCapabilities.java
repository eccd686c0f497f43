package io.github.fallocate4j;

import io.github.fallocate4j.internal.Calls;
import io.github.fallocate4j.internal.OpenFiles;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * What a directory's filesystem really supports, found by trying each operation on a temporary file in
 * that directory: the README's support table as an API, so that an application chooses at start-up
 * rather than at its first EOPNOTSUPP in production. Results are cached per filesystem for the life of
 * the JVM. Advice is tried on a descriptor the probe opens itself (per-descriptor advice is refused on a
 * {@link Path}), so probing needs no JVM option but {@code --enable-native-access} (see {@link Fallocate}).
 *
 * @see #of(Path)
 */
public final class FilesystemCapabilities {
    private static final Map<String, FilesystemCapabilities> CACHE = new ConcurrentHashMap<>();
    /** The answer of an operation that worked. */
    public static final String YES = "yes";

    /** The operations probed. */
    public enum Operation {
        /** fallocate(2) mode 0 ({@link FileSpace#allocate}). */
        ALLOCATE,
        /** fallocate(2) {@code KEEP_SIZE}: reserving past the end, what {@link ReservingChannel} needs. */
        ALLOCATE_KEEP_SIZE,
        /** {@code PUNCH_HOLE|KEEP_SIZE} ({@link FileSpace#punchHole}). */
        PUNCH_HOLE,
        /** {@code ZERO_RANGE} ({@link FileSpace#zeroRange}). */
        ZERO_RANGE,
        /** {@code ZERO_RANGE|KEEP_SIZE}. */
        ZERO_RANGE_KEEP_SIZE,
        /** {@code COLLAPSE_RANGE} ({@link FileSpace#collapseRange}). */
        COLLAPSE_RANGE,
        /** {@code INSERT_RANGE} ({@link FileSpace#insertRange}). */
        INSERT_RANGE,
        /** {@code UNSHARE_RANGE} ({@link FileSpace#unshareRange}). */
        UNSHARE_RANGE,
        /** {@code WRITE_ZEROES} ({@link FileSpace#writeZeroes}). */
        WRITE_ZEROES,
        /**
         * posix_fallocate(3) without emulation: it allocates through fallocate(2) rather than by writing a
         * byte into every block, which glibc does (silently, slowly) where {@link #ALLOCATE} is missing.
         */
        POSIX_FALLOCATE,
        /** posix_fadvise(3) {@code POSIX_FADV_NORMAL}. */
        ADVISE_NORMAL,
        /** posix_fadvise(3) {@code POSIX_FADV_RANDOM}. */
        ADVISE_RANDOM,
        /** posix_fadvise(3) {@code POSIX_FADV_SEQUENTIAL}. */
        ADVISE_SEQUENTIAL,
        /** posix_fadvise(3) {@code POSIX_FADV_WILLNEED}. */
        ADVISE_WILLNEED,
        /** posix_fadvise(3) {@code POSIX_FADV_DONTNEED}. */
        ADVISE_DONTNEED,
        /** posix_fadvise(3) {@code POSIX_FADV_NOREUSE}. */
        ADVISE_NOREUSE,
        /**
         * lseek(2) {@code SEEK_DATA}/{@code SEEK_HOLE} report holes ({@link SparseFiles#regions}); the answer
         * is {@code "no"} where the filesystem reports a sparse file as all data.
         */
        SEEK_HOLE,
        /** ioctl FS_IOC_FIEMAP ({@link SparseFiles#extents}). */
        FIEMAP
    }

    private final String type;
    private final long blockSize;
    private final long allocationUnit;
    private final Map<Operation, String> answers;

    private FilesystemCapabilities(String type, long blockSize, long allocationUnit, Map<Operation, String> answers) {
        this.type = type;
        this.blockSize = blockSize;
        this.allocationUnit = allocationUnit;
        this.answers = Collections.unmodifiableMap(new EnumMap<>(answers));
    }

    /**
     * The capabilities of the filesystem holding {@code dir}: each {@link Operation} tried on a temporary
     * file made in {@code dir} (removed afterwards, also when a step fails) with a few blocks of data, and
     * the allocation unit measured. The answer is cached per filesystem (device number and mount) for the
     * life of the JVM, so later calls for any directory on the same filesystem make no system call but
     * stat(2). Probing writes at most 16 allocation units and calls fsync(2) a few times.
     *
     * @param dir a directory on the filesystem, writable
     * @return the capabilities
     * @throws java.nio.file.AccessDeniedException when no file can be created in {@code dir}
     * @throws NoSpaceException when the filesystem is too full to probe
     * @throws IOException when the probe file cannot be created, written or examined
     */
    public static FilesystemCapabilities of(Path dir) throws IOException {
        FileStore store = Files.getFileStore(dir);
        String key = Files.getAttribute(dir, "unix:dev") + " " + store.type() + " " + store;
        FilesystemCapabilities known = CACHE.get(key);
        if (known == null) {
            known = probe(dir, store.type());
            CACHE.putIfAbsent(key, known);
        }
        return known;
    }

    private static FilesystemCapabilities probe(Path dir, String type) throws IOException {
        Path file = Files.createTempFile(dir, ".fallocate4j-probe-", ".tmp");
        try {
            long blockSize = SparseFiles.blockSize(file);
            long unit = allocationUnit(file, blockSize);
            Map<Operation, String> answers = new EnumMap<>(Operation.class);
            for (Operation op : Operation.values()) {
                answers.put(op, op == Operation.POSIX_FALLOCATE ? answers.get(Operation.ALLOCATE) : answer(op, file, unit));
            }
            return new FilesystemCapabilities(type, blockSize, unit, answers);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** What one fallocate(KEEP_SIZE) of a byte allocates in an empty file; failing that, what a written byte takes. */
    private static long allocationUnit(Path file, long blockSize) throws IOException {
        try {
            FileSpace.allocate(file, 0, 1, AllocateOption.KEEP_SIZE);
        } catch (ModeNotSupportedException e) {
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                raf.write(1);
                raf.getFD().sync();
            } catch (IOException written) {
                throw withErrno(file, 1, written);
            }
        }
        long allocated = SparseFiles.allocatedBytes(file);
        return allocated > 0 ? Math.max(allocated, blockSize) : blockSize; // 0: inline data (btrfs, say)
    }

    /** Tries {@code op} on {@code file} rewritten to 16 units of data: "yes", the errno's name, or "no". */
    private static String answer(Operation op, Path file, long u) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(0); // frees everything, reservations past the end included
            if (op == Operation.SEEK_HOLE) {
                raf.write(1);
                raf.seek(8 * u);
                raf.write(1);
            } else {
                raf.write(new byte[(int) (16 * u)]);
            }
            raf.getFD().sync();
        } catch (IOException written) {
            throw withErrno(file, 16 * u, written);
        }
        try {
            switch (op) {
                case ALLOCATE: FileSpace.allocate(file, 16 * u, 8 * u); break;
                case ALLOCATE_KEEP_SIZE: FileSpace.allocate(file, 16 * u, 8 * u, AllocateOption.KEEP_SIZE); break;
                case PUNCH_HOLE: FileSpace.punchHole(file, 2 * u, 4 * u); break;
                case ZERO_RANGE: FileSpace.zeroRange(file, 2 * u, 4 * u); break;
                case ZERO_RANGE_KEEP_SIZE: FileSpace.zeroRange(file, 14 * u, 8 * u, AllocateOption.KEEP_SIZE); break;
                case COLLAPSE_RANGE: FileSpace.collapseRange(file, 4 * u, 2 * u); break;
                case INSERT_RANGE: FileSpace.insertRange(file, 4 * u, 2 * u); break;
                case UNSHARE_RANGE: FileSpace.unshareRange(file, 0, 16 * u); break;
                case WRITE_ZEROES: FileSpace.writeZeroes(file, 2 * u, 4 * u); break;
                case SEEK_HOLE:
                    try (Stream<Region> regions = SparseFiles.regions(file)) {
                        return regions.anyMatch(Region::isHole) ? YES : "no";
                    }
                case FIEMAP: SparseFiles.extents(file); break;
                default:
                    // On a descriptor (NORMAL, RANDOM, SEQUENTIAL and NOREUSE are refused on a Path) of the
                    // library's own: a FileChannel's would need the --add-opens a Path call does without.
                    int advice = Advice.valueOf(op.name().substring("ADVISE_".length())).value();
                    OpenFiles.with(file, OpenFiles.Access.READ, f -> {
                        Calls.posixFadvise(f, 0, 0, advice);
                        return null;
                    });
            }
            return YES;
        } catch (NoSpaceException e) {
            throw e;
        } catch (FileSpaceException e) {
            return e.errnoName();
        }
    }

    /**
     * The failure of a write to the probe file, which the JDK reports without an errno, as the library's
     * exception: posix_fallocate(3) of the bytes written says why ({@link NoSpaceException} for a full
     * device); the write's own exception where that works.
     */
    private static IOException withErrno(Path file, long len, IOException written) {
        try {
            FileSpace.posixAllocate(file, 0, len);
        } catch (FileSpaceException e) {
            e.addSuppressed(written);
            return e;
        } catch (IOException | RuntimeException e) {
            written.addSuppressed(e);
        }
        return written;
    }

    /**
     * The filesystem's type, as {@link FileStore#type()} and mount(8) name it: {@code ext4}, {@code xfs}, ...
     *
     * @return the type
     */
    public String type() {
        return type;
    }

    /**
     * The filesystem's block size ({@link SparseFiles#blockSize}).
     *
     * @return bytes
     */
    public long blockSize() {
        return blockSize;
    }

    /**
     * The smallest amount of space the filesystem allocates to a file: what reserving one byte of an empty
     * file allocates (the cluster on ext4 with bigalloc, the block or page elsewhere). Reservations and
     * holes come in multiples of it.
     *
     * @return bytes
     */
    public long allocationUnit() {
        return allocationUnit;
    }

    /**
     * Whether the operation worked on the probe file.
     *
     * @param operation the operation
     * @return true when it did
     */
    public boolean supports(Operation operation) {
        return YES.equals(answer(operation));
    }

    /**
     * What the filesystem answered: {@value #YES}, the errno's name (such as {@code "EOPNOTSUPP"}), or
     * {@code "no"} for {@link Operation#SEEK_HOLE} when holes are not reported.
     *
     * @param operation the operation
     * @return the answer
     */
    public String answer(Operation operation) {
        return answers.get(Objects.requireNonNull(operation, "operation"));
    }

    /**
     * Every operation's answer.
     *
     * @return the answers, by operation
     */
    public Map<Operation, String> answers() {
        return answers;
    }

    @Override
    public String toString() {
        return type + " (block " + blockSize + " B, allocation unit " + allocationUnit + " B): " + answers;
    }
}
