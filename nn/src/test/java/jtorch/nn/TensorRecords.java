package jtorch.nn;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import jtorch.Tensor;
import jtorch.internal.TensorInternals;

/**
 * Reads fixture files in the record format of {@code tools/gen_checkpoint_fixtures.py}: one tensor
 * per tab-separated line, {@code <group> <key> <dtype> <shape> <values>}, float32/float64 as the hex
 * digits of their bits; {@code #} starts a comment line.
 */
final class TensorRecords {
    private TensorRecords() {}

    /** The records of {@code resource} whose group is {@code group}, by key, in file order. */
    static Map<String, Tensor> read(String resource, String group) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        try (InputStream in = TensorRecords.class.getResourceAsStream(resource)) {
            assertNotNull(in, "missing fixture " + resource);
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isEmpty() || line.startsWith("#")) continue;
                String[] f = line.split("\t", -1);
                if (f[0].equals(group)) out.put(f[1], parse(f[2], f[3], f[4]));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static Tensor parse(String dtype, String shapeText, String valuesText) {
        int[] shape = shapeText.isEmpty() ? new int[0] : Arrays.stream(shapeText.split(",")).mapToInt(Integer::parseInt).toArray();
        String[] v = valuesText.isEmpty() ? new String[0] : valuesText.split(" ");
        switch (dtype) {
            case "FLOAT32": {
                float[] a = new float[v.length];
                for (int i = 0; i < v.length; i++) a[i] = Float.intBitsToFloat(Integer.parseUnsignedInt(v[i], 16));
                return TensorInternals.wrap(a, shape);
            }
            case "FLOAT64": {
                double[] a = new double[v.length];
                for (int i = 0; i < v.length; i++) a[i] = Double.longBitsToDouble(Long.parseUnsignedLong(v[i], 16));
                return TensorInternals.wrap(a, shape);
            }
            case "INT64": {
                long[] a = new long[v.length];
                for (int i = 0; i < v.length; i++) a[i] = Long.parseLong(v[i]);
                return TensorInternals.wrap(a, shape);
            }
            default:
                throw new IllegalArgumentException("unsupported fixture dtype " + dtype);
        }
    }
}
