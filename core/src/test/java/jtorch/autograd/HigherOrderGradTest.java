package jtorch.autograd;

import static jtorch.Torch.tensor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import jtorch.DType;
import jtorch.Tensor;
import jtorch.Torch;

/** Higher-order gradients: create_graph in backward and grad, against analytic derivatives. */
class HigherOrderGradTest {

    private static Tensor[] of(Tensor... t) { return t; }

    @Test
    void secondAndThirdDerivativeOfACube() {
        Tensor x = tensor(new double[] {-1.5, 0.5, 2.0}).requiresGrad_();
        Tensor g = Autograd.grad(of(x.pow(3L).sum()), of(x), null, true, true, false)[0];
        assertTrue(g.requiresGrad());
        assertTrue(g.allclose(x.detach().pow(2L).mul(3.0)), g.toString());
        Tensor h = Autograd.grad(of(g.sum()), of(x), null, true, true, false)[0];
        assertTrue(h.allclose(x.detach().mul(6.0)), h.toString());
        Tensor t = Autograd.grad(h.sum(), x)[0];
        assertTrue(t.allclose(Torch.fullLike(x.detach(), 6.0)), t.toString());
    }

    @Test
    void withoutCreateGraphTheGradientIsConstant() {
        Tensor x = tensor(new double[] {1, 2}).requiresGrad_();
        Tensor g = Autograd.grad(x.pow(3L).sum(), x)[0];
        assertTrue(!g.requiresGrad() && g.gradFn() == null);
    }

    @Test
    void backwardWithCreateGraphMakesTheGradDifferentiable() {
        // PyTorch: x = tensor(2., requires_grad=True); (x**3).backward(create_graph=True); x.grad -> 12,
        // grad_fn=<CopyBackwards>; x.grad.backward() adds 6x = 12 into x.grad in place (no create_graph): 24.
        Tensor x = tensor(2.0).requiresGrad_();
        x.pow(3L).backward(null, true, true);
        Tensor first = x.grad();
        assertEquals(12.0, first.item(), 0);
        assertEquals("CopyBackwards", first.gradFn().name());
        first.backward();
        assertEquals(24.0, x.grad().item(), 0);
        assertTrue(first == x.grad());
    }

    @Test
    void accumulationUnderCreateGraphIsOutOfPlaceAndDifferentiable() {
        Tensor x = tensor(new double[] {1, 3}).requiresGrad_();
        x.pow(2L).sum().backward(null, true, true);
        x.pow(2L).sum().backward(null, true, true);
        Tensor g = x.grad(); // 4x, out of place under grad mode: AddBackward0
        assertTrue(g.allclose(tensor(new double[] {4, 12})));
        assertEquals("AddBackward0", g.gradFn().name());
        Tensor h = Autograd.grad(g.sum(), x)[0];
        assertTrue(h.allclose(tensor(new double[] {4, 4})), h.toString());
    }

    @Test
    void retainedGradsOfNonLeavesAreDifferentiableWithCreateGraph() {
        // y = x^2 retains its grad; z = sum(y^2): y.grad = 2y = 2x^2, and d sum(y.grad) / dx = 4x.
        Tensor x = tensor(new double[] {1.5, -2.0}).requiresGrad_();
        Tensor y = x.pow(2L).retainGrad();
        y.pow(2L).sum().backward(null, true, true);
        assertTrue(y.grad().allclose(x.detach().pow(2L).mul(2.0)), y.grad().toString());
        Tensor d = Autograd.grad(y.grad().sum(), x)[0];
        assertTrue(d.allclose(x.detach().mul(4.0)), d.toString());
    }

    @Test
    void retainGraphFollowsCreateGraphInTheOptions() {
        Tensor x = tensor(new double[] {1, 2}).requiresGrad_();
        Tensor y = x.exp().sum();
        Autograd.grad(y, x, Autograd.gradOptions().createGraph(true));
        Autograd.grad(y, x); // the graph was retained
        Tensor z = x.exp().sum();
        Autograd.grad(z, x, Autograd.gradOptions());
        assertThrows(IllegalStateException.class, () -> Autograd.grad(z, x));
    }

    @Test
    void gradientPenaltyThroughLinearAndRelu() {
        // d/dw of ||d(relu(x w) . v)/dx||^2 with relu' fixed: grad_x = (relu'(xw) * v) w^T.
        Tensor x = tensor(new double[][] {{0.5, -1.0}, {2.0, 0.25}}).requiresGrad_();
        Tensor w = tensor(new double[][] {{1.0, -2.0, 0.5}, {0.75, 1.5, -1.0}}).requiresGrad_();
        Tensor v = tensor(new double[] {1.0, 2.0, -1.0});
        Tensor out = x.matmul(w).relu().mul(v).sum();
        Tensor gx = Autograd.grad(of(out), of(x), null, true, true, false)[0];
        Tensor penalty = gx.pow(2L).sum();
        Tensor gw = Autograd.grad(penalty, w)[0];
        // Analytic: relu' is the mask m of x w > 0; gx = (m * v) w^T, d||gx||^2/dw = 2 (x-independent) sums.
        Tensor m = x.detach().matmul(w.detach()).gt(0.0).to(DType.FLOAT64);
        Tensor a = m.mul(v);                                    // (2, 3)
        Tensor gxExpected = a.matmul(w.detach().t());           // (2, 2)
        assertTrue(gx.allclose(gxExpected), gx.toString());
        // penalty = sum_ij (sum_k a_ik w_jk)^2; d/dw_jk = sum_i 2 gx_ij a_ik
        Tensor gwExpected = gxExpected.t().matmul(a).mul(2.0);
        assertTrue(gw.allclose(gwExpected), gw + " vs " + gwExpected);
    }

    @Test
    void unusedInputsGiveNullWithAllowUnused() {
        Tensor x = tensor(new double[] {1, 2}).requiresGrad_();
        Tensor z = tensor(new double[] {3}).requiresGrad_();
        // d/dx (x^2 + 0 z) = 2x does not depend on z: allow_unused gives null for z.
        Tensor g = Autograd.grad(of(x.pow(2L).sum().add(z.mul(0.0).sum())), of(x), null, true, true, false)[0];
        Tensor[] second = Autograd.grad(of(g.sum()), of(x, z), null, false, false, true);
        assertTrue(second[0].allclose(tensor(new double[] {2, 2})));
        assertNull(second[1]);
        // PyTorch: the gradient of a linear function does not require grad (it is the constant 2).
        assertTrue(!Autograd.grad(of(x.mul(2.0).sum()), of(x), null, true, true, false)[0].requiresGrad());
    }

    @Test
    void gradgradcheckCatchesAWrongSecondDerivative() {
        Tensor x = tensor(new double[] {0.3, -0.7}).requiresGrad_();
        assertTrue(GradCheck.gradgradcheck(in -> in[0].sin().mul(in[0]), x));
        // A first derivative that is right at first order but whose own derivative is wrong: the backward
        // computes 2 x g with x detached, so the second derivative through x is lost.
        java.util.function.Function<Tensor[], Tensor> squareWithFrozenBackward = in -> Autograd.record(
                in[0].detach().pow(2L), "Frozen", of(in[0]), of(in[0]), (gr, c) -> new Tensor[] {gr.mul(c.saved(0).detach()).mul(2.0)});
        assertTrue(GradCheck.gradcheck(squareWithFrozenBackward, x));
        assertThrows(GradCheck.GradcheckError.class, () -> GradCheck.gradgradcheck(squareWithFrozenBackward, x));
    }

    @Test
    void gradgradcheckRefusesAMisshapenGradOutput() {
        Tensor x = tensor(new double[] {1, 2}).requiresGrad_();
        Tensor v = Torch.zeros(new long[] {3}, DType.FLOAT64).requiresGrad_();
        assertThrows(IllegalArgumentException.class,
                () -> GradCheck.gradgradcheck(in -> in[0].exp(), new Tensor[] {x}, v, GradCheck.EPS, GradCheck.ATOL, GradCheck.RTOL));
    }
}
