package jtorch.optim;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code optim_fixtures.txt}, written by {@code tools/gen_optim_fixtures.py} from PyTorch
 * 1.13 (the record formats are described in the script's docstring).
 */
public final class Fixtures {
    private Fixtures() {}

    /** One multi-line record: its header fields and the lines up to {@code end}. */
    public record Block(String[] header, List<String[]> lines) {
        public String name() { return header[1]; }

        public List<String[]> lines(String kind) {
            List<String[]> r = new ArrayList<>();
            for (String[] l : lines) if (l[0].equals(kind)) r.add(l);
            return r;
        }

        @Override public String toString() { return name(); }
    }

    /** model records by "DTYPE name", cases and schedulers by name, single-line records by kind then name. */
    public static final Map<String, String[]> MODEL = new LinkedHashMap<>();
    public static final Map<String, Block> CASES = new LinkedHashMap<>();
    public static final Map<String, Block> SCHEDULERS = new LinkedHashMap<>();
    public static final Map<String, Block> LBFGS = new LinkedHashMap<>();
    public static final Map<String, String[]> ERRORS = new LinkedHashMap<>();
    public static final List<String[]> REPRS = new ArrayList<>();
    public static final Map<String, String> DEFAULTS = new LinkedHashMap<>();

    static {
        try (InputStream in = Fixtures.class.getResourceAsStream("/jtorch/optim/optim_fixtures.txt")) {
            if (in == null) throw new IllegalStateException("optim_fixtures.txt is missing; run tools/gen_optim_fixtures.py");
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            Block open = null;
            while ((line = r.readLine()) != null) {
                if (line.isEmpty() || line.startsWith("#")) continue;
                String[] f = line.split("\t", -1);
                if (open != null) {
                    if (f[0].equals("end")) open = null;
                    else open.lines.add(f);
                    continue;
                }
                switch (f[0]) {
                    case "model": MODEL.put(f[1] + " " + f[2], f); break;
                    case "case": put(CASES, open = new Block(f, new ArrayList<>())); break;
                    case "sched": put(SCHEDULERS, open = new Block(f, new ArrayList<>())); break;
                    case "lbfgs": put(LBFGS, open = new Block(f, new ArrayList<>())); break;
                    case "error": if (ERRORS.put(f[1], f) != null) throw new IllegalStateException("duplicate " + f[1]); break;
                    case "repr": REPRS.add(f); break;
                    case "defaults": DEFAULTS.put(f[1], f[2]); break;
                    default: throw new IllegalStateException("unknown record " + Arrays.toString(f));
                }
            }
            if (open != null) throw new IllegalStateException("unterminated record " + open.name());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void put(Map<String, Block> m, Block b) {
        if (m.put(b.name(), b) != null) throw new IllegalStateException("duplicate fixture " + b.name());
    }

    /** A float written by Python's float.hex() ({@code inf}, {@code -inf}, {@code nan} included). */
    public static double parseHex(String s) {
        switch (s) {
            case "inf": return Double.POSITIVE_INFINITY;
            case "-inf": return Double.NEGATIVE_INFINITY;
            case "nan": return Double.NaN;
            default: return Double.parseDouble(s);
        }
    }

    /** A space-separated list of hex floats (empty for an empty field). */
    public static double[] parseHexes(String s) {
        if (s.isEmpty()) return new double[0];
        String[] parts = s.split(" ");
        double[] r = new double[parts.length];
        for (int i = 0; i < parts.length; i++) r[i] = parseHex(parts[i]);
        return r;
    }

    /** A shape field ("2,3", "" for 0-dim). */
    public static long[] parseShape(String s) {
        if (s.isEmpty()) return new long[0];
        return Arrays.stream(s.split(",")).mapToLong(Long::parseLong).toArray();
    }

    /** An option value as the generator wrote it: True/False, a comma-separated tuple, or a number. */
    public static Object parseOption(String v) {
        if (v.equals("True")) return true;
        if (v.equals("False")) return false;
        if (v.contains(",")) {
            List<Double> l = new ArrayList<>();
            for (String x : v.split(",")) l.add(Double.parseDouble(x));
            return l;
        }
        return Double.parseDouble(v);
    }

    /** "k=v;k=v" into an ordered map of raw strings. */
    public static Map<String, String> parseArgs(String s) {
        Map<String, String> m = new LinkedHashMap<>();
        if (s.isEmpty()) return m;
        for (String kv : s.split(";")) {
            int eq = kv.indexOf('=');
            m.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        return m;
    }

    /** "k=v;k=v" with parsed option values. */
    public static Map<String, Object> parseOptions(String s) {
        Map<String, Object> m = new LinkedHashMap<>();
        parseArgs(s).forEach((k, v) -> m.put(k, parseOption(v)));
        return m;
    }
}
