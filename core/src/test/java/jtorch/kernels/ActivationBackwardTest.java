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
 * {@link ActivationBackward} on every provider and at 1 and 2 threads against PyTorch's definitions
 * {@code g * (y * (1 - y))} and {@code g * (1 - y * y)}, bit for bit, on random shapes and layouts
 * (contiguous, transposed, stepped slices, a broadcast gradient), sizes past the split grain included.
 */
class ActivationBackwardTest {
    @Property(seed = Props.SEED, tries = 60)
    void matchesTheDefinition(@ForAll @IntRange(min = 0, max = 37) int rows, @ForAll @IntRange(min = 0, max = 70) int cols,
                              @ForAll @IntRange(min = 0, max = 3) int layout, @ForAll boolean tanh, @ForAll boolean large,
                              @ForAll boolean float64, @ForAll long seed) {
        DType dtype = float64 ? DType.FLOAT64 : DType.FLOAT32;
        if (large) rows *= 40; // up to 1480 x 70 elements: above Elementwise.GRAIN, so the pool splits it
        Random r = new Random(seed);
        Tensor y = ThresholdBackwardTest.arrange(values(r, rows, cols, dtype), layout, rows, cols);
        Tensor g = layout == 3 ? values(r, 1, cols, dtype).expand(rows, cols)
                : ThresholdBackwardTest.arrange(values(r, rows, cols, dtype), (layout + 1) % 3, rows, cols);
        double[] yv = y.contiguous().to(DType.FLOAT64).reshape(-1).toDoubleArray();
        double[] gv = g.contiguous().to(DType.FLOAT64).reshape(-1).toDoubleArray();
        long[] shape = {rows, cols};
        EveryProvider.onOneAndTwoThreads((p, threads) -> {
            Tensor out = Torch.empty(shape, dtype);
            if (tanh) ActivationBackward.tanh(strided(out), strided(g), strided(y));
            else ActivationBackward.sigmoid(strided(out), strided(g), strided(y));
            double[] got = out.to(DType.FLOAT64).reshape(-1).toDoubleArray();
            for (int i = 0; i < got.length; i++) {
                double want;
                if (float64) want = tanh ? gv[i] * (1.0 - yv[i] * yv[i]) : gv[i] * (yv[i] * (1.0 - yv[i]));
                else {
                    float a = (float) yv[i], b = (float) gv[i];
                    want = tanh ? b * (1f - a * a) : b * (a * (1f - a));
                }
                assertEquals(Double.doubleToRawLongBits(want), Double.doubleToRawLongBits(got[i]),
                        p + " threads " + threads + " at " + i + ": y=" + yv[i] + " g=" + gv[i]);
            }
        });
    }

    private static Tensor values(Random r, int rows, int cols, DType dtype) {
        double[] v = new double[rows * cols];
        for (int i = 0; i < v.length; i++) v[i] = r.nextInt(4) == 0 ? r.nextDouble() : r.nextGaussian() * 2;
        return Torch.tensor(v).to(dtype).reshape(rows, cols);
    }
}
