package jtorch.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jtorch.DType;
import jtorch.Tensor;
import jtorch.internal.TensorInternals;

/**
 * The records of {@code nn_fixtures.txt} (written by {@code tools/gen_nn_fixtures.py} with PyTorch
 * 1.13; the script's docstring describes the format and the tolerances): cases with their inputs,
 * expected outputs and gradients, module reprs and errors, and the comparison of a jtorch result
 * with an expected tensor.
 */
public final class NnFixtures {
    private NnFixtures() {}

    // ------------------------------------------------------------------------------ fixture file

    public static final class TensorRecord {
        public final String role, arg, tol;
        public final DType dtype;
        public final int[] shape;
        public final String values;

        TensorRecord(String[] f) {
            role = f[1];
            arg = f[2];
            dtype = DType.valueOf(f[3]);
            shape = f[4].isEmpty() ? new int[0] : Arrays.stream(f[4].split(",")).mapToInt(Integer::parseInt).toArray();
            tol = f[5];
            values = f.length > 6 ? f[6] : "";
        }

        public Tensor tensor() {
            String[] v = values.isEmpty() ? new String[0] : values.split(" ");
            switch (dtype) {
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
    }

    public static final class Case {
        public final String name, op;
        public final Map<String, String> kw = new LinkedHashMap<>();
        public final List<TensorRecord> tensors = new ArrayList<>();

        Case(String name, String op, String kwText) {
            this.name = name;
            this.op = op;
            if (!kwText.isEmpty())
                for (String kv : kwText.split(";")) {
                    int eq = kv.indexOf('=');
                    kw.put(kv.substring(0, eq), kv.substring(eq + 1));
                }
        }

        public String str(String k) {
            String v = raw(k);
            return v.equals("None") ? null : v.substring(1, v.length() - 1);
        }

        public double dbl(String k) { return parseDouble(raw(k)); }

        public Double dblOrNull(String k) { return raw(k).equals("None") ? null : parseDouble(raw(k)); }

        public long lng(String k) { return Long.parseLong(raw(k)); }

        public Long lngOrNull(String k) { return raw(k).equals("None") ? null : Long.parseLong(raw(k)); }

        public boolean bool(String k) { return Boolean.parseBoolean(raw(k).toLowerCase()); }

        public boolean has(String k) { return kw.containsKey(k); }

        public long[] longs(String k) { return Arrays.stream(raw(k).split(",")).mapToLong(Long::parseLong).toArray(); }

        private String raw(String k) {
            String v = kw.get(k);
            if (v == null) throw new IllegalStateException(name + ": no keyword " + k);
            return v;
        }

        private static double parseDouble(String s) {
            switch (s) {
                case "inf": return Double.POSITIVE_INFINITY;
                case "-inf": return Double.NEGATIVE_INFINITY;
                case "nan": return Double.NaN;
                default: return Double.parseDouble(s);
            }
        }
    }

    public static final List<Case> CASES = new ArrayList<>();
    public static final Map<String, String> REPRS = new LinkedHashMap<>();
    public static final Map<String, String[]> ERRORS = new LinkedHashMap<>();

    static { read("/jtorch/nn/nn_fixtures.txt", CASES, REPRS, ERRORS); }

    /** The cases of another fixture file in this format (e.g. transformer_fixtures.txt), in file order. */
    public static List<Case> read(String resource) { return readAll(resource).cases(); }

    /** All records of a fixture file in this format: its cases, repr records and error records (name to {type, message}). */
    public record FixtureFile(List<Case> cases, Map<String, String> reprs, Map<String, String[]> errors) {}

    /** {@link #read(String)} with the repr and error records too. */
    public static FixtureFile readAll(String resource) {
        FixtureFile file = new FixtureFile(new ArrayList<>(), new LinkedHashMap<>(), new LinkedHashMap<>());
        read(resource, file.cases(), file.reprs(), file.errors());
        return file;
    }

    private static void read(String resource, List<Case> cases, Map<String, String> reprs, Map<String, String[]> errors) {
        try (InputStream in = NnFixtures.class.getResourceAsStream(resource)) {
            assertNotNull(in, resource + " is missing; run its generator under tools/");
            BufferedReader br = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            Case current = null;
            for (String line; (line = br.readLine()) != null; ) {
                if (line.isEmpty() || line.startsWith("#")) continue;
                String[] f = line.split("\t", -1);
                switch (f[0]) {
                    case "case": current = new Case(f[1], f[2], f[3]); cases.add(current); break;
                    case "t": current.tensors.add(new TensorRecord(f)); break;
                    case "repr": reprs.put(f[1], unescape(f[2])); break;
                    case "error": errors.put(f[1], new String[] {f[2], unescape(f[3])}); break;
                    default: throw new IllegalStateException("bad fixture line: " + line);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static String unescape(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\') { b.append(c); continue; }
            char n = s.charAt(++i);
            b.append(n == 'n' ? '\n' : n == 't' ? '\t' : n);
        }
        return b.toString();
    }

    // ------------------------------------------------------------------------------ comparison

    /** Largest observed error per (op, dtype, role), relative to the expected tensor's largest magnitude. */
    private static final Map<String, Double> OBSERVED = new TreeMap<>();

    public static void assertClose(String what, TensorRecord expected, Tensor actual) {
        Tensor e = expected.tensor();
        assertEquals(e.shape(), actual.shape(), what + ": shape");
        assertEquals(e.dtype(), actual.dtype(), what + ": dtype");
        if (!e.isFloatingPoint()) {
            assertTrue(e.equal(actual), what + ": expected " + e + " got " + actual);
            return;
        }
        double[] ev = e.toDoubleArray(), av = actual.detach().toDoubleArray();
        double maxAbs = 0;
        for (double v : ev) if (Double.isFinite(v)) maxAbs = Math.max(maxAbs, Math.abs(v));
        String[] tol = expected.tol.split(":");
        boolean exact = tol[0].equals("exact"), ulps = tol[0].equals("ulp");
        double scale = tol.length > 2 ? Math.max(maxAbs, Double.parseDouble(tol[2])) : maxAbs;
        double bound = exact || ulps ? 0 : Double.parseDouble(tol[1]) * scale, worst = 0;
        for (int i = 0; i < ev.length; i++) {
            double x = ev[i], y = av[i];
            if (Double.isNaN(x) || Double.isNaN(y) || Double.isInfinite(x) || Double.isInfinite(y)) {
                if (!(Double.isNaN(x) && Double.isNaN(y)) && x != y)
                    fail(what + ": element " + i + " expected " + x + " got " + y);
                continue;
            }
            double err = Math.abs(x - y);
            double ulp = e.dtype() == DType.FLOAT32 ? Math.ulp((float) x) : Math.ulp(x);
            double allowed = ulps ? Integer.parseInt(tol[1]) * ulp : bound;
            boolean ok = exact ? (e.dtype() == DType.FLOAT32 ? Float.floatToIntBits((float) x) == Float.floatToIntBits((float) y)
                    : Double.doubleToLongBits(x) == Double.doubleToLongBits(y)) || (x == 0 && y == 0) : err <= allowed;
            if (!ok)
                fail(what + ": element " + i + " expected " + x + " got " + y + " (error " + err + ", allowed " + allowed
                        + " by " + expected.tol + ", largest expected magnitude " + maxAbs + ")");
            worst = Math.max(worst, ulps ? err / ulp : scale > 0 ? err / scale : 0);
        }
        synchronized (OBSERVED) { OBSERVED.merge(what.split(" ")[0].split("\\.")[0] + " " + expected.dtype + " " + (expected.role.equals("grad") ? "grad" : "out")
                + (ulps ? " ulp" : ""), worst, Math::max); }
    }

    /** Prints the largest errors seen so far (each test class calls it once, after its cases). */
    public static void printObservedErrors() {
        StringBuilder b = new StringBuilder("Largest error seen against PyTorch, relative to each tensor's scale (ulp: in ulps):\n");
        OBSERVED.forEach((k, v) -> b.append(String.format("  %-40s %.3g%s%n", k, v,
                k.endsWith("ulp") ? "" : String.format(" (%.1f float32 ulps)", v / Math.ulp(1f)))));
        System.out.print(b);
    }

}
