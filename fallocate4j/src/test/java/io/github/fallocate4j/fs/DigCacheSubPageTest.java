package io.github.fallocate4j.fs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.fallocate4j.DigListener;
import io.github.fallocate4j.Fallocate;
import io.github.fallocate4j.SparseFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
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
    private static final byte[] SEVENS = new byte[KIB];

    static {
        Arrays.fill(SEVENS, (byte) 7);
    }

    @ParameterizedTest
    @EnumSource(names = {"EXT4", "XFS", "BTRFS"})
    void pagesNotCachedBeforeTheDigAreNotCachedAfter(Fs fs) throws IOException {
        digAndCheck(fs, false);
    }

    /**
     * The same with the file open elsewhere (no lease) and written during the dig, in runs just read and
     * ahead: the runs are read again before they are punched, and what that read brings in is dropped too
     * (but the written pages, which the writer cached).
     */
    @ParameterizedTest
    @EnumSource(names = {"EXT4", "XFS", "BTRFS"})
    void pagesNotCachedBeforeADigWithoutTheLeaseAreNotCachedAfter(Fs fs) throws IOException {
        digAndCheck(fs, true);
    }

    private static void digAndCheck(Fs fs, boolean openElsewhere) throws IOException {
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
        List<Long> written = new ArrayList<>();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ch.force(true);
            Fallocate.posixFadvise(ch, 0, 0, Fallocate.POSIX_FADV_DONTNEED);
            for (int m = 0; m < 3; m++) { // a data page of each MiB: chunks read through the cache
                ch.read(ByteBuffer.allocate(PAGE), (long) m * MIB + 4 * KIB);
            }
        }
        // Open elsewhere: no lease; the writes change the file, so the runs are read again before punching.
        try (FileChannel ch = openElsewhere ? FileChannel.open(file, StandardOpenOption.WRITE) : null) {
            boolean[] before = cached(file);
            DigListener listener = DigListener.NONE;
            if (openElsewhere) {
                listener = new DigListener() {
                    @Override
                    public void progress(long at) {
                        // Into the run open at the chunk's end, just read and ahead; at the end, into the last run.
                        long[] into = at == SIZE ? new long[] {3 * MIB + KIB}
                                : at % MIB == 0 && at < 3 * MIB ? new long[] {at - KIB, at + 2 * KIB} : new long[0];
                        for (long offset : into) {
                            try {
                                ch.write(ByteBuffer.wrap(SEVENS), offset);
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            }
                            System.arraycopy(SEVENS, 0, bytes, (int) offset, KIB);
                            written.add(offset);
                        }
                    }
                };
            }
            SparseFiles.digHoles(file, 0, Long.MAX_VALUE, listener);
            boolean[] after = cached(file);
            List<Long> left = new ArrayList<>();
            for (int p = 0; p < after.length; p++) {
                long offset = (long) p * PAGE;
                if (after[p] && !before[p] && written.stream().noneMatch(w -> w / PAGE * PAGE == offset)) {
                    left.add(offset);
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
