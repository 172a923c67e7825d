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

        public Options stride(int s) { stride = IntPair.of(s); return this; }
        public Options stride(int sh, int sw) { stride = IntPair.of(sh, sw); return this; }
        public Options padding(int p) { padding = IntPair.of(p); return this; }
        public Options padding(int ph, int pw) { padding = IntPair.of(ph, pw); return this; }
        public Options dilation(int d) { dilation = IntPair.of(d); return this; }
        public Options dilation(int dh, int dw) { dilation = IntPair.of(dh, dw); return this; }
        public Options ceilMode(boolean c) { ceilMode = c; return this; }
        public Options returnIndices(boolean r) { returnIndices = r; return this; }
    }

    public static Options options(int kernelSize) { return new Options(IntPair.of(kernelSize)); }

    public static Options options(int kh, int kw) { return new Options(IntPair.of(kh, kw)); }

    private final Options o;

    public MaxPool2d(int kernelSize) { this(options(kernelSize)); }

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

    public boolean returnIndices() { return o.returnIndices; }

    @Override protected String extraRepr() {
        return "kernel_size=" + o.kernelSize + ", stride=" + o.stride + ", padding=" + o.padding + ", dilation=" + o.dilation
                + ", ceil_mode=" + (o.ceilMode ? "True" : "False");
    }
}
