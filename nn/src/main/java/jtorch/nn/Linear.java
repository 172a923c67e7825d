package jtorch.nn;

import jtorch.Generator;
import jtorch.Tensor;
import jtorch.Torch;
import jtorch.nn.functional.F;

/**
 * {@code nn.Linear(in_features, out_features, bias)}: {@code y = x W^T + b}, with PyTorch's default
 * initialisation (kaiming-uniform weight with a = sqrt(5), bias uniform in ±1/sqrt(in_features)).
 *
 * <pre>{@code
 * var fc = new Linear(400, 120);
 * Tensor y = fc.forward(Torch.randn(8, 400));   // shape (8, 120)
 * }</pre>
 */
public class Linear extends Module {
    /** The size of each input sample ({@code H_in}, the input's last dim) and of each output sample ({@code H_out}). */
    public final long inFeatures, outFeatures;
    /** Not final, so that {@code setParameter("weight", p)} (weight tying) re-points it. */
    public Parameter weight;
    /** Null when built with {@code bias=false}; not final, as {@link #weight}. */
    public Parameter bias;

    /**
     * {@code nn.Linear(in_features, out_features)}, with bias. Input {@code (*, in_features)}, output
     * {@code (*, out_features)}.
     */
    public Linear(long inFeatures, long outFeatures) { this(inFeatures, outFeatures, true); }

    /**
     * {@code nn.Linear(in_features, out_features, bias)}: weight {@code (out_features, in_features)},
     * bias {@code (out_features)} unless {@code bias} is false; both get PyTorch's default
     * initialisation from the default generator.
     */
    public Linear(long inFeatures, long outFeatures, boolean bias) {
        if (inFeatures < 0 || outFeatures < 0)
            throw new IllegalArgumentException("Linear: in_features and out_features must be non-negative, got "
                    + inFeatures + " and " + outFeatures);
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        this.weight = registerParameter("weight", Torch.empty(outFeatures, inFeatures));
        this.bias = registerParameter("bias", bias ? Torch.empty(outFeatures) : null);
        resetParameters();
    }

    /** PyTorch's {@code reset_parameters()}: weight first, then bias, from the default generator. */
    public void resetParameters() {
        init.kaimingUniform_(weight, Math.sqrt(5), "fan_in", "leaky_relu");
        if (bias != null) {
            double bound = Generator.uniformBiasBound(inFeatures);
            init.uniform_(bias, -bound, bound);
        }
    }

    @Override public Tensor forward(Tensor input) { return F.linear(input, weight, bias); }

    @Override protected String extraRepr() {
        return "in_features=" + inFeatures + ", out_features=" + outFeatures + ", bias=" + (bias != null ? "True" : "False");
    }
}
