package jtorch.utils.hooks;

/**
 * {@code torch.utils.hooks.RemovableHandle}: what registering a hook returns; {@link #remove()}
 * unregisters it (again: no effect). A {@link Runnable} too, whose {@code run()} removes.
 *
 * <pre>{@code
 * RemovableHandle h = x.registerHook(g -> g.mul(2.0));
 * h.remove();
 * }</pre>
 */
public final class RemovableHandle implements Runnable {
    private Runnable removal;

    /** A handle whose first {@link #remove()} runs {@code removal}. */
    public RemovableHandle(Runnable removal) { this.removal = removal; }

    /** {@code handle.remove()}. */
    public void remove() {
        Runnable r = removal;
        removal = null;
        if (r != null) r.run();
    }

    @Override public void run() { remove(); }
}
