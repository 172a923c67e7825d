package jtorch.kernels;

import java.util.Random;

import jtorch.Props;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.BeforeContainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Transcendentals} and its Vector API form: the same bits from the vector loops and from
 * the scalar fallback, for every length (tails included) and value, after the vector loops have
 * been compiled by C2 and in whatever state they are when a property starts; and accuracy against
 * the correctly rounded result ({@link TranscendentalsReference}) over samples, and special values
 * as {@link Math} gives them.
 */
class TranscendentalsTest {
    private static final UnaryOp[] OPS = {UnaryOp.EXP, UnaryOp.LOG, UnaryOp.TANH, UnaryOp.SIGMOID};

    /** The Vector API kernels (the scalar ones are {@link ElementKernels#SCALAR}). */
    private static ElementKernels vector() {
        try (Kernels.Scope s = Kernels.use(KernelProvider.VECTOR)) {
            ElementKernels k = ElementKernels.get();
            assertTrue(k instanceof VectorElementwise, "the VECTOR provider runs " + k.describe());
            return k;
        }
    }

    /** Runs the vector loops long enough for C2 to compile them, so that the properties compare compiled code too. */
    @BeforeContainer
    static void warmUp() {
        ElementKernels v = vector();
        Random rnd = new Random(1);
        float[] a = new float[1024], o = new float[1024];
        double[] ad = new double[1024], od = new double[1024];
        for (int i = 0; i < a.length; i++) { a[i] = (float) (rnd.nextGaussian() * 8); ad[i] = rnd.nextGaussian() * 8; }
        for (int rep = 0; rep < 80; rep++)
            for (UnaryOp op : OPS) {
                v.transcendentalF32(op, o, 0, a, 0, a.length);
                v.transcendentalF64(op, od, 0, ad, 0, ad.length);
            }
    }

    @Provide
    Arbitrary<Long> seeds() { return Arbitraries.longs(); }

    /** Values across the whole range: ordinary, near the overflow and underflow thresholds, tiny, subnormal, special. */
    static double value(Random rnd, boolean f32) {
        switch (rnd.nextInt(8)) {
            case 0: return rnd.nextGaussian() * 3;
            case 1: return (rnd.nextDouble() * 2 - 1) * (f32 ? 110 : 760);
            case 2: return (rnd.nextBoolean() ? 1 : -1) * (f32 ? 88.72 + rnd.nextDouble() * 16 : 708 + rnd.nextDouble() * 40);
            case 3: return Math.exp(rnd.nextDouble() * 200 - 100) * (rnd.nextBoolean() ? 1 : -1);
            case 4: return f32 ? Float.intBitsToFloat(rnd.nextInt(0x800000)) : Double.longBitsToDouble(rnd.nextLong() & 0xfffffffffffffL);
            case 5: {
                double[] special = {0.0, -0.0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN, 1, -1, 0.625, -0.625,
                        f32 ? Float.MAX_VALUE : Double.MAX_VALUE, f32 ? Float.MIN_VALUE : Double.MIN_VALUE, 88.72283935546875, -103.97208,
                        709.782712893384, -745.1332191019411, -708.0, -708.5, 0.34657359, -0.34657359};
                return special[rnd.nextInt(special.length)];
            }
            case 6: return rnd.nextDouble() * 0.7 - 0.35; // the reduced range and the small-tanh branch
            default: return f32 ? Float.intBitsToFloat(rnd.nextInt()) : Double.longBitsToDouble(rnd.nextLong()); // any bits
        }
    }

    /** The vector loops and the scalar fallback give the same bits for every op, dtype, length (tails) and offset. */
    @Property(seed = Props.SEED, tries = 300)
    void vectorAndScalarGiveTheSameBits(@ForAll @IntRange(min = 0, max = 70) int n, @ForAll("seeds") long seed) {
        Random rnd = new Random(seed);
        UnaryOp op = OPS[rnd.nextInt(OPS.length)];
        int off = rnd.nextInt(5);
        ElementKernels v = vector();
        if (rnd.nextBoolean()) {
            float[] a = new float[off + n], ov = new float[off + n], os = new float[off + n];
            for (int i = 0; i < a.length; i++) a[i] = (float) value(rnd, true);
            v.transcendentalF32(op, ov, off, a, off, n);
            ElementKernels.SCALAR.transcendentalF32(op, os, off, a, off, n);
            for (int i = off; i < off + n; i++)
                assertEquals(Float.floatToRawIntBits(os[i]), Float.floatToRawIntBits(ov[i]),
                        op + " float32 of " + a[i] + " at " + (i - off) + " of " + n + ": scalar " + os[i] + ", vector " + ov[i]);
        } else {
            double[] a = new double[off + n], ov = new double[off + n], os = new double[off + n];
            for (int i = 0; i < a.length; i++) a[i] = value(rnd, false);
            v.transcendentalF64(op, ov, off, a, off, n);
            ElementKernels.SCALAR.transcendentalF64(op, os, off, a, off, n);
            for (int i = off; i < off + n; i++)
                assertEquals(Double.doubleToRawLongBits(os[i]), Double.doubleToRawLongBits(ov[i]),
                        op + " float64 of " + a[i] + " at " + (i - off) + " of " + n + ": scalar " + os[i] + ", vector " + ov[i]);
        }
    }

    /** float32 values to check: every {@code stride}-th bit pattern of each sign, and the multiples of 2^-12 in [-2, 2]. */
    static float[] float32Sample(int stride) {
        int count = 0;
        float[] xs = new float[2 * (0x7f800000 / stride + 1) + 16385];
        for (int b = 0; b < 0x7f800000; b += stride) { xs[count++] = Float.intBitsToFloat(b); xs[count++] = -Float.intBitsToFloat(b); }
        for (int i = -8192; i <= 8192; i++) xs[count++] = i * 0x1p-12f;
        return java.util.Arrays.copyOf(xs, count);
    }

    /**
     * The worst distance in floats between {@code op} through {@code k} and the correctly rounded
     * float (the double reference rounded), over {@code xs}; "worst at x" in {@code where[0]}.
     */
    static long worstFloat32(ElementKernels k, UnaryOp op, float[] xs, float[] where) {
        float[] o = new float[xs.length];
        k.transcendentalF32(op, o, 0, xs, 0, xs.length);
        long worst = 0;
        for (int i = 0; i < xs.length; i++) {
            long d = TranscendentalsReference.ulpDistance(o[i], TranscendentalsReference.f32(op, xs[i]));
            if (d > worst) { worst = d; where[0] = xs[i]; }
        }
        return worst;
    }

    /**
     * float32 over a sample of the floats (every 8191st bit pattern of each sign, about 260 K
     * values, and every multiple of 2^-12 in [-2, 2]): within 1 ulp of the correctly rounded float,
     * the scalar form and the vector one alike. TranscendentalsSweep runs every float.
     */
    @Example
    void float32IsWithinOneUlpOverASampledSweep() {
        float[] xs = float32Sample(8191), where = new float[1];
        for (UnaryOp op : OPS) {
            long worst = worstFloat32(ElementKernels.SCALAR, op, xs, where);
            assertTrue(worst <= 1, op + " float32 (scalar): " + worst + " ulps at " + where[0]);
            worst = worstFloat32(vector(), op, xs, where);
            assertTrue(worst <= 1, op + " float32 (vector): " + worst + " ulps at " + where[0]);
        }
    }

    /** float64 inputs for {@code op}: its whole range, its ordinary range, the reduced/small-tanh range, tiny values, special values. */
    static double float64Input(UnaryOp op, Random rnd, int i) {
        boolean log = op == UnaryOp.LOG;
        switch (i % 5) {
            case 0: return log ? Math.exp(rnd.nextDouble() * 1480 - 745) : rnd.nextDouble() * 1500 - 750;
            case 1: return log ? rnd.nextDouble() * 4 : rnd.nextGaussian() * 4;
            case 2: return log ? 1 + (rnd.nextDouble() - 0.5) * 1e-3 : (rnd.nextDouble() - 0.5) * 1.4;
            case 3: return (log ? 1 : rnd.nextBoolean() ? 1 : -1) * Math.exp(-rnd.nextDouble() * 60);
            default: return value(rnd, false);
        }
    }

    /**
     * float64 over 5000 values per op (see {@link #float64Input}): within 1 ulp of the correctly
     * rounded result (60-digit BigDecimal reference), special values bit for bit, vector and scalar alike.
     */
    @Example
    void float64IsWithinOneUlpOfTheCorrectlyRoundedResult() {
        ElementKernels v = vector();
        Random rnd = new Random(Long.parseLong(Props.SEED));
        int count = 5000;
        double[] xs = new double[count], os = new double[count], ov = new double[count];
        for (UnaryOp op : OPS) {
            for (int i = 0; i < count; i++) xs[i] = float64Input(op, rnd, i);
            ElementKernels.SCALAR.transcendentalF64(op, os, 0, xs, 0, count);
            v.transcendentalF64(op, ov, 0, xs, 0, count);
            long worst = 0;
            double worstAt = 0;
            for (int i = 0; i < count; i++) {
                assertEquals(Double.doubleToRawLongBits(os[i]), Double.doubleToRawLongBits(ov[i]), op + " of " + xs[i]);
                double want = TranscendentalsReference.of(op, xs[i]);
                long d = Double.isNaN(want) || Double.isInfinite(want) || want == 0
                        ? (Double.doubleToRawLongBits(want) == Double.doubleToRawLongBits(os[i]) || Double.isNaN(want) && Double.isNaN(os[i]) ? 0 : Long.MAX_VALUE)
                        : TranscendentalsReference.ulpDistance(os[i], want);
                if (d > worst) { worst = d; worstAt = xs[i]; }
            }
            assertTrue(worst <= 1, op + " float64: " + worst + " ulps at " + worstAt);
        }
    }

    @Example
    void specialValuesComeOutAsMathGivesThem() {
        double[] specials = {0.0, -0.0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN, Double.MIN_VALUE};
        for (double x : specials) {
            assertSame(Math.exp(x), Transcendentals.exp(x), "exp " + x);
            assertSame(Math.log(x), Transcendentals.log(x), "log " + x);
            assertSame(Math.tanh(x), Transcendentals.tanh(x), "tanh " + x);
            assertSame((float) Math.exp(x), (float) Transcendentals.expF(x), "expF " + x);
            assertSame((float) Math.log((float) x), (float) Transcendentals.log((float) x), "log float " + x);
            assertSame((float) Math.tanh(x), (float) Transcendentals.tanhF(x), "tanhF " + x);
        }
        assertEquals(0.0, Transcendentals.sigmoid(Double.NEGATIVE_INFINITY));
        assertEquals(1.0, Transcendentals.sigmoid(Double.POSITIVE_INFINITY));
        assertEquals(0.5, Transcendentals.sigmoid(0.0));
        assertTrue(Double.isNaN(Transcendentals.sigmoid(Double.NaN)));
        assertTrue(Transcendentals.sigmoid(-720) > 0, "sigmoid(-720) is a subnormal, not 0");
        assertEquals(StrictMath.exp(-720), Transcendentals.sigmoid(-720));
        assertEquals(Double.POSITIVE_INFINITY, Transcendentals.exp(709.79));
        // The largest finite exp: 709.782712893384 is just below ln(MAX_VALUE), and Math.exp gives 1.7976931348622732E308 there.
        assertSame(Math.exp(709.782712893384), Transcendentals.exp(709.782712893384), "exp at the overflow threshold");
        assertSame(Math.exp(709.7827128933841), Transcendentals.exp(709.7827128933841), "exp just above it");
        assertEquals(Double.MIN_VALUE, Transcendentals.exp(-745.0));
        // Thresholds: the last finite / first infinite, the last subnormal / first zero, subnormal results, as Math.
        double[] thresholds = {709.78, 709.7827128933839, -708.3964185322641, -708.4, -720, -740, -745.1332191019411, -745.1332191019412, -746};
        for (double x : thresholds) assertSame(Math.exp(x), Transcendentals.exp(x), "exp " + x);
        float[] thresholdsF = {88.72283f, 88.72284f, -87.33654f, -87.33655f, -100f, -103.27893f, -103.97207f, -103.97208f, -104f};
        for (float x : thresholdsF) assertSame((float) Math.exp(x), (float) Transcendentals.expF(x), "exp float " + x);
        // Saturation: tanh is +-1 and sigmoid 1 once the exact value rounds there; sigmoid(-x) ~ exp(-x), subnormal, then 0.
        for (double x : new double[] {19.5, 30, 710, 1e300})
            assertTrue(Transcendentals.tanh(x) == 1 && Transcendentals.tanh(-x) == -1, "tanh saturation at " + x);
        for (double x : new double[] {38, 710, 1e300}) assertEquals(1.0, Transcendentals.sigmoid(x), "sigmoid saturation at " + x);
        assertTrue(Transcendentals.sigmoid(36) < 1, "sigmoid(36) is below 1");
        for (float x : new float[] {9.1f, 18f, 89f, 1e30f})
            assertTrue((float) Transcendentals.tanhF(x) == 1f && (float) Transcendentals.tanhF(-x) == -1f, "float tanh saturation at " + x);
        for (float x : new float[] {18f, 89f, 1e30f}) assertEquals(1f, FloatExp.sigmoid(x), "float sigmoid saturation at " + x);
        assertTrue(FloatExp.sigmoid(16f) < 1f, "float sigmoid(16) is below 1");
        assertSame(Math.exp(-740), Transcendentals.sigmoid(-740), "sigmoid -740");
        assertSame(0.0, Transcendentals.sigmoid(-746), "sigmoid -746");
        assertSame((float) Math.exp(-100f), FloatExp.sigmoid(-100f), "sigmoid float -100");
        assertSame(0f, FloatExp.sigmoid(-104f), "sigmoid float -104");
        assertSame(0.5, Transcendentals.sigmoid(-0.0), "sigmoid -0");
        assertSame(Double.NEGATIVE_INFINITY, Transcendentals.log(-0.0), "log -0");
        assertSame(Math.log(Double.MIN_VALUE), Transcendentals.log(Double.MIN_VALUE), "log of the smallest subnormal");
        assertSame((float) Math.log(Float.MIN_VALUE), (float) Transcendentals.log(Float.MIN_VALUE), "log of the smallest float subnormal");
        assertEquals(Float.POSITIVE_INFINITY, (float) Transcendentals.expF(88.7229f));
        assertEquals(Float.MIN_VALUE, (float) Transcendentals.expF(-103.2f));
        assertEquals(1f, (float) Transcendentals.tanhF(20f));
        assertTrue(Float.isNaN(FloatExp.sigmoid(Float.NaN)));
        assertTrue(Double.isNaN(Transcendentals.log(-1.0)) && Double.isNaN(Transcendentals.log(-0x1p-1070)));
    }

    private static void assertSame(double want, double got, String what) {
        assertNotNull(what);
        if (Double.isNaN(want)) assertTrue(Double.isNaN(got), what + ": " + got);
        else assertEquals(Double.doubleToRawLongBits(want), Double.doubleToRawLongBits(got), what + ": got " + got + ", Math " + want);
    }
}
