package jtorch.ops;

import java.util.Arrays;

import jtorch.Tensor;
import jtorch.autograd.Autograd;
import jtorch.internal.TensorInternals;
import jtorch.kernels.Copy;

import static jtorch.autograd.Autograd.of;
import static jtorch.autograd.Autograd.record;
import static jtorch.internal.TensorInternals.strided;

/**
 * Ops that return views: new geometry over the same storage, no copy. Each has a geometry
 * function (also used by backward rules on fresh buffers) and a recorded backward.
 */
public final class Views {
    private Views() {}

    // ------------------------------------------------------------ view / reshape

    /** Replaces one {@code -1} by the size that keeps numel, with PyTorch's errors. */
    static int[] inferSize(long[] shape, long numel) {
        Args.notNull("view", "shape", shape);
        int infer = -1;
        long known = 1;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] == -1) {
                if (infer >= 0) throw new IllegalArgumentException("only one dimension can be inferred");
                infer = i;
            } else if (shape[i] < 0) throw new IllegalArgumentException("invalid shape dimension " + shape[i]);
            else known = shape[i] != 0 && known > Long.MAX_VALUE / shape[i] ? Long.MAX_VALUE : known * shape[i]; // saturates: never equal to a numel by overflow
        }
        long[] r = shape.clone();
        if (infer >= 0) {
            if (known == 0 || numel % known != 0)
                throw new IllegalArgumentException("shape '" + Arrays.toString(shape) + "' is invalid for input of size " + numel);
            r[infer] = numel / known;
        } else if (known != numel)
            throw new IllegalArgumentException("shape '" + Arrays.toString(shape) + "' is invalid for input of size " + numel);
        return Shapes.toInts(r);
    }

    /** Strides that view {@code old} geometry as {@code shape}, or null if impossible (PyTorch's computeStride). */
    static int[] viewStrides(int[] oldShape, int[] oldStride, int[] shape) {
        if (Shapes.numel(oldShape) == 0 || oldShape.length == 0) return Shapes.contiguousStrides(shape);
        int[] ns = new int[shape.length];
        int viewD = shape.length - 1;
        long chunkBase = oldStride[oldStride.length - 1];
        long tensorNumel = 1, viewNumel = 1;
        for (int d = oldShape.length - 1; d >= 0; d--) {
            tensorNumel *= oldShape[d];
            if (d == 0 || (oldShape[d - 1] != 1 && oldStride[d - 1] != tensorNumel * chunkBase)) {
                while (viewD >= 0 && (viewNumel < tensorNumel || shape[viewD] == 1)) {
                    ns[viewD] = (int) (viewNumel * chunkBase);
                    viewNumel *= shape[viewD];
                    viewD--;
                }
                if (viewNumel != tensorNumel) return null;
                if (d > 0) {
                    chunkBase = oldStride[d - 1];
                    tensorNumel = 1;
                    viewNumel = 1;
                }
            }
        }
        return viewD == -1 ? ns : null;
    }

    /** {@code view(shape)}. Backward: the gradient reshaped back. */
    public static Tensor view(Tensor t, long[] shape) {
        int[] s = inferSize(shape, t.numel());
        int[] st = viewStrides(TensorInternals.sizes(t), TensorInternals.strides(t), s);
        if (st == null)
            throw new IllegalArgumentException("view size is not compatible with input tensor's size and stride (at least one "
                    + "dimension spans across two contiguous subspaces). Use .reshape(...) instead.");
        return viewOf(t, s, st);
    }

    private static Tensor viewOf(Tensor t, int[] s, int[] st) { return viewOf(t, s, st, "ViewBackward0"); }

    private static Tensor viewOf(Tensor t, int[] s, int[] st, String name) {
        int[] in = TensorInternals.sizes(t);
        Tensor out = TensorInternals.alias(t, s, st, TensorInternals.offset(t));
        return record(out, name, of(t), of(), (g, c) -> new Tensor[] {g.reshape(Shapes.toLongs(in))});
    }

    /**
     * {@code reshape(shape)}: a view when the strides allow ({@code _reshape_alias}, node
     * ReshapeAliasBackward0 in PyTorch 1.13), else a contiguous copy that is not a view of anything
     * ({@code _unsafe_view} of a clone, node UnsafeViewBackward0).
     */
    public static Tensor reshape(Tensor t, long[] shape) {
        int[] s = inferSize(shape, t.numel());
        int[] st = viewStrides(TensorInternals.sizes(t), TensorInternals.strides(t), s);
        if (st != null) return viewOf(t, s, st, "ReshapeAliasBackward0");
        int[] in = TensorInternals.sizes(t);
        Tensor out = TensorInternals.wrap(Raw.copy(t, t.dtype()).storage().array(), s);
        return record(out, "UnsafeViewBackward0", of(t), of(), (g, c) -> new Tensor[] {g.reshape(Shapes.toLongs(in))});
    }

    /**
     * A new shape for a freshly computed contiguous result, not a view of it: what PyTorch's
     * composite ops get from {@code _unsafe_view} (node UnsafeViewBackward0) or an in-place
     * {@code squeeze_} of a temporary (SqueezeBackward3).
     */
    static Tensor reshapeFresh(Tensor fresh, int[] shape, String name) {
        Tensor c = fresh.isContiguous() && TensorInternals.offset(fresh) == 0 && fresh.storage().size() == fresh.numel()
                ? fresh : Raw.copy(fresh, fresh.dtype());
        int[] in = TensorInternals.sizes(fresh);
        Tensor out = TensorInternals.wrap(c.storage().array(), shape);
        return record(out, name, of(fresh), of(), (g, cx) -> new Tensor[] {g.reshape(Shapes.toLongs(in))});
    }

    // ------------------------------------------------------------ dim shuffles

    /** {@code transpose(d0, d1)}. Backward: transpose back. */
    public static Tensor transpose(Tensor t, int dim0, int dim1) {
        int n = t.dim();
        int a = Shapes.wrapDim(dim0, n), b = Shapes.wrapDim(dim1, n);
        if (n == 0) return record(TensorInternals.alias(t, new int[0], new int[0], TensorInternals.offset(t)), "TransposeBackward0", of(t), of(),
                (g, c) -> new Tensor[] {g});
        int[] s = TensorInternals.sizes(t).clone(), st = TensorInternals.strides(t).clone();
        swap(s, a, b);
        swap(st, a, b);
        Tensor out = TensorInternals.alias(t, s, st, TensorInternals.offset(t));
        return record(out, "TransposeBackward0", of(t), of(), (g, c) -> new Tensor[] {g.transpose(a, b)});
    }

    private static void swap(int[] x, int i, int j) {
        int v = x[i];
        x[i] = x[j];
        x[j] = v;
    }

    /** {@code t()}: 0-D and 1-D unchanged, 2-D transposed. */
    public static Tensor t(Tensor x) {
        if (x.dim() > 2)
            throw new IllegalArgumentException("t() expects a tensor with <= 2 dimensions, but self is " + x.dim() + "D");
        if (x.dim() < 2) return record(TensorInternals.alias(x, TensorInternals.sizes(x), TensorInternals.strides(x), TensorInternals.offset(x)), "TBackward0",
                of(x), of(), (g, c) -> new Tensor[] {g});
        Tensor out = TensorInternals.alias(x, new int[] {TensorInternals.sizes(x)[1], TensorInternals.sizes(x)[0]},
                new int[] {TensorInternals.strides(x)[1], TensorInternals.strides(x)[0]}, TensorInternals.offset(x));
        return record(out, "TBackward0", of(x), of(), (g, c) -> new Tensor[] {g.t()});
    }

    /** {@code permute(dims)}. Backward: the inverse permutation. */
    public static Tensor permute(Tensor t, int[] dims) {
        Args.notNull("permute", "dims", dims);
        int n = t.dim();
        if (dims.length != n)
            throw new IllegalArgumentException("permute(sparse_coo): number of dimensions in the tensor input does not match the "
                    + "length of the desired ordering of dimensions i.e. input.dim() = " + n + " is not equal to len(dims) = " + dims.length);
        int[] s = new int[n], st = new int[n], inverse = new int[n];
        boolean[] seen = new boolean[n];
        for (int i = 0; i < n; i++) {
            int d = Shapes.wrapDim(dims[i], n);
            if (seen[d]) throw new IllegalArgumentException("permute(): duplicate dims are not allowed.");
            seen[d] = true;
            s[i] = TensorInternals.sizes(t)[d];
            st[i] = TensorInternals.strides(t)[d];
            inverse[d] = i;
        }
        Tensor out = TensorInternals.alias(t, s, st, TensorInternals.offset(t));
        return record(out, "PermuteBackward0", of(t), of(), (g, c) -> new Tensor[] {g.permute(inverse)});
    }

    /** {@code unsqueeze(dim)}, dim in {@code [-n-1, n]}. */
    public static Tensor unsqueeze(Tensor t, int dim) {
        int n = t.dim();
        int d = Shapes.wrapDim(dim, n + 1);
        int[] s = new int[n + 1], st = new int[n + 1];
        for (int i = 0, j = 0; i <= n; i++) {
            if (i == d) {
                s[i] = 1;
                st[i] = j < n ? TensorInternals.strides(t)[j] * TensorInternals.sizes(t)[j] : 1;
            } else {
                s[i] = TensorInternals.sizes(t)[j];
                st[i] = TensorInternals.strides(t)[j];
                j++;
            }
        }
        Tensor out = TensorInternals.alias(t, s, st, TensorInternals.offset(t));
        return record(out, "UnsqueezeBackward0", of(t), of(), (g, c) -> new Tensor[] {g.squeeze(d)});
    }

    /** {@code squeeze()} (dims null) or {@code squeeze(dim)}: drops size-1 dims. */
    public static Tensor squeeze(Tensor t, int[] dims) {
        int n = t.dim();
        boolean[] drop = new boolean[n];
        if (dims == null) for (int i = 0; i < n; i++) drop[i] = TensorInternals.sizes(t)[i] == 1;
        else for (int d : dims) {
            int w = Shapes.wrapDim(d, n);
            if (n > 0 && TensorInternals.sizes(t)[w] == 1) drop[w] = true;
        }
        int m = 0;
        for (boolean b : drop) if (!b) m++;
        int[] s = new int[m], st = new int[m];
        for (int i = 0, j = 0; i < n; i++) if (!drop[i]) { s[j] = TensorInternals.sizes(t)[i]; st[j] = TensorInternals.strides(t)[i]; j++; }
        int[] in = TensorInternals.sizes(t);
        Tensor out = TensorInternals.alias(t, s, st, TensorInternals.offset(t));
        return record(out, dims == null ? "SqueezeBackward0" : "SqueezeBackward1", of(t), of(),
                (g, c) -> new Tensor[] {g.reshape(Shapes.toLongs(in))});
    }

    /** {@code flatten(start, end)}: a reshape merging the dims in between. */
    public static Tensor flatten(Tensor t, int startDim, int endDim) {
        int n = t.dim();
        int a = Shapes.wrapDim(startDim, n), b = Shapes.wrapDim(endDim, n); // a 0-dim tensor takes dims -1 and 0
        if (n == 0) return t.reshape(1);
        if (a > b) throw new IllegalArgumentException("flatten() has invalid args: start_dim cannot come after end_dim");
        if (a == b) return t;
        long[] s = new long[n - (b - a)];
        long merged = 1;
        for (int i = a; i <= b; i++) merged *= TensorInternals.sizes(t)[i];
        for (int i = 0, j = 0; i < n; i++) {
            if (i < a || i > b) s[j++] = TensorInternals.sizes(t)[i];
            else if (i == a) s[j++] = merged;
        }
        return reshape(t, s);
    }

    /** {@code unflatten(dim, sizes)}: splits one dim into several (one size may be -1). */
    public static Tensor unflatten(Tensor t, int dim, long[] sizes) {
        int n = t.dim();
        int d = Args.dimOfNonScalar(dim, n);
        if (sizes == null || sizes.length == 0) throw new IllegalArgumentException("unflatten: sizes must be non-empty");
        int[] inner = inferSize(sizes, TensorInternals.sizes(t)[d]);
        long[] s = new long[n - 1 + inner.length];
        for (int i = 0, j = 0; i < n; i++) {
            if (i == d) for (int v : inner) s[j++] = v;
            else s[j++] = TensorInternals.sizes(t)[i];
        }
        return view(t, s);
    }

    /** {@code expand(sizes)} ({@code -1} keeps a size). Backward: sum over the broadcast dims (done by the node). */
    public static Tensor expand(Tensor t, long[] sizes) {
        Args.notNull("expand", "size", sizes);
        int n = t.dim();
        if (sizes.length < n)
            throw new IllegalArgumentException("expand(" + t.legacyTypeName() + "{" + Shapes.str(TensorInternals.sizes(t)) + "}, size="
                    + Arrays.toString(sizes) + "): the number of sizes provided (" + sizes.length
                    + ") must be greater or equal to the number of dimensions in the tensor (" + n + ")");
        long[] target = sizes.clone();
        int off = sizes.length - n;
        for (int i = 0; i < sizes.length; i++) {
            if (sizes[i] == -1) {
                if (i < off) throw new IllegalArgumentException("The expanded size of the tensor (-1) isn't allowed in a leading, non-existing dimension " + i);
                target[i] = TensorInternals.sizes(t)[i - off];
            }
        }
        Tensor out = Raw.expand(t, Shapes.toInts(target));
        if (out == t) out = TensorInternals.alias(t, TensorInternals.sizes(t), TensorInternals.strides(t), TensorInternals.offset(t));
        return record(out, "ExpandBackward0", of(t), of(), (g, c) -> new Tensor[] {g});
    }

    // ------------------------------------------------------------ select / slice

    /** Geometry of {@code t.select(dim, index)} (dim already wrapped, index in range). */
    static Tensor selectGeometry(Tensor t, int dim, int index) {
        int n = t.dim();
        int[] s = new int[n - 1], st = new int[n - 1];
        for (int i = 0, j = 0; i < n; i++) if (i != dim) { s[j] = TensorInternals.sizes(t)[i]; st[j] = TensorInternals.strides(t)[i]; j++; }
        return TensorInternals.alias(t, s, st, TensorInternals.offset(t) + index * TensorInternals.strides(t)[dim]);
    }

    /** Geometry of {@code t[start:start+len*step:step]} along {@code dim}. */
    static Tensor sliceGeometry(Tensor t, int dim, int start, int length, int step) {
        int[] s = TensorInternals.sizes(t).clone(), st = TensorInternals.strides(t).clone();
        s[dim] = length;
        st[dim] = st[dim] * step;
        return TensorInternals.alias(t, s, st, TensorInternals.offset(t) + (length == 0 ? 0 : start * TensorInternals.strides(t)[dim]));
    }

    /** {@code select(dim, index)}: removes {@code dim}. Backward: the gradient placed in zeros. */
    public static Tensor select(Tensor t, int dim, long index) {
        if (t.dim() == 0) throw new IllegalArgumentException("select() cannot be applied to a 0-dim tensor.");
        int d = Shapes.wrapDim(dim, t.dim());
        int size = TensorInternals.sizes(t)[d];
        if (index < -size || index >= size)
            throw new IndexOutOfBoundsException("select(): index " + index + " out of range for tensor of size "
                    + Shapes.str(TensorInternals.sizes(t)) + " at dimension " + d);
        int i = (int) (index < 0 ? index + size : index);
        return selectChecked(t, d, i, "SelectBackward0");
    }

    /** Select with dim wrapped and index validated by the caller (indexing reports its own errors). */
    static Tensor selectChecked(Tensor t, int d, int i, String name) {
        int[] in = TensorInternals.sizes(t);
        Tensor out = selectGeometry(t, d, i);
        // Linear in g; its transpose (for create_graph) takes the selected slice back out.
        out = record(out, name, of(t), of(), (grad, c) -> new Tensor[] {Autograd.linear(grad, "SelectBackwardBackward0", g -> {
            Tensor z = TensorInternals.allocate(g.dtype(), in);
            Copy.copy(strided(selectGeometry(z, d, i)), strided(g));
            return z;
        }, name, gg -> Raw.copy(selectGeometry(gg, d, i), gg.dtype()))});
        return Autograd.placesGradientIn(out, z -> selectGeometry(z, d, i));
    }

    /**
     * {@code t[start:stop:step]} along {@code dim}, with Python's clamping of out-of-range bounds;
     * null bounds mean the ends. Backward: the gradient placed in zeros.
     */
    public static Tensor slice(Tensor t, int dim, Long start, Long stop, long step) {
        return slice(t, dim, start, stop, step, "SliceBackward0");
    }

    /** A slice whose node carries another name (split's pieces are SplitBackward0 in PyTorch). */
    static Tensor slice(Tensor t, int dim, Long start, Long stop, long step, String name) {
        if (step <= 0) throw new IllegalArgumentException("slice step must be positive");
        int d = Shapes.wrapDim(dim, t.dim());
        int size = TensorInternals.sizes(t)[d];
        long a = start == null ? 0 : start < 0 ? Math.max(start + size, 0) : Math.min(start, size);
        long b = stop == null ? size : stop < 0 ? Math.max(stop + size, 0) : Math.min(stop, size);
        int len = b > a ? (int) ((b - a + step - 1) / step) : 0;
        int st = (int) a, sp = (int) step;
        int[] in = TensorInternals.sizes(t);
        Tensor out = sliceGeometry(t, d, st, len, sp);
        // Linear in g; its transpose (for create_graph) takes the slice back out.
        out = record(out, name, of(t), of(), (grad, c) -> new Tensor[] {Autograd.linear(grad, "SliceBackwardBackward0", g -> {
            Tensor z = TensorInternals.allocate(g.dtype(), in);
            Copy.copy(strided(sliceGeometry(z, d, st, len, sp)), strided(g));
            return z;
        }, name, gg -> Raw.copy(sliceGeometry(gg, d, st, len, sp), gg.dtype()))});
        return Autograd.placesGradientIn(out, z -> sliceGeometry(z, d, st, len, sp));
    }

    /** {@code narrow(dim, start, length)}: like a slice but out-of-range is an error. */
    public static Tensor narrow(Tensor t, int dim, long start, long length) {
        if (t.dim() == 0) throw new IllegalArgumentException("narrow() cannot be applied to a 0-dim tensor.");
        int d = Shapes.wrapDim(dim, t.dim());
        long size = TensorInternals.sizes(t)[d];
        if (start < -size || start > size)
            throw new IndexOutOfBoundsException("start out of range (expected to be in range of [" + (-size) + ", " + size
                    + "], but got " + start + ")");
        if (start < 0) start += size;
        if (length < 0 || start + length > size)
            throw new IndexOutOfBoundsException("start (" + start + ") + length (" + length + ") exceeds dimension size (" + size + ").");
        return slice(t, d, start, start + length, 1);
    }

    /**
     * {@code as_strided(size, stride, offset)} over {@code t}'s storage. Backward: the gradient is
     * added into a buffer laid out like the storage (overlapping positions sum) and read back with
     * {@code t}'s own geometry.
     */
    public static Tensor asStrided(Tensor t, int[] size, int[] stride, int offset) {
        if (size.length != stride.length)
            throw new IllegalArgumentException("mismatch in length of strides and shape");
        for (int st : stride)
            if (st < 0)
                throw new IllegalArgumentException("as_strided: Negative strides are not supported at the moment, got strides: "
                        + Shapes.str(stride));
        if (offset < 0) throw new IllegalArgumentException("Tensor: invalid storage offset " + offset);
        long maxIndex = offset;
        for (int i = 0; i < size.length; i++) {
            if (size[i] == 0) { maxIndex = -1; break; }
            maxIndex += (long) (size[i] - 1) * stride[i];
        }
        if (maxIndex >= t.storage().size())
            throw new IllegalArgumentException("setStorage: sizes " + Shapes.str(size) + ", strides " + Shapes.str(stride)
                    + ", storage offset " + offset + ", requiring a storage size of " + (maxIndex + 1)
                    + " are out of bounds for storage of size " + t.storage().size());
        int[] inSize = TensorInternals.sizes(t), inStride = TensorInternals.strides(t);
        int inOffset = TensorInternals.offset(t);
        int extent = t.storage().size();
        Tensor out = TensorInternals.alias(t, size.clone(), stride.clone(), offset);
        // Linear in g; its transpose (for create_graph) lays the input's geometry over a storage-shaped
        // buffer and reads it back with the output's geometry.
        return record(out, "AsStridedBackward0", of(t), of(), (grad, c) -> new Tensor[] {Autograd.linear(grad,
                "AsStridedBackwardBackward0", g -> {
            Tensor buf = TensorInternals.allocate(g.dtype(), new int[] {extent});
            Copy.accumulate(strided(TensorInternals.alias(buf, size, stride, offset)), strided(g));
            return Raw.copy(TensorInternals.alias(buf, inSize, inStride, inOffset), g.dtype());
        }, "AsStridedBackward0", gg -> {
            Tensor buf = TensorInternals.allocate(gg.dtype(), new int[] {extent});
            Copy.copy(strided(TensorInternals.alias(buf, inSize, inStride, inOffset)), strided(gg));
            return Raw.copy(TensorInternals.alias(buf, size, stride, offset), gg.dtype());
        })});
    }
}
