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
 * {@link StrictMath} (itself within 1 ulp of the exact result) over dense samples and special values.
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
        for (int rep = 0; rep < 300; rep++)
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

    static double exact(UnaryOp op, double x) {
        switch (op) {
            case EXP: return StrictMath.exp(x);
            case LOG: return StrictMath.log(x);
            case TANH: return StrictMath.tanh(x);
            default: return x < 0 ? StrictMath.exp(x) / (1 + StrictMath.exp(x)) : 1 / (1 + StrictMath.exp(-x));
        }
    }

    /** Error of {@code got} in ulps of the reference's dtype; specials must match exactly (else +inf). */
    static double ulps(double got, double want, boolean f32) {
        if (Double.isNaN(want)) return Double.isNaN(got) ? 0 : Double.POSITIVE_INFINITY;
        if (Double.isInfinite(want) || want == 0)
            return Double.doubleToLongBits(got) == Double.doubleToLongBits(want) ? 0 : Double.POSITIVE_INFINITY;
        double ulp = f32 ? Math.ulp((float) want) : Math.ulp(want);
        return Math.abs(got - want) / ulp;
    }

    /**
     * float32 over a dense sweep of the floats where each op is not trivially saturated (every
     * 61st bit pattern, about 1.1 M values per sign, and every float from -2 to 2 that is a
     * multiple of 2^-12): within 1 ulp of the correctly rounded float, the scalar form and the
     * vector one alike (the whole sweep through each).
     */
    @Example
    void float32IsWithinOneUlpOverADenseSweep() {
        ElementKernels v = vector();
        int count = 0;
        float[] xs = new float[2 * (0x7f800000 / 61 + 1) + 16385];
        for (int b = 0; b < 0x7f800000; b += 61) { xs[count++] = Float.intBitsToFloat(b); xs[count++] = -Float.intBitsToFloat(b); }
        for (int i = -8192; i <= 8192; i++) xs[count++] = i * 0x1p-12f;
        float[] os = new float[count], ov = new float[count];
        for (UnaryOp op : OPS) {
            ElementKernels.SCALAR.transcendentalF32(op, os, 0, xs, 0, count);
            v.transcendentalF32(op, ov, 0, xs, 0, count);
            double worst = 0;
            float worstAt = 0;
            for (int i = 0; i < count; i++) {
                float x = xs[i];
                double want = (float) exact(op, x);
                assertEquals(Float.floatToRawIntBits(os[i]), Float.floatToRawIntBits(ov[i]), op + " of " + x);
                double u = ulps(os[i], want, true);
                if (Math.abs(want) < Float.MIN_NORMAL && op == UnaryOp.SIGMOID) u = Math.min(u, Math.abs(os[i] - want) / Float.MIN_VALUE);
                if (u > worst) { worst = u; worstAt = x; }
            }
            assertTrue(worst <= 1, op + " float32: " + worst + " ulps at " + worstAt);
        }
    }

    /**
     * float64 over 2^20 random values per op in its interesting range plus the special values: within
     * 1 ulp of StrictMath (which is itself within 1 ulp of the exact result: about 1 ulp of the
     * correctly rounded result in all).
     */
    @Example
    void float64IsWithinOneUlpOfStrictMath() {
        ElementKernels v = vector();
        Random rnd = new Random(Long.parseLong(Props.SEED));
        int count = 1 << 20;
        double[] xs = new double[count], os = new double[count], ov = new double[count];
        for (UnaryOp op : OPS) {
            for (int i = 0; i < count; i++) {
                switch (i % 4) {
                    case 0: xs[i] = op == UnaryOp.LOG ? Math.exp(rnd.nextDouble() * 1480 - 745) : rnd.nextDouble() * 1500 - 750; break;
                    case 1: xs[i] = op == UnaryOp.LOG ? rnd.nextDouble() * 4 : rnd.nextGaussian() * 4; break;
                    case 2: xs[i] = op == UnaryOp.LOG ? 1 + (rnd.nextDouble() - 0.5) * 1e-3 : (rnd.nextDouble() - 0.5) * 1.3; break;
                    default: xs[i] = value(rnd, false);
                }
            }
            ElementKernels.SCALAR.transcendentalF64(op, os, 0, xs, 0, count);
            v.transcendentalF64(op, ov, 0, xs, 0, count);
            double worst = 0, worstAt = 0;
            for (int i = 0; i < count; i++) {
                assertEquals(Double.doubleToRawLongBits(os[i]), Double.doubleToRawLongBits(ov[i]), op + " of " + xs[i]);
                double want = exact(op, xs[i]);
                double u = ulps(os[i], want, false);
                // Subnormal results: an ulp is the smallest subnormal, as for normal ones.
                if (u > worst) { worst = u; worstAt = xs[i]; }
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
        assertEquals(Double.MAX_VALUE, Transcendentals.exp(709.782712893384), Math.ulp(Double.MAX_VALUE));
        assertEquals(Double.MIN_VALUE, Transcendentals.exp(-745.0));
        assertEquals(Float.POSITIVE_INFINITY, (float) Transcendentals.expF(88.7229f));
        assertEquals(Float.MIN_VALUE, (float) Transcendentals.expF(-103.2f));
        assertEquals(1f, (float) Transcendentals.tanhF(20f));
        assertTrue(Float.isNaN((float) Transcendentals.sigmoidF(Float.NaN)));
        assertTrue(Double.isNaN(Transcendentals.log(-1.0)) && Double.isNaN(Transcendentals.log(-0x1p-1070)));
    }

    private static void assertSame(double want, double got, String what) {
        assertNotNull(what);
        if (Double.isNaN(want)) assertTrue(Double.isNaN(got), what + ": " + got);
        else assertEquals(Double.doubleToRawLongBits(want), Double.doubleToRawLongBits(got), what + ": got " + got + ", Math " + want);
    }
}
