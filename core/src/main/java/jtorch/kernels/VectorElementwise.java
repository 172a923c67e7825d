package jtorch.kernels;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The run loops of {@link ElementKernels} on the Vector API, at the CPU's preferred width. Every
 * lane computes what the scalar loop computes for its element (IEEE add, multiply, divide, square
 * root and fused multiply-add are exactly rounded; max and min follow {@link Math#max}), so the
 * results are the same bits; the tails run the scalar formulas. Sums accumulate in double lanes,
 * in a different order than the scalar loop.
 *
 * <p>Loaded reflectively by {@link ElementKernels} only when the module is in the boot layer.
 * Each loop is written out per op and broadcast case: an operator passed as a variable, or a
 * vector passed to a method that is not inlined, would defeat the intrinsics.
 */
final class VectorElementwise extends ElementKernels {
    private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> DS = DoubleVector.SPECIES_PREFERRED;
    /** DS's shape in float lanes (2 DL floats): see VectorTranscendentals.FW for why no half-width float species. */
    private static final VectorSpecies<Float> FW = VectorTranscendentals.FW;
    private static final int FL = FS.length(), DL = DS.length();

    @Override
    String describe() { return "Vector API (" + FS.vectorBitSize() + "-bit)"; }

    // ------------------------------------------------------------------ binary

    @Override
    void binaryF32(BinaryOp op, float[] o, int po, float[] a, int pa, int sa, float[] b, int pb, int sb, int n, float alpha) {
        int i;
        if (sa == 1 && sb == 1) i = vvF32(op, o, po, a, pa, b, pb, n, alpha);
        else if (sa == 1 && sb == 0) i = vsF32(op, o, po, a, pa, b[pb], n, alpha);
        else if (sa == 0 && sb == 1) {
            // A scalar first operand: the commutative ops swap their operands (the same bits); the others have loops.
            if (op == BinaryOp.SUB || op == BinaryOp.DIV || (op == BinaryOp.ADD && alpha != 1f)) i = svF32(op, o, po, a[pa], b, pb, n, alpha);
            else i = vsF32(op, o, po, b, pb, a[pa], n, alpha);
        } else i = 0;
        if (i < n) stridedF32(op, o, po + i, 1, a, pa + i * sa, sa, b, pb + i * sb, sb, n - i, alpha);
    }

    private static int vvF32(BinaryOp op, float[] o, int po, float[] a, int pa, float[] b, int pb, int n, float alpha) {
        int up = FS.loopBound(n), i = 0;
        switch (op) {
            case ADD:
                if (alpha == 1f) {
                    for (; i < up; i += FL) FloatVector.fromArray(FS, a, pa + i).add(FloatVector.fromArray(FS, b, pb + i)).intoArray(o, po + i);
                } else {
                    FloatVector al = FloatVector.broadcast(FS, alpha);
                    for (; i < up; i += FL) al.fma(FloatVector.fromArray(FS, b, pb + i), FloatVector.fromArray(FS, a, pa + i)).intoArray(o, po + i);
                }
                break;
            case SUB: for (; i < up; i += FL) FloatVector.fromArray(FS, a, pa + i).sub(FloatVector.fromArray(FS, b, pb + i)).intoArray(o, po + i); break;
            case MUL: for (; i < up; i += FL) FloatVector.fromArray(FS, a, pa + i).mul(FloatVector.fromArray(FS, b, pb + i)).intoArray(o, po + i); break;
            case DIV: for (; i < up; i += FL) FloatVector.fromArray(FS, a, pa + i).div(FloatVector.fromArray(FS, b, pb + i)).intoArray(o, po + i); break;
            case MAXIMUM: for (; i < up; i += FL) FloatVector.fromArray(FS, a, pa + i).max(FloatVector.fromArray(FS, b, pb + i)).intoArray(o, po + i); break;
            case MINIMUM: for (; i < up; i += FL) FloatVector.fromArray(FS, a, pa + i).min(FloatVector.fromArray(FS, b, pb + i)).intoArray(o, po + i); break;
            default: return 0;
        }
        return i;
    }

    /** {@code op(a[i], s)}. */
    private static int vsF32(BinaryOp op, float[] o, int po, float[] a, int pa, float s, int n, float alpha) {
        int up = FS.loopBound(n), i = 0;
        FloatVector y = FloatVector.broadcast(FS, s);
        switch (op) {
            case ADD:
                if (alpha == 1f) {
                    for (; i < up; i += FL) FloatVector.fromArray(FS, a, pa + i).add(y).intoArray(o, po + i);
                } else {
                    FloatVector al = FloatVector.broadcast(FS, alpha);
                    for (; i < up; i += FL) al.fma(y, FloatVector.fromArray(FS, a, pa + i)).intoArray(o, po + i);
                }
                break;
            case SUB: for (; i < up; i += FL) FloatVector.fromArray(FS, a, pa + i).sub(y).intoArray(o, po + i); break;
            case MUL: for (; i < up; i += FL) FloatVector.fromArray(FS, a, pa + i).mul(y).intoArray(o, po + i); break;
            case DIV: for (; i < up; i += FL) FloatVector.fromArray(FS, a, pa + i).div(y).intoArray(o, po + i); break;
            case MAXIMUM: for (; i < up; i += FL) FloatVector.fromArray(FS, a, pa + i).max(y).intoArray(o, po + i); break;
            case MINIMUM: for (; i < up; i += FL) FloatVector.fromArray(FS, a, pa + i).min(y).intoArray(o, po + i); break;
            default: return 0;
        }
        return i;
    }

    /** {@code op(s, b[i])} for the ops whose operands cannot be swapped. */
    private static int svF32(BinaryOp op, float[] o, int po, float s, float[] b, int pb, int n, float alpha) {
        int up = FS.loopBound(n), i = 0;
        FloatVector x = FloatVector.broadcast(FS, s);
        switch (op) {
            case ADD: {
                FloatVector al = FloatVector.broadcast(FS, alpha);
                for (; i < up; i += FL) al.fma(FloatVector.fromArray(FS, b, pb + i), x).intoArray(o, po + i);
                break;
            }
            case SUB: for (; i < up; i += FL) x.sub(FloatVector.fromArray(FS, b, pb + i)).intoArray(o, po + i); break;
            case DIV: for (; i < up; i += FL) x.div(FloatVector.fromArray(FS, b, pb + i)).intoArray(o, po + i); break;
            default: return 0;
        }
        return i;
    }

    @Override
    void binaryF64(BinaryOp op, double[] o, int po, double[] a, int pa, int sa, double[] b, int pb, int sb, int n, double alpha) {
        int i;
        if (sa == 1 && sb == 1) i = vvF64(op, o, po, a, pa, b, pb, n, alpha);
        else if (sa == 1 && sb == 0) i = vsF64(op, o, po, a, pa, b[pb], n, alpha);
        else if (sa == 0 && sb == 1) {
            if (op == BinaryOp.SUB || op == BinaryOp.DIV || (op == BinaryOp.ADD && alpha != 1)) i = svF64(op, o, po, a[pa], b, pb, n, alpha);
            else i = vsF64(op, o, po, b, pb, a[pa], n, alpha);
        } else i = 0;
        if (i < n) stridedF64(op, o, po + i, 1, a, pa + i * sa, sa, b, pb + i * sb, sb, n - i, alpha);
    }

    private static int vvF64(BinaryOp op, double[] o, int po, double[] a, int pa, double[] b, int pb, int n, double alpha) {
        int up = DS.loopBound(n), i = 0;
        switch (op) {
            case ADD:
                if (alpha == 1) {
                    for (; i < up; i += DL) DoubleVector.fromArray(DS, a, pa + i).add(DoubleVector.fromArray(DS, b, pb + i)).intoArray(o, po + i);
                } else {
                    DoubleVector al = DoubleVector.broadcast(DS, alpha);
                    for (; i < up; i += DL) al.fma(DoubleVector.fromArray(DS, b, pb + i), DoubleVector.fromArray(DS, a, pa + i)).intoArray(o, po + i);
                }
                break;
            case SUB: for (; i < up; i += DL) DoubleVector.fromArray(DS, a, pa + i).sub(DoubleVector.fromArray(DS, b, pb + i)).intoArray(o, po + i); break;
            case MUL: for (; i < up; i += DL) DoubleVector.fromArray(DS, a, pa + i).mul(DoubleVector.fromArray(DS, b, pb + i)).intoArray(o, po + i); break;
            case DIV: for (; i < up; i += DL) DoubleVector.fromArray(DS, a, pa + i).div(DoubleVector.fromArray(DS, b, pb + i)).intoArray(o, po + i); break;
            case MAXIMUM: for (; i < up; i += DL) DoubleVector.fromArray(DS, a, pa + i).max(DoubleVector.fromArray(DS, b, pb + i)).intoArray(o, po + i); break;
            case MINIMUM: for (; i < up; i += DL) DoubleVector.fromArray(DS, a, pa + i).min(DoubleVector.fromArray(DS, b, pb + i)).intoArray(o, po + i); break;
            default: return 0;
        }
        return i;
    }

    private static int vsF64(BinaryOp op, double[] o, int po, double[] a, int pa, double s, int n, double alpha) {
        int up = DS.loopBound(n), i = 0;
        DoubleVector y = DoubleVector.broadcast(DS, s);
        switch (op) {
            case ADD:
                if (alpha == 1) {
                    for (; i < up; i += DL) DoubleVector.fromArray(DS, a, pa + i).add(y).intoArray(o, po + i);
                } else {
                    DoubleVector al = DoubleVector.broadcast(DS, alpha);
                    for (; i < up; i += DL) al.fma(y, DoubleVector.fromArray(DS, a, pa + i)).intoArray(o, po + i);
                }
                break;
            case SUB: for (; i < up; i += DL) DoubleVector.fromArray(DS, a, pa + i).sub(y).intoArray(o, po + i); break;
            case MUL: for (; i < up; i += DL) DoubleVector.fromArray(DS, a, pa + i).mul(y).intoArray(o, po + i); break;
            case DIV: for (; i < up; i += DL) DoubleVector.fromArray(DS, a, pa + i).div(y).intoArray(o, po + i); break;
            case MAXIMUM: for (; i < up; i += DL) DoubleVector.fromArray(DS, a, pa + i).max(y).intoArray(o, po + i); break;
            case MINIMUM: for (; i < up; i += DL) DoubleVector.fromArray(DS, a, pa + i).min(y).intoArray(o, po + i); break;
            default: return 0;
        }
        return i;
    }

    private static int svF64(BinaryOp op, double[] o, int po, double s, double[] b, int pb, int n, double alpha) {
        int up = DS.loopBound(n), i = 0;
        DoubleVector x = DoubleVector.broadcast(DS, s);
        switch (op) {
            case ADD: {
                DoubleVector al = DoubleVector.broadcast(DS, alpha);
                for (; i < up; i += DL) al.fma(DoubleVector.fromArray(DS, b, pb + i), x).intoArray(o, po + i);
                break;
            }
            case SUB: for (; i < up; i += DL) x.sub(DoubleVector.fromArray(DS, b, pb + i)).intoArray(o, po + i); break;
            case DIV: for (; i < up; i += DL) x.div(DoubleVector.fromArray(DS, b, pb + i)).intoArray(o, po + i); break;
            default: return 0;
        }
        return i;
    }

    // ------------------------------------------------------------------ ternary

    @Override
    void ternaryF32(boolean divide, float[] o, int po, float[] x, int px, float[] y, int py, float[] z, int pz, int n, float v) {
        int up = FS.loopBound(n), i = 0;
        FloatVector vv = FloatVector.broadcast(FS, v);
        // Java's x + v * y / z is x + ((v * y) / z): the same three roundings per lane.
        if (divide) for (; i < up; i += FL)
            FloatVector.fromArray(FS, x, px + i).add(vv.mul(FloatVector.fromArray(FS, y, py + i)).div(FloatVector.fromArray(FS, z, pz + i))).intoArray(o, po + i);
        else for (; i < up; i += FL)
            vv.mul(FloatVector.fromArray(FS, y, py + i)).fma(FloatVector.fromArray(FS, z, pz + i), FloatVector.fromArray(FS, x, px + i)).intoArray(o, po + i);
        if (i < n) super.ternaryF32(divide, o, po + i, x, px + i, y, py + i, z, pz + i, n - i, v);
    }

    // ------------------------------------------------------------------ comparisons

    /** The comparison with its operands swapped: {@code s op x} is {@code x flip(op) s}. */
    private static BinaryOp flip(BinaryOp op) {
        switch (op) {
            case LT: return BinaryOp.GT;
            case LE: return BinaryOp.GE;
            case GT: return BinaryOp.LT;
            case GE: return BinaryOp.LE;
            default: return op;
        }
    }

    @Override
    void compareF32(BinaryOp op, boolean[] o, int po, float[] a, int pa, int sa, float[] b, int pb, int sb, int n) {
        int i;
        if (sa == 1 && sb == 1) i = cmpVvF32(op, o, po, a, pa, b, pb, n);
        else if (sa == 1 && sb == 0) i = cmpVsF32(op, o, po, a, pa, b[pb], n);
        else if (sa == 0 && sb == 1) i = cmpVsF32(flip(op), o, po, b, pb, a[pa], n);
        else i = 0;
        if (i < n) stridedCompareF32(op, o, po + i, 1, a, pa + i * sa, sa, b, pb + i * sb, sb, n - i);
    }

    private static int cmpVvF32(BinaryOp op, boolean[] o, int po, float[] a, int pa, float[] b, int pb, int n) {
        int up = FS.loopBound(n), i = 0;
        switch (op) {
            case EQ: for (; i < up; i += FL) FloatVector.fromArray(FS, a, pa + i).compare(VectorOperators.EQ, FloatVector.fromArray(FS, b, pb + i)).intoArray(o, po + i); break;
            case NE: for (; i < up; i += FL) FloatVector.fromArray(FS, a, pa + i).compare(VectorOperators.NE, FloatVector.fromArray(FS, b, pb + i)).intoArray(o, po + i); break;
            case LT: for (; i < up; i += FL) FloatVector.fromArray(FS, a, pa + i).compare(VectorOperators.LT, FloatVector.fromArray(FS, b, pb + i)).intoArray(o, po + i); break;
            case LE: for (; i < up; i += FL) FloatVector.fromArray(FS, a, pa + i).compare(VectorOperators.LE, FloatVector.fromArray(FS, b, pb + i)).intoArray(o, po + i); break;
            case GT: for (; i < up; i += FL) FloatVector.fromArray(FS, a, pa + i).compare(VectorOperators.GT, FloatVector.fromArray(FS, b, pb + i)).intoArray(o, po + i); break;
            case GE: for (; i < up; i += FL) FloatVector.fromArray(FS, a, pa + i).compare(VectorOperators.GE, FloatVector.fromArray(FS, b, pb + i)).intoArray(o, po + i); break;
            default: return 0;
        }
        return i;
    }

    private static int cmpVsF32(BinaryOp op, boolean[] o, int po, float[] a, int pa, float s, int n) {
        int up = FS.loopBound(n), i = 0;
        FloatVector y = FloatVector.broadcast(FS, s);
        switch (op) {
            case EQ: for (; i < up; i += FL) FloatVector.fromArray(FS, a, pa + i).compare(VectorOperators.EQ, y).intoArray(o, po + i); break;
            case NE: for (; i < up; i += FL) FloatVector.fromArray(FS, a, pa + i).compare(VectorOperators.NE, y).intoArray(o, po + i); break;
            case LT: for (; i < up; i += FL) FloatVector.fromArray(FS, a, pa + i).compare(VectorOperators.LT, y).intoArray(o, po + i); break;
            case LE: for (; i < up; i += FL) FloatVector.fromArray(FS, a, pa + i).compare(VectorOperators.LE, y).intoArray(o, po + i); break;
            case GT: for (; i < up; i += FL) FloatVector.fromArray(FS, a, pa + i).compare(VectorOperators.GT, y).intoArray(o, po + i); break;
            case GE: for (; i < up; i += FL) FloatVector.fromArray(FS, a, pa + i).compare(VectorOperators.GE, y).intoArray(o, po + i); break;
            default: return 0;
        }
        return i;
    }

    @Override
    void compareF64(BinaryOp op, boolean[] o, int po, double[] a, int pa, int sa, double[] b, int pb, int sb, int n) {
        int i;
        if (sa == 1 && sb == 1) i = cmpVvF64(op, o, po, a, pa, b, pb, n);
        else if (sa == 1 && sb == 0) i = cmpVsF64(op, o, po, a, pa, b[pb], n);
        else if (sa == 0 && sb == 1) i = cmpVsF64(flip(op), o, po, b, pb, a[pa], n);
        else i = 0;
        if (i < n) stridedCompareF64(op, o, po + i, 1, a, pa + i * sa, sa, b, pb + i * sb, sb, n - i);
    }

    private static int cmpVvF64(BinaryOp op, boolean[] o, int po, double[] a, int pa, double[] b, int pb, int n) {
        int up = DS.loopBound(n), i = 0;
        switch (op) {
            case EQ: for (; i < up; i += DL) DoubleVector.fromArray(DS, a, pa + i).compare(VectorOperators.EQ, DoubleVector.fromArray(DS, b, pb + i)).intoArray(o, po + i); break;
            case NE: for (; i < up; i += DL) DoubleVector.fromArray(DS, a, pa + i).compare(VectorOperators.NE, DoubleVector.fromArray(DS, b, pb + i)).intoArray(o, po + i); break;
            case LT: for (; i < up; i += DL) DoubleVector.fromArray(DS, a, pa + i).compare(VectorOperators.LT, DoubleVector.fromArray(DS, b, pb + i)).intoArray(o, po + i); break;
            case LE: for (; i < up; i += DL) DoubleVector.fromArray(DS, a, pa + i).compare(VectorOperators.LE, DoubleVector.fromArray(DS, b, pb + i)).intoArray(o, po + i); break;
            case GT: for (; i < up; i += DL) DoubleVector.fromArray(DS, a, pa + i).compare(VectorOperators.GT, DoubleVector.fromArray(DS, b, pb + i)).intoArray(o, po + i); break;
            case GE: for (; i < up; i += DL) DoubleVector.fromArray(DS, a, pa + i).compare(VectorOperators.GE, DoubleVector.fromArray(DS, b, pb + i)).intoArray(o, po + i); break;
            default: return 0;
        }
        return i;
    }

    private static int cmpVsF64(BinaryOp op, boolean[] o, int po, double[] a, int pa, double s, int n) {
        int up = DS.loopBound(n), i = 0;
        DoubleVector y = DoubleVector.broadcast(DS, s);
        switch (op) {
            case EQ: for (; i < up; i += DL) DoubleVector.fromArray(DS, a, pa + i).compare(VectorOperators.EQ, y).intoArray(o, po + i); break;
            case NE: for (; i < up; i += DL) DoubleVector.fromArray(DS, a, pa + i).compare(VectorOperators.NE, y).intoArray(o, po + i); break;
            case LT: for (; i < up; i += DL) DoubleVector.fromArray(DS, a, pa + i).compare(VectorOperators.LT, y).intoArray(o, po + i); break;
            case LE: for (; i < up; i += DL) DoubleVector.fromArray(DS, a, pa + i).compare(VectorOperators.LE, y).intoArray(o, po + i); break;
            case GT: for (; i < up; i += DL) DoubleVector.fromArray(DS, a, pa + i).compare(VectorOperators.GT, y).intoArray(o, po + i); break;
            case GE: for (; i < up; i += DL) DoubleVector.fromArray(DS, a, pa + i).compare(VectorOperators.GE, y).intoArray(o, po + i); break;
            default: return 0;
        }
        return i;
    }

    // ------------------------------------------------------------------ unary

    @Override
    void unaryF32(UnaryOp op, float[] o, int po, float[] a, int pa, int n, float p1, float p2) {
        int up = FS.loopBound(n), i = 0;
        FloatVector zero = FloatVector.zero(FS), one = FloatVector.broadcast(FS, 1f);
        switch (op) {
            case NEG: for (; i < up; i += FL) FloatVector.fromArray(FS, a, pa + i).neg().intoArray(o, po + i); break;
            case ABS: for (; i < up; i += FL) FloatVector.fromArray(FS, a, pa + i).abs().intoArray(o, po + i); break;
            case SIGN: {
                FloatVector minus = FloatVector.broadcast(FS, -1f);
                for (; i < up; i += FL) {
                    FloatVector x = FloatVector.fromArray(FS, a, pa + i);
                    zero.blend(one, x.compare(VectorOperators.GT, zero)).blend(minus, x.compare(VectorOperators.LT, zero)).intoArray(o, po + i);
                }
                break;
            }
            case SQRT: for (; i < up; i += FL) FloatVector.fromArray(FS, a, pa + i).sqrt().intoArray(o, po + i); break;
            case RSQRT: for (; i < up; i += FL) one.div(FloatVector.fromArray(FS, a, pa + i).sqrt()).intoArray(o, po + i); break;
            case RECIPROCAL: for (; i < up; i += FL) one.div(FloatVector.fromArray(FS, a, pa + i)).intoArray(o, po + i); break;
            case RELU:
                // x < 0 ? 0 : x, so -0 and NaN pass through.
                for (; i < up; i += FL) {
                    FloatVector x = FloatVector.fromArray(FS, a, pa + i);
                    x.blend(zero, x.compare(VectorOperators.LT, zero)).intoArray(o, po + i);
                }
                break;
            case CLAMP: {
                // A NaN bound is no bound: an infinite one never replaces any x (NaN compares false).
                FloatVector lo = FloatVector.broadcast(FS, p1 == p1 ? p1 : Float.NEGATIVE_INFINITY);
                FloatVector hi = FloatVector.broadcast(FS, p2 == p2 ? p2 : Float.POSITIVE_INFINITY);
                for (; i < up; i += FL) {
                    FloatVector x = FloatVector.fromArray(FS, a, pa + i);
                    x = x.blend(lo, x.compare(VectorOperators.LT, lo));
                    x.blend(hi, x.compare(VectorOperators.GT, hi)).intoArray(o, po + i);
                }
                break;
            }
            case POW_SCALAR:
                if (p1 == 2f) for (; i < up; i += FL) { FloatVector x = FloatVector.fromArray(FS, a, pa + i); x.mul(x).intoArray(o, po + i); }
                else if (p1 == 3f) for (; i < up; i += FL) { FloatVector x = FloatVector.fromArray(FS, a, pa + i); x.mul(x).mul(x).intoArray(o, po + i); }
                else if (p1 == -2f) for (; i < up; i += FL) { FloatVector x = FloatVector.fromArray(FS, a, pa + i); one.div(x.mul(x)).intoArray(o, po + i); }
                else if (p1 == 0.5f) for (; i < up; i += FL) FloatVector.fromArray(FS, a, pa + i).sqrt().intoArray(o, po + i);
                else if (p1 == -0.5f) for (; i < up; i += FL) one.div(FloatVector.fromArray(FS, a, pa + i).sqrt()).intoArray(o, po + i);
                else if (p1 == -1f) for (; i < up; i += FL) one.div(FloatVector.fromArray(FS, a, pa + i)).intoArray(o, po + i);
                break;
            default: break;
        }
        if (i < n) stridedUnaryF32(op, o, po + i, 1, a, pa + i, 1, n - i, p1, p2);
    }

    // ------------------------------------------------------------------ transcendental

    // VectorTranscendentals, not VectorOperators.EXP/LOG/TANH: those are SVML calls once C2 has
    // compiled the loop but StrictMath lane by lane before, so one call could round differently
    // depending on JIT state. Ours perform Transcendentals' exactly rounded operations per lane, and
    // the tails run Transcendentals itself: the same bits in every JIT state and on every provider.

    @Override
    void transcendentalF32(UnaryOp op, float[] o, int po, float[] a, int pa, int n) {
        int i;
        switch (op) {
            case EXP: i = VectorTranscendentals.expF32(o, po, a, pa, n); break;
            case LOG: i = VectorTranscendentals.logF32(o, po, a, pa, n); break;
            case TANH: i = VectorTranscendentals.tanhF32(o, po, a, pa, n); break;
            case SIGMOID: i = VectorFloatExp.sigmoidF32(o, po, a, pa, n); break; // float lanes (FloatExp.sigmoid)
            default: throw new AssertionError(op);
        }
        if (i < n) Transcendentals.runF32(op, o, po + i, 1, a, pa + i, 1, n - i);
    }

    @Override
    void floatExpF32(float[] o, int po, float[] a, int pa, int n) {
        int i = VectorFloatExp.expF32(o, po, a, pa, n);
        if (i < n) FloatExp.run(o, po + i, a, pa + i, n - i);
    }

    @Override
    void floatExpShiftedF32(float[] o, int po, float[] a, int pa, int n, float shift) {
        int i = VectorFloatExp.expShiftedF32(o, po, a, pa, n, shift);
        for (; i < n; i++) o[po + i] = FloatExp.exp(a[pa + i] - shift);
    }

    @Override
    float maxF32(float[] a, int p, int n) {
        int up = n - n % (2 * FL), i = 0;
        if (up == 0) return super.maxF32(a, p, n);
        FloatVector m0 = FloatVector.fromArray(FS, a, p), m1 = FloatVector.fromArray(FS, a, p + FL);
        for (i = 2 * FL; i < up; i += 2 * FL) { // two accumulators: max's latency, not its throughput
            m0 = m0.max(FloatVector.fromArray(FS, a, p + i));
            m1 = m1.max(FloatVector.fromArray(FS, a, p + i + FL));
        }
        float m = m0.max(m1).reduceLanes(VectorOperators.MAX); // Math.max: NaN propagates
        for (; i < n; i++) m = Math.max(m, a[p + i]);
        return m;
    }

    @Override
    void transcendentalF64(UnaryOp op, double[] o, int po, double[] a, int pa, int n) {
        int i;
        switch (op) {
            case EXP: i = VectorTranscendentals.expF64(o, po, a, pa, n); break;
            case LOG: i = VectorTranscendentals.logF64(o, po, a, pa, n); break;
            case TANH: i = VectorTranscendentals.tanhF64(o, po, a, pa, n); break;
            case SIGMOID: i = VectorTranscendentals.sigmoidF64(o, po, a, pa, n); break;
            default: throw new AssertionError(op);
        }
        if (i < n) Transcendentals.runF64(op, o, po + i, 1, a, pa + i, 1, n - i);
    }

    // ------------------------------------------------------------------ conversions

    @Override
    void boolToF32(boolean[] x, int px, float[] o, int po, int n) {
        int up = FS.loopBound(n), i = 0;
        FloatVector zero = FloatVector.zero(FS), one = FloatVector.broadcast(FS, 1f);
        for (; i < up; i += FL) zero.blend(one, VectorMask.fromArray(FS, x, px + i)).intoArray(o, po + i);
        for (; i < n; i++) o[po + i] = x[px + i] ? 1f : 0f;
    }

    @Override
    void f32ToBool(float[] x, int px, boolean[] o, int po, int n) {
        int up = FS.loopBound(n), i = 0;
        FloatVector zero = FloatVector.zero(FS);
        for (; i < up; i += FL) FloatVector.fromArray(FS, x, px + i).compare(VectorOperators.NE, zero).intoArray(o, po + i);
        for (; i < n; i++) o[po + i] = x[px + i] != 0f;
    }

    // ------------------------------------------------------------------ sums

    @Override
    double sumF32(float[] a, int p, int n) {
        int step = 2 * DL, up = n - n % step, i = 0;
        DoubleVector s0 = DoubleVector.zero(DS), s1 = s0;
        for (; i < up; i += step) {
            FloatVector v = FloatVector.fromArray(FW, a, p + i);
            s0 = s0.add(VectorTranscendentals.wide(v, 0));
            s1 = s1.add(VectorTranscendentals.wide(v, 1));
        }
        double acc = s0.add(s1).reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) acc += a[p + i];
        return acc;
    }

    @Override
    double sumF64(double[] a, int p, int n) {
        int step = 2 * DL, up = n - n % step, i = 0;
        DoubleVector s0 = DoubleVector.zero(DS), s1 = s0;
        for (; i < up; i += step) {
            s0 = s0.add(DoubleVector.fromArray(DS, a, p + i));
            s1 = s1.add(DoubleVector.fromArray(DS, a, p + i + DL));
        }
        double acc = s0.add(s1).reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) acc += a[p + i];
        return acc;
    }

    @Override
    double sumSquaresF32(float[] a, int p, int n) {
        int step = 2 * DL, up = n - n % step, i = 0;
        DoubleVector s0 = DoubleVector.zero(DS), s1 = s0;
        for (; i < up; i += step) {
            FloatVector v = FloatVector.fromArray(FW, a, p + i);
            DoubleVector v0 = VectorTranscendentals.wide(v, 0), v1 = VectorTranscendentals.wide(v, 1);
            s0 = s0.add(v0.mul(v0));
            s1 = s1.add(v1.mul(v1));
        }
        double acc = lanesInOrder(s0.add(s1));
        for (; i < n; i++) {
            double v = a[p + i];
            acc += v * v;
        }
        return acc;
    }

    @Override
    double sumSquaresF64(double[] a, int p, int n) {
        int step = 2 * DL, up = n - n % step, i = 0;
        DoubleVector s0 = DoubleVector.zero(DS), s1 = s0;
        for (; i < up; i += step) {
            DoubleVector v0 = DoubleVector.fromArray(DS, a, p + i), v1 = DoubleVector.fromArray(DS, a, p + i + DL);
            s0 = s0.add(v0.mul(v0));
            s1 = s1.add(v1.mul(v1));
        }
        double acc = lanesInOrder(s0.add(s1));
        for (; i < n; i++) acc += a[p + i] * a[p + i];
        return acc;
    }

    /** The lanes added first to last: one order in every JIT state (reduceLanes promises none). */
    private static double lanesInOrder(DoubleVector v) {
        double acc = 0;
        for (int l = 0; l < DL; l++) acc += v.lane(l);
        return acc;
    }

    @Override
    void columnSumF32(float[] x, int p, int[] rows, int cols, float[] o, int po) {
        int j = 0;
        // Two double vectors of columns: each lane adds its column's rows in order, as the scalar loop does.
        for (; j + 2 * DL <= cols; j += 2 * DL) {
            DoubleVector s0 = DoubleVector.zero(DS), s1 = s0;
            for (int row : rows) {
                int q = p + row + j;
                FloatVector v = FloatVector.fromArray(FW, x, q);
                s0 = s0.add(VectorTranscendentals.wide(v, 0));
                s1 = s1.add(VectorTranscendentals.wide(v, 1));
            }
            // Lane by lane: a half-width FloatVector.intoArray would spoil every full-width store (see VectorTranscendentals.store).
            for (int l = 0; l < DL; l++) {
                o[po + j + l] = (float) s0.lane(l);
                o[po + j + DL + l] = (float) s1.lane(l);
            }
        }
        if (j < cols) super.columnSumF32(x, p + j, rows, cols - j, o, po + j);
    }

    @Override
    void columnSumF64(double[] x, int p, int[] rows, int cols, double[] o, int po) {
        int j = 0;
        for (; j + 2 * DL <= cols; j += 2 * DL) {
            DoubleVector s0 = DoubleVector.zero(DS), s1 = s0;
            for (int row : rows) {
                int q = p + row + j;
                s0 = s0.add(DoubleVector.fromArray(DS, x, q));
                s1 = s1.add(DoubleVector.fromArray(DS, x, q + DL));
            }
            s0.intoArray(o, po + j);
            s1.intoArray(o, po + j + DL);
        }
        if (j < cols) super.columnSumF64(x, p + j, rows, cols - j, o, po + j);
    }
}
