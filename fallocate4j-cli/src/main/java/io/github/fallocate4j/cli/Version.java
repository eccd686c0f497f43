package io.github.fallocate4j.cli;

/** The -V line: util-linux's "NAME from PACKAGE VERSION", naming this package and the release it follows. */
final class Version {
    private Version() {}

    static String line(String name) {
        String version = Version.class.getPackage().getImplementationVersion();
        return name + " from fallocate4j " + (version == null ? "(development build)" : version)
                + " (util-linux 2.42 compatible)\n";
    }
}
