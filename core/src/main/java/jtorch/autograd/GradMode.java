package jtorch.autograd;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Whether operations record the graph, per thread, as {@code torch.is_grad_enabled()}.
 * Use {@link jtorch.Torch#noGrad()} / {@link jtorch.Torch#enableGrad()} rather than this class.
 */
public final class GradMode {
    private static final ThreadLocal<Cell> ENABLED = ThreadLocal.withInitial(Cell::new);

    /**
     * A thread's mode, with its two guards (restoring off, restoring on) made once: a guard holds
     * nothing but the cell and the mode to restore, so {@link #set} hands out one of them instead
     * of a new object (the engine and every linear backward rule set the mode).
     */
    private static final class Cell {
        boolean enabled = true;
        final Guard[] restoring = {new Guard(this, false), new Guard(this, true)};
    }
    /**
     * How many threads have grad mode off right now. Every op asks {@link #isEnabled()}; while no
     * thread is in a no-grad region the answer needs no thread-local lookup. A thread counts itself
     * in before switching off and out after switching back on, so its own reads stay exact.
     */
    private static final AtomicInteger DISABLED_THREADS = new AtomicInteger();

    private GradMode() {}

    /** {@code torch.is_grad_enabled()}: whether ops on this thread record the graph. */
    public static boolean isEnabled() { return DISABLED_THREADS.get() == 0 || ENABLED.get().enabled; }

    /** {@code torch.set_grad_enabled(mode)} for this thread; prefer the scoped {@code Torch.noGrad(...)}. */
    public static void setEnabled(boolean enabled) { switchTo(ENABLED.get(), enabled); }

    private static void switchTo(Cell cell, boolean enabled) {
        if (cell.enabled == enabled) return;
        if (!enabled) DISABLED_THREADS.incrementAndGet();
        cell.enabled = enabled;
        if (enabled) DISABLED_THREADS.decrementAndGet();
    }

    /** Sets the mode for this thread until {@link Guard#close()} restores the previous one. */
    public static Guard set(boolean enabled) {
        Cell cell = ENABLED.get();
        Guard g = cell.restoring[cell.enabled ? 1 : 0];
        switchTo(cell, enabled);
        return g;
    }

    /** Restores the grad mode that was in force when it was created. */
    public static final class Guard implements AutoCloseable {
        private final Cell cell;
        private final boolean previous;

        private Guard(Cell cell, boolean previous) {
            this.cell = cell;
            this.previous = previous;
        }

        @Override public void close() { switchTo(cell, previous); }
    }
}
