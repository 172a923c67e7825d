package jtorch.kernels;

import java.util.Random;

import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterTry;

import jtorch.DType;
import jtorch.Props;
import jtorch.Tensor;
import jtorch.Torch;
import jtorch.internal.TensorInternals;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static jtorch.internal.TensorInternals.strided;

/**
 * {@link ConvKernels} against direct loops (in double) on random geometries: forward with bias,
 * input gradient and weight gradient, on every provider, float32 and float64, with images of
 * every layout of {@link Props.Layout}, output sizes cut below the natural one (what output
 * padding at or above the stride leaves), one or two threads, and panels of 1 to 32 positions as
 * well as the automatic length, so that panels start and end in the middle of output rows.
 * Float64 agrees within 1e-12, float32 within 1e-4 (sums of at most a few hundred products).
 */
class ConvKernelsTest {
    /** One geometry with its data layout and panel length, drawn from a seed. */
    record Case(ConvKernels.Geometry g, Props.Layout layout, int tile, int threads, int samples, int taps, long seed) {
        static Case of(long seed) {
            Random r = new Random(seed);
            int groups = 1 + r.nextInt(3), cinG = 1 + r.nextInt(3), coutG = 1 + r.nextInt(3);
            if (r.nextInt(4) == 0) { cinG = 1; groups = 1 + r.nextInt(5); }
            int n = 1 + r.nextInt(3), h = 1 + r.nextInt(9), w = 1 + r.nextInt(11);
            int kh = 1 + r.nextInt(Math.min(h, 3)), kw = 1 + r.nextInt(Math.min(w, 4));
            int sh = 1 + r.nextInt(3), sw = 1 + r.nextInt(3), dh = 1, dw = 1 + r.nextInt(2);
            if (r.nextInt(3) == 0) { kh = 1; kw = 1; sh = 1; sw = 1; } // the pointwise path
            int ph = r.nextInt(3), pw = r.nextInt(3);
            if (kh == 1 && kw == 1 && sh == 1 && sw == 1 && r.nextBoolean()) { ph = 0; pw = 0; }
            int oh = Math.max(0, (h + 2 * ph - dh * (kh - 1) - 1) / sh + 1), ow = Math.max(0, (w + 2 * pw - dw * (kw - 1) - 1) / sw + 1);
            if (oh > 1 && r.nextInt(4) == 0) oh--;
            if (ow > 1 && r.nextInt(4) == 0) ow--;
            int[] tiles = {0, 0, 1, 3, 5, 7, 32};
            ConvKernels.Geometry g = new ConvKernels.Geometry(n, groups * cinG, h, w, groups * coutG, groups, kh, kw, sh, sw, ph, pw, dh, dw,
                    Math.max(oh, 1), Math.max(ow, 1));
            Props.Layout layout = Props.Layout.values()[r.nextInt(3)];
            int tile = tiles[r.nextInt(tiles.length)], threads = 1 + r.nextInt(2);
            // Panels of several whole samples (0: the automatic count, 1 sample for such small batches).
            int[] samples = {0, 0, 1, 2, 3};
            int sampleCount = tile == 0 ? samples[r.nextInt(samples.length)] : 0;
            // The per-tap GEMMs forced on (every provider), off, or by the automatic rule (off for so few channels).
            int taps = r.nextInt(3) - 1;
            return new Case(g, layout, tile, threads, sampleCount, taps, seed);
        }

        boolean valid() { return g.inH + 2 * g.ph >= g.dh * (g.kh - 1) + 1 && g.inW + 2 * g.pw >= g.dw * (g.kw - 1) + 1; }

        @Override public String toString() {
            return "n=" + g.batch + " C " + g.inC + "->" + g.outC + " groups=" + g.groups + " " + g.inH + "x" + g.inW + " -> " + g.outH + "x"
                    + g.outW + " k=" + g.kh + "x" + g.kw + " s=" + g.sh + "," + g.sw + " p=" + g.ph + "," + g.pw + " d=" + g.dh + "," + g.dw
                    + " " + layout + " tile=" + tile + " threads=" + threads + " samples=" + samples + " taps=" + taps + " seed=" + seed;
        }
    }

    @AfterTry
    void restore() {
        ConvKernels.tileOverride = 0;
        ConvKernels.samplesOverride = 0;
        ConvKernels.tapsOverride = 0;
        Torch.setNumThreads(1);
    }

    @Property(seed = Props.SEED, tries = 150)
    void kernelsMatchDirectLoops(@ForAll long seed) {
        Case c = Case.of(seed);
        if (!c.valid()) return;
        ConvKernels.Geometry g = c.g();
        int cinG = g.inC / g.groups;
        int[] xShape = {g.batch, g.inC, g.inH, g.inW}, wShape = {g.outC, cinG, g.kh, g.kw}, yShape = {g.batch, g.outC, g.outH, g.outW};
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            Props.Values values = new Props.Values(seed);
            Tensor x = Props.tensor(xShape, c.layout(), dtype, values, Props.Domain.ANY);
            Tensor w = Props.tensor(wShape, Props.Layout.CONTIGUOUS, dtype, values, Props.Domain.ANY);
            Tensor b = Props.tensor(new int[] {g.outC}, Props.Layout.CONTIGUOUS, dtype, values, Props.Domain.ANY);
            Tensor gy = Props.tensor(yShape, Props.Layout.CONTIGUOUS, dtype, values, Props.Domain.ANY);
            double[] xv = x.toDoubleArray(), wv = w.toDoubleArray(), bv = b.toDoubleArray(), gyv = gy.toDoubleArray();
            double[][] expected = direct(g, xv, wv, bv, gyv);
            for (KernelProvider p : KernelProvider.values()) {
                if (!Kernels.isAvailable(p)) continue;
                Tensor out = TensorInternals.allocate(dtype, yShape), gx = TensorInternals.allocate(dtype, xShape), gw = TensorInternals.allocate(dtype, wShape);
                try (Kernels.Scope s = Kernels.use(p)) {
                    ConvKernels.tileOverride = c.tile();
                    ConvKernels.samplesOverride = c.samples();
                    ConvKernels.tapsOverride = c.taps();
                    Torch.setNumThreads(c.threads());
                    ConvKernels.forward(strided(x), strided(w), strided(b), strided(out), g);
                    ConvKernels.inputGrad(strided(gy), strided(w), strided(gx), g);
                    ConvKernels.weightGrad(strided(x), strided(gy), strided(gw), g);
                } finally {
                    ConvKernels.tileOverride = 0;
                    ConvKernels.samplesOverride = 0;
                    ConvKernels.tapsOverride = 0;
                }
                String at = p + " " + dtype + " " + c;
                assertClose(expected[0], out, dtype, at + ": forward");
                assertClose(expected[1], gx, dtype, at + ": input gradient");
                assertClose(expected[2], gw, dtype, at + ": weight gradient");
            }
        }
    }

    /**
     * Batches large enough to be split over threads (and, for small images, panels of several
     * samples with the automatic count): forward and both gradients agree with the direct loops,
     * and 2 threads give the same bits as 1 (the weight gradient's reduction runs in fixed ranges).
     */
    @Property(seed = Props.SEED, tries = 25)
    void twoThreadsGiveTheBitsOfOne(@ForAll long seed) {
        Random r = new Random(seed);
        int n = 4 + r.nextInt(9), cin = 1 + r.nextInt(8), cout = 2 + r.nextInt(12), h = 6 + r.nextInt(15), w = 6 + r.nextInt(15);
        int kk = r.nextBoolean() ? 3 : 5, pad = r.nextInt(3);
        int taps = r.nextInt(2);  // 1: the per-tap GEMMs forced on
        int oh = h + 2 * pad - kk + 1, ow = w + 2 * pad - kk + 1;
        ConvKernels.Geometry g = new ConvKernels.Geometry(n, cin, h, w, cout, 1, kk, kk, 1, 1, pad, pad, 1, 1, oh, ow);
        String at = "n=" + n + " C " + cin + "->" + cout + " " + h + "x" + w + " k" + kk + " p" + pad + " taps=" + taps + " seed=" + seed;
        int[] xShape = {n, cin, h, w}, wShape = {cout, cin, kk, kk}, yShape = {n, cout, oh, ow};
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            Props.Values values = new Props.Values(seed);
            Tensor x = Props.tensor(xShape, Props.Layout.CONTIGUOUS, dtype, values, Props.Domain.ANY);
            Tensor wt = Props.tensor(wShape, Props.Layout.CONTIGUOUS, dtype, values, Props.Domain.ANY);
            Tensor b = Props.tensor(new int[] {cout}, Props.Layout.CONTIGUOUS, dtype, values, Props.Domain.ANY);
            Tensor gy = Props.tensor(yShape, Props.Layout.CONTIGUOUS, dtype, values, Props.Domain.ANY);
            double[][] expected = direct(g, x.toDoubleArray(), wt.toDoubleArray(), b.toDoubleArray(), gy.toDoubleArray());
            double[][] oneThread = new double[3][];
            EveryProvider.onOneAndTwoThreads((p, threads) -> {
                Tensor out = TensorInternals.allocate(dtype, yShape), gx = TensorInternals.allocate(dtype, xShape), gw = TensorInternals.allocate(dtype, wShape);
                try {
                    ConvKernels.tapsOverride = taps;
                    ConvKernels.forward(strided(x), strided(wt), strided(b), strided(out), g);
                    ConvKernels.inputGrad(strided(gy), strided(wt), strided(gx), g);
                    ConvKernels.weightGrad(strided(x), strided(gy), strided(gw), g);
                } finally {
                    ConvKernels.tapsOverride = 0;
                }
                String where = p + " " + dtype + " " + threads + " threads " + at;
                assertClose(expected[0], out, dtype, where + ": forward");
                assertClose(expected[1], gx, dtype, where + ": input gradient");
                assertClose(expected[2], gw, dtype, where + ": weight gradient");
                sameBitsOnBothThreadCounts(oneThread, threads, p + " " + dtype + " " + at, out, gx, gw);
            });
        }
    }

    /**
     * On one thread, keeps the forward and both gradients in {@code oneThread}; on two, checks that
     * they have the same bits (the runs of {@link EveryProvider#onOneAndTwoThreads}, one provider after another).
     */
    static void sameBitsOnBothThreadCounts(double[][] oneThread, int threads, String at, Tensor out, Tensor gx, Tensor gw) {
        Tensor[] results = {out, gx, gw};
        String[] what = {"forward", "input gradient", "weight gradient"};
        for (int i = 0; i < 3; i++) {
            if (threads == 1) oneThread[i] = results[i].toDoubleArray();
            else assertArrayEquals(oneThread[i], results[i].toDoubleArray(), at + ": " + what[i] + " differs between 1 and 2 threads");
        }
    }

    /**
     * Panels of several stride-1 samples compute over "wide" rows whose non-output positions pair
     * image pixels with 0 output gradients (and weights with 0 gradients): an infinite pixel or
     * weight must reach only the elements the definition gives it, not turn 0 * inf into NaN
     * elsewhere. The same for the per-tap GEMMs over phase planes (whose input gradient falls
     * back to the panels for an infinite weight).
     */
    @Example
    void infinitePixelsAndWeightsStayWhereTheDefinitionPutsThem() {
        for (int pad = 0; pad <= 1; pad++) {
            ConvKernels.Geometry g = new ConvKernels.Geometry(8, 3, 8, 8, 4, 1, 3, 3, 1, 1, pad, pad, 1, 1, 6 + 2 * pad, 6 + 2 * pad);
            int[] xShape = {8, 3, 8, 8}, wShape = {4, 3, 3, 3}, yShape = {8, 4, g.outH, g.outW};
            for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
                Props.Values values = new Props.Values(Long.parseLong(Props.SEED) + pad);
                double[] xv = Props.tensor(xShape, Props.Layout.CONTIGUOUS, dtype, values, Props.Domain.ANY).toDoubleArray();
                double[] wv = Props.tensor(wShape, Props.Layout.CONTIGUOUS, dtype, values, Props.Domain.ANY).toDoubleArray();
                double[] gv = Props.tensor(yShape, Props.Layout.CONTIGUOUS, dtype, values, Props.Domain.ANY).toDoubleArray();
                xv[((5 * 3 + 1) * 8 + 4) * 8 + 7] = Double.POSITIVE_INFINITY;   // last column: under non-output positions of kernel column 0
                // An infinite weight only without padding: the padding's zeros times it are NaN on
                // every path (as in PyTorch's im2col), where the definition skips the padding.
                if (pad == 0) wv[((2 * 3 + 0) * 3 + 1) * 3 + 2] = Double.NEGATIVE_INFINITY;
                Tensor x = of(xv, xShape, dtype), wt = of(wv, wShape, dtype), gy = of(gv, yShape, dtype);
                Tensor b = Torch.zeros(new long[] {4}, dtype);
                double[][] expected = direct(g, x.toDoubleArray(), wt.toDoubleArray(), new double[4], gy.toDoubleArray());
                for (KernelProvider p : KernelProvider.values()) {
                    if (!Kernels.isAvailable(p)) continue;
                    for (int samples : new int[] {0, 3, -1}) {
                        Tensor out = TensorInternals.allocate(dtype, yShape), gx = TensorInternals.allocate(dtype, xShape), gw = TensorInternals.allocate(dtype, wShape);
                        try (Kernels.Scope s = Kernels.use(p)) {
                            // samples -1: one GEMM per tap over wide rows of phase planes instead
                            ConvKernels.samplesOverride = Math.max(0, samples);
                            ConvKernels.tapsOverride = samples < 0 ? 1 : 0;
                            ConvKernels.forward(strided(x), strided(wt), strided(b), strided(out), g);
                            ConvKernels.inputGrad(strided(gy), strided(wt), strided(gx), g);
                            ConvKernels.weightGrad(strided(x), strided(gy), strided(gw), g);
                        } finally {
                            ConvKernels.samplesOverride = 0;
                            ConvKernels.tapsOverride = 0;
                        }
                        String at = p + " " + dtype + " pad " + pad + " samples " + samples;
                        assertSameNonFinite(expected[0], out, dtype, true, at + ": forward");
                        assertSameNonFinite(expected[1], gx, dtype, pad == 0, at + ": input gradient");
                        assertSameNonFinite(expected[2], gw, dtype, true, at + ": weight gradient");
                    }
                }
            }
        }
    }

    /**
     * The per-tap rule: on for a ResNet-style 3x3 layer at stride 1 and 2 on the native GEMM, off
     * with few channels, for 1x1 stride-1 kernels, on the Java GEMMs unless forced, and off even
     * when forced where strides past the image would make the phase planes far larger than it.
     */
    @Example
    void perTapPathWhereItPays() {
        int[] xs = {64 * 56 * 56, 56 * 56, 56, 1};
        ConvKernels.Geometry s1 = new ConvKernels.Geometry(8, 64, 56, 56, 64, 1, 3, 3, 1, 1, 1, 1, 1, 1, 56, 56);
        ConvKernels.Geometry s2 = new ConvKernels.Geometry(8, 64, 56, 56, 128, 1, 3, 3, 2, 2, 1, 1, 1, 1, 28, 28);
        ConvKernels.Geometry few = new ConvKernels.Geometry(8, 16, 56, 56, 64, 1, 3, 3, 1, 1, 1, 1, 1, 1, 56, 56);
        ConvKernels.Geometry pointwise = new ConvKernels.Geometry(8, 64, 56, 56, 64, 1, 1, 1, 1, 1, 0, 0, 1, 1, 56, 56);
        ConvKernels.Geometry farStride = new ConvKernels.Geometry(1, 64, 5, 5, 64, 1, 3, 3, 1000, 1000, 0, 0, 1, 1, 1, 1);
        assertTrue(ConvKernels.usesTaps(s1, xs, true) && ConvKernels.usesTaps(s2, xs, true));
        assertTrue(!ConvKernels.usesTaps(s1, xs, false) && !ConvKernels.usesTaps(few, xs, true) && !ConvKernels.usesTaps(pointwise, xs, true));
        assertTrue(!ConvKernels.usesTaps(farStride, new int[] {64 * 25, 25, 5, 1}, true));
        ConvKernels.tapsOverride = 1;
        try {
            assertTrue(ConvKernels.usesTaps(few, xs, false) && !ConvKernels.usesTaps(farStride, new int[] {64 * 25, 25, 5, 1}, false));
        } finally {
            ConvKernels.tapsOverride = 0;
        }
    }

    static Tensor of(double[] values, int[] shape, DType dtype) {
        long[] size = new long[shape.length];
        for (int i = 0; i < shape.length; i++) size[i] = shape[i];
        return Torch.tensor(values, dtype).view(size);
    }

    /**
     * Non-finite elements where and as expected (NaN, +inf, -inf), the others within {@link
     * #assertClose}'s bound; not all elements non-finite, and some if {@code someNonFinite}.
     */
    static void assertSameNonFinite(double[] expected, Tensor actual, DType dtype, boolean someNonFinite, String what) {
        double[] a = actual.toDoubleArray();
        double tol = dtype == DType.FLOAT64 ? 1e-12 : 1e-4;
        int nonFinite = 0;
        for (int i = 0; i < a.length; i++) {
            if (!Double.isFinite(expected[i])) {
                nonFinite++;
                assertTrue(Double.compare(a[i], expected[i]) == 0, what + ": element " + i + " expected " + expected[i] + " got " + a[i]);
            } else {
                assertTrue(Math.abs(a[i] - expected[i]) <= tol * (1 + Math.abs(expected[i])),
                        what + ": element " + i + " expected " + expected[i] + " got " + a[i]);
            }
        }
        assertTrue((nonFinite > 0 || !someNonFinite) && nonFinite < a.length, what + ": " + nonFinite + " non-finite elements, expected some but not all");
    }

    static void assertClose(double[] expected, Tensor actual, DType dtype, String what) {
        double[] a = actual.toDoubleArray();
        assertTrue(a.length == expected.length, what + ": size");
        double tol = dtype == DType.FLOAT64 ? 1e-12 : 1e-4;
        for (int i = 0; i < a.length; i++)
            assertTrue(Math.abs(a[i] - expected[i]) <= tol * (1 + Math.abs(expected[i])),
                    what + ": element " + i + " expected " + expected[i] + " got " + a[i]);
    }

    /** Forward (with bias), input gradient and weight gradient by the definition, one multiply-add at a time. */
    static double[][] direct(ConvKernels.Geometry g, double[] x, double[] w, double[] b, double[] gy) {
        int cinG = g.inC / g.groups, coutG = g.outC / g.groups;
        double[] out = new double[g.batch * g.outC * g.outH * g.outW], gx = new double[x.length], gw = new double[w.length];
        for (int n = 0; n < g.batch; n++)
            for (int co = 0; co < g.outC; co++)
                for (int oy = 0; oy < g.outH; oy++)
                    for (int ox = 0; ox < g.outW; ox++) {
                        int o = ((n * g.outC + co) * g.outH + oy) * g.outW + ox;
                        double acc = b[co];
                        for (int c = 0; c < cinG; c++)
                            for (int ki = 0; ki < g.kh; ki++)
                                for (int kj = 0; kj < g.kw; kj++) {
                                    int iy = oy * g.sh - g.ph + ki * g.dh, ix = ox * g.sw - g.pw + kj * g.dw;
                                    if (iy < 0 || iy >= g.inH || ix < 0 || ix >= g.inW) continue;
                                    int xi = ((n * g.inC + co / coutG * cinG + c) * g.inH + iy) * g.inW + ix;
                                    int wi = ((co * cinG + c) * g.kh + ki) * g.kw + kj;
                                    acc += x[xi] * w[wi];
                                    gx[xi] += gy[o] * w[wi];
                                    gw[wi] += gy[o] * x[xi];
                                }
                        out[o] = acc;
                    }
        return new double[][] {out, gx, gw};
    }
}
