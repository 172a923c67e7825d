package jtorch.nn.functional;

import org.junit.jupiter.api.Test;

import jtorch.Tensor;
import jtorch.nn.Conv2d;

import static jtorch.Torch.*;
import static org.junit.jupiter.api.Assertions.*;

/** The F forms of convolution, folding, padding and pooling agree with the modules and with PyTorch's examples. */
class ConvFacadeTest {
    @Test void conv2dMatchesTheModule() {
        manualSeed(3);
        var conv = new Conv2d(Conv2d.options(2, 4, 3).padding(1).stride(2));
        Tensor x = randn(2, 2, 7, 6);
        Tensor viaModule = conv.forward(x);
        Tensor viaF = F.conv2d(x, conv.weight, conv.bias, 2, 1, 1, 1);
        assertTrue(viaModule.equal(viaF));
        assertEquals(viaModule.shape(), F.conv2d(x, conv.weight, conv.bias, new int[] {2, 2}, new int[] {1, 1}, new int[] {1, 1}, 1).shape());
        assertEquals(jtorch.Size.of(2, 4, 7, 6), F.conv2d(x, conv.weight, conv.bias, 1, "same", 1, 1).shape());
    }

    @Test void unfoldThenFoldCountsOverlaps() {
        // PyTorch's documented identity: fold(unfold(x)) == x * (number of blocks covering each pixel).
        Tensor x = ones(1, 1, 3, 3);
        Tensor back = F.fold(F.unfold(x, 2), new int[] {3, 3}, 2);
        assertEquals("tensor([[[[1., 2., 1.],\n          [2., 4., 2.],\n          [1., 2., 1.]]]])", back.toString());
    }

    @Test void padAndPooling() {
        Tensor x = arange(4.0).reshape(1, 1, 2, 2);
        assertEquals("tensor([[[[3., 2., 3., 2.],\n          [1., 0., 1., 0.]]]])", F.pad(x, new int[] {1, 1, 1, 0}, "reflect", 0).index(":, :, :2").toString());
        assertEquals("tensor([[[[3.]]]])", F.maxPool2d(x, 2).toString());
        assertEquals("tensor([[[[1.5000]]]])", F.avgPool2d(x, 2).toString());
        assertEquals("tensor([[[[1.5000]]]])", F.adaptiveAvgPool2d(x, 1).toString());
        assertEquals("tensor([[[[3]]]])", F.maxPool2dWithIndices(x, new int[] {2, 2}, new int[] {2, 2}, new int[] {0, 0}, new int[] {1, 1}, false).indices.toString());
    }
}
