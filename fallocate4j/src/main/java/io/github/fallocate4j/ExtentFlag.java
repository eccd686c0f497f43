package io.github.fallocate4j;

/**
 * The FIEMAP_EXTENT_* flags of linux/fiemap.h, with the kernel's values.
 *
 * @since 0.1.0
 */
public enum ExtentFlag {
    /** The last extent of the file. */
    LAST(0x1),
    /** Where the data lives is not known (yet). */
    UNKNOWN(0x2),
    /** Delayed allocation: no blocks chosen yet; also sets UNKNOWN. */
    DELALLOC(0x4),
    /** The data is encoded (compressed, say) and cannot be read from the device directly. */
    ENCODED(0x8),
    /** The data is encrypted. */
    DATA_ENCRYPTED(0x80),
    /** The extent's offsets are not block-aligned. */
    NOT_ALIGNED(0x100),
    /** The data sits inside a metadata block (inline data). */
    DATA_INLINE(0x200),
    /** Several files' tails are packed into one block. */
    DATA_TAIL(0x400),
    /** Allocated but not written: reads as zeros. */
    UNWRITTEN(0x800),
    /** The filesystem reported several extents as one (it tracks blocks, not extents). */
    MERGED(0x1000),
    /** The blocks are shared with other files (reflinks, snapshots). */
    SHARED(0x2000);

    private final int value;

    ExtentFlag(int value) {
        this.value = value;
    }

    /**
     * The kernel's bit for this flag.
     *
     * @return the FIEMAP_EXTENT_* value
     */
    public int value() {
        return value;
    }
}
