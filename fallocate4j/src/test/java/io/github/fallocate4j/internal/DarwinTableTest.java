package io.github.fallocate4j.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.fallocate4j.Errno;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * {@link Darwin}, the one table of macOS numbers, against {@code darwin-xnu.txt}: the numbers
 * DarwinHeadersTest read out of XNU's headers (at the commit the file names) and wrote there, one line a
 * number with its header. This runs everywhere and proves that no number in the code was typed apart
 * from the headers; that the file is what the headers say is DarwinHeadersTest's proof, which needs an
 * XNU source tree. Neither proves what a Mac does.
 */
class DarwinTableTest {
    /** The table's numbers, by "header TAB macro-or-struct-member". */
    static Map<String, Long> table() throws IllegalAccessException {
        Map<String, Long> table = new TreeMap<>();
        for (Field field : Darwin.class.getDeclaredFields()) {
            Darwin.Xnu xnu = field.getAnnotation(Darwin.Xnu.class);
            if (xnu != null) {
                field.setAccessible(true);
                table.put(key(xnu, field), ((Number) field.get(null)).longValue());
            }
        }
        return table;
    }

    static String key(Darwin.Xnu xnu, Field field) {
        return xnu.value() + "\t" + (xnu.name().isEmpty() ? field.getName() : xnu.name());
    }

    /** darwin-xnu.txt without its comment lines. */
    static Map<String, Long> extract() throws IOException {
        Map<String, Long> numbers = new TreeMap<>();
        try (InputStream in = DarwinTableTest.class.getResourceAsStream("darwin-xnu.txt")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.startsWith("#") && !line.isBlank()) {
                    String[] fields = line.split("\t");
                    numbers.put(fields[0] + "\t" + fields[1], Long.parseLong(fields[2]));
                }
            }
        }
        return numbers;
    }

    @Test
    void everyNumberIsTheOneReadFromItsHeader() throws Exception {
        assertEquals(extract(), table());
    }

    @Test
    void everyErrnoTheLibraryNamesHasItsDarwinNumber() {
        List<String> missing = new ArrayList<>();
        for (Errno errno : Errno.values()) {
            int darwin = Darwin.darwinErrno(errno);
            if (darwin < 0) {
                missing.add(errno.name());
            } else {
                assertEquals(errno.number(), Darwin.linuxErrno(darwin), errno.name());
            }
        }
        assertEquals(List.of(), missing);
    }

    @Test
    void errnosThatDifferFromLinuxAreTranslatedByName() {
        assertEquals(Errno.EAGAIN.number(), Darwin.linuxErrno(35));
        assertEquals(Errno.EIO.number(), Darwin.linuxErrno(11), "Darwin's 11 is EDEADLK, not EAGAIN");
        assertEquals(Errno.EOPNOTSUPP.number(), Darwin.linuxErrno(45), "ENOTSUP");
        assertEquals(Errno.EOPNOTSUPP.number(), Darwin.linuxErrno(102), "EOPNOTSUPP");
        assertEquals(Errno.ENOSYS.number(), Darwin.linuxErrno(78));
        assertEquals(Errno.EDQUOT.number(), Darwin.linuxErrno(69));
        assertEquals(Errno.EOVERFLOW.number(), Darwin.linuxErrno(84));
        assertEquals(Errno.ELOOP.number(), Darwin.linuxErrno(62));
        assertEquals(Errno.EIO.number(), Darwin.linuxErrno(80), "EAUTH has no Linux name");
        assertEquals(Errno.EIO.number(), Darwin.linuxErrno(9999));
    }

    /** DarwinBackend passes mmap's and mincore's numbers through untranslated, which holds only while they agree. */
    @Test
    void numbersPassedThroughUntranslatedAreLinuxsToo() {
        assertEquals(Linux.PROT_READ, Darwin.PROT_READ);
        assertEquals(Linux.MAP_SHARED, Darwin.MAP_SHARED);
        assertEquals(1, Darwin.MINCORE_INCORE, "PageCache counts bit 0");
        assertEquals(Linux.O_RDONLY, Darwin.O_RDONLY);
        assertEquals(Linux.O_WRONLY, Darwin.O_WRONLY);
        assertEquals(Linux.O_RDWR, Darwin.O_RDWR);
        assertEquals(Linux.O_ACCMODE, Darwin.O_ACCMODE);
        assertEquals(Errno.EINTR.number(), Darwin.EINTR, "LibC retries on Linux's EINTR after translation");
    }

    @Test
    void theInode64SymbolsOnlyOnX8664() {
        assertEquals("fstat$INODE64", Darwin.symbol("fstat", "x86_64"));
        assertEquals("fstatfs$INODE64", Darwin.symbol("fstatfs", "x86_64"));
        assertEquals("fstat", Darwin.symbol("fstat", "aarch64"));
        assertEquals("fcntl", Darwin.symbol("fcntl", "x86_64"));
        assertTrue(Darwin.cName("fstat").equals("fstat"), "on Linux the plain names");
    }
}
