package jtorch;

import static jtorch.Torch.tensor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jtorch.PyTorchParityTest.Fixtures;
import jtorch.autograd.Autograd;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The pointwise ops of the op table (issue 13's op path) against PyTorch 1.13. Driven by
 * {@code pointwise_fixtures.txt} ({@code tools/gen_pointwise_fixtures.py}): for every op the
 * generator lists, the Tensor method of that name is applied to the generator's inputs (float32
 * with zeros, infinities and NaN, float64, int64, a transposed view) and its gradient and node name
 * are compared, each with {@link Fixtures#checkTensor}. Adding an op's parity check is adding its
 * name to the generator's list. Binary ops (the {@code pw2.} records) are checked likewise on
 * broadcast pairs of every special value, int64, a strided view, a Python float, alpha, the
 * in-place form (and its refusal for an int64 tensor) and both gradients.
 */
class PointwiseOpParityTest {
    private static final double INF = Double.POSITIVE_INFINITY;

    /** The generator's X in float64; float32 is its rounding, as {@code torch.tensor([...], dtype=float32)} builds it. */
    static Tensor X64() {
        return tensor(new double[] {0, -0.0, 1e-3, -0.5, 0.75, 1, 2, -3, 10, 30, 100, INF, -INF, Double.NaN});
    }

    static Tensor S() {
        return tensor(new float[] {0.25f, 0.5f, 0.75f, 1f, 1.5f, 2f, 2.5f, 3f, 4f, 5f, 6f, 8f}).reshape(4, 3).t();
    }

    static Tensor G() { return tensor(new double[] {0.5, 1.25, 2.0, 3.0}); }

    /** The generator's XB: X, without -0 for maximum and minimum (PyTorch's tie between -0 and +0 depends on its vector lanes). */
    static Tensor XB(String op) {
        if (!op.equals("maximum") && !op.equals("minimum")) return X64();
        return tensor(new double[] {0, 1e-3, -0.5, 0.75, 1, 2, -3, 10, 30, 100, INF, -INF, Double.NaN});
    }

    static Tensor T() { return tensor(new float[] {1.5f, -2f, 0.5f, 3f, -0.25f, 4f, 2f, -1f, 0.75f, 6f, -3.5f, 1f}).reshape(3, 4); }

    static Tensor H() { return tensor(new double[] {1.5, 0.75, 2.5, 1.25}); }

    static Tensor IA() { return tensor(new long[] {-7, -1, 0, 3, 8}).reshape(5, 1); }

    static Tensor IB() { return tensor(new long[] {1, 2, 5}).reshape(1, 3); }

    /** {@code x.op(args)}: the Tensor method of that name taking the arguments' types (a Tensor, a double). */
    private static Tensor call(String op, Tensor x, Object... args) {
        Class<?>[] types = new Class<?>[args.length];
        for (int i = 0; i < args.length; i++) types[i] = args[i] instanceof Tensor ? Tensor.class : double.class;
        try {
            return (Tensor) Tensor.class.getMethod(op, types).invoke(x, args);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof RuntimeException ? (RuntimeException) e.getCause() : new RuntimeException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("Tensor has no method " + op + java.util.Arrays.toString(types), e);
        }
    }

    /** A tensor record, or an error record whose message the call must throw. */
    private static void check(String[] record, java.util.function.Supplier<Tensor> call) {
        if (record[0].equals("error")) {
            RuntimeException e = assertThrows(RuntimeException.class, call::get, record[1] + ": PyTorch raises " + record[3]);
            assertEquals(Fixtures.unescape(record[3]), e.getMessage(), record[1] + ": message");
        } else Fixtures.checkTensor(record, call.get());
    }

    @TestFactory
    List<DynamicTest> everyListedBinaryOp() {
        Map<String, String[]> records = Fixtures.read("pointwise_fixtures.txt");
        List<DynamicTest> tests = new ArrayList<>();
        for (String name : records.keySet()) {
            if (!name.startsWith("pw2.") || !name.endsWith(".f32")) continue;
            String op = name.substring("pw2.".length(), name.length() - ".f32".length());
            tests.add(DynamicTest.dynamicTest(op, () -> {
                Tensor x32 = X64().to(DType.FLOAT32), xb = XB(op);
                check(records.get("pw2." + op + ".f32"), () -> call(op, xb.to(DType.FLOAT32).reshape(-1, 1), xb.to(DType.FLOAT32).reshape(1, -1)));
                check(records.get("pw2." + op + ".f64"), () -> call(op, xb.reshape(-1, 1), xb.reshape(1, -1)));
                check(records.get("pw2." + op + ".int64"), () -> call(op, IA(), IB()));
                check(records.get("pw2." + op + ".strided"), () -> call(op, S(), T()));
                String[] r = records.get("pw2." + op + ".scalar");
                if (r != null) check(r, () -> call(op, x32, 2.5));
                r = records.get("pw2." + op + ".alpha");
                if (r != null) {
                    double alpha = op.equals("add") ? 2.0 : 0.37; // the generator's ALPHA
                    check(r, () -> call(op, x32.reshape(14, 1), x32.reshape(1, 14), alpha));
                }
                r = records.get("pw2." + op + ".inplace");
                if (r != null) {
                    Tensor self = x32.reshape(14, 1).expand(14, 14).clone();
                    long version = self.version();
                    check(r, () -> call(op + "_", self, x32.reshape(1, 14)));
                    assertEquals(version + 1, self.version(), op + "_: version bump");
                    Tensor view = x32.reshape(14, 1).expand(14, 14).clone().t();
                    check(records.get("pw2." + op + ".inplace_strided"), () -> call(op + "_", view, x32.reshape(1, 14)));
                    check(records.get("pw2." + op + ".inplace_int"), () -> call(op + "_", tensor(new long[] {1, 2}), 2.5));
                }
                r = records.get("pw2." + op + ".node");
                if (r != null) {
                    Tensor a = G().requiresGrad_(), b = H().requiresGrad_();
                    Tensor y = call(op, a, b);
                    Tensor[] g = Autograd.grad(y.sum(), a, b);
                    Fixtures.checkTensor(records.get("pw2." + op + ".grad_a"), g[0]);
                    Fixtures.checkTensor(records.get("pw2." + op + ".grad_b"), g[1]);
                    assertEquals(Fixtures.unescape(r[2]), "'" + y.gradFn().name() + "'", op + ": node");
                }
            }));
        }
        assertFalse(tests.isEmpty(), "no binary ops in pointwise_fixtures.txt");
        return tests;
    }

    private static Tensor call(String op, Tensor x) {
        try {
            Method m = Tensor.class.getMethod(op);
            return (Tensor) m.invoke(x);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof RuntimeException ? (RuntimeException) e.getCause() : new RuntimeException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("Tensor has no method " + op + "()", e);
        }
    }

    @TestFactory
    List<DynamicTest> everyListedOp() {
        Map<String, String[]> records = Fixtures.read("pointwise_fixtures.txt");
        List<DynamicTest> tests = new ArrayList<>();
        for (String name : records.keySet()) {
            if (!name.startsWith("pw.") || !name.endsWith(".f32")) continue;
            String op = name.substring("pw.".length(), name.length() - ".f32".length());
            tests.add(DynamicTest.dynamicTest(op, () -> {
                Fixtures.checkTensor(records.get("pw." + op + ".f32"), call(op, X64().to(DType.FLOAT32)));
                Fixtures.checkTensor(records.get("pw." + op + ".f64"), call(op, X64()));
                Fixtures.checkTensor(records.get("pw." + op + ".int64"), call(op, tensor(new long[] {1, 2, 3, 8})));
                Fixtures.checkTensor(records.get("pw." + op + ".strided"), call(op, S()));
                Tensor x = G().requiresGrad_();
                Tensor y = call(op, x);
                Fixtures.checkTensor(records.get("pw." + op + ".grad"), Autograd.grad(y.sum(), x)[0]);
                assertEquals(Fixtures.unescape(records.get("pw." + op + ".node")[2]), "'" + y.gradFn().name() + "'", op + ": node");
            }));
        }
        assertFalse(tests.isEmpty(), "no ops in pointwise_fixtures.txt");
        return tests;
    }
}
