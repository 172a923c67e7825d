package jtorch.kernels;

import java.util.Random;

import jtorch.DType;
import jtorch.Props;
import jtorch.Tensor;
import jtorch.Torch;
import jtorch.autograd.Autograd;
import jtorch.ops.Norms;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterExample;
import net.jqwik.api.lifecycle.AfterProperty;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fused layer norm ({@link Norms#layerNorm}, kernel {@link LayerNormKernels}): its output and
 * its three gradients against the float64 composition {@code (x - mean) / sqrt(var + eps) * w + b}
 * differentiated by the engine, and the same bits at 1 and 2 threads (rows split, the parameter
 * gradients split by columns).
 */
class LayerNormKernelsTest {
    @AfterProperty
    @AfterExample
    void restoreThreads() { Torch.setNumThreads(Parallel.defaultNumThreads()); }

    /** Output and gradients of {@code layerNorm(x, k, w, b)} (w, b nullable) for the upstream gradient g. */
    private static Tensor[] run(Tensor x, int k, Tensor w, Tensor b, Tensor g) {
        Tensor xr = x.detach().requiresGrad_();
        Tensor wr = w == null ? null : w.detach().requiresGrad_(), br = b == null ? null : b.detach().requiresGrad_();
        Tensor y = Norms.layerNorm(xr, k, wr, br, 1e-5);
        y.backward(g);
        return new Tensor[] {y.detach(), xr.grad(), wr == null ? null : wr.grad(), br == null ? null : br.grad()};
    }

    /** The composition in float64, differentiated by the engine. */
    private static Tensor[] reference(Tensor x, int k, Tensor w, Tensor b, Tensor g) {
        int[] dims = new int[k];
        for (int i = 0; i < k; i++) dims[i] = x.dim() - k + i;
        Tensor xr = x.to(DType.FLOAT64).requiresGrad_();
        Tensor wr = w == null ? null : w.to(DType.FLOAT64).requiresGrad_(), br = b == null ? null : b.to(DType.FLOAT64).requiresGrad_();
        Tensor c = xr.sub(xr.mean(dims, true));
        Tensor y = c.div(c.mul(c).mean(dims, true).add(1e-5).sqrt());
        if (wr != null) y = y.mul(wr);
        if (br != null) y = y.add(br);
        y.backward(g.to(DType.FLOAT64));
        return new Tensor[] {y.detach(), xr.grad(), wr == null ? null : wr.grad(), br == null ? null : br.grad()};
    }

    @Property(seed = Props.SEED, tries = 60)
    void matchesTheFloat64Composition(@ForAll long seed) {
        Random r = new Random(seed);
        int rank = 1 + r.nextInt(3), k = 1 + r.nextInt(rank);
        long[] shape = new long[rank];
        for (int d = 0; d < rank; d++) shape[d] = 1 + r.nextInt(d >= rank - k ? 40 : 6);
        if (Torch.zeros(java.util.Arrays.copyOfRange(shape, rank - k, rank)).numel() < 2) shape[rank - 1] = 3;
        long[] normalized = java.util.Arrays.copyOfRange(shape, rank - k, rank);
        boolean float64 = r.nextBoolean();
        DType dt = float64 ? DType.FLOAT64 : DType.FLOAT32;
        Torch.manualSeed(seed);
        Tensor x = Torch.randn(shape).mul(3).add(1).to(dt), g = Torch.randn(shape).to(dt);
        if (rank > 1 && r.nextBoolean()) x = x.transpose(0, rank - 1).contiguous().transpose(0, rank - 1); // non-contiguous input
        int affine = r.nextInt(4);
        Tensor w = (affine & 1) != 0 ? Torch.rand(normalized).add(0.5).to(dt) : null;
        Tensor b = (affine & 2) != 0 ? Torch.randn(normalized).to(dt) : null;
        Tensor[] got = run(x, k, w, b, g), want = reference(x, k, w, b, g);
        double tol = float64 ? 1e-12 : 1e-5;
        String[] names = {"output", "input grad", "weight grad", "bias grad"};
        for (int i = 0; i < 4; i++) {
            if (want[i] == null) continue;
            assertTrue(got[i].dtype() == dt, names[i] + " dtype");
            assertTrue(got[i].to(DType.FLOAT64).allclose(want[i], tol, tol), names[i] + " of " + x.shape() + " over " + k + " dims: "
                    + got[i].to(DType.FLOAT64).sub(want[i]).abs().max().item());
        }
    }

    /** A transformer's (64 * 32, 256) rows: enough for both threads in every pass; each result the same bits. */
    @Example
    void twoThreadsGiveTheSameBits() {
        for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            Torch.manualSeed(3);
            Tensor x = Torch.randn(64, 32, 256).to(dt), g = Torch.randn(64, 32, 256).to(dt);
            Tensor w = Torch.rand(256).to(dt), b = Torch.randn(256).to(dt);
            Torch.setNumThreads(1);
            Tensor[] one = run(x, 1, w, b, g);
            Torch.setNumThreads(2);
            Tensor[] two = run(x, 1, w, b, g);
            for (int i = 0; i < 4; i++) assertTrue(one[i].equal(two[i]), dt + " result " + i);
        }
    }

    /** Under create_graph the gradient is itself differentiable: d/dx sum(dx * v) matches the float64 composition's. */
    @Example
    void doubleBackwardMatchesTheComposition() {
        Torch.manualSeed(5);
        Tensor x0 = Torch.randn(3, 7).to(DType.FLOAT64), w0 = Torch.rand(7).add(0.5).to(DType.FLOAT64), v = Torch.randn(3, 7).to(DType.FLOAT64);
        Tensor x = x0.clone().requiresGrad_(), w = w0.clone().requiresGrad_();
        Tensor y = Norms.layerNorm(x, 1, w, null, 1e-5);
        Tensor dx = Autograd.grad(new Tensor[] {y.mul(v).sum()}, new Tensor[] {x}, null, true, true, false)[0];
        Tensor[] gg = Autograd.grad(dx.pow(2).sum(), x, w);
        Tensor xr = x0.clone().requiresGrad_(), wr = w0.clone().requiresGrad_();
        Tensor c = xr.sub(xr.mean(new int[] {1}, true));
        Tensor yr = c.div(c.mul(c).mean(new int[] {1}, true).add(1e-5).sqrt()).mul(wr);
        Tensor dxr = Autograd.grad(new Tensor[] {yr.mul(v).sum()}, new Tensor[] {xr}, null, true, true, false)[0];
        Tensor[] ggr = Autograd.grad(dxr.pow(2).sum(), xr, wr);
        assertTrue(dx.allclose(dxr, 1e-10, 1e-10), "first derivative");
        assertTrue(gg[0].allclose(ggr[0], 1e-8, 1e-8), "second derivative in x");
        assertTrue(gg[1].allclose(ggr[1], 1e-8, 1e-8), "second derivative in w");
    }
}
