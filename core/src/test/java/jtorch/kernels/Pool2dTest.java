package jtorch.kernels;

import java.util.Random;

import jtorch.DType;
import jtorch.Props;
import jtorch.Tensor;
import jtorch.Torch;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static jtorch.internal.TensorInternals.strided;

/**
 * {@link Pool2d}'s loops against PyTorch's CPU algorithm written out plainly (every window
 * position in order, {@code (val > maxval) || isnan(val)}, the clipped average), bit for bit, on
 * random geometry (padding, dilation, strides past the kernel, ceil-mode windows) and values full
 * of ties, NaNs and infinities; backward passes included.
 */
class Pool2dTest {
    private static final double[] SPECIALS = {Double.NaN, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, -0.0, 0.0};

    /** LeNet's 2x2 stride-2 windows, which have kernels of their own (rare in the general property's draws). */
    @Property(seed = Props.SEED, tries = 80)
    void twoByTwoStrideTwoWindowsMatchTheReference(@ForAll @IntRange(min = 1, max = 3) int planes, @ForAll @IntRange(min = 2, max = 13) int h,
                                                   @ForAll @IntRange(min = 2, max = 13) int w, @ForAll boolean ceil,
                                                   @ForAll boolean float64, @ForAll long seed) {
        matchesTheReference(planes, h, w, 2, 2, 2, 2, 1, ceil, float64, seed);
    }

    /**
     * 2x2 stride-2 windows on rows of at least 8 outputs, where the Vector API form runs (whole
     * vectors, the last one overlapping); ties, NaN, -inf and -0 vs +0 as in the other draws.
     */
    @Property(seed = Props.SEED, tries = 60)
    void twoByTwoStrideTwoWideRowsMatchTheReference(@ForAll @IntRange(min = 1, max = 2) int planes, @ForAll @IntRange(min = 2, max = 9) int h,
                                                    @ForAll @IntRange(min = 16, max = 69) int w, @ForAll boolean ceil, @ForAll long seed) {
        matchesTheReference(planes, h, w, 2, 2, 2, 2, 1, ceil, false, seed);
    }

    /**
     * 2x2 stride-2 average pooling, every divisor 4 (the classic LeNet's pools): the plain loop's
     * bits ({@code ((a + b) + c) + d} in double, rounded to float, times 0.25) on every provider and
     * at 1 and 2 threads, rows narrower and wider than a vector, floats of mixed magnitudes (so that
     * the order of the additions shows) with NaN, infinities and signed zeros mixed in.
     */
    @Property(seed = Props.SEED, tries = 60)
    void twoByTwoQuarterAverageMatchesThePlainLoop(@ForAll @IntRange(min = 1, max = 3) int planes, @ForAll @IntRange(min = 2, max = 9) int h,
                                                   @ForAll @IntRange(min = 2, max = 69) int w, @ForAll long seed) {
        Random r = new Random(seed);
        int oh = h / 2, ow = w / 2;
        float[] x = new float[planes * h * w];
        // Large values that cancel (+-2^40) next to small ones (lost when added to a large one first):
        // a window's sum then depends on the order of its additions.
        for (int i = 0; i < x.length; i++) {
            int kind = r.nextInt(8);
            x[i] = kind == 0 ? (float) SPECIALS[r.nextInt(SPECIALS.length)]
                    : kind <= 2 ? (r.nextBoolean() ? 0x1p40f : -0x1p40f)
                    : (float) (r.nextGaussian() * Math.pow(2, r.nextInt(40) - 30));
        }
        float[] want = new float[planes * oh * ow];
        for (int p = 0; p < planes; p++)
            for (int oy = 0; oy < oh; oy++)
                for (int ox = 0; ox < ow; ox++) {
                    int t = p * h * w + 2 * oy * w + 2 * ox, b = t + w;
                    want[(p * oh + oy) * ow + ox] = (float) (((double) x[t] + x[t + 1]) + x[b] + x[b + 1]) * 0.25f;
                }
        Pool2d.Geometry g = new Pool2d.Geometry(h, w, 2, 2, 2, 2, 0, 0, 1, 1, oh, ow);
        int[] divisors = Pool2d.avgDivisors(g, true, 0);
        Tensor input = Torch.tensor(x);
        EveryProvider.onOneAndTwoThreads((provider, th) -> {
            Tensor out = Torch.empty(new long[] {planes * oh * ow}, DType.FLOAT32);
            Pool2d.avgForward(strided(input), strided(out), planes, g, divisors);
            float[] got = out.toFloatArray();
            for (int i = 0; i < want.length; i++) {
                String at = provider + " at " + th + " threads, output " + i + " of " + g(g);
                if (Float.isNaN(want[i])) assertEquals(true, Float.isNaN(got[i]), "NaN " + at);
                else assertEquals(Float.floatToRawIntBits(want[i]), Float.floatToRawIntBits(got[i]), at);
            }
        });
    }

    @Property(seed = Props.SEED, tries = 200)
    void matchesTheReference(@ForAll @IntRange(min = 1, max = 3) int planes, @ForAll @IntRange(min = 1, max = 9) int h,
                             @ForAll @IntRange(min = 1, max = 9) int w, @ForAll @IntRange(min = 1, max = 4) int kh,
                             @ForAll @IntRange(min = 1, max = 4) int kw, @ForAll @IntRange(min = 1, max = 3) int sh,
                             @ForAll @IntRange(min = 1, max = 3) int sw, @ForAll @IntRange(min = 1, max = 2) int dil,
                             @ForAll boolean ceil, @ForAll boolean float64, @ForAll long seed) {
        Random r = new Random(seed);
        int ph = r.nextInt((dil * (kh - 1) + 1) / 2 + 1), pw = r.nextInt((dil * (kw - 1) + 1) / 2 + 1);
        int oh = outputSize(h, kh, ph, sh, dil, ceil), ow = outputSize(w, kw, pw, sw, dil, ceil);
        if (oh < 1 || ow < 1) return; // nn.functional rejects these sizes before the kernel
        DType dtype = float64 ? DType.FLOAT64 : DType.FLOAT32;
        double[] x = new double[planes * h * w];
        for (int i = 0; i < x.length; i++) x[i] = r.nextInt(6) == 0 ? SPECIALS[r.nextInt(SPECIALS.length)] : r.nextInt(4) - 1;
        Tensor input = Torch.tensor(x).to(dtype);
        double[] gradOut = new double[planes * oh * ow];
        for (int i = 0; i < gradOut.length; i++) gradOut[i] = r.nextInt(9) - 4;
        Tensor gradOutput = Torch.tensor(gradOut).to(dtype);

        Pool2d.Geometry g = new Pool2d.Geometry(h, w, kh, kw, sh, sw, ph, pw, dil, dil, oh, ow);
        for (KernelProvider provider : KernelProvider.values()) { // the vector form serves windows inside the image
            if (!Kernels.isAvailable(provider)) continue;
            try (Kernels.Scope scope = Kernels.use(provider)) {
                Tensor values = Torch.empty(new long[] {planes * oh * ow}, dtype), indices = Torch.empty(new long[] {planes * oh * ow}, DType.INT64);
                Pool2d.maxForward(strided(input), strided(values), strided(indices), planes, g);
                Tensor gradInput = Torch.zeros(new long[] {planes * h * w}, dtype);
                Pool2d.maxBackward(strided(gradOutput), strided(indices), strided(gradInput), planes, g);

                double[] wantGrad = new double[x.length], gotValues = values.toDoubleArray();
                long[] gotIndices = indices.toLongArray();
                for (int p = 0; p < planes; p++)
                    for (int oy = 0; oy < oh; oy++)
                        for (int ox = 0; ox < ow; ox++) {
                            int y0 = oy * sh - ph, x0 = ox * sw - pw;
                            int y1 = Math.min(y0 + (kh - 1) * dil + 1, h), x1 = Math.min(x0 + (kw - 1) * dil + 1, w);
                            while (y0 < 0) y0 += dil;
                            while (x0 < 0) x0 += dil;
                            int best = y0 * w + x0;
                            double max = Double.NEGATIVE_INFINITY;
                            for (int y = y0; y < y1; y += dil)
                                for (int xx = x0; xx < x1; xx += dil) {
                                    double v = x[p * h * w + y * w + xx];
                                    if (v > max || Double.isNaN(v)) { max = v; best = y * w + xx; }
                                }
                            int e = (p * oh + oy) * ow + ox;
                            String at = provider + " plane " + p + " output (" + oy + ", " + ox + ") of " + g(g);
                            assertEquals(best, gotIndices[e], "index at " + at);
                            double want = max == Double.NEGATIVE_INFINITY ? max : x[p * h * w + best]; // the window may lie in the padding
                            assertEquals(Double.doubleToLongBits(want), Double.doubleToLongBits(gotValues[e]), "value at " + at);
                            if (best < h * w) wantGrad[p * h * w + best] += gradOut[e];
                        }
                assertBits(wantGrad, gradInput, float64, provider + " max backward");
            }
        }

        if (dil != 1) return; // average pooling has no dilation
        boolean countIncludePad = r.nextBoolean();
        int divisorOverride = r.nextInt(4) == 0 ? 1 + r.nextInt(5) : 0;
        int[] divisors = Pool2d.avgDivisors(g, countIncludePad, divisorOverride);
        Tensor avg = Torch.empty(new long[] {planes * oh * ow}, dtype);
        Pool2d.avgForward(strided(input), strided(avg), planes, g, divisors);
        Tensor avgGrad = Torch.zeros(new long[] {planes * h * w}, dtype);
        Pool2d.avgBackward(strided(gradOutput), strided(avgGrad), planes, g, divisors);
        double[] wantAvg = new double[planes * oh * ow], wantAvgGrad = new double[x.length];
        for (int p = 0; p < planes; p++)
            for (int oy = 0; oy < oh; oy++)
                for (int ox = 0; ox < ow; ox++) {
                    int y0 = oy * sh - ph, x0 = ox * sw - pw;
                    int y1 = Math.min(y0 + kh, h + ph), x1 = Math.min(x0 + kw, w + pw);
                    int poolSize = (y1 - y0) * (x1 - x0);
                    y0 = Math.max(y0, 0); x0 = Math.max(x0, 0); y1 = Math.min(y1, h); x1 = Math.min(x1, w);
                    int e = (p * oh + oy) * ow + ox;
                    if (y0 >= y1 || x0 >= x1) continue;
                    int div = divisorOverride != 0 ? divisorOverride : countIncludePad ? poolSize : (y1 - y0) * (x1 - x0);
                    double sum = 0;
                    for (int y = y0; y < y1; y++) for (int xx = x0; xx < x1; xx++) sum += x[p * h * w + y * w + xx];
                    wantAvg[e] = float64 ? sum / div : (float) sum / (float) div;
                    double share = float64 ? gradOut[e] / div : (float) gradOut[e] / (float) div;
                    for (int y = y0; y < y1; y++)
                        for (int xx = x0; xx < x1; xx++) {
                            int at = p * h * w + y * w + xx;
                            wantAvgGrad[at] = float64 ? wantAvgGrad[at] + share : (float) (wantAvgGrad[at] + share);
                        }
                }
        assertBits(wantAvg, avg, float64, "average");
        assertBits(wantAvgGrad, avgGrad, float64, "average backward");
    }

    /** PyTorch's pooling_output_shape (the last window must start inside the padded input in ceil mode). */
    private static int outputSize(int in, int k, int pad, int stride, int dilation, boolean ceil) {
        int num = in + 2 * pad - dilation * (k - 1) - 1 + (ceil ? stride - 1 : 0);
        int out = Math.floorDiv(num, stride) + 1;
        if (ceil && (out - 1) * stride >= in + pad) out--;
        return out;
    }

    private static void assertBits(double[] want, Tensor got, boolean float64, String what) {
        double[] g = got.toDoubleArray();
        for (int i = 0; i < want.length; i++) {
            double w = float64 ? want[i] : (float) want[i];
            assertEquals(Double.doubleToLongBits(w), Double.doubleToLongBits(g[i]), what + " at " + i);
        }
    }

    private static String g(Pool2d.Geometry g) {
        return "H" + g.height + " W" + g.width + " k" + g.kh + "x" + g.kw + " s" + g.sh + "x" + g.sw + " p" + g.ph + "x" + g.pw
                + " d" + g.dh + " out " + g.outH + "x" + g.outW;
    }
}
