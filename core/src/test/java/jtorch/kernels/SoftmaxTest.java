package jtorch.kernels;

import java.util.Random;

import jtorch.DType;
import jtorch.Props;
import jtorch.Tensor;
import jtorch.Torch;
import jtorch.internal.TensorInternals;
import jtorch.ops.Shapes;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static jtorch.internal.TensorInternals.strided;

/**
 * {@link Softmax} against the composition it replaces (max with infinities zeroed, subtract,
 * exp, sum, log, subtract or divide; backward {@code g - exp(y) * sum(g)}), run with the
 * elementwise and reduction ops on the same provider: the same bits on random shapes, dims
 * (first, middle, last), layouts and values with NaN and infinities. float32 log_softmax over
 * unit-stride rows is checked against the composition with {@link FloatExp}'s exp in place of the
 * exp op's (the one step it changes).
 */
class SoftmaxTest {
    @Property(seed = Props.SEED, tries = 120)
    void matchesTheComposition(@ForAll @IntRange(min = 1, max = 3) int rank, @ForAll long seed, @ForAll boolean log,
                               @ForAll boolean float64, @ForAll boolean transposed) {
        Random r = new Random(seed);
        long[] shape = new long[rank];
        for (int d = 0; d < rank; d++) shape[d] = 1 + r.nextInt(r.nextInt(4) == 0 ? 40 : 6);
        DType dtype = float64 ? DType.FLOAT64 : DType.FLOAT32;
        Tensor[] xg = inputAndGradient(r, shape, dtype);
        Tensor x = xg[0], g = xg[1];
        if (transposed && rank > 1) x = x.transpose(0, rank - 1).contiguous().transpose(0, rank - 1);
        int dim = r.nextInt(rank);
        for (KernelProvider p : KernelProvider.values()) {
            if (!Kernels.isAvailable(p)) continue;
            try (Kernels.Scope s = Kernels.use(p); var ng = Torch.noGrad()) {
                Tensor out = Torch.empty(shape, dtype);
                Softmax.forward(strided(x.contiguous()), strided(out), dim, log);
                Tensor m = x.max(dim, true).values();
                m = m.where(m.abs().ne(Double.POSITIVE_INFINITY), 0.0);
                Tensor shifted = x.sub(m);
                // float32 log_softmax over unit-stride rows takes exp from FloatExp (see Softmax)
                boolean floatExp = !float64 && log && inner(shape, dim) == 1;
                Tensor sum = exp(shifted, floatExp).sum(new int[] {dim}, true);
                Tensor want = log ? shifted.sub(sum.log()) : shifted.exp().div(sum);
                assertSameBits(want, out, p + " forward, dim " + dim + " of " + x.shape());
                if (!log) continue;
                Tensor gradInput = Torch.empty(shape, dtype);
                Softmax.logBackward(strided(g), strided(out), strided(gradInput), dim);
                Tensor wantGrad = g.sub(exp(out, floatExp).mul(g.sum(new int[] {dim}, true)));
                assertSameBits(wantGrad, gradInput, p + " backward, dim " + dim + " of " + x.shape());
            }
        }
    }

    /** The exp op, or {@link FloatExp} element by element. */
    private static Tensor exp(Tensor t, boolean floatExp) {
        if (!floatExp) return t.exp();
        double[] v = t.toDoubleArray();
        for (int i = 0; i < v.length; i++) v[i] = FloatExp.exp((float) v[i]);
        return Torch.tensor(v).to(DType.FLOAT32).reshape(Shapes.toLongs(TensorInternals.sizes(t)));
    }

    private static long inner(long[] shape, int dim) {
        long inner = 1;
        for (int d = dim + 1; d < shape.length; d++) inner *= shape[d];
        return inner;
    }

    private static void assertSameBits(Tensor want, Tensor got, String what) {
        double[] w = want.toDoubleArray(), o = got.toDoubleArray();
        for (int i = 0; i < w.length; i++)
            assertEquals(Double.doubleToLongBits(w[i]), Double.doubleToLongBits(o[i]), what + " at " + i);
    }

    /** A random input of {@code shape}, one element in 30 NaN or an infinity, and a gradient of that shape. */
    static Tensor[] inputAndGradient(Random r, long[] shape, DType dtype) {
        double[] v = new double[(int) Torch.zeros(shape).numel()], gv = new double[v.length];
        double[] specials = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextInt(30) == 0 ? specials[r.nextInt(3)] : r.nextGaussian() * 4;
            gv[i] = r.nextGaussian();
        }
        return new Tensor[] {Torch.tensor(v).to(dtype).reshape(shape), Torch.tensor(gv).to(dtype).reshape(shape)};
    }
}
