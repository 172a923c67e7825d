package jtorch.kernels;

/**
 * The kernel of one pointwise binary op over one run: {@code o[po + i] = op(a[pa + i * sa], b[pb + i * sb])}
 * for {@code i < n}, the output unit-stride and each input of any stride: 1, 0 (a value broadcast
 * along the run) or another (a transposed operand, read in place). Write the loop as
 * {@code for (...; i++, pa += sa, pb += sb)}. One tiny final class per op ({@link PointwiseKernels});
 * the driver ({@link PointwiseLoop}) handles every other layout, broadcasting and the pool.
 */
public interface BinaryKernel {
    /** {@code o[po + i] = op(a[pa + i * sa], b[pb + i * sb])}, float32. */
    void f32(float[] o, int po, float[] a, int pa, int sa, float[] b, int pb, int sb, int n);

    /** As {@link #f32} in float64. */
    void f64(double[] o, int po, double[] a, int pa, int sa, double[] b, int pb, int sb, int n);

    /**
     * As {@link #f32} in int64 (wrapping as C++ does). Only ops whose row keeps integers
     * ({@code PointwiseBinary.Ints.KEEP}: add, mul, maximum, ...) have one; the rows of floating
     * ops convert integer operands first, so the driver never asks them.
     */
    default void i64(long[] o, int po, long[] a, int pa, int sa, long[] b, int pb, int sb, int n) {
        throw new IllegalStateException(getClass().getSimpleName() + " has no int64 kernel: its row must not keep integers");
    }

    /** As {@link UnaryKernel#cheap()}. */
    default boolean cheap() { return false; }
}
