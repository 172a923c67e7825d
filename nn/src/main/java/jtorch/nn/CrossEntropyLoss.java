package jtorch.nn;

import jtorch.PyFormat;
import jtorch.Tensor;
import jtorch.nn.functional.F;

/**
 * {@code nn.CrossEntropyLoss(weight=None, ignore_index=-100, reduction='mean', label_smoothing=0.0)}:
 * the cross entropy between the softmax of unnormalised logits ({@code (C)}, {@code (N, C)} or
 * {@code (N, C, d1, ...)}) and a target that holds either int64 class indices (without the class
 * dim) or class probabilities (the input's shape). Equivalent to {@code NLLLoss} after
 * {@code logSoftmax} for class indices; label smoothing mixes the target with the uniform
 * distribution. The class weight is a buffer named {@code weight}, as in PyTorch.
 *
 * <pre>{@code
 * var criterion = new CrossEntropyLoss(CrossEntropyLoss.options().labelSmoothing(0.1));
 * Tensor loss = criterion.forward(model.forward(x), Torch.tensor(new long[] {3, 0, 9}));
 * loss.backward();
 * }</pre>
 */
public class CrossEntropyLoss extends Module {
    /** Keyword arguments of {@code nn.CrossEntropyLoss}. */
    public static final class Options {
        private Tensor weight;
        private long ignoreIndex = -100;
        private String reduction = "mean";
        private double labelSmoothing = 0.0;

        /** A weight per class, shape {@code (C)}; null (default) weighs all classes 1. */
        public Options weight(Tensor weight) { this.weight = weight; return this; }

        /** A class-index target value that is ignored (default -100); not allowed with probability targets. */
        public Options ignoreIndex(long ignoreIndex) { this.ignoreIndex = ignoreIndex; return this; }

        /**
         * {@code reduction}: {@code "mean"} (default; the weighted mean over non-ignored targets),
         * {@code "sum"} or {@code "none"}.
         */
        public Options reduction(String reduction) { this.reduction = reduction; return this; }

        /** In [0, 1] (default 0): the target becomes {@code (1 - s) target + s / C}. */
        public Options labelSmoothing(double labelSmoothing) { this.labelSmoothing = labelSmoothing; return this; }

        /** The class weights set, or null. */
        public Tensor weight() { return weight; }

        /** The ignored class index set (default -100). */
        public long ignoreIndex() { return ignoreIndex; }

        /** The reduction set ({@code "mean"} unless changed). */
        public String reduction() { return reduction; }

        /** The label smoothing set (default 0). */
        public double labelSmoothing() { return labelSmoothing; }
    }

    /**
     * The default options of {@code nn.CrossEntropyLoss}, to chain keyword arguments on:
     * {@code CrossEntropyLoss.options().ignoreIndex(0)}.
     */
    public static Options options() { return new Options(); }

    /** Null when no class weights were given. */
    public final Tensor weight;
    /** The class-index target value that contributes nothing. */
    public final long ignoreIndex;
    /** {@code "mean"}, {@code "sum"} or {@code "none"}. */
    public final String reduction;
    /** In [0, 1]: the weight of the uniform distribution mixed into the target. */
    public final double labelSmoothing;

    /** {@code nn.CrossEntropyLoss()}: no class weights, ignore_index -100, mean reduction, no label smoothing. */
    public CrossEntropyLoss() { this(options()); }

    /** {@code nn.CrossEntropyLoss(reduction=...)} with every other option at its default: {@code new CrossEntropyLoss("sum")}. */
    public CrossEntropyLoss(String reduction) { this(options().reduction(reduction)); }

    /** {@code nn.CrossEntropyLoss(weight=..., ignore_index=..., reduction=..., label_smoothing=...)} from options. */
    public CrossEntropyLoss(Options options) {
        jtorch.ops.Args.notNull("CrossEntropyLoss", "options", options);
        this.reduction = Checks.reduction(options.reduction);
        if (!(options.labelSmoothing >= 0.0 && options.labelSmoothing <= 1.0))
            throw new IllegalArgumentException("label_smoothing must be between 0.0 and 1.0. Got: " + PyFormat.cpp(options.labelSmoothing));
        this.weight = registerBuffer("weight", Checks.classWeight(options.weight, "CrossEntropyLoss"));
        this.ignoreIndex = options.ignoreIndex;
        this.labelSmoothing = options.labelSmoothing;
    }

    /**
     * The loss of logits {@code input} ({@code (C)}, {@code (N, C)} or {@code (N, C, d1, ...)}) against
     * {@code target} (int64 class indices of shape {@code ()}, {@code (N)} or {@code (N, d1, ...)}, or
     * probabilities of the input's shape): a scalar, or per element with {@code reduction="none"}.
     */
    public Tensor forward(Tensor input, Tensor target) {
        return F.crossEntropy(input, target, weight, ignoreIndex, reduction, labelSmoothing);
    }
}
