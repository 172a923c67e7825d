package jtorch;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.SecureRandom;
import java.util.Objects;

/**
 * PyTorch's CPU random number generator ({@code torch.Generator} on CPU): an MT19937 engine plus
 * the cached second Box-Muller sample, and the exact algorithms of {@code rand}, {@code uniform_},
 * {@code randn}/{@code normal_}, {@code randint}, {@code randperm}, {@code bernoulli}/
 * {@code bernoulli_} and dropout masks. Most streams are reproduced <b>bit for bit</b>; the
 * normals that depend on the C library's transcendental functions are reproduced to within a
 * few ulps (see "Exactness" below). The reference is {@code shared/parity/RNG_SPEC.md}
 * (torch 1.13.1, with the 2.x notes of {@code TORCH2.md}); section numbers below ("§5.3") point
 * into that document.
 *
 * <pre>{@code
 * Generator g = new Generator().manualSeed(0);     // g = torch.Generator().manual_seed(0)
 * float[] x = new float[4];
 * g.uniform(x, 0, 4, 0.0, 1.0);                     // torch.rand(4, generator=g)
 * // x == {0.4962566f, 0.7682218f, 0.08847743f, 0.13203049f}, exactly as torch prints them
 * }</pre>
 *
 * <h2>Memory order</h2>
 * The fill methods work on primitive arrays: {@code out[offset .. offset+n)} must be the
 * destination tensor's elements <b>in memory (storage) order</b>. Torch fills every output one
 * element at a time in storage order, also for non-contiguous views such as a transposed
 * matrix (§4), so the Tensor layer passes the storage slice, not the logical order. The only
 * place where layout changes the algorithm is {@code normal}: pass {@code contiguous=false}
 * for a non-contiguous destination (§5.1).
 *
 * <h2>Kernel capability and torch version</h2>
 * Torch compiles its CPU kernels several times and picks one at start-up (§0). The
 * {@link Capability#AVX2} copy (the usual one on x86-64, and also what AVX-512 machines use
 * for these kernels) fuses {@code x*range+from} and {@code v*std+mean} into one FMA and uses an
 * 8-lane polynomial log/sincos for float32 {@code randn}; {@link Capability#DEFAULT}
 * ({@code ATEN_CPU_CAPABILITY=default}) rounds twice, and its float32 block normal path calls the
 * C library's {@code logf}/{@code sinf}/{@code cosf}. {@link TorchVersion} switches the two
 * things that changed in 2.x: the radius of the float64 pairwise normal path
 * ({@code log1p(-u2)} instead of {@code log(1-u2)}) and {@code randperm} for
 * {@code n >= 214,748,364}. Defaults: AVX2 and 2.x. Integer-only
 * operations (the engine, {@code rand}, {@code randint}, {@code randperm}, bernoulli) are the
 * same under every setting.
 *
 * <h2>Exactness</h2>
 * <b>Bit for bit</b> wherever torch's computation is plain integer and IEEE-754 arithmetic
 * ({@code + - * /}, {@code fma}, {@code sqrt}), which Java reproduces exactly (§11): the MT19937
 * engine and raw draws, {@code rand} and {@code uniform_} (float32 and float64, both
 * capabilities), the float32 block normal path under {@link Capability#AVX2} (§5.5, the 8-lane
 * polynomial log/sincos emulated operation by operation), {@code randint}, {@code randperm},
 * {@code bernoulli}, dropout masks and the kaiming/bias bounds of the nn initialisation. The
 * float32 pairwise normals ({@code n < 16} or non-contiguous) match in practice as well: they are
 * computed in double and rounded to float, which hides the last-bit differences described next
 * (no difference was found in millions of samples), but this is not guaranteed.
 *
 * <p><b>Within a few ulps</b> where torch calls the C library's (glibc's) transcendental
 * functions (§11): float64 normals, pairwise (§5.2, including the 2.x {@code log1p} radius) and
 * block (§5.4), use {@code Math.log}/{@code log1p}/{@code sin}/{@code cos}; float32 block normals
 * under {@link Capability#DEFAULT} (§5.4) use {@code (float) Math.log((double) x)} and likewise
 * for {@code sin}/{@code cos}. {@code java.lang.Math} is not glibc: neither is correctly rounded,
 * and they disagree in the last bit on roughly 0.1-0.2% of the double inputs and 0.7-1.3% of the
 * float inputs these kernels produce ({@code StrictMath} is further from glibc for double
 * {@code log}/{@code sin}/{@code cos} and gives the same float results; §11). Measured over millions of samples at mean 0 and std 1, about 0.2%
 * of float64 normals differ from torch by 1-2 ulps, and about 1.5% of DEFAULT float32 block
 * normals by 1-3 ulps. With a nonzero {@code mean} the difference is relative to {@code std}, so
 * results close to 0 can differ by more ulps. Bit-exact output on these paths would need
 * glibc's own routines.
 *
 * <h2>Default initialisation of nn layers (§9)</h2>
 * {@code nn.Linear}/{@code nn.Conv2d} construction is {@code uniform(weight, -b, b)} in memory
 * order with {@code b = }{@link #kaimingUniformBound(long)}{@code (fanIn)}, followed (with bias)
 * by {@code uniform(bias, -c, c)} with {@code c = }{@link #uniformBiasBound(long)}{@code (fanIn)};
 * {@code fanIn = weight.size(1) * prod(weight.shape[2:])}.
 *
 * <p>All methods are {@code synchronized}: a generator can be shared between threads, and each
 * call consumes a contiguous stretch of the stream, as torch's generator mutex guarantees.
 */
public final class Generator {

    /** Which copy of torch's CPU kernels to mimic (§0). */
    public enum Capability {
        /** AVX2 (also AVX-512) kernels: fused multiply-adds and the 8-lane float32 normal transform. */
        AVX2,
        /**
         * {@code ATEN_CPU_CAPABILITY=default}: no FMA; float32 block normals use the C library's
         * {@code logf}/{@code sinf}/{@code cosf} in torch and are reproduced within a few ulps here.
         */
        DEFAULT
    }

    /** Which torch release's algorithms to mimic where they differ (TORCH2.md). */
    public enum TorchVersion {
        /** torch 1.13: pairwise normal radius {@code sqrt(-2*log(1-u2))}; one randperm loop for every n. */
        V1_13,
        /** torch 2.x: pairwise radius {@code sqrt(-2*log1p(-u2))}; inside-out randperm for huge n. */
        V2
    }

    /** The seed of a fresh {@code torch.Generator()} ({@code default_rng_seed_val}). */
    public static final long DEFAULT_SEED = 67280421310721L;

    /** Size in bytes of {@link #getState()}, as {@code torch.get_rng_state().numel()}. */
    public static final int STATE_SIZE = 5056;

    private static final int MT_N = 624;
    private static final int MT_M = 397;
    private static final int MATRIX_A = 0x9908B0DF;

    /** 2*pi as the double torch uses ({@code 2.0 * c10::pi<double>}, exact doubling). */
    private static final double TWO_PI = 2.0 * Math.PI;
    /** f32(2*pi), the constant of the AVX2 float32 normal path (0x40C90FDB). */
    private static final float TWO_PI_F = (float) (2.0 * Math.PI);

    /** randperm switches algorithm at {@code uint32 max / 20} in 2.x (§7). */
    private static final long RANDPERM_SMALL_LIMIT = 0xFFFFFFFFL / 20;

    private static final SecureRandom ENTROPY = new SecureRandom();

    // ---- state: the MT19937 engine exactly as at::mt19937 keeps it, plus the normal caches ----
    private final int[] mt = new int[MT_N];
    private int left;
    private int next;
    private long initialSeed;
    private boolean hasNextDoubleNormal;
    private double nextDoubleNormal;
    // Torch has a float cache slot too; no CPU kernel fills it, it only round-trips through get/setState.
    private boolean hasNextFloatNormal;
    private float nextFloatNormal;

    private Capability capability = Capability.AVX2;
    private TorchVersion torchVersion = TorchVersion.V2;

    /** A fresh generator, like {@code torch.Generator()}: seeded with {@link #DEFAULT_SEED}. */
    public Generator() {
        manualSeed(DEFAULT_SEED);
    }

    /** Same as {@code new Generator().manualSeed(seed)}. */
    public Generator(long seed) {
        manualSeed(seed);
    }

    private static final class DefaultHolder {
        static final Generator INSTANCE = new Generator(nonDeterministicSeed());
    }

    /**
     * The process-wide default generator ({@code torch.default_generator}). Like torch's it starts
     * from a non-deterministic seed, so seed it ({@code defaultGenerator().manualSeed(0)}, as
     * {@code torch.manual_seed(0)}) for reproducible streams.
     */
    public static Generator defaultGenerator() {
        return DefaultHolder.INSTANCE;
    }

    private static long nonDeterministicSeed() {
        // torch reads 64 random bits from /dev/urandom (c10::detail::getNonDeterministicRandom).
        synchronized (ENTROPY) {
            return ENTROPY.nextLong();
        }
    }

    // =========================================================================================
    // seeding and raw draws
    // =========================================================================================

    /**
     * Re-seeds like {@code torch.manual_seed(seed)} / {@code Generator.manual_seed(seed)} (§1).
     * The seed is taken modulo 2^64 (a negative {@code long} is its two's-complement value, as a
     * negative Python int wraps); only its low 32 bits seed the engine. Also empties the cached
     * normal sample.
     *
     * @return this generator
     */
    public synchronized Generator manualSeed(long seed) {
        initialSeed = seed;
        int prev = (int) seed;                           // init_genrand(seed mod 2^32)
        mt[0] = prev;
        for (int i = 1; i < MT_N; i++) {
            prev = 1812433253 * (prev ^ (prev >>> 30)) + i;  // int arithmetic wraps mod 2^32
            mt[i] = prev;
        }
        left = 1;                                        // the first draw regenerates the state
        next = 0;
        hasNextDoubleNormal = false;
        nextDoubleNormal = 0.0;
        hasNextFloatNormal = false;
        nextFloatNormal = 0f;
        return this;
    }

    /**
     * The seed last set, as {@code initial_seed()}: a 64-bit value; read it as unsigned
     * ({@link Long#toUnsignedString(long)}) to get Python's number.
     */
    public synchronized long initialSeed() {
        return initialSeed;
    }

    /**
     * Re-seeds from 64 non-deterministic bits, like {@code Generator.seed()}, and returns the new
     * seed (unsigned 64-bit value in a {@code long}).
     */
    public synchronized long seed() {
        long s = nonDeterministicSeed();
        manualSeed(s);
        return s;
    }

    /** Which copy of torch's CPU kernels this generator's draws mimic (see {@link #setCapability}). */
    public synchronized Capability capability() {
        return capability;
    }

    /** Selects the kernel copy to mimic (default {@link Capability#AVX2}); returns this. */
    public synchronized Generator setCapability(Capability capability) {
        this.capability = Objects.requireNonNull(capability, "capability");
        return this;
    }

    /** Which torch release's sampling algorithms this generator mimics (see {@link #setTorchVersion}). */
    public synchronized TorchVersion torchVersion() {
        return torchVersion;
    }

    /** Selects the torch release to mimic (default {@link TorchVersion#V2}); returns this. */
    public synchronized Generator setTorchVersion(TorchVersion torchVersion) {
        this.torchVersion = Objects.requireNonNull(torchVersion, "torchVersion");
        return this;
    }

    /**
     * One raw engine output, torch's {@code CPUGeneratorImpl::random()}: an unsigned 32-bit value,
     * returned in {@code [0, 2^32)}.
     */
    public synchronized long random() {
        return nextU32() & 0xFFFFFFFFL;
    }

    /**
     * Two raw outputs as torch's {@code random64()}: {@code (first << 32) | second} (the first
     * draw is the high half); the 64 bits are unsigned.
     */
    public synchronized long random64() {
        return nextU64();
    }

    /** at::mt19937::operator(): same {@code left}/{@code next} bookkeeping, so getState matches torch. */
    private int nextU32() {
        if (--left == 0) {
            twist();
        }
        return temper(mt[next++]);
    }

    /** MT19937's tempering of one state word. */
    private static int temper(int y) {
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9D2C5680;
        y ^= (y << 15) & 0xEFC60000;
        y ^= y >>> 18;
        return y;
    }

    private long nextU64() {
        long hi = nextU32() & 0xFFFFFFFFL;
        long lo = nextU32() & 0xFFFFFFFFL;
        return (hi << 32) | lo;
    }

    private void twist() {
        final int[] s = mt;
        int i = 0;
        for (; i < MT_N - MT_M; i++) {
            s[i] = s[i + MT_M] ^ mix(s[i], s[i + 1]);
        }
        for (; i < MT_N - 1; i++) {
            s[i] = s[i + MT_M - MT_N] ^ mix(s[i], s[i + 1]);
        }
        s[MT_N - 1] = s[MT_M - 1] ^ mix(s[MT_N - 1], s[0]);
        left = MT_N;
        next = 0;
    }

    private static int mix(int u, int v) {
        int y = (u & 0x80000000) | (v & 0x7FFFFFFF);
        return (y >>> 1) ^ ((v & 1) != 0 ? MATRIX_A : 0);
    }

    /** float32 uniform in [0,1): the low 24 bits of one draw, times 2^-24 (exact, §3). */
    private float nextFloat01() {
        return (nextU32() & 0x00FFFFFF) * 0x1.0p-24f;
    }

    /** float64 uniform in [0,1): the low 53 bits of random64(), times 2^-53 (exact, §3). */
    private double nextDouble01() {
        return (nextU64() & ((1L << 53) - 1)) * 0x1.0p-53;
    }

    // =========================================================================================
    // uniform
    // =========================================================================================

    /**
     * {@code uniform_(from, to)} / {@code rand} (with 0, 1) on float32 (§3.1): one draw per
     * element; {@code from} and {@code to} are rounded to float first, {@code range = to - from}
     * in float, and each value is {@code fma(x, range, from)} (AVX2) or {@code x*range + from}
     * (DEFAULT). Fills {@code out[offset .. offset+n)} in memory order.
     *
     * @throws IllegalArgumentException if {@code from > to} or {@code to - from} overflows float
     */
    public synchronized void uniform(float[] out, int offset, int n, double from, double to) {
        checkSlice(out.length, offset, n);
        checkUniformBounds(from, to, Float.MAX_VALUE, "float32");
        final float f = (float) from;
        final float range = (float) to - f;
        final int end = offset + n;
        if (capability == Capability.AVX2) {
            for (int i = offset; i < end; i++) {
                out[i] = Math.fma(nextFloat01(), range, f);
            }
        } else {
            for (int i = offset; i < end; i++) {
                out[i] = nextFloat01() * range + f;
            }
        }
    }

    /**
     * {@code uniform_(from, to)} / {@code rand} on float64 (§3.1): two draws per element,
     * {@code fma(x, to - from, from)} (AVX2) or {@code x*(to-from) + from} (DEFAULT).
     */
    public synchronized void uniform(double[] out, int offset, int n, double from, double to) {
        checkSlice(out.length, offset, n);
        checkUniformBounds(from, to, Double.MAX_VALUE, "float64");
        final double range = to - from;
        final int end = offset + n;
        if (capability == Capability.AVX2) {
            for (int i = offset; i < end; i++) {
                out[i] = Math.fma(nextDouble01(), range, from);
            }
        } else {
            for (int i = offset; i < end; i++) {
                out[i] = nextDouble01() * range + from;
            }
        }
    }

    private static void checkUniformBounds(double from, double to, double max, String dtype) {
        // the checks of torch's uniform_impl_, made in double before the bounds are cast
        if (!(from <= to)) {
            throw new IllegalArgumentException(
                    "uniform_ expects to return a [from, to) range, but found from=" + from + " > to=" + to);
        }
        if (!(to - from <= max)) {
            throw new IllegalArgumentException("uniform_ expects to-from <= std::numeric_limits<" + dtype
                    + ">::max(), but found to=" + to + " and from=" + from);
        }
    }

    // =========================================================================================
    // normal
    // =========================================================================================

    /**
     * {@code normal_(mean, std)} / {@code randn} (with 0, 1) on float32 (§5). With
     * {@code n >= 16} and a contiguous destination this is torch's block algorithm (§5.3): n
     * uniforms, a Box-Muller transform per 16-block, and the last 16 values redrawn when
     * {@code n % 16 != 0}; it neither reads nor writes the cached sample. Otherwise it is the
     * pairwise algorithm in double with the cached second sample (§5.2), rounded to float.
     *
     * @param contiguous whether the destination tensor is contiguous; a non-contiguous one always
     *                   takes the pairwise path. {@code out} is still filled in memory order.
     * @throws IllegalArgumentException if {@code std < 0}
     */
    public synchronized void normal(float[] out, int offset, int n, double mean, double std, boolean contiguous) {
        checkSlice(out.length, offset, n);
        checkStd(std);
        if (n >= 16 && contiguous) {
            final float m = (float) mean;
            final float s = (float) std;
            final boolean avx2 = capability == Capability.AVX2;
            final int end = offset + n;
            for (int i = offset; i < end; i++) {
                out[i] = nextFloat01();
            }
            for (int b = offset; b + 16 <= end; b += 16) {
                normal16(out, b, m, s, avx2);
            }
            if (n % 16 != 0) {
                // torch recomputes the last 16 values from 16 fresh uniforms
                for (int i = end - 16; i < end; i++) {
                    out[i] = nextFloat01();
                }
                normal16(out, end - 16, m, s, avx2);
            }
        } else {
            for (int i = offset, end = offset + n; i < end; i++) {
                out[i] = (float) pairwiseNormal(mean, std);
            }
        }
    }

    /**
     * {@code normal_(mean, std)} / {@code randn} on float64: the block algorithm (§5.3, §5.4)
     * for contiguous {@code n >= 16}, otherwise the cached pairwise algorithm (§5.2).
     *
     * @see #normal(float[], int, int, double, double, boolean)
     */
    public synchronized void normal(double[] out, int offset, int n, double mean, double std, boolean contiguous) {
        checkSlice(out.length, offset, n);
        checkStd(std);
        if (n >= 16 && contiguous) {
            final boolean fma = capability == Capability.AVX2;
            final int end = offset + n;
            for (int i = offset; i < end; i++) {
                out[i] = nextDouble01();
            }
            for (int b = offset; b + 16 <= end; b += 16) {
                normal16(out, b, mean, std, fma);
            }
            if (n % 16 != 0) {
                for (int i = end - 16; i < end; i++) {
                    out[i] = nextDouble01();
                }
                normal16(out, end - 16, mean, std, fma);
            }
        } else {
            for (int i = offset, end = offset + n; i < end; i++) {
                out[i] = pairwiseNormal(mean, std);
            }
        }
    }

    private static void checkStd(double std) {
        if (!(std >= 0.0)) {
            throw new IllegalArgumentException("normal expects std >= 0.0, but found std " + std);
        }
    }

    /** at::normal_distribution&lt;double&gt; with the generator's cached second sample (§5.2). */
    private double pairwiseNormal(double mean, double std) {
        double v;
        if (hasNextDoubleNormal) {
            v = nextDoubleNormal;
            hasNextDoubleNormal = false;
        } else {
            final double u1 = nextDouble01();
            final double u2 = nextDouble01();
            // torch calls the C library's log/log1p/sin/cos here; Math's can differ in the last bit
            final double lg = torchVersion == TorchVersion.V1_13 ? Math.log(1.0 - u2) : Math.log1p(-u2);
            final double r = Math.sqrt(-2.0 * lg);
            final double theta = TWO_PI * u1;
            nextDoubleNormal = r * Math.sin(theta);      // cached unscaled; mean/std applied on use
            hasNextDoubleNormal = true;
            v = r * Math.cos(theta);
        }
        return capability == Capability.AVX2 ? Math.fma(v, std, mean) : v * std + mean;
    }

    /** One 16-block of the float32 block path: pairs (d[b+j], d[b+j+8]), j = 0..7. */
    private static void normal16(float[] d, int b, float mean, float std, boolean avx2) {
        for (int j = 0; j < 8; j++) {
            final float a = d[b + j];
            final float u2 = d[b + j + 8];
            if (avx2) {
                // §5.5: avx_mathfun.h log/sincos, lane by lane, FMAs where the binary has them
                final float radius = (float) Math.sqrt(-2f * avxLog(1f - a));
                final long sc = avxSinCos(TWO_PI_F * u2);
                final float sin = Float.intBitsToFloat((int) (sc >>> 32));
                final float cos = Float.intBitsToFloat((int) sc);
                d[b + j] = Math.fma(radius * cos, std, mean);
                d[b + j + 8] = Math.fma(radius * sin, std, mean);
            } else {
                // §5.4 float32 DEFAULT: torch calls the C library's logf/cosf/sinf; here they are
                // the double functions rounded to float, which can differ by one ulp (§11).
                // theta is formed in double with the double constant, then rounded.
                final float radius = (float) Math.sqrt(-2f * logf(1f - a));
                final float theta = (float) (TWO_PI * (double) u2);
                final float cosv = radius * cosf(theta);
                final float sinv = radius * sinf(theta);
                d[b + j] = cosv * std + mean;
                d[b + j + 8] = sinv * std + mean;
            }
        }
    }

    /**
     * One 16-block of the float64 block path (§5.4). Torch calls the C library's double
     * log/cos/sin; {@code java.lang.Math}'s can differ in the last bit (§11).
     */
    private static void normal16(double[] d, int b, double mean, double std, boolean fma) {
        for (int j = 0; j < 8; j++) {
            final double u1 = 1.0 - d[b + j];
            final double u2 = d[b + j + 8];
            final double radius = Math.sqrt(-2.0 * Math.log(u1));
            final double theta = TWO_PI * u2;
            final double cosv = radius * Math.cos(theta);
            final double sinv = radius * Math.sin(theta);
            d[b + j] = fma ? Math.fma(cosv, std, mean) : cosv * std + mean;
            d[b + j + 8] = fma ? Math.fma(sinv, std, mean) : sinv * std + mean;
        }
    }

    /** float log for the DEFAULT float32 block path: {@code Math.log} in double, rounded to float. */
    private static float logf(float x) {
        return (float) Math.log(x);
    }

    /** float sine for the DEFAULT float32 block path: {@code Math.sin} in double, rounded to float. */
    private static float sinf(float x) {
        return (float) Math.sin(x);
    }

    /** float cosine for the DEFAULT float32 block path: {@code Math.cos} in double, rounded to float. */
    private static float cosf(float x) {
        return (float) Math.cos(x);
    }

    // ---- §5.5: avx_mathfun.h log256_ps / sincos256_ps as compiled into torch's AVX2 kernel ----

    private static final float SQRTHF = Float.intBitsToFloat(0x3F3504F3);
    private static final float LOG_P0 = Float.intBitsToFloat(0x3D9021BB);
    private static final float LOG_P1 = Float.intBitsToFloat(0xBDEBD1B8);
    private static final float LOG_P2 = Float.intBitsToFloat(0x3DEF251A);
    private static final float LOG_P3 = Float.intBitsToFloat(0xBDFE5D4F);
    private static final float LOG_P4 = Float.intBitsToFloat(0x3E11E9BF);
    private static final float LOG_P5 = Float.intBitsToFloat(0xBE2AAE50);
    private static final float LOG_P6 = Float.intBitsToFloat(0x3E4CCEAC);
    private static final float LOG_P7 = Float.intBitsToFloat(0xBE7FFFFC);
    private static final float LOG_P8 = Float.intBitsToFloat(0x3EAAAAAA);
    private static final float LOG_Q1 = Float.intBitsToFloat(0xB95E8083);
    private static final float LOG_Q2 = Float.intBitsToFloat(0x3F318000);
    private static final float FOPI = Float.intBitsToFloat(0x3FA2F983);
    private static final float MDP1 = Float.intBitsToFloat(0xBF490000);
    private static final float MDP2 = Float.intBitsToFloat(0xB97DA000);
    private static final float MDP3 = Float.intBitsToFloat(0xB3222169);
    private static final float SINCOF_P0 = Float.intBitsToFloat(0xB94CA1F9);
    private static final float SINCOF_P1 = Float.intBitsToFloat(0x3C08839E);
    private static final float SINCOF_P2 = Float.intBitsToFloat(0xBE2AAAA3);
    private static final float COSCOF_P0 = Float.intBitsToFloat(0x37CCF5CE);
    private static final float COSCOF_P1 = Float.intBitsToFloat(0xBAB6061A);
    private static final float COSCOF_P2 = Float.intBitsToFloat(0x3D2AAAA5);

    /** log256_ps for x in (0, 1] (the only inputs the normal kernel produces). */
    static float avxLog(float x) {
        if (!(x > 0f)) {
            return Float.NaN;                            // the real code returns NaN for x <= 0
        }
        x = Math.max(x, Float.MIN_NORMAL);
        int bits = Float.floatToRawIntBits(x);
        final int k = (bits >>> 23) - 127;
        x = Float.intBitsToFloat((bits & 0x807FFFFF) | 0x3F000000);   // mantissa in [0.5, 1)
        float e = (float) k + 1f;
        final boolean m = x < SQRTHF;
        final float t = m ? x : 0f;
        e = e - (m ? 1f : 0f);
        x = (x - 1f) + t;
        final float z = x * x;
        float y = Math.fma(LOG_P0, x, LOG_P1);
        y = Math.fma(y, x, LOG_P2);
        y = Math.fma(y, x, LOG_P3);
        y = Math.fma(y, x, LOG_P4);
        y = Math.fma(y, x, LOG_P5);
        y = Math.fma(y, x, LOG_P6);
        y = Math.fma(y, x, LOG_P7);
        y = Math.fma(y, x, LOG_P8);
        y = y * x;
        y = Math.fma(y, z, e * LOG_Q1);
        y = Math.fma(-z, 0.5f, y);
        x = x + y;
        return Math.fma(e, LOG_Q2, x);
    }

    /** sincos256_ps; returns (floatBits(sin) &lt;&lt; 32) | floatBits(cos) to avoid allocation. */
    static long avxSinCos(float xin) {
        final int xbits = Float.floatToRawIntBits(xin);
        int signSin = xbits & 0x80000000;
        float x = Float.intBitsToFloat(xbits & 0x7FFFFFFF);
        int j = (int) (x * FOPI);                        // cvttps2dq: truncation
        j = (j + 1) & ~1;
        final float y = (float) j;
        final int swap = (j & 4) << 29;
        final boolean poly = (j & 2) == 0;
        x = Math.fma(y, MDP1, x);
        x = Math.fma(y, MDP2, x);
        x = Math.fma(y, MDP3, x);
        final int signCos = (~(j - 2) & 4) << 29;
        signSin ^= swap;
        final float z = x * x;
        float yc = Math.fma(COSCOF_P0, z, COSCOF_P1);
        yc = Math.fma(yc, z, COSCOF_P2);
        final float h = z * 0.5f;
        yc = yc * z;
        yc = Math.fma(yc, z, -h);
        yc = yc + 1f;
        float ys = Math.fma(SINCOF_P0, z, SINCOF_P1);
        ys = Math.fma(ys, z, SINCOF_P2);
        ys = ys * z;
        ys = Math.fma(ys, x, x);
        // the +0 selections and this order of additions fix the signs of zeros
        final float p2 = poly ? ys : 0f;
        final float p1 = poly ? 0f : yc;
        final float s = p1 + p2;
        final float c = (yc - p1) + (ys - p2);
        final int sBits = Float.floatToRawIntBits(s) ^ signSin;
        final int cBits = Float.floatToRawIntBits(c) ^ signCos;
        return ((long) sBits << 32) | (cBits & 0xFFFFFFFFL);
    }

    // =========================================================================================
    // integers
    // =========================================================================================

    /**
     * {@code torch.randint(low, high, shape)} with int64 output (§6): {@code range = high - low}
     * as unsigned 64-bit; one draw per element if {@code range < 2^32}, else {@code random64()};
     * value {@code (v mod range) + low} with unsigned remainder (the modulo bias is torch's).
     *
     * @throws IllegalArgumentException if {@code low >= high}
     */
    public synchronized void randint(long[] out, int offset, int n, long low, long high) {
        checkSlice(out.length, offset, n);
        checkFromTo(low, high);
        final long range = high - low;
        final int end = offset + n;
        if (Long.compareUnsigned(range, 1L << 32) >= 0) {
            for (int i = offset; i < end; i++) {
                out[i] = Long.remainderUnsigned(nextU64(), range) + low;
            }
        } else {
            for (int i = offset; i < end; i++) {
                out[i] = (nextU32() & 0xFFFFFFFFL) % range + low;
            }
        }
    }

    /**
     * {@code torch.randint(low, high, shape, dtype=torch.float32)}. The spec does not cover float
     * dtypes (§6); this follows ATen's {@code uniform_int_from_to_distribution} (one 32-bit draw per
     * element unless {@code range >= 2^32}, value {@code float((v mod range) + low)}) and is only
     * offered where torch's bound adjustment for floats is a no-op and every value is exact:
     * {@code -2^24 <= low < high <= 2^24 + 1}. Not checked against torch output.
     *
     * @throws UnsupportedOperationException for bounds outside that range
     */
    public synchronized void randint(float[] out, int offset, int n, long low, long high) {
        checkSlice(out.length, offset, n);
        checkFromTo(low, high);
        checkExactFloatBounds(low, high, 24);
        final long range = high - low;                  // < 2^32 here: one draw per element
        for (int i = offset, end = offset + n; i < end; i++) {
            out[i] = (float) ((nextU32() & 0xFFFFFFFFL) % range + low);
        }
    }

    /**
     * {@code torch.randint(low, high, shape, dtype=torch.float64)}: as the float32 overload, with
     * {@code random64()} when {@code range >= 2^32}; requires {@code -2^53 <= low < high <= 2^53 + 1}.
     * Not covered by the spec and not checked against torch output.
     */
    public synchronized void randint(double[] out, int offset, int n, long low, long high) {
        checkSlice(out.length, offset, n);
        checkFromTo(low, high);
        checkExactFloatBounds(low, high, 53);
        final long range = high - low;
        final int end = offset + n;
        if (range >= (1L << 32)) {
            for (int i = offset; i < end; i++) {
                out[i] = (double) (Long.remainderUnsigned(nextU64(), range) + low);
            }
        } else {
            for (int i = offset; i < end; i++) {
                out[i] = (double) ((nextU32() & 0xFFFFFFFFL) % range + low);
            }
        }
    }

    private static void checkFromTo(long low, long high) {
        if (low >= high) {
            throw new IllegalArgumentException(
                    "random_ expects 'from' to be less than 'to', but got from=" + low + " >= to=" + high);
        }
    }

    private static void checkExactFloatBounds(long low, long high, int digits) {
        final long lim = 1L << digits;
        if (low < -lim || high - 1 > lim) {
            throw new UnsupportedOperationException("randint into a float dtype is only reproduced for bounds"
                    + " within +-2^" + digits + ", got [" + low + ", " + high + ")");
        }
    }

    /**
     * {@code torch.randperm(n)} on CPU (§7): int64 permutation of {@code 0..n-1}.
     *
     * @see #randperm(long[], int, int)
     */
    public synchronized long[] randperm(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("randperm expects n >= 0, but got " + n);
        }
        long[] p = new long[n];
        randperm(p, 0, n);
        return p;
    }

    /**
     * {@code torch.randperm(n, out=...)}: writes a permutation of {@code 0..n-1} into
     * {@code out[offset .. offset+n)}. For {@code i = 0..n-2}: {@code z = random() mod (n-i)}
     * (one 32-bit draw), swap {@code p[i]} and {@code p[i+z]}. Under {@link TorchVersion#V2},
     * {@code n >= 214,748,364} uses 2.x's inside-out Fisher-Yates with {@code random64() mod (i+1)}
     * (from the 2.x sources; not run against torch).
     */
    public synchronized void randperm(long[] out, int offset, int n) {
        checkSlice(out.length, offset, n);
        if (n < RANDPERM_SMALL_LIMIT || torchVersion == TorchVersion.V1_13) {
            for (int i = 0; i < n; i++) {
                out[offset + i] = i;
            }
            for (int i = 0; i < n - 1; i++) {
                final int z = (int) ((nextU32() & 0xFFFFFFFFL) % (n - i));
                final long sav = out[offset + i];
                out[offset + i] = out[offset + i + z];
                out[offset + i + z] = sav;
            }
        } else {
            for (int i = 0; i < n; i++) {
                final int z = (int) Long.remainderUnsigned(nextU64(), i + 1L);
                out[offset + i] = out[offset + z];
                out[offset + z] = i;
            }
        }
    }

    // =========================================================================================
    // bernoulli and dropout
    // =========================================================================================

    /**
     * {@code t.bernoulli_(p)} / {@code torch.bernoulli(t, p)} with a scalar probability on a
     * float32 tensor (§8, non-MKL rule): per element a float64 uniform (two draws), 1 if
     * {@code x < p} else 0.
     *
     * @throws IllegalArgumentException unless {@code 0 <= p <= 1}
     */
    public synchronized void bernoulli(float[] out, int offset, int n, double p) {
        checkSlice(out.length, offset, n);
        checkProbability(p);
        for (int i = offset, end = offset + n; i < end; i++) {
            out[i] = nextDouble01() < p ? 1f : 0f;
        }
    }

    /** {@code bernoulli_(p)} with a scalar probability on a float64 tensor (two draws per element). */
    public synchronized void bernoulli(double[] out, int offset, int n, double p) {
        checkSlice(out.length, offset, n);
        checkProbability(p);
        for (int i = offset, end = offset + n; i < end; i++) {
            out[i] = nextDouble01() < p ? 1.0 : 0.0;
        }
    }

    /**
     * {@code torch.bernoulli(p)} for a float32 probability tensor (§8): per element one float32
     * uniform, {@code out[offset+i] = x < p[pOffset+i] ? 1 : 0} (float comparison). Both slices
     * in memory order (the output has {@code p}'s layout).
     */
    public synchronized void bernoulli(float[] out, int offset, int n, float[] p, int pOffset) {
        checkSlice(out.length, offset, n);
        checkSlice(p.length, pOffset, n);
        for (int i = 0; i < n; i++) {
            out[offset + i] = nextFloat01() < p[pOffset + i] ? 1f : 0f;
        }
    }

    /** {@code torch.bernoulli(p)} for a float64 probability tensor: a float64 uniform (two draws) each. */
    public synchronized void bernoulli(double[] out, int offset, int n, double[] p, int pOffset) {
        checkSlice(out.length, offset, n);
        checkSlice(p.length, pOffset, n);
        for (int i = 0; i < n; i++) {
            out[offset + i] = nextDouble01() < p[pOffset + i] ? 1.0 : 0.0;
        }
    }

    private static void checkProbability(double p) {
        if (!(p >= 0.0 && p <= 1.0)) {
            throw new IllegalArgumentException("bernoulli_ expects p to be in [0, 1], but got p=" + p);
        }
    }

    /**
     * The multiplier of training-mode {@code F.dropout(x, p)} on CPU for float32 {@code x} (§8):
     * {@code noise = bernoulli_(1 - p) / f32(1 - p)}, two draws per element; the caller then
     * computes {@code out = x * noise} in float. For {@code p == 0} the noise is 1 and for
     * {@code p == 1} it is 0, without draws (torch returns {@code x} resp. {@code x * 0}).
     */
    public synchronized void dropoutNoise(float[] noise, int offset, int n, double p) {
        checkSlice(noise.length, offset, n);
        if (!(p >= 0.0 && p <= 1.0)) {
            throw new IllegalArgumentException("dropout probability has to be between 0 and 1, but got " + p);
        }
        final int end = offset + n;
        if (p == 0.0 || p == 1.0) {
            java.util.Arrays.fill(noise, offset, end, p == 0.0 ? 1f : 0f);
            return;
        }
        final double q = 1.0 - p;
        final float qf = (float) q;
        // keep / (1 - p) is one of two constants: 1f / qf or 0f / qf == +0f
        final float kept = 1f / qf;
        if (wordsInOrder()) {
            noiseByChunks(noise, null, offset, n, q, kept, 0.0);
            return;
        }
        final int[] s = mt;
        int i = offset;
        while (i < end) {
            // Two state words per element, read straight from the state block until it needs a
            // twist (the same words, in the same order, as nextDouble01: bit-exact with torch).
            int pairs = Math.min((left - 1) >> 1, end - i);
            if (pairs <= 0) {
                noise[i++] = nextDouble01() < q ? kept : 0f;
                continue;
            }
            int w = next;
            for (int stop = i + pairs; i < stop; i++, w += 2) {
                long bits = ((temper(s[w]) & 0xFFFFFFFFL) << 32) | (temper(s[w + 1]) & 0xFFFFFFFFL);
                noise[i] = (bits & ((1L << 53) - 1)) * 0x1.0p-53 < q ? kept : 0f;
            }
            next = w;
            left -= 2 * pairs;
        }
    }

    /** The float64 version of {@link #dropoutNoise(float[], int, int, double)}: {@code keep / (1 - p)}. */
    public synchronized void dropoutNoise(double[] noise, int offset, int n, double p) {
        checkSlice(noise.length, offset, n);
        if (!(p >= 0.0 && p <= 1.0)) {
            throw new IllegalArgumentException("dropout probability has to be between 0 and 1, but got " + p);
        }
        final int end = offset + n;
        if (p == 0.0 || p == 1.0) {
            java.util.Arrays.fill(noise, offset, end, p == 0.0 ? 1.0 : 0.0);
            return;
        }
        final double q = 1.0 - p;
        final double kept = 1.0 / q;
        if (wordsInOrder()) {
            noiseByChunks(null, noise, offset, n, q, 0f, kept);
            return;
        }
        final int[] s = mt;
        int i = offset;
        while (i < end) {
            // As the float32 version: the state block read in place, bit-exact with nextDouble01.
            int pairs = Math.min((left - 1) >> 1, end - i);
            if (pairs <= 0) {
                noise[i++] = nextDouble01() < q ? kept : 0.0;
                continue;
            }
            int w = next;
            for (int stop = i + pairs; i < stop; i++, w += 2) {
                long bits = ((temper(s[w]) & 0xFFFFFFFFL) << 32) | (temper(s[w + 1]) & 0xFFFFFFFFL);
                noise[i] = (bits & ((1L << 53) - 1)) * 0x1.0p-53 < q ? kept : 0.0;
            }
            next = w;
            left -= 2 * pairs;
        }
    }

    // ---- dropout noise by chunks of words (issue 12) ----

    /** Elements per chunk of the pooled dropout noise: 2 words each, the chunk's words stay in L2. */
    private static final int NOISE_CHUNK = 1 << 16;
    /** Elements per chunk on one thread: the chunk's words and noise stay in L2. */
    private static final int NOISE_CHUNK_SERIAL = 1 << 13;

    /** The raw words of the noise's current chunk (grown on demand; the methods using it are synchronized). */
    private int[] noiseWords = new int[0];

    /**
     * Whether the state is one that draws leave ({@code next + left - 1 == N}, or a block to twist
     * first): then the words ahead are the sequence {@link #noiseByChunks} generates. States set by
     * hand to other {@code left}/{@code next} pairs take the word-by-word loop.
     */
    private boolean wordsInOrder() {
        return left == 1 || next + left - 1 == MT_N;
    }

    /** Whether a dropout mask of {@code n} elements is drawn with the pool's help (the same bits either way). */
    private static boolean parallelNoise(int n) {
        return n >= NOISE_CHUNK / 2 && jtorch.kernels.Parallel.numThreads() > 1 && !jtorch.kernels.Parallel.inParallelRegion();
    }

    /**
     * The dropout noise of {@code dropoutNoise}, chunk by chunk: the chunk's raw MT19937 words are
     * generated on this thread as the sequence they form ({@code x[j + N] = x[j + M] ^ mix(x[j], x[j + 1])},
     * what {@code twist} computes block by block, eight words at a time under the Vector API), then
     * tempered in place, turned into keep / drop and written
     * (over the pool for large masks). The same words in the same order as one {@code nextDouble01} per
     * element, and the state ({@code mt}, {@code left}, {@code next}) left as the sequential draws leave
     * it. One of {@code f32} and {@code f64} is non-null.
     */
    private void noiseByChunks(float[] f32, double[] f64, int offset, int n, double q, float keptF, double keptD) {
        final boolean pooled = parallelNoise(n);
        final int chunk = pooled ? NOISE_CHUNK : NOISE_CHUNK_SERIAL;
        final int chunkWords = 2 * Math.min(n, chunk);
        // seq[0, N) = the current block; then the words after it, up to the end of the block the chunk ends in.
        if (noiseWords.length < MT_N + chunkWords + MT_N) noiseWords = new int[MT_N + chunkWords + MT_N];
        final int[] seq = noiseWords;
        final jtorch.kernels.DropoutKernels k = jtorch.kernels.DropoutKernels.get();
        final long threshold = jtorch.kernels.DropoutKernels.keepThreshold(q);
        int done = 0;
        while (done < n) {
            final int m = Math.min(chunk, n - done), words = 2 * m;
            System.arraycopy(mt, 0, seq, 0, MT_N);
            final int st = left > 1 ? next : MT_N; // index in seq of the next word to draw
            final int last = st + words - 1;       // index of the last word this chunk draws
            int blockEnd = (last / MT_N + 1) * MT_N;
            k.sequence(seq, MT_N, blockEnd);
            if (last < MT_N) { // within the current block: no twist
                next += words;
                left -= words;
            } else {
                int blk = last / MT_N, used = last - blk * MT_N + 1;
                System.arraycopy(seq, blk * MT_N, mt, 0, MT_N);
                next = used;
                left = MT_N - used + 1;
            }
            final int base = offset + done;
            // The state is saved above, so the chunk's words can be tempered in place.
            if (pooled) {
                jtorch.kernels.Parallel.parallelFor(0, m, 1 << 13, (lo, hi) -> {
                    k.temper(seq, st + 2 * lo, st + 2 * hi);
                    if (f32 != null) k.noiseF32(seq, st + 2 * lo, f32, base + lo, hi - lo, threshold, keptF);
                    else k.noiseF64(seq, st + 2 * lo, f64, base + lo, hi - lo, threshold, keptD);
                });
            } else {
                k.temper(seq, st, st + words);
                if (f32 != null) k.noiseF32(seq, st, f32, base, m, threshold, keptF);
                else k.noiseF64(seq, st, f64, base, m, threshold, keptD);
            }
            done += m;
        }
    }

    // =========================================================================================
    // default initialisation bounds (§9)
    // =========================================================================================

    /**
     * The bound of {@code kaiming_uniform_(w, a=sqrt(5))}, the weight init of {@code nn.Linear}
     * and {@code nn.Conv*}: evaluated in double in torch's order, so that
     * {@code uniform(weight, -bound, bound)} reproduces torch's weights bit for bit.
     */
    public static double kaimingUniformBound(long fanIn) {
        return kaimingUniformBound(fanIn, Math.sqrt(5.0));
    }

    /**
     * {@code kaiming_uniform_(w, a, mode='fan_in', nonlinearity='leaky_relu')}:
     * {@code gain = sqrt(2 / (1 + a*a))}, {@code std = gain / sqrt(fanIn)},
     * {@code bound = sqrt(3) * std}.
     */
    public static double kaimingUniformBound(long fanIn, double a) {
        final double gain = Math.sqrt(2.0 / (1 + a * a));
        final double std = gain / Math.sqrt((double) fanIn);
        return Math.sqrt(3.0) * std;
    }

    /** The bias bound of {@code nn.Linear}/{@code nn.Conv*}: {@code 1 / sqrt(fanIn)} (0 if fanIn is 0). */
    public static double uniformBiasBound(long fanIn) {
        return fanIn > 0 ? 1 / Math.sqrt((double) fanIn) : 0.0;
    }

    // =========================================================================================
    // state
    // =========================================================================================

    /**
     * The state in torch's {@code get_rng_state()} byte layout ({@link #STATE_SIZE} bytes,
     * little-endian): {@code u64 seed, i32 left, i32 seeded, u64 next, 624 x u64 state,
     * f64 normal_x, f64 normal_y (cached normal), f64 normal_rho, i32 normal_is_valid, pad,
     * f32 float normal, u8 valid, pad}.
     */
    public synchronized byte[] getState() {
        ByteBuffer b = ByteBuffer.allocate(STATE_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(initialSeed);
        b.putInt(left);
        b.putInt(1);
        b.putLong(next);
        for (int w : mt) {
            b.putLong(w & 0xFFFFFFFFL);
        }
        b.putDouble(0.0);
        b.putDouble(hasNextDoubleNormal ? nextDoubleNormal : 0.0);
        b.putDouble(0.0);
        b.putInt(hasNextDoubleNormal ? 1 : 0);
        b.putInt(0);
        b.putFloat(hasNextFloatNormal ? nextFloatNormal : 0f);
        b.put((byte) (hasNextFloatNormal ? 1 : 0));
        return b.array();
    }

    /**
     * Restores a state produced by {@link #getState()} or by torch's {@code get_rng_state()}
     * (the 5056-byte layout). Capability and version settings are not part of the state.
     *
     * @throws IllegalArgumentException if the bytes are not a valid state
     */
    public synchronized void setState(byte[] state) {
        if (state.length != STATE_SIZE) {
            throw new IllegalArgumentException("Expected a CPUGeneratorImplState of size " + STATE_SIZE
                    + ", but found the input RNG state size to be " + state.length);
        }
        ByteBuffer b = ByteBuffer.wrap(state).order(ByteOrder.LITTLE_ENDIAN);
        final long seed = b.getLong(0);
        final int newLeft = b.getInt(8);
        final long newNext = b.getLong(16);
        if (newLeft < 1 || newLeft > MT_N || newNext < 0 || newNext > MT_N) {
            throw new IllegalArgumentException("corrupted RNG state: left=" + newLeft + ", next=" + newNext);
        }
        for (int i = 0; i < MT_N; i++) {
            mt[i] = (int) b.getLong(24 + 8 * i);
        }
        initialSeed = seed;
        left = newLeft;
        next = (int) newNext;
        hasNextDoubleNormal = b.getInt(5040) != 0;
        nextDoubleNormal = hasNextDoubleNormal ? b.getDouble(5024) : 0.0;
        hasNextFloatNormal = b.get(5052) != 0;
        nextFloatNormal = hasNextFloatNormal ? b.getFloat(5048) : 0f;
    }

    /** An independent generator with a copy of this one's state and settings. */
    public synchronized Generator copy() {
        Generator g = new Generator();
        g.setState(getState());
        g.capability = capability;
        g.torchVersion = torchVersion;
        return g;
    }

    private static void checkSlice(int length, int offset, int n) {
        if (n < 0 || offset < 0 || offset > length - n) {
            throw new IndexOutOfBoundsException(
                    "slice [" + offset + ", " + offset + " + " + n + ") out of bounds for length " + length);
        }
    }
}
