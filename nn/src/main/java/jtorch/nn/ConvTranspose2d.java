package jtorch.nn;

import java.util.Arrays;

import jtorch.Tensor;
import jtorch.Torch;
import jtorch.nn.functional.Convolution;

/**
 * {@code nn.ConvTranspose2d}: the transposed 2-D convolution (the gradient of a convolution with
 * respect to its input) over (N, C_in, H, W) or unbatched (C_in, H, W) input, with PyTorch's
 * arguments ({@code stride}, {@code padding}, {@code output_padding}, {@code groups}, {@code bias},
 * {@code dilation}) and default initialisation: weight (C_in, C_out/groups, kh, kw), kaiming-uniform
 * with a = sqrt(5), whose fan-in is computed from dim 1 ({@code C_out/groups * kh * kw}), and bias
 * uniform in ±1/sqrt(fan_in). The output is {@code (H - 1) * stride - 2 * padding + dilation *
 * (kh - 1) + output_padding + 1} high, likewise wide.
 *
 * <pre>{@code
 * // nn.ConvTranspose2d(16, 8, 3, stride=2, padding=1, output_padding=1)
 * var up = new ConvTranspose2d(ConvTranspose2d.options(16, 8, 3).stride(2).padding(1).outputPadding(1));
 * Tensor y = up.forward(Torch.randn(4, 16, 14, 14));   // shape (4, 8, 28, 28)
 * }</pre>
 */
public class ConvTranspose2d extends Module {
    /** The keyword arguments of {@code nn.ConvTranspose2d}. */
    public static final class Options {
        final long inChannels, outChannels;
        final int[] kernelSize;
        int[] stride = {1, 1}, padding = {0, 0}, outputPadding = {0, 0}, dilation = {1, 1};
        int groups = 1;
        boolean bias = true;
        String paddingMode = "zeros";

        Options(long in, long out, int kh, int kw) {
            inChannels = in;
            outChannels = out;
            kernelSize = new int[] {kh, kw};
        }

        /** {@code stride}: the same along height and width (default 1). */
        public Options stride(int s) { return stride(s, s); }
        /** {@code stride=(sh, sw)} (default 1). */
        public Options stride(int sh, int sw) { stride = new int[] {sh, sw}; return this; }
        /** {@code padding}: {@code dilation * (k - 1) - padding} zeros are added on every side of the input (default 0). */
        public Options padding(int p) { return padding(p, p); }
        /** {@code padding=(ph, pw)} (default 0). */
        public Options padding(int ph, int pw) { padding = new int[] {ph, pw}; return this; }
        /**
         * {@code output_padding}: extra size added on one side of each output dim, smaller than stride
         * or dilation (default 0).
         */
        public Options outputPadding(int p) { return outputPadding(p, p); }
        /** {@code output_padding=(ph, pw)} (default 0). */
        public Options outputPadding(int ph, int pw) { outputPadding = new int[] {ph, pw}; return this; }
        /** {@code dilation}: the spacing between kernel elements along both dims (default 1). */
        public Options dilation(int d) { return dilation(d, d); }
        /** {@code dilation=(dh, dw)} (default 1). */
        public Options dilation(int dh, int dw) { dilation = new int[] {dh, dw}; return this; }
        /** {@code groups}: blocked connections from input to output channels (default 1). */
        public Options groups(int g) { groups = g; return this; }
        /** {@code bias}: add a learnable bias per output channel (default true). */
        public Options bias(boolean b) { bias = b; return this; }
        /** Only {@code "zeros"}, as in PyTorch. */
        public Options paddingMode(String m) { paddingMode = m; return this; }
    }

    /** {@code nn.ConvTranspose2d(in, out, kernel_size=k)}'s options. */
    public static Options options(long inChannels, long outChannels, int kernelSize) {
        return new Options(inChannels, outChannels, kernelSize, kernelSize);
    }

    /** {@code nn.ConvTranspose2d(in, out, kernel_size=(kh, kw))}'s options. */
    public static Options options(long inChannels, long outChannels, int kh, int kw) {
        return new Options(inChannels, outChannels, kh, kw);
    }

    /** The number of channels in the input ({@code C_in}) and in the output ({@code C_out}). */
    public final long inChannels, outChannels;
    /** {@code (height, width)} pairs, as given. */
    public final int[] kernelSize, stride, padding, outputPadding, dilation;
    /** The number of channel groups. */
    public final int groups;
    /** The kernels, shape {@code (C_in, C_out / groups, kh, kw)}. */
    public final Parameter weight;
    /** Null when built with {@code bias(false)}. */
    public final Parameter bias;

    /** {@code nn.ConvTranspose2d(in_channels, out_channels, kernel_size)}: a square kernel, stride 1, no padding, with bias. */
    public ConvTranspose2d(long inChannels, long outChannels, int kernelSize) { this(options(inChannels, outChannels, kernelSize)); }

    /** {@code nn.ConvTranspose2d} with the given options; the weight and bias get PyTorch's default initialisation. */
    public ConvTranspose2d(Options o) {
        if (o.groups <= 0) throw new IllegalArgumentException("groups must be a positive integer");
        if (o.inChannels % o.groups != 0) throw new IllegalArgumentException("in_channels must be divisible by groups");
        if (o.outChannels % o.groups != 0) throw new IllegalArgumentException("out_channels must be divisible by groups");
        if (!o.paddingMode.equals("zeros"))
            throw new IllegalArgumentException("Only \"zeros\" padding mode is supported for ConvTranspose2d");
        for (int i = 0; i < 2; i++) {
            if (o.kernelSize[i] <= 0) throw new IllegalArgumentException("kernel_size must be positive, got " + Arrays.toString(o.kernelSize));
            if (o.stride[i] <= 0) throw new IllegalArgumentException("stride must be positive, got " + Arrays.toString(o.stride));
            if (o.padding[i] < 0) throw new IllegalArgumentException("padding must be non-negative, got " + Arrays.toString(o.padding));
            if (o.outputPadding[i] < 0)
                throw new IllegalArgumentException("output_padding must be non-negative, got " + Arrays.toString(o.outputPadding));
            if (o.dilation[i] <= 0) throw new IllegalArgumentException("dilation must be positive, got " + Arrays.toString(o.dilation));
        }
        inChannels = o.inChannels;
        outChannels = o.outChannels;
        kernelSize = o.kernelSize.clone();
        stride = o.stride.clone();
        padding = o.padding.clone();
        outputPadding = o.outputPadding.clone();
        dilation = o.dilation.clone();
        groups = o.groups;
        weight = registerParameter("weight", Torch.empty(inChannels, outChannels / groups, kernelSize[0], kernelSize[1]));
        bias = registerParameter("bias", o.bias ? Torch.empty(outChannels) : null);
        resetParameters();
    }

    /** PyTorch's {@code reset_parameters()}: weight, then bias, from the default generator; fan-in from the weight's dim 1. */
    public void resetParameters() {
        init.resetConvParameters(weight, bias);
    }

    @Override public Tensor forward(Tensor input) {
        return Convolution.convTranspose2d(input, weight, bias, stride, padding, outputPadding, groups, dilation);
    }

    /**
     * {@code forward(input, output_size)}: the output padding that gives spatial size
     * {@code outputSize} (H_out, W_out), which must lie within {@code stride - 1} (or
     * {@code dilation - 1}) of the smallest size; the configured output padding is not used.
     */
    public Tensor forward(Tensor input, int[] outputSize) {
        int[] op = ConvTranspose1d.outputPaddingFor(input, outputSize, stride, padding, kernelSize, dilation, 2);
        return Convolution.convTranspose2d(input, weight, bias, stride, padding, op, groups, dilation);
    }

    @Override protected String extraRepr() {
        StringBuilder s = new StringBuilder();
        s.append(inChannels).append(", ").append(outChannels).append(", kernel_size=").append(Conv2d.tuple(kernelSize))
                .append(", stride=").append(Conv2d.tuple(stride));
        if (padding[0] != 0 || padding[1] != 0) s.append(", padding=").append(Conv2d.tuple(padding));
        if (dilation[0] != 1 || dilation[1] != 1) s.append(", dilation=").append(Conv2d.tuple(dilation));
        if (outputPadding[0] != 0 || outputPadding[1] != 0) s.append(", output_padding=").append(Conv2d.tuple(outputPadding));
        if (groups != 1) s.append(", groups=").append(groups);
        if (bias == null) s.append(", bias=False");
        return s.toString();
    }
}
