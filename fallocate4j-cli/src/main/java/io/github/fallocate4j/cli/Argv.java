package io.github.fallocate4j.cli;

import io.github.fallocate4j.internal.OpenFile;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The command line as the bytes the caller passed. A C program sees argv as bytes; the JVM decodes it
 * in the locale's charset, losing every byte that charset cannot read (0xFF, or any non-ASCII byte
 * under {@code LC_ALL=C}). The tools need the bytes: they name files and are echoed in messages.
 *
 * <p>Inside the tools each argument is a <em>byte string</em>: a String with one char per byte
 * (ISO-8859-1, which maps the 256 byte values to the first 256 chars and back without loss). Options
 * and numbers are ASCII, so parsing works on it unchanged; {@link #bytes(String)} gives back the bytes
 * for open(2), and {@link Program} writes messages in ISO-8859-1, so they carry the bytes as given.
 */
final class Argv {
    private Argv() {}

    private static final String ARGV0_OPTION = "-Dfallocate4j.argv0=";

    /** argv[0] as the launcher passed it and the arguments, all byte strings. */
    record CommandLine(String argv0, List<String> args) {}

    /**
     * The command line as byte strings, read from {@code /proc/self/cmdline} (the raw argv,
     * NUL-separated): the arguments are its last {@code args.length} entries, argv[0] the launcher's
     * {@code -Dfallocate4j.argv0=} before them ({@code fallbackArgv0} without the launcher). When it
     * cannot be read, or does not match {@code args} (the same count, ASCII arguments equal), what the
     * JVM decoded, encoded back in the same charset.
     */
    static CommandLine of(String fallbackArgv0, String[] args) {
        List<String> raw = cmdline();
        if (raw.size() > args.length) {
            int first = raw.size() - args.length;
            List<String> tail = raw.subList(first, raw.size());
            if (matches(tail, args)) {
                String argv0 = raw.subList(0, first).stream().filter(e -> e.startsWith(ARGV0_OPTION)).findFirst()
                        .map(e -> e.substring(ARGV0_OPTION.length())).orElse(fallbackArgv0);
                return new CommandLine(argv0, List.copyOf(tail));
            }
        }
        String argv0 = System.getProperty("fallocate4j.argv0", fallbackArgv0);
        return new CommandLine(byteString(argv0, OpenFile.fileNameCharset()),
                Arrays.stream(args).map(a -> byteString(a, OpenFile.fileNameCharset())).toList());
    }

    /** Java text as a byte string of its UTF-8 encoding: how the in-process entry points take arguments. */
    static String fromText(String text) {
        return byteString(text, StandardCharsets.UTF_8);
    }

    /** The bytes of a byte string. */
    static byte[] bytes(String byteString) {
        return byteString.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String byteString(String text, Charset charset) {
        return new String(text.getBytes(charset), StandardCharsets.ISO_8859_1);
    }

    /** Each entry of /proc/self/cmdline as a byte string; empty when it cannot be read. */
    private static List<String> cmdline() {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(Path.of("/proc/self/cmdline"));
        } catch (IOException | UnsupportedOperationException e) {
            return List.of();
        }
        List<String> entries = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                entries.add(new String(bytes, start, i - start, StandardCharsets.ISO_8859_1));
                start = i + 1;
            }
        }
        return entries;
    }

    /** The raw entries are these arguments: wherever either side is ASCII, the two are equal. */
    private static boolean matches(List<String> raw, String[] args) {
        for (int i = 0; i < args.length; i++) {
            if ((isAscii(raw.get(i)) || isAscii(args[i])) && !raw.get(i).equals(args[i])) {
                return false;
            }
        }
        return true;
    }

    private static boolean isAscii(String s) {
        return s.chars().allMatch(c -> c < 0x80);
    }
}
