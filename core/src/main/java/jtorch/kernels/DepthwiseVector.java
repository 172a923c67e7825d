package jtorch.kernels;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
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
        FloatVector s0 = FloatVector.zero(FS), s1 = FloatVector.zero(FS);
        float tail = 0f;
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
            for (; i < n; i++) tail += a[as + i] * b[bs + i];
        }
        // Lanes summed in order, not by reduceLanes (whose order may differ between interpreter and compiled code).
        float[] lanes = new float[FL];
        s0.add(s1).intoArray(lanes, 0);
        float sum = tail;
        for (float v : lanes) sum += v;
        return sum;
    }

    @Override
    public double dotRowsD(double[] a, int[] ar, double[] b, int[] br, int rows, int n) {
        // Two accumulators hide the FMA latency; the order of the additions depends only on the shapes.
        DoubleVector s0 = DoubleVector.zero(DS), s1 = DoubleVector.zero(DS);
        double tail = 0.0;
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
            for (; i < n; i++) tail += a[as + i] * b[bs + i];
        }
        // Lanes summed in order, not by reduceLanes (whose order may differ between interpreter and compiled code).
        double[] lanes = new double[DL];
        s0.add(s1).intoArray(lanes, 0);
        double sum = tail;
        for (double v : lanes) sum += v;
        return sum;
    }

    @Override
    public void stencilF(float[] x, int[] xr, float[] w, int[] wr, int rows, int kw, int dx, int wstep, float init, boolean acc,
                         float[] out, int o, int n) {
        int i = 0;
        for (; i + FL <= n; i += FL) {
            FloatVector s = acc ? FloatVector.fromArray(FS, out, o + i) : FloatVector.broadcast(FS, init);
            for (int r = 0; r < rows; r++) {
                int xb = xr[r] + i, wb = wr[r];
                for (int j = 0; j < kw; j++) s = FloatVector.fromArray(FS, x, xb + j * dx).fma(FloatVector.broadcast(FS, w[wb + j * wstep]), s);
            }
            s.intoArray(out, o + i);
        }
        for (; i < n; i++) {
            float s = acc ? out[o + i] : init;
            for (int r = 0; r < rows; r++)
                for (int j = 0; j < kw; j++) s += w[wr[r] + j * wstep] * x[xr[r] + i + j * dx];
            out[o + i] = s;
        }
    }

    @Override
    public void stencilD(double[] x, int[] xr, double[] w, int[] wr, int rows, int kw, int dx, int wstep, double init, boolean acc,
                         double[] out, int o, int n) {
        int i = 0;
        for (; i + DL <= n; i += DL) {
            DoubleVector s = acc ? DoubleVector.fromArray(DS, out, o + i) : DoubleVector.broadcast(DS, init);
            for (int r = 0; r < rows; r++) {
                int xb = xr[r] + i, wb = wr[r];
                for (int j = 0; j < kw; j++) s = DoubleVector.fromArray(DS, x, xb + j * dx).fma(DoubleVector.broadcast(DS, w[wb + j * wstep]), s);
            }
            s.intoArray(out, o + i);
        }
        for (; i < n; i++) {
            double s = acc ? out[o + i] : init;
            for (int r = 0; r < rows; r++)
                for (int j = 0; j < kw; j++) s += w[wr[r] + j * wstep] * x[xr[r] + i + j * dx];
            out[o + i] = s;
        }
    }
}
