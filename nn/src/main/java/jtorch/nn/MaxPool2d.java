package jtorch.nn;

import jtorch.Tensor;
import jtorch.nn.functional.Pooling;

/**
 * {@code nn.MaxPool2d(kernel_size, stride=kernel_size, padding=0, dilation=1, return_indices=False,
 * ceil_mode=False)}.
 *
 * <pre>{@code
 * var pool = new MaxPool2d(MaxPool2d.options(2).ceilMode(true));
 * Tensor y = pool.forward(x);
 * Tensor idx = pool.forwardWithIndices(x).indices;
 * }</pre>
 */
public class MaxPool2d extends Module {
    /** The keyword arguments of {@code nn.MaxPool2d}. */
    public static final class Options {
        IntPair kernelSize, stride, padding = IntPair.of(0), dilation = IntPair.of(1);
        boolean ceilMode, returnIndices;

        Options(IntPair k) { kernelSize = k; }

        /** {@code stride}: the same step along height and width (default: the kernel size). */
        public Options stride(int s) { stride = IntPair.of(s); return this; }
        /** {@code stride=(sh, sw)}: the steps along height and width (default: the kernel size). */
        public Options stride(int sh, int sw) { stride = IntPair.of(sh, sw); return this; }
        /** {@code padding}: implicit -inf on every side (default 0; at most half the kernel size). */
        public Options padding(int p) { padding = IntPair.of(p); return this; }
        /** {@code padding=(ph, pw)}: at the top and bottom, and left and right (default 0). */
        public Options padding(int ph, int pw) { padding = IntPair.of(ph, pw); return this; }
        /** {@code dilation}: the spacing between window elements (default 1). */
        public Options dilation(int d) { dilation = IntPair.of(d); return this; }
        /** {@code dilation=(dh, dw)} (default 1). */
        public Options dilation(int dh, int dw) { dilation = IntPair.of(dh, dw); return this; }
        /** {@code ceil_mode}: round the output size up instead of down (default false). */
        public Options ceilMode(boolean c) { ceilMode = c; return this; }
        /**
         * {@code return_indices} (default false): only recorded, as {@link MaxPool2d#returnIndices()};
         * {@code forward} returns the values, and {@link MaxPool2d#forwardWithIndices} the values and indices.
         */
        public Options returnIndices(boolean r) { returnIndices = r; return this; }
    }

    /**
     * The options of {@code nn.MaxPool2d(kernel_size)} with a square kernel, to chain keyword arguments
     * on: {@code MaxPool2d.options(3).stride(2)}.
     */
    public static Options options(int kernelSize) { return new Options(IntPair.of(kernelSize)); }

    /** The options of {@code nn.MaxPool2d((kh, kw))} with a {@code kh x kw} kernel, to chain keyword arguments on. */
    public static Options options(int kh, int kw) { return new Options(IntPair.of(kh, kw)); }

    private final Options o;

    /** {@code nn.MaxPool2d(kernel_size)}: a square window, stride equal to it, no padding. */
    public MaxPool2d(int kernelSize) { this(options(kernelSize)); }

    /** {@code nn.MaxPool2d} with the given options; input {@code (N, C, H, W)} or {@code (C, H, W)}. */
    public MaxPool2d(Options options) {
        jtorch.ops.Args.notNull("MaxPool2d", "options", options);
        this.o = options;
        if (o.stride == null) o.stride = o.kernelSize;
    }

    @Override public Tensor forward(Tensor input) { return forwardWithIndices(input).values; }

    /** {@code return_indices=True}: the pooled values and their flat positions in each input plane. */
    public Pooling.MaxPoolResult forwardWithIndices(Tensor input) {
        return Pooling.maxPool2d(input, o.kernelSize.values, o.stride.values, o.padding.values, o.dilation.values, o.ceilMode);
    }

    /** Whether {@code return_indices} was set (call {@link #forwardWithIndices} for the indices). */
    public boolean returnIndices() { return o.returnIndices; }

    @Override protected String extraRepr() {
        return "kernel_size=" + o.kernelSize + ", stride=" + o.stride + ", padding=" + o.padding + ", dilation=" + o.dilation
                + ", ceil_mode=" + (o.ceilMode ? "True" : "False");
    }
}
