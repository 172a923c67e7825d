package jtorch.ops;

import jtorch.DType;
import jtorch.Tensor;
import jtorch.autograd.Autograd;
import jtorch.internal.TensorInternals;
import jtorch.kernels.Softmax;
import jtorch.kernels.Reduce;
import jtorch.kernels.ReduceOp;

import static jtorch.autograd.Autograd.of;
import static jtorch.autograd.Autograd.record;
import static jtorch.internal.TensorInternals.strided;

/**
 * {@code nll_loss} of a batch of scores (N, C) against class indices, without class weights: one
 * op with its own backward ({@code NllLossBackward0}), as in PyTorch, in place of the eight small
 * ops (comparison, where, gather, neg, where, sum, count, div) it was composed of. Every float step
 * is the composition's, in its order, so the loss and the gradient are the same bits:
 * {@code loss_i = -input[i, t_i]} (0 where {@code t_i == ignoreIndex}), summed by the sum
 * reduction, divided by the number of counted targets for "mean"; the gradient is
 * {@code -grad / count} at each counted {@code [i, t_i]} and 0 elsewhere.
 *
 * <pre>{@code
 * Tensor loss = NllLoss.nllLoss(logProbabilities, targets.toLongArray(), -100, "mean");
 * }</pre>
 */
public final class NllLoss {
    private NllLoss() {}

    /**
     * @param input  floating (N, C)
     * @param t      the N class indices (the caller has read them to check they lie in [0, C) or equal
     *               {@code ignoreIndex})
     */
    public static Tensor nllLoss(Tensor input, long[] t, long ignoreIndex, String reduction) {
        int n = TensorInternals.sizes(input)[0], c = TensorInternals.sizes(input)[1];
        int[] column = new int[n]; // the target's column, -1 where ignored
        int counted = 0;
        for (int i = 0; i < n; i++) {
            column[i] = t[i] == ignoreIndex ? -1 : (int) t[i];
            if (column[i] >= 0) counted++;
        }
        Tensor x = Raw.contiguous(input);
        boolean f32 = x.dtype() == DType.FLOAT32;
        Tensor perSample = TensorInternals.allocate(x.dtype(), new int[] {n});
        int xo = TensorInternals.offset(x);
        for (int i = 0; i < n; i++) {
            if (column[i] < 0) continue; // stays +0
            int at = xo + i * c + column[i];
            if (f32) perSample.storage().f32()[i] = -x.storage().f32()[at];
            else perSample.storage().f64()[i] = -x.storage().f64()[at];
        }
        Tensor out = reduce(perSample, counted, reduction);
        int[] shape = TensorInternals.sizes(input);
        int count = counted;
        // The backward is linear in g; its transpose (for create_graph) is this loss itself, linear in its input.
        return record(out, "NllLossBackward0", of(input), of(), (grad, ctx) -> new Tensor[] {
                gradient(grad, shape, column, count, t, ignoreIndex, reduction)});
    }

    /** The per-sample losses reduced: as they are ("none"), summed by the sum reduction, or that sum / count ("mean"). */
    private static Tensor reduce(Tensor perSample, int counted, String reduction) {
        if (reduction.equals("none")) return perSample;
        boolean f32 = perSample.dtype() == DType.FLOAT32;
        Tensor out = TensorInternals.allocate(perSample.dtype(), new int[0]);
        Reduce.reduce(ReduceOp.SUM, strided(perSample), new boolean[] {true}, strided(out));
        if (reduction.equals("mean")) {
            double count = counted;
            if (f32) out.storage().f32()[0] = out.storage().f32()[0] / (float) count;
            else out.storage().f64()[0] = out.storage().f64()[0] / count;
        }
        return out;
    }

    /**
     * nll_loss's gradient of {@code shape} for the loss's gradient {@code grad}: {@code -grad} (/ count
     * for "mean") at each counted {@code [i, column[i]]}, +0 elsewhere; differentiable (linear in grad).
     */
    private static Tensor gradient(Tensor grad, int[] shape, int[] column, int counted, long[] t, long ignoreIndex,
                                   String reduction) {
        int n = shape[0], c = shape[1];
        boolean none = reduction.equals("none"), mean = reduction.equals("mean");
        double count = counted;
        return jtorch.autograd.Autograd.linear(grad, "NllLossBackwardBackward0", g -> {
            Tensor gc = Raw.contiguous(g);
            Tensor gradInput = TensorInternals.allocate(g.dtype(), shape);
            for (int i = 0; i < n; i++) {
                int col = column[i];
                if (col < 0) continue; // an ignored target: no gradient (+0)
                if (g.dtype() == DType.FLOAT32) {
                    float gi = gc.storage().f32()[TensorInternals.offset(gc) + (none ? i : 0)];
                    if (mean) gi = gi / (float) count;
                    gradInput.storage().f32()[i * c + col] = -gi;
                } else {
                    double gi = gc.storage().f64()[TensorInternals.offset(gc) + (none ? i : 0)];
                    if (mean) gi = gi / count;
                    gradInput.storage().f64()[i * c + col] = -gi;
                }
            }
            return gradInput;
        }, "NllLossBackward0", gg -> nllLoss(gg, t, ignoreIndex, reduction));
    }

    /**
     * {@code cross_entropy} of float32 logits (N, C), {@code C >= 1}, against class indices, without
     * class weights or label smoothing: {@code nll_loss(log_softmax(input, 1))} as one op (node
     * {@code NllLossBackward0}, whose next function is the input's; PyTorch's graph has a
     * {@code LogSoftmaxBackward0} between them), so that neither the (N, C) log-probabilities nor
     * nll_loss's zero-filled (N, C) gradient is written: a language model's decoder output is
     * 700 x 10000 floats. The loss and the gradient are the composition's bits (kernels:
     * {@link Softmax#crossEntropyForwardF32}, {@link Softmax#crossEntropyBackwardF32}); under
     * create_graph the backward is the composition's rule in differentiable ops.
     *
     * <pre>{@code
     * Tensor loss = NllLoss.crossEntropy(logits, targets.toLongArray(), -100, "mean");
     * }</pre>
     *
     * @param t the N class indices, checked by the caller (in [0, C) or {@code ignoreIndex})
     */
    public static Tensor crossEntropy(Tensor input, long[] t, long ignoreIndex, String reduction) {
        int n = TensorInternals.sizes(input)[0], c = TensorInternals.sizes(input)[1];
        if (input.dtype() != DType.FLOAT32 || c == 0)
            throw new IllegalArgumentException("cross_entropy's fused kernel: float32 (N, C >= 1) logits expected, got "
                    + input.dtype() + " " + Shapes.str(TensorInternals.sizes(input)));
        int[] column = new int[n];
        int counted = 0;
        for (int i = 0; i < n; i++) {
            column[i] = t[i] == ignoreIndex ? -1 : (int) t[i];
            if (column[i] >= 0) counted++;
        }
        Tensor x = Raw.contiguous(input);
        float[] shift = new float[n], logSum = new float[n], targetLogProb = new float[n];
        Softmax.crossEntropyForwardF32(x.storage().f32(), TensorInternals.offset(x), n, c, column, shift, logSum, targetLogProb);
        Tensor perSample = TensorInternals.allocate(DType.FLOAT32, new int[] {n});
        float[] ps = perSample.storage().f32();
        for (int i = 0; i < n; i++) if (column[i] >= 0) ps[i] = -targetLogProb[i]; // ignored: stays +0
        Tensor out = reduce(perSample, counted, reduction);
        int[] shape = TensorInternals.sizes(input);
        int count = counted;
        return record(out, "NllLossBackward0", of(input), of(input), (grad, ctx) -> {
            Tensor in = ctx.saved(0);
            Tensor nllGrad;
            if (grad.dtype() != DType.FLOAT32 || Autograd.shouldRecord(grad, in)) { // create_graph: log_softmax's rule after nll_loss's, differentiable
                Tensor logp = in.logSoftmax(1);
                nllGrad = gradient(grad, shape, column, count, t, ignoreIndex, reduction);
                return new Tensor[] {nllGrad.sub(logp.exp().mul(nllGrad.sum(new int[] {1}, true)))};
            }
            Tensor g = Raw.contiguous(grad);
            float[] targetGrad = new float[n];
            boolean none = reduction.equals("none"), mean = reduction.equals("mean");
            for (int i = 0; i < n; i++) {
                if (column[i] < 0) continue;
                float gi = g.storage().f32()[TensorInternals.offset(g) + (none ? i : 0)];
                if (mean) gi = gi / (float) (double) count;
                targetGrad[i] = -gi; // nll_loss's gradient at the target
            }
            Tensor xs = Raw.contiguous(in);
            Tensor gradInput = TensorInternals.allocate(DType.FLOAT32, shape);
            Softmax.crossEntropyBackwardF32(xs.storage().f32(), TensorInternals.offset(xs), n, c, column, shift, logSum,
                    targetGrad, gradInput.storage().f32(), TensorInternals.offset(gradInput));
            return new Tensor[] {gradInput};
        });
    }
}
