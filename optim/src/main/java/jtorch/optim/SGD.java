package jtorch.optim;

import java.util.List;
import java.util.Map;

import jtorch.Tensor;

/**
 * {@code torch.optim.SGD} with momentum, dampening, Nesterov momentum, weight decay and maximize,
 * following PyTorch's single-tensor update rule.
 *
 * <pre>{@code
 * var opt = new SGD(model.parameters(), SGD.options(0.1).momentum(0.9).nesterov(true));
 * opt.zeroGrad();
 * loss.backward();
 * opt.step();
 * }</pre>
 */
public class SGD extends Optimizer<SGD.Options> {
    /** SGD's keywords. */
    public static final class Options extends Optimizer.Options<Options> {
        double momentum, dampening, weightDecay;
        boolean nesterov, maximize;

        Options(double lr) { super(lr); }

        public Options momentum(double v) { momentum = v; return this; }
        public Options dampening(double v) { dampening = v; return this; }
        public Options weightDecay(double v) { weightDecay = v; return this; }
        public Options nesterov(boolean v) { nesterov = v; return this; }
        public Options maximize(boolean v) { maximize = v; return this; }

        public double momentum() { return momentum; }
        public double dampening() { return dampening; }
        public double weightDecay() { return weightDecay; }
        public boolean nesterov() { return nesterov; }
        public boolean maximize() { return maximize; }
    }

    public static Options options(double lr) { return new Options(lr); }

    public SGD(List<? extends Tensor> params, double lr) { this(params, options(lr)); }

    public SGD(List<? extends Tensor> params, Options options) {
        super(params, validate(options));
    }

    private static Options validate(Options o) {
        if (o.lr < 0) throw new IllegalArgumentException("Invalid learning rate: " + o.lr);
        if (o.momentum < 0) throw new IllegalArgumentException("Invalid momentum value: " + o.momentum);
        if (o.weightDecay < 0) throw new IllegalArgumentException("Invalid weight_decay value: " + o.weightDecay);
        if (o.nesterov && (o.momentum <= 0 || o.dampening != 0))
            throw new IllegalArgumentException("Nesterov momentum requires a momentum and zero dampening");
        return o;
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
        }
        param.add_(d, -o.lr);
    }
}
