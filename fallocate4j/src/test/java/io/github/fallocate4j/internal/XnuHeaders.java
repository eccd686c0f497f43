package io.github.fallocate4j.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads numbers out of XNU's headers, as text: {@code #define} values, and struct sizes and field
 * offsets laid out by the LP64 C rules (each member aligned to its size, arrays to their element, the
 * struct to its largest member) from member types resolved through the headers' own typedefs. Only the
 * sizes of C's basic types (char 1, short 2, int 4, long and long long 8) and of the two small structs
 * below are given here; both macOS architectures, arm64 and x86_64, are LP64.
 *
 * <p>The headers come from an XNU source tree ({@code github.com/apple-oss-distributions/xnu}): a checkout,
 * or a bare git directory read at a commit.
 */
final class XnuHeaders {
    /** Where each struct is defined: header, and the text that opens its member list. */
    private static final Map<String, String[]> STRUCTS = Map.of(
            "struct fstore", new String[] {"bsd/sys/fcntl.h", "typedef struct fstore {"},
            "struct fpunchhole", new String[] {"bsd/sys/fcntl.h", "typedef struct fpunchhole {"},
            "struct radvisory", new String[] {"bsd/sys/fcntl.h", "struct radvisory {"},
            "struct flock", new String[] {"bsd/sys/fcntl.h", "struct flock {"},
            // struct stat and struct statfs with 64-bit inodes: arm64's only layout, x86_64's $INODE64 one.
            "struct stat", new String[] {"bsd/sys/stat.h", "#define __DARWIN_STRUCT_STAT64 {"},
            "struct statfs", new String[] {"bsd/sys/mount.h", "#define __DARWIN_STRUCT_STATFS64 {"});
    private static final List<String> TYPEDEF_HEADERS = List.of(
            "bsd/sys/_types.h", "bsd/sys/_types/_off_t.h", "bsd/sys/_types/_dev_t.h", "bsd/sys/_types/_mode_t.h",
            "bsd/sys/_types/_nlink_t.h", "bsd/sys/_types/_uid_t.h", "bsd/sys/_types/_gid_t.h",
            "bsd/sys/_types/_pid_t.h", "bsd/sys/_types/_blkcnt_t.h", "bsd/sys/_types/_blksize_t.h",
            "bsd/sys/_types/_int32_t.h", "bsd/sys/_types/_int64_t.h", "bsd/sys/_types/_u_int32_t.h",
            "bsd/sys/_types/_u_int64_t.h", "bsd/sys/_types/_time_t.h", "EXTERNAL_HEADERS/stdint.h");
    /** {size, alignment} of C's types (LP64), and of the two structs whose members are plain. */
    private static final Map<String, long[]> BASIC = Map.of(
            "char", new long[] {1, 1}, "short", new long[] {2, 2}, "int", new long[] {4, 4},
            "long", new long[] {8, 8}, "long long", new long[] {8, 8},
            "struct timespec", new long[] {16, 8},  // { __darwin_time_t (long) tv_sec; long tv_nsec; }
            "fsid_t", new long[] {8, 4});           // struct fsid { int32_t val[2]; }

    private final Path root;
    private final String commit;
    private final String arch;
    private final Map<String, String> texts = new HashMap<>();
    private Map<String, String> typedefs;

    /** {@code arch}: "arm" or "i386", whose {@code bsd/ARCH/_types.h} gives the basic typedefs. */
    XnuHeaders(Path root, String commit, String arch) {
        this.root = root;
        this.commit = commit;
        this.arch = arch;
    }

    /** A bare git directory (it has HEAD and objects, no bsd/) is read with git show at the commit. */
    String text(String header) {
        return texts.computeIfAbsent(header, h -> {
            try {
                if (Files.isDirectory(root.resolve("bsd"))) {
                    return Files.readString(root.resolve(h), StandardCharsets.UTF_8);
                }
                Process git = new ProcessBuilder("git", "--git-dir=" + root, "show", commit + ":" + h)
                        .redirectErrorStream(true).start();
                String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (git.waitFor() != 0) {
                    throw new IllegalStateException("git show " + commit + ":" + h + ": " + out);
                }
                return out;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });
    }

    /**
     * The value of {@code #define NAME value} (first definition in the header), macros followed. 64-bit
     * macOS always compiles with __DARWIN_UNIX03, so definitions under {@code #if !__DARWIN_UNIX03} (the
     * legacy EOPNOTSUPP, which equals ENOTSUP there) are not read.
     */
    long define(String header, String name) {
        // A macro whose value is another (MAXPATHLEN is PATH_MAX) is looked for where such limits live.
        for (String where : List.of(header, "bsd/sys/param.h", "bsd/sys/syslimits.h")) {
            String text = text(where).replaceAll("(?s)#if !__DARWIN_UNIX03[^\\n]*\\n.*?#endif", "");
            Matcher m = Pattern.compile("(?m)^\\s*#\\s*define\\s+" + Pattern.quote(name) + "\\s+(\\S+)").matcher(text);
            if (!m.find()) {
                continue;
            }
            String value = m.group(1).replaceAll("[()]", "");
            if (value.matches("0[xX][0-9a-fA-F]+")) {
                return Long.parseLong(value.substring(2), 16);
            }
            if (value.matches("0[0-7]+")) {
                return Long.parseLong(value.substring(1), 8);
            }
            if (value.matches("-?[0-9]+")) {
                return Long.parseLong(value);
            }
            return define(where, value);
        }
        throw new IllegalStateException("no #define " + name + " in " + header);
    }

    /** sizeof the struct. */
    long sizeOf(String struct) {
        return layout(struct).get("");
    }

    /** offsetof a member. */
    long offsetOf(String struct, String member) {
        Long offset = layout(struct).get(member);
        if (offset == null) {
            throw new IllegalStateException(struct + " has no member " + member);
        }
        return offset;
    }

    /** Member offsets by name, and the size under "". */
    private Map<String, Long> layout(String struct) {
        String[] where = STRUCTS.get(struct);
        if (where == null) {
            throw new IllegalStateException("where " + struct + " is defined is not known");
        }
        String text = text(where[0]);
        int open = text.indexOf(where[1]);
        if (open < 0) {
            throw new IllegalStateException(where[1] + " not in " + where[0]);
        }
        int start = open + where[1].length();
        String body = clean(text.substring(start, text.indexOf('}', start)));
        body = expandMacros(where[0], body);
        Map<String, Long> offsets = new HashMap<>();
        long offset = 0;
        long structAlign = 1;
        Pattern member = Pattern.compile("^(.*?)\\s*\\b(\\w+)\\s*(?:\\[(\\w+)\\])?$");
        for (String declaration : body.split(";")) {
            String d = declaration.trim().replaceAll("\\s+", " ");
            if (d.isEmpty()) {
                continue;
            }
            Matcher m = member.matcher(d);
            if (!m.matches()) {
                throw new IllegalStateException("cannot read member '" + d + "' of " + struct);
            }
            long[] type = sizeAndAlignment(m.group(1));
            long count = m.group(3) == null ? 1 : m.group(3).matches("[0-9]+") ? Long.parseLong(m.group(3))
                    : define(where[0], m.group(3));
            offset = (offset + type[1] - 1) / type[1] * type[1];
            offsets.put(m.group(2), offset);
            offset += type[0] * count;
            structAlign = Math.max(structAlign, type[1]);
        }
        offsets.put("", (offset + structAlign - 1) / structAlign * structAlign);
        return offsets;
    }

    /** Comments and line continuations out. */
    private static String clean(String text) {
        return text.replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("//[^\n]*", " ").replace("\\\n", " ").replace('\\', ' ');
    }

    /** A member list may hold a macro that is itself members (__DARWIN_STRUCT_STAT64_TIMES): its first definition. */
    private String expandMacros(String header, String body) {
        Matcher m = Pattern.compile("\\b(__DARWIN_\\w+)\\b").matcher(body);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            Matcher def = Pattern.compile("(?m)^#define " + Pattern.quote(m.group(1)) + "\\s*\\\\\n((?:.*\\\\\n)*.*)")
                    .matcher(text(header));
            if (!def.find()) {
                throw new IllegalStateException("no #define " + m.group(1) + " in " + header);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(clean(def.group(1)) + ";"));
        }
        m.appendTail(out);
        return out.toString();
    }

    private long[] sizeAndAlignment(String type) {
        String t = type.replace("unsigned ", "").replace("signed ", "").replace("__signed ", "").trim();
        for (int i = 0; i < 10; i++) {
            long[] basic = BASIC.get(t);
            if (basic != null) {
                return basic;
            }
            String next = typedefs().get(t);
            if (next == null) {
                throw new IllegalStateException("no typedef for " + t + " (from " + type + ")");
            }
            t = next.replace("unsigned ", "").replace("signed ", "").replace("__signed ", "").trim();
        }
        throw new IllegalStateException("typedef loop at " + type);
    }

    /** {@code typedef A B;} lines of the typedef headers, first definition winning. */
    private Map<String, String> typedefs() {
        if (typedefs == null) {
            typedefs = new HashMap<>();
            List<String> headers = new ArrayList<>(TYPEDEF_HEADERS);
            headers.add(0, "bsd/" + arch + "/_types.h");
            Pattern typedef = Pattern.compile("(?m)^typedef\\s+([\\w ]+?)\\s+(\\w+)\\s*;");
            for (String header : headers) {
                Matcher m = typedef.matcher(text(header));
                while (m.find()) {
                    typedefs.putIfAbsent(m.group(2), m.group(1));
                }
            }
        }
        return typedefs;
    }
}
