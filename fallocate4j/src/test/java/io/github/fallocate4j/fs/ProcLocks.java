package io.github.fallocate4j.fs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Leases this process holds, from /proc/locks, which lists every lock of the system and names a lock's file
 * by device and inode ("LEASE  ACTIVE  WRITE pid 07:10:12 0 EOF"). Matched by the inode alone, a lease another
 * process held on a file of another filesystem with the same inode number (the small images tests mount hand
 * out the same few numbers, and other builds on the machine mount their own) would count as one on the test's
 * file. DigLeaseTest saw "a lease after the dig" once on ext4 (FFM, 30 November, other builds running), which
 * nothing else explains and no rerun showed again. Here the holder must be this process too (the device is not
 * compared: btrfs reports a subvolume's device number in stat, not the one /proc/locks prints).
 */
public final class ProcLocks {
    private ProcLocks() {}

    /** What names the file in this process's lines: " pid " and ":inode ". */
    public static String[] key(Path file) throws IOException {
        return new String[] {" " + ProcessHandle.current().pid() + " ", ":" + Files.getAttribute(file, "unix:ino") + " "};
    }

    /** Whether this process holds a lease (or one being broken) on the file named by {@link #key}. */
    public static boolean leaseOn(String[] key) throws IOException {
        return leases(key).findAny().isPresent();
    }

    /** Whether this process's lease on the file named by {@link #key} is being broken ("LEASE  BREAKING"). */
    public static boolean breaking(String[] key) throws IOException {
        return leases(key).anyMatch(line -> line.contains("BREAKING"));
    }

    private static Stream<String> leases(String[] key) throws IOException {
        return Files.readAllLines(Path.of("/proc/locks")).stream()
                .filter(line -> line.contains("LEASE") && line.contains(key[0]) && line.contains(key[1]));
    }
}
