package jtorch;

import static jtorch.Torch.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Evaluates, in Java, the expressions that {@code tools/gen_core_fixtures.py} evaluated in PyTorch
 * 1.13, and compares dtype, shape, values, {@code repr} (including {@code grad_fn=<...>}),
 * strides/contiguity/view-ness of view results, and error messages. The fixture file is
 * {@code core_fixtures.txt}; each case there has an expression of the same name here and vice versa.
 */
class PyTorchParityTest {

    // ------------------------------------------------------------------------------------------------
    // Fixture file access, shared with ErrorMessagesTest, AutogradSemanticsTest and TutorialTest.

    /** The records of {@code core_fixtures.txt} by case name, and the comparison of a Java result with one. */
    static final class Fixtures {
        private static Map<String, String[]> records;

        private Fixtures() {}

        /** All records (tab-split), keyed by name, in file order. List elements are keyed {@code name[i]}. */
        static synchronized Map<String, String[]> all() {
            // linalg_fixtures.txt (tools/gen_linalg_fixtures.py, LinalgParityTest's 'linalg.' cases) has the same format.
            if (records == null) records = read("core_fixtures.txt", "linalg_fixtures.txt");
            return records;
        }

        /** The records of fixture files in this format under {@code /jtorch/}, keyed by name, in file order. */
        static Map<String, String[]> read(String... files) {
            Map<String, String[]> r = new LinkedHashMap<>();
            for (String file : files)
                try (InputStream in = PyTorchParityTest.class.getResourceAsStream("/jtorch/" + file)) {
                    assertNotNull(in, file + " is missing; run its generator in tools/");
                    BufferedReader br = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
                    for (String line; (line = br.readLine()) != null; ) {
                        if (line.isEmpty() || line.startsWith("#")) continue;
                        String[] f = line.split("\t", -1);
                        if (r.put(f[1], f) != null) throw new IllegalStateException("duplicate fixture " + f[1]);
                    }
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            return r;
        }

        /** Names of the top-level cases (not list elements) whose name starts with {@code prefix}. */
        static List<String> names(String prefix) {
            return all().keySet().stream().filter(n -> n.startsWith(prefix) && !n.endsWith("]")).collect(Collectors.toList());
        }

        static String[] get(String name) {
            String[] f = all().get(name);
            assertNotNull(f, "no fixture named " + name);
            return f;
        }

        /** The {@code text} record's text (unescaped). */
        static String text(String name) {
            String[] f = get(name);
            assertEquals("text", f[0], name + " is not a text record");
            return unescape(f[2]);
        }

        /** The message of an {@code error} record. */
        static String errorMessage(String name) {
            String[] f = get(name);
            assertEquals("error", f[0], name + " is not an error record: PyTorch did not raise");
            return unescape(f[3]);
        }

        static String unescape(String s) {
            StringBuilder b = new StringBuilder(s.length());
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '\\' && i + 1 < s.length()) {
                    char n = s.charAt(++i);
                    b.append(n == 'n' ? '\n' : n == 't' ? '\t' : n);
                } else b.append(c);
            }
            return b.toString();
        }

        /**
         * Runs {@code expr} and checks it against the fixture {@code name}: an {@code error} record
         * must be thrown with PyTorch's message; otherwise the result must match.
         */
        static void verify(String name, Callable<Object> expr) throws Exception {
            String[] f = get(name);
            if (f[0].equals("error")) {
                RuntimeException e = assertThrows(RuntimeException.class, expr::call,
                        name + ": PyTorch raises " + f[2] + ": " + unescape(f[3]));
                assertSaneException(e);
                assertEquals(unescape(f[3]), e.getMessage(), name + ": message");
                return;
            }
            Object r = expr.call();
            check(name, r);
        }

        /** A bad input is reported as a deliberate RuntimeException, not as a crash inside the library. */
        static void assertSaneException(Throwable e) {
            assertFalse(e instanceof ArrayIndexOutOfBoundsException || e instanceof NullPointerException
                    || e instanceof ClassCastException || e instanceof ArithmeticException
                    || e instanceof NegativeArraySizeException, () -> "library crashed instead of reporting: " + e);
            assertNotNull(e.getMessage(), "exception without a message: " + e);
        }

        static void check(String name, Object result) {
            String[] f = get(name);
            switch (f[0]) {
                case "tensor":
                    assertInstanceOf(Tensor.class, result, name);
                    checkTensor(f, (Tensor) result);
                    break;
                case "list": {
                    assertInstanceOf(List.class, result, name);
                    List<?> l = (List<?>) result;
                    assertEquals(Integer.parseInt(f[2]), l.size(), name + ": number of tensors");
                    for (int i = 0; i < l.size(); i++) {
                        assertInstanceOf(Tensor.class, l.get(i), name + "[" + i + "]");
                        checkTensor(get(name + "[" + i + "]"), (Tensor) l.get(i));
                    }
                    break;
                }
                case "text": {
                    String s = result instanceof Boolean ? ((Boolean) result ? "True" : "False") : String.valueOf(result);
                    assertEquals(unescape(f[2]), s, name);
                    break;
                }
                case "error":
                    fail(name + ": PyTorch raises " + f[2] + ": " + unescape(f[3]) + ", but jtorch returned " + result);
                    break;
                default:
                    throw new IllegalStateException("unknown record kind " + f[0]);
            }
        }

        /** tensor name dtype shape strides contiguous is_view tol values repr */
        static void checkTensor(String[] f, Tensor t) {
            String name = f[1];
            assertEquals(f[2], t.dtype().name(), name + ": dtype");
            assertArrayEquals(longs(f[3]), t.shape().toArray(), name + ": shape");
            compareValues(name, f[2], f[8], f[7], t);
            assertEquals(unescape(f[9]), t.toString(), name + ": repr");
            if (!f[4].equals("-")) {
                assertArrayEquals(longs(f[4]), t.stride(), name + ": stride()");
                assertEquals(f[5].equals("1"), t.isContiguous(), name + ": isContiguous()");
                assertEquals(f[6].equals("1"), t.isView(), name + ": is a view (_base is not None)");
            }
        }

        static long[] longs(String csv) {
            if (csv.isEmpty()) return new long[0];
            return Arrays.stream(csv.split(",")).mapToLong(Long::parseLong).toArray();
        }

        /** Checks the elements of {@code t} against the fixture's exact values within {@code tol}. */
        static void compareValues(String name, String dtype, String values, String tol, Tensor t) {
            String[] v = values.isEmpty() ? new String[0] : values.split(" ");
            assertEquals(v.length, t.numel(), name + ": numel");
            switch (dtype) {
                case "INT64":
                    assertArrayEquals(Arrays.stream(v).mapToLong(Long::parseLong).toArray(), t.toLongArray(), name);
                    return;
                case "BOOL": {
                    boolean[] actual = t.toBooleanArray();
                    for (int i = 0; i < v.length; i++) assertEquals(v[i].equals("1"), actual[i], name + " element " + i);
                    return;
                }
                case "FLOAT32": {
                    float[] actual = t.toFloatArray();
                    for (int i = 0; i < v.length; i++) {
                        float e = Float.intBitsToFloat((int) Long.parseLong(v[i], 16));
                        assertClose(name, i, e, actual[i], tol, Math.ulp(e));
                    }
                    return;
                }
                case "FLOAT64": {
                    double[] actual = t.toDoubleArray();
                    for (int i = 0; i < v.length; i++) {
                        double e = Double.longBitsToDouble(Long.parseUnsignedLong(v[i], 16));
                        assertClose(name, i, e, actual[i], tol, Math.ulp(e));
                    }
                    return;
                }
                default:
                    throw new IllegalStateException(dtype);
            }
        }

        private static void assertClose(String name, int i, double expected, double actual, String tol, double ulp) {
            if (Double.isNaN(expected) && Double.isNaN(actual)) return; // NaN payloads and signs differ by platform
            String msg = name + " element " + i + ": expected " + expected + " but was " + actual + " (tolerance " + tol + ")";
            if (tol.equals("exact") || Double.isInfinite(expected)) {
                assertEquals(Double.doubleToLongBits(expected), Double.doubleToLongBits(actual), msg);
            } else if (tol.startsWith("ulp:")) {
                double n = Double.parseDouble(tol.substring(4));
                assertTrue(Math.abs(expected - actual) <= n * ulp, msg);
            } else if (tol.startsWith("abs:")) {
                assertTrue(Math.abs(expected - actual) <= Double.parseDouble(tol.substring(4)), msg);
            } else throw new IllegalStateException("unknown tolerance " + tol);
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Inputs shared with the generator (same names there).

    static Tensor A() { return arange(24.0).reshape(2, 3, 4); }

    static Tensor M() { return arange(48.0).reshape(6, 8); }

    static Tensor R() {
        return tensor(new float[][] {{0.3f, -1.7f, 2.2f, 0.05f}, {1.1f, -0.4f, -3.3f, 0.9f}, {2.5f, 0.7f, -0.2f, -1.6f}});
    }

    static Tensor V() { return tensor(new float[] {1.5f, -2.0f, -0.0f, 3.25f}); }

    static Tensor E() { return tensor(new float[] {-2.5f, -1.0f, -0.0f, 0.0f, 0.5f, 1.0f, 3.0f, 100.0f}); }

    static Tensor S() {
        return tensor(new float[] {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, 1e-30f, -1e30f});
    }

    static Tensor f(float... v) { return tensor(v); }

    static Tensor l(long... v) { return tensor(v); }

    static Tensor b(boolean... v) { return tensor(v); }

    // ------------------------------------------------------------------------------------------------
    // The cases.

    private static final Map<String, Callable<Object>> CASES = new LinkedHashMap<>();

    private static void put(String name, Callable<Object> expr) {
        if (CASES.put(name, expr) != null) throw new IllegalStateException("duplicate case " + name);
    }

    private static void creation() {
        put("create.tensor_float_1d", () -> tensor(new float[] {1.5f, -2.0f, 3.0f}));
        put("create.tensor_float_2d", () -> tensor(new float[][] {{1.0f, -1.0f}, {0.25f, 8.0f}}));
        put("create.tensor_float_3d", () -> tensor(new float[][][] {{{1.0f}, {2.0f}}, {{3.0f}, {4.0f}}}));
        put("create.tensor_float_empty", () -> tensor(new float[0]));
        put("create.tensor_double_2d", () -> tensor(new double[][] {{0.1, 0.2, 0.3}}));
        put("create.tensor_long_1d", () -> tensor(new long[] {1, -2, 3000000000L}));
        put("create.tensor_int_2d", () -> tensor(new int[][] {{1, 2}, {3, 4}}));
        put("create.tensor_bool_1d", () -> tensor(new boolean[] {true, false, true}));
        put("create.tensor_bool_2d", () -> tensor(new boolean[][] {{true}, {false}}));
        put("create.tensor_float_as_double", () -> tensor(new double[] {0.1, 0.5}, float64));
        put("create.tensor_long_as_float", () -> tensor(new long[] {1, 2}, float32));
        put("create.scalar_float", () -> tensor(3.5));
        put("create.scalar_double", () -> tensor(3.5, float64));
        put("create.scalar_long", () -> tensor(7L));
        put("create.scalar_bool", () -> tensor(true));
        put("create.zeros", () -> zeros(2, 3));
        put("create.zeros_empty", () -> zeros(0, 3));
        put("create.zeros_0d", () -> zeros());
        put("create.zeros_long", () -> zeros(new long[] {3}, int64));
        put("create.zeros_bool", () -> zeros(new long[] {2}, bool));
        put("create.ones", () -> ones(2, 2));
        put("create.ones_double", () -> ones(new long[] {2}, float64));
        put("create.ones_bool", () -> ones(new long[] {2}, bool));
        put("create.full_float", () -> full(new long[] {2, 2}, 1.5));
        put("create.full_int", () -> full(new long[] {3}, 7L));
        put("create.full_double", () -> full(new long[] {2}, -0.1, float64));
        put("create.full_long_dtype", () -> full(new long[] {2}, 2.0, int64));
        put("create.arange_int", () -> arange(5L));
        put("create.arange_int_start", () -> arange(2L, 6L));
        put("create.arange_int_step", () -> arange(1L, 10L, 3L));
        put("create.arange_int_neg_step", () -> arange(10L, 0L, -3L));
        put("create.arange_int_empty", () -> arange(3L, 3L));
        put("create.arange_float", () -> arange(4.0));
        put("create.arange_float_step", () -> arange(0.0, 1.0, 0.25));
        put("create.arange_float_tenth", () -> arange(0.0, 1.0, 0.1));
        put("create.arange_float_neg", () -> arange(1.0, -1.0, -0.5));
        put("create.arange_float_frac_end", () -> arange(1.0, 2.5, 0.5));
        put("create.linspace_5", () -> linspace(0, 1, 5));
        put("create.linspace_7", () -> linspace(0, 1, 7));
        put("create.linspace_neg", () -> linspace(-1, 1, 6));
        put("create.linspace_1", () -> linspace(3, 10, 1));
        put("create.linspace_0", () -> linspace(0, 1, 0));
        put("create.linspace_tenth", () -> linspace(0.1, 0.9, 9));
        put("create.eye", () -> eye(3));
        put("create.eye_rect", () -> eye(2, 3));
        put("create.eye_tall", () -> eye(3, 2));
        put("create.zeros_like_long", () -> zerosLike(tensor(new long[][] {{1, 2}})));
        put("create.ones_like_double", () -> onesLike(zeros(new long[] {2}, float64)));
        put("create.ones_like_bool", () -> onesLike(b(false, false)));
        put("create.full_like_long", () -> fullLike(l(1, 2), 2.5));
        put("create.full_like_float", () -> fullLike(zeros(2, 1), 2.5));
        put("create.empty_like_shape", () -> zerosLike(empty(2, 0, 3)));
    }

    // ---------------------------------------------------------------- type promotion (names parsed)

    private static final String[] TENSOR_OPERANDS = {"f32", "f64", "i64", "b", "f32_0d", "f64_0d", "i64_0d", "b_0d"};
    private static final String[] ALL_OPERANDS = {"f32", "f64", "i64", "b", "f32_0d", "f64_0d", "i64_0d", "b_0d", "sf", "si"};

    /** A Tensor, or a Double (a Python float) or Long (a Python int) scalar. */
    static Object operand(String key) {
        switch (key) {
            case "f32": return f(1.5f, -2.0f, 0.0f);
            case "f64": return tensor(new double[] {0.25, 3.0, -1.0});
            case "i64": return l(3, -2, 0);
            case "b": return b(true, false, true);
            case "f32_0d": return tensor(2.5);
            case "f64_0d": return tensor(-0.5, float64);
            case "i64_0d": return tensor(2L);
            case "b_0d": return tensor(true);
            case "sf": return 2.5;
            case "si": return 2L;
            default: throw new IllegalArgumentException(key);
        }
    }

    static Tensor binary(String op, Tensor a, Object y) {
        if (y instanceof Tensor) {
            Tensor t = (Tensor) y;
            switch (op) {
                case "add": return a.add(t);
                case "sub": return a.sub(t);
                case "mul": return a.mul(t);
                case "div": return a.div(t);
                case "lt": return a.lt(t);
                case "eq": return a.eq(t);
                default: throw new IllegalArgumentException(op);
            }
        }
        if (y instanceof Long) {
            long v = (Long) y;
            switch (op) {
                case "add": return a.add(v);
                case "sub": return a.sub(v);
                case "mul": return a.mul(v);
                case "div": return a.div(v);
                case "lt": return a.lt(v); // a Python int compared: the value is exact either way
                case "eq": return a.eq(v);
                default: throw new IllegalArgumentException(op);
            }
        }
        double v = (Double) y;
        switch (op) {
            case "add": return a.add(v);
            case "sub": return a.sub(v);
            case "mul": return a.mul(v);
            case "div": return a.div(v);
            case "lt": return a.lt(v);
            case "eq": return a.eq(v);
            default: throw new IllegalArgumentException(op);
        }
    }

    private static void promotion() {
        for (String op : new String[] {"add", "sub", "mul", "div", "lt", "eq"})
            for (String x : TENSOR_OPERANDS)
                for (String y : ALL_OPERANDS)
                    put("promo." + op + "." + x + "." + y, () -> binary(op, (Tensor) operand(x), operand(y)));
        for (String x : TENSOR_OPERANDS) {
            for (String y : TENSOR_OPERANDS)
                put("promo.where." + x + "." + y, () -> where(b(true, false, true), (Tensor) operand(x), (Tensor) operand(y)));
            put("promo.where." + x + ".sf", () -> ((Tensor) operand(x)).where(b(true, false, true), 2.5));
        }
        put("promo.rsub_float", () -> l(1, 2, 3).rsub(1.0));
        put("promo.int_plus_float_scalar", () -> l(1, 2).add(0.5));
        put("promo.int_0d_plus_float_vec", () -> tensor(1L).add(f(0.5f, 1.5f)));
        put("promo.double_0d_plus_float_vec", () -> tensor(1e-10, float64).add(f(1.0f)));
        put("promo.bool_times_float_scalar", () -> b(true, false).mul(2.5));
        put("promo.add_alpha", () -> f(1, 2).add(f(10, 20), 0.5));
        put("promo.sub_alpha_int", () -> l(1, 2).sub(l(10, 20), 3));
        put("promo.to_long_trunc", () -> f(-1.7f, -0.5f, 0.5f, 2.9f).to(int64));
        put("promo.to_bool", () -> f(-1.7f, 0.0f, -0.0f, Float.NaN).to(bool));
        put("promo.bool_to_float", () -> b(true, false).to(float32));
        put("promo.double_to_float_round", () -> tensor(new double[] {0.1, 1e-50, 1e300}).to(float32));
        put("promo.inplace_float_add_double", () -> f(1, 2).add_(tensor(new double[] {0.1, 0.2})));
        put("promo.inplace_long_add_int", () -> l(1, 2).add_(tensor(3L)));
        put("promo.inplace_float_mul_long", () -> f(1.5f, 2f).mul_(l(2, 3)));
        put("promo.inplace_double_div_float", () -> tensor(new double[] {1, 2}).div_(tensor(3.0)));
    }

    private static void elementwise() {
        put("ew.neg", () -> E().neg());
        put("ew.abs", () -> E().abs());
        put("ew.sign", () -> E().sign());
        put("ew.exp", () -> E().exp());
        put("ew.expm1", () -> E().expm1());
        put("ew.log", () -> E().log());
        put("ew.log1p", () -> E().log1p());
        put("ew.sqrt", () -> E().sqrt());
        put("ew.rsqrt", () -> E().rsqrt());
        put("ew.reciprocal", () -> E().reciprocal());
        put("ew.sin", () -> E().sin());
        put("ew.cos", () -> E().cos());
        put("ew.tanh", () -> E().tanh());
        put("ew.sigmoid", () -> E().sigmoid());
        put("ew.relu", () -> E().relu());
        put("ew.square", () -> E().square());
        put("ew.pow2", () -> E().pow(2L));
        put("ew.pow3", () -> E().pow(3L));
        put("ew.pow_half", () -> E().pow(0.5));
        put("ew.pow_neg1", () -> E().pow(-1.0));
        put("ew.pow_neg2", () -> E().pow(-2L));
        put("ew.pow_neg_half", () -> E().pow(-0.5));
        put("ew.pow3_R", () -> R().pow(3L));
        put("ew.pow_neg2_R", () -> R().pow(-2L));
        put("ew.pow_1_5_R", () -> R().abs().pow(1.5));
        put("ew.special_sign", () -> S().sign());
        put("ew.pow_tensor", () -> f(2, 0, -2, 4).pow(f(3, 0, 2, 0.5f)));
        put("ew.pow_int", () -> l(2, -3, 0).pow(3L));
        put("ew.pow_int_float_exp", () -> l(4, 2).pow(0.5));
        put("ew.clamp", () -> E().clamp(-1.0, 1.0));
        put("ew.clamp_min", () -> E().clampMin(0.25));
        put("ew.clamp_max", () -> E().clampMax(0.25));
        put("ew.clamp_int", () -> l(-5, 0, 5).clamp(-1, 1));
        put("ew.maximum", () -> maximum(E(), tensor(0.5)));
        put("ew.minimum_nan", () -> minimum(f(1, Float.NaN, 3), f(2, 2, Float.NaN)));
        put("ew.special_exp", () -> S().exp());
        put("ew.special_sigmoid", () -> S().sigmoid());
        put("ew.special_tanh", () -> S().tanh());
        put("ew.special_relu", () -> S().relu());
        put("ew.special_abs", () -> S().abs());
        put("ew.special_div", () -> f(1, -1, 0).div(f(0, 0, 0)));
        put("ew.int_exp", () -> l(0, 1, 2).exp());
        put("ew.int_sqrt", () -> l(4, 2).sqrt());
        put("ew.int_abs", () -> l(-4, 2).abs());
        put("ew.int_neg", () -> l(-4, 2).neg());
        put("ew.int_relu", () -> l(-4, 2).relu());
        put("ew.int_sigmoid", () -> l(0, 1).sigmoid());
        put("ew.bool_abs", () -> b(true, false).abs());
        put("ew.bool_relu", () -> b(true, false).relu());
        put("ew.bool_sign", () -> b(true, false).sign());
        put("ew.bool_square", () -> b(true, false).square());
        put("ew.bool_exp", () -> b(true, false).exp());
        put("ew.bool_pow", () -> b(true, false).pow(2L));
        put("ew.int_div_int", () -> l(7, -7, 1).div(l(2, 2, 3)));
        put("ew.double_exp", () -> tensor(new double[] {1.0, -0.5}).exp());
        put("ew.logical_not", () -> b(true, false).logicalNot());
        put("ew.logical_not_float", () -> f(0, 2).logicalNot());
        put("ew.compare_nan", () -> f(Float.NaN, 1).ne(f(Float.NaN, 1)));
        put("ew.ge_scalar", () -> E().ge(0.5));
        put("ew.gt_int_vs_float", () -> l(1, 2, 3).gt(1.5));
        put("ew.le_broadcast", () -> tensor(new float[][] {{1}, {2}}).le(f(1, 2, 3)));
        put("ew.ne_bool", () -> b(true, false).ne(tensor(true)));
        put("ew.broadcast_add_3d", () -> ones(2, 1, 3).add(arange(4.0).reshape(4, 1)));
        put("ew.add_noncontig", () -> A().transpose(0, 2).add(1L));
        put("ew.mul_expanded", () -> f(1, 2).expand(3, 2).mul(tensor(new float[][] {{1}, {2}, {3}})));
    }

    private static void reductions() {
        put("red.sum", () -> A().sum());
        put("red.sum_dim0", () -> A().sum(0));
        put("red.sum_dim_neg", () -> A().sum(-1));
        put("red.sum_dims", () -> A().sum(0, 2));
        put("red.sum_keepdim", () -> A().sum(new int[] {0, 2}, true));
        put("red.sum_int", () -> tensor(new long[][] {{1, 2}, {3, 4}}).sum(1));
        put("red.sum_bool", () -> b(true, false, true).sum());
        put("red.sum_empty", () -> zeros(0, 3).sum(0));
        put("red.sum_R", () -> R().sum(1));
        put("red.mean", () -> A().mean());
        put("red.mean_dim", () -> A().mean(1));
        put("red.mean_keepdim", () -> A().mean(new int[] {-1}, true));
        put("red.mean_R", () -> R().mean(0));
        put("red.mean_double", () -> tensor(new double[][] {{1, 2}, {4, 8}}).mean(0));
        put("red.prod", () -> tensor(new float[][] {{1, 2, 3}, {4, 0, -1}}).prod());
        put("red.prod_dim", () -> tensor(new float[][] {{1, 2, 3}, {4, 0, -1}}).prod(1));
        put("red.prod_keepdim", () -> tensor(new float[][] {{1, 2, 3}, {4, 0.5f, -1}}).prod(0, true));
        put("red.prod_int", () -> l(2, 3, 4).prod());
        put("red.max", () -> R().max());
        put("red.min", () -> R().min());
        put("red.max_int", () -> l(3, 9, -1).max());
        put("red.max_nan", () -> f(1, Float.NaN, 3).max());
        put("red.max_dim_values", () -> R().max(1).values());
        put("red.max_dim_indices", () -> R().max(1).indices());
        put("red.max_dim_keepdim_values", () -> R().max(0, true).values());
        put("red.max_dim_keepdim_indices", () -> R().max(0, true).indices());
        put("red.min_dim_values", () -> R().min(-1).values());
        put("red.min_dim_indices", () -> R().min(-1).indices());
        put("red.max_dim_ties_indices", () -> tensor(new float[][] {{1, 3, 3}, {2, 2, 0}}).max(1).indices());
        put("red.min_dim_ties_indices", () -> tensor(new float[][] {{1, 0, 0}, {0, 2, 0}}).min(1).indices());
        put("red.max_dim_repr", () -> R().max(1));
        put("red.min_dim_repr", () -> tensor(new float[][] {{1, 2}, {0, 5}}).min(0));
        put("red.argmax", () -> R().argmax());
        put("red.argmin", () -> R().argmin());
        put("red.argmax_dim", () -> R().argmax(0));
        put("red.argmin_dim_keepdim", () -> R().argmin(1, true));
        put("red.argmax_ties", () -> f(1, 5, 5, 2).argmax());
        put("red.argmin_ties", () -> f(1, 0, 5, 0).argmin());
        put("red.argmax_int", () -> tensor(new long[][] {{1, 9}, {9, 1}}).argmax(1));
        put("red.var", () -> R().var());
        put("red.var_dim", () -> R().var(1));
        put("red.var_biased", () -> R().var(new int[] {1}, false, false));
        put("red.var_correction2_keepdim", () -> R().var(new int[] {1}, 2L, true));
        put("red.var_single", () -> f(2).var());
        put("red.std", () -> R().std());
        put("red.std_dim", () -> R().std(0));
        put("red.std_biased_keepdim", () -> R().std(new int[] {0}, false, true));
        put("red.std_correction0", () -> R().std(new int[] {1}, 0L, false));
        put("red.std_double", () -> tensor(new double[] {1, 2, 4}).std());
        put("red.logsumexp", () -> R().logsumexp(1));
        put("red.logsumexp_keepdim", () -> R().logsumexp(new int[] {0}, true));
        put("red.logsumexp_extreme", () -> f(1000, 0, -1000).logsumexp(0));
        put("red.logsumexp_neg_extreme", () -> f(-1000, -1000).logsumexp(0));
        put("red.logsumexp_neg_inf", () -> f(Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY).logsumexp(0));
        put("red.logsumexp_inf", () -> f(Float.POSITIVE_INFINITY, 1).logsumexp(0));
        put("red.softmax", () -> R().softmax(1));
        put("red.softmax_dim0", () -> R().softmax(0));
        put("red.softmax_extreme", () -> f(1000, 0, -1000).softmax(0));
        put("red.softmax_extreme_equal", () -> tensor(new float[][] {{1000, 1000}, {-1000, -1000}}).softmax(1));
        put("red.softmax_int", () -> l(1, 2, 3).softmax(0));
        put("red.softmax_int_dim0", () -> tensor(new long[][] {{1, 2}}).softmax(0));
        put("red.log_softmax_int", () -> tensor(new long[][] {{1, 2}}).logSoftmax(1));
        put("red.log_softmax", () -> R().logSoftmax(1));
        put("red.log_softmax_extreme", () -> f(1000, 0, -1000).logSoftmax(0));
        put("red.log_softmax_extreme_neg", () -> f(-1000, -1000, -1001).logSoftmax(0));
        put("red.softmax_0d", () -> tensor(3.0).softmax(0));
        put("red.logsumexp_int", () -> tensor(new long[][] {{1, 2}}).logsumexp(1));
        put("red.equal_true", () -> Torch.equal(f(1, 2), f(1, 2)));
        put("red.equal_false_shape", () -> Torch.equal(f(1, 2), tensor(new float[][] {{1, 2}})));
        put("red.allclose_true", () -> allclose(f(1, 2), f(1.000001f, 2)));
        put("red.allclose_false", () -> allclose(f(1, Float.NaN), f(1, Float.NaN)));
    }

    /** Integer-valued float32 operands, so that every product and sum is exact. */
    static Tensor mat(long... shape) {
        long n = 1;
        for (long s : shape) n *= s;
        return arange((double) n).sub(n / 2).reshape(shape);
    }

    static final long[][][] MATMUL_COMBOS = {
            {{3}, {3}}, {{2, 3}, {3}}, {{3}, {3, 2}}, {{2, 3}, {3, 4}}, {{2, 2, 3}, {3}},
            {{3}, {2, 3, 4}}, {{2, 2, 3}, {3, 4}}, {{2, 3}, {2, 3, 4}}, {{2, 2, 3}, {2, 3, 4}},
            {{2, 1, 2, 3}, {3, 3, 2}}, {{1, 2, 3}, {4, 3, 1}}, {{4}, {2, 2, 4, 1}}};

    static String shapeName(long[] s) {
        return Arrays.stream(s).mapToObj(Long::toString).collect(Collectors.joining("x"));
    }

    private static void matmul() {
        for (long[][] c : MATMUL_COMBOS)
            put("mm." + shapeName(c[0]) + "_" + shapeName(c[1]), () -> mat(c[0]).matmul(mat(c[1])));
        put("mm.mm", () -> mm(mat(2, 3), mat(3, 2)));
        put("mm.bmm", () -> bmm(mat(2, 2, 3), mat(2, 3, 1)));
        put("mm.dot", () -> mat(4).dot(mat(4)));
        put("mm.int64", () -> tensor(new long[][] {{1, 2}, {3, 4}}).matmul(tensor(new long[][] {{5}, {6}})));
        put("mm.double", () -> tensor(new double[][] {{0.1, 0.2}}).matmul(tensor(new double[][] {{3}, {4}})));
        put("mm.transposed", () -> mat(3, 2).t().matmul(mat(3, 2)));
        put("mm.R", () -> R().matmul(R().t()));
        put("mm.empty_inner", () -> zeros(2, 0).matmul(zeros(0, 3)));
    }

    private static void indexing() {
        put("idx.int", () -> A().index(1));
        put("idx.int_neg", () -> A().index(-1));
        put("idx.int_int", () -> A().index(1, 2));
        put("idx.int3_0d", () -> A().index(1, -1, 3));
        put("idx.slice", () -> A().index(slice(), idx(1)));
        put("idx.slice_range", () -> A().index(slice(), slice(1, 3)));
        put("idx.slice_step", () -> A().index(slice(), slice(null, null, 2), slice(1L, 4L, 2)));
        put("idx.slice_step3", () -> M().index("1::3, ::3"));
        put("idx.slice_clamp", () -> A().index(slice(), slice(1, 100)));
        put("idx.slice_neg", () -> A().index(slice(), slice(-2L, null)));
        put("idx.slice_neg_stop", () -> A().index(ellipsis(), slice(null, -1L)));
        put("idx.slice_empty", () -> A().index(":, 5:"));
        put("idx.slice_reversed_empty", () -> A().index(":, 2:1"));
        put("idx.ellipsis", () -> A().index(ellipsis(), idx(1)));
        put("idx.ellipsis_mid", () -> A().index(idx(0), ellipsis(), idx(2)));
        put("idx.ellipsis_only", () -> A().index("..."));
        put("idx.none", () -> A().index(newAxis()));
        put("idx.none_mid", () -> A().index(slice(), newAxis(), idx(1)));
        put("idx.none_end", () -> A().index("..., None"));
        put("idx.none_0d", () -> tensor(5.0).index(newAxis()));
        put("idx.str_cols", () -> M().index(":, 2:6"));
        put("idx.str_last", () -> M().index("..., -1"));
        put("idx.str_step_none", () -> M().index("::2, None"));
        put("idx.str_row", () -> M().index("1, :"));
        put("idx.str_neg_row", () -> M().index("-1"));
        put("idx.str_spaces", () -> M().index(" : , ::3 "));
        put("idx.str_none_ellipsis_none", () -> M().index("None, ..., None"));
        put("idx.str_neg_step_bounds", () -> M().index("-3:-1, 1:7:2"));
        put("idx.tensor_1d", () -> M().index(idx(l(0, 2, 5))));
        put("idx.tensor_neg", () -> M().index(idx(l(-1, -6))));
        put("idx.tensor_2d", () -> M().index(idx(tensor(new long[][] {{0, 1}, {2, 3}}))));
        put("idx.tensor_dup", () -> M().index(idx(l(1, 1, 0))));
        put("idx.tensor_pair", () -> M().index(idx(l(0, 1)), idx(l(2, 3))));
        put("idx.tensor_pair_broadcast", () -> M().index(idx(tensor(new long[][] {{0}, {5}})), idx(l(1, 2, 3))));
        put("idx.slice_then_tensor", () -> M().index(slice(), idx(l(1, 3))));
        put("idx.adjacent", () -> A().index(slice(), idx(l(0, 2)), idx(l(1, 3))));
        put("idx.non_adjacent", () -> A().index(idx(l(0, 1)), slice(), idx(l(1, 2))));
        put("idx.non_adjacent_2d", () -> A().index(idx(tensor(new long[][] {{0}, {1}})), slice(), idx(l(0, 3))));
        put("idx.int_then_tensor", () -> A().index(idx(1), slice(), idx(l(0, 2))));
        put("idx.tensor_then_int", () -> A().index(idx(l(0, 1)), slice(), idx(1)));
        put("idx.tensor_0d_int", () -> A().index(idx(tensor(1L))));
        put("idx.tensor_empty", () -> M().index(idx(l())));
        put("idx.tensor_long_values", () -> l(10, 20, 30).index(idx(l(2, 0))));
        put("idx.mask_gt", () -> M().index(idx(M().gt(40.0))));
        put("idx.mask_rows", () -> A().index(idx(b(true, false))));
        put("idx.mask_cols", () -> A().index(slice(), idx(b(true, false, true))));
        put("idx.mask_2d", () -> A().index(idx(tensor(new boolean[][] {{true, false, false}, {false, false, true}}))));
        put("idx.mask_0d_true", () -> A().index(idx(tensor(true))));
        put("idx.mask_0d_false", () -> A().index(idx(tensor(false))));
        put("idx.mask_and_tensor", () -> A().index(idx(b(false, true)), slice(), idx(l(3))));
        put("idx.bool_tensor_values", () -> b(true, false, true).index(idx(l(2, 1))));
        put("idx.select_method", () -> A().select(1, -1));
        put("idx.narrow", () -> A().narrow(2, 1, 2));
        put("idx.narrow_neg_start", () -> A().narrow(-1, -2, 2));
        put("idx.index_select", () -> M().indexSelect(1, l(7, 0, 7)));

        put("put.tensor_value", () -> put3x4(x -> x.indexPut_(new Tensor[] {l(0, 2)}, f(-1, -2, -3, -4), false)));
        put("put.scalar_value", () -> put3x4(x -> x.indexPut_(new Tensor[] {l(0, 2), l(1, 3)}, tensor(-5.0), false)));
        put("put.accumulate_dups", () -> zeros(5).indexPut_(new Tensor[] {l(0, 2, 0, 0)}, f(1, 2, 3, 4), true));
        put("put.accumulate_2d", () -> put3x4(x -> x.indexPut_(new Tensor[] {l(0, 0, 1), l(1, 1, 2)}, f(10, 20, 30), true)));
        put("put.dups_last_wins", () -> zeros(3).indexPut_(new Tensor[] {l(1, 1, 1)}, f(1, 2, 3), false));
        put("put.mask", () -> put3x4(x -> x.indexPut_(new TensorIndex[] {idx(x.gt(10.0))}, 0.0)));
        put("put.mask_values", () -> put3x4(x -> x.indexPut_(new TensorIndex[] {idx(x.lt(5.0))}, f(-1, -2, -3, -4))));
        put("put.mask_rows_broadcast", () -> put3x4(x -> x.indexPut_(new TensorIndex[] {idx(b(true, false, true))}, f(7, 8, 9, 10))));
        put("put.slice_and_tensor", () -> put3x4(x -> x.indexPut_(new TensorIndex[] {slice(), idx(l(1, 3))}, 0.0)));
        put("put.basic_slice", () -> put3x4(x -> x.indexPut_(new TensorIndex[] {slice(), slice(1, 3)}, f(5, 6))));
        put("put.basic_int", () -> put3x4(x -> x.indexPut_(new TensorIndex[] {idx(1), idx(2)}, 99.0)));
        put("put.long_accumulate", () -> l(1, 2, 3).indexPut_(new Tensor[] {l(2, 2)}, l(5, 5), true));
        put("put.negative_index", () -> zeros(4).indexPut_(new Tensor[] {l(-1)}, tensor(1.0), false));
    }

    /** {@code x = M()[:3, :4].clone(); fn(x); return x}. */
    private static Tensor put3x4(java.util.function.Consumer<Tensor> fn) {
        Tensor x = M().index(":3, :4").clone();
        fn.accept(x);
        return x;
    }

    private static void joining() {
        Callable<Tensor> a = () -> tensor(new float[][] {{1, 2}, {3, 4}});
        Callable<Tensor> bb = () -> tensor(new float[][] {{5, 6}});
        put("join.cat0", () -> cat(a.call(), bb.call()));
        put("join.cat1", () -> cat(List.of(a.call(), a.call().mul(10L)), 1));
        put("join.cat_neg", () -> cat(List.of(a.call(), a.call()), -1));
        put("join.cat_promote", () -> cat(l(1, 2), f(0.5f)));
        put("join.cat_bool_long", () -> cat(b(true), l(7)));
        put("join.cat_three", () -> cat(f(1), zeros(0), f(2, 3)));
        put("join.cat_legacy_empty", () -> cat(f(), a.call()));
        put("join.stack0", () -> stack(a.call(), a.call().add(1L)));
        put("join.stack1", () -> stack(List.of(a.call(), a.call().add(1L)), 1));
        put("join.stack_neg", () -> stack(List.of(a.call(), a.call().add(1L)), -1));
        put("join.stack_0d", () -> stack(tensor(1.0), tensor(2.0)));
        put("join.stack_promote", () -> stack(l(1, 2), tensor(new double[] {0.5, 1.5})));
        put("join.split", () -> arange(10.0).reshape(5, 2).split(2));
        put("join.split_dim1", () -> A().split(3, 2));
        put("join.split_sizes", () -> A().split(new long[] {1, 2}, 1));
        put("join.split_big", () -> arange(3.0).split(5));
        put("join.chunk", () -> arange(5.0).chunk(3));
        put("join.chunk_fewer", () -> arange(6.0).chunk(4));
        put("join.chunk_dim", () -> A().chunk(2, -1));
        put("join.chunk_more_than_size", () -> arange(2.0).chunk(5));
        put("join.unbind", () -> A().unbind(1));
        Callable<Tensor> index = () -> tensor(new long[][] {{0, 0, 2}, {1, 0, 1}});
        Callable<Tensor> src = () -> tensor(new float[][] {{1, 2, 3}, {4, 5, 6}});
        put("join.gather1", () -> R().index(":2, :3").gather(1, index.call()));
        put("join.gather0", () -> R().gather(0, tensor(new long[][] {{2, 1, 0, 0}})));
        put("join.gather_small_index", () -> R().gather(1, tensor(new long[][] {{3}, {0}})));
        put("join.scatter", () -> zeros(2, 4).scatter(1, index.call(), src.call()));
        put("join.scatter_src_larger", () -> zeros(3, 3).scatter(0, tensor(new long[][] {{2, 0}}), src.call()));
        put("join.scatter_value", () -> zeros(2, 4).scatter(1, index.call(), 7.5));
        put("join.scatter_add", () -> ones(2, 4).scatterAdd(1, index.call(), src.call()));
        put("join.scatter_inplace", () -> zeros(4).scatter_(0, l(3, 1), f(9, 8)));
        put("join.where_broadcast", () -> where(tensor(new boolean[][] {{true}, {false}}), f(1, 2), tensor(0.0)));
        put("join.nonzero", () -> nonzero(tensor(new float[][] {{0, 1}, {2, 0}})));
    }

    private static void shapes() {
        put("shape.base", () -> A());
        put("shape.view", () -> A().view(4, 6));
        put("shape.view_infer", () -> A().view(-1, 3));
        put("shape.view_0d", () -> f(5).view());
        put("shape.view_of_transpose_ok", () -> A().transpose(1, 2).view(2, 4, 3));
        put("shape.view_split_dim", () -> A().transpose(0, 1).view(3, 2, 2, 2));
        put("shape.reshape_view", () -> A().reshape(6, 4));
        put("shape.reshape_copy", () -> A().transpose(0, 2).reshape(-1));
        put("shape.reshape_0d", () -> tensor(2.0).reshape(1, 1));
        put("shape.transpose", () -> A().transpose(0, 2));
        put("shape.transpose_same", () -> A().transpose(1, 1));
        put("shape.t", () -> M().t());
        put("shape.t_1d", () -> V().t());
        put("shape.mT", () -> A().mT());
        put("shape.permute", () -> A().permute(2, 0, 1));
        put("shape.permute_neg", () -> A().permute(-1, -3, -2));
        put("shape.expand", () -> tensor(new float[][] {{1}, {2}, {3}}).expand(2, 3, 4));
        put("shape.expand_keep", () -> tensor(new float[][] {{1}, {2}}).expand(-1, 3));
        put("shape.expand_0d", () -> tensor(7.0).expand(2, 2));
        put("shape.expand_same", () -> f(1, 2).expand(2));
        put("shape.expand_as", () -> f(1, 2).expandAs(zeros(3, 2)));
        put("shape.squeeze", () -> zeros(1, 2, 1, 3).squeeze());
        put("shape.squeeze_dim", () -> zeros(1, 2, 1, 3).squeeze(2));
        put("shape.squeeze_dim_noop", () -> zeros(1, 2, 1, 3).squeeze(1));
        put("shape.squeeze_0d", () -> tensor(1.0).squeeze());
        put("shape.unsqueeze0", () -> A().unsqueeze(0));
        put("shape.unsqueeze_mid", () -> A().unsqueeze(2));
        put("shape.unsqueeze_end", () -> A().unsqueeze(-1));
        put("shape.unsqueeze_of_transpose", () -> A().transpose(0, 2).unsqueeze(1));
        put("shape.flatten", () -> A().flatten());
        put("shape.flatten_range", () -> A().flatten(1, 2));
        put("shape.flatten_noncontig", () -> A().transpose(0, 1).flatten());
        put("shape.flatten_0d", () -> tensor(3.0).flatten());
        put("shape.flatten_same", () -> A().flatten(1, 1));
        put("shape.unflatten", () -> arange(12.0).unflatten(0, 3, -1));
        put("shape.contiguous", () -> A().transpose(0, 1).contiguous());
        put("shape.slice_view_of_view", () -> M().index("1:5").index(":, 2:6").index(1));
        put("shape.expand_then_slice", () -> f(1, 2, 3).expand(4, 3).index("1:3, ::2"));
        put("shape.view_after_expand", () -> tensor(new float[][] {{1}, {2}}).expand(2, 3).reshape(6));
        put("shape.clone_of_view", () -> M().index(":, 1").clone());
        put("shape.stride_after_inplace", () -> M().t().mul_(2.0));
        put("size.A", () -> A().shape());
        put("size.0d", () -> tensor(1.0).shape());
        put("size.empty", () -> zeros(0, 3).shape());
        put("size.slice", () -> A().shape().slice(1));
        put("size.concat", () -> Size.of(1, 1).concat(A().shape()));
        put("size.size_method", () -> A().size());
        put("size.one", () -> zeros(5).shape());
    }

    static Tensor x() { return f(1, 2, 3).requiresGrad_(); }

    static Tensor m() { return tensor(new float[][] {{1, 2}, {3, 4}}).requiresGrad_(); }

    /** {@code y = x() * 1; op(y); return y}: an in-place op on a non-leaf. */
    private static Tensor inplaceNonLeaf(java.util.function.Consumer<Tensor> op) {
        Tensor y = x().mul(1L);
        op.accept(y);
        return y;
    }

    private static void reprs() {
        put("repr.leaf", () -> x());
        put("repr.leaf_double", () -> tensor(new double[] {1, 2}).requiresGrad_());
        put("repr.detach", () -> x().detach());
        put("repr.data", () -> x().data());
        put("repr.sum", () -> x().sum());
        put("repr.sum_dim", () -> x().sum(0));
        put("repr.mean", () -> x().mean());
        put("repr.mean_dim", () -> m().mean(1));
        put("repr.mul", () -> x().mul(2L));
        put("repr.add", () -> x().add(1L));
        put("repr.sub", () -> x().sub(1L));
        put("repr.rsub", () -> x().rsub(1.0));
        put("repr.div", () -> x().div(2L));
        put("repr.neg", () -> x().neg());
        put("repr.pow", () -> x().pow(2L));
        put("repr.pow_tensor", () -> { Tensor t = x(); return t.pow(t); });
        put("repr.exp", () -> x().exp());
        put("repr.log", () -> x().log());
        put("repr.sqrt", () -> x().sqrt());
        put("repr.abs", () -> x().abs());
        put("repr.relu", () -> x().relu());
        put("repr.sigmoid", () -> x().sigmoid());
        put("repr.tanh", () -> x().tanh());
        put("repr.clamp", () -> x().clamp(1.5, 2.5));
        put("repr.maximum", () -> maximum(x(), tensor(2.0)));
        put("repr.where", () -> where(b(true, false, true), x(), tensor(0.0)));
        put("repr.select", () -> x().index(0));
        put("repr.slice", () -> x().index("1:"));
        put("repr.alias", () -> x().index("..."));
        put("repr.index", () -> x().index(idx(l(0, 2))));
        put("repr.mask", () -> x().index(idx(b(true, false, true))));
        put("repr.view", () -> x().view(3, 1));
        put("repr.reshape", () -> m().reshape(4));
        put("repr.reshape_copy", () -> m().t().reshape(4));
        put("repr.flatten", () -> m().flatten());
        put("repr.expand", () -> x().expand(2, 3));
        put("repr.unsqueeze", () -> x().unsqueeze(0));
        put("repr.squeeze", () -> x().unsqueeze(0).squeeze());
        put("repr.squeeze_dim", () -> x().unsqueeze(0).squeeze(0));
        put("repr.transpose", () -> m().transpose(0, 1));
        put("repr.t", () -> m().t());
        put("repr.permute", () -> m().permute(1, 0));
        put("repr.narrow", () -> x().narrow(0, 1, 2));
        put("repr.split", () -> x().split(2));
        put("repr.chunk", () -> x().chunk(2));
        put("repr.split_sizes", () -> x().split(new long[] {1, 2}, 0));
        put("repr.unbind", () -> m().unbind(0));
        put("repr.clone", () -> x().clone());
        put("repr.to_double", () -> x().to(float64));
        put("repr.max", () -> x().max());
        put("repr.max_dim", () -> m().max(1).values());
        put("repr.min_dim", () -> m().min(1).values());
        put("repr.prod", () -> x().prod());
        put("repr.prod_dim", () -> m().prod(0));
        put("repr.var", () -> x().var());
        put("repr.std", () -> x().std());
        put("repr.logsumexp", () -> x().logsumexp(0));
        put("repr.softmax", () -> x().softmax(0));
        put("repr.log_softmax", () -> x().logSoftmax(0));
        put("repr.cat", () -> { Tensor t = x(); return cat(t, t); });
        put("repr.stack", () -> { Tensor t = x(); return stack(t, t); });
        put("repr.mm", () -> { Tensor t = m(); return t.mm(t); });
        put("repr.matmul_2d", () -> { Tensor t = m(); return t.matmul(t); });
        put("repr.matmul_mv", () -> m().matmul(f(1, -1)));
        put("repr.matmul_vm", () -> f(1, -1).matmul(m()));
        put("repr.matmul_3d_2d", () -> m().expand(3, 2, 2).matmul(ones(2, 1)));
        put("repr.matmul_batched", () -> m().expand(3, 2, 2).matmul(ones(3, 2, 1)));
        put("repr.dot", () -> { Tensor t = x(); return t.dot(t); });
        put("repr.bmm", () -> { Tensor t = m(); return t.unsqueeze(0).bmm(t.unsqueeze(0)); });
        put("repr.gather", () -> m().gather(1, tensor(new long[][] {{1}, {0}})));
        put("repr.scatter", () -> m().scatter(1, tensor(new long[][] {{1}, {0}}), 0.0));
        put("repr.index_select", () -> m().indexSelect(0, l(1)));
        put("repr.no_grad", () -> { Tensor t = x(); return noGrad(() -> t.mul(2L)); });
        put("repr.int_result_of_grad_input", () -> x().argmax());
        put("repr.compare_of_grad_input", () -> x().gt(1.5));
        put("repr.copy_slices", () -> {
            Tensor w = f(2, 3).requiresGrad_();
            Tensor y = zeros(2, 2);
            y.index(0, 1).copy_(w.mul(2L).sum());
            return y;
        });
        put("repr.copy_slices_row", () -> {
            Tensor w = f(2, 3).requiresGrad_();
            Tensor y = zeros(2, 2);
            y.index(0, 1).copy_(w.mul(2L).sum());
            return y.index(0);
        });
        put("repr.inplace_view", () -> {
            Tensor y = x().mul(2L);
            Tensor v = y.index("1:");
            v.mul_(2.0);
            return v;
        });
        put("repr.inplace_view_base", () -> {
            Tensor y = x().mul(2L);
            y.index("1:").mul_(2.0);
            return y;
        });
        put("repr.inplace_add", () -> inplaceNonLeaf(y -> y.add_(1.0)));
        put("repr.inplace_mul", () -> inplaceNonLeaf(y -> y.mul_(2.0)));
        put("repr.inplace_exp", () -> inplaceNonLeaf(Tensor::exp_));
        put("repr.inplace_copy", () -> inplaceNonLeaf(y -> y.copy_(f(7, 8, 9))));
        put("repr.inplace_fill", () -> inplaceNonLeaf(y -> y.fill_(2.0)));
        put("repr.inplace_fill_tensor", () -> inplaceNonLeaf(y -> y.fill_(tensor(2.0))));
        put("repr.fill_from_grad_value", () -> {
            Tensor v = tensor(2.0).requiresGrad_();
            Tensor y = zeros(3);
            y.fill_(v);
            return y;
        });
        put("repr.inplace_zero", () -> inplaceNonLeaf(Tensor::zero_));
        put("repr.inplace_index_put", () -> inplaceNonLeaf(y -> y.indexPut_(new Tensor[] {l(0)}, tensor(5.0), false)));
        put("repr.inplace_clamp", () -> inplaceNonLeaf(y -> y.clamp_(0.0, 2.0)));
    }

    // ------------------------------------------------------------------------------------------------

    static { // after every static field it uses
        creation();
        promotion();
        elementwise();
        reductions();
        matmul();
        indexing();
        joining();
        shapes();
        reprs();
    }

    private static boolean ours(String name) {
        return !(name.startsWith("err.") || name.startsWith("grad.") || name.startsWith("tutorial.") || name.startsWith("linalg."));
    }

    @TestFactory
    Stream<DynamicTest> matchesPyTorch() {
        return CASES.entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey(), () -> Fixtures.verify(e.getKey(), e.getValue())));
    }

    @Test
    void everyFixtureCaseHasAJavaExpressionAndViceVersa() {
        TreeSet<String> fixtures = new TreeSet<>();
        for (String n : Fixtures.names("")) if (ours(n)) fixtures.add(n);
        TreeSet<String> missing = new TreeSet<>(fixtures);
        missing.removeAll(CASES.keySet());
        TreeSet<String> extra = new TreeSet<>(CASES.keySet());
        extra.removeAll(fixtures);
        assertTrue(missing.isEmpty(), "fixture cases without a Java expression: " + missing);
        assertTrue(extra.isEmpty(), "Java cases without a fixture (rerun tools/gen_core_fixtures.py): " + extra);
        assertTrue(CASES.size() > 800, "only " + CASES.size() + " cases");
    }

    @Test
    void fixtureFileIsWellFormed() {
        List<String> bad = new ArrayList<>();
        for (String[] f : Fixtures.all().values()) {
            int expected;
            switch (f[0]) {
                case "tensor": expected = 10; break;
                case "list": case "text": expected = 3; break;
                case "error": expected = 4; break;
                default: expected = -1;
            }
            if (f.length != expected) bad.add(f[1]);
        }
        assertTrue(bad.isEmpty(), "malformed records: " + bad);
    }
}
