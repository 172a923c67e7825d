package jtorch.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import jtorch.DType;
import jtorch.Tensor;
import jtorch.Torch;
import jtorch.ops.Reductions;

/** {@code Reductions.sumOfSquares} (clip_grad_norm_'s squared 2-norm) against an exact sum, on every provider. */
class SumOfSquaresTest {

    /** The exact sum of squares, rounded once to double. */
    private static double exact(double[] v) {
        BigDecimal acc = BigDecimal.ZERO;
        for (double x : v) acc = acc.add(new BigDecimal(x).multiply(new BigDecimal(x)));
        return acc.round(MathContext.DECIMAL128).doubleValue();
    }

    @Test
    void matchesTheExactSumOnEveryProviderForEveryTailLength() {
        SplittableRandom rnd = new SplittableRandom(11);
        for (KernelProvider provider : new KernelProvider[] {KernelProvider.SCALAR, KernelProvider.VECTOR})
            try (Kernels.Scope s = Kernels.use(provider)) {
                for (int n : new int[] {0, 1, 3, 7, 8, 9, 15, 16, 17, 31, 1000, 4099}) {
                    double[] v = new double[n];
                    float[] f = new float[n];
                    for (int i = 0; i < n; i++) {
                        f[i] = (float) (rnd.nextDouble(-3, 3) * Math.pow(10, rnd.nextInt(-3, 4)));
                        v[i] = f[i];
                    }
                    double want = exact(v);
                    Tensor t32 = Torch.tensor(f), t64 = t32.to(DType.FLOAT64);
                    // A few roundings of positive terms: well within 1e-13 relative for these lengths.
                    assertEquals(want, Reductions.sumOfSquares(t32), Math.abs(want) * 1e-13, provider + " float32 n=" + n);
                    assertEquals(want, Reductions.sumOfSquares(t64), Math.abs(want) * 1e-13, provider + " float64 n=" + n);
                }
            }
    }

    @Test
    void readsViewsAndOffsetsAsTheirElements() {
        Tensor base = Torch.arange(24).to(DType.FLOAT32).reshape(4, 6);
        Tensor view = base.t().narrow(0, 1, 3);   // non-contiguous, offset 1
        double want = 0;
        for (int r = 1; r < 4; r++) for (int c = 0; c < 4; c++) want += Math.pow(c * 6 + r, 2);
        assertEquals(want, Reductions.sumOfSquares(view), 0.0);
        assertEquals(0.0, Reductions.sumOfSquares(Torch.zeros(0)), 0.0);
    }

    @Test
    void refusesIntegerTensors() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Reductions.sumOfSquares(Torch.arange(3)));
        assertEquals("sum_of_squares: expected a floating point tensor, got Long", e.getMessage());
    }
}
