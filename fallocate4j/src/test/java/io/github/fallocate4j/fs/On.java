package io.github.fallocate4j.fs;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import net.jqwik.api.lifecycle.LifecycleContext;
import net.jqwik.api.lifecycle.SkipExecutionHook;

/** The filesystem a jqwik group's properties run on; see {@link SkipUnavailable}. */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@interface On {
    Fs value();

    /** Skips a property whose filesystem is unavailable (no root, no loop devices, no mkfs), with the reason. */
    final class SkipUnavailable implements SkipExecutionHook {
        @Override
        public SkipResult shouldBeSkipped(LifecycleContext context) {
            return context.findAnnotationsInContainer(On.class).stream().findFirst()
                    .map(on -> Mounts.unavailable(on.value()))
                    .map(reason -> SkipResult.skip(reason))
                    .orElse(SkipResult.doNotSkip());
        }
    }
}
