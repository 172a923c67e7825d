package jtorch.autograd;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import jtorch.DType;
import jtorch.Tensor;
import jtorch.Torch;
import jtorch.internal.TensorInternals;

/**
 * {@code torch.autograd.Function}: an op with a forward and a backward written by the user. The
 * forward runs with grad mode off (whatever it computes records nothing); {@link #apply} makes each
 * floating output the output of one node named {@code <ClassName>Backward} whose backward is
 * {@link #backward}. The backward runs with grad mode on in a backward with {@code createGraph}, so
 * a backward written in tensor ops is itself differentiable.
 *
 * <p>{@code O} is what the forward returns and {@code apply} gives back: {@code Tensor} for one
 * output, {@code Tensor[]} for several. The backward receives one gradient per output (zeros for an
 * output no gradient reached, or that was marked non-differentiable) and returns one gradient per
 * input (null where none: an input that needs no gradient, or a non-tensor argument).
 *
 * <pre>{@code
 * class LegendrePolynomial3 extends Function<Tensor> {          // class LegendrePolynomial3(torch.autograd.Function):
 *     @Override protected Tensor forward(Ctx ctx, Tensor... in) {
 *         ctx.saveForBackward(in[0]);                           //     ctx.save_for_backward(input)
 *         return in[0].pow(3L).mul(5.0).sub(in[0].mul(3.0)).mul(0.5);
 *     }
 *     @Override protected Tensor[] backward(Ctx ctx, Tensor... grad) {
 *         Tensor input = ctx.savedTensors()[0];                 //     input, = ctx.saved_tensors
 *         return new Tensor[] {grad[0].mul(input.pow(2L).mul(5.0).sub(1.0).mul(1.5))};
 *     }
 * }
 * Tensor y = new LegendrePolynomial3().apply(x);                // P3 = LegendrePolynomial3.apply; y = P3(x)
 * }</pre>
 */
public abstract class Function<O> {

    /** The forward: runs with grad mode off; return a {@code Tensor}, or a {@code Tensor[]} for several outputs. */
    protected abstract O forward(Ctx ctx, Tensor... inputs);

    /** The backward: the gradient of each input (null for none) from the gradient of each output. */
    protected abstract Tensor[] backward(Ctx ctx, Tensor... gradOutputs);

    /**
     * {@code Function.apply(*inputs)}: runs {@link #forward} without recording and, if some input
     * requires grad under grad mode, records one node for the call. Inputs may be null.
     */
    @SuppressWarnings("unchecked")
    public final O apply(Tensor... inputs) {
        Ctx ctx = new Ctx(inputs);
        O result;
        try (GradMode.Guard g = GradMode.set(false)) {
            result = forward(ctx, inputs);
        }
        if (result == null) throw new IllegalStateException(name() + ".forward returned null");
        boolean single = result instanceof Tensor;
        Tensor[] outs = single ? new Tensor[] {(Tensor) result} : ((Tensor[]) result).clone();
        for (int i = 0; i < outs.length; i++)
            if (outs[i] == null) throw new IllegalStateException(name() + ".forward returned null as output " + i);
        if (!Autograd.shouldRecord(inputs)) return result;
        for (int i = 0; i < outs.length; i++) {
            // An output that is an input, or a view made in the forward, gets a tensor of its own to carry the node.
            if (outs[i].isView() || Arrays.asList(inputs).contains(outs[i])) outs[i] = outs[i].detach();
        }
        CustomNode node = new CustomNode(this, ctx, inputs, outs);
        node.attach(outs);
        return single ? (O) outs[0] : (O) outs;
    }

    private String name() {
        String n = getClass().getSimpleName();
        return (n.isEmpty() ? "Function" : n);
    }

    /**
     * {@code ctx}: what the forward leaves for the backward: saved tensors (checked against in-place
     * changes made after saving, as PyTorch's saved tensors are), which inputs need a gradient, which
     * outputs are not differentiable, and any other values under a name ({@code ctx.constant = c}).
     */
    public static final class Ctx {
        private final boolean[] needsInputGrad;
        private SavedTensor[] saved = new SavedTensor[0];
        private Tensor[] toSave = new Tensor[0];
        private Tensor[] nonDifferentiable = new Tensor[0];
        private final Map<String, Object> values = new HashMap<>();
        private boolean released;

        Ctx(Tensor[] inputs) {
            needsInputGrad = new boolean[inputs.length];
            boolean on = GradMode.isEnabled();
            for (int i = 0; i < inputs.length; i++) needsInputGrad[i] = on && inputs[i] != null && inputs[i].requiresGrad();
        }

        /** {@code ctx.save_for_backward(*tensors)} (call it in the forward; null entries allowed). */
        public void saveForBackward(Tensor... tensors) { toSave = tensors.clone(); }

        /**
         * {@code ctx.saved_tensors}: what {@link #saveForBackward} kept, each checked to be at the version it
         * was saved at (an in-place change since then is PyTorch's "modified by an inplace operation" error).
         */
        public Tensor[] savedTensors() {
            if (released)
                throw new IllegalStateException("Trying to backward through the graph a second time (or directly access saved "
                        + "tensors after they have already been freed). Saved intermediate values of the graph are freed when "
                        + "you call .backward() or autograd.grad(). Specify retain_graph=True if you need to backward through "
                        + "the graph a second time or if you need to access saved tensors after calling backward.");
            if (saved.length != toSave.length) return toSave.clone(); // still in the forward
            Tensor[] r = new Tensor[saved.length];
            for (int i = 0; i < r.length; i++) r[i] = saved[i] == null ? null : saved[i].unpack();
            return r;
        }

        /** {@code ctx.mark_non_differentiable(*outputs)}: these outputs get no grad_fn; their gradient in the backward is zeros. */
        public void markNonDifferentiable(Tensor... outputs) { nonDifferentiable = outputs.clone(); }

        /** {@code ctx.needs_input_grad[i]}: whether input {@code i} requires grad (false under no_grad). */
        public boolean needsInputGrad(int i) { return needsInputGrad[i]; }

        /** Keeps a non-tensor value for the backward ({@code ctx.name = value} in Python). */
        public void put(String name, Object value) { values.put(name, value); }

        /** A value kept by {@link #put}. */
        @SuppressWarnings("unchecked")
        public <T> T get(String name) {
            if (!values.containsKey(name)) throw new IllegalArgumentException("'Ctx' object has no attribute '" + name + "'");
            return (T) values.get(name);
        }

        void freeze(Tensor[] originalOutputs, Tensor[] outputs, String nodeName) {
            saved = new SavedTensor[toSave.length];
            for (int i = 0; i < toSave.length; i++) {
                Tensor t = toSave[i];
                if (t == null) continue;
                int o = indexOf(originalOutputs, t);
                // A saved output is saved as the tensor apply returned: "output 0 of XBackward" in errors.
                saved[i] = o >= 0 ? new SavedTensor(outputs[o], nodeName) : new SavedTensor(t);
            }
        }

        boolean isNonDifferentiable(Tensor original) { return indexOf(nonDifferentiable, original) >= 0; }

        boolean savesStorage(jtorch.Storage s) {
            for (SavedTensor st : saved) {
                Tensor t = st == null ? null : st.peek();
                if (t != null && t.storage() == s) return true;
            }
            return false;
        }

        void release() {
            released = true;
            for (SavedTensor s : saved) if (s != null) s.release();
        }

        private static int indexOf(Tensor[] ts, Tensor t) {
            for (int i = 0; i < ts.length; i++) if (ts[i] == t) return i;
            return -1;
        }
    }

    /**
     * The node of one {@code apply}. Nodes have one output in this engine: with one differentiable output
     * the node is that output's grad_fn; with several, each output gets a small node of the same name that
     * places its gradient in a flat buffer (the concatenation of all outputs), and this node, the buffer's
     * grad_fn, splits it again and calls the backward once with every output's gradient.
     */
    private static final class CustomNode extends Node {
        private final Function<?> fn;
        private final Ctx ctx;
        private final int[][] shapes;
        private final DType[] dtypes;
        private final boolean[] differentiable;
        private final int[] offsets;
        private final DType packedType;
        private int packedOutput = -1;

        CustomNode(Function<?> fn, Ctx ctx, Tensor[] inputs, Tensor[] outs) {
            super(fn.name() + "Backward", inputs);
            this.fn = fn;
            this.ctx = ctx;
            int n = outs.length;
            shapes = new int[n][];
            dtypes = new DType[n];
            differentiable = new boolean[n];
            offsets = new int[n + 1];
            boolean anyF64 = false;
            for (int i = 0; i < n; i++) {
                shapes[i] = TensorInternals.sizes(outs[i]);
                dtypes[i] = outs[i].dtype();
                offsets[i + 1] = offsets[i] + (int) outs[i].numel();
                anyF64 |= dtypes[i] == DType.FLOAT64;
            }
            packedType = anyF64 ? DType.FLOAT64 : DType.FLOAT32;
        }

        void attach(Tensor[] outs) {
            Tensor[] originals = outs.clone();
            int count = 0;
            for (int i = 0; i < outs.length; i++) {
                differentiable[i] = outs[i].isFloatingPoint() && !ctx.isNonDifferentiable(originals[i]);
                if (differentiable[i]) count++;
            }
            ctx.freeze(originals, outs, name());
            if (count == 1) {
                for (int i = 0; i < outs.length; i++) if (differentiable[i]) { packedOutput = i; TensorInternals.setGradFn(outs[i], this); }
                return;
            }
            if (count == 0) return;
            Tensor packed = TensorInternals.allocate(packedType, new int[] {offsets[outs.length]});
            TensorInternals.setGradFn(packed, this);
            for (int i = 0; i < outs.length; i++) {
                if (!differentiable[i]) continue;
                int at = offsets[i], len = offsets[i + 1] - offsets[i], total = offsets[outs.length];
                DType pt = packedType;
                Autograd.record(outs[i], name(), Autograd.of(packed), Autograd.of(), (g, c) -> new Tensor[] {Torch.cat(
                        Torch.zeros(new long[] {at}, pt), g.reshape(-1).to(pt), Torch.zeros(new long[] {total - at - len}, pt))});
            }
        }

        @Override protected Tensor[] backward(Tensor gradOutput) {
            int n = shapes.length;
            Tensor[] grads = new Tensor[n];
            for (int i = 0; i < n; i++) {
                if (packedOutput == i) grads[i] = gradOutput;
                else if (packedOutput < 0 && differentiable[i])
                    grads[i] = gradOutput.narrow(0, offsets[i], offsets[i + 1] - offsets[i]).reshape(jtorch.ops.Shapes.toLongs(shapes[i]))
                            .to(dtypes[i]);
                else grads[i] = TensorInternals.allocate(dtypes[i], shapes[i]); // materialized zeros, as PyTorch's default
            }
            Tensor[] r = fn.backward(ctx, grads);
            if (r == null) throw new IllegalStateException(name() + ".backward returned null");
            return r.clone();
        }

        @Override boolean savesStorage(jtorch.Storage storage) { return ctx.savesStorage(storage); }

        @Override protected void release() { ctx.release(); }
    }
}
