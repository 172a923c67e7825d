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

        /** {@code dilation}: the spacing between kernel elements (default 1). */
        public Options dilation(int d) { dilation = IntPair.of(d); return this; }
        /** {@code dilation=(dh, dw)} (default 1). */
        public Options dilation(int dh, int dw) { dilation = IntPair.of(dh, dw); return this; }
        /** {@code padding}: implicit zeros on every side (default 0). */
        public Options padding(int p) { padding = IntPair.of(p); return this; }
        /** {@code padding=(ph, pw)} (default 0). */
        public Options padding(int ph, int pw) { padding = IntPair.of(ph, pw); return this; }
        /** {@code stride}: the step of the sliding block (default 1). */
        public Options stride(int s) { stride = IntPair.of(s); return this; }
        /** {@code stride=(sh, sw)} (default 1). */
        public Options stride(int sh, int sw) { stride = IntPair.of(sh, sw); return this; }

        String repr() {
            return "kernel_size=" + kernelSize + ", dilation=" + dilation + ", padding=" + padding + ", stride=" + stride;
        }
    }

    /**
     * The options of {@code nn.Unfold(kernel_size)} with a square kernel, to chain keyword arguments
     * on: {@code Unfold.options(3).padding(1)}.
     */
    public static Options options(int kernelSize) { return new Options(IntPair.of(kernelSize)); }

    /** The options of {@code nn.Unfold((kh, kw))} with a {@code kh x kw} kernel. */
    public static Options options(int kh, int kw) { return new Options(IntPair.of(kh, kw)); }

    private final Options o;

    /**
     * {@code nn.Unfold} with the given options; input {@code (N, C, H, W)} or {@code (C, H, W)}, output
     * {@code (N, C * kh * kw, L)}.
     */
    public Unfold(Options options) { this.o = jtorch.ops.Args.notNull("Unfold", "options", options); }

    @Override public Tensor forward(Tensor input) {
        return jtorch.ops.Unfold.unfold(input, o.kernelSize.values, o.dilation.values, o.padding.values, o.stride.values);
    }

    @Override protected String extraRepr() { return o.repr(); }
}
