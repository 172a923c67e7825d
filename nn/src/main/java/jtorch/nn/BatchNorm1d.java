package jtorch.nn;

import jtorch.Tensor;

/**
 * {@code nn.BatchNorm1d(num_features, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)}
 * over inputs {@code (N, C)} or {@code (N, C, L)}; see {@link BatchNorm}.
 *
 * <pre>{@code
 * var bn = new BatchNorm1d(3);
 * Tensor y = bn.forward(Torch.randn(8, 3));   // training: batch statistics, running stats updated
 * bn.eval();
 * Tensor z = bn.forward(Torch.randn(2, 3));   // evaluation: running statistics
 * }</pre>
 */
public class BatchNorm1d extends BatchNorm {
    /**
     * The default options of {@code nn.BatchNorm1d(num_features)}, to chain keyword arguments on:
     * {@code BatchNorm1d.options(3).eps(1e-3)}.
     */
    public static Options options(long numFeatures) { return new Options(numFeatures); }

    /** {@code nn.BatchNorm1d(num_features)} with the default options. */
    public BatchNorm1d(long numFeatures) { this(options(numFeatures)); }

    /** {@code nn.BatchNorm1d} with the given options. */
    public BatchNorm1d(Options options) { super(options); }

    @Override protected void checkInputDim(Tensor input) {
        jtorch.ops.Args.notNull("batch_norm", "input", input);
        if (input.dim() != 2 && input.dim() != 3)
            throw new IllegalArgumentException("expected 2D or 3D input (got " + input.dim() + "D input)");
    }
}
