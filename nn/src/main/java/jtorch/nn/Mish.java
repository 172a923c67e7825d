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
    public final boolean inplace;

    public Mish() { this(false); }

    public Mish(boolean inplace) { this.inplace = inplace; }

    @Override public Tensor forward(Tensor input) { return F.mish(input, inplace); }

    @Override protected String extraRepr() { return inplace ? "inplace=True" : ""; }
}
