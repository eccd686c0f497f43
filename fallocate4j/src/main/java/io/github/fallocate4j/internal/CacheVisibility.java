package io.github.fallocate4j.internal;

import io.github.fallocate4j.Errno;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Whether mincore(2) tells this caller the truth about a file's page cache. Since Linux 5.2
 * ({@code can_do_mincore} in mm/mincore.c) the kernel reports the cached pages of a file mapping only
 * when the caller owns the file ({@code file_owner_or_capable}: its filesystem uid is the owner, or it
 * has {@code CAP_FOWNER} and the owner and group are mapped in its user namespace) or could open it
 * for writing ({@code file_permission(MAY_WRITE)}); for anyone else it reports every page as cached.
 * The same tests are made here, in the same order, from user space: the ids and capabilities of the
 * calling thread from {@code /proc/thread-self/status}, the owner from statx, and the write permission
 * from faccessat2(2) {@code W_OK}/{@code AT_EACCESS}, which is the kernel's own check (and stricter
 * only on a read-only mount, which mincore ignores: there the answer is refused, not made up).
 */
final class CacheVisibility {
    private static final int CAP_FOWNER = 3;

    private CacheVisibility() {}

    /** Why mincore would not tell the truth about this file's page cache, or null when it would. */
    static String whyMincoreHides(OpenFile file) throws LibC.NativeException {
        if (Platform.isMacOs() || Platform.kernelBefore(5, 2)) {
            return null; // XNU's mincore, like Linux's before 5.2, reports every mapping's pages as they are
        }
        LibC.FileStat stat = LibC.fstat(file.fd());
        List<String> status;
        try {
            status = Files.readAllLines(Path.of("/proc/thread-self/status"));
        } catch (IOException e) {
            return "the caller's ids cannot be read from /proc/thread-self/status (" + e + ")";
        }
        long fsuid = Long.parseLong(field(status, "Uid:")[3]);
        if (fsuid == stat.uid()) {
            return null;
        }
        boolean fowner = (Long.parseUnsignedLong(field(status, "CapEff:")[0], 16) & (1L << CAP_FOWNER)) != 0;
        if (fowner && ownerMapped(stat)) {
            return null;
        }
        int rc = LibC.writable(file.fd());
        if (rc == 0) {
            return null;
        }
        if (rc == -Errno.ENOSYS.number()) {
            return "this kernel has no faccessat2(2) (Linux 5.8) to tell whether the caller could open the file for writing";
        }
        return "the caller (filesystem uid " + fsuid + (fowner ? "" : ", without CAP_FOWNER") + ") does not own the file "
                + "(uid " + stat.uid() + ") and could not open it for writing (" + Errno.of(-rc).map(Errno::name).orElse("errno " + -rc) + ")";
    }

    /** The values after a {@code /proc/PID/status} label. */
    private static String[] field(List<String> status, String label) {
        for (String line : status) {
            if (line.startsWith(label)) {
                return line.substring(label.length()).trim().split("\\s+");
            }
        }
        throw new IllegalStateException("no " + label + " in /proc/thread-self/status");
    }

    /**
     * Whether the file's owner and group have ids in the caller's user namespace, as CAP_FOWNER needs:
     * always in the initial namespace (uid_map maps all 2^32 ids); elsewhere an unmapped id shows as the
     * overflow id, which a real owner may also have, so that case counts as unmapped.
     */
    private static boolean ownerMapped(LibC.FileStat stat) {
        try {
            String uidMap = Files.readString(Path.of("/proc/thread-self/uid_map")).trim();
            if (uidMap.matches("0\\s+0\\s+4294967295")) {
                return true;
            }
            long overflowUid = Long.parseLong(Files.readString(Path.of("/proc/sys/fs/overflowuid")).trim());
            long overflowGid = Long.parseLong(Files.readString(Path.of("/proc/sys/fs/overflowgid")).trim());
            return stat.uid() != overflowUid && stat.gid() != overflowGid;
        } catch (IOException | NumberFormatException e) {
            return false;
        }
    }
}
