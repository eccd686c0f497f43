package io.github.fallocate4j.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The fixtures are what their names say: the type mount(8) reports and the features mkfs was asked for. */
class FixturesTest {

    @ParameterizedTest
    @EnumSource(names = {"EXT2", "EXT3", "EXT4_BIGALLOC", "EXT4_INLINE_DATA", "EXT4_NO_EXTENTS", "XFS_EXTSIZE"})
    void mountsAsItsType(Fs fs) throws Exception {
        assertEquals(fs.type(), typeAndSource(fs)[0]);
    }

    @Test
    void ext4VariantsHaveTheirFeatures() throws Exception {
        assertTrue(features(Fs.EXT4_BIGALLOC).contains("bigalloc"));
        assertTrue(features(Fs.EXT4_INLINE_DATA).contains("inline_data"));
        assertTrue(!features(Fs.EXT4_NO_EXTENTS).contains("extent"));
        assertTrue(Sh.run("dumpe2fs", "-h", device(Fs.EXT4_BIGALLOC)).contains("Cluster size:             65536"));
    }

    @Test
    void xfsHandsOutTheExtentSizeHint() throws Exception {
        Path f = Mounts.dir(Fs.XFS_EXTSIZE).resolve("f");
        Files.createFile(f);
        String emulator = Sh.emulator();
        if (emulator != null) {
            org.junit.jupiter.api.Assumptions.abort("qemu-user emulation: " + emulator
                    + " does not translate xfs_io's XFS_IOC_FSGEOMETRY ioctl, so the hint cannot be read");
        }
        assertTrue(Sh.run("xfs_io", "-c", "extsize", f.toString()).contains("[65536]"));
    }

    @Test
    void blockDeviceIsAnUnmountedLoopDevice() throws Exception {
        Path dev = Mounts.blockDevice();
        assertTrue(dev.toString().startsWith("/dev/loop"), dev.toString());
        assertEquals(060000, (int) Files.getAttribute(dev, "unix:mode") & 0170000, "a block device");
        assertEquals(64L << 20, Long.parseLong(Sh.run("blockdev", "--getsize64", dev.toString()).strip()));
        assertTrue(Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                .noneMatch(l -> l.contains(" " + dev + " ")), "not mounted");
    }

    private static List<String> features(Fs fs) throws Exception {
        String header = Sh.run("dumpe2fs", "-h", device(fs));
        String line = header.lines().filter(l -> l.startsWith("Filesystem features:")).findFirst().orElseThrow();
        return List.of(line.substring(line.indexOf(':') + 1).strip().split("\\s+"));
    }

    private static String device(Fs fs) throws Exception {
        return typeAndSource(fs)[1];
    }

    /** The filesystem type and mount source /proc/self/mountinfo gives for the fixture's mount point. */
    private static String[] typeAndSource(Fs fs) throws Exception {
        Path root = Mounts.root(fs);
        String line = Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                .filter(l -> l.split(" ")[4].equals(root.toString())).findFirst().orElseThrow();
        return line.substring(line.indexOf(" - ") + 3).split(" ");
    }
}
