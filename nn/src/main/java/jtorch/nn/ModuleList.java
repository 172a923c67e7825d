package jtorch.nn;

import java.util.Iterator;
import java.util.List;

/**
 * {@code nn.ModuleList}: holds submodules in a list, registered as children {@code "0"}, {@code "1"},
 * ... so that their parameters are the owner's. Indexable and iterable; it has no {@code forward}
 * of its own (the owner decides how to use the modules).
 *
 * <pre>{@code
 * class Net extends Module {
 *     final ModuleList layers = registerModule("layers", new ModuleList());
 *     Net() { for (int i = 0; i < 3; i++) layers.append(new Linear(8, 8)); }
 *     @Override public Tensor forward(Tensor x) {
 *         for (Module m : layers) x = m.forward(x).relu();
 *         return x;
 *     }
 * }
 * }</pre>
 */
public class ModuleList extends Module implements Iterable<Module> {
    /** {@code nn.ModuleList([m0, m1, ...])}: the modules registered as {@code "0"}, {@code "1"}, ... */
    public ModuleList(Module... modules) {
        for (Module m : modules) append(m);
    }

    /** {@code nn.ModuleList(iterable)}: the modules in iteration order. */
    public ModuleList(Iterable<? extends Module> modules) { extend(modules); }

    /** Adds a module at the end, named by its position. */
    public ModuleList append(Module module) {
        registerModule(Integer.toString(size()), module);
        return this;
    }

    /** Appends every module of {@code modules}, in order. */
    public ModuleList extend(Iterable<? extends Module> modules) {
        for (Module m : modules) append(m);
        return this;
    }

    /** The {@code i}-th module (negative counts from the end). */
    public Module get(int i) {
        List<Module> c = children();
        int n = c.size();
        if (i < -n || i >= n) throw new IndexOutOfBoundsException("index " + i + " is out of range");
        return c.get(i < 0 ? i + n : i);
    }

    /** {@code list[i] = module}: replaces the {@code i}-th module (negative counts from the end); returns the new module. */
    public <M extends Module> M set(int i, M module) {
        int n = size();
        if (i < -n || i >= n) throw new IndexOutOfBoundsException("index " + i + " is out of range");
        return registerModule(Integer.toString(i < 0 ? i + n : i), module);
    }

    /** {@code len(list)}. */
    public int size() { return namedChildren().size(); }

    /** Whether the list holds no module. */
    public boolean isEmpty() { return size() == 0; }

    @Override public Iterator<Module> iterator() { return children().iterator(); }
}
