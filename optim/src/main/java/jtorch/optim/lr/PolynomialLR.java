package jtorch.optim.lr;

import java.util.ArrayList;
import java.util.List;

import jtorch.optim.Optimizer;

/**
 * {@code torch.optim.lr_scheduler.PolynomialLR}: decays each group's learning rate by a
 * polynomial of the remaining fraction of {@code total_iters} epochs, reaching 0 at
 * {@code total_iters}; PyTorch 1.13's recursive form:
 *
 * <pre>
 * last_epoch == 0 or last_epoch > total_iters:   lr
 * otherwise:  lr * ((1 - last_epoch / total_iters) / (1 - (last_epoch - 1) / total_iters)) ** power
 * closed form (step(epoch)):  base_lr * (1 - min(total_iters, last_epoch) / total_iters) ** power
 * </pre>
 *
 * <pre>{@code
 * var sched = new PolynomialLR(opt, 10, 2.0);     // PolynomialLR(opt, total_iters=10, power=2.0)
 * }</pre>
 */
public class PolynomialLR extends LRScheduler {
    private final int totalIters;
    private final double power;

    /** {@code PolynomialLR(optimizer)}: {@code total_iters=5, power=1.0}. */
    public PolynomialLR(Optimizer<?> optimizer) { this(optimizer, 5, 1.0, -1); }

    /** {@code PolynomialLR(optimizer, total_iters, power)}. */
    public PolynomialLR(Optimizer<?> optimizer, int totalIters, double power) { this(optimizer, totalIters, power, -1); }

    /** {@code PolynomialLR(optimizer, total_iters, power, last_epoch)}. */
    public PolynomialLR(Optimizer<?> optimizer, int totalIters, double power, int lastEpoch) {
        super(optimizer);
        this.totalIters = totalIters;
        this.power = power;
        initialize(lastEpoch);
    }

    /** {@code total_iters}. */
    public int totalIters() { return totalIters; }

    /** {@code power}. */
    public double power() { return power; }

    @Override protected List<Double> getLr() {
        List<Double> lrs = currentLrs();
        if (lastEpoch == 0 || lastEpoch > totalIters) return lrs;
        double decayFactor = Math.pow((1.0 - (double) lastEpoch / totalIters) / (1.0 - (double) (lastEpoch - 1) / totalIters), power);
        List<Double> r = new ArrayList<>();
        for (double lr : lrs) r.add(lr * decayFactor);
        return r;
    }

    @Override protected List<Double> closedFormLr() {
        List<Double> r = new ArrayList<>();
        for (double base : baseLrs) r.add(base * Math.pow(1.0 - (double) Math.min(totalIters, lastEpoch) / totalIters, power));
        return r;
    }
}
