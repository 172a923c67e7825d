package jtorch.optim;

import java.util.List;
import java.util.Map;

import jtorch.PyFormat;
import jtorch.Tensor;
import jtorch.Torch;

/**
 * {@code torch.optim.NAdam} (Adam with Nesterov momentum: betas, eps, weight_decay,
 * momentum_decay), following PyTorch 1.13's single-tensor update ({@code _single_tensor_nadam},
 * {@code foreach=False}):
 *
 * <pre>
 * step += 1                                   (a float32 scalar tensor)
 * bias_correction2 = 1 - beta2 ** step
 * if weight_decay != 0:  grad = grad.add(param, alpha=weight_decay)
 * mu      = beta1 * (1 - 0.5 * 0.96 ** (step * momentum_decay))
 * mu_next = beta1 * (1 - 0.5 * 0.96 ** ((step + 1) * momentum_decay))
 * mu_product *= mu                            (a float32 scalar tensor)
 * mu_product_next = mu_product * mu * mu_next (float32 too)
 * exp_avg.mul_(beta1).add_(grad, alpha=1 - beta1)
 * exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
 * denom = exp_avg_sq.div(bias_correction2).sqrt().add_(eps)
 * param.addcdiv_(grad, denom, value=-lr * (1 - mu) / (1 - mu_product))
 * param.addcdiv_(exp_avg, denom, value=-lr * mu_next / (1 - mu_product_next))
 * </pre>
 *
 * Defaults as PyTorch's: {@code lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
 * momentum_decay=4e-3}; PyTorch 1.13's NAdam has no {@code maximize}. State per parameter:
 * {@code step}, {@code mu_product}, {@code exp_avg}, {@code exp_avg_sq}.
 *
 * <pre>{@code
 * var opt = new NAdam(model.parameters(), NAdam.options(2e-3).momentumDecay(4e-3));
 * opt.zeroGrad();
 * loss.backward();
 * opt.step();
 * }</pre>
 */
public class NAdam extends Optimizer<NAdam.Options> {
    /** NAdam's keywords: {@code lr, betas, eps, weight_decay, momentum_decay}. */
    public static final class Options extends BetasOptions<Options> {
        double momentumDecay = 4e-3;

        Options(double lr) { super(lr); }

        /** {@code momentum_decay}, psi in the paper (default 4e-3). */
        public Options momentumDecay(double v) { momentumDecay = v; return this; }
        /** {@code momentum_decay}. */
        public double momentumDecay() { return momentumDecay; }

        @Override protected void putKeywords(Map<String, Object> m) {
            super.putKeywords(m);
            m.put("momentum_decay", momentumDecay);
        }

        @Override protected boolean setKeyword(String key, Object v) {
            if (key.equals("momentum_decay")) { momentumDecay = toDouble(key, v); return true; }
            return super.setKeyword(key, v);
        }
    }

    /** Options with PyTorch's defaults ({@code lr=2e-3}). */
    public static Options options() { return new Options(2e-3); }

    /** Options with learning rate {@code lr} and PyTorch's other defaults. */
    public static Options options(double lr) { return new Options(lr); }

    /** {@code NAdam(params)} with {@code lr=2e-3}. */
    public NAdam(List<? extends Tensor> params) { this(params, options()); }

    /** {@code NAdam(params, lr)}. */
    public NAdam(List<? extends Tensor> params, double lr) { this(params, options(lr)); }

    /** {@code NAdam(params, **options)}. */
    public NAdam(List<? extends Tensor> params, Options options) { super(params, options); }

    @Override protected void checkOptions(Options o) {
        Adam.checkAdamOptions(o.lr, o.eps, o.beta1, o.beta2, o.weightDecay);
        if (!(0.0 <= o.momentumDecay))
            throw new IllegalArgumentException("Invalid momentum_decay value: " + PyFormat.repr(o.momentumDecay));
    }

    /** As PyTorch 1.13's {@code NAdam.__setstate__} and {@code step}. */
    @Override protected void prepareLoadedStateDict(List<Map<String, Object>> groups, List<Map<String, Object>> states) {
        stepsToTensors(states);
        requireGroupKeys(groups, "betas", "lr", "weight_decay", "momentum_decay", "eps");
    }

    @Override protected void update(Tensor param, Tensor grad, Options o, Map<String, Object> st) {
        if (st.isEmpty()) {
            st.put("step", Torch.tensor(0.0));
            st.put("mu_product", Torch.tensor(1.0));
            st.put("exp_avg", Torch.zerosLike(param));
            st.put("exp_avg_sq", Torch.zerosLike(param));
        }
        Tensor stepT = (Tensor) st.get("step");
        stepT.add_(1.0);
        double step = stepT.item();
        double biasCorrection2 = 1 - Math.pow(o.beta2, step);
        Tensor g = grad;
        if (o.weightDecay != 0) g = g.add(param, o.weightDecay);
        double mu = o.beta1 * (1. - 0.5 * Math.pow(0.96, step * o.momentumDecay));
        double muNext = o.beta1 * (1. - 0.5 * Math.pow(0.96, (step + 1) * o.momentumDecay));
        Tensor muProduct = (Tensor) st.get("mu_product");
        muProduct.mul_(mu);
        Tensor muProductNext = muProduct.mul(mu).mul(muNext);
        Tensor expAvg = (Tensor) st.get("exp_avg");
        Tensor expAvgSq = (Tensor) st.get("exp_avg_sq");
        expAvg.mul_(o.beta1).add_(g, 1 - o.beta1);
        expAvgSq.mul_(o.beta2).addcmul_(g, g, 1 - o.beta2);
        Tensor denom = expAvgSq.div(biasCorrection2).sqrt().add_(o.eps);
        param.addcdiv_(g, denom, -o.lr * (1. - mu) / (1. - muProduct.item()));
        param.addcdiv_(expAvg, denom, -o.lr * muNext / (1. - muProductNext.item()));
    }
}
