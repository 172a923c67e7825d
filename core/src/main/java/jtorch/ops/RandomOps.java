package jtorch.ops;

import static jtorch.internal.TensorInternals.strided;

import jtorch.DType;
import jtorch.Generator;
import jtorch.Tensor;
import jtorch.autograd.Autograd;
import jtorch.internal.TensorInternals;

/**
 * Sampling into tensors. Values are drawn in row-major order of the tensor (for a contiguous
 * tensor, its memory order, as PyTorch's CPU kernels draw them).
 */
public final class RandomOps {
    private RandomOps() {}

    private static Generator orDefault(Generator g) { return g == null ? Generator.defaultGenerator() : g; }

    /** A new contiguous tensor of U(from, to) samples. */
    public static Tensor uniform(int[] sizes, DType dtype, double from, double to, Generator gen) {
        checkFloating("uniform_", dtype);
        if (!(from <= to))
            throw new IllegalArgumentException("uniform_ expects to return a [from, to) range, but found from=" + from + " > to=" + to);
        Tensor t = TensorInternals.allocate(dtype, sizes);
        int n = (int) t.numel();
        if (dtype == DType.FLOAT32) orDefault(gen).uniform(t.storage().f32(), 0, n, from, to);
        else orDefault(gen).uniform(t.storage().f64(), 0, n, from, to);
        return t;
    }

    /** A new contiguous tensor of N(mean, std²) samples. */
    public static Tensor normal(int[] sizes, DType dtype, double mean, double std, Generator gen) {
        checkFloating("normal_", dtype);
        if (!(std >= 0)) throw new IllegalArgumentException("normal expects std >= 0.0, but found std " + std);
        Tensor t = TensorInternals.allocate(dtype, sizes);
        int n = (int) t.numel();
        if (dtype == DType.FLOAT32) orDefault(gen).normal(t.storage().f32(), 0, n, mean, std, true);
        else orDefault(gen).normal(t.storage().f64(), 0, n, mean, std, true);
        return t;
    }

    /** A new int64 (or other dtype) tensor of integers uniform in {@code [low, high)}. */
    public static Tensor randint(long low, long high, int[] sizes, DType dtype, Generator gen) {
        if (low >= high)
            throw new IllegalArgumentException("random_ expects 'from' to be less than 'to', but got from=" + low + " >= to=" + high);
        Tensor t = TensorInternals.allocate(DType.INT64, sizes);
        orDefault(gen).randint(t.storage().i64(), 0, (int) t.numel(), low, high);
        return dtype == DType.INT64 ? t : Raw.convert(t, dtype);
    }

    /** A random permutation of {@code 0..n-1} (int64). */
    public static Tensor randperm(int n, Generator gen) {
        if (n < 0) throw new IllegalArgumentException("n must be non-negative, got" + n);
        return TensorInternals.wrap(orDefault(gen).randperm(n), new int[] {n});
    }

    /** {@code self.uniform_(from, to)}: filled in memory order (storage order for a non-contiguous view), as PyTorch. */
    public static Tensor uniform_(Tensor self, double from, double to, Generator gen) {
        checkFloating("uniform_", self.dtype());
        if (!(from <= to))
            throw new IllegalArgumentException("uniform_ expects to return a [from, to) range, but found from=" + from + " > to=" + to);
        Generator g = orDefault(gen);
        return fill(self, (buf, n) -> {
            if (buf.dtype() == DType.FLOAT32) g.uniform(buf.storage().f32(), 0, n, from, to);
            else g.uniform(buf.storage().f64(), 0, n, from, to);
        });
    }

    /** {@code self.normal_(mean, std)}, in memory order. */
    public static Tensor normal_(Tensor self, double mean, double std, Generator gen) {
        checkFloating("normal_", self.dtype());
        if (!(std >= 0)) throw new IllegalArgumentException("normal expects std >= 0.0, but found std " + std);
        Generator g = orDefault(gen);
        boolean contiguous = self.isContiguous();
        return fill(self, (buf, n) -> {
            if (buf.dtype() == DType.FLOAT32) g.normal(buf.storage().f32(), 0, n, mean, std, contiguous);
            else g.normal(buf.storage().f64(), 0, n, mean, std, contiguous);
        });
    }

    /** {@code self.bernoulli_(p)} with a scalar probability: 1 where a float64 uniform is below p, in memory order. */
    public static Tensor bernoulli_(Tensor self, double p, Generator gen) {
        Generator g = orDefault(gen);
        return fill(self, (buf, n) -> {
            if (buf.dtype() == DType.FLOAT32) g.bernoulli(buf.storage().f32(), 0, n, p);
            else g.bernoulli(buf.storage().f64(), 0, n, p);
        });
    }

    /**
     * {@code torch.bernoulli(p)}: a tensor of p's shape and dtype with 1 where a uniform draw (float32 for
     * float32 p, float64 for float64 p) is below p, elementwise in row-major order of p.
     */
    public static Tensor bernoulli(Tensor p, Generator gen) {
        Args.notNull("bernoulli", "input", p);
        checkFloating("bernoulli", p.dtype());
        Tensor probs = Raw.contiguous(p);
        Tensor out = TensorInternals.allocate(p.dtype(), TensorInternals.sizes(p));
        int n = (int) out.numel();
        for (double v : probs.toDoubleArray())
            if (!(v >= 0 && v <= 1)) throw new IllegalArgumentException("Expected p_in >= 0 && p_in <= 1 to be true, but got false.");
        if (p.dtype() == DType.FLOAT32) orDefault(gen).bernoulli(out.storage().f32(), 0, n, probs.storage().f32(), TensorInternals.offset(probs));
        else orDefault(gen).bernoulli(out.storage().f64(), 0, n, probs.storage().f64(), TensorInternals.offset(probs));
        return out;
    }

    /** Draws {@code n} samples into a contiguous float buffer. */
    private interface Sampler { void draw(Tensor buffer, int n); }

    /**
     * Writes fresh samples into {@code self} in storage order (PyTorch's kernels fill memory order);
     * afterwards no gradient flows to its old value.
     */
    private static Tensor fill(Tensor self, Sampler sampler) {
        InPlace.check(self);
        int n = (int) self.numel();
        DType sampleType = self.dtype() == DType.FLOAT64 ? DType.FLOAT64 : DType.FLOAT32;
        Tensor buf = TensorInternals.allocate(sampleType, new int[] {n});
        sampler.draw(buf, n);
        Tensor samples = inStorageOrder(self, buf);
        if (!Autograd.shouldRecord(self)) return InPlace.copy_(self, samples);
        return InPlace.apply(self, t -> samples, false);
    }

    /** A tensor shaped like {@code self} whose k-th element in storage order is {@code flat[k]}. */
    private static Tensor inStorageOrder(Tensor self, Tensor flat) {
        Tensor shaped = TensorInternals.allocate(flat.dtype(), TensorInternals.sizes(self));
        if (self.isContiguous()) {
            jtorch.kernels.Copy.copy(strided(shaped), strided(TensorInternals.alias(flat, TensorInternals.sizes(self), jtorch.ops.Shapes.contiguousStrides(TensorInternals.sizes(self)), 0)));
            return shaped;
        }
        int[] offsets = jtorch.kernels.Reduce.offsets(TensorInternals.sizes(self), TensorInternals.strides(self));
        // Sort logical indices by storage offset: (offset, index) packed in a long sorts without boxing.
        long[] order = new long[offsets.length];
        for (int i = 0; i < order.length; i++) order[i] = ((long) offsets[i] << 32) | i;
        java.util.Arrays.sort(order);
        Tensor ordered = TensorInternals.allocate(flat.dtype(), new int[] {offsets.length});
        // ordered[logical index] = flat[rank of that element in storage order]
        for (int rank = 0; rank < order.length; rank++) {
            int logical = (int) order[rank];
            if (flat.dtype() == DType.FLOAT32) ordered.storage().f32()[logical] = flat.storage().f32()[rank];
            else ordered.storage().f64()[logical] = flat.storage().f64()[rank];
        }
        jtorch.kernels.Copy.copy(strided(shaped), strided(TensorInternals.alias(ordered, TensorInternals.sizes(self), jtorch.ops.Shapes.contiguousStrides(TensorInternals.sizes(self)), 0)));
        return shaped;
    }

    /**
     * {@code torch.multinomial(probs, num_samples, replacement, generator)} with PyTorch 1.13's CPU
     * draws: without replacement (or for one sample) the Gumbel trick {@code argmax/topk(p / q)},
     * {@code q} exponential(1) samples {@code -log(1 - u)} from float64 uniforms in memory order;
     * with replacement a binary search of one float64 uniform per sample in the normalised
     * cumulative distribution of each row (computed in the input's dtype).
     */
    public static Tensor multinomial(Tensor probs, long numSamples, boolean replacement, Generator gen) {
        Args.notNull("multinomial", "input", probs);
        if (!probs.isFloatingPoint())
            throw new IllegalArgumentException("multinomial only supports floating-point dtypes for input, got: " + probs.dtype().scalarTypeName());
        if (probs.dim() != 1 && probs.dim() != 2) throw new IllegalArgumentException("prob_dist must be 1 or 2 dim");
        int cats = TensorInternals.sizes(probs)[probs.dim() - 1];
        int rows = probs.dim() == 2 ? TensorInternals.sizes(probs)[0] : 1;
        if (!replacement && numSamples > cats)
            throw new IllegalArgumentException("cannot sample n_sample > prob_dist.size(-1) samples without replacement");
        if (numSamples <= 0) throw new IllegalArgumentException("cannot sample n_sample <= 0 samples");
        if ((long) rows * numSamples > Integer.MAX_VALUE)
            throw new IllegalArgumentException("multinomial: " + numSamples + " samples of " + rows
                    + " distributions do not fit in a tensor (at most " + Integer.MAX_VALUE + " elements)");
        int n = (int) numSamples;
        int[] outShape = probs.dim() == 2 ? new int[] {rows, n} : new int[] {n};
        Tensor out = TensorInternals.allocate(DType.INT64, outShape);
        double[] p = Raw.contiguous(probs).toDoubleArray();
        Generator g = orDefault(gen);
        boolean f32 = probs.dtype() == DType.FLOAT32;
        long[] r = out.storage().i64();
        if (!replacement || n == 1) {
            boolean valid = true;
            for (double v : p) if (!(v < Double.POSITIVE_INFINITY && v >= 0)) valid = false;
            if (!valid) throw new IllegalArgumentException("probability tensor contains either `inf`, `nan` or element < 0");
            for (int i = 0; i < rows; i++) {
                double sum = 0;
                for (int j = 0; j < cats; j++) sum += p[i * cats + j];
                if (sum == 0) throw new IllegalArgumentException("invalid multinomial distribution (sum of probabilities <= 0)");
            }
            double[] u = new double[p.length];
            g.uniform(u, 0, u.length, 0, 1);
            double[] key = new double[p.length];
            for (int k = 0; k < p.length; k++) {
                double e = -Math.log(1 - u[k]);
                key[k] = f32 ? (float) p[k] / (float) e : p[k] / e;
            }
            Tensor keys = TensorInternals.wrap(key, TensorInternals.sizes(probs));
            Tensor idx = Sorting.topk(keys, n, -1, true, true).indices();
            jtorch.kernels.Copy.copy(strided(out), strided(idx));
            return out;
        }
        double[] cum = new double[cats];
        double[] u = new double[1];
        for (int i = 0; i < rows; i++) {
            if (f32) {
                float sum = 0;
                for (int j = 0; j < cats; j++) {
                    float v = (float) p[i * cats + j];
                    checkProbability(v);
                    sum += v;
                    cum[j] = sum;
                }
                if (!(sum > 0)) throw new IllegalArgumentException("invalid multinomial distribution (sum of probabilities <= 0)");
                for (int j = 0; j < cats; j++) cum[j] = (float) cum[j] / sum;
            } else {
                double sum = 0;
                for (int j = 0; j < cats; j++) {
                    double v = p[i * cats + j];
                    checkProbability(v);
                    sum += v;
                    cum[j] = sum;
                }
                if (!(sum > 0)) throw new IllegalArgumentException("invalid multinomial distribution (sum of probabilities <= 0)");
                for (int j = 0; j < cats; j++) cum[j] /= sum;
            }
            cum[cats - 1] = 1;
            for (int s = 0; s < n; s++) {
                g.uniform(u, 0, 1, 0, 1);
                int left = 0, right = cats;
                while (right - left > 0) {
                    int mid = left + (right - left) / 2;
                    if (cum[mid] < u[0]) left = mid + 1;
                    else right = mid;
                }
                r[i * n + s] = left;
            }
        }
        return out;
    }

    private static void checkProbability(double v) {
        if (v < 0) throw new IllegalArgumentException("invalid multinomial distribution (encountering probability entry < 0)");
        if (!Double.isFinite(v)) throw new IllegalArgumentException("invalid multinomial distribution (encountering probability entry = infinity or NaN)");
    }

    private static void checkFloating(String op, DType dtype) {
        if (!dtype.isFloatingPoint())
            throw new IllegalArgumentException(op + " expects a floating point dtype, got " + dtype);
    }
}
