package jtorch.kernels;

/**
 * One column-major BLAS {@code ?gemm} call on one loaded OpenBLAS: {@code C = alpha op(A) op(B) +
 * beta C} with {@code op(A)} m x k, {@code op(B)} k x n, arrays passed with the offset of their
 * first element. {@link NativeGemm} does the rest (operand classification, packing, row blocks
 * over the pool); a binding only crosses into native code, so both bindings run the same
 * blocking and give the same bits on the same library.
 */
interface BlasBinding {
    void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int ao, int lda,
               float[] b, int bo, int ldb, float beta, float[] c, int co, int ldc);

    void dgemm(boolean transA, boolean transB, int m, int n, int k, double alpha, double[] a, int ao, int lda,
               double[] b, int bo, int ldb, double beta, double[] c, int co, int ldc);

    /** The OpenBLAS file this binding calls (as loaded). */
    String library();

    /** How the call crosses into native code, for {@code describe()}. */
    String name();
}
