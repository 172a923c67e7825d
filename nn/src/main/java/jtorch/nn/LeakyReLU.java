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

        /** {@code negative_slope}: the slope for negative inputs (default 0.01). */
        public Options negativeSlope(double negativeSlope) { this.negativeSlope = negativeSlope; return this; }

        /** Overwrite the input instead of allocating the output (default false). */
        public Options inplace(boolean inplace) { this.inplace = inplace; return this; }

        /** The slope set (default 0.01). */
        public double negativeSlope() { return negativeSlope; }

        /** Whether in place (default false). */
        public boolean inplace() { return inplace; }
    }

    /** The default options of {@code nn.LeakyReLU}, to chain keyword arguments on. */
    public static Options options() { return new Options(); }

    /** The slope for negative inputs. */
    public final double negativeSlope;
    /** Whether the input itself is overwritten. */
    public final boolean inplace;

    /** {@code nn.LeakyReLU()}: slope 0.01. */
    public LeakyReLU() { this(options()); }

    /** {@code nn.LeakyReLU(negative_slope)}. */
    public LeakyReLU(double negativeSlope) { this(options().negativeSlope(negativeSlope)); }

    /** {@code nn.LeakyReLU(negative_slope, inplace)}. */
    public LeakyReLU(double negativeSlope, boolean inplace) { this(options().negativeSlope(negativeSlope).inplace(inplace)); }

    /** {@code nn.LeakyReLU} with the given options. */
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
