package io.github.fallocate4j.fs;

import java.util.List;

/**
 * The filesystems the proof runs on. {@link #TMP} is wherever {@code java.io.tmpdir} lives and needs
 * nothing; the others are mounted for the test run by {@link Mounts} (loop devices need root).
 */
public enum Fs {
    /** The temporary directory's filesystem, as found: runs everywhere. */
    TMP("tmp", 0),
    /** ext4 on a loop device; small, so mkfs picks 1 KiB blocks (sub-page blocks get tested too). */
    EXT4("ext4", 128, "mkfs.ext4", "-q"),
    /** xfs with reflink, so UNSHARE_RANGE has shared extents to work on. xfs needs about 300 MiB. */
    XFS("xfs", 320, "mkfs.xfs", "-q", "-m", "reflink=1"),
    /** btrfs on a loop device. */
    BTRFS("btrfs", 256, "mkfs.btrfs", "-q"),
    /** tmpfs, size-limited; without root, a directory in /dev/shm (see {@link Mounts}). */
    TMPFS("tmpfs", 64),
    /** ext4 with inline_data: a small file's bytes live in its inode until it outgrows it. */
    EXT4_INLINE("ext4", 64, "mkfs.ext4", "-q", "-O", "inline_data"),
    /** A tiny ext4 without reserved blocks, for filling up (ENOSPC). */
    EXT4_TINY("ext4", 8, "mkfs.ext4", "-q", "-m", "0"),
    /** A tiny tmpfs, for filling up (ENOSPC). */
    TMPFS_TINY("tmpfs", 2),
    /** ext2 (1 KiB blocks): no fallocate(2) at all, so posix_fallocate falls back to the C library's emulation. */
    EXT2("ext2", 64, "mkfs.ext2", "-q"),
    /** ext3 (1 KiB blocks, a journal, no extents): like ext2 for fallocate; statfs calls it ext4 too. */
    EXT3("ext3", 64, "mkfs.ext3", "-q"),
    /** ext4 with 4 KiB blocks in 64 KiB clusters: collapse and insert need whole clusters. */
    EXT4_BIGALLOC("ext4", 128, "mkfs.ext4", "-q", "-b", "4096", "-O", "bigalloc", "-C", "65536"),
    /** ext4 storing small files in the inode ({@code inline_data}; needs 256-byte inodes). */
    EXT4_INLINE_DATA("ext4", 64, "mkfs.ext4", "-q", "-I", "256", "-O", "inline_data"),
    /** ext4 with 128-byte inodes: no room for nanoseconds, so its times keep whole seconds. */
    EXT4_SECONDS("ext4", 64, "mkfs.ext4", "-q", "-I", "128"),
    /** ext4 without extents (block-mapped files, as on ext3); 64bit needs extents, so it goes too. */
    EXT4_NO_EXTENTS("ext4", 64, "mkfs.ext4", "-q", "-O", "^extent,^64bit"),
    /** xfs whose root directory hands new files a 64 KiB extent-size hint (16 blocks of 4 KiB). */
    XFS_EXTSIZE("xfs", 320, "mkfs.xfs", "-q", "-d", "extszinherit=16"),
    /** ext4 with 4 KiB blocks for {@link ReservingChannelExtentsTest} alone: free space no other test has cut up. */
    EXT4_APPENDS("ext4", 256, "mkfs.ext4", "-q", "-b", "4096"),
    /** xfs for {@link ReservingChannelExtentsTest} alone: free space no other test has cut up. */
    XFS_APPENDS("xfs", 320, "mkfs.xfs", "-q");

    /** The filesystems of the support table, in its column order. */
    public static final List<Fs> MATRIX = List.of(EXT4, XFS, BTRFS, TMPFS, EXT2, EXT3);

    private final String type;
    private final int mebibytes;
    private final String[] mkfs;

    Fs(String type, int mebibytes, String... mkfs) {
        this.type = type;
        this.mebibytes = mebibytes;
        this.mkfs = mkfs;
    }

    /** The filesystem type, as mount(8) and the support table name it. */
    public String type() {
        return type;
    }

    int mebibytes() {
        return mebibytes;
    }

    /** The mkfs command (device path appended), or empty for tmpfs and {@link #TMP}. */
    String[] mkfs() {
        return mkfs.clone();
    }

    boolean onLoopDevice() {
        return mkfs.length > 0;
    }
}
