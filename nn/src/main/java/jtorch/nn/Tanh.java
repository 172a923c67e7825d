package jtorch.nn;

import jtorch.Tensor;

/** {@code nn.Tanh: tanh(x) elementwise.} */
public class Tanh extends Module {
    @Override public Tensor forward(Tensor input) { return jtorch.ops.Args.notNull("tanh", "input", input).tanh(); }
}
