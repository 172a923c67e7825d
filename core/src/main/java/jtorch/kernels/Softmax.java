package jtorch.kernels;

/**
 * {@code softmax} / {@code log_softmax} along one dim of a contiguous tensor, and the backward of
 * {@code log_softmax}, each in one pass per row instead of the eight elementwise ops and
 * reductions of their composition (which allocate a temporary each; for a classifier's logits
 * the temporaries cost more than the arithmetic). Every step is the float operation the
 * composition performed, in the same order, so the results are the same bits:
 * {@code m} = the row's max (0 if infinite; NaN propagates), {@code z = x - m},
 * {@code s = sum(exp(z))} accumulated in double, {@code log_softmax = z - log(s)},
 * {@code softmax = exp(z) / s}; backward {@code g - exp(y) * sum(g)}. One exception:
 * float32 {@code log_softmax} over the last dim and its backward take {@code exp} from
 * {@link FloatExp} (float lanes, within 1 ulp) instead of the exp op's double-lane kernel.
 *
 * <p>The tensor is seen as (outer, n, inner) around the dim; rows are the n elements at stride
 * {@code inner}.
 */
public final class Softmax {
    private Softmax() {}

    /** {@code out = (log_)softmax(in)} along {@code dim}; both contiguous, same shape and floating dtype. */
    public static void forward(StridedArray in, StridedArray out, int dim, boolean log) {
        int[] s = in.sizesInternal();
        int outer = 1, inner = 1, n = s.length == 0 ? 1 : s[dim];
        for (int d = 0; d < dim; d++) outer *= s[d];
        for (int d = dim + 1; d < s.length; d++) inner *= s[d];
        if (n == 0) return; // empty rows: nothing to write
        int xo = in.storageOffsetInternal(), oo = out.storageOffsetInternal();
        ElementKernels k = ElementKernels.get();
        if (in.storage().f32() != null && log && inner == 1) {
            logForwardRowsF32(in.storage().f32(), xo, out.storage().f32(), oo, outer, n, k);
        } else if (in.storage().f32() != null) {
            float[] x = in.storage().f32(), o = out.storage().f32();
            float[] z = new float[n], e = new float[n];
            for (int a = 0; a < outer; a++)
                for (int b = 0; b < inner; b++) {
                    int p = xo + a * n * inner + b, q = oo + a * n * inner + b;
                    float m = x[p];
                    for (int i = 1; i < n; i++) {
                        float v = x[p + i * inner];
                        if (m == m && (v != v || v > m)) m = v; // NaN wins and stays, as the max reduction
                    }
                    if (Float.isInfinite(m)) m = 0f;
                    for (int i = 0; i < n; i++) z[i] = x[p + i * inner] - m;
                    k.transcendentalF32(UnaryOp.EXP, e, 0, z, 0, n);
                    float sum = (float) rowSum(k, e, n, inner);
                    if (log) {
                        float ls = (float) Transcendentals.log(sum);
                        for (int i = 0; i < n; i++) o[q + i * inner] = z[i] - ls;
                    } else {
                        for (int i = 0; i < n; i++) o[q + i * inner] = e[i] / sum;
                    }
                }
        } else {
            double[] x = in.storage().f64(), o = out.storage().f64();
            double[] z = new double[n], e = new double[n];
            for (int a = 0; a < outer; a++)
                for (int b = 0; b < inner; b++) {
                    int p = xo + a * n * inner + b, q = oo + a * n * inner + b;
                    double m = x[p];
                    for (int i = 1; i < n; i++) {
                        double v = x[p + i * inner];
                        if (m == m && (v != v || v > m)) m = v;
                    }
                    if (Double.isInfinite(m)) m = 0.0;
                    for (int i = 0; i < n; i++) z[i] = x[p + i * inner] - m;
                    k.transcendentalF64(UnaryOp.EXP, e, 0, z, 0, n);
                    double sum = rowSum(k, e, n, inner);
                    if (log) {
                        double ls = Transcendentals.log(sum);
                        for (int i = 0; i < n; i++) o[q + i * inner] = z[i] - ls;
                    } else {
                        for (int i = 0; i < n; i++) o[q + i * inner] = e[i] / sum;
                    }
                }
        }
    }

    /** {@code gradInput = g - exp(y) * sum(g)} along {@code dim} (log_softmax's backward); all contiguous. */
    public static void logBackward(StridedArray grad, StridedArray output, StridedArray gradInput, int dim) {
        int[] s = grad.sizesInternal();
        int outer = 1, inner = 1, n = s.length == 0 ? 1 : s[dim];
        for (int d = 0; d < dim; d++) outer *= s[d];
        for (int d = dim + 1; d < s.length; d++) inner *= s[d];
        if (n == 0) return;
        int go = grad.storageOffsetInternal(), yo = output.storageOffsetInternal(), io = gradInput.storageOffsetInternal();
        ElementKernels k = ElementKernels.get();
        if (grad.storage().f32() != null && inner == 1) {
            logBackwardRowsF32(grad.storage().f32(), go, output.storage().f32(), yo, gradInput.storage().f32(), io, outer, n, k);
        } else if (grad.storage().f32() != null) {
            float[] g = grad.storage().f32(), y = output.storage().f32(), gi = gradInput.storage().f32();
            float[] row = new float[n], yRow = new float[n], ey = new float[n];
            for (int a = 0; a < outer; a++)
                for (int b = 0; b < inner; b++) {
                    int base = a * n * inner + b;
                    for (int i = 0; i < n; i++) row[i] = g[go + base + i * inner];
                    float sum = (float) rowSum(k, row, n, inner);
                    if (inner == 1) k.transcendentalF32(UnaryOp.EXP, ey, 0, y, yo + base, n);
                    else {
                        for (int i = 0; i < n; i++) yRow[i] = y[yo + base + i * inner];
                        k.transcendentalF32(UnaryOp.EXP, ey, 0, yRow, 0, n);
                    }
                    for (int i = 0; i < n; i++) gi[io + base + i * inner] = row[i] - ey[i] * sum;
                }
        } else {
            double[] g = grad.storage().f64(), y = output.storage().f64(), gi = gradInput.storage().f64();
            double[] row = new double[n], yRow = new double[n], ey = new double[n];
            for (int a = 0; a < outer; a++)
                for (int b = 0; b < inner; b++) {
                    int base = a * n * inner + b;
                    for (int i = 0; i < n; i++) row[i] = g[go + base + i * inner];
                    double sum = rowSum(k, row, n, inner);
                    if (inner == 1) k.transcendentalF64(UnaryOp.EXP, ey, 0, y, yo + base, n);
                    else {
                        for (int i = 0; i < n; i++) yRow[i] = y[yo + base + i * inner];
                        k.transcendentalF64(UnaryOp.EXP, ey, 0, yRow, 0, n);
                    }
                    for (int i = 0; i < n; i++) gi[io + base + i * inner] = row[i] - ey[i] * sum;
                }
        }
    }

    /** Rows per parallel chunk of the float32 last-dim loops: about 64k elements. */
    /** Rows per chunk of the intra-op pool: about {@code elements} elements of rows {@code n} long. */
    private static int rowGrain(int n, int elements) { return Math.max(1, elements / Math.max(1, n)); }

    /**
     * The shift of a unit-stride row {@code x[p, p + n)}: its max, NaN winning and staying (as the max
     * reduction), or 0 when the max is infinite (so that {@code x - shift} keeps the infinities).
     */
    private static float shiftF32(float[] x, int p, int n) {
        float m = x[p];
        for (int i = 1; i < n; i++) {
            float v = x[p + i];
            if (m == m && (v != v || v > m)) m = v;
        }
        return Float.isInfinite(m) ? 0f : m;
    }

    /** {@link #shiftF32} in float64. */
    private static double shiftF64(double[] x, int p, int n) {
        double m = x[p];
        for (int i = 1; i < n; i++) {
            double v = x[p + i];
            if (m == m && (v != v || v > m)) m = v;
        }
        return Double.isInfinite(m) ? 0.0 : m;
    }

    /**
     * float32 {@code log_softmax} over the last dim (unit-stride rows, e.g. a classifier's logits):
     * the strided loop's float steps with unit-stride loops the JIT vectorises, but {@code exp} by
     * {@link FloatExp} (float lanes, within 1 ulp; the strided loop's is the double-lane one, the
     * correctly rounded float but in rare ties), since it is most of the time of a language
     * model's cross-entropy. Rows are split over the intra-op threads (each row's steps unchanged).
     */
    private static void logForwardRowsF32(float[] x, int xo, float[] o, int oo, int rows, int n, ElementKernels k) {
        Parallel.parallelFor(0, rows, rowGrain(n, 65536), (begin, end) -> {
            float[] e = new float[n];
            for (int r = begin; r < end; r++) {
                int p = xo + r * n, q = oo + r * n;
                float m = vectorShiftF32(k, x, p, n);
                float ls = logSumExpShiftedF32(k, x, p, n, m, e);
                for (int i = 0; i < n; i++) o[q + i] = (x[p + i] - m) - ls; // z - ls, z = x - m not stored
            }
        });
    }

    /** {@link #shiftF32} by the provider's max (see {@link ElementKernels#maxF32}: the same log-probabilities). */
    private static float vectorShiftF32(ElementKernels k, float[] x, int p, int n) {
        float m = k.maxF32(x, p, n);
        return Float.isInfinite(m) ? 0f : m;
    }

    /**
     * {@code log(sum(exp(x - m)))} of the unit-stride row {@code x[p, p + n)}, the steps of
     * {@link #logForwardRowsF32}: each {@code x - m} rounded to float, {@link FloatExp}, the sum
     * reduction's run kernel in double, rounded to float, log; {@code e} is an n-float scratch.
     */
    private static float logSumExpShiftedF32(ElementKernels k, float[] x, int p, int n, float m, float[] e) {
        k.floatExpShiftedF32(e, 0, x, p, n, m);
        return (float) Transcendentals.log((float) k.sumF32(e, 0, n));
    }

    // ------------------------------------------------------------ cross-entropy (issue 12: language model)

    /**
     * Cross-entropy's forward over float32 logits {@code (rows, n)}, unit-stride rows, without
     * writing the log-probabilities: per row log_softmax's shift {@code m} and
     * {@code ls = log(sum(exp(x - m)))} (the same float steps as {@link #forward}) go to
     * {@code shift} and {@code logSum}, and {@code targetLogProb[r] = (x[r, column[r]] - m) - ls}
     * (the log-probability {@code log_softmax} would have written there; 0 where {@code column[r] < 0},
     * an ignored target). Rows split over the intra-op threads.
     */
    public static void crossEntropyForwardF32(float[] x, int xo, int rows, int n, int[] column,
                                              float[] shift, float[] logSum, float[] targetLogProb) {
        ElementKernels k = ElementKernels.get();
        Parallel.parallelFor(0, rows, rowGrain(n, 65536), (begin, end) -> {
            float[] e = new float[n];
            for (int r = begin; r < end; r++) {
                int p = xo + r * n;
                float m = vectorShiftF32(k, x, p, n);
                float ls = logSumExpShiftedF32(k, x, p, n, m, e);
                shift[r] = m;
                logSum[r] = ls;
                targetLogProb[r] = column[r] < 0 ? 0f : (x[p + column[r]] - m) - ls;
            }
        });
    }

    /**
     * Cross-entropy's backward, log_softmax's backward applied to nll_loss's gradient in one pass
     * per row, without the log-probabilities nor nll_loss's zero-filled gradient: the row of nll's
     * gradient is {@code targetGrad[r]} at {@code column[r]} and +0 elsewhere (all +0 where
     * {@code column[r] < 0}), so its sum is {@code targetGrad[r]} (+0 for a zero), and
     * {@code gradInput = g - exp(y) * sum(g)} with {@code y = (x - m) - ls} recomputed from the
     * forward's {@code shift} / {@code logSum}: the same float steps as {@link #logBackward} after
     * {@link #forward}, so the same bits.
     */
    public static void crossEntropyBackwardF32(float[] x, int xo, int rows, int n, int[] column, float[] shift,
                                               float[] logSum, float[] targetGrad, float[] gradInput, int io) {
        ElementKernels k = ElementKernels.get();
        Parallel.parallelFor(0, rows, rowGrain(n, 65536), (begin, end) -> {
            float[] ey = new float[n];
            for (int r = begin; r < end; r++) {
                int p = xo + r * n, q = io + r * n, col = column[r];
                float m = shift[r], ls = logSum[r];
                float gt = col < 0 ? 0f : targetGrad[r];
                float sum = gt == 0f ? 0f : gt; // the double sum of +0s and gt, rounded back: +0 for either zero
                for (int i = 0; i < n; i++) ey[i] = (x[p + i] - m) - ls; // y, as the forward wrote it
                k.floatExpF32(ey, 0, ey, 0, n);
                for (int i = 0; i < n; i++) gradInput[q + i] = 0f - ey[i] * sum; // g = +0 off the target
                if (col >= 0) gradInput[q + col] = gt - ey[col] * sum;
            }
        });
    }

    /**
     * float32 {@code g - exp(y) * sum(g)} over unit-stride rows: no row copies, unit-stride loops,
     * {@code exp} by {@link FloatExp} as in the forward, rows split over the intra-op threads.
     */
    private static void logBackwardRowsF32(float[] g, int go, float[] y, int yo, float[] gi, int io, int rows, int n,
                                           ElementKernels k) {
        Parallel.parallelFor(0, rows, rowGrain(n, 65536), (begin, end) -> {
            float[] ey = new float[n];
            for (int r = begin; r < end; r++) {
                int base = r * n, gp = go + base, ip = io + base;
                float sum = (float) k.sumF32(g, gp, n);
                k.floatExpF32(ey, 0, y, yo + base, n);
                for (int i = 0; i < n; i++) gi[ip + i] = g[gp + i] - ey[i] * sum;
            }
        });
    }

    /**
     * A row's sum in double, in the order the sum reduction uses for the same layout: the run
     * kernel for a unit-stride row, element by element for a strided one (a column sum).
     */
    private static double rowSum(ElementKernels k, float[] row, int n, int inner) {
        if (inner == 1) return k.sumF32(row, 0, n);
        double acc = 0;
        for (int i = 0; i < n; i++) acc += row[i];
        return acc;
    }

    private static double rowSum(ElementKernels k, double[] row, int n, int inner) {
        if (inner == 1) return k.sumF64(row, 0, n);
        double acc = 0;
        for (int i = 0; i < n; i++) acc += row[i];
        return acc;
    }

    // ------------------------------------------------------------ softmax over the last dim (issue 12: attention)

    /** Rows per chunk of the pool: a chunk is worth a hand-off from about 16k elements. */
    /**
     * {@code out = softmax(in)} over the last dim of contiguous tensors (an attention's weights: many
     * short rows), rows split over the intra-op pool; per row the same float steps as {@link #forward}
     * (so the same bits, at any thread count).
     */
    public static void softmaxLastDim(StridedArray in, StridedArray out) {
        int[] s = in.sizesInternal();
        int n = s.length == 0 ? 1 : s[s.length - 1];
        if (n == 0 || in.numel() == 0) return;
        int rows = (int) (in.numel() / n);
        int xo = in.storageOffsetInternal(), oo = out.storageOffsetInternal();
        ElementKernels k = ElementKernels.get();
        if (in.storage().f32() != null) {
            float[] x = in.storage().f32(), o = out.storage().f32();
            Parallel.parallelFor(0, rows, rowGrain(n, 16384), (lo, hi) -> {
                float[] z = new float[n], e = new float[n];
                for (int r = lo; r < hi; r++) {
                    int p = xo + r * n, q = oo + r * n;
                    float m = shiftF32(x, p, n);
                    for (int i = 0; i < n; i++) z[i] = x[p + i] - m;
                    k.transcendentalF32(UnaryOp.EXP, e, 0, z, 0, n);
                    float sum = (float) k.sumF32(e, 0, n);
                    for (int i = 0; i < n; i++) o[q + i] = e[i] / sum;
                }
            });
        } else {
            double[] x = in.storage().f64(), o = out.storage().f64();
            Parallel.parallelFor(0, rows, rowGrain(n, 16384), (lo, hi) -> {
                double[] z = new double[n], e = new double[n];
                for (int r = lo; r < hi; r++) {
                    int p = xo + r * n, q = oo + r * n;
                    double m = shiftF64(x, p, n);
                    for (int i = 0; i < n; i++) z[i] = x[p + i] - m;
                    k.transcendentalF64(UnaryOp.EXP, e, 0, z, 0, n);
                    double sum = k.sumF64(e, 0, n);
                    for (int i = 0; i < n; i++) o[q + i] = e[i] / sum;
                }
            });
        }
    }

    /**
     * softmax's backward over the last dim, {@code gradInput = y * (g - sum(g * y))}, of contiguous
     * tensors in one pass per row, rows over the pool: the float steps of the composition (the product
     * rounded to the dtype, the row sum by the sum reduction's run kernel), so the same bits.
     */
    public static void softmaxBackwardLastDim(StridedArray grad, StridedArray output, StridedArray gradInput) {
        int[] s = grad.sizesInternal();
        int n = s.length == 0 ? 1 : s[s.length - 1];
        if (n == 0 || grad.numel() == 0) return;
        int rows = (int) (grad.numel() / n);
        int go = grad.storageOffsetInternal(), yo = output.storageOffsetInternal(), io = gradInput.storageOffsetInternal();
        ElementKernels k = ElementKernels.get();
        if (grad.storage().f32() != null) {
            float[] g = grad.storage().f32(), y = output.storage().f32(), gi = gradInput.storage().f32();
            Parallel.parallelFor(0, rows, rowGrain(n, 16384), (lo, hi) -> {
                float[] gy = new float[n];
                for (int r = lo; r < hi; r++) {
                    int pg = go + r * n, py = yo + r * n, pi = io + r * n;
                    for (int i = 0; i < n; i++) gy[i] = g[pg + i] * y[py + i];
                    float sum = (float) k.sumF32(gy, 0, n);
                    for (int i = 0; i < n; i++) gi[pi + i] = y[py + i] * (g[pg + i] - sum);
                }
            });
        } else {
            double[] g = grad.storage().f64(), y = output.storage().f64(), gi = gradInput.storage().f64();
            Parallel.parallelFor(0, rows, rowGrain(n, 16384), (lo, hi) -> {
                double[] gy = new double[n];
                for (int r = lo; r < hi; r++) {
                    int pg = go + r * n, py = yo + r * n, pi = io + r * n;
                    for (int i = 0; i < n; i++) gy[i] = g[pg + i] * y[py + i];
                    double sum = k.sumF64(gy, 0, n);
                    for (int i = 0; i < n; i++) gi[pi + i] = y[py + i] * (g[pg + i] - sum);
                }
            });
        }
    }
}
