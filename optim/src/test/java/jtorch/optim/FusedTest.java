package jtorch.optim;

import org.junit.jupiter.api.Test;

import jtorch.DType;
import jtorch.Tensor;

import static jtorch.Torch.*;
import static org.junit.jupiter.api.Assertions.*;

/** The compound ops' rounding (one FMA for add-with-alpha and addcmul) and their strided, broadcast and float32 paths. */
class FusedTest {
    @Test void addWithAlphaRoundsOnce() {
        // 0.1 * 3 + (-0.3): the product rounded first gives 5.55e-17, the fused value is the exact residue 1.665e-17.
        Tensor self = tensor(new double[] {-0.3});
        Fused.add_(self, tensor(new double[] {3.0}), 0.1);
        assertEquals(Math.fma(0.1, 3.0, -0.3), self.item());
        assertNotEquals(-0.3 + 0.1 * 3.0, self.item());
    }

    @Test void addcmulRoundsOnceAfterScalingTheFirstFactor() {
        Tensor self = tensor(new double[] {-0.3, 1.0});
        Fused.addcmul_(self, tensor(new double[] {0.1, 2}), tensor(new double[] {3.0, 4}), 1.0);
        assertArrayEquals(new double[] {Math.fma(0.1, 3.0, -0.3), 9.0}, self.toDoubleArray());
        Tensor s2 = tensor(new double[] {1.0});
        Fused.addcmul_(s2, tensor(new double[] {0.7}), tensor(new double[] {0.3}), 0.1);
        assertEquals(Math.fma(0.1 * 0.7, 0.3, 1.0), s2.item());
    }

    @Test void addcdivIsScaledThenDividedThenAdded() {
        Tensor self = tensor(new double[] {1.0});
        Fused.addcdiv_(self, tensor(new double[] {0.7}), tensor(new double[] {0.3}), -0.1);
        assertEquals(1.0 + -0.1 * 0.7 / 0.3, self.item());
    }

    @Test void stridedBroadcastAndConvertedOperands() {
        // self is a transposed view, other is broadcast from a row, t2 is float32 converted to float64
        Tensor base = arange(6.0).to(DType.FLOAT64).reshape(2, 3);
        Tensor self = base.t();                                   // 3 x 2, non-contiguous
        Tensor row = tensor(new double[] {10, 20});               // broadcast over the 3 rows
        Fused.add_(self, row, 0.5);
        assertEquals("tensor([[ 5.,  6.,  7.],\n        [13., 14., 15.]], dtype=torch.float64)", base.toString());
        Tensor t2 = full(new long[] {3, 2}, 2.0, DType.FLOAT32);
        Fused.addcmul_(self, row, t2, 1.0);
        assertEquals("tensor([[25., 26., 27.],\n        [53., 54., 55.]], dtype=torch.float64)", base.toString());
        Tensor out = Fused.add(self, row, -1);
        assertEquals("tensor([[25., 26., 27.],\n        [53., 54., 55.]], dtype=torch.float64)", base.toString(), "add is out of place");
        assertEquals("tensor([[15., 33.],\n        [16., 34.],\n        [17., 35.]], dtype=torch.float64)", out.toString());
    }

    @Test void float32IsComputedInFloat() {
        Tensor self = tensor(new float[] {-0.3f});
        Fused.add_(self, tensor(new float[] {3.0f}), 0.1);
        assertEquals(Math.fma(0.1f, 3.0f, -0.3f), self.toFloatArray()[0]);
        Tensor s = tensor(new float[] {1f});
        Fused.addcdiv_(s, tensor(new float[] {0.7f}), tensor(new float[] {0.3f}), -0.1);
        assertEquals(1f + -0.1f * 0.7f / 0.3f, s.toFloatArray()[0]);
    }

    @Test void integerTensorsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Fused.add_(tensor(new long[] {1}), tensor(new long[] {1}), 1));
    }
}
