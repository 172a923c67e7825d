package jtorch.kernels;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@link BlasBinding} through {@code java.lang.foreign} (JDK 22 and later, any OS): downcalls to
 * the library's {@code cblas_sgemm}/{@code cblas_dgemm} linked with {@code
 * Linker.Option.critical(true)}, so the Java arrays are passed in place as heap segments, neither
 * copied nor pinned through JNI. The code is compiled for release 17, so the handles are built
 * reflectively, once per process: one handle per precision whose first argument is the function's
 * address (a {@code long}, so that one static final handle serves every loaded library) and whose
 * array operands are {@code (float[], offset)} pairs, turned into {@code MemorySegment.ofArray(a)
 * .asSlice(4 * offset)} inside the handle. The hot path is then one {@code invokeExact} on a
 * constant handle of primitives and arrays: no reflection, no boxing.
 */
final class ForeignBlas implements BlasBinding {
    // CBLAS's enum values (cblas.h): column-major, as netlib's Fortran call, so that both bindings compute the same product.
    private static final int COL_MAJOR = 102, NO_TRANS = 111, TRANS = 112;

    /** {@code (long address, int order, int ta, int tb, int m, int n, int k, float alpha, float[] a, int ao, int lda, float[] b, int bo, int ldb, float beta, float[] c, int co, int ldc) void}. */
    private static final MethodHandle SGEMM;
    /** As {@link #SGEMM} with double alpha, beta and arrays. */
    private static final MethodHandle DGEMM;
    /** Why the handles could not be built, or null. */
    private static final String UNAVAILABLE;

    static {
        MethodHandle s = null, d = null;
        String reason = null;
        if (Runtime.version().feature() < 22) {
            reason = "java.lang.foreign's critical downcalls (heap arrays passed in place) need JDK 22 or later; this is JDK "
                    + Runtime.version().feature();
        } else {
            try {
                s = gemmHandle(float.class, float[].class, 4);
                d = gemmHandle(double.class, double[].class, 8);
            } catch (Throwable t) {
                reason = "java.lang.foreign could not link cblas_sgemm/cblas_dgemm: " + t;
            }
        }
        SGEMM = s;
        DGEMM = d;
        UNAVAILABLE = reason;
    }

    private final long sgemm, dgemm;
    private final String library;

    private ForeignBlas(long sgemm, long dgemm, String library) {
        this.sgemm = sgemm;
        this.dgemm = dgemm;
        this.library = library;
    }

    /** Why this binding cannot be used on this JDK, or null when it can. */
    static String unavailableReason() { return UNAVAILABLE; }

    /** The binding to {@code file}'s {@code cblas_sgemm}/{@code cblas_dgemm} (the file is loaded for the life of the process). */
    static ForeignBlas load(Path file) throws NativeGemm.Unavailable {
        if (UNAVAILABLE != null) throw new NativeGemm.Unavailable(UNAVAILABLE);
        try {
            Class<?> lookupClass = Class.forName("java.lang.foreign.SymbolLookup");
            Class<?> arenaClass = Class.forName("java.lang.foreign.Arena");
            Class<?> segmentClass = Class.forName("java.lang.foreign.MemorySegment");
            Object arena = arenaClass.getMethod("global").invoke(null);
            Object lookup = lookupClass.getMethod("libraryLookup", Path.class, arenaClass).invoke(null, file, arena);
            Method find = lookupClass.getMethod("find", String.class);
            Method address = segmentClass.getMethod("address");
            long s = (long) address.invoke(symbol(find, lookup, "cblas_sgemm", file));
            long d = (long) address.invoke(symbol(find, lookup, "cblas_dgemm", file));
            return new ForeignBlas(s, d, NativeGemm.realPath(file));
        } catch (NativeGemm.Unavailable e) {
            throw e;
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw new NativeGemm.Unavailable("java.lang.foreign could not load " + file + ": " + e.getCause());
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new NativeGemm.Unavailable("java.lang.foreign could not load " + file + ": " + e);
        }
    }

    private static Object symbol(Method find, Object lookup, String name, Path file) throws ReflectiveOperationException, NativeGemm.Unavailable {
        Object found = ((Optional<?>) find.invoke(lookup, name)).orElse(null);
        if (found == null) throw new NativeGemm.Unavailable(file + " has no " + name + " (an OpenBLAS built without CBLAS?)");
        return found;
    }

    /**
     * The address-first downcall handle for {@code cblas_?gemm} in precision {@code elem} (arrays
     * {@code array}, {@code bytes} per element), adapted to take each matrix as (array, offset).
     */
    private static MethodHandle gemmHandle(Class<?> elem, Class<?> array, int bytes) throws Throwable {
        Class<?> linkerClass = Class.forName("java.lang.foreign.Linker");
        Class<?> optionClass = Class.forName("java.lang.foreign.Linker$Option");
        Class<?> descriptorClass = Class.forName("java.lang.foreign.FunctionDescriptor");
        Class<?> layoutClass = Class.forName("java.lang.foreign.MemoryLayout");
        Class<?> valueLayoutClass = Class.forName("java.lang.foreign.ValueLayout");
        Class<?> segmentClass = Class.forName("java.lang.foreign.MemorySegment");
        Object linker = linkerClass.getMethod("nativeLinker").invoke(null);
        Object jint = valueLayoutClass.getField("JAVA_INT").get(null);
        Object scalar = valueLayoutClass.getField(elem == float.class ? "JAVA_FLOAT" : "JAVA_DOUBLE").get(null);
        Object address = valueLayoutClass.getField("ADDRESS").get(null);
        // cblas_?gemm(order, transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc)
        Object[] params = {jint, jint, jint, jint, jint, jint, scalar, address, jint, address, jint, scalar, address, jint};
        Object layouts = Array.newInstance(layoutClass, params.length);
        for (int i = 0; i < params.length; i++) Array.set(layouts, i, params[i]);
        Object descriptor = descriptorClass.getMethod("ofVoid", layouts.getClass()).invoke(null, layouts);
        Object options = Array.newInstance(optionClass, 1);
        Array.set(options, 0, optionClass.getMethod("critical", boolean.class).invoke(null, true));
        // Without a symbol: the handle takes the function's address as a MemorySegment first.
        MethodHandle h = (MethodHandle) linkerClass.getMethod("downcallHandle", descriptorClass, options.getClass())
                .invoke(linker, descriptor, options);
        MethodHandles.Lookup pub = MethodHandles.publicLookup();
        MethodHandle ofAddress = pub.findStatic(segmentClass, "ofAddress", MethodType.methodType(segmentClass, long.class));
        h = MethodHandles.filterArguments(h, 0, ofAddress);
        // (array, int offset) -> MemorySegment.ofArray(array).asSlice(offset * bytes)
        MethodHandle ofArray = pub.findStatic(segmentClass, "ofArray", MethodType.methodType(segmentClass, array));
        MethodHandle asSlice = pub.findVirtual(segmentClass, "asSlice", MethodType.methodType(segmentClass, long.class));
        MethodHandle toBytes = MethodHandles.lookup().findStatic(ForeignBlas.class, bytes == 4 ? "floatBytes" : "doubleBytes",
                MethodType.methodType(long.class, int.class));
        MethodHandle slice = MethodHandles.filterArguments(MethodHandles.collectArguments(asSlice, 0, ofArray), 1, toBytes);
        // Address 0, then 1-7 (order..alpha), A at 8, lda, B, ldb, beta, C, ldc: each array becomes two arguments.
        h = MethodHandles.collectArguments(h, 8, slice);   // A, ao at 8, 9; lda 10
        h = MethodHandles.collectArguments(h, 11, slice);  // B, bo at 11, 12; ldb 13; beta 14
        h = MethodHandles.collectArguments(h, 15, slice);  // C, co at 15, 16; ldc 17
        return h;
    }

    private static long floatBytes(int elements) { return 4L * elements; }

    private static long doubleBytes(int elements) { return 8L * elements; }

    @Override
    public void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int ao, int lda,
                      float[] b, int bo, int ldb, float beta, float[] c, int co, int ldc) {
        try {
            SGEMM.invokeExact(sgemm, COL_MAJOR, transA ? TRANS : NO_TRANS, transB ? TRANS : NO_TRANS, m, n, k,
                    alpha, a, ao, lda, b, bo, ldb, beta, c, co, ldc);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("cblas_sgemm failed", t);
        }
    }

    @Override
    public void dgemm(boolean transA, boolean transB, int m, int n, int k, double alpha, double[] a, int ao, int lda,
                      double[] b, int bo, int ldb, double beta, double[] c, int co, int ldc) {
        try {
            DGEMM.invokeExact(dgemm, COL_MAJOR, transA ? TRANS : NO_TRANS, transB ? TRANS : NO_TRANS, m, n, k,
                    alpha, a, ao, lda, b, bo, ldb, beta, c, co, ldc);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("cblas_dgemm failed", t);
        }
    }

    @Override public String library() { return library; }

    @Override public String name() { return "java.lang.foreign (critical downcall, arrays passed in place)"; }
}
