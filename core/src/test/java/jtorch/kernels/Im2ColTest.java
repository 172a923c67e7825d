package jtorch.kernels;

import jtorch.DType;
import jtorch.Props;
import jtorch.Tensor;
import jtorch.Torch;
import jtorch.internal.TensorInternals;
import jtorch.ops.Unfold;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterExample;
import net.jqwik.api.lifecycle.AfterProperty;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code Unfold.unfold} (im2col) and {@code Unfold.fold} (col2im) of every provider against a
 * six-nested-loop reference written here, on random shapes, kernels, dilations, paddings and
 * strides (strides above the kernel, paddings at and beyond the kernel, 1x1 kernels, "same"
 * paddings that take the single-copy path), batched and unbatched, float32 and float64, with
 * contiguous, transposed and strided (NaN-gapped) inputs.
 *
 * <p>Both are bit-exact: unfold only copies, and fold adds each image element's contributions in
 * (ki, kj) order starting from 0, as the reference does; for float32 the reference sums in double
 * and rounds after every addition, which is exactly a float addition.
 */
class Im2ColTest {
    /** One draw: the geometry, batching, input layout and value seed. */
    record Case(int n, int c, int h, int w, int kh, int kw, int dh, int dw, int ph, int pw, int sh, int sw, boolean batched,
                Props.Layout layout, long seed) {
        int oh() { return Unfold.blocks(h, kh, dh, ph, sh); }

        int ow() { return Unfold.blocks(w, kw, dw, pw, sw); }
    }

    /**
     * Sizes up to 40 wide so that rows span several vectors; one draw in three gets "same"
     * padding (output as wide as the input at stride 1), the single-copy im2col path; spatial
     * sizes grow where needed so that at least one window fits.
     */
    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<int[]> sizes = Combinators.combine(Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just(0)),
                        Tuple.of(9, Arbitraries.integers().between(1, 3))), Arbitraries.integers().between(1, 4),
                Arbitraries.integers().between(1, 12), Arbitraries.integers().between(1, 40))
                .as((n, c, h, w) -> new int[] {n, c, h, w});
        Arbitrary<Integer> k = Arbitraries.frequencyOf(Tuple.of(2, Arbitraries.just(1)), Tuple.of(5, Arbitraries.integers().between(2, 5)));
        Arbitrary<Integer> d = Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.just(1)), Tuple.of(1, Arbitraries.integers().between(2, 3)));
        Arbitrary<Integer> p = Arbitraries.integers().between(0, 6);
        Arbitrary<Integer> s = Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.just(1)), Tuple.of(3, Arbitraries.integers().between(2, 7)));
        Arbitrary<int[]> window = Combinators.combine(k, k, d, d, p, p, s, s)
                .as((kh, kw, dh, dw, ph, pw, sh, sw) -> new int[] {kh, kw, dh, dw, ph, pw, sh, sw});
        Arbitrary<Integer> same = Arbitraries.integers().between(0, 2);
        return Combinators.combine(sizes, window, same, Arbitraries.of(true, true, false), Props.layouts(), Props.seeds())
                .as((sz, win, sm, batched, layout, seed) -> {
                    int kh = win[0], kw = win[1], dh = win[2], dw = win[3], ph = win[4], pw = win[5], sh = win[6], sw = win[7];
                    if (sm == 0) {
                        // Odd effective kernels get "same" padding; the stride along x goes to 1.
                        if (dh * (kh - 1) % 2 == 0) ph = dh * (kh - 1) / 2;
                        if (dw * (kw - 1) % 2 == 0) pw = dw * (kw - 1) / 2;
                        sw = 1;
                    }
                    int h = Math.max(sz[2], dh * (kh - 1) + 1 - 2 * ph), w = Math.max(sz[3], dw * (kw - 1) + 1 - 2 * pw);
                    return new Case(batched ? sz[0] : 1, sz[1], h, w, kh, kw, dh, dw, ph, pw, sh, sw, batched, layout, seed);
                });
    }

    @AfterProperty
    @AfterExample
    void restoreThreads() { Torch.setNumThreads(Parallel.defaultNumThreads()); }

    @Property(seed = Props.SEED, tries = 100)
    void scalarFloat32(@ForAll("cases") Case c) { check(KernelProvider.SCALAR, DType.FLOAT32, c); }

    @Property(seed = Props.SEED, tries = 100)
    void scalarFloat64(@ForAll("cases") Case c) { check(KernelProvider.SCALAR, DType.FLOAT64, c); }

    @Property(seed = Props.SEED, tries = 100)
    @RequiresProvider(KernelProvider.VECTOR)
    void vectorFloat32(@ForAll("cases") Case c) { check(KernelProvider.VECTOR, DType.FLOAT32, c); }

    @Property(seed = Props.SEED, tries = 100)
    @RequiresProvider(KernelProvider.VECTOR)
    void vectorFloat64(@ForAll("cases") Case c) { check(KernelProvider.VECTOR, DType.FLOAT64, c); }

    @Property(seed = Props.SEED, tries = 100)
    @RequiresProvider(KernelProvider.NATIVE)
    void nativeFloat32(@ForAll("cases") Case c) { check(KernelProvider.NATIVE, DType.FLOAT32, c); }

    @Property(seed = Props.SEED, tries = 100)
    @RequiresProvider(KernelProvider.NATIVE)
    void nativeFloat64(@ForAll("cases") Case c) { check(KernelProvider.NATIVE, DType.FLOAT64, c); }

    /**
     * Shapes with many planes on two threads (so planes are split between them), including the
     * single-copy path at stride 2 along y ({@code outW == 2 * W}) and a strided gather.
     */
    @Example
    void manyPlanesOnTwoThreads() {
        Torch.setNumThreads(2);
        long seed = 1;
        for (KernelProvider p : KernelProvider.values()) {
            if (!Kernels.isAvailable(p)) continue;
            for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
                check(p, dt, new Case(3, 40, 20, 37, 3, 3, 1, 1, 1, 1, 1, 1, true, Props.Layout.CONTIGUOUS, seed++));
                check(p, dt, new Case(4, 30, 15, 33, 3, 5, 2, 1, 2, 2, 2, 2, true, Props.Layout.TRANSPOSED, seed++));
                // outW = W + 2*pw - (kw - 1) = 2 * W: one copy per column row at sh = 2.
                check(p, dt, new Case(2, 35, 9, 6, 3, 1, 1, 1, 1, 3, 2, 1, true, Props.Layout.STRIDED, seed++));
                check(p, dt, new Case(64, 1, 28, 28, 5, 5, 1, 1, 2, 2, 1, 1, true, Props.Layout.CONTIGUOUS, seed++));
            }
        }
    }

    /**
     * SCALAR runs the plain loops (so the properties above test both paths); the others the Vector
     * API ones wherever the module is present (the build runs tests with it).
     */
    @Example
    void eachProviderRunsItsOwnRowLoops() {
        boolean vectorApi = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
        for (KernelProvider p : KernelProvider.values()) {
            if (!Kernels.isAvailable(p)) continue;
            try (Kernels.Scope s = Kernels.use(p)) {
                String expected = p == KernelProvider.SCALAR || !vectorApi ? "ScalarRowKernels" : "Im2ColVector";
                assertEquals(expected, Im2Col.rowKernels().getClass().getSimpleName(), p.toString());
            }
        }
    }

    // ================================================================== checking one case

    private void check(KernelProvider provider, DType dtype, Case c) {
        // Callers run only on available providers (@RequiresProvider skips the others' properties).
        assertTrue(Kernels.isAvailable(provider), provider + " unavailable: " + Kernels.unavailableReason(provider));
        int rows = c.c() * c.kh() * c.kw(), l = c.oh() * c.ow();
        int[] imageShape = c.batched() ? new int[] {c.n(), c.c(), c.h(), c.w()} : new int[] {c.c(), c.h(), c.w()};
        int[] colsShape = c.batched() ? new int[] {c.n(), rows, l} : new int[] {rows, l};
        Props.Values values = new Props.Values(c.seed());
        Tensor image = Props.tensor(imageShape, c.layout(), dtype, values, Props.Domain.ANY);
        Tensor cols = Props.tensor(colsShape, c.layout(), dtype, values, Props.Domain.ANY);
        int[] k = {c.kh(), c.kw()}, d = {c.dh(), c.dw()}, p = {c.ph(), c.pw()}, s = {c.sh(), c.sw()};
        Tensor unfolded, folded;
        try (Kernels.Scope scope = Kernels.use(provider)) {
            unfolded = Unfold.unfold(image, k, d, p, s);
            folded = Unfold.fold(cols, new int[] {c.h(), c.w()}, k, d, p, s);
        }
        String at = provider + " " + dtype + " " + c;
        assertArrayEquals(colsShape, TensorInternals.sizes(unfolded), at + ": unfold shape");
        assertArrayEquals(imageShape, TensorInternals.sizes(folded), at + ": fold shape");
        assertBitsEqual(at + ": unfold", referenceUnfold(image, c), unfolded);
        assertBitsEqual(at + ": fold", referenceFold(cols, c, dtype == DType.FLOAT32), folded);
    }

    /** The columns, in row-major order of {@code (n, (c, ki, kj), (oy, ox))}. */
    private static double[] referenceUnfold(Tensor image, Case c) {
        int oh = c.oh(), ow = c.ow(), rows = c.c() * c.kh() * c.kw();
        double[] out = new double[c.n() * rows * oh * ow];
        for (int n = 0; n < c.n(); n++)
            for (int ch = 0; ch < c.c(); ch++)
                for (int ki = 0; ki < c.kh(); ki++)
                    for (int kj = 0; kj < c.kw(); kj++)
                        for (int oy = 0; oy < oh; oy++)
                            for (int ox = 0; ox < ow; ox++) {
                                int y = oy * c.sh() - c.ph() + ki * c.dh(), x = ox * c.sw() - c.pw() + kj * c.dw();
                                int r = (ch * c.kh() + ki) * c.kw() + kj;
                                boolean inside = y >= 0 && y < c.h() && x >= 0 && x < c.w();
                                out[((n * rows) + r) * oh * ow + oy * ow + ox] =
                                        inside ? get(image, c.batched() ? new int[] {n, ch, y, x} : new int[] {ch, y, x}) : 0;
                            }
        return out;
    }

    /** The image, in row-major order of {@code (n, c, y, x)}; float32 sums rounded after every addition. */
    private static double[] referenceFold(Tensor cols, Case c, boolean float32) {
        int oh = c.oh(), ow = c.ow(), rows = c.c() * c.kh() * c.kw();
        double[] out = new double[c.n() * c.c() * c.h() * c.w()];
        for (int n = 0; n < c.n(); n++)
            for (int ch = 0; ch < c.c(); ch++)
                for (int ki = 0; ki < c.kh(); ki++)
                    for (int kj = 0; kj < c.kw(); kj++)
                        for (int oy = 0; oy < oh; oy++)
                            for (int ox = 0; ox < ow; ox++) {
                                int y = oy * c.sh() - c.ph() + ki * c.dh(), x = ox * c.sw() - c.pw() + kj * c.dw();
                                if (y < 0 || y >= c.h() || x < 0 || x >= c.w()) continue;
                                int r = (ch * c.kh() + ki) * c.kw() + kj, at = ((n * c.c() + ch) * c.h() + y) * c.w() + x;
                                double v = get(cols, c.batched() ? new int[] {n, r, oy * ow + ox} : new int[] {r, oy * ow + ox});
                                out[at] = float32 ? (float) (out[at] + v) : out[at] + v;
                            }
        return out;
    }

    /** One element of a (possibly non-contiguous) float tensor, read through its strides. */
    private static double get(Tensor t, int[] index) {
        int at = TensorInternals.offset(t);
        for (int i = 0; i < index.length; i++) at += index[i] * TensorInternals.strides(t)[i];
        return t.dtype() == DType.FLOAT64 ? t.storage().f64()[at] : t.storage().f32()[at];
    }

    private static void assertBitsEqual(String what, double[] expected, Tensor actual) {
        Tensor a = actual.contiguous();
        assertEquals(expected.length, a.numel(), what + ": element count");
        int off = TensorInternals.offset(a);
        for (int i = 0; i < expected.length; i++) {
            double got = a.dtype() == DType.FLOAT64 ? a.storage().f64()[off + i] : a.storage().f32()[off + i];
            if (Double.doubleToLongBits(got) != Double.doubleToLongBits(expected[i]))
                fail(what + ": element " + i + " is " + got + ", expected " + expected[i]);
        }
    }
}
