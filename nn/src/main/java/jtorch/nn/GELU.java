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

        /** The approximation set ({@code "none"} unless changed). */
        public String approximate() { return approximate; }
    }

    /** The default options of {@code nn.GELU}, to chain keyword arguments on. */
    public static Options options() { return new Options(); }

    /** {@code "none"} (the exact, erf form) or {@code "tanh"}. */
    public final String approximate;

    /** {@code nn.GELU()}: the exact form. */
    public GELU() { this(options()); }

    /** {@code nn.GELU(approximate=...)}: {@code "none"} or {@code "tanh"}. */
    public GELU(String approximate) { this(options().approximate(approximate)); }

    /** {@code nn.GELU} with the given options; another approximation string is refused. */
    public GELU(Options options) {
        jtorch.ops.Args.notNull("GELU", "options", options);
        if (!"none".equals(options.approximate) && !"tanh".equals(options.approximate))
            throw new IllegalArgumentException("approximate argument must be either none or tanh.");
        this.approximate = options.approximate;
    }

    @Override public Tensor forward(Tensor input) { return F.gelu(input, approximate); }

    @Override protected String extraRepr() { return "approximate='" + approximate + "'"; }
}
