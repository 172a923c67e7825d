package jtorch.nn.functional;

import jtorch.PyFormat;
import jtorch.DType;
import jtorch.Generator;
import jtorch.Tensor;
import jtorch.Torch;

/**
 * Dropout as PyTorch 1.13 runs it on the CPU: a contiguous noise tensor
 * {@code bernoulli_(1 - p) / (1 - p)} drawn from the default generator in row-major order (so masks
 * match PyTorch's bit for bit under the same {@code manualSeed}), multiplied into the input.
 */
final class Dropouts {
    private Dropouts() {}

    static void checkProbability(double p) {
        if (!(p >= 0.0 && p <= 1.0))
            throw new IllegalArgumentException("dropout probability has to be between 0 and 1, but got " + PyFormat.repr(p));
    }

    static Tensor dropout(Tensor input, double p, boolean training, boolean inplace) {
        jtorch.ops.Args.notNull("dropout", "input", input);
        checkProbability(p);
        if (p == 0.0 || !training || input.numel() == 0) return input;
        if (!input.isFloatingPoint())
            throw new IllegalArgumentException("result type Float can't be cast to the desired output type "
                    + input.dtype().scalarTypeName());
        Tensor noise;
        if (p == 1.0) {
            noise = Torch.zeros(new long[0], input.dtype());
        } else {
            noise = Torch.empty(input.shape().toArray(), input.dtype());
            Generator g = Generator.defaultGenerator();
            int n = (int) noise.numel();
            if (input.dtype() == DType.FLOAT32) g.dropoutNoise(noise.storage().f32(), 0, n, p);
            else g.dropoutNoise(noise.storage().f64(), 0, n, p);
        }
        return inplace ? input.mul_(noise) : input.mul(noise);
    }
}
