package io.github.fallocate4j.fs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.fallocate4j.DigListener;
import io.github.fallocate4j.Fallocate;
import io.github.fallocate4j.SparseFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A dig leaves cached no page it brought into the cache, also where zero runs begin or end inside a page
 * (ext4 with 1 KiB blocks): a page that is part data, part run is only zeroed in part by the punch, and
 * posix_fadvise(DONTNEED) leaves out a page the range covers only in part. The file is partly cached
 * (a page of each MiB, so its chunks are read through the page cache) and ends inside a block, in a run
 * that begins inside a page.
 */
class DigCacheSubPageTest {
    private static final int KIB = 1024;
    private static final int MIB = 1 << 20;
    private static final int PAGE = 4096;
    /** 3 MiB + 2.5 KiB: 1 KiB of data at 6 KiB of every 8 KiB, and at 3 MiB; zeros elsewhere. */
    private static final int SIZE = 3 * MIB + 2 * KIB + 512;

    @ParameterizedTest
    @EnumSource(names = {"EXT4", "XFS", "BTRFS"})
    void pagesNotCachedBeforeTheDigAreNotCachedAfter(Fs fs) throws IOException {
        Path file = Mounts.dir(fs).resolve("subpage");
        Files.deleteIfExists(file);
        byte[] bytes = new byte[SIZE];
        Random random = new Random(18);
        List<Integer> data = new ArrayList<>();
        for (int at = 6 * KIB; at < 3 * MIB; at += 8 * KIB) {
            data.add(at);
        }
        data.add(3 * MIB);
        for (int at : data) {
            byte[] d = new byte[KIB];
            random.nextBytes(d);
            d[0] = 1;
            System.arraycopy(d, 0, bytes, at, KIB);
        }
        Files.write(file, bytes);
        try {
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                ch.force(true);
                Fallocate.posixFadvise(ch, 0, 0, Fallocate.POSIX_FADV_DONTNEED);
                for (int m = 0; m < 3; m++) { // a data page of each MiB: chunks read through the cache
                    ch.read(ByteBuffer.allocate(PAGE), (long) m * MIB + 4 * KIB);
                }
            }
            boolean[] before = cached(file);
            SparseFiles.digHoles(file, 0, Long.MAX_VALUE, DigListener.NONE);
            boolean[] after = cached(file);
            List<Long> left = new ArrayList<>();
            for (int p = 0; p < after.length; p++) {
                if (after[p] && !before[p]) {
                    left.add((long) p * PAGE);
                }
            }
            assertEquals(List.of(), left, "pages the dig brought into the cache and left there (offsets)");
            assertArrayEquals(bytes, Files.readAllBytes(file), "the file's bytes");
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static boolean[] cached(Path file) throws IOException {
        boolean[] pages = new boolean[(SIZE + PAGE - 1) / PAGE];
        for (int p = 0; p < pages.length; p++) {
            pages[p] = SparseFiles.residency(file, (long) p * PAGE, PAGE).residentPages() > 0;
        }
        return pages;
    }
}
