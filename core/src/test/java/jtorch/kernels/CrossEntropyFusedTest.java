package jtorch.kernels;

import java.util.Random;

import jtorch.DType;
import jtorch.Props;
import jtorch.Tensor;
import jtorch.Torch;
import jtorch.autograd.Autograd;
import jtorch.ops.NllLoss;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The fused float32 cross-entropy ({@link NllLoss#crossEntropy}, kernels
 * {@link Softmax#crossEntropyForwardF32} / {@link Softmax#crossEntropyBackwardF32}) against the
 * plain composition {@code nll_loss(log_softmax(x, 1))} it replaces, on every provider: the same bits
 * for the loss and the gradient, on rows with NaN, -inf, +inf, large values, ties at the max and
 * ignored targets, for the three reductions; and under create_graph the same first and second
 * derivatives as the composition's.
 */
class CrossEntropyFusedTest {
    private static final String[] REDUCTIONS = {"mean", "sum", "none"};

    @Property(seed = Props.SEED, tries = 80)
    void matchesTheComposition(@ForAll long seed) {
        Random r = new Random(seed);
        int n = 1 + r.nextInt(9), c = 1 + r.nextInt(r.nextBoolean() ? 70 : 8);
        long ignore = r.nextBoolean() ? -100 : r.nextInt(c);
        Tensor x = logits(r, n, c);
        long[] t = new long[n];
        for (int i = 0; i < n; i++) t[i] = r.nextInt(5) == 0 ? ignore : r.nextInt(c);
        if (ignore < 0 || ignore >= c) for (int i = 0; i < n; i++) if (t[i] == ignore) t[i] = -100; // ignore = -100
        long ig = ignore < 0 ? -100 : ignore;
        for (KernelProvider p : KernelProvider.values()) {
            if (!Kernels.isAvailable(p)) continue;
            try (Kernels.Scope s = Kernels.use(p)) {
                for (String red : REDUCTIONS) {
                    Tensor xa = x.detach().requiresGrad_(), xb = x.detach().requiresGrad_();
                    Tensor fused = NllLoss.crossEntropy(xa, t, ig, red);
                    Tensor plain = NllLoss.nllLoss(xb.logSoftmax(1), t, ig, red);
                    String what = p + " " + red + " n " + n + " c " + c;
                    assertSameBits(plain, fused, what + " loss");
                    Tensor g = red.equals("none") ? Torch.randn(n) : Torch.tensor(1.5, DType.FLOAT32);
                    fused.backward(g);
                    plain.backward(g);
                    assertSameBits(xb.grad(), xa.grad(), what + " gradient");
                }
            }
        }
    }

    @Property(seed = Props.SEED, tries = 30)
    void createGraphGivesTheCompositionsDerivatives(@ForAll long seed) {
        Random r = new Random(seed);
        int n = 1 + r.nextInt(5), c = 1 + r.nextInt(12);
        Tensor x = Torch.randn(n, c).mul(3);
        long[] t = new long[n];
        for (int i = 0; i < n; i++) t[i] = r.nextInt(4) == 0 ? -100 : r.nextInt(c);
        Tensor v = Torch.randn(n, c);
        for (String red : REDUCTIONS) {
            Tensor xa = x.detach().requiresGrad_(), xb = x.detach().requiresGrad_();
            Tensor g = red.equals("none") ? Torch.randn(n) : Torch.tensor(0.75, DType.FLOAT32);
            Tensor fa = NllLoss.crossEntropy(xa, t, -100, red), fb = NllLoss.nllLoss(xb.logSoftmax(1), t, -100, red);
            Tensor ga = Autograd.grad(new Tensor[] {fa}, new Tensor[] {xa}, new Tensor[] {g}, true, true, false)[0];
            Tensor gb = Autograd.grad(new Tensor[] {fb}, new Tensor[] {xb}, new Tensor[] {g}, true, true, false)[0];
            assertSameBits(gb, ga, red + " first derivative under create_graph");
            ga.mul(v).sum().backward();
            gb.mul(v).sum().backward();
            assertSameBits(xb.grad(), xa.grad(), red + " second derivative");
        }
    }

    /** Gaussian logits times 4, some rows scaled to 1e30, one element in 12 NaN or an infinity, some ties at the max. */
    private static Tensor logits(Random r, int n, int c) {
        float[] v = new float[n * c];
        float[] specials = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f, -0f};
        for (int i = 0; i < n; i++) {
            float scale = r.nextInt(6) == 0 ? 1e30f : 4f;
            for (int j = 0; j < c; j++) {
                int at = i * c + j;
                v[at] = r.nextInt(12) == 0 ? specials[r.nextInt(specials.length)] : (float) r.nextGaussian() * scale;
                if (j > 0 && r.nextInt(10) == 0) v[at] = v[at - 1]; // a tie
            }
        }
        return Torch.tensor(v).reshape(n, c);
    }

    private static void assertSameBits(Tensor want, Tensor got, String what) {
        assertEquals(want.dtype(), got.dtype(), what);
        assertEquals(want.shape(), got.shape(), what);
        double[] w = want.toDoubleArray(), o = got.toDoubleArray();
        for (int i = 0; i < w.length; i++)
            assertEquals(Double.doubleToLongBits(w[i]), Double.doubleToLongBits(o[i]), what + " at " + i);
    }
}
