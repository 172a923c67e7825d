package jtorch.nn;

import jtorch.PyFormat;
import jtorch.Tensor;
import jtorch.nn.functional.F;

/**
 * {@code nn.LeakyReLU(negative_slope=0.01, inplace=False)}: {@code x} for {@code x > 0}, else
 * {@code negative_slope * x}.
 *
 * <pre>{@code
 * var act = new LeakyReLU(0.2);
 * System.out.println(act);   // LeakyReLU(negative_slope=0.2)
 * Tensor y = act.forward(x);
 * }</pre>
 */
public class LeakyReLU extends Module {
    /** Keyword arguments of {@code nn.LeakyReLU}. */
    public static final class Options {
        private double negativeSlope = 0.01;
        private boolean inplace;

        public Options negativeSlope(double negativeSlope) { this.negativeSlope = negativeSlope; return this; }

        /** Overwrite the input instead of allocating the output (default false). */
        public Options inplace(boolean inplace) { this.inplace = inplace; return this; }

        public double negativeSlope() { return negativeSlope; }

        public boolean inplace() { return inplace; }
    }

    public static Options options() { return new Options(); }

    public final double negativeSlope;
    public final boolean inplace;

    public LeakyReLU() { this(options()); }

    public LeakyReLU(double negativeSlope) { this(options().negativeSlope(negativeSlope)); }

    public LeakyReLU(double negativeSlope, boolean inplace) { this(options().negativeSlope(negativeSlope).inplace(inplace)); }

    public LeakyReLU(Options options) {
        jtorch.ops.Args.notNull("LeakyReLU", "options", options);
        this.negativeSlope = options.negativeSlope;
        this.inplace = options.inplace;
    }

    @Override public Tensor forward(Tensor input) { return F.leakyRelu(input, negativeSlope, inplace); }

    @Override protected String extraRepr() {
        return "negative_slope=" + PyFormat.repr(negativeSlope) + (inplace ? ", inplace=True" : "");
    }
}
