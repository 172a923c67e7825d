package jtorch.nn;

import static jtorch.Torch.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import jtorch.DType;
import jtorch.Tensor;

/** Batch and layer norm as modules: parameters, buffers, train/eval behaviour, state dicts. */
class NormalizationTest {
    private static Tensor seq(long... shape) {
        long n = 1;
        for (long s : shape) n *= s;
        return arange(0.0, (double) n).mul(0.37).sin().mul(3).reshape(shape);
    }

    @Test void batchNormRegistersPyTorchsParametersAndBuffers() {
        BatchNorm2d bn = new BatchNorm2d(3);
        assertEquals(List.of("weight", "bias"), List.copyOf(bn.namedParameters().keySet()));
        assertEquals(List.of("running_mean", "running_var", "num_batches_tracked"), List.copyOf(bn.namedBuffers().keySet()));
        assertEquals(List.of("weight", "bias", "running_mean", "running_var", "num_batches_tracked"), List.copyOf(bn.stateDict().keySet()));
        assertEquals("tensor([1., 1., 1.], requires_grad=True)", bn.weight.detach().requiresGrad_().toString());
        assertEquals("tensor([0., 0., 0.])", bn.bias.detach().toString());
        assertEquals("tensor([0., 0., 0.])", bn.runningMean.toString());
        assertEquals("tensor([1., 1., 1.])", bn.runningVar.toString());
        assertEquals("tensor(0)", bn.numBatchesTracked.toString());
        assertEquals(DType.INT64, bn.numBatchesTracked.dtype());

        BatchNorm1d plain = new BatchNorm1d(BatchNorm1d.options(4).affine(false).trackRunningStats(false));
        assertNull(plain.weight);
        assertNull(plain.runningMean);
        assertTrue(plain.stateDict().isEmpty());
        assertTrue(plain.parameters().isEmpty());
    }

    @Test void trainingNormalisesWithBatchStatisticsAndUpdatesTheRunningOnes() {
        BatchNorm1d bn = new BatchNorm1d(3);
        Tensor x = seq(6, 3).add(tensor(new float[] {10, -5, 0}));
        Tensor y = bn.forward(x);
        assertTrue(y.mean(0).abs().max().item() < 1e-6, "per-channel mean 0");
        assertTrue(y.var(new int[] {0}, false, false).sub(1).abs().max().item() < 1e-4, "per-channel biased variance 1 (eps aside)");
        assertEquals(1, bn.numBatchesTracked.itemLong());
        // running = 0.9 running + 0.1 batch, with the unbiased batch variance
        assertTrue(bn.runningMean.allclose(x.mean(0).mul(0.1), 1e-6, 1e-6));
        assertTrue(bn.runningVar.allclose(x.var(0).mul(0.1).add(0.9), 1e-6, 1e-6));
        bn.forward(x);
        assertEquals(2, bn.numBatchesTracked.itemLong());
    }

    @Test void evaluationUsesTheRunningStatisticsAndLeavesThemAlone() {
        BatchNorm1d bn = new BatchNorm1d(2);
        noGrad(() -> {
            bn.runningMean.copy_(tensor(new float[] {1, -2}));
            bn.runningVar.copy_(tensor(new float[] {4, 0.25f}));
            bn.weight.copy_(tensor(new float[] {2, 3}));
            bn.bias.copy_(tensor(new float[] {0.5f, -1}));
        });
        bn.eval();
        Tensor x = tensor(new float[][] {{3, -2}, {1, 0}});
        Tensor expected = x.sub(bn.runningMean).div(bn.runningVar.add(1e-5).sqrt()).mul(bn.weight.detach()).add(bn.bias.detach());
        assertTrue(bn.forward(x).allclose(expected, 1e-6, 1e-6));
        assertEquals("tensor([ 1., -2.])", bn.runningMean.toString());
        assertEquals(0, bn.numBatchesTracked.itemLong());
    }

    @Test void nullMomentumIsACumulativeAverage() {
        BatchNorm1d bn = new BatchNorm1d(BatchNorm1d.options(2).momentum(null));
        Tensor a = seq(4, 2), b = seq(4, 2).mul(-2).add(1);
        bn.forward(a);
        assertTrue(bn.runningMean.allclose(a.mean(0), 1e-6, 1e-6), "first batch: factor 1/1");
        bn.forward(b);
        assertTrue(bn.runningMean.allclose(a.mean(0).add(b.mean(0)).div(2), 1e-6, 1e-6), "second: the average of both");
    }

    @Test void untrackedStatisticsNormaliseWithTheBatchEvenInEvaluation() {
        BatchNorm2d bn = new BatchNorm2d(BatchNorm2d.options(2).trackRunningStats(false));
        bn.eval();
        Tensor y = bn.forward(seq(2, 2, 3, 3));
        assertTrue(y.mean(new int[] {0, 2, 3}).abs().max().item() < 1e-6);
    }

    @Test void gradientsReachInputWeightAndBias() {
        BatchNorm2d bn = new BatchNorm2d(2);
        Tensor x = seq(2, 2, 2, 2).requiresGrad_();
        bn.forward(x).mul(seq(2, 2, 2, 2).cos()).sum().backward();
        assertEquals(x.shape(), x.grad().shape());
        assertEquals(size(2), bn.weight.grad().shape());
        assertEquals(size(2), bn.bias.grad().shape());
        assertNull(bn.runningMean.grad());
        assertTrue(x.grad().sum(new int[] {0, 2, 3}).abs().max().item() < 1e-5, "batch-norm input gradients sum to 0 per channel");
    }

    @Test void stateDictRoundTripsIncludingTheBatchCount() {
        BatchNorm1d a = new BatchNorm1d(3), b = new BatchNorm1d(3);
        a.forward(seq(5, 3));
        b.loadStateDict(a.stateDict());
        assertTrue(b.runningMean.equal(a.runningMean));
        assertTrue(b.runningVar.equal(a.runningVar));
        assertEquals(1, b.numBatchesTracked.itemLong());
        assertNotSame(a.runningMean, b.runningMean);
    }

    @Test void errorsInsideAModelNameTheModule() {
        var net = new Sequential(new Linear(4, 4), new BatchNorm1d(3));
        ModuleException e = assertThrows(ModuleException.class, () -> net.forward(ones(2, 4)));
        assertEquals("in 1 (BatchNorm1d(3, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)): "
                + "running_mean should contain 4 elements not 3", e.getMessage());
    }

    @Test void resetRunningStatsRestoresTheInitialBuffers() {
        BatchNorm1d bn = new BatchNorm1d(2);
        Tensor mean = bn.runningMean;
        bn.forward(seq(3, 2));
        bn.resetRunningStats();
        assertSame(mean, bn.runningMean);
        assertEquals("tensor([0., 0.])", bn.runningMean.toString());
        assertEquals("tensor([1., 1.])", bn.runningVar.toString());
        assertEquals(0, bn.numBatchesTracked.itemLong());
    }

    @Test void layerNormNormalisesTheTrailingDims() {
        LayerNorm ln = new LayerNorm(3, 4);
        assertEquals(List.of("weight", "bias"), List.copyOf(ln.namedParameters().keySet()));
        assertEquals(size(3, 4), ln.weight.shape());
        Tensor y = ln.forward(seq(2, 3, 4));
        assertTrue(y.mean(new int[] {1, 2}).abs().max().item() < 1e-6);
        assertTrue(y.var(new int[] {1, 2}, false, false).sub(1).abs().max().item() < 1e-4);
        LayerNorm plain = new LayerNorm(LayerNorm.options(4).elementwiseAffine(false));
        assertTrue(plain.parameters().isEmpty());
        Tensor z = plain.forward(seq(3, 4).mul(5).add(7));
        assertTrue(z.mean(1).abs().max().item() < 1e-6, "each row normalised on its own");
        assertTrue(z.var(new int[] {1}, false, false).sub(1).abs().max().item() < 1e-4);
    }

    private static jtorch.Size size(long... s) { return jtorch.Size.of(s); }
}
