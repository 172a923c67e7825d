package jtorch.kernels;

import java.util.Random;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterTry;
import org.junit.jupiter.api.Test;

import jtorch.DType;
import jtorch.Props;
import jtorch.Tensor;
import jtorch.Torch;
import jtorch.internal.TensorInternals;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static jtorch.internal.TensorInternals.strided;

/**
 * {@link SmallConv} (reached through {@link ConvKernels}, as the op calls it) against direct loops
 * in double ({@link ConvKernelsTest#direct}): forward with and without bias, input gradient and
 * weight gradient, on every provider, at 1 and 2 threads (which must give the same bits), on
 * geometries it takes: channel counts that fill the 4 x 3 register tiles and leave every
 * remainder, padding, dilation, output sizes cut below the natural one, every image layout, and
 * batches that split into several weight-gradient ranges. Float32 within 1e-4 (1 + |expected|).
 */
class SmallConvTest {
    @AfterTry
    void restore() { Torch.setNumThreads(1); }

    @Property(seed = Props.SEED, tries = 60)
    void smallConvolutionsMatchDirectLoops(@ForAll long seed) {
        Random r = new Random(seed);
        int n = 1 + r.nextInt(12), cin = 1 + r.nextInt(8), cout = 1 + r.nextInt(20);
        int h = 1 + r.nextInt(16), w = 1 + r.nextInt(16), kh = 1 + r.nextInt(5), kw = 1 + r.nextInt(5);
        int ph = r.nextInt(3), pw = r.nextInt(3), dh = 1 + (r.nextInt(3) == 0 ? 1 : 0), dw = 1 + (r.nextInt(3) == 0 ? 1 : 0);
        int oh = h + 2 * ph - dh * (kh - 1), ow = w + 2 * pw - dw * (kw - 1);
        if (oh < 1 || ow < 1) return;
        if (oh > 1 && r.nextInt(4) == 0) oh--;
        if (ow > 1 && r.nextInt(4) == 0) ow--;
        ConvKernels.Geometry g = new ConvKernels.Geometry(n, cin, h, w, cout, 1, kh, kw, 1, 1, ph, pw, dh, dw, oh, ow);
        Props.Layout layout = Props.Layout.values()[r.nextInt(3)];
        boolean withBias = r.nextBoolean();
        assertMatchesDirectLoops(g, layout, withBias, seed);
    }

    /**
     * Unpadded contiguous planes, which the forward reads in place (all samples but the array's
     * last) and, where the wide rows end at the last output ({@code (OH-1)*W + OW} a whole number
     * of vectors), the input gradient adds into in place: output widths cut so that this happens.
     */
    @Property(seed = Props.SEED, tries = 30)
    void unpaddedPlanesReadAndAddedInPlaceMatchDirectLoops(@ForAll long seed) {
        Random r = new Random(seed);
        int n = 1 + r.nextInt(12), cin = 1 + r.nextInt(8), cout = 1 + r.nextInt(20);
        int h = 2 + r.nextInt(15), w = 2 + r.nextInt(15), kh = 1 + r.nextInt(Math.min(5, h)), kw = 1 + r.nextInt(Math.min(5, w));
        int dh = 1, dw = r.nextInt(4) == 0 && w > 2 * (kw - 1) ? 2 : 1;
        int oh = h - dh * (kh - 1), ow = w - dw * (kw - 1);
        int lanes = 16, spill = ((oh - 1) * w + ow) % lanes; // 16: a whole number of vectors of 4, 8 and 16 lanes
        if (r.nextInt(4) != 0 && ow - spill >= 1) ow -= spill;
        ConvKernels.Geometry g = new ConvKernels.Geometry(n, cin, h, w, cout, 1, kh, kw, 1, 1, 0, 0, dh, dw, oh, ow);
        assertMatchesDirectLoops(g, Props.Layout.CONTIGUOUS, r.nextBoolean(), seed);
    }

    private static void assertMatchesDirectLoops(ConvKernels.Geometry g, Props.Layout layout, boolean withBias, long seed) {
        int n = g.batch, cin = g.inC, cout = g.outC, h = g.inH, w = g.inW, kh = g.kh, kw = g.kw, oh = g.outH, ow = g.outW;
        String at = "n=" + n + " C " + cin + "->" + cout + " " + h + "x" + w + " -> " + oh + "x" + ow + " k=" + kh + "x" + kw + " p=" + g.ph + ","
                + g.pw + " d=" + g.dh + "," + g.dw + " " + layout + (withBias ? " bias" : "") + " seed=" + seed;
        int[] xShape = {n, cin, h, w}, wShape = {cout, cin, kh, kw}, yShape = {n, cout, oh, ow};
        Props.Values values = new Props.Values(seed);
        DType dtype = DType.FLOAT32;
        Tensor x = Props.tensor(xShape, layout, dtype, values, Props.Domain.ANY);
        Tensor wt = Props.tensor(wShape, Props.Layout.CONTIGUOUS, dtype, values, Props.Domain.ANY);
        Tensor b = withBias ? Props.tensor(new int[] {cout}, Props.Layout.CONTIGUOUS, dtype, values, Props.Domain.ANY) : null;
        Tensor gy = Props.tensor(yShape, Props.Layout.CONTIGUOUS, dtype, values, Props.Domain.ANY);
        assertTrue(SmallConv.applies(g, strided(x)) && SmallConv.appliesToInputGrad(g, strided(gy), strided(wt)), "not a small convolution: " + at);
        double[][] expected = ConvKernelsTest.direct(g, x.toDoubleArray(), wt.toDoubleArray(), withBias ? b.toDoubleArray() : new double[cout],
                gy.toDoubleArray());
        double[][] oneThread = new double[3][];
        EveryProvider.onOneAndTwoThreads((p, threads) -> {
            Tensor out = TensorInternals.allocate(dtype, yShape), gx = TensorInternals.allocate(dtype, xShape), gw = TensorInternals.allocate(dtype, wShape);
            ConvKernels.forward(strided(x), strided(wt), strided(b), strided(out), g);
            ConvKernels.inputGrad(strided(gy), strided(wt), strided(gx), g);
            ConvKernels.weightGrad(strided(x), strided(gy), strided(gw), g);
            String where = p + " " + threads + " threads " + at;
            ConvKernelsTest.assertClose(expected[0], out, dtype, where + ": forward");
            ConvKernelsTest.assertClose(expected[1], gx, dtype, where + ": input gradient");
            ConvKernelsTest.assertClose(expected[2], gw, dtype, where + ": weight gradient");
            ConvKernelsTest.sameBitsOnBothThreadCounts(oneThread, threads, p + " " + at, out, gx, gw);
        });
    }

    /** LeNet's two layers (full tiles, wide rows of 136 and 892 positions) at batches that fill every weight-gradient range, on 2 threads. */
    @Property(seed = Props.SEED, tries = 4)
    void lenetLayersMatchDirectLoops(@ForAll long seed) {
        Random r = new Random(seed);
        boolean second = r.nextBoolean();
        int n = 9 + r.nextInt(8);
        ConvKernels.Geometry g = second
                ? new ConvKernels.Geometry(n, 6, 14, 14, 16, 1, 5, 5, 1, 1, 0, 0, 1, 1, 10, 10)
                : new ConvKernels.Geometry(n, 1, 28, 28, 6, 1, 5, 5, 1, 1, 2, 2, 1, 1, 28, 28);
        int[] xShape = {n, g.inC, g.inH, g.inW}, wShape = {g.outC, g.inC, 5, 5}, yShape = {n, g.outC, g.outH, g.outW};
        Props.Values values = new Props.Values(seed);
        DType dtype = DType.FLOAT32;
        Tensor x = Props.tensor(xShape, Props.Layout.CONTIGUOUS, dtype, values, Props.Domain.ANY);
        Tensor wt = Props.tensor(wShape, Props.Layout.CONTIGUOUS, dtype, values, Props.Domain.ANY);
        Tensor b = Props.tensor(new int[] {g.outC}, Props.Layout.CONTIGUOUS, dtype, values, Props.Domain.ANY);
        Tensor gy = Props.tensor(yShape, Props.Layout.CONTIGUOUS, dtype, values, Props.Domain.ANY);
        assertTrue(SmallConv.applies(g, strided(x)));
        double[][] expected = ConvKernelsTest.direct(g, x.toDoubleArray(), wt.toDoubleArray(), b.toDoubleArray(), gy.toDoubleArray());
        for (KernelProvider p : KernelProvider.values()) {
            if (!Kernels.isAvailable(p)) continue;
            Tensor out = TensorInternals.allocate(dtype, yShape), gx = TensorInternals.allocate(dtype, xShape), gw = TensorInternals.allocate(dtype, wShape);
            try (Kernels.Scope s = Kernels.use(p)) {
                Torch.setNumThreads(2);
                ConvKernels.forward(strided(x), strided(wt), strided(b), strided(out), g);
                ConvKernels.inputGrad(strided(gy), strided(wt), strided(gx), g);
                ConvKernels.weightGrad(strided(x), strided(gy), strided(gw), g);
            }
            String where = p + " n=" + n + (second ? " conv 2" : " conv 1");
            ConvKernelsTest.assertClose(expected[0], out, dtype, where + ": forward");
            ConvKernelsTest.assertClose(expected[1], gx, dtype, where + ": input gradient");
            ConvKernelsTest.assertClose(expected[2], gw, dtype, where + ": weight gradient");
        }
    }

    /** Without the Vector API the plain-loop tiles lose to OpenBLAS's GEMM: only the scalar provider keeps them then. */
    @Test
    void plainLoopTilesOnlyUnderTheScalarProvider() {
        for (KernelProvider p : KernelProvider.values()) {
            assertTrue(SmallConv.paysOff(true, p), p + " with vector tiles");
            assertEquals(p == KernelProvider.SCALAR, SmallConv.paysOff(false, p), p + " without vector tiles");
        }
    }
}
