package jtorch.ops;

import static jtorch.internal.TensorInternals.strided;

import jtorch.DType;
import jtorch.Tensor;
import jtorch.internal.TensorInternals;
import jtorch.kernels.Copy;

/**
 * Geometry and data helpers that never record autograd: what forward implementations and backward
 * rules use on tensors they own. The differentiable forms are in {@link Views} and {@link Conversions}.
 */
public final class Raw {
    private Raw() {}

    /** Broadcast view of {@code t} to {@code shape} (stride 0 on new or size-1 dims). */
    public static Tensor expand(Tensor t, int[] shape) {
        int[] s = TensorInternals.sizes(t), st = TensorInternals.strides(t);
        if (java.util.Arrays.equals(s, shape)) return t;
        int n = shape.length, off = n - s.length;
        if (off < 0)
            throw new IllegalArgumentException("expand(" + t.legacyTypeName() + "{" + Shapes.str(s) + "}, size=" + Shapes.str(shape)
                    + "): the number of sizes provided (" + n + ") must be greater or equal to the number of dimensions in the tensor ("
                    + s.length + ")");
        int[] ns = new int[n];
        for (int i = 0; i < n; i++) {
            int j = i - off;
            if (j >= 0 && s[j] == shape[i]) ns[i] = st[j];
            else if (j < 0 || s[j] == 1) ns[i] = 0;
            else throw new IllegalArgumentException("The expanded size of the tensor (" + shape[i]
                    + ") must match the existing size (" + s[j] + ") at non-singleton dimension " + i + ".  Target sizes: "
                    + Shapes.str(shape) + ".  Tensor sizes: " + Shapes.str(s));
        }
        return TensorInternals.alias(t, shape.clone(), ns, TensorInternals.offset(t));
    }

    /** {@code t} converted to {@code dtype} (itself when already of it). */
    public static Tensor convert(Tensor t, DType dtype) {
        if (t.dtype() == dtype) return t;
        Tensor out = TensorInternals.allocate(dtype, TensorInternals.sizes(t));
        Copy.copy(strided(out), strided(t));
        return out;
    }

    /** A contiguous copy of {@code t} in {@code dtype}. */
    public static Tensor copy(Tensor t, DType dtype) {
        Tensor out = TensorInternals.allocate(dtype, TensorInternals.sizes(t));
        Copy.copy(strided(out), strided(t));
        return out;
    }

    /** {@code t} itself if contiguous, else a contiguous copy. */
    public static Tensor contiguous(Tensor t) {
        return t.isContiguous() ? t : copy(t, t.dtype());
    }

    public static Tensor zeros(DType dtype, int[] sizes) { return TensorInternals.allocate(dtype, sizes); }

    /** Dims of size 1 inserted at each reduced position, so a reduced result broadcasts against its input. */
    public static Tensor unsqueezeDims(Tensor t, boolean[] reduced) {
        int n = reduced.length;
        int[] s = new int[n], st = new int[n];
        int j = 0;
        for (int i = 0; i < n; i++) {
            if (reduced[i]) { s[i] = 1; st[i] = 1; }
            else { s[i] = TensorInternals.sizes(t)[j]; st[i] = TensorInternals.strides(t)[j]; j++; }
        }
        return TensorInternals.alias(t, s, st, TensorInternals.offset(t));
    }

    /** A view with a new shape over contiguous {@code t}. */
    public static Tensor reshapeContiguous(Tensor t, int[] shape) {
        Tensor c = contiguous(t);
        return TensorInternals.alias(c, shape.clone(), Shapes.contiguousStrides(shape), TensorInternals.offset(c));
    }
}
