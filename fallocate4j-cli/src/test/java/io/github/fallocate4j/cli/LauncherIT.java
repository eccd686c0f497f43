package io.github.fallocate4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/fallocate and bin/fadvise as a user runs them, after the jar is packaged: the right tool by
 * name, the JVM flags (no warning of any kind on stderr), argv[0] in getopt's messages, the startup
 * cache on and off, the newest JDK found whatever JAVA_HOME names, FALLOCATE4J_JAVA obeyed (each test
 * execution passes its own JDK, 25 or 17, so the tools run on both), and util-linux's write error when
 * fallocate's standard output is full.
 */
class LauncherIT {
    /** The module directory: failsafe sets basedir (its tests run in target/test-cwd); elsewhere the working directory. */
    private static final Path BIN = Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).getParent().resolve("bin");
    private static final Path JAR = BIN.getParent().resolve("fallocate4j-cli/target/fallocate4j-cli.jar");
    /** The java of the JDK running the tests. */
    private static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");

    @TempDir
    Path dir;

    private Outcome fallocate(Map<String, String> env, Path file, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(BIN.resolve("fallocate").toString()));
        command.addAll(List.of(args));
        return Outcome.process(command, file, env);
    }

    @Test
    void allocatesWithAndWithoutTheStartupCache() throws Exception {
        for (Map<String, String> env : List.of(Map.<String, String>of(), Map.of("FALLOCATE4J_NO_CDS", "1"))) {
            Path f = dir.resolve("f" + env.size());
            Outcome o = fallocate(env, f, "-v", "-l", "1MiB", f.toString());
            assertEquals(new Outcome(0, f + ": 1 MiB (1048576 bytes) allocated.\n", "", o.file()), o, env.toString());
            assertEquals(1 << 20, o.file().size());
            assertEquals(1 << 20, o.file().allocated());
        }
    }

    /**
     * Past the caller's file size limit ({@code ulimit -f}) util-linux dies of SIGXFSZ (status 153, no
     * message); a JVM ignores SIGXFSZ, so the tool gets EFBIG and says so, status 1: a difference README
     * lists. Neither changes the file.
     */
    @Test
    void aFileSizeLimitIsReportedWhereUtilLinuxDiesOfSigxfsz() throws Exception {
        Path theirs = dir.resolve("theirs");
        Path ours = dir.resolve("ours");
        String limited = "ulimit -f 1024; exec \"$0\" \"$@\""; // 1024 blocks of 1 KiB
        Outcome utilLinux = Outcome.process(List.of("bash", "-c", limited, "/usr/bin/fallocate", "-l", "4M", theirs.toString()), theirs);
        assertEquals(new Outcome(128 + 25, "", "", utilLinux.file()), utilLinux);
        Outcome o = Outcome.process(List.of("bash", "-c", limited, BIN.resolve("fallocate").toString(), "-l", "4M", ours.toString()),
                ours, Map.of("FALLOCATE4J_JAVA", JAVA.toString()));
        assertEquals(new Outcome(1, "", "fallocate: fallocate failed: File too large\n", o.file()), o);
        assertEquals(0, o.file().size());
        assertEquals(utilLinux.file().size(), o.file().size());
    }

    @Test
    void getoptMessagesNameTheLauncherAsInvoked() throws Exception {
        Path f = dir.resolve("f");
        Outcome o = fallocate(Map.of(), f, "-q", f.toString());
        assertEquals(new Outcome(1, "", BIN.resolve("fallocate") + ": invalid option -- 'q'\n"
                + "Try 'fallocate --help' for more information.\n", o.file()), o);
    }

    @Test
    void digsHolesInProcessesToo() throws Exception {
        Path f = dir.resolve("f");
        Layouts.SPARSE.create(f);
        Outcome o = fallocate(Map.of(), f, "--dig-holes", "--verbose", f.toString());
        assertEquals(f + ": 2 holes, 128 KiB (131072 bytes, 11.76% of the file) converted to sparse holes.\n", o.out());
        assertEquals("", o.err());
        assertEquals(3 * Layouts.K64, o.file().allocated());
    }

    @Test
    void theShadedJarKeepsTheFfmBackendForJava22() throws Exception {
        try (java.util.jar.JarFile jar = new java.util.jar.JarFile(JAR.toFile())) {
            assertEquals("true", jar.getManifest().getMainAttributes().getValue("Multi-Release"),
                    "without it every JDK would run the JNA backend");
            assertTrue(jar.getEntry("META-INF/versions/22/io/github/fallocate4j/internal/FfmBackend.class") != null);
            assertTrue(jar.getEntry("com/sun/jna/Native.class") != null, "JNA bundled for Java 17-21");
        }
    }

    @Test
    void runsWhenJavaHomeNamesAnOlderJdk() throws Exception {
        Path old = Path.of("/usr/lib/jvm/java-17-openjdk-amd64");
        Map<String, String> env = Files.isDirectory(old) ? Map.of("JAVA_HOME", old.toString()) : Map.of();
        Path f = dir.resolve("f");
        Outcome o = fallocate(env, f, "-l", "4096", f.toString());
        assertEquals(new Outcome(0, "", "", o.file()), o);
        assertEquals(4096, o.file().size());
    }

    @Test
    void fallocate4jJavaPicksTheJvmAndMustBeRecentEnough() throws Exception {
        Path f = dir.resolve("f");
        Outcome ok = fallocate(Map.of("FALLOCATE4J_JAVA", JAVA.toString()), f, "-l", "4096", f.toString());
        assertEquals(new Outcome(0, "", "", ok.file()), ok);

        // Each way FALLOCATE4J_JAVA can be wrong gets its own reason, and nothing is done.
        Path oldHome = Files.createDirectories(dir.resolve("jdk-11/bin"));
        Files.copy(Path.of("/bin/true"), oldHome.resolve("java"));   // a copy: the launcher resolves links
        Files.writeString(oldHome.resolveSibling("release"), "IMPLEMENTOR=\"test\"\nJAVA_VERSION=\"11.0.2\"\n");
        Map<String, String> reasons = Map.of(
                dir.resolve("missing/bin/java").toString(), "no such executable file",
                "/bin/true", "not the bin/java of a JDK home (no JAVA_VERSION in "
                        + Path.of("/bin/true").toRealPath().getParent().resolveSibling("release") + ")",
                oldHome.resolve("java").toString(), "Java 11, and fallocate4j needs 17 or newer");
        Outcome refused = null;
        for (Map.Entry<String, String> reason : reasons.entrySet()) {
            refused = fallocate(Map.of("FALLOCATE4J_JAVA", reason.getKey()), f, "-l", "8192", f.toString());
            assertEquals(new Outcome(1, "", "fallocate: FALLOCATE4J_JAVA=" + reason.getKey() + ": " + reason.getValue()
                    + "\n", refused.file()), refused);
        }
        assertEquals(4096, refused.file().size(), "nothing done");
    }

    @Test
    void aFullStandardOutputIsAWriteErrorAsInUtilLinux() throws Exception {
        Path f = dir.resolve("fallocate");
        Process p = new ProcessBuilder(BIN.resolve("fallocate").toString(), "-v", "-l", "1MiB", f.toString())
                .redirectOutput(new java.io.File("/dev/full")).start();
        String err = new String(p.getErrorStream().readAllBytes());
        assertEquals(1, p.waitFor(), err);
        assertEquals("fallocate: write error: No space left on device\n", err);
        assertEquals(1 << 20, Files.size(f), "the allocation itself was made");
    }

    @Test
    void theJarRunsWithJavaDashJarAndNoFlags() throws Exception {
        // The manifest carries Main-Class, Enable-Native-Access and Add-Opens: no warning may show.
        Path f = dir.resolve("f");
        Outcome o = Outcome.process(List.of(JAVA.toString(), "-jar", JAR.toString(), "-v", "-l", "1MiB", f.toString()), f);
        assertEquals(new Outcome(0, f + ": 1 MiB (1048576 bytes) allocated.\n", "", o.file()), o);
        assertEquals(1 << 20, o.file().allocated());
    }

    @Test
    void theToolsNeedNoOpenedPackages() throws Exception {
        // They open the named file themselves and work on its descriptor, never on a JDK channel.
        Path f = dir.resolve("f");
        Files.write(f, new byte[4096]);
        Outcome o = Outcome.process(List.of(JAVA.toString(), "--enable-native-access=ALL-UNNAMED", "-cp", JAR.toString(),
                "io.github.fallocate4j.cli.FadviseCommand", f.toString()), f);
        assertEquals(new Outcome(0, "", "", o.file()), o);
        Outcome dig = Outcome.process(List.of(JAVA.toString(), "--enable-native-access=ALL-UNNAMED", "-cp", JAR.toString(),
                "io.github.fallocate4j.cli.FallocateCommand", "-d", "-v", f.toString()), f);
        assertEquals(new Outcome(0, f + ": 1 holes, 4 KiB (4096 bytes, 100.00% of the file) converted to sparse holes.\n",
                "", dig.file()), dig);
    }

    @Test
    void fadviseByNameAndByDescriptor() throws Exception {
        Path f = dir.resolve("f");
        Files.write(f, new byte[8192]);
        Outcome byName = Outcome.process(List.of(BIN.resolve("fadvise").toString(), "-a", "sequential", f.toString()), f);
        assertEquals(new Outcome(0, "", "", byName.file()), byName);
        ProcessBuilder pb = new ProcessBuilder(BIN.resolve("fadvise").toString(), "--fd", "0", "-a", "dontneed")
                .redirectInput(f.toFile());
        Process p = pb.start();
        String err = new String(p.getErrorStream().readAllBytes());
        assertEquals(0, p.waitFor(), err);
        assertEquals("", err);
        Outcome help = Outcome.process(List.of(BIN.resolve("fadvise").toString(), "-h"), f);
        assertTrue(help.out().startsWith("\nUsage:\n fadvise [options] file\n"), help.out());
    }
}
