package io.github.fallocate4j.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.fallocate4j.Advice;
import io.github.fallocate4j.FileSpace;
import io.github.fallocate4j.Residency;
import io.github.fallocate4j.SparseFiles;
import io.github.fallocate4j.internal.LibC;
import io.github.fallocate4j.internal.OpenFiles;
import io.github.fallocate4j.internal.PageCache;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 12: residency tells the truth. After each thing done to a file (writing, fsync, DONTNEED, a
 * read, WILLNEED) the counts are what was done, from cachestat(2), and mincore(2) agrees where the
 * kernel answers it truthfully; then the same as the unprivileged user {@code nobody}, in a child JVM
 * run with runuser(1), for a file nobody owns, one it could write and one it could neither (where the
 * kernel hides the page cache: both ways throw EPERM; mincore alone would say 100% cached). The
 * no-cachestat path of an older kernel is forced with {@code -Dfallocate4j.cachestat=false}.
 */
class PageCacheTruthTest {
    private static final int PAGES = 64;
    private static final String QEMU = "qemu-user has no cachestat(2) (ENOSYS) and runs madvise itself, so the kernel is not what answers";

    @RegisterExtension
    final ScratchDirs dirs = new ScratchDirs();

    @ParameterizedTest
    @EnumSource(names = {"EXT4", "XFS", "BTRFS", "TMPFS"})
    void residencyFollowsWhatWasDoneToTheFile(Fs fs) throws Exception {
        Sh.abortUnderEmulation(QEMU);
        Path f = dirs.on(fs).resolve("f");
        long page = LibC.pageSize();
        boolean tmpfs = fs == Fs.TMPFS; // its pages are the file: never dropped, never written back
        long size = PAGES * page;
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            byte[] data = new byte[(int) size];
            new Random(12).nextBytes(data);
            ch.write(ByteBuffer.wrap(data), 0); // a new file: ext4 starts no writeback as it does for a truncated one
            Residency written = state(f, size, "written");
            assertEquals(PAGES, written.residentPages(), written::toString);
            assertEquals(tmpfs ? 0 : PAGES, written.dirtyPages() + written.writebackPages(), written::toString);

            ch.force(true);
            Residency synced = state(f, size, "fsync");
            assertEquals(PAGES, synced.residentPages(), synced::toString);
            assertEquals(0, synced.dirtyPages() + synced.writebackPages(), synced::toString);

            FileSpace.advise(ch, 0, 0, Advice.DONTNEED);
            Residency dropped = state(f, size, "DONTNEED");
            assertEquals(tmpfs ? PAGES : 0, dropped.residentPages(), dropped::toString);

            FileSpace.advise(ch, 0, 0, Advice.RANDOM); // no read-ahead: the read caches its page alone
            ch.read(ByteBuffer.allocate(1), 5 * page + 7);
            Residency read = state(f, size, "read");
            assertEquals(tmpfs ? PAGES : 1, read.residentPages(), read::toString);
            assertEquals(1, SparseFiles.residency(ch, 5 * page, page).residentPages(), "the page read");

            FileSpace.advise(ch, 0, 0, Advice.WILLNEED);
            // WILLNEED starts the reads and returns. cachestat counts a page from the moment its read
            // starts, mincore once it has been read: wait for mincore (not a timing assertion; the
            // deadline only keeps a broken kernel from hanging the build).
            for (long deadline = System.nanoTime() + 10_000_000_000L;
                    mincore(f, size).residentPages() < PAGES && System.nanoTime() < deadline; Thread.sleep(10)) {
                assertEquals(PAGES, SparseFiles.residency(f, 0, size).residentPages(), "cachestat counts pages being read");
            }
            Residency wanted = state(f, size, "WILLNEED");
            assertEquals(PAGES, wanted.residentPages(), wanted::toString);
        }
    }

    /** The residency from cachestat, checked against mincore's (root owns the file: mincore tells the truth). */
    private static Residency state(Path f, long size, String after) throws IOException {
        Residency cachestat = SparseFiles.residency(f, 0, size);
        assertTrue(cachestat.hasCachestatCounts(), "this kernel has cachestat: " + cachestat);
        Residency mincore = mincore(f, size);
        assertEquals(new Residency(cachestat.pageSize(), cachestat.pages(), cachestat.residentPages()), mincore,
                "cachestat and mincore after " + after);
        return cachestat;
    }

    private static Residency mincore(Path f, long size) throws IOException {
        return OpenFiles.with(f, OpenFiles.Access.READ, open -> PageCache.mincoreResidency(open, 0, size));
    }

    /**
     * The reproduction: root writes a file and drops it from the page cache; nobody asks. For a
     * file nobody owns, and one it could write, the answer is the truth (0, then all pages after
     * WILLNEED), from cachestat and from mincore; for a root file it can only read, EPERM from both,
     * where mincore alone would have answered 100%.
     */
    @ParameterizedTest
    @EnumSource(names = {"EXT4", "XFS", "BTRFS", "TMPFS"})
    void anUnprivilegedUserGetsTheTruthOrAnError(Fs fs) throws Exception {
        Sh.abortUnderEmulation(QEMU);
        assumeTrue(Sh.isRoot(), "needs root, to run a child JVM as nobody with runuser");
        Path dir = dirs.on(fs);
        Path owned = cold(dir.resolve("owned"), "rw-r--r--");
        Path writable = cold(dir.resolve("writable"), "rw-rw-rw-");
        Path readable = cold(dir.resolve("readable"), "rw-r--r--");
        Sh.run("chown", "nobody", owned.toString());
        reachableByOthers(dir);
        long size = Files.size(owned);
        long expected = fs == Fs.TMPFS ? size / LibC.pageSize() : 0;
        for (Path f : List.of(owned, writable, readable)) {
            assertEquals(expected, SparseFiles.residency(f, 0, size).residentPages(), "root's view, " + f);
        }
        assertEquals(List.of("cached=" + expected + " cached=" + expected, "cached=" + expected + " cached=" + expected,
                "! EPERM cachestat hidden ! EPERM mincore hidden"), asNobody(true, owned, writable, readable), "cold");
        // As on a kernel without cachestat: SparseFiles.residency takes the mincore path itself.
        assertEquals(List.of("cached=" + expected + " cached=" + expected, "cached=" + expected + " cached=" + expected,
                "! EPERM mincore hidden ! EPERM mincore hidden"), asNobody(false, owned, writable, readable),
                "-Dfallocate4j.cachestat=false");
        long all = size / LibC.pageSize();
        // All cached now, less what reclaim (or another process dropping caches on this shared machine)
        // takes meanwhile: the two ways must agree, and see the pages; a few tries outlast a drop.
        List<String> report = List.of();
        for (int attempt = 0; attempt < 5 && !mostlyCached(report, all); attempt++) {
            for (Path f : List.of(owned, writable, readable)) {
                FileSpace.advise(f, 0, 0, Advice.WILLNEED);
                Files.readAllBytes(f); // waits for the reads WILLNEED started, which cachestat already counts
            }
            report = asNobody(true, owned, writable, readable);
        }
        for (String line : report.subList(0, 2)) {
            String[] counts = line.split(" ");
            assertEquals(counts[0], counts[1], "cachestat and mincore agree: " + report);
        }
        assertTrue(mostlyCached(report, all), "after WILLNEED: " + report);
        assertEquals("! EPERM cachestat hidden ! EPERM mincore hidden", report.get(2), "after WILLNEED");
    }

    /**
     * PAGEOUT's side-channel defence, as madvise's {@code can_do_file_pageout} decides: nobody's PAGEOUT
     * reclaims the pages of a file it owns, and none of a root file it can only read.
     */
    @ParameterizedTest
    @EnumSource(names = {"EXT4", "XFS", "BTRFS"})
    void pageOutByAnUnprivilegedUserSparesFilesItCannotWrite(Fs fs) throws Exception {
        Sh.abortUnderEmulation(QEMU);
        assumeTrue(Sh.isRoot(), "needs root, to run a child JVM as nobody with runuser");
        Path dir = dirs.on(fs);
        Path owned = cold(dir.resolve("owned"), "rw-r--r--");
        Path readable = cold(dir.resolve("readable"), "rw-r--r--");
        Sh.run("chown", "nobody", owned.toString());
        reachableByOthers(dir);
        long size = Files.size(owned);
        for (Path f : List.of(owned, readable)) {
            Files.readAllBytes(f);
            assertEquals(size / LibC.pageSize(), SparseFiles.residency(f, 0, size).residentPages(), "read in: " + f);
        }
        assertEquals(List.of("advised", "advised"), asNobody(true, "pageout:" + owned, "pageout:" + readable));
        assertEquals(0, SparseFiles.residency(owned, 0, size).residentPages(), "nobody's own file paged out");
        assertEquals(size / LibC.pageSize(), SparseFiles.residency(readable, 0, size).residentPages(),
                "root's file left alone");
    }

    private static boolean mostlyCached(List<String> report, long all) {
        return report.size() == 3 && report.subList(0, 2).stream().allMatch(line -> line.startsWith("cached=")
                && Long.parseLong(line.substring("cached=".length(), line.indexOf(' '))) > all / 2);
    }

    /** A 1 MiB file on disk with nothing in the page cache, and the given permissions. */
    private static Path cold(Path f, String permissions) throws IOException {
        FileState.writeRandom(f, 1 << 20, 3);
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
            ch.force(true);
            FileSpace.advise(ch, 0, 0, Advice.DONTNEED);
        }
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(permissions));
        return f;
    }

    /** Lets other users through every directory from {@code dir} up (the fixtures' are private to root). */
    private static void reachableByOthers(Path dir) throws IOException {
        for (Path d = dir.toAbsolutePath(); d != null; d = d.getParent()) {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(d);
            if (permissions.add(PosixFilePermission.OTHERS_EXECUTE)) {
                Files.setPosixFilePermissions(d, permissions);
            }
        }
    }

    /**
     * Residency of each file as seen by {@code nobody}, from cachestat and from mincore alone (the path of
     * a kernel without cachestat), one after the other ({@code cachestat} false: as if the kernel had none): a child JVM of this JDK and backend, the library
     * jar (and JNA) copied where nobody can read them, running {@link Probe} from its source.
     */
    private static List<String> asNobody(boolean cachestat, Object... files) throws IOException, InterruptedException {
        Path work = Files.createTempDirectory("fallocate4j-nobody-");
        try {
            Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxrwxrwx"));
            List<String> classPath = new ArrayList<>();
            for (String type : List.of("io.github.fallocate4j.SparseFiles", "com.sun.jna.Native")) {
                Class<?> c;
                try {
                    c = Class.forName(type);
                } catch (ClassNotFoundException e) {
                    continue; // no JNA: the FFM run
                }
                Path jar = Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
                classPath.add(Files.copy(jar, work.resolve(classPath.size() + ".jar")).toString());
            }
            Path probe = work.resolve("Probe.java");
            Files.writeString(probe, Probe.SOURCE);
            for (Path p : Files.list(work).collect(Collectors.toList())) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-r--r--"));
            }
            List<String> command = new ArrayList<>(List.of("runuser", "-u", "nobody", "--",
                    ProcessHandle.current().info().command().orElseThrow(), "--enable-native-access=ALL-UNNAMED",
                    "-Djava.io.tmpdir=" + work, "-Djna.tmpdir=" + work,
                    "-Dfallocate4j.backend=" + System.getProperty("fallocate4j.backend", ""),
                    "-Dfallocate4j.cachestat=" + cachestat,
                    "-cp", String.join(":", classPath), probe.toString()));
            for (Object f : files) {
                command.add(f.toString());
            }
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, process.waitFor(), out);
            return out.lines().collect(Collectors.toList());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        } finally {
            Mounts.deleteTree(work);
        }
    }

    /** What nobody runs: for each file, its cached pages, or the errno and operation of the refusal. */
    private static final class Probe {
        static final String SOURCE = String.join("\n",
                "import io.github.fallocate4j.*;",
                "import io.github.fallocate4j.internal.*;",
                "import java.nio.file.Path;",
                "public class Probe {",
                "    public static void main(String[] args) throws Exception {",
                "        for (String f : args) {",
                "            if (f.startsWith(\"pageout:\")) {",
                "                try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(Path.of(f.substring(8)))) {",
                "                    java.nio.MappedByteBuffer map = ch.map(java.nio.channels.FileChannel.MapMode.READ_ONLY, 0, ch.size());",
                "                    MappedMemory.advise(map, MemoryAdvice.POPULATE_READ);",
                "                    MappedMemory.advise(map, MemoryAdvice.PAGEOUT);",
                "                }",
                "                System.out.println(\"advised\");",
                "                continue;",
                "            }",
                "            String cachestat = cached(() -> SparseFiles.residency(Path.of(f), 0, 1L << 30));",
                "            String mincore = cached(() -> OpenFiles.with(Path.of(f), OpenFiles.Access.READ,",
                "                    open -> PageCache.mincoreResidency(open, 0, 1L << 30)));",
                "            System.out.println(cachestat + \" \" + mincore);",
                "        }",
                "    }",
                "    interface Call { Residency run() throws Exception; }",
                "    static String cached(Call call) throws Exception {",
                "        try {",
                "            return \"cached=\" + call.run().residentPages();",
                "        } catch (FileSpaceException e) {",
                "            boolean said = e.getMessage().contains(\"mincore(2) would report every page as cached\")",
                "                    || e.getMessage().contains(\"mincore(2) reports every page of a file as cached unless\");",
                "            return \"! \" + e.errnoName() + \" \" + e.operation() + (said ? \" hidden\" : \": \" + e.getMessage());",
                "        }",
                "    }",
                "}",
                "");

        private Probe() {}
    }
}
