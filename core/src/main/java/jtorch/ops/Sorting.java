package jtorch.ops;

import jtorch.DType;
import jtorch.Tensor;
import jtorch.Torch;
import jtorch.internal.TensorInternals;
import jtorch.kernels.AlongDim;

import static jtorch.autograd.Autograd.of;
import static jtorch.autograd.Autograd.record;
import static jtorch.internal.TensorInternals.strided;

/**
 * {@code sort}, {@code argsort} and {@code topk}: a stable sort of each fiber along {@code dim}
 * ({@link AlongDim#sort}); the values' backward scatters the gradient back to the sorted positions.
 */
public final class Sorting {
    private Sorting() {}

    /** Sizes of {@code t} around {@code d}: {outer, n, inner} (a 0-dim tensor is one fiber of one). */
    static int[] fiberGeometry(int[] s, int d) {
        if (s.length == 0) return new int[] {1, 1, 1};
        int outer = 1, inner = 1;
        for (int i = 0; i < d; i++) outer *= s[i];
        for (int i = d + 1; i < s.length; i++) inner *= s[i];
        return new int[] {outer, s[d], inner};
    }

    /** {@code sort(dim, descending, stable)}: values and int64 indices. Ties keep their order (every sort here is stable). */
    public static Tensor.ValuesIndices sort(Tensor x, int dim, boolean descending) {
        int d = Shapes.wrapDim(dim, x.dim());
        Tensor in = x.dtype() == DType.BOOL ? Raw.convert(x, DType.INT64) : Raw.contiguous(x);
        int[] geo = fiberGeometry(TensorInternals.sizes(x), d);
        Tensor values = TensorInternals.allocate(in.dtype(), TensorInternals.sizes(x));
        Tensor indices = TensorInternals.allocate(DType.INT64, TensorInternals.sizes(x));
        AlongDim.sort(strided(in), strided(values), strided(indices), geo[0], geo[1], geo[2], descending);
        if (x.dtype() == DType.BOOL) values = Raw.convert(values, DType.BOOL);
        return new Tensor.ValuesIndices(valuesRecorded(values, x, d, indices, "SortBackward0"), indices, "sort");
    }

    private static Tensor valuesRecorded(Tensor values, Tensor x, int d, Tensor indices, String name) {
        int[] in = TensorInternals.sizes(x).clone();
        return record(values, name, of(x), of(), (g, c) -> {
            Tensor z = Torch.zeros(Shapes.toLongs(in), g.dtype());
            return new Tensor[] {x.dim() == 0 ? g.reshape() : z.scatter(d, indices, g)};
        });
    }

    /** {@code argsort(dim, descending)}: the indices of {@link #sort}. */
    public static Tensor argsort(Tensor x, int dim, boolean descending) {
        return sort(x.detach(), dim, descending).indices();
    }

    /** {@code topk(k, dim, largest, sorted)}: the k largest (or smallest) along dim, in sorted order. */
    public static Tensor.ValuesIndices topk(Tensor x, long k, int dim, boolean largest, boolean sorted) {
        int d = Shapes.wrapDim(dim, x.dim());
        long size = x.dim() == 0 ? 1 : TensorInternals.sizes(x)[d];
        if (k < 0 || k > size) throw new IllegalArgumentException("selected index k out of range");
        if (x.dtype() == DType.BOOL) throw new IllegalArgumentException("\"topk_cpu\" not implemented for 'Bool'");
        Tensor v, i;
        if (k <= 64 && x.dim() > 0) {
            // Bounded insertion: no full sort for the usual small k.
            Tensor in = Raw.contiguous(x);
            int[] geo = fiberGeometry(TensorInternals.sizes(x), d);
            int[] outShape = TensorInternals.sizes(x).clone();
            if (outShape.length > 0) outShape[d] = (int) k;
            v = TensorInternals.allocate(x.dtype(), outShape);
            i = TensorInternals.allocate(DType.INT64, outShape);
            AlongDim.topk(strided(in), strided(v), strided(i), geo[0], geo[1], geo[2], (int) k, largest);
        } else {
            Tensor.ValuesIndices all = sort(x.detach(), d, largest);
            Tensor idx = x.dim() == 0 ? all.indices() : all.indices().narrow(d, 0, k);
            Tensor vals = x.dim() == 0 ? all.values() : all.values().narrow(d, 0, k);
            v = TensorInternals.allocate(vals.dtype(), TensorInternals.sizes(vals));
            jtorch.kernels.Copy.copy(strided(v), strided(vals));
            i = TensorInternals.allocate(DType.INT64, TensorInternals.sizes(idx));
            jtorch.kernels.Copy.copy(strided(i), strided(idx));
        }
        return new Tensor.ValuesIndices(valuesRecorded(v, x, d, i, "TopkBackward0"), i, "topk");
    }
}
