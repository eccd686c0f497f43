package io.github.fallocate4j.fs;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * Mounts each filesystem of {@link Fs} once per test run, on first use, and takes everything down at
 * the end: unmount, detach the loop device, delete the sparse image. The end is the JUnit launcher
 * session's end ({@link MountsCleanup}, shared by the Jupiter and jqwik engines) and, should the JVM
 * die another way, a shutdown hook. A filesystem that cannot be had makes the test that asked for it
 * skip with the reason. Without root, {@link Fs#TMPFS} is a fresh directory in {@code /dev/shm} (a tmpfs
 * every user may write), so only the loop filesystems and the tiny tmpfs are skipped.
 */
public final class Mounts {
    private static final Map<Fs, Object> MOUNTED = new EnumMap<>(Fs.class); // Mount, or String: why not
    private static Object blockDevice; // Mount with no mount point, or String: why not
    private static final AtomicInteger DIRS = new AtomicInteger();
    private static Path base;
    private static boolean hookAdded;

    /** {@code mounted}: this class mounted it and must unmount it; false for a plain directory. */
    private record Mount(Path mountPoint, boolean mounted, String device, Path image) {}

    private static final Path SHM = Path.of("/dev/shm");

    private Mounts() {}

    /**
     * A fresh, empty directory on {@code fs}; skips the calling test (JUnit assumption) with the reason
     * when the filesystem cannot be mounted here.
     */
    public static Path dir(Fs fs) throws IOException {
        Object m = mount(fs);
        Assumptions.assumeTrue(m instanceof Mount, () -> fs + ": " + m);
        Path dir = ((Mount) m).mountPoint().resolve("t" + DIRS.incrementAndGet());
        return Files.createDirectory(dir);
    }

    /** Why {@code fs} cannot be used here, or null when it can (mounting it if need be). */
    public static String unavailable(Fs fs) {
        Object m = mount(fs);
        return m instanceof String reason ? reason : null;
    }

    /** The mount point of {@code fs} (mounting it if need be); skips the test when unavailable. */
    public static Path root(Fs fs) {
        Object m = mount(fs);
        Assumptions.assumeTrue(m instanceof Mount, () -> fs + ": " + m);
        return ((Mount) m).mountPoint();
    }

    /**
     * A loop block device over a fresh 64 MiB sparse image, attached once per test run and never
     * mounted: its path, e.g. {@code /dev/loop3}, for tests of calls on block devices. Skips the calling
     * test with the reason when there is no root or no loop device.
     */
    public static synchronized Path blockDevice() {
        if (blockDevice == null) {
            blockDevice = attachBlockDevice();
        }
        Object m = blockDevice;
        Assumptions.assumeTrue(m instanceof Mount, () -> "block device: " + m);
        return Path.of(((Mount) m).device());
    }

    private static Object attachBlockDevice() {
        if (!Sh.isRoot()) {
            return "needs root to attach a loop device";
        }
        if (!Files.exists(Path.of("/dev/loop-control"))) {
            return "needs loop devices (/dev/loop-control is missing)";
        }
        try {
            Path image = base().resolve("blockdevice.img");
            try (RandomAccessFile raf = new RandomAccessFile(image.toFile(), "rw")) {
                raf.setLength(64L << 20);
            }
            try {
                return new Mount(null, false, losetup(image), image);
            } catch (IOException e) {
                Files.deleteIfExists(image);
                throw e;
            }
        } catch (IOException e) {
            return "could not attach a loop device: " + e.getMessage();
        }
    }

    /** The directory holding mount points and images, made on first use with the unmounting hook. */
    private static Path base() throws IOException {
        if (base == null) {
            base = Files.createTempDirectory("fallocate4j-fs-");
        }
        if (!hookAdded) {
            Runtime.getRuntime().addShutdownHook(new Thread(Mounts::unmountAll, "fallocate4j-unmount"));
            hookAdded = true;
        }
        return base;
    }

    private static synchronized Object mount(Fs fs) {
        return MOUNTED.computeIfAbsent(fs, f -> {
            try {
                return f == Fs.TMP ? new Mount(Files.createTempDirectory("fallocate4j-tmp-"), false, null, null) : attach(f);
            } catch (IOException e) {
                return "could not mount " + f.type() + ": " + e.getMessage();
            }
        });
    }

    private static Object attach(Fs fs) throws IOException {
        if (fs == Fs.TMPFS && !Sh.isRoot() && isWritableTmpfs(SHM)) {
            return new Mount(Files.createTempDirectory(SHM, "fallocate4j-tmpfs-"), false, null, null);
        }
        String missing = missingRequirement(fs);
        if (missing != null) {
            return missing;
        }
        Path mountPoint = Files.createDirectory(base().resolve(fs.name().toLowerCase()));
        if (!fs.onLoopDevice()) {
            Sh.run("mount", "-t", "tmpfs", "-o", "size=" + fs.mebibytes() + "m,mode=0755", "tmpfs", mountPoint.toString());
            return new Mount(mountPoint, true, null, null);
        }
        Path image = base.resolve(fs.name().toLowerCase() + ".img");
        try (RandomAccessFile raf = new RandomAccessFile(image.toFile(), "rw")) {
            raf.setLength((long) fs.mebibytes() << 20); // sparse: costs nothing until written
        }
        String device = null;
        try {
            device = losetup(image);
            List<String> mkfs = new ArrayList<>(List.of(fs.mkfs()));
            mkfs.add(device);
            Sh.run(mkfs.toArray(String[]::new));
            Sh.run("mount", device, mountPoint.toString());
            return new Mount(mountPoint, true, device, image);
        } catch (IOException | RuntimeException e) {
            if (device != null) {
                quietly("losetup", "-d", device);
            }
            Files.deleteIfExists(image);
            Files.deleteIfExists(mountPoint);
            throw e;
        }
    }

    /** Attaches an image; other processes attach loop devices too, so a lost race is retried. */
    private static String losetup(Path image) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                return Sh.run("losetup", "--find", "--show", image.toString()).strip();
            } catch (IOException e) {
                if (attempt == 5) {
                    throw e;
                }
            }
        }
    }

    private static String missingRequirement(Fs fs) {
        if (!Sh.isRoot()) {
            return "needs root to mount " + (fs.onLoopDevice() ? "loop devices"
                    : fs == Fs.TMPFS ? "a tmpfs (and " + SHM + " is not a writable tmpfs)" : "a size-limited tmpfs");
        }
        if (fs.onLoopDevice() && !Files.exists(Path.of("/dev/loop-control"))) {
            return "needs loop devices (/dev/loop-control is missing)";
        }
        if (fs.onLoopDevice() && !Sh.has(fs.mkfs()[0])) {
            return "needs " + fs.mkfs()[0] + " (apt-get install "
                    + switch (fs.type()) { case "xfs" -> "xfsprogs"; case "btrfs" -> "btrfs-progs"; default -> "e2fsprogs"; } + ")";
        }
        return null;
    }

    private static boolean isWritableTmpfs(Path dir) {
        try {
            return Files.isDirectory(dir) && Files.isWritable(dir) && Files.getFileStore(dir).type().equals("tmpfs");
        } catch (IOException e) {
            return false;
        }
    }

    /** Unmounts and deletes everything this class set up; safe to call more than once. */
    public static synchronized void unmountAll() {
        for (var entry : MOUNTED.entrySet()) {
            if (entry.getValue() instanceof Mount m) {
                if (m.mounted()) {
                    // A lazy unmount still detaches when some test left a file open.
                    if (!quietly("umount", m.mountPoint().toString())) {
                        quietly("umount", "-l", m.mountPoint().toString());
                    }
                }
                if (m.device() != null) {
                    quietly("losetup", "-d", m.device());
                }
                deleteTree(m.mountPoint());
                if (m.image() != null) {
                    deleteTree(m.image());
                }
            }
        }
        MOUNTED.clear();
        if (blockDevice instanceof Mount m) {
            quietly("losetup", "-d", m.device());
            deleteTree(m.image());
        }
        blockDevice = null;
        if (base != null) {
            deleteTree(base);
            base = null;
        }
    }

    private static boolean quietly(String... command) {
        try {
            Sh.run(command);
            return true;
        } catch (IOException e) {
            System.err.println("fallocate4j tests: " + e.getMessage());
            return false;
        }
    }

    /** Deletes a directory tree the tests made, clearing chattr flags a failed test may have left. */
    static void deleteTree(Path root) {
        if (Files.exists(root) && !tryDelete(root)) {
            // Files a failed test left immutable or append-only cannot be deleted until the flag goes.
            quietly("chattr", "-R", "-f", "-i", "-a", root.toString());
            if (!tryDelete(root)) {
                System.err.println("fallocate4j tests: could not delete " + root);
            }
        }
    }

    private static boolean tryDelete(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
