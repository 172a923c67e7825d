package jtorch.nn;

import jtorch.Tensor;
import jtorch.Torch;
import jtorch.nn.functional.Convolution;

/**
 * {@code nn.ConvTranspose1d}: the transposed 1-D convolution over (N, C_in, L) or unbatched
 * (C_in, L) input, with PyTorch's arguments and default initialisation (weight (C_in,
 * C_out/groups, k), fan-in from dim 1). The output is {@code (L - 1) * stride - 2 * padding +
 * dilation * (k - 1) + output_padding + 1} long.
 *
 * <pre>{@code
 * var up = new ConvTranspose1d(ConvTranspose1d.options(4, 6, 3).stride(2).outputPadding(1).bias(false));
 * Tensor y = up.forward(Torch.randn(2, 4, 5));   // shape (2, 6, 12)
 * }</pre>
 */
public class ConvTranspose1d extends Module {
    /** The keyword arguments of {@code nn.ConvTranspose1d}. */
    public static final class Options {
        final long inChannels, outChannels;
        final int kernelSize;
        int stride = 1, padding = 0, outputPadding = 0, dilation = 1, groups = 1;
        boolean bias = true;
        String paddingMode = "zeros";

        Options(long in, long out, int k) {
            inChannels = in;
            outChannels = out;
            kernelSize = k;
        }

        /** {@code stride} (default 1). */
        public Options stride(int s) { stride = s; return this; }
        /**
         * {@code padding}: {@code dilation * (kernel_size - 1) - padding} zeros are added on both sides
         * of the input (default 0).
         */
        public Options padding(int p) { padding = p; return this; }
        /** {@code output_padding}: extra length added on one side of the output, smaller than stride or dilation (default 0). */
        public Options outputPadding(int p) { outputPadding = p; return this; }
        /** {@code dilation}: the spacing between kernel elements (default 1). */
        public Options dilation(int d) { dilation = d; return this; }
        /** {@code groups}: blocked connections from input to output channels (default 1). */
        public Options groups(int g) { groups = g; return this; }
        /** {@code bias}: add a learnable bias per output channel (default true). */
        public Options bias(boolean b) { bias = b; return this; }
        /** Only {@code "zeros"}, as in PyTorch. */
        public Options paddingMode(String m) { paddingMode = m; return this; }
    }

    /** {@code nn.ConvTranspose1d(in_channels, out_channels, kernel_size)}'s options, to chain keyword arguments on. */
    public static Options options(long inChannels, long outChannels, int kernelSize) {
        return new Options(inChannels, outChannels, kernelSize);
    }

    /** The number of channels in the input ({@code C_in}) and in the output ({@code C_out}). */
    public final long inChannels, outChannels;
    /** The integer arguments, as given. */
    public final int kernelSize, stride, padding, outputPadding, dilation, groups;
    /** The kernels, shape {@code (C_in, C_out / groups, kernel_size)}. */
    public final Parameter weight;
    /** Null when built with {@code bias(false)}. */
    public final Parameter bias;

    /** {@code nn.ConvTranspose1d(in_channels, out_channels, kernel_size)}: stride 1, no padding, with bias. */
    public ConvTranspose1d(long inChannels, long outChannels, int kernelSize) { this(options(inChannels, outChannels, kernelSize)); }

    /** {@code nn.ConvTranspose1d} with the given options; the weight and bias get PyTorch's default initialisation. */
    public ConvTranspose1d(Options o) {
        if (o.groups <= 0) throw new IllegalArgumentException("groups must be a positive integer");
        if (o.inChannels % o.groups != 0) throw new IllegalArgumentException("in_channels must be divisible by groups");
        if (o.outChannels % o.groups != 0) throw new IllegalArgumentException("out_channels must be divisible by groups");
        if (!o.paddingMode.equals("zeros"))
            throw new IllegalArgumentException("Only \"zeros\" padding mode is supported for ConvTranspose1d");
        if (o.kernelSize <= 0 || o.stride <= 0 || o.padding < 0 || o.outputPadding < 0 || o.dilation <= 0)
            throw new IllegalArgumentException("ConvTranspose1d: kernel_size, stride and dilation must be positive and padding and "
                    + "output_padding non-negative, got kernel_size=" + o.kernelSize + ", stride=" + o.stride + ", padding="
                    + o.padding + ", output_padding=" + o.outputPadding + ", dilation=" + o.dilation);
        inChannels = o.inChannels;
        outChannels = o.outChannels;
        kernelSize = o.kernelSize;
        stride = o.stride;
        padding = o.padding;
        outputPadding = o.outputPadding;
        dilation = o.dilation;
        groups = o.groups;
        weight = registerParameter("weight", Torch.empty(inChannels, outChannels / groups, kernelSize));
        bias = registerParameter("bias", o.bias ? Torch.empty(outChannels) : null);
        resetParameters();
    }

    /** PyTorch's {@code reset_parameters()}: weight, then bias; fan-in from the weight's dim 1. */
    public void resetParameters() {
        init.resetConvParameters(weight, bias);
    }

    @Override public Tensor forward(Tensor input) {
        return Convolution.convTranspose1d(input, weight, bias, stride, padding, outputPadding, groups, dilation);
    }

    /** {@code forward(input, output_size)}: the output padding that gives length {@code outputSize}. */
    public Tensor forward(Tensor input, int outputSize) {
        int[] op = outputPaddingFor(input, new int[] {outputSize}, new int[] {stride}, new int[] {padding}, new int[] {kernelSize},
                new int[] {dilation}, 1);
        return Convolution.convTranspose1d(input, weight, bias, stride, padding, op[0], groups, dilation);
    }

    /**
     * PyTorch's {@code _ConvTransposeNd._output_padding}: for each spatial dim, {@code size -
     * min_size} where {@code min_size = (in - 1) * stride - 2 * padding + dilation * (k - 1) + 1}
     * and {@code size} must lie in {@code [min_size, min_size + stride - 1]}.
     */
    static int[] outputPaddingFor(Tensor input, int[] outputSize, int[] stride, int[] padding, int[] kernel, int[] dilation, int dims) {
        if (input.dim() != dims + 1 && input.dim() != dims + 2)
            throw new IllegalArgumentException("ConvTranspose" + dims + "d: expected a " + (dims + 1) + "-D or " + (dims + 2)
                    + "-D input, but got input of size: " + Convolution.sizeString(input));
        if (outputSize.length != dims)
            throw new IllegalArgumentException("ConvTranspose" + dims + "d: output_size must have " + dims + " elements (got "
                    + outputSize.length + ")");
        int first = input.dim() - dims;
        int[] op = new int[dims];
        long[] min = new long[dims], max = new long[dims];
        boolean ok = true;
        for (int i = 0; i < dims; i++) {
            min[i] = (input.size(first + i) - 1) * stride[i] - 2L * padding[i] + (long) dilation[i] * (kernel[i] - 1) + 1;
            max[i] = min[i] + stride[i] - 1;
            ok &= outputSize[i] >= min[i] && outputSize[i] <= max[i];
            op[i] = (int) (outputSize[i] - min[i]);
        }
        if (!ok) {
            long[] spatial = new long[dims];
            for (int i = 0; i < dims; i++) spatial[i] = input.size(first + i);
            throw new IllegalArgumentException("requested an output size of " + java.util.Arrays.toString(outputSize)
                    + ", but valid sizes range from " + java.util.Arrays.toString(min) + " to " + java.util.Arrays.toString(max)
                    + " (for an input of torch.Size(" + java.util.Arrays.toString(spatial) + "))");
        }
        return op;
    }

    @Override protected String extraRepr() {
        StringBuilder s = new StringBuilder();
        s.append(inChannels).append(", ").append(outChannels).append(", kernel_size=(").append(kernelSize).append(",), stride=(")
                .append(stride).append(",)");
        if (padding != 0) s.append(", padding=(").append(padding).append(",)");
        if (dilation != 1) s.append(", dilation=(").append(dilation).append(",)");
        if (outputPadding != 0) s.append(", output_padding=(").append(outputPadding).append(",)");
        if (groups != 1) s.append(", groups=").append(groups);
        if (bias == null) s.append(", bias=False");
        return s.toString();
    }
}
