package jtorch.ops;

import jtorch.DType;
import jtorch.Tensor;
import jtorch.internal.TensorInternals;
import jtorch.kernels.Copy;
import jtorch.kernels.Elementwise;

import static jtorch.autograd.Autograd.of;
import static jtorch.autograd.Autograd.record;
import static jtorch.internal.TensorInternals.strided;

/**
 * PyTorch's type promotion ({@link #resultType}, wrapped numbers) and the elementwise ops of more
 * than two operands (addcmul, addcdiv, where). The binary arithmetic and comparisons are
 * {@link PointwiseBinary} rows beside their Tensor methods.
 */
public final class Arith {
    private Arith() {}

    // ------------------------------------------------------------ scalars and promotion

    /** A Python float as an operand: a 0-dim float64 "wrapped number". */
    public static Tensor scalar(double v) {
        return TensorInternals.markWrappedNumber(TensorInternals.wrap(new double[] {v}, new int[0]));
    }

    /** A Python int as an operand. */
    public static Tensor scalar(long v) {
        return TensorInternals.markWrappedNumber(TensorInternals.wrap(new long[] {v}, new int[0]));
    }

    public static Tensor scalar(boolean v) {
        return TensorInternals.markWrappedNumber(TensorInternals.wrap(new boolean[] {v}, new int[0]));
    }

    /**
     * {@code torch.result_type}: dimensioned tensors take precedence over 0-dim tensors, which take
     * precedence over Python numbers, unless a lower tier is of a higher category (bool &lt; int &lt; float).
     */
    public static DType resultType(Tensor... operands) {
        DType dim = null, zero = null, wrapped = null;
        for (int i = 0; i < operands.length; i++) {
            Tensor t = operands[i];
            if (t == null) // every elementwise op promotes its operands here first
                throw new IllegalArgumentException("expected a Tensor as operand " + i + " of an elementwise op, but got null");
            DType d = t.dtype();
            if (t.isWrappedNumber()) {
                if (d.isFloatingPoint()) d = jtorch.Torch.getDefaultDtype();
                wrapped = wrapped == null ? d : DType.promote(wrapped, d);
            } else if (t.dim() == 0) zero = zero == null ? d : DType.promote(zero, d);
            else dim = dim == null ? d : DType.promote(dim, d);
        }
        return combine(dim, combine(zero, wrapped));
    }

    private static DType combine(DType higher, DType lower) {
        if (higher == null) return lower;
        if (lower == null) return higher;
        if (higher.isFloatingPoint()) return higher;
        if (higher == DType.BOOL || lower.isFloatingPoint()) return DType.promote(higher, lower);
        return higher;
    }

    // ------------------------------------------------------------ ops (the binary arithmetic and comparisons are rows in Tensor)

    /**
     * {@code addcmul(self, t1, t2, value)} = self + value t1 t2 (rounded as PyTorch's kernel) and
     * {@code addcdiv} = self + value t1 / t2, broadcasting all three.
     * d/dself = g; addcmul: d/dt1 = g value t2, d/dt2 = g value t1; addcdiv: d/dt1 = g value / t2,
     * d/dt2 = -g value t1 / t2².
     */
    public static Tensor addcmulOrDiv(Tensor self, Tensor t1, Tensor t2, double value, boolean divide) {
        DType t = resultType(self, t1, t2);
        if (!t.isFloatingPoint()) {
            if (divide)
                throw new IllegalArgumentException("Integer division with addcdiv is no longer supported, and in a future "
                        + "release addcdiv will perform a true division of tensor1 and tensor2. The historic addcdiv behavior "
                        + "can be implemented as (input + value * torch.trunc(tensor1 / tensor2)).to(input.dtype) for integer "
                        + "inputs and as (input + value * tensor1 / tensor2) for float inputs. The future addcdiv behavior is "
                        + "just the latter implementation: (input + value * tensor1 / tensor2), for all dtypes.");
            return self.add(t1.mul(t2).mul(scalar((long) value)));
        }
        int[] shape = Shapes.broadcast(TensorInternals.sizes(self), Shapes.broadcast(TensorInternals.sizes(t1), TensorInternals.sizes(t2)));
        Tensor out = TensorInternals.allocate(t, shape);
        Elementwise.ternary(divide, strided(out), strided(Raw.expand(Raw.convert(self, t), shape)), strided(Raw.expand(Raw.convert(t1, t), shape)),
                strided(Raw.expand(Raw.convert(t2, t), shape)), value);
        if (divide)
            return record(out, "AddcdivBackward0", of(self, t1, t2), of(t1, t2), (g, ctx) -> {
                Tensor a = ctx.saved(0), b = ctx.saved(1);
                return new Tensor[] {g,
                        ctx.needsInputGrad(1) ? g.mul(value).div(b) : null,
                        ctx.needsInputGrad(2) ? g.mul(-value).mul(a).div(b.mul(b)) : null};
            });
        return record(out, "AddcmulBackward0", of(self, t1, t2), of(t1, t2), (g, ctx) -> new Tensor[] {g,
                ctx.needsInputGrad(1) ? g.mul(value).mul(ctx.saved(1)) : null,
                ctx.needsInputGrad(2) ? g.mul(value).mul(ctx.saved(0)) : null});
    }

    /** {@code torch.where(cond, a, b)}. d/da = g where cond, d/db = g where not cond. */
    public static Tensor where(Tensor cond, Tensor a, Tensor b) {
        Args.notNull("where", "condition", cond);
        Args.notNull("where", "input", a);
        Args.notNull("where", "other", b);
        if (cond.dtype() != DType.BOOL)
            throw new IllegalArgumentException("where expected condition to be a boolean tensor, but got a tensor with dtype "
                    + cond.dtype().scalarTypeName());
        DType t = resultType(a, b);
        int[] shape = Shapes.broadcast(TensorInternals.sizes(cond), Shapes.broadcast(TensorInternals.sizes(a), TensorInternals.sizes(b)));
        Tensor out = TensorInternals.allocate(t, shape);
        Copy.where(strided(out), strided(Raw.expand(cond, shape)), strided(Raw.expand(Raw.convert(a, t), shape)), strided(Raw.expand(Raw.convert(b, t), shape)));
        return record(out, "WhereBackward0", of(cond, a, b), of(cond), (g, ctx) -> {
            Tensor c = ctx.saved(0);
            Tensor zero = Arith.scalar(0.0);
            return new Tensor[] {null,
                    ctx.needsInputGrad(1) ? g.where(c, zero) : null,
                    ctx.needsInputGrad(2) ? where(c, zero, g) : null};
        });
    }
}
