package jtorch.ops;

import jtorch.DType;
import jtorch.Tensor;
import jtorch.autograd.Autograd;
import jtorch.internal.TensorInternals;
import jtorch.kernels.AdaptivePool2d;
import jtorch.kernels.Pool2d;

import static jtorch.autograd.Autograd.of;
import static jtorch.autograd.Autograd.record;
import static jtorch.internal.TensorInternals.strided;

/**
 * 2-D max and average pooling over (N, C, H, W): forward and backward kernels of their own, as in
 * PyTorch ({@code MaxPool2DWithIndicesBackward0}, {@code AvgPool2DBackward0}). Argument checks and
 * output sizes (ceil_mode) are {@code nn.functional}'s; this layer takes the resolved geometry.
 *
 * <pre>{@code
 * Pool2d.Geometry g = new Pool2d.Geometry(28, 28, 2, 2, 2, 2, 0, 0, 1, 1, 14, 14);
 * Tensor[] valuesAndIndices = Pool.maxPool2d(x, g);   // x (N, C, 28, 28) -> (N, C, 14, 14) twice
 * }</pre>
 */
public final class Pool {
    private Pool() {}

    private static int[] outShape(Tensor x, Pool2d.Geometry g) {
        int[] s = TensorInternals.sizes(x);
        return new int[] {s[0], s[1], g.outH, g.outW};
    }

    /** Max pooling of a floating (N, C, H, W) tensor: values and their flat positions in each (H, W) plane. */
    public static Tensor[] maxPool2d(Tensor x, Pool2d.Geometry g) {
        Tensor in = Raw.contiguous(x);
        int[] shape = outShape(x, g);
        int planes = shape[0] * shape[1];
        Tensor values = TensorInternals.allocate(x.dtype(), shape), indices = TensorInternals.allocate(DType.INT64, shape);
        Pool2d.maxForward(strided(in), strided(values), strided(indices), planes, g);
        int[] inShape = TensorInternals.sizes(x);
        values = record(values, "MaxPool2DWithIndicesBackward0", of(x), of(indices), (grad, c) -> {
            Tensor idx = c.saved(0);
            // Linear in grad; its transpose (for create_graph) reads each window's max position back out.
            return new Tensor[] {Autograd.linear(grad, "MaxPool2DWithIndicesBackwardBackward0", gr -> {
                Tensor gradInput = TensorInternals.allocate(gr.dtype(), inShape);
                Pool2d.maxBackward(strided(Raw.contiguous(gr)), strided(idx), strided(gradInput), planes, g);
                return gradInput;
            }, "MaxPool2DWithIndicesBackward0", gg -> gg.reshape(inShape[0], inShape[1], (long) inShape[2] * inShape[3])
                    .gather(2, idx.reshape(shape[0], shape[1], (long) shape[2] * shape[3])).reshape(Shapes.toLongs(shape)))};
        });
        return new Tensor[] {values, indices};
    }

    /** Average pooling of a floating (N, C, H, W) tensor (see {@link Pool2d#avgDivisors} for the divisors). */
    public static Tensor avgPool2d(Tensor x, Pool2d.Geometry g, boolean countIncludePad, int divisorOverride) {
        Tensor in = Raw.contiguous(x);
        int[] shape = outShape(x, g);
        int planes = shape[0] * shape[1];
        int[] divisors = Pool2d.avgDivisors(g, countIncludePad, divisorOverride);
        Tensor out = TensorInternals.allocate(x.dtype(), shape);
        Pool2d.avgForward(strided(in), strided(out), planes, g, divisors);
        int[] inShape = TensorInternals.sizes(x);
        return record(out, "AvgPool2DBackward0", of(x), of(), (grad, c) -> new Tensor[] {
            // Linear in grad; its transpose (for create_graph) is the pooling itself.
            Autograd.linear(grad, "AvgPool2DBackwardBackward0", gr -> {
                Tensor gradInput = TensorInternals.allocate(gr.dtype(), inShape);
                Pool2d.avgBackward(strided(Raw.contiguous(gr)), strided(gradInput), planes, g, divisors);
                return gradInput;
            }, "AvgPool2DBackward0", gg -> {
                Tensor pooled = TensorInternals.allocate(gg.dtype(), shape);
                Pool2d.avgForward(strided(Raw.contiguous(gg)), strided(pooled), planes, g, divisors);
                return pooled;
            })});
    }

    /**
     * Adaptive average pooling of a floating (N, C, H, W) tensor to (N, C, oh, ow), each output the
     * mean of its own window only (see {@link AdaptivePool2d}). The backward is an op of its own
     * whose backward is this one (the gradient map is linear), so gradients of gradients work.
     */
    public static Tensor adaptiveAvgPool2d(Tensor x, int oh, int ow) {
        int[] s = TensorInternals.sizes(x);
        int planes = s[0] * s[1], h = s[2], w = s[3];
        Tensor out = TensorInternals.allocate(x.dtype(), new int[] {s[0], s[1], oh, ow});
        AdaptivePool2d.forward(strided(Raw.contiguous(x)), strided(out), planes, h, w, oh, ow);
        int[] inShape = s.clone();
        return record(out, "AdaptiveAvgPool2DBackward0", of(x), of(), (grad, c) ->
                new Tensor[] {adaptiveAvgPool2dBackward(grad, inShape)});
    }

    private static Tensor adaptiveAvgPool2dBackward(Tensor grad, int[] inShape) {
        int[] gs = TensorInternals.sizes(grad);
        Tensor gradInput = TensorInternals.allocate(grad.dtype(), inShape);
        AdaptivePool2d.backward(strided(Raw.contiguous(grad)), strided(gradInput), inShape[0] * inShape[1], inShape[2], inShape[3], gs[2], gs[3]);
        return record(gradInput, "AdaptiveAvgPool2DBackwardBackward0", of(grad), of(), (gg, c) ->
                new Tensor[] {adaptiveAvgPool2d(gg, gs[2], gs[3])});
    }
}
