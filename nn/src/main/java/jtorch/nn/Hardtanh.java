package jtorch.nn;

import jtorch.PyFormat;
import jtorch.Tensor;
import jtorch.nn.functional.F;

/**
 * {@code nn.Hardtanh(min_val=-1.0, max_val=1.0, inplace=False)}: clamps to {@code [min_val, max_val]}.
 *
 * <pre>{@code
 * var act = new Hardtanh(-2, 2);
 * System.out.println(act);   // Hardtanh(min_val=-2.0, max_val=2.0)
 * }</pre>
 */
public class Hardtanh extends Module {
    /** The lower bound of the output. */
    public final double minVal;
    /** The upper bound of the output. */
    public final double maxVal;
    /** Whether the input itself is clamped. */
    public final boolean inplace;

    /** {@code nn.Hardtanh()}: clamps to [-1, 1]. */
    public Hardtanh() { this(-1, 1, false); }

    /** {@code nn.Hardtanh(min_val, max_val)}; {@code max_val} must be greater than {@code min_val}. */
    public Hardtanh(double minVal, double maxVal) { this(minVal, maxVal, false); }

    /** {@code nn.Hardtanh(min_val, max_val, inplace)}. */
    public Hardtanh(double minVal, double maxVal, boolean inplace) {
        if (maxVal <= minVal) throw new IllegalArgumentException("max_val must be greater than min_val");
        this.minVal = minVal;
        this.maxVal = maxVal;
        this.inplace = inplace;
    }

    @Override public Tensor forward(Tensor input) { return F.hardtanh(input, minVal, maxVal, inplace); }

    @Override protected String extraRepr() {
        return "min_val=" + PyFormat.repr(minVal) + ", max_val=" + PyFormat.repr(maxVal) + (inplace ? ", inplace=True" : "");
    }
}
