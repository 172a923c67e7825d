package jtorch;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import static jtorch.Torch.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Tensor-level random ops give PyTorch's values bit for bit with the same seed (fixtures from
 * tools/gen_random_fixtures.py, PyTorch 1.13 on AVX2): in-place fills of non-contiguous views go in
 * storage order, bernoulli follows the spec's draw counts.
 */
class RandomParityTest {
    private static final Map<String, Supplier<Tensor>> CASES = new HashMap<>();

    static {
        CASES.put("uniform_transposed", () -> empty(3, 4).t().uniform_());
        CASES.put("uniform_range_f64", () -> empty(new long[] {2, 3}, DType.FLOAT64).uniform_(-2, 3));
        CASES.put("normal_transposed_20", () -> empty(4, 5).t().normal_());
        CASES.put("normal_contiguous_20", () -> empty(4, 5).normal_(1.5, 0.5));
        CASES.put("normal_strided_f32", () -> empty(6, 6).index("::2, 1::2").normal_());
        CASES.put("bernoulli_tensor_f32", () -> bernoulli(full(new long[] {12}, 0.4)));
        CASES.put("bernoulli_tensor_f64", () -> bernoulli(linspace(0, 1, 9).to(DType.FLOAT64)));
        CASES.put("bernoulli_scalar_f32", () -> empty(3, 5).bernoulli_(0.3));
        CASES.put("bernoulli_scalar_i64", () -> empty(new long[] {7}, DType.INT64).bernoulli_(0.5));
        CASES.put("randperm_10", () -> randperm(10));
        CASES.put("randint_3x4", () -> randint(-5, 7, 3, 4));
        CASES.put("rand_then_randn", () -> cat(rand(5), randn(5)));
    }

    @TestFactory Stream<DynamicTest> sameSeedSameBits() throws IOException {
        Stream.Builder<DynamicTest> tests = Stream.builder();
        try (var in = getClass().getResourceAsStream("/jtorch/random_fixtures.txt");
             var r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith("#")) continue;
                String[] f = line.split("\t");
                String name = f[0];
                long seed = Long.parseLong(f[1]);
                String[] values = f[4].split(" ");
                long[] shape = Stream.of(f[3].split(" ")).mapToLong(Long::parseLong).toArray();
                tests.add(DynamicTest.dynamicTest(name, () -> {
                    assertTrue(CASES.containsKey(name), "no Java case for " + name);
                    manualSeed(seed);
                    Tensor t = CASES.get(name).get();
                    assertArrayEquals(shape, t.shape().toArray());
                    assertEquals(f[2], t.dtype().torchName().substring("torch.".length()));
                    for (int i = 0; i < values.length; i++) {
                        switch (t.dtype()) {
                            case FLOAT32: assertEquals(Integer.parseUnsignedInt(values[i], 16), Float.floatToRawIntBits(t.toFloatArray()[i]), name + "[" + i + "]"); break;
                            case FLOAT64: assertEquals(Long.parseUnsignedLong(values[i], 16), Double.doubleToRawLongBits(t.toDoubleArray()[i]), name + "[" + i + "]"); break;
                            default: assertEquals(Long.parseLong(values[i]), t.toLongArray()[i], name + "[" + i + "]");
                        }
                    }
                }));
            }
        }
        return tests.build();
    }
}
