package jtorch.optim.lr;

import java.util.ArrayList;
import java.util.List;

import jtorch.optim.Optimizer;

/**
 * {@code torch.optim.lr_scheduler.ExponentialLR}: multiplies each group's learning rate by
 * {@code gamma} every epoch (PyTorch 1.13's chainable form, {@code lr * gamma}).
 *
 * <pre>{@code
 * var sched = new ExponentialLR(opt, 0.9);
 * for (int epoch = 0; epoch < 10; epoch++) {
 *     train(opt);
 *     sched.step();              // lr = 0.1 * 0.9^(epoch + 1)
 * }
 * }</pre>
 */
public class ExponentialLR extends LRScheduler {
    private final double gamma;

    /** {@code ExponentialLR(optimizer, gamma)}. */
    public ExponentialLR(Optimizer<?> optimizer, double gamma) { this(optimizer, gamma, -1); }

    /** {@code ExponentialLR(optimizer, gamma, last_epoch)}. */
    public ExponentialLR(Optimizer<?> optimizer, double gamma, int lastEpoch) {
        super(optimizer);
        this.gamma = gamma;
        initialize(lastEpoch);
    }

    /** {@code gamma}. */
    public double gamma() { return gamma; }

    /** {@code base_lr * gamma ** last_epoch}. */
    @Override protected List<Double> closedFormLr() {
        List<Double> r = new ArrayList<>();
        for (double base : baseLrs) r.add(base * Math.pow(gamma, lastEpoch));
        return r;
    }

    @Override protected List<Double> getLr() {
        List<Double> lrs = currentLrs();
        if (lastEpoch == 0) return lrs;
        List<Double> r = new ArrayList<>();
        for (double lr : lrs) r.add(lr * gamma);
        return r;
    }
}
