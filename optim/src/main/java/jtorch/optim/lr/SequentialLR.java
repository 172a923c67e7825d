package jtorch.optim.lr;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jtorch.optim.Optimizer;

/**
 * {@code torch.optim.lr_scheduler.SequentialLR}: runs one scheduler after another, switching at
 * the milestone epochs; at a milestone the next scheduler restarts from its epoch 0
 * ({@code step(0)}, its closed form), as PyTorch 1.13 does.
 *
 * <pre>{@code
 * var warmup = new LinearLR(opt, 0.1, 1.0, 5);
 * var decay = new ExponentialLR(opt, 0.9);
 * var sched = new SequentialLR(opt, List.of(warmup, decay), List.of(5));
 * for (int epoch = 0; epoch < 100; epoch++) {
 *     train(opt);
 *     sched.step();
 * }
 * }</pre>
 */
public class SequentialLR extends LRScheduler {
    private final List<LRScheduler> schedulers;
    private final List<Integer> milestones;

    /** {@code SequentialLR(optimizer, schedulers, milestones)}. */
    public SequentialLR(Optimizer<?> optimizer, List<? extends LRScheduler> schedulers, List<Integer> milestones) {
        this(optimizer, schedulers, milestones, -1);
    }

    /**
     * {@code SequentialLR(optimizer, schedulers, milestones, last_epoch)}: resets every group's
     * {@code lr} to its {@code initial_lr}, undoes the initial step of every scheduler and
     * performs the first scheduler's initial step again.
     *
     * @throws IllegalArgumentException with PyTorch's messages if a scheduler belongs to another
     *         optimizer or there is not one milestone fewer than schedulers
     */
    public SequentialLR(Optimizer<?> optimizer, List<? extends LRScheduler> schedulers, List<Integer> milestones, int lastEpoch) {
        super(optimizer);
        for (int i = 0; i < schedulers.size(); i++) {
            if (schedulers.get(i).optimizer() != optimizer)
                throw new IllegalArgumentException("Sequential Schedulers expects all schedulers to belong to the same optimizer, but "
                        + "got schedulers at index " + i + " to be different than the optimizer passed in.");
        }
        if (milestones.size() != schedulers.size() - 1)
            throw new IllegalArgumentException("Sequential Schedulers expects number of schedulers provided to be one more than the "
                    + "number of milestone points, but got number of schedulers " + schedulers.size()
                    + " and the number of milestones to be equal to " + milestones.size());
        this.schedulers = List.copyOf(schedulers);
        this.milestones = List.copyOf(milestones);
        this.lastEpoch = lastEpoch + 1;
        for (var g : optimizer.paramGroups()) g.options().lr(g.options().getDouble("initial_lr"));
        for (LRScheduler s : this.schedulers) s.lastEpoch -= 1;
        this.schedulers.get(0).initialStep();
        setLastLr(this.schedulers.get(0).getLastLr());
    }

    /** The schedulers, in order. */
    public List<LRScheduler> schedulers() { return schedulers; }

    /** The milestones. */
    public List<Integer> milestones() { return milestones; }

    /** Not used: SequentialLR sets no learning rate of its own. */
    @Override protected List<Double> getLr() {
        throw new UnsupportedOperationException("SequentialLR delegates to its schedulers; see getLastLr()");
    }

    /** Steps the scheduler whose span holds the next epoch (restarting it at its milestone). */
    @Override public void step() {
        lastEpoch++;
        int idx = 0;
        while (idx < milestones.size() && milestones.get(idx) <= lastEpoch) idx++;   // bisect_right
        LRScheduler s = schedulers.get(idx);
        if (idx > 0 && milestones.get(idx - 1) == lastEpoch) s.step(0);
        else s.step();
        setLastLr(s.getLastLr());
    }

    /**
     * Refused: PyTorch's {@code SequentialLR.step()} takes no epoch.
     *
     * @throws UnsupportedOperationException always
     */
    @Override public void step(int epoch) {
        throw new UnsupportedOperationException("SequentialLR.step() takes no epoch");
    }

    /** {@code _milestones}, {@code last_epoch}, {@code _last_lr} and {@code _schedulers} (each scheduler's state dict). */
    @Override public Map<String, Object> stateDict() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("_milestones", milestones);
        m.put("last_epoch", lastEpoch);
        m.put("_last_lr", getLastLr());
        List<Map<String, Object>> subs = new ArrayList<>();
        for (LRScheduler s : schedulers) subs.add(s.stateDict());
        m.put("_schedulers", subs);
        return m;
    }

    /** Restores {@code last_epoch}, {@code _last_lr} and every scheduler's state. */
    @Override public void loadStateDict(Map<String, ?> state) {
        if (state.containsKey("last_epoch")) lastEpoch = ((Number) state.get("last_epoch")).intValue();
        if (state.containsKey("_last_lr")) setLastLr(Collections.unmodifiableList(doubles(state.get("_last_lr"))));
        Object subs = state.get("_schedulers");
        if (subs instanceof List) {
            List<?> l = (List<?>) subs;
            for (int i = 0; i < l.size() && i < schedulers.size(); i++) {
                @SuppressWarnings("unchecked") Map<String, ?> sd = (Map<String, ?>) l.get(i);
                schedulers.get(i).loadStateDict(sd);
            }
        }
    }
}
