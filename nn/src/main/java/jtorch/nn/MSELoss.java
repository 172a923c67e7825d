package jtorch.nn;

import jtorch.Tensor;
import jtorch.nn.functional.F;

/**
 * {@code nn.MSELoss(reduction='mean')}: the mean (or sum, or elementwise) squared error.
 *
 * <pre>{@code
 * var loss = new MSELoss();
 * Tensor l = loss.forward(prediction, target);
 * }</pre>
 */
public class MSELoss extends Module {
    /** {@code "mean"}, {@code "sum"} or {@code "none"}. */
    public final String reduction;

    /** {@code nn.MSELoss()}: the mean squared error. */
    public MSELoss() { this("mean"); }

    /** {@code nn.MSELoss(reduction=...)}: {@code "mean"}, {@code "sum"} or {@code "none"}; anything else is refused. */
    public MSELoss(String reduction) {
        jtorch.ops.Args.notNull("MSELoss", "reduction", reduction);
        if (!reduction.equals("mean") && !reduction.equals("sum") && !reduction.equals("none"))
            throw new IllegalArgumentException(reduction + " is not a valid value for reduction");
        this.reduction = reduction;
    }

    /**
     * The loss of {@code input} against {@code target} (broadcast together): a scalar, or elementwise
     * with {@code reduction="none"}.
     */
    public Tensor forward(Tensor input, Tensor target) { return F.mseLoss(input, target, reduction); }
}
