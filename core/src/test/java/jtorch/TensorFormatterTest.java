package jtorch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Checks {@link TensorFormatter} against {@code repr()} output recorded from real PyTorch 1.13
 * by {@code tools/gen_print_fixtures.py} (see that script for the fixture format).
 */
class TensorFormatterTest {

    private static final String FIXTURES = "/jtorch/print_fixtures.txt";

    @TestFactory
    Stream<DynamicTest> reprMatchesPyTorch() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (String[] f : records("case")) {
            // case, name, dtype, shape, requires_grad, grad_fn, values, repr
            DType dtype = DType.valueOf(f[2]);
            long[] shape = parseShape(f[3]);
            boolean requiresGrad = f[4].equals("1");
            String gradFn = f[5].equals("-") ? null : f[5];
            Object data = parseValues(dtype, f[6]);
            String expected = unescape(f[7]);
            tests.add(DynamicTest.dynamicTest(f[1], () ->
                    assertEquals(expected, TensorFormatter.repr(dtype, shape, data, requiresGrad, gradFn))));
        }
        assertTrue(tests.size() >= 60, "fixture file has only " + tests.size() + " cases");
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> sizeReprMatchesPyTorch() throws IOException {
        // size, name, shape, repr
        return records("size").stream().map(f -> DynamicTest.dynamicTest(f[1], () ->
                assertEquals(unescape(f[3]), TensorFormatter.sizeRepr(parseShape(f[2])))));
    }

    @Test
    void sizeRepr() {
        assertEquals("torch.Size([8, 8])", TensorFormatter.sizeRepr(new long[] {8, 8}));
        assertEquals("torch.Size([])", TensorFormatter.sizeRepr(new long[0]));
        assertEquals("torch.Size([5])", TensorFormatter.sizeRepr(new long[] {5}));
    }

    @Test
    void tutorialKernel() {
        assertEquals("tensor([[ 1.0058, -0.9686]])", TensorFormatter.repr(
                DType.FLOAT32, new long[] {1, 2}, new float[] {1.0058f, -0.9686f}, false, null));
    }

    @Test
    void numberFormattingFollowsPython() {
        // Exact binary value, rounded half-to-even: 1.03125 is a tie, 2.675 is really 2.67499999...
        assertEquals("1.0312", TensorFormatter.formatFixed(1.03125, 4));
        assertEquals("2.67", TensorFormatter.formatFixed(2.675, 2));
        assertEquals("2", TensorFormatter.formatFixed(2.5, 0));
        assertEquals("-0.0000", TensorFormatter.formatFixed(-0.0, 4));
        assertEquals("1.0000e-05", TensorFormatter.formatSci(1e-5, 4));
        assertEquals("1.2346e+10", TensorFormatter.formatSci(1.23456789e10, 4));
        assertEquals("1.0000e+01", TensorFormatter.formatSci(9.99999, 4));
        assertEquals("-0.0000e+00", TensorFormatter.formatSci(-0.0, 4));
        assertEquals("1.0000e-300", TensorFormatter.formatSci(1e-300, 4));
        assertEquals("-inf", TensorFormatter.formatSci(Double.NEGATIVE_INFINITY, 4));
        assertEquals("nan", TensorFormatter.formatFixed(Double.NaN, 4));
    }

    @Test
    void rejectsMismatchedData() {
        assertThrows(IllegalArgumentException.class, () ->
                TensorFormatter.repr(DType.FLOAT32, new long[] {2}, new double[] {1, 2}, false, null));
        assertThrows(IllegalArgumentException.class, () ->
                TensorFormatter.repr(DType.INT64, new long[] {3}, new long[] {1, 2}, false, null));
    }

    // ---- fixture parsing ----

    private static List<String[]> records(String kind) throws IOException {
        List<String[]> out = new ArrayList<>();
        try (InputStream in = TensorFormatterTest.class.getResourceAsStream(FIXTURES)) {
            assertFalse(in == null, "missing test resource " + FIXTURES);
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String[] fields = line.split("\t", -1);
                if (fields[0].equals(kind)) {
                    out.add(fields);
                }
            }
        }
        return out;
    }

    private static long[] parseShape(String text) {
        if (text.isEmpty()) {
            return new long[0];
        }
        String[] parts = text.split(",");
        long[] shape = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            shape[i] = Long.parseLong(parts[i]);
        }
        return shape;
    }

    private static Object parseValues(DType dtype, String text) {
        String[] parts = text.isEmpty() ? new String[0] : text.split(" ");
        int n = parts.length;
        switch (dtype) {
            case FLOAT32: {
                float[] v = new float[n];
                for (int i = 0; i < n; i++) {
                    v[i] = Float.intBitsToFloat(Integer.parseUnsignedInt(parts[i], 16));
                }
                return v;
            }
            case FLOAT64: {
                double[] v = new double[n];
                for (int i = 0; i < n; i++) {
                    v[i] = Double.longBitsToDouble(Long.parseUnsignedLong(parts[i], 16));
                }
                return v;
            }
            case INT64: {
                long[] v = new long[n];
                for (int i = 0; i < n; i++) {
                    v[i] = Long.parseLong(parts[i]);
                }
                return v;
            }
            case BOOL: {
                boolean[] v = new boolean[n];
                for (int i = 0; i < n; i++) {
                    v[i] = parts[i].equals("1");
                }
                return v;
            }
            default:
                throw new IllegalArgumentException("unknown dtype " + dtype);
        }
    }

    /** Reverses the script's escaping of '\\' and newlines. */
    private static String unescape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                char next = text.charAt(++i);
                out.append(next == 'n' ? '\n' : next);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
