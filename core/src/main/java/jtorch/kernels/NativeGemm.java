package jtorch.kernels;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * float32/float64 GEMM on an optimised native BLAS (OpenBLAS). Row-major {@code C = A B} is the
 * column-major product {@code C^T = B^T A^T}, so a row-major operand is passed as is and a
 * column-major (transposed) one with the transpose flag: neither is copied. Operands with no unit
 * stride are packed into a per-thread buffer first. Products too small to pay for the native call
 * run on the Java provider given at construction.
 *
 * <p>The library, in this order: the file {@code -Djtorch.blas.path} names ({@code bundled} names
 * the one below); else the system's OpenBLAS found on the usual Linux paths; else the OpenBLAS
 * that {@code org.bytedeco:openblas} ships in its platform jars, when those are on the class path
 * ({@link BundledOpenBlas}). One exception: on JDK 17-21 without the incubating foreign linker,
 * the system library's thread count cannot be set, so the bundled one (whose count javacpp sets
 * through JNI) comes first when it is present.
 *
 * <p>The binding ({@link BlasBinding}): on JDK 22 and later {@code java.lang.foreign} critical
 * downcalls ({@link ForeignBlas}, any OS, arrays passed in place); on JDK 17-21 {@code
 * dev.ludovic.netlib}'s JNI ({@link NetlibBlas}, Linux only). {@code -Djtorch.blas.binding=foreign}
 * or {@code netlib} asks for one.
 *
 * <p>Only OpenBLAS is accepted: netlib's own fallbacks and the reference {@code libblas} are an
 * order of magnitude slower than the Java kernels. The library's resolved file name must name
 * OpenBLAS (Debian's {@code libblas.so.3} alternative counts only while it points at OpenBLAS),
 * and a small product is verified after loading.
 */
final class NativeGemm implements GemmKernel {
    /** Products below this many multiply-adds run in Java: the native call costs about that much. */
    static final long MIN_MNK = 1L << 15;
    /** netlib's property naming the BLAS library file it dlopens. */
    static final String NETLIB_PATH_PROPERTY = NetlibBlas.PATH_PROPERTY;
    /** Names the OpenBLAS file to use instead of searching the usual places ({@value #BUNDLED}: the bundled one). */
    static final String PATH_PROPERTY = "jtorch.blas.path";
    /** The value of {@link #PATH_PROPERTY} that asks for {@code org.bytedeco:openblas}'s library. */
    static final String BUNDLED = "bundled";
    /** {@code foreign}, {@code netlib} or {@code auto}: how the native calls are made. */
    static final String BINDING_PROPERTY = "jtorch.blas.binding";

    private final BlasBinding blas;
    private final GemmKernel java;
    /** Where the library came from: the system search, the bundled jar, or a property. */
    private final String origin;
    /** Sets OpenBLAS's thread count, or null when nothing here can reach it. */
    private final OpenBlasThreads control;
    /** Without {@link #control}: the threads OpenBLAS took at load time and keeps. */
    private final int fixedThreads;

    private NativeGemm(BlasBinding blas, GemmKernel java, String origin, OpenBlasThreads control) {
        this.blas = blas;
        this.java = java;
        this.origin = origin;
        this.control = control;
        this.fixedThreads = control == null ? OpenBlasThreads.fixedCount() : 1;
    }

    /** Why the native provider is not available. */
    static final class Unavailable extends Exception {
        private static final long serialVersionUID = 1L;

        Unavailable(String reason) { super(reason, null, false, false); }
    }

    static boolean onLinux() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux");
    }

    /** Finds OpenBLAS (see the class comment for the order), binds and checks it; {@code java} runs the small products. */
    static NativeGemm load(GemmKernel java) throws Unavailable {
        String binding = System.getProperty(BINDING_PROPERTY, "auto");
        String requested = System.getProperty(NETLIB_PATH_PROPERTY, System.getProperty(PATH_PROPERTY));
        if (requested != null) {
            if (requested.equals(BUNDLED)) return load(java, BundledOpenBlas.load(), "bundled " + BundledOpenBlas.COORDINATES, binding);
            return load(java, Path.of(requested), "-D" + PATH_PROPERTY + "=" + requested, binding);
        }
        Path system = onLinux() ? findOpenBlas() : null;
        boolean bundledFirst = system == null || !OpenBlasThreads.canSetSystemThreads();
        if (bundledFirst && BundledOpenBlas.present()) {
            try {
                return load(java, BundledOpenBlas.load(), "bundled " + BundledOpenBlas.COORDINATES, binding);
            } catch (Unavailable e) {
                if (system == null) throw e;
            }
        }
        if (system == null)
            throw new Unavailable("no OpenBLAS found (searched " + (onLinux() ? String.join(", ", searchDirs()) + " for "
                    + String.join(", ", LIBRARY_NAMES) : "nothing: no system search on " + System.getProperty("os.name"))
                    + ", and " + BundledOpenBlas.COORDINATES + " is not on the class path); add " + BundledOpenBlas.COORDINATES
                    + " with its platform jar, install libopenblas0-pthread or set -D" + PATH_PROPERTY);
        return load(java, system, "system", binding);
    }

    /** Binds OpenBLAS file {@code file} through {@code binding} ({@code foreign}, {@code netlib} or {@code auto}) and checks it. */
    static NativeGemm load(GemmKernel java, Path file, String origin, String binding) throws Unavailable {
        if (!Files.exists(file)) throw new Unavailable(origin + ": " + file + " does not exist");
        String real = realPath(file);
        if (!namesOpenBlas(real))
            throw new Unavailable(file + " resolves to " + real + ", which is not OpenBLAS (a reference BLAS is slower than "
                    + "the Java kernels, so it is refused)");
        BlasBinding blas = bind(file, binding);
        OpenBlasThreads control = OpenBlasThreads.load(blas.library());
        if (control == null && origin.startsWith("bundled")) control = BundledOpenBlas.threads(blas.library());
        NativeGemm gemm = new NativeGemm(blas, java, origin, control);
        // OpenBLAS runs single-threaded and large products are split over jtorch's own pool, so
        // that only one set of threads exists: OpenBLAS's workers spin for a while after each
        // call and would otherwise compete with the pool for the cores.
        if (control != null) control.set(1);
        gemm.verify();
        return gemm;
    }

    private static BlasBinding bind(Path file, String binding) throws Unavailable {
        switch (binding) {
            case "foreign":
                return ForeignBlas.load(file);
            case "netlib":
                return netlib(file);
            case "auto":
                if (ForeignBlas.unavailableReason() != null) return netlib(file);
                try {
                    return ForeignBlas.load(file);
                } catch (Unavailable e) {
                    try {
                        return netlib(file);
                    } catch (Unavailable f) {
                        throw new Unavailable(e.getMessage() + "; and " + f.getMessage());
                    }
                }
            default:
                throw new Unavailable("-D" + BINDING_PROPERTY + "=" + binding + " is not one of foreign, netlib, auto");
        }
    }

    private static BlasBinding netlib(Path file) throws Unavailable {
        try {
            return NetlibBlas.load(file);
        } catch (LinkageError e) {
            throw new Unavailable("dev.ludovic.netlib:blas is not on the class path (" + e + ")");
        }
    }

    /** Called when {@link Parallel#setNumThreads} changes: OpenBLAS stays at one thread, the pool does the splitting. */
    void threadsChanged(int n) {
        if (control != null) control.set(1);
    }

    /** Whether {@link Parallel#setNumThreads} governs OpenBLAS's threads (else OpenBLAS keeps its own count). */
    boolean controlsThreads() { return control != null; }

    /** OpenBLAS's current thread count, or -1 when it cannot be read. */
    int nativeThreads() { return control == null ? -1 : control.get(); }

    /**
     * Whether a product allowed {@code threads} threads may run on OpenBLAS: always when its count
     * is under control, else only when OpenBLAS's fixed count is within what is allowed (a
     * product run there would otherwise use more threads than {@code setNumThreads} permits).
     */
    private boolean mayRun(int threads) { return control != null || fixedThreads <= threads; }

    @Override
    public String describe() {
        String config = control == null ? "OpenBLAS" : control.config();
        String advice = OpenBlasThreads.advice();
        return config + " (" + blas.library() + ", " + origin + ") through " + blas.name() + "; "
                + (control != null ? "run single-threaded, large products split over the intra-op pool (threads set through "
                        + control.linker() + ")"
                        : "OpenBLAS keeps its " + fixedThreads + " threads (OPENBLAS_NUM_THREADS), so products run there only while "
                        + "setNumThreads allows " + fixedThreads + (advice == null ? "" : "; to let setNumThreads govern OpenBLAS, " + advice));
    }

    /**
     * Row blocks start at multiples of this, so that every row of C is computed by the same OpenBLAS
     * micro-kernel as in the whole product and a split product has the one-thread bits. C's rows are
     * the columns of OpenBLAS's column-major C^T, which its Haswell/Zen sgemm kernel takes 12 at a
     * time and its narrower edge kernels round differently: blocks of a multiple of 8 gave other bits
     * in the last 4 rows of every block (GemmTest#nativeBalancedBlocksGiveTheOneThreadBits). 48 is a
     * multiple of every unroll OpenBLAS uses there (2, 4, 8, 12, 16).
     */
    static final int BLOCK_ROWS = 48;

    /** Rows per block at least, when a product is cut into more blocks than threads. */
    static final int MIN_BALANCED_ROWS = 128;

    /**
     * How many row blocks a product is split into over the pool: one per thread for products worth
     * a wake-up, two per thread when every block keeps at least {@link #MIN_BALANCED_ROWS} rows. The
     * blocks are claimed as threads come free, so on a shared machine a worker that starts late
     * leaves the caller a quarter of the product to do alone, not half: with one block per thread,
     * a worker preempted for the length of one block made the call as slow as one thread's. Each
     * block is its own OpenBLAS call and packs all of B again, which costs about 1/(rows per block)
     * of the block's work, under 1% at 128 rows.
     */
    static int blocks(int m, int n, int k, int threads) {
        if (threads <= 1) return 1;
        long byWork = ((long) m * n * k) / PackedGemm.PARALLEL_MNK;
        long balanced = Math.min(2L * threads, Math.min(m / MIN_BALANCED_ROWS, byWork));
        if (balanced > threads) return (int) balanced;
        return (int) Math.max(1, Math.min(threads, Math.min(m / 32, byWork)));
    }

    /**
     * The first row of block {@code part} of {@code parts} over {@code m} rows ({@code part == parts}
     * gives m). Blocks hold whole units of {@link #BLOCK_ROWS} rows (the last unit may be short),
     * shared as evenly as units allow, the larger blocks first, so that the threads claiming them in
     * turn end within one unit of each other: rounding every block up to the unit instead (as before
     * session 9) cut 1024 rows into 288, 288, 288 and 160, and two threads then did 576 and 448 rows.
     */
    static int blockStart(int part, int parts, int m) {
        int units = (m + BLOCK_ROWS - 1) / BLOCK_ROWS, base = units / parts, extra = units % parts;
        return (int) Math.min(m, (long) (part * base + Math.min(part, extra)) * BLOCK_ROWS);
    }

    // ------------------------------------------------------------------ products

    /** A BLAS view of one operand: transpose flag, leading dimension and where its elements are. */
    private static final class Operand {
        boolean trans;
        int ld;
        boolean packed;
    }

    private static final ThreadLocal<Operand[]> OPERANDS = ThreadLocal.withInitial(() -> new Operand[] {new Operand(), new Operand()});

    /**
     * How to pass a {@code rows x cols} row-major-indexed operand with strides (rs, cs) as the
     * column-major matrix of its transpose ({@code cols x rows}): as is ("N") when its columns
     * index is unit-stride, transposed ("T") when its rows index is; otherwise it must be packed.
     */
    private static void classify(Operand op, int rows, int cols, int rs, int cs) {
        op.packed = false;
        if ((cs == 1 || cols == 1) && (rows == 1 || rs >= Math.max(1, cols))) {
            op.trans = false;
            op.ld = rows == 1 ? Math.max(1, cols) : rs;
        } else if ((rs == 1 || rows == 1) && (cols == 1 || cs >= Math.max(1, rows))) {
            op.trans = true;
            op.ld = cols == 1 ? Math.max(1, rows) : cs;
        } else {
            op.packed = true;
            op.trans = false;
            op.ld = Math.max(1, cols);
        }
    }

    @Override
    public void sgemm(int m, int n, int k, float[] a, int ao, int ars, int acs, float[] b, int bo, int brs, int bcs,
                      float[] c, int co, int ldc, boolean accumulate, int threads) {
        if (m <= 0 || n <= 0 || k <= 0 || (long) m * n * k < MIN_MNK || (m > 1 && ldc < n) || !mayRun(threads)) {
            java.sgemm(m, n, k, a, ao, ars, acs, b, bo, brs, bcs, c, co, ldc, accumulate, threads);
            return;
        }
        Operand[] ops = OPERANDS.get();
        Operand x = ops[0], y = ops[1];
        classify(x, k, n, brs, bcs);  // B (k x n) -> B^T column-major
        classify(y, m, k, ars, acs);  // A (m x k) -> A^T column-major
        PackedGemm.Buffers buf = PackedGemm.BUFFERS.get();
        if (x.packed) {
            float[] p = buf.floatB(k * n);
            for (int i = 0, d = 0; i < k; i++) for (int j = 0; j < n; j++) p[d++] = b[bo + i * brs + j * bcs];
            b = p;
            bo = 0;
        }
        if (y.packed) {
            float[] p = buf.floatA(m * k);
            for (int i = 0, d = 0; i < m; i++) for (int j = 0; j < k; j++) p[d++] = a[ao + i * ars + j * acs];
            a = p;
            ao = 0;
        }
        int parts = control == null ? 1 : blocks(m, n, k, threads);
        if (parts == 1) {
            blas.sgemm(x.trans, y.trans, n, m, k, 1f, b, bo, x.ld, a, ao, y.ld, accumulate ? 1f : 0f, c, co, m == 1 ? Math.max(1, n) : ldc);
            return;
        }
        // Rows of C (columns of the column-major C^T) in blocks of a multiple of BLOCK_ROWS, claimed
        // one at a time by whichever thread is free (the rows a block covers never depend on who runs it).
        boolean tb = x.trans, ta = y.trans;
        int ldb = x.ld, lda = y.ld, aRow = y.packed ? k : ars;
        float[] fa = a, fb = b;
        int fao = ao, fbo = bo;
        float beta = accumulate ? 1f : 0f;
        AtomicInteger next = new AtomicInteger();
        Parallel.parallelFor(0, Math.min(threads, parts), 1, (lo, hi) -> {
            for (int part; (part = next.getAndIncrement()) < parts; ) {
                int r0 = blockStart(part, parts, m), r1 = blockStart(part + 1, parts, m);
                if (r0 < r1) blas.sgemm(tb, ta, n, r1 - r0, k, 1f, fb, fbo, ldb, fa, fao + r0 * aRow, lda, beta, c, co + r0 * ldc, ldc);
            }
        });
    }

    @Override
    public void dgemm(int m, int n, int k, double[] a, int ao, int ars, int acs, double[] b, int bo, int brs, int bcs,
                      double[] c, int co, int ldc, boolean accumulate, int threads) {
        if (m <= 0 || n <= 0 || k <= 0 || (long) m * n * k < MIN_MNK || (m > 1 && ldc < n) || !mayRun(threads)) {
            java.dgemm(m, n, k, a, ao, ars, acs, b, bo, brs, bcs, c, co, ldc, accumulate, threads);
            return;
        }
        Operand[] ops = OPERANDS.get();
        Operand x = ops[0], y = ops[1];
        classify(x, k, n, brs, bcs);
        classify(y, m, k, ars, acs);
        PackedGemm.Buffers buf = PackedGemm.BUFFERS.get();
        if (x.packed) {
            double[] p = buf.doubleB(k * n);
            for (int i = 0, d = 0; i < k; i++) for (int j = 0; j < n; j++) p[d++] = b[bo + i * brs + j * bcs];
            b = p;
            bo = 0;
        }
        if (y.packed) {
            double[] p = buf.doubleA(m * k);
            for (int i = 0, d = 0; i < m; i++) for (int j = 0; j < k; j++) p[d++] = a[ao + i * ars + j * acs];
            a = p;
            ao = 0;
        }
        int parts = control == null ? 1 : blocks(m, n, k, threads);
        if (parts == 1) {
            blas.dgemm(x.trans, y.trans, n, m, k, 1.0, b, bo, x.ld, a, ao, y.ld, accumulate ? 1.0 : 0.0, c, co, m == 1 ? Math.max(1, n) : ldc);
            return;
        }
        boolean tb = x.trans, ta = y.trans;
        int ldb = x.ld, lda = y.ld, aRow = y.packed ? k : ars;
        double[] da = a, db = b;
        int dao = ao, dbo = bo;
        double beta = accumulate ? 1.0 : 0.0;
        AtomicInteger next = new AtomicInteger();
        Parallel.parallelFor(0, Math.min(threads, parts), 1, (lo, hi) -> {
            for (int part; (part = next.getAndIncrement()) < parts; ) {
                int r0 = blockStart(part, parts, m), r1 = blockStart(part + 1, parts, m);
                if (r0 < r1) blas.dgemm(tb, ta, n, r1 - r0, k, 1.0, db, dbo, ldb, da, dao + r0 * aRow, lda, beta, c, co + r0 * ldc, ldc);
            }
        });
    }

    /** A 7x9x5 product in both precisions against plain loops: catches an ABI mismatch (e.g. a 64-bit-integer build). */
    private void verify() throws Unavailable {
        int m = 7, n = 9, k = 5;
        float[] a = new float[m * k], b = new float[k * n], c = new float[m * n];
        double[] ad = new double[m * k], bd = new double[k * n], cd = new double[m * n];
        for (int i = 0; i < a.length; i++) ad[i] = a[i] = (i % 7) - 3;
        for (int i = 0; i < b.length; i++) bd[i] = b[i] = (i % 5) - 2;
        blas.sgemm(false, false, n, m, k, 1f, b, 0, n, a, 0, k, 0f, c, 0, n);
        blas.dgemm(false, false, n, m, k, 1.0, bd, 0, n, ad, 0, k, 0.0, cd, 0, n);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) s += ad[i * k + p] * bd[p * n + j];
                if (c[i * n + j] != s || cd[i * n + j] != s)
                    throw new Unavailable("the native product of a 7x5 by a 5x9 matrix is wrong at (" + i + ", " + j + "): "
                            + c[i * n + j] + " / " + cd[i * n + j] + " instead of " + s);
            }
    }

    // ------------------------------------------------------------------ finding OpenBLAS

    private static final List<String> LIBRARY_NAMES = List.of("libopenblas.so.0", "libopenblas.so", "libblas.so.3");

    private static List<String> searchDirs() {
        Set<String> dirs = new LinkedHashSet<>();
        for (String var : new String[] {System.getenv("LD_LIBRARY_PATH"), System.getProperty("java.library.path")})
            if (var != null) for (String d : var.split(":")) if (!d.isBlank()) dirs.add(d);
        String arch = System.getProperty("os.arch", "");
        String triplet = arch.equals("amd64") || arch.equals("x86_64") ? "x86_64-linux-gnu" : arch + "-linux-gnu";
        dirs.add("/usr/lib/" + triplet);
        dirs.add("/usr/lib64");
        dirs.add("/usr/lib");
        dirs.add("/usr/local/lib");
        dirs.add("/opt/OpenBLAS/lib");
        return new ArrayList<>(dirs);
    }

    /** The system OpenBLAS on the usual Linux paths, or null. */
    static Path findOpenBlas() {
        for (String name : LIBRARY_NAMES)
            for (String dir : searchDirs()) {
                Path p = Path.of(dir, name);
                if (Files.isRegularFile(p) && namesOpenBlas(realPath(p))) return p;
            }
        return null;
    }

    static String realPath(Path p) {
        try {
            return p.toRealPath().toString();
        } catch (IOException e) {
            return p.toString();
        }
    }

    private static boolean namesOpenBlas(String path) {
        return path.toLowerCase(Locale.ROOT).contains("openblas");
    }

    /** Whether file {@code real} (a resolved path) is mapped into this process, from {@code /proc/self/maps}. */
    static boolean isMapped(String real) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
                int slash = line.indexOf('/');
                if (slash >= 0 && line.substring(slash).trim().equals(real)) return true;
            }
        } catch (IOException | RuntimeException e) {
            return false;
        }
        return false;
    }
}
