package jtorch.nn;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import jtorch.Tensor;
import jtorch.nn.functional.Pooling;

import static jtorch.Torch.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Pooling against PyTorch 1.13 (fixtures from tools/gen_pool_fixtures.py): same seed, same
 * {@code randn} input; max-pool values and indices exact (a max is one of the inputs), averages
 * and gradients within float32 rounding (|a - b| <= 1e-6 + 1e-5 |b|).
 */
class PoolParityTest {
    static final class Case {
        String name, repr;
        long seed;
        long[] shape, outShape;
        long[] indices;
        Map<String, float[]> values = new HashMap<>();
    }

    static List<Case> load() throws IOException {
        List<Case> cases = new ArrayList<>();
        Case c = null;
        for (String[] f : ConvParityTest.records("/jtorch/nn/pool_fixtures.txt")) {
            switch (f[0]) {
                case "case": c = new Case(); c.name = f[1]; c.seed = Long.parseLong(f[2]); c.repr = f[3]; cases.add(c); break;
                case "shape": c.shape = ConvParityTest.longs(f[1]); break;
                case "out_shape": c.outShape = ConvParityTest.longs(f[1]); break;
                case "indices": c.indices = f[1].equals("none") ? null : ConvParityTest.longs(f[1]); break;
                default: c.values.put(f[0], ConvParityTest.floats(f[1]));
            }
        }
        return cases;
    }

    static Module build(String name) {
        switch (name) {
            case "max2": return new MaxPool2d(2);
            case "max3_s2_p1": return new MaxPool2d(MaxPool2d.options(3).stride(2).padding(1));
            case "max_ceil": return new MaxPool2d(MaxPool2d.options(2).ceilMode(true));
            case "max_ceil_pad": return new MaxPool2d(MaxPool2d.options(3).stride(2).padding(1).ceilMode(true));
            case "max_dilated": return new MaxPool2d(MaxPool2d.options(2, 3).stride(1, 2).dilation(2));
            case "max_unbatched": return new MaxPool2d(MaxPool2d.options(2).stride(1));
            case "avg2": return new AvgPool2d(2);
            case "avg3_s2_p1": return new AvgPool2d(AvgPool2d.options(3).stride(2).padding(1));
            case "avg_exclude_pad": return new AvgPool2d(AvgPool2d.options(3).stride(2).padding(1).countIncludePad(false));
            case "avg_ceil": return new AvgPool2d(AvgPool2d.options(2).ceilMode(true));
            case "avg_ceil_pad_exclude":
                return new AvgPool2d(AvgPool2d.options(3).stride(2).padding(1).ceilMode(true).countIncludePad(false));
            case "avg_divisor": return new AvgPool2d(AvgPool2d.options(2, 3).stride(2, 1).divisorOverride(4));
            case "adaptive1": return new AdaptiveAvgPool2d(1);
            case "adaptive_uneven": return new AdaptiveAvgPool2d(3, 4);
            case "adaptive_up": return new AdaptiveAvgPool2d(5, 3);
            default: throw new IllegalArgumentException(name);
        }
    }

    static void assertClose(float[] expected, Tensor actual, String what) {
        ConvParityTest.assertClose(expected, actual, what, 1e-6, 1e-5);
    }

    @TestFactory Stream<DynamicTest> matchesPyTorch() throws IOException {
        return load().stream().map(c -> DynamicTest.dynamicTest(c.name, () -> {
            manualSeed(c.seed);
            Module m = build(c.name);
            assertEquals(c.repr, m.toString());
            Tensor x = randn(c.shape).requiresGrad_();
            Tensor y = m.forward(x);
            assertArrayEquals(c.outShape, y.shape().toArray(), "output shape");
            if (m instanceof MaxPool2d) {
                ConvParityTest.assertBits(c.values.get("output"), y.detach(), "output");
                assertArrayEquals(c.indices, ((MaxPool2d) m).forwardWithIndices(x).indices.toLongArray(), "indices");
            } else {
                assertClose(c.values.get("output"), y.detach(), "output");
            }
            Tensor w = arange(y.numel()).to(float32).cos().reshape(y.shape());
            y.mul(w).sum().backward();
            assertClose(c.values.get("grad_input"), x.grad(), "grad_input");
        }));
    }

    @Test void badArgumentsAreRejectedWithPyTorchsMessages() {
        var e = assertThrows(IllegalArgumentException.class, () -> new MaxPool2d(MaxPool2d.options(3).padding(2)).forward(ones(1, 1, 5, 5)));
        assertEquals("pad should be at most half of effective kernel size, but got pad=2, kernel_size=3 and dilation=1", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new MaxPool2d(3).forward(ones(1, 1, 2, 2)));
        assertEquals("Given input size: (1x2x2). Calculated output size: (1x0x0). Output size is too small", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new AvgPool2d(2).forward(ones(4, 4)));
        assertTrue(e.getMessage().startsWith("non-empty 3D or 4D (batch mode) tensor expected for input"), e.getMessage());
    }

    @Test void functionalMaxPoolReturnsIndices() {
        Tensor x = tensor(new float[][][][] {{{{1, 5}, {3, 2}}}});
        Pooling.MaxPoolResult r = Pooling.maxPool2d(x, new int[] {2, 2}, new int[] {2, 2}, new int[] {0, 0}, new int[] {1, 1}, false);
        assertEquals("tensor([[[[5.]]]])", r.values.toString());
        assertEquals("tensor([[[[1]]]])", r.indices.toString());
    }
    /** NaN, signed zeros, ties and -inf windows, as torch 1.13 pools them (a later NaN takes over; ties keep the first). */
    @Test void specialValuesPoolAsInPyTorch() {
        float nan = Float.NaN, inf = Float.POSITIVE_INFINITY;
        Tensor x = tensor(new float[][][][] {{{{1, nan, 2, nan}, {0, -0f, 3, 3}, {-0f, 0, -inf, -inf}, {5, 5, -inf, -inf}}}});
        Pooling.MaxPoolResult r = Pooling.maxPool2d(x, new int[] {2, 2}, new int[] {2, 2}, new int[] {0, 0}, new int[] {1, 1}, false);
        assertEquals("tensor([[[[nan, nan],\n          [5., -inf]]]])", r.values.toString());
        assertEquals("tensor([[[[ 1,  3],\n          [12, 10]]]])", r.indices.toString());
        r = Pooling.maxPool2d(x, new int[] {3, 3}, new int[] {1, 1}, new int[] {1, 1}, new int[] {1, 1}, false);
        assertEquals("tensor([[[[nan, nan, nan, nan],\n          [nan, nan, nan, nan],\n          [5., 5., 5., 3.],\n"
                + "          [5., 5., 5., -inf]]]])", r.values.toString());
        assertEquals("tensor([[[[ 1,  1,  3,  3],\n          [ 1,  1,  3,  3],\n          [12, 12, 13,  6],\n"
                + "          [12, 12, 13, 10]]]])", r.indices.toString());
    }
}
