package jtorch.kernels;

/**
 * The inner loops of the elementwise ops, copies and sums over one run: a unit-stride output and
 * inputs of stride 1 or 0 (an operand broadcast along the run). This class is the plain-Java
 * provider and the reference the Vector API one ({@code VectorElementwise}) must agree with bit
 * for bit (sums within rounding). {@link #get()} picks the one for the current provider.
 *
 * <p>Binary ops here: ADD (with {@code alpha != 1} computed as {@code fma(alpha, b, a)}, rounded
 * once as PyTorch's AVX2 kernels do), SUB (alpha 1 only: the caller turns {@code a - alpha * b}
 * into ADD with {@code -alpha}), MUL, DIV, MAXIMUM, MINIMUM. Unary ops: those of
 * {@link #vectorUnary}.
 */
class ElementKernels {
    static final ElementKernels SCALAR = new ElementKernels();

    /** The Vector API kernels when {@code jdk.incubator.vector} is present, else null. */
    private static final class VectorHolder {
        static final ElementKernels KERNELS = load();

        private static ElementKernels load() {
            if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) return null;
            try {
                // Reflective so that no Vector API class is linked unless the module is present.
                return (ElementKernels) Class.forName("jtorch.kernels.VectorElementwise").getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException | LinkageError e) {
                return null;
            }
        }
    }

    /** The kernels of the provider in use: plain Java under SCALAR, the Vector API otherwise (where present). */
    static ElementKernels get() {
        if (Kernels.provider() == KernelProvider.SCALAR) return SCALAR;
        ElementKernels v = VectorHolder.KERNELS;
        return v != null ? v : SCALAR;
    }

    /** What these kernels are, for logs and tests. */
    String describe() { return "scalar"; }

    /** Whether {@link #unaryF32} computes {@code op} with parameter {@code p1} (the exactly-rounded ops). */
    static boolean vectorUnary(UnaryOp op, double p1) {
        switch (op) {
            case NEG: case ABS: case SIGN: case SQRT: case RSQRT: case RELU: case RECIPROCAL: case CLAMP: return true;
            case POW_SCALAR: return p1 == 2 || p1 == 3 || p1 == -2 || p1 == 0.5 || p1 == -0.5 || p1 == -1;
            default: return false;
        }
    }

    /**
     * Whether {@link #transcendentalF32} / {@link #transcendentalF64} compute {@code op}: exp, log,
     * tanh and sigmoid. They are not exactly rounded (within about an ulp), but every provider and
     * every layout computes them by {@link Transcendentals}' operations (float32 sigmoid by
     * {@link FloatExp#sigmoid}, in float lanes), so all give the same bits; sigmoid as PyTorch
     * computes it, {@code 1 / (1 + exp(-x))}, but for {@code x < 0} in float32 as
     * {@code exp(x) / (1 + exp(x))} (the same value, rounded differently; not 0 below -88.7).
     */
    static boolean transcendental(UnaryOp op) {
        return op == UnaryOp.EXP || op == UnaryOp.LOG || op == UnaryOp.TANH || op == UnaryOp.SIGMOID;
    }

    /** {@code o[po + i] = op(a[pa + i])} for the ops of {@link #transcendental}. */
    void transcendentalF32(UnaryOp op, float[] o, int po, float[] a, int pa, int n) {
        Transcendentals.runF32(op, o, po, 1, a, pa, 1, n);
    }

    /** {@code o[po + i] = FloatExp.exp(a[pa + i])}: float32 exp in float lanes (within 1 ulp, see {@link FloatExp}). */
    void floatExpF32(float[] o, int po, float[] a, int pa, int n) {
        FloatExp.run(o, po, a, pa, n);
    }

    /**
     * {@code o[po + i] = FloatExp.exp(a[pa + i] - shift)}: exp of a shifted row (log_softmax's
     * {@code x - max}) without writing the shifted row; each difference rounded to float first.
     */
    void floatExpShiftedF32(float[] o, int po, float[] a, int pa, int n, float shift) {
        for (int i = 0; i < n; i++) o[po + i] = FloatExp.exp(a[pa + i] - shift);
    }

    /**
     * The max of {@code a[p .. p + n)}, {@code n >= 1}, NaN winning (as the max reduction). Where -0
     * and +0 tie at the top, which one comes back is the provider's (this loop keeps the first, the
     * vector one {@link Math#max}'s +0): softmax's shift {@code x - max} then gives the same exp, sum
     * and log-probabilities either way.
     */
    float maxF32(float[] a, int p, int n) {
        float m = a[p];
        for (int i = 1; i < n; i++) {
            float v = a[p + i];
            if (m == m && (v != v || v > m)) m = v;
        }
        return m;
    }

    /** As {@link #transcendentalF32} in double. */
    void transcendentalF64(UnaryOp op, double[] o, int po, double[] a, int pa, int n) {
        Transcendentals.runF64(op, o, po, 1, a, pa, 1, n);
    }

    // ------------------------------------------------------------------ binary

    /** {@code o[po + i] = op(a[pa + i * sa], b[pb + i * sb])}, any strides (a plain loop unless both are 1, or one is 0). */
    void binaryF32(BinaryOp op, float[] o, int po, float[] a, int pa, int sa, float[] b, int pb, int sb, int n, float alpha) {
        if (sa == 1 && sb == 1) {
            switch (op) {
                case ADD:
                    if (alpha == 1f) for (int i = 0; i < n; i++) o[po + i] = a[pa + i] + b[pb + i];
                    else for (int i = 0; i < n; i++) o[po + i] = Math.fma(alpha, b[pb + i], a[pa + i]);
                    return;
                case SUB: for (int i = 0; i < n; i++) o[po + i] = a[pa + i] - b[pb + i]; return;
                case MUL: for (int i = 0; i < n; i++) o[po + i] = a[pa + i] * b[pb + i]; return;
                case DIV: for (int i = 0; i < n; i++) o[po + i] = a[pa + i] / b[pb + i]; return;
                default: break;
            }
        }
        stridedF32(op, o, po, 1, a, pa, sa, b, pb, sb, n, alpha);
    }

    /** As {@link #binaryF32} in double. */
    void binaryF64(BinaryOp op, double[] o, int po, double[] a, int pa, int sa, double[] b, int pb, int sb, int n, double alpha) {
        if (sa == 1 && sb == 1) {
            switch (op) {
                case ADD:
                    if (alpha == 1) for (int i = 0; i < n; i++) o[po + i] = a[pa + i] + b[pb + i];
                    else for (int i = 0; i < n; i++) o[po + i] = Math.fma(alpha, b[pb + i], a[pa + i]);
                    return;
                case SUB: for (int i = 0; i < n; i++) o[po + i] = a[pa + i] - b[pb + i]; return;
                case MUL: for (int i = 0; i < n; i++) o[po + i] = a[pa + i] * b[pb + i]; return;
                case DIV: for (int i = 0; i < n; i++) o[po + i] = a[pa + i] / b[pb + i]; return;
                default: break;
            }
        }
        stridedF64(op, o, po, 1, a, pa, sa, b, pb, sb, n, alpha);
    }

    /** Any strides; also POW. SUB with {@code alpha != 1} is expected as ADD with {@code -alpha}. */
    static void stridedF32(BinaryOp op, float[] o, int po, int so, float[] a, int pa, int sa, float[] b, int pb, int sb, int n, float alpha) {
        switch (op) {
            case ADD:
                if (alpha == 1f) for (int i = 0; i < n; i++, po += so, pa += sa, pb += sb) o[po] = a[pa] + b[pb];
                else for (int i = 0; i < n; i++, po += so, pa += sa, pb += sb) o[po] = Math.fma(alpha, b[pb], a[pa]);
                break;
            case SUB: for (int i = 0; i < n; i++, po += so, pa += sa, pb += sb) o[po] = a[pa] - b[pb]; break;
            case MUL: for (int i = 0; i < n; i++, po += so, pa += sa, pb += sb) o[po] = a[pa] * b[pb]; break;
            case DIV: for (int i = 0; i < n; i++, po += so, pa += sa, pb += sb) o[po] = a[pa] / b[pb]; break;
            case POW: for (int i = 0; i < n; i++, po += so, pa += sa, pb += sb) o[po] = (float) Math.pow(a[pa], b[pb]); break;
            case MAXIMUM: for (int i = 0; i < n; i++, po += so, pa += sa, pb += sb) o[po] = Math.max(a[pa], b[pb]); break;
            case MINIMUM: for (int i = 0; i < n; i++, po += so, pa += sa, pb += sb) o[po] = Math.min(a[pa], b[pb]); break;
            default: throw new AssertionError(op);
        }
    }

    static void stridedF64(BinaryOp op, double[] o, int po, int so, double[] a, int pa, int sa, double[] b, int pb, int sb, int n,
                           double alpha) {
        switch (op) {
            case ADD:
                if (alpha == 1) for (int i = 0; i < n; i++, po += so, pa += sa, pb += sb) o[po] = a[pa] + b[pb];
                else for (int i = 0; i < n; i++, po += so, pa += sa, pb += sb) o[po] = Math.fma(alpha, b[pb], a[pa]);
                break;
            case SUB: for (int i = 0; i < n; i++, po += so, pa += sa, pb += sb) o[po] = a[pa] - b[pb]; break;
            case MUL: for (int i = 0; i < n; i++, po += so, pa += sa, pb += sb) o[po] = a[pa] * b[pb]; break;
            case DIV: for (int i = 0; i < n; i++, po += so, pa += sa, pb += sb) o[po] = a[pa] / b[pb]; break;
            case POW: for (int i = 0; i < n; i++, po += so, pa += sa, pb += sb) o[po] = Math.pow(a[pa], b[pb]); break;
            case MAXIMUM: for (int i = 0; i < n; i++, po += so, pa += sa, pb += sb) o[po] = Math.max(a[pa], b[pb]); break;
            case MINIMUM: for (int i = 0; i < n; i++, po += so, pa += sa, pb += sb) o[po] = Math.min(a[pa], b[pb]); break;
            default: throw new AssertionError(op);
        }
    }

    // ------------------------------------------------------------------ ternary

    /**
     * Unit-stride {@code o = x + v * y / z} ({@code divide}) or {@code o = fma(v * y, z, x)}: the
     * optimizers' addcdiv and addcmul, every element by exactly this formula.
     */
    void ternaryF32(boolean divide, float[] o, int po, float[] x, int px, float[] y, int py, float[] z, int pz, int n, float v) {
        if (divide) for (int i = 0; i < n; i++) o[po + i] = x[px + i] + v * y[py + i] / z[pz + i];
        else for (int i = 0; i < n; i++) o[po + i] = Math.fma(v * y[py + i], z[pz + i], x[px + i]);
    }

    // ------------------------------------------------------------------ comparisons

    /** {@code o[po + i * so] = a[pa + i * sa] op b[pb + i * sb]}: EQ NE LT LE GT GE. */
    void compareF32(BinaryOp op, boolean[] o, int po, float[] a, int pa, int sa, float[] b, int pb, int sb, int n) {
        stridedCompareF32(op, o, po, 1, a, pa, sa, b, pb, sb, n);
    }

    void compareF64(BinaryOp op, boolean[] o, int po, double[] a, int pa, int sa, double[] b, int pb, int sb, int n) {
        stridedCompareF64(op, o, po, 1, a, pa, sa, b, pb, sb, n);
    }

    static void stridedCompareF32(BinaryOp op, boolean[] o, int po, int so, float[] a, int pa, int sa, float[] b, int pb, int sb, int n) {
        switch (op) {
            case EQ: for (int i = 0; i < n; i++, po += so, pa += sa, pb += sb) o[po] = a[pa] == b[pb]; break;
            case NE: for (int i = 0; i < n; i++, po += so, pa += sa, pb += sb) o[po] = a[pa] != b[pb]; break;
            case LT: for (int i = 0; i < n; i++, po += so, pa += sa, pb += sb) o[po] = a[pa] < b[pb]; break;
            case LE: for (int i = 0; i < n; i++, po += so, pa += sa, pb += sb) o[po] = a[pa] <= b[pb]; break;
            case GT: for (int i = 0; i < n; i++, po += so, pa += sa, pb += sb) o[po] = a[pa] > b[pb]; break;
            case GE: for (int i = 0; i < n; i++, po += so, pa += sa, pb += sb) o[po] = a[pa] >= b[pb]; break;
            default: throw new AssertionError(op);
        }
    }

    static void stridedCompareF64(BinaryOp op, boolean[] o, int po, int so, double[] a, int pa, int sa, double[] b, int pb, int sb,
                                  int n) {
        switch (op) {
            case EQ: for (int i = 0; i < n; i++, po += so, pa += sa, pb += sb) o[po] = a[pa] == b[pb]; break;
            case NE: for (int i = 0; i < n; i++, po += so, pa += sa, pb += sb) o[po] = a[pa] != b[pb]; break;
            case LT: for (int i = 0; i < n; i++, po += so, pa += sa, pb += sb) o[po] = a[pa] < b[pb]; break;
            case LE: for (int i = 0; i < n; i++, po += so, pa += sa, pb += sb) o[po] = a[pa] <= b[pb]; break;
            case GT: for (int i = 0; i < n; i++, po += so, pa += sa, pb += sb) o[po] = a[pa] > b[pb]; break;
            case GE: for (int i = 0; i < n; i++, po += so, pa += sa, pb += sb) o[po] = a[pa] >= b[pb]; break;
            default: throw new AssertionError(op);
        }
    }

    // ------------------------------------------------------------------ unary

    /** {@code o[po + i] = op(a[pa + i])} for the ops of {@link #vectorUnary}; CLAMP's NaN bounds mean no bound. */
    void unaryF32(UnaryOp op, float[] o, int po, float[] a, int pa, int n, float p1, float p2) {
        stridedUnaryF32(op, o, po, 1, a, pa, 1, n, p1, p2);
    }

    static void stridedUnaryF32(UnaryOp op, float[] o, int po, int so, float[] a, int pa, int sa, int n, float p1, float p2) {
        switch (op) {
            case NEG: for (int i = 0; i < n; i++, po += so, pa += sa) o[po] = -a[pa]; break;
            case ABS: for (int i = 0; i < n; i++, po += so, pa += sa) o[po] = Math.abs(a[pa]); break;
            // PyTorch's (0 < x) - (x < 0): +0 for -0 and for NaN.
            case SIGN: for (int i = 0; i < n; i++, po += so, pa += sa) { float x = a[pa]; o[po] = x > 0 ? 1f : x < 0 ? -1f : 0f; } break;
            case EXP: for (int i = 0; i < n; i++, po += so, pa += sa) o[po] = (float) Transcendentals.expF(a[pa]); break;
            case LOG: for (int i = 0; i < n; i++, po += so, pa += sa) o[po] = (float) Transcendentals.log(a[pa]); break;
            case SQRT: for (int i = 0; i < n; i++, po += so, pa += sa) o[po] = (float) Math.sqrt(a[pa]); break;
            case RSQRT: for (int i = 0; i < n; i++, po += so, pa += sa) o[po] = 1f / (float) Math.sqrt(a[pa]); break;
            case SIN: for (int i = 0; i < n; i++, po += so, pa += sa) o[po] = (float) Math.sin(a[pa]); break;
            case COS: for (int i = 0; i < n; i++, po += so, pa += sa) o[po] = (float) Math.cos(a[pa]); break;
            case TANH: for (int i = 0; i < n; i++, po += so, pa += sa) o[po] = (float) Transcendentals.tanhF(a[pa]); break;
            case SIGMOID: for (int i = 0; i < n; i++, po += so, pa += sa) o[po] = FloatExp.sigmoid(a[pa]); break;
            case RELU:
                // x < 0 ? 0 : x (-0 and NaN pass), without a data-dependent branch: Math.max is branch-free and
                // differs from it only at -0, which is rare enough for its test to predict well.
                for (int i = 0; i < n; i++, po += so, pa += sa) { float x = a[pa]; o[po] = x == 0f ? x : Math.max(x, 0f); }
                break;
            case RECIPROCAL: for (int i = 0; i < n; i++, po += so, pa += sa) o[po] = 1f / a[pa]; break;
            case LOG1P: for (int i = 0; i < n; i++, po += so, pa += sa) o[po] = (float) Math.log1p(a[pa]); break;
            case EXPM1: for (int i = 0; i < n; i++, po += so, pa += sa) o[po] = (float) Math.expm1(a[pa]); break;
            case ERF: for (int i = 0; i < n; i++, po += so, pa += sa) o[po] = (float) SpecialFunctions.erf(a[pa]); break;
            case POW_SCALAR:
                // PyTorch's special cases, computed as it computes them (in float).
                if (p1 == 2f) for (int i = 0; i < n; i++, po += so, pa += sa) { float x = a[pa]; o[po] = x * x; }
                else if (p1 == 3f) for (int i = 0; i < n; i++, po += so, pa += sa) { float x = a[pa]; o[po] = x * x * x; }
                else if (p1 == -2f) for (int i = 0; i < n; i++, po += so, pa += sa) { float x = a[pa]; o[po] = 1f / (x * x); }
                else if (p1 == 0.5f) for (int i = 0; i < n; i++, po += so, pa += sa) o[po] = (float) Math.sqrt(a[pa]);
                else if (p1 == -0.5f) for (int i = 0; i < n; i++, po += so, pa += sa) o[po] = 1f / (float) Math.sqrt(a[pa]);
                else if (p1 == -1f) for (int i = 0; i < n; i++, po += so, pa += sa) o[po] = 1f / a[pa];
                else for (int i = 0; i < n; i++, po += so, pa += sa) o[po] = (float) Math.pow(a[pa], p1);
                break;
            case CLAMP:
                for (int i = 0; i < n; i++, po += so, pa += sa) {
                    float x = a[pa];
                    if (p1 == p1 && x < p1) x = p1; // NaN bound = no bound; NaN input stays NaN
                    if (p2 == p2 && x > p2) x = p2;
                    o[po] = x;
                }
                break;
            default: throw new AssertionError(op);
        }
    }

    // ------------------------------------------------------------------ conversions

    /** {@code o[po + i] = x[px + i] ? 1 : 0}. */
    void boolToF32(boolean[] x, int px, float[] o, int po, int n) {
        for (int i = 0; i < n; i++) o[po + i] = x[px + i] ? 1f : 0f;
    }

    /** {@code o[po + i] = x[px + i] != 0}. */
    void f32ToBool(float[] x, int px, boolean[] o, int po, int n) {
        for (int i = 0; i < n; i++) o[po + i] = x[px + i] != 0f;
    }

    // ------------------------------------------------------------------ sums

    /** The sum of {@code a[p .. p + n)} accumulated in double. */
    double sumF32(float[] a, int p, int n) {
        double acc = 0;
        for (int i = 0; i < n; i++) acc += a[p + i];
        return acc;
    }

    double sumF64(double[] a, int p, int n) {
        double acc = 0;
        for (int i = 0; i < n; i++) acc += a[p + i];
        return acc;
    }

    /** The sum of the squares of {@code a[p .. p + n)}, each square and the sum in double (a float's square is exact there). */
    double sumSquaresF32(float[] a, int p, int n) {
        double acc = 0;
        for (int i = 0; i < n; i++) {
            double v = a[p + i];
            acc += v * v;
        }
        return acc;
    }

    double sumSquaresF64(double[] a, int p, int n) {
        double acc = 0;
        for (int i = 0; i < n; i++) acc += a[p + i] * a[p + i];
        return acc;
    }

    /**
     * Column sums of a row set: {@code o[po + j] = sum over r of x[p + rows[r] + j]} for {@code j <
     * cols}, each column accumulated in double in the order of {@code rows} (so every provider gives
     * the same bits). Several columns at a time so that every row is read along its length.
     */
    void columnSumF32(float[] x, int p, int[] rows, int cols, float[] o, int po) {
        int j = 0;
        for (; j + 4 <= cols; j += 4) {
            double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
            for (int row : rows) {
                int q = p + row + j;
                s0 += x[q]; s1 += x[q + 1]; s2 += x[q + 2]; s3 += x[q + 3];
            }
            o[po + j] = (float) s0; o[po + j + 1] = (float) s1; o[po + j + 2] = (float) s2; o[po + j + 3] = (float) s3;
        }
        for (; j < cols; j++) {
            double s = 0;
            for (int row : rows) s += x[p + row + j];
            o[po + j] = (float) s;
        }
    }

    void columnSumF64(double[] x, int p, int[] rows, int cols, double[] o, int po) {
        int j = 0;
        for (; j + 4 <= cols; j += 4) {
            double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
            for (int row : rows) {
                int q = p + row + j;
                s0 += x[q]; s1 += x[q + 1]; s2 += x[q + 2]; s3 += x[q + 3];
            }
            o[po + j] = s0; o[po + j + 1] = s1; o[po + j + 2] = s2; o[po + j + 3] = s3;
        }
        for (; j < cols; j++) {
            double s = 0;
            for (int row : rows) s += x[p + row + j];
            o[po + j] = s;
        }
    }
}
