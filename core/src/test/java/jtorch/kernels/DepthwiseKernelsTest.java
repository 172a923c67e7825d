package jtorch.kernels;

import java.util.Random;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterTry;

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
 * {@link Depthwise}'s kernels (forward with bias, input gradient, weight gradient) against
 * {@link ConvKernelsTest#direct} at realistic widths: images 1 to 60 wide (56 and odd widths, so
 * that the vector rows have tails and the interior can be empty), kernels 1 to 5 wide, stride 1
 * and 2, dilation 1 and 2, padding 0 to 3, channel multipliers 1 and 2, on every provider, float32
 * and float64, contiguous and strided images, one and two threads. The weight gradient must have
 * the same bits on one and two threads (its partial sums are added in a fixed order). A second
 * property runs three-wide kernels at unit stride (the three-taps-per-pass weight gradient and the
 * zero-padded forward and input gradient) at widths around the vector lengths, and a third one puts
 * an infinity into the weights, the image or the gradient: padding must never turn it into NaN.
 */
class DepthwiseKernelsTest {
    record Case(ConvKernels.Geometry g, Props.Layout layout, long seed) {
        static Case of(long seed) {
            Random r = new Random(seed);
            int[] widths = {56, 57, 13, 29, 33, 7, 60, 1 + r.nextInt(60)};
            int c = 1 + r.nextInt(4), mult = 1 + (r.nextInt(3) == 0 ? 1 : 0), n = 1 + r.nextInt(2);
            int w = widths[r.nextInt(widths.length)], h = 1 + r.nextInt(r.nextBoolean() ? 6 : 20);
            int kh = 1 + r.nextInt(Math.min(h, 5)), kw = 1 + r.nextInt(5);
            if (r.nextBoolean()) { kh = Math.min(h, 3); kw = 3; }
            int sh = 1 + r.nextInt(2), sw = 1 + r.nextInt(2), dh = 1 + (r.nextInt(4) == 0 ? 1 : 0), dw = 1 + (r.nextInt(4) == 0 ? 1 : 0);
            int ph = r.nextInt(4), pw = r.nextInt(4);
            int oh = (h + 2 * ph - dh * (kh - 1) - 1) / sh + 1, ow = (w + 2 * pw - dw * (kw - 1) - 1) / sw + 1;
            // Output sizes below the natural one: what a transposed convolution's output padding leaves.
            if (oh > 1 && r.nextInt(5) == 0) oh--;
            if (ow > 1 && r.nextInt(5) == 0) ow--;
            ConvKernels.Geometry g = new ConvKernels.Geometry(n, c, h, w, c * mult, c, kh, kw, sh, sw, ph, pw, dh, dw, Math.max(oh, 1),
                    Math.max(ow, 1));
            return new Case(g, Props.Layout.values()[r.nextInt(3)], seed);
        }

        boolean valid() { return g.inH + 2 * g.ph >= g.dh * (g.kh - 1) + 1 && g.inW + 2 * g.pw >= g.dw * (g.kw - 1) + 1; }

        @Override public String toString() {
            return "n=" + g.batch + " C " + g.inC + "->" + g.outC + " " + g.inH + "x" + g.inW + " -> " + g.outH + "x" + g.outW + " k="
                    + g.kh + "x" + g.kw + " s=" + g.sh + "," + g.sw + " p=" + g.ph + "," + g.pw + " d=" + g.dh + "," + g.dw + " " + layout
                    + " seed=" + seed;
        }
    }

    /**
     * Three-wide kernels at unit stride, widths 1 to 40 (around 4, 8 and 16 lanes), padding 0 to 2;
     * at least two channels (one group of one channel is an ordinary convolution, not these kernels).
     */
    static Case threeWide(long seed) {
        Random r = new Random(seed);
        int c = 2 + r.nextInt(2), mult = 1 + (r.nextInt(3) == 0 ? 1 : 0), n = 1 + r.nextInt(2);
        int w = 1 + r.nextInt(40), h = 1 + r.nextInt(8), dh = 1 + (r.nextInt(4) == 0 ? 1 : 0), dw = 1 + (r.nextInt(4) == 0 ? 1 : 0);
        int kh = Math.min(3, h), ph = r.nextInt(3), pw = r.nextInt(3);
        int oh = Math.max(1, h + 2 * ph - dh * (kh - 1)), ow = Math.max(1, w + 2 * pw - dw * 2);
        if (ow > 1 && r.nextInt(5) == 0) ow--;
        ConvKernels.Geometry g = new ConvKernels.Geometry(n, c, h, w, c * mult, c, kh, 3, 1, 1, ph, pw, dh, dw, oh, ow);
        return new Case(g, Props.Layout.values()[r.nextInt(3)], seed);
    }

    @AfterTry
    void restore() { Torch.setNumThreads(1); }

    @Property(seed = Props.SEED, tries = 80)
    void threeWideKernelsAtVectorWidthsMatchDirectLoops(@ForAll long seed) {
        Case c = threeWide(seed);
        if (!c.valid()) return;
        check(c, seed, -1);
    }

    /**
     * One +infinity in the weights, the image or the output gradient (the other values positive, so
     * no infinities cancel): every result is the direct loops' exactly where those are not finite
     * (an infinity, never a NaN from a padding zero or a vector's overlapping lanes) and close elsewhere.
     */
    @Property(seed = Props.SEED, tries = 60)
    void anInfinityStaysOnItsTaps(@ForAll long seed) {
        Case c = threeWide(seed);
        if (!c.valid()) return;
        check(c, seed, (int) Math.floorMod(seed, 3L));
    }

    /** Every provider and one and two threads against the direct loops; {@code infIn} 0, 1, 2: one infinity in w, x or gy (-1: none). */
    private static void check(Case c, long seed, int infIn) {
        ConvKernels.Geometry g = c.g();
        int[] xShape = {g.batch, g.inC, g.inH, g.inW}, wShape = {g.outC, 1, g.kh, g.kw}, yShape = {g.batch, g.outC, g.outH, g.outW};
        Props.Domain domain = infIn < 0 ? Props.Domain.ANY : Props.Domain.POSITIVE;
        Random at = new Random(seed ^ 0x5eedL);
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            Props.Values values = new Props.Values(seed);
            Tensor x = Props.tensor(xShape, infIn == 1 ? Props.Layout.CONTIGUOUS : c.layout(), dtype, values, domain);
            Tensor w = Props.tensor(wShape, Props.Layout.CONTIGUOUS, dtype, values, domain);
            Tensor b = Props.tensor(new int[] {g.outC}, Props.Layout.CONTIGUOUS, dtype, values, domain);
            Tensor gy = Props.tensor(yShape, Props.Layout.CONTIGUOUS, dtype, values, domain);
            if (infIn >= 0) {
                Tensor t = infIn == 0 ? w : infIn == 1 ? x : gy;
                int i = at.nextInt((int) t.numel());
                if (dtype == DType.FLOAT64) t.storage().f64()[i] = Double.POSITIVE_INFINITY;
                else t.storage().f32()[i] = Float.POSITIVE_INFINITY;
            }
            double[][] expected = ConvKernelsTest.direct(g, x.toDoubleArray(), w.toDoubleArray(), b.toDoubleArray(), gy.toDoubleArray());
            double[][] oneThreadGw = new double[1][];
            EveryProvider.onOneAndTwoThreads((p, threads) -> {
                Tensor out = TensorInternals.allocate(dtype, yShape), gx = TensorInternals.allocate(dtype, xShape), gw = TensorInternals.allocate(dtype, wShape);
                ConvKernels.forward(strided(x), strided(w), strided(b), strided(out), g);
                ConvKernels.inputGrad(strided(gy), strided(w), strided(gx), g);
                ConvKernels.weightGrad(strided(x), strided(gy), strided(gw), g);
                String where = p + " " + dtype + " threads=" + threads + " " + c + (infIn >= 0 ? " inf in " + "wxy".charAt(infIn) : "");
                assertCloseOrSame(expected[0], out, dtype, where + ": forward");
                assertCloseOrSame(expected[1], gx, dtype, where + ": input gradient");
                assertCloseOrSame(expected[2], gw, dtype, where + ": weight gradient");
                if (threads == 1) oneThreadGw[0] = gw.toDoubleArray();
                else assertArrayEquals(oneThreadGw[0], gw.toDoubleArray(), where + ": weight gradient bits depend on the thread count");
            });
        }
    }

    /** {@link ConvKernelsTest#assertClose}, except that a non-finite expected value must be matched exactly. */
    private static void assertCloseOrSame(double[] expected, Tensor actual, DType dtype, String what) {
        double[] a = actual.toDoubleArray();
        assertEquals(expected.length, a.length, what + ": size");
        double tol = dtype == DType.FLOAT64 ? 1e-12 : 1e-4;
        for (int i = 0; i < a.length; i++) {
            String m = what + ": element " + i + " expected " + expected[i] + " got " + a[i];
            if (!Double.isFinite(expected[i])) assertEquals(expected[i], a[i], m);
            else assertTrue(Math.abs(a[i] - expected[i]) <= tol * (1 + Math.abs(expected[i])), m);
        }
    }

    @Property(seed = Props.SEED, tries = 120)
    void depthwiseKernelsMatchDirectLoops(@ForAll long seed) {
        Case c = Case.of(seed);
        if (!c.valid()) return;
        check(c, seed, -1);
    }
}
