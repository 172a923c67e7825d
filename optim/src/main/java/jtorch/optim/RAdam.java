package jtorch.optim;

import java.util.List;
import java.util.Map;

import jtorch.Tensor;
import jtorch.Torch;

/**
 * {@code torch.optim.RAdam} (rectified Adam: betas, eps, weight_decay), following PyTorch 1.13's
 * single-tensor update ({@code _single_tensor_radam}, {@code foreach=False}):
 *
 * <pre>
 * step += 1                                   (a float32 scalar tensor)
 * bias_correction1 = 1 - beta1 ** step;  bias_correction2 = 1 - beta2 ** step
 * if weight_decay != 0:  grad = grad.add(param, alpha=weight_decay)
 * exp_avg.mul_(beta1).add_(grad, alpha=1 - beta1)
 * exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
 * bias_corrected_exp_avg = exp_avg / bias_correction1
 * rho_inf = 2 / (1 - beta2) - 1
 * rho_t = rho_inf - 2 * step * beta2 ** step / bias_correction2
 * if rho_t > 5:
 *     rect = sqrt((rho_t - 4) * (rho_t - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho_t))
 *     adaptive_lr = sqrt(bias_correction2) / exp_avg_sq.sqrt().add_(eps)    (reciprocal, then times)
 *     param.add_(bias_corrected_exp_avg * lr * adaptive_lr * rect, alpha=-1)
 * else:
 *     param.add_(bias_corrected_exp_avg * lr, alpha=-1)
 * </pre>
 *
 * Defaults as PyTorch's: {@code lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0}; PyTorch
 * 1.13's RAdam has no {@code maximize}. State per parameter: {@code step}, {@code exp_avg},
 * {@code exp_avg_sq}.
 *
 * <pre>{@code
 * var opt = new RAdam(model.parameters(), RAdam.options(1e-3));
 * opt.zeroGrad();
 * loss.backward();
 * opt.step();
 * }</pre>
 */
public class RAdam extends Optimizer<RAdam.Options> {
    /** RAdam's keywords: {@code lr, betas, eps, weight_decay}. */
    public static final class Options extends BetasOptions<Options> {
        Options(double lr) { super(lr); }
    }

    /** Options with PyTorch's defaults ({@code lr=1e-3}). */
    public static Options options() { return new Options(1e-3); }

    /** Options with learning rate {@code lr} and PyTorch's other defaults. */
    public static Options options(double lr) { return new Options(lr); }

    /** {@code RAdam(params)} with {@code lr=1e-3}. */
    public RAdam(List<? extends Tensor> params) { this(params, options()); }

    /** {@code RAdam(params, lr)}. */
    public RAdam(List<? extends Tensor> params, double lr) { this(params, options(lr)); }

    /** {@code RAdam(params, **options)}. */
    public RAdam(List<? extends Tensor> params, Options options) { super(params, options); }

    @Override protected void checkOptions(Options o) {
        Adam.checkAdamOptions(o.lr, o.eps, o.beta1, o.beta2, o.weightDecay);
    }

    /** As PyTorch 1.13's {@code RAdam.__setstate__} and {@code step}. */
    @Override protected void prepareLoadedStateDict(List<Map<String, Object>> groups, List<Map<String, Object>> states) {
        stepsToTensors(states);
        requireGroupKeys(groups, "betas", "lr", "weight_decay", "eps");
    }

    @Override protected void update(Tensor param, Tensor grad, Options o, Map<String, Object> st) {
        if (st.isEmpty()) {
            st.put("step", Torch.tensor(0.0));
            st.put("exp_avg", Torch.zerosLike(param));
            st.put("exp_avg_sq", Torch.zerosLike(param));
        }
        Tensor stepT = (Tensor) st.get("step");
        stepT.add_(1.0);
        double step = stepT.item();
        double biasCorrection1 = 1 - Math.pow(o.beta1, step);
        double biasCorrection2 = 1 - Math.pow(o.beta2, step);
        Tensor g = grad;
        if (o.weightDecay != 0) g = g.add(param, o.weightDecay);
        Tensor expAvg = (Tensor) st.get("exp_avg");
        Tensor expAvgSq = (Tensor) st.get("exp_avg_sq");
        expAvg.mul_(o.beta1).add_(g, 1 - o.beta1);
        expAvgSq.mul_(o.beta2).addcmul_(g, g, 1 - o.beta2);
        Tensor biasCorrectedExpAvg = expAvg.div(biasCorrection1);
        double rhoInf = 2 / (1 - o.beta2) - 1;
        double rhoT = rhoInf - 2 * step * Math.pow(o.beta2, step) / biasCorrection2;
        if (rhoT > 5.) {
            double rect = Math.sqrt((rhoT - 4) * (rhoT - 2) * rhoInf / ((rhoInf - 4) * (rhoInf - 2) * rhoT));
            // Python's float / tensor is tensor.reciprocal() * float
            Tensor adaptiveLr = expAvgSq.sqrt().add_(o.eps).reciprocal().mul(Math.sqrt(biasCorrection2));
            param.add_(biasCorrectedExpAvg.mul(o.lr).mul(adaptiveLr).mul(rect), -1.0);
        } else {
            param.add_(biasCorrectedExpAvg.mul(o.lr), -1.0);
        }
    }
}
