package jtorch.nn;

import static jtorch.Torch.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import jtorch.DType;
import jtorch.Tensor;
import jtorch.nn.functional.F;

/**
 * The loss modules: options, buffers, that they compute what their functional form computes, and
 * the semantics PyTorch documents (weighted means, ignore_index, label smoothing, stability).
 * Numbers against PyTorch are in {@link NnParityTest}.
 */
class LossModulesTest {
    private static final Tensor LOGITS = tensor(new float[][] {{1, 2, 0.5f}, {-1, 0, 3}, {2, 2, 2}, {0.3f, -0.7f, 1.1f}});
    private static final Tensor TARGET = tensor(new long[] {1, 2, 0, 2});

    @Test void modulesComputeTheirFunctionalForm() {
        Tensor w = tensor(new float[] {0.5f, 2, 1});
        var ce = new CrossEntropyLoss(CrossEntropyLoss.options().weight(w).ignoreIndex(0).labelSmoothing(0.2).reduction("sum"));
        assertTrue(ce.forward(LOGITS, TARGET).equal(F.crossEntropy(LOGITS, TARGET, w, 0, "sum", 0.2)));
        var nll = new NLLLoss(NLLLoss.options().weight(w).ignoreIndex(2));
        Tensor logp = F.logSoftmax(LOGITS, 1);
        assertTrue(nll.forward(logp, TARGET).equal(F.nllLoss(logp, TARGET, NLLLoss.options().weight(w).ignoreIndex(2))));
        Tensor p = LOGITS.sigmoid(), t = LOGITS.gt(0.9).to(DType.FLOAT32);
        assertTrue(new BCELoss(BCELoss.options().reduction("none")).forward(p, t).equal(F.binaryCrossEntropy(p, t, null, "none")));
        var bcel = new BCEWithLogitsLoss(BCEWithLogitsLoss.options().posWeight(w));
        assertTrue(bcel.forward(LOGITS, t).equal(F.binaryCrossEntropyWithLogits(LOGITS, t, BCEWithLogitsLoss.options().posWeight(w))));
        assertTrue(new L1Loss("sum").forward(LOGITS, t).equal(F.l1Loss(LOGITS, t, "sum")));
        assertTrue(new SmoothL1Loss(SmoothL1Loss.options().beta(0.25)).forward(LOGITS, t).equal(F.smoothL1Loss(LOGITS, t, "mean", 0.25)));
    }

    @Test void classWeightsAreBuffersNamedWeight() {
        var ce = new CrossEntropyLoss(CrossEntropyLoss.options().weight(ones(3)));
        assertEquals(List.of("weight"), List.copyOf(ce.stateDict().keySet()));
        assertTrue(new CrossEntropyLoss().stateDict().isEmpty());
        assertNull(new CrossEntropyLoss().weight);
        var bcel = new BCEWithLogitsLoss(BCEWithLogitsLoss.options().weight(ones(2)).posWeight(ones(2)));
        assertEquals(List.of("weight", "pos_weight"), List.copyOf(bcel.stateDict().keySet()));
        assertTrue(ce.parameters().isEmpty());
    }

    @Test void weightedMeanDividesByTheWeightOfTheTargetsThatCount() {
        Tensor logp = F.logSoftmax(LOGITS, 1);
        Tensor w = tensor(new float[] {0.5f, 2, 1});
        // targets 1, 2, 0, 2 with target 2 ignored: (-2 logp[0,1] - 0.5 logp[2,0]) / (2 + 0.5)
        double expected = -(2 * logp.index(0, 1).item() + 0.5 * logp.index(2, 0).item()) / 2.5;
        assertEquals(expected, F.nllLoss(logp, TARGET, w, 2, "mean").item(), 1e-6);
        assertEquals(expected, F.crossEntropy(LOGITS, TARGET, w, 2, "mean", 0).item(), 1e-6);
        Tensor none = F.crossEntropy(LOGITS, TARGET, w, 2, "none", 0);
        assertEquals(0.0, none.index(1).item());
        assertEquals(0.0, none.index(3).item());
    }

    @Test void ignoredTargetsGetNoGradientAndAllIgnoredGivesNaNWithZeroGradient() {
        Tensor x = LOGITS.detach().requiresGrad_();
        F.crossEntropy(x, TARGET, null, 2, "mean", 0).backward();
        assertEquals("tensor([0., 0., 0.])", x.grad().index(1).toString());
        Tensor y = LOGITS.detach().requiresGrad_();
        Tensor loss = F.crossEntropy(y, full(new long[] {4}, -100L), null, -100, "mean", 0.1);
        assertTrue(Double.isNaN(loss.item()));
        loss.backward();
        assertEquals(0.0, y.grad().abs().sum().item());
    }

    @Test void probabilityTargetsOfOneHotEqualClassIndices() {
        Tensor onehot = zeros(4, 3).scatter(1, TARGET.unsqueeze(1), 1.0);
        for (String red : new String[] {"mean", "sum", "none"})
            assertTrue(F.crossEntropy(LOGITS, onehot, null, -100, red, 0.3).allclose(F.crossEntropy(LOGITS, TARGET, null, -100, red, 0.3),
                    1e-6, 1e-6), red);
    }

    @Test void crossEntropyHandlesSpatialAndUnbatchedInputs() {
        Tensor x = LOGITS.t().reshape(1, 3, 2, 2); // (N=1, C=3, 2, 2)
        Tensor t = TARGET.reshape(1, 2, 2);
        assertEquals(jtorch.Size.of(1, 2, 2), F.crossEntropy(x, t, null, -100, "none", 0).shape());
        assertTrue(F.crossEntropy(x, t).allclose(F.crossEntropy(LOGITS, TARGET), 1e-6, 1e-6));
        Tensor single = F.crossEntropy(LOGITS.index(1), tensor(2L));
        assertEquals(0, single.dim());
        assertEquals(F.crossEntropy(LOGITS, TARGET, null, -100, "none", 0).index(1).item(), single.item(), 1e-7);
    }

    @Test void extremeLogitsStayFinite() {
        Tensor x = tensor(new double[][] {{1000, -1000, 0}, {-1000, 1000, 0}}).requiresGrad_();
        Tensor loss = F.crossEntropy(x, tensor(new long[] {1, 1}), null, -100, "sum", 0.1);
        assertTrue(Double.isFinite(loss.item()));
        loss.backward();
        for (double g : x.grad().toDoubleArray()) assertTrue(Double.isFinite(g));
        Tensor z = tensor(new double[] {1000, -1000, 50}).requiresGrad_();
        Tensor bce = F.binaryCrossEntropyWithLogits(z, tensor(new double[] {0, 1, 1}), null, "none", null);
        assertEquals("tensor([1000., 1000.,    0.], dtype=torch.float64, grad_fn=<AddBackward0>)", bce.toString());
        bce.sum().backward();
        double[] g = z.grad().toDoubleArray(); // sigmoid(z) - t
        assertEquals(1.0, g[0]);
        assertEquals(-1.0, g[1]);
        assertEquals(-Math.exp(-50), g[2], 1e-30);
    }

    @Test void bceClampsTheLogAtMinus100AndKeepsGradientsFinite() {
        Tensor p = tensor(new double[] {0, 1, 0.5}).requiresGrad_();
        Tensor loss = F.binaryCrossEntropy(p, tensor(new double[] {1, 0, 1}), null, "none");
        assertEquals("tensor([100.0000, 100.0000,   0.6931], dtype=torch.float64)", loss.detach().toString());
        loss.sum().backward();
        for (double g : p.grad().toDoubleArray()) assertTrue(Double.isFinite(g));
    }

    @Test void constructorsValidateTheirArguments() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new CrossEntropyLoss(CrossEntropyLoss.options()
                .reduction("avg")));
        assertEquals("avg is not a valid value for reduction", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new CrossEntropyLoss(CrossEntropyLoss.options().labelSmoothing(1.5)));
        assertEquals("label_smoothing must be between 0.0 and 1.0. Got: 1.5", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new SmoothL1Loss(SmoothL1Loss.options().beta(-1)));
        assertEquals("smooth_l1_loss does not support negative values for beta.", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new NLLLoss(NLLLoss.options().weight(ones(2, 2))));
        assertThrows(IllegalArgumentException.class, () -> new L1Loss("mean "));
        assertThrows(IllegalArgumentException.class, () -> new BCELoss(BCELoss.options().reduction("Sum")));
        assertFalse(new BCEWithLogitsLoss().toString().isEmpty());
    }

    @Test void smoothL1IsQuadraticBelowBetaAndLinearAbove() {
        Tensor d = tensor(new double[] {0.25, -0.5, 1.5, -3});
        Tensor l = F.smoothL1Loss(d, zeros(new long[] {4}, DType.FLOAT64), "none", 1.0);
        assertEquals("tensor([0.0312, 0.1250, 1.0000, 2.5000], dtype=torch.float64)", l.toString());
        assertTrue(F.smoothL1Loss(d, d.mul(0), "none", 0.0).equal(d.abs()), "beta 0 is L1");
    }
}
