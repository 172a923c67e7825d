package jtorch.nn;

import java.util.Arrays;

import jtorch.Tensor;
import jtorch.Torch;
import jtorch.nn.functional.Convolution;

/**
 * {@code nn.Conv1d}: a 1-D convolution over (N, C_in, L) or unbatched (C_in, L) input (core's
 * {@code torch.convolution}), with PyTorch's arguments and default initialisation.
 *
 * <pre>{@code
 * var c = new Conv1d(Conv1d.options(3, 4, 3).padding(1).stride(2));
 * Tensor y = c.forward(Torch.randn(2, 3, 9));   // shape (2, 4, 5)
 * }</pre>
 */
public class Conv1d extends Module {
    /** The keyword arguments of {@code nn.Conv1d}. */
    public static final class Options {
        final long inChannels, outChannels;
        final int kernelSize;
        int stride = 1, padding = 0, dilation = 1, groups = 1;
        String paddingString;
        boolean bias = true;
        String paddingMode = "zeros";

        Options(long in, long out, int k) {
            inChannels = in;
            outChannels = out;
            kernelSize = k;
        }

        /** {@code stride}: the step of the kernel (default 1). */
        public Options stride(int s) { stride = s; return this; }
        /** {@code padding}: implicit padding on both sides (default 0), filled as {@code padding_mode} says. */
        public Options padding(int p) { padding = p; paddingString = null; return this; }
        /** {@code padding="same"} (output as long as the input; stride 1 only) or {@code "valid"} (no padding). */
        public Options padding(String p) {
            if (!p.equals("same") && !p.equals("valid"))
                throw new IllegalArgumentException("Invalid padding string '" + p + "', should be one of {'valid', 'same'}");
            paddingString = p;
            padding = 0;
            return this;
        }
        /** {@code dilation}: the spacing between kernel elements (default 1). */
        public Options dilation(int d) { dilation = d; return this; }
        /**
         * {@code groups}: blocked connections from input to output channels; both channel counts must
         * divide by it (default 1).
         */
        public Options groups(int g) { groups = g; return this; }
        /** {@code bias}: add a learnable bias per output channel (default true). */
        public Options bias(boolean b) { bias = b; return this; }
        /** {@code padding_mode}: {@code "zeros"} (default), {@code "reflect"}, {@code "replicate"} or {@code "circular"}. */
        public Options paddingMode(String m) { paddingMode = m; return this; }
    }

    /** {@code nn.Conv1d(in_channels, out_channels, kernel_size)}'s options, to chain keyword arguments on. */
    public static Options options(long inChannels, long outChannels, int kernelSize) {
        return new Options(inChannels, outChannels, kernelSize);
    }

    /** The number of channels in the input ({@code C_in}) and produced by the convolution ({@code C_out}). */
    public final long inChannels, outChannels;
    /** The integer arguments, as given ({@code padding} is 0 when a padding string was given). */
    public final int kernelSize, stride, padding, dilation, groups;
    /** {@code "same"}/{@code "valid"} or null for integer padding; and the padding mode. */
    public final String paddingString, paddingMode;
    /** The kernels, shape {@code (C_out, C_in / groups, kernel_size)}. */
    public final Parameter weight;
    /** Shape {@code (C_out)}; null when built with {@code bias(false)}. */
    public final Parameter bias;

    /** {@code nn.Conv1d(in_channels, out_channels, kernel_size)}: stride 1, no padding, with bias. */
    public Conv1d(long inChannels, long outChannels, int kernelSize) { this(options(inChannels, outChannels, kernelSize)); }

    /** {@code nn.Conv1d} with the given options; the weight and bias get PyTorch's default initialisation. */
    public Conv1d(Options o) {
        jtorch.ops.Args.notNull("Conv1d", "options", o);
        if (o.groups <= 0) throw new IllegalArgumentException("groups must be a positive integer");
        if (o.inChannels % o.groups != 0) throw new IllegalArgumentException("in_channels must be divisible by groups");
        if (o.outChannels % o.groups != 0) throw new IllegalArgumentException("out_channels must be divisible by groups");
        if (!Arrays.asList("zeros", "reflect", "replicate", "circular").contains(o.paddingMode))
            throw new IllegalArgumentException("padding_mode must be one of ['zeros', 'reflect', 'replicate', 'circular'], "
                    + "but got padding_mode='" + o.paddingMode + "'");
        if ("same".equals(o.paddingString) && o.stride != 1)
            throw new IllegalArgumentException("padding='same' is not supported for strided convolutions");
        if (o.kernelSize <= 0 || o.stride <= 0 || o.padding < 0 || o.dilation <= 0)
            throw new IllegalArgumentException("Conv1d: kernel_size, stride and dilation must be positive and padding "
                    + "non-negative, got kernel_size=" + o.kernelSize + ", stride=" + o.stride + ", padding=" + o.padding
                    + ", dilation=" + o.dilation);
        inChannels = o.inChannels;
        outChannels = o.outChannels;
        kernelSize = o.kernelSize;
        stride = o.stride;
        padding = o.padding;
        dilation = o.dilation;
        groups = o.groups;
        paddingString = o.paddingString;
        paddingMode = o.paddingMode;
        weight = registerParameter("weight", Torch.empty(outChannels, inChannels / groups, kernelSize));
        bias = registerParameter("bias", o.bias ? Torch.empty(outChannels) : null);
        init.resetConvParameters(weight, bias);
    }

    @Override public Tensor forward(Tensor input) {
        if (!paddingMode.equals("zeros")) {
            int before = padding, after = padding;
            if ("same".equals(paddingString)) {
                int total = dilation * (kernelSize - 1);
                before = total / 2;
                after = total - before;
            }
            Tensor padded = Convolution.pad(input, new int[] {before, after}, paddingMode, 0);
            return Convolution.conv1d(padded, weight, bias, stride, 0, dilation, groups);
        }
        if (paddingString != null) return Convolution.conv1d(input, weight, bias, stride, paddingString, dilation, groups);
        return Convolution.conv1d(input, weight, bias, stride, padding, dilation, groups);
    }

    @Override protected String extraRepr() {
        StringBuilder s = new StringBuilder();
        s.append(inChannels).append(", ").append(outChannels).append(", kernel_size=(").append(kernelSize)
                .append(",), stride=(").append(stride).append(",)");
        if (paddingString != null) s.append(", padding=").append(paddingString);
        else if (padding != 0) s.append(", padding=(").append(padding).append(",)");
        if (dilation != 1) s.append(", dilation=(").append(dilation).append(",)");
        if (groups != 1) s.append(", groups=").append(groups);
        if (bias == null) s.append(", bias=False");
        if (!paddingMode.equals("zeros")) s.append(", padding_mode=").append(paddingMode);
        return s.toString();
    }
}
