package jtorch.kernels;

/**
 * The inner loops of dropout's noise ({@code bernoulli_(1 - p) / (1 - p)}, one float64 uniform per
 * element as PyTorch 1.13's CPU kernel draws it): the raw MT19937 words as the sequence they form,
 * their tempering, and the pairs of tempered words turned into kept / dropped. This class is the plain-Java provider
 * and the reference the Vector API one ({@code VectorDropoutKernels}) must equal bit for bit;
 * {@link #get()} picks the one for the current provider.
 *
 * <p>Words: MT19937's block twist computes {@code x[j] = x[j - 227] ^ mix(x[j - 624], x[j - 623])}
 * (N = 624, M = 397) over the sequence of all words; {@link #sequence} extends a buffer holding the
 * current block by that recurrence. Per element, the uniform is {@code u = (((t0 << 32) | t1) & (2^53
 * - 1)) * 2^-53} of two tempered words; {@code u < q} is decided exactly in integers as
 * {@code bits53 < ceil(q * 2^53)} ({@link #keepThreshold}), so no long-to-double conversion is needed.
 *
 * <pre>{@code
 * DropoutKernels k = DropoutKernels.get();
 * k.sequence(words, 624, 624 + 2 * n);                       // words[0, 624) = the current block
 * k.temper(words, 624, 624 + 2 * n);
 * k.noiseF32(words, 624, noise, 0, n, DropoutKernels.keepThreshold(0.9), 1f / 0.9f);
 * }</pre>
 */
public class DropoutKernels {
    static final DropoutKernels SCALAR = new DropoutKernels();

    /** MT19937's N, M and twist matrix. */
    static final int N = 624, M = 397, MATRIX_A = 0x9908B0DF;

    DropoutKernels() {}

    /** The Vector API kernels when {@code jdk.incubator.vector} is present, else null. */
    private static final class VectorHolder {
        static final DropoutKernels KERNELS = load();

        private static DropoutKernels load() {
            if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) return null;
            try {
                // Reflective so that no Vector API class is linked unless the module is present.
                return (DropoutKernels) Class.forName("jtorch.kernels.VectorDropoutKernels").getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException | LinkageError e) {
                return null;
            }
        }
    }

    /** The kernels of the provider in use: plain Java under SCALAR, the Vector API otherwise (where present). */
    public static DropoutKernels get() {
        if (Kernels.provider() == KernelProvider.SCALAR) return SCALAR;
        DropoutKernels v = VectorHolder.KERNELS;
        return v != null ? v : SCALAR;
    }

    /** What these kernels are, for logs and tests. */
    public String describe() { return "scalar"; }

    /**
     * The integer threshold of {@code u < q} for {@code u = bits53 * 2^-53}: {@code bits53 < ceil(q * 2^53)}
     * (exact: the scaling by 2^53 is exact and {@code bits53} is an integer).
     */
    public static long keepThreshold(double q) { return (long) Math.ceil(q * 0x1.0p53); }

    /** MT19937's tempering of one state word. */
    static int temper(int y) {
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9D2C5680;
        y ^= (y << 15) & 0xEFC60000;
        y ^= y >>> 18;
        return y;
    }

    /** The twist's combination of two consecutive words. */
    static int mix(int u, int v) {
        int y = (u & 0x80000000) | (v & 0x7FFFFFFF);
        return (y >>> 1) ^ ((v & 1) != 0 ? MATRIX_A : 0);
    }

    /** {@code x[j] = x[j - 227] ^ mix(x[j - 624], x[j - 623])} for {@code j} in {@code [from, to)}, in order; {@code from >= 624}. */
    public void sequence(int[] x, int from, int to) {
        for (int j = from; j < to; j++) x[j] = x[j - (N - M)] ^ mix(x[j - N], x[j - N + 1]);
    }

    /** MT19937's tempering of {@code x[from, to)}, in place. */
    public void temper(int[] x, int from, int to) {
        for (int j = from; j < to; j++) x[j] = temper(x[j]);
    }

    /** All ones when the element of tempered words {@code t0, t1} is kept, else 0 (branch-free: a tenth of random branches mispredict). */
    static long keptMask(int t0, int t1, long threshold) {
        return (((((long) t0 & 0x1FFFFFL) << 32) | (t1 & 0xFFFFFFFFL)) - threshold) >> 63;
    }

    /**
     * float32 noise: {@code out[po + i] = kept ? keptValue : 0} for element {@code i} in {@code [0, n)}
     * of the tempered words {@code t[w + 2i], t[w + 2i + 1]}; {@code keptValue} positive.
     */
    public void noiseF32(int[] t, int w, float[] out, int po, int n, long threshold, float keptValue) {
        final int bits = Float.floatToRawIntBits(keptValue);
        for (int i = 0; i < n; i++, w += 2) out[po + i] = Float.intBitsToFloat(bits & (int) keptMask(t[w], t[w + 1], threshold));
    }

    /** float64 noise, as {@link #noiseF32}. */
    public void noiseF64(int[] t, int w, double[] out, int po, int n, long threshold, double keptValue) {
        final long bits = Double.doubleToRawLongBits(keptValue);
        for (int i = 0; i < n; i++, w += 2) out[po + i] = Double.longBitsToDouble(bits & keptMask(t[w], t[w + 1], threshold));
    }
}
