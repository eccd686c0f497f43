package io.github.fallocate4j.internal;

import java.util.Map;

/** Names for the filesystem magic numbers statfs(2) reports, for messages and reports. */
public final class Filesystems {
    private static final Map<Long, String> NAMES = Map.ofEntries(
            Map.entry(0xEF53L, "ext4"),
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

    /** The name of the filesystem holding an open descriptor, or null when statfs fails. */
    public static String of(int fd) {
        try {
            return name(LibC.filesystemMagic(fd));
        } catch (LibC.NativeException e) {
            return null;
        }
    }
}
