package jtorch.autograd;

import static jtorch.Torch.idx;
import static jtorch.Torch.slice;
import static jtorch.Torch.tensor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.concurrent.Callable;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import jtorch.DType;
import jtorch.Tensor;
import jtorch.Torch;
import jtorch.kernels.Pool2d;
import jtorch.ops.NllLoss;
import jtorch.ops.Pool;

/**
 * {@link Functional} and second derivatives through kernel-backed rules (log_softmax, nll_loss,
 * relu, pooling, gathers, max, softmax, prod) against {@code autograd_fixtures.txt}, which
 * {@code tools/gen_autograd_fixtures.py} wrote with PyTorch 1.13 (gen_core_fixtures.py's record format);
 * plus analytic results and PyTorch's argument errors.
 */
class FunctionalParityTest {

    // ------------------------------------------------------------------ the fixture file

    private static Map<String, String[]> records;

    private static synchronized Map<String, String[]> records() {
        if (records != null) return records;
        Map<String, String[]> r = new LinkedHashMap<>();
        try (InputStream in = FunctionalParityTest.class.getResourceAsStream("/jtorch/autograd_fixtures.txt")) {
            assertNotNull(in, "autograd_fixtures.txt is missing; run tools/gen_autograd_fixtures.py");
            BufferedReader br = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = br.readLine()) != null; ) {
                if (line.isEmpty() || line.startsWith("#")) continue;
                String[] f = line.split("\t", -1);
                r.put(f[1], f);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return records = r;
    }

    /** A {@code tensor} record's values against {@code actual}: dtype, shape, and every element within the tolerance. */
    private static void checkTensor(String name, Tensor actual) {
        String[] f = records().get(name);
        assertNotNull(f, "no fixture " + name);
        assertEquals("tensor", f[0], name);
        assertEquals(DType.valueOf(f[2]), actual.dtype(), name + ": dtype");
        int[] shape = f[3].isEmpty() ? new int[0] : Arrays.stream(f[3].split(",")).mapToInt(Integer::parseInt).toArray();
        assertEquals(Arrays.toString(shape), Arrays.toString(actual.shape().toArray()).replace("L", ""), name + ": shape");
        assertTrue(f[7].startsWith("abs:"), name + ": tolerance " + f[7]);
        double tol = Double.parseDouble(f[7].substring(4));
        String[] v = f[8].isEmpty() ? new String[0] : f[8].split(" ");
        double[] a = actual.toDoubleArray();
        assertEquals(v.length, a.length, name + ": numel");
        for (int i = 0; i < v.length; i++) {
            double e = Double.longBitsToDouble(Long.parseUnsignedLong(v[i], 16));
            assertTrue(Math.abs(e - a[i]) <= tol, name + " element " + i + ": expected " + e + " got " + a[i]);
        }
    }

    private static void check(String name, Object result) {
        String[] f = records().get(name);
        assertNotNull(f, "no fixture " + name);
        if (f[0].equals("list")) {
            Tensor[] ts = (Tensor[]) result;
            assertEquals(Integer.parseInt(f[2]), ts.length, name + ": number of tensors");
            for (int i = 0; i < ts.length; i++) checkTensor(name + "[" + i + "]", ts[i]);
        } else {
            checkTensor(name, (Tensor) result);
        }
    }

    // ------------------------------------------------------------------ the functions (the script's, line by line)

    static Tensor X() { return tensor(new double[] {0.3, -0.7, 1.1}); }

    static Tensor A() { return tensor(new double[][] {{0.5, -1.0, 0.25}, {1.5, 0.75, -0.5}}); }

    static Tensor P() {
        return tensor(new double[] {0.1, 1.3, -0.4, 0.8, 2.1, -1.2, 0.6, 0.05, -0.9, 1.7, 0.35, -0.15, 1.05, -0.6, 0.45, 1.9})
                .reshape(1, 1, 4, 4);
    }

    static Tensor fExpSin(Tensor x) { return x.sin().mul(x).exp(); }

    static Tensor fTanhMv(Tensor[] in) { return in[0].matmul(in[1]).tanh(); }

    static Tensor fCubic(Tensor x) { return x.pow(3L).sum().add(x.index(0).mul(x.index(1))); }

    static Tensor fLogSum(Tensor[] in) { return in[0].exp().mul(in[1].pow(2L)).sum().log(); }

    static Tensor fCe(Tensor x) { return NllLoss.nllLoss(x.reshape(1, 3).logSoftmax(1), new long[] {2}, -100, "mean"); }

    static final Pool2d.Geometry POOL = new Pool2d.Geometry(4, 4, 2, 2, 2, 2, 0, 0, 1, 1, 2, 2);

    static Tensor fReluPool(Tensor p) {
        return Pool.maxPool2d(p.relu(), POOL)[0].pow(2L).sum().add(Pool.avgPool2d(p, POOL, true, 0).exp().sum());
    }

    static Tensor fGatherIndex(Tensor x) {
        return x.index(idx(Torch.tensor(new long[] {2, 0, 2}))).pow(2L).sum()
                .add(x.gather(0, Torch.tensor(new long[] {1, 1})).exp().sum())
                .add(x.index(slice(1L, null)).pow(3L).sum());
    }

    static Tensor fMaxSoftmax(Tensor a) {
        return a.max(1).values().pow(2L).sum().add(a.softmax(1).pow(2L).sum()).add(a.prod(0).sum());
    }

    static Tensor[] pair(Tensor a, Tensor b) { return new Tensor[] {a, b}; }

    static Tensor[] cat(Tensor first, Tensor[] rest) {
        List<Tensor> l = new ArrayList<>();
        l.add(first);
        l.addAll(Arrays.asList(rest));
        return l.toArray(new Tensor[0]);
    }

    static Tensor[] flat(Tensor[][] h) { return Arrays.stream(h).flatMap(Arrays::stream).toArray(Tensor[]::new); }

    static Tensor[] flat(Functional.Result r) { return cat(r.output(), r.values()); }

    static final Functional.Options DEFAULTS = Functional.options();

    static Map<String, Callable<Object>> cases() {
        Map<String, Callable<Object>> c = new LinkedHashMap<>();
        c.put("fn.jacobian_exp_sin", () -> Functional.jacobian(FunctionalParityTest::fExpSin, X()));
        c.put("fn.jacobian_tanh_mv", () -> Functional.jacobian(FunctionalParityTest::fTanhMv, pair(A(), X()), DEFAULTS));
        c.put("fn.hessian_cubic", () -> Functional.hessian(FunctionalParityTest::fCubic, X()));
        c.put("fn.hessian_log_sum", () -> flat(Functional.hessian(FunctionalParityTest::fLogSum, pair(A(), A().add(1.0)), DEFAULTS)));
        c.put("fn.vjp_tanh_mv", () -> flat(Functional.vjp(FunctionalParityTest::fTanhMv, pair(A(), X()),
                tensor(new double[] {1.0, -2.0}), DEFAULTS)));
        c.put("fn.jvp_exp_sin", () -> flat(Functional.jvp(FunctionalParityTest::fExpSin, X(), tensor(new double[] {1.0, 0.5, -1.0}))));
        c.put("fn.jvp_tanh_mv", () -> flat(Functional.jvp(FunctionalParityTest::fTanhMv, pair(A(), X()),
                pair(A().mul(0.5), tensor(new double[] {1.1, -0.7, 0.3})), DEFAULTS)));
        c.put("fn.hvp_cubic", () -> flat(Functional.hvp(FunctionalParityTest::fCubic, X(), tensor(new double[] {1.0, 2.0, -1.0}))));
        c.put("fn.vhp_log_sum", () -> flat(Functional.vhp(FunctionalParityTest::fLogSum, pair(A(), A().add(1.0)),
                pair(A(), A().neg()), DEFAULTS)));
        c.put("fn.hvp_log_sum", () -> flat(Functional.hvp(FunctionalParityTest::fLogSum, pair(A(), A().add(1.0)),
                pair(A(), A().neg()), DEFAULTS)));
        c.put("fn.hessian_cross_entropy", () -> Functional.hessian(FunctionalParityTest::fCe, X()));
        c.put("fn.hessian_relu_pool", () -> Functional.hessian(FunctionalParityTest::fReluPool, P()).reshape(16, 16));
        c.put("fn.hessian_gather_index", () -> Functional.hessian(FunctionalParityTest::fGatherIndex, X()));
        c.put("fn.hessian_max_softmax_prod", () -> Functional.hessian(FunctionalParityTest::fMaxSoftmax, A()).reshape(6, 6));
        return c;
    }

    @TestFactory
    List<DynamicTest> matchesPyTorch() {
        Map<String, Callable<Object>> c = cases();
        List<String> fixtureCases = records().keySet().stream().filter(n -> !n.endsWith("]")).toList();
        assertEquals(fixtureCases, new ArrayList<>(c.keySet()), "every fixture case has a Java expression and vice versa");
        List<DynamicTest> tests = new ArrayList<>();
        c.forEach((name, expr) -> tests.add(DynamicTest.dynamicTest(name, () -> check(name, expr.call()))));
        return tests;
    }

    // ------------------------------------------------------------------ semantics

    @Test
    void resultsAreDetachedUnlessCreateGraph() {
        Tensor x = X().requiresGrad_();
        Tensor j = Functional.jacobian(FunctionalParityTest::fExpSin, x);
        assertTrue(!j.requiresGrad());
        Tensor jg = Functional.jacobian(FunctionalParityTest::fExpSin, x, Functional.options().createGraph(true));
        assertTrue(jg.requiresGrad());
        // d/dx of trace(J) = sum_i d^2 f_i / dx_i^2, against the Hessian diagonal of each component
        Tensor g = Autograd.grad(jg.index(0, 0).add(jg.index(1, 1)).add(jg.index(2, 2)), x)[0];
        Tensor expected = Torch.zeros(new long[] {3}, DType.FLOAT64);
        for (int i = 0; i < 3; i++) {
            int k = i;
            Tensor hi = Functional.hessian(t -> fExpSin(t).index(k), X());
            expected.index(i).fill_(hi.index(i, i).item());
        }
        assertTrue(g.allclose(expected), g + " vs " + expected);
    }

    @Test
    void independentInputsGetZerosOrTheStrictError() {
        Tensor[] in = pair(X(), A());
        Tensor[] j = Functional.jacobian(t -> t[0].exp(), in, DEFAULTS);
        assertTrue(j[1].abs().sum().item() == 0.0 && Arrays.equals(new long[] {3, 2, 3}, j[1].shape().toArray()));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Functional.vjp(t -> t[0].exp(), in, Torch.onesLike(X()), Functional.options().strict(true)));
        assertEquals("The output of the user-provided function is independent of input 1. This is not allowed in strict mode.",
                e.getMessage());
    }

    @Test
    void argumentErrorsArePyTorchs() {
        assertEquals("The vector v can only be None if the user-provided function returns a single Tensor with a single element.",
                assertThrows(IllegalArgumentException.class, () -> Functional.vjp(Tensor::exp, X(), null)).getMessage());
        assertEquals("v has invalid size: should be torch.Size([3]) but got torch.Size([2]).",
                assertThrows(IllegalArgumentException.class, () -> Functional.jvp(Tensor::exp, X(), Torch.ones(2))).getMessage());
        assertEquals("The Tensor returned by the function given to hessian should contain a single element",
                assertThrows(IllegalArgumentException.class, () -> Functional.hessian(Tensor::exp, X())).getMessage());
    }
}
