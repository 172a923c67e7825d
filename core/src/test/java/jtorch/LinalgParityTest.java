package jtorch;

import static jtorch.Torch.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import jtorch.kernels.KernelProvider;
import jtorch.kernels.Kernels;

/**
 * {@code addmm} and {@code baddbmm} against PyTorch 1.13 ({@code linalg_fixtures.txt}, written by
 * {@code tools/gen_linalg_fixtures.py}): values, broadcasting of the input, beta and alpha
 * (beta 0 never reads the input), int64 and float64, gradients, {@code grad_fn} and errors, on
 * every kernel provider available here. Each case has an expression of the same name in the script.
 */
class LinalgParityTest {

    private static Tensor rn(long seed, long... shape) {
        manualSeed(seed);
        return randn(shape);
    }

    /** Small integers as float32, so that large products are exact. */
    private static Tensor ri(long seed, long... shape) {
        manualSeed(seed);
        return randint(-4, 5, shape).to(DType.FLOAT32);
    }

    private static Tensor rg(Tensor t) { return t.clone().requiresGrad_(); }

    private static final Map<String, Callable<Object>> CASES = new LinkedHashMap<>();

    private static void put(String name, Callable<Object> expr) {
        if (CASES.put(name, expr) != null) throw new IllegalStateException("duplicate case " + name);
    }

    private static List<Object> addmmGrads(double beta, double alpha, long... inputShape) {
        Tensor i = rg(rn(1, inputShape)), a = rg(rn(2, 3, 5)), b = rg(rn(3, 5, 4));
        Tensor w = rn(4, 3, 4);
        addmm(i, a, b, beta, alpha).mul(w).sum().backward();
        return List.of(i.grad(), a.grad(), b.grad());
    }

    private static List<Object> baddbmmGrads(double beta, double alpha, long... inputShape) {
        Tensor i = rg(rn(1, inputShape)), a = rg(rn(2, 2, 3, 5)), b = rg(rn(3, 2, 5, 4));
        Tensor w = rn(4, 2, 3, 4);
        baddbmm(i, a, b, beta, alpha).mul(w).sum().backward();
        return List.of(i.grad(), a.grad(), b.grad());
    }

    static {
        put("linalg.addmm_row_bias", () -> addmm(rn(1, 4), rn(2, 2, 3), rn(3, 3, 4)));
        put("linalg.addmm_full_input", () -> addmm(rn(1, 2, 4), rn(2, 2, 3), rn(3, 3, 4)));
        put("linalg.addmm_column_input", () -> addmm(rn(1, 2, 1), rn(2, 2, 3), rn(3, 3, 4)));
        put("linalg.addmm_scalar_input", () -> addmm(tensor(0.5), rn(2, 2, 3), rn(3, 3, 4)));
        put("linalg.addmm_beta_alpha", () -> addmm(rn(1, 4), rn(2, 2, 3), rn(3, 3, 4), 0.5, -2.0));
        put("linalg.addmm_alpha_only", () -> addmm(rn(1, 4), rn(2, 2, 3), rn(3, 3, 4), 1, 3.0));
        put("linalg.addmm_beta0_ignores_nan", () -> addmm(full(new long[] {4}, Double.NaN), rn(2, 2, 3), rn(3, 3, 4), 0, 1));
        put("linalg.addmm_beta0_alpha", () -> addmm(rn(1, 4), rn(2, 2, 3), rn(3, 3, 4), 0, 0.25));
        put("linalg.addmm_transposed", () -> addmm(rn(1, 5), rn(2, 3, 2).t(), rn(3, 5, 3).t()));
        put("linalg.addmm_float64", () -> addmm(rn(1, 4).to(DType.FLOAT64), rn(2, 2, 3).to(DType.FLOAT64),
                rn(3, 3, 4).to(DType.FLOAT64), 2.0, 0.5));
        put("linalg.addmm_int64", () -> addmm(ones(new long[] {4}, DType.INT64), arange(6).reshape(2, 3),
                arange(12).reshape(3, 4).sub(5), 2, 3));
        put("linalg.addmm_k0", () -> addmm(rn(1, 2, 4), zeros(2, 0), zeros(0, 4), 2.0, 1));
        put("linalg.addmm_large", () -> addmm(ri(1, 50), ri(2, 40, 70), ri(3, 70, 50)));
        put("linalg.addmm_requires_grad", () -> addmm(rg(rn(1, 4)), rn(2, 2, 3), rn(3, 3, 4)));
        put("linalg.addmm_grads", () -> addmmGrads(1, 1, 4));
        put("linalg.addmm_grads_beta_alpha", () -> addmmGrads(0.5, -1.5, 3, 1));
        put("linalg.addmm_grads_full", () -> addmmGrads(2, 1, 3, 4));
        put("linalg.err_addmm_expand", () -> addmm(rn(1, 3), rn(2, 2, 3), rn(3, 3, 4)));
        put("linalg.err_addmm_mat1_1d", () -> addmm(rn(1, 4), rn(2, 3), rn(3, 3, 4)));
        put("linalg.err_addmm_mat2_1d", () -> addmm(rn(1, 4), rn(2, 2, 3), rn(3, 3)));
        put("linalg.err_addmm_shapes", () -> addmm(rn(1, 4), rn(2, 2, 3), rn(3, 2, 4)));
        put("linalg.err_addmm_input_dims", () -> addmm(rn(1, 1, 2, 4), rn(2, 2, 3), rn(3, 3, 4)));

        put("linalg.baddbmm_row_bias", () -> baddbmm(rn(1, 4), rn(2, 2, 2, 3), rn(3, 2, 3, 4)));
        put("linalg.baddbmm_batch_input", () -> baddbmm(rn(1, 2, 1, 4), rn(2, 2, 2, 3), rn(3, 2, 3, 4)));
        put("linalg.baddbmm_beta_alpha", () -> baddbmm(rn(1, 2, 3, 4), rn(2, 2, 3, 3), rn(3, 2, 3, 4), -1.0, 0.5));
        put("linalg.baddbmm_beta0_ignores_nan",
                () -> baddbmm(full(new long[] {1, 4}, Double.NaN), rn(2, 2, 2, 3), rn(3, 2, 3, 4), 0, 1));
        put("linalg.baddbmm_float64", () -> baddbmm(rn(1, 3, 4).to(DType.FLOAT64), rn(2, 2, 3, 5).to(DType.FLOAT64),
                rn(3, 2, 5, 4).to(DType.FLOAT64), 1, 2.0));
        put("linalg.baddbmm_large", () -> baddbmm(ri(1, 40), ri(2, 3, 32, 48), ri(3, 3, 48, 40)));
        put("linalg.baddbmm_requires_grad", () -> baddbmm(rn(1, 4), rg(rn(2, 2, 2, 3)), rn(3, 2, 3, 4)));
        put("linalg.baddbmm_grads", () -> baddbmmGrads(1, 1, 3, 4));
        put("linalg.baddbmm_grads_beta_alpha", () -> baddbmmGrads(0.25, 2.0, 2, 1, 4));
        put("linalg.err_baddbmm_expand", () -> baddbmm(rn(1, 3), rn(2, 2, 2, 3), rn(3, 2, 3, 4)));
        put("linalg.err_baddbmm_batch1_2d", () -> baddbmm(rn(1, 4), rn(2, 2, 3), rn(3, 2, 3, 4)));
        put("linalg.err_baddbmm_sizes", () -> baddbmm(rn(1, 4), rn(2, 2, 2, 3), rn(3, 3, 3, 4)));
        put("linalg.err_baddbmm_inner", () -> baddbmm(rn(1, 4), rn(2, 2, 2, 3), rn(3, 2, 2, 4)));
    }

    @TestFactory
    Stream<DynamicTest> matchesPyTorchOnEveryProvider() {
        List<DynamicTest> tests = new ArrayList<>();
        for (KernelProvider p : KernelProvider.values()) {
            if (!Kernels.isAvailable(p)) continue;
            for (Map.Entry<String, Callable<Object>> e : CASES.entrySet())
                tests.add(DynamicTest.dynamicTest(p + " " + e.getKey(), () -> {
                    try (Kernels.Scope s = Kernels.use(p)) {
                        PyTorchParityTest.Fixtures.verify(e.getKey(), e.getValue());
                    }
                }));
        }
        return tests.stream();
    }

    @Test
    void everyFixtureCaseHasAJavaExpressionAndViceVersa() {
        TreeSet<String> fixtures = new TreeSet<>(PyTorchParityTest.Fixtures.names("linalg."));
        assertEquals(fixtures, new TreeSet<>(CASES.keySet()), "rerun tools/gen_linalg_fixtures.py");
    }

    @Test
    void gradFnNames() {
        assertEquals("AddmmBackward0", addmm(rn(1, 4), rg(rn(2, 2, 3)), rn(3, 3, 4)).gradFn().name());
        assertEquals("BaddbmmBackward0", baddbmm(rn(1, 4), rn(2, 2, 2, 3), rg(rn(3, 2, 3, 4))).gradFn().name());
    }

    @Test
    void mixedDtypesAreRefused() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> addmm(rn(1, 4), rn(2, 2, 3), rn(3, 3, 4).to(DType.FLOAT64)));
        assertTrue(e.getMessage().startsWith("self and mat2 must have the same dtype"), e.getMessage());
        e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> baddbmm(rn(1, 4), rn(2, 2, 2, 3), rn(3, 2, 3, 4).to(DType.FLOAT64)));
        assertEquals("expected scalar type Float but found Double", e.getMessage());
    }
}
