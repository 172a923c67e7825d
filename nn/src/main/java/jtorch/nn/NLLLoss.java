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

        /**
         * {@code reduction}: {@code "mean"} (default; divided by the summed weight of non-ignored
         * targets), {@code "sum"} or {@code "none"}.
         */
        public Options reduction(String reduction) { this.reduction = reduction; return this; }

        /** The class weights set, or null. */
        public Tensor weight() { return weight; }

        /** The ignored target value set (default -100). */
        public long ignoreIndex() { return ignoreIndex; }

        /** The reduction set ({@code "mean"} unless changed). */
        public String reduction() { return reduction; }
    }

    /** The default options of {@code nn.NLLLoss}, to chain keyword arguments on: {@code NLLLoss.options().ignoreIndex(0)}. */
    public static Options options() { return new Options(); }

    /** Null when no class weights were given. */
    public final Tensor weight;
    /** The target value that contributes nothing. */
    public final long ignoreIndex;
    /** {@code "mean"}, {@code "sum"} or {@code "none"}. */
    public final String reduction;

    /** {@code nn.NLLLoss()}: no class weights, ignore_index -100, mean reduction. */
    public NLLLoss() { this(options()); }

    /** {@code nn.NLLLoss(reduction=...)} with every other option at its default: {@code new NLLLoss("sum")}. */
    public NLLLoss(String reduction) { this(options().reduction(reduction)); }

    /** {@code nn.NLLLoss(weight=..., ignore_index=..., reduction=...)} from options. */
    public NLLLoss(Options options) {
        jtorch.ops.Args.notNull("NLLLoss", "options", options);
        this.reduction = Checks.reduction(options.reduction);
        this.weight = registerBuffer("weight", Checks.classWeight(options.weight, "NLLLoss"));
        this.ignoreIndex = options.ignoreIndex;
    }

    /**
     * The loss of log-probabilities {@code input} ({@code (C)}, {@code (N, C)} or
     * {@code (N, C, d1, ...)}) against int64 class indices {@code target} ({@code ()}, {@code (N)} or
     * {@code (N, d1, ...)}): a scalar, or per target with {@code reduction="none"}.
     */
    public Tensor forward(Tensor input, Tensor target) { return F.nllLoss(input, target, weight, ignoreIndex, reduction); }
}
