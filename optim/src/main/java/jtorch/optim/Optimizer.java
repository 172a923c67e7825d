package jtorch.optim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import jtorch.Tensor;
import jtorch.Torch;

/**
 * Base of the optimizers, as {@code torch.optim.Optimizer}: parameter groups with per-group
 * options, per-parameter state, {@link #zeroGrad()} and {@link #step()}.
 *
 * @param <O> the options type of the concrete optimizer (one fluent setter per PyTorch keyword)
 */
public abstract class Optimizer<O extends Optimizer.Options<O>> {
    /** Options shared by a parameter group; each optimizer adds its own keywords. */
    public abstract static class Options<O extends Options<O>> implements Cloneable {
        double lr;

        protected Options(double lr) { this.lr = lr; }

        public double lr() { return lr; }

        @SuppressWarnings("unchecked")
        public O lr(double lr) {
            this.lr = lr;
            return (O) this;
        }

        @SuppressWarnings("unchecked")
        O copy() {
            try {
                return (O) super.clone();
            } catch (CloneNotSupportedException e) {
                throw new AssertionError(e);
            }
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

        public List<Tensor> params() { return params; }

        public O options() { return options; }
    }

    private final List<ParamGroup<O>> groups = new ArrayList<>();
    /** Per-parameter state (momentum buffers, step counts...), keyed by identity. */
    protected final Map<Tensor, Map<String, Object>> state = new IdentityHashMap<>();
    private final O defaults;

    protected Optimizer(List<? extends Tensor> params, O defaults) {
        this.defaults = defaults;
        addParamGroup(params, defaults);
    }

    /** {@code add_param_group}: more parameters with their own options (a copy of {@code options}). */
    public void addParamGroup(List<? extends Tensor> params, O options) {
        if (params.isEmpty()) throw new IllegalArgumentException("optimizer got an empty parameter list");
        for (Tensor p : params) {
            if (!p.isLeaf()) throw new IllegalArgumentException("can't optimize a non-leaf Tensor");
            for (ParamGroup<O> g : groups)
                for (Tensor q : g.params)
                    if (q == p) throw new IllegalArgumentException("some parameters appear in more than one parameter group");
        }
        groups.add(new ParamGroup<>(params, options.copy()));
    }

    public List<ParamGroup<O>> paramGroups() { return Collections.unmodifiableList(groups); }

    public O defaults() { return defaults; }

    /** {@code zero_grad()}: sets every gradient to null (PyTorch 2's default). */
    public void zeroGrad() { zeroGrad(true); }

    public void zeroGrad(boolean setToNone) {
        for (ParamGroup<O> g : groups)
            for (Tensor p : g.params) {
                Tensor grad = p.grad();
                if (grad == null) continue;
                if (setToNone) p.setGrad(null);
                else Torch.noGrad(() -> { grad.zero_(); });
            }
    }

    /** One update of every parameter that has a gradient, without recording the graph. */
    public void step() {
        Torch.noGrad(() -> {
            for (ParamGroup<O> g : groups)
                for (Tensor p : g.params)
                    if (p.grad() != null) update(p, p.grad(), g.options, state.computeIfAbsent(p, k -> new java.util.HashMap<>()));
        });
    }

    /** The update rule for one parameter with gradient {@code grad}. */
    protected abstract void update(Tensor param, Tensor grad, O options, Map<String, Object> paramState);
}
