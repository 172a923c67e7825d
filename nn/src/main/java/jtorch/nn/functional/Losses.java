package jtorch.nn.functional;

import java.util.Arrays;

import jtorch.PyFormat;
import jtorch.DType;
import jtorch.Tensor;
import jtorch.internal.TensorInternals;
import jtorch.ops.NllLoss;
import jtorch.Torch;
import jtorch.ops.Shapes;

/**
 * The loss functions behind {@link F}: each is composed from Tensor ops in the order PyTorch 1.13's
 * CPU kernels evaluate it (so that forward values agree to the last bits), and gets its gradient
 * from the autograd engine. Argument checks come first, in PyTorch's order and with its messages.
 */
final class Losses {
    private Losses() {}

    // ------------------------------------------------------------ shared

    /** {@code _Reduction.get_enum}: the three reductions PyTorch accepts. */
    static void checkReduction(String reduction) {
        if (!"mean".equals(reduction) && !"sum".equals(reduction) && !"none".equals(reduction))
            throw new IllegalArgumentException(reduction + " is not a valid value for reduction");
    }

    /** {@code apply_loss_reduction}: mean, sum, or the elementwise loss. */
    static Tensor reduce(Tensor loss, String reduction) {
        switch (reduction) {
            case "mean": return loss.mean();
            case "sum": return loss.sum();
            case "none": return loss;
            default: throw new IllegalArgumentException(reduction + " is not a valid value for reduction");
        }
    }


    static String list(Tensor t) { return PyFormat.list(t.shape().toArray()); }

    private static void requireFloating(Tensor t, String kernel) {
        if (!t.isFloatingPoint())
            throw new IllegalArgumentException("\"" + kernel + "\" not implemented for '" + t.dtype().scalarTypeName() + "'");
    }

    /** {@code torch.broadcast_tensors(a, b)}. */
    private static Tensor[] broadcast(Tensor a, Tensor b) {
        jtorch.ops.Args.notNull("loss", "input", a);
        jtorch.ops.Args.notNull("loss", "target", b);
        long[] shape = Shapes.toLongs(Shapes.broadcast(TensorInternals.sizes(a), TensorInternals.sizes(b)));
        return new Tensor[] {a.expand(shape), b.expand(shape)};
    }

    /**
     * {@code max(log(u), -100)} as PyTorch's BCE clamps it. Where the log is clamped the result is
     * the constant -100 and its gradient 0; the log is taken of 1 there, so that no {@code 0 * inf}
     * reaches the gradient of {@code u = 0}.
     */
    private static Tensor clampedLog(Tensor u) {
        Tensor keep = Torch.noGrad(() -> u.log().ge(-100.0));
        return u.where(keep, 1.0).log().where(keep, -100.0);
    }

    // ------------------------------------------------------------ regression losses

    /** {@code l1_loss}: {@code |input - target|}, broadcast, then reduced. */
    static Tensor l1Loss(Tensor input, Tensor target, String reduction) {
        Tensor[] io = broadcast(input, target);
        checkReduction(reduction);
        return reduce(io[0].sub(io[1]).abs(), reduction);
    }

    /**
     * {@code smooth_l1_loss}: with {@code z = |input - target|}, {@code 0.5 z^2 / beta} where
     * {@code z < beta}, else {@code z - 0.5 beta}; {@code beta = 0} is the L1 loss.
     */
    static Tensor smoothL1Loss(Tensor input, Tensor target, String reduction, double beta) {
        Tensor[] io = broadcast(input, target);
        checkReduction(reduction);
        if (beta == 0.0) return l1Loss(io[0], io[1], reduction);
        if (!(beta >= 0)) throw new IllegalArgumentException("smooth_l1_loss does not support negative values for beta.");
        requireFloating(io[0], "smooth_l1_cpu");
        Tensor z = io[0].sub(io[1]).abs();
        // The quadratic branch sees z clipped to beta: where it is not selected it must stay finite,
        // or an infinite difference would send 0 * inf = NaN back through it (PyTorch: +-1 there).
        Tensor zq = z.clampMax(beta);
        Tensor quadratic = zq.mul(0.5).mul(zq).div(beta);
        return reduce(quadratic.where(z.lt(beta), z.sub(0.5 * beta)), reduction);
    }

    // ------------------------------------------------------------ classification losses

    /**
     * {@code nll_loss_nd}: {@code -weight[t] * input[n, t, ...]} for each target {@code t} that is not
     * {@code ignoreIndex} (those contribute 0); "mean" divides by the sum of the weights of the
     * non-ignored targets. Input {@code (C)}, {@code (N, C)} or {@code (N, C, d1, ...)}.
     */
    static Tensor nllLoss(Tensor input, Tensor target, Tensor weight, long ignoreIndex, String reduction) {
        checkReduction(reduction);
        return nllLossNd(input, target, weight, ignoreIndex, reduction);
    }

    private static Tensor nllLossNd(Tensor input, Tensor target, Tensor weight, long ignoreIndex, String reduction) {
        long[] tv = checkedTargets(input, target, weight, ignoreIndex);
        int dim = input.dim();
        if (dim == 2 && weight == null) return NllLoss.nllLoss(input, tv, ignoreIndex, reduction); // the common case, fused
        boolean unbatched = dim == 1;
        Tensor x = unbatched ? input.unsqueeze(0) : input;
        Tensor t = unbatched ? target.reshape(1) : target;
        Tensor valid = t.ne(Torch.tensor(ignoreIndex));
        Tensor safeTarget = t.where(valid, Torch.zerosLike(t)); // ignored targets may lie outside [0, C)
        Tensor loss = x.gather(1, safeTarget.unsqueeze(1)).squeeze(1).neg();
        Tensor w = null;
        if (weight != null) {
            w = weight.indexSelect(0, safeTarget.reshape(-1)).reshape(t.shape());
            loss = loss.mul(w);
        }
        loss = loss.where(valid, 0.0);
        switch (reduction) {
            case "none": return unbatched ? loss.reshape() : loss;
            case "sum": return loss.sum();
            default: {
                Tensor totalWeight = w == null ? valid.sum().to(loss.dtype()) : w.where(valid, 0.0).sum();
                return loss.sum().div(totalWeight);
            }
        }
    }

    /** nll_loss's checks of the shapes, the weight, the dtypes and the targets' range; returns the targets. */
    private static long[] checkedTargets(Tensor input, Tensor target, Tensor weight, long ignoreIndex) {
        jtorch.ops.Args.notNull("nll_loss", "input", input);
        jtorch.ops.Args.notNull("nll_loss", "target", target);
        int dim = input.dim();
        if (dim < 1) throw new IllegalArgumentException("Expected 1 or more dimensions (got " + dim + ")");
        if (dim != 1) {
            long targetBatch = target.dim() == 0 ? 0 : target.size(0);
            if (input.size(0) != targetBatch)
                throw new IllegalArgumentException("Expected input batch_size (" + input.size(0) + ") to match target batch_size ("
                        + targetBatch + ").");
        }
        long classes = dim == 1 ? input.size(0) : input.size(1);
        String kernel;
        if (dim <= 2) {
            if (target.dim() > 1)
                throw new IllegalArgumentException("0D or 1D target tensor expected, multi-target not supported");
            boolean noBatchDim = dim == 1 && target.dim() == 0;
            if (!(noBatchDim || (target.dim() == 1 && input.size(0) == target.size(0))))
                throw new IllegalArgumentException("size mismatch (got input: " + list(input) + ", target: " + list(target) + ")");
            if (weight != null && !(weight.dim() == 1 && weight.numel() == classes))
                throw new IllegalArgumentException("weight tensor should be defined either for all " + classes
                        + " classes or no classes but got weight tensor of shape: " + list(weight));
            kernel = "nll_loss_out_frame";
        } else {
            long[] in = input.shape().toArray(), tg = target.shape().toArray();
            long[] spatial = Arrays.copyOfRange(in, 2, in.length);
            if (dim == 4) {
                if (target.dim() != 3)
                    throw new IllegalArgumentException("only batches of spatial targets supported (3D tensors) but got targets of dimension: "
                            + target.dim());
                if (!Arrays.equals(Arrays.copyOfRange(tg, 1, tg.length), spatial))
                    throw new IllegalArgumentException("size mismatch (got input: " + list(input) + " , target: " + list(target));
            } else if (!Arrays.equals(Arrays.copyOfRange(tg, 1, tg.length), spatial)) {
                long[] expected = new long[in.length - 1];
                expected[0] = in[0];
                System.arraycopy(spatial, 0, expected, 1, spatial.length);
                throw new IllegalArgumentException("Expected target size " + PyFormat.list(expected) + ", got " + list(target));
            }
            if (weight != null && !(weight.dim() == 1 && weight.numel() == classes))
                throw new IllegalArgumentException("weight tensor should be defined either for all or no classes");
            kernel = "nll_loss2d_forward_out_frame";
        }
        requireFloating(input, kernel);
        if (target.dtype() != DType.INT64)
            throw new IllegalArgumentException("expected scalar type Long but found " + target.dtype().scalarTypeName());
        long[] tv = target.toLongArray();
        for (long t : tv)
            if (t != ignoreIndex && (t < 0 || t >= classes))
                throw new IndexOutOfBoundsException("Target " + t + " is out of bounds.");
        return tv;
    }

    /**
     * {@code cross_entropy}: class indices (target without the class dim, int64) go through
     * {@code nll_loss(log_softmax(input))}, with label smoothing mixing in the uniform distribution;
     * a target of the input's shape holds class probabilities.
     */
    static Tensor crossEntropy(Tensor input, Tensor target, Tensor weight, long ignoreIndex, String reduction, double labelSmoothing) {
        jtorch.ops.Args.notNull("cross_entropy", "input", input);
        jtorch.ops.Args.notNull("cross_entropy", "target", target);
        checkReduction(reduction);
        int classDim = input.dim() == 1 ? 0 : 1;
        if (input.shape().equals(target.shape())) {
            if (!target.isFloatingPoint())
                throw new IllegalArgumentException("Expected floating point type for target with class probabilities, got "
                        + target.dtype().scalarTypeName());
            if (ignoreIndex >= 0) throw new IllegalArgumentException("ignore_index is not supported for floating point target");
            return crossEntropyProbabilities(input, target, weight, reduction, labelSmoothing, classDim);
        }
        if (labelSmoothing > 0.0) {
            checkLabelSmoothing(labelSmoothing);
            return crossEntropyLabelSmoothing(input, target, weight, reduction, ignoreIndex, labelSmoothing, classDim);
        }
        if (input.dim() == 2 && weight == null && input.dtype() == DType.FLOAT32 && input.size(1) > 0) {
            // nll_loss(log_softmax(input)) as one op (a language model's 700 x 10000 logits): the same bits
            long[] tv = checkedTargets(input, target, weight, ignoreIndex);
            return NllLoss.crossEntropy(input, tv, ignoreIndex, reduction);
        }
        return nllLossNd(input.logSoftmax(classDim), target, weight, ignoreIndex, reduction);
    }

    static void checkLabelSmoothing(double labelSmoothing) {
        if (!(labelSmoothing <= 1.0))
            throw new IllegalArgumentException("label_smoothing must be between 0.0 and 1.0. Got: " + PyFormat.cpp(labelSmoothing));
    }

    private static long[] classShape(int dim, int classDim, long classes) {
        long[] shape = new long[dim];
        Arrays.fill(shape, 1);
        shape[classDim] = classes;
        return shape;
    }

    private static Tensor crossEntropyProbabilities(Tensor input, Tensor target, Tensor weight, String reduction,
                                                    double labelSmoothing, int classDim) {
        long classes = input.size(classDim);
        if (weight != null && !(weight.dim() == 1 && weight.numel() == classes))
            throw new IllegalArgumentException("cross_entropy: weight tensor should be defined either for all " + classes
                    + " classes or no classes but got weight tensor of shape: " + list(weight));
        Tensor logp = input.logSoftmax(classDim);
        Tensor t = target;
        if (labelSmoothing > 0.0) {
            checkLabelSmoothing(labelSmoothing);
            t = target.mul(1 - labelSmoothing).add(labelSmoothing / classes);
        }
        Tensor prod = logp.mul(t);
        if (weight != null) prod = prod.mul(weight.view(classShape(input.dim(), classDim, classes)));
        switch (reduction) {
            case "none": return prod.sum(classDim).neg();
            case "sum": return prod.sum().neg();
            default:
                if (input.numel() == 0) return prod.sum().neg().mul(Double.NaN);
                return prod.sum().neg().div(input.numel() / classes);
        }
    }

    private static Tensor crossEntropyLabelSmoothing(Tensor input, Tensor target, Tensor weight, String reduction,
                                                     long ignoreIndex, double labelSmoothing, int classDim) {
        Tensor logp = input.logSoftmax(classDim);
        Tensor nll = nllLossNd(logp, target, weight, ignoreIndex, reduction);
        long classes = logp.size(classDim);
        Tensor keep = target.ne(Torch.tensor(ignoreIndex));
        Tensor smooth = weight != null
                ? logp.mul(weight.view(classShape(logp.dim(), classDim, weight.size(0)))).sum(classDim).neg()
                : logp.sum(classDim).neg();
        smooth = smooth.where(keep, 0.0); // masked_fill_(ignore_mask, 0)
        Tensor ret;
        switch (reduction) {
            case "none": ret = smooth; break;
            case "sum": ret = smooth.sum(); break;
            default:
                if (weight != null) {
                    Tensor safeTarget = target.where(keep, Torch.zerosLike(target));
                    Tensor w = weight.indexSelect(0, safeTarget.reshape(-1)).where(keep.reshape(-1), 0.0);
                    ret = smooth.sum().div(w.sum());
                } else {
                    ret = smooth.sum().div(keep.sum().to(smooth.dtype()));
                }
        }
        return nll.mul(1 - labelSmoothing).add(ret.mul(labelSmoothing / classes));
    }

    /**
     * {@code binary_cross_entropy}: {@code (t - 1) max(log(1 - x), -100) - t max(log(x), -100)},
     * times the (broadcast) weight.
     */
    static Tensor binaryCrossEntropy(Tensor input, Tensor target, Tensor weight, String reduction) {
        jtorch.ops.Args.notNull("binary_cross_entropy", "input", input);
        jtorch.ops.Args.notNull("binary_cross_entropy", "target", target);
        checkReduction(reduction);
        if (!target.shape().equals(input.shape()))
            throw new IllegalArgumentException("Using a target size (" + target.shape() + ") that is different to the input size ("
                    + input.shape() + ") is deprecated. Please ensure they have the same size.");
        if (weight != null)
            weight = weight.expand(Shapes.toLongs(Shapes.broadcast(TensorInternals.sizes(target), TensorInternals.sizes(weight))));
        requireFloating(input, "binary_cross_entropy");
        boolean inRange = Torch.noGrad(() -> input.ge(0.0).logicalNot().sum().itemLong() == 0
                && input.le(1.0).logicalNot().sum().itemLong() == 0);
        if (!inRange) throw new IllegalArgumentException("all elements of input should be between 0 and 1");
        Tensor loss = target.sub(1L).mul(clampedLog(input.rsub(1))).sub(target.mul(clampedLog(input)));
        if (weight != null) loss = loss.mul(weight);
        return reduce(loss, reduction);
    }

    /**
     * {@code binary_cross_entropy_with_logits} in PyTorch's stable form: with {@code m = max(-x, 0)},
     * {@code (1 - t) x + l (log(exp(-m) + exp(-x - m)) + m)}, {@code l = 1 + (pos_weight - 1) t}.
     */
    static Tensor binaryCrossEntropyWithLogits(Tensor input, Tensor target, Tensor weight, String reduction, Tensor posWeight) {
        jtorch.ops.Args.notNull("binary_cross_entropy_with_logits", "input", input);
        jtorch.ops.Args.notNull("binary_cross_entropy_with_logits", "target", target);
        checkReduction(reduction);
        if (!target.shape().equals(input.shape()))
            throw new IllegalArgumentException("Target size (" + target.shape() + ") must be the same as input size (" + input.shape() + ")");
        // PyTorch 1.13 accumulates the loss in place into (1 - target): the result has the target's
        // dtype (an integer target is refused) and weights may not grow the input's shape.
        if (!target.isFloatingPoint())
            throw new IllegalArgumentException("binary_cross_entropy_with_logits: result type Float can't be cast to the desired "
                    + "output type " + target.dtype().scalarTypeName());
        for (Tensor w : new Tensor[] {weight, posWeight})
            if (w != null && !java.util.Arrays.equals(Shapes.broadcast(TensorInternals.sizes(input), TensorInternals.sizes(w)), TensorInternals.sizes(input)))
                throw new IllegalArgumentException("binary_cross_entropy_with_logits: output with shape " + list(input)
                        + " doesn't match the broadcast shape " + PyFormat.list(Shapes.toLongs(Shapes.broadcast(TensorInternals.sizes(input), TensorInternals.sizes(w)))));
        Tensor maxVal = input.neg().clampMin(0);
        // -input - maxVal written as -relu(input) (the same values): at an infinite logit it has a
        // finite value and slope, so the gradient is PyTorch's sigmoid(x) - target there, not NaN.
        Tensor logTerm = maxVal.neg().exp().add(input.relu().neg().exp()).log();
        Tensor loss;
        if (posWeight != null) {
            Tensor logWeight = posWeight.sub(1L).mul(target).add(1L);
            loss = target.rsub(1).mul(input).add(logWeight.mul(logTerm.add(maxVal)));
        } else {
            loss = target.rsub(1).mul(input).add(maxVal).add(logTerm);
        }
        if (weight != null) loss = loss.mul(weight);
        return reduce(loss.to(target.dtype()), reduction);
    }
}
