package jtorch.optim.lr;

import java.util.ArrayList;
import java.util.List;

import jtorch.optim.Optimizer;

/**
 * {@code torch.optim.lr_scheduler.LinearLR}: multiplies each group's learning rate by a factor
 * that changes linearly from {@code start_factor} to {@code end_factor} over {@code total_iters}
 * epochs, in PyTorch 1.13's chainable form:
 *
 * <pre>
 * last_epoch == 0:            lr * start_factor
 * last_epoch > total_iters:   lr
 * otherwise:                  lr * (1 + (end_factor - start_factor)
 *                                  / (total_iters * start_factor + (last_epoch - 1) * (end_factor - start_factor)))
 * </pre>
 *
 * <pre>{@code
 * var warmup = new LinearLR(opt, 0.5, 1.0, 4);   // lr 0.05: 0.025, 0.03125, 0.0375, 0.04375 (+1 ulp), then 0.05
 * for (int epoch = 0; epoch < 100; epoch++) {
 *     train(opt);
 *     warmup.step();
 * }
 * }</pre>
 */
public class LinearLR extends LRScheduler {
    private final double startFactor, endFactor;
    private final int totalIters;

    /** {@code LinearLR(optimizer)}: {@code start_factor=1/3, end_factor=1.0, total_iters=5}. */
    public LinearLR(Optimizer<?> optimizer) { this(optimizer, 1.0 / 3, 1.0, 5, -1); }

    /** {@code LinearLR(optimizer, start_factor, end_factor, total_iters)}. */
    public LinearLR(Optimizer<?> optimizer, double startFactor, double endFactor, int totalIters) {
        this(optimizer, startFactor, endFactor, totalIters, -1);
    }

    /**
     * {@code LinearLR(optimizer, start_factor, end_factor, total_iters, last_epoch)}.
     *
     * @throws IllegalArgumentException if a factor is outside [0, 1] (PyTorch's messages)
     */
    public LinearLR(Optimizer<?> optimizer, double startFactor, double endFactor, int totalIters, int lastEpoch) {
        super(optimizer);
        if (startFactor > 1.0 || startFactor < 0)
            throw new IllegalArgumentException("Starting multiplicative factor expected to be between 0 and 1.");
        if (endFactor > 1.0 || endFactor < 0)
            throw new IllegalArgumentException("Ending multiplicative factor expected to be between 0 and 1.");
        this.startFactor = startFactor;
        this.endFactor = endFactor;
        this.totalIters = totalIters;
        initialize(lastEpoch);
    }

    /** {@code start_factor}. */
    public double startFactor() { return startFactor; }

    /** {@code end_factor}. */
    public double endFactor() { return endFactor; }

    /** {@code total_iters}. */
    public int totalIters() { return totalIters; }

    /** {@code base_lr * (start_factor + (end_factor - start_factor) * min(total_iters, last_epoch) / total_iters)}. */
    @Override protected List<Double> closedFormLr() {
        List<Double> r = new ArrayList<>();
        for (double base : baseLrs)
            r.add(base * (startFactor + (endFactor - startFactor) * Math.min(totalIters, lastEpoch) / totalIters));
        return r;
    }

    @Override protected List<Double> getLr() {
        List<Double> lrs = currentLrs();
        List<Double> r = new ArrayList<>();
        if (lastEpoch == 0) {
            for (double lr : lrs) r.add(lr * startFactor);
            return r;
        }
        if (lastEpoch > totalIters) return lrs;
        for (double lr : lrs)
            r.add(lr * (1. + (endFactor - startFactor)
                    / (totalIters * startFactor + (lastEpoch - 1) * (endFactor - startFactor))));
        return r;
    }
}
