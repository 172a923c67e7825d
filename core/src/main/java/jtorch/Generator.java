package jtorch;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.SecureRandom;
import java.util.Objects;

/**
 * PyTorch's CPU random number generator ({@code torch.Generator} on CPU), reproducing torch's
 * streams <b>bit for bit</b>: an MT19937 engine plus the cached second Box-Muller sample, and
 * the exact algorithms of {@code rand}, {@code uniform_}, {@code randn}/{@code normal_},
 * {@code randint}, {@code randperm}, {@code bernoulli}/{@code bernoulli_} and dropout masks.
 * The reference is {@code shared/parity/RNG_SPEC.md} (torch 1.13.1, with the 2.x notes of
 * {@code TORCH2.md}); section numbers below ("§5.3") point into that document.
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
 * ({@code ATEN_CPU_CAPABILITY=default}) rounds twice and calls glibc's {@code logf}/{@code sinf}/
 * {@code cosf}. {@link TorchVersion} switches the two things that changed in 2.x: the radius of
 * the float64 pairwise normal path ({@code log1p(-u2)} instead of {@code log(1-u2)}) and
 * {@code randperm} for {@code n >= 214,748,364}. Defaults: AVX2 and 2.x. Integer-only
 * operations (the engine, {@code rand}, {@code randint}, {@code randperm}, bernoulli) are the
 * same under every setting.
 *
 * <h2>glibc math</h2>
 * Where torch calls glibc's {@code log}, {@code log1p}, {@code sin}, {@code cos}, {@code logf},
 * {@code sinf} or {@code cosf} (float64 normals, the pairwise normal path, the DEFAULT float32
 * block path), this class uses private ports of glibc 2.36's x86-64 FMA variants (the ones an
 * AVX2 CPU selects at run time), reproduced operation by operation, FMA placement included, from
 * the machine code of Debian's {@code libm.so.6}. {@code java.lang.Math}/{@code StrictMath}
 * differ from glibc in the last bit on 0.07-0.2% (Math) or several percent (StrictMath) of these
 * inputs, which would show in float64 normals (§11).
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
        /** {@code ATEN_CPU_CAPABILITY=default}: no FMA; glibc {@code logf}/{@code sinf}/{@code cosf}. */
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

    public synchronized Capability capability() {
        return capability;
    }

    /** Selects the kernel copy to mimic (default {@link Capability#AVX2}); returns this. */
    public synchronized Generator setCapability(Capability capability) {
        this.capability = Objects.requireNonNull(capability, "capability");
        return this;
    }

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
        int y = mt[next++];
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
            final double lg = torchVersion == TorchVersion.V1_13 ? Libm.log(1.0 - u2) : Libm.log1p(-u2);
            final double r = Math.sqrt(-2.0 * lg);
            final double theta = TWO_PI * u1;
            nextDoubleNormal = r * Libm.sin(theta);      // cached unscaled; mean/std applied on use
            hasNextDoubleNormal = true;
            v = r * Libm.cos(theta);
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
                // §5.4 float32 DEFAULT: glibc logf/cosf/sinf; theta formed in double, then rounded
                final float radius = (float) Math.sqrt(-2f * Libm.logf(1f - a));
                final float theta = (float) (TWO_PI * (double) u2);
                final float cosv = radius * Libm.cosf(theta);
                final float sinv = radius * Libm.sinf(theta);
                d[b + j] = cosv * std + mean;
                d[b + j + 8] = sinv * std + mean;
            }
        }
    }

    /** One 16-block of the float64 block path (§5.4), glibc log/cos/sin in double. */
    private static void normal16(double[] d, int b, double mean, double std, boolean fma) {
        for (int j = 0; j < 8; j++) {
            final double u1 = 1.0 - d[b + j];
            final double u2 = d[b + j + 8];
            final double radius = Math.sqrt(-2.0 * Libm.log(u1));
            final double theta = TWO_PI * u2;
            final double cosv = radius * Libm.cos(theta);
            final double sinv = radius * Libm.sin(theta);
            d[b + j] = fma ? Math.fma(cosv, std, mean) : cosv * std + mean;
            d[b + j + 8] = fma ? Math.fma(sinv, std, mean) : sinv * std + mean;
        }
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
        for (int i = offset; i < end; i++) {
            noise[i] = (nextDouble01() < q ? 1f : 0f) / qf;
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
        for (int i = offset; i < end; i++) {
            noise[i] = (nextDouble01() < q ? 1.0 : 0.0) / q;
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

    // =========================================================================================
    // glibc 2.36 libm, x86-64 FMA variants (__log_fma, __log1p_fma, __sin_fma, __cos_fma,
    // __logf_fma, __sinf_fma, __cosf_fma): what torch's kernels call on an AVX2 machine.
    // Each Math.fma below is a vfmadd/vfnmadd/vfmsub instruction of Debian's libm.so.6
    // (glibc 2.36-9, GCC 12, -mfma -mavx2); every other operation is rounded separately.
    // Checked bit for bit against that libm: 4M inputs per double function over torch's input
    // ranges (1-u, -u, 2*pi*u) and wider ones, and all 2^24 float inputs the DEFAULT path can
    // produce for logf/sinf/cosf. sin/cos fall back to StrictMath for |x| >= 105414350
    // (glibc's __branred range, which no kernel here reaches).
    // Derived from glibc (LGPL-2.1+): e_log.c/e_logf.c/s_sinf.c (Arm optimized-routines),
    // s_sin.c (IBM Accurate Mathematical Library), s_log1p.c (fdlibm).
    // =========================================================================================

    static final class Libm {
        private Libm() {
        }

        // ---- log (sysdeps/ieee754/dbl-64/e_log.c, e_log_data.c) ----
        private static final double LN2HI = 0x1.62e42fefa3800p-1;
        private static final double LN2LO = 0x1.ef35793c76730p-45;
        private static final double A0 = -0x1.0000000000001p-1;
        private static final double A1 = 0x1.555555551305bp-2;
        private static final double A2 = -0x1.fffffffeb459p-3;
        private static final double A3 = 0x1.999b324f10111p-3;
        private static final double A4 = -0x1.55575e506c89fp-3;
        private static final double B0 = -0x1p-1;
        private static final double B1 = 0x1.5555555555577p-2;
        private static final double B2 = -0x1.ffffffffffdcbp-3;
        private static final double B3 = 0x1.999999995dd0cp-3;
        private static final double B4 = -0x1.55555556745a7p-3;
        private static final double B5 = 0x1.24924a344de3p-3;
        private static final double B6 = -0x1.fffffa4423d65p-4;
        private static final double B7 = 0x1.c7184282ad6cap-4;
        private static final double B8 = -0x1.999eb43b068ffp-4;
        private static final double B9 = 0x1.78182f7afd085p-4;
        private static final double B10 = -0x1.5521375d145cdp-4;
        /** {invc, logc} for the 128 subintervals of [0x1.6p-1, 0x1.6p0). */
        private static final double[] LOG_TAB = {
            0x1.734f0c3e0de9fp+0, -0x1.7cc7f79e69000p-2,
            0x1.713786a2ce91fp+0, -0x1.76feec20d0000p-2,
            0x1.6f26008fab5a0p+0, -0x1.713e31351e000p-2,
            0x1.6d1a61f138c7dp+0, -0x1.6b85b38287800p-2,
            0x1.6b1490bc5b4d1p+0, -0x1.65d5590807800p-2,
            0x1.69147332f0cbap+0, -0x1.602d076180000p-2,
            0x1.6719f18224223p+0, -0x1.5a8ca86909000p-2,
            0x1.6524f99a51ed9p+0, -0x1.54f4356035000p-2,
            0x1.63356aa8f24c4p+0, -0x1.4f637c36b4000p-2,
            0x1.614b36b9ddc14p+0, -0x1.49da7fda85000p-2,
            0x1.5f66452c65c4cp+0, -0x1.445923989a800p-2,
            0x1.5d867b5912c4fp+0, -0x1.3edf439b0b800p-2,
            0x1.5babccb5b90dep+0, -0x1.396ce448f7000p-2,
            0x1.59d61f2d91a78p+0, -0x1.3401e17bda000p-2,
            0x1.5805612465687p+0, -0x1.2e9e2ef468000p-2,
            0x1.56397cee76bd3p+0, -0x1.2941b3830e000p-2,
            0x1.54725e2a77f93p+0, -0x1.23ec58cda8800p-2,
            0x1.52aff42064583p+0, -0x1.1e9e129279000p-2,
            0x1.50f22dbb2bddfp+0, -0x1.1956d2b48f800p-2,
            0x1.4f38f4734ded7p+0, -0x1.141679ab9f800p-2,
            0x1.4d843cfde2840p+0, -0x1.0edd094ef9800p-2,
            0x1.4bd3ec078a3c8p+0, -0x1.09aa518db1000p-2,
            0x1.4a27fc3e0258ap+0, -0x1.047e65263b800p-2,
            0x1.4880524d48434p+0, -0x1.feb224586f000p-3,
            0x1.46dce1b192d0bp+0, -0x1.f474a7517b000p-3,
            0x1.453d9d3391854p+0, -0x1.ea4443d103000p-3,
            0x1.43a2744b4845ap+0, -0x1.e020d44e9b000p-3,
            0x1.420b54115f8fbp+0, -0x1.d60a22977f000p-3,
            0x1.40782da3ef4b1p+0, -0x1.cc00104959000p-3,
            0x1.3ee8f5d57fe8fp+0, -0x1.c202956891000p-3,
            0x1.3d5d9a00b4ce9p+0, -0x1.b81178d811000p-3,
            0x1.3bd60c010c12bp+0, -0x1.ae2c9ccd3d000p-3,
            0x1.3a5242b75dab8p+0, -0x1.a45402e129000p-3,
            0x1.38d22cd9fd002p+0, -0x1.9a877681df000p-3,
            0x1.3755bc5847a1cp+0, -0x1.90c6d69483000p-3,
            0x1.35dce49ad36e2p+0, -0x1.87120a645c000p-3,
            0x1.34679984dd440p+0, -0x1.7d68fb4143000p-3,
            0x1.32f5cceffcb24p+0, -0x1.73cb83c627000p-3,
            0x1.3187775a10d49p+0, -0x1.6a39a9b376000p-3,
            0x1.301c8373e3990p+0, -0x1.60b3154b7a000p-3,
            0x1.2eb4ebb95f841p+0, -0x1.5737d76243000p-3,
            0x1.2d50a0219a9d1p+0, -0x1.4dc7b8fc23000p-3,
            0x1.2bef9a8b7fd2ap+0, -0x1.4462c51d20000p-3,
            0x1.2a91c7a0c1babp+0, -0x1.3b08abc830000p-3,
            0x1.293726014b530p+0, -0x1.31b996b490000p-3,
            0x1.27dfa5757a1f5p+0, -0x1.2875490a44000p-3,
            0x1.268b39b1d3bbfp+0, -0x1.1f3b9f879a000p-3,
            0x1.2539d838ff5bdp+0, -0x1.160c8252ca000p-3,
            0x1.23eb7aac9083bp+0, -0x1.0ce7f57f72000p-3,
            0x1.22a012ba940b6p+0, -0x1.03cdc49fea000p-3,
            0x1.2157996cc4132p+0, -0x1.f57bdbc4b8000p-4,
            0x1.201201dd2fc9bp+0, -0x1.e370896404000p-4,
            0x1.1ecf4494d480bp+0, -0x1.d17983ef94000p-4,
            0x1.1d8f5528f6569p+0, -0x1.bf9674ed8a000p-4,
            0x1.1c52311577e7cp+0, -0x1.adc79202f6000p-4,
            0x1.1b17c74cb26e9p+0, -0x1.9c0c3e7288000p-4,
            0x1.19e010c2c1ab6p+0, -0x1.8a646b372c000p-4,
            0x1.18ab07bb670bdp+0, -0x1.78d01b3ac0000p-4,
            0x1.1778a25efbcb6p+0, -0x1.674f145380000p-4,
            0x1.1648d354c31dap+0, -0x1.55e0e6d878000p-4,
            0x1.151b990275fddp+0, -0x1.4485cdea1e000p-4,
            0x1.13f0ea432d24cp+0, -0x1.333d94d6aa000p-4,
            0x1.12c8b7210f9dap+0, -0x1.22079f8c56000p-4,
            0x1.11a3028ecb531p+0, -0x1.10e4698622000p-4,
            0x1.107fbda8434afp+0, -0x1.ffa6c6ad20000p-5,
            0x1.0f5ee0f4e6bb3p+0, -0x1.dda8d4a774000p-5,
            0x1.0e4065d2a9fcep+0, -0x1.bbcece4850000p-5,
            0x1.0d244632ca521p+0, -0x1.9a1894012c000p-5,
            0x1.0c0a77ce2981ap+0, -0x1.788583302c000p-5,
            0x1.0af2f83c636d1p+0, -0x1.5715e67d68000p-5,
            0x1.09ddb98a01339p+0, -0x1.35c8a49658000p-5,
            0x1.08cabaf52e7dfp+0, -0x1.149e364154000p-5,
            0x1.07b9f2f4e28fbp+0, -0x1.e72c082eb8000p-6,
            0x1.06ab58c358f19p+0, -0x1.a55f152528000p-6,
            0x1.059eea5ecf92cp+0, -0x1.63d62cf818000p-6,
            0x1.04949cdd12c90p+0, -0x1.228fb8caa0000p-6,
            0x1.038c6c6f0ada9p+0, -0x1.c317b20f90000p-7,
            0x1.02865137932a9p+0, -0x1.419355daa0000p-7,
            0x1.0182427ea7348p+0, -0x1.81203c2ec0000p-8,
            0x1.008040614b195p+0, -0x1.0040979240000p-9,
            0x1.fe01ff726fa1ap-1, 0x1.feff384900000p-9,
            0x1.fa11cc261ea74p-1, 0x1.7dc41353d0000p-7,
            0x1.f6310b081992ep-1, 0x1.3cea3c4c28000p-6,
            0x1.f25f63ceeadcdp-1, 0x1.b9fc114890000p-6,
            0x1.ee9c8039113e7p-1, 0x1.1b0d8ce110000p-5,
            0x1.eae8078cbb1abp-1, 0x1.58a5bd001c000p-5,
            0x1.e741aa29d0c9bp-1, 0x1.95c8340d88000p-5,
            0x1.e3a91830a99b5p-1, 0x1.d276aef578000p-5,
            0x1.e01e009609a56p-1, 0x1.07598e598c000p-4,
            0x1.dca01e577bb98p-1, 0x1.253f5e30d2000p-4,
            0x1.d92f20b7c9103p-1, 0x1.42edd8b380000p-4,
            0x1.d5cac66fb5ccep-1, 0x1.606598757c000p-4,
            0x1.d272caa5ede9dp-1, 0x1.7da76356a0000p-4,
            0x1.cf26e3e6b2ccdp-1, 0x1.9ab434e1c6000p-4,
            0x1.cbe6da2a77902p-1, 0x1.b78c7bb0d6000p-4,
            0x1.c8b266d37086dp-1, 0x1.d431332e72000p-4,
            0x1.c5894bd5d5804p-1, 0x1.f0a3171de6000p-4,
            0x1.c26b533bb9f8cp-1, 0x1.067152b914000p-3,
            0x1.bf583eeece73fp-1, 0x1.147858292b000p-3,
            0x1.bc4fd75db96c1p-1, 0x1.2266ecdca3000p-3,
            0x1.b951e0c864a28p-1, 0x1.303d7a6c55000p-3,
            0x1.b65e2c5ef3e2cp-1, 0x1.3dfc33c331000p-3,
            0x1.b374867c9888bp-1, 0x1.4ba366b7a8000p-3,
            0x1.b094b211d304ap-1, 0x1.5933928d1f000p-3,
            0x1.adbe885f2ef7ep-1, 0x1.66acd2418f000p-3,
            0x1.aaf1d31603da2p-1, 0x1.740f8ec669000p-3,
            0x1.a82e63fd358a7p-1, 0x1.815c0f51af000p-3,
            0x1.a5740ef09738bp-1, 0x1.8e92954f68000p-3,
            0x1.a2c2a90ab4b27p-1, 0x1.9bb3602f84000p-3,
            0x1.a01a01393f2d1p-1, 0x1.a8bed1c2c0000p-3,
            0x1.9d79f24db3c1bp-1, 0x1.b5b515c01d000p-3,
            0x1.9ae2505c7b190p-1, 0x1.c2967ccbcc000p-3,
            0x1.9852ef297ce2fp-1, 0x1.cf635d5486000p-3,
            0x1.95cbaeea44b75p-1, 0x1.dc1bd3446c000p-3,
            0x1.934c69de74838p-1, 0x1.e8c01b8cfe000p-3,
            0x1.90d4f2f6752e6p-1, 0x1.f5509c0179000p-3,
            0x1.8e6528effd79dp-1, 0x1.00e6c121fb800p-2,
            0x1.8bfce9fcc007cp-1, 0x1.071b80e93d000p-2,
            0x1.899c0dabec30ep-1, 0x1.0d46b9e867000p-2,
            0x1.87427aa2317fbp-1, 0x1.13687334bd000p-2,
            0x1.84f00acb39a08p-1, 0x1.1980d67234800p-2,
            0x1.82a49e8653e55p-1, 0x1.1f8ffe0cc8000p-2,
            0x1.8060195f40260p-1, 0x1.2595fd7636800p-2,
            0x1.7e22563e0a329p-1, 0x1.2b9300914a800p-2,
            0x1.7beb377dcb5adp-1, 0x1.3187210436000p-2,
            0x1.79baa679725c2p-1, 0x1.377266dec1800p-2,
            0x1.77907f2170657p-1, 0x1.3d54ffbaf3000p-2,
            0x1.756cadbd6130cp-1, 0x1.432eee32fe000p-2,
        };

        static double log(double x) {
            long ix = Double.doubleToRawLongBits(x);
            final long lo = 0x3FEE000000000000L;         // asuint64(1.0 - 0x1p-4)
            final long hi = 0x3FF1090000000000L;         // asuint64(1.0 + 0x1.09p-4)
            if (Long.compareUnsigned(ix - lo, hi - lo) < 0) {
                if (ix == 0x3FF0000000000000L) {
                    return 0.0;
                }
                final double r = x - 1.0;
                final double r2 = r * r;
                final double r3 = r * r2;
                double p = Math.fma(r3, B10, Math.fma(r2, B9, Math.fma(r, B8, B7)));
                p = Math.fma(p, r3, Math.fma(r2, B6, Math.fma(r, B5, B4)));
                p = Math.fma(p, r3, Math.fma(r2, B3, Math.fma(r, B2, B1)));
                final double w = r * 0x1p27;
                final double rhi = (r + w) - w;
                final double rlo = r - rhi;
                final double w2 = rhi * rhi * B0;       // exact
                final double h = r + w2;
                double l = (r - h) + w2;
                l = Math.fma(B0 * rlo, rhi + r, l);
                return Math.fma(r3, p, l) + h;
            }
            final int top = (int) (ix >>> 48);
            if (top - 0x0010 >= 0x7FF0 - 0x0010 || top < 0x0010) {
                if ((ix << 1) == 0) {
                    return Double.NEGATIVE_INFINITY;
                }
                if (ix == 0x7FF0000000000000L) {
                    return x;
                }
                if ((top & 0x8000) != 0 || (top & 0x7FF0) == 0x7FF0) {
                    return Double.NaN;
                }
                ix = Double.doubleToRawLongBits(x * 0x1p52) - (52L << 52);   // subnormal
            }
            final long tmp = ix - 0x3FE6000000000000L;
            final int i = (int) ((tmp >>> 45) & 127);
            final int k = (int) (tmp >> 52);
            final long iz = ix - (tmp & (0xFFFL << 52));
            final double invc = LOG_TAB[2 * i];
            final double logc = LOG_TAB[2 * i + 1];
            final double z = Double.longBitsToDouble(iz);
            final double r = Math.fma(z, invc, -1.0);
            final double kd = k;
            final double w = Math.fma(kd, LN2HI, logc);
            final double h = w + r;
            final double l = Math.fma(kd, LN2LO, (w - h) + r);
            final double r2 = r * r;
            final double r3 = r * r2;
            final double p = Math.fma(Math.fma(r, A4, A3), r2, Math.fma(r, A2, A1));
            return Math.fma(r3, p, Math.fma(r2, A0, l)) + h;
        }

        // ---- log1p (sysdeps/ieee754/dbl-64/s_log1p.c) ----
        private static final double LN2_HI = 6.93147180369123816490e-01;
        private static final double LN2_LO = 1.90821492927058770002e-10;
        private static final double LP1 = 6.666666666666735130e-01;
        private static final double LP2 = 3.999999999940941908e-01;
        private static final double LP3 = 2.857142874366239149e-01;
        private static final double LP4 = 2.222219843214978396e-01;
        private static final double LP5 = 1.818357216161805012e-01;
        private static final double LP6 = 1.531383769920937332e-01;
        private static final double LP7 = 1.479819860511658591e-01;

        private static int highWord(double d) {
            return (int) (Double.doubleToRawLongBits(d) >>> 32);
        }

        private static double withHighWord(double d, int hw) {
            return Double.longBitsToDouble(((long) hw << 32) | (Double.doubleToRawLongBits(d) & 0xFFFFFFFFL));
        }

        static double log1p(double x) {
            final int hx = highWord(x);
            final int ax = hx & 0x7FFFFFFF;
            int k = 1;
            int hu = 0;
            double f = 0.0;
            double c = 0.0;
            if (hx < 0x3FDA827A) {                       // x < 0.41422
                if (ax >= 0x3FF00000) {                  // x <= -1.0
                    return x == -1.0 ? Double.NEGATIVE_INFINITY : Double.NaN;
                }
                if (ax < 0x3E200000) {                   // |x| < 2^-29
                    if (ax < 0x3C900000) {
                        return x;
                    }
                    return Math.fma(-(x * x), 0.5, x);
                }
                if (hx > 0 || hx <= 0xBFD2BEC3) {        // -0.2929 < x < 0.41422
                    k = 0;
                    f = x;
                    hu = 1;
                }
            } else if (hx >= 0x7FF00000) {
                return x + x;
            }
            if (k != 0) {
                double u;
                if (hx < 0x43400000) {
                    u = 1.0 + x;
                    hu = highWord(u);
                    k = (hu >> 20) - 1023;
                    c = k > 0 ? 1.0 - (u - x) : x - (u - 1.0);
                    c /= u;
                } else {
                    u = x;
                    hu = highWord(u);
                    k = (hu >> 20) - 1023;
                    c = 0.0;
                }
                hu &= 0x000FFFFF;
                if (hu < 0x6A09E) {
                    u = withHighWord(u, hu | 0x3FF00000);
                } else {
                    k += 1;
                    u = withHighWord(u, hu | 0x3FE00000);
                    hu = (0x00100000 - hu) >> 2;
                }
                f = u - 1.0;
            }
            final double hfsq = 0.5 * f * f;
            if (hu == 0) {                               // |f| < 2^-20
                if (f == 0.0) {
                    if (k == 0) {
                        return 0.0;
                    }
                    return Math.fma(k, LN2_HI, Math.fma(k, LN2_LO, c));
                }
                final double r = Math.fma(-f, 0.66666666666666666, 1.0) * hfsq;
                if (k == 0) {
                    return f - r;
                }
                return Math.fma(k, LN2_HI, -((r - Math.fma(k, LN2_LO, c)) - f));
            }
            final double s = f / (2.0 + f);
            final double z = s * s;
            final double r2 = Math.fma(z, LP3, LP2);
            final double r3 = Math.fma(z, LP5, LP4);
            final double r4 = Math.fma(z, LP7, LP6);
            final double z2 = z * z;
            final double z4 = z2 * z2;
            final double z6 = z2 * z4;
            double r = Math.fma(z, LP1, z2 * r2);
            r = Math.fma(z4, r3, r);
            r = Math.fma(z6, r4, r);
            final double t = (r + hfsq) * s;
            if (k == 0) {
                return f - (hfsq - t);
            }
            return Math.fma(k, LN2_HI, -((hfsq - (t + Math.fma(k, LN2_LO, c))) - f));
        }

        // ---- sin / cos (sysdeps/ieee754/dbl-64/s_sin.c, usncs.h, sincostab.c) ----
        private static final double SN3 = Double.longBitsToDouble(0xBFC5555555555515L);
        private static final double SN5 = Double.longBitsToDouble(0x3F811110E829872FL);
        private static final double CS2 = 0.5;
        private static final double CS4 = Double.longBitsToDouble(0xBFA5555555555535L);
        private static final double CS6 = Double.longBitsToDouble(0x3F56C16BEDD9E239L);
        private static final double S1 = -0x1.5555555555555p-3;
        private static final double S2 = 0x1.1111111110ECEp-7;
        private static final double S3 = -0x1.A01A019DB08B8p-13;
        private static final double S4 = 0x1.71DE27B9A7ED9p-19;
        private static final double S5 = -0x1.ADDFFC2FCDF59p-26;
        private static final double BIG = 0x1.8000000000000p45;
        private static final double HP0 = 0x1.921FB54442D18p0;
        private static final double HP1 = 0x1.1A62633145C07p-54;
        private static final double MP1 = 0x1.921FB58000000p0;
        private static final double MP2 = -0x1.DDE973C000000p-27;
        private static final double PP3 = -0x1.CB3B398000000p-55;
        private static final double PP4 = -0x1.d747f23e32ed7p-83;
        private static final double HPINV = 0x1.45F306DC9C883p-1;
        private static final double TOINT = 0x1.8000000000000p52;
        /** __sincostab: {sin, sin-low, cos, cos-low} of i/128 for i = 0..109, as raw bits. */
        private static final double[] SINCOS_TAB;
        static {
            final long[] bits = {
                0x0000000000000000L, 0x0000000000000000L, 0x3ff0000000000000L, 0x0000000000000000L,
                0x3f7fffeaaaaeeeefL, 0xbc1e45e2ec67b77cL, 0x3fefffc000155552L, 0x3c8f4a01a0196daeL,
                0x3f8fffaaaaeeeed5L, 0xbc02ab639a9f0777L, 0x3fefff000155549fL, 0x3c828a28a03a5ef3L,
                0x3f97ff7001033255L, 0x3bfefe2b51527336L, 0x3feffdc006bff7e6L, 0x3c8ae6dae86977bdL,
                0x3f9ffeaaaeeee86fL, 0xbc3cd406fb224ae2L, 0x3feffc00155527d3L, 0xbc83b54492d89b5bL,
                0x3fa3feb2b12d45d5L, 0x3c34ec54203d1c11L, 0x3feff9c03414a7baL, 0x3c6991f4be6c59bfL,
                0x3fa7fdc01032fba9L, 0xbc4599bdf46e997aL, 0x3feff7006bfdf99fL, 0xbc78b3b560648d5fL,
                0x3fabfc6d78586dacL, 0x3c18e4fd03dbf236L, 0x3feff3c0c8103a31L, 0x3c74856dbddc0e66L,
                0x3faffaaaeeed4edbL, 0xbc42d16d32684b69L, 0x3feff0015549f4d3L, 0x3c8328387b99426fL,
                0x3fb1fc343d808befL, 0xbc5f3d32e6f3be4fL, 0x3fefebc222a8ef9fL, 0x3c57934934f54c77L,
                0x3fb3facb12d1755bL, 0xbc5921915299468cL, 0x3fefe7034129ef6fL, 0xbc6cbf4337c96f97L,
                0x3fb5f911fd10b737L, 0xbc50184f02be9102L, 0x3fefe1c4c3c873ebL, 0xbc35a9c9057c4a02L,
                0x3fb7f701032550e4L, 0x3c3afc2d1800501aL, 0x3fefdc06bf7e6b9bL, 0x3c831902b535f8dbL,
                0x3fb9f4902d55d1f9L, 0x3c52696d7eac1dc1L, 0x3fefd5c94b43e000L, 0xbc62e768cb4f92f9L,
                0x3fbbf1b78568391dL, 0x3c5e91841dea4cc8L, 0x3fefcf0c800e99b1L, 0x3c6ea3d786d186acL,
                0x3fbdee6f16c1cce6L, 0xbc450f8e2fb71673L, 0x3fefc7d078d1bc88L, 0x3c8075d2447db685L,
                0x3fbfeaaeee86ee36L, 0xbc4afcb2bcc6f03bL, 0x3fefc015527d5bd3L, 0x3c8b68f35094efb8L,
                0x3fc0f3378ddd71d1L, 0x3c6d8468724f0f9eL, 0x3fefb7db2bfe0695L, 0x3c821dadf4f65ab1L,
                0x3fc1f0d3d7afceafL, 0xbc66ef95099769a5L, 0x3fefaf22263c4bd3L, 0xbc552ace133a2769L,
                0x3fc2ee285e4ab88fL, 0xbc6e4d0f05dee058L, 0x3fefa5ea641c36f2L, 0x3c404da6ed17cc7cL,
                0x3fc3eb312c5d66cbL, 0x3c647d666b66cb91L, 0x3fef9c340a7cc428L, 0x3c8c5b6b063b7462L,
                0x3fc4e7ea4dc5f27bL, 0x3c5949db2ac072fcL, 0x3fef91ff40374d01L, 0xbc67d03f4d3a9e4cL,
                0x3fc5e44fcfa126f3L, 0xbc66f443063f89b6L, 0x3fef874c2e1eecf6L, 0xbc8c6514e1332b16L,
                0x3fc6e05dc05a4d4cL, 0xbbd32c5c8b81c940L, 0x3fef7c1afeffde24L, 0xbc78f55bc47540b1L,
                0x3fc7dc102fbaf2b5L, 0x3c45ab50e23c97c3L, 0x3fef706bdf9ece1cL, 0xbc8698c80c36dcb4L,
                0x3fc8d7632efaa944L, 0xbc620fa262cbb953L, 0x3fef643efeb82acdL, 0x3c76b00ac1fe28acL,
                0x3fc9d252d0cec312L, 0x3c59c43d80b1137dL, 0x3fef57948cff6797L, 0x3c6e3a0d3e03b1d5L,
                0x3fcaccdb297a0765L, 0xbc59883b57d6cdebL, 0x3fef4a6cbd1e3a79L, 0x3c813df0edaebb57L,
                0x3fcbc6f84edc6199L, 0x3c69c1a56a7b0cabL, 0x3fef3cc7c3b3d16eL, 0xbc621a3ad28a3494L,
                0x3fccc0a6588289a3L, 0xbc6868d09bc87c6bL, 0x3fef2ea5d753ffedL, 0x3c8cc4215f56d583L,
                0x3fcdb9e15fb5a5d0L, 0xbc632e20d6cc6fc2L, 0x3fef20073086649fL, 0x3c7b940416c1984bL,
                0x3fceb2a57f8ae5a3L, 0xbc60be06af572cebL, 0x3fef10ec09c5873bL, 0x3c8d9072762c1283L,
                0x3fcfaaeed4f31577L, 0xbc615d88508e32b8L, 0x3fef01549f7deea1L, 0x3c8d3c1e99e5cafdL,
                0x3fd0515cbf65155cL, 0xbc79b8c29dfd8ec8L, 0x3feef141300d2f26L, 0xbc82aa1b08ded372L,
                0x3fd0cd00cef36436L, 0xbc79fb0a0c93e2b5L, 0x3feee0b1fbc0f11cL, 0xbc4bfd2380bbc3b1L,
                0x3fd14861aa94ddebL, 0xbc6be881b5b615a4L, 0x3feecfa744d5efa1L, 0xbc556d0a4af541d0L,
                0x3fd1c37d64c6b876L, 0x3c746076fe0dcff5L, 0x3feebe214f76efa8L, 0xbc802f9f12ba543eL,
                0x3fd23e52111aaf36L, 0xbc74f080334eff18L, 0x3feeac2061bbaf4fL, 0x3c62c1d53e94658dL,
                0x3fd2b8ddc43eb49fL, 0x3c61553899f2d807L, 0x3fee99a4c3a7cd83L, 0xbc82264b1bc53ce8L,
                0x3fd3331e94049f87L, 0x3c7e0cb6b40c302cL, 0x3fee86aebf29a9edL, 0x3c89397afdbb58a7L,
                0x3fd3ad129769d3d8L, 0x3c003d5504878398L, 0x3fee733ea0193d40L, 0xbc86428b3546ce13L,
                0x3fd426b7e69ee697L, 0xbc7f09c75705c59fL, 0x3fee5f54b436e9d0L, 0x3c87eb0fd02fc8bcL,
                0x3fd4a00c9b0f3d20L, 0x3c7823ba6bb08eadL, 0x3fee4af14b2a449cL, 0xbc868ca02e8a6833L,
                0x3fd5190ecf68a77aL, 0x3c7b357155eef0f3L, 0x3fee3614b680d6a5L, 0xbc727793aa015237L,
                0x3fd591bc9fa2f597L, 0x3c67c74bac3fe0cbL, 0x3fee20bf49acd6c1L, 0xbc5660aec7ef636cL,
                0x3fd60a1429078775L, 0x3c5b1fd80ba89133L, 0x3fee0af15a03dbceL, 0x3c5fe8e702771ae6L,
                0x3fd682138a38d7f7L, 0xbc7d889202444aadL, 0x3fedf4ab3ebd875eL, 0xbc8e2d8a7e6736c4L,
                0x3fd6f9b8e33a0255L, 0x3c742bc14ee9da0dL, 0x3feddded50f228d6L, 0xbc6e80c8d42ba2bfL,
                0x3fd7710255764214L, 0xbc66ead7314bb6ceL, 0x3fedc6b7eb995912L, 0x3c54b364776dcd35L,
                0x3fd7e7ee03c86d4eL, 0xbc7b63bcdabf5af2L, 0x3fedaf0b6b888e83L, 0x3c8a249e2b5e5ceaL,
                0x3fd85e7a12826949L, 0x3c78a40e9b5face0L, 0x3fed96e82f71a9dcL, 0x3c8ff61bd5d2039dL,
                0x3fd8d4a4a774992fL, 0x3c744a02ea766326L, 0x3fed7e4e97e17b4aL, 0xbc63b770352bed94L,
                0x3fd94a6be9f546c5L, 0xbc769ce13e683f58L, 0x3fed653f073e4040L, 0xbc876236434bec37L,
                0x3fd9bfce02e80510L, 0x3c709e39a320b0a4L, 0x3fed4bb9e1c619e0L, 0x3c8f34bb77858f61L,
                0x3fda34c91cc50ccaL, 0xbc5a310e3b50cecdL, 0x3fed31bf8d8d7c06L, 0x3c7e60dd3089cbddL,
                0x3fdaa95b63a09277L, 0xbc66293eb13c0381L, 0x3fed1750727d94f0L, 0x3c80d52b1ec1a48eL,
                0x3fdb1d8305321617L, 0xbc7ae242cb99f519L, 0x3fecfc6cfa52ad9fL, 0x3c88b5b5508f2a0dL,
                0x3fdb913e30dbac43L, 0xbc7e38ad2f6c3ff1L, 0x3fece115909a82e5L, 0x3c81f139bb31109aL,
                0x3fdc048b17b140a3L, 0x3c619fe6757e9fa7L, 0x3fecc54aa2b2972eL, 0x3c64ee162ba83a98L,
                0x3fdc7767ec7fd19eL, 0xbc5eb14d1a3d5826L, 0x3feca90c9fc67d0bL, 0xbc646a81485e3462L,
                0x3fdce9d2e3d4a51fL, 0xbc62fc8a12dae298L, 0x3fec8c5bf8ce1a84L, 0x3c7ab3d1a1590123L,
                0x3fdd5bca34047661L, 0x3c728a44a75fc29cL, 0x3fec6f39208be53bL, 0xbc8741dbfbaadb42L,
                0x3fddcd4c15329c9aL, 0x3c70d4c6e171fd9aL, 0x3fec51a48b8b175eL, 0xbc61bbb43b9aa880L,
                0x3fde3e56c1582a69L, 0xbc50a4821099f88fL, 0x3fec339eb01ddd81L, 0xbc8caaf5ee82c5c0L,
                0x3fdeaee8744b05f0L, 0xbc5789b43c9b027dL, 0x3fec1528065b7d50L, 0xbc8892111312e828L,
                0x3fdf1eff6bc4f97bL, 0x3c717212f8a7525cL, 0x3febf641081e7536L, 0x3c8b7bd71628a9a1L,
                0x3fdf8e99e76abc97L, 0x3c59d950af2d00a3L, 0x3febd6ea310294f5L, 0x3c731bbcc88c109dL,
                0x3fdffdb628d2f57aL, 0x3c6f4a992e905b6aL, 0x3febb723fe630f32L, 0x3c772bd2452d0a39L,
                0x3fe0362939c69955L, 0xbc82d8cd78397b01L, 0x3feb96eeef58840eL, 0x3c545a3cc78fade0L,
                0x3fe06d3686946e5bL, 0x3c83f5ae4538ff1bL, 0x3feb764b84b704c2L, 0xbc8f5848c21b389bL,
                0x3fe0a4021e9e1001L, 0xbc86f643a13914f6L, 0x3feb553a410c104eL, 0x3c58ff7947027a16L,
                0x3fe0da8b26b5672eL, 0xbc8a58def0bee909L, 0x3feb33bba89c8948L, 0x3c8ea6a51d1f6ca9L,
                0x3fe110d0c4b69c3bL, 0x3c8d918998809981L, 0x3feb11d04162a4c6L, 0x3c71dd561efbc0c2L,
                0x3fe146d21f8b7f82L, 0x3c7bf9535e2739a8L, 0x3feaef78930bd275L, 0xbc7f836279746f94L,
                0x3fe17c8e5f2eedb0L, 0x3c635e57102e2488L, 0x3feaccb526f69de5L, 0x3c88fb6a8dd6b6ccL,
                0x3fe1b204acb02fddL, 0xbc5f190c70cbb5ffL, 0x3feaa98688308913L, 0xbc0b83d607cd5070L,
                0x3fe1e7343236574cL, 0x3c722a3fa4f41d5aL, 0x3fea85ed4373e02dL, 0x3c69be06385ec792L,
                0x3fe21c1c1b0394cfL, 0x3c5e5b324b23aa31L, 0x3fea61e9e72586afL, 0x3c858330e2fd453fL,
                0x3fe250bb93788bbbL, 0x3c7ea3d02457bcceL, 0x3fea3d7d0352bdcfL, 0xbc868dbaeca19669L,
                0x3fe28511c917a067L, 0xbc801df1d9a16b70L, 0x3fea18a729aee445L, 0x3c395e25736c0358L,
                0x3fe2b91dea88421eL, 0xbc8fa371db216ab0L, 0x3fe9f368ed912f85L, 0xbc81d200c5791606L,
                0x3fe2ecdf279a3082L, 0x3c8d3557e0e7e37eL, 0x3fe9cdc2e3f25e5cL, 0x3c83f99112993f62L,
                0x3fe32054b148bc4fL, 0x3c8f6b42095a135bL, 0x3fe9a7b5a36a6514L, 0x3c8722cfcc9fa7a9L,
                0x3fe3537db9be0367L, 0x3c6b327e7af040f0L, 0x3fe98141c42e1310L, 0x3c8d1ff80488f08dL,
                0x3fe386597456282bL, 0xbc710fada93b07a8L, 0x3fe95a67e00cb1fdL, 0xbc80befda21f862dL,
                0x3fe3b8e715a2840aL, 0xbc797653a7d2f07bL, 0x3fe93328926d9e92L, 0xbc8bb77003600cdaL,
                0x3fe3eb25d36cd53aL, 0xbc5be570e1570fc0L, 0x3fe90b84784ddaf7L, 0xbc70feb10ab93b87L,
                0x3fe41d14e4ba6790L, 0x3c84608fd287ecf5L, 0x3fe8e37c303d9ad1L, 0xbc6463a4b53d4bf8L,
                0x3fe44eb381cf386bL, 0xbc83ed6c1e6a5505L, 0x3fe8bb105a5dc900L, 0x3c8863e03e9474c1L,
                0x3fe48000e431159fL, 0xbc8b194a7463ed10L, 0x3fe89241985d871fL, 0x3c8c48d9c413ed84L,
                0x3fe4b0fc46aab761L, 0x3c20da05738cc59aL, 0x3fe869108d77a6c6L, 0x3c7338ffe2bfe9ddL,
                0x3fe4e1a4e54ed51bL, 0xbc8a492f89b7c76aL, 0x3fe83f7dde701ca0L, 0xbc4152cf609bc6e8L,
                0x3fe511f9fd7b351cL, 0xbc85c0e861c48831L, 0x3fe8158a31916d5dL, 0xbc6de8b90b8228deL,
                0x3fe541facddbb724L, 0x3c7232c28520d391L, 0x3fe7eb362eaa1488L, 0x3c5a1d65a4a5959fL,
                0x3fe571a6966d59b3L, 0x3c5c843b4d0fb198L, 0x3fe7c0827f09e54fL, 0xbc6c73d6d72aee68L,
                0x3fe5a0fc98813a12L, 0xbc8d82e2b7d4227bL, 0x3fe7956fcd7f6543L, 0xbc8ab276e9d45ae4L,
                0x3fe5cffc16bf8f0dL, 0x3c896cb370eb578aL, 0x3fe769fec655211fL, 0xbc6827d5cf8c68c5L,
                0x3fe5fea4552a9e57L, 0x3c80b6cef7ee20b7L, 0x3fe73e30174efba1L, 0xbc65d3ae3d94ad5fL,
                0x3fe62cf49921ac79L, 0xbc8edd9855b6241aL, 0x3fe712046fa77678L, 0x3c8425b0a5029c81L,
                0x3fe65aec2963e755L, 0x3c8126f96b71053cL, 0x3fe6e57c800cf55eL, 0x3c860286dedbd0a6L,
                0x3fe6888a4e134b2fL, 0xbc86b7d37644d5e6L, 0x3fe6b898fa9efb5dL, 0x3c715ac786ccf4b2L,
                0x3fe6b5ce50b7821aL, 0xbc65d5158f702e0fL, 0x3fe68b5a92eb6253L, 0xbc89a91ad985f89cL,
                0x3fe6e2b77c40bde1L, 0xbc70e729857fad53L, 0x3fe65dc1fdeb8cbaL, 0xbc597c1b47337c77L,
                0x3fe70f451d0a8c40L, 0x3c697ede3885770dL, 0x3fe62fcff20191c7L, 0x3c6d9143895756efL,
                0x3fe73b7680dea578L, 0xbc72248306dc12a2L, 0x3fe6018526f563dfL, 0x3c846ca5e0e432d0L,
                0x3fe7674af6f7b524L, 0x3c7e9d3f94ac84a8L, 0x3fe5d2e255f1f17aL, 0x3c80314104c8892bL,
                0x3fe792c1d0041d52L, 0xbc8abf05eeb354ebL, 0x3fe5a3e839824077L, 0x3c8428aa2759be62L,
                0x3fe7bdda5e28b3c2L, 0x3c4ad1197ccd0393L, 0x3fe574978d8e83f2L, 0x3c8f4714af282d23L,
                0x3fe7e893f5037959L, 0x3c80eefbaa650c4cL, 0x3fe544f10f592ca5L, 0xbc8e7ae8e6c7a62fL,
                0x3fe812ede9ae4ba4L, 0xbc87830adf402ddaL, 0x3fe514f57d7bf3daL, 0x3c747a108073c259L,
            };
            SINCOS_TAB = new double[bits.length];
            for (int i = 0; i < bits.length; i++) {
                SINCOS_TAB[i] = Double.longBitsToDouble(bits[i]);
            }
        }

        private static double taylorSin(double xx, double x, double dx) {
            double p = Math.fma(S5, xx, S4);
            p = Math.fma(p, xx, S3);
            p = Math.fma(p, xx, S2);
            p = Math.fma(p, xx, S1);
            final double t = Math.fma(xx, Math.fma(p, x, -(0.5 * dx)), dx);
            return x + t;
        }

        private static double doSin(double x, double dx) {
            final double xold = x;
            if (Math.abs(x) < 0.126) {
                return taylorSin(x * x, x, dx);
            }
            if (x <= 0) {
                dx = -dx;
            }
            final double ax = Math.abs(x);
            final double u = BIG + ax;
            x = ax - (u - BIG);
            final int k = ((int) Double.doubleToRawLongBits(u)) << 2;
            final double xx = x * x;
            final double s = x + Math.fma(x * xx, Math.fma(xx, SN5, SN3), dx);
            final double c = Math.fma(x, dx, xx * Math.fma(xx, Math.fma(xx, CS6, CS4), CS2));
            final double sn = SINCOS_TAB[k];
            final double ssn = SINCOS_TAB[k + 1];
            final double cs = SINCOS_TAB[k + 2];
            final double ccs = SINCOS_TAB[k + 3];
            final double cor = Math.fma(s, cs, Math.fma(-c, sn, Math.fma(s, ccs, ssn)));
            return Math.copySign(sn + cor, xold);
        }

        private static double doCos(double x, double dx) {
            if (x < 0) {
                dx = -dx;
            }
            final double ax = Math.abs(x);
            final double u = BIG + ax;
            x = ax - (u - BIG) + dx;
            final int k = ((int) Double.doubleToRawLongBits(u)) << 2;
            final double xx = x * x;
            final double s = Math.fma(x * xx, Math.fma(xx, SN5, SN3), x);
            final double c = xx * Math.fma(xx, Math.fma(xx, CS6, CS4), CS2);
            final double sn = SINCOS_TAB[k];
            final double ssn = SINCOS_TAB[k + 1];
            final double cs = SINCOS_TAB[k + 2];
            final double ccs = SINCOS_TAB[k + 3];
            final double cor = Math.fma(-s, sn, Math.fma(-c, cs, Math.fma(-s, ssn, ccs)));
            return cs + cor;
        }

        /** reduce_sincos then do_sincos, for 2.426265 &lt;= |x| &lt; 105414350. */
        private static double reducedSinCos(double x, int quadrantShift) {
            final double t = Math.fma(x, HPINV, TOINT);
            final double xn = t - TOINT;
            final int n = ((int) Double.doubleToRawLongBits(t) + quadrantShift) & 3;
            double y = Math.fma(-xn, MP1, x);
            y = Math.fma(-xn, MP2, y);
            final double t2 = Math.fma(-xn, PP3, y);
            double db = Math.fma(-xn, PP3, y - t2);
            final double b = Math.fma(-xn, PP4, t2);
            db = db + Math.fma(-xn, PP4, t2 - b);
            final double v = (n & 1) != 0 ? doCos(b, db) : doSin(b, db);
            return (n & 2) != 0 ? -v : v;
        }

        static double sin(double x) {
            final int k = highWord(x) & 0x7FFFFFFF;
            if (k < 0x3E500000) {
                return x;
            } else if (k < 0x3FEB6000) {
                return doSin(x, 0.0);
            } else if (k < 0x400368FD) {
                return Math.copySign(doCos(HP0 - Math.abs(x), HP1), x);
            } else if (k < 0x419921FB) {
                return reducedSinCos(x, 0);
            } else if (k < 0x7FF00000) {
                return StrictMath.sin(x);                // glibc's __branred range: never reached here
            }
            return Double.NaN;
        }

        static double cos(double x) {
            final int k = highWord(x) & 0x7FFFFFFF;
            if (k < 0x3E400000) {
                return 1.0;
            } else if (k < 0x3FEB6000) {
                return doCos(x, 0.0);
            } else if (k < 0x400368FD) {
                final double y = HP0 - Math.abs(x);
                final double a = y + HP1;
                final double da = (y - a) + HP1;
                return doSin(a, da);
            } else if (k < 0x419921FB) {
                return reducedSinCos(x, 1);
            } else if (k < 0x7FF00000) {
                return StrictMath.cos(x);                // glibc's __branred range: never reached here
            }
            return Double.NaN;
        }

        // ---- logf (sysdeps/ieee754/flt-32/e_logf.c, e_logf_data.c) ----
        private static final double[] LOGF_TAB = {
            0x1.661ec79f8f3bep+0, -0x1.57bf7808caadep-2,
            0x1.571ed4aaf883dp+0, -0x1.2bef0a7c06ddbp-2,
            0x1.49539f0f010bp+0, -0x1.01eae7f513a67p-2,
            0x1.3c995b0b80385p+0, -0x1.b31d8a68224e9p-3,
            0x1.30d190c8864a5p+0, -0x1.6574f0ac07758p-3,
            0x1.25e227b0b8eap+0, -0x1.1aa2bc79c81p-3,
            0x1.1bb4a4a1a343fp+0, -0x1.a4e76ce8c0e5ep-4,
            0x1.12358f08ae5bap+0, -0x1.1973c5a611cccp-4,
            0x1.0953f419900a7p+0, -0x1.252f438e10c1ep-5,
            0x1p+0, 0x0p+0,
            0x1.e608cfd9a47acp-1, 0x1.aa5aa5df25984p-5,
            0x1.ca4b31f026aap-1, 0x1.c5e53aa362eb4p-4,
            0x1.b2036576afce6p-1, 0x1.526e57720db08p-3,
            0x1.9c2d163a1aa2dp-1, 0x1.bc2860d22477p-3,
            0x1.886e6037841edp-1, 0x1.1058bc8a07ee1p-2,
            0x1.767dcf5534862p-1, 0x1.4043057b6ee09p-2,
        };
        private static final double LOGF_LN2 = 0x1.62e42fefa39efp-1;
        private static final double LOGF_A0 = -0x1.00ea348b88334p-2;
        private static final double LOGF_A1 = 0x1.5575b0be00b6ap-2;
        private static final double LOGF_A2 = -0x1.ffffef20a4123p-2;

        static float logf(float x) {
            int ix = Float.floatToRawIntBits(x);
            if (ix == 0x3F800000) {
                return 0f;
            }
            if (Integer.compareUnsigned(ix - 0x00800000, 0x7F800000 - 0x00800000) >= 0) {
                if (ix << 1 == 0) {
                    return Float.NEGATIVE_INFINITY;
                }
                if (ix == 0x7F800000) {
                    return x;
                }
                if ((ix & 0x80000000) != 0 || Integer.compareUnsigned(ix << 1, 0xFF000000) >= 0) {
                    return Float.NaN;
                }
                ix = Float.floatToRawIntBits(x * 0x1p23f) - (23 << 23);    // subnormal
            }
            final int tmp = ix - 0x3F330000;
            final int i = (tmp >>> 19) & 15;
            final int k = tmp >> 23;
            final int iz = ix - (tmp & 0xFF800000);
            final double invc = LOGF_TAB[2 * i];
            final double logc = LOGF_TAB[2 * i + 1];
            final double z = Float.intBitsToFloat(iz);
            final double r = Math.fma(z, invc, -1.0);
            final double y0 = Math.fma((double) k, LOGF_LN2, logc);
            final double r2 = r * r;
            double y = Math.fma(r, LOGF_A1, LOGF_A2);
            y = Math.fma(r2, LOGF_A0, y);
            y = Math.fma(r2, y, r + y0);
            return (float) y;
        }

        // ---- sinf / cosf (sysdeps/ieee754/flt-32/s_sinf.c, s_cosf.c; x86 sincosf_poly.h) ----
        private static final double SC_HPI_INV = 0x1.45F306DC9C883p+23;
        private static final double SC_HPI = 0x1.921FB54442D18p0;
        private static final double SC_C0 = 0x1p0;
        private static final double SC_C1 = -0x1.ffffffd0c621cp-2;
        private static final double SC_C2 = 0x1.55553e1068f19p-5;
        private static final double SC_C3 = -0x1.6c087e89a359dp-10;
        private static final double SC_C4 = 0x1.99343027bf8c3p-16;
        private static final double SC_S1 = -0x1.555545995a603p-3;
        private static final double SC_S2 = 0x1.1107605230bc4p-7;
        private static final double SC_S3 = -0x1.994eb3774cf24p-13;
        private static final double PI63 = 0x1.921FB54442D18p-62;
        private static final int[] INV_PIO4 = {
            0xa2, 0xa2f9, 0xa2f983, 0xa2f9836e,
            0xf9836e4e, 0x836e4e44, 0x6e4e4415, 0x4e441529,
            0x441529fc, 0x1529fc27, 0x29fc2757, 0xfc2757d1,
            0x2757d1f5, 0x57d1f534, 0xd1f534dd, 0xf534ddc0,
            0x34ddc0db, 0xddc0db62, 0xc0db6295, 0xdb629599,
            0x6295993c, 0x95993c43, 0x993c4390, 0x3c439041,
        };

        /** sinf_poly for even quadrants: sin(x) (x already carries the quadrant's sign). */
        private static float sinPoly(double x, double x2) {
            final double x3 = x2 * x;
            final double s1 = Math.fma(x2, SC_S3, SC_S2);
            final double x7 = x2 * x3;
            final double s = Math.fma(x3, SC_S1, x);
            return (float) Math.fma(x7, s1, s);
        }

        /** sinf_poly for odd quadrants: cos(x), negated when {@code neg} (the table's 2nd entry). */
        private static float cosPoly(double x2, boolean neg) {
            final double g = neg ? -1.0 : 1.0;           // exact negation of every c coefficient
            final double x4 = x2 * x2;
            final double c1 = Math.fma(x2, g * SC_C1, g * SC_C0);
            final double c2 = Math.fma(x2, g * SC_C4, g * SC_C3);
            final double x6 = x2 * x4;
            final double c = Math.fma(x4, g * SC_C2, c1);
            return (float) Math.fma(x6, c2, c);
        }

        private static double sign(int n) {
            return ((n & 3) == 1 || (n & 3) == 2) ? -1.0 : 1.0;   // {1, -1, -1, 1}
        }

        /** reduce_large (|x| &gt;= 120, 4/pi to 192 bits): returns the reduced argument, the quadrant in {@code np[0]}. */
        private static double reduceLarge(int xi, int[] np) {
            final int idx = (xi >>> 26) & 15;
            final int shift = (xi >>> 23) & 7;
            final int m = ((xi & 0xFFFFFF) | 0x800000) << shift;
            final long mu = m & 0xFFFFFFFFL;
            long res0 = (m * INV_PIO4[idx]) & 0xFFFFFFFFL;
            final long res1 = mu * (INV_PIO4[idx + 4] & 0xFFFFFFFFL);
            final long res2 = mu * (INV_PIO4[idx + 8] & 0xFFFFFFFFL);
            res0 = (res2 >>> 32) | (res0 << 32);
            res0 += res1;
            final long n = (res0 + (1L << 61)) >>> 62;
            res0 -= n << 62;
            np[0] = (int) n;
            return (double) res0 * PI63;
        }

        static float sinf(float y) {
            double x = y;
            final int top = (Float.floatToRawIntBits(y) >>> 20) & 0x7FF;
            if (top < 0x3F4) {                           // |y| < pi/4
                if (top < 0x398) {                       // |y| < 2^-12
                    return y;
                }
                return sinPoly(x, x * x);
            } else if (top < 0x42F) {                    // |y| < 120
                final int n = (((int) (x * SC_HPI_INV)) + 0x800000) >> 24;
                x = Math.fma(-(double) n, SC_HPI, x);
                if ((n & 1) == 0) {
                    return sinPoly(x * sign(n), x * x);
                }
                return cosPoly(x * x, (n & 2) != 0);
            } else if (top < 0x7F8) {
                final int xi = Float.floatToRawIntBits(y);
                final int[] np = new int[1];
                x = reduceLarge(xi, np);
                final int q = np[0] + (xi >>> 31);
                if ((np[0] & 1) == 0) {
                    return sinPoly(x * sign(q), x * x);
                }
                return cosPoly(x * x, (q & 2) != 0);
            }
            return Float.NaN;
        }

        static float cosf(float y) {
            double x = y;
            final int top = (Float.floatToRawIntBits(y) >>> 20) & 0x7FF;
            if (top < 0x3F4) {
                if (top < 0x398) {
                    return 1f;
                }
                return cosPoly(x * x, false);
            } else if (top < 0x42F) {
                final int n = (((int) (x * SC_HPI_INV)) + 0x800000) >> 24;
                x = Math.fma(-(double) n, SC_HPI, x);
                if (((n ^ 1) & 1) == 0) {
                    return sinPoly(x * sign(n), x * x);
                }
                return cosPoly(x * x, (n & 2) != 0);
            } else if (top < 0x7F8) {
                final int xi = Float.floatToRawIntBits(y);
                final int[] np = new int[1];
                x = reduceLarge(xi, np);
                final int q = np[0] + (xi >>> 31);
                if (((np[0] ^ 1) & 1) == 0) {
                    return sinPoly(x * sign(q), x * x);
                }
                return cosPoly(x * x, (q & 2) != 0);
            }
            return Float.NaN;
        }
    }
}
