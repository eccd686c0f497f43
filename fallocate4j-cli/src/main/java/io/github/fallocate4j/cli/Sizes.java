package io.github.fallocate4j.cli;

import java.math.BigInteger;
import java.util.OptionalLong;

/**
 * Sizes as util-linux reads and writes them: strtosize(3)-style parsing ("1.5MiB", "10KB", "0x1000")
 * and size_to_human_string ("1.5 MiB").
 */
final class Sizes {
    private static final String SUFFIXES = "KMGTPEZY";
    private static final BigInteger MAX = BigInteger.valueOf(Long.MAX_VALUE);

    private Sizes() {}

    /**
     * Parses a size the way util-linux's strtosize does, or returns empty when it would fail: a C
     * integer in base 0 (decimal, 0x hex, 0 octal; leading blanks and '+' allowed, '-' refused), an
     * optional fraction, and an optional suffix K..Y (powers of 1024, optional "iB") or KB..YB (powers
     * of 1000). Values above the largest off_t are refused, as fallocate's cvtnum does.
     */
    static OptionalLong parse(String text) {
        int p = 0;
        while (p < text.length() && isSpace(text.charAt(p))) {
            p++;
        }
        if (p < text.length() && text.charAt(p) == '-') {
            return OptionalLong.empty();
        }
        int signStart = p;
        if (p < text.length() && text.charAt(p) == '+') {
            p++;
        }
        // strtoumax base 0
        int radix = 10;
        int digitsStart = p;
        if (text.startsWith("0x", p) || text.startsWith("0X", p)) {
            if (p + 2 < text.length() && Character.digit(text.charAt(p + 2), 16) >= 0) {
                radix = 16;
                digitsStart = p + 2;
            }
        } else if (text.startsWith("0", p)) {
            radix = 8;
        }
        int q = digitsStart;
        while (q < text.length() && Character.digit(text.charAt(q), radix) >= 0) {
            q++;
        }
        if (q == digitsStart) {
            return OptionalLong.empty();
        }
        BigInteger x = new BigInteger(text.substring(digitsStart, q), radix);
        if (x.bitLength() > 64) {
            return OptionalLong.empty(); // ERANGE from strtoumax
        }
        if (q == text.length()) {
            return fits(x);
        }
        // fraction (C locale decimal point) then suffix
        BigInteger frac = BigInteger.ZERO;
        int fracZeros = 0;
        boolean hasFrac = false;
        if (text.charAt(q) == '.' && q + 1 < text.length()) {
            int f = q + 1;
            while (f < text.length() && text.charAt(f) == '0') {
                fracZeros++;
                f++;
            }
            int fd = f;
            while (fd < text.length() && Character.isDigit(text.charAt(fd))) {
                fd++;
            }
            if (fd > f) {
                frac = new BigInteger(text.substring(f, fd));
            }
            hasFrac = true;
            if (fd == text.length()) {
                return OptionalLong.empty(); // a fraction without a suffix
            }
            q = fd;
        }
        String suffix = text.substring(q);
        int base;
        if (suffix.length() == 3 && suffix.charAt(1) == 'i' && (suffix.charAt(2) == 'B' || suffix.charAt(2) == 'b')) {
            base = 1024;
        } else if (suffix.length() == 2 && (suffix.charAt(1) == 'B' || suffix.charAt(1) == 'b')) {
            base = 1000;
        } else if (suffix.length() == 1) {
            base = 1024;
        } else {
            return OptionalLong.empty();
        }
        int power = SUFFIXES.indexOf(suffix.charAt(0)) + 1;
        if (power == 0) {
            power = "kmgtpe".indexOf(suffix.charAt(0)) + 1;
        }
        if (power == 0) {
            return OptionalLong.empty();
        }
        BigInteger unit = BigInteger.valueOf(base).pow(power);
        x = x.multiply(unit);
        if (hasFrac && frac.signum() > 0) {
            x = x.add(fraction(frac, fracZeros, unit));
        }
        return fits(x);
    }

    /**
     * The fraction's value as util-linux computes it: digit by digit from the last, each truncated, with
     * the divisor found as the first power of ten not below the digits read as a number (so "0.10" counts
     * as 1, a quirk kept for identical results).
     */
    private static BigInteger fraction(BigInteger frac, int zeros, BigInteger unit) {
        BigInteger fracDiv = BigInteger.TEN;
        while (fracDiv.compareTo(frac) < 0) {
            fracDiv = fracDiv.multiply(BigInteger.TEN);
        }
        fracDiv = fracDiv.multiply(BigInteger.TEN.pow(zeros));
        BigInteger sum = BigInteger.ZERO;
        BigInteger position = BigInteger.ONE;
        do {
            int seg = frac.mod(BigInteger.TEN).intValue();
            BigInteger segDiv = fracDiv.divide(position);
            frac = frac.divide(BigInteger.TEN);
            position = position.multiply(BigInteger.TEN);
            if (seg != 0 && segDiv.divide(BigInteger.valueOf(seg)).signum() > 0) {
                sum = sum.add(unit.divide(segDiv.divide(BigInteger.valueOf(seg))));
            }
        } while (frac.signum() > 0);
        return sum;
    }

    private static OptionalLong fits(BigInteger x) {
        return x.compareTo(MAX) > 0 ? OptionalLong.empty() : OptionalLong.of(x.longValueExact());
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0b;
    }

    /** size_to_human_string(SIZE_SUFFIX_3LETTER | SIZE_SUFFIX_SPACE): "0 B", "4 KiB", "1.5 MiB". */
    static String human(long bytes) {
        int exp = 0;
        for (int shift = 10; shift <= 60; shift += 10) {
            if (Long.compareUnsigned(bytes, 1L << shift) < 0) {
                break;
            }
            exp = shift;
        }
        char letter = "BKMGTPE".charAt(exp / 10);
        long dec = exp == 0 ? bytes : bytes >>> exp;
        long frac = exp == 0 ? 0 : bytes & ((1L << exp) - 1);
        String suffix = " " + letter + (letter == 'B' ? "" : "iB");
        if (frac != 0) {
            frac = BigInteger.valueOf(frac).multiply(BigInteger.valueOf(1000)).shiftRight(exp).longValue();
            frac = ((frac + 50) / 100) * 10;
            if (frac == 100) {
                dec++;
                frac = 0;
            }
        }
        if (frac == 0) {
            return dec + suffix;
        }
        return dec + "." + (frac / 10) + suffix;
    }
}
