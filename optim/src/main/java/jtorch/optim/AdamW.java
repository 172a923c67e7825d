package jtorch.optim;

import java.util.List;
import java.util.Map;

import jtorch.Tensor;

/**
 * {@code torch.optim.AdamW}: Adam with decoupled weight decay, following PyTorch 1.13's
 * single-tensor update ({@code _single_tensor_adamw}, {@code foreach=False}, not capturable):
 *
 * <pre>
 * grad = maximize ? -grad : grad
 * step += 1
 * param.mul_(1 - lr * weight_decay)
 * ... then exactly Adam's update (moments, bias corrections, amsgrad, addcdiv_), see {@link Adam}
 * </pre>
 *
 * Defaults as PyTorch's: {@code lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2}.
 * State per parameter: {@code step}, {@code exp_avg}, {@code exp_avg_sq} (and
 * {@code max_exp_avg_sq} with amsgrad).
 *
 * <pre>{@code
 * var opt = new AdamW(model.parameters(), AdamW.options(1e-3).weightDecay(0.05));
 * opt.zeroGrad();
 * loss.backward();
 * opt.step();
 * }</pre>
 */
public class AdamW extends Optimizer<AdamW.Options> {
    /** AdamW's keywords: {@code lr, betas, eps, weight_decay, amsgrad, maximize}. */
    public static final class Options extends AdamFamilyOptions<Options> {
        Options(double lr) { super(lr, 1e-2); }
    }

    /** Options with PyTorch's defaults ({@code lr=1e-3, weight_decay=1e-2}). */
    public static Options options() { return new Options(1e-3); }

    /** Options with learning rate {@code lr} and PyTorch's other defaults. */
    public static Options options(double lr) { return new Options(lr); }

    /** {@code AdamW(params)} with {@code lr=1e-3}. */
    public AdamW(List<? extends Tensor> params) { this(params, options()); }

    /** {@code AdamW(params, lr)}. */
    public AdamW(List<? extends Tensor> params, double lr) { this(params, options(lr)); }

    /** {@code AdamW(params, **options)}. */
    public AdamW(List<? extends Tensor> params, Options options) { super(params, options); }

    @Override protected void checkOptions(Options o) {
        Adam.checkAdamOptions(o.lr, o.eps, o.beta1, o.beta2, o.weightDecay);
    }

    /**
     * As PyTorch 1.13's {@code AdamW.__setstate__} and {@code step}: group keys older files lack take
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
        Adam.initAdamState(param, o.amsgrad, st);
        Tensor g = o.maximize ? grad.neg() : grad;
        Tensor stepT = (Tensor) st.get("step");
        stepT.add_(1.0);
        param.mul_(1 - o.lr * o.weightDecay);
        double step = stepT.item();
        Adam.adamTail(param, g, o.lr, o.beta1, o.beta2, o.eps, o.amsgrad, step, st);
    }
}
