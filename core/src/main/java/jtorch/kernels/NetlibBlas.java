package jtorch.kernels;

import java.nio.file.Path;

import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.blas.NativeBLAS;

/**
 * {@link BlasBinding} through {@code dev.ludovic.netlib}'s JNI binding (Linux only), which pins
 * the Java arrays ({@code GetPrimitiveArrayCritical}) and calls the library's Fortran {@code
 * sgemm_}/{@code dgemm_}. netlib loads one library per process, named by its {@code
 * dev.ludovic.netlib.blas.nativeLibPath} property when its class initialises; only its JNI class
 * is used, so f2j's {@code arpack_combined_all} (the Java fallback's code) is not needed.
 */
final class NetlibBlas implements BlasBinding {
    /** netlib's property naming the BLAS library file it dlopens. */
    static final String PATH_PROPERTY = "dev.ludovic.netlib.blas.nativeLibPath";

    private final BLAS blas;
    private final String library;

    private NetlibBlas(BLAS blas, String library) {
        this.blas = blas;
        this.library = library;
    }

    /** netlib's JNI binding on {@code file}; fails if netlib is already bound to another file in this process. */
    static NetlibBlas load(Path file) throws NativeGemm.Unavailable {
        if (!NativeGemm.onLinux()) throw new NativeGemm.Unavailable("netlib's JNI binding is built for Linux only");
        if (System.getProperty(PATH_PROPERTY) == null) System.setProperty(PATH_PROPERTY, file.toString());
        String bound = System.getProperty(PATH_PROPERTY);
        BLAS blas;
        try {
            blas = NativeBLAS.getInstance();
        } catch (Throwable t) {
            throw new NativeGemm.Unavailable("netlib could not load its JNI binding on " + bound + ": " + t);
        }
        if (!blas.getClass().getName().endsWith(".JNIBLAS"))
            throw new NativeGemm.Unavailable("netlib returned " + blas.getClass().getName() + ", not its JNI binding");
        String real = NativeGemm.realPath(Path.of(bound));
        if (!real.equals(NativeGemm.realPath(file)))
            throw new NativeGemm.Unavailable("netlib is bound to " + bound + " in this process (-D" + PATH_PROPERTY
                    + "), not to " + file + ": it loads one library per process");
        if (!NativeGemm.isMapped(real))
            throw new NativeGemm.Unavailable("netlib loaded, but " + real + " is not mapped into the process");
        return new NetlibBlas(blas, real);
    }

    @Override
    public void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int ao, int lda,
                      float[] b, int bo, int ldb, float beta, float[] c, int co, int ldc) {
        blas.sgemm(transA ? "T" : "N", transB ? "T" : "N", m, n, k, alpha, a, ao, lda, b, bo, ldb, beta, c, co, ldc);
    }

    @Override
    public void dgemm(boolean transA, boolean transB, int m, int n, int k, double alpha, double[] a, int ao, int lda,
                      double[] b, int bo, int ldb, double beta, double[] c, int co, int ldc) {
        blas.dgemm(transA ? "T" : "N", transB ? "T" : "N", m, n, k, alpha, a, ao, lda, b, bo, ldb, beta, c, co, ldc);
    }

    @Override public String library() { return library; }

    @Override public String name() { return "dev.ludovic.netlib JNIBLAS"; }
}
