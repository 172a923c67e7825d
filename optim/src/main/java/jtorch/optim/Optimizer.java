package jtorch.optim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jtorch.PyFormat;
import jtorch.Tensor;
import jtorch.Torch;

/**
 * Base of the optimizers, as {@code torch.optim.Optimizer}: parameter groups with per-group
 * options, per-parameter state, {@link #zeroGrad()}, {@link #step()} and
 * {@link #stateDict()}/{@link #loadStateDict(StateDict)}.
 *
 * <pre>{@code
 * var opt = new Adam(model.parameters(), Adam.options(1e-3).betas(0.9, 0.999));
 * opt.addParamGroup(head.parameters(), Map.of("lr", 1e-2));   // {'params': ..., 'lr': 1e-2}
 * for (var batch : data) {
 *     opt.zeroGrad();
 *     loss(batch).backward();
 *     opt.step();
 * }
 * var saved = opt.stateDict();        // {'state': {0: {...}}, 'param_groups': [{'lr': ..., 'params': [0, 1]}]}
 * Torch.save(saved.toTensors(), Path.of("opt.safetensors"));    // state.0.exp_avg, param_groups.0.lr, ...
 * opt.loadStateDict(StateDict.fromTensors(Torch.load(Path.of("opt.safetensors"))));
 * opt.loadStateDict(StateDict.fromPyTorch(PyTorchCheckpoint.loadObject(Path.of("opt.pt"))));  // Python's torch.save
 * }</pre>
 *
 * <p>Each parameter group's options are the PyTorch group dict: the typed setters of the concrete
 * optimizer's options ({@code Adam.Options#betas}), or by PyTorch's key through
 * {@link Options#get(String)}/{@link Options#set(String, Object)} (which is what learning-rate
 * schedulers use, including the keys they add such as {@code "initial_lr"}).
 *
 * @param <O> the options type of the concrete optimizer (one fluent setter per PyTorch keyword)
 */
public abstract class Optimizer<O extends Optimizer.Options<O>> {
    private static final Logger LOG = LoggerFactory.getLogger(Optimizer.class);

    /**
     * Options of a parameter group; each optimizer adds its own keywords. Besides the typed
     * setters, every option is reachable by its PyTorch name ({@code "lr"}, {@code "betas"},
     * {@code "weight_decay"}, ...), and other keys (those schedulers add, e.g.
     * {@code "initial_lr"}) can be stored alongside, as in PyTorch's group dict.
     *
     * <pre>{@code
     * var o = Adam.options(1e-3).weightDecay(0.01);
     * o.get("weight_decay");           // 0.01
     * o.set("betas", List.of(0.8, 0.99));
     * o.toMap();                       // {lr=0.001, betas=[0.8, 0.99], eps=1.0E-8, ...}
     * }</pre>
     */
    public abstract static class Options<O extends Options<O>> implements Cloneable {
        double lr;
        private LinkedHashMap<String, Object> extra = new LinkedHashMap<>();

        /** The options of a subclass's optimizer, with the learning rate {@code lr}. */
        protected Options(double lr) { this.lr = lr; }

        /** The learning rate, {@code group['lr']}. */
        public double lr() { return lr; }

        /** Sets the learning rate. */
        @SuppressWarnings("unchecked")
        public O lr(double lr) {
            this.lr = lr;
            return (O) this;
        }

        /** Puts this optimizer's keywords other than {@code lr} into {@code into}, in PyTorch's order. */
        protected abstract void putKeywords(Map<String, Object> into);

        /** Sets keyword {@code key} (PyTorch's name) if this optimizer has it; false if it does not. */
        protected abstract boolean setKeyword(String key, Object value);

        /**
         * The group dict without {@code params}: {@code lr}, this optimizer's keywords in PyTorch's
         * order, then any other keys in insertion order. A fresh map; changing it changes nothing.
         */
        public final Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("lr", lr);
            putKeywords(m);
            m.putAll(extra);
            return m;
        }

        /** Whether the group has key {@code key} ({@code key in group}). */
        public final boolean has(String key) {
            return toMap().containsKey(key);
        }

        /**
         * {@code group[key]}: a keyword's value (doubles, booleans, {@code betas} as a
         * {@code List<Double>}) or a stored extra value.
         *
         * @throws NoSuchElementException if the group has no such key (Python's {@code KeyError})
         */
        public final Object get(String key) {
            Map<String, Object> m = toMap();
            if (!m.containsKey(key)) throw new NoSuchElementException("KeyError: '" + key + "'");
            return m.get(key);
        }

        /** {@code group[key]} as a double (for numeric keys such as {@code "lr"} or {@code "initial_lr"}). */
        public final double getDouble(String key) {
            return toDouble(key, get(key));
        }

        /**
         * {@code group[key] = value}: sets a keyword (converting numbers; {@code betas} takes a
         * {@code List} or {@code double[]} of two numbers) or stores any other key.
         */
        @SuppressWarnings("unchecked")
        public final O set(String key, Object value) {
            if (key.equals("lr")) lr = toDouble(key, value);
            else if (key.equals("params")) throw new IllegalArgumentException("'params' is not an option; a group's parameters are fixed");
            else if (!setKeyword(key, value)) extra.put(key, value);
            return (O) this;
        }

        /** Replaces this group dict by {@code saved} (as {@code load_state_dict} does); {@code params} is ignored. */
        final void replaceWith(Map<String, ?> saved) {
            extra.clear();
            for (Map.Entry<String, ?> e : saved.entrySet())
                if (!e.getKey().equals("params")) set(e.getKey(), e.getValue());
        }

        /** An independent copy (extra keys included). */
        @SuppressWarnings("unchecked")
        public O copy() {
            try {
                Options<O> c = (Options<O>) super.clone();
                c.extra = new LinkedHashMap<>(extra);
                return (O) c;
            } catch (CloneNotSupportedException e) {
                throw new AssertionError(e);
            }
        }

        /** The group dict as Python prints it, e.g. {@code {'lr': 0.001, 'betas': (0.9, 0.999), ...}}. */
        @Override public String toString() {
            return groupRepr(toMap());
        }

        /** A numeric option value; {@code key} names it in the error. */
        protected static double toDouble(String key, Object v) {
            if (v instanceof Number) return ((Number) v).doubleValue();
            throw new IllegalArgumentException("option '" + key + "' expects a number, got " + PyFormat.repr(v));
        }

        /** A boolean option value. */
        protected static boolean toBool(String key, Object v) {
            if (v instanceof Boolean) return (Boolean) v;
            throw new IllegalArgumentException("option '" + key + "' expects a boolean, got " + PyFormat.repr(v));
        }

        /** A pair of numbers ({@code betas}), from a {@code List} or a {@code double[]}. */
        protected static double[] toPair(String key, Object v) {
            if (v instanceof double[] && ((double[]) v).length == 2) return ((double[]) v).clone();
            if (v instanceof List && ((List<?>) v).size() == 2)
                return new double[] {toDouble(key, ((List<?>) v).get(0)), toDouble(key, ((List<?>) v).get(1))};
            throw new IllegalArgumentException("option '" + key + "' expects a pair of numbers, got " + PyFormat.repr(v));
        }
    }

    /** A list of parameters with their options ({@code optimizer.param_groups[i]}). */
    public static final class ParamGroup<O> {
        private final List<Tensor> params;
        private final O options;

        ParamGroup(List<? extends Tensor> params, O options) {
            this.params = Collections.unmodifiableList(new ArrayList<>(params));
            this.options = options;
        }

        /** {@code group['params']}. */
        public List<Tensor> params() { return params; }

        /** This group's options (live: changing them changes the next {@code step()}). */
        public O options() { return options; }
    }

    /**
     * {@code optimizer.state_dict()}: {@code state} maps a parameter's index (counting through
     * the groups in order) to its state (named tensors and numbers, e.g. {@code step},
     * {@code exp_avg}); {@code paramGroups} holds each group's options as a map in PyTorch's key
     * order with {@code "params"} last, as the list of its parameters' indices.
     *
     * <pre>{@code
     * var sd = adam.stateDict();
     * Tensor m = (Tensor) sd.state().get(0).get("exp_avg");
     * double lr = (Double) sd.paramGroups().get(0).get("lr");
     * }</pre>
     */
    public record StateDict(Map<Integer, Map<String, Object>> state, List<Map<String, Object>> paramGroups) {
        /**
         * This state dict as one flat map of tensors, so that any tensor format can hold it (e.g.
         * {@link Torch#save} or {@code PyTorchCheckpoint.save}), with PyTorch's key vocabulary:
         *
         * <pre>
         * state.0.step                   tensor(3.)                     state tensors, as they are
         * state.0.exp_avg                tensor([...])
         * state.1.step:int               tensor(3)                      a Python number in the state (RMSprop's step)
         * state.2.momentum_buffer:None   tensor([], dtype=torch.bool)   None (SGD without momentum)
         * param_groups.0.lr              tensor(0.001, float64)         options: floats as 0-dim float64,
         * param_groups.0.amsgrad         tensor(False)                  booleans as 0-dim bool, ints as 0-dim int64,
         * param_groups.0.betas           tensor([0.9, 0.999], float64)  lists and tuples as 1-D tensors
         * param_groups.0.foreach:None    tensor([], dtype=torch.bool)   None
         * param_groups.0.params          tensor([0, 1])                 the group's parameter indices, int64
         * </pre>
         *
         * A suffix after a colon marks a value that its place does not imply: a Python value
         * ({@code :int}, {@code :float}, {@code :bool}, {@code :list}, {@code :None}) among the
         * state's tensors, and {@code :None} or {@code :tensor} among the options. Keys are in
         * this state dict's order (state, then groups). The state tensors are this state dict's
         * own (the optimizer's, not copies); the other tensors are new.
         *
         * <pre>{@code
         * Torch.save(opt.stateDict().toTensors(), Path.of("opt.safetensors"));
         * opt.loadStateDict(Optimizer.StateDict.fromTensors(Torch.load(Path.of("opt.safetensors"))));
         * }</pre>
         *
         * <p>{@link #fromTensors} gives back an equal state dict, with ints as {@code Long}
         * (parameter indices as {@code Integer}), floats as {@code Double} and lists of floats as
         * {@code List<Double>}. A parameter whose state is empty writes no key and does not come
         * back, which loading treats the same.
         *
         * @throws IllegalArgumentException for a value no tensor can stand for (a string, a
         *         list mixing ints and floats or holding tensors), a name containing {@code ':'},
         *         or a group without keys, naming the key
         */
        public Map<String, Tensor> toTensors() {
            return StateDictTensors.toTensors(this);
        }

        /**
         * The state dict that {@link #toTensors()} flattened into {@code tensors}. Parameter and
         * group indices are read as numbers, so keys may come in any order (safetensors stores
         * them sorted by dtype and name); names within one parameter's state or one group keep
         * the map's order ({@code params} last). The state tensors are used as they are
         * ({@link Optimizer#loadStateDict} copies them).
         *
         * <pre>{@code
         * Map<String, Tensor> flat = Torch.load(Path.of("opt.safetensors"));
         * adam.loadStateDict(Optimizer.StateDict.fromTensors(flat));
         * }</pre>
         *
         * @throws IllegalArgumentException naming the key, for a key outside
         *         {@code state.<index>.<name>} and {@code param_groups.<index>.<option>}, an
         *         unknown marker, a value of the wrong dtype or rank for its key, or missing groups
         */
        public static StateDict fromTensors(Map<String, ? extends Tensor> tensors) {
            return StateDictTensors.fromTensors(tensors);
        }

        /**
         * The state dict that Python's {@code torch.save(optimizer.state_dict(), path)} wrote, as
         * {@code PyTorchCheckpoint.loadObject(path)} reads it: the parameter indices (Python
         * ints, read as {@code Long}) become {@code Integer}s, everything else is kept as read
         * (tensors, numbers, {@code None}, tuples as lists). Keys jtorch's optimizers do not use
         * ({@code foreach}, {@code capturable}, ...) stay in the groups, as in PyTorch.
         *
         * <pre>{@code
         * Object pickled = PyTorchCheckpoint.loadObject(Path.of("adam.pt"));   // torch.save(adam.state_dict(), "adam.pt")
         * adam.loadStateDict(Optimizer.StateDict.fromPyTorch(pickled));
         * }</pre>
         *
         * @throws IllegalArgumentException if {@code pickled} is not a dict with {@code 'state'}
         *         (a dict keyed by parameter index) and {@code 'param_groups'} (a list of dicts)
         */
        public static StateDict fromPyTorch(Object pickled) {
            return StateDictTensors.fromPyTorch(pickled);
        }

        /** As Python prints the dict: {@code {'state': {0: {'step': tensor(3.), ...}}, 'param_groups': [...]}}. */
        @Override public String toString() {
            StringBuilder sb = new StringBuilder("{'state': ").append(PyFormat.repr(state)).append(", 'param_groups': [");
            for (int i = 0; i < paramGroups.size(); i++) sb.append(i == 0 ? "" : ", ").append(groupRepr(paramGroups.get(i)));
            return sb.append("]}").toString();
        }
    }

    private final List<ParamGroup<O>> groups = new ArrayList<>();
    /** Per-parameter state (momentum buffers, step counts...), keyed by identity. */
    protected final Map<Tensor, Map<String, Object>> state = new IdentityHashMap<>();
    private final O defaults;
    private int stepCount;

    /**
     * Checks {@code defaults} with the optimizer's validation and makes the first parameter group
     * from {@code params} with (a copy of) {@code defaults}.
     */
    protected Optimizer(List<? extends Tensor> params, O defaults) {
        checkOptions(defaults);
        this.defaults = defaults.copy();
        addParamGroup(params, defaults);
        if (LOG.isDebugEnabled()) LOG.debug(describe());
    }

    /** The debug line logged at construction, e.g. {@code "Adam: 1 param group, 4 tensors (26 elements), lr=0.001, ..."}. */
    String describe() {
        int tensors = 0;
        long elements = 0;
        for (ParamGroup<O> g : groups)
            for (Tensor p : g.params) {
                tensors++;
                elements += p.numel();
            }
        StringBuilder sb = new StringBuilder(getClass().getSimpleName()).append(": ")
                .append(groups.size()).append(groups.size() == 1 ? " param group, " : " param groups, ")
                .append(tensors).append(tensors == 1 ? " tensor (" : " tensors (")
                .append(elements).append(elements == 1 ? " element)" : " elements)");
        for (Map.Entry<String, Object> e : defaults.toMap().entrySet())
            sb.append(", ").append(e.getKey()).append('=').append(valueRepr(e.getKey(), e.getValue()));
        return sb.toString();
    }

    /**
     * Validates options with PyTorch's messages ({@code "Invalid learning rate: -1.0"}); called for
     * the defaults and for every added group.
     *
     * @throws IllegalArgumentException if an option is out of range
     */
    protected void checkOptions(O options) {}

    /** Creates state that PyTorch creates eagerly at construction (Adagrad's {@code sum}); none by default. */
    protected void initState(Tensor param, O options, Map<String, Object> paramState) {}

    /** {@code add_param_group({'params': params})}: more parameters with the default options. */
    public void addParamGroup(List<? extends Tensor> params) {
        addParamGroup(params, defaults);
    }

    /**
     * {@code add_param_group({'params': params, **overrides})}: more parameters with the default
     * options except the given PyTorch keys, e.g. {@code Map.of("lr", 1e-2)}.
     */
    public void addParamGroup(List<? extends Tensor> params, Map<String, ?> overrides) {
        O o = defaults.copy();
        for (Map.Entry<String, ?> e : overrides.entrySet()) o.set(e.getKey(), e.getValue());
        addParamGroup(params, o);
    }

    /** {@code add_param_group}: more parameters with their own options (a copy of {@code options}). */
    public void addParamGroup(List<? extends Tensor> params, O options) {
        if (params.isEmpty()) throw new IllegalArgumentException("optimizer got an empty parameter list");
        for (Tensor p : params) {
            if (p == null) throw new IllegalArgumentException("optimizer can only optimize Tensors, but one of the params is None");
            if (!p.isLeaf() && !p.retainsGrad()) throw new IllegalArgumentException("can't optimize a non-leaf Tensor");
            for (ParamGroup<O> g : groups)
                for (Tensor q : g.params)
                    if (q == p) throw new IllegalArgumentException("some parameters appear in more than one parameter group");
        }
        checkOptions(options);
        ParamGroup<O> group = new ParamGroup<>(params, options.copy());
        groups.add(group);
        for (Tensor p : group.params)
            initState(p, group.options, state.computeIfAbsent(p, k -> new LinkedHashMap<>()));
        if (groups.size() > 1 && LOG.isDebugEnabled())
            LOG.debug("{}: added param group {} with {} tensors, {}", getClass().getSimpleName(), groups.size() - 1,
                    group.params.size(), group.options);
    }

    /** {@code optimizer.param_groups}. */
    public List<ParamGroup<O>> paramGroups() { return Collections.unmodifiableList(groups); }

    /** {@code optimizer.defaults}: the options new groups start from. */
    public O defaults() { return defaults; }

    /** {@code optimizer.state[param]}: a read-only view of the parameter's state (empty if it has none yet). */
    public Map<String, Object> state(Tensor param) {
        Map<String, Object> s = state.get(param);
        return s == null ? Map.of() : Collections.unmodifiableMap(s);
    }

    /** How many times {@link #step()} has run (PyTorch's {@code _step_count}, read by the schedulers' order check). */
    public int stepCount() { return stepCount; }

    /** {@code zero_grad()}: sets every gradient to null (PyTorch 2's default). */
    public void zeroGrad() { zeroGrad(true); }

    /** {@code zero_grad(set_to_none)}: null the gradients, or detach and fill them with zeros. */
    public void zeroGrad(boolean setToNone) {
        for (ParamGroup<O> g : groups)
            for (Tensor p : g.params) {
                Tensor grad = p.grad();
                if (grad == null) continue;
                if (setToNone) {
                    p.setGrad(null);
                } else {
                    if (grad.gradFn() != null) grad.detach_();
                    else grad.requiresGrad_(false);
                    Torch.noGrad(() -> { grad.zero_(); });
                }
            }
    }

    /** One update of every parameter that has a gradient, without recording the graph. */
    public void step() {
        Torch.noGrad(() -> {
            for (ParamGroup<O> g : groups)
                for (Tensor p : g.params) {
                    Tensor grad = p.grad();
                    if (grad == null) continue;
                    update(p, grad, g.options, state.computeIfAbsent(p, k -> new LinkedHashMap<>()));
                }
        });
        stepCount++;
    }

    /**
     * {@code step(closure)}: evaluates {@code closure} with gradients enabled (it should zero the
     * gradients, compute the loss and call {@code backward()}), then steps; returns the loss.
     */
    public Tensor step(Supplier<Tensor> closure) {
        Tensor loss;
        try (var g = Torch.enableGrad()) {
            loss = closure.get();
        }
        step();
        return loss;
    }

    /** Counts one {@code step()} (for an optimizer that overrides {@link #step(Supplier)} without calling {@link #step()}). */
    protected final void countStep() { stepCount++; }

    /**
     * The update rule for one parameter with gradient {@code grad}, run under no-grad.
     *
     * @param paramState this parameter's state, empty on its first update; the rule stores its
     *                   buffers there under PyTorch's names
     */
    protected abstract void update(Tensor param, Tensor grad, O options, Map<String, Object> paramState);

    /**
     * {@code state_dict()}. As in PyTorch, the state's tensors are the optimizer's own (a later
     * {@code step()} changes them); copy them if the snapshot must not move. The maps are new.
     */
    public StateDict stateDict() {
        Map<Tensor, Integer> index = new IdentityHashMap<>();
        List<Map<String, Object>> packedGroups = new ArrayList<>();
        int next = 0;
        for (ParamGroup<O> g : groups) {
            Map<String, Object> packed = g.options.toMap();
            List<Integer> ids = new ArrayList<>();
            for (Tensor p : g.params) {
                Integer i = index.get(p);
                if (i == null) index.put(p, i = next++);
                ids.add(i);
            }
            packed.put("params", ids);
            packedGroups.add(packed);
        }
        Map<Integer, Map<String, Object>> packedState = new LinkedHashMap<>();
        for (ParamGroup<O> g : groups)
            for (Tensor p : g.params) {
                Map<String, Object> s = state.get(p);
                if (s != null && !s.isEmpty()) packedState.put(index.get(p), new LinkedHashMap<>(s));
            }
        return new StateDict(packedState, packedGroups);
    }

    /**
     * {@code load_state_dict(state_dict)}: restores the per-parameter state (deep copies, floating
     * tensors other than {@code step} cast to the parameter's dtype) and every group's options, so
     * that training continues as it would have. Parameters are matched by position. Keys missing
     * from a saved group that PyTorch's {@code __setstate__} fills in (e.g. {@code maximize},
     * absent from older files) take PyTorch's default, and {@link #prepareLoadedStateDict}
     * checks that the saved dict fits this optimizer. Everything is checked before anything
     * changes: a refused state dict leaves the optimizer as it was.
     *
     * @throws IllegalArgumentException with PyTorch's message if the number of groups or a
     *         group's size differs, or if an option has the wrong type
     * @throws NoSuchElementException with the {@code KeyError} PyTorch raises (while loading, or at
     *         the first step) when the state dict is another optimizer's, e.g. Adam's loaded into
     *         SGD: {@code "KeyError: 'momentum'"}
     */
    public void loadStateDict(StateDict stateDict) {
        List<Map<String, Object>> saved = stateDict.paramGroups();
        if (groups.size() != saved.size())
            throw new IllegalArgumentException("loaded state dict has a different number of parameter groups");
        Map<Integer, Tensor> idMap = new LinkedHashMap<>();
        for (int i = 0; i < groups.size(); i++) {
            Object ids = saved.get(i).get("params");
            if (!(ids instanceof List))
                throw new IllegalArgumentException("loaded state dict's parameter group " + i + " has no 'params' list");
            List<?> savedIds = (List<?>) ids;
            if (savedIds.size() != groups.get(i).params.size())
                throw new IllegalArgumentException("loaded state dict contains a parameter group that doesn't match the size of optimizer's group");
        }
        for (int i = 0; i < groups.size(); i++) {
            List<?> savedIds = (List<?>) saved.get(i).get("params");
            for (int j = 0; j < savedIds.size(); j++)
                idMap.put(((Number) savedIds.get(j)).intValue(), groups.get(i).params.get(j));
        }
        Map<Tensor, Map<String, Object>> restored = new IdentityHashMap<>();
        List<Map<String, Object>> restoredInOrder = new ArrayList<>();
        for (Map.Entry<Integer, Map<String, Object>> e : stateDict.state().entrySet()) {
            Tensor p = idMap.get(((Number) e.getKey()).intValue());
            if (p == null) {
                LOG.debug("{}.loadStateDict: ignoring state of unknown parameter index {}", getClass().getSimpleName(), e.getKey());
                continue;
            }
            Map<String, Object> s = new LinkedHashMap<>();
            for (Map.Entry<String, Object> kv : e.getValue().entrySet())
                s.put(kv.getKey(), cast(p, kv.getValue(), kv.getKey()));
            restored.put(p, s);
            restoredInOrder.add(s);
        }
        List<Map<String, Object>> savedGroups = new ArrayList<>();
        for (Map<String, Object> g : saved) savedGroups.add(new LinkedHashMap<>(g));
        prepareLoadedStateDict(savedGroups, restoredInOrder);
        // Apply the options to copies first: a value of the wrong type then fails before any group changes.
        for (int i = 0; i < groups.size(); i++) groups.get(i).options.copy().replaceWith(savedGroups.get(i));
        for (int i = 0; i < groups.size(); i++) groups.get(i).options.replaceWith(savedGroups.get(i));
        state.clear();
        state.putAll(restored);
        for (ParamGroup<O> g : groups)
            for (Tensor p : g.params) state.computeIfAbsent(p, k -> new LinkedHashMap<>());
    }

    /**
     * Called by {@link #loadStateDict} on copies of the saved groups and of the per-parameter
     * states (in the saved order) before anything is changed: does what this optimizer's
     * PyTorch {@code __setstate__} does to a loaded state dict (fill in group keys that older
     * versions did not save, convert old {@code step} numbers to tensors) and refuses, with the
     * {@code KeyError} PyTorch would raise, a dict whose groups lack a key this optimizer's
     * {@code step} reads, i.e. another optimizer's. The base implementation accepts anything.
     *
     * @param groups the saved param groups, {@code params} included; may be changed
     * @param states the saved states of this optimizer's parameters; may be changed
     * @throws NoSuchElementException {@code "KeyError: '<key>'"}, as PyTorch
     */
    protected void prepareLoadedStateDict(List<Map<String, Object>> groups, List<Map<String, Object>> states) {}

    /** {@code group[key]} for each key in the order PyTorch's {@code step} reads them: the first missing one is PyTorch's KeyError. */
    protected static void requireGroupKeys(List<Map<String, Object>> groups, String... keys) {
        for (Map<String, Object> g : groups)
            for (String k : keys)
                if (!g.containsKey(k)) throw new NoSuchElementException("KeyError: '" + k + "'");
    }

    /**
     * What the {@code __setstate__} of PyTorch's Adam, AdamW and Adagrad does: if the first
     * state's {@code step} (a KeyError if it has none) is not a tensor (files from before PyTorch
     * 1.12), every {@code step} becomes {@code torch.tensor(float(step))}.
     */
    protected static void stepsToTensors(List<Map<String, Object>> states) {
        if (states.isEmpty()) return;
        if (!states.get(0).containsKey("step")) throw new NoSuchElementException("KeyError: 'step'");
        if (states.get(0).get("step") instanceof Tensor) return;
        for (Map<String, Object> s : states) {
            Object step = s.get("step");
            if (!s.containsKey("step")) throw new NoSuchElementException("KeyError: 'step'");
            double value;
            if (step instanceof Number) value = ((Number) step).doubleValue();
            else if (step instanceof Tensor && ((Tensor) step).numel() == 1) value = ((Tensor) step).item();
            else throw new IllegalArgumentException("loaded state dict: 'step' is " + PyFormat.repr(step) + ", not a number");
            s.put("step", Torch.tensor(value));
        }
    }

    /** A deep copy of a state value; floating tensors (except {@code step}) take the parameter's dtype. */
    private static Object cast(Tensor param, Object value, String key) {
        if (value instanceof Tensor) {
            Tensor t = (Tensor) value;
            return Torch.noGrad(() -> {
                Tensor c = t.detach().clone();
                if (!"step".equals(key) && param.isFloatingPoint() && c.isFloatingPoint() && c.dtype() != param.dtype())
                    c = c.to(param.dtype());
                return c;
            });
        }
        if (value instanceof Map) {
            Map<Object, Object> m = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet())
                m.put(e.getKey(), cast(param, e.getValue(), String.valueOf(e.getKey())));
            return m;
        }
        if (value instanceof List) {
            List<Object> l = new ArrayList<>();
            for (Object o : (List<?>) value) l.add(cast(param, o, null));
            return l;
        }
        return value;
    }

    /** PyTorch's optimizer repr: each group's options sorted by key. */
    @Override public String toString() {
        StringBuilder sb = new StringBuilder(getClass().getSimpleName()).append(" (");
        for (int i = 0; i < groups.size(); i++) {
            sb.append('\n').append("Parameter Group ").append(i).append('\n');
            Map<String, Object> m = new java.util.TreeMap<>(groups.get(i).options.toMap());
            for (Map.Entry<String, Object> e : m.entrySet())
                sb.append("    ").append(e.getKey()).append(": ").append(valueStr(e.getKey(), e.getValue())).append('\n');
        }
        return sb.append(')').toString();
    }

    /** Python's repr of a param group dict, {@code betas} as a tuple: {@code {'lr': 0.001, 'betas': (0.9, 0.999), ...}}. */
    static String groupRepr(Map<String, ?> group) {
        StringBuilder sb = new StringBuilder("{");
        String sep = "";
        for (Map.Entry<String, ?> e : group.entrySet()) {
            sb.append(sep).append('\'').append(e.getKey()).append("': ").append(valueRepr(e.getKey(), e.getValue()));
            sep = ", ";
        }
        return sb.append('}').toString();
    }

    /** Python's repr of a group value; {@code betas} (a tuple in PyTorch) prints as one. */
    static String valueRepr(String key, Object v) {
        if ("betas".equals(key) && v instanceof List) return PyFormat.tuple((List<?>) v);
        return PyFormat.repr(v);
    }

    /** Python's str of a group value (strings unquoted). */
    static String valueStr(String key, Object v) {
        if (v instanceof CharSequence) return v.toString();
        return valueRepr(key, v);
    }
}
