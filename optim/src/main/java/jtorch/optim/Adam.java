package jtorch.optim;

import java.util.List;
import java.util.Map;

import jtorch.PyFormat;
import jtorch.Tensor;
import jtorch.Torch;

/**
 * {@code torch.optim.Adam} (betas, eps, weight_decay as an L2 penalty, amsgrad, maximize),
 * following PyTorch 1.13's single-tensor update ({@code _single_tensor_adam}, {@code foreach=False},
 * not capturable) operation for operation:
 *
 * <pre>
 * grad = maximize ? -grad : grad
 * step += 1                                   (a float32 scalar tensor, as PyTorch keeps it)
 * if weight_decay != 0:  grad = grad.add(param, alpha=weight_decay)
 * exp_avg.mul_(beta1).add_(grad, alpha=1 - beta1)
 * exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
 * bias_correction1 = 1 - beta1 ** step;  bias_correction2 = 1 - beta2 ** step
 * step_size = lr / bias_correction1;     bias_correction2_sqrt = sqrt(bias_correction2)
 * if amsgrad:  max_exp_avg_sq = maximum(max_exp_avg_sq, exp_avg_sq);  v = max_exp_avg_sq
 * else:        v = exp_avg_sq
 * denom = (v.sqrt() / bias_correction2_sqrt).add_(eps)
 * param.addcdiv_(exp_avg, denom, value=-step_size)
 * </pre>
 *
 * {@code add_(.., alpha)} and {@code addcmul_} round once (FMA) as PyTorch's AVX2 kernels do;
 * {@code beta ** step} is {@link Math#pow}. State per parameter: {@code step}, {@code exp_avg},
 * {@code exp_avg_sq} and, with amsgrad, {@code max_exp_avg_sq}.
 *
 * <pre>{@code
 * var opt = new Adam(model.parameters(), Adam.options(1e-3).betas(0.9, 0.999).amsgrad(true));
 * opt.zeroGrad();
 * loss.backward();
 * opt.step();
 * }</pre>
 */
public class Adam extends Optimizer<Adam.Options> {
    /** Adam's keywords: {@code lr, betas, eps, weight_decay, amsgrad, maximize}. */
    public static final class Options extends AdamFamilyOptions<Options> {
        Options(double lr) { super(lr, 0); }
    }

    /** Options with PyTorch's defaults: {@code lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0}. */
    public static Options options() { return new Options(1e-3); }

    /** Options with learning rate {@code lr} and PyTorch's other defaults. */
    public static Options options(double lr) { return new Options(lr); }

    /** {@code Adam(params)} with {@code lr=1e-3}. */
    public Adam(List<? extends Tensor> params) { this(params, options()); }

    /** {@code Adam(params, lr)}. */
    public Adam(List<? extends Tensor> params, double lr) { this(params, options(lr)); }

    /** {@code Adam(params, **options)}. */
    public Adam(List<? extends Tensor> params, Options options) { super(params, options); }

    @Override protected void checkOptions(Options o) {
        checkAdamOptions(o.lr, o.eps, o.beta1, o.beta2, o.weightDecay);
    }

    /** Adam's and AdamW's checks, in PyTorch's order and words. */
    static void checkAdamOptions(double lr, double eps, double beta1, double beta2, double weightDecay) {
        if (!(0.0 <= lr)) throw new IllegalArgumentException("Invalid learning rate: " + PyFormat.repr(lr));
        if (!(0.0 <= eps)) throw new IllegalArgumentException("Invalid epsilon value: " + PyFormat.repr(eps));
        if (!(0.0 <= beta1 && beta1 < 1.0)) throw new IllegalArgumentException("Invalid beta parameter at index 0: " + PyFormat.repr(beta1));
        if (!(0.0 <= beta2 && beta2 < 1.0)) throw new IllegalArgumentException("Invalid beta parameter at index 1: " + PyFormat.repr(beta2));
        if (!(0.0 <= weightDecay)) throw new IllegalArgumentException("Invalid weight_decay value: " + PyFormat.repr(weightDecay));
    }

    /** PyTorch's lazy state: {@code step = tensor(0.)}, zero moments (and {@code max_exp_avg_sq} with amsgrad). */
    static void initAdamState(Tensor param, boolean amsgrad, Map<String, Object> st) {
        if (st.isEmpty()) {
            st.put("step", Torch.tensor(0.0));
            st.put("exp_avg", Torch.zerosLike(param));
            st.put("exp_avg_sq", Torch.zerosLike(param));
        }
        if (amsgrad && !st.containsKey("max_exp_avg_sq")) st.put("max_exp_avg_sq", Torch.zerosLike(param));
    }

    /** The shared tail of Adam and AdamW: moments, bias corrections and the parameter update. */
    static void adamTail(Tensor param, Tensor grad, double lr, double beta1, double beta2, double eps, boolean amsgrad,
                         double step, Map<String, Object> st) {
        Tensor expAvg = (Tensor) st.get("exp_avg");
        Tensor expAvgSq = (Tensor) st.get("exp_avg_sq");
        expAvg.mul_(beta1).add_(grad, 1 - beta1);
        expAvgSq.mul_(beta2).addcmul_(grad, grad, 1 - beta2);

        double biasCorrection1 = 1 - Math.pow(beta1, step);
        double biasCorrection2 = 1 - Math.pow(beta2, step);
        double stepSize = lr / biasCorrection1;
        double biasCorrection2Sqrt = Math.sqrt(biasCorrection2);

        Tensor v = expAvgSq;
        if (amsgrad) {
            Tensor max = (Tensor) st.get("max_exp_avg_sq");
            max.copy_(max.maximum(expAvgSq));
            v = max;
        }
        Tensor denom = v.sqrt().div(biasCorrection2Sqrt).add_(eps);
        param.addcdiv_(expAvg, denom, -stepSize);
    }

    /**
     * As PyTorch 1.13's {@code Adam.__setstate__} and {@code step}: group keys older files lack take
     * their defaults, numeric steps become tensors; a group without one of the keys {@code step} reads (in its order) is
     * another optimizer's, refused with PyTorch's KeyError.
     */
    @Override protected void prepareLoadedStateDict(List<Map<String, Object>> groups, List<Map<String, Object>> states) {
        for (Map<String, Object> g : groups) {
            g.putIfAbsent("amsgrad", false);
            g.putIfAbsent("maximize", false);
        }
        stepsToTensors(states);
        requireGroupKeys(groups, "betas", "lr", "weight_decay", "eps");
    }

    @Override protected void update(Tensor param, Tensor grad, Options o, Map<String, Object> st) {
        initAdamState(param, o.amsgrad, st);
        Tensor g = o.maximize ? grad.neg() : grad;
        Tensor stepT = (Tensor) st.get("step");
        stepT.add_(1.0);
        double step = stepT.item();
        if (o.weightDecay != 0) g = g.add(param, o.weightDecay);
        adamTail(param, g, o.lr, o.beta1, o.beta2, o.eps, o.amsgrad, step, st);
    }
}
