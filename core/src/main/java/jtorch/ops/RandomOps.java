package jtorch.ops;

import jtorch.DType;
import jtorch.Generator;
import jtorch.Tensor;
import jtorch.autograd.Autograd;

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
        Tensor t = Tensor.allocate(dtype, sizes);
        int n = (int) t.numel();
        if (dtype == DType.FLOAT32) orDefault(gen).uniform(t.storage().f32(), 0, n, from, to);
        else orDefault(gen).uniform(t.storage().f64(), 0, n, from, to);
        return t;
    }

    /** A new contiguous tensor of N(mean, std²) samples. */
    public static Tensor normal(int[] sizes, DType dtype, double mean, double std, Generator gen) {
        checkFloating("normal_", dtype);
        if (!(std >= 0)) throw new IllegalArgumentException("normal expects std >= 0.0, but found std " + std);
        Tensor t = Tensor.allocate(dtype, sizes);
        int n = (int) t.numel();
        if (dtype == DType.FLOAT32) orDefault(gen).normal(t.storage().f32(), 0, n, mean, std, true);
        else orDefault(gen).normal(t.storage().f64(), 0, n, mean, std, true);
        return t;
    }

    /** A new int64 (or other dtype) tensor of integers uniform in {@code [low, high)}. */
    public static Tensor randint(long low, long high, int[] sizes, DType dtype, Generator gen) {
        if (low >= high)
            throw new IllegalArgumentException("random_ expects 'from' to be less than 'to', but got from=" + low + " >= to=" + high);
        Tensor t = Tensor.allocate(DType.INT64, sizes);
        orDefault(gen).randint(t.storage().i64(), 0, (int) t.numel(), low, high);
        return dtype == DType.INT64 ? t : Raw.convert(t, dtype);
    }

    /** A random permutation of {@code 0..n-1} (int64). */
    public static Tensor randperm(int n, Generator gen) {
        if (n < 0) throw new IllegalArgumentException("n must be non-negative, got" + n);
        return Tensor.wrap(orDefault(gen).randperm(n), new int[] {n});
    }

    public static Tensor uniform_(Tensor self, double from, double to, Generator gen) {
        return fill(self, uniform(self.sizesInternal(), self.dtype(), from, to, gen));
    }

    public static Tensor normal_(Tensor self, double mean, double std, Generator gen) {
        return fill(self, normal(self.sizesInternal(), self.dtype(), mean, std, gen));
    }

    /** Writes fresh samples into {@code self}; afterwards no gradient flows to its old value. */
    private static Tensor fill(Tensor self, Tensor samples) {
        InPlace.check(self);
        if (!Autograd.shouldRecord(self)) return InPlace.copy_(self, samples);
        return InPlace.apply(self, t -> samples, false);
    }

    private static void checkFloating(String op, DType dtype) {
        if (!dtype.isFloatingPoint())
            throw new IllegalArgumentException(op + " expects a floating point dtype, got " + dtype);
    }
}
