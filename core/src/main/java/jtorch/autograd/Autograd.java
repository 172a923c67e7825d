package jtorch.autograd;

import java.util.Arrays;
import java.util.function.UnaryOperator;

import jtorch.Tensor;
import jtorch.internal.TensorInternals;

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
        TensorInternals.setGradFn(out, new FunctionNode(name, inputs, saved, fn, out));
        return out;
    }

    /**
     * The result of a backward rule that is linear in the gradient {@code g} and computed by raw kernels
     * (pooling, gathers, scatters, slices): {@code map(g)}. Under grad mode with {@code g} requiring grad
     * (a backward with {@code createGraph}) the result is recorded as a node named {@code name} whose own
     * backward is {@code adjoint} (the transpose of {@code map}, again linear: its backward is {@code map}),
     * so such a rule is differentiable to any order. Otherwise it is {@code map(g)} alone, today's fast path.
     * Both functions run with grad mode off and take and return plain tensors.
     *
     * <pre>{@code
     * // select's backward: g placed in zeros; its adjoint takes the slice back out.
     * return Autograd.linear(g, "SelectBackwardBackward0", gg -> placeInZeros(gg), "SelectBackward0", gg -> gg.select(d, i));
     * }</pre>
     */
    public static Tensor linear(Tensor g, String name, UnaryOperator<Tensor> map, String adjointName, UnaryOperator<Tensor> adjoint) {
        if (!shouldRecord(g)) return map.apply(g);
        Tensor out;
        try (GradMode.Guard off = GradMode.set(false)) {
            out = map.apply(g);
        }
        if (out.storage() == g.storage()) out = jtorch.ops.Raw.copy(out, out.dtype()); // the node must not own g's history
        return record(out, name, of(g), of(), (gg, c) -> new Tensor[] {linear(gg, adjointName, adjoint, name, map)});
    }

    /**
     * Declares that the node just recorded for {@code out} (a view of one input: slice, select)
     * has the backward "zeros of the input's shape, the gradient copied into {@code region(zeros)}".
     * The engine then adds such a gradient straight into the input's gradient sum, in place, when
     * it owns that sum and no graph of the backward is being recorded: the same values (each
     * element gets the same additions in the same order) without a zero-filled input-sized tensor
     * per view. A recurrent layer that reads each time step as a slice of one projection pays for
     * the slices, not for steps x the whole projection. The node's own backward is still what runs
     * otherwise ({@code create_graph}, a hooked or shared sum).
     *
     * <pre>{@code
     * Tensor out = record(view, "SliceBackward0", of(t), of(), backwardRule);
     * return placesGradientIn(out, z -> sliceGeometry(z, d, start, length, step));
     * }</pre>
     *
     * @param region maps a tensor of the input's shape to the view of it that {@code out} is; it must
     *               only build a view (no copy, no autograd)
     */
    public static Tensor placesGradientIn(Tensor out, UnaryOperator<Tensor> region) {
        Node node = out.gradFn();
        if (node != null && node.next.length == 1) node.gradRegion = region;
        return out;
    }

    /** Shorthand for {@code new Tensor[] {...}} in op declarations. */
    public static Tensor[] of(Tensor... ts) { return ts; }

    private static final Tensor[] NONE = new Tensor[0];

    /** No tensors (shared: nothing writes into it), without an allocation per op. */
    public static Tensor[] of() { return NONE; }

    /** {@code tensor.backward(gradient, retain_graph)}; a null gradient means 1 for a scalar. */
    public static void backward(Tensor root, Tensor gradient, boolean retainGraph) {
        backward(root, gradient, retainGraph, false);
    }

    /**
     * {@code tensor.backward(gradient, retain_graph, create_graph)}. With {@code createGraph} the backward
     * rules run with grad mode on, so the gradients accumulated into {@code .grad} are themselves
     * differentiable (PyTorch's retain_graph defaults to create_graph: pass both true for that).
     *
     * <pre>{@code
     * Tensor x = Torch.tensor(2.0).requiresGrad_();
     * Autograd.backward(x.pow(3L), null, true, true);   // x.grad() = 3 x^2 = 12, with a grad_fn
     * Autograd.backward(x.grad(), null, false, false);  // adds 6 x = 12: x.grad() is now 24
     * }</pre>
     */
    public static void backward(Tensor root, Tensor gradient, boolean retainGraph, boolean createGraph) {
        Tensor g = implicitGrad(root, gradient, 0);
        Engine.execute(new Tensor[] {root}, new Tensor[] {g}, retainGraph, createGraph, null);
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
        return grad(outputs, inputs, gradOutputs, retainGraph, false, allowUnused);
    }

    /**
     * {@code torch.autograd.grad(outputs, inputs, grad_outputs, retain_graph, create_graph, allow_unused)}.
     * With {@code createGraph} the returned gradients record their graph and can be differentiated again
     * (a gradient penalty, a Hessian-vector product); PyTorch's {@code retain_graph=None} is {@code createGraph}.
     *
     * <pre>{@code
     * Tensor x = Torch.randn(3).requiresGrad_();
     * Tensor g = Autograd.grad(of(x.pow(3L).sum()), of(x), null, true, true, false)[0];  // 3 x^2
     * Tensor h = Autograd.grad(g.sum(), x)[0];                                            // 6 x
     * }</pre>
     *
     * @param gradOutputs one per output, or null for scalar outputs (entries may be null for scalars too)
     */
    public static Tensor[] grad(Tensor[] outputs, Tensor[] inputs, Tensor[] gradOutputs, boolean retainGraph,
            boolean createGraph, boolean allowUnused) {
        if (gradOutputs != null && gradOutputs.length != outputs.length)
            throw new IllegalArgumentException("grad requires one grad_output per output: got " + gradOutputs.length
                    + " grad_outputs for " + outputs.length + " outputs");
        Tensor[] gs = new Tensor[outputs.length];
        for (int i = 0; i < outputs.length; i++)
            gs[i] = implicitGrad(outputs[i], gradOutputs == null ? null : gradOutputs[i], i);
        for (Tensor t : inputs)
            if (!t.requiresGrad()) throw new IllegalStateException("One of the differentiated Tensors does not require grad");
        Tensor[] r = Engine.execute(outputs, gs, retainGraph, createGraph, inputs);
        for (int i = 0; i < r.length; i++)
            if (r[i] == null && !allowUnused)
                throw new IllegalStateException("One of the differentiated Tensors appears to not have been used in the graph. "
                        + "Set allow_unused=True if this is the desired behavior.");
        return r;
    }

    /**
     * {@code torch.autograd.grad} with its keyword arguments: {@code retainGraph} defaults to {@code createGraph}.
     *
     * <pre>{@code
     * Tensor g = Autograd.grad(d.sum(), xHat, Autograd.gradOptions().createGraph(true))[0];
     * }</pre>
     */
    public static Tensor[] grad(Tensor output, Tensor input, GradOptions options) {
        return grad(new Tensor[] {output}, new Tensor[] {input}, options);
    }

    /** {@code torch.autograd.grad(outputs, inputs, **options)}. */
    public static Tensor[] grad(Tensor[] outputs, Tensor[] inputs, GradOptions options) {
        boolean retain = options.retainGraph == null ? options.createGraph : options.retainGraph;
        return grad(outputs, inputs, options.gradOutputs, retain, options.createGraph, options.allowUnused);
    }

    /** New keyword arguments of {@code torch.autograd.grad}, all at PyTorch's defaults. */
    public static GradOptions gradOptions() { return new GradOptions(); }

    /** The keyword arguments of {@code torch.autograd.grad}: one fluent setter per keyword. */
    public static final class GradOptions {
        private Tensor[] gradOutputs;
        private Boolean retainGraph;
        private boolean createGraph, allowUnused;

        private GradOptions() {}

        /** {@code grad_outputs=}: one per output (null entries for scalar outputs). */
        public GradOptions gradOutputs(Tensor... g) { gradOutputs = g; return this; }

        /** {@code retain_graph=}; unset, it follows {@code createGraph}. */
        public GradOptions retainGraph(boolean v) { retainGraph = v; return this; }

        /** {@code create_graph=}: record the backward itself, for higher-order derivatives (default false). */
        public GradOptions createGraph(boolean v) { createGraph = v; return this; }

        /**
         * {@code allow_unused=}: an input the outputs do not depend on gets a null gradient instead of
         * an error (default false).
         */
        public GradOptions allowUnused(boolean v) { allowUnused = v; return this; }
    }

    private static Tensor implicitGrad(Tensor root, Tensor gradient, int index) {
        if (!root.requiresGrad())
            throw new IllegalStateException("element " + index + " of tensors does not require grad and does not have a grad_fn");
        if (gradient == null) {
            if (root.numel() != 1)
                throw new IllegalStateException("grad can be implicitly created only for scalar outputs");
            return jtorch.Torch.onesLike(root);
        }
        if (!Arrays.equals(TensorInternals.sizes(gradient), TensorInternals.sizes(root)))
            throw new IllegalArgumentException("Mismatch in shape: grad_output[" + index + "] has a shape of "
                    + gradient.shape() + " and output[" + index + "] has a shape of " + root.shape() + ".");
        return gradient;
    }
}
