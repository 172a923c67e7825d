package jtorch.ops;

import jtorch.DType;
import jtorch.Tensor;
import jtorch.internal.TensorInternals;
import jtorch.kernels.ActivationBackward;
import jtorch.kernels.PointwiseKernels;
import jtorch.kernels.ThresholdBackward;

import static jtorch.autograd.Autograd.of;
import static jtorch.autograd.Autograd.record;
import static jtorch.internal.TensorInternals.strided;

/**
 * pow with a scalar exponent and clamp ({@link PointwiseParam} rows, two per op: their dtype rule
 * follows the Python type of the number) and the fused backward kernels (threshold, sigmoid and
 * tanh backward). neg, abs, sign, relu and the math functions are {@link PointwiseUnary} rows beside
 * their Tensor methods.
 */
public final class Pointwise {
    private Pointwise() {}

    /**
     * PyTorch's {@code threshold_backward}: {@code grad} where {@code self > threshold}, else 0, in one
     * pass (ReLU's derivative). Recorded only in a backward with create_graph: as in derivatives.yaml its
     * gradient is threshold_backward of the incoming gradient (and zero for {@code self}).
     */
    public static Tensor thresholdBackward(Tensor grad, Tensor self, double threshold) {
        Tensor g = Raw.expand(Raw.convert(grad, self.dtype()), TensorInternals.sizes(self));
        Tensor out = TensorInternals.allocate(self.dtype(), TensorInternals.sizes(self));
        ThresholdBackward.run(strided(out), strided(g), strided(self), threshold);
        return record(out, "ThresholdBackwardBackward0", of(grad), of(self),
                (gg, c) -> new Tensor[] {thresholdBackward(gg, c.saved(0), threshold)});
    }

    /**
     * PyTorch's {@code sigmoid_backward(grad, output)}: {@code grad * (output * (1 - output))} in one pass
     * (the derivative of {@code sigmoid} through its saved output). Differentiable, as in
     * derivatives.yaml: d/dgrad is {@code sigmoid_backward} of the incoming gradient, d/doutput is
     * {@code gg * grad * (1 - 2 output)}, so second derivatives of sigmoid run through it.
     *
     * <pre>{@code
     * Tensor gx = Pointwise.sigmoidBackward(gy, x.sigmoid());
     * }</pre>
     */
    public static Tensor sigmoidBackward(Tensor grad, Tensor output) {
        Tensor g = Raw.expand(Raw.convert(grad, output.dtype()), TensorInternals.sizes(output));
        Tensor out = TensorInternals.allocate(output.dtype(), TensorInternals.sizes(output));
        ActivationBackward.sigmoid(strided(out), strided(g), strided(output));
        return record(out, "SigmoidBackwardBackward0", of(grad, output), of(grad, output), (gg, c) -> new Tensor[] {
                sigmoidBackward(gg, c.saved(1)), gg.mul(c.saved(0)).mul(c.saved(1).mul(-2.0).add(1.0))});
    }

    /**
     * PyTorch's {@code tanh_backward(grad, output)}: {@code grad * (1 - output * output)} in one pass.
     * Differentiable: d/dgrad is {@code tanh_backward} of the incoming gradient, d/doutput is
     * {@code -2 output * grad * gg}.
     *
     * <pre>{@code
     * Tensor gx = Pointwise.tanhBackward(gy, x.tanh());
     * }</pre>
     */
    public static Tensor tanhBackward(Tensor grad, Tensor output) {
        Tensor g = Raw.expand(Raw.convert(grad, output.dtype()), TensorInternals.sizes(output));
        Tensor out = TensorInternals.allocate(output.dtype(), TensorInternals.sizes(output));
        ActivationBackward.tanh(strided(out), strided(g), strided(output));
        return record(out, "TanhBackwardBackward0", of(grad, output), of(grad, output), (gg, c) -> new Tensor[] {
                tanhBackward(gg, c.saved(1)), c.saved(1).mul(-2.0).mul(c.saved(0)).mul(gg)});
    }

    /** {@code x ** p} with a Python float exponent: an int or bool tensor becomes floating ({@code int64 ** 2.0} is float32). */
    public static Tensor powScalar(Tensor x, double p) { return POW.apply(x, p, 0); }

    /** {@code x ** p} with a Python int exponent: integers stay integers (bool becomes int64); negative powers of integers are refused. */
    public static Tensor powScalar(Tensor x, long p) { return POW_INT.apply(x, p, 0); }

    /** d/dx = g p x^(p-1) (0 for p = 0; {@code g x 2} for p = 2, as PyTorch's pow_backward rounds it). */
    private static Tensor powGrad(Tensor g, Tensor x, double p) {
        if (p == 0) return g.mul(0.0);
        if (p == 2) return g.mul(x).mul(2.0);
        return g.mul(x.pow(p - 1)).mul(p);
    }

    private static final PointwiseParam POW = PointwiseParam.row("pow", "PowBackward0", (p, unused) -> PointwiseKernels.powScalar(p))
            .grad((g, x, p, unused) -> powGrad(g, x, p));
    private static final PointwiseParam POW_INT = PointwiseParam.intRow("pow", "PowBackward0", (p, unused) -> PointwiseKernels.powScalar(p))
            .check((x, p, unused) -> {
                if (!x.isFloatingPoint() && p < 0) throw new IllegalArgumentException("Integers to negative integer powers are not allowed.");
            })
            .grad((g, x, p, unused) -> powGrad(g, x, p));

    /** {@code clamp(min, max)} (NaN = no bound). The gradient passes where {@code min <= x <= max}. */
    public static Tensor clamp(Tensor x, double min, double max) { return CLAMP.apply(x, min, max); }

    /**
     * {@code clamp} with Python int bounds (integral values, NaN = no bound): an int64 tensor stays
     * int64 and bool becomes int64. With float bounds ({@link #clamp(Tensor, double, double)}) an
     * integer or bool tensor becomes floating, as PyTorch's type promotion has it.
     */
    public static Tensor clampIntegral(Tensor x, double min, double max) { return CLAMP_INT.apply(x, min, max); }

    private static void clampCheck(Tensor x, double min, double max) {
        if (Double.isNaN(min) && Double.isNaN(max))
            throw new IllegalArgumentException("torch.clamp: At least one of 'min' or 'max' must not be None");
    }

    private static Tensor clampGrad(Tensor g, Tensor v, double min, double max) {
        Tensor pass = Double.isNaN(min) ? v.le(max) : Double.isNaN(max) ? v.ge(min) : v.ge(min).mul(v.le(max));
        return g.mul(pass);
    }

    private static final PointwiseParam CLAMP = PointwiseParam.row("clamp", "ClampBackward1", PointwiseKernels::clamp)
            .check(Pointwise::clampCheck).grad(Pointwise::clampGrad);
    private static final PointwiseParam CLAMP_INT = PointwiseParam.intRow("clamp", "ClampBackward1", PointwiseKernels::clamp)
            .check(Pointwise::clampCheck).grad(Pointwise::clampGrad);
}
