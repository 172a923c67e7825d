package jtorch.nn;

import java.util.Random;

import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import jtorch.DType;
import jtorch.Tensor;
import jtorch.autograd.GradCheck;
import jtorch.nn.functional.Convolution;
import jtorch.nn.functional.Pooling;
import jtorch.ops.Unfold;

import static jtorch.Torch.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Gradients of unfold, fold, conv2d and pooling against finite differences (float64, PyTorch's
 * gradcheck tolerances) over random geometry, and conv2d against a direct loop convolution.
 * Max pooling draws distinct values so that no window has a tie (a kink of max). The gradcheck
 * properties check second derivatives too ({@link GradCheck#gradgradcheck}), through pooling's
 * kernel-backed backward rules.
 */
class ConvPoolGradcheckPropertiesTest {
    static final String SEED = "20261126";

    static Tensor rnd(Random r, long... shape) {
        long n = 1;
        for (long s : shape) n *= s;
        double[] v = new double[(int) n];
        for (int i = 0; i < v.length; i++) v[i] = r.nextGaussian();
        return tensor(v).reshape(shape).requiresGrad_();
    }

    /** Distinct values (a shuffled ramp plus noise), so max-pool windows have no ties. */
    static Tensor distinct(Random r, long... shape) {
        long n = 1;
        for (long s : shape) n *= s;
        double[] v = new double[(int) n];
        for (int i = 0; i < v.length; i++) v[i] = i * 0.1 + r.nextDouble() * 0.01;
        for (int i = v.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            double t = v[i]; v[i] = v[j]; v[j] = t;
        }
        return tensor(v).reshape(shape).requiresGrad_();
    }

    /** First and second derivatives (gradcheck and gradgradcheck) against finite differences. */
    static void checkBoth(java.util.function.Function<Tensor[], Tensor> fn, Tensor... inputs) {
        assertTrue(GradCheck.gradcheck(fn, inputs));
        assertTrue(GradCheck.gradgradcheck(fn, inputs));
    }

    @Property(seed = SEED, tries = 25)
    void unfoldGradientMatchesFiniteDifferences(@ForAll @IntRange(min = 1, max = 2) int n, @ForAll @IntRange(min = 1, max = 2) int c,
            @ForAll @IntRange(min = 2, max = 5) int h, @ForAll @IntRange(min = 2, max = 5) int w,
            @ForAll @IntRange(min = 1, max = 3) int kh, @ForAll @IntRange(min = 1, max = 2) int kw,
            @ForAll @IntRange(min = 1, max = 2) int d, @ForAll @IntRange(min = 0, max = 1) int p,
            @ForAll @IntRange(min = 1, max = 2) int s, @ForAll long seed) {
        Assume.that(Unfold.blocks(h, kh, d, p, s) >= 1 && Unfold.blocks(w, kw, d, p, s) >= 1);
        Tensor x = rnd(new Random(seed), n, c, h, w);
        int[] k = {kh, kw}, dil = {d, d}, pad = {p, p}, str = {s, 1};
        checkBoth(in -> Unfold.unfold(in[0], k, dil, pad, str), x);
    }

    @Property(seed = SEED, tries = 25)
    void foldGradientMatchesFiniteDifferences(@ForAll @IntRange(min = 1, max = 2) int c,
            @ForAll @IntRange(min = 2, max = 5) int h, @ForAll @IntRange(min = 2, max = 5) int w,
            @ForAll @IntRange(min = 1, max = 3) int kh, @ForAll @IntRange(min = 1, max = 3) int kw,
            @ForAll @IntRange(min = 1, max = 2) int d, @ForAll @IntRange(min = 0, max = 1) int p,
            @ForAll @IntRange(min = 1, max = 2) int s, @ForAll long seed) {
        int oh = Unfold.blocks(h, kh, d, p, s), ow = Unfold.blocks(w, kw, d, p, s);
        Assume.that(oh >= 1 && ow >= 1);
        Tensor cols = rnd(new Random(seed), 1, (long) c * kh * kw, (long) oh * ow);
        int[] k = {kh, kw}, dil = {d, d}, pad = {p, p}, str = {s, s};
        checkBoth(in -> Unfold.fold(in[0], new int[] {h, w}, k, dil, pad, str), cols);
    }

    @Property(seed = SEED, tries = 30)
    void conv2dGradientsMatchFiniteDifferences(@ForAll @IntRange(min = 1, max = 2) int n,
            @ForAll @IntRange(min = 1, max = 2) int groups, @ForAll @IntRange(min = 1, max = 2) int cinPerGroup,
            @ForAll @IntRange(min = 1, max = 2) int coutPerGroup,
            @ForAll @IntRange(min = 3, max = 5) int h, @ForAll @IntRange(min = 2, max = 5) int w,
            @ForAll @IntRange(min = 1, max = 3) int kh, @ForAll @IntRange(min = 1, max = 2) int kw,
            @ForAll @IntRange(min = 1, max = 2) int sh, @ForAll @IntRange(min = 1, max = 2) int sw,
            @ForAll @IntRange(min = 0, max = 1) int ph, @ForAll @IntRange(min = 1, max = 2) int dh,
            @ForAll boolean bias, @ForAll long seed) {
        Assume.that(Unfold.blocks(h, kh, dh, ph, sh) >= 1 && Unfold.blocks(w, kw, 1, 0, sw) >= 1);
        Random r = new Random(seed);
        int cin = groups * cinPerGroup, cout = groups * coutPerGroup;
        Tensor x = rnd(r, n, cin, h, w), wt = rnd(r, cout, cinPerGroup, kh, kw), b = bias ? rnd(r, cout) : null;
        int[] st = {sh, sw}, pd = {ph, 0}, dl = {dh, 1};
        checkBoth(in -> Convolution.conv2d(in[0], in[1], in[2], st, pd, dl, groups), x, wt, b);
    }

    @Property(seed = SEED, tries = 30)
    void conv2dEqualsDirectLoopConvolution(@ForAll @IntRange(min = 1, max = 3) int n,
            @ForAll @IntRange(min = 1, max = 3) int groups, @ForAll @IntRange(min = 1, max = 3) int cinPerGroup,
            @ForAll @IntRange(min = 1, max = 3) int coutPerGroup,
            @ForAll @IntRange(min = 1, max = 9) int h, @ForAll @IntRange(min = 1, max = 9) int w,
            @ForAll @IntRange(min = 1, max = 4) int kh, @ForAll @IntRange(min = 1, max = 4) int kw,
            @ForAll @IntRange(min = 1, max = 3) int sh, @ForAll @IntRange(min = 1, max = 3) int sw,
            @ForAll @IntRange(min = 0, max = 2) int ph, @ForAll @IntRange(min = 0, max = 2) int pw,
            @ForAll @IntRange(min = 1, max = 2) int dh, @ForAll @IntRange(min = 1, max = 2) int dw, @ForAll long seed) {
        int oh = Unfold.blocks(h, kh, dh, ph, sh), ow = Unfold.blocks(w, kw, dw, pw, sw);
        Assume.that(oh >= 1 && ow >= 1);
        Random r = new Random(seed);
        int cin = groups * cinPerGroup, cout = groups * coutPerGroup;
        Tensor x = rnd(r, n, cin, h, w).detach(), wt = rnd(r, cout, cinPerGroup, kh, kw).detach(), b = rnd(r, cout).detach();
        Tensor y = Convolution.conv2d(x, wt, b, new int[] {sh, sw}, new int[] {ph, pw}, new int[] {dh, dw}, groups);
        assertArrayEquals(new long[] {n, cout, oh, ow}, y.shape().toArray());
        double[] xv = x.toDoubleArray(), wv = wt.toDoubleArray(), bv = b.toDoubleArray(), yv = y.toDoubleArray();
        int coutG = cout / groups;
        for (int in = 0; in < n; in++)
            for (int co = 0; co < cout; co++)
                for (int oy = 0; oy < oh; oy++)
                    for (int ox = 0; ox < ow; ox++) {
                        double acc = bv[co];
                        int g = co / coutG;
                        for (int ci = 0; ci < cinPerGroup; ci++)
                            for (int ki = 0; ki < kh; ki++)
                                for (int kj = 0; kj < kw; kj++) {
                                    int yy = oy * sh - ph + ki * dh, xx = ox * sw - pw + kj * dw;
                                    if (yy < 0 || yy >= h || xx < 0 || xx >= w) continue;
                                    int c = g * cinPerGroup + ci;
                                    acc += xv[((in * cin + c) * h + yy) * w + xx] * wv[((co * cinPerGroup + ci) * kh + ki) * kw + kj];
                                }
                        double got = yv[((in * cout + co) * oh + oy) * ow + ox];
                        assertEquals(acc, got, 1e-12 * (1 + Math.abs(acc)), "output " + in + "," + co + "," + oy + "," + ox);
                    }
    }

    @Property(seed = SEED, tries = 25)
    void maxPoolGradientMatchesFiniteDifferences(@ForAll @IntRange(min = 2, max = 6) int h, @ForAll @IntRange(min = 2, max = 6) int w,
            @ForAll @IntRange(min = 1, max = 3) int k, @ForAll @IntRange(min = 1, max = 2) int s,
            @ForAll @IntRange(min = 0, max = 1) int p, @ForAll boolean ceil, @ForAll long seed) {
        Assume.that(2 * p <= k && h + 2 * p >= k && w + 2 * p >= k);
        Tensor x = distinct(new Random(seed), 1, 2, h, w);
        int[] kk = {k, k}, ss = {s, s}, pp = {p, p}, dd = {1, 1};
        checkBoth(in -> Pooling.maxPool2d(in[0], kk, ss, pp, dd, ceil).values, x);
    }

    @Property(seed = SEED, tries = 25)
    void avgPoolGradientMatchesFiniteDifferences(@ForAll @IntRange(min = 2, max = 6) int h, @ForAll @IntRange(min = 2, max = 6) int w,
            @ForAll @IntRange(min = 1, max = 3) int k, @ForAll @IntRange(min = 1, max = 2) int s,
            @ForAll @IntRange(min = 0, max = 1) int p, @ForAll boolean ceil, @ForAll boolean includePad, @ForAll long seed) {
        Assume.that(2 * p <= k && h + 2 * p >= k && w + 2 * p >= k);
        Tensor x = rnd(new Random(seed), 1, 2, h, w);
        int[] kk = {k, k}, ss = {s, s}, pp = {p, p};
        checkBoth(in -> Pooling.avgPool2d(in[0], kk, ss, pp, ceil, includePad, 0), x);
    }

    @Property(seed = SEED, tries = 20)
    void adaptiveAvgPoolGradientMatchesFiniteDifferences(@ForAll @IntRange(min = 1, max = 6) int h, @ForAll @IntRange(min = 1, max = 6) int w,
            @ForAll @IntRange(min = 1, max = 4) int oh, @ForAll @IntRange(min = 1, max = 4) int ow, @ForAll long seed) {
        Tensor x = rnd(new Random(seed), 2, 1, h, w);
        checkBoth(in -> Pooling.adaptiveAvgPool2d(in[0], new int[] {oh, ow}), x);
    }

    @Property(seed = SEED, tries = 20)
    void paddingModesGradientsMatchFiniteDifferences(@ForAll @IntRange(min = 2, max = 5) int h, @ForAll @IntRange(min = 2, max = 5) int w,
            @ForAll @IntRange(min = 0, max = 1) int mode, @ForAll @IntRange(min = 0, max = 1) int p, @ForAll long seed) {
        String m = mode == 0 ? "reflect" : "circular";
        Assume.that(p < Math.min(h, w));
        Tensor x = rnd(new Random(seed), 1, 1, h, w);
        checkBoth(in -> Convolution.pad(in[0], new int[] {p, p + 1 < w ? p + 1 : p, p, 0}, m, 0), x);
        assertEquals(DType.FLOAT64, x.dtype());
    }
}
