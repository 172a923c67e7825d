package jtorch.kernels;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import static jtorch.kernels.Transcendentals.*;

/**
 * {@link Transcendentals} on the Vector API: every lane performs the scalar form's operations in
 * the same order (each one exactly rounded, or exact), so the bits are the scalar form's in every
 * JIT state. float32 runs in double lanes: half a float vector is widened, computed and rounded
 * back. Only {@link VectorElementwise} uses this class (it links Vector API classes).
 *
 * <pre>{@code
 * DoubleVector y = VectorTranscendentals.exp(DoubleVector.fromArray(DS, a, 0));
 * }</pre>
 */
final class VectorTranscendentals {
    private VectorTranscendentals() {}

    static final VectorSpecies<Double> DS = DoubleVector.SPECIES_PREFERRED;
    static final int DL = DS.length();
    /**
     * Twice as many floats as DS has lanes, DS's shape: float32 data is widened from this species
     * ({@link #wide}) and narrowed back into it ({@link #store}), never through a half-width float
     * species. A second float vector class reaching {@code FloatVector.intoArray} (whose type
     * profile every kernel shares; the Vector API's own fallbacks call it while code is
     * interpreted) makes C2 fail the store intrinsic in every float kernel of the process.
     */
    static final VectorSpecies<Float> FW = VectorSpecies.of(float.class, DS.vectorShape());
    /** The upper DL lanes of FW. */
    private static final VectorMask<Float> FW_UPPER = VectorMask.fromLong(FW, ((1L << (2 * DL)) - 1) & (-1L << DL));

    // Each method stays under C2's FreqInlineSize (325 bytecodes) so that the loops inline the
    // whole computation and the vectors never leave registers (a call boundary boxes them).

    static DoubleVector exp(DoubleVector x) {
        x = x.max(-746.0).min(710.0);
        DoubleVector t = x.fma(DoubleVector.broadcast(DS, LOG2E), DoubleVector.broadcast(DS, SHIFT));
        DoubleVector n = t.sub(SHIFT);
        DoubleVector r = n.fma(DoubleVector.broadcast(DS, NEG_LN2_HI), x);
        r = n.fma(DoubleVector.broadcast(DS, NEG_LN2_LO), r);
        DoubleVector p = expPoly13(r);
        LongVector k = t.reinterpretAsLongs().sub(SHIFT_BITS);
        LongVector k1 = k.lanewise(VectorOperators.ASHR, 1), k2 = k.sub(k1);
        DoubleVector s1 = k1.add(1023).lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles();
        DoubleVector s2 = k2.add(1023).lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles();
        return p.mul(s1).mul(s2);
    }

    private static DoubleVector expPoly13(DoubleVector r) {
        DoubleVector p = DoubleVector.broadcast(DS, E13).fma(r, DoubleVector.broadcast(DS, E12));
        p = p.fma(r, DoubleVector.broadcast(DS, E11));
        p = p.fma(r, DoubleVector.broadcast(DS, E10));
        p = p.fma(r, DoubleVector.broadcast(DS, E9));
        p = p.fma(r, DoubleVector.broadcast(DS, E8));
        p = p.fma(r, DoubleVector.broadcast(DS, E7));
        p = p.fma(r, DoubleVector.broadcast(DS, E6));
        p = p.fma(r, DoubleVector.broadcast(DS, E5));
        p = p.fma(r, DoubleVector.broadcast(DS, E4));
        p = p.fma(r, DoubleVector.broadcast(DS, E3));
        p = p.fma(r, DoubleVector.broadcast(DS, E2));
        DoubleVector one = DoubleVector.broadcast(DS, 1.0);
        p = p.fma(r, one);
        return p.fma(r, one);
    }

    static DoubleVector expF(DoubleVector x) {
        x = x.max(-708.0).min(708.0);
        DoubleVector t = x.fma(DoubleVector.broadcast(DS, LOG2E), DoubleVector.broadcast(DS, SHIFT));
        DoubleVector n = t.sub(SHIFT);
        DoubleVector r = n.fma(DoubleVector.broadcast(DS, NEG_LN2), x);
        DoubleVector p = DoubleVector.broadcast(DS, E9).fma(r, DoubleVector.broadcast(DS, E8));
        p = p.fma(r, DoubleVector.broadcast(DS, E7));
        p = p.fma(r, DoubleVector.broadcast(DS, E6));
        p = p.fma(r, DoubleVector.broadcast(DS, E5));
        p = p.fma(r, DoubleVector.broadcast(DS, E4));
        p = p.fma(r, DoubleVector.broadcast(DS, E3));
        p = p.fma(r, DoubleVector.broadcast(DS, E2));
        DoubleVector one = DoubleVector.broadcast(DS, 1.0);
        p = p.fma(r, one);
        p = p.fma(r, one);
        LongVector k = t.reinterpretAsLongs().sub(SHIFT_BITS);
        return p.mul(k.add(1023).lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles());
    }

    static DoubleVector log(DoubleVector x) {
        VectorMask<Double> sub = x.compare(VectorOperators.LT, Double.MIN_NORMAL);
        DoubleVector xs = x.blend(x.mul(TWO54), sub);
        DoubleVector kAdj = DoubleVector.zero(DS).blend(-54.0, sub);
        LongVector ix = xs.reinterpretAsLongs();
        LongVector tmp = ix.sub(SQRT_HALF_BITS);
        LongVector k = tmp.lanewise(VectorOperators.ASHR, 52);
        DoubleVector z = ix.sub(tmp.and(EXP_MASK)).reinterpretAsDoubles();
        DoubleVector dk = k.add(SHIFT_BITS).reinterpretAsDoubles().sub(SHIFT).add(kAdj);
        return logTail(x, z.sub(1.0), dk);
    }

    private static DoubleVector logTail(DoubleVector x, DoubleVector f, DoubleVector dk) {
        DoubleVector s = f.div(f.add(2.0));
        DoubleVector z2 = s.mul(s);
        DoubleVector w = z2.mul(z2);
        DoubleVector t1 = w.mul(w.mul(w.mul(LG6).add(LG4)).add(LG2));
        DoubleVector t2 = z2.mul(w.mul(w.mul(w.mul(LG7).add(LG5)).add(LG3)).add(LG1));
        DoubleVector rr = t2.add(t1);
        DoubleVector hfsq = f.mul(0.5).mul(f);
        DoubleVector res = dk.mul(LN2_HI).sub(hfsq.sub(s.mul(hfsq.add(rr)).add(dk.mul(LN2_LO))).sub(f));
        res = res.blend(Double.POSITIVE_INFINITY, x.compare(VectorOperators.EQ, Double.POSITIVE_INFINITY));
        res = res.blend(Double.NEGATIVE_INFINITY, x.compare(VectorOperators.EQ, 0.0));
        return res.blend(Double.NaN, x.compare(VectorOperators.GE, 0.0).not());
    }

    static DoubleVector tanh(DoubleVector x) {
        DoubleVector ax = x.abs();
        return tanhFinish(x, ax, exp(ax.add(ax)));
    }

    static DoubleVector tanhF(DoubleVector x) {
        DoubleVector ax = x.abs();
        return tanhFinish(x, ax, expF(ax.add(ax)));
    }

    static DoubleVector tanhFinish(DoubleVector x, DoubleVector ax, DoubleVector e) {
        DoubleVector big = DoubleVector.broadcast(DS, 1.0).sub(DoubleVector.broadcast(DS, 2.0).div(e.add(1.0)));
        DoubleVector z = ax.mul(ax);
        DoubleVector pp = z.mul(TP0).add(TP1);
        pp = pp.mul(z).add(TP2);
        DoubleVector qq = z.add(TQ0);
        qq = qq.mul(z).add(TQ1);
        qq = qq.mul(z).add(TQ2);
        DoubleVector small = ax.add(ax.mul(z).mul(pp).div(qq));
        DoubleVector r = big.blend(small, ax.compare(VectorOperators.LT, TANH_SMALL));
        LongVector sign = x.reinterpretAsLongs().and(SIGN_MASK);
        return r.reinterpretAsLongs().or(sign).reinterpretAsDoubles();
    }

    static DoubleVector sigmoid(DoubleVector x) {
        DoubleVector one = DoubleVector.broadcast(DS, 1.0);
        DoubleVector e = exp(x.neg());
        DoubleVector s = one.add(e);
        DoubleVector bb = s.sub(one);
        DoubleVector lo = one.sub(s.sub(bb)).add(e.sub(bb));
        DoubleVector q = one.div(s);
        DoubleVector rr = q.neg().fma(s, one).sub(q.mul(lo));
        DoubleVector r = q.fma(rr, q);
        VectorMask<Double> far = x.compare(VectorOperators.LT, -708.0);
        // Per lane the same choice as the scalar form; the second exp only when some lane needs it.
        return far.anyTrue() ? r.blend(exp(x), far) : r;
    }

    // ------------------------------------------------------------------ loops
    // One method per op and dtype: C2 compiles each on its own, so the inlined Vector API nodes of
    // one loop do not exhaust the node budget of the others (NodeCountInliningCutoff). Each runs
    // the whole vectors of {@code [0, n)} and returns where the scalar tail starts.

    static int expF32(float[] o, int po, float[] a, int pa, int n) {
        int step = 2 * DL, up = n - n % step, i = 0;
        for (; i < up; i += step) {
            FloatVector v = FloatVector.fromArray(FW, a, pa + i);
            store(expF(wide(v, 0)), expF(wide(v, 1)), o, po + i);
        }
        return i;
    }

    static int logF32(float[] o, int po, float[] a, int pa, int n) {
        int step = 2 * DL, up = n - n % step, i = 0;
        for (; i < up; i += step) {
            FloatVector v = FloatVector.fromArray(FW, a, pa + i);
            store(log(wide(v, 0)), log(wide(v, 1)), o, po + i);
        }
        return i;
    }

    static int tanhF32(float[] o, int po, float[] a, int pa, int n) {
        int step = 2 * DL, up = n - n % step, i = 0;
        for (; i < up; i += step) {
            FloatVector v = FloatVector.fromArray(FW, a, pa + i);
            DoubleVector x0 = wide(v, 0), ax0 = x0.abs(), x1 = wide(v, 1), ax1 = x1.abs();
            store(tanhFinish(x0, ax0, expF(ax0.add(ax0))), tanhFinish(x1, ax1, expF(ax1.add(ax1))), o, po + i);
        }
        return i;
    }

    static int expF64(double[] o, int po, double[] a, int pa, int n) {
        int up = n - n % DL, i = 0;
        for (; i < up; i += DL) exp(DoubleVector.fromArray(DS, a, pa + i)).intoArray(o, po + i);
        return i;
    }

    static int logF64(double[] o, int po, double[] a, int pa, int n) {
        int up = n - n % DL, i = 0;
        for (; i < up; i += DL) log(DoubleVector.fromArray(DS, a, pa + i)).intoArray(o, po + i);
        return i;
    }

    static int tanhF64(double[] o, int po, double[] a, int pa, int n) {
        int up = n - n % DL, i = 0;
        for (; i < up; i += DL) {
            DoubleVector x = DoubleVector.fromArray(DS, a, pa + i), ax = x.abs();
            tanhFinish(x, ax, exp(ax.add(ax))).intoArray(o, po + i);
        }
        return i;
    }

    static int sigmoidF64(double[] o, int po, double[] a, int pa, int n) {
        int up = n - n % DL, i = 0;
        for (; i < up; i += DL) sigmoid(DoubleVector.fromArray(DS, a, pa + i)).intoArray(o, po + i);
        return i;
    }

    /** Half {@code part} (0: lanes 0 to DL - 1, 1: the rest) of {@code v}, widened to double lanes. */
    static DoubleVector wide(FloatVector v, int part) {
        return (DoubleVector) v.convertShape(VectorOperators.F2D, DS, part);
    }

    /** Rounds the lanes of {@code lo}, then of {@code hi}, to float into {@code o[p .. p + 2 DL)}. */
    static void store(DoubleVector lo, DoubleVector hi, float[] o, int p) {
        FloatVector l = (FloatVector) lo.convertShape(VectorOperators.D2F, FW, 0);
        FloatVector h = (FloatVector) hi.convertShape(VectorOperators.D2F, FW, -1);
        l.blend(h, FW_UPPER).intoArray(o, p);
    }
}
