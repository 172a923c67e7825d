package jtorch.nn.functional;

import jtorch.Tensor;
import jtorch.Torch;

/**
 * Activations composed from Tensor ops (so autograd differentiates them): leaky ReLU, GELU and the
 * error function it needs, and softmax's implicit-dim rule.
 */
final class Activations {
    private Activations() {}

    private static final double M_SQRT1_2 = 0.70710678118654752440;
    private static final double M_2_SQRTPI = 1.12837916709551257390;
    private static final double M_SQRT2 = 1.41421356237309504880;

    private static void requireFloating(Tensor t, String kernel) {
        if (!t.isFloatingPoint())
            throw new IllegalArgumentException("\"" + kernel + "\" not implemented for '" + t.dtype().scalarTypeName() + "'");
    }

    /**
     * {@code leaky_relu}: {@code x} where {@code x > 0}, else {@code x * negative_slope}, as a product
     * with a constant factor per element (so the in-place form needs no saved input).
     */
    static Tensor leakyRelu(Tensor input, double negativeSlope, boolean inplace) {
        jtorch.ops.Args.notNull("leaky_relu", "input", input);
        requireFloating(input, "leaky_relu_cpu");
        Tensor factor = Torch.noGrad(() -> Torch.onesLike(input).where(input.gt(0.0), negativeSlope));
        return inplace ? input.mul_(factor) : input.mul(factor);
    }

    /**
     * {@code gelu}: {@code x/2 (1 + erf(x / sqrt 2))}, or with {@code "tanh"}
     * {@code x/2 (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))}, each in PyTorch's order of operations.
     */
    static Tensor gelu(Tensor input, String approximate) {
        jtorch.ops.Args.notNull("gelu", "input", input);
        checkApproximate(approximate);
        requireFloating(input, "GeluKernelImpl");
        if ("tanh".equals(approximate)) {
            double kBeta = M_SQRT2 * M_2_SQRTPI * 0.5;
            Tensor inner = input.mul(input).mul(input).mul(0.044715).add(input).mul(kBeta);
            return input.mul(0.5).mul(inner.tanh().add(1.0));
        }
        Tensor scaled = input.mul(M_SQRT1_2);
        return input.mul(0.5).mul(scaled.erf().add(1.0));
    }

    static void checkApproximate(String approximate) {
        if (!"none".equals(approximate) && !"tanh".equals(approximate))
            throw new IllegalArgumentException("approximate argument must be either none or tanh.");
    }

    /** {@code _get_softmax_dim}: PyTorch's implicit dim when none is given (0 for 0-, 1- and 3-dim inputs, else 1). */
    static int implicitSoftmaxDim(int ndim) {
        return ndim == 0 || ndim == 1 || ndim == 3 ? 0 : 1;
    }
}
