package jtorch;

import static jtorch.Torch.tensor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

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
 * name to the generator's list.
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
            if (!name.endsWith(".f32")) continue;
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
