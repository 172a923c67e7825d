package jtorch;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import static jtorch.Torch.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The core repros of issue 14, each pinned to what PyTorch 1.13 does: its value, or its error as
 * a deliberate exception whose message says what PyTorch's says.
 */
class ReliabilityReprosTest {
    private static <T extends Throwable> void refused(Class<T> type, String expectedPart, Executable call) {
        T e = assertThrows(type, call);
        assertTrue(e.getMessage().contains(expectedPart), () -> "message '" + e.getMessage() + "' lacks '" + expectedPart + "'");
    }

    // ------------------------------------------------------------ 0-dim tensors

    @Test void sizeAndStrideOfAZeroDimTensorAreIndexErrors() {
        refused(IndexOutOfBoundsException.class, "Dimension specified as -1 but tensor has no dimensions", () -> tensor(1.0).size(-1));
        refused(IndexOutOfBoundsException.class, "Dimension specified as 0 but tensor has no dimensions", () -> tensor(1.0).stride(0));
        assertEquals(3, ones(2, 3).size(-1));
    }

    @Test void flattenAndUnflattenOfAZeroDimTensor() {
        refused(IndexOutOfBoundsException.class, "expected to be in range of [-1, 0], but got 1", () -> tensor(1.0).flatten(1, 0));
        assertEquals("tensor([1.])", tensor(1.0).flatten(0, 0).toString());
        assertEquals("tensor([1.])", tensor(1.0).flatten(-1, 0).toString());
        refused(IndexOutOfBoundsException.class, "Dimension specified as 0 but tensor has no dimensions", () -> tensor(1.0).unflatten(0, new long[] {}));
        refused(IllegalArgumentException.class, "unflatten: sizes must be non-empty", () -> ones(3).unflatten(0, new long[] {}));
        refused(IllegalArgumentException.class, "flatten() has invalid args: start_dim cannot come after end_dim", () -> ones(2, 3).flatten(1, 0));
    }

    // ------------------------------------------------------------ sizes that cannot be allocated

    @Test void rangesTooLargeForATensorAreRefused() {
        refused(IllegalArgumentException.class, "arange: invalid size", () -> arange(1e300, -2.25, -3.0));
        refused(IllegalArgumentException.class, "arange: invalid size", () -> arange(Long.MIN_VALUE, Long.MAX_VALUE, 1));
        refused(IllegalArgumentException.class, "linspace", () -> linspace(0, 1, Long.MAX_VALUE));
        refused(IllegalArgumentException.class, "randperm: n must be non-negative", () -> randperm(-1));
        assertEquals("tensor([5, 2])", arange(5L, 0L, -3L).toString());
    }

    // ------------------------------------------------------------ type promotion

    @Test void integerTensorsToFloatPowersBecomeFloat() {
        Tensor x = tensor(new long[] {1, 2, 3});
        assertEquals("tensor([1., 4., 9.])", x.pow(2.0).toString());
        assertEquals("tensor([1.0000, 0.5000, 0.3333])", x.pow(-1.0).toString());
        assertEquals("tensor([1, 4, 9])", x.pow(2L).toString());
        refused(IllegalArgumentException.class, "Integers to negative integer powers are not allowed.", () -> x.pow(-1L));
        assertEquals("tensor([1., inf])", tensor(new boolean[] {true, false}).pow(-1.0).toString());
    }

    @Test void integerToNegativeIntegerTensorPowersArePyTorchsIntegers() {
        assertEquals("tensor([ 0,  1, -1])", tensor(new long[] {2, 1, -1}).pow(tensor(new long[] {-1, -1, -1})).toString());
        assertEquals("tensor([0, 1, 1, 0])", tensor(new long[] {2, 1, -1, 0}).pow(tensor(new long[] {-2, -2, -2, -3})).toString());
    }

    @Test void clampDtypeFollowsTheBoundsType() {
        assertEquals("tensor(1.)", tensor(true).clampMax(1.0).toString());
        assertEquals("tensor(1)", tensor(true).clampMax(1L).toString());
        assertEquals("tensor([1.0000, 1.5000])", tensor(new long[] {1, 2}).clamp(0.5, 1.5).toString());
        assertEquals("tensor([2])", tensor(new long[] {1}).clampMin(2).toString());
        refused(IllegalArgumentException.class, "result type Float can't be cast to the desired output type",
                () -> tensor(new long[] {1}).clamp_(0.5, 1.5));
    }

    // ------------------------------------------------------------ empty tensors, bool

    @Test void chunkOfAnEmptyDimGivesTheRequestedNumberOfChunks() {
        List<Tensor> chunks = empty(0, 3).chunk(3, 0);
        assertEquals(3, chunks.size());
        for (Tensor c : chunks) assertEquals(Size.of(0, 3), c.shape());
        assertEquals(3, ones(6).chunk(5).size()); // PyTorch: chunks of 2, so only 3
    }

    @Test void argmaxOfBoolIsNotImplemented() {
        refused(IllegalArgumentException.class, "\"argmax_cpu\" not implemented for 'Bool'", () -> tensor(new boolean[] {true, false}).argmax());
        refused(IllegalArgumentException.class, "\"argmin_cpu\" not implemented for 'Bool'", () -> tensor(new boolean[] {true}).argmin(0));
        assertEquals("tensor(True)", tensor(new boolean[] {true, false}).max().toString());
    }

    // ------------------------------------------------------------ nulls (found by nn's ApiFuzzPropertiesTest)

    @Test void nullArgumentsOfTensorMethodsAreRefusedByName() {
        Tensor x = ones(2, 3);
        refused(IllegalArgumentException.class, "operand 1 of an elementwise op", () -> x.add((Tensor) null));
        refused(IllegalArgumentException.class, "matmul: other must not be null", () -> x.matmul(null));
        refused(IllegalArgumentException.class, "gather: index must not be null", () -> x.gather(0, null));
        refused(IllegalArgumentException.class, "view: shape must not be null", () -> x.view((long[]) null));
        refused(IllegalArgumentException.class, "index: element 0 of indices is null", () -> x.index((TensorIndex) null));
        refused(IllegalArgumentException.class, "torch.cat(): expected Tensor as element 1", () -> cat(java.util.Arrays.asList(x, null), 0));
        refused(IllegalArgumentException.class, "expected a dtype, but got null", () -> x.to((DType) null));
    }
}
