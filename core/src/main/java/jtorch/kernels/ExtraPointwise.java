package jtorch.kernels;

/**
 * Elementwise kernels of the ops added for issue #11 that take parameters or three operands
 * ({@code nan_to_num lerp}), over contiguous arrays of equal
 * length (callers broadcast, convert and make operands contiguous). atan2, silu, mish and the
 * rounding ops are rows of the op table ({@link PointwiseKernels}). float32 is computed in double
 * and rounded once, which is within an ulp or two of PyTorch's float kernels.
 */
public final class ExtraPointwise {
    private ExtraPointwise() {}

    /** Which unary op {@link #unary} runs (p1, p2, p3 its parameters); SILU ... FRAC name the op table rows of {@code PointwiseExtra}. */
    public enum Op { SILU, MISH, NAN_TO_NUM, FLOOR, CEIL, ROUND, TRUNC, FRAC }

    private static double apply(Op op, double x, double p1, double p2, double p3) {
        switch (op) {
            case NAN_TO_NUM: return x != x ? p1 : x == Double.POSITIVE_INFINITY ? p2 : x == Double.NEGATIVE_INFINITY ? p3 : x;
            default: throw new IllegalArgumentException(op + " is a row of the op table (PointwiseKernels), not a parameterised kernel");
        }
    }

    /**
     * {@code out[oo + i] = op(in[io + i]; p1, p2, p3)} for {@code i < n}: NAN_TO_NUM (nan, posinf,
     * neginf; hardtanh and softplus are {@code PointwiseParam} rows now); both arrays {@code float[]}
     * or both {@code double[]}. The parameter-free ops (SILU ... FRAC) are {@link PointwiseKernels}'.
     */
    public static void unary(Op op, Object out, int oo, Object in, int io, int n, double p1, double p2, double p3) {
        if (in instanceof float[]) {
            float[] a = (float[]) in, r = (float[]) out;
            for (int i = 0; i < n; i++) r[oo + i] = (float) apply(op, a[io + i], p1, p2, p3);
        } else {
            double[] a = (double[]) in, r = (double[]) out;
            for (int i = 0; i < n; i++) r[oo + i] = apply(op, a[io + i], p1, p2, p3);
        }
    }

    /**
     * {@code lerp(start, end, weight)} of {@code n} contiguous elements with PyTorch's two-sided
     * formula: {@code start + w (end - start)} for {@code |w| < 0.5}, else
     * {@code end - (end - start)(1 - w)} (exact at both ends), each a fused multiply-add in the
     * dtype's arithmetic as PyTorch's vectorised kernel computes it.
     */
    public static void lerp(Object out, int oo, Object start, int so, Object end, int eo, Object weight, int wo, int n) {
        if (out instanceof float[]) {
            float[] s = (float[]) start, e = (float[]) end, w = (float[]) weight, r = (float[]) out;
            for (int i = 0; i < n; i++) {
                float a = s[so + i], b = e[eo + i], t = w[wo + i], diff = b - a;
                r[oo + i] = Math.abs(t) < 0.5f ? Math.fma(t, diff, a) : Math.fma(-diff, 1 - t, b);
            }
        } else {
            double[] s = (double[]) start, e = (double[]) end, w = (double[]) weight, r = (double[]) out;
            for (int i = 0; i < n; i++) {
                double a = s[so + i], b = e[eo + i], t = w[wo + i], diff = b - a;
                r[oo + i] = Math.abs(t) < 0.5 ? Math.fma(t, diff, a) : Math.fma(-diff, 1 - t, b);
            }
        }
    }
}
