package io.github.fallocate4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/** util-linux's strtosize and size_to_human_string rules, value by value (lib/strutils.c, 2.42). */
class SizesTest {
    @Test
    void readsEverySuffixAndBase() throws Exception {
        Object[][] table = {
                {"0", 0L}, {"4096", 4096L}, {"0x1000", 4096L}, {"0X1f", 31L}, {"010", 8L}, {" +7", 7L},
                {"1K", 1024L}, {"1KiB", 1024L}, {"1k", 1024L}, {"1kib", 1024L}, {"1KB", 1000L}, {"1kb", 1000L},
                {"1M", 1L << 20}, {"1MB", 1_000_000L}, {"1G", 1L << 30}, {"1GB", 1_000_000_000L},
                {"1T", 1L << 40}, {"1P", 1L << 50}, {"1E", 1L << 60}, {"15E", 15L << 60},
                {"1.5MiB", 3L << 19}, {"0.5K", 512L}, {"0.5MB", 500_000L}, {"1.05K", 1075L}, {"1.M", 1L << 20},
                {"18446744073709551615", -1L}, {"0x10K", 16384L}, {"1..5M", 3L << 19}, {"1.010M", 1153433L},
        };
        for (Object[] row : table) {
            assertEquals((long) row[1], Sizes.parse((String) row[0]), (String) row[0]);
        }
    }

    @Test
    void refusesWhatUtilLinuxRefuses() {
        for (String bad : new String[] {"", "-1", " -1", "abc", "1.5", "1Q", "1KiBB", "1 K", "08", "0x", "1e3",
                "1iB", "K"}) {
            Sizes.BadSize e = assertThrows(Sizes.BadSize.class, () -> Sizes.parse(bad), bad);
            assertEquals(Sizes.EINVAL, e.errno, bad);
        }
        for (String big : new String[] {"16E", "1Z", "1Y", "18446744073709551616", "0x10000000000000000"}) {
            Sizes.BadSize e = assertThrows(Sizes.BadSize.class, () -> Sizes.parse(big), big);
            assertEquals(Sizes.ERANGE, e.errno, big);
        }
    }

    @Test
    void printsSizesForPeople() {
        Object[][] table = {
                {0L, "0 B"}, {1023L, "1023 B"}, {1024L, "1 KiB"}, {1536L, "1.5 KiB"}, {3L << 19, "1.5 MiB"},
                {1L << 30, "1 GiB"}, {1_000_000L, "976.6 KiB"}, {1048575L, "1024 KiB"}, {1100L, "1.1 KiB"},
                {131072L, "128 KiB"}, {Long.MAX_VALUE, "8 EiB"}, {-1L, "16 EiB"},
        };
        for (Object[] row : table) {
            assertEquals(row[1], Sizes.human((long) row[0]), String.valueOf(row[0]));
        }
        assertEquals("0.12", Sizes.percent(0.125)); // C rounds the exact binary value, half to even
        assertEquals("11.76", Sizes.percent(131072.0 / 1114112.0 * 100.0));
    }

    @Property
    void suffixesScaleByPowersOf1024And1000(@ForAll @LongRange(min = 0, max = 1L << 40) long n) throws Exception {
        assertEquals(n << 10, Sizes.parse(n + "K"));
        assertEquals(n << 20, Sizes.parse(n + "MiB"));
        assertEquals(n * 1000, Sizes.parse(n + "KB"));
        assertEquals(n, Sizes.parse("0x" + Long.toHexString(n)));
    }
}
