package jtorch.nn.functional;

import jtorch.Tensor;

/**
 * {@code torch.nn.functional}: the functional forms of the layers and losses.
 *
 * <pre>{@code
 * Tensor y = F.relu(F.linear(x, w, b));
 * Tensor loss = F.mseLoss(y, target);          // reduction "mean"
 * }</pre>
 */
public final class F {
    private F() {}

    /** {@code linear(input, weight, bias)}: {@code input @ weight^T + bias} (bias may be null). */
    public static Tensor linear(Tensor input, Tensor weight, Tensor bias) {
        if (input.dim() == 0 || input.size(-1) != weight.size(-1))
            throw new IllegalArgumentException("linear: input has shape " + input.shape() + " but the weight has shape "
                    + weight.shape() + " (expected the input's last dim to be " + weight.size(-1) + ")");
        Tensor y = input.matmul(weight.t());
        return bias == null ? y : y.add(bias);
    }

    public static Tensor relu(Tensor input) { return input.relu(); }

    public static Tensor sigmoid(Tensor input) { return input.sigmoid(); }

    public static Tensor tanh(Tensor input) { return input.tanh(); }

    /** {@code mse_loss(input, target, reduction)} with {@code "mean"}, {@code "sum"} or {@code "none"}. */
    public static Tensor mseLoss(Tensor input, Tensor target, String reduction) {
        Tensor d = input.sub(target);
        return reduce(d.mul(d), reduction);
    }

    public static Tensor mseLoss(Tensor input, Tensor target) { return mseLoss(input, target, "mean"); }

    static Tensor reduce(Tensor loss, String reduction) {
        switch (reduction) {
            case "mean": return loss.mean();
            case "sum": return loss.sum();
            case "none": return loss;
            default: throw new IllegalArgumentException(reduction + " is not a valid value for reduction");
        }
    }
}
