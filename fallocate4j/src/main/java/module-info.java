/**
 * fallocate4j: Linux fallocate(2), posix_fallocate(3), posix_fadvise(3) and sparse-file tools on the
 * Foreign Function and Memory API. Run with {@code --enable-native-access=io.github.fallocate4j}
 * (or {@code ALL-UNNAMED} on the class path).
 */
module io.github.fallocate4j {
    exports io.github.fallocate4j;
}
