package jtorch.nn;

import jtorch.Tensor;
import jtorch.nn.functional.F;

/**
 * {@code nn.Mish(inplace=False)}: {@code x * tanh(softplus(x))}.
 *
 * <pre>{@code
 * var act = new Mish();
 * System.out.println(act);   // Mish()
 * }</pre>
 */
public class Mish extends Module {
    /** Whether the input itself is overwritten. */
    public final boolean inplace;

    /** {@code nn.Mish()}. */
    public Mish() { this(false); }

    /** {@code nn.Mish(inplace)}. */
    public Mish(boolean inplace) { this.inplace = inplace; }

    @Override public Tensor forward(Tensor input) { return F.mish(input, inplace); }

    @Override protected String extraRepr() { return inplace ? "inplace=True" : ""; }
}
