package jtorch.optim;

import java.util.List;
import java.util.Map;

import jtorch.PyFormat;
import jtorch.Tensor;
import jtorch.Torch;

/**
 * {@code torch.optim.RMSprop} (alpha, eps, weight_decay, momentum, centered, maximize), following
 * PyTorch 1.13's single-tensor update ({@code _single_tensor_rmsprop}, {@code foreach=False}):
 *
 * <pre>
 * step += 1                                    (a Python int in the state)
 * grad = maximize ? -grad : grad
 * if weight_decay != 0:  grad = grad.add(param, alpha=weight_decay)
 * square_avg.mul_(alpha).addcmul_(grad, grad, value=1 - alpha)
 * if centered:
 *     grad_avg.mul_(alpha).add_(grad, alpha=1 - alpha)
 *     avg = square_avg.addcmul(grad_avg, grad_avg, value=-1).sqrt_()
 * else:
 *     avg = square_avg.sqrt()
 * avg = avg.add_(eps)
 * if momentum > 0:  buf.mul_(momentum).addcdiv_(grad, avg);  param.add_(buf, alpha=-lr)
 * else:             param.addcdiv_(grad, avg, value=-lr)
 * </pre>
 *
 * {@code add_(.., alpha)} and {@code addcmul} round once (FMA) as PyTorch's AVX2 kernels do.
 * Defaults as PyTorch's: {@code lr=1e-2, alpha=0.99, eps=1e-8}. State per parameter:
 * {@code step}, {@code square_avg}, and {@code momentum_buffer} / {@code grad_avg} when used.
 *
 * <pre>{@code
 * var opt = new RMSprop(model.parameters(), RMSprop.options(1e-2).momentum(0.9).centered(true));
 * opt.zeroGrad();
 * loss.backward();
 * opt.step();
 * }</pre>
 */
public class RMSprop extends Optimizer<RMSprop.Options> {
    /** RMSprop's keywords: {@code lr, momentum, alpha, eps, centered, weight_decay, maximize}. */
    public static final class Options extends Optimizer.Options<Options> {
        double alpha = 0.99, eps = 1e-8, weightDecay, momentum;
        boolean centered, maximize;

        Options(double lr) { super(lr); }

        /** {@code alpha}, the smoothing constant (default 0.99). */
        public Options alpha(double v) { alpha = v; return this; }
        /** {@code eps} (default 1e-8). */
        public Options eps(double v) { eps = v; return this; }
        /** {@code weight_decay}, an L2 penalty added to the gradient (default 0). */
        public Options weightDecay(double v) { weightDecay = v; return this; }
        /** {@code momentum} (default 0). */
        public Options momentum(double v) { momentum = v; return this; }
        /** {@code centered}: normalise by the estimated variance of the gradient (default false). */
        public Options centered(boolean v) { centered = v; return this; }
        /** {@code maximize} (default false). */
        public Options maximize(boolean v) { maximize = v; return this; }

        /** {@code alpha}. */
        public double alpha() { return alpha; }
        /** {@code eps}. */
        public double eps() { return eps; }
        /** {@code weight_decay}. */
        public double weightDecay() { return weightDecay; }
        /** {@code momentum}. */
        public double momentum() { return momentum; }
        /** {@code centered}. */
        public boolean centered() { return centered; }
        /** {@code maximize}. */
        public boolean maximize() { return maximize; }

        @Override protected void putKeywords(Map<String, Object> m) {
            m.put("momentum", momentum);
            m.put("alpha", alpha);
            m.put("eps", eps);
            m.put("centered", centered);
            m.put("weight_decay", weightDecay);
            m.put("maximize", maximize);
        }

        @Override protected boolean setKeyword(String key, Object v) {
            switch (key) {
                case "momentum": momentum = toDouble(key, v); return true;
                case "alpha": alpha = toDouble(key, v); return true;
                case "eps": eps = toDouble(key, v); return true;
                case "centered": centered = toBool(key, v); return true;
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

    /** {@code RMSprop(params)} with {@code lr=1e-2}. */
    public RMSprop(List<? extends Tensor> params) { this(params, options()); }

    /** {@code RMSprop(params, lr)}. */
    public RMSprop(List<? extends Tensor> params, double lr) { this(params, options(lr)); }

    /** {@code RMSprop(params, **options)}. */
    public RMSprop(List<? extends Tensor> params, Options options) { super(params, options); }

    @Override protected void checkOptions(Options o) {
        if (!(0.0 <= o.lr)) throw new IllegalArgumentException("Invalid learning rate: " + PyFormat.repr(o.lr));
        if (!(0.0 <= o.eps)) throw new IllegalArgumentException("Invalid epsilon value: " + PyFormat.repr(o.eps));
        if (!(0.0 <= o.momentum)) throw new IllegalArgumentException("Invalid momentum value: " + PyFormat.repr(o.momentum));
        if (!(0.0 <= o.weightDecay)) throw new IllegalArgumentException("Invalid weight_decay value: " + PyFormat.repr(o.weightDecay));
        if (!(0.0 <= o.alpha)) throw new IllegalArgumentException("Invalid alpha value: " + PyFormat.repr(o.alpha));
    }

    /**
     * As PyTorch 1.13's {@code RMSprop.__setstate__} and {@code step}: group keys older files lack take
     * their defaults; a group without one of the keys {@code step} reads (in its order) is
     * another optimizer's, refused with PyTorch's KeyError.
     */
    @Override protected void prepareLoadedStateDict(List<Map<String, Object>> groups, List<Map<String, Object>> states) {
        for (Map<String, Object> g : groups) {
            g.putIfAbsent("momentum", 0.0);
            g.putIfAbsent("centered", false);
            g.putIfAbsent("maximize", false);
        }
        requireGroupKeys(groups, "lr", "alpha", "eps", "weight_decay");
    }

    @Override protected void update(Tensor param, Tensor grad, Options o, Map<String, Object> st) {
        if (st.isEmpty()) {
            st.put("step", 0L);
            st.put("square_avg", Torch.zerosLike(param));
            if (o.momentum > 0) st.put("momentum_buffer", Torch.zerosLike(param));
            if (o.centered) st.put("grad_avg", Torch.zerosLike(param));
        }
        if (o.momentum > 0) st.computeIfAbsent("momentum_buffer", k -> Torch.zerosLike(param));
        if (o.centered) st.computeIfAbsent("grad_avg", k -> Torch.zerosLike(param));
        st.put("step", ((Number) st.get("step")).longValue() + 1);

        Tensor g = o.maximize ? grad.neg() : grad;
        if (o.weightDecay != 0) g = g.add(param, o.weightDecay);
        Tensor squareAvg = (Tensor) st.get("square_avg");
        squareAvg.mul_(o.alpha).addcmul_(g, g, 1 - o.alpha);
        Tensor avg;
        if (o.centered) {
            Tensor gradAvg = (Tensor) st.get("grad_avg");
            gradAvg.mul_(o.alpha).add_(g, 1 - o.alpha);
            avg = squareAvg.addcmul(gradAvg, gradAvg, -1).sqrt_();
        } else {
            avg = squareAvg.sqrt();
        }
        avg.add_(o.eps);
        if (o.momentum > 0) {
            Tensor buf = (Tensor) st.get("momentum_buffer");
            buf.mul_(o.momentum).addcdiv_(g, avg, 1);
            param.add_(buf, -o.lr);
        } else {
            param.addcdiv_(g, avg, -o.lr);
        }
    }
}
