package io.github.fallocate4j.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.fallocate4j.Advice;
import io.github.fallocate4j.Errno;
import io.github.fallocate4j.Fallocate;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The constants are the kernel's, and modes are named the way the kernel's headers name them. */
class ModesTest {
    @Test
    void constantsHaveTheKernelsValues() {
        int[] flags = {Fallocate.FALLOC_FL_KEEP_SIZE, Fallocate.FALLOC_FL_PUNCH_HOLE, Fallocate.FALLOC_FL_NO_HIDE_STALE,
            Fallocate.FALLOC_FL_COLLAPSE_RANGE, Fallocate.FALLOC_FL_ZERO_RANGE, Fallocate.FALLOC_FL_INSERT_RANGE,
            Fallocate.FALLOC_FL_UNSHARE_RANGE, Fallocate.FALLOC_FL_WRITE_ZEROES};
        for (int i = 0; i < flags.length; i++) {
            assertEquals(1 << i, flags[i]);
        }
        int[] advice = {Fallocate.POSIX_FADV_NORMAL, Fallocate.POSIX_FADV_RANDOM, Fallocate.POSIX_FADV_SEQUENTIAL,
            Fallocate.POSIX_FADV_WILLNEED, Fallocate.POSIX_FADV_DONTNEED, Fallocate.POSIX_FADV_NOREUSE};
        for (int i = 0; i < advice.length; i++) {
            assertEquals(i, advice[i]);
            assertEquals(i, Advice.values()[i].value());
            assertEquals("POSIX_FADV_" + Advice.values()[i].name(), Modes.adviceName(i));
        }
    }

    @Test
    void namesPutTheOperationFirst() {
        assertEquals("ALLOCATE_RANGE", Modes.fallocateName(0));
        assertEquals("KEEP_SIZE", Modes.fallocateName(1));
        assertEquals("PUNCH_HOLE|KEEP_SIZE", Modes.fallocateName(3));
        assertEquals("ZERO_RANGE|KEEP_SIZE", Modes.fallocateName(0x11));
        assertEquals("WRITE_ZEROES|0x300", Modes.fallocateName(0x380));
        assertEquals("advice -1", Modes.adviceName(-1));
    }

    @Test
    void combinationsFollowVfsFallocate() {
        for (int valid : new int[] {0, 1, 3, 0x08, 0x10, 0x11, 0x20, 0x40, 0x41, 0x80}) {
            assertEquals(Optional.empty(), Modes.combinationProblem(valid), Modes.fallocateName(valid));
        }
        for (int invalid : new int[] {2, 4, 5, 0x09, 0x21, 0x81, 0x0a, 0x18, 0x100}) {
            assertTrue(Modes.combinationProblem(invalid).isPresent(), Modes.fallocateName(invalid));
        }
    }

    @Test
    void errnoNamesAndNumbers() {
        assertEquals(95, Errno.EOPNOTSUPP.number());
        assertEquals("ENOSPC", Errno.nameOf(28));
        assertEquals("errno 133", Errno.nameOf(133));
        assertEquals(Optional.empty(), Errno.of(-1));
        for (Errno e : Errno.values()) {
            assertEquals(e, Errno.of(e.number()).orElseThrow());
        }
    }

    @Test
    void filesystemNames() {
        assertEquals("ext2/ext3/ext4", Filesystems.name(0xEF53)); // one magic for the three; of(fd) asks mountinfo
        assertEquals("btrfs", Filesystems.name(0x9123683EL));
        assertEquals("0x1234", Filesystems.name(0x1234));
    }
}
