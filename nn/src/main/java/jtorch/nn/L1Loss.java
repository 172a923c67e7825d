package jtorch.nn;

import jtorch.Tensor;
import jtorch.nn.functional.F;

/**
 * {@code nn.L1Loss(reduction='mean')}: the mean (or sum, or elementwise) absolute error
 * {@code |input - target|}.
 *
 * <pre>{@code
 * var loss = new L1Loss();                         // or new L1Loss("sum"), L1Loss.options().reduction("none")
 * Tensor l = loss.forward(prediction, target);
 * }</pre>
 */
public class L1Loss extends Module {
    /** Keyword arguments of {@code nn.L1Loss}. */
    public static final class Options {
        private String reduction = "mean";

        /** {@code "mean"} (default), {@code "sum"} or {@code "none"}. */
        public Options reduction(String reduction) { this.reduction = reduction; return this; }

        /** The reduction set ({@code "mean"} unless changed). */
        public String reduction() { return reduction; }
    }

    /** The default options of {@code nn.L1Loss}, to chain keyword arguments on. */
    public static Options options() { return new Options(); }

    /** {@code "mean"}, {@code "sum"} or {@code "none"}. */
    public final String reduction;

    /** {@code nn.L1Loss()}: the mean absolute error. */
    public L1Loss() { this(options()); }

    /** {@code nn.L1Loss(reduction=...)}: {@code "mean"}, {@code "sum"} or {@code "none"}. */
    public L1Loss(String reduction) { this(options().reduction(reduction)); }

    /** {@code nn.L1Loss} with the given options. */
    public L1Loss(Options options) { this.reduction = Checks.reduction(jtorch.ops.Args.notNull("L1Loss", "options", options).reduction); }

    /**
     * The loss of {@code input} against {@code target} (broadcast together): a scalar, or elementwise
     * with {@code reduction="none"}.
     */
    public Tensor forward(Tensor input, Tensor target) { return F.l1Loss(input, target, reduction); }
}
