package jtorch.nn;

import jtorch.Tensor;
import jtorch.nn.functional.F;

/**
 * {@code nn.NLLLoss(weight=None, ignore_index=-100, reduction='mean')}: the negative log-likelihood
 * of the target classes given log-probabilities ({@code (C)}, {@code (N, C)} or
 * {@code (N, C, d1, ...)}) and int64 class indices ({@code ()}, {@code (N)} or {@code (N, d1, ...)}).
 * Targets equal to {@code ignore_index} contribute nothing; "mean" divides by the summed class
 * weight of the other targets. The class weight is a buffer named {@code weight}, as in PyTorch.
 *
 * <pre>{@code
 * var loss = new NLLLoss(NLLLoss.options().weight(Torch.tensor(new float[] {1, 2, 1})).ignoreIndex(0));
 * Tensor l = loss.forward(F.logSoftmax(logits, 1), targets);
 * }</pre>
 */
public class NLLLoss extends Module {
    /** Keyword arguments of {@code nn.NLLLoss}. */
    public static final class Options {
        private Tensor weight;
        private long ignoreIndex = -100;
        private String reduction = "mean";

        /** A weight per class, shape {@code (C)}; null (default) weighs all classes 1. */
        public Options weight(Tensor weight) { this.weight = weight; return this; }

        /** A target value that is ignored (default -100). */
        public Options ignoreIndex(long ignoreIndex) { this.ignoreIndex = ignoreIndex; return this; }

        public Options reduction(String reduction) { this.reduction = reduction; return this; }

        public Tensor weight() { return weight; }

        public long ignoreIndex() { return ignoreIndex; }

        public String reduction() { return reduction; }
    }

    public static Options options() { return new Options(); }

    /** Null when no class weights were given. */
    public final Tensor weight;
    public final long ignoreIndex;
    public final String reduction;

    public NLLLoss() { this(options()); }

    /** {@code nn.NLLLoss(reduction=...)} with every other option at its default: {@code new NLLLoss("sum")}. */
    public NLLLoss(String reduction) { this(options().reduction(reduction)); }

    public NLLLoss(Options options) {
        jtorch.ops.Args.notNull("NLLLoss", "options", options);
        this.reduction = Checks.reduction(options.reduction);
        this.weight = registerBuffer("weight", Checks.classWeight(options.weight, "NLLLoss"));
        this.ignoreIndex = options.ignoreIndex;
    }

    public Tensor forward(Tensor input, Tensor target) { return F.nllLoss(input, target, weight, ignoreIndex, reduction); }
}
