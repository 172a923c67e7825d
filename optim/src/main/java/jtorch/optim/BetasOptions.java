package jtorch.optim;

import java.util.List;
import java.util.Map;

/**
 * The keywords Adamax, NAdam and RAdam share: {@code lr, betas, eps, weight_decay} (an L2 penalty
 * added to the gradient), with PyTorch's defaults {@code betas=(0.9, 0.999), eps=1e-8,
 * weight_decay=0}.
 *
 * <pre>{@code
 * NAdam.options(2e-3).betas(0.9, 0.99).weightDecay(1e-4)
 * }</pre>
 *
 * @param <O> the concrete options type, so the fluent setters return it
 */
public abstract class BetasOptions<O extends BetasOptions<O>> extends Optimizer.Options<O> {
    double beta1 = 0.9, beta2 = 0.999, eps = 1e-8, weightDecay;

    BetasOptions(double lr) { super(lr); }

    @SuppressWarnings("unchecked")
    private O self() { return (O) this; }

    /** {@code betas=(beta1, beta2)}, the running-average coefficients (default (0.9, 0.999)). */
    public O betas(double beta1, double beta2) { this.beta1 = beta1; this.beta2 = beta2; return self(); }
    /** {@code eps}, added to the denominator (default 1e-8). */
    public O eps(double v) { eps = v; return self(); }
    /** {@code weight_decay}, an L2 penalty added to the gradient (default 0). */
    public O weightDecay(double v) { weightDecay = v; return self(); }

    /** {@code betas}. */
    public List<Double> betas() { return List.of(beta1, beta2); }
    /** {@code eps}. */
    public double eps() { return eps; }
    /** {@code weight_decay}. */
    public double weightDecay() { return weightDecay; }

    @Override protected void putKeywords(Map<String, Object> m) {
        m.put("betas", betas());
        m.put("eps", eps);
        m.put("weight_decay", weightDecay);
    }

    @Override protected boolean setKeyword(String key, Object v) {
        switch (key) {
            case "betas": double[] b = toPair(key, v); beta1 = b[0]; beta2 = b[1]; return true;
            case "eps": eps = toDouble(key, v); return true;
            case "weight_decay": weightDecay = toDouble(key, v); return true;
            default: return false;
        }
    }
}
