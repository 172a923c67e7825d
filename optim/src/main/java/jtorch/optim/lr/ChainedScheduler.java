package jtorch.optim.lr;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code torch.optim.lr_scheduler.ChainedScheduler}: steps several schedulers of one optimizer
 * together, each {@link #step()} stepping every one of them in order, so their (chainable)
 * effects multiply.
 *
 * <pre>{@code
 * var sched = new ChainedScheduler(List.of(new LinearLR(opt, 0.5, 1.0, 4), new ExponentialLR(opt, 0.9)));
 * for (int epoch = 0; epoch < 100; epoch++) {
 *     train(opt);
 *     sched.step();
 * }
 * }</pre>
 */
public class ChainedScheduler extends LRScheduler {
    private final List<LRScheduler> schedulers;

    /**
     * {@code ChainedScheduler(schedulers)}; the schedulers have made their initial steps already.
     *
     * @throws IllegalArgumentException with PyTorch's message if they belong to different optimizers
     */
    public ChainedScheduler(List<? extends LRScheduler> schedulers) {
        super(schedulers.get(0).optimizer());
        for (int i = 1; i < schedulers.size(); i++)
            if (schedulers.get(i).optimizer() != schedulers.get(0).optimizer())
                throw new IllegalArgumentException("ChainedScheduler expects all schedulers to belong to the same optimizer, but got "
                        + "schedulers at index 0 and " + i + " to be different");
        this.schedulers = List.copyOf(schedulers);
        setLastLr(currentLrs());
    }

    /** The schedulers, in order. */
    public List<LRScheduler> schedulers() { return schedulers; }

    /** Not used: the chained schedulers compute the learning rates. */
    @Override protected List<Double> getLr() {
        throw new UnsupportedOperationException("ChainedScheduler delegates to its schedulers; see getLastLr()");
    }

    /** Steps every scheduler, in order. */
    @Override public void step() {
        for (LRScheduler s : schedulers) s.step();
        setLastLr(currentLrs());
    }

    /**
     * Refused: PyTorch's {@code ChainedScheduler.step()} takes no epoch.
     *
     * @throws UnsupportedOperationException always
     */
    @Override public void step(int epoch) {
        throw new UnsupportedOperationException("ChainedScheduler.step() takes no epoch");
    }

    /** {@code _last_lr} and {@code _schedulers} (each scheduler's state dict). */
    @Override public Map<String, Object> stateDict() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("_last_lr", getLastLr());
        List<Map<String, Object>> subs = new ArrayList<>();
        for (LRScheduler s : schedulers) subs.add(s.stateDict());
        m.put("_schedulers", subs);
        return m;
    }

    /** Restores {@code _last_lr} and every scheduler's state. */
    @Override public void loadStateDict(Map<String, ?> state) {
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
