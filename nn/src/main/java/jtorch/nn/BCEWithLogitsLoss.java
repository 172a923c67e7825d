package jtorch.nn;

import jtorch.Tensor;
import jtorch.nn.functional.F;

/**
 * {@code nn.BCEWithLogitsLoss(weight=None, reduction='mean', pos_weight=None)}: the binary cross
 * entropy of {@code sigmoid(input)}, computed in PyTorch's numerically stable form so that logits of
 * any size give finite losses and gradients. {@code pos_weight} weighs the positive term per class
 * (broadcast along the last dim). Both weights are buffers ({@code weight}, {@code pos_weight}).
 *
 * <pre>{@code
 * var loss = new BCEWithLogitsLoss(BCEWithLogitsLoss.options().posWeight(Torch.full(new long[] {3}, 2.0)));
 * Tensor l = loss.forward(logits, labels);
 * }</pre>
 */
public class BCEWithLogitsLoss extends Module {
    /** Keyword arguments of {@code nn.BCEWithLogitsLoss}. */
    public static final class Options {
        private Tensor weight, posWeight;
        private String reduction = "mean";

        /** A weight broadcast to the input's shape; null (default) for none. */
        public Options weight(Tensor weight) { this.weight = weight; return this; }

        /** {@code reduction}: {@code "mean"} (default), {@code "sum"} or {@code "none"}. */
        public Options reduction(String reduction) { this.reduction = reduction; return this; }

        /** A weight of the positive examples, broadcast to the input; null (default) for none. */
        public Options posWeight(Tensor posWeight) { this.posWeight = posWeight; return this; }

        /** The weight set, or null. */
        public Tensor weight() { return weight; }

        /** The reduction set ({@code "mean"} unless changed). */
        public String reduction() { return reduction; }

        /** The positive-example weight set, or null. */
        public Tensor posWeight() { return posWeight; }
    }

    /** The default options of {@code nn.BCEWithLogitsLoss}, to chain keyword arguments on. */
    public static Options options() { return new Options(); }

    /** Null when not given. */
    public final Tensor weight, posWeight;
    /** {@code "mean"}, {@code "sum"} or {@code "none"}. */
    public final String reduction;

    /** {@code nn.BCEWithLogitsLoss()}: no weights, mean reduction. */
    public BCEWithLogitsLoss() { this(options()); }

    /** {@code nn.BCEWithLogitsLoss(reduction=...)} with every other option at its default: {@code new BCEWithLogitsLoss("sum")}. */
    public BCEWithLogitsLoss(String reduction) { this(options().reduction(reduction)); }

    /** {@code nn.BCEWithLogitsLoss(weight=..., reduction=..., pos_weight=...)} from options. */
    public BCEWithLogitsLoss(Options options) {
        jtorch.ops.Args.notNull("BCEWithLogitsLoss", "options", options);
        this.reduction = Checks.reduction(options.reduction);
        this.weight = registerBuffer("weight", options.weight);
        this.posWeight = registerBuffer("pos_weight", options.posWeight);
    }

    /**
     * The loss of logits {@code input} against {@code target} (same shape, values in [0, 1]): a scalar,
     * or the input's shape with {@code reduction="none"}.
     */
    public Tensor forward(Tensor input, Tensor target) {
        return F.binaryCrossEntropyWithLogits(input, target, weight, reduction, posWeight);
    }
}
