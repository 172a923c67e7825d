package jtorch.ops;

import jtorch.Tensor;
import jtorch.internal.TensorInternals;
import jtorch.kernels.ConvKernels;

import static jtorch.autograd.Autograd.of;
import static jtorch.autograd.Autograd.record;
import static jtorch.internal.TensorInternals.strided;

/**
 * {@code torch.convolution}: 1-D and 2-D convolution and transposed convolution of batched input,
 * float32 or float64, with stride, padding, dilation, output padding and groups: the argument
 * checks, the shape rule, the forward (on {@link ConvKernels}) and the derivative rule, here in
 * one place. The derivative rule is written in differentiable ops, so second derivatives exist:
 *
 * <ul>
 * <li>{@code convolution(x, w)}: dx = the transposed convolution of the gradient with w (with the
 * output padding that gives x's size back), dw = {@link #convolutionBackwardWeight}(x, grad), db =
 * the gradient summed over N and the spatial dims;
 * <li>the transposed convolution: dx = the convolution of the gradient with w, dw =
 * {@link #convolutionBackwardWeight}(grad, x) (the roles of image and gradient swapped);
 * <li>{@link #convolutionBackwardWeight} is its own recorded op, bilinear in its two inputs: its
 * gradients are a transposed convolution and a convolution with the incoming weight gradient.
 * </ul>
 *
 * <pre>{@code
 * Tensor y = Convolution.convolution(x, w, b, new int[] {1, 1}, new int[] {1, 1}, new int[] {1, 1},
 *         false, new int[] {0, 0}, 1);                  // F.conv2d(x, w, b, padding=1)
 * y.gradFn().name();                                    // "ConvolutionBackward0"
 * }</pre>
 */
public final class Convolution {
    private Convolution() {}

    /** The largest element count of one tensor (a Java array's bound). */
    private static final long MAX_NUMEL = Integer.MAX_VALUE - 8;

    private static String str(int[] s) { return Shapes.str(s); }

    /** Spatial values joined as PyTorch prints them per channel: {@code (4 x 4)} or {@code (4)}. */
    private static String perChannel(long[] v) {
        StringBuilder b = new StringBuilder("(");
        for (int i = 0; i < v.length; i++) b.append(i == 0 ? "" : " x ").append(v[i]);
        return b.append(')').toString();
    }

    /** A per-dim argument of length 1 (repeated) or {@code dims}, with PyTorch's message otherwise. */
    private static int[] expandParam(int[] v, String name, int dims) {
        if (v == null) throw new IllegalArgumentException(name + " must not be null");
        if (v.length == dims) return v.clone();
        if (v.length == 1) {
            int[] r = new int[dims];
            java.util.Arrays.fill(r, v[0]);
            return r;
        }
        throw new IllegalArgumentException("expected " + name + " to be a single integer value or a list of " + dims
                + " values to match the convolution dimensions, but got " + name + "=" + str(v));
    }

    /** The resolved arguments of one call: per-dim parameters and the spatial sizes of input, weight and output. */
    private static final class Params {
        int dims, groups;
        int[] stride, padding, dilation, outputPadding, kernel, inSize, outSize;
        boolean transposed;
    }

    private static void checkDtypes(Tensor input, Tensor weight, Tensor bias, String op) {
        if (!input.isFloatingPoint())
            throw new IllegalArgumentException("\"" + op + "\" not implemented for '" + input.dtype().scalarTypeName() + "'");
        if (input.dtype() != weight.dtype())
            throw new IllegalArgumentException("Input type (" + input.legacyTypeName() + ") and weight type ("
                    + weight.legacyTypeName() + ") should be the same");
        if (bias != null && bias.dtype() != input.dtype())
            throw new IllegalArgumentException("Input type (" + input.legacyTypeName() + ") and bias type ("
                    + bias.legacyTypeName() + ") should be the same");
    }

    private static Params check(Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padding, int[] dilation,
                                boolean transposed, int[] outputPadding, int groups) {
        Args.notNull("convolution", "input", input);
        Args.notNull("convolution", "weight", weight);
        int nd = input.dim();
        if (nd != 3 && nd != 4)
            throw new IllegalArgumentException("convolution: expected a 3-D (N, C, L) or 4-D (N, C, H, W) input, but got input of size: "
                    + str(TensorInternals.sizes(input)));
        if (weight.dim() != nd)
            throw new IllegalArgumentException("Expected " + nd + "-dimensional weight for " + nd + "-dimensional input "
                    + str(TensorInternals.sizes(input)) + ", but got " + weight.dim() + "-dimensional weight of size "
                    + str(TensorInternals.sizes(weight)) + " instead");
        Params p = new Params();
        p.dims = nd - 2;
        p.transposed = transposed;
        p.groups = groups;
        p.stride = expandParam(stride, "stride", p.dims);
        p.padding = expandParam(padding, "padding", p.dims);
        p.dilation = expandParam(dilation, "dilation", p.dims);
        p.outputPadding = expandParam(outputPadding == null ? new int[] {0} : outputPadding, "output_padding", p.dims);
        for (int i = 0; i < p.dims; i++) {
            if (p.stride[i] <= 0) throw new IllegalArgumentException("non-positive stride is not supported");
            if (p.padding[i] < 0) throw new IllegalArgumentException("negative padding is not supported");
            if (p.outputPadding[i] < 0) throw new IllegalArgumentException("negative output_padding is not supported");
            if (p.dilation[i] <= 0) throw new IllegalArgumentException("dilation should be greater than zero");
        }
        if (groups <= 0) throw new IllegalArgumentException("non-positive groups is not supported");
        checkDtypes(input, weight, bias, transposed ? "slow_conv_transpose2d_out_cpu" : "slow_conv2d_cpu");
        int[] xs = TensorInternals.sizes(input), ws = TensorInternals.sizes(weight);
        String weightStr = str(ws);
        if (ws[0] % groups != 0 && !transposed)
            throw new IllegalArgumentException("Given groups=" + groups + ", expected weight to be divisible by " + groups
                    + " at dimension 0, but got weight of size " + weightStr + " instead");
        long expectedChannels = transposed ? ws[0] : (long) ws[1] * groups;
        if (xs[1] != expectedChannels)
            throw new IllegalArgumentException("Given " + (transposed ? "transposed=1" : "groups=" + groups) + ", weight of size "
                    + weightStr + ", expected input" + str(xs) + " to have " + expectedChannels + " channels, but got " + xs[1]
                    + " channels instead");
        if (transposed && ws[0] % groups != 0)
            throw new IllegalArgumentException("Given groups=" + groups + ", expected weight to be divisible by " + groups
                    + " at dimension 0, but got weight of size " + weightStr + " instead");
        long outChannels = transposed ? (long) ws[1] * groups : ws[0];
        if (bias != null && (bias.dim() != 1 || TensorInternals.sizes(bias)[0] != outChannels))
            throw new IllegalArgumentException("Given " + (transposed ? "transposed=1, " : "") + "weight of size " + weightStr
                    + ", expected bias to be 1-dimensional with " + outChannels + " elements, but got bias of size "
                    + str(TensorInternals.sizes(bias)) + " instead");
        if (outChannels > Integer.MAX_VALUE) throw new IllegalArgumentException("convolution: " + outChannels + " output channels are too many");
        p.kernel = new int[p.dims];
        p.inSize = new int[p.dims];
        p.outSize = new int[p.dims];
        long[] out = new long[p.dims], padded = new long[p.dims], kernelExtent = new long[p.dims], in = new long[p.dims];
        boolean small = false;
        for (int i = 0; i < p.dims; i++) {
            p.kernel[i] = ws[2 + i];
            p.inSize[i] = xs[2 + i];
            in[i] = xs[2 + i];
            kernelExtent[i] = (long) p.dilation[i] * (p.kernel[i] - 1) + 1;
            if (transposed) {
                out[i] = (in[i] - 1) * p.stride[i] - 2L * p.padding[i] + kernelExtent[i] + p.outputPadding[i];
                small |= out[i] <= 0;
            } else {
                padded[i] = in[i] + 2L * p.padding[i];
                small |= padded[i] < kernelExtent[i];
                out[i] = small ? 0 : (padded[i] - kernelExtent[i]) / p.stride[i] + 1;
            }
        }
        if (transposed) {
            boolean bad = false;
            for (int i = 0; i < p.dims; i++)
                bad |= p.outputPadding[i] >= p.stride[i] && p.outputPadding[i] >= p.dilation[i];
            if (bad) {
                StringBuilder m = new StringBuilder("output padding must be smaller than either stride or dilation, but got");
                String[] names = p.dims == 2 ? new String[] {"_height", "_width"} : new String[] {""};
                for (int i = 0; i < p.dims; i++) m.append(" output_padding").append(names[i]).append(": ").append(p.outputPadding[i]);
                for (int i = 0; i < p.dims; i++) m.append(" stride").append(names[i]).append(": ").append(p.stride[i]);
                for (int i = 0; i < p.dims; i++) m.append(" dilation").append(names[i]).append(": ").append(p.dilation[i]);
                throw new IllegalArgumentException(m.toString());
            }
            if (small)
                throw new IllegalArgumentException("Given input size per channel: " + perChannel(in) + ". Calculated output size per channel: "
                        + perChannel(out) + ". Output size is too small");
        } else if (small) {
            throw new IllegalArgumentException("Calculated padded input size per channel: " + perChannel(padded) + ". Kernel size: "
                    + perChannel(kernelExtent) + ". Kernel size can't be greater than actual input size");
        }
        long numel = (long) xs[0] * outChannels;
        for (int i = 0; i < p.dims; i++) numel = out[i] > MAX_NUMEL ? MAX_NUMEL + 1 : Math.min(MAX_NUMEL + 1, numel * out[i]);
        if (numel > MAX_NUMEL || (xs[0] * outChannels != 0 && overflows(out)))
            throw new IllegalArgumentException("convolution: the output of size " + outShapeString(xs[0], outChannels, out)
                    + " would have more elements than a tensor can hold (" + MAX_NUMEL + ")");
        for (int i = 0; i < p.dims; i++) p.outSize[i] = (int) out[i];
        // Inside the kernels an image index y = o * stride - padding + k * dilation lies in
        // [-padding, size + padding) and a tap offset k * dilation in [0, (kernel - 1) * dilation]:
        // both must be ints (the image being the output when transposed).
        for (int i = 0; i < p.dims; i++) checkIndexRange(transposed ? p.outSize[i] : p.inSize[i], p.padding[i], p.kernel[i], p.dilation[i], i);
        return p;
    }

    private static void checkIndexRange(long size, int padding, int kernel, int dilation, int i) {
        if (size + padding > Integer.MAX_VALUE || (long) dilation * (kernel - 1) > Integer.MAX_VALUE)
            throw new IllegalArgumentException("convolution: an image size of " + size + " with padding " + padding + ", kernel size "
                    + kernel + " and dilation " + dilation + " in dimension " + (2 + i) + " reaches positions beyond what an index "
                    + "can address (" + Integer.MAX_VALUE + ")");
    }

    private static boolean overflows(long[] out) {
        for (long o : out) if (o > Integer.MAX_VALUE) return true;
        return false;
    }

    private static String outShapeString(long n, long c, long[] out) {
        StringBuilder b = new StringBuilder("[").append(n).append(", ").append(c);
        for (long o : out) b.append(", ").append(o);
        return b.append(']').toString();
    }

    /** Kernel geometry in the forward sense (image {@code inSp} to {@code outSp}), 1-D as height 1. */
    private static ConvKernels.Geometry geometry(int batch, int inC, int[] inSp, int outC, int groups, int[] k, int[] s, int[] p,
                                                 int[] d, int[] outSp) {
        if (inSp.length == 1)
            return new ConvKernels.Geometry(batch, inC, 1, inSp[0], outC, groups, 1, k[0], 1, s[0], 0, p[0], 1, d[0], 1, outSp[0]);
        return new ConvKernels.Geometry(batch, inC, inSp[0], inSp[1], outC, groups, k[0], k[1], s[0], s[1], p[0], p[1], d[0], d[1],
                outSp[0], outSp[1]);
    }

    private static int[] shape(int n, int c, int[] spatial) {
        int[] r = new int[2 + spatial.length];
        r[0] = n;
        r[1] = c;
        System.arraycopy(spatial, 0, r, 2, spatial.length);
        return r;
    }

    /** Dims summed for the bias gradient: N and the spatial dims. */
    private static int[] biasDims(int dims) { return dims == 1 ? new int[] {0, 2} : new int[] {0, 2, 3}; }

    /** {@code t} cut to {@code spatial} along dims 2.. (differentiable; itself when already that size). */
    private static Tensor narrowTo(Tensor t, int[] spatial) {
        Tensor r = t;
        for (int i = 0; i < spatial.length; i++)
            if (r.size(2 + i) != spatial[i]) r = r.narrow(2 + i, 0, spatial[i]);
        return r;
    }

    /**
     * {@code torch.convolution(input, weight, bias, stride, padding, dilation, transposed,
     * output_padding, groups)} over batched input: (N, C_in, L) with weight (C_out, C_in/groups, k)
     * or (N, C_in, H, W) with weight (C_out, C_in/groups, kh, kw); transposed, the weight is
     * (C_in, C_out/groups, k...). Per-dim arguments have one value per spatial dim (or one for
     * all); {@code bias} may be null; {@code outputPadding} is used only when transposed.
     * {@code grad_fn} is {@code ConvolutionBackward0}.
     */
    public static Tensor convolution(Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padding, int[] dilation,
                                     boolean transposed, int[] outputPadding, int groups) {
        Params p = check(input, weight, bias, stride, padding, dilation, transposed, outputPadding, groups);
        int[] xs = TensorInternals.sizes(input), ws = TensorInternals.sizes(weight);
        int n = xs[0];
        Tensor w = Raw.contiguous(weight), b = bias == null ? null : Raw.contiguous(bias);
        Tensor out;
        if (!transposed) {
            out = TensorInternals.allocate(input.dtype(), shape(n, ws[0], p.outSize));
            ConvKernels.forward(strided(input), strided(w), strided(b), strided(out), geometry(n, xs[1], p.inSize, ws[0], groups, p.kernel, p.stride, p.padding,
                    p.dilation, p.outSize));
        } else {
            int outC = ws[1] * groups;
            out = TensorInternals.allocate(input.dtype(), shape(n, outC, p.outSize));
            ConvKernels.inputGrad(strided(Raw.contiguous(input)), strided(w), strided(out), geometry(n, outC, p.outSize, xs[1], groups, p.kernel, p.stride,
                    p.padding, p.dilation, p.inSize));
            if (b != null) ConvKernels.addChannelBias(strided(out), strided(b), n, outC);
        }
        int[] inSize = p.inSize, outSize = p.outSize, weightSize = ws.clone();
        int[] st = p.stride, pad = p.padding, dil = p.dilation;
        int dims = p.dims;
        return record(out, "ConvolutionBackward0", of(input, weight, bias), of(input, weight), (grad, ctx) -> {
            Tensor x = ctx.saved(0), wt = ctx.saved(1);
            Tensor gx = null, gw = null, gb = null;
            // One dense copy of a broadcast gradient (that of a sum) for both kernels, not one each.
            if (ctx.needsInputGrad(0) && ctx.needsInputGrad(1)) grad = grad.contiguous();
            if (!transposed) {
                if (ctx.needsInputGrad(0)) {
                    int[] op = new int[dims];
                    for (int i = 0; i < dims; i++)
                        op[i] = inSize[i] - ((outSize[i] - 1) * st[i] - 2 * pad[i] + dil[i] * (weightSize[2 + i] - 1) + 1);
                    gx = convolution(grad, wt, null, st, pad, dil, true, op, groups);
                }
                if (ctx.needsInputGrad(1)) gw = convolutionBackwardWeight(x, grad, weightSize, st, pad, dil, groups);
            } else {
                if (ctx.needsInputGrad(0))
                    gx = narrowTo(convolution(grad, wt, null, st, pad, dil, false, new int[] {0}, groups), inSize);
                if (ctx.needsInputGrad(1)) gw = convolutionBackwardWeight(grad, x, weightSize, st, pad, dil, groups);
            }
            if (ctx.needsInputGrad(2)) gb = grad.sum(biasDims(dims));
            return new Tensor[] {gx, gw, gb};
        });
    }

    /**
     * The weight gradient of {@code convolution(input, w)} (not transposed) for the output gradient
     * {@code gradOutput}: {@code sum_n gradOutput[n] (x) input[n]}, of size {@code weightSize}
     * (C_out, C_in/groups, k...). A differentiable op of both tensors (its backward is a transposed
     * convolution and a convolution with the incoming gradient), so the convolution's second
     * derivatives exist. {@code gradOutput}'s spatial size may be smaller than the convolution's
     * output (the transposed convolution's weight gradient with output padding): the missing
     * positions count as zeros.
     */
    public static Tensor convolutionBackwardWeight(Tensor input, Tensor gradOutput, int[] weightSize, int[] stride, int[] padding,
                                                   int[] dilation, int groups) {
        int nd = input.dim();
        if ((nd != 3 && nd != 4) || gradOutput.dim() != nd || weightSize.length != nd)
            throw new IllegalArgumentException("convolution_backward_weight: expected input, grad_output and weight size of the same "
                    + "rank 3 or 4, but got input of size " + str(TensorInternals.sizes(input)) + ", grad_output of size "
                    + str(TensorInternals.sizes(gradOutput)) + " and weight size " + str(weightSize));
        checkDtypes(input, gradOutput, null, "convolution_backward_weight");
        int dims = nd - 2;
        int[] s = expandParam(stride, "stride", dims), pd = expandParam(padding, "padding", dims), d = expandParam(dilation, "dilation", dims);
        int[] xs = TensorInternals.sizes(input), ys = TensorInternals.sizes(gradOutput);
        boolean ok = groups > 0 && xs[0] == ys[0] && ys[1] == weightSize[0] && weightSize[0] % groups == 0
                && (long) weightSize[1] * groups == xs[1];
        int[] k = new int[dims], inSp = new int[dims], outSp = new int[dims];
        for (int i = 0; ok && i < dims; i++) {
            ok = s[i] > 0 && pd[i] >= 0 && d[i] > 0 && weightSize[2 + i] > 0;
            k[i] = weightSize[2 + i];
            inSp[i] = xs[2 + i];
            outSp[i] = ys[2 + i];
            long natural = ((long) inSp[i] + 2L * pd[i] - (long) d[i] * (k[i] - 1) - 1) / s[i] + 1;
            // The output padding of the input gradient (a transposed convolution) must be one it accepts.
            long op = inSp[i] - ((long) (outSp[i] - 1) * s[i] - 2L * pd[i] + (long) d[i] * (k[i] - 1) + 1);
            ok &= outSp[i] >= 1 && outSp[i] <= natural && (long) inSp[i] + pd[i] <= Integer.MAX_VALUE
                    && (long) d[i] * (k[i] - 1) <= Integer.MAX_VALUE && op >= 0 && (op < s[i] || op < d[i]);
        }
        if (!ok)
            throw new IllegalArgumentException("convolution_backward_weight: grad_output of size " + str(ys) + " does not match a "
                    + "convolution of input of size " + str(xs) + " with weight of size " + str(weightSize) + ", stride " + str(s)
                    + ", padding " + str(pd) + ", dilation " + str(d) + ", groups " + groups);
        Tensor gw = TensorInternals.allocate(input.dtype(), weightSize.clone());
        ConvKernels.weightGrad(strided(input), strided(Raw.contiguous(gradOutput)), strided(gw), geometry(xs[0], xs[1], inSp, ys[1], groups, k, s, pd, d, outSp));
        return record(gw, "ConvolutionBackwardWeightBackward0", of(input, gradOutput), of(input, gradOutput), (grad, ctx) -> {
            Tensor x = ctx.saved(0), gy = ctx.saved(1);
            Tensor gx = null, ggy = null;
            if (ctx.needsInputGrad(0)) {
                int[] op = new int[dims];
                for (int i = 0; i < dims; i++) op[i] = inSp[i] - ((outSp[i] - 1) * s[i] - 2 * pd[i] + d[i] * (k[i] - 1) + 1);
                gx = convolution(gy, grad, null, s, pd, d, true, op, groups);
            }
            if (ctx.needsInputGrad(1)) ggy = narrowTo(convolution(x, grad, null, s, pd, d, false, new int[] {0}, groups), outSp);
            return new Tensor[] {gx, ggy};
        });
    }
}
