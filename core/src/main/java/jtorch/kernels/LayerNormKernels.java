package jtorch.kernels;

/**
 * {@code layer_norm} over the last {@code n} elements of each of {@code rows} contiguous rows, forward
 * and backward, each in one pass per row (the composition it replaces widened the whole input to
 * float64 and ran about a dozen element-wise ops and reductions, each with its own temporary).
 *
 * <p>Forward, per row: {@code mean} and the biased {@code var} (two passes: the mean, then the squares
 * of {@code x - mean}) accumulated in double by the provider's vector sums and rounded to the dtype, {@code rstd = 1 / sqrt(var + eps)}, then PyTorch's {@code y = (x * rstd + (-rstd * mean)) *
 * weight + bias} in the dtype. Backward (PyTorch's {@code layer_norm_backward} CPU kernel), per row with
 * {@code a = rstd}, {@code ds = sum(dy * w * x)}, {@code db = sum(dy * w)} in double:
 * {@code dx = a * dy * w + b * x + c} with {@code b = (db * mean - ds) * a^3 / n}, {@code c = -b * mean -
 * db * a / n}; {@code dweight = sum over rows of dy * (x - mean) * rstd}, {@code dbias = sum of dy}.
 *
 * <p>Rows are split over the intra-op pool; the weight and bias gradients are split by columns, each
 * column summed over the rows in row order, so every thread count gives the same bits.
 */
public final class LayerNormKernels {
    private LayerNormKernels() {}

    /** Rows per chunk: a chunk is worth a pool hand-off from about 32k elements. */
    private static int rowGrain(int n) { return Math.max(1, 32768 / Math.max(1, n)); }

    /**
     * float32 forward: {@code y} (rows x n), {@code mean} and {@code rstd} (one per row) from {@code x};
     * {@code w}/{@code b} may be null (offsets then ignored).
     */
    public static void forwardF32(float[] x, int xo, float[] w, int wo, float[] b, int bo, float[] y, int yo,
                                  float[] mean, float[] rstd, int rows, int n, double eps) {
        final float epsF = (float) eps;
        ElementKernels k = ElementKernels.get();
        Parallel.parallelFor(0, rows, rowGrain(n), (lo, hi) -> {
            float[] c = new float[n];
            for (int r = lo; r < hi; r++) {
                int p = xo + r * n, q = yo + r * n;
                // Two passes (the mean, then the centered squares), each a vector sum in double.
                float mf = (float) (k.sumF32(x, p, n) / n);
                for (int j = 0; j < n; j++) c[j] = x[p + j] - mf;
                float vf = (float) (k.sumSquaresF32(c, 0, n) / n);
                float a = 1f / (float) Math.sqrt(vf + epsF);
                float shift = -a * mf;
                mean[r] = mf;
                rstd[r] = a;
                if (w != null && b != null) for (int j = 0; j < n; j++) y[q + j] = (x[p + j] * a + shift) * w[wo + j] + b[bo + j];
                else if (w != null) for (int j = 0; j < n; j++) y[q + j] = (x[p + j] * a + shift) * w[wo + j];
                else if (b != null) for (int j = 0; j < n; j++) y[q + j] = (x[p + j] * a + shift) + b[bo + j];
                else for (int j = 0; j < n; j++) y[q + j] = x[p + j] * a + shift;
            }
        });
    }

    /** float64 forward, as {@link #forwardF32}. */
    public static void forwardF64(double[] x, int xo, double[] w, int wo, double[] b, int bo, double[] y, int yo,
                                  double[] mean, double[] rstd, int rows, int n, double eps) {
        Parallel.parallelFor(0, rows, rowGrain(n), (lo, hi) -> {
            for (int r = lo; r < hi; r++) {
                int p = xo + r * n, q = yo + r * n;
                double sum = 0;
                for (int j = 0; j < n; j++) sum += x[p + j];
                double m = sum / n;
                double sq = 0;
                for (int j = 0; j < n; j++) {
                    double c = x[p + j] - m;
                    sq += c * c;
                }
                double a = 1.0 / Math.sqrt(sq / n + eps);
                double shift = -a * m;
                mean[r] = m;
                rstd[r] = a;
                if (w != null && b != null) for (int j = 0; j < n; j++) y[q + j] = (x[p + j] * a + shift) * w[wo + j] + b[bo + j];
                else if (w != null) for (int j = 0; j < n; j++) y[q + j] = (x[p + j] * a + shift) * w[wo + j];
                else if (b != null) for (int j = 0; j < n; j++) y[q + j] = (x[p + j] * a + shift) + b[bo + j];
                else for (int j = 0; j < n; j++) y[q + j] = x[p + j] * a + shift;
            }
        });
    }

    /**
     * float32 backward: {@code dx} (may be null: not wanted) from {@code dy}, {@code x}, the forward's
     * {@code mean}/{@code rstd} and {@code w} (null: ones); {@code dw}/{@code db} (each may be null) get
     * the parameter gradients. All arrays contiguous from their offsets.
     */
    public static void backwardF32(float[] dy, int go, float[] x, int xo, float[] mean, float[] rstd, float[] w, int wo,
                                   float[] dx, int dxo, float[] dw, float[] db, int rows, int n) {
        ElementKernels k = ElementKernels.get();
        if (dx != null) {
            Parallel.parallelFor(0, rows, rowGrain(n), (lo, hi) -> {
                float[] gw = new float[n], t = new float[n];
                for (int r = lo; r < hi; r++) {
                    int pg = go + r * n, px = xo + r * n, pd = dxo + r * n;
                    float a = rstd[r], m = mean[r];
                    if (w != null) for (int j = 0; j < n; j++) gw[j] = dy[pg + j] * w[wo + j];
                    else System.arraycopy(dy, pg, gw, 0, n);
                    for (int j = 0; j < n; j++) t[j] = gw[j] * x[px + j];
                    double ds = k.sumF32(t, 0, n), dbs = k.sumF32(gw, 0, n);
                    float scale = 1f / n;
                    float bb = (float) ((dbs * m - ds) * a * a * a) * scale;
                    float cc = -bb * m - (float) dbs * a * scale;
                    for (int j = 0; j < n; j++) dx[pd + j] = a * gw[j] + bb * x[px + j] + cc;
                }
            });
        }
        if (dw != null || db != null) {
            // Column sums in blocks of columns, each column over the rows in order (thread-count
            // independent), row by row along the block (unit stride); dy * xhat is formed in the
            // pass, in float as the kernel rounds it, so no rows x n temporary.
            final int block = 64;
            int blocks = (n + block - 1) / block;
            Parallel.parallelFor(0, blocks, (long) rows * n >= 65536 ? 1 : blocks, (lo, hi) -> {
                int j0 = lo * block, j1 = Math.min(n, hi * block), len = j1 - j0;
                double[] sw = new double[len], sb = new double[len];
                for (int r = 0; r < rows; r++) {
                    int pg = go + r * n + j0, px = xo + r * n + j0;
                    float a = rstd[r], m = mean[r];
                    if (dw != null) for (int j = 0; j < len; j++) sw[j] += dy[pg + j] * ((x[px + j] - m) * a);
                    if (db != null) for (int j = 0; j < len; j++) sb[j] += dy[pg + j];
                }
                for (int j = 0; j < len; j++) {
                    if (dw != null) dw[j0 + j] = (float) sw[j];
                    if (db != null) db[j0 + j] = (float) sb[j];
                }
            });
        }
    }

    /** float64 backward, as {@link #backwardF32}. */
    public static void backwardF64(double[] dy, int go, double[] x, int xo, double[] mean, double[] rstd, double[] w, int wo,
                                   double[] dx, int dxo, double[] dw, double[] db, int rows, int n) {
        if (dx != null) {
            Parallel.parallelFor(0, rows, rowGrain(n), (lo, hi) -> {
                for (int r = lo; r < hi; r++) {
                    int pg = go + r * n, px = xo + r * n, pd = dxo + r * n;
                    double ds = 0, dbs = 0;
                    for (int j = 0; j < n; j++) {
                        double gw = w != null ? dy[pg + j] * w[wo + j] : dy[pg + j];
                        ds += gw * x[px + j];
                        dbs += gw;
                    }
                    double a = rstd[r], m = mean[r];
                    double scale = 1.0 / n;
                    double bb = (dbs * m - ds) * a * a * a * scale;
                    double cc = -bb * m - dbs * a * scale;
                    if (w != null) for (int j = 0; j < n; j++) dx[pd + j] = a * dy[pg + j] * w[wo + j] + bb * x[px + j] + cc;
                    else for (int j = 0; j < n; j++) dx[pd + j] = a * dy[pg + j] + bb * x[px + j] + cc;
                }
            });
        }
        if (dw != null || db != null) {
            final int block = 64;
            int blocks = (n + block - 1) / block;
            Parallel.parallelFor(0, blocks, (long) rows * n >= 65536 ? 1 : blocks, (lo, hi) -> {
                int j0 = lo * block, j1 = Math.min(n, hi * block);
                double[] sw = new double[j1 - j0], sb = new double[j1 - j0];
                for (int r = 0; r < rows; r++) {
                    int pg = go + r * n, px = xo + r * n;
                    double a = rstd[r], m = mean[r];
                    for (int j = j0; j < j1; j++) {
                        double g = dy[pg + j];
                        sw[j - j0] += g * ((x[px + j] - m) * a);
                        sb[j - j0] += g;
                    }
                }
                for (int j = j0; j < j1; j++) {
                    if (dw != null) dw[j] = sw[j - j0];
                    if (db != null) db[j] = sb[j - j0];
                }
            });
        }
    }
}
