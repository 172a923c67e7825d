package jtorch.nn;

import jtorch.Tensor;

/**
 * {@code nn.Unfold(kernel_size, dilation=1, padding=0, stride=1)}: sliding blocks of (N, C, H, W)
 * as columns (N, C*kh*kw, L).
 *
 * <pre>{@code
 * Tensor cols = new Unfold(Unfold.options(2, 3)).forward(Torch.randn(2, 5, 3, 4));   // (2, 30, 4)
 * }</pre>
 */
public class Unfold extends Module {
    /** The keyword arguments of {@code nn.Unfold} (and {@code nn.Fold}). */
    public static final class Options {
        IntPair kernelSize, dilation = IntPair.of(1), padding = IntPair.of(0), stride = IntPair.of(1);

        Options(IntPair k) { kernelSize = k; }

        public Options dilation(int d) { dilation = IntPair.of(d); return this; }
        public Options dilation(int dh, int dw) { dilation = IntPair.of(dh, dw); return this; }
        public Options padding(int p) { padding = IntPair.of(p); return this; }
        public Options padding(int ph, int pw) { padding = IntPair.of(ph, pw); return this; }
        public Options stride(int s) { stride = IntPair.of(s); return this; }
        public Options stride(int sh, int sw) { stride = IntPair.of(sh, sw); return this; }

        String repr() {
            return "kernel_size=" + kernelSize + ", dilation=" + dilation + ", padding=" + padding + ", stride=" + stride;
        }
    }

    public static Options options(int kernelSize) { return new Options(IntPair.of(kernelSize)); }

    public static Options options(int kh, int kw) { return new Options(IntPair.of(kh, kw)); }

    private final Options o;

    public Unfold(Options options) { this.o = jtorch.ops.Args.notNull("Unfold", "options", options); }

    @Override public Tensor forward(Tensor input) {
        return jtorch.ops.Unfold.unfold(input, o.kernelSize.values, o.dilation.values, o.padding.values, o.stride.values);
    }

    @Override protected String extraRepr() { return o.repr(); }
}
