package jtorch.optim.lr;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jtorch.optim.Optimizer;

/**
 * {@code torch.optim.lr_scheduler.CosineAnnealingWarmRestarts} (SGDR): anneals each group's
 * learning rate from {@code initial_lr} to {@code eta_min} along a half cosine over
 * {@code T_i} epochs, then restarts, each period {@code T_mult} times longer than the one before:
 *
 * <pre>
 * lr = eta_min + (base_lr - eta_min) * (1 + cos(pi * T_cur / T_i)) / 2
 * </pre>
 *
 * As in PyTorch 1.13 it keeps its own epoch counters ({@code T_cur}, {@code T_i}) and can be
 * stepped with a fractional epoch, {@link #step(double)}, e.g. after every batch.
 *
 * <pre>{@code
 * var sched = new CosineAnnealingWarmRestarts(opt, 10, 2, 1e-4);   // T_0=10, T_mult=2, eta_min=1e-4
 * int iters = loader.size();
 * for (int epoch = 0; epoch < 70; epoch++) {
 *     int i = 0;
 *     for (var batch : loader) {
 *         trainBatch(opt, batch);
 *         sched.step(epoch + (double) i++ / iters);
 *     }
 * }
 * }</pre>
 */
public class CosineAnnealingWarmRestarts extends LRScheduler {
    private final int t0, tMult;
    private final double etaMin;
    private int tI;
    private double tCur;

    /** {@code CosineAnnealingWarmRestarts(optimizer, T_0)} with {@code T_mult=1, eta_min=0}. */
    public CosineAnnealingWarmRestarts(Optimizer<?> optimizer, int t0) { this(optimizer, t0, 1, 0.0, -1); }

    /** {@code CosineAnnealingWarmRestarts(optimizer, T_0, T_mult, eta_min)}. */
    public CosineAnnealingWarmRestarts(Optimizer<?> optimizer, int t0, int tMult, double etaMin) { this(optimizer, t0, tMult, etaMin, -1); }

    /**
     * {@code CosineAnnealingWarmRestarts(optimizer, T_0, T_mult, eta_min, last_epoch)}.
     *
     * @throws IllegalArgumentException {@code "Expected positive integer T_0, but got 0"},
     *         {@code "Expected integer T_mult >= 1, but got 0"}
     */
    public CosineAnnealingWarmRestarts(Optimizer<?> optimizer, int t0, int tMult, double etaMin, int lastEpoch) {
        super(optimizer);
        if (t0 <= 0) throw new IllegalArgumentException("Expected positive integer T_0, but got " + t0);
        if (tMult < 1) throw new IllegalArgumentException("Expected integer T_mult >= 1, but got " + tMult);
        this.t0 = t0;
        this.tI = t0;
        this.tMult = tMult;
        this.etaMin = etaMin;
        this.tCur = lastEpoch;
        initialize(lastEpoch);
    }

    /** {@code T_0}. */
    public int t0() { return t0; }

    /** {@code T_mult}. */
    public int tMult() { return tMult; }

    /** {@code eta_min}. */
    public double etaMin() { return etaMin; }

    /** {@code T_i}: the length of the current period. */
    public int tI() { return tI; }

    /** {@code T_cur}: epochs since the last restart (fractional after {@link #step(double)}). */
    public double tCur() { return tCur; }

    @Override protected List<Double> getLr() {
        List<Double> r = new ArrayList<>();
        for (double base : baseLrs) r.add(etaMin + (base - etaMin) * (1 + Math.cos(Math.PI * tCur / tI)) / 2);
        return r;
    }

    /** The next epoch: {@code T_cur + 1}, restarting when it reaches {@code T_i}. */
    @Override public void step() {
        if (lastEpoch < 0) {
            stepTo(0, "0");
            return;
        }
        int epoch = lastEpoch + 1;
        tCur = tCur + 1;
        if (tCur >= tI) {
            tCur = tCur - tI;
            tI = tI * tMult;
        }
        lastEpoch = epoch;
        setLrs(getLr());
    }

    /** {@code step(epoch)}. */
    @Override public void step(int epoch) { stepTo(epoch, Integer.toString(epoch)); }

    /**
     * {@code step(epoch)} with a fractional epoch (PyTorch's {@code scheduler.step(epoch + i / iters)}).
     *
     * @throws IllegalArgumentException {@code "Expected non-negative epoch, but got -1.0"}
     */
    public void step(double epoch) { stepTo(epoch, repr(epoch)); }

    private void stepTo(double epoch, String shown) {
        if (epoch < 0) throw new IllegalArgumentException("Expected non-negative epoch, but got " + shown);
        if (epoch >= t0) {
            if (tMult == 1) {
                tCur = epoch % t0;
            } else {
                int n = (int) (Math.log(epoch / t0 * (tMult - 1) + 1) / Math.log(tMult));
                tCur = epoch - t0 * (Math.pow(tMult, n) - 1) / (tMult - 1);
                tI = t0 * (int) Math.pow(tMult, n);
            }
        } else {
            tI = t0;
            tCur = epoch;
        }
        lastEpoch = (int) Math.floor(epoch);
        setLrs(getLr());
    }

    /** The base state plus {@code T_0, T_i, T_mult, eta_min, T_cur}. */
    @Override public Map<String, Object> stateDict() {
        Map<String, Object> m = super.stateDict();
        m.put("T_0", t0);
        m.put("T_i", tI);
        m.put("T_mult", tMult);
        m.put("eta_min", etaMin);
        m.put("T_cur", tCur);
        return m;
    }

    /** Restores the base state and {@code T_i}, {@code T_cur}. */
    @Override public void loadStateDict(Map<String, ?> state) {
        super.loadStateDict(state);
        if (state.containsKey("T_i")) tI = ((Number) state.get("T_i")).intValue();
        if (state.containsKey("T_cur")) tCur = ((Number) state.get("T_cur")).doubleValue();
    }
}
