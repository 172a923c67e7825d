package jtorch.optim.lr;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jtorch.PyFormat;
import jtorch.optim.Optimizer;

/**
 * Base of the epoch-based learning-rate schedulers, as PyTorch 1.13's
 * {@code torch.optim.lr_scheduler._LRScheduler} ({@code LRScheduler} in PyTorch 2): it changes
 * each parameter group's {@code lr} when {@link #step()} is called, computing the new values
 * with {@link #getLr()} in PyTorch's chainable (recursive) form, which reads the groups' current
 * learning rates, so several schedulers can act on one optimizer.
 *
 * <p>Construction follows PyTorch: with {@code lastEpoch == -1} every group gets
 * {@code initial_lr = lr} (unless it already has one), otherwise every group must already have
 * {@code initial_lr} (a resumed run); {@link #baseLrs()} are the groups' {@code initial_lr}; then
 * the constructor performs the initial step, so {@code lastEpoch()} is 0 (or the resumed epoch
 * + 1) and {@link #getLastLr()} is defined right away.
 *
 * <pre>{@code
 * var opt = new SGD(model.parameters(), SGD.options(0.1).momentum(0.9));
 * var sched = new StepLR(opt, 30, 0.1);
 * for (int epoch = 0; epoch < 100; epoch++) {
 *     train(opt);                  // calls opt.step()
 *     sched.step();
 *     System.out.println(sched.getLastLr());   // [0.1] ... [0.01] from epoch 29 on
 * }
 * }</pre>
 *
 * <p>Subclass contract: a subclass constructor stores its own arguments and then calls
 * {@link #initialize(int)} (PyTorch's {@code super().__init__(optimizer, last_epoch)}, which has
 * to run after the subclass's fields are set because it calls {@link #getLr()}).
 */
public abstract class LRScheduler {
    private static final Logger LOG = LoggerFactory.getLogger(LRScheduler.class);

    /** The wrapped optimizer. */
    protected final Optimizer<?> optimizer;
    /** The groups' {@code initial_lr}. */
    protected List<Double> baseLrs;
    /** PyTorch's {@code last_epoch}: the index of the epoch the current learning rates are for. */
    protected int lastEpoch;
    /** PyTorch's {@code _step_count}: how many times {@link #step()} has run (the initial step included). */
    protected int stepCount;
    private List<Double> lastLr;
    private int optimizerStepsAtStart;

    /** Stores the optimizer; the subclass then sets its fields and calls {@link #initialize(int)}. */
    protected LRScheduler(Optimizer<?> optimizer) {
        this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
    }

    /**
     * PyTorch's {@code _LRScheduler.__init__(optimizer, last_epoch)}: sets or checks
     * {@code initial_lr}, records {@link #baseLrs()} and performs the initial step.
     *
     * @throws NoSuchElementException when resuming ({@code lastEpoch != -1}) and a group has no
     *         {@code initial_lr} (PyTorch's KeyError)
     */
    protected final void initialize(int lastEpoch) {
        List<? extends Optimizer.ParamGroup<? extends Optimizer.Options<?>>> groups = optimizer.paramGroups();
        if (lastEpoch == -1) {
            for (var g : groups)
                if (!g.options().has("initial_lr")) g.options().set("initial_lr", g.options().lr());
        } else {
            for (int i = 0; i < groups.size(); i++)
                if (!groups.get(i).options().has("initial_lr"))
                    throw new NoSuchElementException("param 'initial_lr' is not specified in param_groups[" + i
                            + "] when resuming an optimizer");
        }
        List<Double> base = new ArrayList<>();
        for (var g : groups) base.add(g.options().getDouble("initial_lr"));
        this.baseLrs = Collections.unmodifiableList(base);
        this.lastEpoch = lastEpoch;
        initialStep();
    }

    /** PyTorch's {@code _initial_step()}: resets the step counts and steps once (SequentialLR calls it again). */
    final void initialStep() {
        this.optimizerStepsAtStart = optimizer.stepCount();
        this.stepCount = 0;
        step();
    }

    /**
     * PyTorch's {@code _get_closed_form_lr()}: the learning rates for epoch {@link #lastEpoch}
     * computed from {@link #baseLrs()} directly, used by {@link #step(int)}; null for schedulers
     * that have no closed form (then {@code step(epoch)} uses {@link #getLr()}).
     */
    protected List<Double> closedFormLr() { return null; }

    /**
     * The learning rates for epoch {@link #lastEpoch} (already advanced), one per group, in
     * PyTorch's chainable form ({@code get_lr()}).
     */
    protected abstract List<Double> getLr();

    /** Advances one epoch and sets every group's {@code lr} to {@link #getLr()}. */
    public void step() {
        if (stepCount == 1 && optimizer.stepCount() - optimizerStepsAtStart < 1)
            LOG.warn("Detected call of `lr_scheduler.step()` before `optimizer.step()`. In PyTorch 1.1.0 and later, you "
                    + "should call them in the opposite order: `optimizer.step()` before `lr_scheduler.step()`.  Failure "
                    + "to do this will result in PyTorch skipping the first value of the learning rate schedule.");
        stepCount++;
        lastEpoch++;
        setLrs(getLr());
    }

    /**
     * {@code step(epoch)} (deprecated in PyTorch, but what {@link SequentialLR} calls at a
     * milestone): jumps to epoch {@code epoch} and sets the learning rates from the closed form
     * where the scheduler has one, else from {@link #getLr()}.
     *
     * <pre>{@code
     * sched.step(0);      // restart the schedule at epoch 0
     * }</pre>
     */
    public void step(int epoch) {
        if (stepCount == 1 && optimizer.stepCount() - optimizerStepsAtStart < 1)
            LOG.warn("Detected call of `lr_scheduler.step()` before `optimizer.step()`. In PyTorch 1.1.0 and later, you "
                    + "should call them in the opposite order: `optimizer.step()` before `lr_scheduler.step()`.  Failure "
                    + "to do this will result in PyTorch skipping the first value of the learning rate schedule.");
        stepCount++;
        lastEpoch = epoch;
        List<Double> closed = closedFormLr();
        setLrs(closed != null ? closed : getLr());
    }

    /** Sets every group's {@code lr} and records {@link #getLastLr()}. */
    final void setLrs(List<Double> values) {
        var groups = optimizer.paramGroups();
        for (int i = 0; i < groups.size(); i++) {
            groups.get(i).options().lr(values.get(i));
            if (LOG.isDebugEnabled())
                LOG.debug("{}: epoch {}: adjusting learning rate of group {} to {}", getClass().getSimpleName(), lastEpoch,
                        i, String.format("%.4e", values.get(i)));
        }
        lastLr = currentLrs();
    }

    /** {@code get_last_lr()}: the learning rates this scheduler set last, one per parameter group. */
    public List<Double> getLastLr() { return lastLr; }

    /** Sets what {@link #getLastLr()} returns (for schedulers that set learning rates in their own way). */
    final void setLastLr(List<Double> lrs) { lastLr = lrs; }

    /** {@code last_epoch}. */
    public int lastEpoch() { return lastEpoch; }

    /** {@code base_lrs}: the groups' {@code initial_lr}. */
    public List<Double> baseLrs() { return baseLrs; }

    /** The wrapped optimizer. */
    public Optimizer<?> optimizer() { return optimizer; }

    /** The groups' current {@code lr}, in order. */
    protected final List<Double> currentLrs() {
        List<Double> lrs = new ArrayList<>();
        for (var g : optimizer.paramGroups()) lrs.add(g.options().lr());
        return Collections.unmodifiableList(lrs);
    }

    /**
     * {@code state_dict()}: the scheduler's progress ({@code base_lrs}, {@code last_epoch},
     * {@code _step_count}, {@code _last_lr}). Its hyperparameters are the constructor's arguments
     * and are not included; a scheduler built with the same arguments and loaded from this map
     * continues identically.
     */
    public Map<String, Object> stateDict() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("base_lrs", baseLrs);
        m.put("last_epoch", lastEpoch);
        m.put("_step_count", stepCount);
        m.put("_last_lr", lastLr);
        return m;
    }

    /** {@code load_state_dict(state_dict)}: restores what {@link #stateDict()} saved. */
    public void loadStateDict(Map<String, ?> state) {
        if (state.containsKey("base_lrs")) baseLrs = Collections.unmodifiableList(doubles(state.get("base_lrs")));
        if (state.containsKey("last_epoch")) lastEpoch = ((Number) state.get("last_epoch")).intValue();
        if (state.containsKey("_step_count")) stepCount = ((Number) state.get("_step_count")).intValue();
        if (state.containsKey("_last_lr")) lastLr = Collections.unmodifiableList(doubles(state.get("_last_lr")));
    }

    static List<Double> doubles(Object list) {
        List<Double> r = new ArrayList<>();
        for (Object o : (List<?>) list) r.add(((Number) o).doubleValue());
        return r;
    }

    /** PyTorch's formatting of a number in messages (Python's repr). */
    static String repr(double v) { return PyFormat.repr(v); }
}
