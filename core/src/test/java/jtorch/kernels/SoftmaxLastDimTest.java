package jtorch.kernels;

import java.util.Random;

import jtorch.DType;
import jtorch.Props;
import jtorch.Tensor;
import jtorch.Torch;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterExample;
import net.jqwik.api.lifecycle.AfterProperty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static jtorch.internal.TensorInternals.strided;

/**
 * {@link Softmax#softmaxLastDim} and {@link Softmax#softmaxBackwardLastDim} (rows over the pool):
 * the same bits as the strided kernel ({@link Softmax#forward}) and as the backward's composition
 * {@code y * (g - sum(g * y))}, on random shapes with NaN and infinities, at 1 and 2 threads.
 */
class SoftmaxLastDimTest {
    @AfterProperty
    @AfterExample
    void restoreThreads() { Torch.setNumThreads(Parallel.defaultNumThreads()); }

    @Property(seed = Props.SEED, tries = 80)
    void matchesTheKernelAndTheComposition(@ForAll @IntRange(min = 1, max = 3) int rank, @ForAll long seed,
                                           @ForAll boolean float64, @ForAll boolean twoThreads) {
        Random r = new Random(seed);
        long[] shape = new long[rank];
        for (int d = 0; d < rank; d++) shape[d] = 1 + r.nextInt(r.nextInt(3) == 0 ? 300 : 8);
        DType dtype = float64 ? DType.FLOAT64 : DType.FLOAT32;
        Tensor[] xg = SoftmaxTest.inputAndGradient(r, shape, dtype);
        Tensor x = xg[0], g = xg[1];
        Torch.setNumThreads(twoThreads ? 2 : 1);
        for (KernelProvider p : KernelProvider.values()) {
            if (!Kernels.isAvailable(p)) continue;
            try (Kernels.Scope s = Kernels.use(p); var ng = Torch.noGrad()) {
                Tensor want = Torch.empty(shape, dtype), out = Torch.empty(shape, dtype);
                Softmax.forward(strided(x), strided(want), rank - 1, false);
                Softmax.softmaxLastDim(strided(x), strided(out));
                assertSameBits(want, out, p + " forward of " + x.shape());
                Tensor y = want;
                Tensor gradInput = Torch.empty(shape, dtype);
                Softmax.softmaxBackwardLastDim(strided(g), strided(y), strided(gradInput));
                Tensor wantGrad = y.mul(g.sub(g.mul(y).sum(new int[] {rank - 1}, true)));
                assertSameBits(wantGrad, gradInput, p + " backward of " + x.shape());
            }
        }
    }

    /** The attention's (128, 64, 64) weights: split over two threads, the same bits as one. */
    @Example
    void twoThreadsGiveTheSameBits() {
        Torch.manualSeed(7);
        Tensor x = Torch.randn(128, 64, 64), g = Torch.randn(128, 64, 64);
        Tensor[] one = new Tensor[2], two = new Tensor[2];
        for (int t = 1; t <= 2; t++) {
            Torch.setNumThreads(t);
            Tensor y = Torch.empty(128, 64, 64), gi = Torch.empty(128, 64, 64);
            Softmax.softmaxLastDim(strided(x), strided(y));
            Softmax.softmaxBackwardLastDim(strided(g), strided(y), strided(gi));
            (t == 1 ? one : two)[0] = y;
            (t == 1 ? one : two)[1] = gi;
        }
        assertSameBits(one[0], two[0], "forward");
        assertSameBits(one[1], two[1], "backward");
    }

    private static void assertSameBits(Tensor want, Tensor got, String what) {
        double[] w = want.toDoubleArray(), o = got.toDoubleArray();
        for (int i = 0; i < w.length; i++)
            assertEquals(Double.doubleToLongBits(w[i]), Double.doubleToLongBits(o[i]), what + " at " + i);
    }
}
