package jtorch.kernels;

/**
 * One provider's matrix product over primitive arrays. Operands are strided (any strides,
 * including 0 and transposed layouts); the result is row-major with row stride {@code ldc}:
 *
 * <pre>
 * c[co + i*ldc + j] = (accumulate ? c[co + i*ldc + j] : 0) + sum_p a[ao + i*ars + p*acs] * b[bo + p*brs + j*bcs]
 * </pre>
 *
 * for {@code i < m, j < n, p < k}. When {@code accumulate} is false, {@code c} is not read (NaN in
 * it does not leak). {@code threads} is how many threads the call may use (1 inside a region of
 * the intra-op pool that is already parallel over batches).
 */
interface GemmKernel {
    void sgemm(int m, int n, int k, float[] a, int ao, int ars, int acs, float[] b, int bo, int brs, int bcs,
               float[] c, int co, int ldc, boolean accumulate, int threads);

    void dgemm(int m, int n, int k, double[] a, int ao, int ars, int acs, double[] b, int bo, int brs, int bcs,
               double[] c, int co, int ldc, boolean accumulate, int threads);

    /** What runs the products, for the start-up log line. */
    String describe();
}
