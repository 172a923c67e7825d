package jtorch.nn.functional;

import java.util.Arrays;

import jtorch.PyFormat;
import jtorch.DType;
import jtorch.Tensor;
import jtorch.Torch;

/**
 * Batch and layer normalisation composed from Tensor ops, following the arithmetic of PyTorch 1.13's
 * CPU kernels so that float32 results agree with PyTorch to the last bit or two:
 * <ul>
 *   <li>batch statistics of float32 inputs accumulate in double, and are rounded to float where
 *       the kernel stores them (mean, sum of squared deviations, 1/std);</li>
 *   <li>the output is {@code x * alpha + beta} per channel with {@code alpha = invstd * weight} and
 *       {@code beta = bias - mean * alpha}; the kernel's compiler fuses both into FMAs, which float32
 *       inputs reproduce by evaluating them in double (a float product is exact in double);</li>
 *   <li>running statistics are updated under no-grad with PyTorch's mixed float/double formula.</li>
 * </ul>
 * Gradients come from the autograd engine through these compositions.
 */
final class Normalization {
    private Normalization() {}

    static void checkFeatures(String name, long expected, Tensor t) {
        if (t != null && t.numel() != expected)
            throw new IllegalArgumentException(name + " should contain " + expected + " elements not " + t.numel());
    }

    /** {@code F.batch_norm}: see {@link F#batchNorm(Tensor, Tensor, Tensor, Tensor, Tensor, boolean, double, double)}. */
    static Tensor batchNorm(Tensor input, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias,
                            boolean training, double momentum, double eps) {
        jtorch.ops.Args.notNull("batch_norm", "input", input);
        if (input.dim() < 2)
            throw new IllegalArgumentException("batch_norm: expected an input of shape (N, C, ...) with at least 2 dims, got "
                    + input.dim() + "D input");
        if (training) {
            long sizeProds = input.size(0);
            for (int d = 2; d < input.dim(); d++) sizeProds *= input.size(d);
            if (sizeProds == 1)
                throw new IllegalArgumentException("Expected more than 1 value per channel when training, got input size " + input.shape());
        }
        long channels = input.size(1);
        if (input.numel() != 0) {
            if (runningMean != null) checkFeatures("running_mean", channels, runningMean);
            else if (!training) throw new IllegalArgumentException("running_mean must be defined in evaluation mode");
            if (runningVar != null) checkFeatures("running_var", channels, runningVar);
            else if (!training) throw new IllegalArgumentException("running_var must be defined in evaluation mode");
            checkFeatures("weight", channels, weight);
            checkFeatures("bias", channels, bias);
        }
        if (!input.isFloatingPoint())
            throw new IllegalArgumentException("\"batch_norm_cpu\" not implemented for '" + input.dtype().scalarTypeName() + "'");

        DType dt = input.dtype();
        boolean f32 = dt == DType.FLOAT32;
        int[] reduceDims = new int[input.dim() - 1];
        reduceDims[0] = 0;
        for (int d = 2; d < input.dim(); d++) reduceDims[d - 1] = d;
        long[] channelShape = new long[input.dim()];
        Arrays.fill(channelShape, 1);
        channelShape[1] = channels;
        long n = input.numel() / Math.max(channels, 1);

        Tensor mean, invstd;
        if (input.numel() == 0 && ((weight != null && weight.numel() != channels) || (bias != null && bias.numel() != channels)
                || (!training && (runningMean == null || runningMean.numel() != channels || runningVar == null
                        || runningVar.numel() != channels))))
            return input.mul(1.0); // PyTorch checks nothing for an empty input: an empty result
        if (input.numel() == 0) {
            // PyTorch: an empty batch leaves the running stats alone and gives weight and bias zero
            // gradients (no NaN statistics of nothing enter the graph).
            mean = Torch.zeros(channelShape, dt);
            invstd = Torch.ones(channelShape, dt);
        } else if (training) {
            // batch_norm_cpu_collect_stats: sum in double, mean stored in the input's dtype; squared
            // deviations in the input's dtype, summed in double and stored in the input's dtype.
            mean = wide(input, f32).mean(reduceDims, true);
            if (f32) mean = mean.to(DType.FLOAT32);
            Tensor centered = input.sub(mean);
            Tensor varSum = wide(centered.mul(centered), f32).sum(reduceDims, true);
            if (f32) varSum = varSum.to(DType.FLOAT32);
            // invstd = 1 / sqrt(var_sum / n + eps), the division in the input's dtype, the rest in double
            Tensor var = varSum.div(n);
            invstd = wide(var, f32).add(eps).sqrt().reciprocal();
            if (f32) invstd = invstd.to(DType.FLOAT32);
            if (runningMean != null || runningVar != null) {
                Tensor meanC = mean.detach().reshape(channels), varSumC = varSum.detach().reshape(channels);
                Torch.noGrad(() -> updateRunningStats(runningMean, runningVar, meanC, varSumC, n, momentum, f32));
            }
        } else {
            mean = runningMean.detach().reshape(channelShape);
            invstd = runningVar.detach().add(eps).sqrt().reciprocal().reshape(channelShape);
        }
        Tensor w = weight == null ? null : weight.reshape(channelShape), b = bias == null ? null : bias.reshape(channelShape);
        Tensor alpha = w == null ? invstd : invstd.mul(w);
        if (f32) {
            Tensor a64 = alpha.to(DType.FLOAT64);
            Tensor beta = (b == null ? a64.mul(mean.to(DType.FLOAT64)).neg()
                    : b.to(DType.FLOAT64).sub(a64.mul(mean.to(DType.FLOAT64)))).to(DType.FLOAT32);
            return input.to(DType.FLOAT64).mul(a64).add(beta.to(DType.FLOAT64)).to(DType.FLOAT32);
        }
        Tensor beta = b == null ? alpha.mul(mean).neg() : b.sub(mean.mul(alpha));
        return input.mul(alpha).add(beta);
    }

    private static Tensor wide(Tensor t, boolean f32) { return f32 ? t.to(DType.FLOAT64) : t; }

    /**
     * {@code running_mean = m * mean + (1 - m) * running_mean} in the buffer's dtype, and
     * {@code running_var = m * (var_sum / (n - 1)) + (1 - m) * running_var} with the first product in
     * double (PyTorch's {@code accscalar_t}) and the second in the buffer's dtype.
     */
    private static void updateRunningStats(Tensor runningMean, Tensor runningVar, Tensor mean, Tensor varSum, long n,
                                           double momentum, boolean f32) {
        if (runningMean != null) {
            Tensor rm = runningMean.reshape(mean.shape());
            Tensor updated = f32 ? mean.mul(momentum).add(rm.mul((double) (1f - (float) momentum)))
                    : mean.mul(momentum).add(rm.mul(1 - momentum));
            runningMean.copy_(updated.reshape(runningMean.shape()));
        }
        if (runningVar != null) {
            Tensor unbiased = varSum.div(n - 1);
            Tensor updated;
            if (f32) {
                Tensor decayed = runningVar.reshape(varSum.shape()).mul((double) (1f - (float) momentum));
                updated = unbiased.to(DType.FLOAT64).mul((double) (float) momentum).add(decayed.to(DType.FLOAT64));
            } else {
                updated = unbiased.mul(momentum).add(runningVar.reshape(varSum.shape()).mul(1 - momentum));
            }
            runningVar.copy_(updated.to(runningVar.dtype()).reshape(runningVar.shape()));
        }
    }

    /** {@code F.layer_norm}: normalises over the trailing {@code normalizedShape} dims. */
    static Tensor layerNorm(Tensor input, long[] normalizedShape, Tensor weight, Tensor bias, double eps) {
        jtorch.ops.Args.notNull("layer_norm", "input", input);
        jtorch.ops.Args.notNull("layer_norm", "normalized_shape", normalizedShape);
        int k = normalizedShape.length;
        if (k < 1)
            throw new IllegalArgumentException("Expected normalized_shape to be at least 1-dimensional, i.e., containing at least "
                    + "one element, but got normalized_shape = " + PyFormat.list(normalizedShape));
        if (weight != null && !Arrays.equals(weight.shape().toArray(), normalizedShape))
            throw new IllegalArgumentException("Expected weight to be of same shape as normalized_shape, but got weight of shape "
                    + Losses.list(weight) + " and normalized_shape = " + PyFormat.list(normalizedShape));
        if (bias != null && !Arrays.equals(bias.shape().toArray(), normalizedShape))
            throw new IllegalArgumentException("Expected bias to be of same shape as normalized_shape, but got bias of shape "
                    + Losses.list(bias) + " and normalized_shape = " + PyFormat.list(normalizedShape));
        long[] in = input.shape().toArray();
        if (in.length < k || !Arrays.equals(Arrays.copyOfRange(in, in.length - k, in.length), normalizedShape)) {
            StringBuilder b = new StringBuilder("Given normalized_shape=").append(PyFormat.list(normalizedShape))
                    .append(", expected input with shape [*");
            for (long s : normalizedShape) b.append(", ").append(s);
            throw new IllegalArgumentException(b.append("], but got input of size").append(PyFormat.list(in)).toString());
        }
        if (!input.isFloatingPoint())
            throw new IllegalArgumentException("\"LayerNormKernelImpl\" not implemented for '" + input.dtype().scalarTypeName() + "'");
        boolean f32 = input.dtype() == DType.FLOAT32;
        // One fused op (a kernel pass per row, one backward node) when the dtypes agree, as PyTorch requires.
        if ((f32 || input.dtype() == DType.FLOAT64) && input.numel() > 0 && (weight == null || weight.dtype() == input.dtype())
                && (bias == null || bias.dtype() == input.dtype()))
            return jtorch.ops.Norms.layerNorm(input, k, weight, bias, eps);
        int[] dims = new int[k];
        for (int i = 0; i < k; i++) dims[i] = in.length - k + i;
        // Statistics in double, rounded to the input's dtype; then PyTorch's
        // y = (x * rstd + (-rstd * mean)) * weight + bias.
        Tensor x64 = wide(input, f32);
        Tensor mean = x64.mean(dims, true);
        Tensor centered = x64.sub(mean);
        Tensor var = centered.mul(centered).mean(dims, true);
        if (f32) {
            mean = mean.to(DType.FLOAT32);
            var = var.to(DType.FLOAT32);
        }
        Tensor rstd = var.add(eps).sqrt().reciprocal();
        Tensor shift = rstd.neg().mul(mean);
        Tensor y = input.mul(rstd).add(shift);
        if (weight != null) y = y.mul(weight);
        if (bias != null) y = y.add(bias);
        return y;
    }
}
