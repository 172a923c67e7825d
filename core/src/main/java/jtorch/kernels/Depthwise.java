package jtorch.kernels;

import org.slf4j.LoggerFactory;

/**
 * The depthwise convolution ({@code groups == C_in}, one input channel per group, any number of
 * output channels per group) as direct loops, which a GEMM of one-row products would only slow
 * down: for each output row and kernel tap, one {@code y += w * x} over the row's in-image
 * positions (forward; input gradient: the same into the image), and one dot product per tap,
 * sample and row for the weight gradient (summed in vector lanes over rows and samples, reduced once per tap). Rows at unit stride run on the Vector API
 * ({@link DepthwiseVector}) unless the provider is {@link KernelProvider#SCALAR}; strided ones as
 * plain loops. On the Vector API at unit strides with finite weights, the forward and the input
 * gradient run each plane on a zero-padded copy (one whole-row stencil per row); three-wide
 * kernels get their weight gradient three taps per pass over the gradient rows. Planes are
 * independent: the forward runs over (sample, output channel), the input gradient over (sample,
 * input channel), the weight gradient over output channels (a channel is one thread's work, its
 * sums in an order fixed by the shapes: the bits do not depend on the thread count).
 *
 * <pre>{@code
 * if (Depthwise.applies(g)) Depthwise.forward(x, w, bias, out, g);
 * }</pre>
 */
final class Depthwise {
    private Depthwise() {}

    /** Multiply-adds below which a chunk of planes stays on the calling thread. */
    private static final long GRAIN_MACS = 1L << 17;

    /** Whether {@code g} is depthwise: several groups of one input channel each. */
    static boolean applies(ConvKernels.Geometry g) { return g.groups > 1 && g.inC == g.groups; }

    /** The row loops: {@code y[d + i] += a * x[s + i]} and {@code acc[i] += a[s + i] * b[d + i]}. */
    interface Rows {
        void axpyF(float a, float[] x, int s, float[] y, int d, int n);

        void axpyD(double a, double[] x, int s, double[] y, int d, int n);

        /**
         * {@code sum_r sum_{i < n} a[ar[r] + i] * b[br[r] + i]} for {@code r < rows}: the weight gradient's
         * dot products over many rows of one length, accumulated in a fixed order and reduced once.
         */
        float dotRowsF(float[] a, int[] ar, float[] b, int[] br, int rows, int n);

        double dotRowsD(double[] a, int[] ar, double[] b, int[] br, int rows, int n);

        /**
         * The three taps of a kernel row at once: {@code out[j] = sum_r sum_{i < n} a[ar[r] + i] * b[br[r] + i + j * dx]}
         * for {@code j < 3}, each {@code a} element loaded once for the three products; every index in bounds.
         */
        void dotRows3F(float[] a, int[] ar, float[] b, int[] br, int rows, int n, int dx, float[] out);

        void dotRows3D(double[] a, int[] ar, double[] b, int[] br, int rows, int n, int dx, double[] out);

        /**
         * One output row of a stencil, all taps summed in registers before one store: {@code out[o + i] =
         * (acc ? out[o + i] : init) + sum_r sum_j w[wr[r] + j * wstep] * x[xr[r] + j * dx + i]} for
         * {@code i < n}, {@code r < rows}, {@code j < kw}; every index in bounds (the caller passes the interior).
         */
        void stencilF(float[] x, int[] xr, float[] w, int[] wr, int rows, int kw, int dx, int wstep, float init, boolean acc,
                      float[] out, int o, int n);

        void stencilD(double[] x, int[] xr, double[] w, int[] wr, int rows, int kw, int dx, int wstep, double init, boolean acc,
                      double[] out, int o, int n);

        /**
         * Two output rows of a 3x3 stencil over four input rows {@code x0 + k * ld} ({@code k < 4}): output
         * row A ({@code out[oA..]}) from input rows 0-2, B ({@code out[oB..]}) from rows 1-3, kernel row
         * {@code k} at {@code w0 + k * wRow} (taps {@code wstep} apart) applied to the output's k-th input row;
         * each output as {@link #stencilF} with those three rows in order.
         */
        default void stencil3x3TwoRowsF(float[] x, int x0, int ld, int dx, float[] w, int w0, int wRow, int wstep, float init, boolean acc,
                                        float[] out, int oA, int oB, int n) {
            int[] wr = {w0, w0 + wRow, w0 + 2 * wRow};
            stencilF(x, new int[] {x0, x0 + ld, x0 + 2 * ld}, w, wr, 3, 3, dx, wstep, init, acc, out, oA, n);
            stencilF(x, new int[] {x0 + ld, x0 + 2 * ld, x0 + 3 * ld}, w, wr, 3, 3, dx, wstep, init, acc, out, oB, n);
        }

        default void stencil3x3TwoRowsD(double[] x, int x0, int ld, int dx, double[] w, int w0, int wRow, int wstep, double init,
                                        boolean acc, double[] out, int oA, int oB, int n) {
            int[] wr = {w0, w0 + wRow, w0 + 2 * wRow};
            stencilD(x, new int[] {x0, x0 + ld, x0 + 2 * ld}, w, wr, 3, 3, dx, wstep, init, acc, out, oA, n);
            stencilD(x, new int[] {x0 + ld, x0 + 2 * ld, x0 + 3 * ld}, w, wr, 3, 3, dx, wstep, init, acc, out, oB, n);
        }
    }

    static final class ScalarRows implements Rows {
        @Override public void axpyF(float a, float[] x, int s, float[] y, int d, int n) { for (int i = 0; i < n; i++) y[d + i] += a * x[s + i]; }

        @Override public void axpyD(double a, double[] x, int s, double[] y, int d, int n) { for (int i = 0; i < n; i++) y[d + i] += a * x[s + i]; }

        @Override public float dotRowsF(float[] a, int[] ar, float[] b, int[] br, int rows, int n) {
            float acc = 0f;
            for (int r = 0; r < rows; r++)
                for (int i = 0, s = ar[r], d = br[r]; i < n; i++) acc += a[s + i] * b[d + i];
            return acc;
        }

        @Override public double dotRowsD(double[] a, int[] ar, double[] b, int[] br, int rows, int n) {
            double acc = 0.0;
            for (int r = 0; r < rows; r++)
                for (int i = 0, s = ar[r], d = br[r]; i < n; i++) acc += a[s + i] * b[d + i];
            return acc;
        }

        @Override public void dotRows3F(float[] a, int[] ar, float[] b, int[] br, int rows, int n, int dx, float[] out) {
            float s0 = 0f, s1 = 0f, s2 = 0f;
            for (int r = 0; r < rows; r++)
                for (int i = 0, s = ar[r], d = br[r]; i < n; i++) {
                    float v = a[s + i];
                    s0 += v * b[d + i];
                    s1 += v * b[d + i + dx];
                    s2 += v * b[d + i + 2 * dx];
                }
            out[0] = s0;
            out[1] = s1;
            out[2] = s2;
        }

        @Override public void dotRows3D(double[] a, int[] ar, double[] b, int[] br, int rows, int n, int dx, double[] out) {
            double s0 = 0.0, s1 = 0.0, s2 = 0.0;
            for (int r = 0; r < rows; r++)
                for (int i = 0, s = ar[r], d = br[r]; i < n; i++) {
                    double v = a[s + i];
                    s0 += v * b[d + i];
                    s1 += v * b[d + i + dx];
                    s2 += v * b[d + i + 2 * dx];
                }
            out[0] = s0;
            out[1] = s1;
            out[2] = s2;
        }

        @Override public void stencilF(float[] x, int[] xr, float[] w, int[] wr, int rows, int kw, int dx, int wstep, float init,
                                       boolean acc, float[] out, int o, int n) {
            for (int i = 0; i < n; i++) {
                float s = acc ? out[o + i] : init;
                for (int r = 0; r < rows; r++)
                    for (int j = 0; j < kw; j++) s += w[wr[r] + j * wstep] * x[xr[r] + i + j * dx];
                out[o + i] = s;
            }
        }

        @Override public void stencilD(double[] x, int[] xr, double[] w, int[] wr, int rows, int kw, int dx, int wstep, double init,
                                       boolean acc, double[] out, int o, int n) {
            for (int i = 0; i < n; i++) {
                double s = acc ? out[o + i] : init;
                for (int r = 0; r < rows; r++)
                    for (int j = 0; j < kw; j++) s += w[wr[r] + j * wstep] * x[xr[r] + i + j * dx];
                out[o + i] = s;
            }
        }
    }

    static final Rows SCALAR_ROWS = new ScalarRows();

    private static final class VectorHolder {
        static final Rows ROWS;

        static {
            Rows r = null;
            if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
                try {
                    // Reflective so that no Vector API class is linked unless the module is present.
                    r = (Rows) Class.forName("jtorch.kernels.DepthwiseVector").getDeclaredConstructor().newInstance();
                } catch (ReflectiveOperationException | LinkageError e) {
                    LoggerFactory.getLogger(Depthwise.class).warn("jtorch kernels: depthwise convolution uses plain loops: {}", e.toString());
                }
            }
            ROWS = r;
        }
    }

    /** The row loops of the provider in use. */
    static Rows rows() {
        if (Kernels.provider() == KernelProvider.SCALAR) return SCALAR_ROWS;
        Rows v = VectorHolder.ROWS;
        return v != null ? v : SCALAR_ROWS;
    }

    private static int[] imageStrides(StridedArray x) {
        int[] s = x.stridesInternal();
        return s.length == 4 ? s.clone() : new int[] {s[0], s[1], 0, s[2]};
    }

    /** {@code out = conv(x, w) + bias}; x of any strides, w, bias and out contiguous. */
    static void forward(StridedArray x, StridedArray w, StridedArray bias, StridedArray out, ConvKernels.Geometry g) {
        int planes = g.batch * g.outC;
        long perPlane = (long) g.outH * g.outW * g.kh * g.kw;
        int grain = (int) Math.max(1, GRAIN_MACS / Math.max(1, perPlane));
        int[] xs = imageStrides(x);
        int xo = x.storageOffsetInternal(), wo = w.storageOffsetInternal(), oo = out.storageOffsetInternal();
        int bo = bias == null ? 0 : bias.storageOffsetInternal();
        Rows rows = rows();
        boolean stencil = g.sw == 1 && xs[3] == 1;
        if (x.storage().f32() != null) {
            float[] xa = x.storage().f32(), wa = w.storage().f32(), oa = out.storage().f32(), ba = bias == null ? null : bias.storage().f32();
            Parallel.parallelFor(0, planes, grain, (p0, p1) -> {
                for (int p = p0; p < p1; p++) if (stencil) forwardPlaneStencilF(rows, xa, xo, xs, wa, wo, ba, bo, oa, oo, g, p); else forwardPlaneF(rows, xa, xo, xs, wa, wo, ba, bo, oa, oo, g, p);
            });
        } else {
            double[] xa = x.storage().f64(), wa = w.storage().f64(), oa = out.storage().f64(), ba = bias == null ? null : bias.storage().f64();
            Parallel.parallelFor(0, planes, grain, (p0, p1) -> {
                for (int p = p0; p < p1; p++) if (stencil) forwardPlaneStencilD(rows, xa, xo, xs, wa, wo, ba, bo, oa, oo, g, p); else forwardPlaneD(rows, xa, xo, xs, wa, wo, ba, bo, oa, oo, g, p);
            });
        }
    }

    /** {@code gx += conv_transpose(gy, w)}; all contiguous. */
    static void inputGrad(StridedArray gy, StridedArray w, StridedArray gx, ConvKernels.Geometry g) {
        int planes = g.batch * g.inC;
        long perPlane = (long) (g.outC / g.groups) * g.outH * g.outW * g.kh * g.kw;
        int grain = (int) Math.max(1, GRAIN_MACS / Math.max(1, perPlane));
        int gyo = gy.storageOffsetInternal(), wo = w.storageOffsetInternal(), gxo = gx.storageOffsetInternal();
        Rows rows = rows();
        boolean stencil = g.sw == 1;
        if (gy.storage().f32() != null) {
            float[] ya = gy.storage().f32(), wa = w.storage().f32(), xa = gx.storage().f32();
            Parallel.parallelFor(0, planes, grain, (p0, p1) -> {
                for (int p = p0; p < p1; p++) if (stencil) inputGradPlaneStencilF(rows, ya, gyo, wa, wo, xa, gxo, g, p); else inputGradPlaneF(rows, ya, gyo, wa, wo, xa, gxo, g, p);
            });
        } else {
            double[] ya = gy.storage().f64(), wa = w.storage().f64(), xa = gx.storage().f64();
            Parallel.parallelFor(0, planes, grain, (p0, p1) -> {
                for (int p = p0; p < p1; p++) if (stencil) inputGradPlaneStencilD(rows, ya, gyo, wa, wo, xa, gxo, g, p); else inputGradPlaneD(rows, ya, gyo, wa, wo, xa, gxo, g, p);
            });
        }
    }

    /** {@code gw = sum_n gy[n] (x) x[n]}; x of any strides, gy and gw (zero-filled) contiguous. */
    static void weightGrad(StridedArray x, StridedArray gy, StridedArray gw, ConvKernels.Geometry g) {
        long perChannel = (long) g.batch * g.outH * g.outW * g.kh * g.kw;
        int grain = (int) Math.max(1, GRAIN_MACS / Math.max(1, perChannel));
        int[] xs = imageStrides(x);
        int xo = x.storageOffsetInternal(), gyo = gy.storageOffsetInternal(), gwo = gw.storageOffsetInternal();
        Rows rows = rows();
        // Three taps per pass over the gradient rows when the kernel is three wide at unit column stride.
        boolean threeWide = g.kw == 3 && g.sw == 1 && xs[3] == 1;
        if (x.storage().f32() != null) {
            float[] xa = x.storage().f32(), ya = gy.storage().f32(), wa = gw.storage().f32();
            Parallel.parallelFor(0, g.outC, grain, (c0, c1) -> {
                for (int co = c0; co < c1; co++)
                    if (threeWide) weightGradChannel3F(rows, xa, xo, xs, ya, gyo, wa, gwo, g, co);
                    else weightGradChannelF(rows, xa, xo, xs, ya, gyo, wa, gwo, g, co);
            });
        } else {
            double[] xa = x.storage().f64(), ya = gy.storage().f64(), wa = gw.storage().f64();
            Parallel.parallelFor(0, g.outC, grain, (c0, c1) -> {
                for (int co = c0; co < c1; co++)
                    if (threeWide) weightGradChannel3D(rows, xa, xo, xs, ya, gyo, wa, gwo, g, co);
                    else weightGradChannelD(rows, xa, xo, xs, ya, gyo, wa, gwo, g, co);
            });
        }
    }

    /** The columns of {@code [0, width)} outside {@code [lo, hi)}, in order. */
    static int[] borderColumns(int width, int lo, int hi) {
        int[] c = new int[width - (hi - lo)];
        int k = 0;
        for (int i = 0; i < width; i++) if (i < lo || i >= hi) c[k++] = i;
        return c;
    }

    /** Output plane {@code p = n * C_out + co}: bias, then each tap's row updates. */
    static void forwardPlaneF(Rows rows, float[] x, int xo, int[] xs, float[] w, int wo, float[] bias, int bo, float[] out, int oo,
                              ConvKernels.Geometry g, int p) {
        int n = p / g.outC, co = p % g.outC, c = co / (g.outC / g.groups);
        int xb = xo + n * xs[0] + c * xs[1], ob = oo + p * g.outH * g.outW, wb = wo + co * g.kh * g.kw;
        java.util.Arrays.fill(out, ob, ob + g.outH * g.outW, bias == null ? 0f : bias[bo + co]);
        int step = g.sw * xs[3];
        for (int oy = 0; oy < g.outH; oy++) {
            int orow = ob + oy * g.outW;
            for (int ki = 0; ki < g.kh; ki++) {
                int iy = oy * g.sh - g.ph + ki * g.dh;
                if (iy < 0 || iy >= g.inH) continue;
                for (int kj = 0; kj < g.kw; kj++) {
                    int xoff = kj * g.dw - g.pw, lo = ConvKernels.firstInside(xoff, g.sw), hi = ConvKernels.endInside(xoff, g.sw, g.inW, g.outW);
                    if (lo >= hi) continue;
                    float wv = w[wb + ki * g.kw + kj];
                    int src = xb + iy * xs[2] + (lo * g.sw + xoff) * xs[3];
                    if (step == 1) rows.axpyF(wv, x, src, out, orow + lo, hi - lo);
                    else for (int i = orow + lo, e = orow + hi; i < e; i++, src += step) out[i] += wv * x[src];
                }
            }
        }
    }

    /** Input plane {@code p = n * C_in + c}: the taps of its output channels added back, row by row. */
    static void inputGradPlaneF(Rows rows, float[] gy, int gyo, float[] w, int wo, float[] gx, int gxo, ConvKernels.Geometry g, int p) {
        int n = p / g.inC, c = p % g.inC, mult = g.outC / g.groups, l = g.outH * g.outW;
        int gb = gxo + p * g.inH * g.inW;
        for (int j = 0; j < mult; j++) {
            int co = c * mult + j, yb = gyo + (n * g.outC + co) * l, wb = wo + co * g.kh * g.kw;
            for (int oy = 0; oy < g.outH; oy++) {
                int yrow = yb + oy * g.outW;
                for (int ki = 0; ki < g.kh; ki++) {
                    int iy = oy * g.sh - g.ph + ki * g.dh;
                    if (iy < 0 || iy >= g.inH) continue;
                    for (int kj = 0; kj < g.kw; kj++) {
                        int xoff = kj * g.dw - g.pw, lo = ConvKernels.firstInside(xoff, g.sw), hi = ConvKernels.endInside(xoff, g.sw, g.inW, g.outW);
                        if (lo >= hi) continue;
                        float wv = w[wb + ki * g.kw + kj];
                        int dst = gb + iy * g.inW + lo * g.sw + xoff;
                        if (g.sw == 1) rows.axpyF(wv, gy, yrow + lo, gx, dst, hi - lo);
                        else for (int i = yrow + lo, e = yrow + hi; i < e; i++, dst += g.sw) gx[dst] += wv * gy[i];
                    }
                }
            }
        }
    }

    /**
     * Output channel {@code co}'s kh x kw weight gradient: per tap, one {@link Rows#dotRowsF} over the
     * (sample, row) pairs whose image row is inside (the tap's in-image columns are the same on every
     * row), so the sum stays in registers and is reduced once; a channel is one thread's work, so its
     * bits do not depend on the thread count.
     */
    static void weightGradChannelF(Rows rows, float[] x, int xo, int[] xs, float[] gy, int gyo, float[] gw, int gwo, ConvKernels.Geometry g,
                                   int co) {
        int c = co / (g.outC / g.groups), l = g.outH * g.outW, wb = gwo + co * g.kh * g.kw;
        int step = g.sw * xs[3];
        int[] yr = new int[g.batch * g.outH], xr = new int[g.batch * g.outH];
        for (int ki = 0; ki < g.kh; ki++)
            for (int kj = 0; kj < g.kw; kj++) {
                int xoff = kj * g.dw - g.pw, lo = ConvKernels.firstInside(xoff, g.sw), hi = ConvKernels.endInside(xoff, g.sw, g.inW, g.outW);
                if (lo >= hi) continue;
                int len = hi - lo, rs = 0;
                for (int n = 0; n < g.batch; n++) {
                    int xb = xo + n * xs[0] + c * xs[1], yb = gyo + (n * g.outC + co) * l;
                    for (int oy = 0; oy < g.outH; oy++) {
                        int iy = oy * g.sh - g.ph + ki * g.dh;
                        if (iy < 0 || iy >= g.inH) continue;
                        xr[rs] = xb + iy * xs[2] + (lo * g.sw + xoff) * xs[3];
                        yr[rs++] = yb + oy * g.outW + lo;
                    }
                }
                float acc = 0f;
                if (step == 1) acc = rows.dotRowsF(gy, yr, x, xr, rs, len);
                else
                    for (int r = 0; r < rs; r++)
                        for (int i = yr[r], e = yr[r] + len, src = xr[r]; i < e; i++, src += step) acc += gy[i] * x[src];
                gw[wb + ki * g.kw + kj] += acc;
            }
    }

    /**
     * {@link #weightGradChannelF} for kernels three wide at unit column stride: per kernel row, one
     * {@link Rows#dotRows3F} over the (sample, row) pairs whose image row is inside, on the columns
     * where all three taps are inside the image, then each tap's border columns one by one. The
     * reduction order (fixed by the shapes, the same on every thread count): per tap, lane-wise
     * sums of the whole vectors in (sample, row, column) order into two alternating accumulators
     * and of the rows' rests into a third, the three added and their lanes summed in order (see
     * {@code DepthwiseVector.dotRows3F}); then the border products column by column, each over the
     * (sample, row) pairs; the two added, then added to {@code gw}.
     */
    static void weightGradChannel3F(Rows rows, float[] x, int xo, int[] xs, float[] gy, int gyo, float[] gw, int gwo, ConvKernels.Geometry g,
                                    int co) {
        int c = co / (g.outC / g.groups), l = g.outH * g.outW, wb = gwo + co * g.kh * 3;
        int[] yr = new int[g.batch * g.outH], xr = new int[g.batch * g.outH], lo = new int[3], hi = new int[3];
        float[] taps = new float[3];
        int common0 = 0, common1 = g.outW;
        for (int j = 0; j < 3; j++) {
            int xoff = j * g.dw - g.pw;
            lo[j] = ConvKernels.firstInside(xoff, 1);
            hi[j] = Math.max(lo[j], ConvKernels.endInside(xoff, 1, g.inW, g.outW));
            common0 = Math.max(common0, lo[j]);
            common1 = Math.min(common1, hi[j]);
        }
        int n = Math.max(0, common1 - common0);
        for (int ki = 0; ki < g.kh; ki++) {
            int rs = 0;
            for (int b = 0; b < g.batch; b++) {
                int xb = xo + b * xs[0] + c * xs[1], yb = gyo + (b * g.outC + co) * l;
                for (int oy = 0; oy < g.outH; oy++) {
                    int iy = oy * g.sh - g.ph + ki * g.dh;
                    if (iy < 0 || iy >= g.inH) continue;
                    xr[rs] = xb + iy * xs[2] - g.pw; // column 0 of the output against tap 0
                    yr[rs++] = yb + oy * g.outW;
                }
            }
            if (rs == 0) continue;
            taps[0] = taps[1] = taps[2] = 0f;
            if (n > 0) {
                for (int r = 0; r < rs; r++) { yr[r] += common0; xr[r] += common0; }
                rows.dotRows3F(gy, yr, x, xr, rs, n, g.dw, taps);
                for (int r = 0; r < rs; r++) { yr[r] -= common0; xr[r] -= common0; }
            }
            for (int j = 0; j < 3; j++) {
                float border = 0f;
                int d = j * g.dw;
                // Outside the common columns: [lo, common0) and [common1, hi), or all of [lo, hi) when none
                // are common; column by column, each over the rows.
                int end0 = n > 0 ? Math.min(hi[j], common0) : hi[j], start1 = n > 0 ? Math.max(lo[j], common1) : hi[j];
                for (int ox = lo[j] < end0 ? lo[j] : start1; ox < hi[j]; ox = ox + 1 == end0 ? Math.max(ox + 1, start1) : ox + 1)
                    for (int r = 0, e = ox + d; r < rs; r++) border += gy[yr[r] + ox] * x[xr[r] + e];
                gw[wb + ki * 3 + j] += taps[j] + border;
            }
        }
    }

    /** Output plane {@code p = n * C_out + co}: bias, then each tap's row updates. */
    static void forwardPlaneD(Rows rows, double[] x, int xo, int[] xs, double[] w, int wo, double[] bias, int bo, double[] out, int oo,
                              ConvKernels.Geometry g, int p) {
        int n = p / g.outC, co = p % g.outC, c = co / (g.outC / g.groups);
        int xb = xo + n * xs[0] + c * xs[1], ob = oo + p * g.outH * g.outW, wb = wo + co * g.kh * g.kw;
        java.util.Arrays.fill(out, ob, ob + g.outH * g.outW, bias == null ? 0.0 : bias[bo + co]);
        int step = g.sw * xs[3];
        for (int oy = 0; oy < g.outH; oy++) {
            int orow = ob + oy * g.outW;
            for (int ki = 0; ki < g.kh; ki++) {
                int iy = oy * g.sh - g.ph + ki * g.dh;
                if (iy < 0 || iy >= g.inH) continue;
                for (int kj = 0; kj < g.kw; kj++) {
                    int xoff = kj * g.dw - g.pw, lo = ConvKernels.firstInside(xoff, g.sw), hi = ConvKernels.endInside(xoff, g.sw, g.inW, g.outW);
                    if (lo >= hi) continue;
                    double wv = w[wb + ki * g.kw + kj];
                    int src = xb + iy * xs[2] + (lo * g.sw + xoff) * xs[3];
                    if (step == 1) rows.axpyD(wv, x, src, out, orow + lo, hi - lo);
                    else for (int i = orow + lo, e = orow + hi; i < e; i++, src += step) out[i] += wv * x[src];
                }
            }
        }
    }

    /** Input plane {@code p = n * C_in + c}: the taps of its output channels added back, row by row. */
    static void inputGradPlaneD(Rows rows, double[] gy, int gyo, double[] w, int wo, double[] gx, int gxo, ConvKernels.Geometry g, int p) {
        int n = p / g.inC, c = p % g.inC, mult = g.outC / g.groups, l = g.outH * g.outW;
        int gb = gxo + p * g.inH * g.inW;
        for (int j = 0; j < mult; j++) {
            int co = c * mult + j, yb = gyo + (n * g.outC + co) * l, wb = wo + co * g.kh * g.kw;
            for (int oy = 0; oy < g.outH; oy++) {
                int yrow = yb + oy * g.outW;
                for (int ki = 0; ki < g.kh; ki++) {
                    int iy = oy * g.sh - g.ph + ki * g.dh;
                    if (iy < 0 || iy >= g.inH) continue;
                    for (int kj = 0; kj < g.kw; kj++) {
                        int xoff = kj * g.dw - g.pw, lo = ConvKernels.firstInside(xoff, g.sw), hi = ConvKernels.endInside(xoff, g.sw, g.inW, g.outW);
                        if (lo >= hi) continue;
                        double wv = w[wb + ki * g.kw + kj];
                        int dst = gb + iy * g.inW + lo * g.sw + xoff;
                        if (g.sw == 1) rows.axpyD(wv, gy, yrow + lo, gx, dst, hi - lo);
                        else for (int i = yrow + lo, e = yrow + hi; i < e; i++, dst += g.sw) gx[dst] += wv * gy[i];
                    }
                }
            }
        }
    }

    /**
     * Output channel {@code co}'s kh x kw weight gradient: per tap, one {@link Rows#dotRowsD} over the
     * (sample, row) pairs whose image row is inside (the tap's in-image columns are the same on every
     * row), so the sum stays in registers and is reduced once; a channel is one thread's work, so its
     * bits do not depend on the thread count.
     */
    static void weightGradChannelD(Rows rows, double[] x, int xo, int[] xs, double[] gy, int gyo, double[] gw, int gwo, ConvKernels.Geometry g,
                                   int co) {
        int c = co / (g.outC / g.groups), l = g.outH * g.outW, wb = gwo + co * g.kh * g.kw;
        int step = g.sw * xs[3];
        int[] yr = new int[g.batch * g.outH], xr = new int[g.batch * g.outH];
        for (int ki = 0; ki < g.kh; ki++)
            for (int kj = 0; kj < g.kw; kj++) {
                int xoff = kj * g.dw - g.pw, lo = ConvKernels.firstInside(xoff, g.sw), hi = ConvKernels.endInside(xoff, g.sw, g.inW, g.outW);
                if (lo >= hi) continue;
                int len = hi - lo, rs = 0;
                for (int n = 0; n < g.batch; n++) {
                    int xb = xo + n * xs[0] + c * xs[1], yb = gyo + (n * g.outC + co) * l;
                    for (int oy = 0; oy < g.outH; oy++) {
                        int iy = oy * g.sh - g.ph + ki * g.dh;
                        if (iy < 0 || iy >= g.inH) continue;
                        xr[rs] = xb + iy * xs[2] + (lo * g.sw + xoff) * xs[3];
                        yr[rs++] = yb + oy * g.outW + lo;
                    }
                }
                double acc = 0.0;
                if (step == 1) acc = rows.dotRowsD(gy, yr, x, xr, rs, len);
                else
                    for (int r = 0; r < rs; r++)
                        for (int i = yr[r], e = yr[r] + len, src = xr[r]; i < e; i++, src += step) acc += gy[i] * x[src];
                gw[wb + ki * g.kw + kj] += acc;
            }
    }

    /**
     * {@link #weightGradChannelD} for kernels three wide at unit column stride: per kernel row, one
     * {@link Rows#dotRows3D} over the (sample, row) pairs whose image row is inside, on the columns
     * where all three taps are inside the image, then each tap's border columns one by one. The
     * reduction order (fixed by the shapes, the same on every thread count): per tap, lane-wise
     * sums of the whole vectors in (sample, row, column) order into two alternating accumulators
     * and of the rows' rests into a third, the three added and their lanes summed in order (see
     * {@code DepthwiseVector.dotRows3F}); then the border products column by column, each over the
     * (sample, row) pairs; the two added, then added to {@code gw}.
     */
    static void weightGradChannel3D(Rows rows, double[] x, int xo, int[] xs, double[] gy, int gyo, double[] gw, int gwo, ConvKernels.Geometry g,
                                    int co) {
        int c = co / (g.outC / g.groups), l = g.outH * g.outW, wb = gwo + co * g.kh * 3;
        int[] yr = new int[g.batch * g.outH], xr = new int[g.batch * g.outH], lo = new int[3], hi = new int[3];
        double[] taps = new double[3];
        int common0 = 0, common1 = g.outW;
        for (int j = 0; j < 3; j++) {
            int xoff = j * g.dw - g.pw;
            lo[j] = ConvKernels.firstInside(xoff, 1);
            hi[j] = Math.max(lo[j], ConvKernels.endInside(xoff, 1, g.inW, g.outW));
            common0 = Math.max(common0, lo[j]);
            common1 = Math.min(common1, hi[j]);
        }
        int n = Math.max(0, common1 - common0);
        for (int ki = 0; ki < g.kh; ki++) {
            int rs = 0;
            for (int b = 0; b < g.batch; b++) {
                int xb = xo + b * xs[0] + c * xs[1], yb = gyo + (b * g.outC + co) * l;
                for (int oy = 0; oy < g.outH; oy++) {
                    int iy = oy * g.sh - g.ph + ki * g.dh;
                    if (iy < 0 || iy >= g.inH) continue;
                    xr[rs] = xb + iy * xs[2] - g.pw; // column 0 of the output against tap 0
                    yr[rs++] = yb + oy * g.outW;
                }
            }
            if (rs == 0) continue;
            taps[0] = taps[1] = taps[2] = 0.0;
            if (n > 0) {
                for (int r = 0; r < rs; r++) { yr[r] += common0; xr[r] += common0; }
                rows.dotRows3D(gy, yr, x, xr, rs, n, g.dw, taps);
                for (int r = 0; r < rs; r++) { yr[r] -= common0; xr[r] -= common0; }
            }
            for (int j = 0; j < 3; j++) {
                double border = 0.0;
                int d = j * g.dw;
                // Outside the common columns: [lo, common0) and [common1, hi), or all of [lo, hi) when none
                // are common; column by column, each over the rows.
                int end0 = n > 0 ? Math.min(hi[j], common0) : hi[j], start1 = n > 0 ? Math.max(lo[j], common1) : hi[j];
                for (int ox = lo[j] < end0 ? lo[j] : start1; ox < hi[j]; ox = ox + 1 == end0 ? Math.max(ox + 1, start1) : ox + 1)
                    for (int r = 0, e = ox + d; r < rs; r++) border += gy[yr[r] + ox] * x[xr[r] + e];
                gw[wb + ki * 3 + j] += taps[j] + border;
            }
        }
    }

    /** Per-thread buffers of the zero-padded planes, grown on demand and kept. */
    private static final ThreadLocal<float[][]> PAD_F = ThreadLocal.withInitial(() -> new float[1][0]);

    private static float[] padBufferF(int n) {
        float[][] h = PAD_F.get();
        if (h[0].length < n) h[0] = new float[n];
        return h[0];
    }

    /** Whether {@code a[from, from + n)} are all finite (a zero of the padding times each stays zero). */
    static boolean allFiniteF(float[] a, int from, int n) {
        for (int i = from; i < from + n; i++) if (!Float.isFinite(a[i])) return false;
        return true;
    }

    /**
     * The forward plane (unit column stride, finite weights) on a zero-padded copy of the image plane:
     * every output row is then one {@link Rows#stencilF} over the whole row with all kernel rows, no
     * border columns or rows apart. A padding zero times a finite weight is a zero, so the values are
     * those of the taps inside the image (the interior's order of additions: kernel rows, then taps).
     */
    static void forwardPlanePaddedF(Rows rows, float[] x, int xo, int[] xs, float[] w, int wo, float[] bias, int bo, float[] out, int oo,
                                    ConvKernels.Geometry g, int p) {
        int n = p / g.outC, co = p % g.outC, c = co / (g.outC / g.groups);
        int xb = xo + n * xs[0] + c * xs[1], ob = oo + p * g.outH * g.outW, wb = wo + co * g.kh * g.kw;
        float b0 = bias == null ? 0f : bias[bo + co];
        int rowsP = (g.outH - 1) * g.sh + (g.kh - 1) * g.dh + 1, colsP = g.outW + (g.kw - 1) * g.dw;
        float[] pad = padBufferF(rowsP * colsP);
        // Padded column q holds image column q - pw.
        int left = Math.min(g.pw, colsP), copy = Math.max(0, Math.min(g.inW, colsP - g.pw));
        for (int r = 0; r < rowsP; r++) {
            int iy = r - g.ph, d = r * colsP;
            if (iy < 0 || iy >= g.inH) {
                java.util.Arrays.fill(pad, d, d + colsP, 0f);
                continue;
            }
            java.util.Arrays.fill(pad, d, d + left, 0f);
            System.arraycopy(x, xb + iy * xs[2], pad, d + g.pw, copy);
            java.util.Arrays.fill(pad, d + g.pw + copy, d + colsP, 0f);
        }
        int[] xr = new int[g.kh], wr = new int[g.kh];
        for (int ki = 0; ki < g.kh; ki++) wr[ki] = wb + ki * g.kw;
        int oy = 0;
        // 3x3 at unit row stride and dilation: two output rows per pass (they share two input rows).
        if (g.kh == 3 && g.kw == 3 && g.sh == 1 && g.dh == 1)
            for (; oy + 1 < g.outH; oy += 2)
                rows.stencil3x3TwoRowsF(pad, oy * colsP, colsP, g.dw, w, wb, 3, 1, b0, false, out, ob + oy * g.outW, ob + (oy + 1) * g.outW, g.outW);
        for (; oy < g.outH; oy++) {
            for (int ki = 0; ki < g.kh; ki++) xr[ki] = (oy * g.sh + ki * g.dh) * colsP;
            rows.stencilF(pad, xr, w, wr, g.kh, g.kw, g.dw, 1, b0, false, out, ob + oy * g.outW, g.outW);
        }
    }

    /**
     * The input gradient plane (unit strides, finite weights) on a zero-padded copy of each of its
     * output channels' gradient planes: every image row is one {@link Rows#stencilF} (kernel rows
     * in order, each reversed) over the whole row, added to {@code gx}.
     */
    static void inputGradPlanePaddedF(Rows rows, float[] gy, int gyo, float[] w, int wo, float[] gx, int gxo, ConvKernels.Geometry g, int p) {
        int n = p / g.inC, c = p % g.inC, mult = g.outC / g.groups, l = g.outH * g.outW;
        int gb = gxo + p * g.inH * g.inW;
        // Padded row r, column q hold gradient row r + rowMin, column q + colMin.
        int rowMin = g.ph - (g.kh - 1) * g.dh, colMin = g.pw - (g.kw - 1) * g.dw;
        int rowsP = g.inH + (g.kh - 1) * g.dh, colsP = g.inW + (g.kw - 1) * g.dw;
        int q0 = Math.max(0, Math.min(colsP, -colMin)), q1 = Math.max(q0, Math.min(colsP, g.outW - colMin));
        float[] pad = padBufferF(rowsP * colsP);
        int[] xr = new int[g.kh], wr = new int[g.kh];
        for (int j = 0; j < mult; j++) {
            int co = c * mult + j, yb = gyo + (n * g.outC + co) * l, wb = wo + co * g.kh * g.kw;
            for (int r = 0; r < rowsP; r++) {
                int t = r + rowMin, d = r * colsP;
                if (t < 0 || t >= g.outH) {
                    java.util.Arrays.fill(pad, d, d + colsP, 0f);
                    continue;
                }
                java.util.Arrays.fill(pad, d, d + q0, 0f);
                System.arraycopy(gy, yb + t * g.outW + q0 + colMin, pad, d + q0, q1 - q0);
                java.util.Arrays.fill(pad, d + q1, d + colsP, 0f);
            }
            // Kernel rows bottom up, so that the k-th one applies to the k-th padded row from the top.
            for (int k = 0; k < g.kh; k++) wr[k] = wb + (g.kh - 1 - k) * g.kw + g.kw - 1;
            int iy = 0;
            // 3x3 at unit dilation: two image rows per pass (they share two gradient rows).
            if (g.kh == 3 && g.kw == 3 && g.dh == 1)
                for (; iy + 1 < g.inH; iy += 2)
                    rows.stencil3x3TwoRowsF(pad, iy * colsP, colsP, g.dw, w, wr[0], -3, -1, 0f, true, gx, gb + iy * g.inW, gb + (iy + 1) * g.inW, g.inW);
            for (; iy < g.inH; iy++) {
                for (int k = 0; k < g.kh; k++) xr[k] = (iy + k * g.dh) * colsP;
                rows.stencilF(pad, xr, w, wr, g.kh, g.kw, g.dw, -1, 0f, true, gx, gb + iy * g.inW, g.inW);
            }
        }
    }

    /** Per-thread buffers of the zero-padded planes, grown on demand and kept. */
    private static final ThreadLocal<double[][]> PAD_D = ThreadLocal.withInitial(() -> new double[1][0]);

    private static double[] padBufferD(int n) {
        double[][] h = PAD_D.get();
        if (h[0].length < n) h[0] = new double[n];
        return h[0];
    }

    /** Whether {@code a[from, from + n)} are all finite (a zero of the padding times each stays zero). */
    static boolean allFiniteD(double[] a, int from, int n) {
        for (int i = from; i < from + n; i++) if (!Double.isFinite(a[i])) return false;
        return true;
    }

    /**
     * The forward plane (unit column stride, finite weights) on a zero-padded copy of the image plane:
     * every output row is then one {@link Rows#stencilD} over the whole row with all kernel rows, no
     * border columns or rows apart. A padding zero times a finite weight is a zero, so the values are
     * those of the taps inside the image (the interior's order of additions: kernel rows, then taps).
     */
    static void forwardPlanePaddedD(Rows rows, double[] x, int xo, int[] xs, double[] w, int wo, double[] bias, int bo, double[] out, int oo,
                                    ConvKernels.Geometry g, int p) {
        int n = p / g.outC, co = p % g.outC, c = co / (g.outC / g.groups);
        int xb = xo + n * xs[0] + c * xs[1], ob = oo + p * g.outH * g.outW, wb = wo + co * g.kh * g.kw;
        double b0 = bias == null ? 0f : bias[bo + co];
        int rowsP = (g.outH - 1) * g.sh + (g.kh - 1) * g.dh + 1, colsP = g.outW + (g.kw - 1) * g.dw;
        double[] pad = padBufferD(rowsP * colsP);
        // Padded column q holds image column q - pw.
        int left = Math.min(g.pw, colsP), copy = Math.max(0, Math.min(g.inW, colsP - g.pw));
        for (int r = 0; r < rowsP; r++) {
            int iy = r - g.ph, d = r * colsP;
            if (iy < 0 || iy >= g.inH) {
                java.util.Arrays.fill(pad, d, d + colsP, 0.0);
                continue;
            }
            java.util.Arrays.fill(pad, d, d + left, 0.0);
            System.arraycopy(x, xb + iy * xs[2], pad, d + g.pw, copy);
            java.util.Arrays.fill(pad, d + g.pw + copy, d + colsP, 0.0);
        }
        int[] xr = new int[g.kh], wr = new int[g.kh];
        for (int ki = 0; ki < g.kh; ki++) wr[ki] = wb + ki * g.kw;
        int oy = 0;
        // 3x3 at unit row stride and dilation: two output rows per pass (they share two input rows).
        if (g.kh == 3 && g.kw == 3 && g.sh == 1 && g.dh == 1)
            for (; oy + 1 < g.outH; oy += 2)
                rows.stencil3x3TwoRowsD(pad, oy * colsP, colsP, g.dw, w, wb, 3, 1, b0, false, out, ob + oy * g.outW, ob + (oy + 1) * g.outW, g.outW);
        for (; oy < g.outH; oy++) {
            for (int ki = 0; ki < g.kh; ki++) xr[ki] = (oy * g.sh + ki * g.dh) * colsP;
            rows.stencilD(pad, xr, w, wr, g.kh, g.kw, g.dw, 1, b0, false, out, ob + oy * g.outW, g.outW);
        }
    }

    /**
     * The input gradient plane (unit strides, finite weights) on a zero-padded copy of each of its
     * output channels' gradient planes: every image row is one {@link Rows#stencilD} (kernel rows
     * in order, each reversed) over the whole row, added to {@code gx}.
     */
    static void inputGradPlanePaddedD(Rows rows, double[] gy, int gyo, double[] w, int wo, double[] gx, int gxo, ConvKernels.Geometry g, int p) {
        int n = p / g.inC, c = p % g.inC, mult = g.outC / g.groups, l = g.outH * g.outW;
        int gb = gxo + p * g.inH * g.inW;
        // Padded row r, column q hold gradient row r + rowMin, column q + colMin.
        int rowMin = g.ph - (g.kh - 1) * g.dh, colMin = g.pw - (g.kw - 1) * g.dw;
        int rowsP = g.inH + (g.kh - 1) * g.dh, colsP = g.inW + (g.kw - 1) * g.dw;
        int q0 = Math.max(0, Math.min(colsP, -colMin)), q1 = Math.max(q0, Math.min(colsP, g.outW - colMin));
        double[] pad = padBufferD(rowsP * colsP);
        int[] xr = new int[g.kh], wr = new int[g.kh];
        for (int j = 0; j < mult; j++) {
            int co = c * mult + j, yb = gyo + (n * g.outC + co) * l, wb = wo + co * g.kh * g.kw;
            for (int r = 0; r < rowsP; r++) {
                int t = r + rowMin, d = r * colsP;
                if (t < 0 || t >= g.outH) {
                    java.util.Arrays.fill(pad, d, d + colsP, 0.0);
                    continue;
                }
                java.util.Arrays.fill(pad, d, d + q0, 0.0);
                System.arraycopy(gy, yb + t * g.outW + q0 + colMin, pad, d + q0, q1 - q0);
                java.util.Arrays.fill(pad, d + q1, d + colsP, 0.0);
            }
            // Kernel rows bottom up, so that the k-th one applies to the k-th padded row from the top.
            for (int k = 0; k < g.kh; k++) wr[k] = wb + (g.kh - 1 - k) * g.kw + g.kw - 1;
            int iy = 0;
            // 3x3 at unit dilation: two image rows per pass (they share two gradient rows).
            if (g.kh == 3 && g.kw == 3 && g.dh == 1)
                for (; iy + 1 < g.inH; iy += 2)
                    rows.stencil3x3TwoRowsD(pad, iy * colsP, colsP, g.dw, w, wr[0], -3, -1, 0.0, true, gx, gb + iy * g.inW, gb + (iy + 1) * g.inW, g.inW);
            for (; iy < g.inH; iy++) {
                for (int k = 0; k < g.kh; k++) xr[k] = (iy + k * g.dh) * colsP;
                rows.stencilD(pad, xr, w, wr, g.kh, g.kw, g.dw, -1, 0.0, true, gx, gb + iy * g.inW, g.inW);
            }
        }
    }

    /**
     * The forward plane at unit column stride: per output row, the interior columns (every tap inside
     * the image) as one {@link Rows#stencilF} call that keeps the sum in registers, the border columns
     * one by one with their bounds checks.
     */
    static void forwardPlaneStencilF(Rows rows, float[] x, int xo, int[] xs, float[] w, int wo, float[] bias, int bo, float[] out, int oo,
                                     ConvKernels.Geometry g, int p) {
        int n = p / g.outC, co = p % g.outC, c = co / (g.outC / g.groups);
        int xb = xo + n * xs[0] + c * xs[1], ob = oo + p * g.outH * g.outW, wb = wo + co * g.kh * g.kw;
        if (rows != SCALAR_ROWS && allFiniteF(w, wb, g.kh * g.kw)) {
            forwardPlanePaddedF(rows, x, xo, xs, w, wo, bias, bo, out, oo, g, p);
            return;
        }
        float b0 = bias == null ? 0f : bias[bo + co];
        int lo = Math.min(g.pw, g.outW), hi = Math.max(lo, Math.min(g.outW, g.inW + g.pw - (g.kw - 1) * g.dw));
        int[] xr = new int[g.kh], wr = new int[g.kh], rowAt = new int[g.kh];
        // The border columns and, for each, its taps [tapLo, tapHi) inside the image.
        int[] border = borderColumns(g.outW, lo, hi), tapLo = new int[border.length], tapHi = new int[border.length];
        for (int b = 0; b < border.length; b++) {
            int ix0 = border[b] - g.pw;
            tapLo[b] = ix0 >= 0 ? 0 : Math.min(g.kw, (-ix0 + g.dw - 1) / g.dw);
            tapHi[b] = Math.max(tapLo[b], Math.min(g.kw, ix0 >= g.inW ? 0 : (g.inW - 1 - ix0) / g.dw + 1));
        }
        for (int oy = 0; oy < g.outH; oy++) {
            int orow = ob + oy * g.outW, rs = 0;
            for (int ki = 0; ki < g.kh; ki++) {
                int iy = oy * g.sh - g.ph + ki * g.dh;
                if (iy < 0 || iy >= g.inH) continue;
                rowAt[rs] = xb + iy * xs[2];
                xr[rs] = rowAt[rs] + lo - g.pw;
                wr[rs++] = wb + ki * g.kw;
            }
            if (hi > lo) rows.stencilF(x, xr, w, wr, rs, g.kw, g.dw, 1, b0, false, out, orow + lo, hi - lo);
            for (int b = 0; b < border.length; b++) {
                int ox = border[b], j0 = tapLo[b], j1 = tapHi[b], ix0 = ox - g.pw;
                float sum = b0;
                for (int r = 0; r < rs; r++)
                    for (int kj = j0; kj < j1; kj++) sum += w[wr[r] + kj] * x[rowAt[r] + ix0 + kj * g.dw];
                out[orow + ox] = sum;
            }
        }
    }

    /**
     * The input gradient plane at unit column stride, as a gather: {@code gx[iy][ix] += sum w[ki][kj] *
     * gy[(iy + ph - ki*dh) / sh][ix + pw - kj*dw]} over the taps whose gradient row exists (divisible
     * by the row stride, inside); the interior columns through {@link Rows#stencilF} with the kernel
     * row reversed, the border columns one by one.
     */
    static void inputGradPlaneStencilF(Rows rows, float[] gy, int gyo, float[] w, int wo, float[] gx, int gxo, ConvKernels.Geometry g, int p) {
        int n = p / g.inC, c = p % g.inC, mult = g.outC / g.groups, l = g.outH * g.outW;
        if (g.sh == 1 && rows != SCALAR_ROWS && allFiniteF(w, wo + c * mult * g.kh * g.kw, mult * g.kh * g.kw)) {
            inputGradPlanePaddedF(rows, gy, gyo, w, wo, gx, gxo, g, p);
            return;
        }
        int gb = gxo + p * g.inH * g.inW, ext = (g.kw - 1) * g.dw;
        int lo = Math.max(0, Math.min(g.inW, ext - g.pw)), hi = Math.max(lo, Math.min(g.inW, g.outW - g.pw));
        int[] xr = new int[g.kh], wr = new int[g.kh], rowAt = new int[g.kh], wrow = new int[g.kh];
        // The border columns and, for each, its taps [tapLo, tapHi) whose gradient column exists.
        int[] border = borderColumns(g.inW, lo, hi), tapLo = new int[border.length], tapHi = new int[border.length];
        for (int b = 0; b < border.length; b++) {
            int ox0 = border[b] + g.pw; // the gradient column of tap 0; tap kj's is ox0 - kj * dw
            tapLo[b] = ox0 < g.outW ? 0 : Math.min(g.kw, (ox0 - g.outW) / g.dw + 1);
            tapHi[b] = Math.max(tapLo[b], Math.min(g.kw, ox0 / g.dw + 1));
        }
        for (int j = 0; j < mult; j++) {
            int co = c * mult + j, yb = gyo + (n * g.outC + co) * l, wb = wo + co * g.kh * g.kw;
            for (int iy = 0; iy < g.inH; iy++) {
                int grow = gb + iy * g.inW, rs = 0;
                for (int ki = 0; ki < g.kh; ki++) {
                    int t = iy + g.ph - ki * g.dh;
                    if (t < 0 || t % g.sh != 0 || t / g.sh >= g.outH) continue;
                    rowAt[rs] = yb + (t / g.sh) * g.outW;
                    xr[rs] = rowAt[rs] + lo + g.pw - ext;
                    wrow[rs] = wb + ki * g.kw;
                    wr[rs++] = wb + ki * g.kw + g.kw - 1;
                }
                if (rs == 0) continue;
                if (hi > lo) rows.stencilF(gy, xr, w, wr, rs, g.kw, g.dw, -1, 0f, true, gx, grow + lo, hi - lo);
                for (int b = 0; b < border.length; b++) {
                    int ix = border[b], j0 = tapLo[b], j1 = tapHi[b], ox0 = ix + g.pw;
                    float sum = 0f;
                    for (int r = 0; r < rs; r++)
                        for (int kj = j0; kj < j1; kj++) sum += w[wrow[r] + kj] * gy[rowAt[r] + ox0 - kj * g.dw];
                    gx[grow + ix] += sum;
                }
            }
        }
    }

    /**
     * The forward plane at unit column stride: per output row, the interior columns (every tap inside
     * the image) as one {@link Rows#stencilD} call that keeps the sum in registers, the border columns
     * one by one with their bounds checks.
     */
    static void forwardPlaneStencilD(Rows rows, double[] x, int xo, int[] xs, double[] w, int wo, double[] bias, int bo, double[] out, int oo,
                                     ConvKernels.Geometry g, int p) {
        int n = p / g.outC, co = p % g.outC, c = co / (g.outC / g.groups);
        int xb = xo + n * xs[0] + c * xs[1], ob = oo + p * g.outH * g.outW, wb = wo + co * g.kh * g.kw;
        if (rows != SCALAR_ROWS && allFiniteD(w, wb, g.kh * g.kw)) {
            forwardPlanePaddedD(rows, x, xo, xs, w, wo, bias, bo, out, oo, g, p);
            return;
        }
        double b0 = bias == null ? 0.0 : bias[bo + co];
        int lo = Math.min(g.pw, g.outW), hi = Math.max(lo, Math.min(g.outW, g.inW + g.pw - (g.kw - 1) * g.dw));
        int[] xr = new int[g.kh], wr = new int[g.kh], rowAt = new int[g.kh];
        // The border columns and, for each, its taps [tapLo, tapHi) inside the image.
        int[] border = borderColumns(g.outW, lo, hi), tapLo = new int[border.length], tapHi = new int[border.length];
        for (int b = 0; b < border.length; b++) {
            int ix0 = border[b] - g.pw;
            tapLo[b] = ix0 >= 0 ? 0 : Math.min(g.kw, (-ix0 + g.dw - 1) / g.dw);
            tapHi[b] = Math.max(tapLo[b], Math.min(g.kw, ix0 >= g.inW ? 0 : (g.inW - 1 - ix0) / g.dw + 1));
        }
        for (int oy = 0; oy < g.outH; oy++) {
            int orow = ob + oy * g.outW, rs = 0;
            for (int ki = 0; ki < g.kh; ki++) {
                int iy = oy * g.sh - g.ph + ki * g.dh;
                if (iy < 0 || iy >= g.inH) continue;
                rowAt[rs] = xb + iy * xs[2];
                xr[rs] = rowAt[rs] + lo - g.pw;
                wr[rs++] = wb + ki * g.kw;
            }
            if (hi > lo) rows.stencilD(x, xr, w, wr, rs, g.kw, g.dw, 1, b0, false, out, orow + lo, hi - lo);
            for (int b = 0; b < border.length; b++) {
                int ox = border[b], j0 = tapLo[b], j1 = tapHi[b], ix0 = ox - g.pw;
                double sum = b0;
                for (int r = 0; r < rs; r++)
                    for (int kj = j0; kj < j1; kj++) sum += w[wr[r] + kj] * x[rowAt[r] + ix0 + kj * g.dw];
                out[orow + ox] = sum;
            }
        }
    }

    /**
     * The input gradient plane at unit column stride, as a gather: {@code gx[iy][ix] += sum w[ki][kj] *
     * gy[(iy + ph - ki*dh) / sh][ix + pw - kj*dw]} over the taps whose gradient row exists (divisible
     * by the row stride, inside); the interior columns through {@link Rows#stencilD} with the kernel
     * row reversed, the border columns one by one.
     */
    static void inputGradPlaneStencilD(Rows rows, double[] gy, int gyo, double[] w, int wo, double[] gx, int gxo, ConvKernels.Geometry g, int p) {
        int n = p / g.inC, c = p % g.inC, mult = g.outC / g.groups, l = g.outH * g.outW;
        if (g.sh == 1 && rows != SCALAR_ROWS && allFiniteD(w, wo + c * mult * g.kh * g.kw, mult * g.kh * g.kw)) {
            inputGradPlanePaddedD(rows, gy, gyo, w, wo, gx, gxo, g, p);
            return;
        }
        int gb = gxo + p * g.inH * g.inW, ext = (g.kw - 1) * g.dw;
        int lo = Math.max(0, Math.min(g.inW, ext - g.pw)), hi = Math.max(lo, Math.min(g.inW, g.outW - g.pw));
        int[] xr = new int[g.kh], wr = new int[g.kh], rowAt = new int[g.kh], wrow = new int[g.kh];
        // The border columns and, for each, its taps [tapLo, tapHi) whose gradient column exists.
        int[] border = borderColumns(g.inW, lo, hi), tapLo = new int[border.length], tapHi = new int[border.length];
        for (int b = 0; b < border.length; b++) {
            int ox0 = border[b] + g.pw; // the gradient column of tap 0; tap kj's is ox0 - kj * dw
            tapLo[b] = ox0 < g.outW ? 0 : Math.min(g.kw, (ox0 - g.outW) / g.dw + 1);
            tapHi[b] = Math.max(tapLo[b], Math.min(g.kw, ox0 / g.dw + 1));
        }
        for (int j = 0; j < mult; j++) {
            int co = c * mult + j, yb = gyo + (n * g.outC + co) * l, wb = wo + co * g.kh * g.kw;
            for (int iy = 0; iy < g.inH; iy++) {
                int grow = gb + iy * g.inW, rs = 0;
                for (int ki = 0; ki < g.kh; ki++) {
                    int t = iy + g.ph - ki * g.dh;
                    if (t < 0 || t % g.sh != 0 || t / g.sh >= g.outH) continue;
                    rowAt[rs] = yb + (t / g.sh) * g.outW;
                    xr[rs] = rowAt[rs] + lo + g.pw - ext;
                    wrow[rs] = wb + ki * g.kw;
                    wr[rs++] = wb + ki * g.kw + g.kw - 1;
                }
                if (rs == 0) continue;
                if (hi > lo) rows.stencilD(gy, xr, w, wr, rs, g.kw, g.dw, -1, 0.0, true, gx, grow + lo, hi - lo);
                for (int b = 0; b < border.length; b++) {
                    int ix = border[b], j0 = tapLo[b], j1 = tapHi[b], ox0 = ix + g.pw;
                    double sum = 0.0;
                    for (int r = 0; r < rs; r++)
                        for (int kj = j0; kj < j1; kj++) sum += w[wrow[r] + kj] * gy[rowAt[r] + ox0 - kj * g.dw];
                    gx[grow + ix] += sum;
                }
            }
        }
    }
}
