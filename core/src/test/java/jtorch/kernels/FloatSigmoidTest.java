package jtorch.kernels;

import java.util.Random;

import jtorch.DType;
import jtorch.Props;
import jtorch.Tensor;
import jtorch.Torch;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link FloatExp#sigmoid} (float32 {@code Tensor.sigmoid} on every provider): within 1 ulp of the
 * correctly rounded float (the exact sigmoid in double, {@code exp(x) / (1 + exp(x))} for
 * {@code x < 0}, rounded) on a sweep of every 499th float of [-110, 110] (subnormal results and
 * saturation included), the special values, and {@code Tensor.sigmoid} giving the scalar form's
 * bits on every provider and at 1 and 2 intra-op threads, extreme inputs mixed in.
 */
class FloatSigmoidTest {
    /** The correctly rounded float32 sigmoid (double reference, itself within an ulp of double). */
    static float reference(float x) {
        double e = StrictMath.exp(-Math.abs((double) x));
        return (float) (x < 0 ? e / (1 + e) : 1 / (1 + e));
    }

    @Example
    void withinOneUlpOfTheCorrectlyRoundedFloatAndEveryProviderGivesTheScalarBits() {
        float[] out = new float[4099];
        java.util.List<ElementKernels> providers = FloatExpTest.everyProvider();
        long checked = FloatExpTest.sweep(499, -110f, 110f, out.length, (in, fill) -> {
            for (ElementKernels k : providers) {
                k.transcendentalF32(UnaryOp.SIGMOID, out, 0, in, 0, fill);
                for (int i = 0; i < fill; i++)
                    assertEquals(Float.floatToRawIntBits(FloatExp.sigmoid(in[i])), Float.floatToRawIntBits(out[i]),
                            k.describe() + ": sigmoid(" + in[i] + ")");
            }
            for (int i = 0; i < fill; i++) {
                float got = FloatExp.sigmoid(in[i]), want = reference(in[i]);
                assertTrue(Math.abs(Float.floatToRawIntBits(got) - Float.floatToRawIntBits(want)) <= 1,
                        "sigmoid(" + in[i] + ") = " + got + ", correctly rounded " + want);
            }
        });
        assertTrue(checked > 4_000_000, "swept " + checked);
    }

    @Example
    void specialValues() {
        assertEquals(0.5f, FloatExp.sigmoid(0f));
        assertEquals(0.5f, FloatExp.sigmoid(-0f));
        assertEquals(1f, FloatExp.sigmoid(Float.POSITIVE_INFINITY));
        assertEquals(Float.floatToRawIntBits(0f), Float.floatToRawIntBits(FloatExp.sigmoid(Float.NEGATIVE_INFINITY)));
        assertEquals(Float.floatToRawIntBits(Float.NaN), Float.floatToRawIntBits(FloatExp.sigmoid(Float.NaN)));
        assertEquals(Float.floatToRawIntBits(Float.NaN), Float.floatToRawIntBits(FloatExp.sigmoid(Float.intBitsToFloat(0xFFC00000))));
        assertEquals(1f, FloatExp.sigmoid(88f));
        assertEquals(1f, FloatExp.sigmoid(104f));
        assertEquals(reference(-88f), FloatExp.sigmoid(-88f), Math.ulp(reference(-88f)), "sigmoid(-88), a normal near the subnormals");
        // Below -87.3 the results are subnormal (PyTorch's 1 / (1 + exp(-x)) gives 0 once exp(-x) overflows near -88.7).
        for (float x : new float[] {-89f, -95f, -100f, -103f}) {
            float got = FloatExp.sigmoid(x);
            assertTrue(got > 0f && got < Float.MIN_NORMAL, "sigmoid(" + x + ") is subnormal: " + got);
            assertTrue(Math.abs(Float.floatToRawIntBits(got) - Float.floatToRawIntBits(reference(x))) <= 1, "sigmoid(" + x + ")");
        }
        assertEquals(Float.floatToRawIntBits(0f), Float.floatToRawIntBits(FloatExp.sigmoid(-104f)));
        assertEquals(Float.floatToRawIntBits(0f), Float.floatToRawIntBits(FloatExp.sigmoid(-1e30f)));
    }

    private static final float[] EXTREMES = {88f, -88f, 104f, -104f, 88.7f, -88.7f, -95f, -103.5f, Float.NaN,
        Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -0f, 0f, Float.MIN_VALUE, -Float.MIN_VALUE, 1e30f, -1e30f};

    /** Tensor.sigmoid: the scalar form's bits on every provider, at 1 and 2 threads, dense and strided. */
    @Property(seed = Props.SEED, tries = 60)
    void tensorSigmoidGivesTheScalarBitsOnEveryProviderAndThreadCount(@ForAll @IntRange(min = 1, max = 70000) int n, @ForAll long seed) {
        Random r = new Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++)
            x[i] = r.nextInt(8) == 0 ? EXTREMES[r.nextInt(EXTREMES.length)] : (float) (r.nextGaussian() * (r.nextBoolean() ? 4 : 40));
        Tensor t = Torch.tensor(x).to(DType.FLOAT32);
        boolean strided = n > 1 && r.nextBoolean();
        Tensor in = strided ? t.narrow(0, 0, n - n % 2).reshape(-1, 2).t() : t;
        float[] inValues = in.contiguous().toFloatArray();
        EveryProvider.onOneAndTwoThreads((p, th) -> {
            float[] got = in.sigmoid().contiguous().toFloatArray();
            for (int i = 0; i < got.length; i++)
                assertEquals(Float.floatToRawIntBits(FloatExp.sigmoid(inValues[i])), Float.floatToRawIntBits(got[i]),
                        p + " " + th + " threads" + (strided ? " strided" : "") + ": sigmoid(" + inValues[i] + ") at " + i + " of " + n);
        });
    }
}
