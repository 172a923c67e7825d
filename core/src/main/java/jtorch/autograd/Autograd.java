package jtorch.autograd;

import java.util.Arrays;

import jtorch.Tensor;

/**
 * Entry points of the autograd engine: recording a node for an op, {@code backward}, and
 * {@code torch.autograd.grad}.
 *
 * <pre>{@code
 * Tensor x = Torch.randn(3).requiresGrad_();
 * Tensor y = x.mul(x).sum();
 * Tensor dx = Autograd.grad(y, x)[0];   // 2 * x
 * }</pre>
 */
public final class Autograd {
    private Autograd() {}

    /** True when an op with these inputs must record a node (grad mode on, some input requires grad). */
    public static boolean shouldRecord(Tensor... inputs) {
        if (!GradMode.isEnabled()) return false;
        for (Tensor t : inputs) if (t != null && t.requiresGrad()) return true;
        return false;
    }

    /**
     * Makes {@code out} the output of a new node named {@code name} whose backward is {@code fn}, if
     * any input requires grad under grad mode; otherwise returns {@code out} untouched and saves nothing.
     *
     * @param inputs the op's tensor inputs, in the order {@code fn} returns their gradients
     * @param saved  the tensors {@code fn} reads back through {@link FunctionNode#saved(int)}
     */
    public static Tensor record(Tensor out, String name, Tensor[] inputs, Tensor[] saved, BackwardFunction fn) {
        // Only floating outputs are differentiable (comparisons, argmax and int math never require grad).
        if (!out.isFloatingPoint() || !shouldRecord(inputs)) return out;
        out.setGradFn(new FunctionNode(name, inputs, saved, fn, out));
        return out;
    }

    /** Shorthand for {@code new Tensor[] {...}} in op declarations. */
    public static Tensor[] of(Tensor... ts) { return ts; }

    private static final Tensor[] NONE = new Tensor[0];

    /** No tensors (shared: nothing writes into it), without an allocation per op. */
    public static Tensor[] of() { return NONE; }

    /** {@code tensor.backward(gradient, retain_graph)}; a null gradient means 1 for a scalar. */
    public static void backward(Tensor root, Tensor gradient, boolean retainGraph) {
        Tensor g = implicitGrad(root, gradient, 0);
        Engine.execute(new Tensor[] {root}, new Tensor[] {g}, retainGraph, null);
    }

    /** {@code torch.autograd.grad(outputs, inputs)} for a scalar output: gradients without touching {@code .grad}. */
    public static Tensor[] grad(Tensor output, Tensor... inputs) {
        return grad(new Tensor[] {output}, inputs, null, false, false);
    }

    /**
     * {@code torch.autograd.grad(outputs, inputs, grad_outputs, retain_graph, allow_unused=...)}.
     *
     * @param gradOutputs one per output, or null for scalar outputs
     */
    public static Tensor[] grad(Tensor[] outputs, Tensor[] inputs, Tensor[] gradOutputs, boolean retainGraph, boolean allowUnused) {
        Tensor[] gs = new Tensor[outputs.length];
        for (int i = 0; i < outputs.length; i++)
            gs[i] = implicitGrad(outputs[i], gradOutputs == null ? null : gradOutputs[i], i);
        for (Tensor t : inputs)
            if (!t.requiresGrad()) throw new IllegalStateException("One of the differentiated Tensors does not require grad");
        Tensor[] r = Engine.execute(outputs, gs, retainGraph, inputs);
        for (int i = 0; i < r.length; i++)
            if (r[i] == null && !allowUnused)
                throw new IllegalStateException("One of the differentiated Tensors appears to not have been used in the graph. "
                        + "Set allow_unused=True if this is the desired behavior.");
        return r;
    }

    private static Tensor implicitGrad(Tensor root, Tensor gradient, int index) {
        if (!root.requiresGrad())
            throw new IllegalStateException("element " + index + " of tensors does not require grad and does not have a grad_fn");
        if (gradient == null) {
            if (root.numel() != 1)
                throw new IllegalStateException("grad can be implicitly created only for scalar outputs");
            return jtorch.Torch.onesLike(root);
        }
        if (!Arrays.equals(gradient.sizesInternal(), root.sizesInternal()))
            throw new IllegalArgumentException("Mismatch in shape: grad_output[" + index + "] has a shape of "
                    + gradient.shape() + " and output[" + index + "] has a shape of " + root.shape() + ".");
        return gradient;
    }
}
