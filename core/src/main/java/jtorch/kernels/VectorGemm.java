package jtorch.kernels;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * GEMM on the Vector API ({@code jdk.incubator.vector}): the packed, blocked driver of
 * {@link PackedGemm} with a register tile of two vectors of the CPU's preferred width by 8 rows
 * where vectors are 512 bits (8x32 floats with AVX-512: 16 accumulators) or by 4 rows otherwise
 * (4x16 with AVX2), updated by fused multiply-adds.
 *
 * <p>Loaded reflectively by {@link Kernels} only when the module is in the boot layer (run with
 * {@code --add-modules jdk.incubator.vector}); without it, no class here is touched.
 */
final class VectorGemm extends PackedGemm {
    private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> DS = DoubleVector.SPECIES_PREFERRED;
    private static final int FL = FS.length(), DL = DS.length();
    /**
     * Rows of the register tile: 8 (16 accumulators) where vectors are 512 bits wide, since such
     * CPUs have 32 vector registers; 4 (8 accumulators) otherwise, which fits in 16.
     */
    private static final int F_ROWS = FS.vectorBitSize() >= 512 ? 8 : 4, D_ROWS = DS.vectorBitSize() >= 512 ? 8 : 4;

    VectorGemm() {
        super(new int[] {F_ROWS, 2 * FL}, new int[] {256, 128, 2048}, new int[] {D_ROWS, 2 * DL}, new int[] {256, 64, 1024});
        profileBothEpilogues();
    }

    /**
     * Calls the register tiles a few hundred times on a 1-deep product, storing and accumulating in
     * turn, before any real product. Without it the JIT often compiled the float tile from a
     * profile in which the first k block's "store" epilogue was the only one seen, and in about a
     * third of JVM starts the GEMM then ran 1.4x slower for the rest of the run.
     */
    private void profileBothEpilogues() {
        float[] pa = new float[F_ROWS], pb = new float[2 * FL], c = new float[F_ROWS * 2 * FL];
        double[] da = new double[D_ROWS], db = new double[2 * DL], dc = new double[D_ROWS * 2 * DL];
        for (int i = 0; i < 600; i++) {
            microF(1, pa, 0, pb, 0, 2 * FL, c, 0, 2 * FL, (i & 1) == 0);
            microD(1, da, 0, db, 0, 2 * DL, dc, 0, 2 * DL, (i & 1) == 0);
        }
    }

    @Override
    public String describe() {
        return "Vector API (" + FS.vectorBitSize() + "-bit vectors, " + F_ROWS + "x" + 2 * FL + " float32 / " + D_ROWS + "x" + 2 * DL
                + " float64 register tile)";
    }

    @Override
    void microF(int kc, float[] pa, int ao, float[] pb, int bo, int bStride, float[] c, int co, int ldc, boolean accumulate) {
        if (F_ROWS == 8) micro8F(kc, pa, ao, pb, bo, bStride, c, co, ldc, accumulate);
        else micro4F(kc, pa, ao, pb, bo, bStride, c, co, ldc, accumulate);
    }

    private static void micro8F(int kc, float[] pa, int ao, float[] pb, int bo, int bStride, float[] c, int co, int ldc, boolean accumulate) {
        FloatVector c00 = FloatVector.zero(FS), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00, c60 = c00, c61 = c00, c70 = c00, c71 = c00;
        for (int p = 0; p < kc; p++, ao += 8, bo += bStride) {
            FloatVector b0 = FloatVector.fromArray(FS, pb, bo), b1 = FloatVector.fromArray(FS, pb, bo + FL);
            FloatVector x = FloatVector.broadcast(FS, pa[ao]);
            c00 = x.fma(b0, c00); c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(FS, pa[ao + 1]);
            c10 = x.fma(b0, c10); c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(FS, pa[ao + 2]);
            c20 = x.fma(b0, c20); c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(FS, pa[ao + 3]);
            c30 = x.fma(b0, c30); c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(FS, pa[ao + 4]);
            c40 = x.fma(b0, c40); c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(FS, pa[ao + 5]);
            c50 = x.fma(b0, c50); c51 = x.fma(b1, c51);
            x = FloatVector.broadcast(FS, pa[ao + 6]);
            c60 = x.fma(b0, c60); c61 = x.fma(b1, c61);
            x = FloatVector.broadcast(FS, pa[ao + 7]);
            c70 = x.fma(b0, c70); c71 = x.fma(b1, c71);
        }
        // Two epilogues, no helper taking a vector: a vector passed to a call that is not inlined is boxed.
        if (accumulate) {
            c00.add(FloatVector.fromArray(FS, c, co)).intoArray(c, co); c01.add(FloatVector.fromArray(FS, c, co + FL)).intoArray(c, co + FL);
            co += ldc;
            c10.add(FloatVector.fromArray(FS, c, co)).intoArray(c, co); c11.add(FloatVector.fromArray(FS, c, co + FL)).intoArray(c, co + FL);
            co += ldc;
            c20.add(FloatVector.fromArray(FS, c, co)).intoArray(c, co); c21.add(FloatVector.fromArray(FS, c, co + FL)).intoArray(c, co + FL);
            co += ldc;
            c30.add(FloatVector.fromArray(FS, c, co)).intoArray(c, co); c31.add(FloatVector.fromArray(FS, c, co + FL)).intoArray(c, co + FL);
            co += ldc;
            c40.add(FloatVector.fromArray(FS, c, co)).intoArray(c, co); c41.add(FloatVector.fromArray(FS, c, co + FL)).intoArray(c, co + FL);
            co += ldc;
            c50.add(FloatVector.fromArray(FS, c, co)).intoArray(c, co); c51.add(FloatVector.fromArray(FS, c, co + FL)).intoArray(c, co + FL);
            co += ldc;
            c60.add(FloatVector.fromArray(FS, c, co)).intoArray(c, co); c61.add(FloatVector.fromArray(FS, c, co + FL)).intoArray(c, co + FL);
            co += ldc;
            c70.add(FloatVector.fromArray(FS, c, co)).intoArray(c, co); c71.add(FloatVector.fromArray(FS, c, co + FL)).intoArray(c, co + FL);
        } else {
            c00.intoArray(c, co); c01.intoArray(c, co + FL);
            co += ldc;
            c10.intoArray(c, co); c11.intoArray(c, co + FL);
            co += ldc;
            c20.intoArray(c, co); c21.intoArray(c, co + FL);
            co += ldc;
            c30.intoArray(c, co); c31.intoArray(c, co + FL);
            co += ldc;
            c40.intoArray(c, co); c41.intoArray(c, co + FL);
            co += ldc;
            c50.intoArray(c, co); c51.intoArray(c, co + FL);
            co += ldc;
            c60.intoArray(c, co); c61.intoArray(c, co + FL);
            co += ldc;
            c70.intoArray(c, co); c71.intoArray(c, co + FL);
        }
    }

    private static void micro4F(int kc, float[] pa, int ao, float[] pb, int bo, int bStride, float[] c, int co, int ldc, boolean accumulate) {
        FloatVector c00 = FloatVector.zero(FS), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
        for (int p = 0; p < kc; p++, ao += 4, bo += bStride) {
            FloatVector b0 = FloatVector.fromArray(FS, pb, bo), b1 = FloatVector.fromArray(FS, pb, bo + FL);
            FloatVector x = FloatVector.broadcast(FS, pa[ao]);
            c00 = x.fma(b0, c00); c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(FS, pa[ao + 1]);
            c10 = x.fma(b0, c10); c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(FS, pa[ao + 2]);
            c20 = x.fma(b0, c20); c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(FS, pa[ao + 3]);
            c30 = x.fma(b0, c30); c31 = x.fma(b1, c31);
        }
        // Two epilogues, no helper taking a vector: a vector passed to a call that is not inlined is boxed.
        if (accumulate) {
            c00.add(FloatVector.fromArray(FS, c, co)).intoArray(c, co); c01.add(FloatVector.fromArray(FS, c, co + FL)).intoArray(c, co + FL);
            co += ldc;
            c10.add(FloatVector.fromArray(FS, c, co)).intoArray(c, co); c11.add(FloatVector.fromArray(FS, c, co + FL)).intoArray(c, co + FL);
            co += ldc;
            c20.add(FloatVector.fromArray(FS, c, co)).intoArray(c, co); c21.add(FloatVector.fromArray(FS, c, co + FL)).intoArray(c, co + FL);
            co += ldc;
            c30.add(FloatVector.fromArray(FS, c, co)).intoArray(c, co); c31.add(FloatVector.fromArray(FS, c, co + FL)).intoArray(c, co + FL);
        } else {
            c00.intoArray(c, co); c01.intoArray(c, co + FL);
            co += ldc;
            c10.intoArray(c, co); c11.intoArray(c, co + FL);
            co += ldc;
            c20.intoArray(c, co); c21.intoArray(c, co + FL);
            co += ldc;
            c30.intoArray(c, co); c31.intoArray(c, co + FL);
        }
    }


    /**
     * Unpacked forms that vectorise: along C's row when B's rows are contiguous (four vector
     * accumulators per row chunk, k innermost), or along k when A's rows and B's columns both are
     * (dot products). A column vector result with a column-major A is the transposed row form.
     */
    @Override
    void directF(int m, int n, int k, float[] a, int ao, int ars, int acs, float[] b, int bo, int brs, int bcs,
                 float[] c, int co, int ldc, boolean accumulate) {
        if (bcs == 1 && n >= FL) {
            rowsF(m, n, k, a, ao, ars, acs, b, bo, brs, c, co, ldc, accumulate);
        } else if (n == 1 && ars == 1 && ldc == 1 && m >= FL) {
            // c (m x 1) is a row (1 x m) of C^T = B^T A^T, whose right factor A^T has unit column stride.
            rowsF(1, m, k, b, bo, bcs, brs, a, ao, acs, c, co, 0, accumulate);
        } else if (acs == 1 && brs == 1 && k >= FL) {
            dotsF(m, n, k, a, ao, ars, b, bo, bcs, c, co, ldc, accumulate);
        } else {
            super.directF(m, n, k, a, ao, ars, acs, b, bo, brs, bcs, c, co, ldc, accumulate);
        }
    }

    /** C rows as vector chunks: each chunk's accumulators stay in registers over k. B has unit column stride. */
    private static void rowsF(int m, int n, int k, float[] a, int ao, int ars, int acs, float[] b, int bo, int brs,
                              float[] c, int co, int ldc, boolean accumulate) {
        int wide = n - 4 * FL + 1, single = n - FL + 1;
        for (int i = 0; i < m; i++) {
            int ai = ao + i * ars, ci = co + i * ldc, j = 0;
            for (; j < wide; j += 4 * FL) {
                FloatVector s0 = FloatVector.zero(FS), s1 = s0, s2 = s0, s3 = s0;
                for (int p = 0, x = ai, y = bo + j; p < k; p++, x += acs, y += brs) {
                    FloatVector av = FloatVector.broadcast(FS, a[x]);
                    s0 = av.fma(FloatVector.fromArray(FS, b, y), s0);
                    s1 = av.fma(FloatVector.fromArray(FS, b, y + FL), s1);
                    s2 = av.fma(FloatVector.fromArray(FS, b, y + 2 * FL), s2);
                    s3 = av.fma(FloatVector.fromArray(FS, b, y + 3 * FL), s3);
                }
                int o = ci + j;
                if (accumulate) {
                    s0.add(FloatVector.fromArray(FS, c, o)).intoArray(c, o);
                    s1.add(FloatVector.fromArray(FS, c, o + FL)).intoArray(c, o + FL);
                    s2.add(FloatVector.fromArray(FS, c, o + 2 * FL)).intoArray(c, o + 2 * FL);
                    s3.add(FloatVector.fromArray(FS, c, o + 3 * FL)).intoArray(c, o + 3 * FL);
                } else {
                    s0.intoArray(c, o);
                    s1.intoArray(c, o + FL);
                    s2.intoArray(c, o + 2 * FL);
                    s3.intoArray(c, o + 3 * FL);
                }
            }
            for (; j < single; j += FL) {
                FloatVector s0 = FloatVector.zero(FS);
                for (int p = 0, x = ai, y = bo + j; p < k; p++, x += acs, y += brs) s0 = FloatVector.broadcast(FS, a[x]).fma(FloatVector.fromArray(FS, b, y), s0);
                if (accumulate) s0.add(FloatVector.fromArray(FS, c, ci + j)).intoArray(c, ci + j);
                else s0.intoArray(c, ci + j);
            }
            for (; j < n; j++) {
                float s = accumulate ? c[ci + j] : 0f;
                for (int p = 0, x = ai, y = bo + j; p < k; p++, x += acs, y += brs) s += a[x] * b[y];
                c[ci + j] = s;
            }
        }
    }

    /** Dot products along k: A's rows and B's columns have unit stride. */
    private static void dotsF(int m, int n, int k, float[] a, int ao, int ars, float[] b, int bo, int bcs,
                              float[] c, int co, int ldc, boolean accumulate) {
        int wide = k - 2 * FL + 1, single = k - FL + 1;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                int x = ao + i * ars, y = bo + j * bcs, p = 0;
                FloatVector s0 = FloatVector.zero(FS), s1 = s0;
                for (; p < wide; p += 2 * FL) {
                    s0 = FloatVector.fromArray(FS, a, x + p).fma(FloatVector.fromArray(FS, b, y + p), s0);
                    s1 = FloatVector.fromArray(FS, a, x + p + FL).fma(FloatVector.fromArray(FS, b, y + p + FL), s1);
                }
                for (; p < single; p += FL) s0 = FloatVector.fromArray(FS, a, x + p).fma(FloatVector.fromArray(FS, b, y + p), s0);
                float s = s0.add(s1).reduceLanes(VectorOperators.ADD);
                for (; p < k; p++) s += a[x + p] * b[y + p];
                int o = co + i * ldc + j;
                c[o] = accumulate ? c[o] + s : s;
            }
        }
    }

    @Override
    void microD(int kc, double[] pa, int ao, double[] pb, int bo, int bStride, double[] c, int co, int ldc, boolean accumulate) {
        if (D_ROWS == 8) micro8D(kc, pa, ao, pb, bo, bStride, c, co, ldc, accumulate);
        else micro4D(kc, pa, ao, pb, bo, bStride, c, co, ldc, accumulate);
    }

    private static void micro8D(int kc, double[] pa, int ao, double[] pb, int bo, int bStride, double[] c, int co, int ldc, boolean accumulate) {
        DoubleVector c00 = DoubleVector.zero(DS), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00, c60 = c00, c61 = c00, c70 = c00, c71 = c00;
        for (int p = 0; p < kc; p++, ao += 8, bo += bStride) {
            DoubleVector b0 = DoubleVector.fromArray(DS, pb, bo), b1 = DoubleVector.fromArray(DS, pb, bo + DL);
            DoubleVector x = DoubleVector.broadcast(DS, pa[ao]);
            c00 = x.fma(b0, c00); c01 = x.fma(b1, c01);
            x = DoubleVector.broadcast(DS, pa[ao + 1]);
            c10 = x.fma(b0, c10); c11 = x.fma(b1, c11);
            x = DoubleVector.broadcast(DS, pa[ao + 2]);
            c20 = x.fma(b0, c20); c21 = x.fma(b1, c21);
            x = DoubleVector.broadcast(DS, pa[ao + 3]);
            c30 = x.fma(b0, c30); c31 = x.fma(b1, c31);
            x = DoubleVector.broadcast(DS, pa[ao + 4]);
            c40 = x.fma(b0, c40); c41 = x.fma(b1, c41);
            x = DoubleVector.broadcast(DS, pa[ao + 5]);
            c50 = x.fma(b0, c50); c51 = x.fma(b1, c51);
            x = DoubleVector.broadcast(DS, pa[ao + 6]);
            c60 = x.fma(b0, c60); c61 = x.fma(b1, c61);
            x = DoubleVector.broadcast(DS, pa[ao + 7]);
            c70 = x.fma(b0, c70); c71 = x.fma(b1, c71);
        }
        // Two epilogues, no helper taking a vector: a vector passed to a call that is not inlined is boxed.
        if (accumulate) {
            c00.add(DoubleVector.fromArray(DS, c, co)).intoArray(c, co); c01.add(DoubleVector.fromArray(DS, c, co + DL)).intoArray(c, co + DL);
            co += ldc;
            c10.add(DoubleVector.fromArray(DS, c, co)).intoArray(c, co); c11.add(DoubleVector.fromArray(DS, c, co + DL)).intoArray(c, co + DL);
            co += ldc;
            c20.add(DoubleVector.fromArray(DS, c, co)).intoArray(c, co); c21.add(DoubleVector.fromArray(DS, c, co + DL)).intoArray(c, co + DL);
            co += ldc;
            c30.add(DoubleVector.fromArray(DS, c, co)).intoArray(c, co); c31.add(DoubleVector.fromArray(DS, c, co + DL)).intoArray(c, co + DL);
            co += ldc;
            c40.add(DoubleVector.fromArray(DS, c, co)).intoArray(c, co); c41.add(DoubleVector.fromArray(DS, c, co + DL)).intoArray(c, co + DL);
            co += ldc;
            c50.add(DoubleVector.fromArray(DS, c, co)).intoArray(c, co); c51.add(DoubleVector.fromArray(DS, c, co + DL)).intoArray(c, co + DL);
            co += ldc;
            c60.add(DoubleVector.fromArray(DS, c, co)).intoArray(c, co); c61.add(DoubleVector.fromArray(DS, c, co + DL)).intoArray(c, co + DL);
            co += ldc;
            c70.add(DoubleVector.fromArray(DS, c, co)).intoArray(c, co); c71.add(DoubleVector.fromArray(DS, c, co + DL)).intoArray(c, co + DL);
        } else {
            c00.intoArray(c, co); c01.intoArray(c, co + DL);
            co += ldc;
            c10.intoArray(c, co); c11.intoArray(c, co + DL);
            co += ldc;
            c20.intoArray(c, co); c21.intoArray(c, co + DL);
            co += ldc;
            c30.intoArray(c, co); c31.intoArray(c, co + DL);
            co += ldc;
            c40.intoArray(c, co); c41.intoArray(c, co + DL);
            co += ldc;
            c50.intoArray(c, co); c51.intoArray(c, co + DL);
            co += ldc;
            c60.intoArray(c, co); c61.intoArray(c, co + DL);
            co += ldc;
            c70.intoArray(c, co); c71.intoArray(c, co + DL);
        }
    }

    private static void micro4D(int kc, double[] pa, int ao, double[] pb, int bo, int bStride, double[] c, int co, int ldc, boolean accumulate) {
        DoubleVector c00 = DoubleVector.zero(DS), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
        for (int p = 0; p < kc; p++, ao += 4, bo += bStride) {
            DoubleVector b0 = DoubleVector.fromArray(DS, pb, bo), b1 = DoubleVector.fromArray(DS, pb, bo + DL);
            DoubleVector x = DoubleVector.broadcast(DS, pa[ao]);
            c00 = x.fma(b0, c00); c01 = x.fma(b1, c01);
            x = DoubleVector.broadcast(DS, pa[ao + 1]);
            c10 = x.fma(b0, c10); c11 = x.fma(b1, c11);
            x = DoubleVector.broadcast(DS, pa[ao + 2]);
            c20 = x.fma(b0, c20); c21 = x.fma(b1, c21);
            x = DoubleVector.broadcast(DS, pa[ao + 3]);
            c30 = x.fma(b0, c30); c31 = x.fma(b1, c31);
        }
        // Two epilogues, no helper taking a vector: a vector passed to a call that is not inlined is boxed.
        if (accumulate) {
            c00.add(DoubleVector.fromArray(DS, c, co)).intoArray(c, co); c01.add(DoubleVector.fromArray(DS, c, co + DL)).intoArray(c, co + DL);
            co += ldc;
            c10.add(DoubleVector.fromArray(DS, c, co)).intoArray(c, co); c11.add(DoubleVector.fromArray(DS, c, co + DL)).intoArray(c, co + DL);
            co += ldc;
            c20.add(DoubleVector.fromArray(DS, c, co)).intoArray(c, co); c21.add(DoubleVector.fromArray(DS, c, co + DL)).intoArray(c, co + DL);
            co += ldc;
            c30.add(DoubleVector.fromArray(DS, c, co)).intoArray(c, co); c31.add(DoubleVector.fromArray(DS, c, co + DL)).intoArray(c, co + DL);
        } else {
            c00.intoArray(c, co); c01.intoArray(c, co + DL);
            co += ldc;
            c10.intoArray(c, co); c11.intoArray(c, co + DL);
            co += ldc;
            c20.intoArray(c, co); c21.intoArray(c, co + DL);
            co += ldc;
            c30.intoArray(c, co); c31.intoArray(c, co + DL);
        }
    }


    /**
     * Unpacked forms that vectorise: along C's row when B's rows are contiguous (four vector
     * accumulators per row chunk, k innermost), or along k when A's rows and B's columns both are
     * (dot products). A column vector result with a column-major A is the transposed row form.
     */
    @Override
    void directD(int m, int n, int k, double[] a, int ao, int ars, int acs, double[] b, int bo, int brs, int bcs,
                 double[] c, int co, int ldc, boolean accumulate) {
        if (bcs == 1 && n >= DL) {
            rowsD(m, n, k, a, ao, ars, acs, b, bo, brs, c, co, ldc, accumulate);
        } else if (n == 1 && ars == 1 && ldc == 1 && m >= DL) {
            // c (m x 1) is a row (1 x m) of C^T = B^T A^T, whose right factor A^T has unit column stride.
            rowsD(1, m, k, b, bo, bcs, brs, a, ao, acs, c, co, 0, accumulate);
        } else if (acs == 1 && brs == 1 && k >= DL) {
            dotsD(m, n, k, a, ao, ars, b, bo, bcs, c, co, ldc, accumulate);
        } else {
            super.directD(m, n, k, a, ao, ars, acs, b, bo, brs, bcs, c, co, ldc, accumulate);
        }
    }

    /** C rows as vector chunks: each chunk's accumulators stay in registers over k. B has unit column stride. */
    private static void rowsD(int m, int n, int k, double[] a, int ao, int ars, int acs, double[] b, int bo, int brs,
                              double[] c, int co, int ldc, boolean accumulate) {
        int wide = n - 4 * DL + 1, single = n - DL + 1;
        for (int i = 0; i < m; i++) {
            int ai = ao + i * ars, ci = co + i * ldc, j = 0;
            for (; j < wide; j += 4 * DL) {
                DoubleVector s0 = DoubleVector.zero(DS), s1 = s0, s2 = s0, s3 = s0;
                for (int p = 0, x = ai, y = bo + j; p < k; p++, x += acs, y += brs) {
                    DoubleVector av = DoubleVector.broadcast(DS, a[x]);
                    s0 = av.fma(DoubleVector.fromArray(DS, b, y), s0);
                    s1 = av.fma(DoubleVector.fromArray(DS, b, y + DL), s1);
                    s2 = av.fma(DoubleVector.fromArray(DS, b, y + 2 * DL), s2);
                    s3 = av.fma(DoubleVector.fromArray(DS, b, y + 3 * DL), s3);
                }
                int o = ci + j;
                if (accumulate) {
                    s0.add(DoubleVector.fromArray(DS, c, o)).intoArray(c, o);
                    s1.add(DoubleVector.fromArray(DS, c, o + DL)).intoArray(c, o + DL);
                    s2.add(DoubleVector.fromArray(DS, c, o + 2 * DL)).intoArray(c, o + 2 * DL);
                    s3.add(DoubleVector.fromArray(DS, c, o + 3 * DL)).intoArray(c, o + 3 * DL);
                } else {
                    s0.intoArray(c, o);
                    s1.intoArray(c, o + DL);
                    s2.intoArray(c, o + 2 * DL);
                    s3.intoArray(c, o + 3 * DL);
                }
            }
            for (; j < single; j += DL) {
                DoubleVector s0 = DoubleVector.zero(DS);
                for (int p = 0, x = ai, y = bo + j; p < k; p++, x += acs, y += brs) s0 = DoubleVector.broadcast(DS, a[x]).fma(DoubleVector.fromArray(DS, b, y), s0);
                if (accumulate) s0.add(DoubleVector.fromArray(DS, c, ci + j)).intoArray(c, ci + j);
                else s0.intoArray(c, ci + j);
            }
            for (; j < n; j++) {
                double s = accumulate ? c[ci + j] : 0.0;
                for (int p = 0, x = ai, y = bo + j; p < k; p++, x += acs, y += brs) s += a[x] * b[y];
                c[ci + j] = s;
            }
        }
    }

    /** Dot products along k: A's rows and B's columns have unit stride. */
    private static void dotsD(int m, int n, int k, double[] a, int ao, int ars, double[] b, int bo, int bcs,
                              double[] c, int co, int ldc, boolean accumulate) {
        int wide = k - 2 * DL + 1, single = k - DL + 1;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                int x = ao + i * ars, y = bo + j * bcs, p = 0;
                DoubleVector s0 = DoubleVector.zero(DS), s1 = s0;
                for (; p < wide; p += 2 * DL) {
                    s0 = DoubleVector.fromArray(DS, a, x + p).fma(DoubleVector.fromArray(DS, b, y + p), s0);
                    s1 = DoubleVector.fromArray(DS, a, x + p + DL).fma(DoubleVector.fromArray(DS, b, y + p + DL), s1);
                }
                for (; p < single; p += DL) s0 = DoubleVector.fromArray(DS, a, x + p).fma(DoubleVector.fromArray(DS, b, y + p), s0);
                double s = s0.add(s1).reduceLanes(VectorOperators.ADD);
                for (; p < k; p++) s += a[x + p] * b[y + p];
                int o = co + i * ldc + j;
                c[o] = accumulate ? c[o] + s : s;
            }
        }
    }
}
