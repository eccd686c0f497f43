package io.github.fallocate4j.fs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.fallocate4j.DigListener;
import io.github.fallocate4j.Region;
import io.github.fallocate4j.SparseFiles;
import io.github.fallocate4j.internal.Descriptors;
import io.github.fallocate4j.internal.HoleMap;
import io.github.fallocate4j.internal.OpenFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * lseek(2) SEEK_DATA/SEEK_HOLE move the file offset of the open file description they are made on, and
 * a duplicated descriptor shares its description with the caller's channel: walking the hole map on it
 * moved the channel's position (found while building the macOS backend: 100 became 1052672 after
 * {@code regions(channel)}), so the caller's next relative write landed there instead. Every call that
 * takes a channel must leave its position, and the bytes a relative write then puts, as they were.
 */
class CallersPositionTest {
    private static final int MIB = 1 << 20;
    private static final long POSITION = 100;

    @RegisterExtension
    final ScratchDirs dirs = new ScratchDirs();

    @ParameterizedTest
    @EnumSource(names = {"TMPFS", "EXT4", "XFS"})
    void channelCallsLeaveThePositionAlone(Fs fs) throws IOException {
        Path file = sparseFile(dirs.on(fs).resolve("f"));
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            channel.position(POSITION);
            List<Region> regions;
            try (Stream<Region> stream = SparseFiles.regions(channel, 0, Files.size(file))) {
                regions = stream.toList();
            }
            assertEquals(POSITION, channel.position(), "after regions " + regions);
            try (Stream<Region> whole = SparseFiles.regions(channel)) {
                assertEquals(regions, whole.toList(), "regions(channel) is the whole file");
            }
            assertEquals(POSITION, channel.position(), "after regions(channel)");
            SparseFiles.allocatedBytes(channel);
            SparseFiles.blockSize(channel);
            SparseFiles.residency(channel, 0, Files.size(file));
            if (fs != Fs.TMPFS) {   // tmpfs has no FIEMAP
                SparseFiles.extents(channel);
            }
            assertEquals(POSITION, channel.position(), "after allocatedBytes, blockSize, residency, extents");
            SparseFiles.digHoles(channel, 0, Files.size(file), DigListener.NONE);
            assertEquals(POSITION, channel.position(), "after digHoles");
            SparseFiles.digHoles(channel);
            assertEquals(POSITION, channel.position(), "after digHoles(channel)");
            writeMarkerAndCheck(channel, file);
        }
    }

    /**
     * Where the library has to walk the caller's own description (a descriptor it could not reopen),
     * each lseek puts the offset back. Walked here on the channel's own descriptor directly.
     */
    @ParameterizedTest
    @EnumSource(names = {"TMPFS", "EXT4"})
    void aWalkOnTheCallersDescriptionPutsTheOffsetBack(Fs fs) throws IOException {
        Path file = sparseFile(dirs.on(fs).resolve("f"));
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            channel.position(POSITION);
            HoleMap map = new HoleMap(new OpenFile(Descriptors.of(channel), null, true), 0, Long.MAX_VALUE, () -> true);
            List<Region> regions = new ArrayList<>();
            while (map.hasNext()) {
                regions.add(map.next());
            }
            assertEquals(3, regions.size(), regions.toString());
            assertEquals(POSITION, channel.position(), "after walking " + regions);
            writeMarkerAndCheck(channel, file);
        }
    }

    /** 3 MiB: data, a hole, data (1 MiB each; the data's first bytes nonzero so a dig leaves it). */
    private static Path sparseFile(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer data = ByteBuffer.allocate(MIB);
            for (int i = 0; i < MIB; i++) {
                data.put(i, (byte) (i % 251 + 1));
            }
            channel.write(data.duplicate(), 0);
            channel.write(data.duplicate(), 2L * MIB);
        }
        return file;
    }

    /** A relative write lands at {@link #POSITION}: the file reads back the marker there and nothing else changed. */
    private static void writeMarkerAndCheck(FileChannel channel, Path file) throws IOException {
        byte[] before = Files.readAllBytes(file);
        byte[] marker = "marker".getBytes(StandardCharsets.US_ASCII);
        channel.write(ByteBuffer.wrap(marker));
        channel.force(false);
        byte[] expected = before.clone();
        System.arraycopy(marker, 0, expected, (int) POSITION, marker.length);
        assertArrayEquals(expected, Files.readAllBytes(file));
    }
}
