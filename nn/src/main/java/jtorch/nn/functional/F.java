package jtorch.nn.functional;

import jtorch.DType;
import jtorch.Tensor;
import jtorch.internal.TensorInternals;
import jtorch.nn.BCEWithLogitsLoss;
import jtorch.nn.CrossEntropyLoss;
import jtorch.nn.NLLLoss;

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

    /**
     * {@code linear(input, weight, bias)}: {@code input @ weight^T + bias} (bias may be null). A
     * 2-D input with a bias goes through {@code addmm} (its {@code grad_fn} is {@code AddmmBackward0}),
     * and so does a contiguous 3-D one, folded into rows and viewed back, as in PyTorch.
     */
    public static Tensor linear(Tensor input, Tensor weight, Tensor bias) {
        jtorch.ops.Args.notNull("linear", "input", input);
        jtorch.ops.Args.notNull("linear", "weight", weight);
        if (input.dim() == 0 || weight.dim() == 0)
            throw new IllegalArgumentException("linear: both arguments to matmul need to be at least 1D, but they are "
                    + input.dim() + "D and " + weight.dim() + "D");
        if (input.size(-1) != weight.size(-1))
            throw new IllegalArgumentException("linear: input has shape " + input.shape() + " but the weight has shape "
                    + weight.shape() + " (expected the input's last dim to be " + weight.size(-1) + ")");
        if (bias != null && input.dim() == 2 && weight.dim() != 2) // PyTorch takes the addmm path here
            throw new IllegalArgumentException("linear: mat2 must be a matrix, got " + weight.dim() + "-D tensor");
        // As PyTorch: a 2-D input with a bias is one addmm, the bias added in the GEMM.
        if (input.dim() == 2 && bias != null) return bias.addmm(input, weight.t());
        if (input.dim() == 3 && bias != null && input.isContiguous()) {
            // PyTorch 1.13's _flatten_3d_linear: the batch folded into the rows of one addmm, viewed back.
            Tensor y = bias.addmm(input.view(-1, input.size(2)), weight.t());
            return y.view(input.size(0), input.size(1), y.size(1));
        }
        Tensor y = input.matmul(weight.t());
        if (bias != null && !java.util.Arrays.equals(jtorch.ops.Shapes.broadcast(TensorInternals.sizes(y), TensorInternals.sizes(bias)), TensorInternals.sizes(y)))
            throw new IllegalArgumentException("linear: output with shape " + y.shape() + " doesn't match the broadcast shape of the bias "
                    + bias.shape());
        return bias == null ? y : y.add(bias);
    }

    /** {@code F.relu(input)}: {@code max(x, 0)} elementwise. */
    public static Tensor relu(Tensor input) { return jtorch.ops.Args.notNull("relu", "input", input).relu(); }

    /** {@code F.sigmoid(input)}: {@code 1 / (1 + exp(-x))} elementwise. */
    public static Tensor sigmoid(Tensor input) { return jtorch.ops.Args.notNull("sigmoid", "input", input).sigmoid(); }

    /** {@code F.tanh(input)}: the hyperbolic tangent elementwise. */
    public static Tensor tanh(Tensor input) { return jtorch.ops.Args.notNull("tanh", "input", input).tanh(); }

    /** {@code mse_loss(input, target, reduction)} with {@code "mean"}, {@code "sum"} or {@code "none"}. */
    public static Tensor mseLoss(Tensor input, Tensor target, String reduction) {
        jtorch.ops.Args.notNull("mse_loss", "input", input);
        jtorch.ops.Args.notNull("mse_loss", "target", target);
        jtorch.ops.Args.notNull("mse_loss", "reduction", reduction);
        Tensor d = input.sub(target);
        if (!d.isFloatingPoint())
            throw new IllegalArgumentException("\"mse_cpu\" not implemented for '" + d.dtype().scalarTypeName() + "'");
        return reduce(d.mul(d), reduction);
    }

    /** {@code F.mse_loss(input, target)}: the mean squared error. */
    public static Tensor mseLoss(Tensor input, Tensor target) { return mseLoss(input, target, "mean"); }

    static Tensor reduce(Tensor loss, String reduction) { return Losses.reduce(loss, reduction); }

    // ------------------------------------------------------------ activations

    /** {@code leaky_relu(input, negative_slope=0.01)}: {@code x} for {@code x > 0}, else {@code negative_slope * x}. */
    public static Tensor leakyRelu(Tensor input) { return leakyRelu(input, 0.01, false); }

    /**
     * {@code leaky_relu(input, negative_slope)}.
     *
     * <pre>{@code
     * F.leakyRelu(Torch.tensor(new float[] {-2, 3}), 0.1);   // tensor([-0.2000,  3.0000])
     * }</pre>
     */
    public static Tensor leakyRelu(Tensor input, double negativeSlope) { return leakyRelu(input, negativeSlope, false); }

    /** {@code leaky_relu(input, negative_slope, inplace)}; in place it returns {@code input}, modified. */
    public static Tensor leakyRelu(Tensor input, double negativeSlope, boolean inplace) {
        return Activations.leakyRelu(input, negativeSlope, inplace);
    }

    /** {@code gelu(input)}: {@code x * Phi(x)} with the exact (erf) Gaussian CDF. */
    public static Tensor gelu(Tensor input) { return gelu(input, "none"); }

    /**
     * {@code gelu(input, approximate)}: {@code "none"} for {@code x/2 (1 + erf(x/sqrt 2))}, or
     * {@code "tanh"} for {@code x/2 (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))}.
     *
     * <pre>{@code
     * F.gelu(Torch.tensor(new float[] {-1, 0, 1}));           // tensor([-0.1587,  0.0000,  0.8413])
     * F.gelu(Torch.tensor(new float[] {-1, 0, 1}), "tanh");   // tensor([-0.1588,  0.0000,  0.8412])
     * }</pre>
     */
    public static Tensor gelu(Tensor input, String approximate) { return Activations.gelu(input, approximate); }

    /**
     * {@code softmax(input, dim)}: {@code exp(x) / sum(exp(x))} along {@code dim}.
     *
     * <pre>{@code
     * F.softmax(Torch.tensor(new float[] {1, 2, 3}), 0);   // tensor([0.0900, 0.2447, 0.6652])
     * }</pre>
     */
    public static Tensor softmax(Tensor input, int dim) { return jtorch.ops.Args.notNull("softmax", "input", input).softmax(dim); }

    /** {@code softmax(input, dim, dtype)}: converts to {@code dtype} first (e.g. to avoid overflow in float32). */
    public static Tensor softmax(Tensor input, int dim, DType dtype) { return jtorch.ops.Args.notNull("softmax", "input", input).to(dtype).softmax(dim); }

    /** {@code log_softmax(input, dim)}: {@code x - logsumexp(x)} along {@code dim}, computed stably. */
    public static Tensor logSoftmax(Tensor input, int dim) { return jtorch.ops.Args.notNull("log_softmax", "input", input).logSoftmax(dim); }

    /** {@code log_softmax(input, dim, dtype)}: converts to {@code dtype} first. */
    public static Tensor logSoftmax(Tensor input, int dim, DType dtype) { return jtorch.ops.Args.notNull("log_softmax", "input", input).to(dtype).logSoftmax(dim); }

    // ------------------------------------------------------------ dropout

    /** {@code dropout(input)}: p = 0.5, training. */
    public static Tensor dropout(Tensor input) { return dropout(input, 0.5, true, false); }

    /** {@code dropout(input, p)} in training mode. */
    public static Tensor dropout(Tensor input, double p) { return dropout(input, p, true, false); }

    /**
     * {@code dropout(input, p, training)}: when training, zeroes each element with probability
     * {@code p} and scales the rest by {@code 1/(1-p)}; the mask comes from the default generator
     * exactly as PyTorch's CPU dropout draws it, so {@code Torch.manualSeed(s)} gives PyTorch's mask.
     * Not training (or {@code p == 0}) returns {@code input} itself.
     *
     * <pre>{@code
     * Torch.manualSeed(0);
     * F.dropout(Torch.ones(8), 0.5, true);   // tensor([0., 0., 2., 0., 0., 0., 2., 2.])
     * }</pre>
     */
    public static Tensor dropout(Tensor input, double p, boolean training) { return dropout(input, p, training, false); }

    /** {@code dropout(input, p, training, inplace)}. */
    public static Tensor dropout(Tensor input, double p, boolean training, boolean inplace) {
        return Dropouts.dropout(input, p, training, inplace);
    }

    // ------------------------------------------------------------ attention

    /** {@code scaled_dot_product_attention(query, key, value)}: no mask, no dropout, scale 1/sqrt(E). */
    public static Tensor scaledDotProductAttention(Tensor query, Tensor key, Tensor value) {
        return Attention.scaledDotProductAttention(query, key, value, null, 0.0, false, null);
    }

    /** {@code scaled_dot_product_attention(query, key, value, attn_mask)}. */
    public static Tensor scaledDotProductAttention(Tensor query, Tensor key, Tensor value, Tensor attnMask) {
        return Attention.scaledDotProductAttention(query, key, value, attnMask, 0.0, false, null);
    }

    /**
     * {@code scaled_dot_product_attention(query, key, value, attn_mask=None, dropout_p=0.0,
     * is_causal=False)} (PyTorch 2.x): {@code softmax(q k^T / sqrt(E) + bias) v} for query
     * {@code (..., L, E)}, key {@code (..., S, E)}, value {@code (..., S, Ev)}, giving
     * {@code (..., L, Ev)}; leading dims broadcast. {@code attnMask} (nullable, broadcastable to
     * {@code (..., L, S)}) is bool, True where a key takes part, or of the query's dtype, added to the
     * scores; {@code isCausal} masks keys after the query's position (and refuses an {@code attnMask}).
     * Dropout with probability {@code dropoutP} is applied to the weights whenever it is positive
     * (there is no training flag: pass 0 in evaluation), drawing PyTorch's mask from the default
     * generator.
     *
     * <pre>{@code
     * Tensor q = Torch.randn(2, 4, 5, 8), k = Torch.randn(2, 4, 7, 8), v = Torch.randn(2, 4, 7, 16);
     * Tensor y = F.scaledDotProductAttention(q, k, v);                   // (2, 4, 5, 16)
     * Tensor c = F.scaledDotProductAttention(q, q, q, null, 0.1, true);  // causal self-attention with dropout
     * }</pre>
     */
    public static Tensor scaledDotProductAttention(Tensor query, Tensor key, Tensor value, Tensor attnMask, double dropoutP,
            boolean isCausal) {
        return Attention.scaledDotProductAttention(query, key, value, attnMask, dropoutP, isCausal, null);
    }

    /** The same with PyTorch 2.1's {@code scale=} (null for 1/sqrt(E)). */
    public static Tensor scaledDotProductAttention(Tensor query, Tensor key, Tensor value, Tensor attnMask, double dropoutP,
            boolean isCausal, Double scale) {
        return Attention.scaledDotProductAttention(query, key, value, attnMask, dropoutP, isCausal, scale);
    }

    // ------------------------------------------------------------ losses

    /** {@code l1_loss(input, target)}: mean absolute error. */
    public static Tensor l1Loss(Tensor input, Tensor target) { return l1Loss(input, target, "mean"); }

    /**
     * {@code l1_loss(input, target, reduction)}: {@code |input - target|} (broadcast), reduced by
     * {@code "mean"}, {@code "sum"} or not ({@code "none"}).
     *
     * <pre>{@code
     * F.l1Loss(Torch.tensor(new float[] {1, 2}), Torch.tensor(new float[] {0, 4}), "sum");   // tensor(3.)
     * }</pre>
     */
    public static Tensor l1Loss(Tensor input, Tensor target, String reduction) { return Losses.l1Loss(input, target, reduction); }

    /** {@code smooth_l1_loss(input, target)}: beta 1, mean. */
    public static Tensor smoothL1Loss(Tensor input, Tensor target) { return smoothL1Loss(input, target, "mean", 1.0); }

    /** {@code smooth_l1_loss(input, target, reduction)}: beta 1. */
    public static Tensor smoothL1Loss(Tensor input, Tensor target, String reduction) { return smoothL1Loss(input, target, reduction, 1.0); }

    /**
     * {@code smooth_l1_loss(input, target, reduction, beta)}: with {@code z = |input - target|},
     * {@code 0.5 z^2 / beta} for {@code z < beta}, else {@code z - 0.5 beta} ({@code beta = 0} is L1).
     *
     * <pre>{@code
     * F.smoothL1Loss(Torch.tensor(new float[] {0, 3}), Torch.zeros(2), "none", 1.0);   // tensor([0.0000, 2.5000])
     * }</pre>
     */
    public static Tensor smoothL1Loss(Tensor input, Tensor target, String reduction, double beta) {
        return Losses.smoothL1Loss(input, target, reduction, beta);
    }

    /** {@code nll_loss(input, target)}: no weights, ignore_index -100, mean. */
    public static Tensor nllLoss(Tensor input, Tensor target) { return nllLoss(input, target, null, -100, "mean"); }

    /** {@code nll_loss(input, target, reduction=reduction)}: no weights, ignore_index -100, e.g. {@code F.nllLoss(out, t, "sum")}. */
    public static Tensor nllLoss(Tensor input, Tensor target, String reduction) { return nllLoss(input, target, null, -100, reduction); }

    /**
     * {@code nll_loss(input, target, weight, ignore_index, reduction)}: the negative log-likelihood of
     * the target classes, given log-probabilities {@code input} of shape {@code (C)}, {@code (N, C)}
     * or {@code (N, C, d1, ...)} and int64 class indices {@code target} of shape {@code ()},
     * {@code (N)} or {@code (N, d1, ...)}. {@code weight} (nullable) weighs each class; targets equal
     * to {@code ignoreIndex} contribute nothing, and {@code "mean"} divides by the summed weight of
     * the others.
     *
     * <pre>{@code
     * Tensor logp = F.logSoftmax(logits, 1);
     * Tensor loss = F.nllLoss(logp, Torch.tensor(new long[] {1, 0, 4}), null, -100, "mean");
     * }</pre>
     */
    public static Tensor nllLoss(Tensor input, Tensor target, Tensor weight, long ignoreIndex, String reduction) {
        return Losses.nllLoss(input, target, weight, ignoreIndex, reduction);
    }

    /** {@code nll_loss} with the options of {@link NLLLoss}: {@code F.nllLoss(x, t, NLLLoss.options().ignoreIndex(0))}. */
    public static Tensor nllLoss(Tensor input, Tensor target, NLLLoss.Options options) {
        jtorch.ops.Args.notNull("nll_loss", "options", options);
        return nllLoss(input, target, options.weight(), options.ignoreIndex(), options.reduction());
    }

    /** {@code cross_entropy(input, target)}: no weights, ignore_index -100, mean, no label smoothing. */
    public static Tensor crossEntropy(Tensor input, Tensor target) { return crossEntropy(input, target, null, -100, "mean", 0.0); }

    /** {@code cross_entropy(input, target, reduction=reduction)}: no weights, ignore_index -100, no label smoothing, e.g. {@code F.crossEntropy(z, y, "sum")}. */
    public static Tensor crossEntropy(Tensor input, Tensor target, String reduction) {
        return crossEntropy(input, target, null, -100, reduction, 0.0);
    }

    /**
     * {@code cross_entropy(input, target, weight, ignore_index, reduction, label_smoothing)} on
     * unnormalised logits {@code input} of shape {@code (C)}, {@code (N, C)} or {@code (N, C, d1, ...)}.
     * A {@code target} of the input's shape holds class probabilities (floating); otherwise it holds
     * int64 class indices as for {@link #nllLoss(Tensor, Tensor, Tensor, long, String)}.
     * {@code labelSmoothing} in [0, 1] mixes the target with the uniform distribution.
     *
     * <pre>{@code
     * Tensor logits = Torch.randn(3, 5).requiresGrad_();
     * Tensor loss = F.crossEntropy(logits, Torch.tensor(new long[] {1, 0, 4}), null, -100, "mean", 0.1);
     * loss.backward();
     * }</pre>
     */
    public static Tensor crossEntropy(Tensor input, Tensor target, Tensor weight, long ignoreIndex, String reduction,
                                      double labelSmoothing) {
        return Losses.crossEntropy(input, target, weight, ignoreIndex, reduction, labelSmoothing);
    }

    /** {@code cross_entropy} with the options of {@link CrossEntropyLoss}: {@code F.crossEntropy(x, t, CrossEntropyLoss.options().labelSmoothing(0.1))}. */
    public static Tensor crossEntropy(Tensor input, Tensor target, CrossEntropyLoss.Options options) {
        jtorch.ops.Args.notNull("cross_entropy", "options", options);
        return crossEntropy(input, target, options.weight(), options.ignoreIndex(), options.reduction(), options.labelSmoothing());
    }

    /** {@code binary_cross_entropy(input, target)}: mean, no weight. */
    public static Tensor binaryCrossEntropy(Tensor input, Tensor target) { return binaryCrossEntropy(input, target, null, "mean"); }

    /** {@code binary_cross_entropy(input, target, reduction=reduction)}: no weight. */
    public static Tensor binaryCrossEntropy(Tensor input, Tensor target, String reduction) {
        return binaryCrossEntropy(input, target, null, reduction);
    }

    /**
     * {@code binary_cross_entropy(input, target, weight, reduction)} on probabilities {@code input}
     * in [0, 1]: {@code -w (t log x + (1 - t) log(1 - x))} with each log clamped at -100, as
     * PyTorch clamps it. {@code weight} (nullable) broadcasts to the target's shape.
     *
     * <pre>{@code
     * F.binaryCrossEntropy(Torch.tensor(new float[] {0.9f, 0.2f}), Torch.tensor(new float[] {1, 0}), null, "sum");
     * }</pre>
     */
    public static Tensor binaryCrossEntropy(Tensor input, Tensor target, Tensor weight, String reduction) {
        return Losses.binaryCrossEntropy(input, target, weight, reduction);
    }

    /** {@code binary_cross_entropy_with_logits(input, target)}: mean, no weights. */
    public static Tensor binaryCrossEntropyWithLogits(Tensor input, Tensor target) {
        return binaryCrossEntropyWithLogits(input, target, null, "mean", null);
    }

    /** {@code binary_cross_entropy_with_logits(input, target, reduction=reduction)}: no weights. */
    public static Tensor binaryCrossEntropyWithLogits(Tensor input, Tensor target, String reduction) {
        return binaryCrossEntropyWithLogits(input, target, null, reduction, null);
    }

    /**
     * {@code binary_cross_entropy_with_logits(input, target, weight, reduction, pos_weight)}: the
     * binary cross entropy of {@code sigmoid(input)}, computed in PyTorch's numerically stable form
     * (finite for logits of any size). {@code posWeight} (nullable, broadcast along the last dim)
     * weighs the positive term; {@code weight} (nullable) each element.
     *
     * <pre>{@code
     * Tensor loss = F.binaryCrossEntropyWithLogits(logits, targets, null, "mean", Torch.full(new long[] {3}, 2.0));
     * }</pre>
     */
    public static Tensor binaryCrossEntropyWithLogits(Tensor input, Tensor target, Tensor weight, String reduction, Tensor posWeight) {
        return Losses.binaryCrossEntropyWithLogits(input, target, weight, reduction, posWeight);
    }

    /** {@code binary_cross_entropy_with_logits} with the options of {@link BCEWithLogitsLoss}. */
    public static Tensor binaryCrossEntropyWithLogits(Tensor input, Tensor target, BCEWithLogitsLoss.Options options) {
        jtorch.ops.Args.notNull("binary_cross_entropy_with_logits", "options", options);
        return binaryCrossEntropyWithLogits(input, target, options.weight(), options.reduction(), options.posWeight());
    }

    // ------------------------------------------------------------ normalisation and embedding

    /** {@code batch_norm(input, running_mean, running_var)}: evaluation mode with the given statistics. */
    public static Tensor batchNorm(Tensor input, Tensor runningMean, Tensor runningVar) {
        return batchNorm(input, runningMean, runningVar, null, null, false, 0.1, 1e-5);
    }

    /**
     * {@code batch_norm(input, running_mean, running_var, weight, bias, training, momentum, eps)} on
     * an input {@code (N, C, ...)}, per channel {@code C}. Training normalises with the batch mean and
     * biased variance and, when the running buffers are given, updates them in place
     * ({@code (1 - momentum) * running + momentum * batch}, the variance unbiased); evaluation
     * normalises with the running statistics. Weight and bias (nullable) are per channel.
     *
     * <pre>{@code
     * Tensor rm = Torch.zeros(3), rv = Torch.ones(3);
     * Tensor y = F.batchNorm(Torch.randn(8, 3), rm, rv, null, null, true, 0.1, 1e-5);   // rm, rv updated
     * }</pre>
     */
    public static Tensor batchNorm(Tensor input, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias,
                                   boolean training, double momentum, double eps) {
        return Normalization.batchNorm(input, runningMean, runningVar, weight, bias, training, momentum, eps);
    }

    /** {@code layer_norm(input, normalized_shape)}: no affine parameters, eps 1e-5. */
    public static Tensor layerNorm(Tensor input, long[] normalizedShape) { return layerNorm(input, normalizedShape, null, null, 1e-5); }

    /**
     * {@code layer_norm(input, normalized_shape, weight, bias, eps)}: normalises over the trailing
     * dims given by {@code normalizedShape} (biased variance), then scales by {@code weight} and adds
     * {@code bias} (both of shape {@code normalizedShape}, nullable).
     *
     * <pre>{@code
     * Tensor y = F.layerNorm(Torch.randn(4, 10), new long[] {10}, null, null, 1e-5);
     * }</pre>
     */
    public static Tensor layerNorm(Tensor input, long[] normalizedShape, Tensor weight, Tensor bias, double eps) {
        return Normalization.layerNorm(input, normalizedShape, weight, bias, eps);
    }

    /** {@code embedding(input, weight)}: the rows of {@code weight} at the int64 indices {@code input}. */
    public static Tensor embedding(Tensor input, Tensor weight) { return embedding(input, weight, null, null, 2.0); }

    /** {@code embedding(input, weight, padding_idx)}: the row {@code paddingIdx} (nullable) gets no gradient. */
    public static Tensor embedding(Tensor input, Tensor weight, Long paddingIdx) { return embedding(input, weight, paddingIdx, null, 2.0); }

    /**
     * {@code embedding(input, weight, padding_idx, max_norm, norm_type)}: looks up the rows of
     * {@code weight} {@code (num_embeddings, embedding_dim)} at {@code input}, giving shape
     * {@code input.shape + (embedding_dim,)}. Row {@code paddingIdx} (nullable; negative counts from
     * the end) passes no gradient. With {@code maxNorm} (nullable), the looked-up rows whose
     * {@code normType}-norm exceeds it are first rescaled in place, as PyTorch does.
     *
     * <pre>{@code
     * Tensor w = Torch.randn(10, 3);
     * Tensor e = F.embedding(Torch.tensor(new long[][] {{1, 2}, {0, 9}}), w, 0L);   // shape (2, 2, 3)
     * }</pre>
     */
    public static Tensor embedding(Tensor input, Tensor weight, Long paddingIdx, Double maxNorm, double normType) {
        return Embeddings.embedding(input, weight, paddingIdx, maxNorm, normType);
    }
    // ------------------------------------------------------------ convolution, folding, padding, pooling

    private static int[] pair(int v) { return new int[] {v, v}; }

    /** {@code F.conv2d(input, weight)}: stride 1, no padding. */
    public static Tensor conv2d(Tensor input, Tensor weight) { return conv2d(input, weight, null, 1, 0, 1, 1); }

    /** {@code F.conv2d(input, weight, bias)}. */
    public static Tensor conv2d(Tensor input, Tensor weight, Tensor bias) { return conv2d(input, weight, bias, 1, 0, 1, 1); }

    /**
     * {@code F.conv2d(input, weight, bias, stride, padding, dilation, groups)} in PyTorch's positional
     * order; {@code bias} may be null. Computed by core's {@code torch.convolution} (see {@link Convolution}).
     */
    public static Tensor conv2d(Tensor input, Tensor weight, Tensor bias, int stride, int padding, int dilation, int groups) {
        return Convolution.conv2d(input, weight, bias, pair(stride), pair(padding), pair(dilation), groups);
    }

    /**
     * {@code F.conv2d(input, weight, bias, stride=(sh, sw), padding=(ph, pw), dilation=(dh, dw), groups)};
     * {@code bias} may be null.
     */
    public static Tensor conv2d(Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padding, int[] dilation, int groups) {
        return Convolution.conv2d(input, weight, bias, stride, padding, dilation, groups);
    }

    /** {@code F.conv2d(..., padding="same" | "valid", ...)}. */
    public static Tensor conv2d(Tensor input, Tensor weight, Tensor bias, int stride, String padding, int dilation, int groups) {
        return Convolution.conv2d(input, weight, bias, pair(stride), padding, pair(dilation), groups);
    }

    /** {@code F.conv2d(..., stride=(sh, sw), padding="same" | "valid", dilation=(dh, dw), groups)}. */
    public static Tensor conv2d(Tensor input, Tensor weight, Tensor bias, int[] stride, String padding, int[] dilation, int groups) {
        return Convolution.conv2d(input, weight, bias, stride, padding, dilation, groups);
    }

    /** {@code F.conv1d(input, weight, bias, stride, padding, dilation, groups)}. */
    public static Tensor conv1d(Tensor input, Tensor weight, Tensor bias, int stride, int padding, int dilation, int groups) {
        return Convolution.conv1d(input, weight, bias, stride, padding, dilation, groups);
    }

    /** {@code F.conv1d(..., padding="same" | "valid", ...)}. */
    public static Tensor conv1d(Tensor input, Tensor weight, Tensor bias, int stride, String padding, int dilation, int groups) {
        return Convolution.conv1d(input, weight, bias, stride, padding, dilation, groups);
    }

    /** {@code F.conv_transpose2d(input, weight)}: stride 1, no padding. */
    public static Tensor convTranspose2d(Tensor input, Tensor weight) { return convTranspose2d(input, weight, null, 1, 0, 0, 1, 1); }

    /** {@code F.conv_transpose2d(input, weight, bias)}. */
    public static Tensor convTranspose2d(Tensor input, Tensor weight, Tensor bias) { return convTranspose2d(input, weight, bias, 1, 0, 0, 1, 1); }

    /**
     * {@code F.conv_transpose2d(input, weight, bias, stride, padding, output_padding, groups,
     * dilation)} in PyTorch's positional order; weight (C_in, C_out/groups, kh, kw), {@code bias}
     * may be null.
     *
     * <pre>{@code
     * Tensor y = F.convTranspose2d(x, w, null, 2, 1, 1, 1, 1);   // F.conv_transpose2d(x, w, stride=2, padding=1, output_padding=1)
     * }</pre>
     */
    public static Tensor convTranspose2d(Tensor input, Tensor weight, Tensor bias, int stride, int padding, int outputPadding,
                                         int groups, int dilation) {
        return Convolution.convTranspose2d(input, weight, bias, pair(stride), pair(padding), pair(outputPadding), groups, pair(dilation));
    }

    /** {@code F.conv_transpose2d} with {@code (height, width)} pairs for stride, padding, output padding and dilation. */
    public static Tensor convTranspose2d(Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padding, int[] outputPadding,
                                         int groups, int[] dilation) {
        return Convolution.convTranspose2d(input, weight, bias, stride, padding, outputPadding, groups, dilation);
    }

    /** {@code F.conv_transpose1d(input, weight, bias, stride, padding, output_padding, groups, dilation)}; weight (C_in, C_out/groups, k). */
    public static Tensor convTranspose1d(Tensor input, Tensor weight, Tensor bias, int stride, int padding, int outputPadding,
                                         int groups, int dilation) {
        return Convolution.convTranspose1d(input, weight, bias, stride, padding, outputPadding, groups, dilation);
    }

    /** {@code F.unfold(input, kernel_size, dilation, padding, stride)}: (N, C, H, W) to (N, C*kh*kw, L). */
    public static Tensor unfold(Tensor input, int[] kernelSize, int[] dilation, int[] padding, int[] stride) {
        return jtorch.ops.Unfold.unfold(input, kernelSize, dilation, padding, stride);
    }

    /** {@code F.unfold(input, kernel_size)}: a square kernel, dilation 1, no padding, stride 1. */
    public static Tensor unfold(Tensor input, int kernelSize) { return unfold(input, pair(kernelSize), pair(1), pair(0), pair(1)); }

    /** {@code F.fold(input, output_size, kernel_size, dilation, padding, stride)}: the sum of unfold's columns back into an image. */
    public static Tensor fold(Tensor input, int[] outputSize, int[] kernelSize, int[] dilation, int[] padding, int[] stride) {
        return jtorch.ops.Unfold.fold(input, outputSize, kernelSize, dilation, padding, stride);
    }

    /** {@code F.fold(input, output_size, kernel_size)}: a square kernel, dilation 1, no padding, stride 1. */
    public static Tensor fold(Tensor input, int[] outputSize, int kernelSize) {
        return fold(input, outputSize, pair(kernelSize), pair(1), pair(0), pair(1));
    }

    /** {@code F.pad(input, pad, mode, value)}: {@code pad} pairs from the last dim; modes constant, reflect, replicate, circular. */
    public static Tensor pad(Tensor input, int[] pad, String mode, double value) { return Convolution.pad(input, pad, mode, value); }

    /** {@code F.pad(input, pad)}: constant zero padding; {@code pad} holds (before, after) pairs from the last dim backwards. */
    public static Tensor pad(Tensor input, int[] pad) { return Convolution.pad(input, pad, "constant", 0); }

    /** {@code F.max_pool2d(input, kernel_size)} (stride = kernel_size). */
    public static Tensor maxPool2d(Tensor input, int kernelSize) {
        return maxPool2d(input, pair(kernelSize), pair(kernelSize), pair(0), pair(1), false);
    }

    /** {@code F.max_pool2d(input, kernel_size, stride, padding, dilation, ceil_mode)}. */
    public static Tensor maxPool2d(Tensor input, int[] kernelSize, int[] stride, int[] padding, int[] dilation, boolean ceilMode) {
        return Pooling.maxPool2d(input, kernelSize, stride, padding, dilation, ceilMode).values;
    }

    /** {@code F.max_pool2d(..., return_indices=True)}: values and flat input positions. */
    public static Pooling.MaxPoolResult maxPool2dWithIndices(Tensor input, int[] kernelSize, int[] stride, int[] padding,
                                                             int[] dilation, boolean ceilMode) {
        return Pooling.maxPool2d(input, kernelSize, stride, padding, dilation, ceilMode);
    }

    /** {@code F.avg_pool2d(input, kernel_size)} (stride = kernel_size). */
    public static Tensor avgPool2d(Tensor input, int kernelSize) {
        return avgPool2d(input, pair(kernelSize), pair(kernelSize), pair(0), false, true, 0);
    }

    /** {@code F.avg_pool2d(input, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override)}; 0 = no override. */
    public static Tensor avgPool2d(Tensor input, int[] kernelSize, int[] stride, int[] padding, boolean ceilMode,
                                   boolean countIncludePad, int divisorOverride) {
        return Pooling.avgPool2d(input, kernelSize, stride, padding, ceilMode, countIncludePad, divisorOverride);
    }

    /** {@code F.adaptive_avg_pool2d(input, output_size)}. */
    public static Tensor adaptiveAvgPool2d(Tensor input, int[] outputSize) { return Pooling.adaptiveAvgPool2d(input, outputSize); }

    /** {@code F.adaptive_avg_pool2d(input, output_size)}: a square output. */
    public static Tensor adaptiveAvgPool2d(Tensor input, int outputSize) { return adaptiveAvgPool2d(input, pair(outputSize)); }

    // ---- functions added for #11 (ops) ----

    /** {@code F.hardtanh(input)}: clamp to [-1, 1]. */
    public static Tensor hardtanh(Tensor input) { return hardtanh(input, -1, 1, false); }

    /**
     * {@code F.hardtanh(input, min_val, max_val, inplace)}: clamp to [min_val, max_val]; the gradient
     * is 0 outside the open interval.
     *
     * <pre>{@code
     * F.hardtanh(Torch.tensor(new float[] {-2, 0.5f, 3}));   // tensor([-1.0000,  0.5000,  1.0000])
     * }</pre>
     */
    public static Tensor hardtanh(Tensor input, double minVal, double maxVal, boolean inplace) {
        jtorch.ops.Args.notNull("hardtanh", "input", input);
        if (inplace) return jtorch.ops.InPlace.apply(input, t -> jtorch.ops.PointwiseExtra.hardtanh(t, minVal, maxVal), true);
        return jtorch.ops.PointwiseExtra.hardtanh(input, minVal, maxVal);
    }

    /** {@code F.hardtanh(input, min_val, max_val)}: clamp to [min_val, max_val], not in place. */
    public static Tensor hardtanh(Tensor input, double minVal, double maxVal) { return hardtanh(input, minVal, maxVal, false); }

    /** {@code F.softplus(input)} with beta 1, threshold 20. */
    public static Tensor softplus(Tensor input) { return softplus(input, 1, 20); }

    /**
     * {@code F.softplus(input, beta, threshold)}: {@code log(1 + exp(beta x)) / beta}, linear where
     * {@code beta x > threshold}.
     *
     * <pre>{@code
     * F.softplus(Torch.tensor(new float[] {0f}));   // tensor([0.6931])
     * }</pre>
     */
    public static Tensor softplus(Tensor input, double beta, double threshold) { jtorch.ops.Args.notNull("softplus", "input", input); return jtorch.ops.PointwiseExtra.softplus(input, beta, threshold); }

    /** {@code F.silu(input)}: {@code x * sigmoid(x)} (swish). */
    public static Tensor silu(Tensor input) { return silu(input, false); }

    /** {@code F.silu(input, inplace)}: {@code x * sigmoid(x)}, overwriting the input when {@code inplace}. */
    public static Tensor silu(Tensor input, boolean inplace) {
        jtorch.ops.Args.notNull("silu", "input", input);
        if (inplace) return jtorch.ops.InPlace.apply(input, jtorch.ops.PointwiseExtra::silu, true);
        return jtorch.ops.PointwiseExtra.silu(input);
    }

    /** {@code F.mish(input)}: {@code x * tanh(softplus(x))}. */
    public static Tensor mish(Tensor input) { return mish(input, false); }

    /** {@code F.mish(input, inplace)}: {@code x * tanh(softplus(x))}, overwriting the input when {@code inplace}. */
    public static Tensor mish(Tensor input, boolean inplace) {
        jtorch.ops.Args.notNull("mish", "input", input);
        if (inplace) return jtorch.ops.InPlace.apply(input, jtorch.ops.PointwiseExtra::mish, true);
        return jtorch.ops.PointwiseExtra.mish(input);
    }

    /** {@code F.one_hot(tensor)}: the number of classes is {@code max + 1}. */
    public static Tensor oneHot(Tensor tensor) { return oneHot(tensor, -1); }

    /**
     * {@code F.one_hot(tensor, num_classes=-1)}: int64 class indices of shape {@code (*)} to an int64
     * tensor of shape {@code (*, num_classes)} with a 1 at each index; -1 infers {@code max + 1}.
     *
     * <pre>{@code
     * F.oneHot(Torch.tensor(new long[] {0, 2}), 3);   // tensor([[1, 0, 0], [0, 0, 1]])
     * }</pre>
     */
    public static Tensor oneHot(Tensor tensor, long numClasses) {
        jtorch.ops.Args.notNull("one_hot", "tensor", tensor);
        if (tensor.dtype() != DType.INT64) throw new IllegalArgumentException("one_hot is only applicable to index tensor.");
        long[] v = tensor.toLongArray();
        long max = Long.MIN_VALUE;
        for (long x : v) {
            if (x < 0) throw new IllegalArgumentException("Class values must be non-negative.");
            max = Math.max(max, x);
        }
        if (numClasses == -1) {
            if (v.length == 0) throw new IllegalArgumentException("Can not infer total number of classes from empty tensor.");
            numClasses = max + 1;
        } else if (numClasses < -1) {
            throw new IllegalArgumentException("num_classes should be positive");
        } else if (v.length > 0 && max >= numClasses) {
            throw new IllegalArgumentException("Class values must be smaller than num_classes.");
        }
        long[] shape = java.util.Arrays.copyOf(tensor.shape().toArray(), tensor.dim() + 1);
        shape[tensor.dim()] = numClasses;
        Tensor out = jtorch.Torch.zeros(shape, DType.INT64);
        if (v.length == 0) return out;
        return out.scatter(-1, tensor.unsqueeze(-1), 1.0);
    }
}
