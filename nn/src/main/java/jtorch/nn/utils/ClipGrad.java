package jtorch.nn.utils;

import java.util.ArrayList;
import java.util.List;

import jtorch.DType;
import jtorch.Tensor;
import jtorch.Torch;

/**
 * {@code torch.nn.utils.clip_grad_norm_} and {@code clip_grad_value_} (PyTorch's
 * {@code torch/nn/utils/clip_grad.py}): rescale or clamp the gradients of parameters in place,
 * between {@code backward()} and the optimizer's {@code step()}.
 *
 * <pre>{@code
 * loss.backward();
 * Tensor totalNorm = ClipGrad.clipGradNorm_(net.parameters(), 1.0);   // nn.utils.clip_grad_norm_(net.parameters(), 1.0)
 * opt.step();
 * }</pre>
 */
public final class ClipGrad {
    private ClipGrad() {}

    /** {@code clip_grad_norm_(parameters, max_norm)}: the 2-norm, non-finite norms not refused. */
    public static Tensor clipGradNorm_(Iterable<? extends Tensor> parameters, double maxNorm) {
        return clipGradNorm_(parameters, maxNorm, 2.0, false);
    }

    /** {@code clip_grad_norm_(parameters, max_norm, norm_type)}. */
    public static Tensor clipGradNorm_(Iterable<? extends Tensor> parameters, double maxNorm, double normType) {
        return clipGradNorm_(parameters, maxNorm, normType, false);
    }

    /** {@code clip_grad_norm_(tensor, ...)}: a single parameter. */
    public static Tensor clipGradNorm_(Tensor parameter, double maxNorm, double normType, boolean errorIfNonfinite) {
        return clipGradNorm_(List.of(parameter), maxNorm, normType, errorIfNonfinite);
    }

    /**
     * {@code clip_grad_norm_(parameters, max_norm, norm_type, error_if_nonfinite)}: the
     * {@code normType}-norm of all gradients together (as if concatenated into one vector;
     * {@code Double.POSITIVE_INFINITY} is the largest absolute value), and if it exceeds
     * {@code maxNorm}, every gradient multiplied in place by {@code maxNorm / (norm + 1e-6)}.
     * Parameters without a gradient are skipped. Returns the total norm (a 0-dim tensor of the
     * gradients' dtype; {@code tensor(0.)} if there are no gradients). With {@code errorIfNonfinite}
     * a NaN or infinite norm is refused before any gradient changes; without it the gradients are
     * scaled by it anyway, as in PyTorch.
     */
    public static Tensor clipGradNorm_(Iterable<? extends Tensor> parameters, double maxNorm, double normType, boolean errorIfNonfinite) {
        List<Tensor> grads = new ArrayList<>();
        for (Tensor p : parameters) if (p.grad() != null) grads.add(p.grad());
        if (grads.isEmpty()) return Torch.tensor(0.0f);
        return Torch.noGrad(() -> {
            DType dtype = grads.get(0).dtype();
            for (Tensor g : grads) dtype = DType.promote(dtype, g.dtype());
            Tensor totalNorm = Torch.tensor(totalNorm(grads, normType), dtype);
            double t = totalNorm.item();
            if (errorIfNonfinite && (Double.isNaN(t) || Double.isInfinite(t)))
                throw new IllegalStateException("The total norm of order " + pythonFloat(normType) + " for gradients from `parameters` "
                        + "is non-finite, so it cannot be clipped. To disable this error and scale the gradients by the non-finite "
                        + "norm anyway, set `error_if_nonfinite=False`");
            // PyTorch's arithmetic, in the norm's dtype: max_norm / (total_norm + 1e-6) is
            // reciprocal(total_norm + 1e-6) * max_norm, then clamped at 1
            Tensor clipCoef = totalNorm.add(1e-6).reciprocal().mul(maxNorm).clampMax(1.0);
            for (Tensor g : grads) g.mul_(clipCoef);
            return totalNorm;
        });
    }

    /**
     * The norm of all gradients as one vector, in double: each gradient's sum of {@code |g|^p} is
     * accumulated in float64 (so large float32 gradients do not overflow their squares), then the
     * {@code 1/p}-th power. {@code p} = inf / -inf is the largest / smallest {@code |g|}, 0 counts
     * the non-zero elements, as {@code torch.norm} defines them.
     */
    private static double totalNorm(List<Tensor> grads, double p) {
        if (Double.isNaN(p)) throw new IllegalArgumentException("clip_grad_norm_: norm_type must be a number, got nan");
        double acc = p == Double.NEGATIVE_INFINITY ? Double.POSITIVE_INFINITY : 0;
        for (Tensor g : grads) {
            if (p == 2) { // one pass, squares and sum in double, no double copy of the gradient
                acc += jtorch.ops.Reductions.sumOfSquares(g);
                continue;
            }
            Tensor a = g.detach().to(DType.FLOAT64).abs();
            if (p == Double.POSITIVE_INFINITY) acc = Math.max(acc, a.numel() == 0 ? 0 : a.max().item());
            else if (p == Double.NEGATIVE_INFINITY) acc = a.numel() == 0 ? acc : Math.min(acc, a.min().item());
            else if (p == 0) acc += a.ne(0).to(DType.FLOAT64).sum().item();
            else if (p == 1) acc += a.sum().item();
            else acc += a.pow(p).sum().item();
        }
        if (Double.isInfinite(p) || p == 0 || p == 1) return acc;
        return p == 2 ? Math.sqrt(acc) : Math.pow(acc, 1 / p);
    }

    /** Python's {@code str(float)} for a norm type: {@code 2.0}, {@code inf}, {@code -inf}. */
    private static String pythonFloat(double v) {
        if (Double.isInfinite(v)) return v > 0 ? "inf" : "-inf";
        return Double.toString(v);
    }

    /** {@code clip_grad_value_(parameters, clip_value)}: clamps every gradient in place into {@code [-clipValue, clipValue]}. */
    public static void clipGradValue_(Iterable<? extends Tensor> parameters, double clipValue) {
        Torch.noGrad(() -> {
            for (Tensor p : parameters) if (p.grad() != null) p.grad().clamp_(-clipValue, clipValue);
        });
    }

    /** {@code clip_grad_value_(tensor, clip_value)}: a single parameter. */
    public static void clipGradValue_(Tensor parameter, double clipValue) { clipGradValue_(List.of(parameter), clipValue); }
}
