package jtorch.nn;

import jtorch.Tensor;
import jtorch.nn.functional.F;

/**
 * {@code nn.BCELoss(weight=None, reduction='mean')}: the binary cross entropy
 * {@code -w (t log x + (1 - t) log(1 - x))} between probabilities {@code x} in [0, 1] and targets
 * {@code t}, each log clamped at -100 as PyTorch clamps it. The weight (broadcast to the input) is a
 * buffer named {@code weight}.
 *
 * <pre>{@code
 * var loss = new BCELoss();
 * Tensor l = loss.forward(model.forward(x).sigmoid(), labels);
 * }</pre>
 */
public class BCELoss extends Module {
    /** Keyword arguments of {@code nn.BCELoss}. */
    public static final class Options {
        private Tensor weight;
        private String reduction = "mean";

        /** A weight broadcast to the input's shape; null (default) for none. */
        public Options weight(Tensor weight) { this.weight = weight; return this; }

        /** {@code reduction}: {@code "mean"} (default), {@code "sum"} or {@code "none"}. */
        public Options reduction(String reduction) { this.reduction = reduction; return this; }

        /** The weight set, or null. */
        public Tensor weight() { return weight; }

        /** The reduction set ({@code "mean"} unless changed). */
        public String reduction() { return reduction; }
    }

    /** The default options of {@code nn.BCELoss}, to chain keyword arguments on: {@code BCELoss.options().reduction("sum")}. */
    public static Options options() { return new Options(); }

    /** Null when no weight was given. */
    public final Tensor weight;
    /** {@code "mean"}, {@code "sum"} or {@code "none"}. */
    public final String reduction;

    /** {@code nn.BCELoss()}: no weight, mean reduction. */
    public BCELoss() { this(options()); }

    /** {@code nn.BCELoss(reduction=...)} with every other option at its default: {@code new BCELoss("sum")}. */
    public BCELoss(String reduction) { this(options().reduction(reduction)); }

    /** {@code nn.BCELoss(weight=..., reduction=...)} from options. */
    public BCELoss(Options options) {
        jtorch.ops.Args.notNull("BCELoss", "options", options);
        this.reduction = Checks.reduction(options.reduction);
        this.weight = registerBuffer("weight", options.weight);
    }

    /**
     * The loss of probabilities {@code input} against {@code target} (same shape, values in [0, 1]): a
     * scalar, or the input's shape with {@code reduction="none"}.
     */
    public Tensor forward(Tensor input, Tensor target) { return F.binaryCrossEntropy(input, target, weight, reduction); }
}
