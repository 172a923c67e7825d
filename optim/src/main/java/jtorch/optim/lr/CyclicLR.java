package jtorch.optim.lr;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.DoubleUnaryOperator;

import jtorch.optim.Optimizer;

/**
 * {@code torch.optim.lr_scheduler.CyclicLR}: cycles each group's learning rate between
 * {@code base_lr} and {@code max_lr} (up over {@code step_size_up} steps, down over
 * {@code step_size_down}), with the amplitude scaled per cycle ({@code "triangular"}: constant,
 * {@code "triangular2"}: halved each cycle) or per step ({@code "exp_range"}:
 * {@code gamma ** step}), or by a function of your own; with {@code cycle_momentum} the
 * optimizer's {@code momentum} cycles inversely between {@code max_momentum} and
 * {@code base_momentum}. Stepped after every batch. PyTorch 1.13's formula:
 *
 * <pre>
 * cycle = floor(1 + last_epoch / total_size);  x = 1 + last_epoch / total_size - cycle
 * scale_factor = x &lt;= step_ratio ? x / step_ratio : (x - 1) / (step_ratio - 1)
 * lr = base_lr + (max_lr - base_lr) * scale_factor * scale_fn(cycle or last_epoch)
 * momentum = max_momentum - (max_momentum - base_momentum) * scale_factor * scale_fn(...)
 * </pre>
 *
 * <pre>{@code
 * var opt = new SGD(model.parameters(), SGD.options(0.1).momentum(0.9));
 * var sched = new CyclicLR(opt, CyclicLR.options(0.01, 0.1).stepSizeUp(2000).mode("triangular2"));
 * for (var batch : loader) {
 *     trainBatch(opt, batch);
 *     sched.step();
 * }
 * }</pre>
 */
public class CyclicLR extends LRScheduler {
    /** CyclicLR's keywords, one fluent setter each, with PyTorch's defaults. */
    public static final class Options {
        private final List<Double> baseLr, maxLr;
        private final boolean baseLrPerGroup, maxLrPerGroup;
        private double stepSizeUp = 2000;
        private Double stepSizeDown;
        private String mode = "triangular";
        private double gamma = 1.0;
        private DoubleUnaryOperator scaleFn;
        private String scaleMode = "cycle";
        private boolean cycleMomentum = true;
        private List<Double> baseMomentum = List.of(0.8), maxMomentum = List.of(0.9);
        private boolean baseMomentumPerGroup, maxMomentumPerGroup;
        private int lastEpoch = -1;

        private Options(List<Double> baseLr, boolean baseLrPerGroup, List<Double> maxLr, boolean maxLrPerGroup) {
            this.baseLr = baseLr;
            this.baseLrPerGroup = baseLrPerGroup;
            this.maxLr = maxLr;
            this.maxLrPerGroup = maxLrPerGroup;
        }

        /** {@code step_size_up}: steps in the increasing half of a cycle (default 2000). */
        public Options stepSizeUp(double v) { stepSizeUp = v; return this; }
        /** {@code step_size_down}: steps in the decreasing half (default: {@code step_size_up}). */
        public Options stepSizeDown(double v) { stepSizeDown = v; return this; }
        /** {@code mode}: {@code "triangular"} (default), {@code "triangular2"} or {@code "exp_range"}. */
        public Options mode(String v) { mode = v; return this; }
        /** {@code gamma}, the base of {@code "exp_range"}'s {@code gamma ** step} (default 1.0). */
        public Options gamma(double v) { gamma = v; return this; }
        /** {@code scale_fn}: a scaling function of your own, replacing {@code mode}'s. */
        public Options scaleFn(DoubleUnaryOperator v) { scaleFn = v; return this; }
        /** {@code scale_mode}: whether {@code scale_fn} takes the cycle number ({@code "cycle"}, default) or the step ({@code "iterations"}). */
        public Options scaleMode(String v) { scaleMode = v; return this; }
        /** {@code cycle_momentum} (default true). */
        public Options cycleMomentum(boolean v) { cycleMomentum = v; return this; }
        /** {@code base_momentum} (default 0.8). */
        public Options baseMomentum(double v) { baseMomentum = List.of(v); baseMomentumPerGroup = false; return this; }
        /** {@code base_momentum}, one per group. */
        public Options baseMomentum(List<Double> v) { baseMomentum = List.copyOf(v); baseMomentumPerGroup = true; return this; }
        /** {@code max_momentum} (default 0.9). */
        public Options maxMomentum(double v) { maxMomentum = List.of(v); maxMomentumPerGroup = false; return this; }
        /** {@code max_momentum}, one per group. */
        public Options maxMomentum(List<Double> v) { maxMomentum = List.copyOf(v); maxMomentumPerGroup = true; return this; }
        /** {@code last_epoch}: the index of the last batch when resuming (default -1). */
        public Options lastEpoch(int v) { lastEpoch = v; return this; }
    }

    /** Options with one {@code base_lr} and {@code max_lr} for every group. */
    public static Options options(double baseLr, double maxLr) { return new Options(List.of(baseLr), false, List.of(maxLr), false); }

    /** Options with a {@code base_lr} and a {@code max_lr} per group. */
    public static Options options(List<Double> baseLr, List<Double> maxLr) {
        return new Options(List.copyOf(baseLr), true, List.copyOf(maxLr), true);
    }

    private final List<Double> maxLrs;
    private final double totalSize, stepRatio;
    private final String mode, scaleMode;
    private final double gamma;
    private final DoubleUnaryOperator scaleFn;
    private final boolean cycleMomentum;
    private List<Double> baseMomentums, maxMomentums;

    /** {@code CyclicLR(optimizer, base_lr, max_lr)} with PyTorch's other defaults. */
    public CyclicLR(Optimizer<?> optimizer, double baseLr, double maxLr) { this(optimizer, options(baseLr, maxLr)); }

    /**
     * {@code CyclicLR(optimizer, base_lr, max_lr, **options)}.
     *
     * @throws IllegalArgumentException with PyTorch's messages for an unknown mode without
     *         {@code scale_fn}, a per-group list of the wrong length, or {@code cycle_momentum}
     *         with an optimizer that has no {@code momentum} (Adam: set {@code cycleMomentum(false)})
     */
    public CyclicLR(Optimizer<?> optimizer, Options o) {
        super(optimizer);
        var groups = optimizer.paramGroups();
        List<Double> baseLrs = formatParam("base_lr", o.baseLr, o.baseLrPerGroup);
        if (o.lastEpoch == -1)
            for (int i = 0; i < groups.size(); i++) groups.get(i).options().lr(baseLrs.get(i));
        maxLrs = formatParam("max_lr", o.maxLr, o.maxLrPerGroup);
        double up = o.stepSizeUp;
        double down = o.stepSizeDown != null ? o.stepSizeDown : up;
        totalSize = up + down;
        stepRatio = up / totalSize;
        if (!List.of("triangular", "triangular2", "exp_range").contains(o.mode) && o.scaleFn == null)
            throw new IllegalArgumentException("mode is invalid and scale_fn is None");
        mode = o.mode;
        gamma = o.gamma;
        scaleFn = o.scaleFn;
        scaleMode = o.scaleFn != null ? o.scaleMode : mode.equals("exp_range") ? "iterations" : "cycle";
        cycleMomentum = o.cycleMomentum;
        if (cycleMomentum) {
            if (!optimizer.defaults().has("momentum"))
                throw new IllegalArgumentException("optimizer must support momentum with `cycle_momentum` option enabled");
            List<Double> base = formatParam("base_momentum", o.baseMomentum, o.baseMomentumPerGroup);
            if (o.lastEpoch == -1)
                for (int i = 0; i < groups.size(); i++) groups.get(i).options().set("momentum", base.get(i));
            baseMomentums = new ArrayList<>();
            for (var g : groups) baseMomentums.add(g.options().getDouble("momentum"));
            maxMomentums = formatParam("max_momentum", o.maxMomentum, o.maxMomentumPerGroup);
        }
        initialize(o.lastEpoch);
        this.baseLrs = Collections.unmodifiableList(new ArrayList<>(baseLrs));
    }

    private List<Double> formatParam(String name, List<Double> values, boolean perGroup) {
        int n = optimizer.paramGroups().size();
        if (!perGroup) return Collections.nCopies(n, values.get(0));
        if (values.size() != n) throw new IllegalArgumentException("expected " + n + " values for " + name + ", got " + values.size());
        return values;
    }

    /** {@code max_lrs}. */
    public List<Double> maxLrs() { return maxLrs; }

    private double scale(double x) {
        if (scaleFn != null) return scaleFn.applyAsDouble(x);
        switch (mode) {
            case "triangular2": return 1 / Math.pow(2., x - 1);
            case "exp_range": return Math.pow(gamma, x);
            default: return 1.;
        }
    }

    @Override protected List<Double> getLr() {
        double cycle = Math.floor(1 + lastEpoch / totalSize);
        double x = 1. + lastEpoch / totalSize - cycle;
        double scaleFactor = x <= stepRatio ? x / stepRatio : (x - 1) / (stepRatio - 1);
        double s = scale(scaleMode.equals("cycle") ? cycle : lastEpoch);
        List<Double> lrs = new ArrayList<>();
        for (int i = 0; i < baseLrs.size(); i++) {
            double baseHeight = (maxLrs.get(i) - baseLrs.get(i)) * scaleFactor;
            lrs.add(baseLrs.get(i) + baseHeight * s);
        }
        if (cycleMomentum) {
            var groups = optimizer.paramGroups();
            for (int i = 0; i < baseMomentums.size(); i++) {
                double baseHeight = (maxMomentums.get(i) - baseMomentums.get(i)) * scaleFactor;
                groups.get(i).options().set("momentum", maxMomentums.get(i) - baseHeight * s);
            }
        }
        return lrs;
    }
}
