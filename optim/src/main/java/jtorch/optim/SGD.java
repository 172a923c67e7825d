package jtorch.optim;

import java.util.List;
import java.util.Map;

import jtorch.PyFormat;
import jtorch.Tensor;

/**
 * {@code torch.optim.SGD} with momentum, dampening, Nesterov momentum, weight decay and maximize,
 * following PyTorch 1.13's single-tensor update ({@code _single_tensor_sgd}, {@code foreach=False}):
 *
 * <pre>
 * d = maximize ? -grad : grad
 * if weight_decay != 0:  d = d.add(param, alpha=weight_decay)
 * if momentum != 0:
 *     buf = clone(d) on the first step, else buf.mul_(momentum).add_(d, alpha=1 - dampening)
 *     d = nesterov ? d.add(buf, alpha=momentum) : buf
 * param.add_(d, alpha=-lr)
 * </pre>
 *
 * The {@code add(.., alpha)} steps round once, as PyTorch's AVX2 kernels do (an FMA). State per
 * parameter: {@code momentum_buffer} (null when {@code momentum} is 0, as in PyTorch).
 *
 * <pre>{@code
 * var opt = new SGD(model.parameters(), SGD.options(0.1).momentum(0.9).nesterov(true));
 * opt.zeroGrad();
 * loss.backward();
 * opt.step();
 * }</pre>
 */
public class SGD extends Optimizer<SGD.Options> {
    /** SGD's keywords: {@code lr, momentum, dampening, weight_decay, nesterov, maximize}. */
    public static final class Options extends Optimizer.Options<Options> {
        double momentum, dampening, weightDecay;
        boolean nesterov, maximize;

        Options(double lr) { super(lr); }

        /** {@code momentum} (default 0). */
        public Options momentum(double v) { momentum = v; return this; }
        /** {@code dampening} (default 0). */
        public Options dampening(double v) { dampening = v; return this; }
        /** {@code weight_decay}, the L2 penalty (default 0). */
        public Options weightDecay(double v) { weightDecay = v; return this; }
        /** {@code nesterov} (default false). */
        public Options nesterov(boolean v) { nesterov = v; return this; }
        /** {@code maximize} (default false). */
        public Options maximize(boolean v) { maximize = v; return this; }

        /** {@code momentum}. */
        public double momentum() { return momentum; }
        /** {@code dampening}. */
        public double dampening() { return dampening; }
        /** {@code weight_decay}. */
        public double weightDecay() { return weightDecay; }
        /** {@code nesterov}. */
        public boolean nesterov() { return nesterov; }
        /** {@code maximize}. */
        public boolean maximize() { return maximize; }

        @Override protected void putKeywords(Map<String, Object> m) {
            m.put("momentum", momentum);
            m.put("dampening", dampening);
            m.put("weight_decay", weightDecay);
            m.put("nesterov", nesterov);
            m.put("maximize", maximize);
        }

        @Override protected boolean setKeyword(String key, Object v) {
            switch (key) {
                case "momentum": momentum = toDouble(key, v); return true;
                case "dampening": dampening = toDouble(key, v); return true;
                case "weight_decay": weightDecay = toDouble(key, v); return true;
                case "nesterov": nesterov = toBool(key, v); return true;
                case "maximize": maximize = toBool(key, v); return true;
                default: return false;
            }
        }
    }

    /** {@code SGD(params, lr=lr, ...)}: options with PyTorch's defaults (SGD has no default lr). */
    public static Options options(double lr) { return new Options(lr); }

    /** {@code SGD(params, lr)}. */
    public SGD(List<? extends Tensor> params, double lr) { this(params, options(lr)); }

    /** {@code SGD(params, **options)}. */
    public SGD(List<? extends Tensor> params, Options options) {
        super(params, options);
    }

    @Override protected void checkOptions(Options o) {
        if (o.lr < 0) throw new IllegalArgumentException("Invalid learning rate: " + PyFormat.repr(o.lr));
        if (o.momentum < 0) throw new IllegalArgumentException("Invalid momentum value: " + PyFormat.repr(o.momentum));
        if (o.weightDecay < 0) throw new IllegalArgumentException("Invalid weight_decay value: " + PyFormat.repr(o.weightDecay));
        if (o.nesterov && (o.momentum <= 0 || o.dampening != 0))
            throw new IllegalArgumentException("Nesterov momentum requires a momentum and zero dampening");
    }

    /**
     * As PyTorch 1.13's {@code SGD.__setstate__} and {@code step}: group keys older files lack take
     * their defaults; a group without one of the keys {@code step} reads (in its order) is
     * another optimizer's, refused with PyTorch's KeyError.
     */
    @Override protected void prepareLoadedStateDict(List<Map<String, Object>> groups, List<Map<String, Object>> states) {
        for (Map<String, Object> g : groups) {
            g.putIfAbsent("nesterov", false);
            g.putIfAbsent("maximize", false);
        }
        requireGroupKeys(groups, "weight_decay", "momentum", "lr", "dampening");
    }

    @Override protected void update(Tensor param, Tensor grad, Options o, Map<String, Object> st) {
        Tensor d = o.maximize ? grad.neg() : grad;
        if (o.weightDecay != 0) d = d.add(param, o.weightDecay);
        if (o.momentum != 0) {
            Tensor buf = (Tensor) st.get("momentum_buffer");
            if (buf == null) {
                buf = d.clone().detach();
                st.put("momentum_buffer", buf);
            } else {
                buf.mul_(o.momentum).add_(d, 1 - o.dampening);
            }
            d = o.nesterov ? d.add(buf, o.momentum) : buf;
        } else {
            st.put("momentum_buffer", null);
        }
        param.add_(d, -o.lr);
    }
}
