package jtorch.nn;

import jtorch.Tensor;
import jtorch.nn.functional.Pooling;

/**
 * {@code nn.AvgPool2d(kernel_size, stride=kernel_size, padding=0, ceil_mode=False,
 * count_include_pad=True, divisor_override=None)}.
 *
 * <pre>{@code
 * var pool = new AvgPool2d(AvgPool2d.options(2).stride(2));
 * }</pre>
 */
public class AvgPool2d extends Module {
    /** The keyword arguments of {@code nn.AvgPool2d}. */
    public static final class Options {
        IntPair kernelSize, stride, padding = IntPair.of(0);
        boolean ceilMode, countIncludePad = true;
        int divisorOverride;

        Options(IntPair k) { kernelSize = k; }

        /** {@code stride}: the same step along height and width (default: the kernel size). */
        public Options stride(int s) { stride = IntPair.of(s); return this; }
        /** {@code stride=(sh, sw)}: the steps along height and width (default: the kernel size). */
        public Options stride(int sh, int sw) { stride = IntPair.of(sh, sw); return this; }
        /** {@code padding}: implicit zeros on every side (default 0; at most half the kernel size). */
        public Options padding(int p) { padding = IntPair.of(p); return this; }
        /** {@code padding=(ph, pw)}: implicit zeros at the top and bottom, left and right (default 0). */
        public Options padding(int ph, int pw) { padding = IntPair.of(ph, pw); return this; }
        /** {@code ceil_mode}: round the output size up instead of down (default false). */
        public Options ceilMode(boolean c) { ceilMode = c; return this; }
        /** {@code count_include_pad}: count the padding zeros in the average's divisor (default true). */
        public Options countIncludePad(boolean c) { countIncludePad = c; return this; }
        /** {@code divisor_override}: divide every window's sum by this instead of its size (default: none). */
        public Options divisorOverride(int d) {
            if (d <= 0) throw new IllegalArgumentException("divisor must be not zero");
            divisorOverride = d;
            return this;
        }
    }

    /**
     * The options of {@code nn.AvgPool2d(kernel_size)} with a square kernel, to chain keyword arguments
     * on: {@code AvgPool2d.options(2).stride(1)}.
     */
    public static Options options(int kernelSize) { return new Options(IntPair.of(kernelSize)); }

    /** The options of {@code nn.AvgPool2d((kh, kw))} with a {@code kh x kw} kernel, to chain keyword arguments on. */
    public static Options options(int kh, int kw) { return new Options(IntPair.of(kh, kw)); }

    private final Options o;

    /** {@code nn.AvgPool2d(kernel_size)}: a square kernel, stride equal to it, no padding. */
    public AvgPool2d(int kernelSize) { this(options(kernelSize)); }

    /** {@code nn.AvgPool2d} with the given options; input {@code (N, C, H, W)} or {@code (C, H, W)}. */
    public AvgPool2d(Options options) {
        jtorch.ops.Args.notNull("AvgPool2d", "options", options);
        this.o = options;
        if (o.stride == null) o.stride = o.kernelSize;
    }

    @Override public Tensor forward(Tensor input) {
        return Pooling.avgPool2d(input, o.kernelSize.values, o.stride.values, o.padding.values, o.ceilMode, o.countIncludePad,
                o.divisorOverride);
    }

    @Override protected String extraRepr() {
        return "kernel_size=" + o.kernelSize + ", stride=" + o.stride + ", padding=" + o.padding;
    }
}
