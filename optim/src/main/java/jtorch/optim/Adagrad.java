package jtorch.optim;

import java.util.List;
import java.util.Map;

import jtorch.PyFormat;
import jtorch.Tensor;
import jtorch.Torch;

/**
 * {@code torch.optim.Adagrad} (lr_decay, weight_decay, initial_accumulator_value, eps, maximize),
 * following PyTorch 1.13's single-tensor dense update ({@code _single_tensor_adagrad},
 * {@code foreach=False}):
 *
 * <pre>
 * step += 1                                    (a float32 scalar tensor)
 * grad = maximize ? -grad : grad
 * if weight_decay != 0:  grad = grad.add(param, alpha=weight_decay)
 * clr = lr / (1 + (step - 1) * lr_decay)
 * sum.addcmul_(grad, grad, value=1)
 * std = sum.sqrt().add_(eps)
 * param.addcdiv_(grad, std, value=-clr)
 * </pre>
 *
 * As in PyTorch the state ({@code step = tensor(0.)}, {@code sum} filled with
 * {@code initial_accumulator_value}) is created when a parameter joins the optimizer, not at its
 * first step (here also for groups added later, where PyTorch 1.13 would fail with a KeyError).
 * Defaults: {@code lr=1e-2, lr_decay=0, weight_decay=0, initial_accumulator_value=0, eps=1e-10}.
 *
 * <pre>{@code
 * var opt = new Adagrad(model.parameters(), Adagrad.options(0.1).lrDecay(1e-3));
 * opt.zeroGrad();
 * loss.backward();
 * opt.step();
 * }</pre>
 */
public class Adagrad extends Optimizer<Adagrad.Options> {
    /** Adagrad's keywords: {@code lr, lr_decay, eps, weight_decay, initial_accumulator_value, maximize}. */
    public static final class Options extends Optimizer.Options<Options> {
        double lrDecay, weightDecay, initialAccumulatorValue, eps = 1e-10;
        boolean maximize;

        Options(double lr) { super(lr); }

        /** {@code lr_decay} (default 0). */
        public Options lrDecay(double v) { lrDecay = v; return this; }
        /** {@code weight_decay}, an L2 penalty added to the gradient (default 0). */
        public Options weightDecay(double v) { weightDecay = v; return this; }
        /** {@code initial_accumulator_value}, the starting value of {@code sum} (default 0). */
        public Options initialAccumulatorValue(double v) { initialAccumulatorValue = v; return this; }
        /** {@code eps} (default 1e-10). */
        public Options eps(double v) { eps = v; return this; }
        /** {@code maximize} (default false). */
        public Options maximize(boolean v) { maximize = v; return this; }

        /** {@code lr_decay}. */
        public double lrDecay() { return lrDecay; }
        /** {@code weight_decay}. */
        public double weightDecay() { return weightDecay; }
        /** {@code initial_accumulator_value}. */
        public double initialAccumulatorValue() { return initialAccumulatorValue; }
        /** {@code eps}. */
        public double eps() { return eps; }
        /** {@code maximize}. */
        public boolean maximize() { return maximize; }

        @Override protected void putKeywords(Map<String, Object> m) {
            m.put("lr_decay", lrDecay);
            m.put("eps", eps);
            m.put("weight_decay", weightDecay);
            m.put("initial_accumulator_value", initialAccumulatorValue);
            m.put("maximize", maximize);
        }

        @Override protected boolean setKeyword(String key, Object v) {
            switch (key) {
                case "lr_decay": lrDecay = toDouble(key, v); return true;
                case "eps": eps = toDouble(key, v); return true;
                case "weight_decay": weightDecay = toDouble(key, v); return true;
                case "initial_accumulator_value": initialAccumulatorValue = toDouble(key, v); return true;
                case "maximize": maximize = toBool(key, v); return true;
                default: return false;
            }
        }
    }

    /** Options with PyTorch's defaults ({@code lr=1e-2}). */
    public static Options options() { return new Options(1e-2); }

    /** Options with learning rate {@code lr} and PyTorch's other defaults. */
    public static Options options(double lr) { return new Options(lr); }

    /** {@code Adagrad(params)} with {@code lr=1e-2}. */
    public Adagrad(List<? extends Tensor> params) { this(params, options()); }

    /** {@code Adagrad(params, lr)}. */
    public Adagrad(List<? extends Tensor> params, double lr) { this(params, options(lr)); }

    /** {@code Adagrad(params, **options)}. */
    public Adagrad(List<? extends Tensor> params, Options options) { super(params, options); }

    @Override protected void checkOptions(Options o) {
        if (!(0.0 <= o.lr)) throw new IllegalArgumentException("Invalid learning rate: " + PyFormat.repr(o.lr));
        if (!(0.0 <= o.lrDecay)) throw new IllegalArgumentException("Invalid lr_decay value: " + PyFormat.repr(o.lrDecay));
        if (!(0.0 <= o.weightDecay)) throw new IllegalArgumentException("Invalid weight_decay value: " + PyFormat.repr(o.weightDecay));
        if (!(0.0 <= o.initialAccumulatorValue))
            throw new IllegalArgumentException("Invalid initial_accumulator_value value: " + PyFormat.repr(o.initialAccumulatorValue));
        if (!(0.0 <= o.eps)) throw new IllegalArgumentException("Invalid epsilon value: " + PyFormat.repr(o.eps));
    }

    @Override protected void initState(Tensor param, Options o, Map<String, Object> st) {
        st.put("step", Torch.tensor(0.0));
        st.put("sum", Torch.fullLike(param, o.initialAccumulatorValue));
    }

    /**
     * As PyTorch 1.13's {@code Adagrad.__setstate__} and {@code step}: group keys older files lack take
     * their defaults, numeric steps become tensors; a group without one of the keys {@code step} reads (in its order) is
     * another optimizer's, refused with PyTorch's KeyError.
     */
    @Override protected void prepareLoadedStateDict(List<Map<String, Object>> groups, List<Map<String, Object>> states) {
        for (Map<String, Object> g : groups) g.putIfAbsent("maximize", false);
        stepsToTensors(states);
        requireGroupKeys(groups, "lr", "weight_decay", "lr_decay", "eps");
    }

    @Override protected void update(Tensor param, Tensor grad, Options o, Map<String, Object> st) {
        if (st.isEmpty()) initState(param, o, st);
        Tensor stepT = (Tensor) st.get("step");
        stepT.add_(1.0);
        double step = stepT.item();
        Tensor g = o.maximize ? grad.neg() : grad;
        if (o.weightDecay != 0) g = g.add(param, o.weightDecay);
        double clr = o.lr / (1 + (step - 1) * o.lrDecay);
        Tensor sum = (Tensor) st.get("sum");
        sum.addcmul_(g, g, 1);
        Tensor std = sum.sqrt().add_(o.eps);
        param.addcdiv_(g, std, -clr);
    }
}
