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
        // Two accumulators hide the FMA latency; the order of the additions depends only on the shapes.
        if (n < FL) return Depthwise.SCALAR_ROWS.dotRowsF(a, ar, b, br, rows, n);
        FloatVector s0 = FloatVector.zero(FS), s1 = FloatVector.zero(FS);
        VectorMask<Float> rest = FS.indexInRange(n % FL, FL).not(); // lanes >= FL - n % FL
        for (int r = 0; r < rows; r++) {
            int as = ar[r], bs = br[r], i = 0;
            for (; i + 2 * FL <= n; i += 2 * FL) {
                s0 = FloatVector.fromArray(FS, a, as + i).fma(FloatVector.fromArray(FS, b, bs + i), s0);
                s1 = FloatVector.fromArray(FS, a, as + i + FL).fma(FloatVector.fromArray(FS, b, bs + i + FL), s1);
            }
            if (i + FL <= n) {
                s0 = FloatVector.fromArray(FS, a, as + i).fma(FloatVector.fromArray(FS, b, bs + i), s0);
                i += FL;
            }
            if (i < n) {
                // The rest as the last whole vector of the row with its first lanes (counted above) zeroed.
                FloatVector p = FloatVector.fromArray(FS, a, as + n - FL).mul(FloatVector.fromArray(FS, b, bs + n - FL));
                s1 = s1.add(FloatVector.zero(FS).blend(p, rest));
            }
        }
        // Lanes summed in order, not by reduceLanes (whose order may differ between interpreter and compiled code).
        float[] lanes = new float[FL];
        s0.add(s1).intoArray(lanes, 0);
        float sum = 0f;
        for (float v : lanes) sum += v;
        return sum;
    }

    @Override
    public double dotRowsD(double[] a, int[] ar, double[] b, int[] br, int rows, int n) {
        // Two accumulators hide the FMA latency; the order of the additions depends only on the shapes.
        if (n < DL) return Depthwise.SCALAR_ROWS.dotRowsD(a, ar, b, br, rows, n);
        DoubleVector s0 = DoubleVector.zero(DS), s1 = DoubleVector.zero(DS);
        VectorMask<Double> rest = DS.indexInRange(n % DL, DL).not(); // lanes >= DL - n % DL
        for (int r = 0; r < rows; r++) {
            int as = ar[r], bs = br[r], i = 0;
            for (; i + 2 * DL <= n; i += 2 * DL) {
                s0 = DoubleVector.fromArray(DS, a, as + i).fma(DoubleVector.fromArray(DS, b, bs + i), s0);
                s1 = DoubleVector.fromArray(DS, a, as + i + DL).fma(DoubleVector.fromArray(DS, b, bs + i + DL), s1);
            }
            if (i + DL <= n) {
                s0 = DoubleVector.fromArray(DS, a, as + i).fma(DoubleVector.fromArray(DS, b, bs + i), s0);
                i += DL;
            }
            if (i < n) {
                // The rest as the last whole vector of the row with its first lanes (counted above) zeroed.
                DoubleVector p = DoubleVector.fromArray(DS, a, as + n - DL).mul(DoubleVector.fromArray(DS, b, bs + n - DL));
                s1 = s1.add(DoubleVector.zero(DS).blend(p, rest));
            }
        }
        // Lanes summed in order, not by reduceLanes (whose order may differ between interpreter and compiled code).
        double[] lanes = new double[DL];
        s0.add(s1).intoArray(lanes, 0);
        double sum = 0.0;
        for (double v : lanes) sum += v;
        return sum;
    }

    @Override
    public void stencilF(float[] x, int[] xr, float[] w, int[] wr, int rows, int kw, int dx, int wstep, float init, boolean acc,
                         float[] out, int o, int n) {
        if (n < FL) {
            Depthwise.SCALAR_ROWS.stencilF(x, xr, w, wr, rows, kw, dx, wstep, init, acc, out, o, n);
            return;
        }
        // Whole vectors only: the last one ends at n and overlaps the one before, which is harmless as
        // it starts from out's values before this row's stores (kept aside) and gets the same bits.
        // The taps are written out here, not in a helper: a helper compiled on its own with boxed
        // vectors is too large to be inlined later.
        int lastAt = n - FL;
        float[] lastInit = null;
        if (acc) lastInit = java.util.Arrays.copyOfRange(out, o + lastAt, o + n);
        FloatVector initV = FloatVector.broadcast(FS, init);
        if (kw == 3 && rows == 3) {
            int x0 = xr[0], x1 = xr[1], x2 = xr[2];
            FloatVector a0 = FloatVector.broadcast(FS, w[wr[0]]), a1 = FloatVector.broadcast(FS, w[wr[0] + wstep]), a2 = FloatVector.broadcast(FS, w[wr[0] + 2 * wstep]);
            FloatVector b0 = FloatVector.broadcast(FS, w[wr[1]]), b1 = FloatVector.broadcast(FS, w[wr[1] + wstep]), b2 = FloatVector.broadcast(FS, w[wr[1] + 2 * wstep]);
            FloatVector c0 = FloatVector.broadcast(FS, w[wr[2]]), c1 = FloatVector.broadcast(FS, w[wr[2] + wstep]), c2 = FloatVector.broadcast(FS, w[wr[2] + 2 * wstep]);
            for (int i = 0; ; i += FL) {
                boolean last = i >= lastAt;
                if (last) i = lastAt;
                FloatVector s = !acc ? initV : last ? FloatVector.fromArray(FS, lastInit, 0) : FloatVector.fromArray(FS, out, o + i);
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
            FloatVector s = !acc ? initV : last ? FloatVector.fromArray(FS, lastInit, 0) : FloatVector.fromArray(FS, out, o + i);
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
        // it starts from out's values before this row's stores (kept aside) and gets the same bits.
        // The taps are written out here, not in a helper: a helper compiled on its own with boxed
        // vectors is too large to be inlined later.
        int lastAt = n - DL;
        double[] lastInit = null;
        if (acc) lastInit = java.util.Arrays.copyOfRange(out, o + lastAt, o + n);
        DoubleVector initV = DoubleVector.broadcast(DS, init);
        if (kw == 3 && rows == 3) {
            int x0 = xr[0], x1 = xr[1], x2 = xr[2];
            DoubleVector a0 = DoubleVector.broadcast(DS, w[wr[0]]), a1 = DoubleVector.broadcast(DS, w[wr[0] + wstep]), a2 = DoubleVector.broadcast(DS, w[wr[0] + 2 * wstep]);
            DoubleVector b0 = DoubleVector.broadcast(DS, w[wr[1]]), b1 = DoubleVector.broadcast(DS, w[wr[1] + wstep]), b2 = DoubleVector.broadcast(DS, w[wr[1] + 2 * wstep]);
            DoubleVector c0 = DoubleVector.broadcast(DS, w[wr[2]]), c1 = DoubleVector.broadcast(DS, w[wr[2] + wstep]), c2 = DoubleVector.broadcast(DS, w[wr[2] + 2 * wstep]);
            for (int i = 0; ; i += DL) {
                boolean last = i >= lastAt;
                if (last) i = lastAt;
                DoubleVector s = !acc ? initV : last ? DoubleVector.fromArray(DS, lastInit, 0) : DoubleVector.fromArray(DS, out, o + i);
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
            DoubleVector s = !acc ? initV : last ? DoubleVector.fromArray(DS, lastInit, 0) : DoubleVector.fromArray(DS, out, o + i);
            for (int r = 0; r < rows; r++) {
                int xb = xr[r] + i, wb = wr[r];
                for (int j = 0; j < kw; j++) s = DoubleVector.fromArray(DS, x, xb + j * dx).fma(DoubleVector.broadcast(DS, w[wb + j * wstep]), s);
            }
            s.intoArray(out, o + i);
            if (last) return;
        }
    }

}
