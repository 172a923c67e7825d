package jtorch.optim.lr;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jtorch.optim.Optimizer;

/**
 * {@code torch.optim.lr_scheduler.MultiStepLR}: multiplies each group's learning rate by
 * {@code gamma} when the epoch reaches a milestone ({@code gamma ** count} for a milestone listed
 * {@code count} times), in PyTorch 1.13's chainable form.
 *
 * <pre>{@code
 * var sched = new MultiStepLR(opt, List.of(30, 80), 0.1);  // 0.05, then 0.005 from 30, 0.0005 from 80
 * for (int epoch = 0; epoch < 100; epoch++) {
 *     train(opt);
 *     sched.step();
 * }
 * }</pre>
 */
public class MultiStepLR extends LRScheduler {
    private final Map<Integer, Integer> milestones = new TreeMap<>();
    private final double gamma;

    /** {@code MultiStepLR(optimizer, milestones)} with {@code gamma=0.1}. */
    public MultiStepLR(Optimizer<?> optimizer, List<Integer> milestones) { this(optimizer, milestones, 0.1, -1); }

    /** {@code MultiStepLR(optimizer, milestones, gamma)}. */
    public MultiStepLR(Optimizer<?> optimizer, List<Integer> milestones, double gamma) { this(optimizer, milestones, gamma, -1); }

    /** {@code MultiStepLR(optimizer, milestones, gamma, last_epoch)}. */
    public MultiStepLR(Optimizer<?> optimizer, List<Integer> milestones, double gamma, int lastEpoch) {
        super(optimizer);
        for (int m : milestones) this.milestones.merge(m, 1, Integer::sum);   // a Counter
        this.gamma = gamma;
        initialize(lastEpoch);
    }

    /** The milestones with how often each was given ({@code Counter(milestones)}). */
    public Map<Integer, Integer> milestones() { return java.util.Collections.unmodifiableMap(milestones); }

    /** {@code gamma}. */
    public double gamma() { return gamma; }

    /** {@code base_lr * gamma ** bisect_right(sorted(milestones), last_epoch)}, milestones counted with multiplicity. */
    @Override protected List<Double> closedFormLr() {
        int passed = 0;
        for (Map.Entry<Integer, Integer> e : milestones.entrySet()) if (e.getKey() <= lastEpoch) passed += e.getValue();
        List<Double> r = new ArrayList<>();
        for (double base : baseLrs) r.add(base * Math.pow(gamma, passed));
        return r;
    }

    @Override protected List<Double> getLr() {
        List<Double> lrs = currentLrs();
        Integer count = milestones.get(lastEpoch);
        if (count == null) return lrs;
        double factor = Math.pow(gamma, count);
        List<Double> r = new ArrayList<>();
        for (double lr : lrs) r.add(lr * factor);
        return r;
    }
}
