package jtorch.kernels;

/**
 * The kernel of one comparison over one run: {@code o[po + i] = a[pa + i * sa] op b[pb + i * sb]}
 * for {@code i < n}, a {@code bool} output of unit stride and each input of any stride (1, 0 for a
 * value broadcast along the run, or another), in the operands' common dtype. One tiny final class per comparison
 * ({@link PointwiseKernels}); the driver ({@link PointwiseLoop#compare}) handles every other layout.
 */
public interface CompareKernel {
    /** float32 operands. */
    void f32(boolean[] o, int po, float[] a, int pa, int sa, float[] b, int pb, int sb, int n);

    /** float64 operands. */
    void f64(boolean[] o, int po, double[] a, int pa, int sa, double[] b, int pb, int sb, int n);

    /** int64 operands. */
    void i64(boolean[] o, int po, long[] a, int pa, int sa, long[] b, int pb, int sb, int n);

    /** bool operands, compared as 0 and 1 (so {@code false < true}). */
    void bool(boolean[] o, int po, boolean[] a, int pa, int sa, boolean[] b, int pb, int sb, int n);
}
