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
    @Test
    void withinOneUlpAndEveryProviderGivesTheScalarBits() {
        float[] in = new float[4096], out = new float[4096];
        java.util.List<ElementKernels> providers = new java.util.ArrayList<>();
        for (KernelProvider p : KernelProvider.values()) {
            if (!Kernels.isAvailable(p)) continue;
            try (Kernels.Scope s = Kernels.use(p)) {
                providers.add(ElementKernels.get());
            }
        }
        long checked = 0;
        int fill = 0;
        for (long bits = 0; bits <= 0xFFFFFFFFL; bits += 997) {
            float x = Float.intBitsToFloat((int) bits);
            if (!(x >= -110f && x <= 90f)) continue;
            in[fill++] = x;
            if (fill < in.length) continue;
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
            checked += fill;
            fill = 0;
        }
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
