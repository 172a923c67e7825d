package jtorch.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link SmallConv}'s register tiles on the Vector API, vectors of the preferred width: 12
 * accumulators (4 x 3) and the operands of one step fit AVX2's 16 registers. Remainders (channels
 * or taps not filling a tile, position vectors past the last multiple of 3) run as 1 x 1 tiles of
 * the same order. Loaded reflectively by {@link SmallConv} only when {@code jdk.incubator.vector} is
 * in the boot layer. Only the inner loop carries vectors (C2 on JDK 17 boxes one carried through
 * nested loops), and no vector is passed to a helper method: the tiles' final adds are written out
 * in place, because a helper over 35 bytecodes called once per tile (not "hot") was inlined in some
 * JVMs and not in others (C2: "callee is too large"), leaving 12 boxed vectors per tile and a
 * non-intrinsic {@code intoArray} in the JVMs where it was not (the LeNet step's 41-48 against 68 ms).
 */
final class SmallConvVector implements SmallConv.Tiles {
    private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
    private static final int FL = FS.length();

    @Override public int lanes() { return FL; }

    @Override
    public void forwardF(float[] x, int[] off, int k, float[] w, int wo, float[] bias, int bo, int outC, float[] y, int pv) {
        int nv = pv / FL, o = 0;
        for (; o + 4 <= outC; o += 4) {
            int v = 0;
            for (; v + 3 <= nv; v += 3) forward4x3(x, off, k, w, wo + o * k, bias, bo + o, y, o * pv + v * FL, v * FL, pv);
            // Two leftover vectors (LeNet conv 2's 17 at 256 bits) as one 4 x 2 tile: eight chains of
            // multiply-adds instead of two tiles of four (each latency-bound).
            if (v + 2 == nv) { forward4x2(x, off, k, w, wo + o * k, bias, bo + o, y, o * pv + v * FL, v * FL, pv); v += 2; }
            for (; v < nv; v++) forward4x1(x, off, k, w, wo + o * k, bias, bo + o, y, o * pv + v * FL, v * FL, pv);
        }
        for (; o < outC; o++)
            for (int v = 0; v < nv; v++) forward1x1(x, off, k, w, wo + o * k, bias, bo + o, y, o * pv + v * FL, v * FL);
    }

    private static void forward4x3(float[] x, int[] off, int k, float[] w, int wb, float[] bias, int bo, float[] y, int yo, int p, int pv) {
        FloatVector a00, a01, a02, a10, a11, a12, a20, a21, a22, a30, a31, a32;
        if (bias == null) {
            a00 = a01 = a02 = a10 = a11 = a12 = a20 = a21 = a22 = a30 = a31 = a32 = FloatVector.zero(FS);
        } else {
            a00 = a01 = a02 = FloatVector.broadcast(FS, bias[bo]);
            a10 = a11 = a12 = FloatVector.broadcast(FS, bias[bo + 1]);
            a20 = a21 = a22 = FloatVector.broadcast(FS, bias[bo + 2]);
            a30 = a31 = a32 = FloatVector.broadcast(FS, bias[bo + 3]);
        }
        for (int t = 0; t < k; t++) {
            int s = off[t] + p;
            FloatVector x0 = FloatVector.fromArray(FS, x, s), x1 = FloatVector.fromArray(FS, x, s + FL), x2 = FloatVector.fromArray(FS, x, s + 2 * FL);
            FloatVector c = FloatVector.broadcast(FS, w[wb + t]);
            a00 = x0.fma(c, a00); a01 = x1.fma(c, a01); a02 = x2.fma(c, a02);
            c = FloatVector.broadcast(FS, w[wb + k + t]);
            a10 = x0.fma(c, a10); a11 = x1.fma(c, a11); a12 = x2.fma(c, a12);
            c = FloatVector.broadcast(FS, w[wb + 2 * k + t]);
            a20 = x0.fma(c, a20); a21 = x1.fma(c, a21); a22 = x2.fma(c, a22);
            c = FloatVector.broadcast(FS, w[wb + 3 * k + t]);
            a30 = x0.fma(c, a30); a31 = x1.fma(c, a31); a32 = x2.fma(c, a32);
        }
        a00.intoArray(y, yo); a01.intoArray(y, yo + FL); a02.intoArray(y, yo + 2 * FL);
        a10.intoArray(y, yo + pv); a11.intoArray(y, yo + pv + FL); a12.intoArray(y, yo + pv + 2 * FL);
        a20.intoArray(y, yo + 2 * pv); a21.intoArray(y, yo + 2 * pv + FL); a22.intoArray(y, yo + 2 * pv + 2 * FL);
        a30.intoArray(y, yo + 3 * pv); a31.intoArray(y, yo + 3 * pv + FL); a32.intoArray(y, yo + 3 * pv + 2 * FL);
    }

    /** The 4 x 3 tile's two leftover position vectors: 4 channels x 2 vectors. */
    private static void forward4x2(float[] x, int[] off, int k, float[] w, int wb, float[] bias, int bo, float[] y, int yo, int p, int pv) {
        FloatVector a00, a01, a10, a11, a20, a21, a30, a31;
        if (bias == null) {
            a00 = a01 = a10 = a11 = a20 = a21 = a30 = a31 = FloatVector.zero(FS);
        } else {
            a00 = a01 = FloatVector.broadcast(FS, bias[bo]);
            a10 = a11 = FloatVector.broadcast(FS, bias[bo + 1]);
            a20 = a21 = FloatVector.broadcast(FS, bias[bo + 2]);
            a30 = a31 = FloatVector.broadcast(FS, bias[bo + 3]);
        }
        for (int t = 0; t < k; t++) {
            int s = off[t] + p;
            FloatVector x0 = FloatVector.fromArray(FS, x, s), x1 = FloatVector.fromArray(FS, x, s + FL);
            FloatVector c = FloatVector.broadcast(FS, w[wb + t]);
            a00 = x0.fma(c, a00); a01 = x1.fma(c, a01);
            c = FloatVector.broadcast(FS, w[wb + k + t]);
            a10 = x0.fma(c, a10); a11 = x1.fma(c, a11);
            c = FloatVector.broadcast(FS, w[wb + 2 * k + t]);
            a20 = x0.fma(c, a20); a21 = x1.fma(c, a21);
            c = FloatVector.broadcast(FS, w[wb + 3 * k + t]);
            a30 = x0.fma(c, a30); a31 = x1.fma(c, a31);
        }
        a00.intoArray(y, yo); a01.intoArray(y, yo + FL);
        a10.intoArray(y, yo + pv); a11.intoArray(y, yo + pv + FL);
        a20.intoArray(y, yo + 2 * pv); a21.intoArray(y, yo + 2 * pv + FL);
        a30.intoArray(y, yo + 3 * pv); a31.intoArray(y, yo + 3 * pv + FL);
    }

    /** The 4 x 3 tile's leftover position vectors: 4 channels, one vector (four chains of multiply-adds, not one). */
    private static void forward4x1(float[] x, int[] off, int k, float[] w, int wb, float[] bias, int bo, float[] y, int yo, int p, int pv) {
        FloatVector a0, a1, a2, a3;
        if (bias == null) {
            a0 = a1 = a2 = a3 = FloatVector.zero(FS);
        } else {
            a0 = FloatVector.broadcast(FS, bias[bo]);
            a1 = FloatVector.broadcast(FS, bias[bo + 1]);
            a2 = FloatVector.broadcast(FS, bias[bo + 2]);
            a3 = FloatVector.broadcast(FS, bias[bo + 3]);
        }
        for (int t = 0; t < k; t++) {
            FloatVector x0 = FloatVector.fromArray(FS, x, off[t] + p);
            a0 = x0.fma(FloatVector.broadcast(FS, w[wb + t]), a0);
            a1 = x0.fma(FloatVector.broadcast(FS, w[wb + k + t]), a1);
            a2 = x0.fma(FloatVector.broadcast(FS, w[wb + 2 * k + t]), a2);
            a3 = x0.fma(FloatVector.broadcast(FS, w[wb + 3 * k + t]), a3);
        }
        a0.intoArray(y, yo);
        a1.intoArray(y, yo + pv);
        a2.intoArray(y, yo + 2 * pv);
        a3.intoArray(y, yo + 3 * pv);
    }

    private static void forward1x1(float[] x, int[] off, int k, float[] w, int wb, float[] bias, int bo, float[] y, int yo, int p) {
        FloatVector a = bias == null ? FloatVector.zero(FS) : FloatVector.broadcast(FS, bias[bo]);
        for (int t = 0; t < k; t++) a = FloatVector.fromArray(FS, x, off[t] + p).fma(FloatVector.broadcast(FS, w[wb + t]), a);
        a.intoArray(y, yo);
    }

    @Override
    public void inputGradF(float[] g, int pv, int outC, float[] w, int wo, int k, int[] off, float[] xg) {
        // A tile's four taps are a quarter of the taps apart (t, t+q, t+2q, t+3q): neighbouring taps
        // (kx, kx+1) add into runs one element apart, and a load overlapping the store just before
        // it cannot be forwarded from the store buffer (a stall on every vector); a quarter apart they
        // are in other rows or planes. The order of the additions stays fixed by the shapes.
        int nv = pv / FL, q = k / 4;
        for (int t = 0; t < q; t++) {
            int v = 0;
            for (; v + 3 <= nv; v += 3) inputGrad4x3(g, pv, outC, w, wo, k, off, t, q, xg, v * FL);
            if (v + 2 == nv) { inputGrad4x2(g, pv, outC, w, wo, k, off, t, q, xg, v * FL); v += 2; }
            for (; v < nv; v++) inputGrad4x1(g, pv, outC, w, wo, k, off, t, q, xg, v * FL);
        }
        for (int t = 4 * q; t < k; t++)
            for (int v = 0; v < nv; v++) inputGrad1x1(g, pv, outC, w, wo + t, k, off[t], xg, v * FL);
    }

    /** Taps {@code t + j*q} ({@code j < 4}), position vectors at {@code p}: summed over the output channels, then added tap by tap. */
    private static void inputGrad4x3(float[] g, int pv, int outC, float[] w, int wo, int k, int[] off, int t, int q, float[] xg, int p) {
        FloatVector z = FloatVector.zero(FS);
        FloatVector a00 = z, a01 = z, a02 = z, a10 = z, a11 = z, a12 = z, a20 = z, a21 = z, a22 = z, a30 = z, a31 = z, a32 = z;
        for (int o = 0; o < outC; o++) {
            int s = o * pv + p, wr = wo + o * k + t;
            FloatVector g0 = FloatVector.fromArray(FS, g, s), g1 = FloatVector.fromArray(FS, g, s + FL), g2 = FloatVector.fromArray(FS, g, s + 2 * FL);
            FloatVector c = FloatVector.broadcast(FS, w[wr]);
            a00 = g0.fma(c, a00); a01 = g1.fma(c, a01); a02 = g2.fma(c, a02);
            c = FloatVector.broadcast(FS, w[wr + q]);
            a10 = g0.fma(c, a10); a11 = g1.fma(c, a11); a12 = g2.fma(c, a12);
            c = FloatVector.broadcast(FS, w[wr + 2 * q]);
            a20 = g0.fma(c, a20); a21 = g1.fma(c, a21); a22 = g2.fma(c, a22);
            c = FloatVector.broadcast(FS, w[wr + 3 * q]);
            a30 = g0.fma(c, a30); a31 = g1.fma(c, a31); a32 = g2.fma(c, a32);
        }
        {
            int d = off[t] + p;
            FloatVector.fromArray(FS, xg, d).add(a00).intoArray(xg, d);
            FloatVector.fromArray(FS, xg, d + FL).add(a01).intoArray(xg, d + FL);
            FloatVector.fromArray(FS, xg, d + 2 * FL).add(a02).intoArray(xg, d + 2 * FL);
        }
        {
            int d = off[t + q] + p;
            FloatVector.fromArray(FS, xg, d).add(a10).intoArray(xg, d);
            FloatVector.fromArray(FS, xg, d + FL).add(a11).intoArray(xg, d + FL);
            FloatVector.fromArray(FS, xg, d + 2 * FL).add(a12).intoArray(xg, d + 2 * FL);
        }
        {
            int d = off[t + 2 * q] + p;
            FloatVector.fromArray(FS, xg, d).add(a20).intoArray(xg, d);
            FloatVector.fromArray(FS, xg, d + FL).add(a21).intoArray(xg, d + FL);
            FloatVector.fromArray(FS, xg, d + 2 * FL).add(a22).intoArray(xg, d + 2 * FL);
        }
        {
            int d = off[t + 3 * q] + p;
            FloatVector.fromArray(FS, xg, d).add(a30).intoArray(xg, d);
            FloatVector.fromArray(FS, xg, d + FL).add(a31).intoArray(xg, d + FL);
            FloatVector.fromArray(FS, xg, d + 2 * FL).add(a32).intoArray(xg, d + 2 * FL);
        }
    }


    /** The 4 x 3 tile's two leftover position vectors: taps {@code t + j*q} x 2 vectors. */
    private static void inputGrad4x2(float[] g, int pv, int outC, float[] w, int wo, int k, int[] off, int t, int q, float[] xg, int p) {
        FloatVector z = FloatVector.zero(FS);
        FloatVector a00 = z, a01 = z, a10 = z, a11 = z, a20 = z, a21 = z, a30 = z, a31 = z;
        for (int o = 0; o < outC; o++) {
            int s = o * pv + p, wr = wo + o * k + t;
            FloatVector g0 = FloatVector.fromArray(FS, g, s), g1 = FloatVector.fromArray(FS, g, s + FL);
            FloatVector c = FloatVector.broadcast(FS, w[wr]);
            a00 = g0.fma(c, a00); a01 = g1.fma(c, a01);
            c = FloatVector.broadcast(FS, w[wr + q]);
            a10 = g0.fma(c, a10); a11 = g1.fma(c, a11);
            c = FloatVector.broadcast(FS, w[wr + 2 * q]);
            a20 = g0.fma(c, a20); a21 = g1.fma(c, a21);
            c = FloatVector.broadcast(FS, w[wr + 3 * q]);
            a30 = g0.fma(c, a30); a31 = g1.fma(c, a31);
        }
        {
            int d = off[t] + p;
            FloatVector.fromArray(FS, xg, d).add(a00).intoArray(xg, d);
            FloatVector.fromArray(FS, xg, d + FL).add(a01).intoArray(xg, d + FL);
        }
        {
            int d = off[t + q] + p;
            FloatVector.fromArray(FS, xg, d).add(a10).intoArray(xg, d);
            FloatVector.fromArray(FS, xg, d + FL).add(a11).intoArray(xg, d + FL);
        }
        {
            int d = off[t + 2 * q] + p;
            FloatVector.fromArray(FS, xg, d).add(a20).intoArray(xg, d);
            FloatVector.fromArray(FS, xg, d + FL).add(a21).intoArray(xg, d + FL);
        }
        {
            int d = off[t + 3 * q] + p;
            FloatVector.fromArray(FS, xg, d).add(a30).intoArray(xg, d);
            FloatVector.fromArray(FS, xg, d + FL).add(a31).intoArray(xg, d + FL);
        }
    }

    /** The 4 x 3 tile's leftover position vectors: taps {@code t + j*q}, one vector. */
    private static void inputGrad4x1(float[] g, int pv, int outC, float[] w, int wo, int k, int[] off, int t, int q, float[] xg, int p) {
        FloatVector a0 = FloatVector.zero(FS), a1 = a0, a2 = a0, a3 = a0;
        for (int o = 0; o < outC; o++) {
            int wr = wo + o * k + t;
            FloatVector g0 = FloatVector.fromArray(FS, g, o * pv + p);
            a0 = g0.fma(FloatVector.broadcast(FS, w[wr]), a0);
            a1 = g0.fma(FloatVector.broadcast(FS, w[wr + q]), a1);
            a2 = g0.fma(FloatVector.broadcast(FS, w[wr + 2 * q]), a2);
            a3 = g0.fma(FloatVector.broadcast(FS, w[wr + 3 * q]), a3);
        }
        FloatVector.fromArray(FS, xg, off[t] + p).add(a0).intoArray(xg, off[t] + p);
        FloatVector.fromArray(FS, xg, off[t + q] + p).add(a1).intoArray(xg, off[t + q] + p);
        FloatVector.fromArray(FS, xg, off[t + 2 * q] + p).add(a2).intoArray(xg, off[t + 2 * q] + p);
        FloatVector.fromArray(FS, xg, off[t + 3 * q] + p).add(a3).intoArray(xg, off[t + 3 * q] + p);
    }

    private static void inputGrad1x1(float[] g, int pv, int outC, float[] w, int wb, int k, int d, float[] xg, int p) {
        FloatVector a = FloatVector.zero(FS);
        for (int o = 0; o < outC; o++) a = FloatVector.fromArray(FS, g, o * pv + p).fma(FloatVector.broadcast(FS, w[wb + o * k]), a);
        FloatVector.fromArray(FS, xg, d + p).add(a).intoArray(xg, d + p);
    }

    @Override
    public void weightGradF(float[] gt, int positions, int oc, float[] x, int[] at, int[] off, int k, float[] sums) {
        int nvo = oc / FL, v = 0;
        for (; v + 2 <= nvo; v += 2) {
            int t = 0;
            for (; t + 6 <= k; t += 6) weightGrad6x2(gt, positions, oc, v * FL, x, at, off, t, sums);
            for (; t < k; t++) {
                weightGrad1x1(gt, positions, oc, v * FL, x, at, off[t], sums, t * oc + v * FL);
                weightGrad1x1(gt, positions, oc, (v + 1) * FL, x, at, off[t], sums, t * oc + (v + 1) * FL);
            }
        }
        for (; v < nvo; v++) {
            int t = 0;
            for (; t + 12 <= k; t += 12) weightGrad12x1(gt, positions, oc, v * FL, x, at, off, t, sums);
            for (; t < k; t++) weightGrad1x1(gt, positions, oc, v * FL, x, at, off[t], sums, t * oc + v * FL);
        }
    }

    /** Taps {@code t..t+5} x channel vectors at {@code o} and {@code o + FL}, over all positions, added to the sums. */
    private static void weightGrad6x2(float[] gt, int positions, int oc, int o, float[] x, int[] at, int[] off, int t, float[] sums) {
        FloatVector z = FloatVector.zero(FS);
        FloatVector a00 = z, a01 = z, a10 = z, a11 = z, a20 = z, a21 = z, a30 = z, a31 = z, a40 = z, a41 = z, a50 = z, a51 = z;
        int f0 = off[t], f1 = off[t + 1], f2 = off[t + 2], f3 = off[t + 3], f4 = off[t + 4], f5 = off[t + 5];
        for (int q = 0; q < positions; q++) {
            int s = q * oc + o, b = at[q];
            FloatVector g0 = FloatVector.fromArray(FS, gt, s), g1 = FloatVector.fromArray(FS, gt, s + FL);
            FloatVector c = FloatVector.broadcast(FS, x[b + f0]);
            a00 = g0.fma(c, a00); a01 = g1.fma(c, a01);
            c = FloatVector.broadcast(FS, x[b + f1]);
            a10 = g0.fma(c, a10); a11 = g1.fma(c, a11);
            c = FloatVector.broadcast(FS, x[b + f2]);
            a20 = g0.fma(c, a20); a21 = g1.fma(c, a21);
            c = FloatVector.broadcast(FS, x[b + f3]);
            a30 = g0.fma(c, a30); a31 = g1.fma(c, a31);
            c = FloatVector.broadcast(FS, x[b + f4]);
            a40 = g0.fma(c, a40); a41 = g1.fma(c, a41);
            c = FloatVector.broadcast(FS, x[b + f5]);
            a50 = g0.fma(c, a50); a51 = g1.fma(c, a51);
        }
        int r = t * oc + o;
        FloatVector.fromArray(FS, sums, r).add(a00).intoArray(sums, r);
        FloatVector.fromArray(FS, sums, r + FL).add(a01).intoArray(sums, r + FL);
        FloatVector.fromArray(FS, sums, r + oc).add(a10).intoArray(sums, r + oc);
        FloatVector.fromArray(FS, sums, r + oc + FL).add(a11).intoArray(sums, r + oc + FL);
        FloatVector.fromArray(FS, sums, r + 2 * oc).add(a20).intoArray(sums, r + 2 * oc);
        FloatVector.fromArray(FS, sums, r + 2 * oc + FL).add(a21).intoArray(sums, r + 2 * oc + FL);
        FloatVector.fromArray(FS, sums, r + 3 * oc).add(a30).intoArray(sums, r + 3 * oc);
        FloatVector.fromArray(FS, sums, r + 3 * oc + FL).add(a31).intoArray(sums, r + 3 * oc + FL);
        FloatVector.fromArray(FS, sums, r + 4 * oc).add(a40).intoArray(sums, r + 4 * oc);
        FloatVector.fromArray(FS, sums, r + 4 * oc + FL).add(a41).intoArray(sums, r + 4 * oc + FL);
        FloatVector.fromArray(FS, sums, r + 5 * oc).add(a50).intoArray(sums, r + 5 * oc);
        FloatVector.fromArray(FS, sums, r + 5 * oc + FL).add(a51).intoArray(sums, r + 5 * oc + FL);
    }


    /** Taps {@code t..t+11} x the channel vector at {@code o}. */
    private static void weightGrad12x1(float[] gt, int positions, int oc, int o, float[] x, int[] at, int[] off, int t, float[] sums) {
        FloatVector z = FloatVector.zero(FS);
        FloatVector a0 = z, a1 = z, a2 = z, a3 = z, a4 = z, a5 = z, a6 = z, a7 = z, a8 = z, a9 = z, a10 = z, a11 = z;
        for (int q = 0; q < positions; q++) {
            int b = at[q];
            FloatVector g0 = FloatVector.fromArray(FS, gt, q * oc + o);
            a0 = g0.fma(FloatVector.broadcast(FS, x[b + off[t]]), a0);
            a1 = g0.fma(FloatVector.broadcast(FS, x[b + off[t + 1]]), a1);
            a2 = g0.fma(FloatVector.broadcast(FS, x[b + off[t + 2]]), a2);
            a3 = g0.fma(FloatVector.broadcast(FS, x[b + off[t + 3]]), a3);
            a4 = g0.fma(FloatVector.broadcast(FS, x[b + off[t + 4]]), a4);
            a5 = g0.fma(FloatVector.broadcast(FS, x[b + off[t + 5]]), a5);
            a6 = g0.fma(FloatVector.broadcast(FS, x[b + off[t + 6]]), a6);
            a7 = g0.fma(FloatVector.broadcast(FS, x[b + off[t + 7]]), a7);
            a8 = g0.fma(FloatVector.broadcast(FS, x[b + off[t + 8]]), a8);
            a9 = g0.fma(FloatVector.broadcast(FS, x[b + off[t + 9]]), a9);
            a10 = g0.fma(FloatVector.broadcast(FS, x[b + off[t + 10]]), a10);
            a11 = g0.fma(FloatVector.broadcast(FS, x[b + off[t + 11]]), a11);
        }
        // One by one, not through an array of vectors (which C2 would have to box).
        int r = t * oc + o;
        FloatVector.fromArray(FS, sums, r).add(a0).intoArray(sums, r); FloatVector.fromArray(FS, sums, r + oc).add(a1).intoArray(sums, r + oc); FloatVector.fromArray(FS, sums, r + 2 * oc).add(a2).intoArray(sums, r + 2 * oc); FloatVector.fromArray(FS, sums, r + 3 * oc).add(a3).intoArray(sums, r + 3 * oc);
        FloatVector.fromArray(FS, sums, r + 4 * oc).add(a4).intoArray(sums, r + 4 * oc); FloatVector.fromArray(FS, sums, r + 5 * oc).add(a5).intoArray(sums, r + 5 * oc); FloatVector.fromArray(FS, sums, r + 6 * oc).add(a6).intoArray(sums, r + 6 * oc); FloatVector.fromArray(FS, sums, r + 7 * oc).add(a7).intoArray(sums, r + 7 * oc);
        FloatVector.fromArray(FS, sums, r + 8 * oc).add(a8).intoArray(sums, r + 8 * oc); FloatVector.fromArray(FS, sums, r + 9 * oc).add(a9).intoArray(sums, r + 9 * oc); FloatVector.fromArray(FS, sums, r + 10 * oc).add(a10).intoArray(sums, r + 10 * oc); FloatVector.fromArray(FS, sums, r + 11 * oc).add(a11).intoArray(sums, r + 11 * oc);
    }


    private static void weightGrad1x1(float[] gt, int positions, int oc, int o, float[] x, int[] at, int f, float[] sums, int r) {
        FloatVector a = FloatVector.zero(FS);
        for (int q = 0; q < positions; q++) a = FloatVector.fromArray(FS, gt, q * oc + o).fma(FloatVector.broadcast(FS, x[at[q] + f]), a);
        FloatVector.fromArray(FS, sums, r).add(a).intoArray(sums, r);
    }
}
