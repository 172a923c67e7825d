package jtorch.kernels;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.LifecycleContext;
import net.jqwik.api.lifecycle.SkipExecutionHook;

/**
 * A jqwik property or example that checks one kernel provider: skipped (with the provider's
 * reason) where the machine lacks it, such as {@code NATIVE} without OpenBLAS. jqwik counts a
 * JUnit assumption that fails in a try as a rejected try and fails a property whose tries are
 * all rejected, so provider checks are skipped before they run instead. JUnit {@code @Test}s use
 * {@code Assumptions.assumeTrue(Kernels.isAvailable(p), ...)}.
 *
 * <pre>{@code
 * @Property(seed = Props.SEED) @RequiresProvider(KernelProvider.NATIVE)
 * void nativeFloat32(@ForAll("cases") Case c) { check(KernelProvider.NATIVE, DType.FLOAT32, c); }
 * }</pre>
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@AddLifecycleHook(RequiresProvider.Hook.class)
@interface RequiresProvider {
    KernelProvider value();

    /** Skips the annotated method where its provider is unavailable. */
    final class Hook implements SkipExecutionHook {
        @Override
        public SkipResult shouldBeSkipped(LifecycleContext context) {
            return context.findAnnotation(RequiresProvider.class)
                    .filter(r -> !Kernels.isAvailable(r.value()))
                    .map(r -> SkipResult.skip(r.value() + " provider unavailable: " + Kernels.unavailableReason(r.value())))
                    .orElse(SkipResult.doNotSkip());
        }
    }
}
