package jtorch.nn;

import jtorch.PyFormat;
import jtorch.Tensor;
import jtorch.Torch;
import jtorch.nn.functional.F;

/**
 * {@code nn.LayerNorm(normalized_shape, eps=1e-05, elementwise_affine=True)}: normalises each sample
 * over its trailing {@code normalized_shape} dims (biased variance), then applies a learnable
 * elementwise {@code weight} (init 1) and {@code bias} (init 0) of that shape.
 *
 * <pre>{@code
 * var ln = new LayerNorm(10);
 * System.out.println(ln);   // LayerNorm((10,), eps=1e-05, elementwise_affine=True)
 * Tensor y = ln.forward(Torch.randn(4, 10));
 * var ln2 = new LayerNorm(LayerNorm.options(5, 5).elementwiseAffine(false));
 * }</pre>
 */
public class LayerNorm extends Module {
    /** Keyword arguments of {@code nn.LayerNorm}. */
    public static final class Options {
        private final long[] normalizedShape;
        private double eps = 1e-5;
        private boolean elementwiseAffine = true;

        Options(long[] normalizedShape) { this.normalizedShape = jtorch.ops.Args.notNull("LayerNorm", "normalized_shape", normalizedShape).clone(); }

        /** {@code eps}: added to the variance for stability (default 1e-5). */
        public Options eps(double eps) { this.eps = eps; return this; }

        /** Learn a weight and a bias of the normalized shape (default true). */
        public Options elementwiseAffine(boolean elementwiseAffine) { this.elementwiseAffine = elementwiseAffine; return this; }

        /** A copy of the normalized shape. */
        public long[] normalizedShape() { return normalizedShape.clone(); }

        /** The epsilon set (default 1e-5). */
        public double eps() { return eps; }

        /** Whether a weight and bias are learnt (default true). */
        public boolean elementwiseAffine() { return elementwiseAffine; }
    }

    /**
     * {@code nn.LayerNorm(normalized_shape)}'s options, to chain keyword arguments on:
     * {@code LayerNorm.options(10).eps(1e-6)}.
     */
    public static Options options(long... normalizedShape) { return new Options(normalizedShape); }

    private final long[] normalizedShape;
    /** Added to the variance for stability. */
    public final double eps;
    /** Whether a weight and bias of the normalized shape are learnt. */
    public final boolean elementwiseAffine;
    /** Null unless {@code elementwiseAffine}. */
    public final Parameter weight, bias;

    /**
     * {@code nn.LayerNorm(normalized_shape)}: the input's trailing dims must equal
     * {@code normalizedShape}; the output has the input's shape.
     */
    public LayerNorm(long... normalizedShape) { this(options(normalizedShape)); }

    /** {@code nn.LayerNorm} with the given options. */
    public LayerNorm(Options options) {
        jtorch.ops.Args.notNull("LayerNorm", "options", options);
        Checks.nonNegative(options.normalizedShape);
        this.normalizedShape = options.normalizedShape.clone();
        this.eps = options.eps;
        this.elementwiseAffine = options.elementwiseAffine;
        this.weight = registerParameter("weight", elementwiseAffine ? Torch.ones(normalizedShape) : null);
        this.bias = registerParameter("bias", elementwiseAffine ? Torch.zeros(normalizedShape) : null);
    }

    /** A copy of the trailing shape normalised over ({@code normalized_shape}). */
    public long[] normalizedShape() { return normalizedShape.clone(); }

    /** Weight 1 and bias 0. */
    public void resetParameters() {
        if (elementwiseAffine) {
            init.ones_(weight);
            init.zeros_(bias);
        }
    }

    @Override public Tensor forward(Tensor input) { return F.layerNorm(input, normalizedShape, weight, bias, eps); }

    @Override protected String extraRepr() {
        return PyFormat.tuple(normalizedShape) + ", eps=" + PyFormat.repr(eps) + ", elementwise_affine=" + PyFormat.bool(elementwiseAffine);
    }
}
