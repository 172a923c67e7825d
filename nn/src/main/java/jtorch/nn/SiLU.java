package jtorch.nn;

import jtorch.Tensor;
import jtorch.nn.functional.F;

/**
 * {@code nn.SiLU(inplace=False)}: {@code x * sigmoid(x)}.
 *
 * <pre>{@code
 * var act = new SiLU();
 * System.out.println(act);   // SiLU()
 * }</pre>
 */
public class SiLU extends Module {
    public final boolean inplace;

    public SiLU() { this(false); }

    public SiLU(boolean inplace) { this.inplace = inplace; }

    @Override public Tensor forward(Tensor input) { return F.silu(input, inplace); }

    @Override protected String extraRepr() { return inplace ? "inplace=True" : ""; }
}
