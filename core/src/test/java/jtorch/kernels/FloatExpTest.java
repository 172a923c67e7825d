package jtorch.kernels;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link FloatExp}: within 1 ulp of the correctly rounded float on a sweep of every 997th float of
 * [-110, 90] (subnormal and overflowing results included; StrictMath's double exp rounded to float
 * is the reference), the special values, and every provider's vector form equal to the scalar form
 * bit for bit.
 */
class FloatExpTest {
    /** The element kernels of every provider this machine has. */
    static java.util.List<ElementKernels> everyProvider() {
        java.util.List<ElementKernels> providers = new java.util.ArrayList<>();
        for (KernelProvider p : KernelProvider.values()) {
            if (!Kernels.isAvailable(p)) continue;
            try (Kernels.Scope s = Kernels.use(p)) {
                providers.add(ElementKernels.get());
            }
        }
        return providers;
    }

    /** Checks a full batch of swept floats: {@code in[0, n)}. */
    interface Batch { void check(float[] in, int n); }

    /**
     * Every {@code step}-th float bit pattern that lies in {@code [lo, hi]}, handed over in full
     * batches of {@code batchSize} (a last partial batch is not checked); returns how many were checked.
     */
    static long sweep(int step, float lo, float hi, int batchSize, Batch batch) {
        float[] in = new float[batchSize];
        long checked = 0;
        int fill = 0;
        for (long bits = 0; bits <= 0xFFFFFFFFL; bits += step) {
            float x = Float.intBitsToFloat((int) bits);
            if (!(x >= lo && x <= hi)) continue;
            in[fill++] = x;
            if (fill < in.length) continue;
            batch.check(in, fill);
            checked += fill;
            fill = 0;
        }
        return checked;
    }

    @Test
    void withinOneUlpAndEveryProviderGivesTheScalarBits() {
        float[] out = new float[4096];
        java.util.List<ElementKernels> providers = everyProvider();
        long checked = sweep(997, -110f, 90f, out.length, (in, fill) -> {
            for (ElementKernels k : providers) {
                k.floatExpF32(out, 0, in, 0, fill);
                for (int i = 0; i < fill; i++)
                    if (Float.floatToRawIntBits(out[i]) != Float.floatToRawIntBits(FloatExp.exp(in[i])))
                        assertEquals(FloatExp.exp(in[i]), out[i], k.describe() + ": exp(" + in[i] + ")");
            }
            for (int i = 0; i < fill; i++) {
                float got = FloatExp.exp(in[i]), want = (float) StrictMath.exp(in[i]);
                if (Float.isInfinite(want)) assertEquals(want, got, "exp(" + in[i] + ")");
                else assertTrue(Math.abs(Float.floatToRawIntBits(got) - Float.floatToRawIntBits(want)) <= 1,
                        "exp(" + in[i] + ") = " + got + ", correctly rounded " + want);
            }
        });
        assertTrue(checked > 1_000_000, "swept " + checked);
    }

    @Test
    void specialValues() {
        assertEquals(1f, FloatExp.exp(0f));
        assertEquals(1f, FloatExp.exp(-0f));
        assertEquals(0f, FloatExp.exp(Float.NEGATIVE_INFINITY));
        assertEquals(0f, FloatExp.exp(-200f));
        assertEquals(Float.POSITIVE_INFINITY, FloatExp.exp(Float.POSITIVE_INFINITY));
        assertEquals(Float.POSITIVE_INFINITY, FloatExp.exp(89f));
        assertTrue(Float.isNaN(FloatExp.exp(Float.NaN)));
        assertTrue(Float.isFinite(FloatExp.exp(88.7f)) && FloatExp.exp(88.8f) == Float.POSITIVE_INFINITY, "the overflow threshold");
        assertTrue(FloatExp.exp(-103f) > 0f && FloatExp.exp(-104f) == 0f, "the underflow threshold");
    }
}
