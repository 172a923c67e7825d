package jtorch.nn;

import jtorch.PyFormat;
import jtorch.Tensor;
import jtorch.nn.functional.F;

/**
 * {@code nn.Dropout(p=0.5, inplace=False)}: in training mode, zeroes each element with probability
 * {@code p} and scales the others by {@code 1/(1-p)}; in evaluation mode returns its input. The mask
 * comes from the default generator exactly as PyTorch's CPU dropout draws it, so after
 * {@code Torch.manualSeed(s)} it is PyTorch's mask.
 *
 * <pre>{@code
 * var drop = new Dropout(0.25);
 * Tensor y = drop.forward(x);      // training: masked and scaled by 4/3
 * drop.eval();
 * Tensor z = drop.forward(x);      // z == x
 * }</pre>
 */
public class Dropout extends Module {
    /** Keyword arguments of {@code nn.Dropout}. */
    public static final class Options {
        private double p = 0.5;
        private boolean inplace;

        /** The probability of zeroing an element, in [0, 1] (default 0.5). */
        public Options p(double p) { this.p = p; return this; }

        /** {@code inplace}: zero the input itself instead of a copy (default false). */
        public Options inplace(boolean inplace) { this.inplace = inplace; return this; }

        /** The probability set (default 0.5). */
        public double p() { return p; }

        /** Whether in place (default false). */
        public boolean inplace() { return inplace; }
    }

    /** The default options of {@code nn.Dropout}, to chain keyword arguments on: {@code Dropout.options().p(0.1)}. */
    public static Options options() { return new Options(); }

    /** The probability of zeroing an element, in [0, 1]. */
    public final double p;
    /** Whether the input itself is masked. */
    public final boolean inplace;

    /** {@code nn.Dropout()}: p = 0.5, not in place. */
    public Dropout() { this(options()); }

    /** {@code nn.Dropout(p)}, not in place. */
    public Dropout(double p) { this(options().p(p)); }

    /** {@code nn.Dropout(p, inplace)}. */
    public Dropout(double p, boolean inplace) { this(options().p(p).inplace(inplace)); }

    /** {@code nn.Dropout} with the given options; p outside [0, 1] is refused. */
    public Dropout(Options options) {
        jtorch.ops.Args.notNull("Dropout", "options", options);
        if (!(options.p >= 0.0 && options.p <= 1.0))
            throw new IllegalArgumentException("dropout probability has to be between 0 and 1, but got " + PyFormat.repr(options.p));
        this.p = options.p;
        this.inplace = options.inplace;
    }

    @Override public Tensor forward(Tensor input) { return F.dropout(input, p, isTraining(), inplace); }

    @Override protected String extraRepr() { return "p=" + PyFormat.repr(p) + ", inplace=" + PyFormat.bool(inplace); }
}
