package jtorch.nn;

import jtorch.Tensor;
import jtorch.nn.functional.F;

/**
 * {@code nn.LogSoftmax(dim=None)}: {@code log(softmax(x))} along {@code dim}, computed stably ({@code x - logsumexp(x)}).
 * Without a dim, PyTorch's deprecated implicit choice applies: dim 0 for 0-, 1- and 3-dim inputs,
 * else dim 1.
 *
 * <pre>{@code
 * var m = new LogSoftmax(1);
 * System.out.println(m);                 // LogSoftmax(dim=1)
 * Tensor p = m.forward(Torch.randn(2, 3));
 * }</pre>
 */
public class LogSoftmax extends Module {
    /** Null for PyTorch's implicit dim. */
    public final Integer dim;

    /** {@code LogSoftmax()}: the implicit dim (deprecated in PyTorch; prefer {@link #LogSoftmax(int)}). */
    public LogSoftmax() { this.dim = null; }

    /** {@code nn.LogSoftmax(dim)}: along {@code dim} (negative counts from the end); the output has the input's shape. */
    public LogSoftmax(int dim) { this.dim = dim; }

    @Override public Tensor forward(Tensor input) {
        jtorch.ops.Args.notNull("log_softmax", "input", input);
        int d = dim != null ? dim : input.dim() == 0 || input.dim() == 1 || input.dim() == 3 ? 0 : 1;
        return F.logSoftmax(input, d);
    }

    @Override protected String extraRepr() { return "dim=" + (dim == null ? "None" : dim.toString()); }
}
