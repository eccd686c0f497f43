package io.github.fallocate4j.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What the library can learn about the filesystem holding a descriptor: its name, for messages and
 * reports, and the unit that {@code COLLAPSE_RANGE} and {@code INSERT_RANGE} need.
 */
public final class Filesystems {
    /** ext2, ext3 and ext4 share one magic number; the name then comes from /proc/self/mountinfo. */
    private static final long EXT_MAGIC = 0xEF53L;
    private static final Map<Long, String> NAMES = Map.ofEntries(
            Map.entry(EXT_MAGIC, "ext2/ext3/ext4"),
            Map.entry(0x58465342L, "xfs"),
            Map.entry(0x9123683EL, "btrfs"),
            Map.entry(0x01021994L, "tmpfs"),
            Map.entry(0x858458F6L, "ramfs"),
            Map.entry(0x958458F6L, "hugetlbfs"),
            Map.entry(0xF2F52010L, "f2fs"),
            Map.entry(0xCA451A4EL, "bcachefs"),
            Map.entry(0x2FC12FC1L, "zfs"),
            Map.entry(0x6969L, "nfs"),
            Map.entry(0xFF534D42L, "cifs"),
            Map.entry(0xFE534D42L, "smb2"),
            Map.entry(0x00C36400L, "ceph"),
            Map.entry(0x01161970L, "gfs2"),
            Map.entry(0x794C7630L, "overlayfs"),
            Map.entry(0x65735546L, "fuse"),
            Map.entry(0x4D44L, "vfat"),
            Map.entry(0x2011BAB0L, "exfat"),
            Map.entry(0x5346544EL, "ntfs"),
            Map.entry(0x73717368L, "squashfs"),
            Map.entry(0xE0F5E1E2L, "erofs"),
            Map.entry(0x9FA0L, "proc"),
            Map.entry(0x62656572L, "sysfs"),
            Map.entry(0x50495045L, "pipefs"));

    private Filesystems() {}

    /** The filesystem's name, or its magic number in hex when it is not a known one. */
    public static String name(long magic) {
        String name = NAMES.get(magic & 0xFFFFFFFFL);
        return name != null ? name : "0x" + Long.toHexString(magic);
    }

    /**
     * The name of the filesystem holding an open descriptor, or null when statfs fails. ext2, ext3 and
     * ext4 are told apart by the type their mount has in /proc/self/mountinfo. On macOS: fstatfs's f_fstypename.
     */
    public static String of(int fd) {
        if (LibC.backend() instanceof DarwinBackend darwin) {
            return darwin.filesystemName(fd);
        }
        long magic;
        try {
            magic = LibC.filesystemMagic(fd);
        } catch (LibC.NativeException e) {
            return null;
        }
        if (magic == EXT_MAGIC) {
            Mount mount = mountOf(fd);
            if (mount != null && mount.type().startsWith("ext")) {
                return mount.type();
            }
        }
        return name(magic);
    }

    /**
     * The unit {@code COLLAPSE_RANGE} and {@code INSERT_RANGE} need offset and len to be multiples of:
     * the cluster on ext4 with {@code bigalloc} (the kernel's ext4_collapse_range and ext4_insert_range
     * check against the cluster size, which statfs does not report: it is read from the superblock, when
     * the device can be read), else the fundamental block size {@code f_frsize}. An extent-size hint on
     * xfs does not change it (xfs checks the allocation unit: a block, or a realtime extent).
     */
    public static AllocationUnit allocationUnit(int fd) throws LibC.NativeException {
        long block = LibC.fragmentSize(fd);
        if (LibC.filesystemMagic(fd) == EXT_MAGIC) {
            long cluster = ext4ClusterSize(fd);
            if (cluster > block) {
                return new AllocationUnit(cluster, true);
            }
        }
        return new AllocationUnit(block, false);
    }

    /** The unit, in bytes, and whether it is an ext4 bigalloc cluster rather than a block. */
    public record AllocationUnit(long bytes, boolean cluster) {
        /** For messages: "block size 4096 bytes", "ext4 bigalloc cluster size 65536 bytes". */
        public String describe() {
            return (cluster ? "ext4 bigalloc cluster size " : "block size ") + bytes + " bytes";
        }
    }

    private static final int SUPERBLOCK_OFFSET = 1024;
    private static final int SUPERBLOCK_LENGTH = 1024;
    private static final int RO_COMPAT_BIGALLOC = 0x200;

    /**
     * The cluster size in the ext2/3/4 superblock of the device holding {@code fd}, or -1 when the
     * device cannot be found or read (reading it usually needs root or the disk group).
     */
    private static long ext4ClusterSize(int fd) {
        LibC.FileStat file;
        Mount mount = mountOf(fd);
        try {
            file = LibC.fstat(fd);
        } catch (LibC.NativeException e) {
            return -1;
        }
        String byNumber = "/dev/block/" + file.devMajor() + ":" + file.devMinor();
        for (String device : mount == null ? List.of(byNumber) : List.of(byNumber, mount.source())) {
            int dev = LibC.open(device.getBytes(OpenFile.fileNameCharset()), Linux.O_RDONLY | Linux.O_CLOEXEC | Linux.O_NONBLOCK);
            if (dev < 0) {
                continue;
            }
            try {
                LibC.FileStat node = LibC.fstat(dev);
                if (!node.isBlockDevice() || node.rdevMajor() != file.devMajor() || node.rdevMinor() != file.devMinor()) {
                    continue; // a mount source that names some other device now
                }
                // The superblock is little-endian on disk, whatever the machine.
                ByteBuffer sb = LibC.allocate(SUPERBLOCK_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
                if (LibC.pread(dev, sb, SUPERBLOCK_OFFSET) != SUPERBLOCK_LENGTH
                        || Short.toUnsignedInt(sb.getShort(0x38)) != EXT_MAGIC) {
                    continue;
                }
                int logBlock = sb.getInt(0x18);
                int logCluster = sb.getInt(0x1C);
                boolean bigalloc = (sb.getInt(0x64) & RO_COMPAT_BIGALLOC) != 0;
                return 1024L << (bigalloc ? logCluster : logBlock);
            } catch (LibC.NativeException e) {
                // try the next name
            } finally {
                LibC.close(dev);
            }
        }
        return -1;
    }

    /** A line of /proc/self/mountinfo: the filesystem type and the mount source (a device path for ext4). */
    record Mount(String type, String source) {}

    /** The mount of the filesystem holding {@code fd}, matched by device number, or null. */
    static Mount mountOf(int fd) {
        try {
            LibC.FileStat stat = LibC.fstat(fd);
            String device = stat.devMajor() + ":" + stat.devMinor();
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                String[] fields = line.split(" ");
                int dash = line.indexOf(" - ");
                if (fields.length > 2 && fields[2].equals(device) && dash > 0) {
                    String[] tail = line.substring(dash + 3).split(" ");
                    if (tail.length >= 2) {
                        return new Mount(unescape(tail[0]), unescape(tail[1]));
                    }
                }
            }
        } catch (LibC.NativeException | IOException | RuntimeException e) {
            // no /proc, or an unexpected format: the caller falls back
        }
        return null;
    }

    /** mountinfo writes space, tab, newline and backslash as octal escapes ({@code \040}). */
    private static String unescape(String field) {
        StringBuilder sb = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && i + 3 < field.length() && field.substring(i + 1, i + 4).chars().allMatch(d -> d >= '0' && d <= '7')) {
                sb.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
