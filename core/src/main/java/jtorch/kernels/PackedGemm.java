package jtorch.kernels;

/**
 * The Java GEMM drivers' shared part: Goto/BLIS blocking with packed operands, a register-tiled
 * micro-kernel supplied by the subclass (scalar or Vector API), multi-threading over the
 * intra-op pool for large products, and a no-packing path for tiny or vector-shaped products.
 *
 * <p>Operands of any strides are read only by the packing routines, so transposed, column-major,
 * broadcast (stride 0) and sliced operands cost no extra copy. Packing buffers are per thread
 * and grow to the largest block seen: a product allocates nothing else.
 */
abstract class PackedGemm implements GemmKernel {
    /**
     * Below this many multiply-adds (about a 100^3 product, some 10-20 us on one core) a product
     * stays on one thread: waking a parked worker costs that much.
     */
    static final long PARALLEL_MNK = 1L << 20;
    /** Up to this many multiply-adds the product runs unpacked. */
    static final long DIRECT_MNK = 1L << 12;

    final int mrF, nrF, kcF, mcF, ncF;
    final int mrD, nrD, kcD, mcD, ncD;

    /**
     * @param floatTile {mr, nr} of the float32 register tile; {@code kc, mc, nc} are the cache
     *     blocks (kc x nr sliver of B in L1, mc x kc block of A in L2, kc x nc panel of B beyond)
     */
    PackedGemm(int[] floatTile, int[] floatBlocks, int[] doubleTile, int[] doubleBlocks) {
        mrF = floatTile[0]; nrF = floatTile[1];
        kcF = floatBlocks[0]; mcF = roundUp(floatBlocks[1], mrF); ncF = roundUp(floatBlocks[2], nrF);
        mrD = doubleTile[0]; nrD = doubleTile[1];
        kcD = doubleBlocks[0]; mcD = roundUp(doubleBlocks[1], mrD); ncD = roundUp(doubleBlocks[2], nrD);
    }

    static int roundUp(int x, int multiple) { return (x + multiple - 1) / multiple * multiple; }

    /** Tiny products, and a single row or column (a matrix-vector product): packing would cost more than it saves. */
    static boolean isDirect(int m, int n, int k) { return m == 1 || n == 1 || (long) m * n * k <= DIRECT_MNK; }

    /** Per-thread packing buffers, grown on demand and kept. */
    static final class Buffers {
        private float[] fa, fb, ft;
        private double[] da, db, dt;

        float[] floatA(int n) { return fa != null && fa.length >= n ? fa : (fa = new float[n]); }
        float[] floatB(int n) { return fb != null && fb.length >= n ? fb : (fb = new float[n]); }
        float[] floatTile(int n) { return ft != null && ft.length >= n ? ft : (ft = new float[n]); }
        double[] doubleA(int n) { return da != null && da.length >= n ? da : (da = new double[n]); }
        double[] doubleB(int n) { return db != null && db.length >= n ? db : (db = new double[n]); }
        double[] doubleTile(int n) { return dt != null && dt.length >= n ? dt : (dt = new double[n]); }
    }

    static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);
    private static final ThreadLocal<SplitTask> SPLIT = ThreadLocal.withInitial(SplitTask::new);

    /**
     * One product cut into column (or row) ranges of whole register tiles, one range per thread;
     * each range runs the blocked product on its own packing buffers. The longer side is cut, so
     * the operand that every thread packs again is the smaller one. Reused per calling thread.
     */
    private static final class SplitTask implements Parallel.RangeBody {
        PackedGemm gemm;
        boolean isDouble, byColumns, accumulate;
        int m, n, k, ao, ars, acs, bo, brs, bcs, co, ldc, unit;
        float[] fa, fb, fc;
        double[] da, db, dc;

        void setF(PackedGemm g, int m, int n, int k, float[] a, int ao, int ars, int acs, float[] b, int bo, int brs, int bcs,
                  float[] c, int co, int ldc, boolean accumulate) {
            set(g, false, m, n, k, ao, ars, acs, bo, brs, bcs, co, ldc, accumulate);
            fa = a; fb = b; fc = c;
        }

        void setD(PackedGemm g, int m, int n, int k, double[] a, int ao, int ars, int acs, double[] b, int bo, int brs, int bcs,
                  double[] c, int co, int ldc, boolean accumulate) {
            set(g, true, m, n, k, ao, ars, acs, bo, brs, bcs, co, ldc, accumulate);
            da = a; db = b; dc = c;
        }

        private void set(PackedGemm g, boolean isDouble, int m, int n, int k, int ao, int ars, int acs, int bo, int brs, int bcs,
                         int co, int ldc, boolean accumulate) {
            this.gemm = g; this.isDouble = isDouble; this.m = m; this.n = n; this.k = k;
            this.ao = ao; this.ars = ars; this.acs = acs; this.bo = bo; this.brs = brs; this.bcs = bcs;
            this.co = co; this.ldc = ldc; this.accumulate = accumulate;
        }

        void runSplit() {
            byColumns = n >= m;
            unit = byColumns ? (isDouble ? gemm.nrD : gemm.nrF) : (isDouble ? gemm.mrD : gemm.mrF);
            int units = ((byColumns ? n : m) + unit - 1) / unit;
            try {
                Parallel.parallelFor(0, units, 1, this);
            } finally {
                fa = fb = fc = null;
                da = db = dc = null;
                gemm = null;
            }
        }

        @Override
        public void run(int begin, int end) {
            int lo = begin * unit, hi = Math.min(end * unit, byColumns ? n : m);
            if (lo >= hi) return;
            if (byColumns) {
                if (isDouble) gemm.singleD(m, hi - lo, k, da, ao, ars, acs, db, bo + lo * bcs, brs, bcs, dc, co + lo, ldc, accumulate);
                else gemm.singleF(m, hi - lo, k, fa, ao, ars, acs, fb, bo + lo * bcs, brs, bcs, fc, co + lo, ldc, accumulate);
            } else {
                if (isDouble) gemm.singleD(hi - lo, n, k, da, ao + lo * ars, ars, acs, db, bo, brs, bcs, dc, co + lo * ldc, ldc, accumulate);
                else gemm.singleF(hi - lo, n, k, fa, ao + lo * ars, ars, acs, fb, bo, brs, bcs, fc, co + lo * ldc, ldc, accumulate);
            }
        }
    }

    // ================================================================== float32

    @Override
    public final void sgemm(int m, int n, int k, float[] a, int ao, int ars, int acs, float[] b, int bo, int brs, int bcs,
                            float[] c, int co, int ldc, boolean accumulate, int threads) {
        if (m <= 0 || n <= 0) return;
        if (k <= 0) {
            if (!accumulate) for (int i = 0; i < m; i++) java.util.Arrays.fill(c, co + i * ldc, co + i * ldc + n, 0f);
            return;
        }
        if (isDirect(m, n, k)) {
            directF(m, n, k, a, ao, ars, acs, b, bo, brs, bcs, c, co, ldc, accumulate);
            return;
        }
        if (threads > 1 && (long) m * n * k >= PARALLEL_MNK) {
            SplitTask task = SPLIT.get();
            task.setF(this, m, n, k, a, ao, ars, acs, b, bo, brs, bcs, c, co, ldc, accumulate);
            task.runSplit();
            return;
        }
        singleF(m, n, k, a, ao, ars, acs, b, bo, brs, bcs, c, co, ldc, accumulate);
    }

    /** One thread's product: B read in place when the rows fit one register tile, else the blocked product. */
    final void singleF(int m, int n, int k, float[] a, int ao, int ars, int acs, float[] b, int bo, int brs, int bcs,
                       float[] c, int co, int ldc, boolean accumulate) {
        if (bcs == 1 && m <= mrF && n >= nrF) fewRowsF(m, n, k, a, ao, ars, acs, b, bo, brs, c, co, ldc, accumulate);
        else blockedF(m, n, k, a, ao, ars, acs, b, bo, brs, bcs, c, co, ldc, accumulate);
    }

    /** The packed, cache-blocked product on one thread (Goto's loop nest: B panel in L3/L2, A block in L2, B sliver in L1). */
    final void blockedF(int m, int n, int k, float[] a, int ao, int ars, int acs, float[] b, int bo, int brs, int bcs,
                        float[] c, int co, int ldc, boolean accumulate) {
        int mr = mrF, nr = nrF;
        int kcMax = Math.min(kcF, k), mcMax = Math.min(mcF, roundUp(m, mr)), ncMax = Math.min(ncF, roundUp(n, nr));
        Buffers buf = BUFFERS.get();
        float[] pa = buf.floatA(mcMax * kcMax), pb = buf.floatB(kcMax * ncMax), tile = buf.floatTile(mr * nr);
        for (int jc = 0; jc < n; jc += ncF) {
            int nc = Math.min(ncF, n - jc);
            for (int pc = 0; pc < k; pc += kcF) {
                int kc = Math.min(kcF, k - pc);
                boolean acc = accumulate || pc > 0;
                packBF(kc, nc, b, bo + pc * brs + jc * bcs, brs, bcs, pb, nr);
                for (int ic = 0; ic < m; ic += mcF) {
                    int mc = Math.min(mcF, m - ic);
                    packAF(mc, kc, a, ao + ic * ars + pc * acs, ars, acs, pa, mr);
                    for (int jr = 0; jr < nc; jr += nr) {
                        int cols = Math.min(nr, nc - jr);
                        for (int ir = 0; ir < mc; ir += mr) {
                            int rows = Math.min(mr, mc - ir);
                            int cAt = co + (ic + ir) * ldc + jc + jr;
                            if (rows == mr && cols == nr) {
                                microF(kc, pa, ir * kc, pb, jr * kc, nr, c, cAt, ldc, acc);
                            } else {
                                microF(kc, pa, ir * kc, pb, jr * kc, nr, tile, 0, nr, false);
                                mergeF(tile, nr, rows, cols, c, cAt, ldc, acc);
                            }
                        }
                    }
                }
            }
        }
    }

    /** Adds (or stores) the top-left {@code rows x cols} of an edge tile into C. */
    private static void mergeF(float[] tile, int nr, int rows, int cols, float[] c, int cAt, int ldc, boolean acc) {
        for (int r = 0; r < rows; r++) {
            int t = r * nr, o = cAt + r * ldc;
            if (acc) for (int j = 0; j < cols; j++) c[o + j] += tile[t + j];
            else System.arraycopy(tile, t, c, o, cols);
        }
    }

    /**
     * Packs the {@code mc x kc} block of A at {@code src} into slivers of {@code mr} rows, each
     * stored k-major ({@code [p][r]}), zero-padding the last sliver.
     */
    static void packAF(int mc, int kc, float[] a, int src, int ars, int acs, float[] pa, int mr) {
        int d = 0;
        for (int i0 = 0; i0 < mc; i0 += mr) {
            int rows = Math.min(mr, mc - i0), row0 = src + i0 * ars;
            if (ars == 1 && rows == mr) {
                // Column-major A: each k step is mr consecutive elements.
                for (int p = 0, s = row0; p < kc; p++, s += acs)
                    for (int r = 0; r < mr; r++) pa[d++] = a[s + r];
            } else if (acs == 1) {
                // Row-major A: mr streams along k.
                for (int r = 0; r < rows; r++)
                    for (int p = 0, s = row0 + r * ars, o = d + r; p < kc; p++, o += mr) pa[o] = a[s + p];
                for (int r = rows; r < mr; r++)
                    for (int p = 0, o = d + r; p < kc; p++, o += mr) pa[o] = 0f;
                d += kc * mr;
            } else {
                for (int p = 0, s = row0; p < kc; p++, s += acs) {
                    for (int r = 0; r < rows; r++) pa[d + r] = a[s + r * ars];
                    for (int r = rows; r < mr; r++) pa[d + r] = 0f;
                    d += mr;
                }
            }
        }
    }

    /**
     * Packs the {@code kc x nc} panel of B at {@code src} into slivers of {@code nr} columns, each
     * stored k-major ({@code [p][j]}), zero-padding the last sliver.
     */
    static void packBF(int kc, int nc, float[] b, int src, int brs, int bcs, float[] pb, int nr) {
        int d = 0;
        for (int j0 = 0; j0 < nc; j0 += nr) {
            int cols = Math.min(nr, nc - j0), col0 = src + j0 * bcs;
            if (bcs == 1) {
                // Row-major B: each k step is a contiguous run of the sliver's columns.
                for (int p = 0, s = col0; p < kc; p++, s += brs, d += nr) {
                    System.arraycopy(b, s, pb, d, cols);
                    for (int j = cols; j < nr; j++) pb[d + j] = 0f;
                }
            } else if (brs == 1) {
                // Column-major B (a transposed weight): nr streams along k.
                for (int j = 0; j < cols; j++)
                    for (int p = 0, s = col0 + j * bcs, o = d + j; p < kc; p++, o += nr) pb[o] = b[s + p];
                for (int j = cols; j < nr; j++)
                    for (int p = 0, o = d + j; p < kc; p++, o += nr) pb[o] = 0f;
                d += kc * nr;
            } else {
                for (int p = 0, s = col0; p < kc; p++, s += brs, d += nr) {
                    for (int j = 0; j < cols; j++) pb[d + j] = b[s + j * bcs];
                    for (int j = cols; j < nr; j++) pb[d + j] = 0f;
                }
            }
        }
    }

    /**
     * The product without packing, for shapes where packing costs more than it saves (tiny
     * products, a single row or column). Plain loops; providers override it with vector forms.
     */
    void directF(int m, int n, int k, float[] a, int ao, int ars, int acs, float[] b, int bo, int brs, int bcs,
                 float[] c, int co, int ldc, boolean accumulate) {
        for (int i = 0; i < m; i++) {
            int ai = ao + i * ars, ci = co + i * ldc;
            for (int j = 0; j < n; j++) {
                float acc = accumulate ? c[ci + j] : 0f;
                for (int p = 0, x = ai, y = bo + j * bcs; p < k; p++, x += acs, y += brs) acc += a[x] * b[y];
                c[ci + j] = acc;
            }
        }
    }

    /**
     * The register tile: {@code C[mr x nr] (+)= Apacked[kc x mr]^T Bpacked[kc x nr]}, where C's
     * rows start at {@code co} with stride {@code ldc}.
     */
    abstract void microF(int kc, float[] pa, int ao, float[] pb, int bo, int bStride, float[] c, int co, int ldc, boolean accumulate);

    /**
     * At most one register tile of rows with B's rows contiguous (a convolution's few output
     * channels per sample): only A is packed; the micro-kernel reads B in place, row stride
     * {@code brs}, so B is read once and never copied. The last partial column sliver is packed.
     */
    final void fewRowsF(int m, int n, int k, float[] a, int ao, int ars, int acs, float[] b, int bo, int brs,
                          float[] c, int co, int ldc, boolean accumulate) {
        int mr = mrF, nr = nrF;
        Buffers buf = BUFFERS.get();
        float[] pa = buf.floatA(mr * k), tile = buf.floatTile(mr * nr);
        packAF(m, k, a, ao, ars, acs, pa, mr);
        int full = n - n % nr;
        for (int j = 0; j < full; j += nr) {
            if (m == mr) {
                microF(k, pa, 0, b, bo + j, brs, c, co + j, ldc, accumulate);
            } else {
                microF(k, pa, 0, b, bo + j, brs, tile, 0, nr, false);
                mergeF(tile, nr, m, nr, c, co + j, ldc, accumulate);
            }
        }
        if (full < n) {
            float[] pb = buf.floatB(k * nr);
            packBF(k, n - full, b, bo + full, brs, 1, pb, nr);
            microF(k, pa, 0, pb, 0, nr, tile, 0, nr, false);
            mergeF(tile, nr, m, n - full, c, co + full, ldc, accumulate);
        }
    }

    // ================================================================== float64

    @Override
    public final void dgemm(int m, int n, int k, double[] a, int ao, int ars, int acs, double[] b, int bo, int brs, int bcs,
                            double[] c, int co, int ldc, boolean accumulate, int threads) {
        if (m <= 0 || n <= 0) return;
        if (k <= 0) {
            if (!accumulate) for (int i = 0; i < m; i++) java.util.Arrays.fill(c, co + i * ldc, co + i * ldc + n, 0.0);
            return;
        }
        if (isDirect(m, n, k)) {
            directD(m, n, k, a, ao, ars, acs, b, bo, brs, bcs, c, co, ldc, accumulate);
            return;
        }
        if (threads > 1 && (long) m * n * k >= PARALLEL_MNK) {
            SplitTask task = SPLIT.get();
            task.setD(this, m, n, k, a, ao, ars, acs, b, bo, brs, bcs, c, co, ldc, accumulate);
            task.runSplit();
            return;
        }
        singleD(m, n, k, a, ao, ars, acs, b, bo, brs, bcs, c, co, ldc, accumulate);
    }

    /** One thread's product: B read in place when the rows fit one register tile, else the blocked product. */
    final void singleD(int m, int n, int k, double[] a, int ao, int ars, int acs, double[] b, int bo, int brs, int bcs,
                       double[] c, int co, int ldc, boolean accumulate) {
        if (bcs == 1 && m <= mrD && n >= nrD) fewRowsD(m, n, k, a, ao, ars, acs, b, bo, brs, c, co, ldc, accumulate);
        else blockedD(m, n, k, a, ao, ars, acs, b, bo, brs, bcs, c, co, ldc, accumulate);
    }

    /** The packed, cache-blocked product on one thread (Goto's loop nest: B panel in L3/L2, A block in L2, B sliver in L1). */
    final void blockedD(int m, int n, int k, double[] a, int ao, int ars, int acs, double[] b, int bo, int brs, int bcs,
                        double[] c, int co, int ldc, boolean accumulate) {
        int mr = mrD, nr = nrD;
        int kcMax = Math.min(kcD, k), mcMax = Math.min(mcD, roundUp(m, mr)), ncMax = Math.min(ncD, roundUp(n, nr));
        Buffers buf = BUFFERS.get();
        double[] pa = buf.doubleA(mcMax * kcMax), pb = buf.doubleB(kcMax * ncMax), tile = buf.doubleTile(mr * nr);
        for (int jc = 0; jc < n; jc += ncD) {
            int nc = Math.min(ncD, n - jc);
            for (int pc = 0; pc < k; pc += kcD) {
                int kc = Math.min(kcD, k - pc);
                boolean acc = accumulate || pc > 0;
                packBD(kc, nc, b, bo + pc * brs + jc * bcs, brs, bcs, pb, nr);
                for (int ic = 0; ic < m; ic += mcD) {
                    int mc = Math.min(mcD, m - ic);
                    packAD(mc, kc, a, ao + ic * ars + pc * acs, ars, acs, pa, mr);
                    for (int jr = 0; jr < nc; jr += nr) {
                        int cols = Math.min(nr, nc - jr);
                        for (int ir = 0; ir < mc; ir += mr) {
                            int rows = Math.min(mr, mc - ir);
                            int cAt = co + (ic + ir) * ldc + jc + jr;
                            if (rows == mr && cols == nr) {
                                microD(kc, pa, ir * kc, pb, jr * kc, nr, c, cAt, ldc, acc);
                            } else {
                                microD(kc, pa, ir * kc, pb, jr * kc, nr, tile, 0, nr, false);
                                mergeD(tile, nr, rows, cols, c, cAt, ldc, acc);
                            }
                        }
                    }
                }
            }
        }
    }

    /** Adds (or stores) the top-left {@code rows x cols} of an edge tile into C. */
    private static void mergeD(double[] tile, int nr, int rows, int cols, double[] c, int cAt, int ldc, boolean acc) {
        for (int r = 0; r < rows; r++) {
            int t = r * nr, o = cAt + r * ldc;
            if (acc) for (int j = 0; j < cols; j++) c[o + j] += tile[t + j];
            else System.arraycopy(tile, t, c, o, cols);
        }
    }

    /**
     * Packs the {@code mc x kc} block of A at {@code src} into slivers of {@code mr} rows, each
     * stored k-major ({@code [p][r]}), zero-padding the last sliver.
     */
    static void packAD(int mc, int kc, double[] a, int src, int ars, int acs, double[] pa, int mr) {
        int d = 0;
        for (int i0 = 0; i0 < mc; i0 += mr) {
            int rows = Math.min(mr, mc - i0), row0 = src + i0 * ars;
            if (ars == 1 && rows == mr) {
                // Column-major A: each k step is mr consecutive elements.
                for (int p = 0, s = row0; p < kc; p++, s += acs)
                    for (int r = 0; r < mr; r++) pa[d++] = a[s + r];
            } else if (acs == 1) {
                // Row-major A: mr streams along k.
                for (int r = 0; r < rows; r++)
                    for (int p = 0, s = row0 + r * ars, o = d + r; p < kc; p++, o += mr) pa[o] = a[s + p];
                for (int r = rows; r < mr; r++)
                    for (int p = 0, o = d + r; p < kc; p++, o += mr) pa[o] = 0.0;
                d += kc * mr;
            } else {
                for (int p = 0, s = row0; p < kc; p++, s += acs) {
                    for (int r = 0; r < rows; r++) pa[d + r] = a[s + r * ars];
                    for (int r = rows; r < mr; r++) pa[d + r] = 0.0;
                    d += mr;
                }
            }
        }
    }

    /**
     * Packs the {@code kc x nc} panel of B at {@code src} into slivers of {@code nr} columns, each
     * stored k-major ({@code [p][j]}), zero-padding the last sliver.
     */
    static void packBD(int kc, int nc, double[] b, int src, int brs, int bcs, double[] pb, int nr) {
        int d = 0;
        for (int j0 = 0; j0 < nc; j0 += nr) {
            int cols = Math.min(nr, nc - j0), col0 = src + j0 * bcs;
            if (bcs == 1) {
                // Row-major B: each k step is a contiguous run of the sliver's columns.
                for (int p = 0, s = col0; p < kc; p++, s += brs, d += nr) {
                    System.arraycopy(b, s, pb, d, cols);
                    for (int j = cols; j < nr; j++) pb[d + j] = 0.0;
                }
            } else if (brs == 1) {
                // Column-major B (a transposed weight): nr streams along k.
                for (int j = 0; j < cols; j++)
                    for (int p = 0, s = col0 + j * bcs, o = d + j; p < kc; p++, o += nr) pb[o] = b[s + p];
                for (int j = cols; j < nr; j++)
                    for (int p = 0, o = d + j; p < kc; p++, o += nr) pb[o] = 0.0;
                d += kc * nr;
            } else {
                for (int p = 0, s = col0; p < kc; p++, s += brs, d += nr) {
                    for (int j = 0; j < cols; j++) pb[d + j] = b[s + j * bcs];
                    for (int j = cols; j < nr; j++) pb[d + j] = 0.0;
                }
            }
        }
    }

    /**
     * The product without packing, for shapes where packing costs more than it saves (tiny
     * products, a single row or column). Plain loops; providers override it with vector forms.
     */
    void directD(int m, int n, int k, double[] a, int ao, int ars, int acs, double[] b, int bo, int brs, int bcs,
                 double[] c, int co, int ldc, boolean accumulate) {
        for (int i = 0; i < m; i++) {
            int ai = ao + i * ars, ci = co + i * ldc;
            for (int j = 0; j < n; j++) {
                double acc = accumulate ? c[ci + j] : 0.0;
                for (int p = 0, x = ai, y = bo + j * bcs; p < k; p++, x += acs, y += brs) acc += a[x] * b[y];
                c[ci + j] = acc;
            }
        }
    }

    /**
     * The register tile: {@code C[mr x nr] (+)= Apacked[kc x mr]^T Bpacked[kc x nr]}, where C's
     * rows start at {@code co} with stride {@code ldc}.
     */
    abstract void microD(int kc, double[] pa, int ao, double[] pb, int bo, int bStride, double[] c, int co, int ldc, boolean accumulate);

    /**
     * At most one register tile of rows with B's rows contiguous (a convolution's few output
     * channels per sample): only A is packed; the micro-kernel reads B in place, row stride
     * {@code brs}, so B is read once and never copied. The last partial column sliver is packed.
     */
    final void fewRowsD(int m, int n, int k, double[] a, int ao, int ars, int acs, double[] b, int bo, int brs,
                          double[] c, int co, int ldc, boolean accumulate) {
        int mr = mrD, nr = nrD;
        Buffers buf = BUFFERS.get();
        double[] pa = buf.doubleA(mr * k), tile = buf.doubleTile(mr * nr);
        packAD(m, k, a, ao, ars, acs, pa, mr);
        int full = n - n % nr;
        for (int j = 0; j < full; j += nr) {
            if (m == mr) {
                microD(k, pa, 0, b, bo + j, brs, c, co + j, ldc, accumulate);
            } else {
                microD(k, pa, 0, b, bo + j, brs, tile, 0, nr, false);
                mergeD(tile, nr, m, nr, c, co + j, ldc, accumulate);
            }
        }
        if (full < n) {
            double[] pb = buf.doubleB(k * nr);
            packBD(k, n - full, b, bo + full, brs, 1, pb, nr);
            microD(k, pa, 0, pb, 0, nr, tile, 0, nr, false);
            mergeD(tile, nr, m, n - full, c, co + full, ldc, accumulate);
        }
    }

}
