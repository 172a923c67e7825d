package jtorch.kernels;

/**
 * PyTorch's {@code threshold_backward(grad, self, threshold)}: {@code grad} where
 * {@code self > threshold}, else 0, in one pass. ReLU's backward used to be a comparison, a
 * bool-to-float conversion and a product (three passes, two temporaries); this is one read of
 * each operand and one write. A masked position gives 0 even where {@code grad} is NaN or
 * infinite, and a NaN {@code self} masks, as in PyTorch.
 *
 * <p>The sign of a ReLU output is a coin toss per element, so a branch mispredicts half the time
 * (a plain {@code x > t ? g : 0} loop ran at 6 ns per element here): unit-stride runs use the
 * Vector API's compare-and-blend where available, and the scalar loop selects with an integer mask.
 *
 * <pre>{@code
 * ThresholdBackward.run(gradInput, gradOutput, reluOutput, 0.0);
 * }</pre>
 */
public final class ThresholdBackward {
    private ThresholdBackward() {}

    /** The unit-stride loops of one implementation (Vector API or scalar). */
    interface Runs {
        void f32(float[] o, int po, float[] g, int pg, float[] x, int px, int n, float t);

        void f64(double[] o, int po, double[] g, int pg, double[] x, int px, int n, double t);
    }

    /** Loaded reflectively so that no Vector API class is linked unless the module is present. */
    private static final class VectorHolder {
        static final Runs RUNS = load();

        private static Runs load() {
            if (!Kernels.isAvailable(KernelProvider.VECTOR)) return null;
            try {
                return (Runs) Class.forName("jtorch.kernels.VectorThreshold").getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException | LinkageError e) {
                return null;
            }
        }
    }

    static final Runs SCALAR = new Runs() {
        @Override public void f32(float[] o, int po, float[] g, int pg, float[] x, int px, int n, float t) {
            int kt = orderKey(t);
            for (int i = 0; i < n; i++) {
                int kx = orderKey(x[px + i]);
                int keep = (kx > kt & kx <= POSITIVE_INFINITY_KEY) ? -1 : 0; // NaN keys lie above +inf's
                o[po + i] = Float.intBitsToFloat(Float.floatToRawIntBits(g[pg + i]) & keep);
            }
        }

        @Override public void f64(double[] o, int po, double[] g, int pg, double[] x, int px, int n, double t) {
            long kt = orderKey(t);
            for (int i = 0; i < n; i++) {
                long kx = orderKey(x[px + i]);
                long keep = (kx > kt & kx <= POSITIVE_INFINITY_KEY_64) ? -1L : 0L;
                o[po + i] = Double.longBitsToDouble(Double.doubleToRawLongBits(g[pg + i]) & keep);
            }
        }
    };

    private static final int POSITIVE_INFINITY_KEY = 0x7F800000;
    private static final long POSITIVE_INFINITY_KEY_64 = 0x7FF0000000000000L;

    private static long orderKey(double d) {
        long b = Double.doubleToRawLongBits(d == 0.0 ? 0.0 : d);
        return b ^ ((b >> 63) & 0x7FFFFFFFFFFFFFFFL);
    }

    /** An int that orders like the float ({@code -0} just below {@code +0}; NaNs outside the infinities). */
    private static int orderKey(float f) {
        int b = Float.floatToRawIntBits(f == 0f ? 0f : f); // a -0 threshold compares as +0, as float > does
        return b ^ ((b >> 31) & 0x7FFFFFFF);
    }

    /** {@code out = self > threshold ? grad : 0}; all three have {@code out}'s shape and floating dtype. */
    public static void run(StridedArray out, StridedArray grad, StridedArray self, double threshold) {
        ElementLoop l = ElementLoop.of(out, grad, self);
        if (l.numel == 0) return;
        Runs runs = Kernels.provider() != KernelProvider.SCALAR && VectorHolder.RUNS != null ? VectorHolder.RUNS : SCALAR;
        boolean unit = l.unitStride();
        int so = l.innerStride[0], sg = l.innerStride[1], sx = l.innerStride[2];
        ElementLoop.Segment segment;
        if (out.storage().f32() != null) {
            float[] o = out.storage().f32(), g = grad.storage().f32(), x = self.storage().f32();
            float t = (float) threshold;
            segment = (off, n) -> {
                if (unit) runs.f32(o, off[0], g, off[1], x, off[2], n, t);
                else for (int i = 0; i < n; i++) o[off[0] + i * so] = x[off[2] + i * sx] > t ? g[off[1] + i * sg] : 0f;
            };
        } else {
            double[] o = out.storage().f64(), g = grad.storage().f64(), x = self.storage().f64();
            segment = (off, n) -> {
                if (unit) runs.f64(o, off[0], g, off[1], x, off[2], n, threshold);
                else for (int i = 0; i < n; i++) o[off[0] + i * so] = x[off[2] + i * sx] > threshold ? g[off[1] + i * sg] : 0.0;
            };
        }
        Elementwise.run(l, Elementwise.GRAIN, segment); // split over the intra-op pool when large
    }
}
