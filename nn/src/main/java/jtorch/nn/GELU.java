package jtorch.nn;

import jtorch.Tensor;
import jtorch.nn.functional.F;

/**
 * {@code nn.GELU(approximate='none')}: {@code x * Phi(x)}, Phi the standard normal CDF, computed with
 * the error function ({@code "none"}) or with PyTorch's tanh approximation ({@code "tanh"}).
 *
 * <pre>{@code
 * var act = new GELU("tanh");
 * System.out.println(act);   // GELU(approximate='tanh')
 * }</pre>
 */
public class GELU extends Module {
    /** Keyword arguments of {@code nn.GELU}. */
    public static final class Options {
        private String approximate = "none";

        /** {@code "none"} (default) or {@code "tanh"}. */
        public Options approximate(String approximate) { this.approximate = approximate; return this; }

        public String approximate() { return approximate; }
    }

    public static Options options() { return new Options(); }

    public final String approximate;

    public GELU() { this(options()); }

    public GELU(String approximate) { this(options().approximate(approximate)); }

    public GELU(Options options) {
        jtorch.ops.Args.notNull("GELU", "options", options);
        if (!"none".equals(options.approximate) && !"tanh".equals(options.approximate))
            throw new IllegalArgumentException("approximate argument must be either none or tanh.");
        this.approximate = options.approximate;
    }

    @Override public Tensor forward(Tensor input) { return F.gelu(input, approximate); }

    @Override protected String extraRepr() { return "approximate='" + approximate + "'"; }
}
