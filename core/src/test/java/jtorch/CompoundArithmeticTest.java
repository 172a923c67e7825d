package jtorch;

import org.junit.jupiter.api.Test;

import static jtorch.Torch.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Rounding of the compound ops as PyTorch's AVX2 kernels do them: {@code add(other, alpha)} and
 * {@code addcmul} round once (FMA), {@code addcdiv} scales, divides, then adds. Optimizer updates
 * are built from these, so their last bits must match.
 */
class CompoundArithmeticTest {
    @Test void addWithAlphaRoundsOnce() {
        // 0.1 * 3 + (-0.3): the product rounded first gives 5.55e-17, the fused value is the exact residue 1.665e-17.
        Tensor self = tensor(new double[] {-0.3});
        self.add_(tensor(new double[] {3.0}), 0.1);
        assertEquals(Math.fma(0.1, 3.0, -0.3), self.item());
        assertNotEquals(-0.3 + 0.1 * 3.0, self.item());
        assertEquals(Math.fma(-0.1, 3.0, -0.3), tensor(new double[] {-0.3}).sub(tensor(new double[] {3.0}), 0.1).item());
    }

    @Test void addcmulRoundsOnceAfterScalingTheFirstFactor() {
        Tensor self = tensor(new double[] {-0.3, 1.0});
        self.addcmul_(tensor(new double[] {0.1, 2}), tensor(new double[] {3.0, 4}), 1.0);
        assertArrayEquals(new double[] {Math.fma(0.1, 3.0, -0.3), 9.0}, self.toDoubleArray());
        Tensor s2 = tensor(new double[] {1.0});
        s2.addcmul_(tensor(new double[] {0.7}), tensor(new double[] {0.3}), 0.1);
        assertEquals(Math.fma(0.1 * 0.7, 0.3, 1.0), s2.item());
    }

    @Test void addcdivIsScaledThenDividedThenAdded() {
        Tensor self = tensor(new double[] {1.0});
        self.addcdiv_(tensor(new double[] {0.7}), tensor(new double[] {0.3}), -0.1);
        assertEquals(1.0 + -0.1 * 0.7 / 0.3, self.item());
    }

    @Test void stridedBroadcastAndConvertedOperands() {
        Tensor base = arange(6.0).to(DType.FLOAT64).reshape(2, 3);
        Tensor self = base.t();                                   // 3 x 2, non-contiguous
        Tensor row = tensor(new double[] {10, 20});               // broadcast over the 3 rows
        self.add_(row, 0.5);
        assertEquals("tensor([[ 5.,  6.,  7.],\n        [13., 14., 15.]], dtype=torch.float64)", base.toString());
        Tensor t2 = full(new long[] {3, 2}, 2.0, DType.FLOAT32);
        self.addcmul_(row, t2, 1.0);
        assertEquals("tensor([[25., 26., 27.],\n        [53., 54., 55.]], dtype=torch.float64)", base.toString());
        Tensor out = self.add(row, -1);
        assertEquals("tensor([[25., 26., 27.],\n        [53., 54., 55.]], dtype=torch.float64)", base.toString(), "add is out of place");
        assertEquals("tensor([[15., 33.],\n        [16., 34.],\n        [17., 35.]], dtype=torch.float64)", out.toString());
    }

    @Test void float32IsComputedInFloat() {
        Tensor self = tensor(new float[] {-0.3f});
        self.add_(tensor(new float[] {3.0f}), 0.1);
        assertEquals(Math.fma(0.1f, 3.0f, -0.3f), self.toFloatArray()[0]);
        Tensor s = tensor(new float[] {1f});
        s.addcdiv_(tensor(new float[] {0.7f}), tensor(new float[] {0.3f}), -0.1);
        assertEquals(1f + -0.1f * 0.7f / 0.3f, s.toFloatArray()[0]);
    }

    @Test void outOfPlaceFormsBroadcastAndRecordPyTorchsNodes() {
        Tensor a = ones(2, 1).requiresGrad_(), b = ones(3).requiresGrad_();
        Tensor y = zeros(1).addcmul(a, b, 2.0);
        assertEquals(Size.of(2, 3), y.shape());
        assertEquals("AddcmulBackward0", y.gradFn().name());
        assertEquals("AddcdivBackward0", zeros(1).addcdiv(a, b).gradFn().name());
    }

    @Test void integerAddcdivIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> tensor(new long[] {1}).addcdiv(tensor(new long[] {1}), tensor(new long[] {1})));
    }

    @Test void integerScalarsInPlaceKeepInt64() {
        Tensor counts = tensor(new long[] {1, 2});
        counts.add_(1L).mul_(3L).sub_(2L);
        assertEquals("tensor([4, 7])", counts.toString());
        assertThrows(IllegalArgumentException.class, () -> tensor(new long[] {1}).add_(0.5));
    }
}
