package jtorch.ops;

import jtorch.DType;
import jtorch.Tensor;
import jtorch.autograd.GradMode;
import jtorch.internal.TensorInternals;
import jtorch.kernels.Reduce;
import jtorch.kernels.ReduceOp;

import static jtorch.autograd.Autograd.of;
import static jtorch.autograd.Autograd.record;
import static jtorch.internal.TensorInternals.strided;

/**
 * Vector and matrix norms ({@code Tensor.norm}, {@code linalg.vector_norm}, {@code linalg.matrix_norm})
 * and the {@code amax}/{@code amin} reductions they use. Forwards run without recording; each norm
 * records one node whose backward is PyTorch's {@code norm_backward}, in differentiable Tensor ops.
 */
public final class Norms {
    private Norms() {}

    /** {@code amax(dims, keepdim)} ({@code max} true) or {@code amin}; empty dims = all. Ties share the gradient evenly. */
    public static Tensor amax(Tensor t, int[] dims, boolean keepdim, boolean max) {
        String name = max ? "amax" : "amin";
        boolean[] mask = Shapes.dimMask(dims, t.dim(), name);
        for (int d = 0; d < t.dim(); d++)
            if (mask[d] && TensorInternals.sizes(t)[d] == 0)
                throw new IndexOutOfBoundsException(name + "(): Expected reduction dim " + d + " to have non-zero size.");
        if (t.numel() == 0 && t.dim() == 0) throw new IllegalArgumentException(name + "(): empty input");
        Tensor out = TensorInternals.allocate(t.dtype(), Reductions.reducedShape(TensorInternals.sizes(t), mask, keepdim));
        Reduce.reduce(max ? ReduceOp.MAX : ReduceOp.MIN, strided(t), mask, strided(out));
        int[] rdims = dimsOf(mask);
        return record(out, max ? "AmaxBackward0" : "AminBackward0", of(t), of(t, out), (g, c) -> {
            Tensor y = keepdim ? c.saved(1) : Reductions.unsqueezeDims(c.saved(1), mask);
            Tensor gk = keepdim ? g : Reductions.unsqueezeDims(g, mask);
            Tensor hit = c.saved(0).eq(y);
            return new Tensor[] {gk.div(hit.sum(rdims, true)).mul(hit)};
        });
    }

    static int[] dimsOf(boolean[] mask) {
        int m = 0;
        for (boolean b : mask) if (b) m++;
        int[] r = new int[m];
        for (int d = 0, j = 0; d < mask.length; d++) if (mask[d]) r[j++] = d;
        return r;
    }

    /**
     * The vector {@code ord}-norm over {@code dims} (null or empty: all). {@code nodeName} is
     * {@code NormBackward1} for {@code Tensor.norm}, {@code LinalgVectorNormBackward0} for {@code linalg}.
     */
    public static Tensor vectorNorm(Tensor x, double ord, int[] dims, boolean keepdim, String nodeName, String errorPrefix) {
        if (!x.isFloatingPoint()) throw new IllegalArgumentException(errorPrefix + x.dtype().scalarTypeName() + (errorPrefix.startsWith("norm") ? " instead." : ""));
        boolean[] mask = Shapes.dimMask(dims, x.dim(), "norm");
        int[] rd = dimsOf(mask);
        boolean all = dims == null || dims.length == 0;
        Tensor out;
        try (GradMode.Guard guard = GradMode.set(false)) {
            Tensor a = x.abs();
            if (Double.isInfinite(ord)) {
                if (x.numel() == 0) {
                    if (!errorPrefix.startsWith("norm"))
                        throw new IllegalArgumentException("linalg.vector_norm cannot compute the " + (ord > 0 ? "inf" : "-inf")
                                + " norm on an empty tensor because the operation does not have an identity");
                    out = TensorInternals.allocate(x.dtype(), Reductions.reducedShape(TensorInternals.sizes(x), mask, keepdim));
                } else out = amax(a, all ? null : rd, keepdim, ord > 0);
            } else if (ord == 0) out = x.ne(0.0).to(x.dtype()).sum(rd, keepdim);
            else if (ord == 1) out = a.sum(rd, keepdim);
            else if (ord == 2) out = x.mul(x).sum(rd, keepdim).sqrt();
            else out = a.pow(ord).sum(rd, keepdim).pow(1 / ord);
            if (all && !keepdim && out.dim() != 0) out = out.reshape();
            out = Raw.contiguous(out).detach();
        }
        return record(out, nodeName, of(x), of(x, out), (g, c) -> {
            Tensor self = c.saved(0);
            Tensor norm = keepdim || x.dim() == 0 ? c.saved(1) : Reductions.unsqueezeDims(c.saved(1), mask);
            Tensor gk = keepdim || x.dim() == 0 ? g : Reductions.unsqueezeDims(g, mask);
            Tensor zero = Arith.scalar(0.0);
            Tensor grad;
            if (ord == 0) grad = self.mul(0.0).mul(gk);
            else if (ord == 1) grad = self.sign().mul(gk);
            else if (ord == 2) grad = gk.mul(self.div(norm).where(norm.ne(0.0), zero));
            else if (Double.isInfinite(ord)) {
                Tensor sa = self.abs();
                Tensor hit = sa.eq(norm).to(DType.BOOL);
                grad = self.sign().mul(gk.div(hit.sum(rd, true)).mul(hit));
            } else if (ord < 1) {
                Tensor scaled = self.sign().mul(self.abs().pow(ord - 1).where(self.ne(0.0), zero));
                grad = scaled.mul(gk).mul(norm.pow(1 - ord));
            } else if (ord < 2) {
                Tensor scaled = self.sign().mul(self.abs().pow(ord - 1));
                grad = scaled.mul(gk.div(norm.pow(ord - 1)).where(norm.ne(0.0), zero));
            } else {
                Tensor scaled = self.mul(self.abs().pow(ord - 2));
                grad = scaled.mul(gk.div(norm.pow(ord - 1)).where(norm.ne(0.0), zero));
            }
            return new Tensor[] {grad};
        });
    }

    /**
     * {@code linalg.matrix_norm(A, ord, dim=(-2, -1), keepdim)} for {@code ord} "fro", 1, -1, inf, -inf.
     * "nuc" and ±2 need singular values, which jtorch does not compute yet: they are refused.
     */
    public static Tensor matrixNorm(Tensor a, Object ord, int[] dims, boolean keepdim) {
        if (a.dim() < 2) throw new IllegalArgumentException("linalg.matrix_norm: The input tensor A must have at least 2 dimensions.");
        if (!a.isFloatingPoint())
            throw new IllegalArgumentException("linalg.matrix_norm: Expected a floating point or complex tensor as input. Got "
                    + a.dtype().scalarTypeName());
        if (dims.length != 2) throw new IllegalArgumentException("linalg.matrix_norm: dim must be a 2-tuple. Got " + java.util.Arrays.toString(dims));
        int d0 = Shapes.wrapDim(dims[0], a.dim()), d1 = Shapes.wrapDim(dims[1], a.dim());
        if (d0 == d1) throw new IllegalArgumentException("linalg.matrix_norm: dims must be different. Got (" + dims[0] + ", " + dims[1] + ")");
        if ("fro".equals(ord)) return vectorNorm(a, 2, new int[] {d0, d1}, keepdim, "LinalgVectorNormBackward0", "linalg.vector_norm: Expected a floating point or complex tensor as input. Got ");
        if ("nuc".equals(ord) || (ord instanceof Number && Math.abs(((Number) ord).doubleValue()) == 2))
            throw new UnsupportedOperationException("linalg.matrix_norm: ord=" + ord
                    + " needs the singular values of the matrix (an SVD), which jtorch does not implement yet");
        if (!(ord instanceof Number))
            throw new IllegalArgumentException("linalg.matrix_norm: Order " + ord + " not supported.");
        double o = ((Number) ord).doubleValue();
        if (o != 1 && o != -1 && !Double.isInfinite(o))
            throw new IllegalArgumentException("linalg.matrix_norm: Order " + jtorch.PyFormat.repr(o) + " not supported.");
        // ord ±1: max/min over columns of the column sums; ord ±inf: over rows of the row sums.
        int sumDim = Math.abs(o) == 1 ? d0 : d1, extDim = Math.abs(o) == 1 ? d1 : d0;
        Tensor r = amax(a.abs().sum(new int[] {sumDim}, true), new int[] {extDim}, true, o > 0);
        if (!keepdim) r = r.squeeze(Math.max(d0, d1)).squeeze(Math.min(d0, d1));
        return r;
    }

    // ------------------------------------------------------------------ layer norm (issue 12)

    /**
     * {@code native_layer_norm}: normalises {@code input} over its last {@code normalizedDims} dims
     * (biased variance), then scales by {@code weight} and shifts by {@code bias} (both nullable, of the
     * normalized shape and the input's float32/float64 dtype). One kernel pass per row (kernel:
     * {@link jtorch.kernels.LayerNormKernels}); one node, {@code NativeLayerNormBackward0}, whose backward
     * runs PyTorch's fused formula, or under {@code create_graph} the same rule in differentiable ops.
     * Callers check the shapes (see {@code F.layerNorm}).
     *
     * <pre>{@code
     * Tensor y = Norms.layerNorm(Torch.randn(8, 16), 1, null, null, 1e-5);   // each row: mean 0, variance ~1
     * }</pre>
     */
    public static Tensor layerNorm(Tensor input, int normalizedDims, Tensor weight, Tensor bias, double eps) {
        int[] sizes = TensorInternals.sizes(input);
        int dim = sizes.length, lead = dim - normalizedDims;
        int n = 1, rows = 1;
        for (int d = 0; d < dim; d++) {
            if (d < lead) rows *= sizes[d];
            else n *= sizes[d];
        }
        DType dt = input.dtype();
        if (dt != DType.FLOAT32 && dt != DType.FLOAT64)
            throw new IllegalArgumentException("layer_norm: expected a float32 or float64 input, got " + dt);
        Tensor x = Raw.contiguous(input);
        Tensor w = weight == null ? null : Raw.contiguous(weight), b = bias == null ? null : Raw.contiguous(bias);
        Tensor out = TensorInternals.allocate(dt, sizes);
        Tensor mean, rstd;
        if (dt == DType.FLOAT32) {
            float[] m = new float[rows], r = new float[rows];
            jtorch.kernels.LayerNormKernels.forwardF32(x.storage().f32(), TensorInternals.offset(x),
                    w == null ? null : w.storage().f32(), w == null ? 0 : TensorInternals.offset(w),
                    b == null ? null : b.storage().f32(), b == null ? 0 : TensorInternals.offset(b),
                    out.storage().f32(), 0, m, r, rows, n, eps);
            mean = TensorInternals.wrap(m, new int[] {rows});
            rstd = TensorInternals.wrap(r, new int[] {rows});
        } else {
            double[] m = new double[rows], r = new double[rows];
            jtorch.kernels.LayerNormKernels.forwardF64(x.storage().f64(), TensorInternals.offset(x),
                    w == null ? null : w.storage().f64(), w == null ? 0 : TensorInternals.offset(w),
                    b == null ? null : b.storage().f64(), b == null ? 0 : TensorInternals.offset(b),
                    out.storage().f64(), 0, m, r, rows, n, eps);
            mean = TensorInternals.wrap(m, new int[] {rows});
            rstd = TensorInternals.wrap(r, new int[] {rows});
        }
        boolean hasBias = bias != null;
        final int fRows = rows, fN = n;
        return record(out, "NativeLayerNormBackward0", of(input, weight, bias), of(input, weight, mean, rstd), (g, c) -> {
            Tensor xs = c.saved(0), ws = c.saved(1);
            if (jtorch.autograd.Autograd.shouldRecord(g, xs, ws)) // create_graph: the same rule in differentiable ops
                return layerNormBackwardOps(g, xs, ws, hasBias, lead, eps);
            Tensor gc = Raw.contiguous(g), xc = Raw.contiguous(xs), wc = ws == null ? null : Raw.contiguous(ws);
            Tensor dx = TensorInternals.allocate(dt, TensorInternals.sizes(xs));
            Tensor dw = ws == null ? null : TensorInternals.allocate(dt, TensorInternals.sizes(ws));
            Tensor db = hasBias ? TensorInternals.allocate(dt, java.util.Arrays.copyOfRange(TensorInternals.sizes(xs), lead, xs.dim())) : null;
            if (dt == DType.FLOAT32)
                jtorch.kernels.LayerNormKernels.backwardF32(gc.storage().f32(), TensorInternals.offset(gc), xc.storage().f32(),
                        TensorInternals.offset(xc), c.saved(2).storage().f32(), c.saved(3).storage().f32(),
                        wc == null ? null : wc.storage().f32(), wc == null ? 0 : TensorInternals.offset(wc),
                        dx.storage().f32(), 0, dw == null ? null : dw.storage().f32(), db == null ? null : db.storage().f32(), fRows, fN);
            else
                jtorch.kernels.LayerNormKernels.backwardF64(gc.storage().f64(), TensorInternals.offset(gc), xc.storage().f64(),
                        TensorInternals.offset(xc), c.saved(2).storage().f64(), c.saved(3).storage().f64(),
                        wc == null ? null : wc.storage().f64(), wc == null ? 0 : TensorInternals.offset(wc),
                        dx.storage().f64(), 0, dw == null ? null : dw.storage().f64(), db == null ? null : db.storage().f64(), fRows, fN);
            return new Tensor[] {dx, dw, db};
        });
    }

    /**
     * Layer norm's gradients in differentiable ops (for double backward): with {@code xhat = (x - mean) *
     * rstd} and {@code gw = g * weight}, {@code dx = rstd * (gw - mean(gw) - xhat * mean(gw * xhat))},
     * {@code dweight = sum(g * xhat)}, {@code dbias = sum(g)} over the leading dims.
     */
    private static Tensor[] layerNormBackwardOps(Tensor g, Tensor x, Tensor w, boolean hasBias, int lead, double eps) {
        int dim = x.dim();
        int[] dims = new int[dim - lead], leadDims = new int[lead];
        for (int d = lead; d < dim; d++) dims[d - lead] = d;
        for (int d = 0; d < lead; d++) leadDims[d] = d;
        Tensor xc = x.sub(x.mean(dims, true));
        Tensor rstd = xc.mul(xc).mean(dims, true).add(eps).rsqrt();
        Tensor xhat = xc.mul(rstd);
        Tensor gw = w != null ? g.mul(w) : g;
        Tensor dx = rstd.mul(gw.sub(gw.mean(dims, true)).sub(xhat.mul(gw.mul(xhat).mean(dims, true))));
        Tensor dw = w == null ? null : lead == 0 ? g.mul(xhat) : g.mul(xhat).sum(leadDims, false);
        Tensor db = !hasBias ? null : lead == 0 ? g : g.sum(leadDims, false);
        return new Tensor[] {dx, dw, db};
    }
}
