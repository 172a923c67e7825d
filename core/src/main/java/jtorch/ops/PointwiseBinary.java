package jtorch.ops;

import jtorch.DType;
import jtorch.Tensor;
import jtorch.Torch;
import jtorch.kernels.BinaryKernel;
import jtorch.kernels.PointwiseLoop;

import static jtorch.autograd.Autograd.of;
import static jtorch.autograd.Autograd.record;

/**
 * One row of the pointwise op table for a binary op (see {@link PointwiseUnary}): its PyTorch
 * name, node name, integer policy, kernel (a {@link BinaryKernel}) and the two partial
 * derivatives in differentiable Tensor ops. {@link #apply} broadcasts, promotes the operands'
 * dtypes as {@code torch.result_type} does, runs the kernel through {@link PointwiseLoop} and
 * records the node (which sums each gradient back to its input's shape).
 *
 * <pre>{@code
 * static final PointwiseBinary ATAN2 = PointwiseBinary.row("atan2", "Atan2Backward0", PointwiseKernels.ATAN2)
 *         .grad((g, a, b) -> g.mul(b).div(a.mul(a).add(b.mul(b))), (g, a, b) -> g.mul(a.neg()).div(a.mul(a).add(b.mul(b))));
 * Tensor z = ATAN2.apply(y, x);
 * }</pre>
 */
public final class PointwiseBinary {
    /** One partial derivative: the gradient of one input from {@code g} and both (saved) inputs. */
    @FunctionalInterface
    public interface Partial {
        Tensor apply(Tensor g, Tensor a, Tensor b);
    }

    private final String name, node;
    private final BinaryKernel kernel;
    private final Partial da, db;

    private PointwiseBinary(String name, String node, BinaryKernel kernel, Partial da, Partial db) {
        this.name = name;
        this.node = node;
        this.kernel = kernel;
        this.da = da;
        this.db = db;
    }

    /**
     * A row of a floating op (integer and bool operands are computed in the default float dtype,
     * as {@code torch.atan2(int64, int64) -> float32}); give its derivatives with {@link #grad}.
     */
    public static PointwiseBinary row(String name, String node, BinaryKernel kernel) {
        return new PointwiseBinary(name, node, kernel, null, null);
    }

    /** The same row with d/da and d/db (each computed only when that input needs a gradient; both inputs are saved). */
    public PointwiseBinary grad(Partial da, Partial db) { return new PointwiseBinary(name, node, kernel, da, db); }

    /** PyTorch's name of the op. */
    public String name() { return name; }

    /** {@code op(a, b)} with broadcasting and type promotion, recorded for autograd. */
    public Tensor apply(Tensor a, Tensor b) {
        Args.notNull(name, "other", b);
        if (da == null) throw new IllegalStateException(name + ": the op table row has no derivative");
        DType t = Arith.resultType(a, b);
        if (!t.isFloatingPoint()) t = Torch.getDefaultDtype();
        int[] shape = Shapes.broadcast(a.sizesInternal(), b.sizesInternal());
        Tensor out = Tensor.allocate(t, shape);
        Tensor x = Raw.expand(Raw.convert(a, t), shape), y = Raw.expand(Raw.convert(b, t), shape);
        PointwiseLoop.binary(kernel, out.storage().array(), out.storageOffsetInternal(), x.storage().array(), x.storageOffsetInternal(),
                x.stridesInternal(), y.storage().array(), y.storageOffsetInternal(), y.stridesInternal(), shape);
        Partial pa = da, pb = db;
        return record(out, node, of(a, b), of(a, b), (g, c) -> new Tensor[] {
                c.needsInputGrad(0) ? pa.apply(g, c.saved(0), c.saved(1)) : null,
                c.needsInputGrad(1) ? pb.apply(g, c.saved(0), c.saved(1)) : null});
    }
}
