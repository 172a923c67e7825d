package jtorch.ops;

import jtorch.DType;
import jtorch.Tensor;
import jtorch.Torch;
import jtorch.autograd.Autograd;
import jtorch.autograd.GradMode;
import jtorch.internal.TensorInternals;
import jtorch.kernels.ExtremumAlongDim;
import jtorch.kernels.Reduce;
import jtorch.kernels.Softmax;
import jtorch.kernels.ReduceOp;

import static jtorch.autograd.Autograd.of;
import static jtorch.autograd.Autograd.record;
import static jtorch.internal.TensorInternals.strided;

/**
 * Reductions ({@code sum mean prod max min argmax argmin var std logsumexp}) and the normalisations
 * built on them ({@code softmax}, {@code logSoftmax}). Composite forwards run their pieces without
 * recording; each op records one node with PyTorch's name and derivative.
 */
public final class Reductions {
    private Reductions() {}

    /** Output sizes after reducing {@code mask} dims, with or without the size-1 placeholders. */
    static int[] reducedShape(int[] sizes, boolean[] mask, boolean keepdim) {
        int m = 0;
        for (int d = 0; d < sizes.length; d++) if (!mask[d] || keepdim) m++;
        int[] r = new int[m];
        for (int d = 0, j = 0; d < sizes.length; d++) {
            if (!mask[d]) r[j++] = sizes[d];
            else if (keepdim) r[j++] = 1;
        }
        return r;
    }

    private static Tensor run(ReduceOp op, Tensor in, boolean[] mask, boolean keepdim, DType outType) {
        Tensor out = TensorInternals.allocate(outType, reducedShape(TensorInternals.sizes(in), mask, keepdim));
        Reduce.reduce(op, strided(in), mask, strided(out));
        return out;
    }

    private static long count(Tensor t, boolean[] mask) {
        long n = 1;
        for (int d = 0; d < mask.length; d++) if (mask[d]) n *= TensorInternals.sizes(t)[d];
        return n;
    }

    /**
     * {@link Raw#unsqueezeDims}, recorded (one unsqueeze per reduced dim) when {@code t} is part of a graph
     * under grad mode, as in a backward with create_graph.
     */
    static Tensor unsqueezeDims(Tensor t, boolean[] mask) {
        if (!Autograd.shouldRecord(t)) return Raw.unsqueezeDims(t, mask);
        Tensor r = t;
        for (int d = 0; d < mask.length; d++) if (mask[d]) r = r.unsqueeze(d);
        return r;
    }

    /** A gradient of a reduced result, broadcast back over the input's shape. */
    private static Tensor expandBack(Tensor g, boolean[] mask, boolean keepdim, int[] inShape) {
        Tensor k = keepdim ? g : unsqueezeDims(g, mask);
        return k.expand(Shapes.toLongs(inShape));
    }

    /**
     * The sum of the squares of a floating tensor's elements, computed in double and returned as a
     * double, without autograd: the squared 2-norm {@code clip_grad_norm_} adds up over gradients, in
     * one pass over the storage (no double copy, no temporaries).
     *
     * <pre>{@code
     * double sq = Reductions.sumOfSquares(p.grad());   // p.grad().to(DType.FLOAT64).pow(2).sum().item(), to rounding
     * }</pre>
     */
    public static double sumOfSquares(Tensor t) {
        Args.notNull("sum_of_squares", "input", t);
        if (!t.isFloatingPoint())
            throw new IllegalArgumentException("sum_of_squares: expected a floating point tensor, got " + t.dtype().scalarTypeName());
        Tensor c = t.isContiguous() ? t : Raw.contiguous(t);
        int n = (int) c.numel(), o = TensorInternals.offset(c);
        return c.storage().f32() != null ? jtorch.kernels.Reduce.sumOfSquares(c.storage().f32(), o, n)
                : jtorch.kernels.Reduce.sumOfSquares(c.storage().f64(), o, n);
    }

    /** {@code sum(dims, keepdim)}; no dims = all. Int and bool sum to int64. */
    public static Tensor sum(Tensor t, int[] dims, boolean keepdim) {
        boolean[] mask = Shapes.dimMask(dims, t.dim(), "sum");
        DType outType = t.isFloatingPoint() ? t.dtype() : DType.INT64;
        Tensor out = run(ReduceOp.SUM, t, mask, keepdim, outType);
        int[] in = TensorInternals.sizes(t);
        return record(out, dims == null ? "SumBackward0" : "SumBackward1", of(t), of(),
                (g, c) -> new Tensor[] {expandBack(g, mask, keepdim, in)});
    }

    /** {@code mean(dims, keepdim)}: floating inputs only, as PyTorch. */
    public static Tensor mean(Tensor t, int[] dims, boolean keepdim) {
        if (!t.isFloatingPoint())
            throw new IllegalArgumentException("mean(): could not infer output dtype. Input dtype must be either a floating "
                    + "point or complex dtype. Got: " + t.dtype().scalarTypeName());
        boolean[] mask = Shapes.dimMask(dims, t.dim(), "mean");
        long n = count(t, mask);
        Tensor out = run(ReduceOp.SUM, t, mask, keepdim, t.dtype());
        divideInPlace(out, n);
        int[] in = TensorInternals.sizes(t);
        return record(out, dims == null ? "MeanBackward0" : "MeanBackward1", of(t), of(),
                (g, c) -> new Tensor[] {expandBack(g, mask, keepdim, in).div((double) n)});
    }

    private static void divideInPlace(Tensor out, long n) {
        if (out.dtype() == DType.FLOAT32) { float[] a = out.storage().f32(); for (int i = 0; i < a.length; i++) a[i] = (float) (a[i] / (double) n); }
        else { double[] a = out.storage().f64(); for (int i = 0; i < a.length; i++) a[i] = a[i] / n; }
    }

    /** {@code prod(dims, keepdim)}. The gradient handles zeros exactly (no division by zero). */
    public static Tensor prod(Tensor t, int[] dims, boolean keepdim) {
        boolean[] mask = Shapes.dimMask(dims, t.dim(), "prod");
        DType outType = t.isFloatingPoint() ? t.dtype() : DType.INT64;
        Tensor out = run(ReduceOp.PROD, t, mask, keepdim, outType);
        int[] in = TensorInternals.sizes(t);
        return record(out, dims == null ? "ProdBackward0" : "ProdBackward1", of(t), of(t, out), (g, c) -> {
            Tensor x = c.saved(0);
            Tensor y = keepdim ? c.saved(1) : unsqueezeDims(c.saved(1), mask);
            Tensor gk = expandBack(g, mask, keepdim, in);
            int[] rdims = dimsOf(mask);
            Tensor isZero = x.eq(0.0);
            Tensor zeros = isZero.sum(rdims, true);
            // Product of the other elements: y / x where the slice has no zero; for the single zero
            // of a slice, the product of the rest; 0 elsewhere.
            Tensor others = prod(x.where(isZero.logicalNot(), 1.0), rdims, false);
            Tensor safe = y.div(x.where(isZero.logicalNot(), 1.0));
            Tensor single = unsqueezeDims(others, mask).where(zeros.eq(1.0).mul(isZero), 0.0);
            Tensor partial = safe.where(zeros.eq(0.0), single);
            return new Tensor[] {gk.mul(partial)};
        });
    }

    private static int[] dimsOf(boolean[] mask) {
        int m = 0;
        for (boolean b : mask) if (b) m++;
        int[] r = new int[m];
        for (int d = 0, j = 0; d < mask.length; d++) if (mask[d]) r[j++] = d;
        return r;
    }

    /** {@code max()} / {@code min()} of all elements; ties share the gradient evenly, as PyTorch's. */
    public static Tensor maxAll(Tensor t, boolean max) {
        if (t.numel() == 0)
            throw new IllegalArgumentException((max ? "max" : "min") + "(): Expected reduction dim to be specified for "
                    + "input.numel() == 0. Specify the reduction dim with the 'dim' argument.");
        boolean[] mask = Shapes.dimMask(null, t.dim(), "max");
        Tensor out = run(max ? ReduceOp.MAX : ReduceOp.MIN, t, mask, false, t.dtype());
        return record(out, max ? "MaxBackward1" : "MinBackward1", of(t), of(t, out), (g, c) -> {
            Tensor hit = c.saved(0).eq(c.saved(1));
            return new Tensor[] {hit.mul(g).div(hit.sum())};
        });
    }

    /** {@code max(dim, keepdim)} / {@code min(dim, keepdim)}: values and first indices. */
    public static Tensor.ValuesIndices maxDim(Tensor t, int dim, boolean keepdim, boolean max) {
        int d = Shapes.wrapDim(dim, t.dim());
        if (t.dim() > 0 && TensorInternals.sizes(t)[d] == 0)
            throw new IndexOutOfBoundsException((max ? "max" : "min") + "(): Expected reduction dim " + d
                    + " to have non-zero size.");
        boolean[] mask = new boolean[t.dim()];
        if (t.dim() > 0) mask[d] = true;
        Tensor values, indices;
        if (t.dim() > 0 && t.dtype() != DType.BOOL) {
            // Values and indices in one pass.
            int[] reducedShape = reducedShape(TensorInternals.sizes(t), mask, keepdim);
            values = TensorInternals.allocate(t.dtype(), reducedShape);
            indices = TensorInternals.allocate(DType.INT64, reducedShape);
            ExtremumAlongDim.run(strided(t), d, strided(values), strided(indices), max);
        } else {
            values = run(max ? ReduceOp.MAX : ReduceOp.MIN, t, mask, keepdim, t.dtype());
            indices = run(max ? ReduceOp.ARGMAX : ReduceOp.ARGMIN, t, mask, keepdim, DType.INT64);
        }
        int[] in = TensorInternals.sizes(t);
        values = record(values, max ? "MaxBackward0" : "MinBackward0", of(t), of(indices), (g, c) -> {
            Tensor idx = keepdim ? c.saved(0) : Raw.unsqueezeDims(c.saved(0), mask);
            Tensor gk = keepdim ? g : unsqueezeDims(g, mask);
            if (in.length == 0) return new Tensor[] {g};
            return new Tensor[] {Torch.zeros(Shapes.toLongs(in), g.dtype()).scatter(d, idx, gk)};
        });
        return new Tensor.ValuesIndices(values, indices, max ? "max" : "min");
    }

    /** {@code argmax(dim, keepdim)}; a null dim means the flattened tensor. */
    public static Tensor argmax(Tensor t, Integer dim, boolean keepdim, boolean max) {
        if (t.dtype() == DType.BOOL)
            throw new IllegalArgumentException("\"" + (max ? "argmax" : "argmin") + "_cpu\" not implemented for 'Bool'");
        if (dim == null) {
            if (t.numel() == 0)
                throw new IllegalArgumentException((max ? "argmax" : "argmin") + "(): Expected reduction dim to be specified "
                        + "for input.numel() == 0.");
            boolean[] all = Shapes.dimMask(null, t.dim(), "argmax");
            return run(max ? ReduceOp.ARGMAX : ReduceOp.ARGMIN, t, all, keepdim, DType.INT64);
        }
        return maxDim(t, dim, keepdim, max).indices();
    }

    /**
     * {@code var} / {@code std} with {@code correction} (1 = unbiased). d var = g 2 (x - mean) / (N - c);
     * d std = g (x - mean) / ((N - c) std).
     */
    public static Tensor var(Tensor t, int[] dims, long correction, boolean keepdim, boolean std) {
        String name = std ? "std" : "var";
        if (!t.isFloatingPoint())
            throw new IllegalArgumentException("std and var only support floating point and complex dtypes");
        boolean[] mask = Shapes.dimMask(dims, t.dim(), name);
        int[] rdims = dimsOf(mask);
        long n = count(t, mask);
        double divisor = Math.max(n - correction, 0);
        Tensor out;
        try (GradMode.Guard g = GradMode.set(false)) {
            Tensor centered = t.sub(t.mean(rdims, true));
            out = centered.mul(centered).sum(rdims, keepdim).div(divisor);
            if (std) out = out.sqrt();
        }
        int[] in = TensorInternals.sizes(t);
        return record(out, std ? "StdBackward0" : "VarBackward0", of(t), of(t, out), (g, c) -> {
            Tensor x = c.saved(0);
            Tensor centered = x.sub(x.mean(rdims, true));
            Tensor gk = expandBack(g, mask, keepdim, in);
            if (!std) return new Tensor[] {gk.mul(centered).mul(2.0 / divisor)};
            Tensor s = keepdim ? c.saved(1) : unsqueezeDims(c.saved(1), mask);
            return new Tensor[] {gk.mul(centered).div(s.mul(divisor))};
        });
    }

    /** {@code logsumexp(dims, keepdim)} = m + log(sum(exp(x - m))), m the max (0 where infinite). */
    public static Tensor logsumexp(Tensor t, int[] dims, boolean keepdim) {
        boolean[] mask = Shapes.dimMask(dims, t.dim(), "logsumexp");
        int[] rdims = dimsOf(mask);
        Tensor x = t.isFloatingPoint() ? t : Raw.convert(t, Torch.getDefaultDtype());
        Tensor out;
        try (GradMode.Guard g = GradMode.set(false)) {
            Tensor m = stableMax(x, mask);
            out = x.sub(m).exp().sum(rdims, true).log().add(m);
            if (!keepdim) out = out.reshape(Shapes.toLongs(reducedShape(TensorInternals.sizes(x), mask, false)));
        }
        int[] in = TensorInternals.sizes(t);
        return record(out, "LogsumexpBackward0", of(t), of(x, out), (g, c) -> {
            Tensor y = keepdim ? c.saved(1) : unsqueezeDims(c.saved(1), mask);
            return new Tensor[] {expandBack(g, mask, keepdim, in).mul(c.saved(0).sub(y).exp())};
        });
    }

    /** Max over {@code mask} dims with keepdim, infinities replaced by 0 so that x - m stays finite. */
    private static Tensor stableMax(Tensor x, boolean[] mask) {
        if (x.numel() == 0) return TensorInternals.allocate(x.dtype(), reducedShape(TensorInternals.sizes(x), mask, true));
        Tensor m = run(ReduceOp.MAX, x, mask, true, x.dtype());
        return m.where(m.abs().ne(Double.POSITIVE_INFINITY), 0.0);
    }

    /**
     * {@code softmax(dim)} / {@code log_softmax(dim)}, shifted by the max for stability (kernel:
     * {@link Softmax}).
     * d softmax = y (g - sum(g y)); d log_softmax = g - exp(y) sum(g).
     */
    public static Tensor softmax(Tensor t, int dim, boolean log) {
        int d = Shapes.wrapDim(dim, t.dim());
        if (!t.isFloatingPoint()) // PyTorch's kernels are defined for floating types only (pass a dtype to convert)
            throw new IllegalArgumentException("\"" + (d >= t.dim() - 1 ? (log ? "log_softmax_lastdim" : "softmax_lastdim") : "softmax")
                    + "_kernel_impl\" not implemented for '" + t.dtype().scalarTypeName() + "'");
        int[] rd = t.dim() > 0 ? new int[] {d} : new int[0];
        // One pass per row (the same float steps as x - max, exp, sum, log), not eight temporaries.
        Tensor out = TensorInternals.allocate(t.dtype(), TensorInternals.sizes(t));
        boolean lastDim = !log && t.dim() > 0 && d == t.dim() - 1;
        if (lastDim) Softmax.softmaxLastDim(strided(Raw.contiguous(t)), strided(out)); // rows over the pool (attention weights)
        else Softmax.forward(strided(Raw.contiguous(t)), strided(out), d, log);
        if (log)
            return record(out, "LogSoftmaxBackward0", of(t), of(out), (g, c) -> {
                if (Autograd.shouldRecord(g, c.saved(0))) // create_graph: the same rule in differentiable ops
                    return new Tensor[] {g.sub(c.saved(0).exp().mul(g.sum(rd, true)))};
                Tensor gradInput = TensorInternals.allocate(g.dtype(), TensorInternals.sizes(g));
                Softmax.logBackward(strided(Raw.contiguous(g)), strided(c.saved(0)), strided(gradInput), d);
                return new Tensor[] {gradInput};
            });
        return record(out, "SoftmaxBackward0", of(t), of(out), (g, c) -> {
            Tensor y = c.saved(0);
            if (lastDim && g.dtype() == y.dtype() && !Autograd.shouldRecord(g, y)) { // one pass per row, the same bits
                Tensor gradInput = TensorInternals.allocate(g.dtype(), TensorInternals.sizes(g));
                Softmax.softmaxBackwardLastDim(strided(Raw.contiguous(g)), strided(y), strided(gradInput));
                return new Tensor[] {gradInput};
            }
            return new Tensor[] {y.mul(g.sub(g.mul(y).sum(rd, true)))};
        });
    }

    /** Sums {@code t} down to {@code shape} (the reverse of broadcasting). */
    public static Tensor sumTo(Tensor t, int[] shape) {
        Args.notNull("sum_to_size", "size", shape);
        int[] s = TensorInternals.sizes(t);
        if (java.util.Arrays.equals(s, shape)) return t;
        if (!Shapes.expandable(shape, s))
            throw new IllegalArgumentException("sum_to: shape " + Shapes.str(shape) + " is not expandable to "
                    + Shapes.str(s));
        int lead = s.length - shape.length;
        int m = 0;
        for (int d = 0; d < s.length; d++) if (d < lead || (shape[d - lead] == 1 && s[d] != 1)) m++;
        int[] dims = new int[m];
        for (int d = 0, j = 0; d < s.length; d++) if (d < lead || (shape[d - lead] == 1 && s[d] != 1)) dims[j++] = d;
        Tensor r = m == 0 ? t : sum(t, dims, true);
        return r.reshape(Shapes.toLongs(shape));
    }

    /** {@code torch.equal}. */
    public static boolean equal(Tensor a, Tensor b) {
        Args.notNull("equal", "other", b);
        if (!java.util.Arrays.equals(TensorInternals.sizes(a), TensorInternals.sizes(b))) return false;
        for (boolean v : a.eq(b).toBooleanArray()) if (!v) return false;
        return true;
    }

    /** {@code torch.allclose}: {@code |a - b| <= atol + rtol |b|} elementwise (NaN never close unless equalNan). */
    public static boolean allclose(Tensor a, Tensor b, double rtol, double atol, boolean equalNan) {
        Args.notNull("allclose", "other", b);
        if (a.dtype() != b.dtype())
            throw new IllegalArgumentException("allclose: " + a.dtype().scalarTypeName() + " did not match " + b.dtype().scalarTypeName());
        int[] shape = Shapes.broadcast(TensorInternals.sizes(a), TensorInternals.sizes(b));
        double[] x = Raw.expand(a, shape).toDoubleArray(), y = Raw.expand(b, shape).toDoubleArray();
        for (int i = 0; i < x.length; i++) {
            if (x[i] == y[i]) continue;
            if (Double.isNaN(x[i]) || Double.isNaN(y[i])) {
                if (equalNan && Double.isNaN(x[i]) && Double.isNaN(y[i])) continue;
                return false;
            }
            if (!(Math.abs(x[i] - y[i]) <= atol + rtol * Math.abs(y[i]))) return false;
        }
        return true;
    }
}
