package jtorch.kernels;

/**
 * The kernel of one pointwise unary op over one contiguous run: {@code o[po + i] = op(a[pa + i])}
 * for {@code i < n}, in float32 and in float64. Each op implements this in a tiny final class of
 * its own ({@link PointwiseKernels}), so each loop is compiled for one op alone; the generic
 * driver ({@link PointwiseLoop}) handles strides, broadcasting and the intra-op pool and calls the
 * kernel once per contiguous run, never once per element.
 *
 * <pre>{@code
 * static final class Sinh implements UnaryKernel {
 *     public void f32(float[] o, int po, float[] a, int pa, int n) { for (int i = 0; i < n; i++) o[po + i] = (float) Math.sinh(a[pa + i]); }
 *     public void f64(double[] o, int po, double[] a, int pa, int n) { for (int i = 0; i < n; i++) o[po + i] = Math.sinh(a[pa + i]); }
 * }
 * }</pre>
 */
public interface UnaryKernel {
    /** {@code o[po + i] = op(a[pa + i])}, float32. */
    void f32(float[] o, int po, float[] a, int pa, int n);

    /** {@code o[po + i] = op(a[pa + i])}, float64. */
    void f64(double[] o, int po, double[] a, int pa, int n);

    /**
     * As {@link #f32} in int64. Only ops whose row keeps integers ({@code PointwiseUnary.Ints.KEEP}:
     * neg, abs, sign, relu) have one; the driver never asks the others.
     */
    default void i64(long[] o, int po, long[] a, int pa, int n) {
        throw new IllegalStateException(getClass().getSimpleName() + " has no int64 kernel: its row must not keep integers");
    }

    /**
     * Whether an element costs about as much as an add (sqrt, reciprocal, rounding), so a run is
     * split across the pool only from {@link PointwiseLoop#GRAIN} elements per thread; otherwise
     * (exp, sin, ...) from {@link PointwiseLoop#GRAIN_TRANSCENDENTAL}.
     */
    default boolean cheap() { return false; }
}
