package jtorch.ops;

import jtorch.DType;
import jtorch.Tensor;
import jtorch.kernels.BinaryOp;
import jtorch.kernels.Copy;
import jtorch.kernels.Elementwise;

import static jtorch.autograd.Autograd.of;
import static jtorch.autograd.Autograd.record;

/**
 * Binary elementwise ops with broadcasting and PyTorch's type promotion: forward (a kernel call),
 * backward rule and shape rule of each, side by side. Broadcasting is undone for every op in one
 * place (the autograd node reduces each gradient to its input's shape).
 */
public final class Arith {
    private Arith() {}

    // ------------------------------------------------------------ scalars and promotion

    /** A Python float as an operand: a 0-dim float64 "wrapped number". */
    public static Tensor scalar(double v) {
        return Tensor.wrap(new double[] {v}, new int[0]).markWrappedNumber();
    }

    /** A Python int as an operand. */
    public static Tensor scalar(long v) {
        return Tensor.wrap(new long[] {v}, new int[0]).markWrappedNumber();
    }

    public static Tensor scalar(boolean v) {
        return Tensor.wrap(new boolean[] {v}, new int[0]).markWrappedNumber();
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

    /** Runs a binary kernel: broadcast, convert both operands to {@code compute}, write a new {@code outType} tensor. */
    static Tensor forward(BinaryOp op, Tensor a, Tensor b, double alpha, DType compute, DType outType) {
        int[] shape = Shapes.broadcast(a.sizesInternal(), b.sizesInternal());
        Tensor out = Tensor.allocate(outType, shape);
        Elementwise.binary(op, out, Raw.expand(Raw.convert(a, compute), shape), Raw.expand(Raw.convert(b, compute), shape), alpha);
        return out;
    }

    // ------------------------------------------------------------ ops

    /** {@code a + alpha * b}. d/da = g, d/db = alpha g. */
    public static Tensor add(Tensor a, Tensor b, double alpha) {
        DType t = resultType(a, b);
        if (t == DType.BOOL) return forward(BinaryOp.ADD, a, b, alpha, DType.INT64, DType.INT64).to(DType.BOOL);
        checkAlpha("add", t, alpha);
        Tensor out = forward(BinaryOp.ADD, a, b, alpha, t, t);
        return record(out, "AddBackward0", of(a, b), of(), (g, ctx) -> new Tensor[] {g, alpha == 1 ? g : g.mul(alpha)});
    }

    /** {@code a - alpha * b}. d/da = g, d/db = -alpha g. */
    public static Tensor sub(Tensor a, Tensor b, double alpha) { return sub(a, b, alpha, "SubBackward0"); }

    /** {@code other - self} ({@code torch.rsub(self, other)}; PyTorch names the node RsubBackward0/1). */
    public static Tensor rsub(Tensor self, Tensor other) {
        return sub(other, self, 1, other.isWrappedNumber() ? "RsubBackward1" : "RsubBackward0");
    }

    private static Tensor sub(Tensor a, Tensor b, double alpha, String name) {
        DType t = resultType(a, b);
        if (a.dtype() == DType.BOOL && b.dtype() == DType.BOOL)
            throw new IllegalArgumentException("Subtraction, the `-` operator, with two bool tensors is not supported. "
                    + "Use the `^` or `logical_xor()` operator instead.");
        if (a.dtype() == DType.BOOL || b.dtype() == DType.BOOL)
            throw new IllegalArgumentException("Subtraction, the `-` operator, with a bool tensor is not supported. "
                    + "If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.");
        checkAlpha("sub", t, alpha);
        Tensor out = forward(BinaryOp.SUB, a, b, alpha, t, t);
        return record(out, name, of(a, b), of(), (g, ctx) -> new Tensor[] {g, g.mul(-alpha)});
    }

    private static void checkAlpha(String op, DType t, double alpha) {
        if (!t.isFloatingPoint() && alpha != Math.rint(alpha))
            throw new IllegalArgumentException("For integral input tensors, argument alpha must not be a floating point number.");
    }

    /** {@code a * b}. d/da = g b, d/db = g a. */
    public static Tensor mul(Tensor a, Tensor b) {
        DType t = resultType(a, b);
        if (t == DType.BOOL) return forward(BinaryOp.MUL, a, b, 1, DType.INT64, DType.INT64).to(DType.BOOL);
        Tensor out = forward(BinaryOp.MUL, a, b, 1, t, t);
        return record(out, "MulBackward0", of(a, b), of(a, b), (g, ctx) -> new Tensor[] {
                ctx.needsInputGrad(0) ? g.mul(ctx.saved(1)) : null,
                ctx.needsInputGrad(1) ? g.mul(ctx.saved(0)) : null});
    }

    /** True division {@code a / b}. d/da = g / b, d/db = -g a / b². */
    public static Tensor div(Tensor a, Tensor b) {
        DType t = resultType(a, b);
        if (!t.isFloatingPoint()) t = jtorch.Torch.getDefaultDtype();
        Tensor out = forward(BinaryOp.DIV, a, b, 1, t, t);
        return record(out, "DivBackward0", of(a, b), of(a, b), (g, ctx) -> {
            Tensor bb = ctx.saved(1);
            return new Tensor[] {
                    ctx.needsInputGrad(0) ? g.div(bb) : null,
                    ctx.needsInputGrad(1) ? g.neg().mul(ctx.saved(0)).div(bb.mul(bb)) : null};
        });
    }

    /** {@code a ** b} for tensor exponents. d/da = g b a^(b-1); d/db = g a^b log a (0 where a = 0 and b >= 0). */
    public static Tensor pow(Tensor a, Tensor b) {
        DType t = resultType(a, b);
        if (t == DType.BOOL) throw new IllegalArgumentException("\"pow\" not implemented for 'Bool'");
        Tensor out = forward(BinaryOp.POW, a, b, 1, t, t);
        return record(out, "PowBackward1", of(a, b), of(a, b, out), (g, ctx) -> {
            Tensor x = ctx.saved(0), e = ctx.saved(1);
            Tensor ga = null, gb = null;
            if (ctx.needsInputGrad(0)) ga = g.mul(e).mul(x.pow(e.sub(1L)));
            if (ctx.needsInputGrad(1)) {
                Tensor term = ctx.saved(2).mul(x.log());
                Tensor zeroBase = x.eq(0.0).mul(e.ge(0.0)); // 0^b has zero slope in b for b >= 0
                gb = g.mul(term.where(zeroBase.logicalNot(), 0.0));
            }
            return new Tensor[] {ga, gb};
        });
    }

    /** Elementwise max; the gradient is split evenly on ties, as PyTorch does. */
    public static Tensor maximum(Tensor a, Tensor b) { return extremum(a, b, true); }

    public static Tensor minimum(Tensor a, Tensor b) { return extremum(a, b, false); }

    private static Tensor extremum(Tensor a, Tensor b, boolean max) {
        DType t = resultType(a, b);
        if (t == DType.BOOL) return forward(max ? BinaryOp.MAXIMUM : BinaryOp.MINIMUM, a, b, 1, DType.INT64, DType.INT64).to(DType.BOOL);
        Tensor out = forward(max ? BinaryOp.MAXIMUM : BinaryOp.MINIMUM, a, b, 1, t, t);
        return record(out, max ? "MaximumBackward0" : "MinimumBackward0", of(a, b), of(a, b), (g, ctx) -> {
            Tensor x = ctx.saved(0), y = ctx.saved(1);
            Tensor shared = g.where(x.ne(y), g.mul(0.5));
            Tensor zero = Arith.scalar(0.0);
            return new Tensor[] {
                    ctx.needsInputGrad(0) ? shared.where(max ? x.ge(y) : x.le(y), zero) : null,
                    ctx.needsInputGrad(1) ? shared.where(max ? y.ge(x) : y.le(x), zero) : null};
        });
    }

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
            return add(self, mul(mul(t1, t2), scalar((long) value)), 1);
        }
        int[] shape = Shapes.broadcast(self.sizesInternal(), Shapes.broadcast(t1.sizesInternal(), t2.sizesInternal()));
        Tensor out = Tensor.allocate(t, shape);
        Elementwise.ternary(divide, out, Raw.expand(Raw.convert(self, t), shape), Raw.expand(Raw.convert(t1, t), shape),
                Raw.expand(Raw.convert(t2, t), shape), value);
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

    /** A comparison; bool result, no gradient. */
    public static Tensor compare(BinaryOp op, Tensor a, Tensor b) {
        DType t = resultType(a, b);
        return forward(op, a, b, 1, t, DType.BOOL);
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
        int[] shape = Shapes.broadcast(cond.sizesInternal(), Shapes.broadcast(a.sizesInternal(), b.sizesInternal()));
        Tensor out = Tensor.allocate(t, shape);
        Copy.where(out, Raw.expand(cond, shape), Raw.expand(Raw.convert(a, t), shape), Raw.expand(Raw.convert(b, t), shape));
        return record(out, "WhereBackward0", of(cond, a, b), of(cond), (g, ctx) -> {
            Tensor c = ctx.saved(0);
            Tensor zero = Arith.scalar(0.0);
            return new Tensor[] {null,
                    ctx.needsInputGrad(1) ? g.where(c, zero) : null,
                    ctx.needsInputGrad(2) ? where(c, zero, g) : null};
        });
    }
}
