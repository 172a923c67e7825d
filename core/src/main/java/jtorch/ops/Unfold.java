package jtorch.ops;

import jtorch.Tensor;
import jtorch.internal.TensorInternals;
import jtorch.kernels.Im2Col;

import static jtorch.autograd.Autograd.of;
import static jtorch.autograd.Autograd.record;
import static jtorch.internal.TensorInternals.strided;

/**
 * {@code F.unfold} (im2col) and {@code F.fold} (col2im): each is the other's backward, so a
 * convolution composed of unfold, matmul, reshape and add gets all of its gradients from the
 * generic engine.
 *
 * <pre>{@code
 * Tensor cols = Unfold.unfold(x, new int[] {3, 3}, new int[] {1, 1}, new int[] {1, 1}, new int[] {1, 1});
 * // x (N, C, H, W) -> cols (N, C*9, H*W)
 * }</pre>
 */
public final class Unfold {
    private Unfold() {}

    private static void checkParams(int[] k, int[] d, int[] p, int[] s) {
        if (k[0] <= 0 || k[1] <= 0)
            throw new IllegalArgumentException("kernel size should be greater than zero, but got kH: " + k[0] + " kW: " + k[1]);
        if (s[0] <= 0 || s[1] <= 0)
            throw new IllegalArgumentException("stride should be greater than zero, but got dH: " + s[0] + " dW: " + s[1]);
        if (d[0] <= 0 || d[1] <= 0)
            throw new IllegalArgumentException("dilation should be greater than zero, but got dilationH: " + d[0]
                    + " dilationW: " + d[1]);
        if (p[0] < 0 || p[1] < 0)
            throw new IllegalArgumentException("padding should be non-negative, but got padH: " + p[0] + " padW: " + p[1]);
    }

    /** Number of window positions along one dim: floor((size + 2p - d(k-1) - 1) / s) + 1. */
    public static int blocks(int size, int k, int d, int p, int s) {
        long n = Math.floorDiv((long) size + 2L * p - (long) d * (k - 1) - 1, (long) s) + 1;
        return (int) Math.max(Math.min(n, Integer.MAX_VALUE), Integer.MIN_VALUE); // the callers refuse both ends
    }

    /** The length rules (exactly two ints each) and window bounds of unfold and fold, with PyTorch's messages. */
    private static void checkArgs(String op, Tensor input, int[] k, int[] d, int[] p, int[] s) {
        Args.notNull(op, "input", input);
        Args.exactlyTwo(op, "kernel_size", k);
        Args.exactlyTwo(op, "dilation", d);
        Args.exactlyTwo(op, "padding", p);
        Args.exactlyTwo(op, "stride", s);
        checkParams(k, d, p, s);
    }

    private static void checkFloat(Tensor t, String kernel) {
        if (!t.isFloatingPoint())
            throw new IllegalArgumentException("\"" + kernel + "\" not implemented for '" + t.dtype().scalarTypeName() + "'");
    }

    private static String pair(int[] v) { return "(" + v[0] + ", " + v[1] + ")"; }

    /** (N, C, H, W) or unbatched (C, H, W) into (N, C*kh*kw, L) or (C*kh*kw, L). Backward: fold. */
    public static Tensor unfold(Tensor input, int[] kernel, int[] dilation, int[] padding, int[] stride) {
        checkArgs("unfold", input, kernel, dilation, padding, stride);
        int nd = input.dim();
        boolean ok = (nd == 3 || nd == 4);
        for (int i = nd == 4 ? 1 : 0; ok && i < nd; i++) ok = TensorInternals.sizes(input)[i] > 0;
        if (!ok)
            throw new IllegalArgumentException("Expected 3D or 4D (batch mode) tensor input with possibly 0 batch size and "
                    + "non-zero dimensions for input, but got: " + Shapes.str(TensorInternals.sizes(input)));
        checkFloat(input, "im2col_out_cpu");
        boolean batched = nd == 4;
        int[] s = TensorInternals.sizes(input);
        int n = batched ? s[0] : 1, c = s[nd - 3], h = s[nd - 2], w = s[nd - 1];
        int oh = blocks(h, kernel[0], dilation[0], padding[0], stride[0]);
        int ow = blocks(w, kernel[1], dilation[1], padding[1], stride[1]);
        if (oh < 1 || ow < 1)
            throw new IllegalArgumentException("Given input with spatial size (" + h + ", " + w + "), kernel_size=" + pair(kernel)
                    + ", dilation=" + pair(dilation) + ", padding=" + pair(padding) + ", calculated shape of the array of sliding "
                    + "blocks as (" + oh + ", " + ow + "), but its components must be at least one.");
        Args.checkWindow("unfold", "height", h, kernel[0], dilation[0], padding[0]);
        Args.checkWindow("unfold", "width", w, kernel[1], dilation[1], padding[1]);
        Args.checkNumel("unfold", n, (long) c * kernel[0] * kernel[1], (long) oh * ow);
        Im2Col.Geometry g = new Im2Col.Geometry(c, h, w, kernel[0], kernel[1], dilation[0], dilation[1], padding[0], padding[1],
                stride[0], stride[1], oh, ow);
        Tensor out = TensorInternals.allocate(input.dtype(), batched ? new int[] {n, g.colRows(), g.blocks()} : new int[] {g.colRows(), g.blocks()});
        Im2Col.im2col(strided(Raw.contiguous(input)), strided(out), n, g);
        int[] outputSize = {h, w};
        return record(out, "Im2ColBackward0", of(input), of(), (grad, ctx) ->
                new Tensor[] {fold(grad, outputSize, kernel, dilation, padding, stride)});
    }

    /** (N, C*kh*kw, L) or (C*kh*kw, L) summed back into (N, C, H, W) or (C, H, W). Backward: unfold. */
    public static Tensor fold(Tensor input, int[] outputSize, int[] kernel, int[] dilation, int[] padding, int[] stride) {
        checkArgs("fold", input, kernel, dilation, padding, stride);
        Args.exactlyTwo("fold", "output_size", outputSize);
        int nd = input.dim();
        boolean ok = (nd == 2 || nd == 3);
        for (int i = nd == 3 ? 1 : 0; ok && i < nd; i++) ok = TensorInternals.sizes(input)[i] > 0;
        if (!ok)
            throw new IllegalArgumentException("Expected 2D or 3D (batch mode) tensor for input with possibly 0 batch size and "
                    + "non-zero dimensions for input, but got: " + Shapes.str(TensorInternals.sizes(input)));
        checkFloat(input, "col2im_out_cpu");
        if (outputSize[0] <= 0 || outputSize[1] <= 0)
            throw new IllegalArgumentException("output size should be greater than zero, but got outputHeight: " + outputSize[0]
                    + " outputWidth: " + outputSize[1]);
        boolean batched = nd == 3;
        int[] s = TensorInternals.sizes(input);
        int n = batched ? s[0] : 1, rows = s[nd - 2], l = s[nd - 1];
        long kk = (long) kernel[0] * kernel[1];
        if (rows % kk != 0)
            throw new IllegalArgumentException("Expected size of input's dimension " + (nd - 2) + " to be divisible by the product "
                    + "of kernel_size, but got input.size(" + (nd - 2) + ")=" + rows + " and kernel_size=" + pair(kernel) + ".");
        int oh = blocks(outputSize[0], kernel[0], dilation[0], padding[0], stride[0]);
        int ow = blocks(outputSize[1], kernel[1], dilation[1], padding[1], stride[1]);
        if (oh < 1 || ow < 1 || (long) oh * ow != l)
            throw new IllegalArgumentException("Given output_size=" + pair(outputSize) + ", kernel_size=" + pair(kernel)
                    + ", dilation=" + pair(dilation) + ", padding=" + pair(padding) + ", stride=" + pair(stride)
                    + ", expected size of input's dimension " + (nd - 1) + " to match the calculated number of sliding blocks "
                    + oh + " * " + ow + " = " + ((long) oh * ow) + ", but got input.size(" + (nd - 1) + ")=" + l + ".");
        int c = (int) (rows / kk);
        Args.checkWindow("fold", "height", outputSize[0], kernel[0], dilation[0], padding[0]);
        Args.checkWindow("fold", "width", outputSize[1], kernel[1], dilation[1], padding[1]);
        Args.checkNumel("fold", n, c, outputSize[0], outputSize[1]);
        Im2Col.Geometry g = new Im2Col.Geometry(c, outputSize[0], outputSize[1], kernel[0], kernel[1], dilation[0], dilation[1],
                padding[0], padding[1], stride[0], stride[1], oh, ow);
        Tensor out = TensorInternals.allocate(input.dtype(), batched ? new int[] {n, c, outputSize[0], outputSize[1]}
                : new int[] {c, outputSize[0], outputSize[1]});
        Im2Col.col2im(strided(Raw.contiguous(input)), strided(out), n, g);
        return record(out, "Col2ImBackward0", of(input), of(), (grad, ctx) ->
                new Tensor[] {unfold(grad, kernel, dilation, padding, stride)});
    }
}
