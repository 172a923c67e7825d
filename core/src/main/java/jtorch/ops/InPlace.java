package jtorch.ops;

import java.util.Arrays;
import java.util.function.UnaryOperator;

import jtorch.DType;
import jtorch.Tensor;
import jtorch.autograd.Autograd;
import jtorch.autograd.GradMode;
import jtorch.internal.TensorInternals;
import jtorch.kernels.Copy;
import jtorch.kernels.Elementwise;

import static jtorch.autograd.Autograd.of;
import static jtorch.autograd.Autograd.record;
import static jtorch.internal.TensorInternals.strided;

/**
 * In-place ops ({@code add_}, {@code copy_}, ...) and how they rewrite autograd history.
 *
 * <p>Any in-place op is its out-of-place op followed by a write into {@code self}. Without a graph
 * to record, the kernel writes straight into {@code self}. With one, the out-of-place op runs on
 * a differentiable clone of {@code self} (so its backward never reads the overwritten values), the
 * result is written into {@code self}, and history is rebased: a plain tensor takes the result's
 * node; a view makes its base the output of a {@code CopySlices} node (the base with the view's
 * region replaced) and itself a view of that new base, as PyTorch does for {@code Y[i, j] = v}.
 * Every write bumps the version counter shared with the views, so saved tensors notice it.
 */
public final class InPlace {
    private InPlace() {}

    /** PyTorch's refusals of in-place writes that would corrupt a leaf's gradient (an op without other tensor inputs). */
    public static void check(Tensor self) { check(self, Autograd.of()); }

    /**
     * PyTorch's {@code check_inplace}, in its order: under grad mode, when some input requires grad, a
     * view made with grad mode off is refused; then a view that requires grad of a leaf base (even a base
     * that does not require grad itself, as {@code zeros(6).view(2, 3).requires_grad_()}); then a leaf that
     * requires grad.
     *
     * @param others the op's other tensor inputs
     */
    public static void check(Tensor self, Tensor... others) {
        if (!GradMode.isEnabled()) return;
        Tensor base = self.base();
        // A view made without grad of a base that requires grad requires grad in PyTorch.
        boolean selfRequiresGrad = self.requiresGrad() || (base != null && TensorInternals.isViewMadeWithoutGrad(self) && base.requiresGrad());
        if (!selfRequiresGrad && !Autograd.shouldRecord(others)) return;
        if (base != null) {
            if (TensorInternals.isViewMadeWithoutGrad(self))
                throw new IllegalStateException("A view was created in no_grad mode and is being modified inplace with grad mode "
                        + "enabled. Given that this use case is ambiguous and error-prone, it is forbidden. You can clarify your "
                        + "code by moving both the view and the inplace either both inside the no_grad block (if you don't want "
                        + "the inplace to be tracked) or both outside (if you want the inplace to be tracked).");
            if (self.requiresGrad() && base.isLeaf())
                throw new IllegalStateException("a view of a leaf Variable that requires grad is being used in an in-place operation.");
        }
        if (self.requiresGrad() && self.isLeaf())
            throw new IllegalStateException("a leaf Variable that requires grad is being used in an in-place operation.");
    }

    /**
     * Runs {@code op} (an out-of-place op) and writes its result into {@code self}.
     *
     * @param readsSelf whether {@code op} reads the old values of {@code self}
     * @param others    the op's other tensor inputs (they decide whether history is recorded)
     */
    public static Tensor apply(Tensor self, UnaryOperator<Tensor> op, boolean readsSelf, Tensor... others) {
        check(self, others);
        boolean recording = Autograd.shouldRecord(self) || Autograd.shouldRecord(others);
        if (!recording) {
            Tensor r;
            try (GradMode.Guard g = GradMode.set(false)) {
                r = op.apply(self);
            }
            writeBack(self, r, true);
            return self;
        }
        Tensor r = op.apply(readsSelf ? self.clone() : self);
        try (GradMode.Guard g = GradMode.set(false)) {
            writeBack(self, r, true);
        }
        rebaseHistory(self, r);
        return self;
    }

    /**
     * {@code self op= other} for a binary row: the kernel writes straight into a dense {@code self}
     * when nothing is recorded (a strided {@code self} gets the result copied in), else the
     * out-of-place op runs and its result is written back.
     */
    static Tensor binary(Tensor self, PointwiseBinary row, Tensor other, double alpha) {
        check(self, other);
        DType compute = row.computeType(Arith.resultType(self, other));
        boolean recording = Autograd.shouldRecord(self, other);
        boolean aliasing = other.storage() == self.storage() && !(Arrays.equals(TensorInternals.sizes(other), TensorInternals.sizes(self))
                && Arrays.equals(TensorInternals.strides(other), TensorInternals.strides(self))
                && TensorInternals.offset(other) == TensorInternals.offset(self));
        if (!recording && compute == self.dtype() && compute != DType.BOOL && !aliasing) {
            int[] shape = Shapes.broadcast(TensorInternals.sizes(self), TensorInternals.sizes(other));
            checkShape(self, shape);
            if (self.isContiguous()) row.into(self, self, other, alpha, compute, shape);
            else {
                Tensor r = TensorInternals.allocate(compute, shape);
                row.into(r, self, other, alpha, compute, shape);
                Copy.copy(strided(self), strided(r));
            }
            TensorInternals.bumpVersion(self);
            return self;
        }
        return apply(self, t -> row.apply(t, other, alpha), row.savesInputs(), other);
    }

    /** {@code addcmul_} / {@code addcdiv_}: the kernel writes straight into {@code self} when nothing is recorded. */
    public static Tensor addcmulOrDiv_(Tensor self, Tensor t1, Tensor t2, double value, boolean divide) {
        check(self, t1, t2);
        DType compute = Arith.resultType(self, t1, t2);
        boolean aliasing = t1.storage() == self.storage() || t2.storage() == self.storage();
        if (!Autograd.shouldRecord(self, t1, t2) && compute == self.dtype() && compute.isFloatingPoint() && !aliasing) {
            int[] shape = TensorInternals.sizes(self);
            checkShape(self, Shapes.broadcast(shape, Shapes.broadcast(TensorInternals.sizes(t1), TensorInternals.sizes(t2))));
            Elementwise.ternary(divide, strided(self), strided(self), strided(Raw.expand(Raw.convert(t1, compute), shape)),
                    strided(Raw.expand(Raw.convert(t2, compute), shape)), value);
            TensorInternals.bumpVersion(self);
            return self;
        }
        return apply(self, t -> Arith.addcmulOrDiv(t, t1, t2, value, divide), true, t1, t2);
    }

    /** {@code copy_(src)}: broadcast and convert {@code src} into {@code self}. Differentiable in {@code src}. */
    public static Tensor copy_(Tensor self, Tensor src) {
        Args.notNull("copy_", "src", src);
        check(self, src);
        int[] shape = TensorInternals.sizes(self);
        checkShape(self, Shapes.broadcast(shape, TensorInternals.sizes(src))); // src must broadcast to exactly self's shape
        if (!Autograd.shouldRecord(self, src)) {
            Tensor s = Raw.expand(src, shape);
            if (s.storage() == self.storage()) s = Raw.copy(s, s.dtype()); // overlapping source: read it before writing
            Copy.copy(strided(self), strided(s));
            TensorInternals.bumpVersion(self);
            return self;
        }
        DType dt = self.dtype();
        // PyTorch's CopyBackwards: zero gradient to the overwritten values, the gradient itself to src.
        return apply(self, t -> record(Raw.copy(Raw.expand(src, shape), dt), "CopyBackwards", of(t, src), of(),
                (g, c) -> new Tensor[] {c.needsInputGrad(0) ? TensorInternals.allocate(g.dtype(), TensorInternals.sizes(g)) : null, g}), false, src);
    }

    /** {@code fill_(value)} with a one-element tensor (or wrapped scalar). */
    public static Tensor fill_(Tensor self, Tensor value) {
        Args.notNull("fill_", "value", value);
        return fill_(self, value, value.isWrappedNumber() ? "FillBackward2" : "FillBackward3");
    }

    /** {@code zero_()}. */
    public static Tensor zero_(Tensor self) { return fill_(self, Arith.scalar(0L), "ZeroBackward0"); }

    private static Tensor fill_(Tensor self, Tensor value, String name) {
        if (value.dim() != 0)
            throw new IllegalArgumentException("fill_ only supports 0-dimension value tensor but got tensor with "
                    + value.dim() + " dimensions.");
        check(self, value);
        if (self.dtype() == DType.INT64 && value.isFloatingPoint()) {
            double v = value.item();
            if (!(v >= -0x1p63 && v < 0x1p63)) // NaN, infinities and out-of-range values have no int64
                throw new IllegalArgumentException("fill_: value cannot be converted to type int64_t without overflow");
        }
        if (!Autograd.shouldRecord(self, value)) {
            if (value.dtype() == DType.INT64) Copy.fill(strided(self), value.itemLong());
            else Copy.fill(strided(self), value.item());
            TensorInternals.bumpVersion(self);
            return self;
        }
        int[] shape = TensorInternals.sizes(self);
        DType dt = self.dtype();
        // Zero gradient to the overwritten values; the value gets the sum of the gradient.
        return apply(self, t -> record(Raw.copy(Raw.expand(value, shape), dt), name, of(t, value), of(),
                (g, c) -> new Tensor[] {c.needsInputGrad(0) ? TensorInternals.allocate(g.dtype(), TensorInternals.sizes(g)) : null,
                        c.needsInputGrad(1) ? g.sum() : null}), false, value);
    }

    private static void writeBack(Tensor self, Tensor r, boolean checkCast) {
        checkShape(self, TensorInternals.sizes(r));
        if (checkCast) checkCast(r.dtype(), self.dtype());
        Copy.copy(strided(self), strided(r));
        TensorInternals.bumpVersion(self);
    }

    private static void checkShape(Tensor self, int[] resultShape) {
        if (!Arrays.equals(TensorInternals.sizes(self), resultShape))
            throw new IllegalArgumentException("output with shape " + Shapes.str(TensorInternals.sizes(self))
                    + " doesn't match the broadcast shape " + Shapes.str(resultShape));
    }

    /** PyTorch's {@code canCast}: no float into an integer, nothing but bool into bool. */
    private static void checkCast(DType from, DType to) {
        boolean ok = !(from.isFloatingPoint() && !to.isFloatingPoint()) && !(from != DType.BOOL && to == DType.BOOL);
        if (!ok)
            throw new IllegalArgumentException("result type " + from.scalarTypeName() + " can't be cast to the desired output type "
                    + to.scalarTypeName());
    }


    /** Makes {@code self} the output of the graph that computed {@code r} (see the class comment). */
    private static void rebaseHistory(Tensor self, Tensor r) {
        Tensor base = self.base();
        if (base == null) {
            TensorInternals.setGradFn(self, r.gradFn());
            return;
        }
        int[] bSize = TensorInternals.sizes(base), bStride = TensorInternals.strides(base);
        int bOff = TensorInternals.offset(base);
        int[] vSize = TensorInternals.sizes(self), vStride = TensorInternals.strides(self);
        int vOff = TensorInternals.offset(self);
        int extent = base.storage().size();
        // The base: old values outside the view's region, r inside it.
        // Both gradients are linear in g (for create_graph: the region's transpose places it back in zeros,
        // the rest's is itself).
        UnaryOperator<Tensor> region = g -> {
            Tensor buf = TensorInternals.allocate(g.dtype(), new int[] {extent});
            Copy.copy(strided(TensorInternals.alias(buf, bSize, bStride, bOff)), strided(g));
            return Raw.copy(TensorInternals.alias(buf, vSize, vStride, vOff), g.dtype());
        };
        UnaryOperator<Tensor> placeRegion = gg -> {
            Tensor buf = TensorInternals.allocate(gg.dtype(), new int[] {extent});
            Copy.copy(strided(TensorInternals.alias(buf, vSize, vStride, vOff)), strided(gg));
            return Raw.copy(TensorInternals.alias(buf, bSize, bStride, bOff), gg.dtype());
        };
        UnaryOperator<Tensor> outsideRegion = g -> {
            Tensor buf = TensorInternals.allocate(g.dtype(), new int[] {extent});
            Tensor bufBase = TensorInternals.alias(buf, bSize, bStride, bOff);
            Copy.copy(strided(bufBase), strided(g));
            Copy.fill(strided(TensorInternals.alias(buf, vSize, vStride, vOff)), 0.0);
            return bufBase;
        };
        record(base, "CopySlices", of(base, r), of(), (g, c) -> new Tensor[] {
                c.needsInputGrad(0) ? Autograd.linear(g, "CopySlices", outsideRegion, "CopySlices", outsideRegion) : null,
                c.needsInputGrad(1) ? Autograd.linear(g, "AsStridedBackward0", region, "AsStridedBackward0", placeRegion) : null});
        recordViewOfBase(self);
    }

    /**
     * Makes {@code view}'s history "the region of its base's current value" (AsStridedBackward0):
     * after an in-place write, and for views made before a write to their base.
     */
    public static void recordViewOfBase(Tensor view) {
        Tensor base = view.base();
        int[] bSize = TensorInternals.sizes(base), bStride = TensorInternals.strides(base);
        int bOff = TensorInternals.offset(base);
        int[] vSize = TensorInternals.sizes(view), vStride = TensorInternals.strides(view);
        int vOff = TensorInternals.offset(view);
        int extent = base.storage().size();
        try (GradMode.Guard g = GradMode.set(true)) {
            // Linear in the gradient; its transpose (for create_graph) takes the view's region back out.
            record(view, "AsStridedBackward0", of(base), of(), (grad, c) -> new Tensor[] {Autograd.linear(grad,
                    "AsStridedBackwardBackward0", gr -> {
                Tensor buf = TensorInternals.allocate(gr.dtype(), new int[] {extent});
                Copy.copy(strided(TensorInternals.alias(buf, vSize, vStride, vOff)), strided(gr));
                return TensorInternals.alias(buf, bSize, bStride, bOff);
            }, "AsStridedBackward0", gg -> {
                Tensor buf = TensorInternals.allocate(gg.dtype(), new int[] {extent});
                Copy.copy(strided(TensorInternals.alias(buf, bSize, bStride, bOff)), strided(gg));
                return Raw.copy(TensorInternals.alias(buf, vSize, vStride, vOff), gg.dtype());
            })});
        }
    }
}
