package io.github.fallocate4j.cli;

/**
 * C's {@code strtoumax(3)}/{@code strtoimax(3)} as glibc implements them, for util-linux's number
 * parsing: leading blanks, an optional sign, base 0 meaning 0x hex / 0 octal / decimal, and where the
 * number ends.
 *
 * @param value    the unsigned value (negated modulo 2^64 after a '-', as C does)
 * @param end      index of the first character not used; 0 when no digits were found
 * @param overflow whether the digits did not fit in 64 bits (C sets ERANGE)
 * @param negative whether a '-' sign was read
 */
record Strtoumax(long value, int end, boolean overflow, boolean negative) {

    /** Parses {@code s} in {@code base} (0, 8, 10 or 16). */
    static Strtoumax parse(String s, int base) {
        int i = 0;
        while (i < s.length() && Sizes.isSpace(s.charAt(i))) {
            i++;
        }
        boolean negative = false;
        if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            negative = s.charAt(i) == '-';
            i++;
        }
        if ((base == 0 || base == 16) && i + 1 < s.length() && s.charAt(i) == '0'
                && (s.charAt(i + 1) == 'x' || s.charAt(i + 1) == 'X')
                && i + 2 < s.length() && digit(s.charAt(i + 2)) < 16) {
            base = 16;
            i += 2;
        } else if (base == 0) {
            base = i < s.length() && s.charAt(i) == '0' ? 8 : 10;
        }
        int start = i;
        long value = 0;
        boolean overflow = false;
        for (; i < s.length(); i++) {
            int d = digit(s.charAt(i));
            if (d >= base) {
                break;
            }
            if (Long.compareUnsigned(value, Long.divideUnsigned(-1L - d, base)) > 0) {
                overflow = true;
            }
            value = value * base + d;
        }
        if (i == start) {
            return new Strtoumax(0, 0, false, false);
        }
        if (overflow) {
            value = -1L;
        } else if (negative) {
            value = -value;
        }
        return new Strtoumax(value, i, overflow, negative);
    }

    private static int digit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'z') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'Z') {
            return c - 'A' + 10;
        }
        return 99;
    }
}
