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
 * {@link ThresholdBackward} on every provider against the definition {@code x > t ? g : 0}, bit for
 * bit, on random shapes, layouts (contiguous, transposed, stepped slices, a broadcast gradient) and
 * values that include NaN, infinities and signed zeros in both operands.
 */
class ThresholdBackwardTest {
    private static final double[] THRESHOLDS = {0.0, -0.0, 0.5, -1.0, Double.NaN};
    private static final double[] SPECIALS = {Double.NaN, -0.0, 0.0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1e-45};

    @Property(seed = Props.SEED, tries = 150)
    void matchesTheDefinitionOnEveryProvider(@ForAll @IntRange(min = 0, max = 37) int rows, @ForAll @IntRange(min = 0, max = 70) int cols,
                                             @ForAll @IntRange(min = 0, max = 3) int layout, @ForAll @IntRange(min = 0, max = 4) int ti,
                                             @ForAll boolean float64, @ForAll long seed) {
        DType dtype = float64 ? DType.FLOAT64 : DType.FLOAT32;
        Random r = new Random(seed);
        Tensor x = arrange(values(r, rows, cols, dtype), layout, rows, cols);
        Tensor g = layout == 3 ? values(r, 1, cols, dtype).expand(rows, cols) : arrange(values(r, rows, cols, dtype), (layout + 1) % 3, rows, cols);
        double t = THRESHOLDS[ti];
        for (KernelProvider p : KernelProvider.values()) {
            if (!Kernels.isAvailable(p)) continue;
            try (Kernels.Scope s = Kernels.use(p)) {
                Tensor out = Torch.empty(new long[] {rows, cols}, dtype);
                ThresholdBackward.run(strided(out), strided(g), strided(x), t);
                for (int i = 0; i < rows; i++)
                    for (int j = 0; j < cols; j++) {
                        double xv = x.index(i, j).item(), gv = g.index(i, j).item();
                        double want = float64 ? (xv > t ? gv : 0.0) : ((float) xv > (float) t ? gv : 0.0);
                        assertEquals(Double.doubleToRawLongBits(want), Double.doubleToRawLongBits(out.index(i, j).item()),
                                p + " at (" + i + ", " + j + "): x=" + xv + " g=" + gv + " t=" + t);
                    }
            }
        }
    }

    private static Tensor values(Random r, int rows, int cols, DType dtype) {
        double[] v = new double[rows * cols];
        for (int i = 0; i < v.length; i++) v[i] = r.nextInt(8) == 0 ? SPECIALS[r.nextInt(SPECIALS.length)] : r.nextGaussian();
        return Torch.tensor(v).to(dtype).reshape(rows, cols);
    }

    /** The same values in another memory layout: 0 contiguous, 1 transposed, 2 every other column of a wider tensor. */
    static Tensor arrange(Tensor t, int layout, int rows, int cols) {
        switch (layout) {
            case 1: return t.t().contiguous().t();
            case 2: {
                Tensor wide = Torch.zeros(new long[] {rows, 2L * cols}, t.dtype());
                Tensor view = wide.index(Torch.slice(), Torch.slice(0L, 2L * cols, 2));
                view.copy_(t);
                return view;
            }
            default: return t;
        }
    }
}
