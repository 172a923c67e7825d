package jtorch.kernels;

/**
 * exp, log, tanh and sigmoid built only from exactly rounded operations (add, subtract, multiply,
 * divide, fused multiply-add, bit operations, comparisons and selections), in the order
 * {@code VectorTranscendentals} performs them lane by lane. Both therefore give the same bits for
 * every input, whatever the JIT has compiled and whichever provider runs (the Vector API's own
 * {@code EXP}/{@code LOG}/{@code TANH} operators do not: they are SVML calls once C2 compiles a
 * loop and StrictMath before). This class is the scalar fallback, the strided loops and the
 * per-element form used by other kernels (softmax).
 *
 * <p>float64: Cody-Waite reduction {@code x = n ln2 + r} (ln2 in two parts, the first with 32
 * significant bits so {@code n * LN2_HI} is exact), a degree-13 Taylor polynomial on
 * {@code |r| <= ln2/2} (truncation below 2^-57 of the result) and the scale {@code 2^n} applied
 * in two halves so that subnormal results round once; log as fdlibm does it (mantissa in
 * [sqrt(1/2), sqrt(2)), {@code s = f / (2 + f)}, fdlibm's degree-14 minimax polynomial in s);
 * tanh by Cephes's rational form below 0.625 and {@code 1 - 2 / (exp(2|x|) + 1)} above.
 * Within one ulp of the correctly rounded result (TranscendentalsTest measures it against a
 * BigDecimal reference; TranscendentalsSweep over every float).
 *
 * <p>float32 is computed in double from the float and rounded once, with a degree-9 exp
 * (truncation below 2^-37), so it is the correctly rounded float but in rare near-tie cases.
 * Sigmoid is PyTorch's {@code 1 / (1 + exp(-x))}, in float64 with the sum's rounding error kept
 * and one Newton step on the quotient (so within 1 ulp); below -708, where {@code exp(-x)}
 * overflows and the formula would give 0, it is {@code exp(x)}, which is what the exact value
 * rounds to there. float32 sigmoid is {@link FloatExp#sigmoid}, computed in float.
 *
 * <pre>{@code
 * double y = Transcendentals.exp(1.0);          // 2.718281828459045
 * float e = (float) Transcendentals.expF(1f); // 2.7182817f
 * }</pre>
 */
final class Transcendentals {
    private Transcendentals() {}

    static final double LOG2E = 0x1.71547652b82fep0;
    /** ln 2 = LN2_HI + LN2_LO; LN2_HI has 32 significant bits. */
    static final double NEG_LN2_HI = -0x1.62e42feep-1, NEG_LN2_LO = -0x1.a39ef35793c76p-33;
    static final double LN2_HI = 0x1.62e42feep-1, LN2_LO = 0x1.a39ef35793c76p-33;
    /** -ln 2 rounded: one reduction step is enough for the float32 forms. */
    static final double NEG_LN2 = -0x1.62e42fefa39efp-1;
    /** 1.5 * 2^52: adding it rounds to an integer that then sits in the low mantissa bits. */
    static final double SHIFT = 0x1.8p52;
    static final long SHIFT_BITS = 0x4338000000000000L;

    /** 1/k! for k = 2..13. */
    static final double E2 = 0x1.0p-1, E3 = 0x1.5555555555555p-3, E4 = 0x1.5555555555555p-5, E5 = 0x1.1111111111111p-7,
            E6 = 0x1.6c16c16c16c17p-10, E7 = 0x1.a01a01a01a01ap-13, E8 = 0x1.a01a01a01a01ap-16, E9 = 0x1.71de3a556c734p-19,
            E10 = 0x1.27e4fb7789f5cp-22, E11 = 0x1.ae64567f544e4p-26, E12 = 0x1.1eed8eff8d898p-29, E13 = 0x1.6124613a86d09p-33;

    /** fdlibm's log polynomial (e_log.c, Lg1..Lg7). */
    static final double LG1 = 6.666666666666735130e-01, LG2 = 3.999999999940941908e-01, LG3 = 2.857142874366239149e-01,
            LG4 = 2.222219843214978396e-01, LG5 = 1.818357216161805012e-01, LG6 = 1.531383769920937332e-01,
            LG7 = 1.479819860511658591e-01;
    /** Bits of sqrt(1/2): subtracting them puts the exponent of [sqrt(1/2), sqrt(2)) at 0. */
    static final long SQRT_HALF_BITS = 0x3fe6a09e667f3bcdL;
    static final long EXP_MASK = 0xfff0000000000000L, SIGN_MASK = 0x8000000000000000L;
    static final double TWO54 = 0x1p54;

    /** Cephes's tanh rational form for |x| < 0.625: x + x z P(z) / Q(z), z = x^2, Q monic. */
    static final double TP0 = -9.64399179425052238628E-1, TP1 = -9.92877231001918586564E1, TP2 = -1.61468768441708447952E3;
    static final double TQ0 = 1.12811678491632931402E2, TQ1 = 2.23548839060100448583E3, TQ2 = 4.84406305325125486048E3;
    static final double TANH_SMALL = 0.625;

    /** exp in double (float64 tensors). */
    static double exp(double x) {
        x = Math.min(Math.max(x, -746.0), 710.0); // beyond: 0 and +inf; NaN stays
        double t = Math.fma(x, LOG2E, SHIFT);
        double n = t - SHIFT;
        double r = Math.fma(n, NEG_LN2_HI, x);
        r = Math.fma(n, NEG_LN2_LO, r);
        double p = Math.fma(E13, r, E12);
        p = Math.fma(p, r, E11);
        p = Math.fma(p, r, E10);
        p = Math.fma(p, r, E9);
        p = Math.fma(p, r, E8);
        p = Math.fma(p, r, E7);
        p = Math.fma(p, r, E6);
        p = Math.fma(p, r, E5);
        p = Math.fma(p, r, E4);
        p = Math.fma(p, r, E3);
        p = Math.fma(p, r, E2);
        p = Math.fma(p, r, 1.0);
        p = Math.fma(p, r, 1.0);
        long k = Double.doubleToRawLongBits(t) - SHIFT_BITS;
        long k1 = k >> 1, k2 = k - k1;
        return p * Double.longBitsToDouble((k1 + 1023) << 52) * Double.longBitsToDouble((k2 + 1023) << 52);
    }

    /** exp of a float's value in double, to be rounded to float: outside +-708 it is 0 or inf in float anyway. */
    static double expF(double x) {
        x = Math.min(Math.max(x, -708.0), 708.0);
        double t = Math.fma(x, LOG2E, SHIFT);
        double n = t - SHIFT;
        double r = Math.fma(n, NEG_LN2, x);
        double p = Math.fma(E9, r, E8);
        p = Math.fma(p, r, E7);
        p = Math.fma(p, r, E6);
        p = Math.fma(p, r, E5);
        p = Math.fma(p, r, E4);
        p = Math.fma(p, r, E3);
        p = Math.fma(p, r, E2);
        p = Math.fma(p, r, 1.0);
        p = Math.fma(p, r, 1.0);
        long k = Double.doubleToRawLongBits(t) - SHIFT_BITS;
        return p * Double.longBitsToDouble((k + 1023) << 52);
    }

    /** Natural log in double (float64 tensors, and float32 ones through a double). */
    static double log(double x) {
        boolean sub = x < Double.MIN_NORMAL;
        double xs = sub ? x * TWO54 : x;
        double kAdj = sub ? -54.0 : 0.0;
        long ix = Double.doubleToRawLongBits(xs);
        long tmp = ix - SQRT_HALF_BITS;
        long k = tmp >> 52;
        double z = Double.longBitsToDouble(ix - (tmp & EXP_MASK)); // in [sqrt(1/2), sqrt(2))
        double dk = (Double.longBitsToDouble(k + SHIFT_BITS) - SHIFT) + kAdj;
        double f = z - 1.0;
        double s = f / (2.0 + f);
        double z2 = s * s;
        double w = z2 * z2;
        double t1 = w * (LG2 + w * (LG4 + w * LG6));
        double t2 = z2 * (LG1 + w * (LG3 + w * (LG5 + w * LG7)));
        double rr = t2 + t1;
        double hfsq = 0.5 * f * f;
        double res = dk * LN2_HI - ((hfsq - (s * (hfsq + rr) + dk * LN2_LO)) - f);
        if (x == Double.POSITIVE_INFINITY) res = Double.POSITIVE_INFINITY;
        if (x == 0.0) res = Double.NEGATIVE_INFINITY;
        if (!(x >= 0.0)) res = Double.NaN;
        return res;
    }

    /** tanh in double (float64 tensors). */
    static double tanh(double x) {
        double ax = Math.abs(x);
        double e = exp(ax + ax);
        return tanhFinish(x, ax, e);
    }

    /** tanh of a float's value in double, to be rounded to float. */
    static double tanhF(double x) {
        double ax = Math.abs(x);
        double e = expF(ax + ax);
        return tanhFinish(x, ax, e);
    }

    private static double tanhFinish(double x, double ax, double e) {
        double big = 1.0 - 2.0 / (e + 1.0);
        double z = ax * ax;
        double pp = z * TP0 + TP1;
        pp = pp * z + TP2;
        double qq = z + TQ0;
        qq = qq * z + TQ1;
        qq = qq * z + TQ2;
        double small = ax + ax * z * pp / qq;
        double r = ax < TANH_SMALL ? small : big;
        // tanh is odd: the sign of x, -0 and NaN included.
        return Double.longBitsToDouble(Double.doubleToRawLongBits(r) | (Double.doubleToRawLongBits(x) & SIGN_MASK));
    }

    /** PyTorch's sigmoid {@code 1 / (1 + exp(-x))} in double; exp(x) below -708. */
    static double sigmoid(double x) {
        double e = exp(-x);
        // 1 / (1 + e) with the sum's rounding error kept (two-sum) and one Newton step on the
        // quotient: only exp's rounding and the last one remain, so within 1 ulp.
        double s = 1.0 + e;
        double bb = s - 1.0;
        double lo = (1.0 - (s - bb)) + (e - bb);
        double q = 1.0 / s;
        double r = Math.fma(-q, s, 1.0) - q * lo;
        double y = Math.fma(q, r, q);
        if (x < -708.0) y = exp(x);
        return y;
    }

    // ------------------------------------------------------------------ run loops (the scalar provider's, and the vector tails)

    static void runF32(UnaryOp op, float[] o, int po, int so, float[] a, int pa, int sa, int n) {
        switch (op) {
            case EXP: for (int i = 0; i < n; i++, po += so, pa += sa) o[po] = (float) expF(a[pa]); break;
            case LOG: for (int i = 0; i < n; i++, po += so, pa += sa) o[po] = (float) log(a[pa]); break;
            case TANH: for (int i = 0; i < n; i++, po += so, pa += sa) o[po] = (float) tanhF(a[pa]); break;
            case SIGMOID: for (int i = 0; i < n; i++, po += so, pa += sa) o[po] = FloatExp.sigmoid(a[pa]); break;
            default: throw new AssertionError(op);
        }
    }

    static void runF64(UnaryOp op, double[] o, int po, int so, double[] a, int pa, int sa, int n) {
        switch (op) {
            case EXP: for (int i = 0; i < n; i++, po += so, pa += sa) o[po] = exp(a[pa]); break;
            case LOG: for (int i = 0; i < n; i++, po += so, pa += sa) o[po] = log(a[pa]); break;
            case TANH: for (int i = 0; i < n; i++, po += so, pa += sa) o[po] = tanh(a[pa]); break;
            case SIGMOID: for (int i = 0; i < n; i++, po += so, pa += sa) o[po] = sigmoid(a[pa]); break;
            default: throw new AssertionError(op);
        }
    }
}
