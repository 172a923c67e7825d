package jtorch.nn;

import jtorch.Tensor;
import jtorch.nn.functional.F;

/**
 * {@code nn.SmoothL1Loss(reduction='mean', beta=1.0)}: with {@code z = |input - target|}, the loss is
 * {@code 0.5 z^2 / beta} where {@code z < beta} and {@code z - 0.5 beta} elsewhere (Huber loss
 * divided by beta); {@code beta = 0} is the L1 loss.
 *
 * <pre>{@code
 * var loss = new SmoothL1Loss(SmoothL1Loss.options().beta(0.5).reduction("sum"));
 * Tensor l = loss.forward(prediction, target);
 * }</pre>
 */
public class SmoothL1Loss extends Module {
    /** Keyword arguments of {@code nn.SmoothL1Loss}. */
    public static final class Options {
        private String reduction = "mean";
        private double beta = 1.0;

        /** {@code reduction}: {@code "mean"} (default), {@code "sum"} or {@code "none"}. */
        public Options reduction(String reduction) { this.reduction = reduction; return this; }

        /** The threshold between the quadratic and the linear part (default 1, must be >= 0). */
        public Options beta(double beta) { this.beta = beta; return this; }

        /** The reduction set ({@code "mean"} unless changed). */
        public String reduction() { return reduction; }

        /** The beta set (default 1). */
        public double beta() { return beta; }
    }

    /** The default options of {@code nn.SmoothL1Loss}, to chain keyword arguments on. */
    public static Options options() { return new Options(); }

    /** {@code "mean"}, {@code "sum"} or {@code "none"}. */
    public final String reduction;
    /** The threshold between the quadratic and the linear part. */
    public final double beta;

    /** {@code nn.SmoothL1Loss()}: beta 1, mean reduction. */
    public SmoothL1Loss() { this(options()); }

    /** {@code nn.SmoothL1Loss(reduction=...)} with every other option at its default: {@code new SmoothL1Loss("sum")}. */
    public SmoothL1Loss(String reduction) { this(options().reduction(reduction)); }

    /** {@code nn.SmoothL1Loss(reduction=..., beta=...)} from options; a negative beta is refused. */
    public SmoothL1Loss(Options options) {
        jtorch.ops.Args.notNull("SmoothL1Loss", "options", options);
        this.reduction = Checks.reduction(options.reduction);
        if (!(options.beta >= 0)) throw new IllegalArgumentException("smooth_l1_loss does not support negative values for beta.");
        this.beta = options.beta;
    }

    /**
     * The loss of {@code input} against {@code target} (broadcast together): a scalar, or elementwise
     * with {@code reduction="none"}.
     */
    public Tensor forward(Tensor input, Tensor target) { return F.smoothL1Loss(input, target, reduction, beta); }
}
