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

        public Options stride(int s) { stride = IntPair.of(s); return this; }
        public Options stride(int sh, int sw) { stride = IntPair.of(sh, sw); return this; }
        public Options padding(int p) { padding = IntPair.of(p); return this; }
        public Options padding(int ph, int pw) { padding = IntPair.of(ph, pw); return this; }
        public Options ceilMode(boolean c) { ceilMode = c; return this; }
        public Options countIncludePad(boolean c) { countIncludePad = c; return this; }
        public Options divisorOverride(int d) {
            if (d <= 0) throw new IllegalArgumentException("divisor must be not zero");
            divisorOverride = d;
            return this;
        }
    }

    public static Options options(int kernelSize) { return new Options(IntPair.of(kernelSize)); }

    public static Options options(int kh, int kw) { return new Options(IntPair.of(kh, kw)); }

    private final Options o;

    public AvgPool2d(int kernelSize) { this(options(kernelSize)); }

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
