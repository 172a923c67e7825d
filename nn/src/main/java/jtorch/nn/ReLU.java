package jtorch.nn;

import jtorch.Tensor;

/** {@code nn.ReLU: max(0, x) elementwise.} */
public class ReLU extends Module {
    @Override public Tensor forward(Tensor input) { return jtorch.ops.Args.notNull("relu", "input", input).relu(); }
}
