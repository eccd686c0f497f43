package io.github.fallocate4j.internal;

import static io.github.fallocate4j.Fallocate.FALLOC_FL_COLLAPSE_RANGE;
import static io.github.fallocate4j.Fallocate.FALLOC_FL_INSERT_RANGE;
import static io.github.fallocate4j.Fallocate.FALLOC_FL_KEEP_SIZE;
import static io.github.fallocate4j.Fallocate.FALLOC_FL_PUNCH_HOLE;
import static io.github.fallocate4j.Fallocate.FALLOC_FL_UNSHARE_RANGE;
import static io.github.fallocate4j.Fallocate.FALLOC_FL_WRITE_ZEROES;
import static io.github.fallocate4j.Fallocate.FALLOC_FL_ZERO_RANGE;
import static io.github.fallocate4j.Fallocate.POSIX_FADV_DONTNEED;
import static io.github.fallocate4j.Fallocate.POSIX_FADV_NOREUSE;
import static io.github.fallocate4j.Fallocate.POSIX_FADV_NORMAL;
import static io.github.fallocate4j.Fallocate.POSIX_FADV_RANDOM;
import static io.github.fallocate4j.Fallocate.POSIX_FADV_SEQUENTIAL;
import static io.github.fallocate4j.Fallocate.POSIX_FADV_WILLNEED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.fallocate4j.Errno;
import io.github.fallocate4j.FileSpaceException;
import io.github.fallocate4j.MemoryAdvice;
import io.github.fallocate4j.ModeNotSupportedException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link DarwinBackend} on Linux, over a stand-in for Darwin's C library that answers from a described
 * file and records every call. This proves what the emulation passes to macOS — which command, which
 * struct bytes, which numbers, in which order, and that nothing is called when a mode is refused — and
 * that it translates Darwin's answers. It proves nothing of what macOS does with those calls: the stand-in
 * is not a kernel, and only a run on a Mac (the workflow's macOS jobs) can show that.
 */
class DarwinBackendTest {
    private static final int FD = 7;
    private static final long MIB = 1 << 20;

    /** Darwin's C library as far as the emulation uses it, for one file; Darwin numbers throughout. */
    static final class FakeDarwinC implements Backend {
        long size;
        long allocated;
        long blockSize = 4096;
        int statusFlags = Darwin.O_RDWR;
        List<DarwinPlans.Span> holes = new ArrayList<>();
        int preallocateContigResult = 0;
        long position = 123;
        final List<String> calls = new ArrayList<>();
        final List<ByteBuffer> structs = new ArrayList<>();

        @Override
        public String name() {
            return "fake";
        }

        @Override
        public int fallocate(int fd, int mode, long offset, long len) {
            throw new AssertionError("macOS has no fallocate");
        }

        @Override
        public int posixFallocate(int fd, long offset, long len) {
            throw new AssertionError("macOS has no posix_fallocate");
        }

        @Override
        public int posixFadvise(int fd, long offset, long len, int advice) {
            throw new AssertionError("macOS has no posix_fadvise");
        }

        @Override
        public int open(byte[] path, int flags) {
            calls.add("open " + flags);
            return 5;
        }

        @Override
        public int fsync(int fd) {
            return 0;
        }

        @Override
        public int close(int fd) {
            return 0;
        }

        @Override
        public int fcntl(int fd, int command, int argument) {
            if (command == Darwin.F_GETFL) {
                return statusFlags;
            }
            calls.add("fcntl " + command + " " + argument);
            return 0;
        }

        @Override
        public int fcntl(int fd, int command, ByteBuffer argument) {
            calls.add("fcntl " + command);
            ByteBuffer copy = LibC.allocate(argument.remaining());
            copy.put(0, argument, argument.position(), argument.remaining());
            structs.add(copy);
            boolean contig = command == Darwin.F_PREALLOCATE
                    && (argument.getInt(Darwin.FSTORE_FLAGS) & Darwin.F_ALLOCATECONTIG) != 0;
            return contig ? preallocateContigResult : 0;
        }

        @Override
        public long lseek(int fd, long offset, int whence) {
            if (whence == 0 || whence == 1) {
                long was = position;
                position = whence == 0 ? offset : position;
                return whence == 0 ? offset : was;
            }
            position = -1; // SEEK_DATA and SEEK_HOLE move the descriptor's offset
            if (offset >= size) {
                return -Darwin.ENXIO;
            }
            for (DarwinPlans.Span hole : holes) {
                if (offset < hole.end()) {
                    if (whence == Darwin.SEEK_HOLE) {
                        return Math.max(offset, hole.start());
                    }
                    if (offset >= hole.start()) {
                        return hole.end() >= size ? -Darwin.ENXIO : hole.end();
                    }
                    return offset;
                }
            }
            return whence == Darwin.SEEK_HOLE ? size : offset;
        }

        @Override
        public long pread(int fd, ByteBuffer buffer, long offset) {
            throw new AssertionError("not used");
        }

        @Override
        public long preadv2(int fd, ByteBuffer buffer, long offset, int flags) {
            throw new AssertionError("not used");
        }

        @Override
        public long pwrite(int fd, ByteBuffer buffer, long offset) {
            calls.add("pwrite " + offset + " " + buffer.remaining());
            return buffer.remaining();
        }

        @Override
        public int ftruncate(int fd, long length) {
            calls.add("ftruncate " + length);
            return 0;
        }

        @Override
        public int fstat(int fd, ByteBuffer stat) {
            stat.putShort(Darwin.STAT_MODE, (short) 0100644);
            stat.putLong(Darwin.STAT_SIZE_FIELD, size);
            stat.putLong(Darwin.STAT_BLOCKS, allocated / 512);
            stat.putInt(Darwin.STAT_BLKSIZE, 4096);
            stat.putInt(Darwin.STAT_DEV, (1 << 24) | 5);
            stat.putInt(Darwin.STAT_RDEV, 0);
            return 0;
        }

        @Override
        public int statx(int fd, ByteBuffer statx) {
            throw new AssertionError("macOS has no statx");
        }

        @Override
        public int fstatvfs(int fd, ByteBuffer statvfs) {
            throw new AssertionError("not used");
        }

        @Override
        public int fstatfs(int fd, ByteBuffer statfs) {
            statfs.putInt(Darwin.STATFS_BSIZE, (int) blockSize);
            statfs.put(Darwin.STATFS_FSTYPENAME, new byte[] {'a', 'p', 'f', 's', 0});
            return 0;
        }

        @Override
        public int ioctl(int fd, long request, ByteBuffer argument) {
            throw new AssertionError("no ioctl is passed to macOS");
        }

        @Override
        public int residentPages(int fd, long offset, long length, ByteBuffer vector) {
            return 0;
        }

        @Override
        public int pageSize() {
            return 16384;
        }

        @Override
        public int cachestat(int fd, ByteBuffer range, ByteBuffer cachestat) {
            throw new AssertionError("macOS has no cachestat");
        }

        @Override
        public int faccessat2(int fd, int mode, int flags) {
            throw new AssertionError("macOS has no faccessat2");
        }

        @Override
        public long address(ByteBuffer direct) {
            return 0;
        }

        int madviseResult = 0;

        @Override
        public int madvise(ByteBuffer mapping, long address, long length, int advice) {
            calls.add("madvise " + address + " " + length + " " + advice);
            return madviseResult;
        }
    }

    private final FakeDarwinC c = new FakeDarwinC();
    private final DarwinBackend darwin = new DarwinBackend(c);

    @Test
    void preallocationIsInEndOfFileModeWithOffsetZeroWhateverTheCallersOffset() {
        c.size = MIB;
        c.allocated = MIB;
        assertEquals(0, darwin.fallocate(FD, 0, MIB, MIB));
        assertEquals(List.of("fcntl " + Darwin.F_PREALLOCATE, "ftruncate " + 2 * MIB), c.calls);
        ByteBuffer fstore = c.structs.get(0);
        assertEquals(Darwin.FSTORE_SIZE, fstore.capacity());
        assertEquals(Darwin.F_ALLOCATECONTIG | Darwin.F_ALLOCATEALL | Darwin.F_ALLOCATEPERSIST, fstore.getInt(Darwin.FSTORE_FLAGS));
        assertEquals(Darwin.F_PEOFPOSMODE, fstore.getInt(Darwin.FSTORE_POSMODE));
        assertEquals(0, fstore.getLong(Darwin.FSTORE_OFFSET), "the Python package passes the caller's offset: EINVAL");
        assertEquals(MIB, fstore.getLong(Darwin.FSTORE_LENGTH));
    }

    @Test
    void withoutContiguousSpaceItAsksAgainForAny() {
        c.preallocateContigResult = -Darwin.ENOSPC;
        assertEquals(0, darwin.fallocate(FD, FALLOC_FL_KEEP_SIZE, 0, MIB));
        assertEquals(List.of("fcntl " + Darwin.F_PREALLOCATE, "fcntl " + Darwin.F_PREALLOCATE), c.calls);
        assertEquals(Darwin.F_ALLOCATEALL | Darwin.F_ALLOCATEPERSIST, c.structs.get(1).getInt(Darwin.FSTORE_FLAGS));
        assertEquals(0, c.structs.get(1).getLong(Darwin.FSTORE_OFFSET));
    }

    @Test
    void otherFailuresOfPreallocationAreReportedAsLinuxErrnos() {
        c.preallocateContigResult = -Darwin.ENOTSUP;
        assertEquals(-Errno.EOPNOTSUPP.number(), darwin.fallocate(FD, 0, 0, MIB));
        assertEquals(1, c.calls.size(), "no second try, no ftruncate: " + c.calls);
    }

    @Test
    void aLargerFileIsNeverTruncated() {
        c.size = 10 * MIB;
        c.allocated = 10 * MIB;
        assertEquals(0, darwin.fallocate(FD, 0, 0, MIB));
        assertEquals(0, darwin.posixFallocate(FD, 0, MIB));
        assertEquals(List.of(), c.calls, "the range is allocated and inside the file: nothing to do");
    }

    @Test
    void holesInTheRangeAreWrittenWithZerosAndTheOffsetPutBack() {
        c.size = 4 * MIB;
        c.allocated = 3 * MIB;
        c.holes = List.of(new DarwinPlans.Span(MIB, 2 * MIB));
        assertEquals(0, darwin.fallocate(FD, FALLOC_FL_KEEP_SIZE, 0, 4 * MIB));
        assertEquals(List.of("pwrite " + MIB + " " + MIB), c.calls);
        assertEquals(123, c.position, "lseek SEEK_DATA/SEEK_HOLE moved the caller's offset and it was restored");
    }

    @Test
    void modesMacOsHasNotFailWithoutAnyCall() {
        for (int mode : new int[] {FALLOC_FL_COLLAPSE_RANGE, FALLOC_FL_INSERT_RANGE, FALLOC_FL_ZERO_RANGE,
                FALLOC_FL_ZERO_RANGE | FALLOC_FL_KEEP_SIZE, FALLOC_FL_UNSHARE_RANGE, FALLOC_FL_WRITE_ZEROES,
                FALLOC_FL_PUNCH_HOLE}) {
            assertEquals(-Errno.EOPNOTSUPP.number(), darwin.fallocate(FD, mode, 0, MIB), Modes.fallocateName(mode));
        }
        assertEquals(List.of(), c.calls);
    }

    @Test
    void aReadOnlyDescriptorIsRefusedAsOnLinux() {
        c.statusFlags = Darwin.O_RDONLY;
        assertEquals(-Errno.EBADF.number(), darwin.fallocate(FD, 0, 0, MIB));
        assertEquals(-Errno.EBADF.number(), darwin.fallocate(FD, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0, MIB));
        assertEquals(List.of(), c.calls);
    }

    @Test
    void punchTakesWholeBlocksAndWritesZerosOverTheEdges() {
        c.size = MIB;
        c.allocated = MIB;
        assertEquals(0, darwin.fallocate(FD, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 1000, 20_000));
        assertEquals(List.of("fcntl " + Darwin.F_PUNCHHOLE, "pwrite 1000 3096", "pwrite 20480 520"), c.calls);
        ByteBuffer punch = c.structs.get(0);
        assertEquals(Darwin.FPUNCHHOLE_SIZE, punch.capacity());
        assertEquals(0, punch.getInt(Darwin.FPUNCHHOLE_FLAGS));
        assertEquals(4096, punch.getLong(Darwin.FPUNCHHOLE_OFFSET));
        assertEquals(16384, punch.getLong(Darwin.FPUNCHHOLE_LENGTH));
    }

    @Test
    void punchThroughAnAppendingDescriptorIsRefusedWhenItMustWrite() {
        c.size = MIB;
        c.statusFlags = Darwin.O_RDWR | Darwin.O_APPEND;
        assertEquals(-Errno.EBADF.number(), darwin.fallocate(FD, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 1000, 20_000));
        assertEquals(List.of(), c.calls, "refused before punching anything");
    }

    @Test
    void willNeedIsReadAdviceInIntSizedChunks() {
        c.size = 5L << 30;
        assertEquals(0, darwin.posixFadvise(FD, 0, 0, POSIX_FADV_WILLNEED));
        assertEquals(3, c.calls.size(), c.calls::toString);
        long total = 0;
        for (ByteBuffer advisory : c.structs) {
            assertEquals(total, advisory.getLong(Darwin.RADVISORY_OFFSET));
            total += advisory.getInt(Darwin.RADVISORY_COUNT);
        }
        assertEquals(5L << 30, total);
    }

    @Test
    void accessPatternsAreReadAheadOnOrOff() {
        assertEquals(0, darwin.posixFadvise(FD, 0, 0, POSIX_FADV_RANDOM));
        assertEquals(0, darwin.posixFadvise(FD, 0, 0, POSIX_FADV_SEQUENTIAL));
        assertEquals(0, darwin.posixFadvise(FD, 0, 0, POSIX_FADV_NORMAL));
        assertEquals(List.of("fcntl " + Darwin.F_RDAHEAD + " 0", "fcntl " + Darwin.F_RDAHEAD + " 1",
                "fcntl " + Darwin.F_RDAHEAD + " 1"), c.calls);
    }

    @Test
    void adviceWithNoMacOsCounterpartFailsRatherThanSucceedingSilently() {
        assertEquals(-Errno.EOPNOTSUPP.number(), darwin.posixFadvise(FD, 0, 0, POSIX_FADV_DONTNEED));
        assertEquals(-Errno.EOPNOTSUPP.number(), darwin.posixFadvise(FD, 0, 0, POSIX_FADV_NOREUSE));
        assertEquals(-Errno.EINVAL.number(), darwin.posixFadvise(FD, 0, 0, 9));
        assertEquals(List.of(), c.calls);
    }

    @Test
    void memoryAdviceIsPassedUnderDarwinsNumbers() {
        ByteBuffer mapping = LibC.allocate(16384);
        Map<MemoryAdvice, Integer> darwinNumbers = new EnumMap<>(MemoryAdvice.class);
        darwinNumbers.put(MemoryAdvice.NORMAL, Darwin.MADV_NORMAL);
        darwinNumbers.put(MemoryAdvice.RANDOM, Darwin.MADV_RANDOM);
        darwinNumbers.put(MemoryAdvice.SEQUENTIAL, Darwin.MADV_SEQUENTIAL);
        darwinNumbers.put(MemoryAdvice.WILLNEED, Darwin.MADV_WILLNEED);
        darwinNumbers.put(MemoryAdvice.DONTNEED, Darwin.MADV_DONTNEED);
        darwinNumbers.put(MemoryAdvice.COLD, Darwin.MADV_DONTNEED); // deactivation: Linux's COLD
        List<String> expected = new ArrayList<>();
        darwinNumbers.forEach((advice, number) -> {
            assertEquals(0, darwin.madvise(mapping, 1 << 20, 32768, advice.value()), advice.name());
            expected.add("madvise " + (1 << 20) + " 32768 " + number);
        });
        assertEquals(expected, c.calls, "address and length as given, the advice in Darwin's number");
        assertEquals(List.of(0, 1, 2, 3, 4, 4), List.copyOf(darwinNumbers.values()), "XNU's bsd/sys/mman.h");
    }

    @Test
    void memoryAdviceMacOsLacksFailsWithoutAnyCall() {
        ByteBuffer mapping = LibC.allocate(16384);
        for (MemoryAdvice advice : EnumSet.of(MemoryAdvice.PAGEOUT, MemoryAdvice.POPULATE_READ, MemoryAdvice.POPULATE_WRITE)) {
            assertEquals(-Errno.EOPNOTSUPP.number(), darwin.madvise(mapping, 0, 16384, advice.value()), advice.name());
        }
        assertEquals(-Errno.EINVAL.number(), darwin.madvise(mapping, 0, 16384, 99), "unknown advice, as Linux answers");
        assertEquals(-Errno.EINVAL.number(), darwin.madvise(mapping, 0, 16384, 10),
                "Linux's 10 (MADV_DONTFORK) is not passed on, where it would be Darwin's MADV_PAGEOUT");
        assertEquals(List.of(), c.calls);
    }

    @Test
    void madviseErrorsComeBackAsLinuxErrnos() {
        ByteBuffer mapping = LibC.allocate(16384);
        c.madviseResult = -Darwin.ENOTSUP;
        assertEquals(-Errno.EOPNOTSUPP.number(), darwin.madvise(mapping, 0, 16384, MemoryAdvice.WILLNEED.value()));
        c.madviseResult = -Darwin.EINVAL;
        assertEquals(-Errno.EINVAL.number(), darwin.madvise(mapping, 0, 16384, MemoryAdvice.DONTNEED.value()));
        c.madviseResult = -Darwin.EAGAIN;
        assertEquals(-Errno.EAGAIN.number(), darwin.madvise(mapping, 0, 16384, MemoryAdvice.NORMAL.value()));
    }

    /** What MappedMemory.advise throws on macOS for refused advice (Errors picks the macOS wording by Platform). */
    @Test
    void refusedMemoryAdviceIsAModeNotSupportedExceptionSayingSo() {
        for (MemoryAdvice advice : EnumSet.of(MemoryAdvice.PAGEOUT, MemoryAdvice.POPULATE_READ, MemoryAdvice.POPULATE_WRITE)) {
            String why = Errors.darwinMadvise(Errno.EOPNOTSUPP.number(), advice.value());
            assertTrue(why.startsWith("macOS has no such operation: "), why);
        }
        assertEquals(null, Errors.darwinMadvise(Errno.EOPNOTSUPP.number(), MemoryAdvice.WILLNEED.value()),
                "an ENOTSUP from the kernel itself has no known cause");
        FileSpaceException e = Errors.madvise(Errno.EOPNOTSUPP.number(), false, 0, 16384, MemoryAdvice.PAGEOUT.value(), "PAGEOUT");
        assertInstanceOf(ModeNotSupportedException.class, e, "as the other calls' EOPNOTSUPP");
        assertEquals(MemoryAdvice.PAGEOUT.value(), e.mode());
        assertEquals("madvise", e.operation());
    }

    @Test
    void numbersAreTranslatedBothWays() {
        assertEquals(5, darwin.open(new byte[] {'f', 0}, Linux.O_RDWR | Linux.O_CREAT | Linux.O_CLOEXEC | Linux.O_NONBLOCK));
        assertEquals(List.of("open " + (Darwin.O_RDWR | Darwin.O_CREAT | Darwin.O_CLOEXEC | Darwin.O_NONBLOCK)), c.calls);
        assertEquals(-Errno.EINVAL.number(), darwin.open(new byte[] {'f', 0}, Linux.O_PATH), "never dropped silently");
        c.statusFlags = Darwin.O_WRONLY | Darwin.O_APPEND;
        assertEquals(Linux.O_WRONLY | Linux.O_APPEND, darwin.fcntl(FD, Linux.F_GETFL, 0));
        assertEquals(-Errno.EINVAL.number(), darwin.fcntl(FD, Linux.F_GET_SEALS, 0), "no seals on macOS");
        c.size = MIB;
        c.holes = List.of(new DarwinPlans.Span(0, 4096));
        assertEquals(4096, darwin.lseek(FD, 0, Linux.SEEK_DATA));
        assertEquals(0, darwin.lseek(FD, 0, Linux.SEEK_HOLE));
        assertEquals(-Errno.ENXIO.number(), darwin.lseek(FD, 2 * MIB, Linux.SEEK_DATA));
        assertEquals(-Errno.ENOTTY.number(), darwin.ioctl(FD, Linux.FS_IOC_FIEMAP, LibC.allocate(8)));
    }

    @Test
    void statIsReadIntoStatxsPlaces() {
        c.size = 12345;
        c.allocated = 16384;
        ByteBuffer statx = LibC.allocate(Structs.STATX_SIZE);
        assertEquals(0, darwin.statx(FD, statx));
        assertEquals(12345, statx.getLong(Structs.STATX_SIZE_FIELD));
        assertEquals(32, statx.getLong(Structs.STATX_BLOCKS));
        assertEquals(0100644, Short.toUnsignedInt(statx.getShort(Structs.STATX_MODE)));
        assertEquals(1, statx.getInt(Structs.STATX_DEV_MAJOR));
        assertEquals(5, statx.getInt(Structs.STATX_DEV_MINOR));
        ByteBuffer statvfs = LibC.allocate(Structs.STATVFS_SIZE);
        assertEquals(0, darwin.fstatvfs(FD, statvfs));
        assertEquals(4096, statvfs.getLong(Structs.STATVFS_FRSIZE), "the block size comes from fstatfs's f_bsize");
        assertEquals("apfs", darwin.filesystemName(FD));
    }

    @Test
    void locksArePassedInDarwinsStructFlock() {
        ByteBuffer flock = LibC.allocate(Structs.FLOCK_SIZE);
        flock.putShort(Structs.FLOCK_TYPE, Linux.F_WRLCK);
        assertEquals(0, darwin.fcntl(FD, Linux.F_OFD_SETLKW, flock));
        ByteBuffer sent = c.structs.get(0);
        assertEquals(List.of("fcntl " + Darwin.F_OFD_SETLKW), c.calls);
        assertEquals(Darwin.FLOCK_SIZE, sent.capacity());
        assertEquals(Darwin.F_WRLCK, sent.getShort(Darwin.FLOCK_TYPE));
        assertEquals(0, sent.getLong(Darwin.FLOCK_LEN), "to the end of the file");
    }
}
