package jtorch.optim;

import java.util.List;

import org.junit.jupiter.api.Test;

import jtorch.DType;
import jtorch.Tensor;

import static jtorch.Torch.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Five SGD steps on {@code loss = sum(p^3) + sum(p^2)} from p = [[1, -2, 0.5]] (float64), with the
 * gradient from autograd; the expected parameters were printed by PyTorch 1.13 (hex floats) and
 * must be matched bit for bit: autograd sums the gradient contributions as PyTorch does and the
 * update rounds as PyTorch's AVX2 kernels do ({@code add_(d, alpha)} as one FMA). The fixture-driven trajectories are in {@link OptimizerFixturesTest}.
 */
class SGDTest {
    private static double[] run(SGD.Options options) {
        Tensor p = tensor(new double[][] {{1.0, -2.0, 0.5}}).requiresGrad_();
        var opt = new SGD(List.of(p), options);
        for (int i = 0; i < 5; i++) {
            opt.zeroGrad();
            p.pow(3).sum().add(p.mul(p).sum()).backward();
            opt.step();
        }
        assertEquals(DType.FLOAT64, p.dtype());
        return p.detach().toDoubleArray();
    }

    private static void assertClose(String[] expectedHex, double[] actual) {
        for (int i = 0; i < actual.length; i++) {
            double e = Double.parseDouble(expectedHex[i]);
            assertEquals(Double.doubleToLongBits(e), Double.doubleToLongBits(actual[i]),
                    "element " + i + ": expected " + e + " but was " + actual[i]);
        }
    }

    @Test void plain() {
        assertClose(new String[] {"0x1.007eba0a9dbfbp-3", "-0x1.cf86ab8ece059p+8", "0x1.871e22a7b8031p-4"}, run(SGD.options(0.1)));
    }

    @Test void momentum() {
        assertClose(new String[] {"-0x1.c38c78275520dp+0", "-0x1.3321a6d5d2213p+11", "-0x1.0509b21471a8dp-1"},
                run(SGD.options(0.1).momentum(0.9)));
    }

    @Test void nesterovWithWeightDecay() {
        assertClose(new String[] {"-0x1.7a4a18ea8699dp+0", "-0x1.9fe2382ca9ac0p+21", "-0x1.480ac4bfe0fd8p-2"},
                run(SGD.options(0.1).momentum(0.9).nesterov(true).weightDecay(0.01)));
    }

    @Test void dampenedMaximize() {
        assertClose(new String[] {"0x1.3a5139cb08deep+2", "-0x1.783b8f62d4a82p-1", "0x1.682e3f1d74702p+0"},
                run(SGD.options(0.05).momentum(0.5).dampening(0.3).maximize(true)));
    }

    @Test void invalidOptionsAreRejectedWithPyTorchsMessages() {
        List<Tensor> ps = List.of(zeros(1).requiresGrad_());
        assertEquals("Invalid learning rate: -1.0",
                assertThrows(IllegalArgumentException.class, () -> new SGD(ps, -1)).getMessage());
        assertEquals("Nesterov momentum requires a momentum and zero dampening",
                assertThrows(IllegalArgumentException.class, () -> new SGD(ps, SGD.options(0.1).nesterov(true))).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new SGD(List.of(), 0.1));
        Tensor nonLeaf = zeros(1).requiresGrad_().mul(2);
        assertEquals("can't optimize a non-leaf Tensor",
                assertThrows(IllegalArgumentException.class, () -> new SGD(List.of(nonLeaf), 0.1)).getMessage());
    }

    @Test void zeroGradSetsToNoneOrZero() {
        Tensor p = ones(2).requiresGrad_();
        var opt = new SGD(List.of(p), 0.1);
        p.sum().backward();
        opt.zeroGrad(false);
        assertEquals("tensor([0., 0.])", p.grad().toString());
        opt.zeroGrad();
        assertNull(p.grad());
    }
}
