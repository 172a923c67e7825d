package jtorch.nn;

import java.util.Arrays;

import jtorch.Tensor;
import jtorch.Torch;
import jtorch.nn.functional.Convolution;

/**
 * {@code nn.Conv2d}: a 2-D convolution over (N, C_in, H, W) or unbatched (C_in, H, W) input, with
 * every argument of PyTorch's and its default initialisation (kaiming-uniform weight with
 * a = sqrt(5), bias uniform in ±1/sqrt(fan_in)). The forward is core's {@code torch.convolution},
 * whose derivative rule gives its gradients ({@code grad_fn} {@code ConvolutionBackward0}).
 *
 * <pre>{@code
 * var c = new Conv2d(Conv2d.options(1, 1, 1, 2).bias(false));   // nn.Conv2d(1, 1, kernel_size=(1, 2), bias=False)
 * var p = new Conv2d(Conv2d.options(1, 1, 3).padding(1).stride(2));
 * Tensor y = p.forward(Torch.rand(1, 1, 8, 8));                 // shape (1, 1, 4, 4)
 * }</pre>
 */
public class Conv2d extends Module {
    /** The keyword arguments of {@code nn.Conv2d}. */
    public static final class Options {
        final long inChannels, outChannels;
        final int[] kernelSize;
        int[] stride = {1, 1}, padding = {0, 0}, dilation = {1, 1};
        String paddingString;
        int groups = 1;
        boolean bias = true;
        String paddingMode = "zeros";

        Options(long in, long out, int kh, int kw) {
            inChannels = in;
            outChannels = out;
            kernelSize = new int[] {kh, kw};
        }

        /** {@code stride}: the same step along height and width (default 1). */
        public Options stride(int s) { return stride(s, s); }
        /** {@code stride=(sh, sw)}: the steps along height and width (default 1). */
        public Options stride(int sh, int sw) { stride = new int[] {sh, sw}; return this; }
        /** {@code padding}: implicit padding on all four sides (default 0), filled as {@code padding_mode} says. */
        public Options padding(int p) { return padding(p, p); }
        /** {@code padding=(ph, pw)}: at the top and bottom, and left and right (default 0). */
        public Options padding(int ph, int pw) { padding = new int[] {ph, pw}; paddingString = null; return this; }
        /** {@code "same"} or {@code "valid"}. */
        public Options padding(String p) {
            if (!p.equals("same") && !p.equals("valid"))
                throw new IllegalArgumentException("Invalid padding string '" + p + "', should be one of {'valid', 'same'}");
            paddingString = p;
            padding = new int[] {0, 0};
            return this;
        }
        /** {@code dilation}: the spacing between kernel elements along both dims (default 1). */
        public Options dilation(int d) { return dilation(d, d); }
        /** {@code dilation=(dh, dw)}: the spacing between kernel elements along height and width (default 1). */
        public Options dilation(int dh, int dw) { dilation = new int[] {dh, dw}; return this; }
        /**
         * {@code groups}: blocked connections from input to output channels; both channel counts must
         * divide by it (default 1).
         */
        public Options groups(int g) { groups = g; return this; }
        /** {@code bias}: add a learnable bias per output channel (default true). */
        public Options bias(boolean b) { bias = b; return this; }
        /** {@code "zeros"}, {@code "reflect"}, {@code "replicate"} or {@code "circular"}. */
        public Options paddingMode(String m) { paddingMode = m; return this; }
    }

    /** {@code nn.Conv2d(in, out, kernel_size=k)}'s options. */
    public static Options options(long inChannels, long outChannels, int kernelSize) {
        return new Options(inChannels, outChannels, kernelSize, kernelSize);
    }

    /** {@code nn.Conv2d(in, out, kernel_size=(kh, kw))}'s options. */
    public static Options options(long inChannels, long outChannels, int kh, int kw) {
        return new Options(inChannels, outChannels, kh, kw);
    }

    /** The number of channels in the input ({@code C_in}) and produced by the convolution ({@code C_out}). */
    public final long inChannels, outChannels;
    /** {@code (height, width)} pairs, as given ({@code padding} is {@code (0, 0)} when a padding string was given). */
    public final int[] kernelSize, stride, padding, dilation;
    /** {@code "same"}/{@code "valid"}, or null for integer padding. */
    public final String paddingString;
    /** The number of channel groups. */
    public final int groups;
    /** {@code "zeros"}, {@code "reflect"}, {@code "replicate"} or {@code "circular"}. */
    public final String paddingMode;
    /** The kernels, shape {@code (C_out, C_in / groups, kh, kw)}. */
    public final Parameter weight;
    /** Null when built with {@code bias(false)}. */
    public final Parameter bias;

    /** {@code nn.Conv2d(in_channels, out_channels, kernel_size)}: a square kernel, stride 1, no padding, with bias. */
    public Conv2d(long inChannels, long outChannels, int kernelSize) { this(options(inChannels, outChannels, kernelSize)); }

    /** {@code nn.Conv2d} with the given options; the weight and bias get PyTorch's default initialisation. */
    public Conv2d(Options o) {
        jtorch.ops.Args.notNull("Conv2d", "options", o);
        if (o.groups <= 0) throw new IllegalArgumentException("groups must be a positive integer");
        if (o.inChannels % o.groups != 0) throw new IllegalArgumentException("in_channels must be divisible by groups");
        if (o.outChannels % o.groups != 0) throw new IllegalArgumentException("out_channels must be divisible by groups");
        if (!Arrays.asList("zeros", "reflect", "replicate", "circular").contains(o.paddingMode))
            throw new IllegalArgumentException("padding_mode must be one of ['zeros', 'reflect', 'replicate', 'circular'], "
                    + "but got padding_mode='" + o.paddingMode + "'");
        if ("same".equals(o.paddingString) && (o.stride[0] != 1 || o.stride[1] != 1))
            throw new IllegalArgumentException("padding='same' is not supported for strided convolutions");
        for (int i = 0; i < 2; i++) {
            if (o.kernelSize[i] <= 0) throw new IllegalArgumentException("kernel_size must be positive, got " + Arrays.toString(o.kernelSize));
            if (o.stride[i] <= 0) throw new IllegalArgumentException("stride must be positive, got " + Arrays.toString(o.stride));
            if (o.padding[i] < 0) throw new IllegalArgumentException("padding must be non-negative, got " + Arrays.toString(o.padding));
            if (o.dilation[i] <= 0) throw new IllegalArgumentException("dilation must be positive, got " + Arrays.toString(o.dilation));
        }
        inChannels = o.inChannels;
        outChannels = o.outChannels;
        kernelSize = o.kernelSize.clone();
        stride = o.stride.clone();
        padding = o.padding.clone();
        dilation = o.dilation.clone();
        paddingString = o.paddingString;
        groups = o.groups;
        paddingMode = o.paddingMode;
        weight = registerParameter("weight", Torch.empty(outChannels, inChannels / groups, kernelSize[0], kernelSize[1]));
        bias = registerParameter("bias", o.bias ? Torch.empty(outChannels) : null);
        resetParameters();
    }

    /** PyTorch's {@code reset_parameters()}: weight, then bias, from the default generator. */
    public void resetParameters() {
        init.resetConvParameters(weight, bias);
    }

    @Override public Tensor forward(Tensor input) {
        jtorch.ops.Args.notNull("conv2d", "input", input);
        if (input.dim() != 3 && input.dim() != 4)
            throw new IllegalArgumentException("Expected 3D (unbatched) or 4D (batched) input to conv2d, but got input of size: "
                    + input.shape().toString().replace("torch.Size(", "").replace(")", ""));
        if (!paddingMode.equals("zeros")) {
            int[] pads = paddingPairs();
            Tensor padded = Convolution.pad(input, pads, paddingMode, 0);
            return Convolution.conv2d(padded, weight, bias, stride, new int[] {0, 0}, dilation, groups);
        }
        if (paddingString != null) return Convolution.conv2d(input, weight, bias, stride, paddingString, dilation, groups);
        return Convolution.conv2d(input, weight, bias, stride, padding, dilation, groups);
    }

    /** PyTorch's {@code _reversed_padding_repeated_twice}: (left, right, top, bottom). */
    private int[] paddingPairs() {
        int[] r = new int[4];
        for (int i = 0; i < 2; i++) {
            int before, after;
            if ("same".equals(paddingString)) {
                int total = dilation[i] * (kernelSize[i] - 1);
                before = total / 2;
                after = total - before;
            } else before = after = padding[i];
            r[(1 - i) * 2] = before;
            r[(1 - i) * 2 + 1] = after;
        }
        return r;
    }

    static String tuple(int[] v) {
        StringBuilder b = new StringBuilder("(");
        for (int i = 0; i < v.length; i++) b.append(i == 0 ? "" : ", ").append(v[i]);
        return b.append(v.length == 1 ? ",)" : ")").toString();
    }

    @Override protected String extraRepr() {
        StringBuilder s = new StringBuilder();
        s.append(inChannels).append(", ").append(outChannels).append(", kernel_size=").append(tuple(kernelSize))
                .append(", stride=").append(tuple(stride));
        if (paddingString != null) s.append(", padding=").append(paddingString);
        else if (padding[0] != 0 || padding[1] != 0) s.append(", padding=").append(tuple(padding));
        if (dilation[0] != 1 || dilation[1] != 1) s.append(", dilation=").append(tuple(dilation));
        if (groups != 1) s.append(", groups=").append(groups);
        if (bias == null) s.append(", bias=False");
        if (!paddingMode.equals("zeros")) s.append(", padding_mode=").append(paddingMode);
        return s.toString();
    }
}
