package jtorch.nn;

import jtorch.Tensor;

/** {@code nn.Flatten(start_dim=1, end_dim=-1)}: merges the given dims (all but the batch dim by default). */
public class Flatten extends Module {
    public final int startDim, endDim;

    public Flatten() { this(1, -1); }

    public Flatten(int startDim, int endDim) {
        this.startDim = startDim;
        this.endDim = endDim;
    }

    @Override public Tensor forward(Tensor input) { return jtorch.ops.Args.notNull("flatten", "input", input).flatten(startDim, endDim); }

    @Override protected String extraRepr() { return "start_dim=" + startDim + ", end_dim=" + endDim; }
}
