package jtorch.nn;

import java.util.Random;

import jtorch.DType;
import jtorch.Tensor;
import jtorch.internal.TensorInternals;

/**
 * Random float64 inputs for the nn property tests, drawn from a {@link Random} seeded by a
 * jqwik-generated long (so jqwik shrinks the seed, never a list of doubles). The generators keep
 * clear of the points where a function has a kink or switches formula, so that central finite
 * differences (gradcheck's eps 1e-6) never straddle one.
 *
 * <pre>{@code
 * Random r = new Random(seed);
 * Tensor x = NnGen.uniform(r, NnGen.shape(r, 2, 3, 4), -2, 2).requiresGrad_();
 * }</pre>
 */
final class NnGen {
    private NnGen() {}

    static final String SEED = "20261126";
    static final String[] REDUCTIONS = {"mean", "sum", "none"};

    /** A shape of rank {@code rank} with sizes in {@code [1, maxSize]}. */
    static long[] shape(Random r, int rank, int maxSize) {
        long[] s = new long[rank];
        for (int i = 0; i < rank; i++) s[i] = 1 + r.nextInt(maxSize);
        return s;
    }

    /** A shape of rank {@code minRank..maxRank}. */
    static long[] shape(Random r, int minRank, int maxRank, int maxSize) {
        return shape(r, minRank + r.nextInt(maxRank - minRank + 1), maxSize);
    }

    static long numel(long[] shape) {
        long n = 1;
        for (long s : shape) n *= s;
        return n;
    }

    private static int[] ints(long[] shape) {
        int[] s = new int[shape.length];
        for (int i = 0; i < s.length; i++) s[i] = (int) shape[i];
        return s;
    }

    /** Float64 values uniform in {@code [lo, hi)}. */
    static Tensor uniform(Random r, long[] shape, double lo, double hi) {
        double[] v = new double[(int) numel(shape)];
        for (int i = 0; i < v.length; i++) v[i] = lo + (hi - lo) * r.nextDouble();
        return TensorInternals.wrap(v, ints(shape));
    }

    /** Float64 values with {@code lo <= |x| < hi} and a random sign: no value near 0. */
    static Tensor awayFromZero(Random r, long[] shape, double lo, double hi) {
        double[] v = new double[(int) numel(shape)];
        for (int i = 0; i < v.length; i++) v[i] = (r.nextBoolean() ? 1 : -1) * (lo + (hi - lo) * r.nextDouble());
        return TensorInternals.wrap(v, ints(shape));
    }

    /** {@code base + d}, each {@code |d|} in {@code [lo, hi)}, for targets away from the input. */
    static Tensor offsetFrom(Random r, Tensor base, double lo, double hi) {
        return base.detach().add(awayFromZero(r, base.shape().toArray(), lo, hi));
    }

    /** Int64 class indices in {@code [0, classes)}. */
    static Tensor classes(Random r, long[] shape, int classes) {
        long[] v = new long[(int) numel(shape)];
        for (int i = 0; i < v.length; i++) v[i] = r.nextInt(classes);
        return TensorInternals.wrap(v, ints(shape));
    }

    /**
     * Replaces about a third of {@code targets} by {@code ignoreIndex}, never all of them (the first
     * stays a class other than {@code ignoreIndex}, so that a "mean" has something to divide by).
     */
    static Tensor withIgnored(Random r, Tensor targets, long ignoreIndex, int classes) {
        long[] v = targets.toLongArray();
        if (v.length > 0 && v[0] == ignoreIndex) v[0] = (ignoreIndex + 1) % classes;
        for (int i = 1; i < v.length; i++) if (r.nextInt(3) == 0) v[i] = ignoreIndex;
        return TensorInternals.wrap(v, TensorInternals.sizes(targets));
    }

    /** A probability distribution along {@code dim} (a softmax of random logits). */
    static Tensor probabilities(Random r, long[] shape, int dim) {
        return uniform(r, shape, -2, 2).softmax(dim);
    }

    /** Positive weights in {@code [0.2, 2)}. */
    static Tensor weights(Random r, long... shape) { return uniform(r, shape, 0.2, 2.0); }

    static boolean isFloat64(Tensor t) { return t.dtype() == DType.FLOAT64; }
}
