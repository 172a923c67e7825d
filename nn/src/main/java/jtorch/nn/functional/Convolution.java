package jtorch.nn.functional;

import java.util.Arrays;

import jtorch.DType;
import jtorch.Tensor;
import jtorch.Torch;
import jtorch.ops.Unfold;

/**
 * {@code F.conv1d}, {@code F.conv2d}, {@code F.conv_transpose1d/2d} and {@code F.pad}: the argument
 * checks and PyTorch's error messages, unbatched input and the string paddings here; the
 * convolution itself is core's {@code torch.convolution} ({@link Torch#convolution}), whose
 * derivative rule lives with it. The padding modes gather with index tensors, so they are
 * differentiable. {@link #conv2dReference} keeps the former composition of {@code unfold} +
 * {@code matmul} as the definition the op is tested against.
 */
public final class Convolution {
    private Convolution() {}

    static String str(long[] shape) { return Arrays.toString(shape); }

    /** A tensor's size as PyTorch prints it in messages, {@code [2, 3]}. */
    public static String sizeString(Tensor t) { return str(t.shape().toArray()); }

    /**
     * {@code F.conv2d(input, weight, bias, stride, padding, dilation, groups)} with integer padding
     * (for {@code "same"}/{@code "valid"} see {@link #conv2d(Tensor, Tensor, Tensor, int[], String, int[], int)}).
     * {@code input} is (N, C_in, H, W) or unbatched (C_in, H, W); {@code weight} (C_out, C_in/groups, kH, kW).
     */
    public static Tensor conv2d(Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padding, int[] dilation, int groups) {
        jtorch.ops.Args.notNull("conv2d", "input", input);
        jtorch.ops.Args.notNull("conv2d", "weight", weight);
        if (input.dim() != 3 && input.dim() != 4)
            throw new IllegalArgumentException("Expected 3D (unbatched) or 4D (batched) input to conv2d, but got input of size: "
                    + str(input.shape().toArray()));
        if (weight.dim() != 4)
            throw new IllegalArgumentException("Expected 4-dimensional weight for 4-dimensional input "
                    + str(input.shape().toArray()) + ", but got " + weight.dim() + "-dimensional weight of size "
                    + str(weight.shape().toArray()) + " instead");
        if (groups <= 0) throw new IllegalArgumentException("non-positive groups is not supported");
        stride = pairOf(stride, "stride");
        padding = pairOf(padding, "padding");
        dilation = pairOf(dilation, "dilation");
        for (int i = 0; i < 2; i++) {
            if (stride[i] <= 0) throw new IllegalArgumentException("non-positive stride is not supported");
            if (padding[i] < 0) throw new IllegalArgumentException("negative padding is not supported");
            if (dilation[i] <= 0) throw new IllegalArgumentException("dilation should be greater than zero");
        }
        boolean batched = input.dim() == 4;
        Tensor x = batched ? input : input.unsqueeze(0);
        long n = x.size(0), cin = x.size(1), h = x.size(2), w = x.size(3);
        long cout = weight.size(0), cg = weight.size(1), kh = weight.size(2), kw = weight.size(3);
        if (cin != cg * groups)
            throw new IllegalArgumentException("Given groups=" + groups + ", weight of size " + str(weight.shape().toArray())
                    + ", expected input" + str(x.shape().toArray()) + " to have " + (cg * groups) + " channels, but got " + cin
                    + " channels instead");
        if (cout % groups != 0)
            throw new IllegalArgumentException("Given groups=" + groups + ", expected weight to be divisible by " + groups
                    + " at dimension 0, but got weight of size " + str(weight.shape().toArray()) + " instead");
        if (bias != null && (bias.dim() != 1 || bias.size(0) != cout))
            throw new IllegalArgumentException("Given weight of size " + str(weight.shape().toArray()) + ", expected bias to be "
                    + "1-dimensional with " + cout + " elements, but got bias of size " + str(bias.shape().toArray()) + " instead");
        long ph = h + 2L * padding[0], pw = w + 2L * padding[1];
        long ekh = (long) dilation[0] * (kh - 1) + 1, ekw = (long) dilation[1] * (kw - 1) + 1;
        if (ph < ekh || pw < ekw)
            throw new IllegalArgumentException("Calculated padded input size per channel: (" + ph + " x " + pw + "). Kernel size: ("
                    + ekh + " x " + ekw + "). Kernel size can't be greater than actual input size");
        if (input.dtype() != weight.dtype())
            throw new IllegalArgumentException("Input type (" + input.legacyTypeName() + ") and weight type ("
                    + weight.legacyTypeName() + ") should be the same");
        Tensor out = Torch.convolution(x, weight, bias, stride, padding, dilation, false, new int[] {0, 0}, groups);
        return batched ? out : out.squeeze(0);
    }

    /**
     * The convolution as it was composed before the op existed: {@code unfold} (im2col) +
     * {@code matmul} per group + reshape + a broadcast bias {@code add}, differentiated by the
     * engine. The reference the op's kernels are tested against; batched (N, C, H, W) input, checks
     * done by the caller.
     */
    static Tensor conv2dReference(Tensor x, Tensor weight, Tensor bias, int[] stride, int[] padding, int[] dilation, int groups) {
        long n = x.size(0), h = x.size(2), w = x.size(3);
        long cout = weight.size(0), cg = weight.size(1), kh = weight.size(2), kw = weight.size(3);
        int[] k = {(int) kh, (int) kw};
        Tensor cols = Unfold.unfold(x, k, dilation, padding, stride);          // (N, C_in*kh*kw, L)
        long oh = Unfold.blocks((int) h, k[0], dilation[0], padding[0], stride[0]);
        long ow = Unfold.blocks((int) w, k[1], dilation[1], padding[1], stride[1]);
        long kg = cg * kh * kw, l = oh * ow;
        // One product per group: (g, C_out/g, K) @ (N, g, K, L) -> (N, g, C_out/g, L).
        Tensor out = weight.reshape(groups, cout / groups, kg).matmul(cols.view(n, groups, kg, l));
        out = out.reshape(n, cout, oh, ow);
        if (bias != null) out = out.add(bias.view(1, cout, 1, 1));
        return out;
    }

    /** {@code F.conv2d} with {@code padding="same"} or {@code "valid"}. */
    public static Tensor conv2d(Tensor input, Tensor weight, Tensor bias, int[] stride, String padding, int[] dilation, int groups) {
        jtorch.ops.Args.notNull("conv2d", "input", input);
        jtorch.ops.Args.notNull("conv2d", "weight", weight);
        jtorch.ops.Args.notNull("conv2d", "padding", padding);
        if (padding.equals("valid") || weight.dim() != 4) // a bad weight: conv2d's own message
            return conv2d(input, weight, bias, stride, new int[] {0, 0}, dilation, groups);
        if (!padding.equals("same"))
            throw new IllegalArgumentException("Invalid padding string '" + padding + "', should be one of {'valid', 'same'}");
        stride = pairOf(stride, "stride");
        dilation = pairOf(dilation, "dilation");
        if (stride[0] != 1 || stride[1] != 1)
            throw new IllegalArgumentException("padding='same' is not supported for strided convolutions");
        int[] sym = new int[2];
        int[] pads = new int[4]; // F.pad order: left, right, top, bottom
        boolean asymmetric = false;
        for (int i = 0; i < 2; i++) {
            int total = dilation[i] * ((int) weight.size(2 + i) - 1);
            int left = total / 2;
            sym[i] = left;
            pads[(1 - i) * 2] = 0;
            pads[(1 - i) * 2 + 1] = total - 2 * left;
            if (total % 2 != 0) asymmetric = true;
        }
        Tensor x = asymmetric ? pad(input, pads, "constant", 0) : input;
        return conv2d(x, weight, bias, stride, sym, dilation, groups);
    }

    /** {@code F.conv1d}: (N, C_in, L) or (C_in, L) with weight (C_out, C_in/groups, k). */
    public static Tensor conv1d(Tensor input, Tensor weight, Tensor bias, int stride, int padding, int dilation, int groups) {
        checkConv1d(input, weight);
        boolean batched = input.dim() == 3;
        Tensor x = batched ? input : input.unsqueeze(0);
        Tensor out = Torch.convolution(x, weight, bias, new int[] {stride}, new int[] {padding}, new int[] {dilation}, false,
                new int[] {0}, groups);
        return batched ? out : out.squeeze(0);
    }

    private static void checkConv1d(Tensor input, Tensor weight) {
        jtorch.ops.Args.notNull("conv1d", "input", input);
        jtorch.ops.Args.notNull("conv1d", "weight", weight);
        if (input.dim() != 2 && input.dim() != 3)
            throw new IllegalArgumentException("Expected 2D (unbatched) or 3D (batched) input to conv1d, but got input of size: "
                    + str(input.shape().toArray()));
        if (weight.dim() != 3)
            throw new IllegalArgumentException("Expected 3-dimensional weight for 3-dimensional input "
                    + str(input.shape().toArray()) + ", but got " + weight.dim() + "-dimensional weight of size "
                    + str(weight.shape().toArray()) + " instead");
    }

    /** {@code F.conv1d} with {@code padding="same"} or {@code "valid"}. */
    public static Tensor conv1d(Tensor input, Tensor weight, Tensor bias, int stride, String padding, int dilation, int groups) {
        jtorch.ops.Args.notNull("conv1d", "padding", padding);
        checkConv1d(input, weight);
        if (padding.equals("valid")) return conv1d(input, weight, bias, stride, 0, dilation, groups);
        if (!padding.equals("same"))
            throw new IllegalArgumentException("Invalid padding string '" + padding + "', should be one of {'valid', 'same'}");
        if (stride != 1) throw new IllegalArgumentException("padding='same' is not supported for strided convolutions");
        // PyTorch's _convolution_mode: the symmetric part as padding, the odd one on the right by F.pad.
        int total = dilation * ((int) weight.size(2) - 1), left = total / 2;
        Tensor x = total % 2 != 0 ? pad(input, new int[] {0, total - 2 * left}, "constant", 0) : input;
        return conv1d(x, weight, bias, 1, left, dilation, groups);
    }

    /**
     * {@code F.conv_transpose2d(input, weight, bias, stride, padding, output_padding, groups,
     * dilation)} in PyTorch's positional order: {@code input} (N, C_in, H, W) or unbatched
     * (C_in, H, W), {@code weight} (C_in, C_out/groups, kh, kw), {@code bias} (C_out) or null.
     * The output is {@code (H - 1) * stride - 2 * padding + dilation * (kh - 1) + output_padding + 1}
     * high (likewise wide).
     */
    public static Tensor convTranspose2d(Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padding, int[] outputPadding,
                                         int groups, int[] dilation) {
        jtorch.ops.Args.notNull("conv_transpose2d", "input", input);
        jtorch.ops.Args.notNull("conv_transpose2d", "weight", weight);
        if (input.dim() != 3 && input.dim() != 4)
            throw new IllegalArgumentException("Expected 3D (unbatched) or 4D (batched) input to conv_transpose2d, but got input of size: "
                    + str(input.shape().toArray()));
        boolean batched = input.dim() == 4;
        Tensor x = batched ? input : input.unsqueeze(0);
        Tensor out = Torch.convolution(x, weight, bias, stride, padding, dilation, true, outputPadding, groups);
        return batched ? out : out.squeeze(0);
    }

    /** {@code F.conv_transpose1d(input, weight, bias, stride, padding, output_padding, groups, dilation)}: (N, C_in, L) or (C_in, L), weight (C_in, C_out/groups, k). */
    public static Tensor convTranspose1d(Tensor input, Tensor weight, Tensor bias, int stride, int padding, int outputPadding,
                                         int groups, int dilation) {
        jtorch.ops.Args.notNull("conv_transpose1d", "input", input);
        jtorch.ops.Args.notNull("conv_transpose1d", "weight", weight);
        if (input.dim() != 2 && input.dim() != 3)
            throw new IllegalArgumentException("Expected 2D (unbatched) or 3D (batched) input to conv_transpose1d, but got input of size: "
                    + str(input.shape().toArray()));
        boolean batched = input.dim() == 3;
        Tensor x = batched ? input : input.unsqueeze(0);
        Tensor out = Torch.convolution(x, weight, bias, new int[] {stride}, new int[] {padding}, new int[] {dilation}, true,
                new int[] {outputPadding}, groups);
        return batched ? out : out.squeeze(0);
    }

    /**
     * {@code F.pad(input, pad, mode, value)}: {@code pad} lists (before, after) pairs starting from the
     * last dim. Modes {@code constant} (negative pads crop), {@code reflect}, {@code replicate},
     * {@code circular}; the last three gather with index tensors, so they are differentiable.
     */
    public static Tensor pad(Tensor input, int[] pad, String mode, double value) {
        PadChecks.check(input, pad, mode, value);
        Tensor x = input;
        if (mode.equals("constant")) {
            // Crop first (negative pads), then place into a filled tensor.
            long[] shape = x.shape().toArray();
            for (int i = 0; i < pad.length / 2; i++) {
                int d = x.dim() - 1 - i;
                int before = pad[2 * i], after = pad[2 * i + 1];
                long size = x.size(d);
                long start = before < 0 ? -before : 0, stop = after < 0 ? size + after : size;
                if (stop - start + Math.max(before, 0) + Math.max(after, 0) < 0)
                    throw new IllegalArgumentException("The input size " + size + ", plus negative padding " + before + " and "
                            + after + " resulted in a negative output size, which is invalid. Check dimension " + d + " of your input.");
                if (start != 0 || stop != size) x = x.narrow(d, start, stop - start);
                shape[d] = (stop - start) + Math.max(before, 0) + Math.max(after, 0);
            }
            Tensor out = Torch.full(shape, value, x.dtype());
            Tensor region = out;
            for (int i = 0; i < pad.length / 2; i++) {
                int d = x.dim() - 1 - i;
                region = region.narrow(d, Math.max(pad[2 * i], 0), x.size(d));
            }
            region.copy_(x);
            return out;
        }
        if (!mode.equals("reflect") && !mode.equals("replicate") && !mode.equals("circular"))
            throw new IllegalArgumentException("Unrecognised padding mode " + mode);
        for (int i = 0; i < pad.length / 2; i++) {
            int d = x.dim() - 1 - i;
            int before = pad[2 * i], after = pad[2 * i + 1];
            int size = (int) x.size(d);
            if (mode.equals("reflect") && (before >= size || after >= size))
                throw new IllegalArgumentException("Argument #4: Padding size should be less than the corresponding input dimension, "
                        + "but got: padding (" + before + ", " + after + ") at dimension " + d + " of input " + str(input.shape().toArray()));
            if (mode.equals("circular") && (before > size || after > size))
                throw new IllegalArgumentException("Padding value causes wrapping around more than once.");
            long[] idx = new long[size + before + after];
            for (int j = 0; j < idx.length; j++) {
                int p = j - before;
                switch (mode) {
                    case "reflect": idx[j] = p < 0 ? -p : p >= size ? 2L * (size - 1) - p : p; break;
                    case "replicate": idx[j] = Math.min(Math.max(p, 0), size - 1); break;
                    default: idx[j] = Math.floorMod(p, size);
                }
            }
            x = x.indexSelect(d, Torch.tensor(idx));
        }
        return x;
    }

    /** A 2-D per-dim argument: two values, or one for both. */
    static int[] pairOf(int[] v, String name) {
        if (v != null && v.length == 2) return v;
        if (v != null && v.length == 1) return new int[] {v[0], v[0]};
        throw new IllegalArgumentException("expected " + name + " to be a single integer value or a list of 2 values to match the "
                + "convolution dimensions, but got " + name + "=" + (v == null ? "None" : Arrays.toString(v)));
    }

    /** Checks a dtype the conv ops accept. */
    static void checkFloating(Tensor t, String op) {
        if (t.dtype() != DType.FLOAT32 && t.dtype() != DType.FLOAT64)
            throw new IllegalArgumentException(op + ": expected a floating point input, got " + t.dtype());
    }
}
