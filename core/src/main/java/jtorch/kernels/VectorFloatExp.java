package jtorch.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import static jtorch.kernels.FloatExp.*;

/**
 * {@link FloatExp} on float lanes: each lane performs its operations in its order (each exactly
 * rounded), so the bits are the scalar form's. Only {@link VectorElementwise} uses this class (it
 * links Vector API classes).
 *
 * <pre>{@code
 * int done = VectorFloatExp.expF32(out, 0, in, 0, n); // the tail [done, n) is the caller's
 * }</pre>
 */
final class VectorFloatExp {
    private VectorFloatExp() {}

    static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
    static final int FL = FS.length();

    static FloatVector exp(FloatVector x) {
        x = x.max(LO).min(HI);
        FloatVector t = x.fma(FloatVector.broadcast(FS, LOG2E), FloatVector.broadcast(FS, SHIFT));
        FloatVector n = t.sub(SHIFT);
        FloatVector r = n.fma(FloatVector.broadcast(FS, NEG_LN2_HI), x);
        r = n.fma(FloatVector.broadcast(FS, NEG_LN2_LO), r);
        FloatVector p = FloatVector.broadcast(FS, P5).fma(r, FloatVector.broadcast(FS, P4));
        p = p.fma(r, FloatVector.broadcast(FS, P3));
        p = p.fma(r, FloatVector.broadcast(FS, P2));
        p = p.fma(r, FloatVector.broadcast(FS, P1));
        p = p.fma(r, FloatVector.broadcast(FS, P0));
        FloatVector one = FloatVector.broadcast(FS, 1f);
        p = p.fma(r, one);
        p = p.fma(r, one);
        IntVector k = t.reinterpretAsInts().sub(SHIFT_BITS);
        IntVector k1 = k.lanewise(VectorOperators.ASHR, 1), k2 = k.sub(k1);
        FloatVector s1 = k1.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector s2 = k2.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return p.mul(s1).mul(s2);
    }

    /** {@link FloatExp#sigmoid} on float lanes, the same operations in the same order. */
    static FloatVector sigmoid(FloatVector x) {
        FloatVector one = FloatVector.broadcast(FS, 1f);
        FloatVector e = exp(x.abs().neg());
        FloatVector num = one.blend(e, x.compare(VectorOperators.LT, 0f));
        FloatVector s = one.add(e);
        FloatVector lo = one.sub(s).add(e);
        FloatVector rcp = one.div(s);
        FloatVector q = num.mul(rcp);
        FloatVector res = q.neg().fma(s, num).sub(q.mul(lo));
        return res.fma(rcp, q).blend(Float.NaN, x.test(VectorOperators.IS_NAN));
    }

    /** The whole vectors of {@code [0, n)}; returns where the scalar tail starts. */
    static int sigmoidF32(float[] o, int po, float[] a, int pa, int n) {
        int up = FS.loopBound(n), i = 0;
        for (; i < up; i += FL) sigmoid(FloatVector.fromArray(FS, a, pa + i)).intoArray(o, po + i);
        return i;
    }

    /** {@code o = exp(a - shift)} over the whole vectors of {@code [0, n)}; returns where the scalar tail starts. */
    static int expShiftedF32(float[] o, int po, float[] a, int pa, int n, float shift) {
        int up = FS.loopBound(n), i = 0;
        for (; i < up; i += FL) exp(FloatVector.fromArray(FS, a, pa + i).sub(shift)).intoArray(o, po + i);
        return i;
    }

    /** The whole vectors of {@code [0, n)}; returns where the scalar tail starts. */
    static int expF32(float[] o, int po, float[] a, int pa, int n) {
        int up = FS.loopBound(n), i = 0;
        for (; i < up; i += FL) exp(FloatVector.fromArray(FS, a, pa + i)).intoArray(o, po + i);
        return i;
    }
}
