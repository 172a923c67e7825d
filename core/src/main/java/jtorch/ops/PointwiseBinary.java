package jtorch.ops;

import java.util.function.DoubleFunction;

import jtorch.DType;
import jtorch.Tensor;
import jtorch.Torch;
import jtorch.internal.TensorInternals;
import jtorch.kernels.BinaryKernel;
import jtorch.kernels.CompareKernel;
import jtorch.kernels.PointwiseLoop;

import static jtorch.autograd.Autograd.of;
import static jtorch.autograd.Autograd.record;

/**
 * One row of the pointwise op table for a binary op (see {@link PointwiseUnary}): its PyTorch
 * name, node name, integer policy ({@link Ints}), kernel (a {@link BinaryKernel}, or a
 * {@link CompareKernel} for a comparison) and its derivative in differentiable Tensor ops.
 * {@link #apply} broadcasts, promotes the operands' dtypes as {@code torch.result_type} does (a
 * Python number is a wrapped number: {@code int64 + 2.5} is float32, {@code float32 + 2} stays
 * float32), runs the kernel through {@link PointwiseLoop} and records the node (which sums each
 * gradient back to its input's shape); {@link #applyInPlace} is the op's {@code add_} form.
 *
 * <pre>{@code
 * static final PointwiseBinary ATAN2 = PointwiseBinary.row("atan2", "Atan2Backward0", PointwiseKernels.ATAN2)
 *         .grad((g, a, b) -> g.mul(b).div(a.mul(a).add(b.mul(b))), (g, a, b) -> g.mul(a.neg()).div(a.mul(a).add(b.mul(b))));
 * Tensor z = ATAN2.apply(y, x);
 * static final PointwiseBinary LT = PointwiseBinary.comparison("lt", PointwiseKernels.LT);   // bool, no gradient
 * }</pre>
 */
public final class PointwiseBinary {
    /** One partial derivative: the gradient of one input from {@code g} and both (saved) inputs. */
    @FunctionalInterface
    public interface Partial {
        Tensor apply(Tensor g, Tensor a, Tensor b);
    }

    /** One partial derivative that also reads the (saved) result {@code y} (pow: {@code d/db = g y log a}). */
    @FunctionalInterface
    public interface PartialOfResult {
        Tensor apply(Tensor g, Tensor a, Tensor b, Tensor y);
    }

    /** A check of the operands before anything is computed (PyTorch's refusals: bool subtraction, bool pow). */
    @FunctionalInterface
    public interface Check {
        void check(Tensor a, Tensor b, DType resultType);
    }

    /**
     * Which saved inputs a partial reads: only those are unpacked (so an in-place change to the
     * other one is no error, as PyTorch saves {@code self} for {@code mul}'s d/dother only).
     */
    public enum Reads {
        NONE, A, B, BOTH;

        boolean a() { return this == A || this == BOTH; }

        boolean b() { return this == B || this == BOTH; }
    }

    /** What an op does with integer and bool operands. */
    public enum Ints {
        /** Computes them in the default float dtype ({@code torch.div(int64, int64) -> float32}). */
        TO_FLOAT,
        /** int64 through the kernel's int64 loop; bool as int64, converted back to bool (add, mul, maximum: {@code True + True} is True). */
        KEEP
    }

    private enum Grad { NONE, SUM, INPUTS, INPUTS_AND_RESULT }

    private final String name, node;
    private final Ints ints;
    private final DoubleFunction<BinaryKernel> kernel; // of alpha; rows without alpha ignore it
    private final CompareKernel compare;
    private final Check check;
    private final Grad grad;
    private final double sign; // SUM rows: d/db = sign * alpha * g
    private final Partial da, db;
    private final Reads readsA, readsB;
    private final PartialOfResult rb;
    private PointwiseBinary forNumber; // set once, right after construction, by orForNumber

    private PointwiseBinary(String name, String node, Ints ints, DoubleFunction<BinaryKernel> kernel, CompareKernel compare, Check check,
                            Grad grad, double sign, Partial da, Reads readsA, Partial db, Reads readsB, PartialOfResult rb) {
        this.name = name;
        this.node = node;
        this.ints = ints;
        this.kernel = kernel;
        this.compare = compare;
        this.check = check;
        this.grad = grad;
        this.sign = sign;
        this.da = da;
        this.db = db;
        this.readsA = readsA;
        this.readsB = readsB;
        this.rb = rb;
    }

    /**
     * A row of a floating op (integer and bool operands are computed in the default float dtype,
     * as {@code torch.atan2(int64, int64) -> float32}); give its derivatives with {@link #grad}.
     */
    public static PointwiseBinary row(String name, String node, BinaryKernel kernel) {
        return new PointwiseBinary(name, node, Ints.TO_FLOAT, alpha -> kernel, null, null, Grad.NONE, 0, null, null, null, null, null);
    }

    /** A row whose kernel depends on PyTorch's {@code alpha} ({@code add}: {@code a + alpha * b}); integer alphas only for integer results. */
    public static PointwiseBinary rowWithAlpha(String name, String node, DoubleFunction<BinaryKernel> kernelOfAlpha) {
        return new PointwiseBinary(name, node, Ints.TO_FLOAT, kernelOfAlpha, null, null, Grad.NONE, 0, null, null, null, null, null);
    }

    /** A comparison: a {@code bool} result in the operands' promoted dtype, no gradient ({@code torch.lt}). */
    public static PointwiseBinary comparison(String name, CompareKernel kernel) {
        return new PointwiseBinary(name, null, Ints.KEEP, null, kernel, null, Grad.NONE, 0, null, null, null, null, null);
    }

    /** The same row with integer policy {@code ints}. */
    public PointwiseBinary ints(Ints ints) { return new PointwiseBinary(name, node, ints, kernel, compare, check, grad, sign, da, readsA, db, readsB, rb); }

    /** The same row refusing some operands before computing ({@code check} throws PyTorch's message). */
    public PointwiseBinary check(Check check) { return new PointwiseBinary(name, node, ints, kernel, compare, check, grad, sign, da, readsA, db, readsB, rb); }

    /** The same row under another node name (rsub: {@code RsubBackward1}). */
    public PointwiseBinary node(String node) { return new PointwiseBinary(name, node, ints, kernel, compare, check, grad, sign, da, readsA, db, readsB, rb); }

    /**
     * A row that is two ATen overloads: {@code numberRow} when {@code other} is a Python number
     * (remainder's {@code RemainderBackward0}, the Scalar overload), this one for a tensor. Call it last (the other
     * builders do not carry it over).
     */
    public PointwiseBinary orForNumber(PointwiseBinary numberRow) {
        PointwiseBinary r = new PointwiseBinary(name, node, ints, kernel, compare, check, grad, sign, da, readsA, db, readsB, rb);
        r.forNumber = numberRow;
        return r;
    }

    /** The same row with d/da and d/db, each reading both inputs (each computed only when that input needs a gradient; both are saved). */
    public PointwiseBinary grad(Partial da, Partial db) { return grad(Reads.BOTH, da, Reads.BOTH, db); }

    /** As {@link #grad(Partial, Partial)}, each partial reading only the inputs named (the others are passed as null). */
    public PointwiseBinary grad(Reads readsA, Partial da, Reads readsB, Partial db) {
        return new PointwiseBinary(name, node, ints, kernel, compare, check, Grad.INPUTS, 0, da, readsA, db, readsB, null);
    }

    /** The same row with a d/db that also reads the result (saved with both inputs, as PowBackward1); d/da reads both inputs. */
    public PointwiseBinary gradOfResult(Partial da, PartialOfResult db) {
        return new PointwiseBinary(name, node, ints, kernel, compare, check, Grad.INPUTS_AND_RESULT, 0, da, Reads.BOTH, null, null, db);
    }

    /** The same row with the derivative of {@code a + sign * alpha * b}: d/da = g, d/db = sign alpha g; nothing saved. */
    public PointwiseBinary gradOfSum(double sign) {
        return new PointwiseBinary(name, node, ints, kernel, compare, check, Grad.SUM, sign, null, null, null, null, null);
    }

    /** PyTorch's name of the op. */
    public String name() { return name; }

    /** {@code op(a, b)} with broadcasting and type promotion, recorded for autograd. */
    public Tensor apply(Tensor a, Tensor b) { return apply(a, b, 1); }

    /** {@code op(a, b, alpha=alpha)} (add, sub), recorded for autograd. */
    public Tensor apply(Tensor a, Tensor b, double alpha) {
        if (b == null) throw new IllegalArgumentException(name + ": expected a Tensor as operand 1 of an elementwise op, but got null");
        if (forNumber != null && b.isWrappedNumber()) return forNumber.apply(a, b, alpha);
        DType t = Arith.resultType(a, b);
        if (check != null) check.check(a, b, t);
        if (compare != null) return compareForward(a, b, t);
        if (grad == Grad.NONE) throw new IllegalStateException(name + ": the op table row has no derivative");
        if (alpha != 1 && !t.isFloatingPoint() && alpha != Math.rint(alpha))
            throw new IllegalArgumentException("For integral input tensors, argument alpha must not be a floating point number.");
        if (t == DType.BOOL && ints == Ints.KEEP) return forward(a, b, alpha, DType.INT64).to(DType.BOOL);
        Tensor out = forward(a, b, alpha, computeType(t));
        switch (grad) {
            case SUM: {
                double factor = sign * alpha;
                return record(out, node, of(a, b), of(), (g, c) -> new Tensor[] {g, factor == 1 ? g : g.mul(factor)});
            }
            case INPUTS: {
                Partial pa = da, pb = db;
                Reads qa = readsA, qb = readsB;
                return record(out, node, of(a, b), of(a, b), (g, c) -> new Tensor[] {
                        c.needsInputGrad(0) ? pa.apply(g, qa.a() ? c.saved(0) : null, qa.b() ? c.saved(1) : null) : null,
                        c.needsInputGrad(1) ? pb.apply(g, qb.a() ? c.saved(0) : null, qb.b() ? c.saved(1) : null) : null});
            }
            default: {
                Partial pa = da;
                PartialOfResult pb = rb;
                return record(out, node, of(a, b), of(a, b, out), (g, c) -> new Tensor[] {
                        c.needsInputGrad(0) ? pa.apply(g, c.saved(0), c.saved(1)) : null,
                        c.needsInputGrad(1) ? pb.apply(g, c.saved(0), c.saved(1), c.saved(2)) : null});
            }
        }
    }

    /** The dtype the kernel computes in for operands of result type {@code t}. */
    DType computeType(DType t) { return t.isFloatingPoint() || ints == Ints.KEEP ? t : Torch.getDefaultDtype(); }

    /** Whether the backward reads the inputs (an in-place op must then not overwrite its input before it is saved). */
    boolean savesInputs() { return grad == Grad.INPUTS || grad == Grad.INPUTS_AND_RESULT; }

    /** A fresh dense {@code compute} tensor {@code op(a, b)} (not recorded). */
    private Tensor forward(Tensor a, Tensor b, double alpha, DType compute) {
        int[] shape = Shapes.broadcast(TensorInternals.sizes(a), TensorInternals.sizes(b));
        Tensor out = TensorInternals.allocate(compute, shape);
        into(out, a, b, alpha, compute, shape);
        return out;
    }

    /** Writes {@code op(a, b)} into the dense {@code out} of dtype {@code compute} and sizes {@code shape} (the broadcast shape). */
    void into(Tensor out, Tensor a, Tensor b, double alpha, DType compute, int[] shape) {
        Tensor x = Raw.expand(Raw.convert(a, compute), shape), y = Raw.expand(Raw.convert(b, compute), shape);
        PointwiseLoop.binary(kernel.apply(alpha), out.storage().array(), TensorInternals.offset(out), x.storage().array(),
                TensorInternals.offset(x), TensorInternals.strides(x), y.storage().array(), TensorInternals.offset(y), TensorInternals.strides(y), shape);
    }

    private Tensor compareForward(Tensor a, Tensor b, DType t) {
        int[] shape = Shapes.broadcast(TensorInternals.sizes(a), TensorInternals.sizes(b));
        Tensor out = TensorInternals.allocate(DType.BOOL, shape);
        Tensor x = Raw.expand(Raw.convert(a, t), shape), y = Raw.expand(Raw.convert(b, t), shape);
        PointwiseLoop.compare(compare, out.storage().bool(), TensorInternals.offset(out), x.storage().array(), TensorInternals.offset(x),
                TensorInternals.strides(x), y.storage().array(), TensorInternals.offset(y), TensorInternals.strides(y), shape);
        return out;
    }

    /**
     * {@code self.op_(other, alpha=alpha)} ({@code add_}, {@code mul_}): {@code other} broadcasts to
     * {@code self}'s shape, the result type must be castable to {@code self}'s dtype (PyTorch's
     * {@code result type Float can't be cast to the desired output type Long}), the version counter
     * is bumped; recorded as the out-of-place op written into {@code self}.
     */
    public Tensor applyInPlace(Tensor self, Tensor other, double alpha) {
        if (other == null) throw new IllegalArgumentException(name + "_: expected a Tensor as operand 1 of an elementwise op, but got null");
        return InPlace.binary(self, this, other, alpha);
    }
}
