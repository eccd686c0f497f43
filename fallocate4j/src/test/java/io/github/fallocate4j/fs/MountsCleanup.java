package io.github.fallocate4j.fs;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Takes the test filesystems down when the JUnit launcher session ends, after every engine (Jupiter
 * and jqwik) has run, so they are mounted once per run and shared by all test classes. Registered in
 * {@code META-INF/services}.
 */
public final class MountsCleanup implements LauncherSessionListener {
    /** Called by the JUnit platform. */
    public MountsCleanup() {}

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        Mounts.unmountAll();
    }
}
