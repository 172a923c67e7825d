package jtorch.nn;

import jtorch.Tensor;

/** {@code nn.Flatten(start_dim=1, end_dim=-1)}: merges the given dims (all but the batch dim by default). */
public class Flatten extends Module {
    /** The first and the last dim merged (negative counts from the end). */
    public final int startDim, endDim;

    /** {@code nn.Flatten()}: {@code (N, *)} becomes {@code (N, prod(*))}. */
    public Flatten() { this(1, -1); }

    /**
     * {@code nn.Flatten(start_dim, end_dim)}: dims {@code start_dim..end_dim} (inclusive; negative from
     * the end) merged into one.
     */
    public Flatten(int startDim, int endDim) {
        this.startDim = startDim;
        this.endDim = endDim;
    }

    @Override public Tensor forward(Tensor input) { return jtorch.ops.Args.notNull("flatten", "input", input).flatten(startDim, endDim); }

    @Override protected String extraRepr() { return "start_dim=" + startDim + ", end_dim=" + endDim; }
}
