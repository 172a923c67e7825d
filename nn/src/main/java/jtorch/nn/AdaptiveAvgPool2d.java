package jtorch.nn;

import jtorch.Tensor;
import jtorch.nn.functional.Pooling;

/**
 * {@code nn.AdaptiveAvgPool2d(output_size)}: average pooling to a fixed output size.
 *
 * <pre>{@code
 * Tensor y = new AdaptiveAvgPool2d(1).forward(x);   // (N, C, 1, 1)
 * }</pre>
 */
public class AdaptiveAvgPool2d extends Module {
    private final IntPair outputSize;

    /**
     * {@code nn.AdaptiveAvgPool2d(size)}: a square {@code size x size} output; input
     * {@code (N, C, H, W)} or {@code (C, H, W)}.
     */
    public AdaptiveAvgPool2d(int size) { this.outputSize = IntPair.of(size); }

    /** {@code nn.AdaptiveAvgPool2d((h, w))}: an {@code h x w} output; input {@code (N, C, H, W)} or {@code (C, H, W)}. */
    public AdaptiveAvgPool2d(int h, int w) { this.outputSize = IntPair.of(h, w); }

    @Override public Tensor forward(Tensor input) { return Pooling.adaptiveAvgPool2d(input, outputSize.values); }

    @Override protected String extraRepr() { return "output_size=" + outputSize; }
}
