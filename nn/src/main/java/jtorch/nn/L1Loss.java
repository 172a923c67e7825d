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

        public String reduction() { return reduction; }
    }

    public static Options options() { return new Options(); }

    public final String reduction;

    public L1Loss() { this(options()); }

    public L1Loss(String reduction) { this(options().reduction(reduction)); }

    public L1Loss(Options options) { this.reduction = Checks.reduction(jtorch.ops.Args.notNull("L1Loss", "options", options).reduction); }

    public Tensor forward(Tensor input, Tensor target) { return F.l1Loss(input, target, reduction); }
}
