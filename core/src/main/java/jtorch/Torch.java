package jtorch;

import static jtorch.internal.TensorInternals.strided;

import java.io.IOException;
import java.lang.reflect.Array;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import jtorch.autograd.GradMode;
import jtorch.kernels.Copy;
import jtorch.ops.Indexing;
import jtorch.ops.Joining;
import jtorch.ops.RandomOps;
import jtorch.ops.Shapes;
import jtorch.serialization.Checkpoints;

/**
 * The {@code torch.*} namespace: tensor factories, random sampling, grad mode, joining and index
 * helpers. Import statically to read like PyTorch:
 *
 * <pre>{@code
 * import static jtorch.Torch.*;
 *
 * Tensor x = ones(6, 8);
 * Tensor k = tensor(new float[][] {{1.0f, -1.0f}});
 * try (var g = noGrad()) { x.mul_(2); }
 * }</pre>
 */
public final class Torch {
    private Torch() {}

    /** {@code torch.float32}: the default dtype of float factories unless {@link #setDefaultDtype} changes it. */
    public static final DType float32 = DType.FLOAT32;
    /** {@code torch.float64}. */
    public static final DType float64 = DType.FLOAT64;
    /** {@code torch.int64}. */
    public static final DType int64 = DType.INT64;
    /** {@code torch.bool}. */
    public static final DType bool = DType.BOOL;

    private static volatile DType defaultDtype = DType.FLOAT32;

    /** {@code torch.get_default_dtype()}: the dtype of Python floats turned into tensors. */
    public static DType getDefaultDtype() { return defaultDtype; }

    /** {@code torch.set_default_dtype(d)}: float32 or float64. */
    public static void setDefaultDtype(DType d) {
        if (!d.isFloatingPoint())
            throw new IllegalArgumentException("only floating-point types are supported as the default type");
        defaultDtype = d;
    }

    // ------------------------------------------------------------ from data

    /**
     * {@code torch.tensor(data)} from a Java array of any rank: {@code float[]...} gives float32,
     * {@code double[]...} float64, {@code long[]}/{@code int[]} int64, {@code boolean[]} bool.
     * The data is copied.
     */
    public static Tensor tensor(Object data) { return tensor(data, null); }

    /** {@code torch.tensor(data, dtype=dtype)}. */
    public static Tensor tensor(Object data, DType dtype) {
        if (data == null || !data.getClass().isArray())
            throw new IllegalArgumentException("tensor(): expected a Java array or a number, got "
                    + (data == null ? "null" : data.getClass().getSimpleName()));
        List<Integer> shape = new ArrayList<>();
        Object level = data;
        Class<?> leaf = data.getClass();
        while (true) {
            shape.add(Array.getLength(level));
            Class<?> component = level.getClass().getComponentType();
            if (!component.isArray()) { leaf = component; break; }
            if (Array.getLength(level) == 0) { leaf = innermost(component); break; }
            level = Array.get(level, 0);
            if (level == null) throw new IllegalArgumentException("tensor(): null in the data at dim " + shape.size());
        }
        DType natural;
        if (leaf == float.class) natural = DType.FLOAT32;
        else if (leaf == double.class) natural = DType.FLOAT64;
        else if (leaf == long.class || leaf == int.class || leaf == short.class || leaf == byte.class) natural = DType.INT64;
        else if (leaf == boolean.class) natural = DType.BOOL;
        else throw new IllegalArgumentException("tensor(): unsupported element type " + leaf.getSimpleName());
        int[] sizes = shape.stream().mapToInt(Integer::intValue).toArray();
        Tensor t = Tensor.allocate(natural, sizes);
        int[] pos = {0};
        fill(data, 0, sizes, t.storage(), pos);
        return dtype == null || dtype == natural ? t : jtorch.ops.Raw.convert(t, dtype);
    }

    private static Class<?> innermost(Class<?> c) {
        while (c.isArray()) c = c.getComponentType();
        return c;
    }

    private static void fill(Object arr, int depth, int[] sizes, Storage s, int[] pos) {
        int n = Array.getLength(arr);
        if (n != sizes[depth])
            throw new IllegalArgumentException("expected sequence of length " + sizes[depth] + " at dim " + depth + " (got " + n + ")");
        if (depth == sizes.length - 1) {
            int p = pos[0];
            if (arr instanceof float[]) System.arraycopy(arr, 0, s.f32(), p, n);
            else if (arr instanceof double[]) System.arraycopy(arr, 0, s.f64(), p, n);
            else if (arr instanceof long[]) System.arraycopy(arr, 0, s.i64(), p, n);
            else if (arr instanceof boolean[]) System.arraycopy(arr, 0, s.bool(), p, n);
            else for (int i = 0; i < n; i++) s.i64()[p + i] = ((Number) Array.get(arr, i)).longValue();
            pos[0] += n;
            return;
        }
        for (int i = 0; i < n; i++) {
            Object child = Array.get(arr, i);
            if (child == null || !child.getClass().isArray())
                throw new IllegalArgumentException("expected sequence of length " + sizes[depth + 1] + " at dim " + (depth + 1) + " (got a scalar)");
            fill(child, depth + 1, sizes, s, pos);
        }
    }

    /** {@code torch.tensor(3.5)}: a 0-dim tensor of the default float dtype. */
    public static Tensor tensor(double value) {
        Tensor t = Tensor.allocate(defaultDtype, new int[0]);
        Copy.fill(strided(t), value);
        return t;
    }

    /** {@code torch.tensor(3.5, dtype=...)}. */
    public static Tensor tensor(double value, DType dtype) {
        Tensor t = Tensor.allocate(dtype, new int[0]);
        Copy.fill(strided(t), value);
        return t;
    }

    /** {@code torch.tensor(3)}: a 0-dim int64 tensor. */
    public static Tensor tensor(long value) {
        Tensor t = Tensor.allocate(DType.INT64, new int[0]);
        Copy.fill(strided(t), value);
        return t;
    }

    /** {@code torch.tensor(True)}: a 0-dim bool tensor. */
    public static Tensor tensor(boolean value) {
        return Tensor.wrap(new boolean[] {value}, new int[0]);
    }

    // ------------------------------------------------------------ filled

    /** {@code torch.empty(*size)}: a tensor of the default float dtype. jtorch's storage is always zero-filled (the JVM clears arrays), so unlike PyTorch the values are zeros, not garbage. */
    public static Tensor empty(long... size) { return Tensor.allocate(defaultDtype, Shapes.toInts(size)); }

    /** {@code torch.empty(size, dtype=dtype)} (zero-filled, as {@link #empty(long...)}). */
    public static Tensor empty(long[] size, DType dtype) { return Tensor.allocate(dtype, Shapes.toInts(size)); }

    /**
     * {@code torch.zeros(*size)} in the default float dtype.
     *
     * <pre>{@code
     * Tensor z = Torch.zeros(2, 3);   // tensor([[0., 0., 0.], [0., 0., 0.]])
     * }</pre>
     */
    public static Tensor zeros(long... size) { return Tensor.allocate(defaultDtype, Shapes.toInts(size)); }

    /** {@code torch.zeros(x.size())}. */
    public static Tensor zeros(Size size) { return zeros(jtorch.ops.Args.notNull("zeros", "size", size).toArray()); }

    /** {@code torch.zeros(size, dtype=dtype)}. */
    public static Tensor zeros(long[] size, DType dtype) { return Tensor.allocate(dtype, Shapes.toInts(size)); }

    /** {@code torch.ones(*size)} in the default float dtype. */
    public static Tensor ones(long... size) { return full(size, 1.0, defaultDtype); }

    /** {@code torch.ones(x.size())}. */
    public static Tensor ones(Size size) { return ones(jtorch.ops.Args.notNull("ones", "size", size).toArray()); }

    /** {@code torch.ones(size, dtype=dtype)}. */
    public static Tensor ones(long[] size, DType dtype) { return full(size, 1.0, dtype); }

    /** {@code torch.full(size, value)} with a Python float: the default float dtype. */
    public static Tensor full(long[] size, double value) { return full(size, value, defaultDtype); }

    /** {@code torch.full(size, value)} with a Python int: int64. */
    public static Tensor full(long[] size, long value) {
        Tensor t = Tensor.allocate(DType.INT64, Shapes.toInts(size));
        Copy.fill(strided(t), value);
        return t;
    }

    /** {@code torch.full(size, value, dtype=dtype)}. */
    public static Tensor full(long[] size, double value, DType dtype) {
        Tensor t = Tensor.allocate(dtype, Shapes.toInts(size));
        if (value != 0) Copy.fill(strided(t), value);
        return t;
    }

    /** {@code torch.zeros_like(t)}: zeros of {@code t}'s shape and dtype (contiguous). */
    public static Tensor zerosLike(Tensor t) { jtorch.ops.Args.notNull("zeros_like", "input", t); return Tensor.allocate(t.dtype(), t.sizesInternal()); }

    /** {@code torch.ones_like(t)}: ones of {@code t}'s shape and dtype. */
    public static Tensor onesLike(Tensor t) { jtorch.ops.Args.notNull("ones_like", "input", t); return full(Shapes.toLongs(t.sizesInternal()), 1.0, t.dtype()); }

    /** {@code torch.empty_like(t)}: {@code t}'s shape and dtype, zero-filled (see {@link #empty(long...)}). */
    public static Tensor emptyLike(Tensor t) { jtorch.ops.Args.notNull("empty_like", "input", t); return Tensor.allocate(t.dtype(), t.sizesInternal()); }

    /** {@code torch.full_like(t, value)}: {@code value} in {@code t}'s shape and dtype. */
    public static Tensor fullLike(Tensor t, double value) { jtorch.ops.Args.notNull("full_like", "input", t); return full(Shapes.toLongs(t.sizesInternal()), value, t.dtype()); }

    /** {@code torch.rand_like(t)}: U[0, 1) in {@code t}'s shape and dtype, from the default generator. */
    public static Tensor randLike(Tensor t) { jtorch.ops.Args.notNull("rand_like", "input", t); return RandomOps.uniform(t.sizesInternal(), t.dtype(), 0, 1, null); }

    /** {@code torch.randn_like(t)}: N(0, 1) in {@code t}'s shape and dtype, from the default generator. */
    public static Tensor randnLike(Tensor t) { jtorch.ops.Args.notNull("randn_like", "input", t); return RandomOps.normal(t.sizesInternal(), t.dtype(), 0, 1, null); }

    // ------------------------------------------------------------ ranges

    /** {@code torch.arange(end)} with an int: int64 {@code [0, end)}. */
    public static Tensor arange(long end) { return arange(0, end, 1); }

    /** {@code torch.arange(start, end)} with ints: int64 {@code [start, end)}. */
    public static Tensor arange(long start, long end) { return arange(start, end, 1); }

    /** {@code torch.arange(start, end, step)} with ints: int64, {@code step} nonzero and pointing from start to end. */
    public static Tensor arange(long start, long end, long step) {
        if (step == 0) throw new IllegalArgumentException("step must be nonzero");
        if ((step > 0 && start > end) || (step < 0 && start < end))
            throw new IllegalArgumentException("upper bound and larger bound inconsistent with step sign");
        // The count in BigInteger: end - start overflows a long for ranges such as [Long.MIN_VALUE, Long.MAX_VALUE).
        java.math.BigInteger span = java.math.BigInteger.valueOf(end).subtract(java.math.BigInteger.valueOf(start))
                .add(java.math.BigInteger.valueOf(step + (step > 0 ? -1 : 1)));
        long n = arangeSize(span.divide(java.math.BigInteger.valueOf(step)).max(java.math.BigInteger.ZERO).doubleValue());
        long[] v = new long[(int) n];
        for (int i = 0; i < v.length; i++) v[i] = start + i * step;
        return Tensor.wrap(v, new int[] {v.length});
    }

    /** {@code torch.arange(end)} with a float: the default float dtype. */
    public static Tensor arange(double end) { return arange(0.0, end, 1.0); }

    /** {@code torch.arange(start, end)} with a float bound: the default float dtype. */
    public static Tensor arange(double start, double end) { return arange(start, end, 1.0); }

    /** {@code torch.arange(start, end, step)} with floats: {@code ceil((end - start) / step)} values of the default float dtype. */
    public static Tensor arange(double start, double end, double step) {
        if (step == 0) throw new IllegalArgumentException("step must be nonzero");
        if (!Double.isFinite(start) || !Double.isFinite(end))
            throw new IllegalArgumentException("unsupported range: " + PyFormat.cpp(start) + " -> " + PyFormat.cpp(end));
        if ((step > 0 && start > end) || (step < 0 && start < end))
            throw new IllegalArgumentException("upper bound and larger bound inconsistent with step sign");
        int n = (int) arangeSize(Math.ceil((end - start) / step));
        double[] v = new double[n];
        for (int i = 0; i < v.length; i++) v[i] = start + i * step;
        return jtorch.ops.Raw.convert(Tensor.wrap(v, new int[] {v.length}), defaultDtype);
    }

    /** The element count of a range: refused, as PyTorch refuses it, when no tensor can hold it. */
    private static long arangeSize(double size) {
        if (!(size >= 0) || size > Integer.MAX_VALUE - 8)
            throw new IllegalArgumentException("arange: invalid size " + PyFormat.cpp(size) + ", possible overflow? (a tensor holds at most "
                    + (Integer.MAX_VALUE - 8) + " elements)");
        return (long) size;
    }

    /** {@code torch.linspace(start, end, steps)}: evenly spaced, both ends included. */
    public static Tensor linspace(double start, double end, long steps) {
        if (steps < 0) throw new IllegalArgumentException("number of steps must be non-negative");
        if (steps > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("linspace: " + steps + " steps are more than a tensor can hold");
        int n = (int) steps;
        int half = n / 2;
        // PyTorch fills the first half from start and the second half from end, for symmetry, in
        // the arithmetic of the result dtype (float for float32), and steps == 1 gives start.
        if (defaultDtype == DType.FLOAT32) {
            float[] v = new float[n];
            float s = (float) start, e = (float) end, step = n > 1 ? (e - s) / (n - 1) : 0f;
            for (int i = 0; i < n; i++) v[i] = n == 1 ? s : i < half ? s + step * i : e - step * (n - 1 - i);
            return Tensor.wrap(v, new int[] {n});
        }
        double[] v = new double[n];
        double step = n > 1 ? (end - start) / (n - 1) : 0;
        for (int i = 0; i < n; i++) v[i] = n == 1 ? start : i < half ? start + step * i : end - step * (n - 1 - i);
        return Tensor.wrap(v, new int[] {n});
    }

    /** {@code torch.eye(n)}. */
    public static Tensor eye(long n) { return eye(n, n); }

    /** {@code torch.eye(n, m)}: an n x m matrix with ones on the diagonal. */
    public static Tensor eye(long n, long m) {
        Tensor t = zeros(n, m);
        float[] a = t.storage().f32() != null ? t.storage().f32() : null;
        for (int i = 0; i < Math.min(n, m); i++) {
            if (a != null) a[(int) (i * m + i)] = 1f;
            else t.storage().f64()[(int) (i * m + i)] = 1.0;
        }
        return t;
    }

    // ------------------------------------------------------------ random

    /** {@code torch.manual_seed(seed)}: seeds the default generator and returns it. */
    public static Generator manualSeed(long seed) { return Generator.defaultGenerator().manualSeed(seed); }

    /** {@code torch.rand(*size)}: U[0, 1) in the default float dtype. */
    public static Tensor rand(long... size) { return RandomOps.uniform(Shapes.toInts(size), defaultDtype, 0, 1, null); }

    /** {@code torch.rand(size, dtype=dtype)} (a float dtype; null: the default). */
    public static Tensor rand(long[] size, DType dtype) { return RandomOps.uniform(Shapes.toInts(size), dtype == null ? defaultDtype : dtype, 0, 1, null); }

    /** {@code torch.rand(size, generator=g)}: the draws of {@code g}'s stream, as PyTorch's. */
    public static Tensor rand(long[] size, Generator generator) { return RandomOps.uniform(Shapes.toInts(size), defaultDtype, 0, 1, generator); }

    /** {@code torch.randn(*size)}: N(0, 1) in the default float dtype. */
    public static Tensor randn(long... size) { return RandomOps.normal(Shapes.toInts(size), defaultDtype, 0, 1, null); }

    /** {@code torch.randn(size, dtype=dtype)} (a float dtype; null: the default). */
    public static Tensor randn(long[] size, DType dtype) { return RandomOps.normal(Shapes.toInts(size), dtype == null ? defaultDtype : dtype, 0, 1, null); }

    /** {@code torch.randn(size, generator=g)}: the draws of {@code g}'s stream, as PyTorch's. */
    public static Tensor randn(long[] size, Generator generator) { return RandomOps.normal(Shapes.toInts(size), defaultDtype, 0, 1, generator); }

    /** {@code torch.randint(low, high, size)}: int64 uniform in [low, high). */
    public static Tensor randint(long low, long high, long... size) { return RandomOps.randint(low, high, Shapes.toInts(size), DType.INT64, null); }

    /** {@code torch.randint(high, size)}. */
    public static Tensor randint(long high, long[] size) { return RandomOps.randint(0, high, Shapes.toInts(size), DType.INT64, null); }

    /** {@code torch.randint(low, high, size, generator=g)}. */
    public static Tensor randint(long low, long high, long[] size, Generator generator) {
        return RandomOps.randint(low, high, Shapes.toInts(size), DType.INT64, generator);
    }

    /** {@code torch.bernoulli(p)}: 1 where a uniform draw is below p, elementwise. */
    public static Tensor bernoulli(Tensor p) { return RandomOps.bernoulli(p, null); }

    /** {@code torch.bernoulli(p, generator=g)}. */
    public static Tensor bernoulli(Tensor p, Generator generator) { return RandomOps.bernoulli(p, generator); }

    /** {@code torch.randperm(n)}. */
    public static Tensor randperm(long n) {
        if (n < 0) throw new IllegalArgumentException("randperm: n must be non-negative, got" + n);
        if (n > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("randperm: n=" + n + " is more than a tensor can hold");
        return RandomOps.randperm((int) n, null);
    }

    // ------------------------------------------------------------ grad mode

    /** {@code with torch.no_grad():} as try-with-resources: {@code try (var g = noGrad()) { ... }}. */
    public static GradMode.Guard noGrad() { return GradMode.set(false); }

    /** Runs {@code body} without recording the graph. */
    public static void noGrad(Runnable body) {
        try (GradMode.Guard g = GradMode.set(false)) {
            body.run();
        }
    }

    /** Computes a value without recording the graph. */
    public static <T> T noGrad(Supplier<T> body) {
        try (GradMode.Guard g = GradMode.set(false)) {
            return body.get();
        }
    }

    /** {@code with torch.enable_grad():}. */
    public static GradMode.Guard enableGrad() { return GradMode.set(true); }

    /** {@code torch.is_grad_enabled()}: whether ops on this thread record the graph. */
    public static boolean isGradEnabled() { return GradMode.isEnabled(); }

    /** {@code torch.set_grad_enabled(enabled)} for this thread (prefer the scoped {@link #noGrad()} / {@link #enableGrad()}). */
    public static void setGradEnabled(boolean enabled) { GradMode.setEnabled(enabled); }

    // ------------------------------------------------------------ threads

    /**
     * {@code torch.set_num_threads(n)}: how many threads intra-op work (large matrix products,
     * native BLAS included) may use. The default is the number of physical cores, as in PyTorch.
     *
     * <pre>{@code
     * setNumThreads(1);    // single-threaded kernels, e.g. when running one model per core
     * }</pre>
     */
    public static void setNumThreads(int n) { jtorch.kernels.Parallel.setNumThreads(n); }

    /** {@code torch.get_num_threads()}. */
    public static int getNumThreads() { return jtorch.kernels.Parallel.numThreads(); }

    // ------------------------------------------------------------ index entries

    /** {@code :}. */
    public static TensorIndex slice() { return TensorIndex.slice(null, null, 1); }

    /** {@code start:stop}. */
    public static TensorIndex slice(long start, long stop) { return TensorIndex.slice(start, stop, 1); }

    /** {@code start:stop} with open ends as null ({@code slice(1, null)} is {@code 1:}). */
    public static TensorIndex slice(Long start, Long stop) { return TensorIndex.slice(start, stop, 1); }

    /** {@code start:stop:step}. */
    public static TensorIndex slice(Long start, Long stop, long step) { return TensorIndex.slice(start, stop, step); }

    /** {@code ...}. */
    public static TensorIndex ellipsis() { return TensorIndex.ellipsis(); }

    /** {@code None}: a new axis of size 1. */
    public static TensorIndex newAxis() { return TensorIndex.none(); }

    /** An int64 or bool tensor used as an index. */
    public static TensorIndex idx(Tensor t) { return TensorIndex.tensor(t); }

    /** An integer index entry (to mix with slices in {@code index(TensorIndex...)}). */
    public static TensorIndex idx(long i) { return TensorIndex.integer(i); }

    // ------------------------------------------------------------ functions

    /** {@code torch.cat(tensors, dim)}: the tensors joined along an existing dim; the others must match. */
    public static Tensor cat(List<Tensor> tensors, int dim) { return Joining.cat(tensors, dim); }

    /** {@code torch.cat(tensors)} along dim 0. */
    public static Tensor cat(List<Tensor> tensors) { return Joining.cat(tensors, 0); }

    /** {@code torch.cat((a, b, ...))} along dim 0. */
    public static Tensor cat(Tensor... tensors) { return Joining.cat(Arrays.asList(jtorch.ops.Args.notNull("cat", "tensors", tensors)), 0); }

    /** {@code torch.stack(tensors, dim)}: equal-shaped tensors joined along a new dim. */
    public static Tensor stack(List<Tensor> tensors, int dim) { return Joining.stack(tensors, dim); }

    /** {@code torch.stack(tensors)} along a new dim 0. */
    public static Tensor stack(List<Tensor> tensors) { return Joining.stack(tensors, 0); }

    /** {@code torch.stack((a, b, ...))} along a new dim 0. */
    public static Tensor stack(Tensor... tensors) { return Joining.stack(Arrays.asList(jtorch.ops.Args.notNull("stack", "tensors", tensors)), 0); }

    /** {@code torch.where(condition, a, b)}. */
    public static Tensor where(Tensor condition, Tensor a, Tensor b) {
        jtorch.ops.Args.notNull("where", "condition", condition);
        return jtorch.ops.Args.notNull("where", "input", a).where(condition, b);
    }

    /** {@code torch.nonzero(t)}: (n, ndim) int64 positions. */
    public static Tensor nonzero(Tensor t) { return Indexing.nonzero(t); }

    /** {@code torch.matmul(a, b)}: see {@link Tensor#matmul}. */
    public static Tensor matmul(Tensor a, Tensor b) { return jtorch.ops.Args.notNull("matmul", "input", a).matmul(b); }

    /** {@code torch.mm(a, b)}: 2-D matrix product. */
    public static Tensor mm(Tensor a, Tensor b) { return jtorch.ops.Args.notNull("mm", "input", a).mm(b); }

    /** {@code torch.bmm(a, b)}: batched 3-D matrix product. */
    public static Tensor bmm(Tensor a, Tensor b) { return jtorch.ops.Args.notNull("bmm", "input", a).bmm(b); }

    /**
     * {@code torch.addmm(input, mat1, mat2)}: {@code input + mat1 @ mat2} with the input added in
     * the GEMM, e.g. {@code addmm(bias, x, w.t())} for a linear layer.
     */
    public static Tensor addmm(Tensor input, Tensor mat1, Tensor mat2) { return jtorch.ops.Args.notNull("addmm", "input", input).addmm(mat1, mat2); }

    /** {@code torch.addmm(input, mat1, mat2, beta=beta, alpha=alpha)}: {@code beta * input + alpha * (mat1 @ mat2)}. */
    public static Tensor addmm(Tensor input, Tensor mat1, Tensor mat2, double beta, double alpha) {
        return jtorch.ops.Args.notNull("addmm", "input", input).addmm(mat1, mat2, beta, alpha);
    }

    /** {@code torch.baddbmm(input, batch1, batch2)}: {@code input + bmm(batch1, batch2)}. */
    public static Tensor baddbmm(Tensor input, Tensor batch1, Tensor batch2) { return jtorch.ops.Args.notNull("baddbmm", "input", input).baddbmm(batch1, batch2); }

    /** {@code torch.baddbmm(input, batch1, batch2, beta=beta, alpha=alpha)}. */
    public static Tensor baddbmm(Tensor input, Tensor batch1, Tensor batch2, double beta, double alpha) {
        return jtorch.ops.Args.notNull("baddbmm", "input", input).baddbmm(batch1, batch2, beta, alpha);
    }

    /** {@code torch.maximum(a, b)}: elementwise max, broadcasting; NaN propagates. */
    public static Tensor maximum(Tensor a, Tensor b) { return jtorch.ops.Args.notNull("maximum", "input", a).maximum(b); }

    /** {@code torch.minimum(a, b)}: elementwise min, broadcasting; NaN propagates. */
    public static Tensor minimum(Tensor a, Tensor b) { return jtorch.ops.Args.notNull("minimum", "input", a).minimum(b); }

    /** {@code torch.exp(t)}. */
    public static Tensor exp(Tensor t) { return jtorch.ops.Args.notNull("exp", "input", t).exp(); }

    /** {@code torch.log(t)}: the natural logarithm. */
    public static Tensor log(Tensor t) { return jtorch.ops.Args.notNull("log", "input", t).log(); }

    /** {@code torch.sigmoid(t)}: {@code 1 / (1 + exp(-t))}. */
    public static Tensor sigmoid(Tensor t) { return jtorch.ops.Args.notNull("sigmoid", "input", t).sigmoid(); }

    /** {@code torch.tanh(t)}. */
    public static Tensor tanh(Tensor t) { return jtorch.ops.Args.notNull("tanh", "input", t).tanh(); }

    /** {@code torch.relu(t)}: {@code max(t, 0)}. */
    public static Tensor relu(Tensor t) { return jtorch.ops.Args.notNull("relu", "input", t).relu(); }

    /** {@code torch.softmax(t, dim)}. */
    public static Tensor softmax(Tensor t, int dim) { return jtorch.ops.Args.notNull("softmax", "input", t).softmax(dim); }

    /** {@code torch.log_softmax(t, dim)}. */
    public static Tensor logSoftmax(Tensor t, int dim) { return jtorch.ops.Args.notNull("log_softmax", "input", t).logSoftmax(dim); }

    /** {@code torch.equal(a, b)}: same shape and the same values. */
    public static boolean equal(Tensor a, Tensor b) { return jtorch.ops.Args.notNull("equal", "input", a).equal(b); }

    /** {@code torch.allclose(a, b)} with PyTorch's defaults {@code rtol=1e-5, atol=1e-8}. */
    public static boolean allclose(Tensor a, Tensor b) { return jtorch.ops.Args.notNull("allclose", "input", a).allclose(b); }

    /** {@code torch.allclose(a, b, rtol, atol)}: {@code |a - b| <= atol + rtol * |b|} everywhere. */
    public static boolean allclose(Tensor a, Tensor b, double rtol, double atol) { return jtorch.ops.Args.notNull("allclose", "input", a).allclose(b, rtol, atol); }

    /**
     * {@code torch.convolution(input, weight, bias, stride, padding, dilation, transposed,
     * output_padding, groups)}: 1-D or 2-D, plain or transposed, on batched input (see
     * {@link jtorch.ops.Convolution#convolution}). {@code F.conv2d} and {@code F.convTranspose2d} call it.
     *
     * <pre>{@code
     * Tensor y = convolution(x, w, null, new int[] {2, 2}, new int[] {1, 1}, new int[] {1, 1}, false, new int[] {0, 0}, 1);
     * }</pre>
     */
    public static Tensor convolution(Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padding, int[] dilation,
                                     boolean transposed, int[] outputPadding, int groups) {
        return jtorch.ops.Convolution.convolution(input, weight, bias, stride, padding, dilation, transposed, outputPadding, groups);
    }

    // ---- ops added for #11 (ops) ----

    /**
     * {@code torch.einsum(equation, *operands)}: subscripts {@code [a-zA-Z]}, {@code ...} for
     * broadcast dims, {@code ->} for an explicit output (else the subscripts used once, sorted).
     * Differentiable (built from permute, reshape, mul, sum and bmm).
     *
     * <pre>{@code
     * Tensor c = einsum("bij,bjk->bik", a, b);   // batched matmul
     * Tensor tr = einsum("ii", m);               // trace
     * }</pre>
     */
    public static Tensor einsum(String equation, Tensor... operands) { return jtorch.ops.Einsum.einsum(equation, operands); }

    /** {@code torch.outer(a, b)}: the outer product of two 1-D tensors. */
    public static Tensor outer(Tensor a, Tensor b) { return jtorch.ops.Args.notNull("outer", "input", a).outer(b); }

    /** {@code torch.atan2(a, b)}: the angle of (b, a), elementwise, broadcasting. */
    public static Tensor atan2(Tensor a, Tensor b) { return jtorch.ops.Args.notNull("atan2", "input", a).atan2(b); }

    /** {@code torch.lerp(start, end, weight)}: {@code start + weight * (end - start)}. */
    public static Tensor lerp(Tensor start, Tensor end, double weight) { return jtorch.ops.Args.notNull("lerp", "input", start).lerp(end, weight); }

    /** {@code torch.lerp(start, end, weight)} with a tensor weight, broadcasting. */
    public static Tensor lerp(Tensor start, Tensor end, Tensor weight) { return jtorch.ops.Args.notNull("lerp", "input", start).lerp(end, weight); }

    /** {@code torch.tril(t, diagonal)}: the lower triangle of the last two dims, the rest zero. */
    public static Tensor tril(Tensor t, long diagonal) { return jtorch.ops.Args.notNull("tril", "input", t).tril(diagonal); }

    /** {@code torch.triu(t, diagonal)}: the upper triangle of the last two dims, the rest zero. */
    public static Tensor triu(Tensor t, long diagonal) { return jtorch.ops.Args.notNull("triu", "input", t).triu(diagonal); }

    /** {@code torch.diag(t)}: a 1-D tensor's diagonal matrix, or a matrix's diagonal. */
    public static Tensor diag(Tensor t) { return jtorch.ops.Args.notNull("diag", "input", t).diag(); }

    /** {@code torch.cumsum(t, dim)}. */
    public static Tensor cumsum(Tensor t, int dim) { return jtorch.ops.Args.notNull("cumsum", "input", t).cumsum(dim); }

    /** {@code torch.cumprod(t, dim)}. */
    public static Tensor cumprod(Tensor t, int dim) { return jtorch.ops.Args.notNull("cumprod", "input", t).cumprod(dim); }

    /** {@code torch.sort(t, dim, descending)}: the sorted values and their indices. */
    public static Tensor.ValuesIndices sort(Tensor t, int dim, boolean descending) { return jtorch.ops.Args.notNull("sort", "input", t).sort(dim, descending); }

    /** {@code torch.argsort(t, dim, descending)}. */
    public static Tensor argsort(Tensor t, int dim, boolean descending) { return jtorch.ops.Args.notNull("argsort", "input", t).argsort(dim, descending); }

    /** {@code torch.topk(t, k)}: the k largest along the last dim, sorted, with their indices. */
    public static Tensor.ValuesIndices topk(Tensor t, long k) { return jtorch.ops.Args.notNull("topk", "input", t).topk(k); }

    /** {@code torch.flip(t, dims)}: a copy with the given dims reversed. */
    public static Tensor flip(Tensor t, int... dims) { return jtorch.ops.Args.notNull("flip", "input", t).flip(dims); }

    /** {@code torch.roll(t, shift, dim)}: elements shifted cyclically along {@code dim}. */
    public static Tensor roll(Tensor t, long shift, int dim) { return jtorch.ops.Args.notNull("roll", "input", t).roll(shift, dim); }

    /** {@code torch.nan_to_num(t)}: NaN to 0, +inf and -inf to the dtype's largest and lowest finite values. */
    public static Tensor nanToNum(Tensor t) { return jtorch.ops.Args.notNull("nan_to_num", "input", t).nanToNum(); }

    /** {@code torch.norm(t, p)}: the p-norm of all elements. */
    public static Tensor norm(Tensor t, double p) { return jtorch.ops.Args.notNull("norm", "input", t).norm(p); }

    /** {@code torch.where(condition, x, y)} with a Python number for x, y or both. */
    public static Tensor where(Tensor condition, double a, Tensor b) { return jtorch.ops.Arith.where(condition, jtorch.ops.Arith.scalar(a), b); }

    /** {@code torch.where(condition, x, y)} with a Python number for y. */
    public static Tensor where(Tensor condition, Tensor a, double b) {
        jtorch.ops.Args.notNull("where", "condition", condition);
        return jtorch.ops.Args.notNull("where", "input", a).where(condition, b);
    }

    /** {@code torch.where(condition, x, y)} with Python numbers for both. */
    public static Tensor where(Tensor condition, double a, double b) {
        return jtorch.ops.Arith.where(condition, jtorch.ops.Arith.scalar(a), jtorch.ops.Arith.scalar(b));
    }

    /**
     * {@code torch.meshgrid(*tensors, indexing='ij')} ({@code "xy"} swaps the first two output dims):
     * 1-D (or 0-dim) inputs expanded to the grid, as views.
     *
     * <pre>{@code
     * List<Tensor> g = meshgrid(List.of(arange(3L), arange(2L)), "ij");   // two 3x2 grids
     * }</pre>
     */
    public static List<Tensor> meshgrid(List<Tensor> tensors, String indexing) {
        if (!"ij".equals(indexing) && !"xy".equals(indexing))
            throw new IllegalArgumentException("torch.meshgrid: indexing must be one of \"xy\" or \"ij\", but received: " + indexing);
        int n = tensors.size();
        if (n == 0) throw new IllegalArgumentException("meshgrid expects a non-empty TensorList");
        for (Tensor t : tensors) {
            if (t.dtype() != tensors.get(0).dtype()) throw new IllegalArgumentException("meshgrid expects all tensors to have the same dtype");
            if (t.dim() > 1) throw new IllegalArgumentException("torch.meshgrid: Expected 0D or 1D tensor in the tensor list but got: " + t);
        }
        boolean swap = "xy".equals(indexing) && n >= 2;
        long[] shape = new long[n];
        for (int i = 0; i < n; i++) shape[i] = tensors.get(i).numel();
        if (swap) { long s = shape[0]; shape[0] = shape[1]; shape[1] = s; }
        List<Tensor> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int at = swap && i < 2 ? 1 - i : i;
            long[] view = new long[n];
            Arrays.fill(view, 1);
            view[at] = -1;
            out.add(tensors.get(i).reshape(view).expand(shape));
        }
        return out;
    }

    /** {@code torch.meshgrid(*tensors, indexing='ij')}. */
    public static List<Tensor> meshgrid(Tensor... tensors) { return meshgrid(Arrays.asList(jtorch.ops.Args.notNull("meshgrid", "tensors", tensors)), "ij"); }

    /** {@code torch.multinomial(input, num_samples, replacement=False, generator=None)}. */
    public static Tensor multinomial(Tensor probs, long numSamples) { return jtorch.ops.Args.notNull("multinomial", "input", probs).multinomial(numSamples); }

    /** {@code torch.multinomial(input, num_samples, replacement)}. */
    public static Tensor multinomial(Tensor probs, long numSamples, boolean replacement) { return jtorch.ops.Args.notNull("multinomial", "input", probs).multinomial(numSamples, replacement); }

    /** {@code torch.multinomial(input, num_samples, replacement, generator=g)}. */
    public static Tensor multinomial(Tensor probs, long numSamples, boolean replacement, Generator generator) {
        return jtorch.ops.Args.notNull("multinomial", "input", probs).multinomial(numSamples, replacement, generator);
    }

    // ------------------------------------------------------------ checkpoints

    /**
     * {@code torch.save(state_dict, path)}, in the safetensors format (readable by Python's
     * {@code safetensors} package). Atomic: written to a temporary file in the same directory and
     * renamed over {@code path}, so a failed save leaves the previous file intact.
     *
     * <pre>{@code
     * save(model.stateDict(), Path.of("model.safetensors"));
     * model.loadStateDict(load(Path.of("model.safetensors")));
     * }</pre>
     *
     * @see jtorch.serialization.Safetensors for metadata and the details of the format
     */
    public static void save(Map<String, ? extends Tensor> stateDict, Path path) throws IOException {
        Checkpoints.save(stateDict, path);
    }

    /**
     * {@code torch.load(path)} for a dict of tensors, from safetensors or from a checkpoint written
     * by Python's {@code torch.save} (recognised by content, not by name), in an insertion-ordered
     * map. PyTorch pickles are read without running them: anything but a state dict's contents is
     * refused, naming the Python global (e.g. {@code posix.system}).
     *
     * <pre>{@code
     * Map<String, Tensor> sd = load(Path.of("model.pt"));   // torch.save(model.state_dict(), "model.pt")
     * net.loadStateDict(sd);
     * }</pre>
     *
     * @throws jtorch.serialization.CheckpointException if the file is truncated, corrupt, refused
     *         or not a dict of tensors (nested objects such as optimizer state dicts:
     *         {@link jtorch.serialization.PyTorchCheckpoint#loadObject})
     */
    public static Map<String, Tensor> load(Path path) throws IOException {
        return Checkpoints.load(path);
    }

    /**
     * {@code torch.save(obj, path)} for what a state dict alone is not: a single tensor, a list,
     * or nested maps (a training checkpoint), written in PyTorch's zip format, which Python's
     * {@code torch.load} reads; a map from names to tensors is written as safetensors.
     * <pre>{@code
     * save(Map.of("model", net.stateDict(), "epoch", 3L, "lr", 0.1), Path.of("ckpt.pt"));
     * Map<?, ?> ckpt = (Map<?, ?>) loadObject(Path.of("ckpt.pt"));
     * }</pre>
     */
    public static void save(Object obj, Path path) throws IOException {
        Checkpoints.save(obj, path);
    }

    /** {@code torch.load(path)} for any checkpoint object (see {@link jtorch.serialization.PyTorchCheckpoint#loadObject}). */
    public static Object loadObject(Path path) throws IOException {
        return Checkpoints.loadObject(path);
    }
}
