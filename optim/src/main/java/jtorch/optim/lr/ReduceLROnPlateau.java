package jtorch.optim.lr;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jtorch.Tensor;
import jtorch.optim.Optimizer;

/**
 * {@code torch.optim.lr_scheduler.ReduceLROnPlateau}: multiplies each group's learning rate by
 * {@code factor} (not below its {@code min_lr}) when a metric has stopped improving for more than
 * {@code patience} epochs, then waits {@code cooldown} epochs. Improvement is
 * {@code a < best * (1 - threshold)} ({@code mode="min"}, {@code threshold_mode="rel"}),
 * {@code a < best - threshold} (min, abs), {@code a > best * (threshold + 1)} (max, rel) or
 * {@code a > best + threshold} (max, abs); a reduction smaller than {@code eps} is skipped.
 * As in PyTorch 1.13 it is not an {@link LRScheduler} (its step takes the metric); as in
 * PyTorch 2, {@link #getLastLr()} is defined from construction on.
 *
 * <pre>{@code
 * var sched = new ReduceLROnPlateau(opt, ReduceLROnPlateau.options().mode("min").factor(0.5).patience(5));
 * for (int epoch = 0; epoch < 100; epoch++) {
 *     train(opt);
 *     double valLoss = validate();
 *     sched.step(valLoss);
 * }
 * }</pre>
 */
public class ReduceLROnPlateau {
    private static final Logger LOG = LoggerFactory.getLogger(ReduceLROnPlateau.class);

    /** ReduceLROnPlateau's keywords with PyTorch's defaults. */
    public static final class Options {
        private String mode = "min";
        private double factor = 0.1;
        private int patience = 10;
        private double threshold = 1e-4;
        private String thresholdMode = "rel";
        private int cooldown = 0;
        private List<Double> minLr = List.of(0.0);
        private boolean minLrPerGroup;
        private double eps = 1e-8;

        private Options() {}

        /** {@code mode}: {@code "min"} (default; the metric should decrease) or {@code "max"}. */
        public Options mode(String v) { mode = v; return this; }
        /** {@code factor}: the multiplier of a reduction, below 1 (default 0.1). */
        public Options factor(double v) { factor = v; return this; }
        /** {@code patience}: epochs without improvement tolerated (default 10). */
        public Options patience(int v) { patience = v; return this; }
        /** {@code threshold}: what counts as an improvement (default 1e-4). */
        public Options threshold(double v) { threshold = v; return this; }
        /** {@code threshold_mode}: {@code "rel"} (default) or {@code "abs"}. */
        public Options thresholdMode(String v) { thresholdMode = v; return this; }
        /** {@code cooldown}: epochs to wait after a reduction (default 0). */
        public Options cooldown(int v) { cooldown = v; return this; }
        /** {@code min_lr} for every group (default 0). */
        public Options minLr(double v) { minLr = List.of(v); minLrPerGroup = false; return this; }
        /** {@code min_lr}, one per parameter group. */
        public Options minLr(List<Double> v) { minLr = List.copyOf(v); minLrPerGroup = true; return this; }
        /** {@code eps}: the smallest reduction applied (default 1e-8). */
        public Options eps(double v) { eps = v; return this; }
    }

    /** Options with PyTorch's defaults. */
    public static Options options() { return new Options(); }

    private final Optimizer<?> optimizer;
    private final String mode, thresholdMode;
    private final double factor, threshold, eps;
    private final int patience, cooldown;
    private final List<Double> minLrs;
    private double best;
    private int numBadEpochs, cooldownCounter, lastEpoch;
    private List<Double> lastLr;

    /** {@code ReduceLROnPlateau(optimizer)} with PyTorch's defaults. */
    public ReduceLROnPlateau(Optimizer<?> optimizer) { this(optimizer, options()); }

    /**
     * {@code ReduceLROnPlateau(optimizer, **options)}.
     *
     * @throws IllegalArgumentException with PyTorch's messages ({@code "Factor should be < 1.0."},
     *         {@code "expected 2 min_lrs, got 1"}, {@code "mode avg is unknown!"},
     *         {@code "threshold mode x is unknown!"})
     */
    public ReduceLROnPlateau(Optimizer<?> optimizer, Options o) {
        if (o.factor >= 1.0) throw new IllegalArgumentException("Factor should be < 1.0.");
        this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
        int n = optimizer.paramGroups().size();
        if (o.minLrPerGroup) {
            if (o.minLr.size() != n) throw new IllegalArgumentException("expected " + n + " min_lrs, got " + o.minLr.size());
            minLrs = o.minLr;
        } else {
            minLrs = Collections.nCopies(n, o.minLr.get(0));
        }
        if (!"min".equals(o.mode) && !"max".equals(o.mode)) throw new IllegalArgumentException("mode " + o.mode + " is unknown!");
        if (!"rel".equals(o.thresholdMode) && !"abs".equals(o.thresholdMode))
            throw new IllegalArgumentException("threshold mode " + o.thresholdMode + " is unknown!");
        this.factor = o.factor;
        this.patience = o.patience;
        this.cooldown = o.cooldown;
        this.mode = o.mode;
        this.threshold = o.threshold;
        this.thresholdMode = o.thresholdMode;
        this.eps = o.eps;
        this.lastEpoch = 0;
        reset();
        lastLr = currentLrs();
    }

    private double modeWorse() { return "min".equals(mode) ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY; }

    private void reset() {
        best = modeWorse();
        cooldownCounter = 0;
        numBadEpochs = 0;
    }

    /** {@code step(metrics)} with a 0-dim (or one-element) tensor metric, as {@code float(metrics)}. */
    public void step(Tensor metric) { step(metric.item()); }

    /** One epoch: records the metric and reduces the learning rates if it has plateaued. */
    public void step(double current) {
        int epoch = lastEpoch + 1;
        lastEpoch = epoch;
        if (isBetter(current, best)) {
            best = current;
            numBadEpochs = 0;
        } else {
            numBadEpochs++;
        }
        if (inCooldown()) {
            cooldownCounter--;
            numBadEpochs = 0;
        }
        if (numBadEpochs > patience) {
            reduceLr(epoch);
            cooldownCounter = cooldown;
            numBadEpochs = 0;
        }
        lastLr = currentLrs();
    }

    private void reduceLr(int epoch) {
        var groups = optimizer.paramGroups();
        for (int i = 0; i < groups.size(); i++) {
            var g = groups.get(i).options();
            double oldLr = g.lr();
            double newLr = Math.max(oldLr * factor, minLrs.get(i));
            if (oldLr - newLr > eps) {
                g.lr(newLr);
                if (LOG.isDebugEnabled())
                    LOG.debug("ReduceLROnPlateau: epoch {}: reducing learning rate of group {} to {}", epoch, i,
                            String.format("%.4e", newLr));
            }
        }
    }

    private boolean isBetter(double a, double best) {
        if ("min".equals(mode) && "rel".equals(thresholdMode)) return a < best * (1. - threshold);
        if ("min".equals(mode)) return a < best - threshold;
        if ("rel".equals(thresholdMode)) return a > best * (threshold + 1.);
        return a > best + threshold;
    }

    private List<Double> currentLrs() {
        List<Double> lrs = new ArrayList<>();
        for (var g : optimizer.paramGroups()) lrs.add(g.options().lr());
        return Collections.unmodifiableList(lrs);
    }

    /** The learning rates after the last {@link #step(double)} (the groups' current ones before any). */
    public List<Double> getLastLr() { return lastLr; }

    /** Whether a reduction happened less than {@code cooldown} epochs ago. */
    public boolean inCooldown() { return cooldownCounter > 0; }

    /** The best metric so far ({@code +inf} in min mode, {@code -inf} in max mode before any step). */
    public double best() { return best; }

    /** Epochs since the last improvement (reset by a reduction and during cooldown). */
    public int numBadEpochs() { return numBadEpochs; }

    /** {@code last_epoch}: the number of steps taken. */
    public int lastEpoch() { return lastEpoch; }

    /** The per-group {@code min_lr}. */
    public List<Double> minLrs() { return minLrs; }

    /** {@code state_dict()}: the progress ({@code best}, counters, {@code last_epoch}, {@code _last_lr}). */
    public Map<String, Object> stateDict() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("best", best);
        m.put("num_bad_epochs", numBadEpochs);
        m.put("cooldown_counter", cooldownCounter);
        m.put("last_epoch", lastEpoch);
        m.put("_last_lr", lastLr);
        return m;
    }

    /** {@code load_state_dict(state_dict)}: restores what {@link #stateDict()} saved. */
    public void loadStateDict(Map<String, ?> state) {
        if (state.containsKey("best")) best = ((Number) state.get("best")).doubleValue();
        if (state.containsKey("num_bad_epochs")) numBadEpochs = ((Number) state.get("num_bad_epochs")).intValue();
        if (state.containsKey("cooldown_counter")) cooldownCounter = ((Number) state.get("cooldown_counter")).intValue();
        if (state.containsKey("last_epoch")) lastEpoch = ((Number) state.get("last_epoch")).intValue();
        if (state.containsKey("_last_lr")) lastLr = Collections.unmodifiableList(LRScheduler.doubles(state.get("_last_lr")));
    }
}
