package jtorch.nn;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import jtorch.Tensor;

import static jtorch.Torch.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * nn.Conv2d / nn.Conv1d / nn.ConvTranspose2d / nn.ConvTranspose1d against PyTorch 1.13 (fixtures from tools/gen_conv_fixtures.py): with the
 * same seed, the initial weight, bias and {@code randn} input are bit-identical; the output and the
 * gradients agree within float32 rounding (the sums run in a different order), checked as
 * |a - b| <= 1e-5 + 1e-4 |b|.
 */
class ConvParityTest {
    static final class Case {
        String name, kind, repr;
        long seed;
        long[] shape, outShape;
        Map<String, float[]> values = new HashMap<>();
    }

    static List<Case> load() throws IOException {
        List<Case> cases = new ArrayList<>();
        Case c = null;
        for (String[] f : records("/jtorch/nn/conv_fixtures.txt")) {
            switch (f[0]) {
                case "case":
                    c = new Case();
                    c.name = f[1]; c.kind = f[2]; c.seed = Long.parseLong(f[3]); c.repr = f[5];
                    cases.add(c);
                    break;
                case "shape": c.shape = longs(f[1]); break;
                case "out_shape": c.outShape = longs(f[1]); break;
                default: c.values.put(f[0], f[1].equals("none") ? null : floats(f[1]));
            }
        }
        return cases;
    }

    /** The tab-separated records of a fixture resource, without comments and blank lines. */
    static List<String[]> records(String resource) throws IOException {
        List<String[]> records = new ArrayList<>();
        try (var in = ConvParityTest.class.getResourceAsStream(resource);
             var r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; )
                if (!line.startsWith("#") && !line.isBlank()) records.add(line.split("\t"));
        }
        return records;
    }

    static long[] longs(String s) { return Stream.of(s.split(" ")).mapToLong(Long::parseLong).toArray(); }

    static float[] floats(String s) {
        String[] p = s.split(" ");
        float[] v = new float[p.length];
        for (int i = 0; i < p.length; i++) v[i] = Float.intBitsToFloat(Integer.parseUnsignedInt(p[i], 16));
        return v;
    }

    static Module build(String name) {
        switch (name) {
            case "tutorial_1x2_nobias": return new Conv2d(Conv2d.options(1, 1, 1, 2).bias(false));
            case "k3_p1": return new Conv2d(Conv2d.options(1, 1, 3).padding(1));
            case "k53_p21": return new Conv2d(Conv2d.options(1, 1, 5, 3).padding(2, 1));
            case "k3_p1_s2": return new Conv2d(Conv2d.options(1, 1, 3).padding(1).stride(2));
            case "lenet1": return new Conv2d(Conv2d.options(1, 6, 5).padding(2));
            case "lenet2": return new Conv2d(6, 16, 5);
            case "dilated": return new Conv2d(Conv2d.options(3, 4, 3).dilation(2).padding(1));
            case "groups": return new Conv2d(Conv2d.options(4, 6, 2, 3).groups(2).stride(2, 1));
            case "depthwise": return new Conv2d(Conv2d.options(3, 3, 3).groups(3).padding(1));
            case "same": return new Conv2d(Conv2d.options(2, 3, 4, 3).padding("same"));
            case "same_dilated": return new Conv2d(Conv2d.options(2, 2, 3).padding("same").dilation(2));
            case "valid": return new Conv2d(Conv2d.options(2, 2, 2).padding("valid"));
            case "reflect": return new Conv2d(Conv2d.options(2, 3, 3).padding(2).paddingMode("reflect"));
            case "replicate": return new Conv2d(Conv2d.options(1, 2, 3).padding(1, 2).paddingMode("replicate"));
            case "circular": return new Conv2d(Conv2d.options(2, 2, 3, 2).padding(1).paddingMode("circular"));
            case "unbatched": return new Conv2d(2, 3, 2);
            case "conv1d": return new Conv1d(Conv1d.options(3, 4, 3).padding(1).stride(2));
            case "conv1d_groups": return new Conv1d(Conv1d.options(4, 2, 2).groups(2).dilation(2));
            case "tconv_basic": return new ConvTranspose2d(2, 3, 3);
            case "tconv_s2_p1_op1": return new ConvTranspose2d(ConvTranspose2d.options(3, 2, 3).stride(2).padding(1).outputPadding(1));
            case "tconv_groups_dil":
                return new ConvTranspose2d(ConvTranspose2d.options(4, 6, 2, 3).groups(2).dilation(2, 1).stride(1, 2).bias(false));
            case "tconv_depthwise": return new ConvTranspose2d(ConvTranspose2d.options(3, 3, 3).groups(3).stride(2).padding(1));
            case "tconv_op_dilation": return new ConvTranspose2d(ConvTranspose2d.options(2, 2, 3).dilation(2).outputPadding(1));
            case "tconv_unbatched": return new ConvTranspose2d(ConvTranspose2d.options(2, 3, 2).stride(2));
            case "tconv_k4_s2_p1": return new ConvTranspose2d(ConvTranspose2d.options(4, 2, 4).stride(2).padding(1));
            case "tconv1d": return new ConvTranspose1d(ConvTranspose1d.options(3, 4, 3).stride(2).padding(1).outputPadding(1));
            case "tconv1d_groups": return new ConvTranspose1d(ConvTranspose1d.options(4, 2, 2).groups(2).dilation(2).bias(false));
            case "tconv1d_unbatched": return new ConvTranspose1d(2, 2, 3);
            default: throw new IllegalArgumentException(name);
        }
    }

    static void assertBits(float[] expected, Tensor actual, String what) {
        float[] a = actual.toFloatArray();
        assertEquals(expected.length, a.length, what + " size");
        for (int i = 0; i < a.length; i++)
            assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(a[i]), what + " element " + i);
    }

    static void assertClose(float[] expected, Tensor actual, String what) { assertClose(expected, actual, what, 1e-5, 1e-4); }

    /** |actual - expected| <= atol + rtol |expected|, element by element. */
    static void assertClose(float[] expected, Tensor actual, String what, double atol, double rtol) {
        float[] a = actual.toFloatArray();
        assertEquals(expected.length, a.length, what + " size");
        for (int i = 0; i < a.length; i++)
            assertTrue(Math.abs(a[i] - expected[i]) <= atol + rtol * Math.abs(expected[i]),
                    what + " element " + i + ": expected " + expected[i] + " got " + a[i]);
    }

    @TestFactory Stream<DynamicTest> matchesPyTorch() throws IOException {
        return load().stream().map(c -> DynamicTest.dynamicTest(c.name, () -> {
            manualSeed(c.seed);
            Module m = build(c.name);
            assertEquals(c.repr, m.toString());
            Parameter weight = m.namedParameters().get("weight");
            Parameter bias = m.namedParameters().get("bias");
            assertBits(c.values.get("weight"), weight, "weight");
            if (c.values.get("bias") == null) assertNull(bias);
            else assertBits(c.values.get("bias"), bias, "bias");
            Tensor x = randn(c.shape).requiresGrad_();
            assertBits(c.values.get("input"), x, "input");
            Tensor y = m.forward(x);
            assertArrayEquals(c.outShape, y.shape().toArray(), "output shape");
            assertClose(c.values.get("output"), y.detach(), "output");
            Tensor w = arange(y.numel()).to(float32).cos().reshape(y.shape());
            y.mul(w).sum().backward();
            assertClose(c.values.get("grad_input"), x.grad(), "grad_input");
            assertClose(c.values.get("grad_weight"), weight.grad(), "grad_weight");
            if (bias != null) assertClose(c.values.get("grad_bias"), bias.grad(), "grad_bias");
        }));
    }
}
