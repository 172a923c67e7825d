package jtorch.kernels;

/**
 * PyTorch's {@code sigmoid_backward(grad, output)}, computed as {@code grad * (output * (1 - output))}, and
 * {@code tanh_backward(grad, output) = grad * (1 - output * output)}, each in one pass, with the rounding of the
 * composition they replace (the fused RNN cells are pinned to it bit for bit; PyTorch's CPU kernel rounds
 * sigmoid's as {@code (grad * (1 - output)) * output}, which can differ in the last bit). Composed from tensor ops these were three passes and two
 * temporaries per activation, the classic LeNet's largest elementwise cost in its backward.
 * The unit-stride loops are plain array arithmetic that C2 vectorises; no fused multiply-add,
 * so every provider computes the same bits.
 *
 * <pre>{@code
 * ActivationBackward.sigmoid(gradInput, gradOutput, sigmoidOutput);
 * }</pre>
 */
public final class ActivationBackward {
    private ActivationBackward() {}

    /** {@code out = grad * (y * (1 - y))}; all three have {@code out}'s shape and floating dtype. */
    public static void sigmoid(StridedArray out, StridedArray grad, StridedArray y) { run(out, grad, y, false); }

    /** {@code out = grad * (1 - y * y)}; all three have {@code out}'s shape and floating dtype. */
    public static void tanh(StridedArray out, StridedArray grad, StridedArray y) { run(out, grad, y, true); }

    private static void run(StridedArray out, StridedArray grad, StridedArray y, boolean tanh) {
        ElementLoop l = ElementLoop.of(out, grad, y);
        if (l.numel == 0) return;
        boolean unit = l.unitStride();
        int so = l.innerStride[0], sg = l.innerStride[1], sy = l.innerStride[2];
        ElementLoop.Segment segment;
        if (out.storage().f32() != null) {
            float[] o = out.storage().f32(), g = grad.storage().f32(), x = y.storage().f32();
            segment = (off, n) -> {
                if (unit && tanh) tanhF32(o, off[0], g, off[1], x, off[2], n);
                else if (unit) sigmoidF32(o, off[0], g, off[1], x, off[2], n);
                else for (int i = 0; i < n; i++) {
                    float v = x[off[2] + i * sy], gv = g[off[1] + i * sg];
                    o[off[0] + i * so] = tanh ? gv * (1f - v * v) : gv * (v * (1f - v));
                }
            };
        } else {
            double[] o = out.storage().f64(), g = grad.storage().f64(), x = y.storage().f64();
            segment = (off, n) -> {
                if (unit && tanh) tanhF64(o, off[0], g, off[1], x, off[2], n);
                else if (unit) sigmoidF64(o, off[0], g, off[1], x, off[2], n);
                else for (int i = 0; i < n; i++) {
                    double v = x[off[2] + i * sy], gv = g[off[1] + i * sg];
                    o[off[0] + i * so] = tanh ? gv * (1.0 - v * v) : gv * (v * (1.0 - v));
                }
            };
        }
        Elementwise.run(l, Elementwise.GRAIN, segment); // split over the intra-op pool when large
    }

    private static void sigmoidF32(float[] o, int po, float[] g, int pg, float[] y, int py, int n) {
        for (int i = 0; i < n; i++) o[po + i] = g[pg + i] * (y[py + i] * (1f - y[py + i]));
    }

    private static void tanhF32(float[] o, int po, float[] g, int pg, float[] y, int py, int n) {
        for (int i = 0; i < n; i++) o[po + i] = g[pg + i] * (1f - y[py + i] * y[py + i]);
    }

    private static void sigmoidF64(double[] o, int po, double[] g, int pg, double[] y, int py, int n) {
        for (int i = 0; i < n; i++) o[po + i] = g[pg + i] * (y[py + i] * (1.0 - y[py + i]));
    }

    private static void tanhF64(double[] o, int po, double[] g, int pg, double[] y, int py, int n) {
        for (int i = 0; i < n; i++) o[po + i] = g[pg + i] * (1.0 - y[py + i] * y[py + i]);
    }
}
