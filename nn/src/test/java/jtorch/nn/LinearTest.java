package jtorch.nn;

import org.junit.jupiter.api.Test;

import jtorch.Tensor;
import jtorch.nn.functional.F;

import static jtorch.Torch.*;
import static org.junit.jupiter.api.Assertions.*;

/** Expected values printed by PyTorch 1.13 for the same calls after {@code torch.manual_seed(0)}. */
class LinearTest {
    @Test void defaultInitialisationAndForwardMatchPyTorch() {
        manualSeed(0);
        Linear l = new Linear(3, 2);
        assertEquals("Linear(in_features=3, out_features=2, bias=True)", l.toString());
        assertEquals("Parameter containing:\ntensor([[-0.0043,  0.3097, -0.4752],\n"
                + "        [-0.4249, -0.2224,  0.1548]], requires_grad=True)", l.weight.toString());
        assertEquals("Parameter containing:\ntensor([-0.0114,  0.4578], requires_grad=True)", l.bias.toString());
        Tensor y = l.forward(arange(6.0).reshape(2, 3));
        assertEquals("tensor([[-0.6521,  0.5450],\n        [-1.1615, -0.9323]])", y.detach().toString());
        Tensor loss = F.mseLoss(y, ones(2, 2));
        loss.backward();
        assertEquals("tensor(2.8355)", loss.detach().toString());
        assertEquals("tensor([[-3.2422, -5.1490, -7.0558],\n        [-2.8984, -4.0920, -5.2857]])", l.weight.grad().toString());
        assertEquals("tensor([-1.9068, -1.1936])", l.bias.grad().toString());
    }

    /** As PyTorch 1.13 prints them: the bias is added in the GEMM (addmm) for 2-D and contiguous 3-D inputs. */
    @Test void linearGoesThroughAddmmLikePyTorch() {
        manualSeed(0);
        Linear l = new Linear(3, 2);
        assertEquals("AddmmBackward0", l.forward(arange(6.0).reshape(2, 3)).gradFn().name());
        Tensor y3 = l.forward(arange(12.0).reshape(2, 2, 3));
        assertEquals("ViewBackward0", y3.gradFn().name());
        assertEquals("tensor([[[-0.6521,  0.5450],\n         [-1.1615, -0.9323]],\n\n"
                + "        [[-1.6708, -2.4096],\n         [-2.1802, -3.8869]]], grad_fn=<ViewBackward0>)", y3.toString());
        assertEquals("MmBackward0", F.linear(arange(6.0).reshape(2, 3), l.weight, null).gradFn().name());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> F.linear(ones(2, 3), ones(2, 3), ones(3)));
        assertEquals("The expanded size of the tensor (2) must match the existing size (3) at non-singleton dimension 1.  "
                + "Target sizes: [2, 2].  Tensor sizes: [3]", e.getMessage());
    }

    @Test void xavierUniformMatchesPyTorch() {
        manualSeed(0);
        Tensor w = empty(3, 5);
        init.xavierUniform_(w);
        assertEquals("tensor([[-0.0065,  0.4646, -0.7128, -0.6373, -0.3336],\n"
                + "        [ 0.2322, -0.0172,  0.6867, -0.0769,  0.2292],\n"
                + "        [-0.2617, -0.1702, -0.8274, -0.5736, -0.3570]])", w.toString());
    }

    @Test void noBiasAndWrongInputWidth() {
        Linear l = new Linear(4, 2, false);
        assertNull(l.bias);
        assertEquals(1, l.parameters().size());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> l.forward(ones(3, 5)));
        assertTrue(e.getMessage().contains("[3, 5]"), e.getMessage());
    }

    @Test void initRejectsVectorsForFans() {
        assertThrows(IllegalArgumentException.class, () -> init.kaimingUniform_(ones(3)));
        assertEquals(Math.sqrt(2.0), init.calculateGain("relu"));
    }
}
