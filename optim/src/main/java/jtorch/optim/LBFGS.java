package jtorch.optim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import jtorch.PyFormat;
import jtorch.Tensor;
import jtorch.Torch;

/**
 * {@code torch.optim.LBFGS}: limited-memory BFGS with an optional strong-Wolfe line search, as
 * PyTorch 1.13's {@code lbfgs.py} (itself after minFunc), statement for statement. Each
 * {@link #step(Supplier)} runs up to {@code max_iter} iterations and {@code max_eval} closure
 * evaluations; it stops early when the gradient's largest entry is at most
 * {@code tolerance_grad}, or when the step or the loss changes by less than
 * {@code tolerance_change}. The closure must zero the gradients, compute the loss, call
 * {@code backward()} and return the loss.
 *
 * <pre>{@code
 * var opt = new LBFGS(model.parameters(), LBFGS.options(1).historySize(10).lineSearchFn("strong_wolfe"));
 * for (int i = 0; i < 5; i++)
 *     opt.step(() -> {
 *         opt.zeroGrad();
 *         Tensor loss = F.mseLoss(model.forward(x), y);
 *         loss.backward();
 *         return loss;
 *     });
 * }</pre>
 *
 * <p>Defaults as PyTorch's: {@code lr=1, max_iter=20, max_eval=max_iter * 5 / 4,
 * tolerance_grad=1e-7, tolerance_change=1e-9, history_size=100, line_search_fn=None}. Like
 * PyTorch's it supports one parameter group only. The state lives under the first parameter:
 * {@code func_evals}, {@code n_iter}, {@code al}, {@code d}, {@code t}, {@code old_dirs},
 * {@code old_stps}, {@code ro}, {@code H_diag}, {@code prev_flat_grad}, {@code prev_loss} (PyTorch's
 * keys and order). The scalars that PyTorch keeps as 0-dim tensors or Python numbers
 * ({@code t}, {@code H_diag}, {@code ro}, {@code al}, {@code prev_loss}) are doubles here, so for
 * float64 parameters every step computes what PyTorch computes (up to the summation order of the
 * dot products); for float32 parameters PyTorch rounds those scalars to float32 and jtorch does not.
 */
public class LBFGS extends Optimizer<LBFGS.Options> {
    /** LBFGS's keywords: {@code lr, max_iter, max_eval, tolerance_grad, tolerance_change, history_size, line_search_fn}. */
    public static final class Options extends Optimizer.Options<Options> {
        int maxIter = 20;
        Integer maxEval;
        double toleranceGrad = 1e-7, toleranceChange = 1e-9;
        int historySize = 100;
        String lineSearchFn;

        Options(double lr) { super(lr); }

        /** {@code max_iter}: iterations per {@code step} (default 20). */
        public Options maxIter(int v) { maxIter = v; return this; }
        /** {@code max_eval}: closure evaluations per {@code step} (default {@code max_iter * 5 / 4}, fixed when the optimizer is built). */
        public Options maxEval(int v) { maxEval = v; return this; }
        /** {@code tolerance_grad}: stop when the gradient's largest absolute entry is at most this (default 1e-7). */
        public Options toleranceGrad(double v) { toleranceGrad = v; return this; }
        /** {@code tolerance_change}: stop when the step or the loss changes by less (default 1e-9). */
        public Options toleranceChange(double v) { toleranceChange = v; return this; }
        /** {@code history_size}: the number of correction pairs kept (default 100). */
        public Options historySize(int v) { historySize = v; return this; }
        /** {@code line_search_fn}: {@code "strong_wolfe"} or {@code null} (default: a fixed step {@code lr}). */
        public Options lineSearchFn(String v) { lineSearchFn = v; return this; }

        /** {@code max_iter}. */
        public int maxIter() { return maxIter; }
        /** {@code max_eval} ({@code max_iter * 5 / 4} unless set). */
        public int maxEval() { return maxEval != null ? maxEval : maxIter * 5 / 4; }
        /** {@code tolerance_grad}. */
        public double toleranceGrad() { return toleranceGrad; }
        /** {@code tolerance_change}. */
        public double toleranceChange() { return toleranceChange; }
        /** {@code history_size}. */
        public int historySize() { return historySize; }
        /** {@code line_search_fn}, or null. */
        public String lineSearchFn() { return lineSearchFn; }

        @Override protected void putKeywords(Map<String, Object> m) {
            m.put("max_iter", maxIter);
            m.put("max_eval", maxEval());
            m.put("tolerance_grad", toleranceGrad);
            m.put("tolerance_change", toleranceChange);
            m.put("history_size", historySize);
            m.put("line_search_fn", lineSearchFn);
        }

        @Override protected boolean setKeyword(String key, Object v) {
            switch (key) {
                case "max_iter": maxIter = toInt(key, v); return true;
                case "max_eval": maxEval = toInt(key, v); return true;
                case "tolerance_grad": toleranceGrad = toDouble(key, v); return true;
                case "tolerance_change": toleranceChange = toDouble(key, v); return true;
                case "history_size": historySize = toInt(key, v); return true;
                case "line_search_fn":
                    if (v != null && !(v instanceof String))
                        throw new IllegalArgumentException("option 'line_search_fn' expects a string or None, got " + PyFormat.repr(v));
                    lineSearchFn = (String) v;
                    return true;
                default: return false;
            }
        }

        private static int toInt(String key, Object v) {
            if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) return ((Number) v).intValue();
            if (v instanceof Double && (Double) v == Math.rint((Double) v)) return (int) (double) (Double) v;
            throw new IllegalArgumentException("option '" + key + "' expects an int, got " + PyFormat.repr(v));
        }
    }

    /** Options with PyTorch's defaults ({@code lr=1}). */
    public static Options options() { return new Options(1); }

    /** Options with learning rate {@code lr} and PyTorch's other defaults. */
    public static Options options(double lr) { return new Options(lr); }

    private final List<Tensor> params;

    /** {@code LBFGS(params)} with PyTorch's defaults. */
    public LBFGS(List<? extends Tensor> params) { this(params, options()); }

    /** {@code LBFGS(params, lr)}. */
    public LBFGS(List<? extends Tensor> params, double lr) { this(params, options(lr)); }

    /** {@code LBFGS(params, **options)}; {@code max_eval} is fixed here from {@code max_iter} if not given, as PyTorch does. */
    public LBFGS(List<? extends Tensor> params, Options options) {
        super(params, fixMaxEval(options));
        this.params = paramGroups().get(0).params();
    }

    private static Options fixMaxEval(Options o) {
        Options c = o.copy();
        if (c.maxEval == null) c.maxEval = c.maxIter * 5 / 4;
        return c;
    }

    /**
     * Refused, as in PyTorch: LBFGS has a single parameter group.
     *
     * @throws IllegalArgumentException {@code "LBFGS doesn't support per-parameter options (parameter groups)"}
     */
    @Override public void addParamGroup(List<? extends Tensor> params, Options options) {
        if (!paramGroups().isEmpty())
            throw new IllegalArgumentException("LBFGS doesn't support per-parameter options (parameter groups)");
        super.addParamGroup(params, options);
    }

    /**
     * Refused: LBFGS re-evaluates the loss, so it needs {@link #step(Supplier)}.
     *
     * @throws UnsupportedOperationException always (PyTorch: {@code step() missing 1 required positional argument: 'closure'})
     */
    @Override public void step() {
        throw new UnsupportedOperationException("LBFGS.step() missing 1 required positional argument: 'closure'");
    }

    @Override protected void update(Tensor param, Tensor grad, Options options, Map<String, Object> paramState) {
        throw new UnsupportedOperationException("LBFGS updates all parameters at once in step(closure)");
    }

    private int numel() {
        long n = 0;
        for (Tensor p : params) n += p.numel();
        return Math.toIntExact(n);
    }

    private Tensor gatherFlatGrad() {
        List<Tensor> views = new ArrayList<>();
        for (Tensor p : params) {
            Tensor g = p.grad();
            views.add(g == null ? Torch.zerosLike(p).reshape(-1) : g.reshape(-1));
        }
        return Torch.cat(views, 0);
    }

    private void addGrad(double stepSize, Tensor update) {
        long offset = 0;
        for (Tensor p : params) {
            long n = p.numel();
            p.add_(update.narrow(0, offset, n).view(p.shape()), stepSize);
            offset += n;
        }
    }

    private List<Tensor> cloneParams() {
        List<Tensor> r = new ArrayList<>();
        for (Tensor p : params) r.add(p.clone());
        return r;
    }

    private void setParams(List<Tensor> data) {
        for (int i = 0; i < params.size(); i++) params.get(i).copy_(data.get(i));
    }

    private double evaluate(Supplier<Tensor> closure) {
        try (var g = Torch.enableGrad()) {
            return closure.get().item();
        }
    }

    /** A loss and a flat gradient at {@code x + t d}, parameters restored to {@code x} after. */
    private Object[] directionalEvaluate(Supplier<Tensor> closure, List<Tensor> x, double t, Tensor d) {
        addGrad(t, d);
        double loss = evaluate(closure);
        Tensor flatGrad = gatherFlatGrad();
        setParams(x);
        return new Object[] {loss, flatGrad};
    }

    private static double maxAbs(Tensor t) { return t.abs().max().item(); }

    /**
     * {@code step(closure)}: up to {@code max_iter} L-BFGS iterations; returns the loss of the
     * first closure evaluation, as PyTorch does.
     *
     * @throws IllegalStateException {@code "only 'strong_wolfe' is supported"} for another line search
     */
    @Override
    @SuppressWarnings("unchecked")
    public Tensor step(Supplier<Tensor> closure) {
        java.util.Objects.requireNonNull(closure, "closure");
        Options group = paramGroups().get(0).options();
        double lr = group.lr;
        int maxIter = group.maxIter, maxEval = group.maxEval(), historySize = group.historySize;
        double toleranceGrad = group.toleranceGrad, toleranceChange = group.toleranceChange;
        String lineSearchFn = group.lineSearchFn;

        Map<String, Object> st = state.computeIfAbsent(params.get(0), k -> new java.util.LinkedHashMap<>());
        st.putIfAbsent("func_evals", 0L);
        st.putIfAbsent("n_iter", 0L);

        Tensor origLoss;
        try (var g = Torch.enableGrad()) {
            origLoss = closure.get();
        }
        countStep();
        try (var ng = Torch.noGrad()) {
            double loss = origLoss.item();
            int currentEvals = 1;
            st.put("func_evals", (Long) st.get("func_evals") + 1);
            Tensor flatGrad = gatherFlatGrad();
            boolean optCond = maxAbs(flatGrad) <= toleranceGrad;
            if (optCond) return origLoss;

            Tensor d = (Tensor) st.get("d");
            double t = st.containsKey("t") ? (Double) st.get("t") : 0;
            List<Tensor> oldDirs = (List<Tensor>) st.get("old_dirs");
            List<Tensor> oldStps = (List<Tensor>) st.get("old_stps");
            List<Double> ro = (List<Double>) st.get("ro");
            double hDiag = st.containsKey("H_diag") ? (Double) st.get("H_diag") : 1;
            Tensor prevFlatGrad = (Tensor) st.get("prev_flat_grad");
            double prevLoss = st.containsKey("prev_loss") ? (Double) st.get("prev_loss") : Double.NaN;

            int nIter = 0;
            while (nIter < maxIter) {
                nIter++;
                long stateIter = (Long) st.get("n_iter") + 1;
                st.put("n_iter", stateIter);

                // compute the descent direction
                if (stateIter == 1) {
                    d = flatGrad.neg();
                    oldDirs = new ArrayList<>();
                    oldStps = new ArrayList<>();
                    ro = new ArrayList<>();
                    hDiag = 1;
                } else {
                    Tensor y = flatGrad.sub(prevFlatGrad);
                    Tensor s = d.mul(t);
                    double ys = y.dot(s).item();
                    if (ys > 1e-10) {
                        if (oldDirs.size() == historySize) {
                            oldDirs.remove(0);
                            oldStps.remove(0);
                            ro.remove(0);
                        }
                        oldDirs.add(y);
                        oldStps.add(s);
                        ro.add(1. / ys);
                        hDiag = ys / y.dot(y).item();
                    }
                    int numOld = oldDirs.size();
                    if (!st.containsKey("al")) st.put("al", Arrays.asList(new Double[historySize]));
                    List<Double> al = (List<Double>) st.get("al");
                    // two-loop recursion
                    Tensor q = flatGrad.neg();
                    for (int i = numOld - 1; i >= 0; i--) {
                        al.set(i, oldStps.get(i).dot(q).item() * ro.get(i));
                        q.add_(oldDirs.get(i), -al.get(i));
                    }
                    Tensor r = q.mul(hDiag);
                    d = r;
                    for (int i = 0; i < numOld; i++) {
                        double beI = oldDirs.get(i).dot(r).item() * ro.get(i);
                        r.add_(oldStps.get(i), al.get(i) - beI);
                    }
                }
                if (prevFlatGrad == null) prevFlatGrad = flatGrad.clone();
                else prevFlatGrad.copy_(flatGrad);
                prevLoss = loss;

                // the step length
                if (stateIter == 1) t = Math.min(1., 1. / flatGrad.abs().sum().item()) * lr;
                else t = lr;
                double gtd = flatGrad.dot(d).item();
                if (gtd > -toleranceChange) break;

                int lsFuncEvals = 0;
                if (lineSearchFn != null) {
                    if (!lineSearchFn.equals("strong_wolfe")) throw new IllegalStateException("only 'strong_wolfe' is supported");
                    List<Tensor> xInit = cloneParams();
                    StrongWolfe.ObjFunc obj = (tt, dd) -> directionalEvaluate(closure, xInit, tt, dd);
                    StrongWolfe.Result ls = StrongWolfe.search(obj, t, d, loss, flatGrad, gtd, 1e-4, 0.9, toleranceChange, 25);
                    loss = ls.f;
                    flatGrad = ls.g;
                    t = ls.t;
                    lsFuncEvals = ls.funcEvals;
                    addGrad(t, d);
                    optCond = maxAbs(flatGrad) <= toleranceGrad;
                } else {
                    addGrad(t, d);
                    if (nIter != maxIter) {
                        loss = evaluate(closure);
                        flatGrad = gatherFlatGrad();
                        optCond = maxAbs(flatGrad) <= toleranceGrad;
                        lsFuncEvals = 1;
                    }
                }
                currentEvals += lsFuncEvals;
                st.put("func_evals", (Long) st.get("func_evals") + lsFuncEvals);

                // conditions for exiting
                if (nIter == maxIter) break;
                if (currentEvals >= maxEval) break;
                if (optCond) break;
                if (maxAbs(d.mul(t)) <= toleranceChange) break;
                if (Math.abs(loss - prevLoss) < toleranceChange) break;
            }
            st.put("d", d);
            st.put("t", t);
            st.put("old_dirs", oldDirs);
            st.put("old_stps", oldStps);
            st.put("ro", ro);
            st.put("H_diag", hDiag);
            st.put("prev_flat_grad", prevFlatGrad);
            st.put("prev_loss", prevLoss);
        }
        return origLoss;
    }
}
