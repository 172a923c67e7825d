package jtorch.kernels;

/**
 * A float32 {@code exp} computed in float (8 lanes per 256-bit vector in {@code VectorFloatExp},
 * twice the double-lane {@link Transcendentals#expF}) for the passes where exp runs over millions
 * of elements and within-an-ulp accuracy is enough: {@code log_softmax} over the last dim and its
 * backward (a language model's 35 x 20 x 10000 logits). Not exactly rounded: within 1 ulp of the
 * correctly rounded result (FloatExpTest sweeps every 997th float; a sweep of every 13th found no error above 1 ulp; PyTorch's vectorised CPU
 * kernels use Sleef's {@code expf_u10}, within 1 ulp, so neither side is the correctly rounded
 * float). Every operation is exactly rounded (fused multiply-adds, multiplies, bit operations) and
 * the vector lanes perform this class's operations in its order, so the vector and scalar forms
 * give the same bits in every JIT state.
 *
 * <p>Cody-Waite reduction {@code x = n ln2 + r} with ln2 in two parts (the first with 9
 * significant bits), Cephes's degree-7 polynomial {@code 1 + r + r^2 P(r)} on {@code |r| <= ln2/2}
 * by fused Horner steps, the scale {@code 2^n} applied in two halves so that subnormal results
 * round once. Below -104 the result is +0, above 89 infinity; NaN stays NaN.
 *
 * <pre>{@code
 * float y = FloatExp.exp(1f); // 2.7182817f
 * }</pre>
 */
final class FloatExp {
    private FloatExp() {}

    static final float LOG2E = 0x1.715476p0f;
    /** 1.5 * 2^23: adding it rounds to an integer in the low mantissa bits. */
    static final float SHIFT = 0x1.8p23f;
    static final int SHIFT_BITS = Float.floatToRawIntBits(SHIFT);
    /** -ln 2 = NEG_LN2_HI + NEG_LN2_LO; NEG_LN2_HI has 9 significant bits, so n * NEG_LN2_HI is exact. */
    static final float NEG_LN2_HI = -0.693359375f, NEG_LN2_LO = 2.12194440e-4f;
    static final float LO = -104f, HI = 89f;
    /** Cephes expf: exp(r) = 1 + r + r^2 (P0 + P1 r + ... + P5 r^5). */
    static final float P0 = 5.0000001201e-1f, P1 = 1.6666665459e-1f, P2 = 4.1665795894e-2f, P3 = 8.3334519073e-3f,
            P4 = 1.3981999507e-3f, P5 = 1.9875691500e-4f;

    static float exp(float x) {
        x = Math.min(Math.max(x, LO), HI);
        float t = Math.fma(x, LOG2E, SHIFT);
        float n = t - SHIFT;
        float r = Math.fma(n, NEG_LN2_HI, x);
        r = Math.fma(n, NEG_LN2_LO, r);
        float p = Math.fma(P5, r, P4);
        p = Math.fma(p, r, P3);
        p = Math.fma(p, r, P2);
        p = Math.fma(p, r, P1);
        p = Math.fma(p, r, P0);
        p = Math.fma(p, r, 1f);
        p = Math.fma(p, r, 1f);
        int k = Float.floatToRawIntBits(t) - SHIFT_BITS;
        int k1 = k >> 1, k2 = k - k1;
        return p * Float.intBitsToFloat((k1 + 127) << 23) * Float.intBitsToFloat((k2 + 127) << 23);
    }

    /**
     * float32 sigmoid from {@link #exp}: {@code e = exp(-|x|)}, then {@code 1 / (1 + e)} for
     * {@code x >= 0} and {@code e / (1 + e)} for {@code x < 0} (one division either way). The
     * second form keeps the small results that PyTorch's {@code 1 / (1 + exp(-x))} loses once
     * {@code exp(-x)} overflows (x below about -88.7: subnormal results down to -103.3, then +0).
     * The sum {@code 1 + e} is kept exactly (Fast2Sum) and the quotient gets one Newton step, so
     * the result is within 1 ulp of the correctly rounded float (FloatSigmoidTest sweeps every 499th
     * float of [-110, 110] against a double reference; every 61st also gave at most 1; PyTorch's
     * three-rounding formula is up to 2-3 ulps). {@code -0} gives 0.5, {@code +-inf} 1 and +0, NaN
     * gives {@link Float#NaN} whatever its sign or payload.
     */
    static float sigmoid(float x) {
        float e = exp(-Math.abs(x));
        float num = x < 0f ? e : 1f;
        // s + lo = 1 + e exactly (Fast2Sum: e <= 1); q = num / (s + lo) to about an ulp by one division,
        // then one Newton step on the residual, so that little more than exp's error and the last rounding remain.
        float s = 1f + e;
        float lo = (1f - s) + e;
        float rcp = 1f / s;
        float q = num * rcp;
        float res = Math.fma(-q, s, num) - q * lo;
        float y = Math.fma(res, rcp, q);
        // The sign of a NaN is not the same through exp's scalar and vector min/max: both forms give Float.NaN.
        return x != x ? Float.NaN : y;
    }

    /** {@code o[po + i] = sigmoid(a[pa + i])} for {@code i} in {@code [0, n)}. */
    static void runSigmoid(float[] o, int po, float[] a, int pa, int n) {
        for (int i = 0; i < n; i++) o[po + i] = sigmoid(a[pa + i]);
    }

    /** {@code o[po + i] = exp(a[pa + i])} for {@code i} in {@code [0, n)}. */
    static void run(float[] o, int po, float[] a, int pa, int n) {
        for (int i = 0; i < n; i++) o[po + i] = exp(a[pa + i]);
    }
}
