package jtorch.optim.lr;

import java.util.ArrayList;
import java.util.List;

import jtorch.optim.Optimizer;

/**
 * {@code torch.optim.lr_scheduler.StepLR}: multiplies each group's learning rate by
 * {@code gamma} every {@code stepSize} epochs (PyTorch 1.13's chainable form:
 * {@code lr * gamma} when {@code last_epoch > 0 && last_epoch % step_size == 0}, otherwise
 * unchanged).
 *
 * <pre>{@code
 * var sched = new StepLR(opt, 30, 0.1);    // lr = 0.05 for epochs 0-29, 0.005 for 30-59, ...
 * for (int epoch = 0; epoch < 100; epoch++) {
 *     train(opt);
 *     sched.step();
 * }
 * }</pre>
 */
public class StepLR extends LRScheduler {
    private final int stepSize;
    private final double gamma;

    /** {@code StepLR(optimizer, step_size)} with {@code gamma=0.1}. */
    public StepLR(Optimizer<?> optimizer, int stepSize) { this(optimizer, stepSize, 0.1, -1); }

    /** {@code StepLR(optimizer, step_size, gamma)}. */
    public StepLR(Optimizer<?> optimizer, int stepSize, double gamma) { this(optimizer, stepSize, gamma, -1); }

    /** {@code StepLR(optimizer, step_size, gamma, last_epoch)}. */
    public StepLR(Optimizer<?> optimizer, int stepSize, double gamma, int lastEpoch) {
        super(optimizer);
        this.stepSize = stepSize;
        this.gamma = gamma;
        initialize(lastEpoch);
    }

    /** {@code step_size}. */
    public int stepSize() { return stepSize; }

    /** {@code gamma}. */
    public double gamma() { return gamma; }

    /** {@code base_lr * gamma ** (last_epoch // step_size)}. */
    @Override protected List<Double> closedFormLr() {
        List<Double> r = new ArrayList<>();
        for (double base : baseLrs) r.add(base * Math.pow(gamma, Math.floorDiv(lastEpoch, stepSize)));
        return r;
    }

    @Override protected List<Double> getLr() {
        List<Double> lrs = currentLrs();
        if (lastEpoch == 0 || Math.floorMod(lastEpoch, stepSize) != 0) return lrs;
        List<Double> r = new ArrayList<>();
        for (double lr : lrs) r.add(lr * gamma);
        return r;
    }
}
