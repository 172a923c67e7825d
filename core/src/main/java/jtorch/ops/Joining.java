package jtorch.ops;

import java.util.ArrayList;
import java.util.List;

import jtorch.DType;
import jtorch.Tensor;
import jtorch.internal.TensorInternals;
import jtorch.kernels.Copy;

import static jtorch.autograd.Autograd.record;
import static jtorch.internal.TensorInternals.strided;

/** {@code cat}, {@code stack} and the splitting views {@code split}, {@code chunk}, {@code unbind}. */
public final class Joining {
    private Joining() {}

    /** {@code torch.cat(tensors, dim)} with type promotion. Backward: each input's slice of the gradient. */
    public static Tensor cat(List<Tensor> tensors, int dim) {
        checkList("torch.cat()", tensors);
        if (tensors.isEmpty()) throw new IllegalArgumentException("torch.cat(): expected a non-empty list of Tensors");
        for (int i = 0; i < tensors.size(); i++)
            if (tensors.get(i).dim() == 0)
                throw new IllegalArgumentException("zero-dimensional tensor (at position " + i + ") cannot be concatenated");
        // PyTorch's legacy rule: 1-D empty tensors are skipped (they only take part in type promotion).
        boolean[] skip = new boolean[tensors.size()];
        Tensor first = null;
        for (int i = 0; i < tensors.size(); i++) {
            Tensor t = tensors.get(i);
            skip[i] = t.dim() == 1 && TensorInternals.sizes(t)[0] == 0;
            if (!skip[i] && first == null) first = t;
        }
        if (first == null) first = tensors.get(0);
        int d = Shapes.wrapDim(dim, first.dim());
        int[] ref = TensorInternals.sizes(first);
        int total = 0;
        for (int i = 0; i < tensors.size(); i++) {
            Tensor t = tensors.get(i);
            if (skip[i] && t != first) continue;
            if (t.dim() != ref.length)
                throw new IllegalArgumentException("Tensors must have same number of dimensions: got " + ref.length + " and " + t.dim());
            for (int k = 0; k < ref.length; k++)
                if (k != d && TensorInternals.sizes(t)[k] != ref[k])
                    throw new IllegalArgumentException("Sizes of tensors must match except in dimension " + d + ". Expected size "
                            + ref[k] + " but got size " + TensorInternals.sizes(t)[k] + " for tensor number " + i + " in the list.");
            total += TensorInternals.sizes(t)[d];
        }
        DType type = Arith.resultType(tensors.toArray(new Tensor[0]));
        int[] shape = ref.clone();
        shape[d] = total;
        Tensor out = TensorInternals.allocate(type, shape);
        int[] starts = new int[tensors.size()], lens = new int[tensors.size()];
        int at = 0;
        for (int i = 0; i < tensors.size(); i++) {
            Tensor t = tensors.get(i);
            starts[i] = at;
            if (skip[i]) continue;
            lens[i] = TensorInternals.sizes(t)[d];
            Copy.copy(strided(Views.sliceGeometry(out, d, at, lens[i], 1)), strided(t));
            at += lens[i];
        }
        return record(out, "CatBackward0", tensors.toArray(new Tensor[0]), new Tensor[0], (g, c) -> {
            Tensor[] r = new Tensor[starts.length];
            for (int i = 0; i < r.length; i++)
                if (c.needsInputGrad(i)) r[i] = skip[i] ? TensorInternals.allocate(g.dtype(), new int[] {0}) : g.narrow(d, starts[i], lens[i]);
            return r;
        });
    }

    /** {@code torch.stack(tensors, dim)}: equal shapes joined along a new dim. */
    /** A list of tensors without nulls (PyTorch: "expected Tensor as element i"). */
    private static void checkList(String op, List<Tensor> tensors) {
        if (tensors == null) throw new IllegalArgumentException(op + ": expected a list of Tensors, but got null");
        for (int i = 0; i < tensors.size(); i++)
            if (tensors.get(i) == null)
                throw new IllegalArgumentException(op + ": expected Tensor as element " + i + " in argument 0, but got null");
    }

    public static Tensor stack(List<Tensor> tensors, int dim) {
        checkList("stack", tensors);
        if (tensors.isEmpty()) throw new IllegalArgumentException("stack expects a non-empty TensorList");
        int[] ref = TensorInternals.sizes(tensors.get(0));
        for (int i = 1; i < tensors.size(); i++)
            if (!java.util.Arrays.equals(TensorInternals.sizes(tensors.get(i)), ref))
                throw new IllegalArgumentException("stack expects each tensor to be equal size, but got " + Shapes.str(ref)
                        + " at entry 0 and " + Shapes.str(TensorInternals.sizes(tensors.get(i))) + " at entry " + i);
        int d = Shapes.wrapDim(dim, ref.length + 1);
        DType type = Arith.resultType(tensors.toArray(new Tensor[0]));
        int[] shape = new int[ref.length + 1];
        for (int k = 0, j = 0; k < shape.length; k++) shape[k] = k == d ? tensors.size() : ref[j++];
        Tensor out = TensorInternals.allocate(type, shape);
        for (int i = 0; i < tensors.size(); i++) Copy.copy(strided(Views.selectGeometry(out, d, i)), strided(tensors.get(i)));
        return record(out, "StackBackward0", tensors.toArray(new Tensor[0]), new Tensor[0], (g, c) -> {
            Tensor[] r = new Tensor[tensors.size()];
            for (int i = 0; i < r.length; i++) if (c.needsInputGrad(i)) r[i] = g.select(d, i);
            return r;
        });
    }

    /** {@code split(size, dim)}: views of {@code size} along dim, the last possibly smaller. */
    public static List<Tensor> split(Tensor t, long splitSize, int dim) {
        if (t.dim() == 0) throw new IllegalArgumentException("split expects at least a 1-dimensional tensor");
        if (splitSize < 0) throw new IllegalArgumentException("split expects split_size be non-negative, but got split_size=" + splitSize);
        int d = Shapes.wrapDim(dim, t.dim());
        int size = TensorInternals.sizes(t)[d];
        if (splitSize == 0 && size != 0)
            throw new IllegalArgumentException("split_size can only be 0 if dimension size is 0, but got dimension size of " + size);
        List<Tensor> r = new ArrayList<>();
        if (size == 0) { r.add(Views.slice(t, d, 0L, 0L, 1, "SplitBackward0")); return r; }
        for (long s = 0; s < size; s += splitSize) r.add(Views.slice(t, d, s, Math.min(s + splitSize, size), 1, "SplitBackward0"));
        return r;
    }

    /** {@code split([s0, s1, ...], dim)}: views of the given sizes, which must add up to the dim's size. */
    public static List<Tensor> splitWithSizes(Tensor t, long[] sizes, int dim) {
        Args.notNull("split", "split_sizes", sizes);
        if (t.dim() == 0) throw new IllegalArgumentException("split expects at least a 1-dimensional tensor");
        int d = Shapes.wrapDim(dim, t.dim());
        long sum = 0;
        for (long s : sizes) {
            if (s < 0)
                throw new IllegalArgumentException("split_with_sizes expects split_sizes have only non-negative entries, but got "
                        + "split_sizes=" + java.util.Arrays.toString(sizes));
            sum += s;
        }
        if (sum != TensorInternals.sizes(t)[d])
            throw new IllegalArgumentException("split_with_sizes expects split_sizes to sum exactly to " + TensorInternals.sizes(t)[d]
                    + " (input tensor's size at dimension " + d + "), but got split_sizes=" + java.util.Arrays.toString(sizes));
        List<Tensor> r = new ArrayList<>();
        long at = 0;
        for (long s : sizes) {
            r.add(Views.slice(t, d, at, at + s, 1, "SplitWithSizesBackward0"));
            at += s;
        }
        return r;
    }

    /** {@code chunk(chunks, dim)}: at most {@code chunks} views of size ceil(n / chunks). */
    /** How many empty chunks {@code chunk} makes of an empty dim before it refuses (each is an object). */
    static final int MAX_EMPTY_CHUNKS = 1 << 20;

    public static List<Tensor> chunk(Tensor t, int chunks, int dim) {
        if (chunks <= 0) throw new IllegalArgumentException("chunk expects `chunks` to be greater than 0, got: " + chunks);
        if (t.dim() == 0) throw new IllegalArgumentException("chunk expects at least a 1-dimensional tensor");
        int d = Shapes.wrapDim(dim, t.dim());
        long size = TensorInternals.sizes(t)[d];
        long each = (size + chunks - 1) / chunks;
        if (size != 0) return split(t, each, d);
        // PyTorch: an empty dim gives `chunks` empty chunks (split_with_sizes of zeros).
        if (chunks > MAX_EMPTY_CHUNKS)
            throw new IllegalArgumentException("chunk: " + chunks + " chunks of an empty dim are more than jtorch makes (at most "
                    + MAX_EMPTY_CHUNKS + ")");
        List<Tensor> r = new ArrayList<>(chunks);
        for (int i = 0; i < chunks; i++) r.add(Views.slice(t, d, 0L, 0L, 1, "SplitWithSizesBackward0"));
        return r;
    }

    /** {@code unbind(dim)}: every slice along dim, as views. */
    public static List<Tensor> unbind(Tensor t, int dim) {
        if (t.dim() == 0) throw new IllegalArgumentException("Dimension specified as 0 but tensor has no dimensions");
        int d = Shapes.wrapDim(dim, t.dim());
        List<Tensor> r = new ArrayList<>();
        for (int i = 0; i < TensorInternals.sizes(t)[d]; i++) r.add(Views.selectChecked(t, d, i, "UnbindBackward0"));
        return r;
    }
}
