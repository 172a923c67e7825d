package jtorch.kernels;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import jtorch.DType;
import jtorch.Props;
import jtorch.Tensor;
import jtorch.Torch;
import jtorch.internal.TensorInternals;
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
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static jtorch.internal.TensorInternals.strided;

/**
 * GEMM of every provider against a double-precision reference computed here with plain loops:
 * all transposition cases (row-major, column-major, padded, strided in both dims, broadcast),
 * odd sizes, accumulation, sizes that cross every cache block and the thread split, and the
 * matrix ops ({@code mm}, {@code bmm}, {@code matmul}, {@code mv}, {@code dot}) that call it.
 *
 * <p>Tolerance: a dot product of length k in float32 is within {@code k * 2^-24 * sum|a_p b_p|}
 * of the exact value whatever the summation order (blocked, FMA or not), so every element is
 * checked against {@code (k + 1) * eps * (sum|a_p b_p| + |c0|)}, eps being the unit roundoff of
 * the dtype times 2.
 */
class GemmTest {
    /** How one operand lies in its storage. */
    enum Layout {
        /** Contiguous rows. */
        ROW_MAJOR,
        /** Contiguous columns: a transposed contiguous matrix. */
        COLUMN_MAJOR,
        /** Rows of a wider matrix, from a non-zero offset: row stride above the column count. */
        PADDED,
        /** The transpose of a padded matrix: column stride above the row count. */
        PADDED_COLUMN_MAJOR,
        /** Every other element in both dims: no unit stride at all. */
        STRIDED,
        /** One row expanded: row stride 0. */
        BROADCAST
    }

    record Case(int m, int n, int k, Layout a, Layout b, boolean accumulate, long seed) {}

    private static final int[] SIZES = {1, 2, 3, 5, 7, 8, 9, 16, 17, 31, 33, 64, 65, 100};

    /**
     * Shapes from the odd sizes above, and one in four from the regime where fewer rows than a
     * register tile meet contiguous B rows (B read in place, A packed).
     */
    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<Integer> size = Arbitraries.of(Arrays.stream(SIZES).boxed().toArray(Integer[]::new));
        Arbitrary<int[]> odd = Combinators.combine(size, size, size).as((m, n, k) -> new int[] {m, n, k});
        Arbitrary<int[]> fewRows = Combinators.combine(Arbitraries.integers().between(2, 9), Arbitraries.integers().between(32, 140),
                Arbitraries.integers().between(20, 90)).as((m, n, k) -> new int[] {m, n, k});
        Arbitrary<int[]> shapes = Arbitraries.frequencyOf(Tuple.of(3, odd), Tuple.of(1, fewRows));
        Arbitrary<Layout> layout = Arbitraries.of(Layout.class);
        return Combinators.combine(shapes, layout, layout, Arbitraries.of(false, true), Arbitraries.longs())
                .as((s, la, lb, acc, seed) -> new Case(s[0], s[1], s[2], la, lb, acc, seed));
    }

    @AfterProperty
    @AfterExample
    void restoreThreads() { Torch.setNumThreads(Parallel.defaultNumThreads()); }

    // ================================================================== the kernels, per provider

    @Property(seed = Props.SEED, tries = 100)
    void scalarFloat32(@ForAll("cases") Case c) { check(KernelProvider.SCALAR, DType.FLOAT32, c); }

    @Property(seed = Props.SEED, tries = 50)
    void scalarFloat64(@ForAll("cases") Case c) { check(KernelProvider.SCALAR, DType.FLOAT64, c); }

    @Property(seed = Props.SEED, tries = 100)
    @RequiresProvider(KernelProvider.VECTOR)
    void vectorFloat32(@ForAll("cases") Case c) { check(KernelProvider.VECTOR, DType.FLOAT32, c); }

    @Property(seed = Props.SEED, tries = 50)
    @RequiresProvider(KernelProvider.VECTOR)
    void vectorFloat64(@ForAll("cases") Case c) { check(KernelProvider.VECTOR, DType.FLOAT64, c); }

    @Property(seed = Props.SEED, tries = 100)
    @RequiresProvider(KernelProvider.NATIVE)
    void nativeFloat32(@ForAll("cases") Case c) { check(KernelProvider.NATIVE, DType.FLOAT32, c); }

    @Property(seed = Props.SEED, tries = 50)
    @RequiresProvider(KernelProvider.NATIVE)
    void nativeFloat64(@ForAll("cases") Case c) { check(KernelProvider.NATIVE, DType.FLOAT64, c); }

    /** Every transposition case once, with sizes that cross the cache blocks (k > 256, m > 128) on two threads. */
    @Example
    void blockedAndThreadedEveryLayout() {
        Torch.setNumThreads(2);
        for (KernelProvider p : KernelProvider.values()) {
            if (!Kernels.isAvailable(p)) continue;
            long seed = 1;
            for (Layout la : Layout.values())
                for (Layout lb : Layout.values()) {
                    check(p, DType.FLOAT32, new Case(131, 97, 300, la, lb, seed % 2 == 0, seed));
                    seed++;
                }
            check(p, DType.FLOAT64, new Case(140, 150, 290, Layout.ROW_MAJOR, Layout.COLUMN_MAJOR, true, 99));
        }
    }

    /** Wider than the float32 column panel (2048) and deeper than a k block, on one and on two threads. */
    @Example
    void widerThanAPanel() {
        for (int threads : new int[] {1, 2}) {
            Torch.setNumThreads(threads);
            for (KernelProvider p : KernelProvider.values())
                if (Kernels.isAvailable(p)) check(p, DType.FLOAT32, new Case(19, 2100, 270, Layout.ROW_MAJOR, Layout.ROW_MAJOR, false, threads));
        }
    }

    /**
     * Attention-sized batches (64 x 64 x 64 each, under the parallel threshold) split over the batch
     * on two threads: every entry is the same single product as its own {@code mm}, bit for bit, and
     * a transposed (strided) operand gives the same as its contiguous copy.
     */
    @Example
    void smallBatchedProductsSplitOverTwoThreads() {
        Torch.setNumThreads(2);
        for (KernelProvider p : KernelProvider.values()) {
            if (!Kernels.isAvailable(p)) continue;
            try (Kernels.Scope s = Kernels.use(p)) {
                Torch.manualSeed(12);
                Tensor a = Torch.randn(9, 64, 64), b = Torch.randn(9, 64, 64);
                Tensor out = a.bmm(b.transpose(1, 2));
                assertTrue(out.equal(a.bmm(b.transpose(1, 2).contiguous())), p + ": strided operand");
                for (int i = 0; i < 9; i++)
                    assertTrue(out.select(0, i).equal(a.select(0, i).mm(b.select(0, i).t())), p + ": batch entry " + i);
            }
        }
    }

    /**
     * Products the native provider cuts into more row blocks than threads (claimed by whichever
     * thread is free): the same bits on two threads as on one, in both precisions, with a row count
     * that is no multiple of a block's and with a transposed A.
     */
    @Example
    void nativeBalancedBlocksGiveTheOneThreadBits() {
        assertEquals(4, NativeGemm.blocks(1024, 1024, 1024, 2));
        assertEquals(4, NativeGemm.blocks(517, 300, 300, 2));
        assertEquals(2, NativeGemm.blocks(256, 256, 784, 2), "the MLP's 256-row products keep one block per thread");
        assertEquals(1, NativeGemm.blocks(1024, 1024, 1024, 1));
    }

    /** The blocks above on OpenBLAS: two threads give the bits of one. */
    @Example
    @RequiresProvider(KernelProvider.NATIVE)
    void nativeBalancedBlocksOnOpenBlas() {
        try (Kernels.Scope s = Kernels.use(KernelProvider.NATIVE)) {
            // 512 rows: one block per thread rounded to 8 rows (as before) would put a block edge at row 256
            for (int m : new int[] {517, 512})
            for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
                Torch.manualSeed(31);
                Tensor a = Torch.randn(m, 300).to(dtype), at = Torch.randn(300, m).to(dtype).t(), b = Torch.randn(300, 300).to(dtype);
                Torch.setNumThreads(1);
                Tensor one = a.mm(b), oneT = at.mm(b);
                Torch.setNumThreads(2);
                for (int repeat = 0; repeat < 3; repeat++) {
                    assertTrue(a.mm(b).equal(one), m + " rows, " + dtype + ": row-major A, repeat " + repeat);
                    assertTrue(at.mm(b).equal(oneT), m + " rows, " + dtype + ": transposed A, repeat " + repeat);
                }
            }
        }
    }

    /**
     * The native row blocks against a plain reference: units of BLOCK_ROWS dealt one at a time to the
     * blocks in turn (so block sizes in units differ by at most one, the larger first), each block
     * starting on a unit boundary, together covering every row once.
     */
    @Property(seed = Props.SEED, tries = 300)
    void nativeRowBlocksShareWholeUnitsEvenly(@ForAll @net.jqwik.api.constraints.IntRange(min = 1, max = 5000) int m,
                                              @ForAll @net.jqwik.api.constraints.IntRange(min = 1, max = 16) int parts) {
        int units = (m + NativeGemm.BLOCK_ROWS - 1) / NativeGemm.BLOCK_ROWS;
        int[] unitsOf = new int[parts];
        for (int u = 0; u < units; u++) unitsOf[u % parts]++;
        int start = 0;
        assertEquals(0, NativeGemm.blockStart(0, parts, m));
        for (int p = 0; p < parts; p++) {
            start = Math.min(m, start + unitsOf[p] * NativeGemm.BLOCK_ROWS);
            assertEquals(start, NativeGemm.blockStart(p + 1, parts, m), m + " rows, " + parts + " blocks: end of block " + p);
        }
        assertEquals(m, start);
    }

    /** sgemm 1024 on two threads: four blocks that two threads claiming in turn share as 528 + 496 rows, not 576 + 448. */
    @Example
    void nativeBlocksOf1024RowsBalanceTwoThreads() {
        int parts = NativeGemm.blocks(1024, 1024, 1024, 2);
        int[] rows = new int[parts];
        for (int p = 0; p < parts; p++) rows[p] = NativeGemm.blockStart(p + 1, parts, 1024) - NativeGemm.blockStart(p, parts, 1024);
        assertEquals(List.of(288, 288, 240, 208), Arrays.stream(rows).boxed().toList());
    }

    /**
     * {@code mmIntoZeros} (the native provider accumulates onto the fresh zeros instead of letting
     * OpenBLAS clear them) gives the bits of the overwriting product into a NaN-filled output, on every
     * provider, float32 and float64, row-major and transposed operands, products small enough for
     * the Java fallback and large enough for the two-thread row split.
     */
    @Example
    void productIntoFreshZerosHasTheOverwritingBitsOnTheRowSplit() {
        for (boolean f64 : new boolean[] {false, true})
            for (boolean aT : new boolean[] {false, true}) productIntoFreshZerosHasTheOverwritingBits(300, 200, 200, aT, false, f64, 2);
    }

    @Property(seed = Props.SEED, tries = 60)
    void productIntoFreshZerosHasTheOverwritingBits(@ForAll @net.jqwik.api.constraints.IntRange(min = 1, max = 300) int m,
                                                    @ForAll @net.jqwik.api.constraints.IntRange(min = 1, max = 200) int n,
                                                    @ForAll @net.jqwik.api.constraints.IntRange(min = 0, max = 200) int k,
                                                    @ForAll boolean aT, @ForAll boolean bT, @ForAll boolean f64,
                                                    @ForAll @net.jqwik.api.constraints.IntRange(min = 1, max = 2) int threads) {
        Torch.manualSeed(m * 31L + n * 7L + k);
        DType dtype = f64 ? DType.FLOAT64 : DType.FLOAT32;
        Tensor a = aT ? Torch.randn(k, m).to(dtype).t() : Torch.randn(m, k).to(dtype);
        Tensor b = bT ? Torch.randn(n, k).to(dtype).t() : Torch.randn(k, n).to(dtype);
        Torch.setNumThreads(threads);
        for (KernelProvider p : KernelProvider.values()) {
            if (!Kernels.isAvailable(p)) continue;
            try (Kernels.Scope s = Kernels.use(p)) {
                Tensor fresh = TensorInternals.allocate(dtype, new int[] {m, n});
                Gemm.mmIntoZeros(strided(fresh), strided(a), strided(b));
                Tensor overwritten = Torch.full(new long[] {m, n}, Double.NaN).to(dtype);
                Gemm.mm(strided(overwritten), strided(a), strided(b));
                for (int i = 0; i < m * n; i++) {
                    long x = f64 ? Double.doubleToRawLongBits(fresh.storage().f64()[i]) : Float.floatToRawIntBits(fresh.storage().f32()[i]);
                    long y = f64 ? Double.doubleToRawLongBits(overwritten.storage().f64()[i])
                            : Float.floatToRawIntBits(overwritten.storage().f32()[i]);
                    if (x != y) fail(p + " " + dtype + " " + m + "x" + n + "x" + k + ": element " + i + " has other bits");
                }
            }
        }
    }

    /** Zero-sized products: k = 0 gives zeros (or leaves the accumulator), m = 0 or n = 0 nothing. */
    @Example
    void emptyProducts() {
        for (KernelProvider p : KernelProvider.values()) {
            if (!Kernels.isAvailable(p)) continue;
            try (Kernels.Scope s = Kernels.use(p)) {
                Tensor out = Torch.full(new long[] {3, 4}, Double.NaN);
                Gemm.mm(strided(out), strided(Torch.ones(3, 0)), strided(Torch.ones(0, 4)), false);
                assertTrue(out.equal(Torch.zeros(3, 4)), p + ": k = 0 gives zeros");
                Tensor acc = Torch.full(new long[] {3, 4}, 2.0);
                Gemm.mm(strided(acc), strided(Torch.ones(3, 0)), strided(Torch.ones(0, 4)), true);
                assertTrue(acc.equal(Torch.full(new long[] {3, 4}, 2.0)), p + ": k = 0 leaves the accumulator");
                assertEquals(0, Torch.ones(0, 5).mm(Torch.ones(5, 3)).numel());
            }
        }
    }

    /** The native provider is there wherever OpenBLAS is installed (as in CI, which installs it). */
    @Test
    void nativeIsUsedWhereOpenBlasIsInstalled() {
        boolean installed = false;
        for (String f : new String[] {"/usr/lib/x86_64-linux-gnu/libopenblas.so.0", "/usr/lib/aarch64-linux-gnu/libopenblas.so.0",
                "/usr/lib64/libopenblas.so.0"})
            installed |= java.nio.file.Files.exists(java.nio.file.Path.of(f));
        assumeTrue(installed, "OpenBLAS is not installed");
        assertTrue(Kernels.isAvailable(KernelProvider.NATIVE), "OpenBLAS is installed but: " + Kernels.unavailableReason(KernelProvider.NATIVE));
        assertTrue(Kernels.describe(KernelProvider.NATIVE).contains("OpenBLAS"));
        // The documented rule: native unless the Vector API's vectors are 512 bits or wider (or a provider was asked for).
        if (System.getProperty(Kernels.PROPERTY) == null)
            assertEquals(Kernels.vectorBits() >= Kernels.WIDE_VECTOR_BITS ? KernelProvider.VECTOR : KernelProvider.NATIVE, Kernels.provider(),
                    "auto selection follows the vector-width rule");
    }

    /**
     * Where the JDK reaches {@code openblas_set_num_threads} (JDK 22+, or 17 with the incubating
     * linker as the build runs it), OpenBLAS stays single-threaded whatever {@code setNumThreads}
     * says: jtorch's pool splits the large products instead, so only one set of threads exists.
     */
    @Test
    void openBlasStaysSingleThreadedUnderThePool() {
        assumeTrue(Kernels.isAvailable(KernelProvider.NATIVE), "OpenBLAS is not installed");
        assumeTrue(Kernels.nativeThreads() >= 0, "this JDK does not reach openblas_set_num_threads");
        try {
            Torch.setNumThreads(1);
            assertEquals(1, Kernels.nativeThreads());
            Torch.setNumThreads(2);
            assertEquals(1, Kernels.nativeThreads());
        } finally {
            Torch.setNumThreads(Parallel.defaultNumThreads());
        }
    }

    /** Products large enough to be split over the pool (odd row counts: blocks of unequal size) agree with the reference. */
    @Example
    void productsSplitOverThePoolAgreeWithTheReference() {
        Random rnd = new Random(11);
        try {
            Torch.setNumThreads(3);
            for (KernelProvider p : KernelProvider.values()) {
                if (!Kernels.isAvailable(p)) continue;
                for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
                    try (Kernels.Scope s = Kernels.use(p)) {
                        Tensor a = rand(rnd, dt, 203, 77), b = rand(rnd, dt, 77, 211);
                        assertClose(p + " " + dt + " split mm", ref(a, b), a.mm(b), 77);
                        assertClose(p + " " + dt + " split mm of transposes", ref(b.t(), a.t()), b.t().mm(a.t()), 77);
                        Tensor bias = rand(rnd, dt, 211);
                        assertClose(p + " " + dt + " split addmm", ref(a, b).add(bias), bias.addmm(a, b), 78);
                    }
                }
            }
        } finally {
            Torch.setNumThreads(Parallel.defaultNumThreads());
        }
    }

    // ================================================================== the ops, per provider

    @Example
    void matrixOpsAgreeAcrossProviders() {
        Random rnd = new Random(7);
        for (KernelProvider p : KernelProvider.values()) {
            if (!Kernels.isAvailable(p)) continue;
            for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
                try (Kernels.Scope s = Kernels.use(p)) {
                    String at = p + " " + dt;
                    Tensor a = rand(rnd, dt, 17, 65), b = rand(rnd, dt, 65, 33);
                    assertClose(at + " mm", ref(a, b), a.mm(b), 65);
                    assertClose(at + " mm of transposes", ref(b.t(), a.t()), b.t().mm(a.t()), 65);
                    // bmm with a batch stride of 0: the expanded weight is not copied, and the batch folds into rows.
                    Tensor x = rand(rnd, dt, 5, 9, 70), w = rand(rnd, dt, 70, 31);
                    Tensor y = x.bmm(w.unsqueeze(0).expand(5, 70, 31));
                    for (int i = 0; i < 5; i++) assertClose(at + " bmm[" + i + "]", ref(x.select(0, i), w), y.select(0, i), 70);
                    // The same shared weight with each batch's matrix transposed: no fold.
                    Tensor xt = rand(rnd, dt, 5, 70, 9).transpose(1, 2);
                    Tensor yt = xt.bmm(w.unsqueeze(0).expand(5, 70, 31));
                    for (int i = 0; i < 5; i++) assertClose(at + " bmm of transposes[" + i + "]", ref(xt.select(0, i), w), yt.select(0, i), 70);
                    // Many small products (parallel over the batch) and a transposed batch operand.
                    Tensor u = rand(rnd, dt, 40, 3, 7), v = rand(rnd, dt, 40, 5, 7).transpose(1, 2);
                    Tensor uv = u.bmm(v);
                    for (int i = 0; i < 40; i++) assertClose(at + " small bmm[" + i + "]", ref(u.select(0, i), v.select(0, i)), uv.select(0, i), 7);
                    // matmul: batch folded into rows, broadcast batch, vector operands.
                    Tensor t3 = rand(rnd, dt, 4, 6, 65), t2 = rand(rnd, dt, 65, 9);
                    Tensor folded = t3.matmul(t2);
                    for (int i = 0; i < 4; i++) assertClose(at + " matmul 3-D @ 2-D", ref(t3.select(0, i), t2), folded.select(0, i), 65);
                    Tensor g = rand(rnd, dt, 2, 3, 65), cols = rand(rnd, dt, 4, 2, 65, 10);
                    Tensor grouped = g.matmul(cols);
                    for (int i = 0; i < 4; i++)
                        for (int j = 0; j < 2; j++)
                            assertClose(at + " matmul broadcast", ref(g.select(0, j), cols.select(0, i).select(0, j)),
                                    grouped.select(0, i).select(0, j), 65);
                    Tensor vec = rand(rnd, dt, 65);
                    assertClose(at + " mv", ref(a, vec.unsqueeze(1)).squeeze(1), a.matmul(vec), 65);
                    assertClose(at + " mv of a transpose", ref(b.t(), vec.unsqueeze(1)).squeeze(1), b.t().matmul(vec), 65);
                    assertClose(at + " vector @ matrix", ref(vec.unsqueeze(0), b).squeeze(0), vec.matmul(b), 65);
                    Tensor w2 = rand(rnd, dt, 65);
                    assertClose(at + " dot", ref(vec.unsqueeze(0), w2.unsqueeze(1)).reshape(), vec.dot(w2), 65);
                }
            }
        }
    }

    // ================================================================== checking one case

    private void check(KernelProvider provider, DType dtype, Case c) {
        // Callers run only on available providers (@RequiresProvider skips the others' properties).
        assertTrue(Kernels.isAvailable(provider), provider + " unavailable: " + Kernels.unavailableReason(provider));
        Random rnd = new Random(c.seed());
        Tensor a = operand(c.a(), c.m(), c.k(), dtype, rnd), b = operand(c.b(), c.k(), c.n(), dtype, rnd);
        Tensor out = Torch.full(new long[] {c.m(), c.n()}, c.accumulate() ? 0 : Double.NaN, dtype);
        double[][] c0 = new double[c.m()][c.n()];
        if (c.accumulate())
            for (int i = 0; i < c.m(); i++)
                for (int j = 0; j < c.n(); j++) {
                    c0[i][j] = rnd.nextDouble() * 4 - 2;
                    set(out, i, j, c0[i][j]);
                }
        try (Kernels.Scope s = Kernels.use(provider)) {
            Gemm.mm(strided(out), strided(a), strided(b), c.accumulate());
        }
        double eps = dtype == DType.FLOAT32 ? 0x1p-23 : 0x1p-52;
        for (int i = 0; i < c.m(); i++)
            for (int j = 0; j < c.n(); j++) {
                double exact = c0[i][j], magnitude = Math.abs(c0[i][j]);
                for (int p = 0; p < c.k(); p++) {
                    double t = get(a, i, p) * get(b, p, j);
                    exact += t;
                    magnitude += Math.abs(t);
                }
                double got = get(out, i, j), tol = (c.k() + 1) * eps * magnitude;
                if (!(Math.abs(got - exact) <= tol))
                    fail(provider + " " + dtype + " " + c + ": C[" + i + "][" + j + "] = " + got + ", expected " + exact + " +- " + tol);
            }
    }

    /** A {@code rows x cols} operand of the given layout; positions outside it hold NaN. */
    static Tensor operand(Layout layout, int rows, int cols, DType dtype, Random rnd) {
        Tensor t;
        switch (layout) {
            case ROW_MAJOR: t = Torch.zeros(new long[] {rows, cols}, dtype); break;
            case COLUMN_MAJOR: t = Torch.zeros(new long[] {cols, rows}, dtype).t(); break;
            case PADDED: t = Torch.full(new long[] {rows, cols + 3}, Double.NaN, dtype).narrow(1, 1, cols); break;
            case PADDED_COLUMN_MAJOR: t = Torch.full(new long[] {cols, rows + 2}, Double.NaN, dtype).narrow(1, 2, rows).t(); break;
            case STRIDED:
                t = Torch.full(new long[] {2L * rows + 1, 2L * cols + 1}, Double.NaN, dtype)
                        .index(Torch.slice(1L, null, 2), Torch.slice(1L, null, 2));
                break;
            default: t = Torch.zeros(new long[] {1, cols}, dtype).expand(rows, cols); break;
        }
        int distinctRows = layout == Layout.BROADCAST ? 1 : rows;
        for (int i = 0; i < distinctRows; i++) for (int j = 0; j < cols; j++) set(t, i, j, rnd.nextDouble() * 4 - 2);
        return t;
    }

    private static int pos(Tensor t, int i, int j) {
        return TensorInternals.offset(t) + i * TensorInternals.strides(t)[0] + j * TensorInternals.strides(t)[1];
    }

    static double get(Tensor t, int i, int j) {
        return t.dtype() == DType.FLOAT32 ? t.storage().f32()[pos(t, i, j)] : t.storage().f64()[pos(t, i, j)];
    }

    static void set(Tensor t, int i, int j, double v) {
        if (t.dtype() == DType.FLOAT32) t.storage().f32()[pos(t, i, j)] = (float) v;
        else t.storage().f64()[pos(t, i, j)] = v;
    }

    private static Tensor rand(Random rnd, DType dt, long... shape) {
        Tensor t = Torch.zeros(shape, dt);
        for (int i = 0; i < t.numel(); i++) {
            double v = rnd.nextDouble() * 2 - 1;
            if (dt == DType.FLOAT32) t.storage().f32()[i] = (float) v;
            else t.storage().f64()[i] = v;
        }
        return t;
    }

    /** The product of two 2-D tensors in double precision, by plain loops over strided reads. */
    private static Tensor ref(Tensor a, Tensor b) {
        int m = TensorInternals.sizes(a)[0], k = TensorInternals.sizes(a)[1], n = TensorInternals.sizes(b)[1];
        Tensor r = Torch.zeros(new long[] {m, n}, DType.FLOAT64);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) s += get(a, i, p) * get(b, p, j);
                r.storage().f64()[i * n + j] = s;
            }
        return r;
    }

    private static void assertClose(String what, Tensor expected, Tensor got, int k) {
        assertEquals(Arrays.toString(expected.shape().toArray()), Arrays.toString(got.shape().toArray()), what + ": shape");
        double eps = got.dtype() == DType.FLOAT32 ? 0x1p-23 : 0x1p-52;
        Tensor e = expected.reshape(-1), g = got.to(DType.FLOAT64).reshape(-1);
        List<String> bad = new ArrayList<>();
        for (int i = 0; i < e.numel(); i++) {
            double x = e.storage().f64()[TensorInternals.offset(e) + i], y = g.storage().f64()[TensorInternals.offset(g) + i];
            // Inputs are in [-1, 1], so sum |a_p b_p| <= k.
            if (!(Math.abs(x - y) <= (k + 1) * eps * k)) bad.add(i + ": " + y + " vs " + x);
        }
        assertTrue(bad.isEmpty(), what + ": " + bad);
    }
}
