package jtorch.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Function;

import org.junit.jupiter.api.Test;

import jtorch.DType;
import jtorch.Tensor;
import jtorch.Torch;

/**
 * The engine's in-place gradient sums: view gradients (slice, select, split, unbind pieces) added
 * into the input's sum, and dense same-layout gradients (a transposed weight read in every step)
 * added into an owned sum. The gradients are the same bits as the nodes' own backward rules and
 * out-of-place sums give (which run under {@code create_graph}, where the in-place paths are off).
 */
class ViewGradientSumTest {

    private static Tensor[] of(Tensor... t) { return t; }

    /** x.grad by backward() (in-place path) and by grad(create_graph=true) (the nodes' rules) agree bit for bit. */
    private static void assertSameGradients(Tensor x, Function<Tensor, Tensor> f) {
        Tensor viaRules = Autograd.grad(of(f.apply(x)), of(x), null, false, true, false)[0].detach();
        x.setGrad(null);
        f.apply(x).backward();
        assertNotNull(x.grad());
        assertTrue(x.grad().equal(viaRules), () -> x.grad() + " vs " + viaRules);
    }

    private static Tensor input(long... shape) {
        Torch.manualSeed(7);
        return Torch.randn(shape, DType.FLOAT64).requiresGrad_();
    }

    @Test
    void timeStepsAsSlicesOfOneProjection() {
        Tensor x = input(12, 5);
        Tensor w = Torch.randn(new long[] {5, 5}, DType.FLOAT64);
        assertSameGradients(x, t -> {
            Tensor h = Torch.zeros(new long[] {2, 5}, DType.FLOAT64), acc = Torch.zeros(new long[] {1}, DType.FLOAT64);
            for (int s = 0; s < 6; s++) {
                h = t.narrow(0, 2 * s, 2).add(h.mm(w)).tanh();
                acc = acc.add(h.sum());
            }
            return acc;
        });
    }

    @Test
    void overlappingSlicesStridedSlicesAndSelects() {
        Tensor x = input(6, 7);
        assertSameGradients(x, t -> t.index("0:4").mul(3.0).sum()
                .add(t.index("2:6").pow(2L).sum())
                .add(t.index(":, 1:7:2").exp().sum())
                .add(t.select(1, 3).mul(-1.5).sum())
                .add(t.select(0, 5).sin().sum()));
    }

    @Test
    void aFullGradientArrivesBetweenSliceGradients() {
        Tensor x = input(4, 3);
        assertSameGradients(x, t -> {
            Tensor y = t.mul(2.0);
            return y.narrow(0, 0, 2).sum().add(y.pow(2L).sum()).add(y.narrow(0, 1, 3).mul(y.narrow(0, 0, 3)).sum());
        });
    }

    @Test
    void splitChunkAndUnbindPieces() {
        Tensor x = input(6, 4);
        assertSameGradients(x, t -> {
            Tensor s = Torch.zeros(new long[] {1}, DType.FLOAT64);
            for (Tensor p : t.split(2, 0)) s = s.add(p.mul(p).sum());
            for (Tensor p : t.chunk(3, 1)) s = s.add(p.cos().sum());
            for (Tensor p : t.unbind(0)) s = s.add(p.mul(0.5).sum());
            return s;
        });
    }

    @Test
    void float32AndAllViewsUnused() {
        Torch.manualSeed(3);
        Tensor x = Torch.randn(5, 3).requiresGrad_();
        assertSameGradients(x, t -> t.narrow(0, 1, 2).sum().add(t.narrow(0, 3, 1).mul(4.0).sum()));
        assertEquals(DType.FLOAT32, x.grad().dtype());
        // Rows 0 and 4 were never read: their gradient is zero.
        assertTrue(x.grad().select(0, 0).eq(0.0).all().item() != 0 && x.grad().select(0, 4).eq(0.0).all().item() != 0);
    }

    @Test
    void hooksOnTheBaseSeeTheWholeSum() {
        Tensor x = input(4, 2);
        Tensor[] seen = new Tensor[1];
        Tensor y = x.mul(1.0);
        y.registerHook(g -> { seen[0] = g.clone(); return g.mul(2.0); });
        y.narrow(0, 0, 2).sum().add(y.narrow(0, 2, 2).mul(3.0).sum()).add(y.select(0, 1).sum()).backward();
        Tensor expected = Torch.tensor(new double[][] {{1, 1}, {2, 2}, {3, 3}, {3, 3}}).to(DType.FLOAT64);
        assertTrue(seen[0].equal(expected), () -> String.valueOf(seen[0]));
        assertTrue(x.grad().equal(expected.mul(2.0)), () -> String.valueOf(x.grad()));
    }

    @Test
    void hooksOnAViewRunBeforeItsGradientIsPlaced() {
        Tensor x = input(3, 2);
        Tensor top = x.narrow(0, 0, 1);
        top.registerHook(g -> g.mul(10.0));
        top.sum().add(x.narrow(0, 1, 2).sum()).backward();
        assertTrue(x.grad().equal(Torch.tensor(new double[][] {{10, 10}, {1, 1}, {1, 1}}).to(DType.FLOAT64)), () -> String.valueOf(x.grad()));
    }

    @Test
    void secondOrderThroughSlices() {
        Tensor x = input(4);
        Tensor y = x.narrow(0, 0, 2).pow(3L).sum().add(x.narrow(0, 1, 3).pow(2L).sum());
        Tensor g = Autograd.grad(of(y), of(x), null, true, true, false)[0];
        Tensor h = Autograd.grad(g.sum(), x)[0];
        Tensor xd = x.detach();
        // d2/dx2: 6x on rows 0-1, plus 2 on rows 1-3
        Tensor expected = Torch.tensor(new double[] {6 * xd.select(0, 0).item(), 6 * xd.select(0, 1).item() + 2, 2, 2});
        assertTrue(h.allclose(expected), () -> h + " vs " + expected);
    }

    @Test
    void aTransposedWeightReadInEveryStep() {
        Tensor w = input(4, 6);
        Tensor x0 = Torch.randn(new long[] {3, 6}, DType.FLOAT64);
        assertSameGradients(w, t -> {
            Tensor wt = t.t(), x = x0, acc = Torch.zeros(new long[] {1}, DType.FLOAT64);
            for (int s = 0; s < 5; s++) {
                Tensor y = x.mm(wt).tanh();
                acc = acc.add(y.sum());
                x = y.mm(t);
            }
            return acc.add(x.pow(2L).sum());
        });
    }
}
