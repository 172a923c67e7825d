package jtorch.nn;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import jtorch.Tensor;
import jtorch.Torch;

/**
 * Base class of all neural-network modules, as {@code torch.nn.Module}: a tree of modules holding
 * named parameters and buffers, registered explicitly and in order (libtorch style), so that
 * {@link #namedParameters()} and {@link #stateDict()} list them with PyTorch's dotted names.
 *
 * <pre>{@code
 * class Conv2D extends Module {
 *     final Parameter weight, bias;
 *     Conv2D(long... kernelSize) {
 *         weight = registerParameter("weight", rand(kernelSize));
 *         bias = registerParameter("bias", zeros(1));
 *     }
 *     @Override public Tensor forward(Tensor x) { return corr2d(x, weight).add(bias); }
 * }
 * }</pre>
 */
public abstract class Module implements Cloneable {
    // Not final: deepCopy gives the copy its own maps.
    private Map<String, Parameter> parameters = new LinkedHashMap<>();
    private Map<String, Tensor> buffers = new LinkedHashMap<>();
    private Map<String, Module> children = new LinkedHashMap<>();
    /** Names of the buffers registered with {@code persistent=false}: not in the state dict. */
    private java.util.Set<String> nonPersistentBuffers = new java.util.HashSet<>();
    private boolean training = true;
    /** Where this module hangs in a model (the first parent it was registered with), for error messages. */
    private Module parent;
    private String nameInParent;

    /**
     * The module's computation. Modules with one tensor input override this; the default says,
     * as PyTorch does, that the subclass did not define it.
     */
    public Tensor forward(Tensor input) {
        throw new IllegalStateException("Module [" + displayName(getClass()) + "] is missing the required \"forward\" function");
    }

    // ------------------------------------------------------------ registration and replacement
    //
    // PyTorch's attribute assignment (self.fc = nn.Linear(...), self.w = nn.Parameter(...)) is, in
    // Java, a register call. Registering a name again replaces the entry in place (it keeps its
    // position in the state dict, as Python's dict does), and the module's own fields that held the
    // replaced object are pointed at the new one, so that forward() sees the new object. A final
    // field cannot be re-pointed: replacing what it holds is refused, naming the field.

    /**
     * {@code register_parameter(name, param)}: registers {@code data} as parameter {@code name}
     * (wrapping it in a {@link Parameter} unless it is one; null registers an absent parameter, e.g.
     * {@code bias=False}) and returns it. If {@code name} is already a parameter it is replaced (see
     * {@link #setParameter(String, Parameter)}).
     *
     * <pre>{@code
     * final Parameter w = registerParameter("w", Torch.randn(3, 4));   // self.w = nn.Parameter(torch.randn(3, 4))
     * }</pre>
     */
    public final Parameter registerParameter(String name, Tensor data) {
        checkName(name, "parameter");
        Parameter p = data == null ? null : data instanceof Parameter ? (Parameter) data : new Parameter(data);
        Parameter old = parameters.get(name);
        if (old != null) repointFields(old, p, "parameter", name);
        parameters.put(name, p);
        return p;
    }

    /**
     * {@code module.name = param} for a parameter: registers or replaces parameter {@code name} with
     * {@code param} itself (no copy, no wrapping). Tying weights is giving two modules the same
     * parameter: it is then listed once by {@link #parameters()} and under both names by
     * {@link #stateDict()}, as in PyTorch. Fields of this module that held the old parameter now hold
     * {@code param} (they must not be final; {@link Linear} and {@link Embedding} weights are not).
     *
     * <pre>{@code
     * var encoder = new Embedding(10, 4);
     * var decoder = new Linear(4, 10);
     * decoder.setParameter("weight", encoder.weight);   // decoder.weight = encoder.weight
     * assert decoder.weight == encoder.weight;
     * }</pre>
     */
    public final Parameter setParameter(String name, Parameter param) { return registerParameter(name, param); }

    /**
     * {@code register_buffer(name, tensor)}: registers a buffer (state that is not learned, e.g.
     * running statistics; null registers an absent one) and returns it; an existing buffer of that
     * name is replaced.
     */
    public final Tensor registerBuffer(String name, Tensor tensor) { return registerBuffer(name, tensor, true); }

    /**
     * {@code register_buffer(name, tensor, persistent)}: a buffer that is not {@code persistent} is
     * listed by {@link #namedBuffers()} but left out of {@link #stateDict()} (and so is an unexpected
     * key if a checkpoint has it), e.g. a cached mask.
     */
    public final Tensor registerBuffer(String name, Tensor tensor, boolean persistent) {
        checkName(name, "buffer");
        Tensor old = buffers.get(name);
        if (old != null) repointFields(old, tensor, "buffer", name);
        buffers.put(name, tensor);
        if (persistent) nonPersistentBuffers.remove(name);
        else nonPersistentBuffers.add(name);
        return tensor;
    }

    /**
     * {@code register_module(name, module)} / {@code add_module}: registers a child module and returns
     * it; null registers an absent child. If {@code name} is already a child it is replaced at its
     * position ({@code self.decoder = nn.Linear(...)} over an inherited one), and this module's
     * non-final fields that held the old child now hold the new one.
     *
     * <pre>{@code
     * class Net extends Module {
     *     final Linear hidden = registerModule("hidden", new Linear(20, 256));
     *     Linear output = registerModule("output", new Linear(256, 10));   // replaceable: not final
     *     public Tensor forward(Tensor x) { return output.forward(F.relu(hidden.forward(x))); }
     * }
     * net.registerModule("output", new Linear(256, 2));   // net.output = nn.Linear(256, 2); net.output is the new one
     * }</pre>
     */
    public final <M extends Module> M registerModule(String name, M module) {
        checkName(name, "module");
        Module old = children.get(name);
        if (old != null) repointFields(old, module, "module", name);
        children.put(name, module);
        if (old != null && old != module && old.parent == this && !children.containsValue(old)) {
            old.parent = null;
            old.nameInParent = null;
        }
        Module child = module;
        if (child != null && child.parent == null && child != this) {
            child.parent = this;
            child.nameInParent = name;
        }
        return module;
    }

    /** {@code add_module(name, module)}: the same as {@link #registerModule(String, Module)}. */
    public final <M extends Module> M addModule(String name, M module) { return registerModule(name, module); }

    /**
     * {@code set_submodule(target, module)}: replaces the submodule at the dotted path {@code target}
     * ({@code "encoder.layers.0"}) by registering {@code module} under the last name in its parent.
     */
    public final <M extends Module> M setSubmodule(String target, M module) {
        int dot = target.lastIndexOf('.');
        Module owner = dot < 0 ? this : getSubmodule(target.substring(0, dot));
        return owner.registerModule(target.substring(dot + 1), module);
    }

    /**
     * {@code get_submodule(target)}: the module at the dotted path {@code target} ({@code ""} is this
     * module), e.g. {@code net.getSubmodule("0.1")} for {@code net[0][1]}.
     */
    public final Module getSubmodule(String target) {
        if (target.isEmpty()) return this;
        Module m = this;
        for (String item : target.split("\\.", -1)) {
            if (!m.children.containsKey(item) || m.children.get(item) == null)
                throw new IllegalArgumentException(displayName(m.getClass()) + " has no attribute `" + item + "`");
            m = m.children.get(item);
        }
        return m;
    }

    /** {@code get_parameter(target)}: the parameter at the dotted path {@code target}, e.g. {@code "0.weight"}. */
    public final Parameter getParameter(String target) {
        int dot = target.lastIndexOf('.');
        Module m = dot < 0 ? this : getSubmodule(target.substring(0, dot));
        String name = target.substring(dot + 1);
        if (!m.parameters.containsKey(name))
            throw new IllegalArgumentException(displayName(m.getClass()) + " has no attribute `" + name + "`");
        return m.parameters.get(name);
    }

    /** {@code get_buffer(target)}: the buffer at the dotted path {@code target}. */
    public final Tensor getBuffer(String target) {
        int dot = target.lastIndexOf('.');
        Module m = dot < 0 ? this : getSubmodule(target.substring(0, dot));
        String name = target.substring(dot + 1);
        if (!m.buffers.containsKey(name))
            throw new IllegalArgumentException(displayName(m.getClass()) + " has no attribute `" + name + "`");
        return m.buffers.get(name);
    }

    /** Removes parameter {@code name} ({@code del self.name}); for the containers. */
    final Parameter removeParameter(String name) { return parameters.remove(name); }

    /** Removes child {@code name} ({@code del self.name}); for the containers. */
    final Module removeModule(String name) {
        Module old = children.remove(name);
        if (old != null && old.parent == this && !children.containsValue(old)) {
            old.parent = null;
            old.nameInParent = null;
        }
        return old;
    }

    /** This module's own parameters by name (not its descendants'), in order; for the containers. */
    final Map<String, Parameter> ownParameters() { return Collections.unmodifiableMap(parameters); }

    /**
     * Points every instance field of this module's class (and superclasses below Module) that holds
     * {@code old} at {@code replacement}, after checking that all of them can take it, so that a
     * refused replacement changes nothing.
     */
    private void repointFields(Object old, Object replacement, String kind, String name) {
        if (old == replacement) return;
        List<Field> holders = new ArrayList<>();
        for (Class<?> c = getClass(); c != Module.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers()) || f.isSynthetic() || !f.getType().isInstance(old)) continue;
                Object held;
                try {
                    f.setAccessible(true);
                    held = f.get(this);
                } catch (RuntimeException | IllegalAccessException e) {
                    throw new IllegalStateException("cannot replace " + kind + " '" + name + "' of " + displayName(getClass())
                            + ": its field " + c.getName() + "." + f.getName() + " is not accessible to jtorch.nn ("
                            + e.getMessage() + "); open the package to jtorch.nn", e);
                }
                if (held != old) continue;
                if (Modifier.isFinal(f.getModifiers()))
                    throw new IllegalStateException("cannot replace " + kind + " '" + name + "' of " + displayName(getClass())
                            + ": the final field " + displayName(c) + "." + f.getName() + " holds it (declare the field"
                            + " non-final, or read the " + kind + " through get" + (kind.equals("module") ? "Submodule" : kind.equals("buffer") ? "Buffer" : "Parameter")
                            + "(\"" + name + "\"))");
                if (replacement != null && !f.getType().isInstance(replacement))
                    throw new IllegalArgumentException("cannot replace " + kind + " '" + name + "' of " + displayName(getClass())
                            + ": its field " + displayName(c) + "." + f.getName() + " is a " + f.getType().getSimpleName()
                            + " and cannot hold a " + displayName(replacement.getClass()));
                holders.add(f);
            }
        }
        for (Field f : holders) {
            try {
                f.set(this, replacement);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** The dotted name of this module in its model, as {@code named_modules()} lists it ({@code ""} for the root). */
    public String path() {
        if (parent == null) return "";
        String up = parent.path();
        return up.isEmpty() ? nameInParent : up + "." + nameInParent;
    }

    /**
     * {@code module(input)}: runs {@link #forward(Tensor)} with this module's hooks (see "hooks" below;
     * calling {@code forward} directly skips them, as in PyTorch), and if it fails, says where: the error
     * becomes a {@link ModuleException} naming this module's path in the model and its repr.
     */
    public Tensor call(Tensor input) {
        try {
            return forwardWithHooks(input);
        } catch (ModuleException e) {
            throw e;
        } catch (RuntimeException e) {
            throw ModuleException.of(this, e);
        }
    }

    private void checkName(String name, String what) {
        if (name == null || name.isEmpty()) throw new IllegalArgumentException(what + " name can't be empty string \"\"");
        if (name.contains(".")) throw new IllegalArgumentException(what + " name can't contain \".\", got: " + name);
        boolean taken = (!what.equals("parameter") && parameters.containsKey(name))
                || (!what.equals("buffer") && buffers.containsKey(name))
                || (!what.equals("module") && children.containsKey(name));
        if (taken) throw new IllegalArgumentException("attribute '" + name + "' already exists");
    }

    // ------------------------------------------------------------ traversal

    /** All parameters of this module and its descendants, in registration order, each once. */
    public List<Parameter> parameters() { return new ArrayList<>(namedParameters().values()); }

    /** {@code named_parameters()}: dotted names ({@code "0.weight"}, {@code "fc.bias"}) in PyTorch's order. */
    public Map<String, Parameter> namedParameters() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        List<Parameter> seen = new ArrayList<>();
        for (Map.Entry<String, Module> e : namedModules().entrySet()) {
            String prefix = e.getKey().isEmpty() ? "" : e.getKey() + ".";
            for (Map.Entry<String, Parameter> p : e.getValue().parameters.entrySet()) {
                if (p.getValue() == null || containsIdentity(seen, p.getValue())) continue;
                seen.add(p.getValue());
                out.put(prefix + p.getKey(), p.getValue());
            }
        }
        return out;
    }

    /** {@code list(buffers())}: every buffer of this module and its descendants, in {@link #namedBuffers()}'s order. */
    public List<Tensor> buffers() { return new ArrayList<>(namedBuffers().values()); }

    /** {@code named_buffers()}: dotted names in PyTorch's order, each buffer once (a shared one under its first name). */
    public Map<String, Tensor> namedBuffers() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        List<Tensor> seen = new ArrayList<>();
        for (Map.Entry<String, Module> e : namedModules().entrySet()) {
            String prefix = e.getKey().isEmpty() ? "" : e.getKey() + ".";
            for (Map.Entry<String, Tensor> b : e.getValue().buffers.entrySet()) {
                if (b.getValue() == null || containsIdentity(seen, b.getValue())) continue;
                seen.add(b.getValue());
                out.put(prefix + b.getKey(), b.getValue());
            }
        }
        return out;
    }

    /** Direct children, in registration order. */
    public List<Module> children() { return new ArrayList<>(children.values()); }

    /** {@code named_children()}: the direct children by name, in registration order, as a map that cannot be changed. */
    public Map<String, Module> namedChildren() { return Collections.unmodifiableMap(children); }

    /** This module (name {@code ""}) and every descendant, depth first, each once. */
    public Map<String, Module> namedModules() { return namedModules("", true); }

    /**
     * {@code named_modules(prefix=prefix, remove_duplicate=removeDuplicate)}: with
     * {@code removeDuplicate} false a module used at several places is listed at each of them (as
     * {@link #stateDict()} traverses the model), e.g. {@code "2"} and {@code "4"} for
     * {@code Sequential(a, relu1, shared, relu2, shared)}.
     */
    public Map<String, Module> namedModules(String prefix, boolean removeDuplicate) {
        Map<String, Module> out = new LinkedHashMap<>();
        collect(prefix, this, out, new ArrayList<>(), removeDuplicate, new ArrayList<>());
        return out;
    }

    /**
     * Depth first, as PyTorch's generator. {@code seen} holds the modules already listed when
     * duplicates are removed; {@code ancestors} guards against a module that contains itself (PyTorch
     * recurses without end there), which is refused.
     */
    private static void collect(String name, Module m, Map<String, Module> out, List<Module> seen, boolean removeDuplicate,
                                List<Module> ancestors) {
        if (containsIdentity(seen, m)) return;
        if (containsIdentity(ancestors, m))
            throw new IllegalStateException("module " + displayName(m.getClass()) + " at '" + name + "' contains itself");
        if (removeDuplicate) seen.add(m);
        out.put(name, m);
        ancestors.add(m);
        for (Map.Entry<String, Module> c : m.children.entrySet())
            if (c.getValue() != null)
                collect(name.isEmpty() ? c.getKey() : name + "." + c.getKey(), c.getValue(), out, seen, removeDuplicate, ancestors);
        ancestors.remove(ancestors.size() - 1);
    }

    private static boolean containsIdentity(List<?> list, Object o) {
        for (Object x : list) if (x == o) return true;
        return false;
    }

    /** {@code list(modules())}: this module and every descendant, depth first, each once. */
    public List<Module> modules() { return new ArrayList<>(namedModules().values()); }

    /** Applies {@code fn} to every descendant and then to this module ({@code module.apply(fn)}). */
    public Module apply(Consumer<Module> fn) {
        for (Module c : children.values()) if (c != null) c.apply(fn);
        fn.accept(this);
        return this;
    }

    // ------------------------------------------------------------ training state

    /** {@code zero_grad()}: sets every parameter's gradient to null (PyTorch 2's default). */
    public void zeroGrad() { zeroGrad(true); }

    /** {@code zero_grad(set_to_none)}: null, or zero in place. */
    public void zeroGrad(boolean setToNone) {
        for (Parameter p : parameters()) {
            Tensor g = p.grad();
            if (g == null) continue;
            if (setToNone) p.setGrad(null);
            else Torch.noGrad(() -> { g.zero_(); });
        }
    }

    /** {@code train(mode)} on this module and all descendants. */
    public Module train(boolean mode) {
        for (Module m : modules()) m.training = mode;
        return this;
    }

    /**
     * {@code train()}: training mode for this module and all descendants (dropout active, batch norm on
     * batch statistics); returns this module.
     */
    public Module train() { return train(true); }

    /**
     * {@code eval()}: evaluation mode for this module and all descendants, the same as
     * {@code train(false)}; returns this module.
     */
    public Module eval() { return train(false); }

    /** {@code module.training}: whether this module is in training mode (the default after construction). */
    public boolean isTraining() { return training; }

    /** {@code requires_grad_(flag)} on every parameter. */
    public Module requiresGrad_(boolean flag) {
        for (Parameter p : parameters()) p.requiresGrad_(flag);
        return this;
    }

    /**
     * {@code module.to(dtype)}: converts every floating parameter, its gradient and every floating
     * buffer in place (the objects stay the same, so fields keep pointing at them).
     */
    public Module to(jtorch.DType dtype) {
        if (!dtype.isFloatingPoint())
            throw new IllegalArgumentException("nn.Module.to only accepts floating point dtypes, but got desired dtype=" + dtype);
        Torch.noGrad(() -> {
            for (Parameter p : parameters()) {
                if (!p.isFloatingPoint() || p.dtype() == dtype) continue;
                p.setData(p.to(dtype));
                if (p.grad() != null) p.setGrad(p.grad().to(dtype));
            }
            for (Tensor b : buffers())
                if (b.isFloatingPoint() && b.dtype() != dtype) b.setData(b.to(dtype));
        });
        return this;
    }

    // ------------------------------------------------------------ deep copy

    /**
     * {@code copy.deepcopy(module)}: a new module tree with the same structure, class, options,
     * training flags and hooks, whose parameters and buffers are fresh copies of the values
     * (so the copy starts equal and then trains independently). As Python's deepcopy it keeps
     * the sharing inside the tree: a module or parameter used at two places (tied weights) is
     * copied once and used at both places of the copy. A copied parameter is a new leaf with the
     * same {@code requiresGrad} and no gradient (PyTorch's {@code Parameter.__deepcopy__}); a
     * copied buffer keeps its gradient, if it has one. Fields of the module classes are
     * re-pointed: fields holding a module, parameter or tensor hold its copy, primitive arrays
     * are cloned, {@code Module[]}/{@code Tensor[]} arrays and {@code List}s are copied with their
     * modules and tensors copied; any other object (strings, options, functions such as an
     * activation) is shared, as deepcopy shares functions. Forward and backward hooks are copied
     * by reference (the copy calls the same hook objects; removing a handle removes the hook
     * from the original only). A non-leaf tensor cannot be copied, as in PyTorch.
     *
     * <pre>{@code
     * var layer = new Linear(4, 4);
     * var clones = new ModuleList();
     * for (int i = 0; i < 3; i++) clones.append(Module.deepCopy(layer));   // _get_clones(layer, 3)
     * assert clones.get(0).parameters().get(0).equal(layer.weight);
     * }</pre>
     */
    public static <M extends Module> M deepCopy(M module) {
        jtorch.ops.Args.notNull("deepcopy", "module", module);
        @SuppressWarnings("unchecked")
        M copy = (M) Torch.noGrad(() -> copyObject(module, new java.util.IdentityHashMap<>()));
        Module root = copy;
        root.parent = null;
        root.nameInParent = null;
        return copy;
    }

    /** The copy of one value of the tree, memoised by identity so that shared objects stay shared. */
    private static Object copyObject(Object o, java.util.IdentityHashMap<Object, Object> memo) {
        if (o == null) return null;
        Object done = memo.get(o);
        if (done != null) return done;
        if (o instanceof Module) return ((Module) o).copyModule(memo);
        if (o instanceof Parameter) {
            Parameter p = (Parameter) o;
            Parameter c = new Parameter(p.detach().clone(), p.requiresGrad());
            memo.put(o, c);
            return c;
        }
        if (o instanceof Tensor) {
            Tensor t = (Tensor) o;
            if (!t.isLeaf())
                throw new IllegalStateException("Only Tensors created explicitly by the user (graph leaves) support the deepcopy protocol at the moment");
            Tensor c = t.detach().clone();
            if (t.requiresGrad()) c.requiresGrad_(true);
            memo.put(o, c);
            if (t.grad() != null) c.setGrad((Tensor) copyObject(t.grad(), memo));
            return c;
        }
        if (o instanceof Module[] || o instanceof Tensor[]) {
            Object[] a = ((Object[]) o).clone();
            memo.put(o, a);
            for (int i = 0; i < a.length; i++) a[i] = copyObject(a[i], memo);
            return a;
        }
        if (o.getClass().isArray() && o.getClass().getComponentType().isPrimitive()) {
            Object a;
            if (o instanceof long[]) a = ((long[]) o).clone();
            else if (o instanceof int[]) a = ((int[]) o).clone();
            else if (o instanceof double[]) a = ((double[]) o).clone();
            else if (o instanceof float[]) a = ((float[]) o).clone();
            else if (o instanceof boolean[]) a = ((boolean[]) o).clone();
            else if (o instanceof byte[]) a = ((byte[]) o).clone();
            else if (o instanceof short[]) a = ((short[]) o).clone();
            else a = ((char[]) o).clone();
            memo.put(o, a);
            return a;
        }
        if (o instanceof List) {
            List<Object> l = new ArrayList<>();
            memo.put(o, l);
            for (Object x : (List<?>) o) l.add(x instanceof Module || x instanceof Tensor ? copyObject(x, memo) : x);
            return l;
        }
        return o;
    }

    private Module copyModule(java.util.IdentityHashMap<Object, Object> memo) {
        Module c;
        try {
            c = (Module) super.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        }
        memo.put(this, c);
        c.parameters = new LinkedHashMap<>();
        for (Map.Entry<String, Parameter> e : parameters.entrySet()) c.parameters.put(e.getKey(), (Parameter) copyObject(e.getValue(), memo));
        c.buffers = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : buffers.entrySet()) c.buffers.put(e.getKey(), (Tensor) copyObject(e.getValue(), memo));
        c.nonPersistentBuffers = new java.util.HashSet<>(nonPersistentBuffers);
        c.children = new LinkedHashMap<>();
        c.parent = null;
        c.nameInParent = null;
        for (Map.Entry<String, Module> e : children.entrySet()) {
            Module child = (Module) copyObject(e.getValue(), memo);
            c.children.put(e.getKey(), child);
            if (child != null && child.parent == null && e.getValue().parent == this) {
                child.parent = c;
                child.nameInParent = e.getKey();
            }
        }
        if (forwardPreHooks != null) c.forwardPreHooks = new ArrayList<>(forwardPreHooks);
        if (forwardHooks != null) c.forwardHooks = new ArrayList<>(forwardHooks);
        if (fullBackwardHooks != null) c.fullBackwardHooks = new ArrayList<>(fullBackwardHooks);
        for (Class<?> k = getClass(); k != Module.class; k = k.getSuperclass()) {
            for (Field f : k.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers()) || f.isSynthetic() || f.getType().isPrimitive()) continue;
                try {
                    f.setAccessible(true);
                    Object v = f.get(this);
                    Object nv = copyObject(v, memo);
                    if (nv != v) f.set(c, nv);
                } catch (RuntimeException | IllegalAccessException e) {
                    throw new IllegalStateException("cannot deep-copy " + displayName(getClass()) + ": its field " + k.getName() + "."
                            + f.getName() + " is not accessible to jtorch.nn (" + e.getMessage() + "); open the package to jtorch.nn", e);
                }
            }
        }
        return c;
    }

    // ------------------------------------------------------------ state dict

    /**
     * Parameters and buffers by dotted name, detached (sharing storage), in PyTorch's order. Unlike
     * {@link #namedParameters()} nothing is deduplicated: a module used at two places, or a parameter
     * tied between two modules, appears under every name it has ({@code "2.weight"} and
     * {@code "4.weight"}), as PyTorch's {@code state_dict()} lists it.
     */
    public Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, Module> e : namedModules("", false).entrySet()) {
            String prefix = e.getKey().isEmpty() ? "" : e.getKey() + ".";
            Module m = e.getValue();
            for (Map.Entry<String, Parameter> p : m.parameters.entrySet())
                if (p.getValue() != null) out.put(prefix + p.getKey(), p.getValue().detach());
            for (Map.Entry<String, Tensor> b : m.buffers.entrySet())
                if (b.getValue() != null && !m.nonPersistentBuffers.contains(b.getKey())) out.put(prefix + b.getKey(), b.getValue().detach());
        }
        return out;
    }

    /** The keys {@link #loadStateDict(Map, boolean)} did not match, as PyTorch's {@code _IncompatibleKeys}. */
    public static final class IncompatibleKeys {
        /** The state-dict keys the module expected but did not find, and the keys it found but does not have. */
        public final List<String> missingKeys, unexpectedKeys;

        IncompatibleKeys(List<String> missing, List<String> unexpected) {
            this.missingKeys = Collections.unmodifiableList(missing);
            this.unexpectedKeys = Collections.unmodifiableList(unexpected);
        }

        @Override public String toString() {
            return "<All keys matched successfully>".equals(summary()) ? summary()
                    : "_IncompatibleKeys(missing_keys=" + pyList(missingKeys) + ", unexpected_keys=" + pyList(unexpectedKeys) + ")";
        }

        private String summary() {
            return missingKeys.isEmpty() && unexpectedKeys.isEmpty() ? "<All keys matched successfully>" : "";
        }
    }

    /** {@code load_state_dict(state_dict)}: strict, see {@link #loadStateDict(Map, boolean)}. */
    public IncompatibleKeys loadStateDict(Map<String, Tensor> stateDict) { return loadStateDict(stateDict, true); }

    /**
     * Copies {@code stateDict}'s tensors into this module's parameters and buffers. All or nothing:
     * with {@code strict}, missing or unexpected keys fail before anything is copied, and a shape
     * mismatch always does (PyTorch's messages, naming the keys).
     */
    public IncompatibleKeys loadStateDict(Map<String, Tensor> stateDict, boolean strict) {
        Map<String, Tensor> own = stateDict();
        List<String> missing = new ArrayList<>(), unexpected = new ArrayList<>(), errors = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : own.entrySet()) {
            Tensor src = stateDict.get(e.getKey());
            if (src == null) { missing.add(e.getKey()); continue; }
            if (!src.shape().equals(e.getValue().shape()))
                errors.add("size mismatch for " + e.getKey() + ": copying a param with shape " + src.shape()
                        + " from checkpoint, the shape in current model is " + e.getValue().shape() + ".");
        }
        for (String k : stateDict.keySet()) if (!own.containsKey(k)) unexpected.add(k);
        if (strict) {
            if (!unexpected.isEmpty()) errors.add(0, "Unexpected key(s) in state_dict: " + quoted(unexpected) + ". ");
            if (!missing.isEmpty()) errors.add(0, "Missing key(s) in state_dict: " + quoted(missing) + ". ");
        }
        if (!errors.isEmpty())
            throw new IllegalStateException("Error(s) in loading state_dict for " + displayName(getClass()) + ":\n\t"
                    + String.join("\n\t", errors));
        Torch.noGrad(() -> {
            for (Map.Entry<String, Tensor> e : own.entrySet()) {
                Tensor src = stateDict.get(e.getKey());
                if (src != null) e.getValue().copy_(src);
            }
        });
        return new IncompatibleKeys(missing, unexpected);
    }

    private static String quoted(List<String> keys) {
        StringBuilder b = new StringBuilder();
        for (String k : keys) b.append(b.length() == 0 ? "" : ", ").append('"').append(k).append('"');
        return b.toString();
    }

    private static String pyList(List<String> keys) {
        StringBuilder b = new StringBuilder("[");
        for (String k : keys) b.append(b.length() == 1 ? "" : ", ").append('\'').append(k).append('\'');
        return b.append(']').toString();
    }

    // ------------------------------------------------------------ printing

    /**
     * The class name PyTorch prints ({@code _get_name()}): the simple name, or for an anonymous class
     * ({@code new Module() { ... }}, which has none) the name of the nearest named superclass, so
     * that {@code new Sequential(...) { ... }} prints as {@code Sequential(...)} and
     * {@code new Module() { ... }} as {@code Module()}.
     */
    static String displayName(Class<?> c) {
        Class<?> named = c;
        while (named.isAnonymousClass()) named = named.getSuperclass();
        return named.getSimpleName();
    }

    /** The part inside the parentheses of this module's repr ({@code extra_repr}); empty by default. */
    protected String extraRepr() { return ""; }

    /** PyTorch's module repr: class name, {@link #extraRepr()}, and each child indented on its own line. */
    @Override public String toString() {
        List<String> lines = new ArrayList<>();
        String extra = extraRepr();
        if (!extra.isEmpty()) lines.addAll(Arrays.asList(extra.split("\n", -1)));
        boolean hasChildren = false;
        for (Map.Entry<String, Module> c : children.entrySet()) {
            String child = c.getValue() == null ? "None" : c.getValue().toString().replace("\n", "\n  ");
            lines.add("(" + c.getKey() + "): " + child);
            hasChildren = true;
        }
        StringBuilder b = new StringBuilder(displayName(getClass())).append('(');
        if (!lines.isEmpty()) {
            if (lines.size() == 1 && !hasChildren) b.append(lines.get(0));
            else b.append("\n  ").append(String.join("\n  ", lines)).append('\n');
        }
        return b.append(')').toString();
    }

    // ------------------------------------------------------------ hooks (forward, forward-pre, full backward)

    /** {@code hook(module, input)}: returns null, or the input that replaces it. */
    @FunctionalInterface
    public interface ForwardPreHook {
        /** Called before {@code forward} with the module and its input. */
        Tensor apply(Module module, Tensor input);
    }

    /** {@code hook(module, input, output)}: returns null, or the output that replaces it. */
    @FunctionalInterface
    public interface ForwardHook {
        /** Called after {@code forward} with the module, its input and its output. */
        Tensor apply(Module module, Tensor input, Tensor output);
    }

    /**
     * {@code hook(module, grad_input, grad_output)}: the gradients with respect to the module's inputs
     * (null where an input does not require grad) and outputs; returns null, or the grad_input that
     * replaces it.
     */
    @FunctionalInterface
    public interface FullBackwardHook {
        /** Called when the gradients with respect to the module's outputs have been computed. */
        Tensor[] apply(Module module, Tensor[] gradInput, Tensor[] gradOutput);
    }

    private List<ForwardPreHook> forwardPreHooks;
    private List<ForwardHook> forwardHooks;
    private List<FullBackwardHook> fullBackwardHooks;

    /**
     * {@code register_forward_pre_hook(hook)}: runs before each {@link #call}; a non-null result replaces
     * the input (for later hooks and the forward).
     *
     * <pre>{@code
     * RemovableHandle h = model.registerForwardPreHook((m, x) -> x.mul(2.0));
     * }</pre>
     */
    public final jtorch.utils.hooks.RemovableHandle registerForwardPreHook(ForwardPreHook hook) {
        if (forwardPreHooks == null) forwardPreHooks = new ArrayList<>();
        forwardPreHooks.add(hook);
        return new jtorch.utils.hooks.RemovableHandle(() -> forwardPreHooks.remove(hook));
    }

    /**
     * {@code register_forward_hook(hook)}: runs after each forward of {@link #call}; a non-null result
     * replaces the output.
     *
     * <pre>{@code
     * List<Tensor> activations = new ArrayList<>();
     * RemovableHandle h = model.registerForwardHook((m, in, out) -> { activations.add(out.detach()); return null; });
     * }</pre>
     */
    public final jtorch.utils.hooks.RemovableHandle registerForwardHook(ForwardHook hook) {
        if (forwardHooks == null) forwardHooks = new ArrayList<>();
        forwardHooks.add(hook);
        return new jtorch.utils.hooks.RemovableHandle(() -> forwardHooks.remove(hook));
    }

    /**
     * {@code register_full_backward_hook(hook)}: called in the backward with the gradients with respect
     * to this module's input and output, once both are known; a non-null result replaces the gradient
     * with respect to the input. As PyTorch, {@link #call} wraps the input and output in identity nodes
     * ({@code BackwardHookFunctionBackward}) that observe those gradients.
     *
     * <pre>{@code
     * model.registerFullBackwardHook((m, gIn, gOut) -> { System.out.println(gOut[0]); return null; });
     * }</pre>
     */
    public final jtorch.utils.hooks.RemovableHandle registerFullBackwardHook(FullBackwardHook hook) {
        if (fullBackwardHooks == null) fullBackwardHooks = new ArrayList<>();
        fullBackwardHooks.add(hook);
        return new jtorch.utils.hooks.RemovableHandle(() -> fullBackwardHooks.remove(hook));
    }

    /** PyTorch's _call_impl: pre-hooks, the input side of the backward hooks, forward, forward hooks, the output side. */
    private Tensor forwardWithHooks(Tensor input) {
        if (forwardPreHooks != null)
            for (ForwardPreHook h : new ArrayList<>(forwardPreHooks)) {
                Tensor r = h.apply(this, input);
                if (r != null) input = r;
            }
        BackwardHookState bw = fullBackwardHooks == null || fullBackwardHooks.isEmpty() ? null
                : new BackwardHookState(this, new ArrayList<>(fullBackwardHooks));
        if (bw != null) input = bw.setupInput(input);
        Tensor output = forward(input);
        if (forwardHooks != null)
            for (ForwardHook h : new ArrayList<>(forwardHooks)) {
                Tensor r = h.apply(this, input, output);
                if (r != null) output = r;
            }
        if (bw != null) output = bw.setupOutput(output);
        return output;
    }

    /**
     * PyTorch's torch.utils.hooks.BackwardHook for one call: identity nodes on the input and output;
     * the output's records grad_output as it arrives, the input's calls the hooks with both (or, if no
     * input requires grad, the output's calls them with a null grad_input).
     */
    private static final class BackwardHookState {
        private final Module module;
        private final List<FullBackwardHook> hooks;
        private Tensor[] gradOutputs;
        private boolean inputHooked;

        BackwardHookState(Module module, List<FullBackwardHook> hooks) {
            this.module = module;
            this.hooks = hooks;
        }

        private static Tensor identity(Tensor t) {
            return jtorch.autograd.Autograd.record(t.detach(), "BackwardHookFunctionBackward", jtorch.autograd.Autograd.of(t),
                    jtorch.autograd.Autograd.of(), (g, c) -> new Tensor[] {g});
        }

        Tensor setupInput(Tensor input) {
            if (!jtorch.autograd.Autograd.shouldRecord(input)) return input;
            Tensor wrapped = identity(input);
            inputHooked = true;
            wrapped.gradFn().addPreHook(gradInput -> {
                Tensor[] gi = runHooks(new Tensor[] {gradInput});
                return gi == null ? null : gi[0];
            });
            return wrapped;
        }

        Tensor setupOutput(Tensor output) {
            if (!jtorch.autograd.Autograd.shouldRecord(output)) return output;
            Tensor wrapped = identity(output);
            wrapped.gradFn().addPreHook(gradOutput -> {
                gradOutputs = new Tensor[] {gradOutput};
                if (!inputHooked) {
                    Tensor[] r = runHooks(new Tensor[] {null});
                    if (r != null && r[0] != null)
                        throw new IllegalStateException("Backward hook for Modules where no input requires gradient should "
                                + "always return None or None for all gradients.");
                }
                return null;
            });
            return wrapped;
        }

        private Tensor[] runHooks(Tensor[] gradInput) {
            Tensor[] gradOutput = gradOutputs == null ? new Tensor[] {null} : gradOutputs;
            Tensor[] current = gradInput;
            boolean replaced = false;
            for (FullBackwardHook h : hooks) {
                Tensor[] r = h.apply(module, current.clone(), gradOutput.clone());
                if (r == null) continue;
                if (r.length != current.length)
                    throw new IllegalStateException("Backward hook returned an invalid number of grad_input, got " + r.length
                            + ", but expected " + current.length);
                current = r;
                replaced = true;
            }
            return replaced ? current : null;
        }
    }
}
