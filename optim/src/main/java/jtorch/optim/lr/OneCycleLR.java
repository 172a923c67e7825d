package jtorch.optim.lr;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import jtorch.optim.Optimizer;

/**
 * {@code torch.optim.lr_scheduler.OneCycleLR}: the 1cycle policy. The learning rate rises from
 * {@code max_lr / div_factor} to {@code max_lr} over the first {@code pct_start} of
 * {@code total_steps}, then falls to {@code initial_lr / final_div_factor} (with
 * {@code three_phase}, it first comes back down to {@code initial_lr} symmetrically, then falls);
 * with {@code cycle_momentum} the momentum (SGD's {@code momentum}, or {@code betas[0]} for
 * optimizers with {@code betas} such as Adam) moves inversely between {@code max_momentum} and
 * {@code base_momentum}. Annealing is cosine ({@code "cos"}) or {@code "linear"}. It is stepped
 * after every batch, and like PyTorch 1.13 it writes {@code initial_lr}, {@code max_lr},
 * {@code min_lr} (and {@code max_momentum}, {@code base_momentum}) into the groups.
 *
 * <pre>{@code
 * var opt = new SGD(model.parameters(), SGD.options(0.1).momentum(0.9));
 * var sched = new OneCycleLR(opt, OneCycleLR.options(0.1).epochs(10).stepsPerEpoch(loader.size()));
 * for (int epoch = 0; epoch < 10; epoch++)
 *     for (var batch : loader) {
 *         trainBatch(opt, batch);
 *         sched.step();
 *     }
 * }</pre>
 */
public class OneCycleLR extends LRScheduler {
    /** OneCycleLR's keywords, one fluent setter each, with PyTorch's defaults. */
    public static final class Options {
        private List<Double> maxLr;
        private boolean maxLrPerGroup, baseMomentumPerGroup, maxMomentumPerGroup;
        private Integer totalSteps, epochs, stepsPerEpoch;
        private double pctStart = 0.3;
        private String annealStrategy = "cos";
        private boolean cycleMomentum = true;
        private List<Double> baseMomentum, maxMomentum;
        private double divFactor = 25.0, finalDivFactor = 1e4;
        private boolean threePhase;
        private int lastEpoch = -1;

        private Options(List<Double> maxLr, boolean perGroup) {
            this.maxLr = maxLr;
            this.maxLrPerGroup = perGroup;
        }

        /** {@code total_steps}: the number of steps in the cycle (or give {@code epochs} and {@code steps_per_epoch}). */
        public Options totalSteps(int v) { totalSteps = v; return this; }
        /** {@code epochs}, used with {@code steps_per_epoch} when {@code total_steps} is not given. */
        public Options epochs(int v) { epochs = v; return this; }
        /** {@code steps_per_epoch}. */
        public Options stepsPerEpoch(int v) { stepsPerEpoch = v; return this; }
        /** {@code pct_start}: the fraction of the cycle spent increasing the learning rate (default 0.3). */
        public Options pctStart(double v) { pctStart = v; return this; }
        /** {@code anneal_strategy}: {@code "cos"} (default) or {@code "linear"}. */
        public Options annealStrategy(String v) { annealStrategy = v; return this; }
        /** {@code cycle_momentum} (default true). */
        public Options cycleMomentum(boolean v) { cycleMomentum = v; return this; }
        /** {@code base_momentum}, the lower momentum boundary (default 0.85). */
        public Options baseMomentum(double v) { baseMomentum = List.of(v); baseMomentumPerGroup = false; return this; }
        /** {@code base_momentum}, one per parameter group. */
        public Options baseMomentum(List<Double> v) { baseMomentum = List.copyOf(v); baseMomentumPerGroup = true; return this; }
        /** {@code max_momentum}, the upper momentum boundary (default 0.95). */
        public Options maxMomentum(double v) { maxMomentum = List.of(v); maxMomentumPerGroup = false; return this; }
        /** {@code max_momentum}, one per parameter group. */
        public Options maxMomentum(List<Double> v) { maxMomentum = List.copyOf(v); maxMomentumPerGroup = true; return this; }
        /** {@code div_factor}: {@code initial_lr = max_lr / div_factor} (default 25). */
        public Options divFactor(double v) { divFactor = v; return this; }
        /** {@code final_div_factor}: {@code min_lr = initial_lr / final_div_factor} (default 1e4). */
        public Options finalDivFactor(double v) { finalDivFactor = v; return this; }
        /** {@code three_phase} (default false). */
        public Options threePhase(boolean v) { threePhase = v; return this; }
        /** {@code last_epoch}: the index of the last batch when resuming (default -1). */
        public Options lastEpoch(int v) { lastEpoch = v; return this; }
    }

    /** Options with one {@code max_lr} for every group. */
    public static Options options(double maxLr) { return new Options(List.of(maxLr), false); }

    /** Options with a {@code max_lr} per parameter group. */
    public static Options options(List<Double> maxLr) { return new Options(List.copyOf(maxLr), true); }

    private static final class Phase {
        final double endStep;
        final String startLr, endLr, startMomentum, endMomentum;

        Phase(double endStep, String startLr, String endLr, String startMomentum, String endMomentum) {
            this.endStep = endStep;
            this.startLr = startLr;
            this.endLr = endLr;
            this.startMomentum = startMomentum;
            this.endMomentum = endMomentum;
        }
    }

    private final int totalSteps;
    private final List<Phase> phases = new ArrayList<>();
    private final boolean linear;
    private final boolean cycleMomentum;
    private boolean useBeta1;

    /** {@code OneCycleLR(optimizer, max_lr, total_steps)}. */
    public OneCycleLR(Optimizer<?> optimizer, double maxLr, int totalSteps) {
        this(optimizer, options(maxLr).totalSteps(totalSteps));
    }

    /**
     * {@code OneCycleLR(optimizer, max_lr, **options)}.
     *
     * @throws IllegalArgumentException with PyTorch's messages for a missing or non-positive
     *         step count, {@code pct_start} outside [0, 1], an unknown anneal strategy, a per-group
     *         list of the wrong length, or {@code cycle_momentum} on an optimizer without momentum
     */
    public OneCycleLR(Optimizer<?> optimizer, Options o) {
        super(optimizer);
        if (o.totalSteps == null && o.epochs == null && o.stepsPerEpoch == null)
            throw new IllegalArgumentException("You must define either total_steps OR (epochs AND steps_per_epoch)");
        if (o.totalSteps != null) {
            if (o.totalSteps <= 0) throw new IllegalArgumentException("Expected positive integer total_steps, but got " + o.totalSteps);
            totalSteps = o.totalSteps;
        } else {
            if (o.epochs == null || o.epochs <= 0)
                throw new IllegalArgumentException("Expected positive integer epochs, but got " + (o.epochs == null ? "None" : o.epochs));
            if (o.stepsPerEpoch == null || o.stepsPerEpoch <= 0)
                throw new IllegalArgumentException("Expected positive integer steps_per_epoch, but got "
                        + (o.stepsPerEpoch == null ? "None" : o.stepsPerEpoch));
            totalSteps = o.epochs * o.stepsPerEpoch;
        }
        if (o.threePhase) {
            phases.add(new Phase(o.pctStart * totalSteps - 1, "initial_lr", "max_lr", "max_momentum", "base_momentum"));
            phases.add(new Phase(2 * o.pctStart * totalSteps - 2, "max_lr", "initial_lr", "base_momentum", "max_momentum"));
            phases.add(new Phase(totalSteps - 1, "initial_lr", "min_lr", "max_momentum", "max_momentum"));
        } else {
            phases.add(new Phase(o.pctStart * totalSteps - 1, "initial_lr", "max_lr", "max_momentum", "base_momentum"));
            phases.add(new Phase(totalSteps - 1, "max_lr", "min_lr", "base_momentum", "max_momentum"));
        }
        if (o.pctStart < 0 || o.pctStart > 1 || Double.isNaN(o.pctStart))
            throw new IllegalArgumentException("Expected float between 0 and 1 pct_start, but got " + repr(o.pctStart));
        if (!"cos".equals(o.annealStrategy) && !"linear".equals(o.annealStrategy))
            throw new IllegalArgumentException("anneal_strategy must by one of 'cos' or 'linear', instead got " + o.annealStrategy);
        linear = "linear".equals(o.annealStrategy);

        var groups = optimizer.paramGroups();
        List<Double> maxLrs = formatParam("max_lr", o.maxLr, o.maxLrPerGroup);
        if (o.lastEpoch == -1) {
            for (int i = 0; i < groups.size(); i++) {
                var g = groups.get(i).options();
                g.set("initial_lr", maxLrs.get(i) / o.divFactor);
                g.set("max_lr", maxLrs.get(i));
                g.set("min_lr", g.getDouble("initial_lr") / o.finalDivFactor);
            }
        }
        cycleMomentum = o.cycleMomentum;
        if (cycleMomentum) {
            var defaults = optimizer.defaults();
            if (!defaults.has("momentum") && !defaults.has("betas"))
                throw new IllegalArgumentException("optimizer must support momentum with `cycle_momentum` option enabled");
            useBeta1 = defaults.has("betas");
            List<Double> maxMomentums = formatParam("max_momentum", o.maxMomentum == null ? List.of(0.95) : o.maxMomentum, o.maxMomentumPerGroup);
            List<Double> baseMomentums = formatParam("base_momentum", o.baseMomentum == null ? List.of(0.85) : o.baseMomentum, o.baseMomentumPerGroup);
            if (o.lastEpoch == -1) {
                for (int i = 0; i < groups.size(); i++) {
                    var g = groups.get(i).options();
                    setMomentum(g, maxMomentums.get(i));
                    g.set("max_momentum", maxMomentums.get(i));
                    g.set("base_momentum", baseMomentums.get(i));
                }
            }
        }
        initialize(o.lastEpoch);
    }

    /** A single value repeated for every group, or a per-group list of the right length. */
    private List<Double> formatParam(String name, List<Double> values, boolean perGroup) {
        int n = optimizer.paramGroups().size();
        if (!perGroup) return Collections.nCopies(n, values.get(0));
        if (values.size() != n)
            throw new IllegalArgumentException("expected " + n + " values for " + name + ", got " + values.size());
        return values;
    }

    private void setMomentum(Optimizer.Options<?> g, double m) {
        if (useBeta1) {
            List<?> betas = (List<?>) g.get("betas");
            List<Object> nb = new ArrayList<>();
            nb.add(m);
            nb.addAll(betas.subList(1, betas.size()));
            g.set("betas", nb);
        } else {
            g.set("momentum", m);
        }
    }

    /** The number of steps in the cycle. */
    public int totalSteps() { return totalSteps; }

    private double anneal(double start, double end, double pct) {
        if (linear) return (end - start) * pct + start;
        double cosOut = Math.cos(Math.PI * pct) + 1;
        return end + (start - end) / 2.0 * cosOut;
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalStateException when stepped past {@code total_steps}
     *         ({@code "Tried to step 32 times. The specified number of total steps is 30"})
     */
    @Override protected List<Double> getLr() {
        int stepNum = lastEpoch;
        if (stepNum > totalSteps)
            throw new IllegalStateException("Tried to step " + (stepNum + 1) + " times. The specified number of total steps is "
                    + totalSteps);
        List<Double> lrs = new ArrayList<>();
        for (var group : optimizer.paramGroups()) {
            var g = group.options();
            double startStep = 0;
            double lr = Double.NaN, momentum = Double.NaN;
            for (int i = 0; i < phases.size(); i++) {
                Phase p = phases.get(i);
                if (stepNum <= p.endStep || i == phases.size() - 1) {
                    double pct = (stepNum - startStep) / (p.endStep - startStep);
                    lr = anneal(g.getDouble(p.startLr), g.getDouble(p.endLr), pct);
                    if (cycleMomentum) momentum = anneal(g.getDouble(p.startMomentum), g.getDouble(p.endMomentum), pct);
                    break;
                }
                startStep = p.endStep;
            }
            lrs.add(lr);
            if (cycleMomentum) setMomentum(g, momentum);
        }
        return lrs;
    }
}
