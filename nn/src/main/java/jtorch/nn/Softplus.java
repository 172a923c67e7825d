package jtorch.nn;

import jtorch.PyFormat;
import jtorch.Tensor;
import jtorch.nn.functional.F;

/**
 * {@code nn.Softplus(beta=1, threshold=20)}: {@code log(1 + exp(beta x)) / beta}, linear above the threshold.
 *
 * <pre>{@code
 * var act = new Softplus();
 * System.out.println(act);   // Softplus(beta=1, threshold=20)
 * }</pre>
 */
public class Softplus extends Module {
    /** The scale of the input: {@code log(1 + exp(beta x)) / beta}. */
    public final double beta;
    /** Where {@code beta x > threshold} the output is {@code x} (the linear part). */
    public final double threshold;

    /** {@code nn.Softplus()}: beta 1, threshold 20. */
    public Softplus() { this(1, 20); }

    /** {@code nn.Softplus(beta, threshold)}. */
    public Softplus(double beta, double threshold) {
        this.beta = beta;
        this.threshold = threshold;
    }

    @Override public Tensor forward(Tensor input) { return F.softplus(input, beta, threshold); }

    /** PyTorch prints the values as given: its defaults are the ints 1 and 20. */
    private static String number(double v) { return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : PyFormat.repr(v); }

    @Override protected String extraRepr() { return "beta=" + number(beta) + ", threshold=" + number(threshold); }
}
