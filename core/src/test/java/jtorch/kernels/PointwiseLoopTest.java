package jtorch.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

import jtorch.DType;
import jtorch.Generator;
import jtorch.Props;
import jtorch.Tensor;
import jtorch.Torch;
import jtorch.internal.TensorInternals;
import jtorch.ops.PointwiseExtra;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;

/**
 * The op table's driver ({@link PointwiseLoop}) gives every element the same bits whatever the
 * layout, the provider and the thread count: each row op of a transposed, offset, expanded
 * (stride-0) or stepped view equals the op of its contiguous copy, element for element (NaN as
 * NaN), under the scalar provider and the default one; a binary row (atan2) likewise with a
 * broadcast operand; and a large transposed input split across two threads equals the
 * single-threaded contiguous result. The values mix ordinary numbers with signed zeros,
 * infinities and NaN and values outside some ops' domains (log of a negative is NaN).
 */
class PointwiseLoopTest {
    private static final Map<String, UnaryOperator<Tensor>> OPS = new LinkedHashMap<>();

    static {
        OPS.put("exp", Tensor::exp);
        OPS.put("log", Tensor::log);
        OPS.put("log1p", Tensor::log1p);
        OPS.put("expm1", Tensor::expm1);
        OPS.put("sqrt", Tensor::sqrt);
        OPS.put("rsqrt", Tensor::rsqrt);
        OPS.put("reciprocal", Tensor::reciprocal);
        OPS.put("sin", Tensor::sin);
        OPS.put("cos", Tensor::cos);
        OPS.put("tanh", Tensor::tanh);
        OPS.put("sigmoid", Tensor::sigmoid);
        OPS.put("erf", Tensor::erf);
        OPS.put("sinh", Tensor::sinh);
        OPS.put("cosh", Tensor::cosh);
        OPS.put("log2", Tensor::log2);
        OPS.put("log10", Tensor::log10);
        OPS.put("exp2", Tensor::exp2);
        OPS.put("floor", Tensor::floor);
        OPS.put("round", Tensor::round);
        OPS.put("frac", Tensor::frac);
        OPS.put("silu", PointwiseExtra::silu);
        OPS.put("mish", PointwiseExtra::mish);
    }

    @AfterProperty
    void restoreThreads() { Torch.setNumThreads(Parallel.defaultNumThreads()); }

    @Provide
    Arbitrary<int[]> shapes() { return Props.shapes(1, 4, 1, 7, 400); }

    /** Values of {@code n} elements: normal numbers of several scales with specials sprinkled in. */
    static Tensor values(int[] sizes, DType dtype, long seed) {
        long n = 1;
        for (int s : sizes) n *= s;
        long[] shape = new long[sizes.length];
        for (int d = 0; d < sizes.length; d++) shape[d] = sizes[d];
        double[] v = Torch.randn(new long[] {n}, new Generator(seed)).mul(3.0).to(DType.FLOAT64).toDoubleArray();
        double[] specials = {0.0, -0.0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN, 1.0, -1.0, 0.5, 1e-30, 90.0};
        for (int i = 0; i < v.length; i += 5) v[i] = specials[(int) ((seed + i) % specials.length)];
        return Torch.tensor(v).reshape(shape).to(dtype);
    }

    /** The view under test: 0 contiguous, 1 transposed (dims reversed), 2 offset by one along dim 0, 3 expanded along a new leading dim, 4 every other element of the last dim. */
    static Tensor layout(int[] sizes, DType dtype, long seed, int kind) {
        int r = sizes.length;
        switch (kind) {
            case 1: {
                int[] rev = new int[r], perm = new int[r];
                for (int d = 0; d < r; d++) { rev[d] = sizes[r - 1 - d]; perm[d] = r - 1 - d; }
                return values(rev, dtype, seed).permute(perm);
            }
            case 2: {
                int[] big = sizes.clone();
                big[0]++;
                return values(big, dtype, seed).narrow(0, 1, sizes[0]);
            }
            case 3: {
                long[] to = new long[r + 1];
                to[0] = 3;
                for (int d = 0; d < r; d++) to[d + 1] = sizes[d];
                return values(sizes, dtype, seed).expand(to);
            }
            case 4: {
                int[] big = sizes.clone();
                big[r - 1] *= 2;
                Tensor t = values(big, dtype, seed);
                long[] viewShape = new long[r + 1];
                for (int d = 0; d < r - 1; d++) viewShape[d] = sizes[d];
                viewShape[r - 1] = sizes[r - 1];
                viewShape[r] = 2;
                return t.reshape(viewShape).select(r, 0); // last stride 2
            }
            default: return values(sizes, dtype, seed);
        }
    }

    private static long[] toLongs(int[] s) {
        long[] r = new long[s.length];
        for (int i = 0; i < s.length; i++) r[i] = s[i];
        return r;
    }

    static void assertSameBits(Tensor expected, Tensor actual, String what) {
        assertEquals(expected.dtype(), actual.dtype(), what + ": dtype");
        assertEquals(java.util.Arrays.toString(TensorInternals.sizes(expected)), java.util.Arrays.toString(TensorInternals.sizes(actual)), what + ": shape");
        double[] e = expected.to(DType.FLOAT64).toDoubleArray(), a = actual.to(DType.FLOAT64).toDoubleArray();
        for (int i = 0; i < e.length; i++)
            if (!(Double.isNaN(e[i]) && Double.isNaN(a[i])) && Double.doubleToRawLongBits(e[i]) != Double.doubleToRawLongBits(a[i]))
                assertEquals(e[i], a[i], what + " element " + i);
    }

    @Property(seed = Props.SEED, tries = 120)
    void everyLayoutGivesTheContiguousBits(@ForAll("shapes") int[] sizes, @ForAll boolean float64, @ForAll boolean scalarProvider) {
        DType dtype = float64 ? DType.FLOAT64 : DType.FLOAT32;
        long seed = 7L * sizes.length + sizes[0];
        try (Kernels.Scope s = scalarProvider ? Kernels.use(KernelProvider.SCALAR) : null) {
            for (int kind = 0; kind < 5; kind++) {
                Tensor x = layout(sizes, dtype, seed, kind);
                for (Map.Entry<String, UnaryOperator<Tensor>> op : OPS.entrySet())
                    assertSameBits(op.getValue().apply(x.contiguous()), op.getValue().apply(x), op.getKey() + " layout " + kind);
                Tensor y = layout(sizes, dtype, seed + 1, (kind + 1) % 5);
                Tensor b = values(new int[] {sizes[sizes.length - 1]}, dtype, seed + 2); // broadcast along the leading dims
                assertSameBits(x.contiguous().atan2(y.contiguous()), x.atan2(y), "atan2 layout " + kind);
                assertSameBits(x.contiguous().atan2(b.expand(toLongs(TensorInternals.sizes(x))).contiguous()), x.atan2(b), "atan2 broadcast " + kind);
            }
        }
    }

    @Example
    void aLargeStridedInputSplitAcrossThreadsGivesTheSingleThreadedBits() {
        Tensor x = values(new int[] {300, 301}, DType.FLOAT32, 3).t();
        Torch.setNumThreads(1);
        Map<String, Tensor> serial = new LinkedHashMap<>();
        for (Map.Entry<String, UnaryOperator<Tensor>> op : OPS.entrySet()) serial.put(op.getKey(), op.getValue().apply(x.contiguous()));
        Torch.setNumThreads(2);
        for (Map.Entry<String, UnaryOperator<Tensor>> op : OPS.entrySet())
            assertSameBits(serial.get(op.getKey()), op.getValue().apply(x), op.getKey() + " on two threads");
    }
}
