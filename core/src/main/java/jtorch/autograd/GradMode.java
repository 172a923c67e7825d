package jtorch.autograd;

/**
 * Whether operations record the graph, per thread, as {@code torch.is_grad_enabled()}.
 * Use {@link jtorch.Torch#noGrad()} / {@link jtorch.Torch#enableGrad()} rather than this class.
 */
public final class GradMode {
    private static final ThreadLocal<boolean[]> ENABLED = ThreadLocal.withInitial(() -> new boolean[] {true});

    private GradMode() {}

    public static boolean isEnabled() { return ENABLED.get()[0]; }

    public static void setEnabled(boolean enabled) { ENABLED.get()[0] = enabled; }

    /** Sets the mode for this thread until {@link Guard#close()} restores the previous one. */
    public static Guard set(boolean enabled) {
        boolean[] cell = ENABLED.get();
        Guard g = new Guard(cell, cell[0]);
        cell[0] = enabled;
        return g;
    }

    /** Restores the grad mode that was in force when it was created. */
    public static final class Guard implements AutoCloseable {
        private final boolean[] cell;
        private final boolean previous;

        private Guard(boolean[] cell, boolean previous) {
            this.cell = cell;
            this.previous = previous;
        }

        @Override public void close() { cell[0] = previous; }
    }
}
