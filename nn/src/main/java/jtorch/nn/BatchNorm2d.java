package jtorch.nn;

import jtorch.Tensor;

/**
 * {@code nn.BatchNorm2d(num_features, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)}
 * over inputs {@code (N, C, H, W)}; see {@link BatchNorm}.
 *
 * <pre>{@code
 * var bn = new BatchNorm2d(16);
 * System.out.println(bn);   // BatchNorm2d(16, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)
 * Tensor y = bn.forward(Torch.randn(4, 16, 8, 8));
 * }</pre>
 */
public class BatchNorm2d extends BatchNorm {
    /**
     * The default options of {@code nn.BatchNorm2d(num_features)}, to chain keyword arguments on:
     * {@code BatchNorm2d.options(16).momentum(0.01)}.
     */
    public static Options options(long numFeatures) { return new Options(numFeatures); }

    /** {@code nn.BatchNorm2d(num_features)} with the default options. */
    public BatchNorm2d(long numFeatures) { this(options(numFeatures)); }

    /** {@code nn.BatchNorm2d} with the given options. */
    public BatchNorm2d(Options options) { super(options); }

    @Override protected void checkInputDim(Tensor input) {
        jtorch.ops.Args.notNull("batch_norm", "input", input);
        if (input.dim() != 4) throw new IllegalArgumentException("expected 4D input (got " + input.dim() + "D input)");
    }
}
