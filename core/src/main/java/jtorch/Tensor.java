package jtorch;

import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;

import jtorch.autograd.AccumulateGrad;
import jtorch.autograd.Autograd;
import jtorch.autograd.GradMode;
import jtorch.autograd.Node;
import jtorch.kernels.PointwiseKernels;
import jtorch.kernels.StridedArray;
import jtorch.ops.Arith;
import jtorch.ops.Conversions;
import jtorch.ops.InPlace;
import jtorch.ops.Indexing;
import jtorch.ops.Joining;
import jtorch.ops.Cumulative;
import jtorch.ops.Linalg;
import jtorch.ops.Manipulation;
import jtorch.ops.Norms;
import jtorch.ops.PointwiseBinary;
import jtorch.ops.PointwiseExtra;
import jtorch.ops.PointwiseUnary;
import jtorch.ops.PointwiseUnary.Ints;
import jtorch.ops.Sorting;
import jtorch.ops.Pointwise;
import jtorch.ops.RandomOps;
import jtorch.ops.Reductions;
import jtorch.ops.Shapes;
import jtorch.ops.Views;

/**
 * An n-dimensional strided array with PyTorch's semantics: {@code (storage, offset, sizes, strides)},
 * views that share storage and a version counter, broadcasting, type promotion and reverse-mode
 * autograd.
 *
 * <pre>{@code
 * Tensor x = Torch.ones(6, 8);
 * x.index(":, 2:6").fill_(0);                 // X[:, 2:6] = 0
 * Tensor w = Torch.rand(1, 2).requiresGrad_();
 * Tensor loss = x.index(0, Torch.slice(0, 2)).mul(w).sum();
 * loss.backward();
 * System.out.println(w.grad());               // tensor([[1., 1.]])
 * }</pre>
 *
 * <p>Methods returning views say so. Ops live in {@code jtorch.ops} (forward, backward and shape
 * rule together); this class is the user-facing surface that names them as PyTorch does.
 */
public class Tensor {
    // Not final: {@link #setData} ({@code tensor.data = other}) swaps them while keeping this object.
    private Storage storage;
    private int offset;
    private int[] sizes;
    private int[] strides;
    private final VersionCounter version;
    /** The tensor whose storage this view aliases (never itself a view); null if not a view. */
    private final Tensor base;

    private boolean requiresGrad;
    private Node gradFn;
    private Tensor grad;
    private AccumulateGrad accumulator;
    private boolean retainsGrad;
    private boolean wrappedNumber;
    /**
     * For a view made while grad mode was on: the version of the shared storage its history was last
     * brought up to date at. An in-place write to the base (or another view) since then means the
     * view's {@code grad_fn} must be rebuilt from the base's current history, as PyTorch does.
     */
    private long viewHistoryVersion = -1;

    Tensor(Storage storage, int offset, int[] sizes, int[] strides, VersionCounter version, Tensor base) {
        this.storage = storage;
        this.offset = offset;
        this.sizes = sizes;
        this.strides = strides;
        this.version = version;
        this.base = base;
    }

    /** Copy constructor for subclasses such as {@code nn.Parameter}: shares storage and version counter. */
    protected Tensor(Tensor data, boolean requiresGrad) {
        this(data.storage, data.offset, data.sizes, data.strides, data.version, null);
        requiresGrad_(requiresGrad);
    }

    // ---------------------------------------------------------------- construction (for op implementations)

    /** A new uninitialised (zero-filled) contiguous tensor. For op implementations; users call {@link Torch#empty}. */
    static Tensor allocate(DType dtype, int[] sizes) {
        Storage s = Storage.allocate(dtype, Shapes.numel(sizes));
        return new Tensor(s, 0, sizes.clone(), Shapes.contiguousStrides(sizes), new VersionCounter(), null);
    }

    /** A contiguous tensor over an existing array (no copy). */
    static Tensor wrap(Object array, int[] sizes) {
        Storage s = Storage.wrap(array);
        if (Shapes.numel(sizes) != s.size())
            throw new IllegalArgumentException("shape " + Shapes.str(sizes) + " is invalid for input of size " + s.size());
        return new Tensor(s, 0, sizes.clone(), Shapes.contiguousStrides(sizes), new VersionCounter(), null);
    }

    /**
     * A tensor with its own geometry over an existing storage, not a view of any tensor (as
     * PyTorch's {@code tensor.set_(storage, offset, size, stride)}): tensors made over one storage
     * share its memory. The geometry must lie inside the storage. For loaders, e.g. checkpoint
     * tensors saved as views of one storage:
     * <pre>{@code
     * Storage s = Storage.wrap(new float[] {0, 1, 2, 3, 4, 5});
     * Tensor col = Tensor.overStorage(s, 1, new int[] {2}, new int[] {3});   // [1, 4]
     * }</pre>
     */
    public static Tensor overStorage(Storage storage, int offset, int[] sizes, int[] strides) {
        checkGeometry("overStorage", storage, offset, sizes, strides);
        return new Tensor(storage, offset, sizes.clone(), strides.clone(), new VersionCounter(), null);
    }

    /**
     * Refuses a geometry that does not lie inside {@code storage} (negative sizes or strides, an
     * offset or a last element outside it), so that no kernel ever indexes past the array.
     */
    private static void checkGeometry(String op, Storage storage, int offset, int[] sizes, int[] strides) {
        if (storage == null || sizes == null || strides == null)
            throw new IllegalArgumentException(op + ": storage, sizes and strides must not be null");
        if (sizes.length != strides.length)
            throw new IllegalArgumentException(op + ": " + sizes.length + " sizes but " + strides.length + " strides");
        long last = offset;
        boolean empty = false;
        for (int d = 0; d < sizes.length; d++) {
            if (sizes[d] < 0 || strides[d] < 0)
                throw new IllegalArgumentException(op + ": negative size or stride in " + Shapes.str(sizes) + ", " + Shapes.str(strides));
            if (sizes[d] == 0) empty = true;
            else last += (long) (sizes[d] - 1) * strides[d];
        }
        if (offset < 0 || (!empty && last >= storage.size()))
            throw new IllegalArgumentException(op + ": size " + Shapes.str(sizes) + ", stride " + Shapes.str(strides) + " at offset "
                    + offset + " reaches past a storage of " + storage.size() + " elements");
    }

    /**
     * A view of this tensor's storage with the given geometry, without autograd. For op
     * implementations (the differentiable views are in {@link Views}); the result shares storage
     * and version counter and is registered as a view of this tensor's base.
     */
    Tensor alias(int[] sizes, int[] strides, int storageOffset) {
        checkGeometry("alias", storage, storageOffset, sizes, strides);
        Tensor view = new Tensor(storage, storageOffset, sizes, strides, version, base != null ? base : this);
        if (GradMode.isEnabled()) view.viewHistoryVersion = version.value;
        else view.viewMadeWithoutGrad = true;
        return view;
    }

    /** PyTorch's CreationMeta.NO_GRAD_MODE: this view was made with grad mode off (an in-place write to it under grad mode is refused). */
    private boolean viewMadeWithoutGrad;

    /** Whether this is a view made with grad mode off (for the in-place checks of op implementations). */
    boolean isViewMadeWithoutGrad() { return viewMadeWithoutGrad; }

    /** Rebuilds a differentiable view's history if its base was written in place since it was recorded. */
    private void refreshViewHistory() {
        if (viewHistoryVersion < 0 || viewHistoryVersion == version.value) return;
        viewHistoryVersion = version.value;
        if (base.requiresGrad()) InPlace.recordViewOfBase(this);
    }

    // ---------------------------------------------------------------- metadata

    /** {@code tensor.dtype}: the element type (float32, float64, int64 or bool). */
    public DType dtype() { return storage.dtype(); }

    /** {@code tensor.shape}. */
    public Size shape() { return Size.ofInts(sizes); }

    /** {@code tensor.size()}, the same as {@link #shape()}. */
    public Size size() { return shape(); }

    /** {@code tensor.size(dim)}; negative dims count from the end. */
    public long size(int dim) { return sizes[jtorch.ops.Args.dimOfNonScalar(dim, sizes.length)]; }

    /** {@code tensor.dim()}: the number of dims (0 for a scalar). */
    public int dim() { return sizes.length; }

    /** {@code tensor.numel()}: the number of elements, the product of the sizes. */
    public long numel() { return Shapes.numel(sizes); }

    /** {@code tensor.stride(dim)}: the step in storage elements along {@code dim}; negative dims count from the end. */
    public long stride(int dim) { return strides[jtorch.ops.Args.dimOfNonScalar(dim, sizes.length)]; }

    /** {@code tensor.stride()}: the strides of all dims, in storage elements. */
    public long[] stride() { return Shapes.toLongs(strides); }

    /** {@code tensor.storage_offset()}: the index of the first element in the storage. */
    public long storageOffset() { return offset; }

    /** {@code tensor.storage()}: the storage this tensor reads, shared with its views. */
    public Storage storage() { return storage; }

    /** The sizes array itself (do not modify): for kernels and ops. */
    int[] sizesInternal() { return sizes; }

    /** The strides array itself (do not modify): for kernels and ops. */
    int[] stridesInternal() { return strides; }

    /** The storage offset as an int: for kernels and ops. */
    int storageOffsetInternal() { return offset; }

    /** This tensor as the kernels see it (created once; it reads the current geometry, which {@link #setData} may swap). */
    StridedArray strided() {
        StridedArray view = kernelView;
        if (view == null) kernelView = view = new KernelView();
        return view;
    }

    private StridedArray kernelView;

    /** The kernels' view: {@code jtorch.kernels} works on storage, offset, sizes and strides, never on Tensor. */
    private final class KernelView implements StridedArray {
        @Override public Storage storage() { return storage; }
        @Override public DType dtype() { return storage.dtype(); }
        @Override public int storageOffsetInternal() { return offset; }
        @Override public int[] sizesInternal() { return sizes; }
        @Override public int[] stridesInternal() { return strides; }
        @Override public boolean isContiguous() { return Tensor.this.isContiguous(); }
        @Override public long numel() { return Shapes.numel(sizes); }
        @Override public int dim() { return sizes.length; }
    }

    /** {@code tensor.is_floating_point()}: true for float32 and float64. */
    public boolean isFloatingPoint() { return dtype().isFloatingPoint(); }

    /** Whether the elements lie in row-major order without gaps (size-1 dims' strides do not matter). */
    public boolean isContiguous() {
        if (contiguity == 0) contiguity = computeContiguous() ? (byte) 1 : (byte) 2;
        return contiguity == 1;
    }

    /** Cached answer of {@link #isContiguous()} (asked by every kernel call): 0 unknown, 1 yes, 2 no. */
    private byte contiguity;

    private boolean computeContiguous() {
        int expected = 1;
        for (int d = sizes.length - 1; d >= 0; d--) {
            if (sizes[d] == 1) continue;
            if (sizes[d] == 0) return true;
            if (strides[d] != expected) return false;
            expected *= sizes[d];
        }
        return true;
    }

    /** The base this view aliases, {@code tensor._base}; null if not a view. */
    public Tensor base() { return base; }

    /** Whether this tensor is a view of another ({@code tensor._is_view()}): {@link #base()} is non-null. */
    public boolean isView() { return base != null; }

    /** {@code tensor._version}: bumped by every in-place op on this tensor or any view of its storage. */
    public long version() { return version.value; }

    /** Marks an in-place modification (for op implementations). */
    void bumpVersion() { version.value++; }

    /** A Python scalar turned into a tensor for an op; it takes part in type promotion as a number. */
    public boolean isWrappedNumber() { return wrappedNumber; }

    /** Marks this tensor as a wrapped Python scalar (see {@link #isWrappedNumber()}); for op implementations. Returns this. */
    Tensor markWrappedNumber() {
        wrappedNumber = true;
        return this;
    }

    /** {@code tensor.type()} as PyTorch's legacy name, e.g. {@code torch.FloatTensor}. */
    public String legacyTypeName() {
        switch (dtype()) {
            case FLOAT32: return "torch.FloatTensor";
            case FLOAT64: return "torch.DoubleTensor";
            case INT64: return "torch.LongTensor";
            default: return "torch.BoolTensor";
        }
    }

    // ---------------------------------------------------------------- autograd state

    /** Whether gradients flow to this tensor: a leaf that asked for them, or the output of a recorded op. */
    public boolean requiresGrad() {
        refreshViewHistory();
        return requiresGrad || gradFn != null;
    }

    /** {@code requires_grad_(True)}. */
    public Tensor requiresGrad_() { return requiresGrad_(true); }

    /** {@code requires_grad_(flag)}: leaves only, floating point only (PyTorch's errors otherwise). */
    public Tensor requiresGrad_(boolean flag) {
        if (gradFn != null) {
            if (!flag)
                throw new IllegalStateException("you can only change requires_grad flags of leaf variables. If you want to "
                        + "use a computed variable in a subgraph that doesn't require differentiation use var_no_grad = var.detach().");
            return this;
        }
        if (flag && !isFloatingPoint())
            throw new IllegalStateException("only Tensors of floating point dtype can require gradients");
        requiresGrad = flag;
        return this;
    }

    /** True for tensors not produced by a recorded op ({@code tensor.is_leaf}). */
    public boolean isLeaf() {
        refreshViewHistory();
        return gradFn == null;
    }

    /** The node that produced this tensor, {@code tensor.grad_fn}; null for leaves. */
    public Node gradFn() {
        refreshViewHistory();
        return gradFn;
    }

    /** The accumulated gradient, {@code tensor.grad}; null until backward reaches this tensor. */
    public Tensor grad() { return grad; }

    /** {@code tensor.grad = g} (null clears it). */
    public void setGrad(Tensor g) {
        if (g != null && !Arrays.equals(g.sizes, sizes))
            throw new IllegalArgumentException("assigned grad has data of a different size");
        grad = g;
    }

    /** Sets the producing node; for the autograd layer and in-place ops. */
    void setGradFn(Node node) {
        gradFn = node;
        if (viewHistoryVersion >= 0) viewHistoryVersion = version.value;
    }

    /**
     * Where this tensor's gradient enters the graph: its {@code grad_fn}, or for a leaf that requires
     * grad its (cached) gradient accumulator; null if no gradient flows here.
     */
    public Node gradEdge() {
        refreshViewHistory();
        if (gradFn != null) return gradFn;
        if (!requiresGrad) return null;
        if (accumulator == null) accumulator = new AccumulateGrad(this);
        return accumulator;
    }

    /** {@code retain_grad()}: keep the gradient of this non-leaf in {@link #grad()}. */
    public Tensor retainGrad() {
        if (!requiresGrad()) throw new IllegalStateException("can't retain_grad on Tensor that has requires_grad=False");
        if (isLeaf() || retainsGrad) return this;
        retainsGrad = true;
        // Under the engine's grad mode: with create_graph the retained gradient is differentiable, as in PyTorch.
        gradFn.addPreHook(g -> {
            grad = grad == null ? g.clone() : grad.add(g);
            return g;
        });
        return this;
    }

    /** {@code tensor.retains_grad}: whether {@link #retainGrad()} was called on this non-leaf. */
    public boolean retainsGrad() { return retainsGrad; }

    /**
     * {@code register_hook(fn)}: {@code fn} sees (and may replace, by returning non-null) the gradient
     * of this tensor; on a leaf it runs before the gradient is accumulated into {@code .grad}. Returns
     * a handle whose {@code remove()} (or {@code run()}) removes the hook.
     *
     * <pre>{@code
     * RemovableHandle h = x.registerHook(g -> g.mul(2.0));   // doubles the gradient reaching x
     * h.remove();
     * }</pre>
     */
    public jtorch.utils.hooks.RemovableHandle registerHook(UnaryOperator<Tensor> hook) {
        if (!requiresGrad()) throw new IllegalStateException("cannot register a hook on a tensor that doesn't require gradient");
        if (gradFn != null) return new jtorch.utils.hooks.RemovableHandle(gradFn.addPreHook(hook));
        return new jtorch.utils.hooks.RemovableHandle(((AccumulateGrad) gradEdge()).addHook(hook));
    }

    /**
     * {@code register_post_accumulate_grad_hook(fn)} (PyTorch 2.1): on a leaf that requires grad,
     * {@code fn} runs with this tensor each time backward has accumulated a gradient into its
     * {@code .grad}. Data-parallel training starts reducing a gradient from here.
     *
     * <pre>{@code
     * w.registerPostAccumulateGradHook(p -> System.out.println(p.grad()));
     * }</pre>
     */
    public jtorch.utils.hooks.RemovableHandle registerPostAccumulateGradHook(java.util.function.Consumer<Tensor> hook) {
        if (!requiresGrad()) throw new IllegalStateException("cannot register a hook on a tensor that doesn't require gradient");
        if (gradFn != null) throw new IllegalStateException("post accumulate grad hooks cannot be registered on non-leaf tensors");
        return new jtorch.utils.hooks.RemovableHandle(((AccumulateGrad) gradEdge()).addPostHook(hook));
    }

    /** {@code backward()} of a scalar. */
    public void backward() { Autograd.backward(this, null, false); }

    /** {@code backward(gradient)}. */
    public void backward(Tensor gradient) { Autograd.backward(this, gradient, false); }

    /** {@code backward(gradient, retain_graph)}; gradient may be null for a scalar. */
    public void backward(Tensor gradient, boolean retainGraph) { Autograd.backward(this, gradient, retainGraph); }

    /**
     * {@code backward(gradient, retain_graph, create_graph)}: with {@code createGraph} the gradients
     * accumulated into {@code .grad} record their own graph, for higher-order derivatives.
     *
     * <pre>{@code
     * x.pow(3L).sum().backward(null, true, true);   // x.grad() = 3 x^2, differentiable
     * }</pre>
     */
    public void backward(Tensor gradient, boolean retainGraph, boolean createGraph) {
        Autograd.backward(this, gradient, retainGraph, createGraph);
    }

    /** A tensor sharing storage and version counter, cut from the graph ({@code detach()}). */
    public Tensor detach() {
        return new Tensor(storage, offset, sizes, strides, version, null);
    }

    /** Cuts this tensor from the graph in place ({@code detach_()}). */
    public Tensor detach_() {
        if (base != null && GradMode.isEnabled() && requiresGrad())
            throw new IllegalStateException("Can't detach views in-place. Use detach() instead.");
        gradFn = null;
        requiresGrad = false;
        return this;
    }

    /**
     * {@code tensor.data}: the same storage without autograd history and with its own version
     * counter, so in-place changes through it are invisible to autograd (as in PyTorch).
     */
    public Tensor data() {
        return new Tensor(storage, offset, sizes, strides, new VersionCounter(), null);
    }

    /**
     * {@code tensor.data = other}: this tensor now uses {@code other}'s data (shared, no copy), keeping
     * its identity, autograd flags, gradient and version counter. This is how {@code Module.to(dtype)}
     * converts parameters that user code holds in final fields.
     */
    public void setData(Tensor other) {
        jtorch.ops.Args.notNull("setData", "other", other);
        if (base != null)
            throw new IllegalStateException("setData: cannot replace the data of a view");
        if (requiresGrad && !other.isFloatingPoint())
            throw new IllegalArgumentException("data set to a tensor that requires gradients must be floating point, got "
                    + other.dtype());
        storage = other.storage;
        offset = other.offset;
        sizes = other.sizes.clone();
        strides = other.strides.clone();
        contiguity = 0;
    }

    // ---------------------------------------------------------------- conversion

    /** {@code tensor.to(dtype)}: this tensor if already of that dtype, else a converted copy. */
    public Tensor to(DType dtype) { return Conversions.to(this, dtype); }

    /** A copy with its own storage ({@code clone()}), differentiable. */
    public Tensor clone() { return Conversions.cloneOp(this); }

    /** This tensor if contiguous, else a contiguous copy. */
    public Tensor contiguous() { return isContiguous() ? this : clone(); }

    /** The elements in row-major order as floats (converted). */
    public float[] toFloatArray() { return (float[]) Conversions.toArray(this, DType.FLOAT32); }

    /** The elements in row-major order as doubles (converted). */
    public double[] toDoubleArray() { return (double[]) Conversions.toArray(this, DType.FLOAT64); }

    /** The elements in row-major order as longs (converted). */
    public long[] toLongArray() { return (long[]) Conversions.toArray(this, DType.INT64); }

    /** The elements in row-major order as booleans (converted; nonzero is true). */
    public boolean[] toBooleanArray() { return (boolean[]) Conversions.toArray(this, DType.BOOL); }

    /** The value of a one-element tensor as a double ({@code tensor.item()}). */
    public double item() {
        checkItem();
        return Conversions.elementAsDouble(this, offset);
    }

    /** The value of a one-element int64 (or any) tensor as a long, exactly. */
    public long itemLong() {
        checkItem();
        return dtype() == DType.INT64 ? storage.i64()[offset] : (long) Conversions.elementAsDouble(this, offset);
    }

    private void checkItem() {
        if (numel() != 1)
            throw new IllegalArgumentException("a Tensor with " + numel() + " elements cannot be converted to Scalar");
    }

    // ---------------------------------------------------------------- views and shapes

    /** {@code view(*shape)}: a view with a new shape (one dim may be -1); errors when strides do not allow it. */
    public Tensor view(long... shape) { return Views.view(this, shape); }

    /** {@code view(size)} with a {@link Size}, e.g. {@code x.view(y.size())}. */
    public Tensor view(Size shape) { return Views.view(this, jtorch.ops.Args.notNull("view", "size", shape).toArray()); }

    /** {@code reshape(*shape)}: a view when possible, else a copy. */
    public Tensor reshape(long... shape) { return Views.reshape(this, shape); }

    /** {@code reshape(size)} with a {@link Size}. */
    public Tensor reshape(Size shape) { return Views.reshape(this, jtorch.ops.Args.notNull("reshape", "shape", shape).toArray()); }

    /** Swaps two dims (a view). */
    public Tensor transpose(int dim0, int dim1) { return Views.transpose(this, dim0, dim1); }

    /** Reorders dims (a view). */
    public Tensor permute(int... dims) { return Views.permute(this, dims); }

    /** Transpose of a tensor of at most 2 dims (a view). */
    public Tensor t() { return Views.t(this); }

    /** Matrix transpose {@code mT}: swaps the last two dims (a view). */
    public Tensor mT() { return Views.transpose(this, -2, -1); }

    /** Inserts a size-1 dim at {@code dim} (a view). */
    public Tensor unsqueeze(int dim) { return Views.unsqueeze(this, dim); }

    /** Removes all size-1 dims (a view). */
    public Tensor squeeze() { return Views.squeeze(this, null); }

    /** Removes {@code dim} if it has size 1 (a view). */
    public Tensor squeeze(int dim) { return Views.squeeze(this, new int[] {dim}); }

    /** {@code flatten()}: all dims into one. */
    public Tensor flatten() { return Views.flatten(this, 0, -1); }

    /** {@code flatten(start_dim, end_dim)}: merges dims {@code startDim..endDim} (inclusive) into one. */
    public Tensor flatten(int startDim, int endDim) { return Views.flatten(this, startDim, endDim); }

    /** {@code unflatten(dim, sizes)}. */
    public Tensor unflatten(int dim, long... sizes) { return Views.unflatten(this, dim, sizes); }

    /** Broadcasts size-1 dims to larger sizes without copying ({@code -1} keeps a size). */
    public Tensor expand(long... sizes) { return Views.expand(this, sizes); }

    /** {@code expand(size)} with a {@link Size}. */
    public Tensor expand(Size sizes) { return Views.expand(this, jtorch.ops.Args.notNull("expand", "size", sizes).toArray()); }

    /** {@code expand_as(other)}: {@code expand(other.size())} (a view). */
    public Tensor expandAs(Tensor other) { return Views.expand(this, Shapes.toLongs(jtorch.ops.Args.notNull("expand_as", "other", other).sizes)); }

    /** {@code narrow(dim, start, length)} (a view). */
    public Tensor narrow(int dim, long start, long length) { return Views.narrow(this, dim, start, length); }

    /** {@code select(dim, index)}: removes {@code dim} (a view). */
    public Tensor select(int dim, long index) { return Views.select(this, dim, index); }

    /** {@code as_strided(size, stride, storage_offset)} relative to the storage (a view). */
    public Tensor asStrided(long[] size, long[] stride, long storageOffset) {
        return Views.asStrided(this, Shapes.toInts(size), Shapes.toInts(stride), (int) storageOffset);
    }

    /** Reduces a broadcast gradient back to {@code shape} by summing (PyTorch's {@code sum_to}). */
    public Tensor sumTo(int[] shape) { return Reductions.sumTo(this, shape); }

    // ---------------------------------------------------------------- elementwise arithmetic

    /** {@code torch.Tensor.add(other)}: {@code this + other}, broadcasting, with type promotion. */
    public Tensor add(Tensor other) { return ADD.apply(this, other); }

    /** {@code add(other, alpha=alpha)}: {@code this + alpha * other}. */
    public Tensor add(Tensor other, double alpha) { return ADD.apply(this, other, alpha); }

    /** {@code add(other)} with a Python float: {@code this + other} (an int tensor becomes floating). */
    public Tensor add(double other) { return ADD.apply(this, Arith.scalar(other)); }

    /** {@code add(other)} with a Python int: an int tensor stays int64. */
    public Tensor add(long other) { return ADD.apply(this, Arith.scalar(other)); }

    private static final PointwiseBinary ADD = PointwiseBinary.rowWithAlpha("add", "AddBackward0", PointwiseKernels::add)
            .ints(PointwiseBinary.Ints.KEEP).gradOfSum(1);

    /** {@code torch.Tensor.sub(other)}: {@code this - other}, broadcasting, with type promotion. */
    public Tensor sub(Tensor other) { return SUB.apply(this, other); }

    /** {@code sub(other, alpha=alpha)}: {@code this - alpha * other}. */
    public Tensor sub(Tensor other, double alpha) { return SUB.apply(this, other, alpha); }

    /** {@code sub(other)} with a Python float. */
    public Tensor sub(double other) { return SUB.apply(this, Arith.scalar(other)); }

    /** {@code sub(other)} with a Python int. */
    public Tensor sub(long other) { return SUB.apply(this, Arith.scalar(other)); }

    /** {@code other - this} ({@code rsub}, Python's {@code 1 - x}). */
    public Tensor rsub(double other) { return RSUB.apply(Arith.scalar(other), this); }

    private static final PointwiseBinary SUB = PointwiseBinary.rowWithAlpha("sub", "SubBackward0", PointwiseKernels::sub)
            .ints(PointwiseBinary.Ints.KEEP).check((a, b, t) -> {
                if (a.dtype() == DType.BOOL && b.dtype() == DType.BOOL)
                    throw new IllegalArgumentException("Subtraction, the `-` operator, with two bool tensors is not supported. "
                            + "Use the `^` or `logical_xor()` operator instead.");
                if (a.dtype() == DType.BOOL || b.dtype() == DType.BOOL)
                    throw new IllegalArgumentException("Subtraction, the `-` operator, with a bool tensor is not supported. "
                            + "If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.");
            }).gradOfSum(-1);
    /** {@code torch.rsub(self, number)}: PyTorch names the node of the scalar form RsubBackward1. */
    private static final PointwiseBinary RSUB = SUB.node("RsubBackward1");

    /** {@code torch.Tensor.mul(other)}: {@code this * other}, broadcasting, with type promotion. */
    public Tensor mul(Tensor other) { return MUL.apply(this, other); }

    /** {@code mul(other)} with a Python float. */
    public Tensor mul(double other) { return MUL.apply(this, Arith.scalar(other)); }

    /** {@code mul(other)} with a Python int. */
    public Tensor mul(long other) { return MUL.apply(this, Arith.scalar(other)); }

    private static final PointwiseBinary MUL = PointwiseBinary.row("mul", "MulBackward0", PointwiseKernels.MUL).ints(PointwiseBinary.Ints.KEEP)
            .grad(PointwiseBinary.Reads.B, (g, a, b) -> g.mul(b), PointwiseBinary.Reads.A, (g, a, b) -> g.mul(a));

    /** True division: integer operands give a floating result. */
    public Tensor div(Tensor other) { return DIV.apply(this, other); }

    /** {@code div(other)} with a Python float. */
    public Tensor div(double other) { return DIV.apply(this, Arith.scalar(other)); }

    /** {@code div(other)} with a Python int (still true division). */
    public Tensor div(long other) { return DIV.apply(this, Arith.scalar(other)); }

    private static final PointwiseBinary DIV = PointwiseBinary.row("div", "DivBackward0", PointwiseKernels.DIV)
            .grad(PointwiseBinary.Reads.B, (g, a, b) -> g.div(b), PointwiseBinary.Reads.BOTH, (g, a, b) -> g.neg().mul(a).div(b.mul(b)));

    /** {@code torch.Tensor.pow(exponent)}: {@code this ** exponent} elementwise, broadcasting; refused for bool. */
    public Tensor pow(Tensor exponent) { return POW.apply(this, exponent); }

    /** d/da = g b a^(b-1); d/db = g a^b log a, 0 where a = 0 and b >= 0 (0^b has zero slope in b there). */
    private static final PointwiseBinary POW = PointwiseBinary.row("pow", "PowBackward1", PointwiseKernels.POW).ints(PointwiseBinary.Ints.KEEP)
            .check((a, b, t) -> { if (t == DType.BOOL) throw new IllegalArgumentException("\"pow\" not implemented for 'Bool'"); })
            .gradOfResult((g, a, b) -> g.mul(b).mul(a.pow(b.sub(1L))),
                    (g, a, b, y) -> g.mul(y.mul(a.log()).where(a.eq(0.0).mul(b.ge(0.0)).logicalNot(), 0.0)));

    /** {@code pow(exponent)} with a Python float: an int or bool tensor becomes floating ({@code int64 ** 2.0} is float32). */
    public Tensor pow(double exponent) { return Pointwise.powScalar(this, exponent); }

    /** {@code pow(exponent)} with a Python int: integers stay integers (bool becomes int64); negative powers of integers are refused. */
    public Tensor pow(long exponent) { return Pointwise.powScalar(this, exponent); }

    /** {@code addcmul(t1, t2, value=v)}: {@code this + v * t1 * t2}. */
    public Tensor addcmul(Tensor t1, Tensor t2, double value) { return Arith.addcmulOrDiv(this, t1, t2, value, false); }

    /** {@code addcmul(t1, t2)} with {@code value=1}. */
    public Tensor addcmul(Tensor t1, Tensor t2) { return addcmul(t1, t2, 1); }

    /** {@code addcdiv(t1, t2, value=v)}: {@code this + v * t1 / t2}. */
    public Tensor addcdiv(Tensor t1, Tensor t2, double value) { return Arith.addcmulOrDiv(this, t1, t2, value, true); }

    /** {@code addcdiv(t1, t2)} with {@code value=1}. */
    public Tensor addcdiv(Tensor t1, Tensor t2) { return addcdiv(t1, t2, 1); }

    /** Elementwise maximum (NaN propagates). */
    public Tensor maximum(Tensor other) { return MAXIMUM.apply(this, other); }

    /** The gradient goes to the larger input, split evenly on ties, as PyTorch does. */
    private static final PointwiseBinary MAXIMUM = PointwiseBinary.row("maximum", "MaximumBackward0", PointwiseKernels.MAXIMUM)
            .ints(PointwiseBinary.Ints.KEEP)
            .grad((g, a, b) -> g.where(a.ne(b), g.mul(0.5)).where(a.ge(b), Arith.scalar(0.0)),
                    (g, a, b) -> g.where(a.ne(b), g.mul(0.5)).where(b.ge(a), Arith.scalar(0.0)));

    /** {@code torch.Tensor.minimum(other)}: elementwise minimum, broadcasting (NaN propagates, as in {@link #maximum(Tensor)}). */
    public Tensor minimum(Tensor other) { return MINIMUM.apply(this, other); }

    private static final PointwiseBinary MINIMUM = PointwiseBinary.row("minimum", "MinimumBackward0", PointwiseKernels.MINIMUM)
            .ints(PointwiseBinary.Ints.KEEP)
            .grad((g, a, b) -> g.where(a.ne(b), g.mul(0.5)).where(a.le(b), Arith.scalar(0.0)),
                    (g, a, b) -> g.where(a.ne(b), g.mul(0.5)).where(b.le(a), Arith.scalar(0.0)));

    /** {@code torch.Tensor.neg()}: {@code -this}; refused for bool (use {@link #logicalNot()}). */
    public Tensor neg() { return NEG.apply(this); }

    private static final PointwiseUnary NEG = PointwiseUnary.row("neg", "NegBackward0", Ints.KEEP, PointwiseKernels.NEG)
            .boolRefusal("Negation, the `-` operator, on a bool tensor is not supported. "
                    + "If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.")
            .gradFromNothing((g, none) -> g.neg());

    /** {@code torch.Tensor.abs()}: the absolute value, elementwise; refused for bool. */
    public Tensor abs() { return ABS.apply(this); }

    private static final PointwiseUnary ABS = PointwiseUnary.row("abs", "AbsBackward0", Ints.KEEP, PointwiseKernels.ABS)
            .gradFromInput((g, x) -> g.mul(x.sign()));

    /** {@code torch.Tensor.sign()}: -1, 0 or 1 by the sign of each element (bool stays bool). */
    public Tensor sign() { return SIGN.apply(this); }

    private static final PointwiseUnary SIGN = PointwiseUnary.row("sign", "SignBackward0", Ints.KEEP, PointwiseKernels.SIGN).boolIsItself()
            .gradFromNothing((g, none) -> g.mul(0.0));

    /** {@code torch.Tensor.exp()}: {@code e ** x}, elementwise; ints and bools give the default float dtype. */
    public Tensor exp() { return EXP.apply(this); }

    private static final PointwiseUnary EXP = PointwiseUnary.row("exp", "ExpBackward0", Ints.TO_FLOAT, PointwiseKernels.EXP)
            .gradFromOutput((g, y) -> g.mul(y));

    /** {@code torch.Tensor.log()}: the natural logarithm, elementwise; ints give the default float dtype. */
    public Tensor log() { return LOG.apply(this); }

    private static final PointwiseUnary LOG = PointwiseUnary.row("log", "LogBackward0", Ints.TO_FLOAT, PointwiseKernels.LOG)
            .gradFromInput((g, x) -> g.div(x));

    /** {@code torch.Tensor.log1p()}: {@code log(1 + x)}, accurate for small x; ints give the default float dtype. */
    public Tensor log1p() { return LOG1P.apply(this); }

    private static final PointwiseUnary LOG1P = PointwiseUnary.row("log1p", "Log1PBackward0", Ints.TO_FLOAT, PointwiseKernels.LOG1P)
            .gradFromInput((g, x) -> g.div(x.add(1.0)));

    /** {@code torch.Tensor.expm1()}: {@code exp(x) - 1}, accurate for small x; ints give the default float dtype. */
    public Tensor expm1() { return EXPM1.apply(this); }

    private static final PointwiseUnary EXPM1 = PointwiseUnary.row("expm1", "Expm1Backward0", Ints.TO_FLOAT, PointwiseKernels.EXPM1)
            .gradFromOutput((g, y) -> g.mul(y.add(1.0)));

    /** {@code torch.Tensor.sqrt()}: the square root, elementwise; ints give the default float dtype. */
    public Tensor sqrt() { return SQRT.apply(this); }

    private static final PointwiseUnary SQRT = PointwiseUnary.row("sqrt", "SqrtBackward0", Ints.TO_FLOAT, PointwiseKernels.SQRT)
            .gradFromOutput((g, y) -> g.div(y.mul(2.0)));

    /** The error function, elementwise. */
    public Tensor erf() { return ERF.apply(this); }

    private static final PointwiseUnary ERF = PointwiseUnary.row("erf", "ErfBackward0", Ints.TO_FLOAT, PointwiseKernels.ERF)
            .gradFromInput((g, x) -> g.mul(x.square().neg().exp().mul(2 / Math.sqrt(Math.PI))));

    /** {@code torch.Tensor.rsqrt()}: {@code 1 / sqrt(x)}, elementwise; ints give the default float dtype. */
    public Tensor rsqrt() { return RSQRT.apply(this); }

    private static final PointwiseUnary RSQRT = PointwiseUnary.row("rsqrt", "RsqrtBackward0", Ints.TO_FLOAT, PointwiseKernels.RSQRT)
            .gradFromOutput((g, y) -> g.mul(y.pow(3L)).mul(-0.5));

    /** {@code torch.Tensor.reciprocal()}: {@code 1 / x}, elementwise; ints give the default float dtype. */
    public Tensor reciprocal() { return RECIPROCAL.apply(this); }

    private static final PointwiseUnary RECIPROCAL = PointwiseUnary.row("reciprocal", "ReciprocalBackward0", Ints.TO_FLOAT, PointwiseKernels.RECIPROCAL)
            .gradFromOutput((g, y) -> g.neg().mul(y.mul(y)));

    /** {@code torch.Tensor.sin()}: the sine, elementwise; ints give the default float dtype. */
    public Tensor sin() { return SIN.apply(this); }

    private static final PointwiseUnary SIN = PointwiseUnary.row("sin", "SinBackward0", Ints.TO_FLOAT, PointwiseKernels.SIN)
            .gradFromInput((g, x) -> g.mul(x.cos()));

    /** {@code torch.Tensor.cos()}: the cosine, elementwise; ints give the default float dtype. */
    public Tensor cos() { return COS.apply(this); }

    private static final PointwiseUnary COS = PointwiseUnary.row("cos", "CosBackward0", Ints.TO_FLOAT, PointwiseKernels.COS)
            .gradFromInput((g, x) -> g.mul(x.sin().neg()));

    /** {@code torch.Tensor.tanh()}: the hyperbolic tangent, elementwise; ints give the default float dtype. */
    public Tensor tanh() { return TANH.apply(this); }

    private static final PointwiseUnary TANH = PointwiseUnary.row("tanh", "TanhBackward0", Ints.TO_FLOAT, PointwiseKernels.TANH)
            .gradFromOutput(Pointwise::tanhBackward);

    /** {@code torch.Tensor.sigmoid()}: {@code 1 / (1 + exp(-x))}, elementwise; ints give the default float dtype. */
    public Tensor sigmoid() { return SIGMOID.apply(this); }

    private static final PointwiseUnary SIGMOID = PointwiseUnary.row("sigmoid", "SigmoidBackward0", Ints.TO_FLOAT, PointwiseKernels.SIGMOID)
            .gradFromOutput(Pointwise::sigmoidBackward);

    /** {@code torch.sinh}: the hyperbolic sine, elementwise. {@code Torch.tensor(new float[] {0, 1}).sinh()} is {@code [0, 1.1752]}. */
    public Tensor sinh() { return SINH.apply(this); }

    private static final PointwiseUnary SINH = PointwiseUnary.row("sinh", "SinhBackward0", Ints.TO_FLOAT, PointwiseKernels.SINH)
            .gradFromInput((g, x) -> g.mul(x.cosh()));

    /** {@code torch.cosh}: the hyperbolic cosine, elementwise. {@code Torch.tensor(new float[] {0, 1}).cosh()} is {@code [1, 1.5431]}. */
    public Tensor cosh() { return COSH.apply(this); }

    private static final PointwiseUnary COSH = PointwiseUnary.row("cosh", "CoshBackward0", Ints.TO_FLOAT, PointwiseKernels.COSH)
            .gradFromInput((g, x) -> g.mul(x.sinh()));

    /** {@code torch.log2}: the base-2 logarithm, elementwise (exact at powers of two). {@code Torch.tensor(new float[] {8}).log2()} is {@code [3.]}. */
    public Tensor log2() { return LOG2.apply(this); }

    private static final PointwiseUnary LOG2 = PointwiseUnary.row("log2", "Log2Backward0", Ints.TO_FLOAT, PointwiseKernels.LOG2)
            .gradFromInput((g, x) -> g.div(x.mul(0.6931471805599453)));

    /** {@code torch.log10}: the base-10 logarithm, elementwise. {@code Torch.tensor(new float[] {100}).log10()} is {@code [2.]}. */
    public Tensor log10() { return LOG10.apply(this); }

    private static final PointwiseUnary LOG10 = PointwiseUnary.row("log10", "Log10Backward0", Ints.TO_FLOAT, PointwiseKernels.LOG10)
            .gradFromInput((g, x) -> g.div(x.mul(2.302585092994046)));

    /** {@code torch.exp2}: {@code 2 ** x}, elementwise. {@code Torch.tensor(new float[] {3}).exp2()} is {@code [8.]}. */
    public Tensor exp2() { return EXP2.apply(this); }

    private static final PointwiseUnary EXP2 = PointwiseUnary.row("exp2", "Exp2Backward0", Ints.TO_FLOAT, PointwiseKernels.EXP2)
            .gradFromOutput((g, y) -> g.mul(y).mul(0.6931471805599453));

    /** {@code torch.Tensor.relu()}: {@code max(x, 0)}, elementwise; refused for bool. */
    public Tensor relu() { return RELU.apply(this); }

    /** d/dx through the saved output: {@code threshold_backward(g, y, 0)}, as derivatives.yaml. */
    private static final PointwiseUnary RELU = PointwiseUnary.row("relu", "ReluBackward0", Ints.KEEP, PointwiseKernels.RELU)
            .boolRefusal("Boolean inputs not supported for relu")
            .gradFromOutput((g, y) -> Pointwise.thresholdBackward(g, y, 0.0));

    /** {@code torch.Tensor.square()}: {@code this ** 2} (integers stay integers, bool becomes int64). */
    public Tensor square() { return Pointwise.powScalar(this, 2L); }

    /** {@code clamp(min, max)}; pass {@code Double.NaN} for a missing bound. */
    public Tensor clamp(double min, double max) { return Pointwise.clamp(this, min, max); }

    /** {@code clamp(min=min)}: only a lower bound. */
    public Tensor clampMin(double min) { return Pointwise.clamp(this, min, Double.NaN); }

    /** {@code clamp(max=max)}: only an upper bound. */
    public Tensor clampMax(double max) { return Pointwise.clamp(this, Double.NaN, max); }

    /** {@code clamp(min, max)} with int bounds: an int64 tensor stays int64 (bool becomes int64). */
    public Tensor clamp(long min, long max) { return Pointwise.clampIntegral(this, min, max); }

    /** {@code clamp(min=min)} with an int bound: an int64 tensor stays int64. */
    public Tensor clampMin(long min) { return Pointwise.clampIntegral(this, min, Double.NaN); }

    /** {@code clamp(max=max)} with an int bound: an int64 tensor stays int64. */
    public Tensor clampMax(long max) { return Pointwise.clampIntegral(this, Double.NaN, max); }

    /** {@code torch.where(condition, this, other)}. */
    public Tensor where(Tensor condition, Tensor other) { return Arith.where(condition, this, other); }

    /** {@code torch.where(condition, this, other)} with a Python float {@code other}. */
    public Tensor where(Tensor condition, double other) { return Arith.where(condition, this, Arith.scalar(other)); }

    // ---------------------------------------------------------------- comparisons (bool results)

    /** {@code torch.Tensor.eq(other)}: {@code this == other} elementwise, broadcasting; a bool tensor. */
    public Tensor eq(Tensor other) { return EQ.apply(this, other); }
    /** {@code eq(other)} with a Python number. */
    public Tensor eq(double other) { return EQ.apply(this, Arith.scalar(other)); }
    private static final PointwiseBinary EQ = PointwiseBinary.comparison("eq", PointwiseKernels.EQ);
    /** {@code torch.Tensor.ne(other)}: {@code this != other} elementwise, broadcasting; a bool tensor. */
    public Tensor ne(Tensor other) { return NE.apply(this, other); }
    /** {@code ne(other)} with a Python number. */
    public Tensor ne(double other) { return NE.apply(this, Arith.scalar(other)); }
    private static final PointwiseBinary NE = PointwiseBinary.comparison("ne", PointwiseKernels.NE);
    /** {@code torch.Tensor.lt(other)}: {@code this < other} elementwise, broadcasting; a bool tensor. */
    public Tensor lt(Tensor other) { return LT.apply(this, other); }
    /** {@code lt(other)} with a Python number. */
    public Tensor lt(double other) { return LT.apply(this, Arith.scalar(other)); }
    private static final PointwiseBinary LT = PointwiseBinary.comparison("lt", PointwiseKernels.LT);
    /** {@code torch.Tensor.le(other)}: {@code this <= other} elementwise, broadcasting; a bool tensor. */
    public Tensor le(Tensor other) { return LE.apply(this, other); }
    /** {@code le(other)} with a Python number. */
    public Tensor le(double other) { return LE.apply(this, Arith.scalar(other)); }
    private static final PointwiseBinary LE = PointwiseBinary.comparison("le", PointwiseKernels.LE);
    /** {@code torch.Tensor.gt(other)}: {@code this > other} elementwise, broadcasting; a bool tensor. */
    public Tensor gt(Tensor other) { return GT.apply(this, other); }
    /** {@code gt(other)} with a Python number. */
    public Tensor gt(double other) { return GT.apply(this, Arith.scalar(other)); }
    private static final PointwiseBinary GT = PointwiseBinary.comparison("gt", PointwiseKernels.GT);
    /** {@code torch.Tensor.ge(other)}: {@code this >= other} elementwise, broadcasting; a bool tensor. */
    public Tensor ge(Tensor other) { return GE.apply(this, other); }
    /** {@code ge(other)} with a Python number. */
    public Tensor ge(double other) { return GE.apply(this, Arith.scalar(other)); }
    private static final PointwiseBinary GE = PointwiseBinary.comparison("ge", PointwiseKernels.GE);

    /** {@code logical_not()} / {@code ~mask} for bool tensors. */
    public Tensor logicalNot() { return EQ.apply(this.to(DType.BOOL), Arith.scalar(false)); }

    // ---------------------------------------------------------------- in-place

    /** {@code torch.Tensor.add_(other)}: {@code this += other} in place; {@code other} broadcasts to this shape, and the result type must be castable to this dtype (no float into an int tensor). */
    public Tensor add_(Tensor other) { return ADD.applyInPlace(this, other, 1); }
    /** {@code add_(other, alpha=alpha)}: {@code this += alpha * other} in place. */
    public Tensor add_(Tensor other, double alpha) { return ADD.applyInPlace(this, other, alpha); }
    /** {@code add_(other)} with a Python float. */
    public Tensor add_(double other) { return ADD.applyInPlace(this, Arith.scalar(other), 1); }
    /** {@code add_(other)} with a Python int. */
    public Tensor add_(long other) { return ADD.applyInPlace(this, Arith.scalar(other), 1); }
    /** {@code torch.Tensor.sub_(other)}: {@code this -= other} in place (the casting rule of {@link #add_(Tensor)}). */
    public Tensor sub_(Tensor other) { return SUB.applyInPlace(this, other, 1); }
    /** {@code sub_(other, alpha=alpha)}: {@code this -= alpha * other} in place. */
    public Tensor sub_(Tensor other, double alpha) { return SUB.applyInPlace(this, other, alpha); }
    /** {@code sub_(other)} with a Python float. */
    public Tensor sub_(double other) { return SUB.applyInPlace(this, Arith.scalar(other), 1); }
    /** {@code sub_(other)} with a Python int. */
    public Tensor sub_(long other) { return SUB.applyInPlace(this, Arith.scalar(other), 1); }
    /** {@code torch.Tensor.mul_(other)}: {@code this *= other} in place (the casting rule of {@link #add_(Tensor)}). */
    public Tensor mul_(Tensor other) { return MUL.applyInPlace(this, other, 1); }
    /** {@code mul_(other)} with a Python float. */
    public Tensor mul_(double other) { return MUL.applyInPlace(this, Arith.scalar(other), 1); }
    /** {@code mul_(other)} with a Python int. */
    public Tensor mul_(long other) { return MUL.applyInPlace(this, Arith.scalar(other), 1); }
    /** {@code torch.Tensor.div_(other)}: {@code this /= other} in place, true division, so an int tensor is refused. */
    public Tensor div_(Tensor other) { return DIV.applyInPlace(this, other, 1); }
    /** {@code div_(other)} with a Python float. */
    public Tensor div_(double other) { return DIV.applyInPlace(this, Arith.scalar(other), 1); }
    /** {@code torch.Tensor.pow_(exponent)}: {@code this **= exponent} in place. */
    public Tensor pow_(double exponent) { return InPlace.apply(this, t -> t.pow(exponent), true); }
    /** {@code torch.Tensor.neg_()}: {@link #neg()} in place. */
    public Tensor neg_() { return InPlace.apply(this, Tensor::neg, true); }
    /** {@code torch.Tensor.abs_()}: {@link #abs()} in place. */
    public Tensor abs_() { return InPlace.apply(this, Tensor::abs, true); }
    /** {@code torch.Tensor.exp_()}: {@link #exp()} in place. */
    public Tensor exp_() { return InPlace.apply(this, Tensor::exp, true); }
    /** {@code torch.Tensor.log_()}: {@link #log()} in place. */
    public Tensor log_() { return InPlace.apply(this, Tensor::log, true); }
    /** {@code torch.Tensor.sqrt_()}: {@link #sqrt()} in place. */
    public Tensor sqrt_() { return InPlace.apply(this, Tensor::sqrt, true); }
    /** {@code torch.Tensor.sigmoid_()}: {@link #sigmoid()} in place. */
    public Tensor sigmoid_() { return InPlace.apply(this, Tensor::sigmoid, true); }
    /** {@code torch.Tensor.tanh_()}: {@link #tanh()} in place. */
    public Tensor tanh_() { return InPlace.apply(this, Tensor::tanh, true); }
    /** {@code torch.Tensor.relu_()}: {@link #relu()} in place. */
    public Tensor relu_() { return InPlace.apply(this, Tensor::relu, true); }
    /** {@code torch.Tensor.clamp_(min, max)}: {@link #clamp(double, double)} in place. */
    public Tensor clamp_(double min, double max) { return InPlace.apply(this, t -> t.clamp(min, max), true); }
    /** {@code clamp_(min=min)} in place. */
    public Tensor clampMin_(double min) { return InPlace.apply(this, t -> t.clampMin(min), true); }
    /** {@code clamp_(max=max)} in place. */
    public Tensor clampMax_(double max) { return InPlace.apply(this, t -> t.clampMax(max), true); }
    /** {@code clamp_(min, max)} with int bounds, in place. */
    public Tensor clamp_(long min, long max) { return InPlace.apply(this, t -> t.clamp(min, max), true); }
    /** {@code clamp_(min=min)} with an int bound, in place. */
    public Tensor clampMin_(long min) { return InPlace.apply(this, t -> t.clampMin(min), true); }
    /** {@code clamp_(max=max)} with an int bound, in place. */
    public Tensor clampMax_(long max) { return InPlace.apply(this, t -> t.clampMax(max), true); }

    /** {@code torch.Tensor.addcmul_(t1, t2, value=v)}: {@code this += v * t1 * t2} in place. */
    public Tensor addcmul_(Tensor t1, Tensor t2, double value) { return InPlace.addcmulOrDiv_(this, t1, t2, value, false); }
    /** {@code addcmul_(t1, t2)} with {@code value=1}. */
    public Tensor addcmul_(Tensor t1, Tensor t2) { return addcmul_(t1, t2, 1); }
    /** {@code torch.Tensor.addcdiv_(t1, t2, value=v)}: {@code this += v * t1 / t2} in place. */
    public Tensor addcdiv_(Tensor t1, Tensor t2, double value) { return InPlace.addcmulOrDiv_(this, t1, t2, value, true); }
    /** {@code addcdiv_(t1, t2)} with {@code value=1}. */
    public Tensor addcdiv_(Tensor t1, Tensor t2) { return addcdiv_(t1, t2, 1); }

    /** Copies {@code src} (broadcast, converted) into this tensor. */
    public Tensor copy_(Tensor src) { return InPlace.copy_(this, src); }

    /** {@code torch.Tensor.fill_(value)}: every element set to a Python float. */
    public Tensor fill_(double value) { return InPlace.fill_(this, Arith.scalar(value)); }

    /** {@code fill_(value)} with a Python int. */
    public Tensor fill_(long value) { return InPlace.fill_(this, Arith.scalar(value)); }

    /** Fills with the value of a one-element tensor (differentiable in it). */
    public Tensor fill_(Tensor value) { return InPlace.fill_(this, value); }

    /** {@code torch.Tensor.zero_()}: every element set to 0. */
    public Tensor zero_() { return InPlace.zero_(this); }

    /** Fills with samples of U(from, to) from the default generator. */
    public Tensor uniform_(double from, double to) { return RandomOps.uniform_(this, from, to, null); }

    /** {@code uniform_(from, to, generator=g)}: with a given generator. */
    public Tensor uniform_(double from, double to, Generator generator) { return RandomOps.uniform_(this, from, to, generator); }

    /** Fills with samples of N(mean, std²) from the default generator. */
    public Tensor normal_(double mean, double std) { return RandomOps.normal_(this, mean, std, null); }

    /** {@code normal_(mean, std, generator=g)}: with a given generator. */
    public Tensor normal_(double mean, double std, Generator generator) { return RandomOps.normal_(this, mean, std, generator); }

    /** {@code uniform_()}: U[0, 1). */
    public Tensor uniform_() { return uniform_(0, 1); }

    /** {@code normal_()}: N(0, 1). */
    public Tensor normal_() { return normal_(0, 1); }

    /** {@code bernoulli_(p)}: 1 with probability p, else 0 (PyTorch's CPU draws, in memory order). */
    public Tensor bernoulli_(double p) { return RandomOps.bernoulli_(this, p, null); }

    /** {@code bernoulli_(p, generator=g)}: with a given generator. */
    public Tensor bernoulli_(double p, Generator generator) { return RandomOps.bernoulli_(this, p, generator); }

    /** {@code bernoulli()}: this tensor's elements are the probabilities. */
    public Tensor bernoulli() { return RandomOps.bernoulli(this, null); }

    // ---------------------------------------------------------------- reductions

    /** Sum of all elements (a 0-dim tensor); int and bool sum to int64. */
    public Tensor sum() { return Reductions.sum(this, null, false); }
    /** {@code sum(dims)} without keepdim; no dims sums all. */
    public Tensor sum(int... dims) { return Reductions.sum(this, dims, false); }
    /** {@code torch.Tensor.sum(dim, keepdim)}: over the dims (all when null or empty); {@code keepdim} keeps them as size 1. */
    public Tensor sum(int[] dims, boolean keepdim) { return Reductions.sum(this, dims, keepdim); }
    /** {@code torch.Tensor.mean()}: the mean of all elements (a 0-dim tensor); floating dtypes only, as in PyTorch. */
    public Tensor mean() { return Reductions.mean(this, null, false); }
    /** {@code mean(dims)} without keepdim; no dims averages all. */
    public Tensor mean(int... dims) { return Reductions.mean(this, dims, false); }
    /** {@code mean(dims, keepdim)}: over the dims (all when null or empty). */
    public Tensor mean(int[] dims, boolean keepdim) { return Reductions.mean(this, dims, keepdim); }
    /** {@code torch.Tensor.prod()}: the product of all elements; ints and bools multiply in int64. */
    public Tensor prod() { return Reductions.prod(this, null, false); }
    /** {@code prod(dim)} without keepdim. */
    public Tensor prod(int dim) { return Reductions.prod(this, new int[] {dim}, false); }
    /** {@code prod(dim, keepdim)}. */
    public Tensor prod(int dim, boolean keepdim) { return Reductions.prod(this, new int[] {dim}, keepdim); }

    /** Maximum of all elements. */
    public Tensor max() { return Reductions.maxAll(this, true); }
    /** Minimum of all elements (errors on an empty tensor). */
    public Tensor min() { return Reductions.maxAll(this, false); }

    /** {@code torch.max(x, dim)}: values and indices. */
    public ValuesIndices max(int dim) { return Reductions.maxDim(this, dim, false, true); }
    /** {@code max(dim, keepdim)}: values and indices, keeping {@code dim} as size 1 when {@code keepdim}. */
    public ValuesIndices max(int dim, boolean keepdim) { return Reductions.maxDim(this, dim, keepdim, true); }
    /** {@code torch.min(x, dim)}: values and indices. */
    public ValuesIndices min(int dim) { return Reductions.maxDim(this, dim, false, false); }
    /** {@code min(dim, keepdim)}. */
    public ValuesIndices min(int dim, boolean keepdim) { return Reductions.maxDim(this, dim, keepdim, false); }

    /** {@code torch.max(x, other)}: elementwise, the same as {@link #maximum(Tensor)}. */
    public Tensor max(Tensor other) { return maximum(other); }
    /** {@code torch.min(x, other)}: elementwise, the same as {@link #minimum(Tensor)}. */
    public Tensor min(Tensor other) { return minimum(other); }

    /** Index of the maximum of the flattened tensor. */
    public Tensor argmax() { return Reductions.argmax(this, null, false, true); }
    /** {@code argmax(dim)}: indices (int64) of the maxima along {@code dim}. */
    public Tensor argmax(int dim) { return Reductions.argmax(this, dim, false, true); }
    /** {@code argmax(dim, keepdim)}. */
    public Tensor argmax(int dim, boolean keepdim) { return Reductions.argmax(this, dim, keepdim, true); }
    /** Index of the minimum of the flattened tensor ({@code argmin()}). */
    public Tensor argmin() { return Reductions.argmax(this, null, false, false); }
    /** {@code argmin(dim)}: indices (int64) of the minima along {@code dim}. */
    public Tensor argmin(int dim) { return Reductions.argmax(this, dim, false, false); }
    /** {@code argmin(dim, keepdim)}. */
    public Tensor argmin(int dim, boolean keepdim) { return Reductions.argmax(this, dim, keepdim, false); }

    /** Unbiased variance of all elements ({@code correction=1}). */
    public Tensor var() { return Reductions.var(this, null, 1, false, false); }
    /** {@code var(dims)}: unbiased, without keepdim; no dims is all. */
    public Tensor var(int... dims) { return Reductions.var(this, dims, 1, false, false); }
    /** {@code var(dims, unbiased, keepdim)}. */
    public Tensor var(int[] dims, boolean unbiased, boolean keepdim) { return Reductions.var(this, dims, unbiased ? 1 : 0, keepdim, false); }
    /** {@code var(dims, correction=c, keepdim)}. */
    public Tensor var(int[] dims, long correction, boolean keepdim) { return Reductions.var(this, dims, correction, keepdim, false); }
    /** {@code torch.Tensor.std()}: unbiased standard deviation of all elements ({@code correction=1}). */
    public Tensor std() { return Reductions.var(this, null, 1, false, true); }
    /** {@code std(dims)}: unbiased, without keepdim; no dims is all. */
    public Tensor std(int... dims) { return Reductions.var(this, dims, 1, false, true); }
    /** {@code std(dims, unbiased, keepdim)}. */
    public Tensor std(int[] dims, boolean unbiased, boolean keepdim) { return Reductions.var(this, dims, unbiased ? 1 : 0, keepdim, true); }
    /** {@code std(dims, correction=c, keepdim)}. */
    public Tensor std(int[] dims, long correction, boolean keepdim) { return Reductions.var(this, dims, correction, keepdim, true); }

    /** {@code logsumexp(dims, keepdim)}, computed stably. */
    public Tensor logsumexp(int... dims) { return Reductions.logsumexp(this, dims, false); }
    /** {@code logsumexp(dims, keepdim)}: keeping the reduced dims as size 1 when {@code keepdim}. */
    public Tensor logsumexp(int[] dims, boolean keepdim) { return Reductions.logsumexp(this, dims, keepdim); }

    /** {@code softmax(dim)}, computed stably. */
    public Tensor softmax(int dim) { return Reductions.softmax(this, dim, false); }

    /** {@code torch.Tensor.log_softmax(dim)}: {@code log(softmax(x))} computed stably; floating dtypes only. */
    public Tensor logSoftmax(int dim) { return Reductions.softmax(this, dim, true); }

    // ---------------------------------------------------------------- linear algebra

    /** {@code matmul} with PyTorch's rules for 1-D, 2-D and batched (broadcast) operands. */
    public Tensor matmul(Tensor other) { return Linalg.matmul(this, other); }

    /** Matrix product of two 2-D tensors. */
    public Tensor mm(Tensor other) { return Linalg.mm(this, other); }

    /** Batched matrix product of two 3-D tensors with equal batch sizes. */
    public Tensor bmm(Tensor other) { return Linalg.bmm(this, other); }

    /**
     * {@code self.addmm(mat1, mat2)}: {@code self + mat1 @ mat2}, {@code self} broadcast to the
     * product's shape, e.g. {@code bias.addmm(x, w.t())} is {@code F.linear(x, w, bias)}.
     */
    public Tensor addmm(Tensor mat1, Tensor mat2) { return Linalg.addmm(this, mat1, mat2, 1, 1); }

    /** {@code self.addmm(mat1, mat2, beta=beta, alpha=alpha)}: {@code beta * self + alpha * (mat1 @ mat2)}. */
    public Tensor addmm(Tensor mat1, Tensor mat2, double beta, double alpha) { return Linalg.addmm(this, mat1, mat2, beta, alpha); }

    /** {@code self.baddbmm(batch1, batch2)}: {@code self + bmm(batch1, batch2)}, {@code self} broadcast to (B, n, p). */
    public Tensor baddbmm(Tensor batch1, Tensor batch2) { return Linalg.baddbmm(this, batch1, batch2, 1, 1); }

    /** {@code self.baddbmm(batch1, batch2, beta=beta, alpha=alpha)}: {@code beta * self + alpha * bmm(batch1, batch2)}. */
    public Tensor baddbmm(Tensor batch1, Tensor batch2, double beta, double alpha) {
        return Linalg.baddbmm(this, batch1, batch2, beta, alpha);
    }

    /** Inner product of two 1-D tensors. */
    public Tensor dot(Tensor other) { return Linalg.dot(this, other); }

    // ---------------------------------------------------------------- indexing

    /** {@code x[i, j, ...]} with integers: a view. */
    public Tensor index(long... indices) { return Indexing.index(this, indices); }

    /** {@code x[...]} with ints, slices, ellipsis, new axes (views) or int64/bool tensors (a copy). */
    public Tensor index(TensorIndex... indices) { return Indexing.index(this, jtorch.ops.Args.listOf("index", "indices", indices)); }

    /** {@code x["..."]} in NumPy syntax, e.g. {@code ":, 2:6"}, {@code "..., -1"}, {@code "::2, None"}. */
    public Tensor index(String numpyIndex) { return Indexing.index(this, TensorIndex.parse(numpyIndex)); }

    /** {@code x[indices] = values} ({@code index_put_}), summing repeated positions when {@code accumulate}. */
    public Tensor indexPut_(TensorIndex[] indices, Tensor values, boolean accumulate) {
        return Indexing.indexPut_(this, jtorch.ops.Args.listOf("index_put_", "indices", indices), values, accumulate);
    }

    /** {@code index_put_(indices, values)} without accumulate. */
    public Tensor indexPut_(TensorIndex[] indices, Tensor values) { return indexPut_(indices, values, false); }

    /** {@code index_put_(indices, value)} with a Python float value. */
    public Tensor indexPut_(TensorIndex[] indices, double value) { return indexPut_(indices, Arith.scalar(value), false); }

    /** {@code index_put_((t0, t1, ...), values, accumulate)} with tensor indices, as in PyTorch. */
    public Tensor indexPut_(Tensor[] indices, Tensor values, boolean accumulate) {
        jtorch.ops.Args.listOf("index_put_", "indices", indices);
        TensorIndex[] ti = new TensorIndex[indices.length];
        for (int i = 0; i < indices.length; i++) ti[i] = TensorIndex.tensor(indices[i]);
        return indexPut_(ti, values, accumulate);
    }

    /** {@code index_select(dim, index)}. */
    public Tensor indexSelect(int dim, Tensor index) { return Indexing.indexSelect(this, dim, index); }

    /** {@code gather(dim, index)}. */
    public Tensor gather(int dim, Tensor index) { return Indexing.gather(this, dim, index); }

    /** {@code scatter(dim, index, src)}: a copy of this with {@code src} written at {@code index}. */
    public Tensor scatter(int dim, Tensor index, Tensor src) { return Indexing.scatter(this, dim, index, src); }

    /** {@code scatter(dim, index, value)} with a Python float value. */
    public Tensor scatter(int dim, Tensor index, double value) { return Indexing.scatter(this, dim, index, Arith.scalar(value)); }

    /** {@code scatter_(dim, index, src)}. */
    public Tensor scatter_(int dim, Tensor index, Tensor src) { return InPlace.apply(this, t -> t.scatter(dim, index, src), true, index, src); }

    /** {@code scatter_add(dim, index, src)}. */
    public Tensor scatterAdd(int dim, Tensor index, Tensor src) { return Indexing.scatterAdd(this, dim, index, src); }

    /** Splits into chunks of {@code splitSize} along {@code dim} (views; the last may be smaller). */
    public List<Tensor> split(long splitSize, int dim) { return Joining.split(this, splitSize, dim); }

    /** {@code split(split_size)} along dim 0. */
    public List<Tensor> split(long splitSize) { return Joining.split(this, splitSize, 0); }

    /** Splits into pieces of the given sizes along {@code dim} (views). */
    public List<Tensor> split(long[] splitSizes, int dim) { return Joining.splitWithSizes(this, splitSizes, dim); }

    /** Splits into {@code chunks} nearly equal views along {@code dim}. */
    public List<Tensor> chunk(int chunks, int dim) { return Joining.chunk(this, chunks, dim); }

    /** {@code chunk(chunks)} along dim 0. */
    public List<Tensor> chunk(int chunks) { return Joining.chunk(this, chunks, 0); }

    /** {@code unbind(dim)}: the slices along {@code dim} (views). */
    public List<Tensor> unbind(int dim) { return Joining.unbind(this, dim); }

    // ---- ops added for #11 (ops) ----

    private static final String NORM_DTYPE = "norm(): input dtype should be either floating point or complex. Got ";

    /** {@code norm()}: the 2-norm of all elements. */
    public Tensor norm() { return norm(2.0); }

    /**
     * {@code norm(p)} of all elements: {@code p} = 2, 1, inf, -inf, 0 (count of non-zeros) or any other
     * order {@code (sum |x|^p)^(1/p)}.
     *
     * <pre>{@code
     * Torch.tensor(new float[] {3, -4}).norm(1);   // tensor(7.)
     * }</pre>
     */
    public Tensor norm(double p) { return Norms.vectorNorm(this, p, null, false, "NormBackward1", NORM_DTYPE); }

    /** {@code norm(p, dim, keepdim)}. */
    public Tensor norm(double p, int[] dims, boolean keepdim) { return Norms.vectorNorm(this, p, dims, keepdim, "NormBackward1", NORM_DTYPE); }

    /** {@code norm(p, dim=d)}. */
    public Tensor norm(double p, int dim) { return norm(p, new int[] {dim}, false); }

    /** {@code norm(p, dim=d, keepdim=k)}. */
    public Tensor norm(double p, int dim, boolean keepdim) { return norm(p, new int[] {dim}, keepdim); }

    /** {@code norm("fro")} (the 2-norm of the elements); {@code "nuc"} needs an SVD and is refused. */
    public Tensor norm(String p) { return norm(p, null, false); }

    /** {@code norm(p, dim, keepdim)} with a string order: {@code "fro"} is the 2-norm over the dims (all when null); {@code "nuc"} needs an SVD and is refused. */
    public Tensor norm(String p, int[] dims, boolean keepdim) {
        if ("fro".equals(p)) return norm(2.0, dims, keepdim);
        if ("nuc".equals(p)) return Norms.matrixNorm(this, "nuc", dims == null ? new int[] {-2, -1} : dims, keepdim);
        throw new IllegalArgumentException("norm(): unknown order '" + p + "' (expected a number, 'fro' or 'nuc')");
    }

    /** {@code amax(dims, keepdim)}: maximum over dims (all when none); ties share the gradient evenly. */
    public Tensor amax(int... dims) { return Norms.amax(this, dims, false, true); }
    /** {@code amax(dims, keepdim)}. */
    public Tensor amax(int[] dims, boolean keepdim) { return Norms.amax(this, dims, keepdim, true); }
    /** {@code amin(dims)}: minimum over dims (all when none); ties share the gradient evenly. */
    public Tensor amin(int... dims) { return Norms.amax(this, dims, false, false); }
    /** {@code amin(dims, keepdim)}. */
    public Tensor amin(int[] dims, boolean keepdim) { return Norms.amax(this, dims, keepdim, false); }

    /** {@code tril(diagonal=0)}: zeros above the given diagonal of the last two dims. */
    public Tensor tril() { return Manipulation.triangle(this, 0, true); }
    /** {@code tril(diagonal)}: a positive diagonal is above the main one, negative below. */
    public Tensor tril(long diagonal) { return Manipulation.triangle(this, diagonal, true); }
    /** {@code triu(diagonal=0)}: zeros below the given diagonal of the last two dims. */
    public Tensor triu() { return Manipulation.triangle(this, 0, false); }
    /** {@code triu(diagonal)}: a positive diagonal is above the main one, negative below. */
    public Tensor triu(long diagonal) { return Manipulation.triangle(this, diagonal, false); }

    /**
     * {@code masked_fill(mask, value)}: {@code value} where the bool {@code mask} (broadcast) is true.
     *
     * <pre>{@code
     * Tensor att = scores.maskedFill(Torch.ones(T, T).tril().eq(0.0), Double.NEGATIVE_INFINITY);
     * }</pre>
     */
    public Tensor maskedFill(Tensor mask, double value) { return Manipulation.maskedFill(this, mask, Arith.scalar(value)); }
    /** {@code masked_fill(mask, value)} with a Python int value. */
    public Tensor maskedFill(Tensor mask, long value) { return Manipulation.maskedFill(this, mask, Arith.scalar(value)); }
    /** {@code masked_fill(mask, value)} with a 0-dim tensor value (differentiable in it). */
    public Tensor maskedFill(Tensor mask, Tensor value) { return Manipulation.maskedFill(this, mask, value); }
    /** {@code masked_fill_(mask, value)}: {@link #maskedFill(Tensor, double)} in place. */
    public Tensor maskedFill_(Tensor mask, double value) { return Manipulation.maskedFill_(this, mask, Arith.scalar(value)); }
    /** {@code masked_fill_(mask, value)} with a Python int value, in place. */
    public Tensor maskedFill_(Tensor mask, long value) { return Manipulation.maskedFill_(this, mask, Arith.scalar(value)); }
    /** {@code masked_fill_(mask, value)} with a 0-dim tensor value, in place. */
    public Tensor maskedFill_(Tensor mask, Tensor value) { return Manipulation.maskedFill_(this, mask, value); }

    /** {@code topk(k)}: the k largest along the last dim, sorted, with their indices. */
    public ValuesIndices topk(long k) { return Sorting.topk(this, k, -1, true, true); }
    /** {@code topk(k, dim)}: the k largest along {@code dim}, sorted. */
    public ValuesIndices topk(long k, int dim) { return Sorting.topk(this, k, dim, true, true); }
    /** {@code topk(k, dim, largest, sorted)}; the result is always sorted (PyTorch allows any order when {@code sorted=False}). */
    public ValuesIndices topk(long k, int dim, boolean largest, boolean sorted) { return Sorting.topk(this, k, dim, largest, sorted); }

    /** {@code sort(dim=-1, descending=False)}: values and indices; ties keep their original order. */
    public ValuesIndices sort() { return Sorting.sort(this, -1, false); }
    /** {@code sort(dim)}: ascending along {@code dim}. */
    public ValuesIndices sort(int dim) { return Sorting.sort(this, dim, false); }
    /** {@code sort(dim, descending)}. */
    public ValuesIndices sort(int dim, boolean descending) { return Sorting.sort(this, dim, descending); }
    /** {@code sort(dim, descending, stable)}: every sort here is stable, so {@code stable} only documents intent. */
    public ValuesIndices sort(int dim, boolean descending, boolean stable) { return Sorting.sort(this, dim, descending); }
    /** {@code argsort(dim=-1, descending=False)}: the indices (int64) {@link #sort()} returns. */
    public Tensor argsort() { return Sorting.argsort(this, -1, false); }
    /** {@code argsort(dim)}: ascending along {@code dim}. */
    public Tensor argsort(int dim) { return Sorting.argsort(this, dim, false); }
    /** {@code argsort(dim, descending)}. */
    public Tensor argsort(int dim, boolean descending) { return Sorting.argsort(this, dim, descending); }

    /** {@code multinomial(num_samples, replacement=False)} over the last dim (1-D or 2-D probabilities). */
    public Tensor multinomial(long numSamples) { return RandomOps.multinomial(this, numSamples, false, null); }
    /** {@code multinomial(num_samples, replacement)}: from the default generator. */
    public Tensor multinomial(long numSamples, boolean replacement) { return RandomOps.multinomial(this, numSamples, replacement, null); }
    /** {@code multinomial(num_samples, replacement, generator=g)}: with a given generator. */
    public Tensor multinomial(long numSamples, boolean replacement, Generator generator) {
        return RandomOps.multinomial(this, numSamples, replacement, generator);
    }

    /** {@code cumsum(dim)}: ints and bools accumulate in int64. */
    public Tensor cumsum(int dim) { return Cumulative.cumsum(this, dim, null); }
    /** {@code cumsum(dim, dtype=d)}: converted to {@code d} first. */
    public Tensor cumsum(int dim, DType dtype) { return Cumulative.cumsum(this, dim, dtype); }
    /** {@code cumprod(dim)}: the cumulative product along {@code dim}. */
    public Tensor cumprod(int dim) { return Cumulative.cumprod(this, dim, null); }
    /** {@code cumprod(dim, dtype=d)}: converted to {@code d} first. */
    public Tensor cumprod(int dim, DType dtype) { return Cumulative.cumprod(this, dim, dtype); }

    /** {@code outer(vec2)}: the outer product of two 1-D tensors. */
    public Tensor outer(Tensor vec2) { return Manipulation.outer(this, vec2); }

    /** {@code repeat(*sizes)}: tiles the data (a copy); more sizes than dims add leading dims. */
    public Tensor repeat(long... sizes) { return Manipulation.repeat(this, sizes); }

    /** {@code tile(dims)}: {@code repeat} with fewer sizes allowed (padded with leading 1s). */
    public Tensor tile(long... dims) { return Manipulation.tile(this, dims); }

    /** {@code roll(shifts)} of the flattened tensor, shape kept. */
    public Tensor roll(long shift) { return Manipulation.roll(this, new long[] {shift}, new int[0]); }
    /** {@code roll(shift, dim)}: along one dim. */
    public Tensor roll(long shift, int dim) { return Manipulation.roll(this, new long[] {shift}, new int[] {dim}); }
    /** {@code roll(shifts, dims)}: one shift per dim. */
    public Tensor roll(long[] shifts, int[] dims) { return Manipulation.roll(this, shifts, dims); }

    /** {@code flip(dims)}: a copy reversed along the dims. */
    public Tensor flip(int... dims) { return Manipulation.flip(this, dims); }

    /** {@code diag(diagonal=0)}: 1-D to a square 2-D matrix, or the diagonal of a 2-D matrix. */
    public Tensor diag() { return Manipulation.diag(this, 0); }
    /** {@code diag(diagonal)}: a positive diagonal is above the main one, negative below. */
    public Tensor diag(long diagonal) { return Manipulation.diag(this, diagonal); }

    /** {@code movedim(source, destination)} (a view). */
    public Tensor movedim(int source, int destination) { return Manipulation.movedim(this, source, destination); }

    /** {@code nan_to_num()}: NaN to 0, ±inf to the dtype's largest/lowest finite value. */
    public Tensor nanToNum() { return PointwiseExtra.nanToNum(this, 0, null, null); }
    /** {@code nan_to_num(nan)}: NaN to {@code nan}, infinities as in {@link #nanToNum()}. */
    public Tensor nanToNum(double nan) { return PointwiseExtra.nanToNum(this, nan, null, null); }
    /** {@code nan_to_num(nan, posinf, neginf)}; a null bound keeps the default. */
    public Tensor nanToNum(double nan, Double posinf, Double neginf) { return PointwiseExtra.nanToNum(this, nan, posinf, neginf); }

    /** {@code lerp(end, weight)}: {@code this + weight * (end - this)}. */
    public Tensor lerp(Tensor end, double weight) { return PointwiseExtra.lerp(this, end, Arith.scalar(weight)); }
    /** {@code lerp(end, weight)} with a tensor weight (broadcast). */
    public Tensor lerp(Tensor end, Tensor weight) { return PointwiseExtra.lerp(this, end, weight); }

    /** {@code atan2(other)}: the angle of (other, this), elementwise, broadcasting. */
    public Tensor atan2(Tensor other) { return PointwiseExtra.atan2(this, other); }

    /**
     * {@code torch.xlogy(other)}: {@code this * log(other)}, 0 where this is 0 (unless other is NaN),
     * broadcasting; integers computed in the default float dtype.
     * {@code Torch.tensor(new float[] {0, 2}).xlogy(Torch.tensor(new float[] {0, 3}))} is {@code [0, 2.1972]}.
     */
    public Tensor xlogy(Tensor other) { return XLOGY.apply(this, other); }

    private static final PointwiseBinary XLOGY = PointwiseBinary.row("xlogy", "XlogyBackward0", PointwiseKernels.XLOGY)
            .grad(PointwiseBinary.Reads.BOTH, (g, a, b) -> g.xlogy(b).where(a.eq(0.0).logicalAnd(b.le(0.0)).logicalNot(), 0.0),
                    PointwiseBinary.Reads.BOTH, (g, a, b) -> g.mul(a).div(b));

    /** {@code isfinite()}, {@code isnan()}, {@code isinf()}: bool tensors. */
    public Tensor isfinite() { return PointwiseExtra.isfinite(this); }
    /** {@code isnan()}: true where an element is NaN (all false for ints and bools). */
    public Tensor isnan() { return isFloatingPoint() ? ne(this) : Torch.zerosLike(this).to(DType.BOOL); }
    /** {@code isinf()}: true where an element is +inf or -inf (all false for ints and bools). */
    public Tensor isinf() { return isFloatingPoint() ? abs().eq(Double.POSITIVE_INFINITY) : Torch.zerosLike(this).to(DType.BOOL); }

    /** {@code floor()}, {@code ceil()}, {@code round()} (half to even), {@code trunc()}: zero gradient. */
    public Tensor floor() { return PointwiseExtra.rounding(this, jtorch.kernels.ExtraPointwise.Op.FLOOR); }
    /** {@code ceil()}: rounds up, elementwise; zero gradient. */
    public Tensor ceil() { return PointwiseExtra.rounding(this, jtorch.kernels.ExtraPointwise.Op.CEIL); }
    /** {@code round()}: rounds half to even, elementwise; zero gradient. */
    public Tensor round() { return PointwiseExtra.rounding(this, jtorch.kernels.ExtraPointwise.Op.ROUND); }
    /** {@code trunc()}: rounds toward zero, elementwise; zero gradient. */
    public Tensor trunc() { return PointwiseExtra.rounding(this, jtorch.kernels.ExtraPointwise.Op.TRUNC); }
    /** {@code frac()}: {@code x - trunc(x)}. */
    public Tensor frac() { return PointwiseExtra.rounding(this, jtorch.kernels.ExtraPointwise.Op.FRAC); }

    /** {@code remainder(other)} / Python's {@code x % other}: the result has the sign of {@code other}. */
    public Tensor remainder(Tensor other) { return PointwiseExtra.modulo(this, other, true); }
    /** {@code remainder(other)} with a Python float. */
    public Tensor remainder(double other) { return PointwiseExtra.modulo(this, Arith.scalar(other), true); }
    /** {@code remainder(other)} with a Python int. */
    public Tensor remainder(long other) { return PointwiseExtra.modulo(this, Arith.scalar(other), true); }
    /** {@code fmod(other)}: C's {@code fmod}, the result has the sign of {@code this}. */
    public Tensor fmod(Tensor other) { return PointwiseExtra.modulo(this, other, false); }
    /** {@code fmod(other)} with a Python float. */
    public Tensor fmod(double other) { return PointwiseExtra.modulo(this, Arith.scalar(other), false); }
    /** {@code fmod(other)} with a Python int. */
    public Tensor fmod(long other) { return PointwiseExtra.modulo(this, Arith.scalar(other), false); }

    /** {@code logical_and(other)}, {@code logical_or}, {@code logical_xor}: bool results, nonzero is true. */
    public Tensor logicalAnd(Tensor other) { return PointwiseExtra.logical(this, other, '&'); }
    /** {@code logical_or(other)}: bool, true where either is nonzero. */
    public Tensor logicalOr(Tensor other) { return PointwiseExtra.logical(this, other, '|'); }
    /** {@code logical_xor(other)}: bool, true where exactly one is nonzero. */
    public Tensor logicalXor(Tensor other) { return PointwiseExtra.logical(this, other, '^'); }

    /** {@code any()}: whether any element is nonzero (a 0-dim bool). */
    public Tensor any() { return PointwiseExtra.anyAll(this, null, false, true); }
    /** {@code any(dim)}: along {@code dim}, without keepdim. */
    public Tensor any(int dim) { return PointwiseExtra.anyAll(this, new int[] {dim}, false, true); }
    /** {@code any(dim, keepdim)}. */
    public Tensor any(int dim, boolean keepdim) { return PointwiseExtra.anyAll(this, new int[] {dim}, keepdim, true); }
    /** {@code all()}: whether every element is nonzero (a 0-dim bool). */
    public Tensor all() { return PointwiseExtra.anyAll(this, null, false, false); }
    /** {@code all(dim)}: along {@code dim}, without keepdim. */
    public Tensor all(int dim) { return PointwiseExtra.anyAll(this, new int[] {dim}, false, false); }
    /** {@code all(dim, keepdim)}. */
    public Tensor all(int dim, boolean keepdim) { return PointwiseExtra.anyAll(this, new int[] {dim}, keepdim, false); }

    /** {@code trace()}: the sum of the main diagonal of a 2-D tensor (ints sum to int64). */
    public Tensor trace() {
        if (dim() != 2) throw new IllegalArgumentException("trace: expected a matrix, but got tensor with dim " + dim());
        return diag().sum();
    }

    /** {@code torch.var_mean(x, dims, correction, keepdim)}: [var, mean]; no dims = all. */
    public List<Tensor> varMean(int[] dims, long correction, boolean keepdim) {
        int[] ds = dims == null ? new int[0] : dims;
        return List.of(var(ds, correction, keepdim), mean(ds, keepdim));
    }

    /** {@code torch.std_mean(x, dims, correction, keepdim)}: [std, mean]; no dims = all. */
    public List<Tensor> stdMean(int[] dims, long correction, boolean keepdim) {
        int[] ds = dims == null ? new int[0] : dims;
        return List.of(std(ds, correction, keepdim), mean(ds, keepdim));
    }

    /** {@code view_as(other)}: {@code view(other.size())}. */
    public Tensor viewAs(Tensor other) { return view(jtorch.ops.Args.notNull("view_as", "other", other).shape()); }

    /** {@code flatten(start_dim)}: dims from {@code startDim} to the last merged. */
    public Tensor flatten(int startDim) { return Views.flatten(this, startDim, -1); }

    /** {@code new_zeros(size)}: zeros of this tensor's dtype. */
    public Tensor newZeros(long... size) { return Torch.zeros(size, dtype()); }
    /** {@code new_ones(size)}: ones of this tensor's dtype. */
    public Tensor newOnes(long... size) { return Torch.ones(size, dtype()); }
    /** {@code new_empty(size)}: an uninitialised tensor of this tensor's dtype (zero-filled here). */
    public Tensor newEmpty(long... size) { return Torch.empty(size, dtype()); }
    /** {@code new_full(size, value)} in this tensor's dtype. */
    public Tensor newFull(long[] size, double value) { return Torch.full(size, value, dtype()); }
    /** {@code new_tensor(data)}: {@code Torch.tensor(data)} in this tensor's dtype. */
    public Tensor newTensor(Object data) { return Torch.tensor(data, dtype()); }

    // ---------------------------------------------------------------- comparison of whole tensors

    /** {@code torch.equal}: same sizes and elements (dtype is promoted first, as PyTorch does). */
    public boolean equal(Tensor other) { return Reductions.equal(this, other); }

    /** {@code torch.allclose(self, other, rtol=1e-05, atol=1e-08)}. */
    public boolean allclose(Tensor other) { return allclose(other, 1e-5, 1e-8); }

    /** {@code torch.allclose(self, other, rtol, atol)}: {@code |this - other| <= atol + rtol * |other|} elementwise; the dtypes must match and NaNs are never close. */
    public boolean allclose(Tensor other, double rtol, double atol) { return Reductions.allclose(this, other, rtol, atol, false); }

    // ---------------------------------------------------------------- printing

    /** PyTorch's {@code repr(tensor)}, character for character. */
    @Override public String toString() {
        Object data = Conversions.toArray(this, dtype());
        boolean leafRequiringGrad = requiresGrad && gradFn == null;
        return TensorFormatter.repr(dtype(), Shapes.toLongs(sizes), data, leafRequiringGrad,
                gradFn == null ? null : gradFn.name());
    }

    /** The values and indices of {@code max(dim)}/{@code min(dim)}, as PyTorch's named tuple. */
    public static final class ValuesIndices {
        private final Tensor values;
        private final Tensor indices;
        private final String op;

        /** A named tuple for {@code max}; see {@link #ValuesIndices(Tensor, Tensor, String)}. */
        public ValuesIndices(Tensor values, Tensor indices) { this(values, indices, "max"); }

        /** @param op the producing function's name as PyTorch's named tuple shows it ({@code "max"}, {@code "min"}) */
        public ValuesIndices(Tensor values, Tensor indices, String op) {
            this.values = values;
            this.indices = indices;
            this.op = op;
        }

        /** {@code .values}: the values tensor. */
        public Tensor values() { return values; }
        /** {@code .indices}: the indices tensor (int64). */
        public Tensor indices() { return indices; }

        @Override public String toString() {
            return "torch.return_types." + op + "(\nvalues=" + values + ",\nindices=" + indices + ")";
        }
    }
}
