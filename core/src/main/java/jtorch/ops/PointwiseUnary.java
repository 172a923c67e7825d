package jtorch.ops;

import jtorch.DType;
import jtorch.Tensor;
import jtorch.Torch;
import jtorch.internal.TensorInternals;
import jtorch.kernels.PointwiseLoop;
import jtorch.kernels.UnaryKernel;

import static jtorch.autograd.Autograd.of;
import static jtorch.autograd.Autograd.record;

/**
 * One row of the pointwise op table: a unary op as PyTorch defines it, declared in one
 * expression. The row names the op ({@code "sinh"}, for messages), its autograd node
 * ({@code "SinhBackward0"}), what it does with integer and bool inputs ({@link Ints}), its kernel
 * (a {@link UnaryKernel}: the float32 and float64 loops over one contiguous run) and its derivative
 * in differentiable Tensor ops, as in PyTorch's {@code derivatives.yaml}. {@link #apply} then does
 * the rest for every op alike: dtype conversion, the strided and parallel walk
 * ({@link PointwiseLoop}), and the autograd record.
 *
 * <pre>{@code
 * // In Tensor: the row and the public method that applies it.
 * private static final PointwiseUnary SINH = PointwiseUnary.row("sinh", "SinhBackward0", Ints.TO_FLOAT, PointwiseKernels.SINH)
 *         .gradFromInput((g, x) -> g.mul(x.cosh()));
 * public Tensor sinh() { return SINH.apply(this); }
 * }</pre>
 */
public final class PointwiseUnary {
    /** What an op does with an integer or bool input. */
    public enum Ints {
        /** Computes it in the default float dtype (exp, sin, sqrt: {@code torch.exp(int64) -> float32}). */
        TO_FLOAT,
        /** Refuses it: {@code "silu_cpu" not implemented for 'Long'} (the row's {@code cpuName}). */
        REFUSE,
        /** Returns a copy of an int64 input (floor, ceil, round, trunc) and refuses bool. */
        COPY,
        /**
         * Computes int64 through the kernel's int64 loop (neg, abs, sign, relu keep int64); bool is
         * refused with the row's {@link #boolRefusal} message, or returned as a copy after
         * {@link #boolIsItself} (sign).
         */
        KEEP
    }

    /** The derivative: the input's gradient from the incoming gradient {@code g} and the saved tensor (the input or the output). */
    @FunctionalInterface
    public interface Derivative {
        Tensor apply(Tensor g, Tensor saved);
    }

    private enum Saves { INPUT, OUTPUT, NOTHING }

    private final String name, node, cpuName;
    private String boolMessage; // KEEP rows: the refusal of bool (null: ATen's "<name>_cpu" not implemented); set once, at the row's definition
    private boolean boolIsItself;
    private final Ints ints;
    private final UnaryKernel kernel;
    private final Saves saves;
    private final Derivative derivative;

    private PointwiseUnary(String name, String node, String cpuName, Ints ints, UnaryKernel kernel, Saves saves, Derivative derivative) {
        this.name = name;
        this.node = node;
        this.cpuName = cpuName;
        this.ints = ints;
        this.kernel = kernel;
        this.saves = saves;
        this.derivative = derivative;
    }

    /**
     * A row without its derivative yet: give it with {@link #gradFromInput}, {@link #gradFromOutput}
     * or {@link #gradFromNothing}. {@code name} is PyTorch's ({@code torch.<name>}); refusals name
     * the kernel {@code <name>_cpu} as ATen does.
     */
    public static PointwiseUnary row(String name, String node, Ints ints, UnaryKernel kernel) {
        return new PointwiseUnary(name, node, name + "_cpu", ints, kernel, Saves.NOTHING, null);
    }

    /** The same row with the derivative {@code d(g, x)}, {@code x} the input (saved for backward). */
    public PointwiseUnary gradFromInput(Derivative d) { return with(Saves.INPUT, d); }

    /** The same row with the derivative {@code d(g, y)}, {@code y} the output (saved for backward: exp, sqrt, tanh). */
    public PointwiseUnary gradFromOutput(Derivative d) { return with(Saves.OUTPUT, d); }

    /** The same row with a derivative of {@code g} alone ({@code saved} is null): nothing saved. */
    public PointwiseUnary gradFromNothing(Derivative d) { return with(Saves.NOTHING, d); }

    private PointwiseUnary with(Saves saves, Derivative d) {
        PointwiseUnary r = new PointwiseUnary(name, node, cpuName, ints, kernel, saves, d);
        r.boolMessage = boolMessage;
        r.boolIsItself = boolIsItself;
        return r;
    }

    /** The same row refusing bool inputs with PyTorch's {@code message} (neg: "Negation, the `-` operator, on a bool tensor ..."). */
    public PointwiseUnary boolRefusal(String message) {
        PointwiseUnary r = new PointwiseUnary(name, node, cpuName, ints, kernel, saves, derivative);
        r.boolMessage = message;
        return r;
    }

    /** The same row returning a bool input as it is (a copy, no gradient: {@code sign} of a bool is itself). */
    public PointwiseUnary boolIsItself() {
        PointwiseUnary r = new PointwiseUnary(name, node, cpuName, ints, kernel, saves, derivative);
        r.boolIsItself = true;
        return r;
    }

    /** PyTorch's name of the op. */
    public String name() { return name; }

    /** The autograd node's name. */
    public String node() { return node; }

    /** {@code op(x)}, recorded for autograd. */
    public Tensor apply(Tensor x) {
        Args.notNull(name, "input", x);
        if (derivative == null) throw new IllegalStateException(name + ": the op table row has no derivative");
        Tensor in = x;
        if (!x.isFloatingPoint()) {
            switch (ints) {
                case TO_FLOAT: in = Raw.convert(x, Torch.getDefaultDtype()); break;
                case KEEP:
                    if (x.dtype() != DType.BOOL) break;
                    if (boolIsItself) return Raw.copy(x, DType.BOOL);
                    if (boolMessage != null) throw new IllegalArgumentException(boolMessage);
                    throw new IllegalArgumentException("\"" + cpuName + "\" not implemented for 'Bool'");
                case COPY: if (x.dtype() != DType.BOOL) return x.clone(); // fall through: bool is refused
                default: throw new IllegalArgumentException("\"" + cpuName + "\" not implemented for '" + x.dtype().scalarTypeName() + "'");
            }
        }
        Tensor y = TensorInternals.allocate(in.dtype(), TensorInternals.sizes(in));
        PointwiseLoop.unary(kernel, y.storage().array(), TensorInternals.offset(y), in.storage().array(), TensorInternals.offset(in),
                TensorInternals.sizes(in), TensorInternals.strides(in));
        Derivative d = derivative;
        switch (saves) {
            case INPUT: return record(y, node, of(x), of(x), (g, c) -> new Tensor[] {d.apply(g, c.saved(0))});
            case OUTPUT: return record(y, node, of(x), of(y), (g, c) -> new Tensor[] {d.apply(g, c.saved(0))});
            default: return record(y, node, of(x), of(), (g, c) -> new Tensor[] {d.apply(g, null)});
        }
    }
}
