package jtorch.optim;

import java.util.List;
import java.util.Map;

import jtorch.PyFormat;
import jtorch.Tensor;
import jtorch.Torch;

/**
 * {@code torch.optim.ASGD}, averaged stochastic gradient descent (lambd, alpha, t0,
 * weight_decay, maximize), following PyTorch 1.13's single-tensor update
 * ({@code _single_tensor_asgd}, {@code foreach=False}):
 *
 * <pre>
 * grad = maximize ? -grad : grad
 * step += 1                                   (step, eta and mu are float32 scalar tensors)
 * if weight_decay != 0:  grad = grad.add(param, alpha=weight_decay)
 * param.mul_(1 - lambd * eta)
 * param.add_(grad, alpha=-eta)
 * if mu != 1:  ax.add_(param.sub(ax).mul(mu))
 * else:        ax.copy_(param)
 * eta = tensor(lr / (1 + lambd * lr * step) ** alpha)
 * mu = tensor(1 / max(1, step - t0))
 * </pre>
 *
 * Defaults as PyTorch's: {@code lr=1e-2, lambd=1e-4, alpha=0.75, t0=1e6, weight_decay=0}. State
 * per parameter: {@code step}, {@code eta}, {@code mu}, {@code ax} (the averaged parameter).
 *
 * <pre>{@code
 * var opt = new ASGD(model.parameters(), ASGD.options(1e-2).t0(100));
 * opt.zeroGrad();
 * loss.backward();
 * opt.step();
 * }</pre>
 */
public class ASGD extends Optimizer<ASGD.Options> {
    /** ASGD's keywords: {@code lr, lambd, alpha, t0, weight_decay, maximize}. */
    public static final class Options extends Optimizer.Options<Options> {
        double lambd = 1e-4, alpha = 0.75, t0 = 1e6, weightDecay;
        boolean maximize;

        Options(double lr) { super(lr); }

        /** {@code lambd}, the decay term (default 1e-4). */
        public Options lambd(double v) { lambd = v; return this; }
        /** {@code alpha}, the power of the eta update (default 0.75). */
        public Options alpha(double v) { alpha = v; return this; }
        /** {@code t0}, the step at which averaging starts (default 1e6). */
        public Options t0(double v) { t0 = v; return this; }
        /** {@code weight_decay}, an L2 penalty added to the gradient (default 0). */
        public Options weightDecay(double v) { weightDecay = v; return this; }
        /** {@code maximize} (default false). */
        public Options maximize(boolean v) { maximize = v; return this; }

        /** {@code lambd}. */
        public double lambd() { return lambd; }
        /** {@code alpha}. */
        public double alpha() { return alpha; }
        /** {@code t0}. */
        public double t0() { return t0; }
        /** {@code weight_decay}. */
        public double weightDecay() { return weightDecay; }
        /** {@code maximize}. */
        public boolean maximize() { return maximize; }

        @Override protected void putKeywords(Map<String, Object> m) {
            m.put("lambd", lambd);
            m.put("alpha", alpha);
            m.put("t0", t0);
            m.put("weight_decay", weightDecay);
            m.put("maximize", maximize);
        }

        @Override protected boolean setKeyword(String key, Object v) {
            switch (key) {
                case "lambd": lambd = toDouble(key, v); return true;
                case "alpha": alpha = toDouble(key, v); return true;
                case "t0": t0 = toDouble(key, v); return true;
                case "weight_decay": weightDecay = toDouble(key, v); return true;
                case "maximize": maximize = toBool(key, v); return true;
                default: return false;
            }
        }
    }

    /** Options with PyTorch's defaults ({@code lr=1e-2}). */
    public static Options options() { return new Options(1e-2); }

    /** Options with learning rate {@code lr} and PyTorch's other defaults. */
    public static Options options(double lr) { return new Options(lr); }

    /** {@code ASGD(params)} with {@code lr=1e-2}. */
    public ASGD(List<? extends Tensor> params) { this(params, options()); }

    /** {@code ASGD(params, lr)}. */
    public ASGD(List<? extends Tensor> params, double lr) { this(params, options(lr)); }

    /** {@code ASGD(params, **options)}. */
    public ASGD(List<? extends Tensor> params, Options options) { super(params, options); }

    @Override protected void checkOptions(Options o) {
        if (!(0.0 <= o.lr)) throw new IllegalArgumentException("Invalid learning rate: " + PyFormat.repr(o.lr));
        if (!(0.0 <= o.weightDecay)) throw new IllegalArgumentException("Invalid weight_decay value: " + PyFormat.repr(o.weightDecay));
    }

    /** As PyTorch 1.13's {@code ASGD.__setstate__} and {@code step}. */
    @Override protected void prepareLoadedStateDict(List<Map<String, Object>> groups, List<Map<String, Object>> states) {
        for (Map<String, Object> g : groups) g.putIfAbsent("maximize", false);
        stepsToTensors(states);
        requireGroupKeys(groups, "lr", "lambd", "t0", "alpha", "weight_decay");
    }

    @Override protected void update(Tensor param, Tensor grad, Options o, Map<String, Object> st) {
        if (st.isEmpty()) {
            st.put("step", Torch.tensor(0.0));
            st.put("eta", Torch.tensor(o.lr));
            st.put("mu", Torch.tensor(1.0));
            st.put("ax", Torch.zerosLike(param));
        }
        Tensor g = o.maximize ? grad.neg() : grad;
        Tensor mu = (Tensor) st.get("mu");
        Tensor ax = (Tensor) st.get("ax");
        Tensor eta = (Tensor) st.get("eta");
        Tensor stepT = (Tensor) st.get("step");
        stepT.add_(1.0);
        double step = stepT.item();
        if (o.weightDecay != 0) g = g.add(param, o.weightDecay);
        param.mul_(1 - o.lambd * eta.item());
        param.add_(g, -eta.item());
        if (mu.item() != 1) ax.add_(param.sub(ax).mul(mu));
        else ax.copy_(param);
        eta.copy_(Torch.tensor(o.lr / Math.pow(1 + o.lambd * o.lr * step, o.alpha)));
        mu.copy_(Torch.tensor(1 / Math.max(1, step - o.t0)));
    }
}
