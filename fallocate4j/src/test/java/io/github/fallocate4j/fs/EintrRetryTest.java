package io.github.fallocate4j.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.github.fallocate4j.DigListener;
import io.github.fallocate4j.DigOption;
import io.github.fallocate4j.DigResult;
import io.github.fallocate4j.Fallocate;
import io.github.fallocate4j.SparseFiles;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * EINTR is retried. Local filesystems never interrupt these calls, so the proof runs on a FUSE
 * filesystem, {@code eintrfs.c} (compiled here with gcc against libfuse3), that on command holds the
 * next fallocate or read request until the kernel interrupts it, and then answers EINTR. A worker
 * thread makes the call; once the daemon reports the request held, the test sends SIGPIPE to exactly
 * that thread. The JVM has a handler for SIGPIPE (checked first: a signal without one would end the
 * JVM or be ignored), so the call is interrupted and the handler does nothing else. A fallocate(2) made once then fails with EINTR: the control, showing that the
 * set-up really produces EINTR. The library's calls return normally instead, and the daemon shows the
 * interrupted request followed by the retry it carried out, whose effect is on the file.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class EintrRetryTest {
    private static final int SIGPIPE = 13;
    private static final long WAIT_SECONDS = 10;

    private static Path dir;
    private static Path mountPoint;
    private static Path file;
    private static Process daemon;
    private static OutputStream commands;
    private static final BlockingQueue<String> EVENTS = new LinkedBlockingQueue<>();

    @BeforeAll
    static void mount() throws Exception {
        Assumptions.assumeTrue(Sh.isRoot(), "needs root to mount a FUSE filesystem");
        Assumptions.assumeTrue(Files.isReadable(Path.of("/dev/fuse")), "no /dev/fuse");
        Assumptions.assumeTrue(Sh.has("gcc") && Sh.has("pkg-config"), "needs gcc and pkg-config to build eintrfs");
        String flags;
        try {
            flags = Sh.run("pkg-config", "--cflags", "--libs", "fuse3").strip();
        } catch (IOException e) {
            Assumptions.abort("needs libfuse3-dev (pkg-config fuse3: " + e.getMessage() + ")");
            return;
        }
        // The signal the test sends must find a handler: its default action would end the JVM.
        Assumptions.assumeTrue(caught(SIGPIPE), "this JVM has no handler for SIGPIPE");

        dir = Files.createTempDirectory("fallocate4j-eintr");
        Path source = Path.of(EintrRetryTest.class.getResource("eintrfs.c").toURI());
        Path binary = dir.resolve("eintrfs");
        List<String> gcc = new ArrayList<>(List.of("gcc", "-O2", "-Wall", "-Werror", "-o",
                binary.toString(), source.toString()));
        gcc.addAll(List.of(flags.split("\\s+")));
        Sh.run(gcc.toArray(String[]::new));

        mountPoint = Files.createDirectory(dir.resolve("mnt"));
        file = mountPoint.resolve("f");
        daemon = new ProcessBuilder(binary.toString(), mountPoint.toString())
                .redirectError(dir.resolve("eintrfs.err").toFile()).start();
        commands = daemon.getOutputStream();
        Thread events = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(daemon.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                    EVENTS.add(line);
                }
            } catch (IOException ignored) {
                // The daemon is gone; a test waiting for an event fails on its timeout.
            }
        }, "eintrfs-events");
        events.setDaemon(true);
        events.start();
        expect("READY eintrfs");
    }

    @AfterAll
    static void unmount() throws Exception {
        try {
            if (daemon != null) {
                Sh.run("umount", "-l", mountPoint.toString());
            }
        } finally {
            if (daemon != null) {
                daemon.destroy();
                if (!daemon.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)) {
                    daemon.destroyForcibly();
                }
            }
            if (dir != null) {
                Mounts.deleteTree(dir);
            }
        }
    }

    @Test
    void aFallocateMadeOnceFailsWithEintr() throws Exception {
        int fd = Native.openReadWrite(file.toString());
        try {
            int[] held = new int[1];
            int errno = interrupted("FALLOCATE", held, () -> Native.fallocateOnce(fd, 0, 0, 4096));
            assertEquals(4, errno, "EINTR");
            expect("INTERRUPTED FALLOCATE " + held[0]);
        } finally {
            Native.close(fd);
        }
    }

    @Test
    void fallocateIsRetried() throws Exception {
        retriedAndGrown(4096, (ch, size) -> Fallocate.fallocate(ch, size, 4096));
    }

    @Test
    void posixFallocateIsRetried() throws Exception {
        retriedAndGrown(8192, (ch, size) -> Fallocate.posixFallocate(ch, size, 8192));
    }

    /** An allocation past the end of the file, interrupted once: the retry is what grows the file. */
    private static void retriedAndGrown(long growth, Allocation allocation) throws Exception {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = ch.size();
            int[] held = new int[1];
            interrupted("FALLOCATE", held, () -> {
                allocation.allocate(ch, size);
                return null;
            });
            expect("INTERRUPTED FALLOCATE " + held[0]);
            expect("DONE FALLOCATE " + (held[0] + 1));
            assertEquals(size + growth, Files.size(file), "the retry grew the file");
        }
    }

    private interface Allocation {
        void allocate(FileChannel channel, long size) throws IOException;
    }

    @Test
    void preadIsRetried() throws Exception {
        int[] held = new int[1];
        // A dry run reads every byte (eintrfs's are letters, no zero block) and changes nothing.
        DigResult result = interrupted("READ", held,
                () -> SparseFiles.digHoles(file, 0, 4096, DigListener.NONE, DigOption.DRY_RUN));
        expect("INTERRUPTED READ " + held[0]);
        expect("DONE READ " + (held[0] + 1));
        assertEquals(new DigResult(0, 0), result);
    }

    /** A call the library makes on a worker thread. */
    private interface Call<T> {
        T run() throws Exception;
    }

    /**
     * Arms eintrfs's trap for one {@code op} request, makes the call on a worker thread, waits until
     * the request is held, signals the worker, and returns what the call returned. The held request's
     * number goes to {@code held[0]}.
     */
    private static <T> T interrupted(String op, int[] held, Call<T> call) throws Exception {
        synchronized (EintrRetryTest.class) { // one trap at a time
            EVENTS.clear(); // what an earlier, failed test left unread
            commands.write((op + "\n").getBytes(StandardCharsets.US_ASCII));
            commands.flush();
            expect("ARMED " + op);
            AtomicInteger tid = new AtomicInteger();
            CompletableFuture<T> result = new CompletableFuture<>();
            new Thread(() -> {
                tid.set(Native.gettid());
                try {
                    result.complete(call.run());
                } catch (Throwable t) {
                    result.completeExceptionally(t);
                }
            }, "eintr-worker").start();
            String event = next();
            String prefix = "HELD " + op + " ";
            assertEquals(prefix, event.substring(0, Math.min(prefix.length(), event.length())), event);
            held[0] = Integer.parseInt(event.substring(prefix.length()));
            Native.tgkill(tid.get(), SIGPIPE);
            return result.get(WAIT_SECONDS, TimeUnit.SECONDS);
        }
    }

    /** Whether this process has a handler for {@code signal} (SigCgt in /proc/self/status). */
    private static boolean caught(int signal) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("SigCgt:")) {
                return (Long.parseUnsignedLong(line.substring(7).strip(), 16) >>> (signal - 1) & 1) != 0;
            }
        }
        return false;
    }

    private static String next() throws InterruptedException {
        String event = EVENTS.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertNotNull(event, "no event from eintrfs within " + WAIT_SECONDS + " s");
        return event;
    }

    private static void expect(String event) throws InterruptedException {
        assertEquals(event, next());
    }
}
