package jtorch.ops;

import jtorch.DType;
import jtorch.Tensor;
import jtorch.Torch;
import jtorch.internal.TensorInternals;
import jtorch.kernels.AlongDim;

import static jtorch.autograd.Autograd.of;
import static jtorch.autograd.Autograd.record;
import static jtorch.internal.TensorInternals.strided;

/** {@code cumsum} and {@code cumprod} along a dim, with an optional result dtype. */
public final class Cumulative {
    private Cumulative() {}

    private static Tensor run(Tensor x, int dim, DType dtype, boolean product) {
        int d = Shapes.wrapDim(dim, x.dim());
        DType t = dtype != null ? dtype : x.isFloatingPoint() ? x.dtype() : DType.INT64;
        if (t == DType.BOOL) throw new IllegalArgumentException("\"" + (product ? "cumprod" : "cumsum") + "_out_cpu\" not implemented for 'Bool'");
        Tensor in = Raw.contiguous(Raw.convert(x, t));
        Tensor out = TensorInternals.allocate(t, TensorInternals.sizes(x));
        int[] geo = Sorting.fiberGeometry(TensorInternals.sizes(x), d);
        AlongDim.cumulative(strided(in), strided(out), geo[0], geo[1], geo[2], product);
        return out;
    }

    /** {@code cumsum(dim, dtype=None)}: ints and bools sum to int64. Backward: the reversed cumulative sum of g. */
    public static Tensor cumsum(Tensor x, int dim, DType dtype) {
        Tensor out = run(x, dim, dtype, false);
        int d = Shapes.wrapDim(dim, x.dim());
        DType inType = x.dtype();
        return record(out, "CumsumBackward0", of(x), of(), (g, c) -> {
            if (g.dim() == 0 || TensorInternals.sizes(g)[d] <= 1) return new Tensor[] {g.to(inType)};
            return new Tensor[] {cumsum(g.flip(d), d, null).flip(d).to(inType)};
        });
    }

    /**
     * {@code cumprod(dim, dtype=None)}. Backward: {@code sum_{k>=i} g_k y_k / x_i} when no element is
     * zero; otherwise the products with {@code x_i} left out, computed without division (O(n²) per fiber).
     */
    public static Tensor cumprod(Tensor x, int dim, DType dtype) {
        Tensor out = run(x, dim, dtype, true);
        int d = Shapes.wrapDim(dim, x.dim());
        DType inType = x.dtype();
        return record(out, "CumprodBackward0", of(x), of(x, out), (g, c) -> {
            Tensor in = c.saved(0), y = c.saved(1);
            if (in.dim() == 0 || in.numel() == 0 || TensorInternals.sizes(in)[d] <= 1) return new Tensor[] {g.to(inType)};
            boolean hasZero = false;
            for (double v : in.toDoubleArray()) if (v == 0) { hasZero = true; break; }
            if (!hasZero) {
                Tensor gy = g.mul(y);
                return new Tensor[] {cumsum(gy.flip(d), d, null).flip(d).div(in).to(inType)};
            }
            // (..., n) with dim moved last; row i of (n, n) is x with x_i replaced by 1.
            Tensor xl = Manipulation.movedim(in, d, -1), gl = Manipulation.movedim(g, d, -1);
            long n = xl.size(-1);
            Tensor eye = Torch.eye(n).to(DType.BOOL);
            Tensor rows = xl.unsqueeze(-2).expand(concat(TensorInternals.sizes(xl), n)).where(eye.logicalNot(), 1.0);
            Tensor partial = cumprod(rows, -1, null).triu(0); // [i, k]: prod_{j<=k, j!=i} x_j for k >= i
            Tensor grad = partial.mul(gl.unsqueeze(-2)).sum(new int[] {-1}, false);
            return new Tensor[] {Manipulation.movedim(grad, -1, d).to(inType)};
        });
    }

    private static long[] concat(int[] s, long last) {
        long[] r = new long[s.length + 1];
        for (int i = 0; i < s.length - 1; i++) r[i] = s[i];
        r[s.length - 1] = last;
        r[s.length] = s[s.length - 1];
        return r;
    }
}
