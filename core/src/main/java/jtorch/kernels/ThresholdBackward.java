package jtorch.kernels;

import jtorch.Tensor;

/**
 * PyTorch's {@code threshold_backward(grad, self, threshold)}: {@code grad} where
 * {@code self > threshold}, else 0, in one pass. ReLU's backward used to be a comparison, a
 * bool-to-float conversion and a product (three passes, two temporaries); this is one read of
 * each operand and one write. A masked position gives 0 even where {@code grad} is NaN or
 * infinite, as in PyTorch.
 *
 * <pre>{@code
 * ThresholdBackward.run(gradInput, gradOutput, reluOutput, 0.0);
 * }</pre>
 */
public final class ThresholdBackward {
    private ThresholdBackward() {}

    /** {@code out = self > threshold ? grad : 0}; all three have {@code out}'s shape and floating dtype. */
    public static void run(Tensor out, Tensor grad, Tensor self, double threshold) {
        StridedLoop l = StridedLoop.of(out, grad, self);
        if (out.storage().f32() != null) f32(out.storage().f32(), grad.storage().f32(), self.storage().f32(), (float) threshold, l);
        else f64(out.storage().f64(), grad.storage().f64(), self.storage().f64(), threshold, l);
    }

    private static void f32(float[] o, float[] g, float[] x, float t, StridedLoop l) {
        int n = l.inner, so = l.innerStride[0], sg = l.innerStride[1], sx = l.innerStride[2];
        int[] off = l.off;
        for (long r = 0; r < l.runs; r++, l.next()) {
            int po = off[0], pg = off[1], px = off[2];
            if (l.unitStride) for (int i = 0; i < n; i++) o[po + i] = x[px + i] > t ? g[pg + i] : 0f;
            else for (int i = 0; i < n; i++) o[po + i * so] = x[px + i * sx] > t ? g[pg + i * sg] : 0f;
        }
    }

    private static void f64(double[] o, double[] g, double[] x, double t, StridedLoop l) {
        int n = l.inner, so = l.innerStride[0], sg = l.innerStride[1], sx = l.innerStride[2];
        int[] off = l.off;
        for (long r = 0; r < l.runs; r++, l.next()) {
            int po = off[0], pg = off[1], px = off[2];
            if (l.unitStride) for (int i = 0; i < n; i++) o[po + i] = x[px + i] > t ? g[pg + i] : 0.0;
            else for (int i = 0; i < n; i++) o[po + i * so] = x[px + i * sx] > t ? g[pg + i * sg] : 0.0;
        }
    }
}
