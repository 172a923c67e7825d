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

    static final class Log2 implements UnaryKernel {
        @Override public void f32(float[] o, int po, float[] a, int pa, int n) { for (int i = 0; i < n; i++) o[po + i] = (float) log2(a[pa + i]); }
        @Override public void f64(double[] o, int po, double[] a, int pa, int n) { for (int i = 0; i < n; i++) o[po + i] = log2(a[pa + i]); }
    }

    public static final UnaryKernel LOG2 = new Log2();

    private static final double SQRT2 = Math.sqrt(2), LN2 = Math.log(2);

    /**
     * {@code log2(x)}: the binary exponent exactly plus the log of the mantissa (in [sqrt(1/2), sqrt(2)]),
     * so powers of two come out exact (the log ratio {@code log(x) / log(2)} does not: log2(8) would be 2.9999999999999996).
     */
    static double log2(double x) {
        if (!(x > 0) || x == Double.POSITIVE_INFINITY) return Math.log(x); // 0: -inf; < 0, NaN: NaN; inf: inf
        int shift = 0;
        if (x < Double.MIN_NORMAL) { x *= 0x1p54; shift = 54; } // subnormal: normalise first
        int e = Math.getExponent(x);
        double m = Math.scalb(x, -e);
        if (m > SQRT2) { m *= 0.5; e++; }
        return (e - shift) + Math.log(m) / LN2;
    }

    static final class Log10 implements UnaryKernel {
        @Override public void f32(float[] o, int po, float[] a, int pa, int n) { for (int i = 0; i < n; i++) o[po + i] = (float) Math.log10(a[pa + i]); }
        @Override public void f64(double[] o, int po, double[] a, int pa, int n) { for (int i = 0; i < n; i++) o[po + i] = Math.log10(a[pa + i]); }
    }

    public static final UnaryKernel LOG10 = new Log10();

    static final class Exp2 implements UnaryKernel {
        @Override public void f32(float[] o, int po, float[] a, int pa, int n) { for (int i = 0; i < n; i++) o[po + i] = (float) Math.pow(2.0, a[pa + i]); }
        @Override public void f64(double[] o, int po, double[] a, int pa, int n) { for (int i = 0; i < n; i++) o[po + i] = Math.pow(2.0, a[pa + i]); }
    }

    public static final UnaryKernel EXP2 = new Exp2();

    // ------------------------------------------------------------------ issue #11's parameter-free ops (float32 in double, rounded once)

    static final class Silu implements UnaryKernel {
        @Override public void f32(float[] o, int po, float[] a, int pa, int n) { for (int i = 0; i < n; i++) { double x = a[pa + i]; o[po + i] = (float) (x / (1 + Math.exp(-x))); } }
        @Override public void f64(double[] o, int po, double[] a, int pa, int n) { for (int i = 0; i < n; i++) { double x = a[pa + i]; o[po + i] = x / (1 + Math.exp(-x)); } }
    }

    public static final UnaryKernel SILU = new Silu();

    static final class Mish implements UnaryKernel {
        @Override public void f32(float[] o, int po, float[] a, int pa, int n) { for (int i = 0; i < n; i++) { double x = a[pa + i]; o[po + i] = (float) (x * Math.tanh(Math.log1p(Math.exp(x)))); } }
        @Override public void f64(double[] o, int po, double[] a, int pa, int n) { for (int i = 0; i < n; i++) { double x = a[pa + i]; o[po + i] = x * Math.tanh(Math.log1p(Math.exp(x))); } }
    }

    public static final UnaryKernel MISH = new Mish();

    static final class Floor implements UnaryKernel {
        @Override public void f32(float[] o, int po, float[] a, int pa, int n) { for (int i = 0; i < n; i++) o[po + i] = (float) Math.floor(a[pa + i]); }
        @Override public void f64(double[] o, int po, double[] a, int pa, int n) { for (int i = 0; i < n; i++) o[po + i] = Math.floor(a[pa + i]); }
        @Override public boolean cheap() { return true; }
    }

    public static final UnaryKernel FLOOR = new Floor();

    static final class Ceil implements UnaryKernel {
        @Override public void f32(float[] o, int po, float[] a, int pa, int n) { for (int i = 0; i < n; i++) o[po + i] = (float) Math.ceil(a[pa + i]); }
        @Override public void f64(double[] o, int po, double[] a, int pa, int n) { for (int i = 0; i < n; i++) o[po + i] = Math.ceil(a[pa + i]); }
        @Override public boolean cheap() { return true; }
    }

    public static final UnaryKernel CEIL = new Ceil();

    /** Half to even, as {@code torch.round}. */
    static final class Round implements UnaryKernel {
        @Override public void f32(float[] o, int po, float[] a, int pa, int n) { for (int i = 0; i < n; i++) o[po + i] = (float) Math.rint(a[pa + i]); }
        @Override public void f64(double[] o, int po, double[] a, int pa, int n) { for (int i = 0; i < n; i++) o[po + i] = Math.rint(a[pa + i]); }
        @Override public boolean cheap() { return true; }
    }

    public static final UnaryKernel ROUND = new Round();

    static final class Trunc implements UnaryKernel {
        @Override public void f32(float[] o, int po, float[] a, int pa, int n) { for (int i = 0; i < n; i++) { double x = a[pa + i]; o[po + i] = (float) (x < 0 ? Math.ceil(x) : Math.floor(x)); } }
        @Override public void f64(double[] o, int po, double[] a, int pa, int n) { for (int i = 0; i < n; i++) { double x = a[pa + i]; o[po + i] = x < 0 ? Math.ceil(x) : Math.floor(x); } }
        @Override public boolean cheap() { return true; }
    }

    public static final UnaryKernel TRUNC = new Trunc();

    static final class Frac implements UnaryKernel {
        @Override public void f32(float[] o, int po, float[] a, int pa, int n) { for (int i = 0; i < n; i++) { double x = a[pa + i]; o[po + i] = (float) (x - (x < 0 ? Math.ceil(x) : Math.floor(x))); } }
        @Override public void f64(double[] o, int po, double[] a, int pa, int n) { for (int i = 0; i < n; i++) { double x = a[pa + i]; o[po + i] = x - (x < 0 ? Math.ceil(x) : Math.floor(x)); } }
        @Override public boolean cheap() { return true; }
    }

    public static final UnaryKernel FRAC = new Frac();

    // ------------------------------------------------------------------ binary

    static final class Atan2 implements BinaryKernel {
        @Override public void f32(float[] o, int po, float[] a, int pa, int sa, float[] b, int pb, int sb, int n) {
            for (int i = 0; i < n; i++, pa += sa, pb += sb) o[po + i] = (float) Math.atan2(a[pa], b[pb]);
        }
        @Override public void f64(double[] o, int po, double[] a, int pa, int sa, double[] b, int pb, int sb, int n) {
            for (int i = 0; i < n; i++, pa += sa, pb += sb) o[po + i] = Math.atan2(a[pa], b[pb]);
        }
    }

    public static final BinaryKernel ATAN2 = new Atan2();

    /** {@code x * log(y)}, 0 where x is 0 and y is not NaN (float32: the log rounded to float, then the product, as ATen). */
    static final class Xlogy implements BinaryKernel {
        @Override public void f32(float[] o, int po, float[] a, int pa, int sa, float[] b, int pb, int sb, int n) {
            for (int i = 0; i < n; i++, pa += sa, pb += sb) { float x = a[pa], y = b[pb]; o[po + i] = y != y ? y : x == 0 ? 0f : x * (float) Math.log(y); }
        }
        @Override public void f64(double[] o, int po, double[] a, int pa, int sa, double[] b, int pb, int sb, int n) {
            for (int i = 0; i < n; i++, pa += sa, pb += sb) { double x = a[pa], y = b[pb]; o[po + i] = y != y ? y : x == 0 ? 0 : x * Math.log(y); }
        }
    }

    public static final BinaryKernel XLOGY = new Xlogy();

    // ------------------------------------------------------------------ unary ops that keep integers

    /**
     * neg, abs, sign and relu: float32 through the provider's runs (Vector API where present),
     * float64 and int64 as plain loops; each keeps its dtype (an int64 stays int64).
     */
    static final class Keeping implements UnaryKernel {
        private final UnaryOp op;
        Keeping(UnaryOp op) { this.op = op; }
        @Override public void f32(float[] o, int po, float[] a, int pa, int n) { ElementKernels.get().unaryF32(op, o, po, a, pa, n, 0f, 0f); }
        @Override public void f64(double[] o, int po, double[] a, int pa, int n) { Elementwise.unaryF64(op, o, po, 1, a, pa, 1, n, 0, 0); }
        @Override public void i64(long[] o, int po, long[] a, int pa, int n) {
            switch (op) {
                case NEG: for (int i = 0; i < n; i++) o[po + i] = -a[pa + i]; return;
                case ABS: for (int i = 0; i < n; i++) o[po + i] = Math.abs(a[pa + i]); return;
                case SIGN: for (int i = 0; i < n; i++) o[po + i] = Long.signum(a[pa + i]); return;
                default: for (int i = 0; i < n; i++) o[po + i] = Math.max(a[pa + i], 0L); return; // RELU
            }
        }
        @Override public boolean cheap() { return true; }
    }

    public static final UnaryKernel NEG = new Keeping(UnaryOp.NEG);
    public static final UnaryKernel ABS = new Keeping(UnaryOp.ABS);
    public static final UnaryKernel SIGN = new Keeping(UnaryOp.SIGN);
    public static final UnaryKernel RELU = new Keeping(UnaryOp.RELU);

    /**
     * pow with a scalar exponent and clamp (NaN = no bound): float32 through the provider's runs
     * where it has a vector form of the exponent (2, 3, -2, 0.5, -0.5, -1; any clamp), else its
     * plain loop; float64 and int64 as plain loops (int64: clamp to the integers inside the bounds,
     * pow by squaring).
     */
    static final class Param implements UnaryKernel {
        private final UnaryOp op;
        private final double p1, p2;
        Param(UnaryOp op, double p1, double p2) { this.op = op; this.p1 = p1; this.p2 = p2; }
        @Override public void f32(float[] o, int po, float[] a, int pa, int n) {
            if (ElementKernels.vectorUnary(op, p1)) ElementKernels.get().unaryF32(op, o, po, a, pa, n, (float) p1, (float) p2);
            else ElementKernels.stridedUnaryF32(op, o, po, 1, a, pa, 1, n, (float) p1, (float) p2);
        }
        @Override public void f64(double[] o, int po, double[] a, int pa, int n) { Elementwise.unaryF64(op, o, po, 1, a, pa, 1, n, p1, p2); }
        @Override public void i64(long[] o, int po, long[] a, int pa, int n) {
            if (op == UnaryOp.CLAMP) {
                long lo = p1 == p1 ? (long) Math.ceil(p1) : Long.MIN_VALUE, hi = p2 == p2 ? (long) Math.floor(p2) : Long.MAX_VALUE;
                for (int i = 0; i < n; i++) o[po + i] = Math.min(Math.max(a[pa + i], lo), hi);
            } else {
                long e = (long) p1;
                for (int i = 0; i < n; i++) o[po + i] = Elementwise.powInt(a[pa + i], e);
            }
        }
        @Override public boolean cheap() { return ElementKernels.vectorUnary(op, p1); }
    }

    /** {@code x ** p}. */
    public static UnaryKernel powScalar(double p) { return new Param(UnaryOp.POW_SCALAR, p, 0); }

    /** {@code clamp(x, min, max)}, NaN for no bound. */
    public static UnaryKernel clamp(double min, double max) { return new Param(UnaryOp.CLAMP, min, max); }

    /** {@code F.hardtanh}: clamp to [min, max] in double, rounded once to float32 (NaN passes through). */
    static final class Hardtanh implements UnaryKernel {
        private final double min, max;
        Hardtanh(double min, double max) { this.min = min; this.max = max; }
        @Override public void f32(float[] o, int po, float[] a, int pa, int n) {
            for (int i = 0; i < n; i++) { double x = a[pa + i]; o[po + i] = (float) (x < min ? min : x > max ? max : x); }
        }
        @Override public void f64(double[] o, int po, double[] a, int pa, int n) {
            for (int i = 0; i < n; i++) { double x = a[pa + i]; o[po + i] = x < min ? min : x > max ? max : x; }
        }
        @Override public boolean cheap() { return true; }
    }

    /** {@code F.softplus}: {@code log1p(exp(beta x)) / beta}, or x where {@code beta x > threshold} (compared in float32 for float32, as PyTorch). */
    static final class Softplus implements UnaryKernel {
        private final double beta, threshold;
        Softplus(double beta, double threshold) { this.beta = beta; this.threshold = threshold; }
        @Override public void f32(float[] o, int po, float[] a, int pa, int n) {
            float fb = (float) beta, ft = (float) threshold;
            for (int i = 0; i < n; i++) { float x = a[pa + i], z = x * fb; o[po + i] = z > ft ? x : (float) (Math.log1p(Math.exp(z)) / beta); }
        }
        @Override public void f64(double[] o, int po, double[] a, int pa, int n) {
            for (int i = 0; i < n; i++) { double x = a[pa + i], z = x * beta; o[po + i] = z > threshold ? x : Math.log1p(Math.exp(z)) / beta; }
        }
    }

    /** {@code F.hardtanh(x, min, max)}. */
    public static UnaryKernel hardtanh(double min, double max) { return new Hardtanh(min, max); }

    /** {@code F.softplus(x, beta, threshold)}. */
    public static UnaryKernel softplus(double beta, double threshold) { return new Softplus(beta, threshold); }

    // ------------------------------------------------------------------ binary arithmetic: provider runs

    /** {@code a + alpha * b}: the provider's runs (Vector API where present; {@code alpha != 1} as one fma, as PyTorch's AVX2 kernels round it). */
    static final class Add implements BinaryKernel {
        private final double alpha;
        Add(double alpha) { this.alpha = alpha; }
        @Override public void f32(float[] o, int po, float[] a, int pa, int sa, float[] b, int pb, int sb, int n) { ElementKernels.get().binaryF32(BinaryOp.ADD, o, po, a, pa, sa, b, pb, sb, n, (float) alpha); }
        @Override public void f64(double[] o, int po, double[] a, int pa, int sa, double[] b, int pb, int sb, int n) { ElementKernels.get().binaryF64(BinaryOp.ADD, o, po, a, pa, sa, b, pb, sb, n, alpha); }
        @Override public void i64(long[] o, int po, long[] a, int pa, int sa, long[] b, int pb, int sb, int n) {
            long al = (long) alpha;
            if (al == 1) for (int i = 0; i < n; i++, pa += sa, pb += sb) o[po + i] = a[pa] + b[pb];
            else for (int i = 0; i < n; i++, pa += sa, pb += sb) o[po + i] = a[pa] + al * b[pb];
        }
        @Override public boolean cheap() { return true; }
    }

    /** {@code a - b} (with an alpha, {@code a - alpha * b} is {@link #add add(-alpha)}: the same fma). */
    static final class Sub implements BinaryKernel {
        @Override public void f32(float[] o, int po, float[] a, int pa, int sa, float[] b, int pb, int sb, int n) { ElementKernels.get().binaryF32(BinaryOp.SUB, o, po, a, pa, sa, b, pb, sb, n, 1f); }
        @Override public void f64(double[] o, int po, double[] a, int pa, int sa, double[] b, int pb, int sb, int n) { ElementKernels.get().binaryF64(BinaryOp.SUB, o, po, a, pa, sa, b, pb, sb, n, 1); }
        @Override public void i64(long[] o, int po, long[] a, int pa, int sa, long[] b, int pb, int sb, int n) { for (int i = 0; i < n; i++, pa += sa, pb += sb) o[po + i] = a[pa] - b[pb]; }
        @Override public boolean cheap() { return true; }
    }

    static final class Mul implements BinaryKernel {
        @Override public void f32(float[] o, int po, float[] a, int pa, int sa, float[] b, int pb, int sb, int n) { ElementKernels.get().binaryF32(BinaryOp.MUL, o, po, a, pa, sa, b, pb, sb, n, 1f); }
        @Override public void f64(double[] o, int po, double[] a, int pa, int sa, double[] b, int pb, int sb, int n) { ElementKernels.get().binaryF64(BinaryOp.MUL, o, po, a, pa, sa, b, pb, sb, n, 1); }
        @Override public void i64(long[] o, int po, long[] a, int pa, int sa, long[] b, int pb, int sb, int n) { for (int i = 0; i < n; i++, pa += sa, pb += sb) o[po + i] = a[pa] * b[pb]; }
        @Override public boolean cheap() { return true; }
    }

    /** True division (floating only: the row computes integers in the default float dtype). */
    static final class Div implements BinaryKernel {
        @Override public void f32(float[] o, int po, float[] a, int pa, int sa, float[] b, int pb, int sb, int n) { ElementKernels.get().binaryF32(BinaryOp.DIV, o, po, a, pa, sa, b, pb, sb, n, 1f); }
        @Override public void f64(double[] o, int po, double[] a, int pa, int sa, double[] b, int pb, int sb, int n) { ElementKernels.get().binaryF64(BinaryOp.DIV, o, po, a, pa, sa, b, pb, sb, n, 1); }
        @Override public boolean cheap() { return true; }
    }

    /** Elementwise max, NaN propagating. */
    static final class Maximum implements BinaryKernel {
        @Override public void f32(float[] o, int po, float[] a, int pa, int sa, float[] b, int pb, int sb, int n) { ElementKernels.get().binaryF32(BinaryOp.MAXIMUM, o, po, a, pa, sa, b, pb, sb, n, 1f); }
        @Override public void f64(double[] o, int po, double[] a, int pa, int sa, double[] b, int pb, int sb, int n) { ElementKernels.get().binaryF64(BinaryOp.MAXIMUM, o, po, a, pa, sa, b, pb, sb, n, 1); }
        @Override public void i64(long[] o, int po, long[] a, int pa, int sa, long[] b, int pb, int sb, int n) { for (int i = 0; i < n; i++, pa += sa, pb += sb) o[po + i] = Math.max(a[pa], b[pb]); }
        @Override public boolean cheap() { return true; }
    }

    /** Elementwise min, NaN propagating. */
    static final class Minimum implements BinaryKernel {
        @Override public void f32(float[] o, int po, float[] a, int pa, int sa, float[] b, int pb, int sb, int n) { ElementKernels.get().binaryF32(BinaryOp.MINIMUM, o, po, a, pa, sa, b, pb, sb, n, 1f); }
        @Override public void f64(double[] o, int po, double[] a, int pa, int sa, double[] b, int pb, int sb, int n) { ElementKernels.get().binaryF64(BinaryOp.MINIMUM, o, po, a, pa, sa, b, pb, sb, n, 1); }
        @Override public void i64(long[] o, int po, long[] a, int pa, int sa, long[] b, int pb, int sb, int n) { for (int i = 0; i < n; i++, pa += sa, pb += sb) o[po + i] = Math.min(a[pa], b[pb]); }
        @Override public boolean cheap() { return true; }
    }

    /**
     * {@code a ** b}: float32 computed in double and rounded once; int64 by squaring
     * ({@link Elementwise#powInt}). C's {@code pow}, not Java's, where they differ: {@code 1 ** b}
     * is 1 for every b (NaN included) and {@code (-1) ** ±inf} is 1 (Java gives NaN).
     */
    static final class Pow implements BinaryKernel {
        @Override public void f32(float[] o, int po, float[] a, int pa, int sa, float[] b, int pb, int sb, int n) { for (int i = 0; i < n; i++, pa += sa, pb += sb) o[po + i] = (float) cPow(a[pa], b[pb]); }
        @Override public void f64(double[] o, int po, double[] a, int pa, int sa, double[] b, int pb, int sb, int n) { for (int i = 0; i < n; i++, pa += sa, pb += sb) o[po + i] = cPow(a[pa], b[pb]); }
        @Override public void i64(long[] o, int po, long[] a, int pa, int sa, long[] b, int pb, int sb, int n) { for (int i = 0; i < n; i++, pa += sa, pb += sb) o[po + i] = Elementwise.powInt(a[pa], b[pb]); }
    }

    /** {@code a % b} with the sign of b (Python's {@code %}; {@code torch.remainder}). The row refuses integer division by zero first. */
    static final class Remainder implements BinaryKernel {
        @Override public void f32(float[] o, int po, float[] a, int pa, int sa, float[] b, int pb, int sb, int n) {
            for (int i = 0; i < n; i++, pa += sa, pb += sb) { float q = b[pb], m = a[pa] % q; o[po + i] = m != 0 && (q < 0) != (m < 0) ? m + q : m; }
        }
        @Override public void f64(double[] o, int po, double[] a, int pa, int sa, double[] b, int pb, int sb, int n) {
            for (int i = 0; i < n; i++, pa += sa, pb += sb) { double q = b[pb], m = a[pa] % q; o[po + i] = m != 0 && (q < 0) != (m < 0) ? m + q : m; }
        }
        @Override public void i64(long[] o, int po, long[] a, int pa, int sa, long[] b, int pb, int sb, int n) {
            for (int i = 0; i < n; i++, pa += sa, pb += sb) { long q = b[pb], m = a[pa] % q; o[po + i] = m != 0 && (q < 0) != (m < 0) ? m + q : m; }
        }
    }

    /** {@code a % b} with the sign of a (C's {@code fmod}; {@code torch.fmod}). */
    static final class Fmod implements BinaryKernel {
        @Override public void f32(float[] o, int po, float[] a, int pa, int sa, float[] b, int pb, int sb, int n) { for (int i = 0; i < n; i++, pa += sa, pb += sb) o[po + i] = a[pa] % b[pb]; }
        @Override public void f64(double[] o, int po, double[] a, int pa, int sa, double[] b, int pb, int sb, int n) { for (int i = 0; i < n; i++, pa += sa, pb += sb) o[po + i] = a[pa] % b[pb]; }
        @Override public void i64(long[] o, int po, long[] a, int pa, int sa, long[] b, int pb, int sb, int n) { for (int i = 0; i < n; i++, pa += sa, pb += sb) o[po + i] = a[pa] % b[pb]; }
    }

    public static final BinaryKernel REMAINDER = new Remainder();
    public static final BinaryKernel FMOD = new Fmod();
    /** C's {@code pow(x, y)}: Java's {@link Math#pow} but for base 1 (always 1) and base -1 with an infinite exponent (1). */
    static double cPow(double x, double y) {
        if (x == 1 || (x == -1 && Double.isInfinite(y))) return 1;
        return Math.pow(x, y);
    }

    public static final BinaryKernel ADD = new Add(1);
    public static final BinaryKernel SUB = new Sub();
    public static final BinaryKernel MUL = new Mul();
    public static final BinaryKernel DIV = new Div();
    public static final BinaryKernel MAXIMUM = new Maximum();
    public static final BinaryKernel MINIMUM = new Minimum();
    public static final BinaryKernel POW = new Pow();

    /** {@code a + alpha * b}. */
    public static BinaryKernel add(double alpha) { return alpha == 1 ? ADD : new Add(alpha); }

    /** {@code a - alpha * b}: {@code add(-alpha)} unless alpha is 1, as PyTorch computes it (one fma). */
    public static BinaryKernel sub(double alpha) { return alpha == 1 ? SUB : new Add(-alpha); }

    // ------------------------------------------------------------------ comparisons

    /** float runs through the provider (Vector API masks where present); int64 and bool as plain loops. */
    static final class Eq implements CompareKernel {
        @Override public void f32(boolean[] o, int po, float[] a, int pa, int sa, float[] b, int pb, int sb, int n) { ElementKernels.get().compareF32(BinaryOp.EQ, o, po, a, pa, sa, b, pb, sb, n); }
        @Override public void f64(boolean[] o, int po, double[] a, int pa, int sa, double[] b, int pb, int sb, int n) { ElementKernels.get().compareF64(BinaryOp.EQ, o, po, a, pa, sa, b, pb, sb, n); }
        @Override public void i64(boolean[] o, int po, long[] a, int pa, int sa, long[] b, int pb, int sb, int n) { for (int i = 0; i < n; i++, pa += sa, pb += sb) o[po + i] = a[pa] == b[pb]; }
        @Override public void bool(boolean[] o, int po, boolean[] a, int pa, int sa, boolean[] b, int pb, int sb, int n) { for (int i = 0; i < n; i++, pa += sa, pb += sb) o[po + i] = a[pa] == b[pb]; }
    }

    static final class Ne implements CompareKernel {
        @Override public void f32(boolean[] o, int po, float[] a, int pa, int sa, float[] b, int pb, int sb, int n) { ElementKernels.get().compareF32(BinaryOp.NE, o, po, a, pa, sa, b, pb, sb, n); }
        @Override public void f64(boolean[] o, int po, double[] a, int pa, int sa, double[] b, int pb, int sb, int n) { ElementKernels.get().compareF64(BinaryOp.NE, o, po, a, pa, sa, b, pb, sb, n); }
        @Override public void i64(boolean[] o, int po, long[] a, int pa, int sa, long[] b, int pb, int sb, int n) { for (int i = 0; i < n; i++, pa += sa, pb += sb) o[po + i] = a[pa] != b[pb]; }
        @Override public void bool(boolean[] o, int po, boolean[] a, int pa, int sa, boolean[] b, int pb, int sb, int n) { for (int i = 0; i < n; i++, pa += sa, pb += sb) o[po + i] = a[pa] != b[pb]; }
    }

    static final class Lt implements CompareKernel {
        @Override public void f32(boolean[] o, int po, float[] a, int pa, int sa, float[] b, int pb, int sb, int n) { ElementKernels.get().compareF32(BinaryOp.LT, o, po, a, pa, sa, b, pb, sb, n); }
        @Override public void f64(boolean[] o, int po, double[] a, int pa, int sa, double[] b, int pb, int sb, int n) { ElementKernels.get().compareF64(BinaryOp.LT, o, po, a, pa, sa, b, pb, sb, n); }
        @Override public void i64(boolean[] o, int po, long[] a, int pa, int sa, long[] b, int pb, int sb, int n) { for (int i = 0; i < n; i++, pa += sa, pb += sb) o[po + i] = a[pa] < b[pb]; }
        @Override public void bool(boolean[] o, int po, boolean[] a, int pa, int sa, boolean[] b, int pb, int sb, int n) { for (int i = 0; i < n; i++, pa += sa, pb += sb) o[po + i] = !a[pa] && b[pb]; }
    }

    static final class Le implements CompareKernel {
        @Override public void f32(boolean[] o, int po, float[] a, int pa, int sa, float[] b, int pb, int sb, int n) { ElementKernels.get().compareF32(BinaryOp.LE, o, po, a, pa, sa, b, pb, sb, n); }
        @Override public void f64(boolean[] o, int po, double[] a, int pa, int sa, double[] b, int pb, int sb, int n) { ElementKernels.get().compareF64(BinaryOp.LE, o, po, a, pa, sa, b, pb, sb, n); }
        @Override public void i64(boolean[] o, int po, long[] a, int pa, int sa, long[] b, int pb, int sb, int n) { for (int i = 0; i < n; i++, pa += sa, pb += sb) o[po + i] = a[pa] <= b[pb]; }
        @Override public void bool(boolean[] o, int po, boolean[] a, int pa, int sa, boolean[] b, int pb, int sb, int n) { for (int i = 0; i < n; i++, pa += sa, pb += sb) o[po + i] = !a[pa] || b[pb]; }
    }

    static final class Gt implements CompareKernel {
        @Override public void f32(boolean[] o, int po, float[] a, int pa, int sa, float[] b, int pb, int sb, int n) { ElementKernels.get().compareF32(BinaryOp.GT, o, po, a, pa, sa, b, pb, sb, n); }
        @Override public void f64(boolean[] o, int po, double[] a, int pa, int sa, double[] b, int pb, int sb, int n) { ElementKernels.get().compareF64(BinaryOp.GT, o, po, a, pa, sa, b, pb, sb, n); }
        @Override public void i64(boolean[] o, int po, long[] a, int pa, int sa, long[] b, int pb, int sb, int n) { for (int i = 0; i < n; i++, pa += sa, pb += sb) o[po + i] = a[pa] > b[pb]; }
        @Override public void bool(boolean[] o, int po, boolean[] a, int pa, int sa, boolean[] b, int pb, int sb, int n) { for (int i = 0; i < n; i++, pa += sa, pb += sb) o[po + i] = a[pa] && !b[pb]; }
    }

    static final class Ge implements CompareKernel {
        @Override public void f32(boolean[] o, int po, float[] a, int pa, int sa, float[] b, int pb, int sb, int n) { ElementKernels.get().compareF32(BinaryOp.GE, o, po, a, pa, sa, b, pb, sb, n); }
        @Override public void f64(boolean[] o, int po, double[] a, int pa, int sa, double[] b, int pb, int sb, int n) { ElementKernels.get().compareF64(BinaryOp.GE, o, po, a, pa, sa, b, pb, sb, n); }
        @Override public void i64(boolean[] o, int po, long[] a, int pa, int sa, long[] b, int pb, int sb, int n) { for (int i = 0; i < n; i++, pa += sa, pb += sb) o[po + i] = a[pa] >= b[pb]; }
        @Override public void bool(boolean[] o, int po, boolean[] a, int pa, int sa, boolean[] b, int pb, int sb, int n) { for (int i = 0; i < n; i++, pa += sa, pb += sb) o[po + i] = a[pa] || !b[pb]; }
    }

    public static final CompareKernel EQ = new Eq();
    public static final CompareKernel NE = new Ne();
    public static final CompareKernel LT = new Lt();
    public static final CompareKernel LE = new Le();
    public static final CompareKernel GT = new Gt();
    public static final CompareKernel GE = new Ge();
}
