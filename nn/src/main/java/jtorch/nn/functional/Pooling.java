package jtorch.nn.functional;

import jtorch.DType;
import jtorch.Tensor;
import jtorch.kernels.Pool2d;
import jtorch.ops.Args;
import jtorch.ops.Pool;

/**
 * Pooling: argument checks and output sizes (PyTorch's messages and ceil_mode rule) here; max and
 * average pooling and adaptive average pooling run on core's pooling ops, which have forward and
 * backward kernels of their own as PyTorch's have.
 */
public final class Pooling {
    private Pooling() {}

    /**
     * PyTorch's {@code pooling_output_shape}, including the ceil_mode rule that the last window must
     * start inside, computed in long (the caller has bounded the geometry with {@link Args#checkWindow}).
     */
    static int outputSize(int in, int k, int pad, int stride, int dilation, boolean ceil) {
        long num = (long) in + 2L * pad - (long) dilation * (k - 1) - 1 + (ceil ? stride - 1L : 0);
        long out = Math.floorDiv(num, (long) stride) + 1;
        if (ceil && (out - 1) * stride >= (long) in + pad) out--;
        return (int) Math.max(out, Integer.MIN_VALUE);
    }

    /** The result of {@code max_pool2d(..., return_indices=True)}. */
    public static final class MaxPoolResult {
        /** The pooled values, and the int64 flat position ({@code h * W + w}) of each maximum in its input plane. */
        public final Tensor values, indices;

        MaxPoolResult(Tensor values, Tensor indices) {
            this.values = values;
            this.indices = indices;
        }
    }

    private static void checkParams(String op, int[] k, int[] s, int[] p, int[] d) {
        for (int i = 0; i < 2; i++) {
            if (k[i] <= 0) throw new IllegalArgumentException(op + ": kernel_size must be greater than zero, but got " + k[i]);
            if (s[i] <= 0) throw new IllegalArgumentException(op + ": stride must be greater than zero, but got " + s[i]);
            if (d[i] <= 0) throw new IllegalArgumentException(op + ": dilation must be greater than zero, but got " + d[i]);
            if (p[i] < 0 || p[i] > ((long) d[i] * (k[i] - 1) + 1) / 2)
                throw new IllegalArgumentException("pad should be at most half of effective kernel size, but got pad=" + p[i]
                        + ", kernel_size=" + k[i] + " and dilation=" + d[i]);
        }
    }

    private static void checkWindows(String op, Tensor x, int[] k, int[] p, int[] d) {
        Args.checkWindow(op, "height", x.size(2), k[0], d[0], p[0]);
        Args.checkWindow(op, "width", x.size(3), k[1], d[1], p[1]);
    }

    /** 4-D view of a 3-D (unbatched) or 4-D input, with PyTorch's rank error. */
    private static Tensor batched(Tensor input, String op) {
        if (input.dim() != 3 && input.dim() != 4)
            throw new IllegalArgumentException("non-empty 3D or 4D (batch mode) tensor expected for input to " + op + ", got "
                    + input.dim() + "D input of size " + input.shape());
        if (!input.isFloatingPoint())
            throw new IllegalArgumentException("\"" + op + "\" not implemented for '" + (input.dtype() == DType.INT64 ? "Long" : "Bool") + "'");
        return input.dim() == 4 ? input : input.unsqueeze(0);
    }

    /** Max and average pooling need non-empty planes and channels (only the batch may be empty). */
    private static void checkNonEmptyPlanes(Tensor input) {
        for (int d = input.dim() - 3; d < input.dim(); d++)
            if (input.size(d) == 0)
                throw new IllegalArgumentException("Expected 3D or 4D (batch mode) tensor with optional 0 dim batch size for "
                        + "input, but got:" + input.shape().toString().replace("torch.Size(", "").replace(")", ""));
    }

    /**
     * {@code F.max_pool2d(input, kernel, stride, padding, dilation, ceil_mode, return_indices)}; the
     * indices are flat positions in each input plane (H * W), as PyTorch's.
     */
    public static MaxPoolResult maxPool2d(Tensor input, int[] kernel, int[] stride, int[] padding, int[] dilation, boolean ceilMode) {
        Args.notNull("max_pool2d", "input", input);
        kernel = Args.poolPair("max_pool2d", "kernel_size", kernel, null);
        stride = Args.poolPair("max_pool2d", "stride", stride, kernel);
        padding = Args.poolPair("max_pool2d", "padding", padding, null);
        dilation = Args.poolPair("max_pool2d", "dilation", dilation, null);
        checkParams("max_pool2d", kernel, stride, padding, dilation);
        Tensor x = batched(input, "max_pool2d");
        checkNonEmptyPlanes(input);
        checkWindows("max_pool2d", x, kernel, padding, dilation);
        int c = (int) x.size(1), h = (int) x.size(2), w = (int) x.size(3);
        int oh = outputSize(h, kernel[0], padding[0], stride[0], dilation[0], ceilMode);
        int ow = outputSize(w, kernel[1], padding[1], stride[1], dilation[1], ceilMode);
        if (oh < 1 || ow < 1)
            throw new IllegalArgumentException("Given input size: (" + c + "x" + h + "x" + w + "). Calculated output size: (" + c
                    + "x" + oh + "x" + ow + "). Output size is too small");
        Tensor[] pooled = Pool.maxPool2d(x, new Pool2d.Geometry(h, w, kernel[0], kernel[1], stride[0], stride[1], padding[0],
                padding[1], dilation[0], dilation[1], oh, ow));
        Tensor values = pooled[0], indices = pooled[1];
        if (input.dim() == 3) return new MaxPoolResult(values.squeeze(0), indices.squeeze(0));
        return new MaxPoolResult(values, indices);
    }

    /**
     * {@code F.avg_pool2d(input, kernel, stride, padding, ceil_mode, count_include_pad, divisor_override)};
     * {@code divisorOverride} 0 means none. Divisors follow PyTorch: windows are clipped to the
     * padded input, and (without count_include_pad) to the input itself.
     */
    public static Tensor avgPool2d(Tensor input, int[] kernel, int[] stride, int[] padding, boolean ceilMode,
                                   boolean countIncludePad, int divisorOverride) {
        Args.notNull("avg_pool2d", "input", input);
        if (input.dtype() == DType.INT64) // PyTorch pools integers too, dividing with truncation (exact in double)
            return avgPool2d(input.to(DType.FLOAT64), kernel, stride, padding, ceilMode, countIncludePad, divisorOverride).to(DType.INT64);
        kernel = Args.poolPair("avg_pool2d", "kernel_size", kernel, null);
        stride = Args.poolPair("avg_pool2d", "stride", stride, kernel);
        padding = Args.poolPair("avg_pool2d", "padding", padding, null);
        int[] one = {1, 1};
        checkParams("avg_pool2d", kernel, stride, padding, one);
        Tensor x = batched(input, "avg_pool2d");
        checkNonEmptyPlanes(input);
        checkWindows("avg_pool2d", x, kernel, padding, one);
        int c = (int) x.size(1), h = (int) x.size(2), w = (int) x.size(3);
        int oh = outputSize(h, kernel[0], padding[0], stride[0], 1, ceilMode);
        int ow = outputSize(w, kernel[1], padding[1], stride[1], 1, ceilMode);
        if (oh < 1 || ow < 1)
            throw new IllegalArgumentException("Given input size: (" + c + "x" + h + "x" + w + "). Calculated output size: (" + c
                    + "x" + oh + "x" + ow + "). Output size is too small");
        Tensor out = Pool.avgPool2d(x, new Pool2d.Geometry(h, w, kernel[0], kernel[1], stride[0], stride[1], padding[0],
                padding[1], 1, 1, oh, ow), countIncludePad, divisorOverride);
        return input.dim() == 3 ? out.squeeze(0) : out;
    }

    /**
     * {@code F.adaptive_avg_pool2d(input, output_size)}: window i along a dim covers
     * {@code [floor(i*H/oh), ceil((i+1)*H/oh))}; computed as {@code (P_h @ x @ P_w^T) / counts}.
     */
    public static Tensor adaptiveAvgPool2d(Tensor input, int[] outputSize) {
        Args.notNull("adaptive_avg_pool2d", "input", input);
        if (outputSize == null || outputSize.length != 2)
            throw new IllegalArgumentException("adaptive_avg_pool2d: output_size must be 2, but got "
                    + (outputSize == null ? "null" : java.util.Arrays.toString(outputSize)));
        if (outputSize[0] < 0 || outputSize[1] < 0)
            throw new IllegalArgumentException("adaptive_avg_pool2d: elements of output_size must be greater than or equal to 0 "
                    + "but received {" + outputSize[0] + ", " + outputSize[1] + "}");
        Tensor x = batched(input, "adaptive_avg_pool2d");
        for (int d = 2; d < 4; d++)
            if (x.size(d) == 0)
                throw new IllegalArgumentException("adaptive_avg_pool2d(): Expected input to have non-zero size for non-batch "
                        + "dimensions, but input has sizes " + input.shape() + " with dimension " + (d - 4 + input.dim())
                        + " being empty");
        Args.checkNumel("adaptive_avg_pool2d", x.size(0), x.size(1), outputSize[0], outputSize[1]);
        Tensor out = Pool.adaptiveAvgPool2d(x, outputSize[0], outputSize[1]);
        return input.dim() == 3 ? out.squeeze(0) : out;
    }
}
