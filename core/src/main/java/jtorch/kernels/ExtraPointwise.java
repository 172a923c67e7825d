package jtorch.kernels;

import jtorch.Tensor;

/**
 * Elementwise kernels of the ops added for issue #11 ({@code atan2 lerp nan_to_num hardtanh
 * softplus silu mish}) over contiguous float32/float64 tensors of equal shape (callers broadcast,
 * convert and make operands contiguous). float32 is computed in double and rounded once, which is
 * within an ulp or two of PyTorch's float kernels.
 */
public final class ExtraPointwise {
    private ExtraPointwise() {}

    /** Which unary op {@link #unary} runs; p1, p2, p3 are its parameters. */
    public enum Op { HARDTANH, SOFTPLUS, SILU, MISH, NAN_TO_NUM, FLOOR, CEIL, ROUND, TRUNC, FRAC }

    private static double apply(Op op, double x, double p1, double p2, double p3) {
        switch (op) {
            case HARDTANH: return x < p1 ? p1 : x > p2 ? p2 : x; // NaN passes through
            case SOFTPLUS: { double z = x * p1; return z > p2 ? x : Math.log1p(Math.exp(z)) / p1; }
            case SILU: return x / (1 + Math.exp(-x));
            case MISH: return x * Math.tanh(Math.log1p(Math.exp(x)));
            case FLOOR: return Math.floor(x);
            case CEIL: return Math.ceil(x);
            case ROUND: return Math.rint(x); // half to even, as torch.round
            case TRUNC: return x < 0 ? Math.ceil(x) : Math.floor(x);
            case FRAC: return x - (x < 0 ? Math.ceil(x) : Math.floor(x));
            default: return x != x ? p1 : x == Double.POSITIVE_INFINITY ? p2 : x == Double.NEGATIVE_INFINITY ? p3 : x;
        }
    }

    public static void unary(Op op, Tensor out, Tensor in, double p1, double p2, double p3) {
        int n = (int) in.numel(), io = in.storageOffsetInternal(), oo = out.storageOffsetInternal();
        if (in.storage().f32() != null) {
            float[] a = in.storage().f32(), r = out.storage().f32();
            if (op == Op.SOFTPLUS) { // PyTorch compares x * beta with the threshold in float
                for (int i = 0; i < n; i++) {
                    float x = a[io + i], z = x * (float) p1;
                    r[oo + i] = z > (float) p2 ? x : (float) (Math.log1p(Math.exp(z)) / p1);
                }
            } else for (int i = 0; i < n; i++) r[oo + i] = (float) apply(op, a[io + i], p1, p2, p3);
        } else {
            double[] a = in.storage().f64(), r = out.storage().f64();
            for (int i = 0; i < n; i++) r[oo + i] = apply(op, a[io + i], p1, p2, p3);
        }
    }

    /**
     * {@code remainder(a, b)} (the sign of b, Python's {@code %}) or {@code fmod(a, b)} (the sign of
     * a, C's {@code fmod}) of contiguous operands of one dtype (float32, float64 or int64).
     * Callers refuse integer division by zero first.
     */
    public static void modulo(Tensor out, Tensor a, Tensor b, boolean remainder) {
        int n = (int) out.numel(), ao = a.storageOffsetInternal(), bo = b.storageOffsetInternal(), oo = out.storageOffsetInternal();
        switch (out.dtype()) {
            case FLOAT32: {
                float[] x = a.storage().f32(), y = b.storage().f32(), r = out.storage().f32();
                for (int i = 0; i < n; i++) {
                    float p = x[ao + i], q = y[bo + i], m = p % q;
                    if (remainder && m != 0 && (q < 0) != (m < 0)) m += q;
                    r[oo + i] = m;
                }
                break;
            }
            case FLOAT64: {
                double[] x = a.storage().f64(), y = b.storage().f64(), r = out.storage().f64();
                for (int i = 0; i < n; i++) {
                    double p = x[ao + i], q = y[bo + i], m = p % q;
                    if (remainder && m != 0 && (q < 0) != (m < 0)) m += q;
                    r[oo + i] = m;
                }
                break;
            }
            default: {
                long[] x = a.storage().i64(), y = b.storage().i64(), r = out.storage().i64();
                for (int i = 0; i < n; i++) {
                    long q = y[bo + i];
                    long m = x[ao + i] % q;
                    if (remainder && m != 0 && (q < 0) != (m < 0)) m += q;
                    r[oo + i] = m;
                }
            }
        }
    }

    /** {@code atan2(a, b)} elementwise. */
    public static void atan2(Tensor out, Tensor a, Tensor b) {
        int n = (int) out.numel(), ao = a.storageOffsetInternal(), bo = b.storageOffsetInternal(), oo = out.storageOffsetInternal();
        if (out.storage().f32() != null) {
            float[] x = a.storage().f32(), y = b.storage().f32(), r = out.storage().f32();
            for (int i = 0; i < n; i++) r[oo + i] = (float) Math.atan2(x[ao + i], y[bo + i]);
        } else {
            double[] x = a.storage().f64(), y = b.storage().f64(), r = out.storage().f64();
            for (int i = 0; i < n; i++) r[oo + i] = Math.atan2(x[ao + i], y[bo + i]);
        }
    }

    /**
     * {@code lerp(start, end, weight)} with PyTorch's two-sided formula: {@code start + w (end - start)}
     * for {@code |w| < 0.5}, else {@code end - (end - start)(1 - w)} (exact at both ends), each a fused
     * multiply-add in the dtype's arithmetic as PyTorch's vectorised kernel computes it.
     */
    public static void lerp(Tensor out, Tensor start, Tensor end, Tensor weight) {
        int n = (int) out.numel(), so = start.storageOffsetInternal(), eo = end.storageOffsetInternal();
        int wo = weight.storageOffsetInternal(), oo = out.storageOffsetInternal();
        if (out.storage().f32() != null) {
            float[] s = start.storage().f32(), e = end.storage().f32(), w = weight.storage().f32(), r = out.storage().f32();
            for (int i = 0; i < n; i++) {
                float a = s[so + i], b = e[eo + i], t = w[wo + i], diff = b - a;
                r[oo + i] = Math.abs(t) < 0.5f ? Math.fma(t, diff, a) : Math.fma(-diff, 1 - t, b);
            }
        } else {
            double[] s = start.storage().f64(), e = end.storage().f64(), w = weight.storage().f64(), r = out.storage().f64();
            for (int i = 0; i < n; i++) {
                double a = s[so + i], b = e[eo + i], t = w[wo + i], diff = b - a;
                r[oo + i] = Math.abs(t) < 0.5 ? Math.fma(t, diff, a) : Math.fma(-diff, 1 - t, b);
            }
        }
    }
}
