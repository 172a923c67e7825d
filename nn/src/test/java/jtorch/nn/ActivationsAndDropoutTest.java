package jtorch.nn;

import static jtorch.Torch.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import jtorch.Tensor;
import jtorch.nn.functional.F;

/** LeakyReLU, GELU, Softmax/LogSoftmax and Dropout as modules (values against PyTorch: {@link NnParityTest}). */
class ActivationsAndDropoutTest {
    @Test void leakyReluScalesTheNegativePart() {
        Tensor x = tensor(new float[] {-2, -0.5f, 0, 3});
        assertEquals("tensor([-0.0200, -0.0050,  0.0000,  3.0000])", new LeakyReLU().forward(x).toString());
        assertEquals("tensor([-0.4000, -0.1000,  0.0000,  3.0000])", new LeakyReLU(0.2).forward(x).toString());
        Tensor y = x.clone();
        Tensor r = new LeakyReLU(0.5, true).forward(y);
        assertSame(y, r, "inplace returns its input");
        assertEquals("tensor([-1.0000, -0.2500,  0.0000,  3.0000])", y.toString());
    }

    @Test void inplaceLeakyReluKeepsTheGraphCorrect() {
        Tensor a = tensor(new double[] {-2, 3}).requiresGrad_();
        Tensor h = a.mul(2);
        F.leakyRelu(h, 0.1, true).sum().backward();
        assertEquals("tensor([0.2000, 2.0000], dtype=torch.float64)", a.grad().toString());
    }

    @Test void geluMatchesTheNormalCdf() {
        Tensor x = tensor(new double[] {-1, 0, 1, 2});
        assertEquals("tensor([-0.1587,  0.0000,  0.8413,  1.9545], dtype=torch.float64)", new GELU().forward(x).toString());
        assertEquals("tensor([-0.1588,  0.0000,  0.8412,  1.9546], dtype=torch.float64)", new GELU("tanh").forward(x).toString());
        assertEquals("approximate argument must be either none or tanh.",
                assertThrows(IllegalArgumentException.class, () -> new GELU("exact")).getMessage());
    }

    @Test void softmaxModulesUseTheirDimOrPyTorchsImplicitOne() {
        Tensor x = arange(6.0).reshape(2, 3);
        assertTrue(new Softmax(1).forward(x).sum(1).allclose(ones(2)));
        assertTrue(new Softmax().forward(x).equal(x.softmax(1)), "2-D: implicit dim 1");
        assertTrue(new Softmax().forward(arange(3.0)).equal(arange(3.0).softmax(0)), "1-D: implicit dim 0");
        assertTrue(new LogSoftmax().forward(ones(2, 3, 4)).equal(ones(2, 3, 4).logSoftmax(0)), "3-D: implicit dim 0");
        assertTrue(new LogSoftmax(-1).forward(x).exp().sum(-1).allclose(ones(2)));
    }

    @Test void dropoutInEvaluationOrWithPZeroReturnsItsInput() {
        Tensor x = ones(4, 4);
        Dropout d = new Dropout(0.5);
        d.eval();
        assertSame(x, d.forward(x));
        assertSame(x, F.dropout(x, 0.0, true));
        assertSame(x, F.dropout(x, 0.7, false));
    }

    @Test void dropoutMasksMatchPyTorchsForTheSameSeed() {
        manualSeed(0);
        assertEquals("tensor([0., 0., 2., 0., 0., 0., 2., 2.])", F.dropout(ones(8), 0.5, true).toString());
        manualSeed(42);
        assertEquals("tensor([2., 2., 2., 2., 0., 2., 0., 0.])", new Dropout().forward(ones(8)).toString());
    }

    @Test void dropoutZeroesAboutPAndScalesTheRest() {
        manualSeed(7);
        Tensor y = new Dropout(0.3).forward(ones(10000));
        double zeros = y.eq(0.0).sum().item();
        assertEquals(3000, zeros, 150, "about 30% zeroed (3 sigma ~ 137)");
        assertTrue(y.eq(0.0).logicalNot().sum().item() + zeros == 10000);
        assertEquals(1 / 0.7f, (float) y.max().item());
        assertEquals("tensor([0., 0., 0.])", F.dropout(ones(3), 1.0, true).toString());
    }

    @Test void inplaceDropoutWritesIntoItsInput() {
        manualSeed(0);
        Tensor x = ones(8);
        Tensor y = new Dropout(0.5, true).forward(x);
        assertSame(x, y);
        assertEquals("tensor([0., 0., 2., 0., 0., 0., 2., 2.])", x.toString());
    }

    @Test void dropoutGradientIsTheMask() {
        manualSeed(0);
        Tensor x = ones(8).requiresGrad_();
        F.dropout(x, 0.5, true).sum().backward();
        assertEquals("tensor([0., 0., 2., 0., 0., 0., 2., 2.])", x.grad().toString());
    }
}
