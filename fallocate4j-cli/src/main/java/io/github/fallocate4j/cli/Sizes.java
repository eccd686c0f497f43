package io.github.fallocate4j.cli;

import io.github.fallocate4j.Errno;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Sizes as util-linux reads and prints them: {@code strtosize()} and {@code size_to_human_string()} of
 * lib/strutils.c (2.42), so that every argument util-linux accepts is accepted with the same value and
 * every one it rejects is rejected. Values are C {@code uintmax_t}: Java longs read as unsigned.
 */
final class Sizes {
    private Sizes() {}

    /** errno values strtosize reports. */
    static final int EINVAL = Errno.EINVAL.number();
    static final int ERANGE = Errno.ERANGE.number();

    private static final String UPPER = "KMGTPEZY";
    private static final String LOWER = "kmgtpezy";

    /** Why a size was rejected: the errno strtosize leaves. */
    static final class BadSize extends Exception {
        private static final long serialVersionUID = 1L;
        final int errno;

        BadSize(int errno) {
            super(null, null, false, false);
            this.errno = errno;
        }
    }

    /**
     * Parses a size: a C base-0 number (decimal, 0x hex, 0 octal; leading blanks and '+' allowed), an
     * optional fraction, and a suffix K M G T P E Z Y (or lower case) with optional "iB" for powers of
     * 1024 or "B" for powers of 1000. Negative numbers are refused, and so is overflow past 2^64-1.
     *
     * @return the value as an unsigned 64-bit number
     */
    static long parse(String str) throws BadSize {
        if (str.isEmpty()) {
            throw new BadSize(EINVAL);
        }
        int p = 0;
        while (p < str.length() && isSpace(str.charAt(p))) {
            p++;
        }
        if (p < str.length() && str.charAt(p) == '-') {
            throw new BadSize(EINVAL);
        }
        Strtoumax whole = Strtoumax.parse(str, 0);
        if (whole.end() == 0 || whole.overflow()) {
            throw new BadSize(whole.overflow() ? ERANGE : EINVAL);
        }
        long x = whole.value();
        if (whole.end() == str.length()) {
            return x;
        }
        p = whole.end();
        long frac = 0;
        int fracZeros = 0;
        int base;
        while (true) { // check_suffix
            if (at(str, p + 1) == 'i' && (at(str, p + 2) == 'B' || at(str, p + 2) == 'b') && at(str, p + 3) == 0) {
                base = 1024;
            } else if ((at(str, p + 1) == 'B' || at(str, p + 1) == 'b') && at(str, p + 2) == 0) {
                base = 1000;
            } else if (at(str, p + 1) != 0) {
                // Anything longer than one letter must be the fraction: ".<digits>", then the suffix again.
                if (frac == 0 && at(str, p) == '.') {
                    int q = p + 1;
                    while (at(str, q) == '0') {
                        fracZeros++;
                        q++;
                    }
                    int end;
                    if (isDigit(at(str, q))) {
                        Strtoumax f = Strtoumax.parse(str.substring(q), 0);
                        if (f.overflow()) {
                            throw new BadSize(ERANGE);
                        }
                        frac = f.value();
                        end = q + f.end();
                    } else {
                        end = q;
                    }
                    if (end >= str.length()) {
                        throw new BadSize(EINVAL); // a fraction without a suffix
                    }
                    p = end;
                    continue;
                }
                throw new BadSize(EINVAL);
            } else {
                base = 1024;
            }
            break;
        }
        int power = UPPER.indexOf(at(str, p)) + 1;
        if (power == 0) {
            power = LOWER.indexOf(at(str, p)) + 1;
        }
        if (power == 0 || at(str, p) == 0) {
            throw new BadSize(EINVAL);
        }
        long[] scaled = {x};
        boolean overflow = !scale(scaled, base, power);
        x = scaled[0];
        if (frac != 0) {
            long[] fracBase = {1};
            scale(fracBase, base, power);
            long fracDiv = 10;
            while (Long.compareUnsigned(fracDiv, frac) < 0) {
                if (Long.compareUnsigned(fracDiv, Long.divideUnsigned(-1L, 10)) <= 0) {
                    fracDiv *= 10;
                } else {
                    frac = Long.divideUnsigned(frac, 10);
                }
            }
            for (int i = 0; i < fracZeros; i++) {
                if (Long.compareUnsigned(fracDiv, Long.divideUnsigned(-1L, 10)) <= 0) {
                    fracDiv *= 10;
                } else {
                    frac = Long.divideUnsigned(frac, 10);
                }
            }
            // From the last digit backwards, as util-linux does (its quirks included).
            long fracPoz = 1;
            do {
                long seg = Long.remainderUnsigned(frac, 10);
                long segDiv = Long.divideUnsigned(fracDiv, fracPoz);
                frac = Long.divideUnsigned(frac, 10);
                fracPoz *= 10;
                if (seg != 0 && Long.divideUnsigned(segDiv, seg) != 0) {
                    x += Long.divideUnsigned(fracBase[0], Long.divideUnsigned(segDiv, seg));
                }
            } while (frac != 0);
        }
        if (overflow) {
            throw new BadSize(ERANGE);
        }
        return x;
    }

    /** x *= base^power, false (x partly scaled) on overflow. */
    private static boolean scale(long[] x, int base, int power) {
        while (power-- > 0) {
            if (Long.compareUnsigned(Long.divideUnsigned(-1L, base), x[0]) < 0) {
                return false;
            }
            x[0] *= base;
        }
        return true;
    }

    private static char at(String s, int i) {
        return i < s.length() ? s.charAt(i) : 0;
    }

    static boolean isSpace(char c) {
        return c == ' ' || (c >= '\t' && c <= '\r');
    }

    static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /**
     * A size for people, as util-linux's {@code size_to_human_string(SIZE_SUFFIX_3LETTER |
     * SIZE_SUFFIX_SPACE)} writes it: "0 B", "512 B", "1.5 MiB", "1 GiB" (one decimal, rounded).
     *
     * @param bytes an unsigned 64-bit count
     */
    static String human(long bytes) {
        int exp = 0;
        for (int shift = 10; shift <= 60; shift += 10) {
            if (Long.compareUnsigned(bytes, 1L << shift) < 0) {
                break;
            }
            exp = shift;
        }
        char unit = "BKMGTPE".charAt(exp / 10);
        long dec = exp == 0 ? bytes : bytes >>> exp;
        long frac = exp == 0 ? 0 : bytes & ((1L << exp) - 1);
        String suffix = unit == 'B' ? " B" : " " + unit + "iB";
        if (frac != 0) {
            if (Long.compareUnsigned(frac, Long.divideUnsigned(-1L, 1000)) >= 0) {
                frac = (frac / 1024 * 1000) / (1L << (exp - 10));
            } else {
                frac = frac * 1000 / (1L << exp);
            }
            frac = (frac + 50) / 100 * 10;
            if (frac == 100) {
                dec++;
                frac = 0;
            }
        }
        if (frac == 0) {
            return dec + suffix;
        }
        String digits = String.format("%02d", frac);
        if (digits.endsWith("0")) {
            digits = digits.substring(0, digits.length() - 1);
        }
        return dec + "." + digits + suffix;
    }

    /** C's printf("%.2f") of a double: the exact binary value, rounded half to even. */
    static String percent(double value) {
        return new BigDecimal(value).setScale(2, RoundingMode.HALF_EVEN).toPlainString();
    }
}
