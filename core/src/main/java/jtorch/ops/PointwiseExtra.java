package jtorch.ops;

import jtorch.DType;
import jtorch.Tensor;
import jtorch.Torch;
import jtorch.internal.TensorInternals;
import jtorch.kernels.ExtraPointwise;
import jtorch.kernels.PointwiseKernels;
import jtorch.ops.PointwiseUnary.Ints;

import static jtorch.autograd.Autograd.of;
import static jtorch.autograd.Autograd.record;

/**
 * Elementwise ops of issue #11: {@code atan2}, {@code lerp}, {@code nan_to_num} and the activations
 * {@code hardtanh softplus silu mish} (which {@code nn.functional} exposes). Forward in
 * {@link ExtraPointwise}; backward as in {@code derivatives.yaml}, in differentiable Tensor ops.
 */
public final class PointwiseExtra {
    private PointwiseExtra() {}

    private static Tensor operand(Tensor t, DType dtype, int[] shape) {
        return Raw.contiguous(Raw.expand(Raw.convert(t, dtype), shape));
    }

    /** ATen's C++ name of a dtype in messages ({@code float}, {@code double}, {@code long}, {@code bool}). */
    static String cppName(DType t) {
        switch (t) {
            case FLOAT32: return "float";
            case FLOAT64: return "double";
            case INT64: return "long";
            default: return "bool";
        }
    }

    private static void requireFloating(Tensor t, String kernel) {
        if (!t.isFloatingPoint())
            throw new IllegalArgumentException("\"" + kernel + "\" not implemented for '" + t.dtype().scalarTypeName() + "'");
    }

    /** {@code atan2(self, other)}, integer inputs computed in the default float dtype. d/da = g b / (a² + b²), d/db = -g a / (a² + b²). */
    public static Tensor atan2(Tensor a, Tensor b) { return ATAN2.apply(a, b); }

    private static final PointwiseBinary ATAN2 = PointwiseBinary.row("atan2", "Atan2Backward0", PointwiseKernels.ATAN2).grad(
            (g, x, y) -> g.mul(y).div(x.mul(x).add(y.mul(y))),
            (g, x, y) -> g.mul(x.neg()).div(x.mul(x).add(y.mul(y))));

    /** {@code lerp(end, weight)}: {@code self + weight (end - self)}; weight a Python float or a tensor. */
    public static Tensor lerp(Tensor start, Tensor end, Tensor weight) {
        Args.notNull("lerp", "end", end);
        Args.notNull("lerp", "weight", weight);
        if (!start.isFloatingPoint())
            throw new IllegalArgumentException("\"lerp_kernel_scalar\" not implemented for '" + start.dtype().scalarTypeName() + "'");
        if (end.dtype() != start.dtype())
            throw new IllegalArgumentException("expected dtype " + cppName(start.dtype()) + " for `end` but got dtype " + cppName(end.dtype()));
        boolean scalarWeight = weight.isWrappedNumber();
        if (!scalarWeight && weight.dtype() != start.dtype())
            throw new IllegalArgumentException("expected dtype " + cppName(start.dtype()) + " for `weight` but got dtype " + cppName(weight.dtype()));
        DType t = start.dtype();
        int[] shape = Shapes.broadcast(Shapes.broadcast(TensorInternals.sizes(start), TensorInternals.sizes(end)), TensorInternals.sizes(weight));
        Tensor out = TensorInternals.allocate(t, shape);
        Tensor s0 = operand(start, t, shape), e0 = operand(end, t, shape), w0 = operand(weight, t, shape);
        ExtraPointwise.lerp(out.storage().array(), TensorInternals.offset(out), s0.storage().array(), TensorInternals.offset(s0),
                e0.storage().array(), TensorInternals.offset(e0), w0.storage().array(), TensorInternals.offset(w0), (int) out.numel());
        if (scalarWeight) {
            double w = weight.item();
            return record(out, "LerpBackward0", of(start, end), of(), (g, c) -> new Tensor[] {g.mul(1 - w), g.mul(w)});
        }
        return record(out, "LerpBackward1", of(start, end, weight), of(start, end, weight), (g, c) -> {
            Tensor s = c.saved(0), e = c.saved(1), w = c.saved(2);
            return new Tensor[] {
                    c.needsInputGrad(0) ? g.mul(w.rsub(1.0)) : null,
                    c.needsInputGrad(1) ? g.mul(w) : null,
                    c.needsInputGrad(2) ? g.mul(e.sub(s)) : null};
        });
    }

    /**
     * {@code nan_to_num(nan, posinf, neginf)}: NaN, +inf and -inf replaced (null posinf/neginf: the
     * dtype's largest/lowest finite value). Integer and bool tensors are returned as copies.
     * d/dx = g where x is finite, else 0.
     */
    public static Tensor nanToNum(Tensor x, double nan, Double posinf, Double neginf) {
        if (!x.isFloatingPoint()) return x.clone();
        double max = x.dtype() == DType.FLOAT32 ? Float.MAX_VALUE : Double.MAX_VALUE;
        Tensor in = Raw.contiguous(x);
        Tensor out = TensorInternals.allocate(x.dtype(), TensorInternals.sizes(x));
        ExtraPointwise.unary(ExtraPointwise.Op.NAN_TO_NUM, out.storage().array(), 0, in.storage().array(), TensorInternals.offset(in),
                (int) in.numel(), nan, posinf == null ? max : posinf, neginf == null ? -max : neginf);
        return record(out, "NanToNumBackward0", of(x), of(x), (g, c) -> new Tensor[] {g.where(isfinite(c.saved(0)), 0.0)});
    }

    /** {@code isfinite}: bool, true for numbers that are neither infinite nor NaN (every int). */
    public static Tensor isfinite(Tensor x) {
        if (!x.isFloatingPoint()) return Torch.onesLike(x).to(DType.BOOL);
        return x.sub(x).eq(0.0); // inf - inf and NaN - NaN are NaN
    }

    /** {@code F.hardtanh(x, min_val, max_val)}: clamp to [min, max]. d/dx = g inside (min, max), 0 outside. */
    public static Tensor hardtanh(Tensor x, double min, double max) {
        if (x.dtype() == DType.BOOL) throw new IllegalArgumentException("Bool inputs not supported for hardtanh");
        if (!x.isFloatingPoint()) return Pointwise.clampIntegral(x, min, max); // hardtanh keeps an integer dtype
        return HARDTANH.apply(x, min, max);
    }

    private static final PointwiseParam HARDTANH = PointwiseParam.row("hardtanh", "HardtanhBackward0", PointwiseKernels::hardtanh)
            .grad((g, v, min, max) -> g.where(v.gt(min).mul(v.lt(max)), 0.0));

    /**
     * {@code F.softplus(x, beta, threshold)}: {@code log(1 + exp(beta x)) / beta}, or {@code x} where
     * {@code beta x > threshold}. d/dx = g sigmoid(beta x) there, g above the threshold.
     */
    public static Tensor softplus(Tensor x, double beta, double threshold) { return SOFTPLUS.apply(x, beta, threshold); }

    private static final PointwiseParam SOFTPLUS = PointwiseParam.row("softplus", "SoftplusBackward0", PointwiseKernels::softplus)
            .check((x, beta, threshold) -> requireFloating(x, "softplus_cpu"))
            .grad((g, v, beta, threshold) -> {
                Tensor z = v.mul(beta);
                return g.mul(z.sigmoid()).where(z.le(threshold), g);
            });

    /** {@code F.silu(x)}: {@code x sigmoid(x)}. d/dx = g s (1 + x (1 - s)), s = sigmoid(x). */
    public static Tensor silu(Tensor x) { return SILU.apply(x); }

    private static final PointwiseUnary SILU = PointwiseUnary.row("silu", "SiluBackward0", Ints.REFUSE, PointwiseKernels.SILU)
            .gradFromInput((g, v) -> {
                Tensor s = v.sigmoid();
                return g.mul(s.mul(v.mul(s.rsub(1.0)).add(1.0)));
            });

    /** {@code F.mish(x)}: {@code x tanh(softplus(x))}. d/dx = g (t + x sigmoid(x) (1 - t²)), t = tanh(softplus(x)). */
    public static Tensor mish(Tensor x) { return MISH.apply(x); }

    private static final PointwiseUnary MISH = PointwiseUnary.row("mish", "MishBackward0", Ints.REFUSE, PointwiseKernels.MISH)
            .gradFromInput((g, v) -> {
                Tensor t = softplus(v, 1, 20).tanh();
                return g.mul(t.add(v.mul(v.sigmoid()).mul(t.mul(t).rsub(1.0))));
            });

    // ------------------------------------------------------------------ rounding, modulo, logic

    /** {@code floor ceil round trunc} (zero gradient) and {@code frac} (gradient g); integers are returned as copies. */
    public static Tensor rounding(Tensor x, ExtraPointwise.Op op) {
        switch (op) {
            case FLOOR: return FLOOR.apply(x);
            case CEIL: return CEIL.apply(x);
            case ROUND: return ROUND.apply(x);
            case TRUNC: return TRUNC.apply(x);
            case FRAC: return FRAC.apply(x);
            default: throw new IllegalArgumentException(op + " is not a rounding op");
        }
    }

    private static final PointwiseUnary FLOOR = PointwiseUnary.row("floor", "FloorBackward0", Ints.COPY, PointwiseKernels.FLOOR)
            .gradFromNothing((g, none) -> g.mul(0.0));
    private static final PointwiseUnary CEIL = PointwiseUnary.row("ceil", "CeilBackward0", Ints.COPY, PointwiseKernels.CEIL)
            .gradFromNothing((g, none) -> g.mul(0.0));
    private static final PointwiseUnary ROUND = PointwiseUnary.row("round", "RoundBackward0", Ints.COPY, PointwiseKernels.ROUND)
            .gradFromNothing((g, none) -> g.mul(0.0));
    private static final PointwiseUnary TRUNC = PointwiseUnary.row("trunc", "TruncBackward0", Ints.COPY, PointwiseKernels.TRUNC)
            .gradFromNothing((g, none) -> g.mul(0.0));
    private static final PointwiseUnary FRAC = PointwiseUnary.row("frac", "FracBackward0", Ints.REFUSE, PointwiseKernels.FRAC)
            .gradFromNothing((g, none) -> g);

    /**
     * {@code remainder(a, b)} (Python's {@code %}: the sign of b) or {@code fmod(a, b)} (the sign of
     * a), broadcasting with type promotion. d/da = g; d/db = -g floor(a / b) (remainder) or
     * -g trunc(a / b) (fmod).
     */
    public static Tensor modulo(Tensor a, Tensor b, boolean remainder) { return (remainder ? REMAINDER : FMOD).apply(a, b); }

    private static PointwiseBinary.Check moduloCheck(String name) {
        return (a, b, t) -> {
            if (t == DType.BOOL) throw new IllegalArgumentException("\"" + name + "_cpu\" not implemented for 'Bool'");
            if (t == DType.INT64)
                for (long v : b.toLongArray()) if (v == 0) throw new IllegalArgumentException("ZeroDivisionError");
        };
    }

    /** Tensor other: RemainderBackward1; a Python number: RemainderBackward0 (ATen's Scalar overload, d/da = g only). */
    private static final PointwiseBinary REMAINDER = PointwiseBinary.row("remainder", "RemainderBackward1", PointwiseKernels.REMAINDER)
            .ints(PointwiseBinary.Ints.KEEP).check(moduloCheck("remainder"))
            .grad(PointwiseBinary.Reads.NONE, (g, x, y) -> g, PointwiseBinary.Reads.BOTH, (g, x, y) -> g.neg().mul(rounding(x.div(y), ExtraPointwise.Op.FLOOR)))
            .orForNumber(PointwiseBinary.row("remainder", "RemainderBackward0", PointwiseKernels.REMAINDER)
                    .ints(PointwiseBinary.Ints.KEEP).check(moduloCheck("remainder")).gradOfSum(0));
    private static final PointwiseBinary FMOD = PointwiseBinary.row("fmod", "FmodBackward1", PointwiseKernels.FMOD)
            .ints(PointwiseBinary.Ints.KEEP).check(moduloCheck("fmod"))
            .grad(PointwiseBinary.Reads.NONE, (g, x, y) -> g, PointwiseBinary.Reads.BOTH, (g, x, y) -> g.neg().mul(rounding(x.div(y), ExtraPointwise.Op.TRUNC)))
            .orForNumber(PointwiseBinary.row("fmod", "FmodBackward0", PointwiseKernels.FMOD)
                    .ints(PointwiseBinary.Ints.KEEP).check(moduloCheck("fmod")).gradOfSum(0));

    /** {@code logical_and/or/xor}: bool, nonzero is true. */
    public static Tensor logical(Tensor a, Tensor b, char op) {
        Args.notNull("logical", "other", b);
        Tensor x = a.dtype() == DType.BOOL ? a : a.ne(0.0), y = b.dtype() == DType.BOOL ? b : b.ne(0.0);
        switch (op) {
            case '&': return x.mul(y);
            case '|': return x.add(y);
            default: return x.ne(y);
        }
    }

    /** {@code any(dims, keepdim)} / {@code all(...)}: bool; no dims = all elements. */
    public static Tensor anyAll(Tensor x, int[] dims, boolean keepdim, boolean any) {
        Tensor hits = any ? x.ne(0.0) : x.eq(0.0);
        Tensor count = dims == null ? hits.sum() : hits.sum(dims, keepdim);
        return any ? count.gt(0.0) : count.eq(0.0);
    }
}
