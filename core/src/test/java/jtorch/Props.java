package jtorch;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import jtorch.kernels.Reduce;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Generators shared by the property tests: shapes (with size-0 and size-1 dims in the mix),
 * broadcast-compatible shape tuples, memory layouts, and float tensors whose values come from a
 * {@link Random} seeded by a generated long (so jqwik shrinks the shape and the seed, never a
 * list of doubles).
 *
 * <pre>{@code
 * @Property(seed = Props.SEED, tries = 30)
 * void law(@ForAll("xs") Tensor x) { ... }
 *
 * @Provide Arbitrary<Tensor> xs() { return Props.float64(Props.shapes(), Props.Domain.ANY); }
 * }</pre>
 */
public final class Props {
    private Props() {}

    /** The one seed every {@code @Property} runs with. */
    public static final String SEED = "20261126";

    /** Upper bound on the elements of a generated tensor: keeps gradcheck's Jacobians tiny. */
    public static final int MAX_NUMEL = 24;

    // ------------------------------------------------------------------ shapes

    /**
     * A dim size in {@code [min, max]}. Sizes 0 and 1 are always in the mix (jqwik also injects them
     * as edge cases); 0 is drawn rarely so that most tensors still have elements to check.
     */
    public static Arbitrary<Integer> dimSizes(int min, int max) {
        List<Tuple.Tuple2<Integer, Integer>> weighted = new ArrayList<>();
        for (int s = min; s <= max; s++) weighted.add(Tuple.of(s == 0 ? 1 : s == 1 ? 4 : 5, s));
        return Arbitraries.frequency(weighted);
    }

    /** Shapes of rank {@code [minRank, maxRank]} with sizes {@code [minSize, maxSize]} and at most {@code maxNumel} elements. */
    public static Arbitrary<int[]> shapes(int minRank, int maxRank, int minSize, int maxSize, int maxNumel) {
        return Arbitraries.integers().between(minRank, maxRank)
                .flatMap(rank -> dimSizes(minSize, maxSize).list().ofSize(rank))
                .map(sizes -> fit(toArray(sizes), maxNumel, Math.max(minSize, 1)));
    }

    /** Shrinks the largest dims (never below {@code floor}) until the shape has at most {@code maxNumel} elements. */
    private static int[] fit(int[] s, int maxNumel, int floor) {
        while (numel(s) > maxNumel) {
            int big = 0;
            for (int d = 1; d < s.length; d++) if (s[d] > s[big]) big = d;
            if (s[big] <= floor) break;
            s[big]--;
        }
        return s;
    }

    /** Rank 0-4, sizes 0-4, at most {@link #MAX_NUMEL} elements. */
    public static Arbitrary<int[]> shapes() { return shapes(0, 4, 0, 4, MAX_NUMEL); }

    /** Rank {@code [minRank, 4]} with every size at least 1. */
    public static Arbitrary<int[]> nonEmptyShapes(int minRank) { return shapes(minRank, 4, 1, 4, MAX_NUMEL); }

    /**
     * {@code k} shapes that broadcast together, and (at index k) their broadcast shape: a drawn
     * result shape, and for each operand that shape with some leading dims dropped and some dims
     * replaced by 1.
     */
    public static Arbitrary<int[][]> broadcastShapes(int k) { return broadcastShapes(k, shapes()); }

    public static Arbitrary<int[][]> broadcastShapes(int k, Arbitrary<int[]> resultShapes) {
        Arbitrary<Integer> drops = Arbitraries.frequency(Tuple.of(6, 0), Tuple.of(2, 1), Tuple.of(1, 2), Tuple.of(1, 4));
        Arbitrary<Integer> ones = Arbitraries.integers().between(0, 15);
        return Combinators.combine(resultShapes, drops.list().ofSize(k), ones.list().ofSize(k)).as((out, d, m) -> {
            int[][] r = new int[k + 1][];
            r[k] = new int[0];
            for (int i = 0; i < k; i++) {
                r[i] = operandOf(out, d.get(i), m.get(i));
                r[k] = broadcast(r[k], r[i]);
            }
            return r;
        });
    }

    /** A shape that broadcasts to {@code target} (for in-place ops, whose result keeps {@code self}'s shape). */
    public static Arbitrary<int[]> broadcastableTo(int[] target) {
        Arbitrary<Integer> drops = Arbitraries.integers().between(0, target.length);
        return Combinators.combine(drops, Arbitraries.integers().between(0, 15)).as((d, m) -> operandOf(target, d, m));
    }

    /** NumPy broadcasting of two compatible shapes (computed here, independently of the library). */
    public static int[] broadcast(int[] a, int[] b) {
        int n = Math.max(a.length, b.length);
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            int x = i - (n - a.length) >= 0 ? a[i - (n - a.length)] : 1, y = i - (n - b.length) >= 0 ? b[i - (n - b.length)] : 1;
            if (x != y && x != 1 && y != 1) throw new IllegalArgumentException(Arrays.toString(a) + " vs " + Arrays.toString(b));
            r[i] = x == 1 ? y : x;
        }
        return r;
    }

    /** Dims (either sign) along which {@code shape} has at least one element; {0, -1} for a 0-dim shape. */
    public static Arbitrary<Integer> nonEmptyDims(int[] shape) {
        List<Integer> ds = new ArrayList<>();
        if (shape.length == 0) return Arbitraries.of(0, -1);
        for (int d = 0; d < shape.length; d++) if (shape[d] > 0) { ds.add(d); ds.add(d - shape.length); }
        return Arbitraries.of(ds);
    }

    public static boolean hasNonEmptyDim(int[] shape) {
        if (shape.length == 0) return true;
        for (int s : shape) if (s > 0) return true;
        return false;
    }

    private static int[] operandOf(int[] out, int drop, int onesMask) {
        int n = Math.max(out.length - Math.min(drop, out.length), 0);
        int[] s = Arrays.copyOfRange(out, out.length - n, out.length);
        for (int j = 0; j < n; j++) if ((onesMask >> j & 1) != 0) s[j] = 1;
        return s;
    }

    // ------------------------------------------------------------------ layouts and values

    /** How a generated tensor sits in its storage. */
    public enum Layout {
        /** Row-major, offset 0. */
        CONTIGUOUS,
        /** A tensor of reversed shape, permuted back: every stride out of order (rank &gt;= 2). */
        TRANSPOSED,
        /** Every other element of a larger tensor along the last dim, from offset 1; the gaps hold NaN. */
        STRIDED
    }

    public static Arbitrary<Layout> layouts() { return Arbitraries.of(Layout.class); }

    /** Where float values are drawn from, chosen to stay clear of the points where an op is not differentiable. */
    public enum Domain {
        /** Uniform in [-2, 2]. */
        ANY,
        /** Uniform in [0.5, 2]: log, sqrt, rsqrt, pow bases. */
        POSITIVE,
        /** |x| uniform in [0.5, 2], either sign: divisors, reciprocal. */
        NONZERO,
        /** Uniform in [-0.5, 2]: log1p. */
        LOG1P,
        /**
         * Distinct values of one shuffled grid shared by all of a draw's tensors: pairwise gaps above
         * 0.03, at least 0.015 from 0 and at least 0.006 from any odd multiple of 0.01 (use such
         * clamp bounds, e.g. 0.25 or -0.35). For relu, abs, clamp, max, min, maximum, minimum.
         */
        DISTINCT
    }

    /** The values of one draw: a seeded {@link Random} and the shuffled grid {@link Domain#DISTINCT} takes from. */
    public static final class Values {
        private final Random rnd;
        private double[] pool;
        private int next;

        public Values(long seed) { rnd = new Random(seed); }

        public Random random() { return rnd; }

        public double next(Domain d) {
            switch (d) {
                case ANY: return uniform(-2, 2);
                case POSITIVE: return uniform(0.5, 2);
                case NONZERO: return (rnd.nextBoolean() ? 1 : -1) * uniform(0.5, 2);
                case LOG1P: return uniform(-0.5, 2);
                default: return distinct();
            }
        }

        private double uniform(double lo, double hi) { return lo + (hi - lo) * rnd.nextDouble(); }

        private double distinct() {
            if (pool == null) {
                List<Double> grid = new ArrayList<>();
                for (int i = 0; i < 100; i++) grid.add(-1.98 + 0.04 * i); // even hundredths, never 0
                Collections.shuffle(grid, rnd);
                pool = grid.stream().mapToDouble(Double::doubleValue).toArray();
            }
            if (next == pool.length) throw new IllegalStateException("DISTINCT pool exhausted: draw fewer elements");
            return pool[next++] + uniform(-0.004, 0.004);
        }
    }

    /**
     * A float tensor of {@code shape} laid out as {@code layout}, its elements (in row-major order)
     * drawn from {@code values}. It does not require grad and is not a view of anything that does.
     */
    public static Tensor tensor(int[] shape, Layout layout, DType dtype, Values values, Domain domain) {
        Tensor t = layoutOf(shape, layout, dtype);
        int[] off = Reduce.offsets(t.sizesInternal(), t.stridesInternal());
        for (int o : off) {
            double v = values.next(domain);
            int at = t.storageOffsetInternal() + o;
            if (dtype == DType.FLOAT64) t.storage().f64()[at] = v;
            else t.storage().f32()[at] = (float) v;
        }
        return t;
    }

    /** An uninitialised float tensor of {@code shape} with the given layout (padding of STRIDED is NaN). */
    public static Tensor layoutOf(int[] shape, Layout layout, DType dtype) {
        int n = shape.length;
        if ((layout == Layout.TRANSPOSED && n < 2) || (layout == Layout.STRIDED && n == 0)) layout = Layout.CONTIGUOUS;
        switch (layout) {
            case CONTIGUOUS:
                return Torch.zeros(longs(shape), dtype);
            case TRANSPOSED: {
                long[] reversed = new long[n];
                int[] perm = new int[n];
                for (int i = 0; i < n; i++) {
                    reversed[i] = shape[n - 1 - i];
                    perm[i] = n - 1 - i;
                }
                return Torch.zeros(reversed, dtype).permute(perm);
            }
            default: {
                long[] big = longs(shape);
                big[n - 1] = 2L * shape[n - 1] + 1;
                Tensor base = Torch.full(big, Double.NaN, dtype);
                return base.index(Torch.ellipsis(), Torch.slice(1L, null, 2));
            }
        }
    }

    /** A float64 tensor drawn as {@link #tensor}, for properties that read but never modify it. */
    public static Arbitrary<Tensor> float64(Arbitrary<int[]> shapes, Domain domain) { return floats(shapes, domain, DType.FLOAT64); }

    public static Arbitrary<Tensor> floats(Arbitrary<int[]> shapes, Domain domain, DType dtype) {
        return Combinators.combine(shapes, layouts(), seeds())
                .as((s, l, seed) -> tensor(s, l, dtype, new Values(seed), domain));
    }

    /** Seeds for {@link Values}. */
    public static Arbitrary<Long> seeds() { return Arbitraries.longs(); }

    // ------------------------------------------------------------------ small helpers

    public static long numel(int[] shape) {
        long n = 1;
        for (int s : shape) n *= s;
        return n;
    }

    public static long[] longs(int[] shape) {
        long[] r = new long[shape.length];
        for (int i = 0; i < shape.length; i++) r[i] = shape[i];
        return r;
    }

    public static int[] toArray(List<Integer> xs) { return xs.stream().mapToInt(Integer::intValue).toArray(); }

    /** The shape of {@code t} as ints. */
    public static int[] shapeOf(Tensor t) { return t.sizesInternal().clone(); }
}
