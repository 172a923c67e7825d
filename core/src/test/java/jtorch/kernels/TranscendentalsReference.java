package jtorch.kernels;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * Correctly rounded float64 exp, log, tanh and sigmoid from 60-digit {@link BigDecimal}
 * arithmetic, to measure {@link Transcendentals} against (StrictMath's tanh is itself up to 2 ulps
 * off, and 1 / (1 + StrictMath.exp(-x)) rounds three times). Slow: for samples, not sweeps.
 */
final class TranscendentalsReference {
    private TranscendentalsReference() {}

    private static final MathContext MC = new MathContext(60);
    private static final BigDecimal SMALL = new BigDecimal("0.001"), TWO = BigDecimal.valueOf(2);

    /** e^x to 60 digits: halve x until it is below 10^-3, Taylor series, square back. */
    static BigDecimal expBig(double x) {
        BigDecimal y = new BigDecimal(x);
        int halvings = 0;
        while (y.abs().compareTo(SMALL) > 0) { y = y.divide(TWO); halvings++; }
        BigDecimal sum = BigDecimal.ONE, term = BigDecimal.ONE;
        for (int k = 1; k < 20; k++) {
            term = term.multiply(y, MC).divide(BigDecimal.valueOf(k), MC);
            sum = sum.add(term, MC);
        }
        for (int i = 0; i < halvings; i++) sum = sum.multiply(sum, MC);
        return sum;
    }

    static double exp(double x) {
        if (Double.isNaN(x)) return x;
        if (x > 710) return Double.POSITIVE_INFINITY;
        if (x < -746) return 0.0;
        return expBig(x).doubleValue();
    }

    /** One Newton step y + x e^-y - 1 from StrictMath's value (within an ulp): about 30 digits. */
    static double log(double x) {
        if (!(x > 0) || Double.isInfinite(x)) return StrictMath.log(x);
        double y = StrictMath.log(x);
        return new BigDecimal(y).add(new BigDecimal(x).multiply(expBig(-y), MC), MC).subtract(BigDecimal.ONE, MC).doubleValue();
    }

    static double tanh(double x) {
        double ax = Math.abs(x);
        if (Double.isNaN(x) || ax == 0) return x;
        if (ax > 40) return Math.copySign(1.0, x);
        BigDecimal r;
        if (ax < 1e-4) { // x - x^3/3 + 2x^5/15 - 17x^7/315: (e^2x - 1) would cancel
            BigDecimal b = new BigDecimal(ax), b2 = b.multiply(b, MC);
            r = b.subtract(b.multiply(b2, MC).divide(BigDecimal.valueOf(3), MC), MC)
                    .add(b.multiply(b2.pow(2, MC), MC).multiply(TWO).divide(BigDecimal.valueOf(15), MC), MC)
                    .subtract(b.multiply(b2.pow(3, MC), MC).multiply(BigDecimal.valueOf(17)).divide(BigDecimal.valueOf(315), MC), MC);
        } else {
            BigDecimal e = expBig(2 * ax);
            r = e.subtract(BigDecimal.ONE).divide(e.add(BigDecimal.ONE), MC);
        }
        return Math.copySign(r.doubleValue(), x);
    }

    static double sigmoid(double x) {
        if (Double.isNaN(x)) return x;
        if (x > 40) return 1.0;
        if (x < -746) return 0.0;
        return BigDecimal.ONE.divide(BigDecimal.ONE.add(expBig(-x), MC), MC).doubleValue();
    }

    static double of(UnaryOp op, double x) {
        switch (op) {
            case EXP: return exp(x);
            case LOG: return log(x);
            case TANH: return tanh(x);
            case SIGMOID: return sigmoid(x);
            default: throw new AssertionError(op);
        }
    }

    /** Distance in representable doubles (0 for two NaNs, and between +0 and -0 it is 1). */
    static long ulpDistance(double a, double b) {
        if (Double.isNaN(a) || Double.isNaN(b)) return Double.isNaN(a) && Double.isNaN(b) ? 0 : Long.MAX_VALUE;
        return Math.abs(ordered(a) - ordered(b));
    }

    /** As {@link #ulpDistance(double, double)} between floats. */
    static long ulpDistance(float a, float b) {
        if (Float.isNaN(a) || Float.isNaN(b)) return Float.isNaN(a) && Float.isNaN(b) ? 0 : Long.MAX_VALUE;
        return Math.abs(ordered(a) - ordered(b));
    }

    private static long ordered(double d) {
        long b = Double.doubleToRawLongBits(d);
        return b < 0 ? -(b & Long.MAX_VALUE) - 1 : b;
    }

    private static long ordered(float f) {
        int b = Float.floatToRawIntBits(f);
        return b < 0 ? -(long) (b & Integer.MAX_VALUE) - 1 : b;
    }

    /** float32 reference: the double result rounded to float (double rounding only in rare near-ties, within the 1-ulp bound). */
    static float f32(UnaryOp op, float x) {
        switch (op) {
            case EXP: return (float) StrictMath.exp(x);
            case LOG: return (float) StrictMath.log(x);
            case TANH: return (float) StrictMath.tanh(x); // its 2.5 ulps of double are far below float's
            case SIGMOID: return (float) (x < 0 ? StrictMath.exp(x) / (1 + StrictMath.exp(x)) : 1 / (1 + StrictMath.exp(-x)));
            default: throw new AssertionError(op);
        }
    }
}
