package io.github.fallocate4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/fallocate and bin/fadvise run from a shell in the C locale, as util-linux 2.42.2 behaves: every
 * argument reaches open(2) and the messages as the bytes typed (é, 0xFF, a trailing slash), only the
 * caller's descriptors can be advised, standard output closed or full is no error where util-linux
 * says none, and close_fd()'s fsync failure is a write failure. Stdout and stderr compared as bytes.
 */
class CommandLineBytesIT {
    private static final Path BIN = Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).getParent().resolve("bin");

    @TempDir
    Path dir;

    /** What a shell command left: status and the exact bytes of stdout and stderr. */
    private record Run(int status, String out, String err) {
        /** Bytes shown as ISO-8859-1 text, so that 0xFF and the two bytes of é compare one by one. */
        static Run of(int status, byte[] out, byte[] err) {
            return new Run(status, new String(out, StandardCharsets.ISO_8859_1), new String(err, StandardCharsets.ISO_8859_1));
        }
    }

    /**
     * Runs {@code script} in bash, in {@link #dir}, under {@code LC_ALL=C}, with {@code $F} and {@code $A}
     * the two launchers. Non-ASCII bytes are written in the script as {@code $'\xNN'}.
     */
    private Run sh(String script) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", script).directory(dir.toFile());
        pb.environment().put("LC_ALL", "C");
        pb.environment().put("F", BIN.resolve("fallocate").toString());
        pb.environment().put("A", BIN.resolve("fadvise").toString());
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Path out = Files.createTempFile("out", "");
        Path err = Files.createTempFile("err", "");
        try {
            Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            int status = p.waitFor();
            return Run.of(status, Files.readAllBytes(out), Files.readAllBytes(err));
        } finally {
            Files.delete(out);
            Files.delete(err);
        }
    }

    private static String latin1(String utf8) {
        return new String(utf8.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    @Test
    void aTrailingSlashOnAFileIsNotADirectory() throws Exception {
        byte[] data = new byte[8192];
        Arrays.fill(data, (byte) 'x');
        Files.write(dir.resolve("f"), data);
        assertEquals(new Run(1, "", "fallocate: cannot open f/: Not a directory\n"), sh("$F -p -l 4K f/"));
        assertArrayEquals(data, Files.readAllBytes(dir.resolve("f")), "nothing punched");
        assertEquals(new Run(1, "", "fallocate: cannot open nf/: Is a directory\n"), sh("$F -l 4096 nf/"));
        assertEquals(false, Files.exists(dir.resolve("nf")), "nothing created");
        assertEquals(new Run(1, "", "fadvise: cannot open f/: Not a directory\n"), sh("$A f/"));
    }

    @Test
    void namesAreTheBytesTypedInTheCLocale() throws Exception {
        String e = latin1("é");
        assertEquals(new Run(0, e + ".img: 4 KiB (4096 bytes) allocated.\n", ""), sh("$F -v -l 4096 $'\\xc3\\xa9.img'"));
        assertEquals(new Run(0, "", ""), sh("[ $(stat -c %s $'\\xc3\\xa9.img') = 4096 ]"));
        assertEquals(new Run(0, "\u00ff: 4 KiB (4096 bytes) allocated.\n", ""), sh("$F -v -l 4096 $'\\xff'"));
        assertEquals(new Run(0, "ff", ""), sh("for n in *; do case $n in *img) ;; *) printf %s \"$n\" | od -An -tx1 | tr -d ' \\n' ;; esac; done"),
                "the file's name is the one byte 0xFF");
        assertEquals(new Run(0, "", ""), sh("$A -a random $'\\xff'"));
        assertEquals(new Run(1, "", "fadvise: cannot open x\u00ff: No such file or directory\n"), sh("$A $'x\\xff'"));
        assertEquals(new Run(1, "", "fallocate: cannot open x\u00ff: No such file or directory\n"), sh("$F -p -l 1 $'x\\xff'"));
    }

    @Test
    void optionArgumentsAndArgv0AreEchoedAsTyped() throws Exception {
        assertEquals(new Run(1, "", "fadvise: invalid length: '\u00ff': Invalid argument\n"), sh("$A -l $'\\xff' f"));
        assertEquals(new Run(1, "", "fadvise: invalid advice argument: 'r\u00ff'\n"), sh("$A -a $'r\\xff' f"));
        assertEquals(new Run(1, "", "$F: unrecognized option '--\u00ff'\nTry 'fallocate --help' for more information.\n"
                .replace("$F", BIN.resolve("fallocate").toString())), sh("$F --$'\\xff' f"));
        assertEquals(new Run(1, "", "./" + latin1("é") + "/fallocate: invalid option -- 'q'\n"
                + "Try 'fallocate --help' for more information.\n"),
                sh("mkdir $'\\xc3\\xa9' && ln -s \"$F\" $'\\xc3\\xa9'/fallocate && ./$'\\xc3\\xa9'/fallocate -q f"));
    }

    @Test
    void fadviseTouchesOnlyTheCallersDescriptors() throws Exception {
        Files.write(dir.resolve("f"), new byte[8192]);
        String ebadf = "fadvise: failed to advise: Bad file descriptor\n";
        // 3 and 4 are the JVM's own (its modules image, the jar) when the caller passed nothing there.
        assertEquals(new Run(1, "", ebadf), sh("$A -d 3"));
        assertEquals(new Run(1, "", ebadf), sh("$A -d 4"));
        assertEquals(new Run(1, "", ebadf), sh("$A -d -5"));
        assertEquals(new Run(0, "", ""), sh("$A -d 7 7<f"));
        assertEquals(new Run(0, "", ""), sh("$A -a sequential --fd 0 <f"));
        assertEquals(new Run(1, "", ebadf), sh("$A -d 1 >&-"), "closed by the caller, whatever fills it later");
    }

    @Test
    void standardOutputClosedOrFullIsNoErrorWhereUtilLinuxSeesNone() throws Exception {
        assertEquals(new Run(0, "", ""), sh("$F -v -l 4096 g >&-"));
        assertEquals(4096, Files.size(dir.resolve("g")));
        assertEquals(new Run(0, "", ""), sh("$F -h >&-"));
        assertEquals(new Run(0, "", ""), sh("$A -h >/dev/full"), "util-linux's fadvise never checks stdout");
        assertEquals(new Run(1, "", "fallocate: write error: No space left on device\n"), sh("$F -h >/dev/full"));
    }

    /**
     * A difference (README): with standard output closed and more output than a stdio buffer, util-linux
     * writes it into whatever it opened on descriptor 1 (the file), then says "write error"; the
     * launcher puts /dev/null on descriptor 1, so the output goes nowhere and the file is untouched.
     */
    @Test
    void longOutputToAClosedStandardOutputIsDiscarded() throws Exception {
        Path f = dir.resolve("f");
        byte[] blocks = new byte[400 * 4096];
        for (int b = 0; b < 400; b += 2) {
            blocks[b * 4096] = 1; // data, zeros, data, ...: 200 data holes, a line each
        }
        Files.write(f, blocks);
        assertEquals(true, sh("$F -r -v f").out().length() > 8192);
        assertEquals(new Run(0, "", ""), sh("$F -r -v f >&-"));
        assertArrayEquals(blocks, Files.readAllBytes(f));
    }

    @Test
    void aFailedFsyncAtCloseIsAWriteFailure() throws Exception {
        assertEquals(new Run(1, "", "fallocate: write failed: /dev/null: Invalid argument\n"), sh("$F -d /dev/null"));
    }
}
