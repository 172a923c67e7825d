package jtorch.nn;

import jtorch.Tensor;

/**
 * {@code nn.Fold(output_size, kernel_size, dilation=1, padding=0, stride=1)}: columns
 * (N, C*kh*kw, L) summed back into (N, C, H, W), the inverse arrangement of {@link Unfold}.
 *
 * <pre>{@code
 * var fold = new Fold(new int[] {4, 5}, Unfold.options(2, 2));
 * }</pre>
 */
public class Fold extends Module {
    private final IntPair outputSize;
    private final Unfold.Options o;

    /**
     * {@code nn.Fold(output_size=(n, n), kernel_size, ...)}: a square output; the kernel, dilation,
     * padding and stride come from {@code options} ({@code Unfold.options(k)...}).
     */
    public Fold(int outputSize, Unfold.Options options) {
        this.outputSize = IntPair.of(outputSize);
        this.o = jtorch.ops.Args.notNull("Fold", "options", options);
    }

    /**
     * {@code nn.Fold(output_size=(h, w), kernel_size, ...)}: input {@code (N, C * kh * kw, L)} or
     * {@code (C * kh * kw, L)}, output {@code (N, C, h, w)}.
     */
    public Fold(int[] outputSize, Unfold.Options options) {
        int[] o2 = jtorch.ops.Args.exactlyTwo("Fold", "output_size", outputSize);
        this.outputSize = IntPair.of(o2[0], o2[1]);
        this.o = jtorch.ops.Args.notNull("Fold", "options", options);
    }

    @Override public Tensor forward(Tensor input) {
        return jtorch.ops.Unfold.fold(input, outputSize.values, o.kernelSize.values, o.dilation.values, o.padding.values,
                o.stride.values);
    }

    @Override protected String extraRepr() { return "output_size=" + outputSize + ", " + o.repr(); }
}
