package jtorch.nn;

import static jtorch.Torch.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import jtorch.Tensor;
import jtorch.nn.functional.F;

/**
 * Every loss takes its reduction alone, as {@code F.nll_loss(out, t, reduction="sum")} and
 * {@code nn.NLLLoss(reduction="sum")} do; the expected values are PyTorch 1.13's, printed to four
 * decimals (its repr).
 */
class LossReductionTest {
    private final Tensor x = tensor(new float[][] {{0.2f, -1.0f, 0.5f}, {1.5f, 0.3f, -0.7f}});
    private final Tensor t = tensor(new long[] {2, 0});
    private final Tensor p = tensor(new float[] {0.9f, 0.2f, 0.6f});
    private final Tensor y = tensor(new float[] {1, 0, 1});

    @Test void theFunctionalFormsTakeAReductionAlone() {
        Tensor logp = F.logSoftmax(x, 1);
        assertEquals("tensor(1.0200)", F.nllLoss(logp, t, "sum").toString());
        assertEquals("tensor([0.6750, 0.3450])", F.nllLoss(logp, t, "none").toString());
        assertEquals("tensor(1.0200)", F.crossEntropy(x, t, "sum").toString());
        assertEquals("tensor([0.6750, 0.3450])", F.crossEntropy(x, t, "none").toString());
        assertEquals("tensor(0.8393)", F.binaryCrossEntropy(p, y, "sum").toString());
        assertEquals("tensor([0.1054, 0.2231, 0.5108])", F.binaryCrossEntropy(p, y, "none").toString());
        assertEquals("tensor(1.5768)", F.binaryCrossEntropyWithLogits(p, y, "sum").toString());
        assertEquals("tensor([0.3412, 0.7981, 0.4375])", F.binaryCrossEntropyWithLogits(p, y, "none").toString());
        assertEquals("tensor(0.1050)", F.smoothL1Loss(p, y, "sum").toString());
        assertEquals("tensor([0.0050, 0.0200, 0.0800])", F.smoothL1Loss(p, y, "none").toString());
        assertEquals(F.mseLoss(p, y).mul(3).item(), F.mseLoss(p, y, "sum").item(), 1e-6);
        assertEquals(F.l1Loss(p, y).mul(3).item(), F.l1Loss(p, y, "sum").item(), 1e-6);
    }

    @Test void theModulesTakeAReductionAlone() {
        assertEquals("tensor(1.0200)", new NLLLoss("sum").forward(F.logSoftmax(x, 1), t).toString());
        assertEquals("tensor(1.0200)", new CrossEntropyLoss("sum").forward(x, t).toString());
        assertEquals("tensor(0.8393)", new BCELoss("sum").forward(p, y).toString());
        assertEquals("tensor(1.5768)", new BCEWithLogitsLoss("sum").forward(p, y).toString());
        assertEquals("tensor(0.1050)", new SmoothL1Loss("sum").forward(p, y).toString());
    }
}
