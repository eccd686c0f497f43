package io.github.fallocate4j;

/**
 * What digging holes found.
 *
 * @param runs  the runs of zero blocks found (each became one hole, unless it was a dry run, or a block
 *              of it was written before it was punched: then only its blocks still zero became holes)
 * @param bytes the bytes in those runs
 */
public record DigResult(long runs, long bytes) {
}
