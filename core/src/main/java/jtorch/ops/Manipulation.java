package jtorch.ops;

import java.util.Arrays;

import jtorch.DType;
import jtorch.Tensor;
import jtorch.autograd.GradMode;
import jtorch.internal.TensorInternals;
import jtorch.kernels.AlongDim;
import jtorch.kernels.Copy;

import static jtorch.autograd.Autograd.of;
import static jtorch.autograd.Autograd.record;
import static jtorch.internal.TensorInternals.strided;

/**
 * Ops that move elements around ({@code flip roll repeat tile tril triu diag outer masked_fill}):
 * each copies through an index map or a mask (kernels in {@link AlongDim}) and records PyTorch's
 * node, whose backward is written in the same differentiable ops.
 */
public final class Manipulation {
    private Manipulation() {}

    private static int[] wrapDims(int[] dims, int ndim, String op) {
        boolean[] seen = new boolean[Math.max(ndim, 1)];
        int[] r = new int[dims.length];
        for (int i = 0; i < dims.length; i++) {
            r[i] = Shapes.wrapDim(dims[i], ndim);
            if (seen[r[i]]) throw new IllegalArgumentException("dim " + r[i] + " appears multiple times in the list of dims");
            seen[r[i]] = true;
        }
        return r;
    }

    /** Copies contiguous {@code x} through {@code contrib} (see {@link AlongDim#indexMap}) into a new tensor of {@code outShape}. */
    private static Tensor remap(Tensor x, int[][] contrib, int[] outShape) {
        Tensor in = Raw.contiguous(x);
        Tensor out = TensorInternals.allocate(x.dtype(), outShape);
        AlongDim.gather(strided(in), strided(out), AlongDim.indexMap(contrib, outShape));
        return out;
    }

    private static int[][] identityContrib(int[] shape) {
        int[] st = Shapes.contiguousStrides(shape);
        int[][] c = new int[shape.length][];
        for (int d = 0; d < shape.length; d++) {
            c[d] = new int[Math.max(shape[d], 1)];
            for (int k = 0; k < shape[d]; k++) c[d][k] = k * st[d];
        }
        return c;
    }

    /** {@code flip(dims)}: a copy with the order of elements reversed along each of {@code dims}. Backward: flip again. */
    public static Tensor flip(Tensor x, int[] dims) {
        Args.notNull("flip", "dims", dims);
        int[] ds = wrapDims(dims, x.dim(), "flip");
        int[] shape = TensorInternals.sizes(x);
        int[][] c = identityContrib(shape);
        int[] st = Shapes.contiguousStrides(shape);
        for (int d : ds) {
            if (x.dim() == 0) continue;
            for (int k = 0; k < shape[d]; k++) c[d][k] = (shape[d] - 1 - k) * st[d];
        }
        Tensor out = remap(x, c, shape);
        return record(out, "FlipBackward0", of(x), of(), (g, ctx) -> new Tensor[] {flip(g, ds)});
    }

    /** {@code roll(shifts, dims)}; with no dims the flattened tensor is rolled and the shape restored. */
    public static Tensor roll(Tensor x, long[] shifts, int[] dims) {
        Args.notNull("roll", "shifts", shifts);
        Args.notNull("roll", "dims", dims);
        if (dims.length == 0) {
            if (shifts.length != 1)
                throw new IllegalArgumentException("shifts and dimensions must align. shifts: " + shifts.length + ", dims:0");
            return roll(x.flatten(), shifts, new int[] {0}).view(Shapes.toLongs(TensorInternals.sizes(x)));
        }
        if (shifts.length != dims.length)
            throw new IllegalArgumentException("shifts and dimensions must align. shifts: " + shifts.length + ", dims:" + dims.length);
        int[] shape = TensorInternals.sizes(x);
        int[] st = Shapes.contiguousStrides(shape);
        int[][] c = identityContrib(shape);
        int[] ds = new int[dims.length];
        for (int i = 0; i < dims.length; i++) {
            int d = ds[i] = Shapes.wrapDim(dims[i], x.dim());
            if (x.dim() == 0) continue;
            int n = shape[d];
            if (n == 0) continue;
            int[] prev = c[d].clone();
            for (int k = 0; k < n; k++) c[d][k] = prev[(int) Math.floorMod(k - shifts[i], (long) n)];
        }
        if (x.dim() == 0) return x.clone();
        Tensor out = remap(x, c, shape);
        long[] back = new long[shifts.length];
        for (int i = 0; i < shifts.length; i++) back[i] = -shifts[i];
        return record(out, "RollBackward0", of(x), of(), (g, ctx) -> new Tensor[] {roll(g, back, ds)});
    }

    /** {@code repeat(*sizes)}: the tensor tiled {@code sizes[d]} times along each dim (leading new dims allowed). */
    public static Tensor repeat(Tensor x, long[] reps) {
        Args.notNull("repeat", "reps", reps);
        if (reps.length < x.dim())
            throw new IllegalArgumentException("Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor");
        int n = reps.length, lead = n - x.dim();
        int[] padded = new int[n], outShape = new int[n];
        long[] sizes = new long[n];
        for (int d = 0; d < n; d++) {
            if (reps[d] < 0) throw new IllegalArgumentException("Trying to create tensor with negative dimension " + reps[d] + ": " + Arrays.toString(reps));
            padded[d] = d < lead ? 1 : TensorInternals.sizes(x)[d - lead];
            if (reps[d] > Integer.MAX_VALUE) Args.checkNumel("repeat", reps[d]);
            sizes[d] = padded[d] * reps[d]; // both below 2^31: no long overflow
        }
        Args.checkNumel("repeat", sizes);
        for (int d = 0; d < n; d++) outShape[d] = (int) sizes[d];
        int[] st = Shapes.contiguousStrides(padded);
        int[][] c = new int[n][];
        for (int d = 0; d < n; d++) {
            c[d] = new int[Math.max(outShape[d], 1)];
            for (int k = 0; k < outShape[d]; k++) c[d][k] = (k % padded[d]) * st[d];
        }
        Tensor out = remap(x, c, outShape);
        int[] in = TensorInternals.sizes(x).clone();
        return record(out, "RepeatBackward0", of(x), of(), (g, ctx) -> {
            // (r0*s0, r1*s1, ...) -> (r0, s0, r1, s1, ...), summed over the r's.
            long[] split = new long[2 * n];
            int[] rdims = new int[n];
            for (int d = 0; d < n; d++) { split[2 * d] = reps[d]; split[2 * d + 1] = padded[d]; rdims[d] = 2 * d; }
            Tensor s = g.reshape(split).sum(rdims, false);
            return new Tensor[] {s.reshape(Shapes.toLongs(in))};
        });
    }

    /** {@code tile(dims)}: {@code repeat} with {@code dims} padded with leading 1s to the tensor's rank. */
    public static Tensor tile(Tensor x, long[] dims) {
        Args.notNull("tile", "dims", dims);
        if (dims.length >= x.dim()) return repeat(x, dims);
        long[] r = new long[x.dim()];
        Arrays.fill(r, 1);
        System.arraycopy(dims, 0, r, x.dim() - dims.length, dims.length);
        return repeat(x, r);
    }

    // ------------------------------------------------------------------ triangular and diagonal

    /** {@code tril(diagonal)} ({@code lower}) or {@code triu(diagonal)} of the last two dims. Backward: the same mask of the gradient. */
    public static Tensor triangle(Tensor x, long diagonal, boolean lower) {
        String op = lower ? "tril" : "triu";
        Shapes.wrapDim(-2, x.dim()); // PyTorch's "Dimension out of range" for fewer than 2 dims
        int[] s = TensorInternals.sizes(x);
        int rows = s[s.length - 2], cols = s[s.length - 1];
        Tensor out = Raw.copy(x, x.dtype());
        boolean[] keep = new boolean[(int) out.numel()];
        for (int p = 0; p < keep.length; ) // row by row: each (i, j) of every matrix
            for (long i = 0; i < rows; i++)
                for (long j = 0; j < cols; j++, p++) keep[p] = lower ? j - i <= diagonal : j - i >= diagonal;
        AlongDim.zeroWhereNot(strided(out), keep);
        return record(out, lower ? "TrilBackward0" : "TriuBackward0", of(x), of(), (g, ctx) -> new Tensor[] {triangle(g, diagonal, lower)});
    }

    /** {@code diag(diagonal)}: a 1-D tensor to a square matrix with it on the given diagonal, or a matrix's diagonal as a 1-D tensor. */
    public static Tensor diag(Tensor x, long diagonal) {
        if (x.dim() == 1) {
            int n = TensorInternals.sizes(x)[0];
            long side = diagonal == Long.MIN_VALUE ? Long.MAX_VALUE : n + Math.abs(diagonal);
            Args.checkNumel("diag", side, side);
            int size = (int) side;
            Tensor out = TensorInternals.allocate(x.dtype(), new int[] {size, size});
            int start = diagonal >= 0 ? (int) diagonal : (int) (-diagonal * size);
            Copy.copy(strided(TensorInternals.alias(out, new int[] {n}, new int[] {size + 1}, start)), strided(x));
            return record(out, "DiagBackward0", of(x), of(), (g, ctx) -> new Tensor[] {diag(g, diagonal)});
        }
        if (x.dim() != 2) throw new IllegalArgumentException("matrix or a vector expected");
        int rows = TensorInternals.sizes(x)[0], cols = TensorInternals.sizes(x)[1];
        long len = diagonal >= 0 ? Math.max(0, Math.min(rows, cols - diagonal)) : Math.max(0, Math.min(rows + diagonal, cols));
        int st0 = TensorInternals.strides(x)[0], st1 = TensorInternals.strides(x)[1];
        int start = TensorInternals.offset(x) + (len == 0 ? 0 : diagonal >= 0 ? (int) diagonal * st1 : (int) -diagonal * st0);
        Tensor out = TensorInternals.allocate(x.dtype(), new int[] {(int) len});
        Copy.copy(strided(out), strided(TensorInternals.alias(x, new int[] {(int) len}, new int[] {st0 + st1}, start)));
        return record(out, "DiagBackward0", of(x), of(), (g, ctx) -> new Tensor[] {diagonalScatter(g, rows, cols, diagonal)});
    }

    /** Zeros of {@code (rows, cols)} with {@code g} on the given diagonal; the backward of taking a diagonal. */
    private static Tensor diagonalScatter(Tensor g, int rows, int cols, long diagonal) {
        Tensor out = TensorInternals.allocate(g.dtype(), new int[] {rows, cols});
        int n = TensorInternals.sizes(g)[0];
        if (n > 0) {
            int start = diagonal >= 0 ? (int) diagonal : (int) (-diagonal * cols);
            Copy.copy(strided(TensorInternals.alias(out, new int[] {n}, new int[] {cols + 1}, start)), strided(g));
        }
        return record(out, "DiagonalBackwardBackward0", of(g), of(), (gg, ctx) -> new Tensor[] {diag(gg, diagonal)});
    }

    /** {@code outer(vec2)}: {@code self[i] * vec2[j]}, both 1-D. */
    public static Tensor outer(Tensor a, Tensor b) {
        Args.notNull("outer", "vec2", b);
        if (a.dim() != 1) throw new IllegalArgumentException("outer: Expected 1-D argument self, but got " + a.dim() + "-D");
        if (b.dim() != 1) throw new IllegalArgumentException("outer: Expected 1-D argument vec2, but got " + b.dim() + "-D");
        return a.reshape(-1, 1).mul(b);
    }

    /** {@code movedim(source, destination)}: a view with dim {@code source} moved to position {@code destination}. */
    public static Tensor movedim(Tensor x, int source, int destination) {
        int n = x.dim();
        int s = Shapes.wrapDim(source, n), t = Shapes.wrapDim(destination, n);
        if (n == 0 || s == t) return Views.permute(x, identity(n));
        int[] order = new int[n];
        for (int i = 0, j = 0; i < n; i++) {
            if (i == t) order[i] = s;
            else { if (j == s) j++; order[i] = j++; }
        }
        return Views.permute(x, order);
    }

    private static int[] identity(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) r[i] = i;
        return r;
    }

    // ------------------------------------------------------------------ masked_fill

    /**
     * {@code masked_fill(mask, value)}: {@code self} (broadcast with the bool {@code mask}) with
     * {@code value} (a Python number or a 0-dim tensor, converted to self's dtype) where mask is true.
     * d/dself = g where not mask; d/dvalue = sum of g where mask.
     */
    public static Tensor maskedFill(Tensor self, Tensor mask, Tensor value) {
        Args.notNull("masked_fill", "mask", mask);
        Args.notNull("masked_fill", "value", value);
        if (mask.dtype() == DType.FLOAT32 || mask.dtype() == DType.FLOAT64)
            throw new IllegalArgumentException("masked_fill_ only supports boolean masks, but got mask with dtype "
                    + mask.dtype().toString().substring(6));
        if (mask.dtype() == DType.INT64) mask = mask.ne(0.0); // accepted by PyTorch 1.13 (deprecated uint8-style masks)
        if (value.dim() != 0)
            throw new IllegalArgumentException("masked_fill_ only supports a 0-dimensional value tensor, but got tensor with "
                    + value.dim() + " dimension(s).");
        int[] shape = Shapes.broadcast(TensorInternals.sizes(mask), TensorInternals.sizes(self));
        Tensor out = TensorInternals.allocate(self.dtype(), shape);
        Copy.where(strided(out), strided(Raw.expand(mask, shape)), strided(Raw.expand(Raw.convert(value, self.dtype()), shape)), strided(Raw.expand(self, shape)));
        Tensor zero = Arith.scalar(0.0);
        if (value.isWrappedNumber())
            return record(out, "MaskedFillBackward0", of(self), of(mask), (g, ctx) -> new Tensor[] {g.where(ctx.saved(0).logicalNot(), zero)});
        return record(out, "MaskedFillBackward1", of(self, value), of(mask), (g, ctx) -> {
            Tensor m = ctx.saved(0);
            return new Tensor[] {
                    ctx.needsInputGrad(0) ? g.where(m.logicalNot(), zero) : null,
                    ctx.needsInputGrad(1) ? g.where(m, zero).sum() : null};
        });
    }

    /** {@code masked_fill_(mask, value)}: the mask must broadcast to self's shape. */
    public static Tensor maskedFill_(Tensor self, Tensor mask, Tensor value) {
        Args.notNull("masked_fill_", "mask", mask);
        Args.notNull("masked_fill_", "value", value);
        if (!Shapes.expandable(TensorInternals.sizes(mask), TensorInternals.sizes(self)))
            throw new IllegalArgumentException("output with shape " + Shapes.str(TensorInternals.sizes(self)) + " doesn't match the broadcast shape "
                    + Shapes.str(Shapes.broadcast(TensorInternals.sizes(mask), TensorInternals.sizes(self))));
        if (GradMode.isEnabled() && value.requiresGrad())
            return InPlace.apply(self, t -> maskedFill(t, mask, value), true, value);
        return InPlace.apply(self, t -> maskedFill(t, mask, value), true);
    }
}
