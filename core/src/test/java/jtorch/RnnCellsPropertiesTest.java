package jtorch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

import jtorch.autograd.Autograd;
import jtorch.ops.RnnCells;

/**
 * The fused LSTM and GRU cell ops equal the composition of sigmoid/tanh/mul/add that PyTorch's CPU
 * cells run (aten/src/ATen/native/RNN.cpp, LSTMCell and GRUCell), bit for bit: the outputs and
 * every gradient, in float32 and float64, for contiguous and row-strided operands. A backward with
 * createGraph (the composite rule) gives the same gradients as the fused one.
 */
class RnnCellsPropertiesTest {

    private static Tensor uniform(Random r, DType dtype, long... shape) {
        int n = 1;
        for (long s : shape) n *= (int) s;
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = -3 + 6 * r.nextDouble();
        return Torch.tensor(v).to(dtype).reshape(shape);
    }

    /**
     * A tensor of {@code shape} with the values of {@code t}, as a row-strided view (rows of a
     * wider matrix) or a transposed copy's transpose, when {@code layout} asks for it.
     */
    private static Tensor layout(Tensor t, int layout) {
        if (t.dim() != 2 || layout == 0) return t;
        long n = t.size(0), m = t.size(1);
        if (layout == 1) {
            Tensor wide = Torch.zeros(new long[] {n, m + 3}, t.dtype());
            wide.narrow(1, 2, m).copy_(t);
            return wide.narrow(1, 2, m);
        }
        return t.t().contiguous().t();
    }

    private static Tensor leaf(Tensor t) { return t.detach().requiresGrad_(true); }

    private static void assertSame(Tensor expected, Tensor actual, String what) {
        assertEquals(expected.shape(), actual.shape(), what + " shape");
        assertEquals(expected.dtype(), actual.dtype(), what + " dtype");
        assertTrue(expected.equal(actual), what + ": composition " + expected + " fused " + actual);
    }

    /** PyTorch's LSTMCell after the matrix products: [h' | c']. */
    private static Tensor lstmComposition(Tensor gates, Tensor cx, int h) {
        int d = gates.dim() - 1;
        Tensor i = gates.narrow(d, 0, h).sigmoid(), f = gates.narrow(d, h, h).sigmoid();
        Tensor g = gates.narrow(d, 2 * h, h).tanh(), o = gates.narrow(d, 3 * h, h).sigmoid();
        Tensor cy = f.mul(cx).add(i.mul(g));
        Tensor hy = o.mul(cy.tanh());
        return Torch.cat(java.util.List.of(hy, cy), d);
    }

    /** PyTorch's GRUCell after the matrix products. */
    private static Tensor gruComposition(Tensor gi, Tensor gh, Tensor hx, int h) {
        int d = gi.dim() - 1;
        Tensor r = gh.narrow(d, 0, h).add(gi.narrow(d, 0, h)).sigmoid();
        Tensor z = gh.narrow(d, h, h).add(gi.narrow(d, h, h)).sigmoid();
        Tensor n = gi.narrow(d, 2 * h, h).add(gh.narrow(d, 2 * h, h).mul(r)).tanh();
        return hx.sub(n).mul(z).add(n);
    }

    private static long[] shape(boolean unbatched, int n, int width) { return unbatched ? new long[] {width} : new long[] {n, width}; }

    @Property(seed = Props.SEED, tries = 60)
    void lstmCellEqualsTheComposition(@ForAll long seed) {
        Random r = new Random(seed);
        DType dtype = r.nextBoolean() ? DType.FLOAT32 : DType.FLOAT64;
        int n = 1 + r.nextInt(6), h = 1 + r.nextInt(9);
        boolean unbatched = r.nextInt(5) == 0, twoGates = r.nextBoolean();
        Tensor a = layout(uniform(r, dtype, shape(unbatched, n, 4 * h)), r.nextInt(3));
        Tensor b = layout(uniform(r, dtype, shape(unbatched, n, 4 * h)), r.nextInt(3));
        Tensor c = layout(uniform(r, dtype, shape(unbatched, n, h)), r.nextInt(3));
        Tensor w = uniform(r, dtype, shape(unbatched, n, 2 * h));

        Tensor a1 = leaf(a), b1 = leaf(b), c1 = leaf(c);
        Tensor expected = lstmComposition(twoGates ? a1.add(b1) : a1, c1, h);
        Tensor[] ge = Autograd.grad(expected.mul(w).sum(), twoGates ? new Tensor[] {a1, b1, c1} : new Tensor[] {a1, c1});

        Tensor a2 = leaf(a), b2 = leaf(b), c2 = leaf(c);
        Tensor fused = twoGates ? RnnCells.lstmCell(a2, b2, c2) : RnnCells.lstmCell(a2, c2);
        assertEquals("ThnnFusedLstmCellBackward0", fused.gradFn().name());
        assertSame(expected.detach(), fused.detach(), "[h' | c']");
        Tensor[] gf = Autograd.grad(fused.mul(w).sum(), twoGates ? new Tensor[] {a2, b2, c2} : new Tensor[] {a2, c2});
        for (int k = 0; k < ge.length; k++) assertSame(ge[k], gf[k], "gradient " + k);

        // the rule a backward with createGraph runs (differentiable tensor ops) agrees too
        Tensor a3 = leaf(a), b3 = leaf(b), c3 = leaf(c);
        Tensor again = twoGates ? RnnCells.lstmCell(a3, b3, c3) : RnnCells.lstmCell(a3, c3);
        Tensor[] gc = Autograd.grad(new Tensor[] {again.mul(w).sum()}, twoGates ? new Tensor[] {a3, b3, c3} : new Tensor[] {a3, c3},
                null, false, true, false);
        for (int k = 0; k < ge.length; k++) assertSame(ge[k], gc[k].detach(), "createGraph gradient " + k);
    }

    @Property(seed = Props.SEED, tries = 60)
    void gruCellEqualsTheComposition(@ForAll long seed) {
        Random r = new Random(seed);
        DType dtype = r.nextBoolean() ? DType.FLOAT32 : DType.FLOAT64;
        int n = 1 + r.nextInt(6), h = 1 + r.nextInt(9);
        boolean unbatched = r.nextInt(5) == 0;
        Tensor gi = layout(uniform(r, dtype, shape(unbatched, n, 3 * h)), r.nextInt(3));
        Tensor gh = layout(uniform(r, dtype, shape(unbatched, n, 3 * h)), r.nextInt(3));
        Tensor hx = layout(uniform(r, dtype, shape(unbatched, n, h)), r.nextInt(3));
        Tensor w = uniform(r, dtype, shape(unbatched, n, h));

        Tensor i1 = leaf(gi), h1 = leaf(gh), x1 = leaf(hx);
        Tensor expected = gruComposition(i1, h1, x1, h);
        Tensor[] ge = Autograd.grad(expected.mul(w).sum(), new Tensor[] {i1, h1, x1});

        Tensor i2 = leaf(gi), h2 = leaf(gh), x2 = leaf(hx);
        Tensor fused = RnnCells.gruCell(i2, h2, x2);
        assertEquals("ThnnFusedGruCellBackward0", fused.gradFn().name());
        assertSame(expected.detach(), fused.detach(), "h'");
        Tensor[] gf = Autograd.grad(fused.mul(w).sum(), new Tensor[] {i2, h2, x2});
        for (int k = 0; k < 3; k++) assertSame(ge[k], gf[k], "gradient " + k);

        Tensor i3 = leaf(gi), h3 = leaf(gh), x3 = leaf(hx);
        Tensor[] gc = Autograd.grad(new Tensor[] {RnnCells.gruCell(i3, h3, x3).mul(w).sum()}, new Tensor[] {i3, h3, x3},
                null, false, true, false);
        for (int k = 0; k < 3; k++) assertSame(ge[k], gc[k].detach(), "createGraph gradient " + k);
    }

    private static void assertClose(Tensor expected, Tensor actual, String what) {
        assertEquals(expected.shape(), actual.shape(), what + " shape");
        double tol = expected.dtype() == DType.FLOAT64 ? 1e-12 : 2e-5;
        assertTrue(expected.allclose(actual, tol, tol), what + ": steps " + expected + " layer " + actual);
    }

    /** The step-by-step graph lstmLayer replaces: addmm then the fused cell, per step; {@code (T, N, 2H)}. */
    private static Tensor lstmSteps(Tensor proj, Tensor h0, Tensor c0, Tensor w, boolean reverse, int h) {
        int steps = (int) proj.size(0);
        Tensor[] out = new Tensor[steps];
        Tensor hx = h0, cx = c0;
        for (int s = 0; s < steps; s++) {
            int t = reverse ? steps - 1 - s : s;
            out[t] = RnnCells.lstmCell(Torch.addmm(proj.select(0, t), hx, w.t()), cx);
            hx = out[t].narrow(1, 0, h);
            cx = out[t].narrow(1, h, h);
        }
        return Torch.stack(java.util.Arrays.asList(out), 0);
    }

    /**
     * The whole-sequence layer equals the step-by-step graph: the same outputs bit for bit (the same
     * GEMM and cell per step), and the gradients of all four operands, including the recurrent
     * weight's single GEMM over the stacked gate gradients, within rounding (its sum runs in another
     * order); the createGraph rule agrees too.
     */
    @Property(seed = Props.SEED, tries = 40)
    void lstmLayerEqualsTheSteps(@ForAll long seed) {
        Random r = new Random(seed);
        DType dtype = r.nextBoolean() ? DType.FLOAT32 : DType.FLOAT64;
        int steps = 1 + r.nextInt(5), n = 1 + r.nextInt(4), h = 1 + r.nextInt(7);
        boolean reverse = r.nextBoolean();
        Tensor proj = uniform(r, dtype, steps, n, 4 * h), h0 = uniform(r, dtype, n, h), c0 = uniform(r, dtype, n, h);
        Tensor w = uniform(r, dtype, 4 * h, h).mul(0.5), weights = uniform(r, dtype, steps, n, 2 * h);

        Tensor[] x1 = {leaf(proj), leaf(h0), leaf(c0), leaf(w)};
        Tensor expected = lstmSteps(x1[0], x1[1], x1[2], x1[3], reverse, h);
        Tensor[] ge = Autograd.grad(expected.mul(weights).sum(), x1);

        Tensor[] x2 = {leaf(proj), leaf(h0), leaf(c0), leaf(w)};
        Tensor layer = RnnCells.lstmLayer(x2[0], x2[1], x2[2], x2[3], reverse);
        assertEquals("LstmLayerBackward0", layer.gradFn().name());
        assertSame(expected.detach(), layer.detach(), "[h_t | c_t]");
        Tensor[] gl = Autograd.grad(layer.mul(weights).sum(), x2);
        for (int k = 0; k < 4; k++) assertClose(ge[k], gl[k], "gradient " + k);

        Tensor[] x3 = {leaf(proj), leaf(h0), leaf(c0), leaf(w)};
        Tensor[] gc = Autograd.grad(new Tensor[] {RnnCells.lstmLayer(x3[0], x3[1], x3[2], x3[3], reverse).mul(weights).sum()}, x3,
                null, false, true, false);
        for (int k = 0; k < 4; k++) assertClose(ge[k], gc[k].detach(), "createGraph gradient " + k);
    }

    @Example
    void lstmLayerRefusesBadOperands() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RnnCells.lstmLayer(Torch.randn(5, 3, 7), Torch.randn(3, 2), Torch.randn(3, 2), Torch.randn(8, 2), false));
        assertTrue(e.getMessage().contains("lstm_layer") && e.getMessage().contains("(T, 3, 8)") && e.getMessage().contains("[5, 3, 7]"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> RnnCells.lstmLayer(Torch.randn(5, 3, 8), Torch.randn(3, 2), Torch.randn(3, 2), Torch.randn(8, 3), false));
        assertTrue(e.getMessage().contains("weight_hh") && e.getMessage().contains("[8, 2]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> RnnCells.lstmLayer(Torch.randn(5, 3, 8), Torch.randn(2, 2), Torch.randn(3, 2), Torch.randn(8, 2), false));
        assertTrue(e.getMessage().contains("h0"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> RnnCells.lstmLayer(Torch.randn(5, 3, 8), Torch.randn(3, 2), Torch.randn(3, 2), Torch.randn(8, 2).to(DType.FLOAT64), false));
        assertThrows(IllegalArgumentException.class,
                () -> RnnCells.lstmLayer(Torch.randn(0, 3, 8), Torch.randn(3, 2), Torch.randn(3, 2), Torch.randn(8, 2), false));
    }

    @Example
    void noGraphWithoutGradAndEmptyBatches() {
        Tensor out = RnnCells.lstmCell(Torch.randn(3, 8), Torch.randn(3, 2));
        assertEquals(null, out.gradFn());
        assertEquals(Size.of(3, 4), out.shape());
        assertEquals(Size.of(0, 4), RnnCells.lstmCell(Torch.randn(0, 8), Torch.randn(0, 2)).shape());
        assertEquals(Size.of(0, 2), RnnCells.gruCell(Torch.randn(0, 6), Torch.randn(0, 6), Torch.randn(0, 2)).shape());
    }

    @Example
    void badOperandsAreRefusedWithTheirShapes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RnnCells.lstmCell(Torch.randn(3, 7), Torch.randn(3, 2)));
        assertTrue(e.getMessage().contains("lstm_cell") && e.getMessage().contains("[3, 8]") && e.getMessage().contains("[3, 7]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> RnnCells.gruCell(Torch.randn(3, 6), Torch.randn(2, 6), Torch.randn(3, 2)));
        assertTrue(e.getMessage().contains("gru_cell") && e.getMessage().contains("hidden_gates"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> RnnCells.lstmCell(Torch.randn(3, 8), Torch.randn(3, 2).to(DType.FLOAT64)));
        assertTrue(e.getMessage().contains("dtype"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> RnnCells.lstmCell(Torch.randn(2, 3, 8), Torch.randn(2, 3, 2)));
        assertTrue(e.getMessage().contains("(N, H) or (H)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RnnCells.gruCell(Torch.randn(3, 6), null, Torch.randn(3, 2)));
    }
}
