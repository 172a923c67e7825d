package jtorch.ops;

import jtorch.DType;
import jtorch.Tensor;
import jtorch.internal.TensorInternals;
import jtorch.kernels.Copy;

import static jtorch.autograd.Autograd.of;
import static jtorch.autograd.Autograd.record;
import static jtorch.internal.TensorInternals.strided;

/** dtype conversion and copies, differentiable, plus extraction to Java arrays. */
public final class Conversions {
    private Conversions() {}

    /** {@code to(dtype)}. Backward: the gradient converted back (the node does it). */
    public static Tensor to(Tensor t, DType dtype) {
        if (t.dtype() == dtype) return t;
        Tensor out = Raw.copy(t, dtype);
        return record(out, "ToCopyBackward0", of(t), of(), (g, ctx) -> new Tensor[] {g});
    }

    /** {@code clone()}. Backward: identity. */
    public static Tensor cloneOp(Tensor t) {
        Tensor out = Raw.copy(t, t.dtype());
        return record(out, "CloneBackward0", of(t), of(), (g, ctx) -> new Tensor[] {g});
    }

    /** The elements in row-major order as a new primitive array of {@code dtype}'s Java type. */
    public static Object toArray(Tensor t, DType dtype) {
        Tensor out = TensorInternals.allocate(dtype, TensorInternals.sizes(t));
        Copy.copy(strided(out), strided(t));
        return out.storage().array();
    }

    public static double elementAsDouble(Tensor t, int storageIndex) {
        return Copy.getDouble(strided(t), storageIndex);
    }
}
