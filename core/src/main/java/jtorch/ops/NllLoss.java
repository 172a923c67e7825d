package jtorch.ops;

import jtorch.DType;
import jtorch.Tensor;
import jtorch.kernels.Reduce;
import jtorch.kernels.ReduceOp;

import static jtorch.autograd.Autograd.of;
import static jtorch.autograd.Autograd.record;

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
        int n = input.sizesInternal()[0], c = input.sizesInternal()[1];
        int[] column = new int[n]; // the target's column, -1 where ignored
        int counted = 0;
        for (int i = 0; i < n; i++) {
            column[i] = t[i] == ignoreIndex ? -1 : (int) t[i];
            if (column[i] >= 0) counted++;
        }
        Tensor x = Raw.contiguous(input);
        boolean f32 = x.dtype() == DType.FLOAT32;
        Tensor perSample = Tensor.allocate(x.dtype(), new int[] {n});
        int xo = x.storageOffsetInternal();
        for (int i = 0; i < n; i++) {
            if (column[i] < 0) continue; // stays +0
            int at = xo + i * c + column[i];
            if (f32) perSample.storage().f32()[i] = -x.storage().f32()[at];
            else perSample.storage().f64()[i] = -x.storage().f64()[at];
        }
        Tensor out;
        double count = counted;
        if (reduction.equals("none")) {
            out = perSample;
        } else {
            out = Tensor.allocate(x.dtype(), new int[0]);
            Reduce.reduce(ReduceOp.SUM, perSample, new boolean[] {true}, out);
            if (reduction.equals("mean")) {
                if (f32) out.storage().f32()[0] = out.storage().f32()[0] / (float) count;
                else out.storage().f64()[0] = out.storage().f64()[0] / count;
            }
        }
        int[] shape = input.sizesInternal();
        boolean none = reduction.equals("none"), mean = reduction.equals("mean");
        // The backward is linear in g; its transpose (for create_graph) is this loss itself, linear in its input.
        return record(out, "NllLossBackward0", of(input), of(), (grad, ctx) -> new Tensor[] {jtorch.autograd.Autograd.linear(grad,
                "NllLossBackwardBackward0", g -> {
            Tensor gc = Raw.contiguous(g);
            Tensor gradInput = Tensor.allocate(g.dtype(), shape);
            for (int i = 0; i < n; i++) {
                int col = column[i];
                if (col < 0) continue; // an ignored target: no gradient (+0)
                if (g.dtype() == DType.FLOAT32) {
                    float gi = gc.storage().f32()[gc.storageOffsetInternal() + (none ? i : 0)];
                    if (mean) gi = gi / (float) count;
                    gradInput.storage().f32()[i * c + col] = -gi;
                } else {
                    double gi = gc.storage().f64()[gc.storageOffsetInternal() + (none ? i : 0)];
                    if (mean) gi = gi / count;
                    gradInput.storage().f64()[i * c + col] = -gi;
                }
            }
            return gradInput;
        }, "NllLossBackward0", gg -> nllLoss(gg, t, ignoreIndex, reduction))});
    }
}
