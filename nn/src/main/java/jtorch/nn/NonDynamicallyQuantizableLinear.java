package jtorch.nn;

/**
 * {@code nn.modules.linear.NonDynamicallyQuantizableLinear}: a {@link Linear} under another name,
 * which PyTorch gives {@link MultiheadAttention}'s {@code out_proj} (so that its repr and its
 * quantisation rules differ). Same parameters, init and forward as {@code Linear}.
 *
 * <pre>{@code
 * var outProj = new NonDynamicallyQuantizableLinear(8, 8, true);
 * System.out.println(outProj);   // NonDynamicallyQuantizableLinear(in_features=8, out_features=8, bias=True)
 * }</pre>
 */
public class NonDynamicallyQuantizableLinear extends Linear {
    /** The same as {@code new Linear(inFeatures, outFeatures, bias)}, under PyTorch's name for {@code out_proj}. */
    public NonDynamicallyQuantizableLinear(long inFeatures, long outFeatures, boolean bias) { super(inFeatures, outFeatures, bias); }
}
