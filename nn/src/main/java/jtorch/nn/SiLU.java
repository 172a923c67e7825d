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
    /** Whether the input itself is overwritten. */
    public final boolean inplace;

    /** {@code nn.SiLU()}. */
    public SiLU() { this(false); }

    /** {@code nn.SiLU(inplace)}. */
    public SiLU(boolean inplace) { this.inplace = inplace; }

    @Override public Tensor forward(Tensor input) { return F.silu(input, inplace); }

    @Override protected String extraRepr() { return inplace ? "inplace=True" : ""; }
}
