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
 * One row of the pointwise op table for a unary op with number parameters (see
 * {@link PointwiseUnary}): {@code pow} with a scalar exponent, {@code clamp}. Their dtype rule
 * follows the Python type of the number ({@code int64 ** 2} stays int64, {@code int64 ** 2.0} is
 * float32), so each such op has two rows, one per overload: {@link #row} computes integers in the
 * default float dtype, {@link #intRow} keeps int64 (and computes bool as int64). The kernel is made
 * per call from the parameters; the derivative reads the saved input and the parameters.
 *
 * <pre>{@code
 * static final PointwiseParam POW = PointwiseParam.row("pow", "PowBackward0", (p, unused) -> PointwiseKernels.powScalar(p))
 *         .grad((g, x, p, unused) -> g.mul(x.pow(p - 1)).mul(p));
 * Tensor y = POW.apply(x, 2.5, 0);
 * }</pre>
 */
public final class PointwiseParam {
    /** The kernel for one call's parameters. */
    @FunctionalInterface
    public interface Kernel {
        UnaryKernel of(double p1, double p2);
    }

    /** The input's gradient from {@code g}, the saved input {@code x} and the parameters. */
    @FunctionalInterface
    public interface Derivative {
        Tensor apply(Tensor g, Tensor x, double p1, double p2);
    }

    /** PyTorch's refusals of an input or parameters, before anything is computed. */
    @FunctionalInterface
    public interface Check {
        void check(Tensor x, double p1, double p2);
    }

    private final String name, node;
    private final boolean keepsInts;
    private final Kernel kernel;
    private final Check check;
    private final Derivative derivative;

    private PointwiseParam(String name, String node, boolean keepsInts, Kernel kernel, Check check, Derivative derivative) {
        this.name = name;
        this.node = node;
        this.keepsInts = keepsInts;
        this.kernel = kernel;
        this.check = check;
        this.derivative = derivative;
    }

    /** A row of the overload taking Python floats: integer and bool inputs are computed in the default float dtype. */
    public static PointwiseParam row(String name, String node, Kernel kernel) { return new PointwiseParam(name, node, false, kernel, null, null); }

    /** A row of the overload taking Python ints: int64 stays int64, bool is computed as int64 (the kernel needs an int64 loop). */
    public static PointwiseParam intRow(String name, String node, Kernel kernel) { return new PointwiseParam(name, node, true, kernel, null, null); }

    /** The same row refusing some inputs first ({@code check} throws PyTorch's message). */
    public PointwiseParam check(Check check) { return new PointwiseParam(name, node, keepsInts, kernel, check, derivative); }

    /** The same row with its derivative (the input is saved for backward). */
    public PointwiseParam grad(Derivative d) { return new PointwiseParam(name, node, keepsInts, kernel, check, d); }

    /** PyTorch's name of the op. */
    public String name() { return name; }

    /** {@code op(x; p1, p2)}, recorded for autograd. */
    public Tensor apply(Tensor x, double p1, double p2) {
        Args.notNull(name, "input", x);
        if (derivative == null) throw new IllegalStateException(name + ": the op table row has no derivative");
        if (check != null) check.check(x, p1, p2);
        Tensor in = x;
        if (!x.isFloatingPoint()) in = !keepsInts ? Raw.convert(x, Torch.getDefaultDtype()) : x.dtype() == DType.BOOL ? Raw.convert(x, DType.INT64) : x;
        Tensor y = TensorInternals.allocate(in.dtype(), TensorInternals.sizes(in));
        PointwiseLoop.unary(kernel.of(p1, p2), y.storage().array(), TensorInternals.offset(y), in.storage().array(), TensorInternals.offset(in),
                TensorInternals.sizes(in), TensorInternals.strides(in));
        Derivative d = derivative;
        return record(y, node, of(x), of(x), (g, c) -> new Tensor[] {d.apply(g, c.saved(0), p1, p2)});
    }
}
