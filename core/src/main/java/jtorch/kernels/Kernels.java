package jtorch.kernels;

import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kernel provider, chosen once at start-up by a fixed rule and logged once. The rule looks
 * only at the CPU and the JVM, never at timings, so the same program computes the same bits on
 * the same machine every run:
 *
 * <ol>
 *   <li>{@code vector} when the Vector API is present and its preferred float vector is 512
 *       bits or wider (AVX-512): there its 8x32 register-tiled GEMM beats OpenBLAS 0.3.21, whose
 *       kernels on such CPUs (AMD Zen 4/5) are AVX2 ones (sgemm 1024: 12.3 ms against 19.4 ms,
 *       see docs/benchmarks.md), and every other kernel is the same Vector API code in both
 *       providers. OpenBLAS is then not loaded at all (no native threads exist).</li>
 *   <li>otherwise {@code native} where OpenBLAS is installed or {@code org.bytedeco:openblas}
 *       is on the class path (its AVX2/NEON kernels beat the Vector API GEMM on 256-bit vectors
 *       and narrower; which library and binding: {@code NativeGemm});</li>
 *   <li>otherwise {@code vector} if present, else {@code scalar}.</li>
 * </ol>
 *
 * Only GEMM differs between {@code native} and {@code vector}; the elementwise, reduction,
 * pooling and im2col kernels are the Vector API ones under both. The system property {@code
 * jtorch.kernels} ({@code native}, {@code vector}, {@code scalar} or {@code auto}) asks for one;
 * if it is unavailable, the rule above picks among the others and the reason is logged. All
 * providers give the same results within float rounding.
 *
 * <pre>{@code
 * // java --add-modules jdk.incubator.vector -Djtorch.kernels=vector ...
 * KernelProvider p = Kernels.provider();          // VECTOR
 * try (Kernels.Scope s = Kernels.use(KernelProvider.SCALAR)) {
 *     Tensor c = a.mm(b);                          // computed by the scalar kernels
 * }
 * }</pre>
 */
public final class Kernels {
    private Kernels() {}

    private static final Logger LOG = LoggerFactory.getLogger(Kernels.class);

    /** The system property that asks for a provider. */
    public static final String PROPERTY = "jtorch.kernels";

    private static final GemmKernel SCALAR_GEMM = new ScalarGemm();
    private static volatile KernelProvider current;
    private static volatile boolean nativeLoaded;
    private static volatile GemmKernel currentGemm;

    static {
        select();
    }

    /** The Vector API GEMM, loaded on first use; the reason it is unavailable otherwise. */
    private static final class VectorHolder {
        static final GemmKernel GEMM;
        static final String REASON;

        static {
            GemmKernel g = null;
            String reason = null;
            if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
                reason = "module jdk.incubator.vector is not in the boot layer (run with --add-modules jdk.incubator.vector)";
            } else {
                try {
                    // Reflective so that no Vector API class is linked unless the module is present.
                    g = (GemmKernel) Class.forName("jtorch.kernels.VectorGemm").getDeclaredConstructor().newInstance();
                } catch (ReflectiveOperationException | LinkageError e) {
                    reason = "the Vector API kernels failed to load: " + e;
                }
            }
            GEMM = g;
            REASON = reason;
        }
    }

    /** The native GEMM, loaded on first use (with the Vector or scalar GEMM for small products). */
    private static final class NativeHolder {
        static final GemmKernel GEMM;
        static final String REASON;

        static {
            GemmKernel g = null;
            String reason = null;
            GemmKernel java = VectorHolder.GEMM != null ? VectorHolder.GEMM : SCALAR_GEMM;
            try {
                g = (GemmKernel) Class.forName("jtorch.kernels.NativeGemm").getDeclaredMethod("load", GemmKernel.class)
                        .invoke(null, java);
            } catch (java.lang.reflect.InvocationTargetException e) {
                reason = e.getCause() instanceof NativeGemm.Unavailable ? e.getCause().getMessage() : String.valueOf(e.getCause());
            } catch (ReflectiveOperationException | LinkageError e) {
                reason = "the native GEMM could not be loaded (" + e + ")";
            }
            GEMM = g;
            REASON = reason;
            nativeLoaded = true;
        }
    }

    private static void select() {
        String requested = System.getProperty(PROPERTY, "auto").trim().toLowerCase(Locale.ROOT);
        KernelProvider want = null;
        if (!requested.equals("auto") && !requested.isEmpty()) {
            try {
                want = KernelProvider.valueOf(requested.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                LOG.warn("-D{}={} is not one of native, vector, scalar, auto; choosing automatically", PROPERTY, requested);
            }
        }
        Map<KernelProvider, String> refused = new EnumMap<>(KernelProvider.class);
        KernelProvider chosen = null;
        if (want != null) {
            if (isAvailable(want)) chosen = want;
            else LOG.warn("-D{}={} is unavailable: {}; choosing automatically", PROPERTY, requested, unavailableReason(want));
        }
        if (chosen == null)
            for (KernelProvider p : automaticOrder(vectorBits())) {
                if (p == want) continue;
                if (isAvailable(p)) {
                    chosen = p;
                    break;
                }
                refused.put(p, unavailableReason(p));
            }
        install(chosen);
        // Only without the Vector API module does the advice ask whether native GEMM loaded: asking
        // loads OpenBLAS, which must not happen when the Vector API GEMM was chosen.
        boolean vectorModule = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
        String advice = requested.equals("scalar") || vectorModule ? null
                : vectorAdvice(Runtime.version().feature(), false, isAvailable(KernelProvider.NATIVE));
        if (advice != null) LOG.warn(advice);
        for (Map.Entry<KernelProvider, String> e : refused.entrySet())
            if (!(advice != null && e.getKey() == KernelProvider.VECTOR)) // the WARN already said why
                LOG.info("jtorch kernels: {} not used: {}", e.getKey().name().toLowerCase(Locale.ROOT), e.getValue());
        int bits = vectorBits();
        LOG.info("jtorch kernels: {} ({}) - GEMM on {}; {} intra-op threads", chosen.name().toLowerCase(Locale.ROOT),
                want == chosen ? "-D" + PROPERTY + "=" + requested
                        : bits > 0 ? "auto: " + bits + "-bit Vector API" + (bits >= WIDE_VECTOR_BITS ? ", wider than OpenBLAS's kernels" : "")
                        : "auto: no Vector API",
                currentGemm.describe(), Parallel.numThreads());
    }

    /**
     * The one start-up warning about the Vector API's flag, or null when none is due: without the
     * {@code jdk.incubator.vector} module every kernel but GEMM (and GEMM too when no native BLAS
     * loaded) runs as plain Java loops. The advice names the flag the running JDK needs and nothing
     * that would stop it from starting ({@code jdk.incubator.vector} exists from JDK 16 on; the
     * foreign-linker flag that JDK 17 needs for OpenBLAS's threads is the native provider's own log
     * line, and only on JDK 17).
     *
     * @param feature      {@code Runtime.version().feature()}
     * @param vectorModule whether {@code jdk.incubator.vector} is in the boot layer
     * @param nativeGemm   whether the native GEMM loaded
     */
    static String vectorAdvice(int feature, boolean vectorModule, boolean nativeGemm) {
        if (vectorModule) return null;
        if (feature < 16) return "jtorch: this JDK (" + feature + ") has no Vector API, so every kernel" + (nativeGemm ? " but GEMM" : "")
                + " runs as plain Java loops; run on JDK 17 or later with --add-modules jdk.incubator.vector";
        return "jtorch: the Vector API is not enabled, so " + (nativeGemm
                ? "the elementwise, reduction, pooling and convolution kernels run as plain Java loops, " + SLOWER_NATIVE
                : "GEMM and the elementwise, reduction, pooling and convolution kernels run as plain Java loops, " + SLOWER_SCALAR)
                + ". Add --add-modules jdk.incubator.vector to the java command (JDK " + feature
                + " then prints a one-line notice that it uses an incubator module)";
    }

    /** Measured cost of the missing module (docs/benchmarks.md, "Issue 13, session 10: the bundled OpenBLAS"). */
    private static final String SLOWER_NATIVE = "a training step 1.2-2.5x slower (an MLP 1.2x, LeNet 2.3x)",
            SLOWER_SCALAR = "matrix products about 10x slower";

    /** Vectors this wide (bits) or wider make the Vector API GEMM the automatic choice over OpenBLAS. */
    static final int WIDE_VECTOR_BITS = 512;

    /**
     * The providers the automatic choice tries, best first, for a CPU whose preferred Vector API
     * float vector has {@code vectorBits} bits (0 when the Vector API is absent).
     */
    static List<KernelProvider> automaticOrder(int vectorBits) {
        if (vectorBits >= WIDE_VECTOR_BITS) return List.of(KernelProvider.VECTOR, KernelProvider.NATIVE, KernelProvider.SCALAR);
        return List.of(KernelProvider.NATIVE, KernelProvider.VECTOR, KernelProvider.SCALAR);
    }

    /** The preferred float vector's width in bits, or 0 when the Vector API is not in the boot layer. */
    static int vectorBits() {
        if (VectorHolder.GEMM == null) return 0;
        try {
            // Reflective, like the holder: no Vector API class is linked from here.
            Object species = Class.forName("jdk.incubator.vector.FloatVector").getField("SPECIES_PREFERRED").get(null);
            return (Integer) Class.forName("jdk.incubator.vector.VectorSpecies").getMethod("vectorBitSize").invoke(species);
        } catch (ReflectiveOperationException | LinkageError | ClassCastException e) {
            return 0;
        }
    }

    private static void install(KernelProvider p) {
        currentGemm = gemmOf(p);
        current = p;
    }

    private static GemmKernel gemmOf(KernelProvider p) {
        switch (p) {
            case NATIVE: return NativeHolder.GEMM;
            case VECTOR: return VectorHolder.GEMM;
            default: return SCALAR_GEMM;
        }
    }

    /** The provider in use. */
    public static KernelProvider provider() { return current; }

    /** Whether {@code p} can run here (loads it on first ask). */
    public static boolean isAvailable(KernelProvider p) { return gemmOf(p) != null; }

    /** Why {@code p} cannot run here, or null if it can. */
    public static String unavailableReason(KernelProvider p) {
        switch (p) {
            case NATIVE: return NativeHolder.REASON;
            case VECTOR: return VectorHolder.REASON;
            default: return null;
        }
    }

    /** What computes GEMM under {@code p}, e.g. the OpenBLAS build and file; null if unavailable. */
    public static String describe(KernelProvider p) {
        GemmKernel g = gemmOf(p);
        return g == null ? null : g.describe();
    }

    /** Restores the previous provider when closed. */
    public static final class Scope implements AutoCloseable {
        private final KernelProvider previous;

        private Scope(KernelProvider previous) { this.previous = previous; }

        @Override
        public void close() { install(previous); }
    }

    /**
     * Switches every thread to provider {@code p} until the returned scope is closed (for tests
     * and benchmarks that compare providers).
     *
     * @throws IllegalStateException if {@code p} is unavailable here
     */
    public static Scope use(KernelProvider p) {
        if (!isAvailable(p))
            throw new IllegalStateException("kernel provider " + p.name().toLowerCase(Locale.ROOT) + " is unavailable: "
                    + unavailableReason(p));
        KernelProvider previous = current;
        install(p);
        return new Scope(previous);
    }

    /** The GEMM of the provider in use. */
    static GemmKernel gemm() { return currentGemm; }

    /** Called by {@link Parallel#setNumThreads}: OpenBLAS's own thread count follows. */
    static void threadsChanged(int n) {
        // Only if native GEMM was loaded: loading it later reads the thread count then.
        if (nativeLoaded && NativeHolder.GEMM instanceof NativeGemm) ((NativeGemm) NativeHolder.GEMM).threadsChanged(n);
    }

    /** OpenBLAS's thread count when native GEMM is loaded and its threads can be read; -1 otherwise. */
    public static int nativeThreads() {
        GemmKernel g = isAvailable(KernelProvider.NATIVE) ? NativeHolder.GEMM : null;
        return g instanceof NativeGemm ? ((NativeGemm) g).nativeThreads() : -1;
    }

    /**
     * The Java GEMM of the provider in use, for kernels that call it on small cache-resident
     * panels (convolution): the Vector API one unless the provider is {@link KernelProvider#SCALAR}
     * or the Vector API is unavailable, where it is the scalar reference.
     */
    static PackedGemm javaGemm() {
        if (current == KernelProvider.SCALAR) return (PackedGemm) SCALAR_GEMM;
        GemmKernel v = VectorHolder.GEMM;
        return (PackedGemm) (v != null ? v : SCALAR_GEMM);
    }
}
