package jtorch.nn;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import jtorch.Tensor;

/**
 * {@code nn.ParameterList}: parameters in a list, registered as the module's parameters {@code "0"},
 * {@code "1"}, ... (so the owner's state dict has {@code "params.0"}). A tensor that is not a
 * {@link Parameter} is wrapped in one, as PyTorch 1.13 does. Indexable (negative counts from the end)
 * and iterable; it cannot be called.
 *
 * <pre>{@code
 * class Net extends Module {
 *     final ParameterList params = registerModule("params", new ParameterList());
 *     Net() { for (int i = 0; i < 3; i++) params.append(Torch.randn(4, 4)); }
 *     @Override public Tensor forward(Tensor x) {
 *         for (Parameter p : params) x = x.matmul(p);
 *         return x;
 *     }
 * }
 * }</pre>
 */
public class ParameterList extends Module implements Iterable<Parameter> {
    /**
     * {@code nn.ParameterList([t0, t1, ...])}: each tensor wrapped in a {@link Parameter} unless it is
     * one, registered as {@code "0"}, {@code "1"}, ...
     */
    public ParameterList(Tensor... values) {
        for (Tensor t : values) append(t);
    }

    /** {@code nn.ParameterList(iterable)}: the tensors in iteration order. */
    public ParameterList(Iterable<? extends Tensor> values) { extend(values); }

    /** Adds {@code value} at the end (wrapped in a {@link Parameter} unless it is one); null is kept as an absent entry. */
    public ParameterList append(Tensor value) {
        registerParameter(Integer.toString(size()), value);
        return this;
    }

    /** {@code extend(values)}: appends every tensor of {@code values}, in order. */
    public ParameterList extend(Iterable<? extends Tensor> values) {
        for (Tensor t : values) append(t);
        return this;
    }

    /** {@code list[i]}. */
    public Parameter get(int i) { return ownParameters().get(index(i)); }

    /** {@code list[i] = value}: replaces the entry (wrapping a plain tensor) and returns the new parameter. */
    public Parameter set(int i, Tensor value) { return registerParameter(index(i), value); }

    private String index(int i) {
        int n = size();
        if (i < -n || i >= n) throw new IndexOutOfBoundsException("index " + i + " is out of range");
        return Integer.toString(i < 0 ? i + n : i);
    }

    /** {@code len(list)}. */
    public int size() { return ownParameters().size(); }

    /** Whether the list holds no parameter. */
    public boolean isEmpty() { return size() == 0; }

    @Override public Iterator<Parameter> iterator() { return new ArrayList<>(ownParameters().values()).iterator(); }

    /** As PyTorch: a ParameterList holds parameters for its owner and is not a layer. */
    @Override public Tensor forward(Tensor input) { throw new IllegalStateException("ParameterList should not be called."); }

    @Override protected String extraRepr() {
        List<String> lines = new ArrayList<>();
        int i = 0;
        for (Parameter p : this) lines.add(Containers.parameterLine(Integer.toString(i++), p, false));
        return String.join("\n", lines);
    }
}
