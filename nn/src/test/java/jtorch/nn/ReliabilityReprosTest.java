package jtorch.nn;

import org.junit.jupiter.api.Test;

import jtorch.Tensor;
import jtorch.nn.functional.F;

import static jtorch.Torch.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The nn-level repros of issue 14, each pinned to what PyTorch 1.13 does (its value, or its error
 * as a deliberate {@link IllegalArgumentException} naming the op and argument).
 */
class ReliabilityReprosTest {
    private static final int MAX = Integer.MAX_VALUE;

    private static void refused(String expectedPart, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(expectedPart), () -> "message '" + e.getMessage() + "' lacks '" + expectedPart + "'");
    }

    // ------------------------------------------------------------ argument arrays of the wrong length

    @Test void poolingEmptyStrideMeansKernelAndOneElementMeansSquare() {
        Tensor x = arange(16.0).reshape(1, 1, 4, 4);
        assertEquals("tensor([[[[ 5.,  7.],\n          [13., 15.]]]])",
                F.maxPool2d(x, new int[] {2, 2}, new int[] {}, new int[] {0, 0}, new int[] {1, 1}, false).toString());
        assertEquals(F.maxPool2d(x, 2).toString(), F.maxPool2d(x, new int[] {2}, null, new int[] {0}, new int[] {1}, false).toString());
        assertEquals(F.avgPool2d(x, 2).toString(), F.avgPool2d(x, new int[] {2}, new int[] {}, new int[] {0}, false, true, 0).toString());
    }

    @Test void poolingArraysOfOtherLengthsAreRefusedByName() {
        Tensor x = ones(1, 1, 4, 4);
        refused("avg_pool2d: kernel_size must either be a single int, or a tuple of two ints",
                () -> F.avgPool2d(x, new int[] {2, 2, 2}, new int[] {}, new int[] {0}, false, true, 0));
        refused("max_pool2d: stride must either be omitted", () -> F.maxPool2d(x, new int[] {2}, new int[] {1, 1, 1}, new int[] {0}, new int[] {1}, false));
        refused("max_pool2d: padding", () -> F.maxPool2d(x, new int[] {2}, new int[] {2}, new int[] {}, new int[] {1}, false));
        refused("max_pool2d: dilation", () -> F.maxPool2d(x, new int[] {2}, new int[] {2}, new int[] {0}, new int[] {1, 1, 1}, false));
        refused("max_pool2d: kernel_size", () -> F.maxPool2d(x, null, null, new int[] {0}, new int[] {1}, false));
    }

    @Test void unfoldFoldAndAdaptivePoolingNeedExactlyTwo() {
        Tensor x = ones(1, 1, 4, 4);
        refused("It is expected kernel_size equals to 2, but got size 1", () -> F.unfold(x, new int[] {2}, new int[] {1}, new int[] {0}, new int[] {1}));
        refused("It is expected kernel_size equals to 2, but got size 3", () -> F.unfold(x, new int[] {2, 2, 2}, new int[] {1, 1}, new int[] {0, 0}, new int[] {1, 1}));
        refused("It is expected stride equals to 2, but got size 0", () -> F.unfold(x, new int[] {2, 2}, new int[] {1, 1}, new int[] {0, 0}, new int[] {}));
        refused("It is expected output_size equals to 2, but got size 1",
                () -> F.fold(ones(1, 4, 9), new int[] {4}, new int[] {2, 2}, new int[] {1, 1}, new int[] {0, 0}, new int[] {1, 1}));
        refused("adaptive_avg_pool2d: output_size must be 2", () -> F.adaptiveAvgPool2d(x, new int[] {2}));
        // The int forms are PyTorch's "an int means square".
        assertEquals(size(1, 4, 9), F.unfold(x, 2).shape());
        assertEquals(size(1, 1, 2, 2), F.adaptiveAvgPool2d(x, 2).shape());
    }

    private static jtorch.Size size(long... s) { return jtorch.Size.of(s); }

    // ------------------------------------------------------------ geometry overflow

    @Test void hugeGeometryIsRefusedNotWrappedAround() {
        Tensor x = ones(1, 1, 4, 4);
        refused("unfold: window along height too large", () -> F.unfold(x, new int[] {1, 1}, new int[] {1, 1}, new int[] {MAX, MAX}, new int[] {1, 1}));
        refused("max_pool2d: window along height too large",
                () -> F.maxPool2d(x, new int[] {2, 2}, new int[] {1, 1}, new int[] {0, 0}, new int[] {MAX, MAX}, false));
        refused("calculated shape of the array of sliding blocks", () -> F.unfold(x, new int[] {2, 2}, new int[] {MAX, MAX}, new int[] {0, 0}, new int[] {1, 1}));
        refused("adaptive_avg_pool2d: an output of shape [1, 1, 2147483647, 2]", () -> F.adaptiveAvgPool2d(x, new int[] {MAX, 2}));
        refused("fold: an output of shape [1, 1, 2147483647, 1]", () -> F.fold(ones(1, 1, 1), new int[] {MAX, 1}, new int[] {1, 1}, new int[] {1, 1}, new int[] {0, 0}, new int[] {MAX, 1}));
        // Stride MAX_VALUE is fine (PyTorch: one window).
        assertEquals(size(1, 1, 1, 1), F.maxPool2d(x, new int[] {2, 2}, new int[] {MAX, MAX}, new int[] {0, 0}, new int[] {1, 1}, false).shape());
        assertEquals(size(1, 1, 1, 1), F.avgPool2d(x, new int[] {3, 3}, new int[] {MAX, MAX}, new int[] {1, 1}, true, true, 0).shape());
        assertEquals(size(1, 1, 1), F.unfold(x, new int[] {1, 1}, new int[] {1, 1}, new int[] {0, 0}, new int[] {MAX, MAX}).shape());
    }

    // ------------------------------------------------------------ pad

    @Test void replicatePadWithNegativePads() {
        refused("input (W: 3) is too small. Calculated output W: -1", () -> F.pad(zeros(1, 3), new int[] {-2, -2}, "replicate", 0));
        assertEquals("tensor([[[1.],\n         [4.]]])", F.pad(arange(6.0).reshape(1, 2, 3), new int[] {-1, -1}, "replicate", 0).toString());
    }

    @Test void padModesOnInputsTooSmallOrOfTheWrongRank() {
        refused("Padding size should be less than the corresponding input dimension", () -> F.pad(zeros(1, 1), new int[] {1, 1}, "reflect", 0));
        refused("Only 2D, 3D, 4D, 5D padding", () -> F.pad(zeros(3), new int[] {1, 1}, "replicate", 0));
        refused("Invalid padding size, expected 0 but got 2", () -> F.pad(zeros(1, 3), new int[] {1, 1}, "circular", 0));
        refused("Padding value causes wrapping around more than once", () -> F.pad(zeros(1, 1, 3), new int[] {4, 0}, "circular", 0));
        refused("other non-zero dimensions", () -> F.pad(zeros(1, 0), new int[] {1, 1}, "replicate", 0));
        refused("doesn't take in value argument", () -> F.pad(zeros(1, 3), new int[] {1, 1}, "reflect", 1));
        refused("\"reflection_pad1d\" not implemented for 'Long'", () -> F.pad(tensor(new long[][] {{1, 2}}), new int[] {1, 1}, "reflect", 0));
        assertEquals(size(1, 6), F.pad(zeros(1, 3), new int[] {3, 0}, "replicate", 0).shape());
    }

    // ------------------------------------------------------------ answers that differed

    @Test void adaptiveAvgPoolKeepsANaNInItsOwnWindow() {
        Tensor x = tensor(new float[] {1, 2, 3, Float.NaN}).reshape(1, 1, 1, 4);
        assertEquals("tensor([[[[1.5000,    nan]]]])", F.adaptiveAvgPool2d(x, new int[] {1, 2}).toString());
        assertEquals(size(1, 1, 0, 2), F.adaptiveAvgPool2d(x, new int[] {0, 2}).shape());
    }

    @Test void linearWithAZeroDimWeight() {
        refused("both arguments to matmul need to be at least 1D, but they are 2D and 0D", () -> F.linear(ones(2, 3), tensor(1.0), null));
        assertEquals("tensor([3., 3.])", F.linear(ones(2, 3), ones(3), null).toString());
    }

    // ------------------------------------------------------------ empty batches, infinities

    @Test void batchNormOnAnEmptyBatchInTraining() {
        for (Module m : new Module[] {new BatchNorm1d(3), new BatchNorm2d(3)}) {
            Tensor x = m instanceof BatchNorm1d ? empty(0, 3).requiresGrad_() : empty(0, 3, 2, 2).requiresGrad_();
            Tensor y = m.forward(x);
            assertEquals(x.shape(), y.shape());
            y.sum().backward();
            var params = m.namedParameters();
            assertEquals("tensor([0., 0., 0.])", params.get("weight").grad().toString());
            assertEquals("tensor([0., 0., 0.])", params.get("bias").grad().toString());
            var buffers = m.stateDict();
            assertEquals("tensor([0., 0., 0.])", buffers.get("running_mean").toString()); // untouched, as PyTorch
            assertEquals("tensor([1., 1., 1.])", buffers.get("running_var").toString());
        }
    }

    @Test void smoothL1GradientAtAnInfiniteDifferenceIsItsSign() {
        float inf = Float.POSITIVE_INFINITY;
        for (double beta : new double[] {0.5, 1.0}) {
            Tensor x = tensor(new float[] {inf, -inf, 1}).requiresGrad_();
            Tensor loss = F.smoothL1Loss(x, zeros(3), "sum", beta);
            loss.backward();
            assertEquals("tensor(inf)", loss.detach().toString());
            assertEquals("tensor([ 1., -1.,  1.])", x.grad().toString());
        }
    }

    @Test void bceWithLogitsGradientAtInfiniteLogits() {
        float inf = Float.POSITIVE_INFINITY;
        Tensor x = tensor(new float[] {-inf, inf}).requiresGrad_();
        Tensor loss = F.binaryCrossEntropyWithLogits(x, full(new long[] {2}, 0.5), null, "none", null);
        loss.sum().backward();
        assertEquals("tensor([nan, inf])", loss.detach().toString()); // PyTorch's values too
        assertEquals("tensor([-0.5000,  0.5000])", x.grad().toString());
        Tensor xw = tensor(new float[] {-inf, inf}).requiresGrad_();
        F.binaryCrossEntropyWithLogits(xw, full(new long[] {2}, 0.5), null, "none", full(new long[] {2}, 2.0)).sum().backward();
        assertEquals("tensor([-1.0000,  0.5000])", xw.grad().toString());
    }

    @Test void foldModuleWithAOneElementOutputSize() { // found by ApiFuzzPropertiesTest: an AIOOBE in the constructor
        refused("Fold: It is expected output_size equals to 2, but got size 1", () -> new Fold(new int[] {-5}, Unfold.options(2)));
    }
}
