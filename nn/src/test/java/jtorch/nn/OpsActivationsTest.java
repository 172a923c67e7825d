package jtorch.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import jtorch.DType;
import jtorch.Tensor;
import jtorch.Torch;
import jtorch.autograd.GradCheck;
import jtorch.nn.functional.F;

/**
 * The nn surface of the #11 activations ({@code Hardtanh Softplus SiLU Mish}, their F forms with
 * {@code inplace}) and {@code F.oneHot}. Expected reprs, values and messages were printed by PyTorch
 * 1.13 (the element values of the activations themselves are core's OpsParityTest fixtures; the
 * gradients are checked here against finite differences).
 */
class OpsActivationsTest {

    @Test
    void modulesPrintAsPyTorch() {
        assertEquals("Hardtanh(min_val=-1.0, max_val=1.0)", new Hardtanh().toString());
        assertEquals("Hardtanh(min_val=-2.0, max_val=2.0, inplace=True)", new Hardtanh(-2, 2, true).toString());
        assertEquals("Softplus(beta=1, threshold=20)", new Softplus().toString());
        assertEquals("Softplus(beta=2, threshold=5.5)", new Softplus(2, 5.5).toString());
        assertEquals("SiLU()", new SiLU().toString());
        assertEquals("SiLU(inplace=True)", new SiLU(true).toString());
        assertEquals("Mish()", new Mish().toString());
        assertEquals("Mish(inplace=True)", new Mish(true).toString());
        assertEquals("Sequential(\n  (0): Linear(in_features=2, out_features=3, bias=True)\n  (1): SiLU()\n  (2): Mish()\n)",
                new Sequential(new Linear(2, 3), new SiLU(), new Mish()).toString());
    }

    @Test
    void modulesApplyTheirFunction() {
        Tensor x = Torch.tensor(new float[] {-2f, 0.5f, 3f});
        assertArrayEquals(new float[] {-1f, 0.5f, 1f}, new Hardtanh().forward(x).toFloatArray());
        assertArrayEquals(F.softplus(x, 2, 5).toFloatArray(), new Softplus(2, 5).forward(x).toFloatArray());
        // PyTorch: F.silu(tensor([-2., 0.5, 3.])) = [-0.23840583860874176, 0.3112296760082245, 2.857722520828247]
        float[] silu = new SiLU().forward(x).toFloatArray();
        float[] expected = {-0.23840583860874176f, 0.3112296760082245f, 2.857722520828247f};
        for (int i = 0; i < 3; i++) assertEquals(expected[i], silu[i], 2 * Math.ulp(expected[i]));
        assertArrayEquals(F.mish(x).toFloatArray(), new Mish().forward(x).toFloatArray());
    }

    @Test
    void inplaceFormsWriteTheirInput() {
        Tensor x = Torch.tensor(new float[] {-2f, 0.5f, 3f});
        assertSame(x, F.hardtanh(x, -1, 1, true));
        assertArrayEquals(new float[] {-1f, 0.5f, 1f}, x.toFloatArray());
        Tensor y = Torch.tensor(new float[] {-2f, 0.5f, 3f});
        Tensor expected = F.silu(y);
        assertSame(y, new SiLU(true).forward(y));
        assertArrayEquals(expected.toFloatArray(), y.toFloatArray());
        Tensor z = Torch.tensor(new double[] {-1.5, 0.25, 2}).requiresGrad_();
        assertTrue(GradCheck.gradcheck(in -> F.mish(in[0].mul(1.0), true), z));
        assertTrue(GradCheck.gradcheck(in -> F.hardtanh(in[0].mul(1.0), -0.55, 0.45, true), Torch.tensor(new double[] {-1.5, 0.25, 2}).requiresGrad_()));
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        Tensor x = Torch.tensor(new double[][] {{-1.7, 0.3, 2.2}, {0.9, -0.4, -3.1}}).requiresGrad_();
        assertTrue(GradCheck.gradcheck(in -> F.softplus(in[0]), x));
        assertTrue(GradCheck.gradcheck(in -> F.softplus(in[0], 2, 1), x));
        assertTrue(GradCheck.gradcheck(in -> F.silu(in[0]), x));
        assertTrue(GradCheck.gradcheck(in -> F.mish(in[0]), x));
        assertTrue(GradCheck.gradcheck(in -> F.hardtanh(in[0]), x));
    }

    @Test
    void oneHot() {
        Tensor a = F.oneHot(Torch.tensor(new long[] {0, 2, 1}));
        assertEquals(DType.INT64, a.dtype());
        assertEquals("tensor([[1, 0, 0],\n        [0, 0, 1],\n        [0, 1, 0]])", a.toString());
        assertEquals("tensor([[[0, 1, 0, 0]],\n\n        [[1, 0, 0, 0]]])", F.oneHot(Torch.tensor(new long[][] {{1}, {0}}), 4).toString());
        assertEquals("torch.Size([0, 3])", F.oneHot(Torch.zeros(new long[] {0}, DType.INT64), 3).shape().toString());
        assertEquals("tensor([0, 0, 1])", F.oneHot(Torch.tensor(2L), 3).toString());
        assertEquals("one_hot is only applicable to index tensor.",
                assertThrows(IllegalArgumentException.class, () -> F.oneHot(Torch.tensor(new float[] {1f}))).getMessage());
        assertEquals("Class values must be non-negative.",
                assertThrows(IllegalArgumentException.class, () -> F.oneHot(Torch.tensor(new long[] {-1}))).getMessage());
        assertEquals("Class values must be smaller than num_classes.",
                assertThrows(IllegalArgumentException.class, () -> F.oneHot(Torch.tensor(new long[] {3}), 3)).getMessage());
        assertEquals("Can not infer total number of classes from empty tensor.",
                assertThrows(IllegalArgumentException.class, () -> F.oneHot(Torch.zeros(new long[] {0}, DType.INT64))).getMessage());
    }
}
