package jtorch.nn;

import jtorch.PyFormat;
import jtorch.Tensor;
import jtorch.Torch;
import jtorch.nn.functional.F;

/**
 * The shared part of {@link BatchNorm1d} and {@link BatchNorm2d} (PyTorch's {@code _BatchNorm}):
 * per-channel normalisation with a learnable {@code weight} (init 1) and {@code bias} (init 0) when
 * {@code affine}, and the buffers {@code running_mean} (init 0), {@code running_var} (init 1) and
 * {@code num_batches_tracked} (int64, init 0) when {@code track_running_stats}.
 *
 * <p>Training normalises with the batch mean and biased variance and updates the running statistics
 * ({@code running = (1 - momentum) running + momentum batch}, with the unbiased variance; a null
 * momentum gives the cumulative average {@code 1 / num_batches_tracked}). Evaluation normalises
 * with the running statistics, or with the batch's when they are not tracked.
 *
 * <pre>{@code
 * var bn = new BatchNorm2d(BatchNorm2d.options(16).momentum(null).affine(false));
 * Tensor y = bn.forward(Torch.randn(8, 16, 5, 5));
 * }</pre>
 */
public abstract class BatchNorm extends Module {
    /** Keyword arguments of the batch-norm modules. */
    public static final class Options {
        private final long numFeatures;
        private double eps = 1e-5;
        private Double momentum = 0.1;
        private boolean affine = true, trackRunningStats = true;

        Options(long numFeatures) { this.numFeatures = numFeatures; }

        /** Added to the variance for stability (default 1e-5). */
        public Options eps(double eps) { this.eps = eps; return this; }

        /** The running-average factor (default 0.1); null for a cumulative average. */
        public Options momentum(Double momentum) { this.momentum = momentum; return this; }

        /** Learn a per-channel weight and bias (default true). */
        public Options affine(boolean affine) { this.affine = affine; return this; }

        /** Keep running statistics for evaluation (default true). */
        public Options trackRunningStats(boolean trackRunningStats) { this.trackRunningStats = trackRunningStats; return this; }

        /** The number of channels {@code C}. */
        public long numFeatures() { return numFeatures; }

        /** The epsilon set (default 1e-5). */
        public double eps() { return eps; }

        /** The momentum set (default 0.1), or null for the cumulative average. */
        public Double momentum() { return momentum; }

        /** Whether a weight and bias are learnt (default true). */
        public boolean affine() { return affine; }

        /** Whether running statistics are kept (default true). */
        public boolean trackRunningStats() { return trackRunningStats; }
    }

    /** {@code num_features}: the number of channels {@code C}. */
    public final long numFeatures;
    /** Added to the variance for stability. */
    public final double eps;
    /** Null for the cumulative moving average. */
    public final Double momentum;
    /** As in PyTorch: {@code affine} (learnable weight and bias) and {@code track_running_stats}. */
    public final boolean affine, trackRunningStats;
    /** Null unless {@code affine}. */
    public final Parameter weight, bias;
    /** Null unless {@code trackRunningStats}. */
    public final Tensor runningMean, runningVar, numBatchesTracked;

    /**
     * Builds the parameters and buffers from the options and resets them (weight 1, bias 0, running
     * mean 0, running variance 1).
     */
    protected BatchNorm(Options options) {
        jtorch.ops.Args.notNull("BatchNorm", "options", options);
        Checks.nonNegative(options.numFeatures);
        this.numFeatures = options.numFeatures;
        this.eps = options.eps;
        this.momentum = options.momentum;
        this.affine = options.affine;
        this.trackRunningStats = options.trackRunningStats;
        this.weight = registerParameter("weight", affine ? Torch.empty(numFeatures) : null);
        this.bias = registerParameter("bias", affine ? Torch.empty(numFeatures) : null);
        this.runningMean = registerBuffer("running_mean", trackRunningStats ? Torch.zeros(numFeatures) : null);
        this.runningVar = registerBuffer("running_var", trackRunningStats ? Torch.ones(numFeatures) : null);
        this.numBatchesTracked = registerBuffer("num_batches_tracked", trackRunningStats ? Torch.tensor(0L) : null);
        resetParameters();
    }

    /** Zeroes the running mean and the batch count and sets the running variance to 1. */
    public void resetRunningStats() {
        if (!trackRunningStats) return;
        Torch.noGrad(() -> {
            runningMean.zero_();
            runningVar.fill_(1.0);
            numBatchesTracked.zero_();
        });
    }

    /** {@link #resetRunningStats()}, weight 1 and bias 0. */
    public void resetParameters() {
        resetRunningStats();
        if (affine) {
            init.ones_(weight);
            init.zeros_(bias);
        }
    }

    /** Rejects inputs of the wrong rank, with PyTorch's message. */
    protected abstract void checkInputDim(Tensor input);

    @Override public Tensor forward(Tensor input) {
        checkInputDim(input);
        double factor = momentum == null ? 0.0 : momentum;
        if (isTraining() && trackRunningStats) {
            Torch.noGrad(() -> { numBatchesTracked.add_(1L); });
            if (momentum == null) factor = 1.0 / (double) numBatchesTracked.itemLong();
        }
        boolean bnTraining = isTraining() || (runningMean == null && runningVar == null);
        boolean useRunning = !isTraining() || trackRunningStats;
        return F.batchNorm(input, useRunning ? runningMean : null, useRunning ? runningVar : null, weight, bias,
                bnTraining, factor, eps);
    }

    @Override protected String extraRepr() {
        return numFeatures + ", eps=" + PyFormat.repr(eps) + ", momentum=" + (momentum == null ? "None" : PyFormat.repr(momentum))
                + ", affine=" + PyFormat.bool(affine) + ", track_running_stats=" + PyFormat.bool(trackRunningStats);
    }
}
