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
    public final String reduction;

    public MSELoss() { this("mean"); }

    public MSELoss(String reduction) {
        jtorch.ops.Args.notNull("MSELoss", "reduction", reduction);
        if (!reduction.equals("mean") && !reduction.equals("sum") && !reduction.equals("none"))
            throw new IllegalArgumentException(reduction + " is not a valid value for reduction");
        this.reduction = reduction;
    }

    public Tensor forward(Tensor input, Tensor target) { return F.mseLoss(input, target, reduction); }
}
