package jtorch.kernels;

/**
 * The kernels of the pointwise ops of the op table: one tiny final class per op, each a plain
 * loop over one contiguous run (see {@link UnaryKernel}, {@link BinaryKernel}), and one shared
 * instance of each that the op's row names. Where a provider-specific fast path exists (the
 * Vector API loops of {@code VectorElementwise}) the kernel hands its run to
 * {@link ElementKernels#get()}, which picks that path or the plain-Java one, both giving the same
 * bits.
 *
 * <p>float32 ops without a float formula of their own are computed in double and rounded once
 * (within an ulp of PyTorch's float kernels).
 */
public final class PointwiseKernels {
    private PointwiseKernels() {}

    // ------------------------------------------------------------------ unary: provider runs

    /** exp, log, tanh and sigmoid: the provider's transcendental runs ({@link Transcendentals}' formulas). */
    static final class Transcendental implements UnaryKernel {
        private final UnaryOp op;
        Transcendental(UnaryOp op) { this.op = op; }
        @Override public void f32(float[] o, int po, float[] a, int pa, int n) { ElementKernels.get().transcendentalF32(op, o, po, a, pa, n); }
        @Override public void f64(double[] o, int po, double[] a, int pa, int n) { ElementKernels.get().transcendentalF64(op, o, po, a, pa, n); }
    }

    public static final UnaryKernel EXP = new Transcendental(UnaryOp.EXP);
    public static final UnaryKernel LOG = new Transcendental(UnaryOp.LOG);
    public static final UnaryKernel TANH = new Transcendental(UnaryOp.TANH);
    public static final UnaryKernel SIGMOID = new Transcendental(UnaryOp.SIGMOID);

    static final class Sqrt implements UnaryKernel {
        @Override public void f32(float[] o, int po, float[] a, int pa, int n) { ElementKernels.get().unaryF32(UnaryOp.SQRT, o, po, a, pa, n, 0, 0); }
        @Override public void f64(double[] o, int po, double[] a, int pa, int n) { for (int i = 0; i < n; i++) o[po + i] = Math.sqrt(a[pa + i]); }
        @Override public boolean cheap() { return true; }
    }

    public static final UnaryKernel SQRT = new Sqrt();

    static final class Rsqrt implements UnaryKernel {
        @Override public void f32(float[] o, int po, float[] a, int pa, int n) { ElementKernels.get().unaryF32(UnaryOp.RSQRT, o, po, a, pa, n, 0, 0); }
        @Override public void f64(double[] o, int po, double[] a, int pa, int n) { for (int i = 0; i < n; i++) o[po + i] = 1.0 / Math.sqrt(a[pa + i]); }
        @Override public boolean cheap() { return true; }
    }

    public static final UnaryKernel RSQRT = new Rsqrt();

    static final class Reciprocal implements UnaryKernel {
        @Override public void f32(float[] o, int po, float[] a, int pa, int n) { ElementKernels.get().unaryF32(UnaryOp.RECIPROCAL, o, po, a, pa, n, 0, 0); }
        @Override public void f64(double[] o, int po, double[] a, int pa, int n) { for (int i = 0; i < n; i++) o[po + i] = 1.0 / a[pa + i]; }
        @Override public boolean cheap() { return true; }
    }

    public static final UnaryKernel RECIPROCAL = new Reciprocal();

    // ------------------------------------------------------------------ unary: plain loops

    static final class Sin implements UnaryKernel {
        @Override public void f32(float[] o, int po, float[] a, int pa, int n) { for (int i = 0; i < n; i++) o[po + i] = (float) Math.sin(a[pa + i]); }
        @Override public void f64(double[] o, int po, double[] a, int pa, int n) { for (int i = 0; i < n; i++) o[po + i] = Math.sin(a[pa + i]); }
    }

    public static final UnaryKernel SIN = new Sin();

    static final class Cos implements UnaryKernel {
        @Override public void f32(float[] o, int po, float[] a, int pa, int n) { for (int i = 0; i < n; i++) o[po + i] = (float) Math.cos(a[pa + i]); }
        @Override public void f64(double[] o, int po, double[] a, int pa, int n) { for (int i = 0; i < n; i++) o[po + i] = Math.cos(a[pa + i]); }
    }

    public static final UnaryKernel COS = new Cos();

    static final class Log1p implements UnaryKernel {
        @Override public void f32(float[] o, int po, float[] a, int pa, int n) { for (int i = 0; i < n; i++) o[po + i] = (float) Math.log1p(a[pa + i]); }
        @Override public void f64(double[] o, int po, double[] a, int pa, int n) { for (int i = 0; i < n; i++) o[po + i] = Math.log1p(a[pa + i]); }
    }

    public static final UnaryKernel LOG1P = new Log1p();

    static final class Expm1 implements UnaryKernel {
        @Override public void f32(float[] o, int po, float[] a, int pa, int n) { for (int i = 0; i < n; i++) o[po + i] = (float) Math.expm1(a[pa + i]); }
        @Override public void f64(double[] o, int po, double[] a, int pa, int n) { for (int i = 0; i < n; i++) o[po + i] = Math.expm1(a[pa + i]); }
    }

    public static final UnaryKernel EXPM1 = new Expm1();

    static final class Erf implements UnaryKernel {
        @Override public void f32(float[] o, int po, float[] a, int pa, int n) { for (int i = 0; i < n; i++) o[po + i] = (float) SpecialFunctions.erf(a[pa + i]); }
        @Override public void f64(double[] o, int po, double[] a, int pa, int n) { for (int i = 0; i < n; i++) o[po + i] = SpecialFunctions.erf(a[pa + i]); }
    }

    public static final UnaryKernel ERF = new Erf();

    static final class Sinh implements UnaryKernel {
        @Override public void f32(float[] o, int po, float[] a, int pa, int n) { for (int i = 0; i < n; i++) o[po + i] = (float) Math.sinh(a[pa + i]); }
        @Override public void f64(double[] o, int po, double[] a, int pa, int n) { for (int i = 0; i < n; i++) o[po + i] = Math.sinh(a[pa + i]); }
    }

    public static final UnaryKernel SINH = new Sinh();

    static final class Cosh implements UnaryKernel {
        @Override public void f32(float[] o, int po, float[] a, int pa, int n) { for (int i = 0; i < n; i++) o[po + i] = (float) Math.cosh(a[pa + i]); }
        @Override public void f64(double[] o, int po, double[] a, int pa, int n) { for (int i = 0; i < n; i++) o[po + i] = Math.cosh(a[pa + i]); }
    }

    public static final UnaryKernel COSH = new Cosh();
}
