package jtorch.optim;

import jtorch.DType;
import jtorch.Tensor;

/**
 * The three compound pointwise ops of PyTorch's optimizers, with PyTorch's rounding on an AVX2
 * CPU (the build the fixtures come from):
 *
 * <ul>
 *   <li>{@code self.add_(other, alpha=a)}: {@code fma(a, other, self)}, one rounding. PyTorch's
 *       vectorised add kernel calls {@code vec::fmadd}, and the compiler contracts the scalar tail
 *       {@code self + a * other} to an FMA as well; the core's {@code add_(t, alpha)} rounds the
 *       product first.</li>
 *   <li>{@code self.addcmul_(t1, t2, value=v)}: {@code fma(v * t1, t2, self)} (the kernel's
 *       {@code self + v * t1 * t2}, contracted).</li>
 *   <li>{@code self.addcdiv_(t1, t2, value=v)}: {@code self + (v * t1) / t2}, three roundings
 *       (a division cannot be contracted).</li>
 * </ul>
 *
 * <p>Scalars are first converted to the tensor's dtype, as PyTorch's kernels do; float32 tensors
 * are computed in float. Operands of another dtype are converted, operands of a smaller shape are
 * broadcast to {@code self}'s shape. Writes bump {@code self}'s version counter. Callers run
 * under no-grad (inside {@link Optimizer#step()}); nothing is recorded for autograd.
 */
final class Fused {
    private Fused() {}

    private enum Kind { ADD, ADDCMUL, ADDCDIV }

    /** {@code self.add_(other, alpha=alpha)} with one rounding. */
    static Tensor add_(Tensor self, Tensor other, double alpha) {
        return apply(Kind.ADD, self, other, null, alpha);
    }

    /** {@code a.add(b, alpha=alpha)} with one rounding, into a new tensor. */
    static Tensor add(Tensor a, Tensor b, double alpha) {
        return add_(fresh(a), b, alpha);
    }

    /** {@code self.addcmul_(t1, t2, value=value)}. */
    static Tensor addcmul_(Tensor self, Tensor t1, Tensor t2, double value) {
        return apply(Kind.ADDCMUL, self, t1, t2, value);
    }

    /** {@code self.addcmul(t1, t2, value=value)}, into a new tensor. */
    static Tensor addcmul(Tensor self, Tensor t1, Tensor t2, double value) {
        return addcmul_(fresh(self), t1, t2, value);
    }

    /** {@code self.addcdiv_(t1, t2, value=value)}. */
    static Tensor addcdiv_(Tensor self, Tensor t1, Tensor t2, double value) {
        return apply(Kind.ADDCDIV, self, t1, t2, value);
    }

    private static Tensor fresh(Tensor t) {
        return t.detach().clone();
    }

    private static Tensor operand(Tensor self, Tensor t) {
        Tensor r = t.dtype() == self.dtype() ? t : t.to(self.dtype());
        return r.shape().equals(self.shape()) ? r : r.expand(self.shape());
    }

    private static Tensor apply(Kind kind, Tensor self, Tensor t1, Tensor t2, double value) {
        DType dt = self.dtype();
        if (dt != DType.FLOAT32 && dt != DType.FLOAT64)
            throw new IllegalArgumentException("optimizer update expects a floating point tensor, got " + dt);
        Tensor a = operand(self, t1);
        Tensor b = t2 == null ? null : operand(self, t2);
        int n = Math.toIntExact(self.numel());
        int[] sizes = self.sizesInternal();
        int[] ss = self.stridesInternal(), sa = a.stridesInternal(), sb = b == null ? null : b.stridesInternal();
        int os = self.storageOffsetInternal(), oa = a.storageOffsetInternal(), ob = b == null ? 0 : b.storageOffsetInternal();
        int nd = sizes.length;
        int[] idx = new int[nd];
        if (dt == DType.FLOAT64) {
            double[] s = self.storage().f64(), x = a.storage().f64(), y = b == null ? null : b.storage().f64();
            for (int k = 0; k < n; k++) {
                switch (kind) {
                    case ADD: s[os] = Math.fma(value, x[oa], s[os]); break;
                    case ADDCMUL: s[os] = Math.fma(value * x[oa], y[ob], s[os]); break;
                    default: s[os] = s[os] + value * x[oa] / y[ob]; break;
                }
                // advance the multi-index (last dimension fastest)
                for (int d = nd - 1; d >= 0; d--) {
                    os += ss[d]; oa += sa[d]; if (sb != null) ob += sb[d];
                    if (++idx[d] < sizes[d]) break;
                    os -= ss[d] * sizes[d]; oa -= sa[d] * sizes[d]; if (sb != null) ob -= sb[d] * sizes[d];
                    idx[d] = 0;
                }
            }
        } else {
            float v = (float) value;
            float[] s = self.storage().f32(), x = a.storage().f32(), y = b == null ? null : b.storage().f32();
            for (int k = 0; k < n; k++) {
                switch (kind) {
                    case ADD: s[os] = Math.fma(v, x[oa], s[os]); break;
                    case ADDCMUL: s[os] = Math.fma(v * x[oa], y[ob], s[os]); break;
                    default: s[os] = s[os] + v * x[oa] / y[ob]; break;
                }
                for (int d = nd - 1; d >= 0; d--) {
                    os += ss[d]; oa += sa[d]; if (sb != null) ob += sb[d];
                    if (++idx[d] < sizes[d]) break;
                    os -= ss[d] * sizes[d]; oa -= sa[d] * sizes[d]; if (sb != null) ob -= sb[d] * sizes[d];
                    idx[d] = 0;
                }
            }
        }
        self.bumpVersion();
        return self;
    }
}
