package jtorch.nn;

import java.util.Iterator;
import java.util.List;

import jtorch.Tensor;

/**
 * {@code nn.Sequential}: children named {@code "0"}, {@code "1"}, ... applied in order. Indexable
 * and iterable; an error in a child names its path and repr.
 *
 * <pre>{@code
 * var net = new Sequential(new Linear(784, 256), new ReLU(), new Linear(256, 10));
 * Tensor logits = net.forward(x);
 * Module first = net.get(0);
 * }</pre>
 */
public class Sequential extends Module implements Iterable<Module> {
    /** {@code nn.Sequential(m0, m1, ...)}: the modules registered as {@code "0"}, {@code "1"}, ... and applied in that order. */
    public Sequential(Module... modules) {
        for (Module m : modules) append(m);
    }

    /** Adds a module at the end, named by its position. */
    public Sequential append(Module m) {
        registerModule(Integer.toString(children().size()), m);
        return this;
    }

    /** The {@code i}-th module (negative counts from the end). */
    public Module get(int i) {
        List<Module> c = children();
        int n = c.size();
        if (i < -n || i >= n) throw new IndexOutOfBoundsException("index " + i + " is out of range");
        return c.get(i < 0 ? i + n : i);
    }

    /**
     * {@code net[i] = module}: replaces the {@code i}-th module (negative counts from the end) under
     * its name, e.g. a classifier's last layer: {@code net.set(-1, new Linear(4096, 10))}. Returns the new module.
     */
    public <M extends Module> M set(int i, M module) {
        List<String> names = new java.util.ArrayList<>(namedChildren().keySet());
        int n = names.size();
        if (i < -n || i >= n) throw new IndexOutOfBoundsException("index " + i + " is out of range");
        return registerModule(names.get(i < 0 ? i + n : i), module);
    }

    /** {@code len(net)}: the number of modules. */
    public int size() { return children().size(); }

    @Override public Iterator<Module> iterator() { return children().iterator(); }

    @Override public Tensor forward(Tensor input) {
        Tensor x = input;
        for (Module m : children()) x = m.call(x);
        return x;
    }
}
