package jtorch.nn.functional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import jtorch.Size;
import jtorch.Tensor;
import jtorch.nn.ConvTranspose1d;
import jtorch.nn.ConvTranspose2d;

import static jtorch.Torch.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Bad arguments of the convolutions fail as in PyTorch 1.13 (the messages were taken from it), and
 * geometry near the int range (issue #14) is computed in long: refused with a clear message where
 * the result cannot be held or indexed, computed where PyTorch computes it.
 */
class ConvErrorsTest {
    static void fails(String message, Executable e) {
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class, e);
        assertEquals(message, x.getMessage());
    }

    static void failsContaining(String part, Executable e) {
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class, e);
        assertTrue(x.getMessage().contains(part), x.getMessage());
    }

    @Test void hugePaddingIsRefusedNotAnsweredWithZeros() {
        // PyTorch tries to allocate 64 GiB for the output and fails.
        failsContaining("the output of size [1, 1, 4294967298, 4294967298] would have more elements than a tensor can hold",
                () -> F.conv2d(zeros(1, 1, 4, 4), ones(1, 1, 1, 1), null, 1, Integer.MAX_VALUE, 1, 1));
        failsContaining("would have more elements than a tensor can hold",
                () -> F.conv1d(zeros(1, 1, 4), ones(1, 1, 1), null, 1, Integer.MAX_VALUE, 1, 1));
        failsContaining("would have more elements than a tensor can hold",
                () -> F.convTranspose2d(zeros(1, 1, 4, 4), ones(1, 1, 1, 1), null, Integer.MAX_VALUE, 0, 0, 1, 1));
    }

    @Test void strideNearTheIntRangeIsComputed() {
        // As in PyTorch: one window, at the origin.
        Tensor x = arange(16.0f).reshape(1, 1, 4, 4);
        Tensor y = F.conv2d(x, ones(1, 1, 2, 2), null, Integer.MAX_VALUE, 0, 1, 1);
        assertEquals(Size.of(1, 1, 1, 1), y.shape());
        assertEquals(10.0, y.item());
        assertEquals(Size.of(1, 1, 1), F.conv1d(zeros(1, 1, 5), ones(1, 1, 3), null, Integer.MAX_VALUE - 1, 0, 1, 1).shape());
    }

    @Test void dilationNearTheIntRange() {
        fails("Calculated padded input size per channel: (4 x 4). Kernel size: (2147483648 x 2147483648). Kernel size can't be greater "
                + "than actual input size", () -> F.conv2d(zeros(1, 1, 4, 4), ones(1, 1, 2, 2), null, 1, 0, Integer.MAX_VALUE, 1));
        // PyTorch gives a (1, 1, 5, 5) output: every window sees one pixel at most, here none (all padding or beyond).
        Tensor y = F.conv2d(ones(1, 1, 4, 4), ones(1, 1, 2, 2), null, 1, 1 << 30, Integer.MAX_VALUE, 1);
        assertEquals(Size.of(1, 1, 5, 5), y.shape());
        assertEquals(0.0, y.abs().sum().item());
        failsContaining("reaches positions beyond what an index can address",
                () -> F.conv2d(ones(1, 1, 4, 4), ones(1, 1, 1, 1), null, Integer.MAX_VALUE, Integer.MAX_VALUE, 1, 1));
    }

    @Test void transposedArgumentsAsPyTorchChecksThem() {
        fails("output padding must be smaller than either stride or dilation, but got output_padding_height: 1 output_padding_width: 1 "
                + "stride_height: 1 stride_width: 1 dilation_height: 1 dilation_width: 1",
                () -> F.convTranspose2d(zeros(1, 2, 4, 4), ones(2, 3, 3, 3), null, 1, 0, 1, 1, 1));
        assertEquals(Size.of(1, 3, 10, 10), F.convTranspose2d(zeros(1, 2, 4, 4), ones(2, 3, 3, 3), null, 2, 0, 1, 1, 1).shape());
        fails("Given transposed=1, weight of size [3, 3, 3, 3], expected input[1, 2, 4, 4] to have 3 channels, but got 2 channels instead",
                () -> F.convTranspose2d(zeros(1, 2, 4, 4), ones(3, 3, 3, 3), null, 1, 0, 0, 1, 1));
        fails("Given groups=3, expected weight to be divisible by 3 at dimension 0, but got weight of size [4, 3, 3, 3] instead",
                () -> F.convTranspose2d(zeros(1, 4, 4, 4), ones(4, 3, 3, 3), null, 1, 0, 0, 3, 1));
        fails("Given input size per channel: (4 x 4). Calculated output size per channel: (-4 x -4). Output size is too small",
                () -> F.convTranspose2d(zeros(1, 4, 4, 4), ones(4, 3, 3, 3), null, 1, 5, 0, 1, 1));
        fails("Given transposed=1, weight of size [4, 3, 3, 3], expected bias to be 1-dimensional with 3 elements, but got bias of "
                + "size [4] instead", () -> F.convTranspose2d(zeros(1, 4, 4, 4), ones(4, 3, 3, 3), ones(4), 1, 0, 0, 1, 1));
        fails("Expected 3D (unbatched) or 4D (batched) input to conv_transpose2d, but got input of size: [4, 4]",
                () -> F.convTranspose2d(zeros(4, 4), ones(4, 3, 3, 3), null, 1, 0, 0, 1, 1));
        fails("non-positive stride is not supported", () -> F.convTranspose2d(zeros(1, 4, 4, 4), ones(4, 3, 3, 3), null, 0, 0, 0, 1, 1));
        fails("negative padding is not supported", () -> F.convTranspose2d(zeros(1, 4, 4, 4), ones(4, 3, 3, 3), null, 1, -1, 0, 1, 1));
        fails("negative output_padding is not supported",
                () -> F.convTranspose2d(zeros(1, 4, 4, 4), ones(4, 3, 3, 3), null, 1, 0, -1, 1, 1));
        fails("non-positive groups is not supported", () -> F.convTranspose2d(zeros(1, 4, 4, 4), ones(4, 3, 3, 3), null, 1, 0, 0, 0, 1));
        fails("expected stride to be a single integer value or a list of 1 values to match the convolution dimensions, but got "
                + "stride=[1, 1]", () -> jtorch.Torch.convolution(zeros(1, 4, 4), ones(4, 3, 3), null, new int[] {1, 1}, new int[] {0},
                new int[] {1}, true, new int[] {0}, 1));
        fails("Input type (torch.FloatTensor) and weight type (torch.DoubleTensor) should be the same",
                () -> F.convTranspose2d(zeros(1, 4, 4, 4), ones(4, 3, 3, 3).to(float64), null));
        assertEquals(Size.of(3, 6), F.convTranspose1d(zeros(4, 4), ones(4, 3, 3), null, 1, 0, 0, 1, 1).shape());
    }

    @Test void modulesRefuseWhatPyTorchRefuses() {
        fails("Only \"zeros\" padding mode is supported for ConvTranspose2d",
                () -> new ConvTranspose2d(ConvTranspose2d.options(4, 6, 3).paddingMode("reflect")));
        fails("Only \"zeros\" padding mode is supported for ConvTranspose1d",
                () -> new ConvTranspose1d(ConvTranspose1d.options(4, 6, 3).paddingMode("circular")));
        var up = new ConvTranspose2d(ConvTranspose2d.options(4, 6, 3).stride(2));
        assertEquals(Size.of(1, 6, 12, 12), up.forward(zeros(1, 4, 5, 5), new int[] {12, 12}).shape());
        fails("requested an output size of [14, 14], but valid sizes range from [11, 11] to [12, 12] (for an input of torch.Size([5, 5]))",
                () -> up.forward(zeros(1, 4, 5, 5), new int[] {14, 14}));
        assertEquals(Size.of(6, 12), new ConvTranspose1d(ConvTranspose1d.options(4, 6, 3).stride(2)).forward(zeros(4, 5), 12).shape());
    }

    @Test void gradFnIsConvolutionBackward0() {
        Tensor x = zeros(1, 2, 4, 4).requiresGrad_();
        assertEquals("ConvolutionBackward0", F.conv2d(x, ones(3, 2, 3, 3)).gradFn().name());
        assertEquals("ConvolutionBackward0", F.convTranspose2d(x, ones(2, 3, 3, 3)).gradFn().name());
        Tensor x1 = zeros(1, 2, 4).requiresGrad_();
        assertEquals("ConvolutionBackward0", F.conv1d(x1, ones(3, 2, 3), null, 1, 0, 1, 1).gradFn().name());
        assertEquals("ConvolutionBackward0", F.convTranspose1d(x1, ones(2, 3, 3), null, 1, 0, 0, 1, 1).gradFn().name());
    }
}
