package jtorch;

import static jtorch.PyTorchParityTest.R;
import static jtorch.PyTorchParityTest.b;
import static jtorch.PyTorchParityTest.f;
import static jtorch.PyTorchParityTest.l;
import static jtorch.Torch.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import jtorch.PyTorchParityTest.Fixtures;
import jtorch.autograd.AccumulateGrad;
import jtorch.autograd.Autograd;
import jtorch.autograd.Node;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Autograd semantics as PyTorch defines them: accumulation, {@code backward(gradient)},
 * {@code retain_graph}, {@code retain_grad}, hooks, {@code autograd.grad}, leaves and
 * {@code requires_grad} propagation, {@code detach()}/{@code .data}, grad mode, in-place ops on views
 * and version counters. Gradient values are checked against PyTorch 1.13 ({@code grad.*} cases
 * of {@code core_fixtures.txt}).
 */
class AutogradSemanticsTest {

    static Tensor x3() { return f(1, 2, 3).requiresGrad_(); }

    static Tensor[] array(Tensor... t) { return t; }

    // ------------------------------------------------------------------------------------------------
    // Gradient values against PyTorch: each case returns the .grad of one input.

    private static final Map<String, Callable<Object>> GRADS = new LinkedHashMap<>();

    private static void put(String name, Callable<Object> expr) {
        if (GRADS.put(name, expr) != null) throw new IllegalStateException(name);
    }

    /** {@code op(x).sum().backward()} for x = tensor(values, requires_grad=True); returns x.grad. */
    private static Callable<Object> unary(java.util.function.UnaryOperator<Tensor> op, float... values) {
        return () -> {
            Tensor x = f(values).requiresGrad_();
            op.apply(x).sum().backward();
            return x.grad();
        };
    }

    private static Tensor[] broadcast() {
        Tensor a = R().requiresGrad_();
        Tensor bb = f(1, 2, 3, 4).requiresGrad_();
        Tensor s = tensor(2.0).requiresGrad_();
        Tensor c = tensor(new float[][] {{1}, {-1}, {0.5f}}).requiresGrad_();
        a.mul(bb).add(s).mul(c).sum().backward();
        return array(a, bb, s, c);
    }

    private static Tensor[] mixed() {
        Tensor x = f(1, 2).requiresGrad_();
        Tensor y = tensor(new double[] {0.1, 3.0}).requiresGrad_();
        x.mul(y).sum().backward();
        return array(x, y);
    }

    private static Tensor[] putAccumulate() {
        Tensor x = x3();
        Tensor base = f(1, 1, 1, 1).requiresGrad_();
        Tensor y = base.mul(1L);
        y.indexPut_(new Tensor[] {l(0, 0, 3)}, x.mul(x), true);
        y.mul(f(1, 2, 3, 4)).sum().backward();
        return array(x, base);
    }

    private static Tensor[] putOverwrite() {
        Tensor x = f(1, 2).requiresGrad_();
        Tensor base = f(1, 1, 1, 1).requiresGrad_();
        Tensor y = base.mul(1L);
        y.indexPut_(new Tensor[] {l(1, 3)}, x.mul(5L), false);
        y.mul(f(1, 2, 3, 4)).sum().backward();
        return array(x, base);
    }

    private static Tensor[] copyOver() {
        Tensor x = x3();
        Tensor z = f(4).requiresGrad_();
        Tensor y = x.mul(1L);
        y.copy_(z.mul(2L));
        y.mul(f(1, 2, 3)).sum().backward();
        return array(x, z);
    }

    private static Tensor[] fillOver() {
        Tensor x = x3();
        Tensor v = tensor(0.5).requiresGrad_();
        Tensor y = x.mul(1L);
        y.fill_(v.mul(2L));
        y.mul(f(1, 2, 3)).sum().backward();
        return array(x, v);
    }

    static {
        put("grad.broadcast_a", () -> broadcast()[0].grad());
        put("grad.broadcast_b", () -> broadcast()[1].grad());
        put("grad.broadcast_s", () -> broadcast()[2].grad());
        put("grad.broadcast_c", () -> broadcast()[3].grad());
        put("grad.mixed_float", () -> mixed()[0].grad());
        put("grad.mixed_double", () -> mixed()[1].grad());
        put("grad.int_operand", () -> {
            Tensor x = f(1.5f, 2).requiresGrad_();
            x.mul(l(3, 4)).div(tensor(2L)).sum().backward();
            return x.grad();
        });
        put("grad.to_double", () -> {
            Tensor x = f(1, 3).requiresGrad_();
            x.to(float64).mul(tensor(new double[] {0.1, 0.2})).sum().backward();
            return x.grad();
        });
        put("grad.accumulate_twice", () -> {
            Tensor x = x3();
            x.mul(x).sum().backward();
            x.mul(3L).sum().backward();
            return x.grad();
        });
        put("grad.backward_gradient", () -> {
            Tensor x = x3();
            x.mul(x).backward(f(1, 0.1f, 0.01f));
            return x.grad();
        });
        put("grad.retain_grad", () -> {
            Tensor z = x3().mul(2L);
            z.retainGrad();
            z.mul(z).sum().backward();
            return z.grad();
        });
        put("grad.copy_slices", () -> {
            Tensor w = tensor(new float[][] {{0.5f, -1.5f}}).requiresGrad_();
            Tensor xx = tensor(new float[][] {{1, 1, 0}, {0, 1, 1}});
            Tensor y = zeros(2, 2);
            for (long i = 0; i < 2; i++)
                for (long j = 0; j < 2; j++)
                    y.index(i, j).copy_(xx.index(slice(i, i + 1), slice(j, j + 2)).mul(w).sum());
            y.sub(tensor(new float[][] {{0, 1}, {-1, 0}})).pow(2L).sum().backward();
            return w.grad();
        });
        put("grad.view_inplace", () -> {
            Tensor x = x3();
            Tensor y = x.mul(1L);
            y.index("1:").mul_(f(2, 3));
            y.mul(y).sum().backward();
            return x.grad();
        });
        put("grad.copy_self", () -> copyOver()[0].grad());
        put("grad.copy_src", () -> copyOver()[1].grad());
        put("grad.fill_self", () -> fillOver()[0].grad());
        put("grad.fill_value", () -> fillOver()[1].grad());
        put("grad.index_dup", unary(x -> x.index(idx(l(0, 0, 2))), 1, 2, 3));
        put("grad.index_put_acc_values", () -> putAccumulate()[0].grad());
        put("grad.index_put_acc_self", () -> putAccumulate()[1].grad());
        put("grad.index_put_values", () -> putOverwrite()[0].grad());
        put("grad.index_put_self", () -> putOverwrite()[1].grad());
        put("grad.softmax_extreme", unary(x -> x.softmax(0).mul(f(1, 2, 3)), 1000, 0, -1000));
        put("grad.log_softmax_extreme", unary(x -> x.logSoftmax(0).mul(f(1, 2, 3)), 1000, 0, -1000));
        put("grad.logsumexp_neg_inf", unary(x -> x.logsumexp(0), Float.NEGATIVE_INFINITY, 0, 0));
        put("grad.max_tie", unary(Tensor::max, 1, 3, 3));
        put("grad.max_dim_tie", unary(x -> x.max(0).values(), 1, 3, 3));
        put("grad.prod_zero", unary(Tensor::prod, 2, 0, 3));
        put("grad.prod_two_zeros", unary(Tensor::prod, 2, 0, 0));
        put("grad.prod_dim", unary(x -> x.reshape(2, 2).prod(1), 2, 0, 3, 4));
        put("grad.var", unary(Tensor::var, 1, 2, 4));
        put("grad.std", unary(Tensor::std, 1, 2, 4));
        put("grad.clamp_bounds", unary(x -> x.clamp(0.0, 1.0), -1, 0, 0.5f, 1, 2));
        put("grad.relu_zero", unary(Tensor::relu, -1, 0, 2));
        put("grad.abs_zero", unary(Tensor::abs, -1, 0, 2));
        put("grad.sqrt_zero", unary(Tensor::sqrt, 0, 4));
        put("grad.pow_zero_base", unary(x -> x.pow(2.5), 0, 4));
        put("grad.maximum_tie", unary(x -> maximum(x, f(1, 5, 0)), 1, 2, 3));
        put("grad.where", unary(x -> where(x.gt(1.5), x.mul(x), x.neg()), 1, 2, 3));
        put("grad.expand", unary(x -> x.expand(3, 2).mul(tensor(new float[][] {{1}, {2}, {3}})), 1, 2));
        put("grad.gather", unary(x -> x.reshape(2, 2).gather(1, tensor(new long[][] {{0, 0}, {1, 0}})), 1, 2, 3, 4));
        put("grad.scatter_src", unary(x -> zeros(2, 3).scatter(1, tensor(new long[][] {{2}, {0}}), x.reshape(2, 1).mul(3L)), 1, 2));
        put("grad.cat", unary(x -> cat(x, x.mul(2L)).mul(f(1, 2, 3, 4)), 1, 2));
        put("grad.stack", unary(x -> stack(List.of(x, x), 1).mul(tensor(new float[][] {{1, 2}, {3, 4}})), 1, 2));
        put("grad.split", unary(x -> x.split(2).get(1).mul(5L), 1, 2, 3));
        put("grad.matmul_batch", unary(x -> x.reshape(2, 1, 1, 2).matmul(arange(12.0).reshape(3, 2, 2)), 1, -1, 2, 0.5f));
        put("grad.matmul_vec", unary(x -> arange(6.0).reshape(2, 3).matmul(x).pow(2L), 1, -1, 2));
        put("grad.mean_keepdim", unary(x -> x.reshape(2, 2).mean(new int[] {0}, true).mul(tensor(new float[][] {{1, 3}})), 1, 2, 3, 4));
        put("grad.div", unary(x -> tensor(1.0).div(x), 2, -4));
        put("grad.sigmoid_tanh", unary(x -> x.sigmoid().mul(x.tanh()), 0.5f, -1));
    }

    @TestFactory
    Stream<DynamicTest> gradientsMatchPyTorch() {
        return GRADS.entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey(), () -> Fixtures.verify(e.getKey(), e.getValue())));
    }

    @Test
    void everyGradFixtureHasAJavaExpression() {
        TreeSet<String> fixtures = new TreeSet<>(Fixtures.names("grad."));
        TreeSet<String> missing = new TreeSet<>(fixtures);
        missing.removeAll(GRADS.keySet());
        TreeSet<String> extra = new TreeSet<>(GRADS.keySet());
        extra.removeAll(fixtures);
        assertTrue(missing.isEmpty() && extra.isEmpty(), "without Java expression: " + missing + "; without fixture: " + extra);
    }

    // ------------------------------------------------------------------------------------------------

    @Test
    void broadcastOperandGradientsHaveTheOperandsShapes() {
        Tensor[] in = broadcast();
        assertEquals(Size.of(3, 4), in[0].grad().shape());
        assertEquals(Size.of(4), in[1].grad().shape());
        assertEquals(Size.of(), in[2].grad().shape());
        assertEquals(Size.of(3, 1), in[3].grad().shape());
    }

    @Test
    void mixedDtypeGradientsAreCastBackToEachInputsDtype() {
        Tensor[] in = mixed();
        assertEquals(DType.FLOAT32, in[0].grad().dtype());
        assertEquals(DType.FLOAT64, in[1].grad().dtype());
        Tensor x = f(1, 2).requiresGrad_();
        Tensor y = x.to(float64).mul(2.0).sum();
        assertEquals(DType.FLOAT64, y.dtype());
        y.backward();
        assertEquals(DType.FLOAT32, x.grad().dtype());
        assertEquals("tensor([2., 2.])", x.grad().toString());
    }

    @Test
    void gradientsAccumulateOverBackwardCallsUntilCleared() {
        Tensor x = x3();
        assertNull(x.grad(), "no gradient before backward");
        x.mul(x).sum().backward();
        assertEquals("tensor([2., 4., 6.])", x.grad().toString());
        x.mul(3L).sum().backward();
        assertEquals("tensor([5., 7., 9.])", x.grad().toString());
        x.setGrad(null);
        x.sum().backward();
        assertEquals("tensor([1., 1., 1.])", x.grad().toString());
        assertFalse(x.grad().requiresGrad(), "a gradient computed without create_graph does not require grad");
        assertTrue(x.grad().isLeaf());
    }

    @Test
    void backwardWithAGradientIsAVectorJacobianProduct() {
        Tensor x = x3();
        Tensor y = x.mul(x);
        y.backward(f(1, 0.5f, -2));
        assertEquals("tensor([  2.,   2., -12.])", x.grad().toString());
        // A 0-dim output may also be given its gradient explicitly.
        Tensor z = x3();
        z.sum().backward(tensor(3.0));
        assertEquals("tensor([3., 3., 3.])", z.grad().toString());
    }

    @Test
    void retainGraphAllowsASecondBackward() {
        Tensor x = x3();
        Tensor y = x.exp().sum();
        y.backward(null, true);
        y.backward(null, true);
        Tensor e = x.detach().exp();
        assertTrue(x.grad().allclose(e.mul(2L)));
        y.backward();                                   // frees the graph
        assertTrue(x.grad().allclose(e.mul(3L)));
        RuntimeException ex = assertThrows(RuntimeException.class, y::backward);
        assertTrue(ex.getMessage().startsWith("Trying to backward through the graph a second time"), ex.getMessage());
    }

    @Test
    void graphsThatSaveNothingCanBeRunTwiceWithoutRetainGraph() {
        // PyTorch only complains when a freed saved tensor is needed; sum/add save nothing.
        Tensor x = x3();
        Tensor y = x.add(1L).sum();
        y.backward();
        y.backward();
        assertEquals("tensor([2., 2., 2.])", x.grad().toString());
    }

    @Test
    void retainGradKeepsTheGradientOfANonLeaf() {
        Tensor x = x3();
        Tensor z = x.mul(2L);
        Tensor w = z.add(1L);
        assertFalse(z.retainsGrad());
        assertSame(z, z.retainGrad());
        assertTrue(z.retainsGrad());
        w.mul(w).sum().backward();
        assertEquals("tensor([ 6., 10., 14.])", z.grad().toString());   // 2 (2x + 1)
        assertNull(w.grad(), "a non-leaf without retain_grad keeps no gradient");
        assertEquals("tensor([12., 20., 28.])", x.grad().toString());
        // retain_grad() on a leaf is a no-op: leaves keep their gradient anyway.
        assertSame(x, x.retainGrad());
        assertFalse(x.retainsGrad());
        // A second backward adds into the retained gradient.
        Tensor x2 = x3();
        Tensor z2 = x2.mul(2L);
        z2.retainGrad();
        Tensor out = z2.sum();
        out.backward(null, true);
        out.backward();
        assertEquals("tensor([2., 2., 2.])", z2.grad().toString());
    }

    @Test
    void hooksSeeAndMayReplaceTheGradientAndCanBeRemoved() {
        Tensor x = x3();
        List<String> seen = new ArrayList<>();
        Runnable remove = x.registerHook(g -> {
            seen.add(g.toString());
            return g.mul(2L);
        });
        x.mul(x).sum().backward();
        assertEquals(List.of("tensor([2., 4., 6.])"), seen);
        assertEquals("tensor([ 4.,  8., 12.])", x.grad().toString());
        remove.run();
        x.setGrad(null);
        x.mul(x).sum().backward();
        assertEquals(1, seen.size(), "a removed hook no longer runs");
        assertEquals("tensor([2., 4., 6.])", x.grad().toString());

        // A hook on a non-leaf changes what flows further back; returning null keeps the gradient.
        Tensor a = x3();
        Tensor mid = a.mul(3L);
        AtomicReference<String> observed = new AtomicReference<>();
        mid.registerHook(g -> { observed.set(g.toString()); return null; });
        mid.registerHook(g -> g.add(1L));
        mid.sum().backward();
        assertEquals("tensor([1., 1., 1.])", observed.get());
        assertEquals("tensor([6., 6., 6.])", a.grad().toString());   // 3 * (1 + 1)
        assertNull(mid.grad());
    }

    @Test
    void postAccumulateGradHooksSeeTheAccumulatedGradient() {
        Tensor x = x3();
        List<String> seen = new ArrayList<>();
        Runnable remove = x.registerPostAccumulateGradHook(p -> seen.add(p.grad().toString()));
        x.mul(x).sum().backward();
        x.mul(x).sum().backward();   // accumulates: the hook sees the sum
        assertEquals(List.of("tensor([2., 4., 6.])", "tensor([ 4.,  8., 12.])"), seen);
        remove.run();
        x.mul(x).sum().backward();
        assertEquals(2, seen.size(), "a removed hook no longer runs");
        // Used twice in one graph, the leaf's two gradients are summed first: the hook runs once, after.
        Tensor y = x3();
        List<String> once = new ArrayList<>();
        y.registerPostAccumulateGradHook(p -> once.add(p.grad().toString()));
        y.mul(2L).add(y.mul(3L)).sum().backward();
        assertEquals(List.of("tensor([5., 5., 5.])"), once);
        var e = assertThrows(IllegalStateException.class, () -> y.mul(2L).registerPostAccumulateGradHook(p -> { }));
        assertEquals("post accumulate grad hooks cannot be registered on non-leaf tensors", e.getMessage());
    }

    @Test
    void autogradGradReturnsGradientsWithoutTouchingDotGrad() {
        Tensor x = x3();
        Tensor z = f(5, 6).requiresGrad_();
        Tensor y = x.mul(x).sum();
        Tensor[] g = Autograd.grad(new Tensor[] {y}, array(x, z), null, true, true);
        assertEquals("tensor([2., 4., 6.])", g[0].toString());
        assertNull(g[1], "allow_unused: an unused input gets null");
        assertNull(x.grad());
        assertNull(z.grad());
        // The graph was retained; backward still works and now fills .grad.
        y.backward();
        assertEquals("tensor([2., 4., 6.])", x.grad().toString());
        assertEquals("tensor([2., 4., 6.])", Autograd.grad(x.mul(x).sum(), x)[0].toString());
        assertEquals("tensor([2., 4., 6.])", x.grad().toString(), "autograd.grad leaves .grad alone");
        // Gradient with respect to an intermediate.
        Tensor w = x3();
        Tensor mid = w.mul(2L);
        assertEquals("tensor([1., 1., 1.])", Autograd.grad(mid.sum(), mid)[0].toString());
        assertEquals("tensor([2., 2., 2.])", Autograd.grad(mid.sum(), w)[0].toString());
    }

    @Test
    void leavesAndRequiresGradPropagation() {
        Tensor plain = f(1, 2);
        assertTrue(plain.isLeaf());
        assertFalse(plain.requiresGrad());
        assertNull(plain.gradFn());
        Tensor x = x3();
        assertTrue(x.isLeaf());
        assertTrue(x.requiresGrad());
        Tensor y = x.mul(plain.sum());
        assertFalse(y.isLeaf());
        assertTrue(y.requiresGrad());
        assertEquals("MulBackward0", y.gradFn().name());
        List<Node> next = y.gradFn().nextFunctions();
        assertEquals(2, next.size());
        assertTrue(next.get(0) instanceof AccumulateGrad);
        assertSame(x, ((AccumulateGrad) next.get(0)).variable());
        assertNull(next.get(1), "no edge to an input that does not require grad");
        Tensor noGradResult = plain.mul(2L);
        assertTrue(noGradResult.isLeaf());
        assertFalse(noGradResult.requiresGrad());
        // Integer and bool results never require grad.
        assertFalse(x.argmax().requiresGrad());
        assertFalse(x.gt(1.0).requiresGrad());
        assertTrue(x.gt(1.0).isLeaf());
        assertFalse(x.to(int64).requiresGrad());
        // requires_grad_ on a float leaf, and turning it off again.
        Tensor t = f(1);
        assertSame(t, t.requiresGrad_());
        assertTrue(t.requiresGrad());
        t.requiresGrad_(false);
        assertFalse(t.requiresGrad());
        // Views of a leaf that requires grad are non-leaves.
        Tensor v = x.index(0);
        assertFalse(v.isLeaf());
        assertEquals("SelectBackward0", v.gradFn().name());
    }

    @Test
    void detachSharesStorageAndVersionCounterButDataHasItsOwnCounter() {
        Tensor x = x3();
        Tensor d = x.detach();
        assertTrue(d.isLeaf());
        assertFalse(d.requiresGrad());
        assertNull(d.gradFn());
        assertEquals(0, x.version());
        d.add_(1.0);
        assertEquals(1, x.version(), "detach() shares the version counter");
        assertEquals(1, d.version());
        assertEquals("tensor([2., 3., 4.], requires_grad=True)", x.toString(), "and the storage");
        Tensor data = x.data();
        assertFalse(data.requiresGrad());
        data.mul_(2.0);
        assertEquals("tensor([4., 6., 8.], requires_grad=True)", x.toString(), "data shares the storage");
        assertEquals(1, x.version(), ".data has its own version counter");
        assertEquals(1, data.version());
    }

    @Test
    void modifyingASavedTensorThroughDataIsInvisibleButThroughDetachIsAnError() {
        Tensor x = x3();
        Tensor y = x.exp();                                   // ExpBackward0 saves its output y
        y.data().zero_();
        y.sum().backward();                                   // PyTorch: no error, and the zeros are used
        assertEquals("tensor([0., 0., 0.])", x.grad().toString());

        Tensor x2 = x3();
        Tensor y2 = x2.exp();
        y2.detach().zero_();
        RuntimeException e = assertThrows(RuntimeException.class, () -> y2.sum().backward());
        assertEquals(Fixtures.errorMessage("err.saved_modified"), e.getMessage());
    }

    @Test
    void gradModeNoGradEnableGradAndThreadLocality() throws Exception {
        Tensor x = x3();
        assertTrue(isGradEnabled());
        try (var g = noGrad()) {
            assertFalse(isGradEnabled());
            Tensor y = x.mul(2L);
            assertNull(y.gradFn());
            assertFalse(y.requiresGrad());
            try (var e = enableGrad()) {
                assertTrue(isGradEnabled());
                assertEquals("MulBackward0", x.mul(2L).gradFn().name(), "enable_grad inside no_grad records");
            }
            assertFalse(isGradEnabled(), "leaving enable_grad restores no_grad");

            // Another thread has its own grad mode (on by default) and records.
            ExecutorService pool = Executors.newSingleThreadExecutor();
            try {
                Future<String> other = pool.submit(() -> isGradEnabled() + " " + x.mul(3L).gradFn());
                assertEquals("true <MulBackward0>", other.get());
            } finally {
                pool.shutdown();
            }
            assertFalse(isGradEnabled(), "the other thread did not change this thread's mode");
        }
        assertTrue(isGradEnabled());

        // noGrad(Runnable) and noGrad(Supplier)
        AtomicReference<Tensor> r = new AtomicReference<>();
        noGrad(() -> { r.set(x.mul(2L)); });
        assertFalse(r.get().requiresGrad());
        Tensor s = noGrad(() -> x.add(1L));
        assertFalse(s.requiresGrad());
        assertTrue(isGradEnabled());

        // A thread that turned grad off does not affect this one.
        Thread t = new Thread(() -> setGradEnabled(false));
        t.start();
        t.join();
        assertTrue(isGradEnabled());
        assertNotNull(x.mul(2L).gradFn());

        // The mode is restored even when the body throws.
        assertThrows(IllegalStateException.class, () -> noGrad(() -> { throw new IllegalStateException("boom"); }));
        assertTrue(isGradEnabled());
    }

    @Test
    void inPlaceUpdateOfALeafUnderNoGradKeepsItALeaf() {
        Tensor w = f(1, 2).requiresGrad_();
        w.mul(w).sum().backward();
        long v = w.version();
        try (var g = noGrad()) {
            w.sub_(w.grad().mul(0.5));
        }
        assertTrue(w.isLeaf());
        assertTrue(w.requiresGrad());
        assertNull(w.gradFn());
        assertEquals(v + 1, w.version());
        assertEquals("tensor([0., 0.], requires_grad=True)", w.toString());
    }

    @Test
    void assignmentIntoATensorThatDidNotRequireGradJoinsTheGraph() {
        // The tutorial's Y[i, j] = (X[i:i+h, j:j+w] * K).sum() with K requiring grad.
        Tensor w = f(2, 3).requiresGrad_();
        Tensor y = zeros(2, 2);
        assertTrue(y.isLeaf());
        assertFalse(y.requiresGrad());
        Tensor cell = y.index(0, 1);
        cell.copy_(w.mul(2L).sum());
        assertFalse(y.isLeaf(), "Y joins the graph");
        assertTrue(y.requiresGrad());
        assertEquals("CopySlices", y.gradFn().name());
        assertEquals("AsStridedBackward0", cell.gradFn().name());
        y.index(1, 0).copy_(w.index(0).mul(w.index(1)));
        assertEquals("CopySlices", y.gradFn().name());
        assertEquals("tensor([[ 0., 10.],\n        [ 6.,  0.]], grad_fn=<CopySlices>)", y.toString());
        y.mul(tensor(new float[][] {{1, 2}, {3, 4}})).sum().backward();
        // d/dw [2 * 2 (w0 + w1) + 3 w0 w1] = [4 + 3 w1, 4 + 3 w0]
        assertEquals("tensor([13., 10.])", w.grad().toString());
    }

    @Test
    void inPlaceOnAViewOfANonLeafRewritesTheBasesHistory() {
        Tensor x = x3();
        Tensor y = x.mul(2L);
        Tensor v = y.index("1:");
        v.mul_(3.0);
        assertEquals("CopySlices", y.gradFn().name());
        assertEquals("AsStridedBackward0", v.gradFn().name());
        assertEquals("tensor([ 2., 12., 18.], grad_fn=<CopySlices>)", y.toString());
        y.sum().backward();
        assertEquals("tensor([2., 6., 6.])", x.grad().toString());
        // Gradients flow through the view as well.
        Tensor x2 = x3();
        Tensor y2 = x2.mul(2L);
        Tensor v2 = y2.index("1:");
        v2.mul_(3.0);
        v2.sum().backward();
        assertEquals("tensor([0., 6., 6.])", x2.grad().toString());
    }

    @Test
    void versionCountersAreBumpedByInPlaceOpsAndSharedWithViews() {
        Tensor x = zeros(3);
        assertEquals(0, x.version());
        x.add(1L);
        x.mul(2.0).exp();
        assertEquals(0, x.version(), "out-of-place ops do not bump");
        x.add_(1.0);
        assertEquals(1, x.version());
        Tensor view = x.index("1:");
        assertEquals(1, view.version(), "a view shares its base's counter");
        view.mul_(2.0);
        assertEquals(2, x.version());
        assertEquals(2, view.version());
        Tensor reshaped = x.view(3, 1);
        reshaped.fill_(4.0);
        assertEquals(3, x.version());
        x.zero_();
        x.copy_(f(1, 2, 3));
        x.indexPut_(new Tensor[] {l(0)}, tensor(9.0), false);
        x.clamp_(0.0, 5.0);
        assertEquals(7, x.version());
        assertEquals("tensor([5., 2., 3.])", x.toString());
        Tensor gathered = x.index(idx(l(0, 1)));
        gathered.add_(1.0);
        assertEquals(7, x.version(), "advanced indexing copies: its result has its own counter");
        assertEquals(1, gathered.version());
        Tensor cloned = x.clone();
        cloned.add_(1.0);
        assertEquals(7, x.version());
    }

    @Test
    void onlyModifyingATensorThatABackwardReadsIsAnError() {
        Tensor x = x3();
        Tensor y = x.add(1L);          // AddBackward0 saves nothing
        Tensor z = y.mul(2L);          // d/dy of y * 2 needs only the 2: y's value is not read
        Tensor w = y.mul(y);           // d/dy of y * y reads y
        Tensor s = y.sum();
        y.add_(5.0);
        s.backward();
        assertEquals("tensor([1., 1., 1.])", x.grad().toString());
        z.sum().backward();
        assertEquals("tensor([3., 3., 3.])", x.grad().toString());
        RuntimeException e = assertThrows(RuntimeException.class, () -> w.sum().backward());
        assertTrue(e.getMessage().startsWith("one of the variables needed for gradient computation has been modified by an "
                + "inplace operation: [torch.FloatTensor [3]], which is output 0 of AddBackward0, is at version 1; expected "
                + "version 0 instead. Hint: "), e.getMessage());
    }

    @Test
    void inPlaceOpsOnNonLeavesKeepTheGraph() {
        Tensor x = x3();
        Tensor y = x.mul(1L);
        y.add_(1.0);
        assertEquals("AddBackward0", y.gradFn().name());
        y.mul_(2.0);
        assertEquals("MulBackward0", y.gradFn().name());
        y.exp_();
        y.sum().backward();
        // d/dx exp(2 (x + 1)) = 2 exp(2 (x + 1))
        assertTrue(x.grad().allclose(x.detach().add(1L).mul(2L).exp().mul(2L)));
        // Overwriting with copy_, fill_ or zero_ keeps the tensor in the graph with zero gradient to the old value.
        for (String op : new String[] {"copy_", "fill_", "zero_"}) {
            Tensor a = x3();
            Tensor b = a.mul(1L);
            if (op.equals("copy_")) b.copy_(f(7, 8, 9));
            else if (op.equals("fill_")) b.fill_(2.0);
            else b.zero_();
            assertTrue(b.requiresGrad(), op + " keeps requires_grad");
            assertFalse(b.isLeaf(), op);
            b.sum().backward();
            assertEquals("tensor([0., 0., 0.])", a.grad().toString(), op);
        }
    }

    @Test
    void theGradientOfAViewOfALeafReachesTheLeaf() {
        Tensor x = tensor(new float[][] {{1, 2}, {3, 4}}).requiresGrad_();
        x.index(":, 1").mul(x.index(1)).sum().backward();
        // sum_i x[i, 1] * x[1, i] = x01 x10 + x11 x11
        assertEquals("tensor([[0., 3.],\n        [2., 8.]])", x.grad().toString());
        assertNotSame(x.grad().storage(), x.storage());
        assertEquals(DType.FLOAT32, x.grad().dtype());
        assertArrayEquals(new long[] {2, 1}, x.grad().stride());
    }

    @Test
    void viewsSeeLaterInPlaceWritesToTheirBaseButNoGradViewsStayOutOfTheGraph() {
        Tensor x = Torch.ones(2, 2).requiresGrad_();
        Tensor y = x.mul(1.0);
        Tensor row = y.index(0);
        y.mul_(3.0);
        assertEquals("AsStridedBackward0", row.gradFn().name());
        row.sum().backward();
        assertEquals("tensor([[3., 3.],\n        [0., 0.]])", x.grad().toString());

        Tensor w = Torch.ones(3).requiresGrad_();
        Tensor frozen;
        try (var g = Torch.noGrad()) {
            frozen = w.index(Torch.slice(0, 2));
            w.mul_(2.0);
        }
        assertFalse(frozen.requiresGrad());
        assertNull(frozen.gradFn());
    }
    // A leaf keeps a fresh gradient without a copy (as PyTorch's AccumulateGrad steals it), but
    // never one that anything else can still reach.

    @Test
    void aFreshGradientBecomesTheLeafsGradAndSharedOnesAreCopied() {
        Tensor a = Torch.ones(2, 2).requiresGrad_(), b = Torch.ones(2, 2).requiresGrad_();
        Tensor gradient = Torch.full(new long[] {2, 2}, 3.0);
        a.add(b).backward(gradient);
        // add hands the same tensor to both leaves, and the caller holds it: neither may keep it.
        assertNotSame(a.grad().storage(), b.grad().storage());
        assertNotSame(gradient.storage(), a.grad().storage());
        a.grad().add_(1.0);
        assertEquals("tensor([[3., 3.],\n        [3., 3.]])", b.grad().toString());
        assertEquals("tensor([[3., 3.],\n        [3., 3.]])", gradient.toString());
    }

    @Test
    void aGradientAHookKeptOrASavedTensorSharesIsNotTakenOver() {
        Tensor x = Torch.ones(3).requiresGrad_();
        List<Tensor> seen = new ArrayList<>();
        x.registerHook(g -> { seen.add(g); return null; });
        x.mul(2.0).sum().backward();
        x.grad().add_(10.0);
        assertEquals("tensor([2., 2., 2.])", seen.get(0).toString());

        Tensor y = Torch.ones(3).requiresGrad_();
        Tensor mid = y.mul(2.0);
        mid.retainGrad();
        mid.mul(1.0).sum().backward();
        y.grad().add_(10.0);
        assertEquals("tensor([1., 1., 1.])", mid.grad().toString());
    }

    @Test
    void theGradientOfATransposedWeightComesOutInTheWeightsLayout() {
        Tensor w = Torch.arange(6).reshape(2, 3).to(DType.FLOAT32).requiresGrad_();
        Tensor x = Torch.arange(12).reshape(4, 3).to(DType.FLOAT32);
        x.matmul(w.t()).sum().backward();
        assertTrue(w.grad().isContiguous());
        assertEquals("tensor([[18., 22., 26.],\n        [18., 22., 26.]])", w.grad().toString());
        w.grad().zero_();
        assertEquals("tensor([[ 0.,  1.,  2.],\n        [ 3.,  4.,  5.],\n        [ 6.,  7.,  8.],\n        [ 9., 10., 11.]])",
                x.toString());
    }
}
