package jtorch.nn;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * {@code nn.ModuleDict}: submodules by name, registered as children so that their parameters are
 * the owner's ({@code "heads.cls.weight"}). It keeps insertion order (replacing a key keeps its
 * place), iterates over its keys and has no {@code forward} of its own.
 *
 * <pre>{@code
 * class Net extends Module {
 *     final ModuleDict act = registerModule("act", new ModuleDict(Map.of("relu", new ReLU(), "tanh", new Tanh())));
 *     @Override public Tensor forward(Tensor x) { return act.get("relu").forward(x); }   // self.act["relu"](x)
 * }
 * }</pre>
 */
public class ModuleDict extends Module implements Iterable<String> {
    /** {@code nn.ModuleDict()}: empty. */
    public ModuleDict() {}

    /** {@code ModuleDict(modules)}: see {@link #update(Map)} for the order. */
    public ModuleDict(Map<String, ? extends Module> modules) { update(modules); }

    /** {@code dict[key]}: the module, or an exception naming the missing key. */
    public Module get(String key) {
        if (!namedChildren().containsKey(key)) throw new NoSuchElementException("ModuleDict has no key '" + key + "'");
        return namedChildren().get(key);
    }

    /** {@code dict[key] = module}: adds or replaces (in place) and returns the module it replaced, or null. */
    public Module put(String key, Module module) {
        Module old = namedChildren().get(key);
        registerModule(key, module);
        return old;
    }

    /** {@code pop(key)}: removes and returns the module. */
    public Module pop(String key) {
        Module m = get(key);
        removeModule(key);
        return m;
    }

    /**
     * {@code update(modules)}: puts every entry, in the map's own order if it has one
     * ({@code LinkedHashMap}, {@code SortedMap}, another {@code ModuleDict}'s {@link #items()}), else
     * sorted by key ({@code Map.of} and {@code HashMap} have no order to keep).
     */
    public ModuleDict update(Map<String, ? extends Module> modules) {
        for (Map.Entry<String, Module> e : Containers.<Module>orderedEntries(modules)) put(e.getKey(), e.getValue());
        return this;
    }

    /** {@code update(other)}: puts {@code other}'s entries in its order. */
    public ModuleDict update(ModuleDict other) {
        for (Map.Entry<String, Module> e : other.namedChildren().entrySet()) put(e.getKey(), e.getValue());
        return this;
    }

    /** {@code key in dict}. */
    public boolean containsKey(String key) { return namedChildren().containsKey(key); }

    /** {@code clear()}: removes every module. */
    public void clear() { for (String k : keys()) removeModule(k); }

    /** {@code keys()}: the names, in order. */
    public List<String> keys() { return new ArrayList<>(namedChildren().keySet()); }

    /** {@code values()}: the modules, in order. */
    public List<Module> values() { return children(); }

    /** The entries in order, as a map that cannot be changed (change the dict through {@link #put}). */
    public Map<String, Module> items() { return namedChildren(); }

    /** {@code len(dict)}. */
    public int size() { return namedChildren().size(); }

    /** Whether the dict holds no module. */
    public boolean isEmpty() { return size() == 0; }

    /** Iterates over the keys, as iterating a Python dict does. */
    @Override public Iterator<String> iterator() { return keys().iterator(); }
}
