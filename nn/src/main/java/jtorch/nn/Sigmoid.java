package jtorch.nn;

import jtorch.Tensor;

/** {@code nn.Sigmoid: 1 / (1 + exp(-x)) elementwise.} */
public class Sigmoid extends Module {
    @Override public Tensor forward(Tensor input) { return jtorch.ops.Args.notNull("sigmoid", "input", input).sigmoid(); }
}
