package jtorch.nn.functional;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

import jtorch.DType;
import jtorch.Tensor;
import jtorch.Torch;
import jtorch.autograd.Autograd;
import jtorch.internal.TensorInternals;
import jtorch.kernels.KernelProvider;
import jtorch.kernels.Kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The convolution op (core's {@code torch.convolution} behind {@code F.conv2d} / {@code F.conv1d})
 * against its definition, the composition of {@code unfold} + {@code matmul} + bias add that the
 * engine differentiates ({@link Convolution#conv2dReference}): the output and the gradients of
 * {@code sum(y * r)} with respect to input, weight and bias, on random configurations (stride,
 * integer / {@code same} / {@code valid} padding, every padding mode, dilation, groups incl.
 * depthwise, batch 1-4, odd sizes, contiguous, sliced and channels-last-strided input, a permuted
 * weight, float32 and float64, 1-D and 2-D), each on every available kernel provider. The
 * transposed convolution's forward is checked against the gradient of the reference with respect
 * to its input (which is what it is).
 *
 * <p>Tolerances: float64 within 1e-10 (absolute and relative); float32, whose sums of up to a few
 * hundred products run in a different order, within 5e-4 + 1e-4 |expected|, far below the O(1)
 * error of a wrong tap, channel or position.
 */
class ConvReferencePropertiesTest {
    static final String SEED = "20261126";

    enum Pad { INT, SAME, VALID, REFLECT, REPLICATE, CIRCULAR }

    enum Layout { CONTIGUOUS, SLICED, CHANNELS_LAST }

    /** One configuration, drawn from a seed. */
    static final class Config {
        final boolean oneD, bias, permutedWeight;
        final int n, groups, cinG, coutG, h, w, kh, kw, sh, sw, ph, pw, dh, dw;
        final Pad pad;
        final Layout layout;
        final DType dtype;

        Config(long seed) { this(seed, false); }

        /** With {@code integerPadding}, only zero padding by integers (what a transposed convolution takes). */
        Config(long seed, boolean integerPadding) {
            Random r = new Random(seed);
            oneD = r.nextInt(4) == 0;
            n = 1 + r.nextInt(4);
            boolean depthwise = r.nextInt(4) == 0;
            if (depthwise) {
                groups = 1 + r.nextInt(6);
                cinG = 1;
                coutG = 1 + r.nextInt(2);
            } else {
                groups = 1 + r.nextInt(3);
                cinG = 1 + r.nextInt(3);
                coutG = 1 + r.nextInt(3);
            }
            // Mostly small odd sizes; one in ten large enough that a sample spans several panels.
            boolean large = r.nextInt(10) == 0;
            h = oneD ? 1 : large ? 20 + r.nextInt(15) : 1 + r.nextInt(11);
            w = large ? 30 + r.nextInt(20) : 1 + r.nextInt(13);
            kh = oneD ? 1 : 1 + r.nextInt(4);
            kw = 1 + r.nextInt(4);
            Pad p = integerPadding ? Pad.INT : Pad.values()[r.nextInt(Pad.values().length)];
            pad = p;
            boolean strided = p != Pad.SAME && r.nextBoolean();
            sh = oneD || !strided ? 1 : 1 + r.nextInt(3);
            sw = !strided ? 1 : 1 + r.nextInt(3);
            dh = oneD ? 1 : 1 + (r.nextInt(3) == 0 ? 1 + r.nextInt(2) : 0);
            dw = 1 + (r.nextInt(3) == 0 ? 1 + r.nextInt(2) : 0);
            int maxH = p == Pad.REFLECT ? h - 1 : p == Pad.CIRCULAR ? h : 2, maxW = p == Pad.REFLECT ? w - 1 : p == Pad.CIRCULAR ? w : 2;
            ph = oneD || p == Pad.SAME || p == Pad.VALID ? 0 : r.nextInt(Math.min(2, Math.max(0, maxH)) + 1);
            pw = p == Pad.SAME || p == Pad.VALID ? 0 : r.nextInt(Math.min(2, Math.max(0, maxW)) + 1);
            layout = Layout.values()[r.nextInt(3)];
            dtype = r.nextBoolean() ? DType.FLOAT32 : DType.FLOAT64;
            bias = r.nextInt(3) != 0;
            permutedWeight = r.nextInt(4) == 0;
        }

        int cin() { return groups * cinG; }

        int cout() { return groups * coutG; }

        /** Whether the padded image holds one window (else the configuration is skipped). */
        boolean fits() {
            if (pad == Pad.SAME) return true;
            return h + 2 * ph >= dh * (kh - 1) + 1 && w + 2 * pw >= dw * (kw - 1) + 1;
        }

        @Override public String toString() {
            return (oneD ? "1d" : "2d") + " n=" + n + " groups=" + groups + " cinG=" + cinG + " coutG=" + coutG + " " + h + "x" + w
                    + " k=" + kh + "x" + kw + " s=" + sh + "," + sw + " " + pad + " p=" + ph + "," + pw + " d=" + dh + "," + dw
                    + " " + layout + " " + dtype + (bias ? " bias" : "") + (permutedWeight ? " permuted-weight" : "");
        }
    }

    static Tensor values(Random r, DType dtype, int... shape) {
        int numel = 1;
        for (int s : shape) numel *= s;
        double[] v = new double[numel];
        for (int i = 0; i < numel; i++) v[i] = 4 * r.nextDouble() - 2;
        Tensor t = TensorInternals.wrap(v, shape);
        return dtype == DType.FLOAT64 ? t : t.to(dtype);
    }

    /** The input as a view of a leaf in the configured layout: same values, other strides. */
    static Tensor layoutView(Tensor leaf, Layout layout) {
        switch (layout) {
            case SLICED: return stridedView(leaf, leaf.dim() - 1);
            case CHANNELS_LAST: {
                int[] perm = leaf.dim() == 4 ? new int[] {0, 2, 3, 1} : new int[] {0, 2, 1};
                int[] back = leaf.dim() == 4 ? new int[] {0, 3, 1, 2} : new int[] {0, 2, 1};
                return leaf.permute(perm).contiguous().permute(back);
            }
            default: return leaf;
        }
    }

    private static long[] toLongs(int[] s) {
        long[] r = new long[s.length];
        for (int i = 0; i < s.length; i++) r[i] = s[i];
        return r;
    }

    private static String sliceEveryOther(int dim) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < dim - 1; i++) b.append(":, ");
        return b.append("::2").toString();
    }

    /** {@code t}'s values as a view with stride 2 along {@code dim} (every other element of {@code t} interleaved with zeros). */
    private static Tensor stridedView(Tensor t, int dim) {
        Tensor interleaved = Torch.stack(List.of(t, t.mul(0.0)), dim + 1).flatten(dim, dim + 1);
        return interleaved.index(sliceEveryOther(interleaved.dim()));
    }

    static void assertClose(Tensor expected, Tensor actual, DType dtype, String what) {
        assertArrayEquals(TensorInternals.sizes(expected), TensorInternals.sizes(actual), what + ": shape");
        double atol = dtype == DType.FLOAT64 ? 1e-10 : 5e-4, rtol = dtype == DType.FLOAT64 ? 1e-10 : 1e-4;
        double[] e = expected.toDoubleArray(), a = actual.toDoubleArray();
        for (int i = 0; i < e.length; i++)
            assertTrue(Math.abs(a[i] - e[i]) <= atol + rtol * Math.abs(e[i]),
                    what + ": element " + i + " expected " + e[i] + " got " + a[i]);
    }

    /** F.pad's (left, right[, top, bottom]) for "same": the odd unit on the right/bottom, as PyTorch pads. */
    static int[] samePads(Config c) {
        int th = c.dh * (c.kh - 1), tw = c.dw * (c.kw - 1);
        return c.oneD ? new int[] {tw / 2, tw - tw / 2} : new int[] {tw / 2, tw - tw / 2, th / 2, th - th / 2};
    }

    /** The op under test, through F as a user calls it. */
    static Tensor fast(Config c, Tensor x, Tensor w, Tensor b) {
        String mode = c.pad.name().toLowerCase();
        if (c.oneD) {
            switch (c.pad) {
                case SAME: case VALID: return F.conv1d(x, w, b, c.sw, mode, c.dw, c.groups);
                case INT: return F.conv1d(x, w, b, c.sw, c.pw, c.dw, c.groups);
                default: return F.conv1d(F.pad(x, new int[] {c.pw, c.pw}, mode, 0), w, b, c.sw, 0, c.dw, c.groups);
            }
        }
        int[] s = {c.sh, c.sw}, d = {c.dh, c.dw};
        switch (c.pad) {
            case SAME: case VALID: return F.conv2d(x, w, b, s, mode, d, c.groups);
            case INT: return F.conv2d(x, w, b, s, new int[] {c.ph, c.pw}, d, c.groups);
            default: return F.conv2d(F.pad(x, new int[] {c.pw, c.pw, c.ph, c.ph}, mode, 0), w, b, s, new int[] {0, 0}, d, c.groups);
        }
    }

    /** The definition: padding resolved here, independently of F, then unfold + matmul. */
    static Tensor reference(Config c, Tensor x, Tensor w, Tensor b) {
        Tensor x4 = c.oneD ? x.unsqueeze(2) : x, w4 = c.oneD ? w.unsqueeze(2) : w;
        int[] pad = {c.ph, c.pw};
        switch (c.pad) {
            case SAME: {
                int[] p = samePads(c);
                x4 = Convolution.pad(x4, c.oneD ? new int[] {p[0], p[1], 0, 0} : p, "constant", 0);
                pad = new int[] {0, 0};
                break;
            }
            case VALID: pad = new int[] {0, 0}; break;
            case INT: break;
            default:
                x4 = Convolution.pad(x4, new int[] {c.pw, c.pw, c.ph, c.ph}, c.pad.name().toLowerCase(), 0);
                pad = new int[] {0, 0};
        }
        Tensor y = Convolution.conv2dReference(x4, w4, b, new int[] {c.sh, c.sw}, pad, new int[] {c.dh, c.dw}, c.groups);
        return c.oneD ? y.squeeze(2) : y;
    }

    static List<KernelProvider> providers() {
        List<KernelProvider> r = new ArrayList<>();
        for (KernelProvider p : KernelProvider.values()) if (Kernels.isAvailable(p)) r.add(p);
        return r;
    }

    @Property(seed = SEED, tries = 120)
    void convolutionMatchesUnfoldMatmul(@ForAll long seed) {
        Config c = new Config(seed);
        if (!c.fits()) return;
        Random r = new Random(seed ^ 0x5DEECE66DL);
        int[] xShape = c.oneD ? new int[] {c.n, c.cin(), c.w} : new int[] {c.n, c.cin(), c.h, c.w};
        int[] wShape = c.oneD ? new int[] {c.cout(), c.cinG, c.kw} : new int[] {c.cout(), c.cinG, c.kh, c.kw};
        Tensor xLeaf = values(r, c.dtype, xShape).requiresGrad_();
        Tensor wLeaf = values(r, c.dtype, wShape).requiresGrad_();
        Tensor bLeaf = c.bias ? values(r, c.dtype, c.cout()).requiresGrad_() : null;
        Tensor expected, gxE, gwE, gbE;
        Tensor x = layoutView(xLeaf, c.layout);
        Tensor w = c.permutedWeight ? wLeaf.transpose(0, 1).contiguous().transpose(0, 1) : wLeaf;
        expected = reference(c, x, w, bLeaf);
        Tensor weights = values(r, c.dtype, TensorInternals.sizes(expected));
        Tensor[] inputs = bLeaf == null ? new Tensor[] {xLeaf, wLeaf} : new Tensor[] {xLeaf, wLeaf, bLeaf};
        Tensor[] gE = Autograd.grad(new Tensor[] {expected.mul(weights).sum()}, inputs, null, false, false);
        for (KernelProvider p : providers()) {
            String at = p + " " + c;
            Tensor y;
            Tensor[] g;
            try (Kernels.Scope s = Kernels.use(p)) {
                y = fast(c, layoutView(xLeaf, c.layout), w, bLeaf);
                g = Autograd.grad(new Tensor[] {y.mul(weights).sum()}, inputs, null, false, false);
            }
            assertEquals("ConvolutionBackward0", y.gradFn().name(), at + ": grad_fn");
            assertClose(expected, y.detach(), c.dtype, at + ": output");
            assertClose(gE[0], g[0], c.dtype, at + ": grad input");
            assertClose(gE[1], g[1], c.dtype, at + ": grad weight");
            if (bLeaf != null) assertClose(gE[2], g[2], c.dtype, at + ": grad bias");
        }
    }

    @Property(seed = SEED, tries = 60)
    void transposedConvolutionIsTheInputGradientOfTheReference(@ForAll long seed) {
        Config c = new Config(seed, true);
        if (!c.fits()) return;
        Random r = new Random(seed ^ 0x2545F4914F6CDD1DL);
        int[] imageShape = c.oneD ? new int[] {c.n, c.cin(), c.w} : new int[] {c.n, c.cin(), c.h, c.w};
        int[] wShape = c.oneD ? new int[] {c.cout(), c.cinG, c.kw} : new int[] {c.cout(), c.cinG, c.kh, c.kw};
        Tensor w = values(r, c.dtype, wShape);
        Tensor image = Torch.zeros(toLongs(imageShape), c.dtype).requiresGrad_();
        Tensor y0 = reference(c, image, w, null);
        Tensor x = layoutView(values(r, c.dtype, TensorInternals.sizes(y0)), c.layout);
        // conv_transpose(x, w) = d/d image <conv(image, w), x>, with the output padding that gives the image's size.
        Tensor expected = Autograd.grad(y0.mul(x).sum(), image)[0];
        int[] op = c.oneD ? new int[] {outputPadding(c.w, y0.size(2), c.sw, c.pw, c.dw, c.kw)}
                : new int[] {outputPadding(c.h, y0.size(2), c.sh, c.ph, c.dh, c.kh), outputPadding(c.w, y0.size(3), c.sw, c.pw, c.dw, c.kw)};
        for (KernelProvider p : providers()) {
            Tensor y;
            try (Kernels.Scope s = Kernels.use(p)) {
                y = c.oneD ? F.convTranspose1d(x, w, null, c.sw, c.pw, op[0], c.groups, c.dw)
                        : F.convTranspose2d(x, w, null, new int[] {c.sh, c.sw}, new int[] {c.ph, c.pw}, op, c.groups, new int[] {c.dh, c.dw});
            }
            assertClose(expected, y, c.dtype, p + " " + c + ": conv_transpose");
        }
    }

    static int outputPadding(int in, long out, int s, int p, int d, int k) {
        return (int) (in - ((out - 1) * s - 2L * p + (long) d * (k - 1) + 1));
    }
}
