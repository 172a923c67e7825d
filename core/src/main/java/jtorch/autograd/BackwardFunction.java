package jtorch.autograd;

import jtorch.Tensor;

/**
 * The backward rule of one op: the gradient of each input from the output's gradient. It reads
 * what the forward saved through {@link FunctionNode#saved(int)} and captures only plain values
 * (dims, shapes, scalars), never tensors, so the graph can be freed after backward.
 */
@FunctionalInterface
public interface BackwardFunction {
    /**
     * The gradient of each input (null where an input needs none), from the output's gradient
     * {@code grad} and the node {@code ctx} holding what the forward saved.
     */
    Tensor[] apply(Tensor grad, FunctionNode ctx);
}
