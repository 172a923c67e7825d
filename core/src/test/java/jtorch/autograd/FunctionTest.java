package jtorch.autograd;

import static jtorch.Torch.tensor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import jtorch.DType;
import jtorch.Tensor;
import jtorch.Torch;

/** Custom autograd functions ({@link Function}) with PyTorch's semantics (messages observed with torch 1.13). */
class FunctionTest {

    /** The tutorial's P3(x) = 0.5 (5x^3 - 3x). */
    static final class LegendrePolynomial3 extends Function<Tensor> {
        @Override protected Tensor forward(Ctx ctx, Tensor... in) {
            ctx.saveForBackward(in[0]);
            return in[0].pow(3L).mul(5.0).sub(in[0].mul(3.0)).mul(0.5);
        }

        @Override protected Tensor[] backward(Ctx ctx, Tensor... g) {
            Tensor input = ctx.savedTensors()[0];
            return new Tensor[] {g[0].mul(1.5).mul(input.pow(2L).mul(5.0).sub(1.0))};
        }
    }

    /** (x, y) -> (x y, x + y), two inputs and two outputs. */
    static final class ProductAndSum extends Function<Tensor[]> {
        final List<String> seen = new ArrayList<>();

        @Override protected Tensor[] forward(Ctx ctx, Tensor... in) {
            ctx.saveForBackward(in[0], in[1]);
            seen.add("needs " + ctx.needsInputGrad(0) + " " + ctx.needsInputGrad(1) + " grad mode " + GradMode.isEnabled());
            return new Tensor[] {in[0].mul(in[1]), in[0].add(in[1])};
        }

        @Override protected Tensor[] backward(Ctx ctx, Tensor... g) {
            Tensor[] s = ctx.savedTensors();
            return new Tensor[] {
                    ctx.needsInputGrad(0) ? g[0].mul(s[1]).add(g[1]) : null,
                    ctx.needsInputGrad(1) ? g[0].mul(s[0]).add(g[1]) : null};
        }
    }

    @Test
    void singleOutputGradientAndNodeName() {
        Tensor x = tensor(new double[] {-0.5, 0.25, 2.0}).requiresGrad_();
        Tensor y = new LegendrePolynomial3().apply(x);
        assertEquals("LegendrePolynomial3Backward", y.gradFn().name());
        assertTrue(y.toString().endsWith("grad_fn=<LegendrePolynomial3Backward>)"), y.toString());
        y.sum().backward();
        Tensor expected = x.detach().pow(2L).mul(5.0).sub(1.0).mul(1.5);
        assertTrue(x.grad().allclose(expected), x.grad().toString());
        assertTrue(GradCheck.gradcheck(in -> new LegendrePolynomial3().apply(in[0]), x.detach().requiresGrad_()));
    }

    @Test
    void theBackwardIsDifferentiableWithCreateGraph() {
        Tensor x = tensor(new double[] {-0.5, 0.25, 2.0}).requiresGrad_();
        assertTrue(GradCheck.gradgradcheck(in -> new LegendrePolynomial3().apply(in[0]), x));
        Tensor g = Autograd.grad(new Tensor[] {new LegendrePolynomial3().apply(x).sum()}, new Tensor[] {x}, null, true, true, false)[0];
        Tensor h = Autograd.grad(g.sum(), x)[0]; // P3'' = 15 x
        assertTrue(h.allclose(x.detach().mul(15.0)), h.toString());
    }

    @Test
    void severalInputsAndOutputsShareOneBackwardCall() {
        ProductAndSum f = new ProductAndSum();
        Tensor x = tensor(new double[] {1, 2}).requiresGrad_(), y = tensor(new double[] {3, 4}).requiresGrad_();
        Tensor[] out = f.apply(x, y);
        assertEquals(List.of("needs true true grad mode false"), f.seen);
        assertEquals("ProductAndSumBackward", out[0].gradFn().name());
        assertEquals("ProductAndSumBackward", out[1].gradFn().name());
        out[0].mul(2.0).add(out[1].mul(3.0)).sum().backward();
        assertTrue(x.grad().allclose(y.detach().mul(2.0).add(3.0)), x.grad().toString());
        assertTrue(y.grad().allclose(x.detach().mul(2.0).add(3.0)), y.grad().toString());
        // Only one output used: the other's gradient is materialized as zeros.
        x.setGrad(null);
        f.apply(x, y)[0].sum().backward();
        assertTrue(x.grad().allclose(y.detach()), x.grad().toString());
        for (int k = 0; k < 2; k++) {
            int which = k;
            assertTrue(GradCheck.gradcheck(in -> new ProductAndSum().apply(in[0], in[1])[which].pow(2L), x.detach().requiresGrad_(),
                    y.detach().requiresGrad_()));
            assertTrue(GradCheck.gradgradcheck(in -> new ProductAndSum().apply(in[0], in[1])[which].pow(2L),
                    x.detach().requiresGrad_(), y.detach().requiresGrad_()));
        }
    }

    @Test
    void needsInputGradFollowsTheInputs() {
        ProductAndSum f = new ProductAndSum();
        Tensor x = tensor(new double[] {1, 2}).requiresGrad_(), y = tensor(new double[] {3, 4});
        f.apply(x, y)[0].sum().backward();
        assertEquals("needs true false grad mode false", f.seen.get(0));
        assertNull(y.grad());
        try (var g = Torch.noGrad()) {
            Tensor[] out = f.apply(x, y);
            assertFalse(out[0].requiresGrad());
        }
        assertEquals("needs false false grad mode false", f.seen.get(1));
    }

    /** max with its argmax marked non-differentiable (PyTorch: the index output has requires_grad=False, its grad is 0). */
    static final class MaxWithIndex extends Function<Tensor[]> {
        Tensor gradOfIndex;

        @Override protected Tensor[] forward(Ctx ctx, Tensor... in) {
            Tensor i = in[0].argmax();
            Tensor v = in[0].max();
            ctx.markNonDifferentiable(i);
            ctx.saveForBackward(in[0], i);
            return new Tensor[] {v, i};
        }

        @Override protected Tensor[] backward(Ctx ctx, Tensor... g) {
            gradOfIndex = g[1];
            Tensor[] s = ctx.savedTensors();
            Tensor r = Torch.zerosLike(s[0]);
            r.index(s[1].itemLong()).copy_(g[0]);
            return new Tensor[] {r};
        }
    }

    @Test
    void nonDifferentiableOutputs() {
        MaxWithIndex f = new MaxWithIndex();
        Tensor x = tensor(new double[] {1, 2}).requiresGrad_();
        Tensor[] out = f.apply(x);
        assertEquals("MaxWithIndexBackward", out[0].gradFn().name());
        assertFalse(out[1].requiresGrad());
        out[0].backward();
        assertEquals("tensor([0., 1.], dtype=torch.float64)", x.grad().toString());
        assertEquals(DType.INT64, f.gradOfIndex.dtype());
        assertEquals(0L, f.gradOfIndex.itemLong());
    }

    @Test
    void savedTensorsAreVersionChecked() {
        Tensor x = tensor(new float[] {1, 2}).requiresGrad_();
        Tensor z = x.clone();
        Tensor o = new LegendrePolynomial3().apply(z);
        z.add_(1.0);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> o.sum().backward());
        assertEquals("one of the variables needed for gradient computation has been modified by an inplace operation: "
                + "[torch.FloatTensor [2]], which is output 0 of AddBackward0, is at version 1; expected version 0 instead. "
                + "Hint: enable anomaly detection to find the operation that failed to compute its gradient, with "
                + "torch.autograd.set_detect_anomaly(True).", e.getMessage());
    }

    @Test
    void savedTensorsAreFreedAfterBackward() {
        Tensor x = tensor(new double[] {1, 2}).requiresGrad_();
        Tensor r = new LegendrePolynomial3().apply(x.clone()).sum();
        r.backward();
        assertTrue(assertThrows(IllegalStateException.class, r::backward).getMessage()
                .startsWith("Trying to backward through the graph a second time"));
        x.setGrad(null);
        Tensor kept = new LegendrePolynomial3().apply(x).sum();
        kept.backward(null, true);
        kept.backward(); // retained
        assertTrue(x.grad().allclose(x.detach().pow(2L).mul(5.0).sub(1.0).mul(1.5).mul(2.0)));
    }

    /** A backward that forgets an input: PyTorch's count check. */
    static final class Forgetful extends Function<Tensor> {
        @Override protected Tensor forward(Ctx ctx, Tensor... in) { return in[0].mul(in[1]); }

        @Override protected Tensor[] backward(Ctx ctx, Tensor... g) { return new Tensor[] {g[0]}; }
    }

    @Test
    void wrongNumberOfGradients() {
        Tensor x = tensor(new double[] {1, 2}).requiresGrad_();
        Tensor o = new Forgetful().apply(x, x.detach());
        assertEquals("function ForgetfulBackward returned an incorrect number of gradients (expected 2, got 1)",
                assertThrows(IllegalStateException.class, () -> o.sum().backward()).getMessage());
    }

    @Test
    void forwardRecordsNothingAndAnInputReturnedAsIsGetsItsOwnTensor() {
        Tensor x = tensor(new double[] {1, 2}).requiresGrad_();
        Function<Tensor> identity = new Function<>() {
            @Override protected Tensor forward(Ctx ctx, Tensor... in) {
                assertFalse(in[0].mul(2.0).requiresGrad()); // grad mode is off in the forward
                return in[0];
            }

            @Override protected Tensor[] backward(Ctx ctx, Tensor... g) { return new Tensor[] {g[0].mul(3.0)}; }
        };
        Tensor y = identity.apply(x);
        assertTrue(x.isLeaf() && x.gradFn() == null);
        assertEquals("FunctionBackward", y.gradFn().name());
        assertSame(x.storage(), y.storage());
        y.sum().backward();
        assertEquals("tensor([3., 3.], dtype=torch.float64)", x.grad().toString());
    }

    @Test
    void ctxValues() {
        Function<Tensor> scale = new Function<>() {
            @Override protected Tensor forward(Ctx ctx, Tensor... in) {
                ctx.put("constant", 2.5);
                return in[0].mul(2.5);
            }

            @Override protected Tensor[] backward(Ctx ctx, Tensor... g) {
                double c = ctx.get("constant");
                return new Tensor[] {g[0].mul(c)};
            }
        };
        Tensor x = tensor(new double[] {1}).requiresGrad_();
        scale.apply(x).sum().backward();
        assertEquals(2.5, x.grad().item(), 0);
    }
}
