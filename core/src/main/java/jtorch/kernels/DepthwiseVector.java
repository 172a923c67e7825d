package jtorch.kernels;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The depthwise convolution's row loops on the Vector API: full vectors of the preferred width
 * with fused multiply-adds, then the rest element by element. Loaded reflectively by
 * {@link Depthwise} only when {@code jdk.incubator.vector} is in the boot layer.
 */
final class DepthwiseVector implements Depthwise.Rows {
    private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> DS = DoubleVector.SPECIES_PREFERRED;
    private static final int FL = FS.length(), DL = DS.length();
    /** {@code REST_F[k]}: the lanes at and above {@code FL - k}, those of a row's last {@code k} elements in its last whole vector. */
    private static final VectorMask<Float>[] REST_F = restF();
    private static final VectorMask<Double>[] REST_D = restD();

    @SuppressWarnings("unchecked")
    private static VectorMask<Float>[] restF() {
        VectorMask<Float>[] m = new VectorMask[FL];
        for (int k = 0; k < FL; k++) m[k] = FS.indexInRange(k, FL).not(); // lanes i >= FL - k
        return m;
    }

    @SuppressWarnings("unchecked")
    private static VectorMask<Double>[] restD() {
        VectorMask<Double>[] m = new VectorMask[DL];
        for (int k = 0; k < DL; k++) m[k] = DS.indexInRange(k, DL).not();
        return m;
    }

    @Override
    public void axpyF(float a, float[] x, int s, float[] y, int d, int n) {
        FloatVector av = FloatVector.broadcast(FS, a);
        int i = 0;
        for (; i + FL <= n; i += FL)
            FloatVector.fromArray(FS, x, s + i).fma(av, FloatVector.fromArray(FS, y, d + i)).intoArray(y, d + i);
        for (; i < n; i++) y[d + i] += a * x[s + i];
    }

    @Override
    public void axpyD(double a, double[] x, int s, double[] y, int d, int n) {
        DoubleVector av = DoubleVector.broadcast(DS, a);
        int i = 0;
        for (; i + DL <= n; i += DL)
            DoubleVector.fromArray(DS, x, s + i).fma(av, DoubleVector.fromArray(DS, y, d + i)).intoArray(y, d + i);
        for (; i < n; i++) y[d + i] += a * x[s + i];
    }

    @Override
    public float dotRowsF(float[] a, int[] ar, float[] b, int[] br, int rows, int n) {
        if (n < FL) return Depthwise.SCALAR_ROWS.dotRowsF(a, ar, b, br, rows, n);
        // As dotRows3F, for one tap: row by row, the whole vectors in pairs into two accumulators added
        // to the lanes' running sum in memory at the row's end, then the odd whole vector, then the rest
        // (the row's last whole vector, the lanes counted before zeroed after the product). Only the
        // inner loop carries vectors (C2 on JDK 17 boxes one carried through nested loops). The order
        // depends only on the shapes.
        float[] sums = new float[FL];
        int pairs = n / (2 * FL), odd = (n / FL) % 2 == 1 ? pairs * 2 * FL : -1, tail = n % FL != 0 ? n - FL : -1;
        VectorMask<Float> rest = REST_F[n % FL];
        FloatVector z = FloatVector.zero(FS);
        for (int r = 0; r < rows; r++) {
            int as = ar[r], bs = br[r];
            FloatVector s0 = z, s1 = z;
            for (int c = 0, i = 0; c < pairs; c++, i += 2 * FL) {
                s0 = FloatVector.fromArray(FS, a, as + i).fma(FloatVector.fromArray(FS, b, bs + i), s0);
                s1 = FloatVector.fromArray(FS, a, as + i + FL).fma(FloatVector.fromArray(FS, b, bs + i + FL), s1);
            }
            FloatVector.fromArray(FS, sums, 0).add(s0.add(s1)).intoArray(sums, 0);
            if (odd >= 0)
                FloatVector.fromArray(FS, a, as + odd).fma(FloatVector.fromArray(FS, b, bs + odd), FloatVector.fromArray(FS, sums, 0)).intoArray(sums, 0);
            if (tail >= 0) {
                FloatVector p = FloatVector.fromArray(FS, a, as + tail).mul(FloatVector.fromArray(FS, b, bs + tail));
                FloatVector.fromArray(FS, sums, 0).add(z.blend(p, rest)).intoArray(sums, 0);
            }
        }
        // Lanes summed in order, not by reduceLanes (whose order may differ between interpreter and compiled code).
        float sum = 0f;
        for (float v : sums) sum += v;
        return sum;
    }

    @Override
    public double dotRowsD(double[] a, int[] ar, double[] b, int[] br, int rows, int n) {
        if (n < DL) return Depthwise.SCALAR_ROWS.dotRowsD(a, ar, b, br, rows, n);
        // As dotRows3F, for one tap: row by row, the whole vectors in pairs into two accumulators added
        // to the lanes' running sum in memory at the row's end, then the odd whole vector, then the rest
        // (the row's last whole vector, the lanes counted before zeroed after the product). Only the
        // inner loop carries vectors (C2 on JDK 17 boxes one carried through nested loops). The order
        // depends only on the shapes.
        double[] sums = new double[DL];
        int pairs = n / (2 * DL), odd = (n / DL) % 2 == 1 ? pairs * 2 * DL : -1, tail = n % DL != 0 ? n - DL : -1;
        VectorMask<Double> rest = REST_D[n % DL];
        DoubleVector z = DoubleVector.zero(DS);
        for (int r = 0; r < rows; r++) {
            int as = ar[r], bs = br[r];
            DoubleVector s0 = z, s1 = z;
            for (int c = 0, i = 0; c < pairs; c++, i += 2 * DL) {
                s0 = DoubleVector.fromArray(DS, a, as + i).fma(DoubleVector.fromArray(DS, b, bs + i), s0);
                s1 = DoubleVector.fromArray(DS, a, as + i + DL).fma(DoubleVector.fromArray(DS, b, bs + i + DL), s1);
            }
            DoubleVector.fromArray(DS, sums, 0).add(s0.add(s1)).intoArray(sums, 0);
            if (odd >= 0)
                DoubleVector.fromArray(DS, a, as + odd).fma(DoubleVector.fromArray(DS, b, bs + odd), DoubleVector.fromArray(DS, sums, 0)).intoArray(sums, 0);
            if (tail >= 0) {
                DoubleVector p = DoubleVector.fromArray(DS, a, as + tail).mul(DoubleVector.fromArray(DS, b, bs + tail));
                DoubleVector.fromArray(DS, sums, 0).add(z.blend(p, rest)).intoArray(sums, 0);
            }
        }
        // Lanes summed in order, not by reduceLanes (whose order may differ between interpreter and compiled code).
        double sum = 0.0;
        for (double v : sums) sum += v;
        return sum;
    }

    @Override
    public void dotRows3F(float[] a, int[] ar, float[] b, int[] br, int rows, int n, int dx, float[] out) {
        if (n < FL || rows == 0) {
            Depthwise.SCALAR_ROWS.dotRows3F(a, ar, b, br, rows, n, dx, out);
            return;
        }
        // The whole vectors of all rows as one flat sequence of steps (row by row, left to right),
        // alternately into two sets of three accumulators (to hide the FMA latency), in one loop:
        // a vector carried through nested loops is boxed on every step by C2 on JDK 17, and a loop
        // per row would pay its set-up on every row. Then the rows' rests (each the row's last whole
        // vector with the lanes counted before zeroed after the product, so that an infinite value
        // there cannot turn into NaN) into a third set, row by row. The three sets are added, then
        // their lanes in order. The order depends only on the shapes.
        int nv = n / FL, rowEnd = nv * FL, steps = rows * nv, dx2 = 2 * dx;
        FloatVector z = FloatVector.zero(FS), p0 = z, p1 = z, p2 = z, q0 = z, q1 = z, q2 = z;
        int r = 0, i = 0, as = ar[0], bs = br[0], k = 0;
        for (; k + 1 < steps; k += 2) {
            FloatVector g = FloatVector.fromArray(FS, a, as + i);
            int m = bs + i;
            p0 = FloatVector.fromArray(FS, b, m).fma(g, p0);
            p1 = FloatVector.fromArray(FS, b, m + dx).fma(g, p1);
            p2 = FloatVector.fromArray(FS, b, m + dx2).fma(g, p2);
            i += FL;
            if (i == rowEnd) {
                i = 0;
                if (++r < rows) { as = ar[r]; bs = br[r]; }
            }
            FloatVector h = FloatVector.fromArray(FS, a, as + i);
            m = bs + i;
            q0 = FloatVector.fromArray(FS, b, m).fma(h, q0);
            q1 = FloatVector.fromArray(FS, b, m + dx).fma(h, q1);
            q2 = FloatVector.fromArray(FS, b, m + dx2).fma(h, q2);
            i += FL;
            if (i == rowEnd) {
                i = 0;
                if (++r < rows) { as = ar[r]; bs = br[r]; }
            }
        }
        if (k < steps) {
            FloatVector g = FloatVector.fromArray(FS, a, as + i);
            int m = bs + i;
            p0 = FloatVector.fromArray(FS, b, m).fma(g, p0);
            p1 = FloatVector.fromArray(FS, b, m + dx).fma(g, p1);
            p2 = FloatVector.fromArray(FS, b, m + dx2).fma(g, p2);
        }
        FloatVector t0 = z, t1 = z, t2 = z;
        if (n % FL != 0) {
            VectorMask<Float> rest = REST_F[n % FL];
            int tail = n - FL;
            for (r = 0; r < rows; r++) {
                FloatVector g = FloatVector.fromArray(FS, a, ar[r] + tail);
                int m = br[r] + tail;
                t0 = t0.add(z.blend(FloatVector.fromArray(FS, b, m).mul(g), rest));
                t1 = t1.add(z.blend(FloatVector.fromArray(FS, b, m + dx).mul(g), rest));
                t2 = t2.add(z.blend(FloatVector.fromArray(FS, b, m + dx2).mul(g), rest));
            }
        }
        // Lanes summed in order, not by reduceLanes (whose order may differ between interpreter and compiled code).
        float[] sums = new float[3 * FL];
        p0.add(q0).add(t0).intoArray(sums, 0);
        p1.add(q1).add(t1).intoArray(sums, FL);
        p2.add(q2).add(t2).intoArray(sums, 2 * FL);
        for (int j = 0; j < 3; j++) {
            float sum = 0f;
            for (int e = 0; e < FL; e++) sum += sums[j * FL + e];
            out[j] = sum;
        }
    }

    @Override
    public void dotRows3D(double[] a, int[] ar, double[] b, int[] br, int rows, int n, int dx, double[] out) {
        if (n < DL || rows == 0) {
            Depthwise.SCALAR_ROWS.dotRows3D(a, ar, b, br, rows, n, dx, out);
            return;
        }
        // The whole vectors of all rows as one flat sequence of steps (row by row, left to right),
        // alternately into two sets of three accumulators (to hide the FMA latency), in one loop:
        // a vector carried through nested loops is boxed on every step by C2 on JDK 17, and a loop
        // per row would pay its set-up on every row. Then the rows' rests (each the row's last whole
        // vector with the lanes counted before zeroed after the product, so that an infinite value
        // there cannot turn into NaN) into a third set, row by row. The three sets are added, then
        // their lanes in order. The order depends only on the shapes.
        int nv = n / DL, rowEnd = nv * DL, steps = rows * nv, dx2 = 2 * dx;
        DoubleVector z = DoubleVector.zero(DS), p0 = z, p1 = z, p2 = z, q0 = z, q1 = z, q2 = z;
        int r = 0, i = 0, as = ar[0], bs = br[0], k = 0;
        for (; k + 1 < steps; k += 2) {
            DoubleVector g = DoubleVector.fromArray(DS, a, as + i);
            int m = bs + i;
            p0 = DoubleVector.fromArray(DS, b, m).fma(g, p0);
            p1 = DoubleVector.fromArray(DS, b, m + dx).fma(g, p1);
            p2 = DoubleVector.fromArray(DS, b, m + dx2).fma(g, p2);
            i += DL;
            if (i == rowEnd) {
                i = 0;
                if (++r < rows) { as = ar[r]; bs = br[r]; }
            }
            DoubleVector h = DoubleVector.fromArray(DS, a, as + i);
            m = bs + i;
            q0 = DoubleVector.fromArray(DS, b, m).fma(h, q0);
            q1 = DoubleVector.fromArray(DS, b, m + dx).fma(h, q1);
            q2 = DoubleVector.fromArray(DS, b, m + dx2).fma(h, q2);
            i += DL;
            if (i == rowEnd) {
                i = 0;
                if (++r < rows) { as = ar[r]; bs = br[r]; }
            }
        }
        if (k < steps) {
            DoubleVector g = DoubleVector.fromArray(DS, a, as + i);
            int m = bs + i;
            p0 = DoubleVector.fromArray(DS, b, m).fma(g, p0);
            p1 = DoubleVector.fromArray(DS, b, m + dx).fma(g, p1);
            p2 = DoubleVector.fromArray(DS, b, m + dx2).fma(g, p2);
        }
        DoubleVector t0 = z, t1 = z, t2 = z;
        if (n % DL != 0) {
            VectorMask<Double> rest = REST_D[n % DL];
            int tail = n - DL;
            for (r = 0; r < rows; r++) {
                DoubleVector g = DoubleVector.fromArray(DS, a, ar[r] + tail);
                int m = br[r] + tail;
                t0 = t0.add(z.blend(DoubleVector.fromArray(DS, b, m).mul(g), rest));
                t1 = t1.add(z.blend(DoubleVector.fromArray(DS, b, m + dx).mul(g), rest));
                t2 = t2.add(z.blend(DoubleVector.fromArray(DS, b, m + dx2).mul(g), rest));
            }
        }
        // Lanes summed in order, not by reduceLanes (whose order may differ between interpreter and compiled code).
        double[] sums = new double[3 * DL];
        p0.add(q0).add(t0).intoArray(sums, 0);
        p1.add(q1).add(t1).intoArray(sums, DL);
        p2.add(q2).add(t2).intoArray(sums, 2 * DL);
        for (int j = 0; j < 3; j++) {
            double sum = 0.0;
            for (int e = 0; e < DL; e++) sum += sums[j * DL + e];
            out[j] = sum;
        }
    }

    @Override
    public void stencil3x3TwoRowsF(float[] x, int x0, int ld, int dx, float[] w, int w0, int wRow, int wstep, float init, boolean acc,
                                   float[] out, int oA, int oB, int n) {
        if (n < FL) {
            Depthwise.Rows.super.stencil3x3TwoRowsF(x, x0, ld, dx, w, w0, wRow, wstep, init, acc, out, oA, oB, n);
            return;
        }
        // Four input rows loaded once for the two output rows (12 loads for 18 multiply-adds instead
        // of 18); each output's additions in the order of stencilF with rows (r, r + 1, r + 2). The last
        // vector overlaps the one before, as in stencilF (its start read before any store).
        int lastAt = n - FL, r0 = x0, r1 = x0 + ld, r2 = x0 + 2 * ld, r3 = x0 + 3 * ld, dx2 = 2 * dx;
        FloatVector initV = FloatVector.broadcast(FS, init);
        FloatVector lastA = acc ? FloatVector.fromArray(FS, out, oA + lastAt) : initV, lastB = acc ? FloatVector.fromArray(FS, out, oB + lastAt) : initV;
        FloatVector a0 = FloatVector.broadcast(FS, w[w0]), a1 = FloatVector.broadcast(FS, w[w0 + wstep]), a2 = FloatVector.broadcast(FS, w[w0 + 2 * wstep]);
        int w1 = w0 + wRow, w2 = w0 + 2 * wRow;
        FloatVector b0 = FloatVector.broadcast(FS, w[w1]), b1 = FloatVector.broadcast(FS, w[w1 + wstep]), b2 = FloatVector.broadcast(FS, w[w1 + 2 * wstep]);
        FloatVector c0 = FloatVector.broadcast(FS, w[w2]), c1 = FloatVector.broadcast(FS, w[w2 + wstep]), c2 = FloatVector.broadcast(FS, w[w2 + 2 * wstep]);
        for (int i = 0; ; i += FL) {
            boolean last = i >= lastAt;
            if (last) i = lastAt;
            FloatVector sA = !acc ? initV : last ? lastA : FloatVector.fromArray(FS, out, oA + i);
            FloatVector sB = !acc ? initV : last ? lastB : FloatVector.fromArray(FS, out, oB + i);
            FloatVector v = FloatVector.fromArray(FS, x, r0 + i);
            sA = v.fma(a0, sA);
            v = FloatVector.fromArray(FS, x, r0 + i + dx);
            sA = v.fma(a1, sA);
            v = FloatVector.fromArray(FS, x, r0 + i + dx2);
            sA = v.fma(a2, sA);
            v = FloatVector.fromArray(FS, x, r1 + i);
            sA = v.fma(b0, sA);
            sB = v.fma(a0, sB);
            v = FloatVector.fromArray(FS, x, r1 + i + dx);
            sA = v.fma(b1, sA);
            sB = v.fma(a1, sB);
            v = FloatVector.fromArray(FS, x, r1 + i + dx2);
            sA = v.fma(b2, sA);
            sB = v.fma(a2, sB);
            v = FloatVector.fromArray(FS, x, r2 + i);
            sA = v.fma(c0, sA);
            sB = v.fma(b0, sB);
            v = FloatVector.fromArray(FS, x, r2 + i + dx);
            sA = v.fma(c1, sA);
            sB = v.fma(b1, sB);
            v = FloatVector.fromArray(FS, x, r2 + i + dx2);
            sA = v.fma(c2, sA);
            sB = v.fma(b2, sB);
            v = FloatVector.fromArray(FS, x, r3 + i);
            sB = v.fma(c0, sB);
            v = FloatVector.fromArray(FS, x, r3 + i + dx);
            sB = v.fma(c1, sB);
            v = FloatVector.fromArray(FS, x, r3 + i + dx2);
            sB = v.fma(c2, sB);
            sA.intoArray(out, oA + i);
            sB.intoArray(out, oB + i);
            if (last) return;
        }
    }

    @Override
    public void stencil3x3TwoRowsD(double[] x, int x0, int ld, int dx, double[] w, int w0, int wRow, int wstep, double init, boolean acc,
                                   double[] out, int oA, int oB, int n) {
        if (n < DL) {
            Depthwise.Rows.super.stencil3x3TwoRowsD(x, x0, ld, dx, w, w0, wRow, wstep, init, acc, out, oA, oB, n);
            return;
        }
        // Four input rows loaded once for the two output rows (12 loads for 18 multiply-adds instead
        // of 18); each output's additions in the order of stencilD with rows (r, r + 1, r + 2). The last
        // vector overlaps the one before, as in stencilD (its start read before any store).
        int lastAt = n - DL, r0 = x0, r1 = x0 + ld, r2 = x0 + 2 * ld, r3 = x0 + 3 * ld, dx2 = 2 * dx;
        DoubleVector initV = DoubleVector.broadcast(DS, init);
        DoubleVector lastA = acc ? DoubleVector.fromArray(DS, out, oA + lastAt) : initV, lastB = acc ? DoubleVector.fromArray(DS, out, oB + lastAt) : initV;
        DoubleVector a0 = DoubleVector.broadcast(DS, w[w0]), a1 = DoubleVector.broadcast(DS, w[w0 + wstep]), a2 = DoubleVector.broadcast(DS, w[w0 + 2 * wstep]);
        int w1 = w0 + wRow, w2 = w0 + 2 * wRow;
        DoubleVector b0 = DoubleVector.broadcast(DS, w[w1]), b1 = DoubleVector.broadcast(DS, w[w1 + wstep]), b2 = DoubleVector.broadcast(DS, w[w1 + 2 * wstep]);
        DoubleVector c0 = DoubleVector.broadcast(DS, w[w2]), c1 = DoubleVector.broadcast(DS, w[w2 + wstep]), c2 = DoubleVector.broadcast(DS, w[w2 + 2 * wstep]);
        for (int i = 0; ; i += DL) {
            boolean last = i >= lastAt;
            if (last) i = lastAt;
            DoubleVector sA = !acc ? initV : last ? lastA : DoubleVector.fromArray(DS, out, oA + i);
            DoubleVector sB = !acc ? initV : last ? lastB : DoubleVector.fromArray(DS, out, oB + i);
            DoubleVector v = DoubleVector.fromArray(DS, x, r0 + i);
            sA = v.fma(a0, sA);
            v = DoubleVector.fromArray(DS, x, r0 + i + dx);
            sA = v.fma(a1, sA);
            v = DoubleVector.fromArray(DS, x, r0 + i + dx2);
            sA = v.fma(a2, sA);
            v = DoubleVector.fromArray(DS, x, r1 + i);
            sA = v.fma(b0, sA);
            sB = v.fma(a0, sB);
            v = DoubleVector.fromArray(DS, x, r1 + i + dx);
            sA = v.fma(b1, sA);
            sB = v.fma(a1, sB);
            v = DoubleVector.fromArray(DS, x, r1 + i + dx2);
            sA = v.fma(b2, sA);
            sB = v.fma(a2, sB);
            v = DoubleVector.fromArray(DS, x, r2 + i);
            sA = v.fma(c0, sA);
            sB = v.fma(b0, sB);
            v = DoubleVector.fromArray(DS, x, r2 + i + dx);
            sA = v.fma(c1, sA);
            sB = v.fma(b1, sB);
            v = DoubleVector.fromArray(DS, x, r2 + i + dx2);
            sA = v.fma(c2, sA);
            sB = v.fma(b2, sB);
            v = DoubleVector.fromArray(DS, x, r3 + i);
            sB = v.fma(c0, sB);
            v = DoubleVector.fromArray(DS, x, r3 + i + dx);
            sB = v.fma(c1, sB);
            v = DoubleVector.fromArray(DS, x, r3 + i + dx2);
            sB = v.fma(c2, sB);
            sA.intoArray(out, oA + i);
            sB.intoArray(out, oB + i);
            if (last) return;
        }
    }

    @Override
    public void stencilF(float[] x, int[] xr, float[] w, int[] wr, int rows, int kw, int dx, int wstep, float init, boolean acc,
                         float[] out, int o, int n) {
        if (n < FL) {
            Depthwise.SCALAR_ROWS.stencilF(x, xr, w, wr, rows, kw, dx, wstep, init, acc, out, o, n);
            return;
        }
        // Whole vectors only: the last one ends at n and overlaps the one before, which is harmless as
        // it starts from out's values before this row's stores (loaded first) and gets the same bits.
        // The taps are written out here, not in a helper: a helper compiled on its own with boxed
        // vectors is too large to be inlined later.
        int lastAt = n - FL;
        // Never null: a vector that may be null is boxed.
        FloatVector initV = FloatVector.broadcast(FS, init), lastInit = acc ? FloatVector.fromArray(FS, out, o + lastAt) : initV;
        if (kw == 3 && rows == 3) {
            int x0 = xr[0], x1 = xr[1], x2 = xr[2];
            FloatVector a0 = FloatVector.broadcast(FS, w[wr[0]]), a1 = FloatVector.broadcast(FS, w[wr[0] + wstep]), a2 = FloatVector.broadcast(FS, w[wr[0] + 2 * wstep]);
            FloatVector b0 = FloatVector.broadcast(FS, w[wr[1]]), b1 = FloatVector.broadcast(FS, w[wr[1] + wstep]), b2 = FloatVector.broadcast(FS, w[wr[1] + 2 * wstep]);
            FloatVector c0 = FloatVector.broadcast(FS, w[wr[2]]), c1 = FloatVector.broadcast(FS, w[wr[2] + wstep]), c2 = FloatVector.broadcast(FS, w[wr[2] + 2 * wstep]);
            for (int i = 0; ; i += FL) {
                boolean last = i >= lastAt;
                if (last) i = lastAt;
                FloatVector s = !acc ? initV : last ? lastInit : FloatVector.fromArray(FS, out, o + i);
                s = FloatVector.fromArray(FS, x, x0 + i).fma(a0, s);
                s = FloatVector.fromArray(FS, x, x0 + i + dx).fma(a1, s);
                s = FloatVector.fromArray(FS, x, x0 + i + 2 * dx).fma(a2, s);
                s = FloatVector.fromArray(FS, x, x1 + i).fma(b0, s);
                s = FloatVector.fromArray(FS, x, x1 + i + dx).fma(b1, s);
                s = FloatVector.fromArray(FS, x, x1 + i + 2 * dx).fma(b2, s);
                s = FloatVector.fromArray(FS, x, x2 + i).fma(c0, s);
                s = FloatVector.fromArray(FS, x, x2 + i + dx).fma(c1, s);
                s = FloatVector.fromArray(FS, x, x2 + i + 2 * dx).fma(c2, s);
                s.intoArray(out, o + i);
                if (last) return;
            }
        }
        for (int i = 0; ; i += FL) {
            boolean last = i >= lastAt;
            if (last) i = lastAt;
            FloatVector s = !acc ? initV : last ? lastInit : FloatVector.fromArray(FS, out, o + i);
            for (int r = 0; r < rows; r++) {
                int xb = xr[r] + i, wb = wr[r];
                for (int j = 0; j < kw; j++) s = FloatVector.fromArray(FS, x, xb + j * dx).fma(FloatVector.broadcast(FS, w[wb + j * wstep]), s);
            }
            s.intoArray(out, o + i);
            if (last) return;
        }
    }

    @Override
    public void stencilD(double[] x, int[] xr, double[] w, int[] wr, int rows, int kw, int dx, int wstep, double init, boolean acc,
                         double[] out, int o, int n) {
        if (n < DL) {
            Depthwise.SCALAR_ROWS.stencilD(x, xr, w, wr, rows, kw, dx, wstep, init, acc, out, o, n);
            return;
        }
        // Whole vectors only: the last one ends at n and overlaps the one before, which is harmless as
        // it starts from out's values before this row's stores (loaded first) and gets the same bits.
        // The taps are written out here, not in a helper: a helper compiled on its own with boxed
        // vectors is too large to be inlined later.
        int lastAt = n - DL;
        // Never null: a vector that may be null is boxed.
        DoubleVector initV = DoubleVector.broadcast(DS, init), lastInit = acc ? DoubleVector.fromArray(DS, out, o + lastAt) : initV;
        if (kw == 3 && rows == 3) {
            int x0 = xr[0], x1 = xr[1], x2 = xr[2];
            DoubleVector a0 = DoubleVector.broadcast(DS, w[wr[0]]), a1 = DoubleVector.broadcast(DS, w[wr[0] + wstep]), a2 = DoubleVector.broadcast(DS, w[wr[0] + 2 * wstep]);
            DoubleVector b0 = DoubleVector.broadcast(DS, w[wr[1]]), b1 = DoubleVector.broadcast(DS, w[wr[1] + wstep]), b2 = DoubleVector.broadcast(DS, w[wr[1] + 2 * wstep]);
            DoubleVector c0 = DoubleVector.broadcast(DS, w[wr[2]]), c1 = DoubleVector.broadcast(DS, w[wr[2] + wstep]), c2 = DoubleVector.broadcast(DS, w[wr[2] + 2 * wstep]);
            for (int i = 0; ; i += DL) {
                boolean last = i >= lastAt;
                if (last) i = lastAt;
                DoubleVector s = !acc ? initV : last ? lastInit : DoubleVector.fromArray(DS, out, o + i);
                s = DoubleVector.fromArray(DS, x, x0 + i).fma(a0, s);
                s = DoubleVector.fromArray(DS, x, x0 + i + dx).fma(a1, s);
                s = DoubleVector.fromArray(DS, x, x0 + i + 2 * dx).fma(a2, s);
                s = DoubleVector.fromArray(DS, x, x1 + i).fma(b0, s);
                s = DoubleVector.fromArray(DS, x, x1 + i + dx).fma(b1, s);
                s = DoubleVector.fromArray(DS, x, x1 + i + 2 * dx).fma(b2, s);
                s = DoubleVector.fromArray(DS, x, x2 + i).fma(c0, s);
                s = DoubleVector.fromArray(DS, x, x2 + i + dx).fma(c1, s);
                s = DoubleVector.fromArray(DS, x, x2 + i + 2 * dx).fma(c2, s);
                s.intoArray(out, o + i);
                if (last) return;
            }
        }
        for (int i = 0; ; i += DL) {
            boolean last = i >= lastAt;
            if (last) i = lastAt;
            DoubleVector s = !acc ? initV : last ? lastInit : DoubleVector.fromArray(DS, out, o + i);
            for (int r = 0; r < rows; r++) {
                int xb = xr[r] + i, wb = wr[r];
                for (int j = 0; j < kw; j++) s = DoubleVector.fromArray(DS, x, xb + j * dx).fma(DoubleVector.broadcast(DS, w[wb + j * wstep]), s);
            }
            s.intoArray(out, o + i);
            if (last) return;
        }
    }

}
