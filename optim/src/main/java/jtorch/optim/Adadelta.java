package jtorch.optim;

import java.util.List;
import java.util.Map;

import jtorch.PyFormat;
import jtorch.Tensor;
import jtorch.Torch;

/**
 * {@code torch.optim.Adadelta} (rho, eps, weight_decay, maximize), following PyTorch 1.13's
 * single-tensor update ({@code _single_tensor_adadelta}, {@code foreach=False}):
 *
 * <pre>
 * step += 1                                    (a Python int in the state)
 * grad = maximize ? -grad : grad
 * if weight_decay != 0:  grad = grad.add(param, alpha=weight_decay)
 * square_avg.mul_(rho).addcmul_(grad, grad, value=1 - rho)
 * std = square_avg.add(eps).sqrt_()
 * delta = acc_delta.add(eps).sqrt_().div_(std).mul_(grad)
 * acc_delta.mul_(rho).addcmul_(delta, delta, value=1 - rho)
 * param.add_(delta, alpha=-lr)
 * </pre>
 *
 * Defaults as PyTorch's: {@code lr=1.0, rho=0.9, eps=1e-6, weight_decay=0}. State per parameter:
 * {@code step}, {@code square_avg}, {@code acc_delta}.
 *
 * <pre>{@code
 * var opt = new Adadelta(model.parameters(), Adadelta.options(1.0).rho(0.95));
 * opt.zeroGrad();
 * loss.backward();
 * opt.step();
 * }</pre>
 */
public class Adadelta extends Optimizer<Adadelta.Options> {
    /** Adadelta's keywords: {@code lr, rho, eps, weight_decay, maximize}. */
    public static final class Options extends Optimizer.Options<Options> {
        double rho = 0.9, eps = 1e-6, weightDecay;
        boolean maximize;

        Options(double lr) { super(lr); }

        /** {@code rho}, the coefficient of the running averages (default 0.9). */
        public Options rho(double v) { rho = v; return this; }
        /** {@code eps}, added inside the square roots (default 1e-6). */
        public Options eps(double v) { eps = v; return this; }
        /** {@code weight_decay}, an L2 penalty added to the gradient (default 0). */
        public Options weightDecay(double v) { weightDecay = v; return this; }
        /** {@code maximize} (default false). */
        public Options maximize(boolean v) { maximize = v; return this; }

        /** {@code rho}. */
        public double rho() { return rho; }
        /** {@code eps}. */
        public double eps() { return eps; }
        /** {@code weight_decay}. */
        public double weightDecay() { return weightDecay; }
        /** {@code maximize}. */
        public boolean maximize() { return maximize; }

        @Override protected void putKeywords(Map<String, Object> m) {
            m.put("rho", rho);
            m.put("eps", eps);
            m.put("weight_decay", weightDecay);
            m.put("maximize", maximize);
        }

        @Override protected boolean setKeyword(String key, Object v) {
            switch (key) {
                case "rho": rho = toDouble(key, v); return true;
                case "eps": eps = toDouble(key, v); return true;
                case "weight_decay": weightDecay = toDouble(key, v); return true;
                case "maximize": maximize = toBool(key, v); return true;
                default: return false;
            }
        }
    }

    /** Options with PyTorch's defaults ({@code lr=1.0}). */
    public static Options options() { return new Options(1.0); }

    /** Options with learning rate {@code lr} and PyTorch's other defaults. */
    public static Options options(double lr) { return new Options(lr); }

    /** {@code Adadelta(params)} with {@code lr=1.0}. */
    public Adadelta(List<? extends Tensor> params) { this(params, options()); }

    /** {@code Adadelta(params, lr)}. */
    public Adadelta(List<? extends Tensor> params, double lr) { this(params, options(lr)); }

    /** {@code Adadelta(params, **options)}. */
    public Adadelta(List<? extends Tensor> params, Options options) { super(params, options); }

    @Override protected void checkOptions(Options o) {
        if (!(0.0 <= o.lr)) throw new IllegalArgumentException("Invalid learning rate: " + PyFormat.repr(o.lr));
        if (!(0.0 <= o.rho && o.rho <= 1.0)) throw new IllegalArgumentException("Invalid rho value: " + PyFormat.repr(o.rho));
        if (!(0.0 <= o.eps)) throw new IllegalArgumentException("Invalid epsilon value: " + PyFormat.repr(o.eps));
        if (!(0.0 <= o.weightDecay)) throw new IllegalArgumentException("Invalid weight_decay value: " + PyFormat.repr(o.weightDecay));
    }

    /** As PyTorch 1.13's {@code Adadelta.__setstate__} and {@code step}: {@code maximize} defaults to false; other keys are required. */
    @Override protected void prepareLoadedStateDict(List<Map<String, Object>> groups, List<Map<String, Object>> states) {
        for (Map<String, Object> g : groups) g.putIfAbsent("maximize", false);
        requireGroupKeys(groups, "lr", "rho", "eps", "weight_decay");
    }

    @Override protected void update(Tensor param, Tensor grad, Options o, Map<String, Object> st) {
        if (st.isEmpty()) {
            st.put("step", 0L);
            st.put("square_avg", Torch.zerosLike(param));
            st.put("acc_delta", Torch.zerosLike(param));
        }
        st.put("step", ((Number) st.get("step")).longValue() + 1);
        Tensor g = o.maximize ? grad.neg() : grad;
        if (o.weightDecay != 0) g = g.add(param, o.weightDecay);
        Tensor squareAvg = (Tensor) st.get("square_avg");
        Tensor accDelta = (Tensor) st.get("acc_delta");
        squareAvg.mul_(o.rho).addcmul_(g, g, 1 - o.rho);
        Tensor std = squareAvg.add(o.eps).sqrt_();
        Tensor delta = accDelta.add(o.eps).sqrt_().div_(std).mul_(g);
        accDelta.mul_(o.rho).addcmul_(delta, delta, 1 - o.rho);
        param.add_(delta, -o.lr);
    }
}
