package jtorch;

import static jtorch.Torch.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

import jtorch.PyTorchParityTest.Fixtures;

import org.junit.jupiter.api.Test;

/**
 * The tutorial (shared/seed/tutorial-conv2d.zh.txt): a hand-written 2-D cross-correlation
 * {@code corr2d} and a custom Conv2D learning the edge kernel {@code [1, -1]} back from data, with
 * core only (a plain {@code rand(1, 2)} weight and {@code zeros(1)} bias). The printed tensors are
 * the post's; the seeded losses and weight are what PyTorch 1.13 prints for the same script
 * ({@code tutorial.*} in core_fixtures.txt).
 */
class TutorialTest {

    /** As printed in the tutorial. */
    static final String X_PRINTED = "tensor([[1., 1., 0., 0., 0., 0., 1., 1.],\n"
            + "        [1., 1., 0., 0., 0., 0., 1., 1.],\n"
            + "        [1., 1., 0., 0., 0., 0., 1., 1.],\n"
            + "        [1., 1., 0., 0., 0., 0., 1., 1.],\n"
            + "        [1., 1., 0., 0., 0., 0., 1., 1.],\n"
            + "        [1., 1., 0., 0., 0., 0., 1., 1.]])";

    static final String Y_PRINTED = "tensor([[ 0.,  1.,  0.,  0.,  0., -1.,  0.],\n"
            + "        [ 0.,  1.,  0.,  0.,  0., -1.,  0.],\n"
            + "        [ 0.,  1.,  0.,  0.,  0., -1.,  0.],\n"
            + "        [ 0.,  1.,  0.,  0.,  0., -1.,  0.],\n"
            + "        [ 0.,  1.,  0.,  0.,  0., -1.,  0.],\n"
            + "        [ 0.,  1.,  0.,  0.,  0., -1.,  0.]])";

    static Tensor corr2d(Tensor X, Tensor K) {                    // def corr2d(X, K):
        long h = K.size(0), w = K.size(1);                        //     h, w = K.shape
        Tensor Y = zeros(X.size(0) - h + 1, X.size(1) - w + 1);
        for (long i = 0; i < Y.size(0); i++)
            for (long j = 0; j < Y.size(1); j++)                  //         Y[i, j] = (X[i:i+h, j:j+w] * K).sum()
                Y.index(i, j).copy_(X.index(slice(i, i + h), slice(j, j + w)).mul(K).sum());
        return Y;
    }

    static Tensor edges() {
        Tensor X = ones(6, 8);
        X.index(":, 2:6").fill_(0);                               // X[:, 2:6] = 0
        return X;
    }

    /** Python's {@code f'{v:.3f}'}: the exact binary value rounded half to even. */
    static String format3(double v) {
        return new BigDecimal(v).setScale(3, RoundingMode.HALF_EVEN).toPlainString();
    }

    @Test
    void inputAndTargetPrintAsInTheTutorial() {
        Tensor X = edges();
        assertEquals(X_PRINTED, X.toString());
        assertEquals(Fixtures.text("tutorial.X"), X.toString());
        Tensor K = tensor(new float[][] {{1.0f, -1.0f}});
        Tensor Y = corr2d(X, K);
        assertEquals(Y_PRINTED, Y.toString());
        assertEquals(Fixtures.text("tutorial.Y"), Y.toString());
        assertTrue(Y.isLeaf(), "nothing required grad: Y stays a plain tensor");
        assertFalse(Y.requiresGrad());
        assertEquals("torch.Size([6, 7])", Y.shape().toString());
    }

    @Test
    void trainingMatchesPyTorchWithSeedZero() {
        manualSeed(0);
        Tensor X = edges();
        Tensor K = tensor(new float[][] {{1.0f, -1.0f}});
        Tensor Y = corr2d(X, K);

        Tensor weight = rand(1, 2).requiresGrad_();
        Tensor bias = zeros(1).requiresGrad_();
        assertEquals(Fixtures.text("tutorial.weight0"), weight.data().toString());

        List<String> lines = new ArrayList<>();
        List<String> printfLines = new ArrayList<>();
        double[] losses = new double[10];
        for (int i = 0; i < 10; i++) {
            Tensor yHat = corr2d(X, weight).add(bias);
            assertEquals("AddBackward0", yHat.gradFn().name());
            Tensor l = yHat.sub(Y).pow(2L);
            weight.setGrad(null);
            bias.setGrad(null);
            l.sum().backward();
            assertEquals(Size.of(1, 2), weight.grad().shape());
            assertEquals(Size.of(1), bias.grad().shape());
            try (var g = noGrad()) {                              // weight.data[:] -= 3e-2 * weight.grad
                weight.sub_(weight.grad().mul(3e-2));
            }
            losses[i] = l.sum().item();
            if ((i + 1) % 2 == 0) {
                lines.add("batch " + (i + 1) + ", loss " + format3(losses[i]));
                printfLines.add(String.format("batch %d, loss %.3f", i + 1, losses[i]));
            }
        }

        List<String> expected = new ArrayList<>();
        for (int i = 2; i <= 10; i += 2) expected.add(Fixtures.text("tutorial.line" + i));
        assertEquals(List.of("batch 2, loss 21.692", "batch 4, loss 7.351", "batch 6, loss 2.754", "batch 8, loss 1.085",
                "batch 10, loss 0.437"), expected, "fixture");
        assertEquals(expected, lines);
        assertEquals(expected, printfLines, "printf as in the example program");

        for (int i = 1; i < 10; i++)
            assertTrue(losses[i] < losses[i - 1], "the loss falls at every step: " + java.util.Arrays.toString(losses));
        Fixtures.check("tutorial.losses", tensor(toFloats(losses)));

        assertEquals("tensor([[ 1.0548, -0.9190]])", weight.data().toString());
        assertEquals(Fixtures.text("tutorial.weight"), weight.data().toString());
        Fixtures.check("tutorial.weight_values", weight.data());
        assertEquals(Fixtures.text("tutorial.bias"), bias.data().toString());
        float[] w = weight.toFloatArray();
        assertTrue(Math.abs(w[0] - 1) < 0.1 && Math.abs(w[1] + 1) < 0.1, "kernel near [1, -1]: " + weight);
        assertTrue(weight.isLeaf());
        assertTrue(weight.requiresGrad());
        assertNull(weight.gradFn());
        assertEquals(10, weight.version(), "one in-place update per step");
    }

    @Test
    void corr2dOfAWeightThatRequiresGradJoinsTheGraph() {
        Tensor X = edges();
        Tensor weight = tensor(new float[][] {{0.5f, 0.25f}}).requiresGrad_();
        Tensor Y = corr2d(X, weight);
        assertFalse(Y.isLeaf());
        assertEquals("CopySlices", Y.gradFn().name());
        assertEquals(Fixtures.text("tutorial.Y_of_grad_weight"), Y.toString());
        Y.sum().backward();
        // Each weight element sees the sum of the X entries it multiplies: 6 rows x 7 windows.
        assertEquals("tensor([[18., 18.]])", weight.grad().toString());
    }

    private static float[] toFloats(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) f[i] = (float) d[i];
        return f;
    }
}
