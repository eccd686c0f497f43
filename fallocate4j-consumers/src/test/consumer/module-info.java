// Compiled only for the module-path case: an application module that reads the library.
module consumer {
    requires io.github.fallocate4j;
}
