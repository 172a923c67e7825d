package jtorch.nn;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

import jtorch.Tensor;

/**
 * {@code nn.ParameterDict}: parameters by name, registered as the module's parameters (so the
 * owner's state dict has {@code "pd.key"}). A tensor that is not a {@link Parameter} is wrapped in
 * one. It keeps insertion order (replacing a key keeps its place), iterates over its keys and
 * cannot be called.
 *
 * <pre>{@code
 * var pd = new ParameterDict();
 * pd.put("left", Torch.randn(5, 10));                  // pd["left"] = nn.Parameter(torch.randn(5, 10))
 * Tensor y = x.matmul(pd.get("left"));
 * }</pre>
 */
public class ParameterDict extends Module implements Iterable<String> {
    /** {@code nn.ParameterDict()}: empty. */
    public ParameterDict() {}

    /** {@code ParameterDict(parameters)}: see {@link #update(Map)} for the order. */
    public ParameterDict(Map<String, ? extends Tensor> parameters) { update(parameters); }

    /** {@code dict[key]}: the parameter, or an exception naming the missing key. */
    public Parameter get(String key) {
        if (!containsKey(key)) throw new NoSuchElementException("'ParameterDict' object has no attribute '" + key + "'");
        return ownParameters().get(key);
    }

    /** {@code get(key, default)}: the parameter, or {@code defaultValue} if there is none. */
    public Tensor get(String key, Tensor defaultValue) { return containsKey(key) ? ownParameters().get(key) : defaultValue; }

    /** {@code dict[key] = value}: adds or replaces (in place) and returns the parameter it replaced, or null. */
    public Parameter put(String key, Tensor value) {
        Parameter old = ownParameters().get(key);
        registerParameter(key, value);
        return old;
    }

    /** {@code setdefault(key, default)}: the parameter under {@code key}, after putting {@code defaultValue} there if there was none. */
    public Parameter setdefault(String key, Tensor defaultValue) {
        if (!containsKey(key)) put(key, defaultValue);
        return ownParameters().get(key);
    }

    /** {@code pop(key)}: removes and returns the parameter. */
    public Parameter pop(String key) {
        Parameter p = get(key);
        removeParameter(key);
        return p;
    }

    /** {@code popitem()}: removes and returns the last inserted entry. */
    public Map.Entry<String, Parameter> popitem() {
        if (isEmpty()) throw new NoSuchElementException("popitem(): dictionary is empty");
        String last = keys().get(size() - 1);
        return new AbstractMap.SimpleImmutableEntry<>(last, pop(last));
    }

    /**
     * {@code update(parameters)}: puts every entry, in the map's own order if it has one
     * ({@code LinkedHashMap}, {@code SortedMap}), else sorted by key, as PyTorch sorts a plain dict.
     */
    public ParameterDict update(Map<String, ? extends Tensor> parameters) {
        for (Map.Entry<String, Tensor> e : Containers.<Tensor>orderedEntries(parameters)) put(e.getKey(), e.getValue());
        return this;
    }

    /** {@code update(other)}: puts {@code other}'s entries in its order. */
    public ParameterDict update(ParameterDict other) {
        for (Map.Entry<String, Parameter> e : other.items().entrySet()) put(e.getKey(), e.getValue());
        return this;
    }

    /** {@code copy()}: a new dict holding the same parameters (not copies of them), in order. */
    public ParameterDict copy() { return new ParameterDict().update(this); }

    /** {@code key in dict}. */
    public boolean containsKey(String key) { return ownParameters().containsKey(key); }

    /** {@code clear()}: removes every parameter. */
    public void clear() { for (String k : keys()) removeParameter(k); }

    /** {@code keys()}: the names, in order. */
    public List<String> keys() { return new ArrayList<>(ownParameters().keySet()); }

    /** {@code values()}: the parameters, in order. */
    public List<Parameter> values() { return new ArrayList<>(ownParameters().values()); }

    /** The entries in order, as a map that cannot be changed (change the dict through {@link #put}). */
    public Map<String, Parameter> items() { return ownParameters(); }

    /** {@code len(dict)}. */
    public int size() { return ownParameters().size(); }

    /** Whether the dict holds no parameter. */
    public boolean isEmpty() { return size() == 0; }

    /** Iterates over the keys, as iterating a Python dict does. */
    @Override public Iterator<String> iterator() { return keys().iterator(); }

    /** As PyTorch: a ParameterDict holds parameters for its owner and is not a layer. */
    @Override public Tensor forward(Tensor input) { throw new IllegalStateException("ParameterDict should not be called."); }

    @Override protected String extraRepr() {
        List<String> lines = new ArrayList<>();
        for (Map.Entry<String, Parameter> e : items().entrySet()) lines.add(Containers.parameterLine(e.getKey(), e.getValue(), true));
        return String.join("\n", lines);
    }
}
