package jtorch.kernels;

import java.util.Arrays;

import org.slf4j.LoggerFactory;

/**
 * Direct float32 convolution for few channels on small images (LeNet's layers: 6 -> 16 channels,
 * 5x5 kernel, 14x14 -> 10x10), where the thin GEMMs of {@link ConvKernels} (the input gradient's
 * is 150 x 2176 x 16, its reduction dimension 16) and their panel packing cost more than the
 * products. Each sample is copied once into zero-padded {@code Hp x Wp} planes ({@code X}); its
 * output positions are read "wide", as {@code P = (OH-1)*Wp + OW} consecutive positions of the
 * padded plane, so that every kernel tap {@code t = (c, ky, kx)} reads the run {@code X[off(t) + p]}
 * in place ({@code off(t) = c*Hp*Wp + ky*dh*Wp + kx*dw}); the {@code Wp - OW} positions at the end
 * of each output row are not outputs (the forward drops them, the gradients put 0 there). The
 * register tiles ({@link Tiles}: the Vector API's, or plain loops under {@link KernelProvider#SCALAR}
 * or without {@code jdk.incubator.vector}) then run
 * <ul>
 * <li>forward: {@code Y[o][p] = b[o] + sum_t w[o][t] X[off(t) + p]}, 4 output channels x 3 vectors of positions;
 * <li>input gradient: {@code XG[off(t) + p] += sum_o w[o][t] G[o][p]}, 4 taps x 3 vectors summed over the
 *     output channels in registers ({@code G} the wide output gradient), then added into the padded
 *     gradient planes, tap after tap;
 * <li>weight gradient: {@code gw[o][t] += sum_p G[o][p] X[off(t) + p]}, 4 channels x 3 taps, in vector
 *     lanes over the positions and the samples of a range, the lanes reduced in order at the range's end.
 * </ul>
 * Stride 1, one group, any padding and dilation. Work is split over samples for the forward and the
 * input gradient, and over {@link #WEIGHT_GRAD_RANGES} fixed ranges of samples (each its own partial
 * sum, added in range order) for the weight gradient: the bits do not depend on the thread count.
 * Non-finite values, which times a non-output position's 0 would give NaN where the definition has
 * none, are kept out: the input gradient is left to {@link ConvKernels} when the weight is not
 * finite, and the weight gradient of a sample holding an infinite or NaN pixel is summed over its
 * output positions only.
 *
 * <pre>{@code
 * if (SmallConv.applies(g, x)) SmallConv.forward(x, w, bias, out, g);
 * }</pre>
 */
final class SmallConv {
    private SmallConv() {}

    /** At most this many output channels. */
    static final int MAX_OUT_CHANNELS = 32;
    /** At most this many taps ({@code C_in * kh * kw}). */
    static final int MAX_TAPS = 256;
    /** At most this many elements in one sample's padded planes (64 KiB of float32: the buffers stay in L2). */
    static final int MAX_PLANE_ELEMENTS = 1 << 14;
    /** Fixed ranges of samples of the weight gradient's sum (as {@link ConvKernels#WEIGHT_GRAD_RANGES}). */
    static final int WEIGHT_GRAD_RANGES = 8;
    /** Multiply-adds below which a chunk of samples stays on the calling thread. */
    private static final long GRAIN_MACS = 1L << 18;

    /**
     * When false, {@link #applies} is false: tests, and benchmarks of the GEMM path on the same shapes
     * ({@code -Djtorch.kernels.smallConv=false}).
     */
    static volatile boolean enabled = !"false".equals(System.getProperty("jtorch.kernels.smallConv"));

    /**
     * Whether the convolution runs here: float32, one group, stride 1, at most {@link
     * #MAX_OUT_CHANNELS} output channels and {@link #MAX_TAPS} taps, a sample's padded planes at
     * most {@link #MAX_PLANE_ELEMENTS}, where it {@linkplain #paysOff pays off}. Depends on the geometry,
     * the dtype and the provider in use.
     */
    static boolean applies(ConvKernels.Geometry g, StridedArray x) {
        return enabled && paysOff(VectorHolder.TILES != null, Kernels.provider()) && x.storage().f32() != null && g.groups == 1 && g.sh == 1 && g.sw == 1 && g.outC <= MAX_OUT_CHANNELS
                && (long) g.inC * g.kh * g.kw <= MAX_TAPS && (long) g.inC * (g.inH + 2L * g.ph) * (g.inW + 2L * g.pw) <= MAX_PLANE_ELEMENTS
                && g.outH > 0 && g.outW > 0;
    }

    /**
     * Whether this path beats the GEMM path of {@code provider}: its plain-loop tiles are about ten times
     * slower than its vector tiles (LeNet's modern step: 0.5 s instead of 45 ms when the JVM ran without
     * {@code --add-modules jdk.incubator.vector}), so without the Vector API a GEMM provider (OpenBLAS)
     * keeps the convolution; under {@link KernelProvider#SCALAR} every path is plain loops.
     */
    static boolean paysOff(boolean vectorTiles, KernelProvider provider) {
        return vectorTiles || provider == KernelProvider.SCALAR;
    }

    /** {@link #applies} and a finite weight (its products with the non-output positions' zeros stay 0). */
    static boolean appliesToInputGrad(ConvKernels.Geometry g, StridedArray gy, StridedArray w) {
        if (!applies(g, gy)) return false;
        int k = g.inC * g.kh * g.kw, wo = w.storageOffsetInternal();
        return ConvKernels.allFiniteF(w.storage().f32(), wo, wo + g.outC * k);
    }

    /**
     * The register tiles over one sample's wide buffers; {@code pv} (positions rounded up to whole
     * vectors) is a multiple of {@link #lanes()}, every row of {@code y}, {@code g} is {@code pv} long,
     * and {@code x}, {@code xg} hold at least {@code max(off) + pv} elements.
     */
    interface Tiles {
        /** Positions per vector: the length {@code pv} is rounded up to, and the lanes of the weight gradient's sums. */
        int lanes();

        /** {@code y[o*pv + p] = (bias == null ? 0 : bias[bo + o]) + sum_t w[wo + o*k + t] * x[off[t] + p]}. */
        void forwardF(float[] x, int[] off, int k, float[] w, int wo, float[] bias, int bo, int outC, float[] y, int pv);

        /** {@code xg[off[t] + p] += sum_o w[wo + o*k + t] * g[o*pv + p]}, in an order fixed by the shapes. */
        void inputGradF(float[] g, int pv, int outC, float[] w, int wo, int k, int[] off, float[] xg);

        /**
         * {@code sums[t*oc + o] += sum_{q < positions} gt[q*oc + o] * x[at[q] + off[t]]}, {@code oc} the
         * output channels rounded up to whole vectors ({@code gt}'s rows hold 0 past {@code outC}).
         */
        void weightGradF(float[] gt, int positions, int oc, float[] x, int[] at, int[] off, int k, float[] sums);
    }

    static final class ScalarTiles implements Tiles {
        @Override public int lanes() { return 1; }

        @Override public void forwardF(float[] x, int[] off, int k, float[] w, int wo, float[] bias, int bo, int outC, float[] y, int pv) {
            for (int o = 0; o < outC; o++) {
                float b = bias == null ? 0f : bias[bo + o];
                int yo = o * pv;
                Arrays.fill(y, yo, yo + pv, b);
                for (int t = 0; t < k; t++) {
                    float a = w[wo + o * k + t];
                    for (int p = 0, s = off[t]; p < pv; p++) y[yo + p] += a * x[s + p];
                }
            }
        }

        @Override public void inputGradF(float[] g, int pv, int outC, float[] w, int wo, int k, int[] off, float[] xg) {
            for (int t = 0; t < k; t++)
                for (int p = 0, d = off[t]; p < pv; p++) {
                    float acc = 0f;
                    for (int o = 0; o < outC; o++) acc += w[wo + o * k + t] * g[o * pv + p];
                    xg[d + p] += acc;
                }
        }

        @Override public void weightGradF(float[] gt, int positions, int oc, float[] x, int[] at, int[] off, int k, float[] sums) {
            for (int t = 0; t < k; t++)
                for (int o = 0; o < oc; o++) {
                    float acc = 0f;
                    for (int q = 0, s = off[t]; q < positions; q++) acc += gt[q * oc + o] * x[at[q] + s];
                    sums[t * oc + o] += acc;
                }
        }
    }

    static final Tiles SCALAR_TILES = new ScalarTiles();

    private static final class VectorHolder {
        static final Tiles TILES;

        static {
            Tiles t = null;
            if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
                try {
                    // Reflective so that no Vector API class is linked unless the module is present.
                    t = (Tiles) Class.forName("jtorch.kernels.SmallConvVector").getDeclaredConstructor().newInstance();
                } catch (ReflectiveOperationException | LinkageError e) {
                    LoggerFactory.getLogger(SmallConv.class).warn("jtorch kernels: small convolutions use plain loops: {}", e.toString());
                }
            }
            TILES = t;
        }
    }

    /** The tiles of the provider in use. */
    static Tiles tiles() {
        if (Kernels.provider() == KernelProvider.SCALAR) return SCALAR_TILES;
        Tiles v = VectorHolder.TILES;
        return v != null ? v : SCALAR_TILES;
    }

    /** Per-thread buffers, grown on demand and kept. */
    private static final class Buffers {
        float[] x, g, y;
        int[] off;

        float[] x(int n) { return x != null && x.length >= n ? x : (x = new float[n]); }
        float[] g(int n) { return g != null && g.length >= n ? g : (g = new float[n]); }
        float[] y(int n) { return y != null && y.length >= n ? y : (y = new float[n]); }
    }

    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

    /** The layout of one geometry's wide buffers for tiles of {@code lanes} positions per vector. */
    private static final class Layout {
        final int wp, plane, planes, pv, k, len;
        final int[] off;

        Layout(ConvKernels.Geometry g, int lanes) {
            wp = g.inW + 2 * g.pw;
            plane = (g.inH + 2 * g.ph) * wp;
            planes = g.inC * plane;
            int wide = (g.outH - 1) * wp + g.outW;
            pv = (wide + lanes - 1) / lanes * lanes;
            k = g.inC * g.kh * g.kw;
            off = new int[k];
            for (int c = 0, t = 0; c < g.inC; c++)
                for (int ky = 0; ky < g.kh; ky++)
                    for (int kx = 0; kx < g.kw; kx++) off[t++] = c * plane + ky * g.dh * wp + kx * g.dw;
            // The last tap's run may reach pv - 1 positions past the last output: zeros there.
            len = planes + pv;
        }
    }

    /** {@code off[t] + base} for every tap, in the thread's buffer. */
    private static int[] shifted(int[] off, int base, Buffers b) {
        int[] r = b.off != null && b.off.length == off.length ? b.off : (b.off = new int[off.length]);
        for (int t = 0; t < off.length; t++) r[t] = off[t] + base;
        return r;
    }

    /** Whether a sample's planes ({@code xs}) are already the layout {@code lay} reads: unpadded, contiguous. */
    private static boolean readsInPlace(ConvKernels.Geometry g, int[] xs, Layout lay) {
        return g.ph == 0 && g.pw == 0 && xs[3] == 1 && (g.inH == 1 || xs[2] == g.inW) && (g.inC == 1 || xs[1] == lay.plane);
    }

    private static int[] imageStrides(StridedArray x) {
        int[] s = x.stridesInternal();
        return s.length == 4 ? s.clone() : new int[] {s[0], s[1], 0, s[2]};
    }

    /** Copies sample planes ({@code x} at {@code xb}, any strides) into {@code pad} zero-padded, zeros to {@code lay.len}. */
    private static void padF(float[] x, int xb, int[] xs, ConvKernels.Geometry g, Layout lay, float[] pad) {
        Arrays.fill(pad, 0, lay.len, 0f);
        for (int c = 0; c < g.inC; c++)
            for (int y = 0; y < g.inH; y++) {
                int src = xb + c * xs[1] + y * xs[2], dst = c * lay.plane + (y + g.ph) * lay.wp + g.pw;
                if (xs[3] == 1) System.arraycopy(x, src, pad, dst, g.inW);
                else for (int j = 0; j < g.inW; j++, src += xs[3]) pad[dst + j] = x[src];
            }
    }

    /** Copies sample planes into {@code pad} at {@code at}, zero-padded ({@link Layout#planes} elements, no slack). */
    private static void padPlanesF(float[] x, int xb, int[] xs, ConvKernels.Geometry g, Layout lay, float[] pad, int at) {
        if (g.ph > 0 || g.pw > 0) Arrays.fill(pad, at, at + lay.planes, 0f);
        for (int c = 0; c < g.inC; c++)
            for (int y = 0; y < g.inH; y++) {
                int src = xb + c * xs[1] + y * xs[2], dst = at + c * lay.plane + (y + g.ph) * lay.wp + g.pw;
                if (xs[3] == 1) System.arraycopy(x, src, pad, dst, g.inW);
                else for (int j = 0; j < g.inW; j++, src += xs[3]) pad[dst + j] = x[src];
            }
    }

    /** One sample's output gradient (contiguous, at {@code gb}) as wide rows of {@code pv}, 0 at the non-output positions. */
    private static void wideGradF(float[] gy, int gb, ConvKernels.Geometry g, Layout lay, float[] into) {
        Arrays.fill(into, 0, g.outC * lay.pv, 0f);
        int l = g.outH * g.outW;
        for (int o = 0; o < g.outC; o++)
            for (int oy = 0; oy < g.outH; oy++) System.arraycopy(gy, gb + o * l + oy * g.outW, into, o * lay.pv + oy * lay.wp, g.outW);
    }

    private static int grain(ConvKernels.Geometry g, Layout lay) {
        return (int) Math.max(1, GRAIN_MACS / Math.max(1L, (long) g.outC * lay.k * lay.pv));
    }

    /** {@code out = conv(x, w) + bias}: as {@link ConvKernels#forward}, where {@link #applies}. */
    static void forward(StridedArray x, StridedArray w, StridedArray bias, StridedArray out, ConvKernels.Geometry g) {
        Tiles tiles = tiles();
        Layout lay = new Layout(g, tiles.lanes());
        int[] xs = imageStrides(x);
        int xo = x.storageOffsetInternal(), wo = w.storageOffsetInternal(), oo = out.storageOffsetInternal();
        int bo = bias == null ? 0 : bias.storageOffsetInternal();
        float[] xa = x.storage().f32(), wa = w.storage().f32(), oa = out.storage().f32(), ba = bias == null ? null : bias.storage().f32();
        int l = g.outH * g.outW;
        boolean inPlace = readsInPlace(g, xs, lay);
        Parallel.parallelFor(0, g.batch, grain(g, lay), (n0, n1) -> {
            Buffers b = BUFFERS.get();
            float[] pad = b.x(lay.len), y = b.y(g.outC * lay.pv);
            for (int n = n0; n < n1; n++) {
                int xb = xo + n * xs[0];
                // Unpadded contiguous planes are the padded layout already: read them in place (the
                // runs past the last output reach at most pv - wide elements into the next sample,
                // only for the dropped positions); the last sample of the array is copied.
                if (inPlace && xb + lay.len <= xa.length) {
                    tiles.forwardF(xa, shifted(lay.off, xb, b), lay.k, wa, wo, ba, bo, g.outC, y, lay.pv);
                } else {
                    padF(xa, xb, xs, g, lay, pad);
                    tiles.forwardF(pad, lay.off, lay.k, wa, wo, ba, bo, g.outC, y, lay.pv);
                }
                for (int o = 0; o < g.outC; o++)
                    for (int oy = 0; oy < g.outH; oy++)
                        System.arraycopy(y, o * lay.pv + oy * lay.wp, oa, oo + (n * g.outC + o) * l + oy * g.outW, g.outW);
            }
        });
    }

    /** {@code gx += conv_transpose(gy, w)}: as {@link ConvKernels#inputGrad}, where {@link #appliesToInputGrad}. */
    static void inputGrad(StridedArray gy, StridedArray w, StridedArray gx, ConvKernels.Geometry g) {
        Tiles tiles = tiles();
        Layout lay = new Layout(g, tiles.lanes());
        int gyo = gy.storageOffsetInternal(), wo = w.storageOffsetInternal(), gxo = gx.storageOffsetInternal();
        float[] ya = gy.storage().f32(), wa = w.storage().f32(), xa = gx.storage().f32();
        int l = g.outH * g.outW, image = g.inH * g.inW;
        // Unpadded planes whose wide rows end exactly at the last output (pv == wide: no run past
        // the sample's planes, which another thread may be adding to) are the padded layout of gx
        // itself: the tiles add into it in place, the same additions in the same order as into a
        // zeroed buffer added to a zero-filled gx.
        boolean inPlace = g.ph == 0 && g.pw == 0 && lay.pv == (g.outH - 1) * lay.wp + g.outW;
        Parallel.parallelFor(0, g.batch, grain(g, lay), (n0, n1) -> {
            Buffers b = BUFFERS.get();
            float[] grads = b.g(g.outC * lay.pv), xg = b.x(lay.len);
            for (int n = n0; n < n1; n++) {
                wideGradF(ya, gyo + n * g.outC * l, g, lay, grads);
                if (inPlace) {
                    tiles.inputGradF(grads, lay.pv, g.outC, wa, wo, lay.k, shifted(lay.off, gxo + n * g.inC * image, b), xa);
                    continue;
                }
                Arrays.fill(xg, 0, lay.len, 0f);
                tiles.inputGradF(grads, lay.pv, g.outC, wa, wo, lay.k, lay.off, xg);
                for (int c = 0; c < g.inC; c++)
                    for (int iy = 0; iy < g.inH; iy++) {
                        int src = c * lay.plane + (iy + g.ph) * lay.wp + g.pw, dst = gxo + (n * g.inC + c) * image + iy * g.inW;
                        for (int j = 0; j < g.inW; j++) xa[dst + j] += xg[src + j];
                    }
            }
        });
    }

    /** Samples whose planes and output gradients one weight-gradient call of the tiles takes. */
    static final int WEIGHT_GRAD_CHUNK = 8;

    /** {@code gw = sum_n gy[n] (x) x[n]}: as {@link ConvKernels#weightGrad} ({@code gw} zero-filled), where {@link #applies}. */
    static void weightGrad(StridedArray x, StridedArray gy, StridedArray gw, ConvKernels.Geometry g) {
        // Over the output positions only (no wide rows: no 0 * inf), the output channels in vector lanes.
        Tiles tiles = tiles();
        Layout lay = new Layout(g, 1);
        int lanes = tiles.lanes(), oc = (g.outC + lanes - 1) / lanes * lanes, l = g.outH * g.outW, size = g.outC * lay.k;
        int[] xs = imageStrides(x);
        int xo = x.storageOffsetInternal(), gyo = gy.storageOffsetInternal(), gwo = gw.storageOffsetInternal();
        float[] xa = x.storage().f32(), ya = gy.storage().f32(), wa = gw.storage().f32();
        int ranges = Math.min(WEIGHT_GRAD_RANGES, g.batch), chunk = Math.min(WEIGHT_GRAD_CHUNK, (g.batch + ranges - 1) / ranges);
        int[] at = new int[chunk * l];
        for (int i = 0, q = 0; i < chunk; i++)
            for (int oy = 0; oy < g.outH; oy++)
                for (int ox = 0; ox < g.outW; ox++) at[q++] = i * lay.planes + oy * lay.wp + ox;
        float[][] partial = new float[ranges][];
        Parallel.parallelFor(0, ranges, Math.max(1, grain(g, lay) * ranges / g.batch), (r0, r1) -> {
            Buffers b = BUFFERS.get();
            float[] pad = b.x(chunk * lay.planes), gt = b.g(chunk * l * oc);
            for (int r = r0; r < r1; r++) {
                int s0 = (int) ((long) r * g.batch / ranges), s1 = (int) ((long) (r + 1) * g.batch / ranges);
                float[] sums = new float[lay.k * oc];
                for (int c0 = s0; c0 < s1; c0 += chunk) {
                    int ns = Math.min(chunk, s1 - c0);
                    Arrays.fill(gt, 0, ns * l * oc, 0f);
                    for (int i = 0; i < ns; i++) {
                        padPlanesF(xa, xo + (c0 + i) * xs[0], xs, g, lay, pad, i * lay.planes);
                        int gb = gyo + (c0 + i) * g.outC * l;
                        for (int o = 0; o < g.outC; o++)
                            for (int q = 0; q < l; q++) gt[(i * l + q) * oc + o] = ya[gb + o * l + q];
                    }
                    tiles.weightGradF(gt, ns * l, oc, pad, at, lay.off, lay.k, sums);
                }
                float[] into = partial[r] = new float[size];
                for (int o = 0; o < g.outC; o++)
                    for (int t = 0; t < lay.k; t++) into[o * lay.k + t] = sums[t * oc + o];
            }
        });
        for (int r = 0; r < ranges; r++)
            for (int i = 0; i < size; i++) wa[gwo + i] += partial[r][i];
    }
}
