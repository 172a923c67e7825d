package jtorch.nn;

import jtorch.Tensor;
import jtorch.Torch;

/**
 * {@code torch.nn.init}: in-place initialisers, run without recording the graph. Bounds are
 * computed in double in PyTorch's order, so that with the same seed the values are PyTorch's.
 *
 * <pre>{@code
 * init.kaimingUniform_(linear.weight, Math.sqrt(5), "fan_in", "leaky_relu");
 * init.zeros_(linear.bias);
 * }</pre>
 */
@SuppressWarnings("checkstyle:TypeName")
public final class init {
    private init() {}

    /** {@code calculate_gain(nonlinearity, param)}: the recommended gain for an activation. */
    public static double calculateGain(String nonlinearity, double param) {
        switch (nonlinearity) {
            case "linear": case "conv1d": case "conv2d": case "conv3d": case "conv_transpose1d":
            case "conv_transpose2d": case "conv_transpose3d": case "sigmoid":
                return 1;
            case "tanh": return 5.0 / 3;
            case "relu": return Math.sqrt(2.0);
            case "leaky_relu": return Math.sqrt(2.0 / (1 + param * param));
            case "selu": return 3.0 / 4;
            default: throw new IllegalArgumentException("Unsupported nonlinearity " + nonlinearity);
        }
    }

    /** {@code calculate_gain(nonlinearity)} with PyTorch's default param (0.01 for leaky_relu). */
    public static double calculateGain(String nonlinearity) { return calculateGain(nonlinearity, 0.01); }

    /**
     * {@code uniform_(tensor, a, b)}: fills {@code t} in place from U(a, b) with the default generator,
     * without recording a gradient; returns {@code t}.
     */
    public static Tensor uniform_(Tensor t, double a, double b) { return Torch.noGrad(() -> t.uniform_(a, b)); }

    /**
     * {@code normal_(tensor, mean, std)}: fills {@code t} in place from N(mean, std²), without
     * recording a gradient; returns {@code t}.
     */
    public static Tensor normal_(Tensor t, double mean, double std) { return Torch.noGrad(() -> t.normal_(mean, std)); }

    /** {@code constant_(tensor, val)}: fills {@code t} with {@code value}, without recording a gradient; returns {@code t}. */
    public static Tensor constant_(Tensor t, double value) { return Torch.noGrad(() -> t.fill_(value)); }

    /** {@code zeros_(tensor)}: fills {@code t} with 0, without recording a gradient; returns {@code t}. */
    public static Tensor zeros_(Tensor t) { return Torch.noGrad(t::zero_); }

    /** {@code ones_(tensor)}: fills {@code t} with 1, without recording a gradient; returns {@code t}. */
    public static Tensor ones_(Tensor t) { return constant_(t, 1.0); }

    /** fan_in and fan_out of a weight: {@code size(1) * receptive} and {@code size(0) * receptive}. */
    static long[] fans(Tensor t) {
        if (t.dim() < 2)
            throw new IllegalArgumentException("Fan in and fan out can not be computed for tensor with fewer than 2 dimensions");
        long receptive = 1;
        for (int d = 2; d < t.dim(); d++) receptive *= t.size(d);
        return new long[] {t.size(1) * receptive, t.size(0) * receptive};
    }

    private static long fan(Tensor t, String mode) {
        switch (mode) {
            case "fan_in": return fans(t)[0];
            case "fan_out": return fans(t)[1];
            default: throw new IllegalArgumentException("Mode " + mode + " not supported, please use one of fan_in, fan_out");
        }
    }

    /** {@code xavier_uniform_(t, gain)}: U(-b, b), b = gain sqrt(6 / (fan_in + fan_out)). */
    public static Tensor xavierUniform_(Tensor t, double gain) {
        long[] f = fans(t);
        double std = gain * Math.sqrt(2.0 / (double) (f[0] + f[1]));
        double a = Math.sqrt(3.0) * std;
        return uniform_(t, -a, a);
    }

    /** {@code xavier_uniform_(t)}: gain 1. */
    public static Tensor xavierUniform_(Tensor t) { return xavierUniform_(t, 1.0); }

    /** {@code xavier_normal_(t, gain)}: N(0, std²), std = gain sqrt(2 / (fan_in + fan_out)). */
    public static Tensor xavierNormal_(Tensor t, double gain) {
        long[] f = fans(t);
        return normal_(t, 0, gain * Math.sqrt(2.0 / (double) (f[0] + f[1])));
    }

    /** {@code xavier_normal_(t)}: gain 1. */
    public static Tensor xavierNormal_(Tensor t) { return xavierNormal_(t, 1.0); }

    /** {@code kaiming_uniform_(t, a, mode, nonlinearity)}: U(-b, b), b = sqrt(3) gain / sqrt(fan). */
    public static Tensor kaimingUniform_(Tensor t, double a, String mode, String nonlinearity) {
        if (t.numel() == 0) return t; // PyTorch warns and leaves an empty tensor alone
        double std = calculateGain(nonlinearity, a) / Math.sqrt((double) fan(t, mode));
        double bound = Math.sqrt(3.0) * std;
        return uniform_(t, -bound, bound);
    }

    /** {@code kaiming_uniform_(t)}: a = 0, fan_in, leaky_relu. */
    public static Tensor kaimingUniform_(Tensor t) { return kaimingUniform_(t, 0, "fan_in", "leaky_relu"); }

    /** {@code kaiming_normal_(t, a, mode, nonlinearity)}: N(0, std²), std = gain / sqrt(fan). */
    public static Tensor kaimingNormal_(Tensor t, double a, String mode, String nonlinearity) {
        if (t.numel() == 0) return t;
        return normal_(t, 0, calculateGain(nonlinearity, a) / Math.sqrt((double) fan(t, mode)));
    }

    /** {@code kaiming_normal_(t)}: a = 0, fan_in, leaky_relu. */
    public static Tensor kaimingNormal_(Tensor t) { return kaimingNormal_(t, 0, "fan_in", "leaky_relu"); }

    /**
     * PyTorch's {@code _ConvNd.reset_parameters()}, shared by every convolution module: the weight
     * kaiming-uniform with a = sqrt(5), then the bias uniform in +-1/sqrt(fan_in), fan-in from the
     * weight's dim 1 times its kernel size (so transposed convolutions, whose weight is
     * (C_in, C_out/groups, k...), get it from C_out/groups as PyTorch does).
     */
    static void resetConvParameters(Tensor weight, Tensor bias) {
        kaimingUniform_(weight, Math.sqrt(5), "fan_in", "leaky_relu");
        if (bias == null) return;
        long fanIn = fans(weight)[0];
        if (fanIn != 0) {
            double bound = jtorch.Generator.uniformBiasBound(fanIn);
            uniform_(bias, -bound, bound);
        }
    }
}
