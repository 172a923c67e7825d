package jtorch.nn;

import jtorch.Tensor;
import jtorch.nn.functional.F;

/**
 * {@code nn.Softmax(dim=None)}: {@code exp(x) / sum(exp(x))} along {@code dim}: each slice along the dim sums to 1.
 * Without a dim, PyTorch's deprecated implicit choice applies: dim 0 for 0-, 1- and 3-dim inputs,
 * else dim 1.
 *
 * <pre>{@code
 * var m = new Softmax(1);
 * System.out.println(m);                 // Softmax(dim=1)
 * Tensor p = m.forward(Torch.randn(2, 3));
 * }</pre>
 */
public class Softmax extends Module {
    /** Null for PyTorch's implicit dim. */
    public final Integer dim;

    /** {@code Softmax()}: the implicit dim (deprecated in PyTorch; prefer {@link #Softmax(int)}). */
    public Softmax() { this.dim = null; }

    /** {@code nn.Softmax(dim)}: along {@code dim} (negative counts from the end); the output has the input's shape. */
    public Softmax(int dim) { this.dim = dim; }

    @Override public Tensor forward(Tensor input) {
        jtorch.ops.Args.notNull("softmax", "input", input);
        int d = dim != null ? dim : input.dim() == 0 || input.dim() == 1 || input.dim() == 3 ? 0 : 1;
        return F.softmax(input, d);
    }

    @Override protected String extraRepr() { return "dim=" + (dim == null ? "None" : dim.toString()); }
}
