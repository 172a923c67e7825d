package jtorch.serialization;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jtorch.DType;
import jtorch.Tensor;
import jtorch.internal.TensorInternals;

/**
 * The checkpoint fixtures written by {@code tools/gen_checkpoint_fixtures.py} (PyTorch 1.13) and
 * the exact contents it recorded for them in {@code expected.txt} (the script's docstring has the
 * format), plus the bitwise comparison of tensors.
 */
final class Fixtures {
    private Fixtures() {}

    static Path path(String name) {
        URL url = Fixtures.class.getResource("/jtorch/serialization/" + name);
        assertNotNull(url, "missing fixture " + name + " (run tools/gen_checkpoint_fixtures.py)");
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The expected tensors of one fixture file, by key in the file's order. */
    static Map<String, Tensor> expected(String file) throws IOException {
        Map<String, Tensor> out = new LinkedHashMap<>();
        try (InputStream in = Fixtures.class.getResourceAsStream("/jtorch/serialization/expected.txt")) {
            assertNotNull(in, "missing expected.txt");
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isEmpty() || line.startsWith("#")) continue;
                String[] f = line.split("\t", -1);
                if (f[0].equals(file)) out.put(f[1], parse(f[2], f[3], f[4]));
            }
        }
        if (out.isEmpty()) throw new IllegalStateException("no expected tensors for " + file);
        return out;
    }

    /** A tensor from a fixture line's dtype, comma-separated shape and exact values. */
    static Tensor parse(String dtype, String shapeText, String valuesText) {
        int[] shape = shapeText.isEmpty() ? new int[0] : Arrays.stream(shapeText.split(",")).mapToInt(Integer::parseInt).toArray();
        String[] v = valuesText.isEmpty() ? new String[0] : valuesText.split(" ");
        switch (DType.valueOf(dtype)) {
            case FLOAT32: {
                float[] a = new float[v.length];
                for (int i = 0; i < v.length; i++) a[i] = Float.intBitsToFloat(Integer.parseUnsignedInt(v[i], 16));
                return TensorInternals.wrap(a, shape);
            }
            case FLOAT64: {
                double[] a = new double[v.length];
                for (int i = 0; i < v.length; i++) a[i] = Double.longBitsToDouble(Long.parseUnsignedLong(v[i], 16));
                return TensorInternals.wrap(a, shape);
            }
            case INT64: {
                long[] a = new long[v.length];
                for (int i = 0; i < v.length; i++) a[i] = Long.parseLong(v[i]);
                return TensorInternals.wrap(a, shape);
            }
            default: {
                boolean[] a = new boolean[v.length];
                for (int i = 0; i < v.length; i++) a[i] = v[i].equals("1");
                return TensorInternals.wrap(a, shape);
            }
        }
    }

    /** Same dtype, shape and elements bit for bit (NaN payloads and the sign of zero included). */
    static void assertBitEqual(Tensor expected, Tensor actual, String what) {
        assertEquals(expected.dtype(), actual.dtype(), what + ": dtype");
        assertEquals(expected.shape(), actual.shape(), what + ": shape");
        assertArrayEquals(bits(expected), bits(actual), what + ": values");
    }

    /** The elements in row-major order as raw bits (bool as 0/1). */
    static long[] bits(Tensor t) {
        switch (t.dtype()) {
            case FLOAT32: {
                float[] f = t.contiguous().toFloatArray();
                long[] out = new long[f.length];
                for (int i = 0; i < f.length; i++) out[i] = Float.floatToRawIntBits(f[i]);
                return out;
            }
            case FLOAT64: {
                double[] d = t.toDoubleArray();
                long[] out = new long[d.length];
                for (int i = 0; i < d.length; i++) out[i] = Double.doubleToRawLongBits(d[i]);
                return out;
            }
            case INT64: return t.toLongArray();
            default: {
                boolean[] b = t.toBooleanArray();
                long[] out = new long[b.length];
                for (int i = 0; i < b.length; i++) out[i] = b[i] ? 1 : 0;
                return out;
            }
        }
    }

    static void assertSameTensors(Map<String, Tensor> expected, Map<String, Tensor> actual, String what) {
        assertEquals(List.copyOf(expected.keySet()), new ArrayList<>(actual.keySet()), what + ": keys in order");
        for (String k : expected.keySet()) assertBitEqual(expected.get(k), actual.get(k), what + " '" + k + "'");
    }
}
