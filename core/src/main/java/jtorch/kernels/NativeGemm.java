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

import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.blas.NativeBLAS;

/**
 * float32/float64 GEMM on an optimised native BLAS (OpenBLAS) through {@code dev.ludovic.netlib}'s
 * JNI binding. Row-major {@code C = A B} is the column-major product {@code C^T = B^T A^T}, so a
 * row-major operand is passed as is and a column-major (transposed) one with the transpose flag:
 * neither is copied. Operands with no unit stride are packed into a per-thread buffer first.
 * Products too small to pay for the JNI call run on the Java provider given at construction.
 *
 * <p>Only OpenBLAS is accepted: netlib's own fallbacks ({@code F2jBLAS}, {@code JavaBLAS}) and the
 * reference {@code libblas} are an order of magnitude slower than the Java kernels. The library is
 * found by path (its resolved file name must name OpenBLAS, so Debian's {@code libblas.so.3}
 * alternative counts only while it points at OpenBLAS), and after loading, the library actually
 * mapped into the process is checked the same way and a small product is verified.
 */
final class NativeGemm implements GemmKernel {
    /** Products below this many multiply-adds run in Java: the JNI call and array pinning cost about that much. */
    static final long MIN_MNK = 1L << 15;
    /** netlib's property naming the BLAS library file it dlopens. */
    static final String NETLIB_PATH_PROPERTY = "dev.ludovic.netlib.blas.nativeLibPath";
    /** Names the OpenBLAS file to use instead of searching the usual places. */
    static final String PATH_PROPERTY = "jtorch.blas.path";

    private final BLAS blas;
    private final GemmKernel java;
    private final String library;
    /** Sets OpenBLAS's thread count, or null when this JDK cannot reach {@code openblas_set_num_threads}. */
    private final OpenBlasThreads control;
    /** Without {@link #control}: the threads OpenBLAS took at load time and keeps. */
    private final int fixedThreads;

    private NativeGemm(BLAS blas, GemmKernel java, String library, OpenBlasThreads control) {
        this.blas = blas;
        this.java = java;
        this.library = library;
        this.control = control;
        this.fixedThreads = control == null ? OpenBlasThreads.fixedCount() : 1;
    }

    /** Why the native provider is not available. */
    static final class Unavailable extends Exception {
        private static final long serialVersionUID = 1L;

        Unavailable(String reason) { super(reason, null, false, false); }
    }

    /** Finds OpenBLAS, loads it through netlib and checks it; {@code java} runs the small products. */
    static NativeGemm load(GemmKernel java) throws Unavailable {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux"))
            throw new Unavailable("netlib's JNI binding is built for Linux only");
        Path file;
        String requested = System.getProperty(NETLIB_PATH_PROPERTY, System.getProperty(PATH_PROPERTY));
        if (requested != null) {
            file = Path.of(requested);
            if (!Files.exists(file)) throw new Unavailable(requested + " does not exist");
        } else {
            file = findOpenBlas();
            if (file == null)
                throw new Unavailable("no OpenBLAS found (searched " + String.join(", ", searchDirs()) + " for "
                        + String.join(", ", LIBRARY_NAMES) + "); install libopenblas0-pthread or set -D" + PATH_PROPERTY);
        }
        String real = realPath(file);
        if (!namesOpenBlas(real))
            throw new Unavailable(file + " resolves to " + real + ", which is not OpenBLAS (a reference BLAS is slower than "
                    + "the Java kernels, so it is refused)");
        if (System.getProperty(NETLIB_PATH_PROPERTY) == null) System.setProperty(NETLIB_PATH_PROPERTY, file.toString());
        BLAS blas;
        try {
            blas = NativeBLAS.getInstance();
        } catch (Throwable t) {
            throw new Unavailable("netlib could not load its JNI binding on " + file + ": " + t);
        }
        if (!blas.getClass().getName().endsWith(".JNIBLAS"))
            throw new Unavailable("netlib returned " + blas.getClass().getName() + ", not its JNI binding");
        String mapped = mappedOpenBlas();
        if (mapped == null)
            throw new Unavailable("the BLAS netlib loaded is not OpenBLAS (no OpenBLAS file is mapped into the process)");
        OpenBlasThreads control = OpenBlasThreads.load(mapped);
        NativeGemm gemm = new NativeGemm(blas, java, mapped, control);
        // OpenBLAS runs single-threaded and large products are split over jtorch's own pool, so
        // that only one set of threads exists: OpenBLAS's workers spin for a while after each
        // call and would otherwise compete with the pool for the cores.
        if (control != null) control.set(1);
        gemm.verify();
        return gemm;
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
        return config + " (" + library + ") through dev.ludovic.netlib JNIBLAS; "
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
        String trans;
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
            op.trans = "N";
            op.ld = rows == 1 ? Math.max(1, cols) : rs;
        } else if ((rs == 1 || rows == 1) && (cols == 1 || cs >= Math.max(1, rows))) {
            op.trans = "T";
            op.ld = cols == 1 ? Math.max(1, rows) : cs;
        } else {
            op.packed = true;
            op.trans = "N";
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
        String tb = x.trans, ta = y.trans;
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
        String tb = x.trans, ta = y.trans;
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
        blas.sgemm("N", "N", n, m, k, 1f, b, 0, n, a, 0, k, 0f, c, 0, n);
        blas.dgemm("N", "N", n, m, k, 1.0, bd, 0, n, ad, 0, k, 0.0, cd, 0, n);
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

    private static Path findOpenBlas() {
        for (String name : LIBRARY_NAMES)
            for (String dir : searchDirs()) {
                Path p = Path.of(dir, name);
                if (Files.isRegularFile(p) && namesOpenBlas(realPath(p))) return p;
            }
        return null;
    }

    private static String realPath(Path p) {
        try {
            return p.toRealPath().toString();
        } catch (IOException e) {
            return p.toString();
        }
    }

    private static boolean namesOpenBlas(String path) {
        return path.toLowerCase(Locale.ROOT).contains("openblas");
    }

    /** The OpenBLAS file mapped into this process, from {@code /proc/self/maps}; null if none. */
    private static String mappedOpenBlas() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
                int slash = line.indexOf('/');
                if (slash >= 0 && namesOpenBlas(line.substring(slash))) return line.substring(slash).trim();
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return null;
    }
}
