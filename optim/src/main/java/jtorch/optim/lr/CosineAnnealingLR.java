package jtorch.optim.lr;

import java.util.ArrayList;
import java.util.List;

import jtorch.optim.Optimizer;

/**
 * {@code torch.optim.lr_scheduler.CosineAnnealingLR}: anneals each group's learning rate from its
 * {@code initial_lr} to {@code eta_min} along a half cosine over {@code T_max} epochs (and back up
 * over the next {@code T_max}, periodically), in PyTorch 1.13's recursive form, which
 * {@link #step()} uses:
 *
 * <pre>
 * last_epoch == 0:                         lr
 * first step of a resumed scheduler:       eta_min + (base_lr - eta_min) * (1 + cos(last_epoch * pi / T_max)) / 2
 * (last_epoch - 1 - T_max) % (2 T_max) == 0: lr + (base_lr - eta_min) * (1 - cos(pi / T_max)) / 2
 * otherwise:   (1 + cos(pi * last_epoch / T_max)) / (1 + cos(pi * (last_epoch - 1) / T_max)) * (lr - eta_min) + eta_min
 * </pre>
 *
 * Cosines are {@link Math#cos}; the fixtures agree with CPython's {@code math.cos} to the bit.
 *
 * <pre>{@code
 * var sched = new CosineAnnealingLR(opt, 10, 1e-4);   // T_max=10, eta_min=1e-4
 * for (int epoch = 0; epoch < 10; epoch++) {
 *     train(opt);
 *     sched.step();
 * }
 * }</pre>
 */
public class CosineAnnealingLR extends LRScheduler {
    private final int tMax;
    private final double etaMin;

    /** {@code CosineAnnealingLR(optimizer, T_max)} with {@code eta_min=0}. */
    public CosineAnnealingLR(Optimizer<?> optimizer, int tMax) { this(optimizer, tMax, 0.0, -1); }

    /** {@code CosineAnnealingLR(optimizer, T_max, eta_min)}. */
    public CosineAnnealingLR(Optimizer<?> optimizer, int tMax, double etaMin) { this(optimizer, tMax, etaMin, -1); }

    /** {@code CosineAnnealingLR(optimizer, T_max, eta_min, last_epoch)}. */
    public CosineAnnealingLR(Optimizer<?> optimizer, int tMax, double etaMin, int lastEpoch) {
        super(optimizer);
        this.tMax = tMax;
        this.etaMin = etaMin;
        initialize(lastEpoch);
    }

    /** {@code T_max}. */
    public int tMax() { return tMax; }

    /** {@code eta_min}. */
    public double etaMin() { return etaMin; }

    /** {@code eta_min + (base_lr - eta_min) * (1 + cos(pi * last_epoch / T_max)) / 2}. */
    @Override protected List<Double> closedFormLr() {
        List<Double> r = new ArrayList<>();
        for (double base : baseLrs) r.add(etaMin + (base - etaMin) * (1 + Math.cos(Math.PI * lastEpoch / tMax)) / 2);
        return r;
    }

    @Override protected List<Double> getLr() {
        List<Double> lrs = currentLrs();
        if (lastEpoch == 0) return lrs;
        List<Double> r = new ArrayList<>();
        if (stepCount == 1 && lastEpoch > 0) {
            for (double base : baseLrs)
                r.add(etaMin + (base - etaMin) * (1 + Math.cos(lastEpoch * Math.PI / tMax)) / 2);
        } else if (Math.floorMod(lastEpoch - 1 - tMax, 2 * tMax) == 0) {
            for (int i = 0; i < lrs.size(); i++)
                r.add(lrs.get(i) + (baseLrs.get(i) - etaMin) * (1 - Math.cos(Math.PI / tMax)) / 2);
        } else {
            for (double lr : lrs)
                r.add((1 + Math.cos(Math.PI * lastEpoch / tMax)) / (1 + Math.cos(Math.PI * (lastEpoch - 1) / tMax))
                        * (lr - etaMin) + etaMin);
        }
        return r;
    }
}
