package jtorch.ops;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;

import jtorch.DType;
import jtorch.Tensor;
import jtorch.TensorIndex;
import jtorch.internal.TensorInternals;
import jtorch.kernels.IndexKernels;
import jtorch.kernels.Reduce;

import static jtorch.autograd.Autograd.of;
import static jtorch.autograd.Autograd.record;
import static jtorch.internal.TensorInternals.strided;

/**
 * Indexing: {@code x[...]} with basic entries (views) and tensor entries (gathers), {@code index_put_},
 * {@code index_select}, {@code gather}, {@code scatter}, {@code nonzero}.
 */
public final class Indexing {
    private Indexing() {}

    /** The view left after the basic entries, and the tensor entries still to apply (dim → int64 positions). */
    private static final class Walk {
        Tensor view;
        final List<Integer> dims = new ArrayList<>();
        final List<Tensor> indices = new ArrayList<>();
    }

    private static Walk walk(Tensor t, List<TensorIndex> entries) {
        if (entries.size() == 1 && entries.get(0).kind() == TensorIndex.Kind.INTEGER && t.dim() == 0)
            throw new IndexOutOfBoundsException("invalid index of a 0-dim tensor. Use `tensor.item()` in Python or "
                    + "`tensor.item<T>()` in C++ to convert a 0-dim tensor to a number");
        // A 0-dim int64 tensor indexes as the integer it holds (a view, not a gather), as in PyTorch.
        boolean scalarTensors = false;
        for (TensorIndex e : entries)
            if (e.kind() == TensorIndex.Kind.TENSOR && e.tensor().dtype() == DType.INT64 && e.tensor().dim() == 0) scalarTensors = true;
        if (scalarTensors) { // only then a new list (most index expressions are integers and slices)
            List<TensorIndex> normalized = new ArrayList<>(entries.size());
            for (TensorIndex e : entries)
                normalized.add(e.kind() == TensorIndex.Kind.TENSOR && e.tensor().dtype() == DType.INT64 && e.tensor().dim() == 0
                        ? TensorIndex.integer(e.tensor().itemLong()) : e);
            entries = normalized;
        }
        int consumed = 0;
        boolean ellipsis = false;
        for (TensorIndex e : entries) {
            switch (e.kind()) {
                case INTEGER: case SLICE: consumed++; break;
                case TENSOR: consumed += e.tensor().dtype() == DType.BOOL ? Math.max(e.tensor().dim(), 0) : 1; break;
                case ELLIPSIS:
                    if (ellipsis) throw new IllegalArgumentException("an index can only have a single ellipsis ('...')");
                    ellipsis = true;
                    break;
                default: break;
            }
        }
        if (consumed > t.dim())
            throw new IndexOutOfBoundsException("too many indices for tensor of dimension " + t.dim());
        Walk w = new Walk();
        Tensor r = t;
        int d = 0;
        for (TensorIndex e : entries) {
            switch (e.kind()) {
                case INTEGER: {
                    int size = TensorInternals.sizes(r)[d];
                    long i = e.integer();
                    if (i < -size || i >= size)
                        throw new IndexOutOfBoundsException("index " + i + " is out of bounds for dimension " + d + " with size " + size);
                    r = Views.selectChecked(r, d, (int) (i < 0 ? i + size : i), "SelectBackward0");
                    break;
                }
                case SLICE: r = Views.slice(r, d, e.start(), e.stop(), e.step()); d++; break;
                case NONE: r = Views.unsqueeze(r, d); d++; break;
                case ELLIPSIS: d += t.dim() - consumed; break;
                default: {
                    Tensor idx = e.tensor();
                    if (idx.dtype() == DType.BOOL) {
                        if (idx.dim() == 0) {
                            r = Views.unsqueeze(r, d);
                            w.dims.add(d);
                            w.indices.add(idx.item() != 0 ? TensorInternals.wrap(new long[] {0}, new int[] {1}) : TensorInternals.allocate(DType.INT64, new int[] {0}));
                            d++;
                            break;
                        }
                        for (int j = 0; j < idx.dim(); j++)
                            if (TensorInternals.sizes(idx)[j] != TensorInternals.sizes(r)[d + j])
                                throw new IndexOutOfBoundsException("The shape of the mask " + Shapes.str(TensorInternals.sizes(idx))
                                        + " at index " + j + " does not match the shape of the indexed tensor "
                                        + Shapes.str(TensorInternals.sizes(r)) + " at index " + (d + j));
                        Tensor nz = nonzero(idx);
                        for (int j = 0; j < idx.dim(); j++) {
                            w.dims.add(d + j);
                            w.indices.add(Raw.contiguous(Views.selectGeometry(nz, 1, j)));
                        }
                        d += idx.dim();
                    } else {
                        w.dims.add(d);
                        w.indices.add(idx);
                        d++;
                    }
                }
            }
        }
        w.view = r;
        return w;
    }

    /**
     * {@code x[i, j, ...]} with integers only: the selects of {@link #index(Tensor, List)} (same nodes,
     * same errors) without building index entries, as {@code Y[i, j]} in an element loop asks.
     */
    public static Tensor index(Tensor t, long[] ints) {
        Args.notNull("index", "indices", ints);
        if (ints.length == 0 || ints.length > t.dim()) { // the alias, or the errors
            List<TensorIndex> entries = new ArrayList<>(ints.length);
            for (long i : ints) entries.add(TensorIndex.integer(i));
            return index(t, entries);
        }
        Tensor r = t;
        for (long i : ints) {
            int size = TensorInternals.sizes(r)[0];
            if (i < -size || i >= size)
                throw new IndexOutOfBoundsException("index " + i + " is out of bounds for dimension 0 with size " + size);
            r = Views.selectChecked(r, 0, (int) (i < 0 ? i + size : i), "SelectBackward0");
        }
        return r;
    }

    /** {@code x[entries]}. */
    public static Tensor index(Tensor t, List<TensorIndex> entries) {
        Args.notNull("index", "indices", entries);
        Walk w = walk(t, entries);
        if (w.dims.isEmpty()) {
            if (w.view != t) return w.view;
            Tensor alias = TensorInternals.alias(t, TensorInternals.sizes(t), TensorInternals.strides(t), TensorInternals.offset(t));
            return record(alias, "AliasBackward0", of(t), of(), (g, c) -> new Tensor[] {g});
        }
        return gatherAdvanced(w.view, Plan.of(w.view, w.dims, w.indices), "IndexBackward0");
    }

    /**
     * Geometry of an advanced index: the broadcast index positions, which dims they address, and
     * whether those dims are adjacent (then the result keeps them in place; else they go first).
     */
    private static final class Plan {
        int[] dims;
        long[][] positions;   // per index tensor, wrapped positions in row-major order of indexShape
        int[] indexShape;
        boolean adjacent;

        static Plan of(Tensor src, List<Integer> dims, List<Tensor> indices) {
            Plan p = new Plan();
            int k = dims.size();
            p.dims = new int[k];
            int[] shape = new int[0];
            for (Tensor i : indices) shape = Shapes.broadcast(shape, TensorInternals.sizes(i));
            p.indexShape = shape;
            p.positions = new long[k][];
            for (int j = 0; j < k; j++) {
                int d = dims.get(j);
                p.dims[j] = d;
                long[] v = Raw.expand(indices.get(j), shape).toLongArray();
                int size = TensorInternals.sizes(src)[d];
                for (int e = 0; e < v.length; e++) {
                    if (v[e] < -size || v[e] >= size)
                        throw new IndexOutOfBoundsException("index " + v[e] + " is out of bounds for dimension " + d + " with size " + size);
                    if (v[e] < 0) v[e] += size;
                }
                p.positions[j] = v;
            }
            p.adjacent = true;
            for (int j = 1; j < k; j++) if (p.dims[j] != p.dims[j - 1] + 1) p.adjacent = false;
            return p;
        }

        /** Offset tables (before dims, index tuples, after dims) for a tensor of the source's sizes and given strides. */
        int[][] offsets(int[] sizes, int[] strides) {
            boolean[] indexed = new boolean[sizes.length];
            for (int d : dims) indexed[d] = true;
            int first = adjacent ? dims[0] : 0;
            List<Integer> before = new ArrayList<>(), after = new ArrayList<>();
            for (int d = 0; d < sizes.length; d++) if (!indexed[d]) (d < first ? before : after).add(d);
            int n = positions.length == 0 ? 0 : positions[0].length;
            int[] iOff = new int[n];
            for (int j = 0; j < dims.length; j++) {
                long st = strides[dims[j]];
                for (int e = 0; e < n; e++) iOff[e] += (int) (positions[j][e] * st);
            }
            return new int[][] {Reduce.offsets(pick(sizes, before), pick(strides, before)), iOff,
                    Reduce.offsets(pick(sizes, after), pick(strides, after))};
        }

        int[] resultShape(int[] sizes) {
            boolean[] indexed = new boolean[sizes.length];
            for (int d : dims) indexed[d] = true;
            int first = adjacent ? dims[0] : 0;
            List<Integer> r = new ArrayList<>();
            for (int d = 0; d < first; d++) if (!indexed[d]) r.add(sizes[d]);
            for (int s : indexShape) r.add(s);
            for (int d = first; d < sizes.length; d++) if (!indexed[d]) r.add(sizes[d]);
            return r.stream().mapToInt(Integer::intValue).toArray();
        }

        private static int[] pick(int[] a, List<Integer> ds) {
            int[] r = new int[ds.size()];
            for (int i = 0; i < r.length; i++) r[i] = a[ds.get(i)];
            return r;
        }
    }

    private static Tensor gatherAdvanced(Tensor src, Plan plan, String name) {
        int[] srcSizes = TensorInternals.sizes(src);
        Tensor out = gatherRaw(src, plan);
        // Linear in g; its transpose (for create_graph) is the gather itself.
        return record(out, name, of(src), of(), (g, c) -> new Tensor[] {jtorch.autograd.Autograd.linear(g, "IndexBackwardBackward0",
                gr -> scatterAddRaw(gr, plan, srcSizes), name, gg -> gatherRaw(gg, plan))});
    }

    /** The elements of {@code src} at the plan's positions, without recording. */
    private static Tensor gatherRaw(Tensor src, Plan plan) {
        int[] srcSizes = TensorInternals.sizes(src);
        int[][] off = plan.offsets(srcSizes, TensorInternals.strides(src));
        Tensor out = TensorInternals.allocate(src.dtype(), plan.resultShape(srcSizes));
        IndexKernels.gather(strided(out), strided(src), TensorInternals.offset(src), off[0], off[1], off[2]);
        return out;
    }

    /** Zeros of {@code sizes} with {@code values} (the plan's result shape) added at the plan's positions. */
    private static Tensor scatterAddRaw(Tensor values, Plan plan, int[] sizes) {
        Tensor z = TensorInternals.allocate(values.dtype(), sizes);
        int[][] zo = plan.offsets(sizes, TensorInternals.strides(z));
        IndexKernels.scatter(strided(z), 0, zo[0], zo[1], zo[2], strided(Raw.contiguous(values)), true);
        return z;
    }

    /** {@code x[entries] = values} / {@code index_put_(..., accumulate)}. */
    public static Tensor indexPut_(Tensor self, List<TensorIndex> entries, Tensor values, boolean accumulate) {
        Args.notNull("index_put_", "indices", entries);
        Args.notNull("index_put_", "values", values);
        Walk w = walk(self, entries);
        Tensor target = w.view;
        if (w.dims.isEmpty()) {
            // As PyTorch's set_item, leading size-1 dims of the value are dropped before broadcasting.
            int[] vs = TensorInternals.sizes(values);
            int lead = 0;
            while (lead < vs.length && vs[lead] == 1) lead++;
            Tensor src = lead == 0 ? values : values.reshape(Shapes.toLongs(Arrays.copyOfRange(vs, lead, vs.length)));
            if (accumulate) target.add_(src);
            else target.copy_(src);
            return self;
        }
        // A Python number is converted to the destination's dtype; a tensor must already have it.
        Tensor v = values.isWrappedNumber() ? Raw.convert(values, self.dtype()) : values;
        if (v.dtype() != self.dtype())
            throw new IllegalArgumentException("Index put requires the source and destination dtypes match, got "
                    + self.dtype().scalarTypeName() + " for the destination and " + v.dtype().scalarTypeName()
                    + " for the source.");
        Plan plan = Plan.of(target, w.dims, w.indices);
        InPlace.apply(target, t -> putAdvanced(t, plan, v, accumulate), true, v);
        return self;
    }

    /** Out-of-place index_put: a copy of {@code t} with {@code values} written (or added) at the plan's positions. */
    private static Tensor putAdvanced(Tensor t, Plan plan, Tensor values, boolean accumulate) {
        int[] sizes = TensorInternals.sizes(t);
        int[] resultShape = plan.resultShape(sizes);
        if (!Shapes.expandable(TensorInternals.sizes(values), resultShape))
            throw new IllegalArgumentException("shape mismatch: value tensor of shape " + Shapes.str(TensorInternals.sizes(values))
                    + " cannot be broadcast to indexing result of shape " + Shapes.str(resultShape));
        Tensor out = Raw.copy(t, t.dtype());
        int[][] off = plan.offsets(sizes, TensorInternals.strides(out));
        Tensor v = Raw.copy(Raw.expand(values, resultShape), t.dtype());
        IndexKernels.scatter(strided(out), 0, off[0], off[1], off[2], strided(v), accumulate);
        // Both gradients are linear in g: the values' is a gather (transpose: scatter-add into zeros), self's
        // is g with the written positions zeroed (its own transpose).
        return record(out, "IndexPutBackward0", of(t, values), of(), (g, c) -> {
            Tensor gv = !c.needsInputGrad(1) ? null : jtorch.autograd.Autograd.linear(g, "IndexBackward0", gr -> {
                Tensor picked = TensorInternals.allocate(gr.dtype(), resultShape);
                Tensor gc = Raw.copy(gr, gr.dtype());
                IndexKernels.gather(strided(picked), strided(gc), 0, off[0], off[1], off[2]);
                return picked;
            }, "IndexPutBackward0", gg -> {
                Tensor z = TensorInternals.allocate(gg.dtype(), sizes);
                IndexKernels.scatter(strided(z), 0, off[0], off[1], off[2], strided(Raw.contiguous(gg)), true);
                return z;
            });
            UnaryOperator<Tensor> zeroWritten = gr -> {
                Tensor gc = Raw.copy(gr, gr.dtype());
                if (!accumulate) IndexKernels.scatter(strided(gc), 0, off[0], off[1], off[2], strided(TensorInternals.allocate(gr.dtype(), resultShape)), false);
                return gc;
            };
            Tensor gt = !c.needsInputGrad(0) ? null : accumulate ? g
                    : jtorch.autograd.Autograd.linear(g, "IndexPutBackward0", zeroWritten, "IndexPutBackward0", zeroWritten);
            return new Tensor[] {gt, gv};
        });
    }

    /** {@code index_select(dim, index)} with a 1-D int64 index. */
    public static Tensor indexSelect(Tensor t, int dim, Tensor index) {
        Args.notNull("index_select", "index", index);
        if (index.dim() > 1) throw new IllegalArgumentException("index_select(): Index is supposed to be a vector");
        if (index.dtype() != DType.INT64)
            throw new IllegalArgumentException("index_select(): Expected dtype int64 for index but got " + index.dtype());
        int d = Shapes.wrapDim(dim, t.dim());
        long size = t.dim() == 0 ? 1 : TensorInternals.sizes(t)[d];
        for (long v : index.toLongArray())
            if (v < 0 || v >= size) throw new IndexOutOfBoundsException("index_select(): index " + v + " out of range in self (size " + size + ")");
        if (t.dim() == 0) return gather(t, 0, index.reshape(1)).reshape();
        List<Integer> dims = List.of(d);
        List<Tensor> idx = List.of(index.reshape(-1));
        return gatherAdvanced(t, Plan.of(t, dims, idx), "IndexSelectBackward0");
    }

    /** Positions of the nonzero (true) elements, as an (n, ndim) int64 tensor in row-major order. */
    public static Tensor nonzero(Tensor t) {
        Args.notNull("nonzero", "input", t);
        boolean[] v = t.toBooleanArray();
        int nd = t.dim();
        int count = 0;
        for (boolean b : v) if (b) count++;
        long[] out = new long[count * nd];
        int[] sizes = TensorInternals.sizes(t);
        int[] pos = new int[nd];
        int row = 0;
        for (int e = 0; e < v.length; e++) {
            if (v[e]) {
                for (int j = 0; j < nd; j++) out[row * nd + j] = pos[j];
                row++;
            }
            for (int j = nd - 1; j >= 0; j--) {
                if (++pos[j] < sizes[j]) break;
                pos[j] = 0;
            }
        }
        return TensorInternals.wrap(out, new int[] {count, nd});
    }

    // ------------------------------------------------------------ gather / scatter along a dim

    private static long[] checkedIndex(String op, Tensor t, int d, Tensor index, Tensor other) {
        Args.notNull(op, "index", index);
        if (index.dtype() != DType.INT64)
            throw new IllegalArgumentException(op + "(): Expected dtype int64 for index");
        int nd = Math.max(t.dim(), 1);
        if (Math.max(index.dim(), 1) != nd)
            throw new IllegalArgumentException("Index tensor must have the same number of dimensions as " + (other == null ? "input" : "self") + " tensor");
        if (other != null && !other.isWrappedNumber() && Math.max(other.dim(), 1) != nd)
            throw new IllegalArgumentException("Index tensor must have the same number of dimensions as src tensor");
        for (int k = 0; k < index.dim(); k++) {
            if (k != d && TensorInternals.sizes(index)[k] > TensorInternals.sizes(t)[k])
                throw new IllegalArgumentException("Size does not match at dimension " + k + " expected index "
                        + Shapes.str(TensorInternals.sizes(index)) + " to be smaller than self " + Shapes.str(TensorInternals.sizes(t))
                        + " apart from dimension " + d);
            if (other != null && other.dim() > 0 && TensorInternals.sizes(index)[k] > TensorInternals.sizes(other)[k])
                throw new IllegalArgumentException("Expected index " + Shapes.str(TensorInternals.sizes(index))
                        + " to be smaller than self " + Shapes.str(TensorInternals.sizes(t)) + " apart from dimension " + d
                        + " and to be smaller size than src " + Shapes.str(TensorInternals.sizes(other)));
        }
        long[] idx = index.toLongArray();
        int size = t.dim() == 0 ? 1 : TensorInternals.sizes(t)[d];
        for (long v : idx)
            if (v < 0 || v >= size)
                throw new IndexOutOfBoundsException("index " + v + " is out of bounds for dimension " + d + " with size " + size);
        return idx;
    }

    /** Offsets of {@code t}'s elements at index positions, with {@code dim}'s stride left out (the index supplies it). */
    private static int[] offsetsWithoutDim(int[] indexSizes, Tensor t, int d) {
        if (t.dim() == 0) return new int[indexSizes.length == 0 ? 1 : (int) Shapes.numel(indexSizes)];
        int[] st = TensorInternals.strides(t).clone();
        st[d] = 0;
        return Reduce.offsets(indexSizes, st);
    }

    private static int dimStride(Tensor t, int d) { return t.dim() == 0 ? 0 : TensorInternals.strides(t)[d]; }

    /** {@code gather(dim, index)}. Backward: the gradient scatter-added into zeros. */
    public static Tensor gather(Tensor t, int dim, Tensor index) {
        Args.notNull("gather", "index", index);
        int d = Shapes.wrapDim(dim, t.dim());
        if (index.numel() == 0 && index.dtype() == DType.INT64) return TensorInternals.allocate(t.dtype(), TensorInternals.sizes(index));
        long[] idx = checkedIndex("gather", t, d, index, null);
        int[] is = TensorInternals.sizes(index);
        Tensor out = TensorInternals.allocate(t.dtype(), is);
        int[] oOff = Reduce.offsets(is, TensorInternals.strides(out));
        IndexKernels.alongDim(true, strided(t), TensorInternals.offset(t), offsetsWithoutDim(is, t, d), dimStride(t, d), idx, strided(out), 0, oOff, false);
        int[] in = TensorInternals.sizes(t);
        // Linear in g; its transpose (for create_graph) is the gather itself.
        return record(out, "GatherBackward0", of(t), of(), (grad, c) -> new Tensor[] {jtorch.autograd.Autograd.linear(grad,
                "ScatterAddBackward0", g -> {
            Tensor z = TensorInternals.allocate(g.dtype(), in);
            Tensor gc = Raw.contiguous(g);
            IndexKernels.alongDim(false, strided(z), 0, offsetsWithoutDim(is, z, d), dimStride(z, d), idx, strided(gc), TensorInternals.offset(gc), oOff, true);
            return z;
        }, "GatherBackward0", gg -> gather(gg, d, index))});
    }

    /** {@code scatter(dim, index, src)}: a copy of {@code t} with src written at the index positions. */
    public static Tensor scatter(Tensor t, int dim, Tensor index, Tensor src) { return scatterOp(t, dim, index, src, false); }

    /** {@code scatter_add(dim, index, src)}. */
    public static Tensor scatterAdd(Tensor t, int dim, Tensor index, Tensor src) { return scatterOp(t, dim, index, src, true); }

    private static Tensor scatterOp(Tensor t, int dim, Tensor index, Tensor src, boolean add) {
        int d = Shapes.wrapDim(dim, t.dim());
        long[] idx = checkedIndex(add ? "scatter_add" : "scatter", t, d, index, src);
        int[] is = TensorInternals.sizes(index);
        Tensor out = Raw.copy(t, t.dtype());
        Tensor s = Raw.convert(src.dim() == 0 ? Raw.expand(src, is) : src, t.dtype());
        int[] sOff = Reduce.offsets(is, TensorInternals.strides(s));
        IndexKernels.alongDim(false, strided(out), 0, offsetsWithoutDim(is, out, d), dimStride(out, d), idx, strided(s), TensorInternals.offset(s), sOff, add);
        int[] srcSizes = TensorInternals.sizes(src);
        String name = add ? "ScatterAddBackward0" : src.isWrappedNumber() ? "ScatterBackward1" : "ScatterBackward0";
        return record(out, name, of(t, src), of(), (g, c) -> {
            Tensor gs = null;
            if (c.needsInputGrad(1)) {
                Tensor picked = gather(g, d, index);
                if (!Arrays.equals(is, srcSizes)) {
                    // src larger than index: positions the index never reads get no gradient (linear; the
                    // transpose for create_graph takes the index-shaped corner back out).
                    picked = jtorch.autograd.Autograd.linear(picked, "ConstantPadNdBackward0", p -> {
                        Tensor z = TensorInternals.allocate(p.dtype(), srcSizes);
                        jtorch.kernels.Copy.copy(strided(TensorInternals.alias(z, is, TensorInternals.strides(z), 0)), strided(p));
                        return z;
                    }, "SliceBackward0", gg -> Raw.copy(TensorInternals.alias(gg, is, TensorInternals.strides(gg), TensorInternals.offset(gg)), gg.dtype()));
                }
                gs = picked;
            }
            Tensor gt = add ? g : scatter(g, d, index, Arith.scalar(0.0));
            return new Tensor[] {gt, gs};
        });
    }
}
