package jtorch.optim;

import java.util.List;
import java.util.Map;

import jtorch.Tensor;
import jtorch.Torch;

/**
 * {@code torch.optim.Adamax} (Adam with the infinity norm: betas, eps, weight_decay, maximize),
 * following PyTorch 1.13's single-tensor update ({@code _single_tensor_adamax}, {@code foreach=False}):
 *
 * <pre>
 * grad = maximize ? -grad : grad
 * step += 1                                   (a float32 scalar tensor)
 * if weight_decay != 0:  grad = grad.add(param, alpha=weight_decay)
 * exp_avg.mul_(beta1).add_(grad, alpha=1 - beta1)
 * exp_inf = amax(cat([exp_inf.mul_(beta2), grad.abs().add_(eps)]), 0)     (elementwise maximum)
 * clr = lr / (1 - beta1 ** step)
 * param.addcdiv_(exp_avg, exp_inf, value=-clr)
 * </pre>
 *
 * Defaults as PyTorch's: {@code lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0}. State
 * per parameter: {@code step}, {@code exp_avg}, {@code exp_inf}.
 *
 * <pre>{@code
 * var opt = new Adamax(model.parameters(), Adamax.options(2e-3).betas(0.9, 0.99));
 * opt.zeroGrad();
 * loss.backward();
 * opt.step();
 * }</pre>
 */
public class Adamax extends Optimizer<Adamax.Options> {
    /** Adamax's keywords: {@code lr, betas, eps, weight_decay, maximize}. */
    public static final class Options extends BetasOptions<Options> {
        boolean maximize;

        Options(double lr) { super(lr); }

        /** {@code maximize} (default false). */
        public Options maximize(boolean v) { maximize = v; return this; }
        /** {@code maximize}. */
        public boolean maximize() { return maximize; }

        @Override protected void putKeywords(Map<String, Object> m) {
            super.putKeywords(m);
            m.put("maximize", maximize);
        }

        @Override protected boolean setKeyword(String key, Object v) {
            if (key.equals("maximize")) { maximize = toBool(key, v); return true; }
            return super.setKeyword(key, v);
        }
    }

    /** Options with PyTorch's defaults ({@code lr=2e-3}). */
    public static Options options() { return new Options(2e-3); }

    /** Options with learning rate {@code lr} and PyTorch's other defaults. */
    public static Options options(double lr) { return new Options(lr); }

    /** {@code Adamax(params)} with {@code lr=2e-3}. */
    public Adamax(List<? extends Tensor> params) { this(params, options()); }

    /** {@code Adamax(params, lr)}. */
    public Adamax(List<? extends Tensor> params, double lr) { this(params, options(lr)); }

    /** {@code Adamax(params, **options)}. */
    public Adamax(List<? extends Tensor> params, Options options) { super(params, options); }

    @Override protected void checkOptions(Options o) {
        Adam.checkAdamOptions(o.lr, o.eps, o.beta1, o.beta2, o.weightDecay);
    }

    /** As PyTorch 1.13's {@code Adamax.__setstate__} and {@code step}. */
    @Override protected void prepareLoadedStateDict(List<Map<String, Object>> groups, List<Map<String, Object>> states) {
        for (Map<String, Object> g : groups) g.putIfAbsent("maximize", false);
        stepsToTensors(states);
        requireGroupKeys(groups, "betas", "eps", "lr", "weight_decay");
    }

    @Override protected void update(Tensor param, Tensor grad, Options o, Map<String, Object> st) {
        if (st.isEmpty()) {
            st.put("step", Torch.tensor(0.0));
            st.put("exp_avg", Torch.zerosLike(param));
            st.put("exp_inf", Torch.zerosLike(param));
        }
        Tensor g = o.maximize ? grad.neg() : grad;
        Tensor stepT = (Tensor) st.get("step");
        stepT.add_(1.0);
        double step = stepT.item();
        if (o.weightDecay != 0) g = g.add(param, o.weightDecay);
        Tensor expAvg = (Tensor) st.get("exp_avg");
        Tensor expInf = (Tensor) st.get("exp_inf");
        expAvg.mul_(o.beta1).add_(g, 1 - o.beta1);
        expInf.mul_(o.beta2);
        expInf.copy_(expInf.maximum(g.abs().add_(o.eps)));
        double clr = o.lr / (1 - Math.pow(o.beta1, step));
        param.addcdiv_(expAvg, expInf, -clr);
    }
}
