package io.github.fallocate4j.bench;

import com.sun.jna.Library;
import com.sun.jna.Native;

/**
 * The C calls through a JNA interface (a proxy that JNA implements at run time): the other way JNA
 * code is written, and the one most published snippets use.
 */
interface JnaLibCInterface extends Library {
    JnaLibCInterface C = Native.load("c", JnaLibCInterface.class);

    int posix_fadvise(int fd, long offset, long len, int advice);

    int fallocate(int fd, int mode, long offset, long len);
}
