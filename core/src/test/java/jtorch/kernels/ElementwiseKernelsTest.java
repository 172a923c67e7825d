package jtorch.kernels;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import jtorch.DType;
import jtorch.Props;
import jtorch.Tensor;
import jtorch.Torch;
import jtorch.internal.TensorInternals;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static jtorch.internal.TensorInternals.strided;

/**
 * The elementwise (addcmul and addcdiv included), comparison, copy and reduction kernels of every provider against plain scalar
 * references written here, on random shapes (size-0 and size-1 dims included) and random layouts:
 * contiguous, permuted, sliced with steps from an offset, and broadcast (stride-0) inputs, into
 * outputs that may themselves be permuted or stepped. Values mix ordinary numbers with repeats,
 * signed zeros, infinities and NaN.
 *
 * <p>Elementwise results must be the same bits as the reference (NaNs compared as NaN, whatever
 * their payload). Floating sums are checked within {@code (n + 1) * 2^-52 * sum|x|} of the sum in
 * double, plus one float ulp for a float32 result; max, min and their arg positions exactly
 * (NaN wins, the first extreme wins ties). An output's storage outside its view must be left alone.
 */
class ElementwiseKernelsTest {
    private static final BinaryOp[] ARITH = {BinaryOp.ADD, BinaryOp.SUB, BinaryOp.MUL, BinaryOp.DIV, BinaryOp.MAXIMUM,
            BinaryOp.MINIMUM, BinaryOp.POW};
    private static final BinaryOp[] COMPARE = {BinaryOp.EQ, BinaryOp.NE, BinaryOp.LT, BinaryOp.LE, BinaryOp.GT, BinaryOp.GE};
    private static final UnaryOp[] UNARY = {UnaryOp.NEG, UnaryOp.ABS, UnaryOp.SIGN, UnaryOp.SQRT, UnaryOp.RSQRT, UnaryOp.RELU,
            UnaryOp.RECIPROCAL, UnaryOp.CLAMP, UnaryOp.POW_SCALAR};
    /** Not exactly rounded, so checked within a few ulps (see {@link #transcendentalOpsAreWithinUlpsOfTheExactResult}). */
    private static final UnaryOp[] TRANSCENDENTAL = {UnaryOp.EXP, UnaryOp.LOG, UnaryOp.TANH, UnaryOp.SIGMOID};
    private static final double[] EXPONENTS = {2, 3, -2, 0.5, -0.5, -1, 1.7};
    private static final double[] ALPHAS = {1, 1, -1, 0.37, -2.5};
    /** Sentinel in an output's storage before the kernel runs. */
    private static final double SENTINEL = -12345.5;

    @AfterProperty
    void restoreThreads() { Torch.setNumThreads(Parallel.defaultNumThreads()); }

    /** Shapes of rank 0-4 with sizes 0-9 (0 rare), at most 400 elements. */
    @Provide
    Arbitrary<int[]> shapes() { return Props.shapes(0, 4, 0, 9, 400); }

    /** Longer dims for the reductions, so that their row and column runs span several vectors: sizes 0-40, at most 2000 elements. */
    @Provide
    Arbitrary<int[]> longShapes() { return Props.shapes(0, 4, 0, 40, 2000); }

    @Provide
    Arbitrary<Long> seeds() { return Arbitraries.longs(); }

    static List<KernelProvider> providers() {
        List<KernelProvider> r = new ArrayList<>();
        for (KernelProvider p : KernelProvider.values()) if (Kernels.isAvailable(p)) r.add(p);
        return r;
    }

    // ================================================================== layouts and values

    /** A random view of {@code shape}: permuted, stepped, offset, and (if {@code broadcast}) with stride-0 dims. */
    static Tensor view(Random rnd, DType dtype, int[] shape, boolean broadcast, boolean fillSentinel) {
        int n = shape.length;
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) perm[i] = i;
        if (rnd.nextInt(3) == 0)
            for (int i = n - 1; i > 0; i--) { int j = rnd.nextInt(i + 1), t = perm[i]; perm[i] = perm[j]; perm[j] = t; }
        boolean stepped = rnd.nextInt(4) == 0;
        int[] strides = new int[n];
        int acc = 1;
        // Innermost first in the permuted order.
        for (int q = n - 1; q >= 0; q--) {
            int d = perm[q];
            if (broadcast && rnd.nextInt(4) == 0) { strides[d] = 0; continue; }
            int step = stepped ? 1 + rnd.nextInt(3) : 1;
            strides[d] = acc * step;
            acc *= Math.max(1, shape[d]) * step;
        }
        int offset = rnd.nextInt(3) == 0 ? rnd.nextInt(4) : 0;
        int extent = 1;
        for (int d = 0; d < n; d++) extent += Math.max(0, shape[d] - 1) * strides[d];
        int size = offset + extent + (rnd.nextBoolean() ? rnd.nextInt(3) : 0);
        Object array;
        switch (dtype) {
            case FLOAT32: { float[] a = new float[size]; for (int i = 0; i < size; i++) a[i] = fillSentinel ? (float) SENTINEL : (float) value(rnd); array = a; break; }
            case FLOAT64: { double[] a = new double[size]; for (int i = 0; i < size; i++) a[i] = fillSentinel ? SENTINEL : value(rnd); array = a; break; }
            case INT64: { long[] a = new long[size]; Arrays.fill(a, fillSentinel ? -12345 : 0); array = a; break; }
            default: { boolean[] a = new boolean[size]; for (int i = 0; i < size; i++) a[i] = !fillSentinel && rnd.nextBoolean(); array = a; }
        }
        return TensorInternals.alias(TensorInternals.wrap(array, new int[] {size}), shape.clone(), strides, offset);
    }

    /** Mostly ordinary values, with repeats (for ties and equality), signed zeros, infinities and NaN. */
    static double value(Random rnd) {
        int kind = rnd.nextInt(20);
        switch (kind) {
            case 0: return Double.NaN;
            case 1: return rnd.nextBoolean() ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
            case 2: return rnd.nextBoolean() ? 0.0 : -0.0;
            case 3: case 4: case 5: return new double[] {-1, 1, 2, 0.5, -3}[rnd.nextInt(5)];
            default: return (rnd.nextDouble() * 6 - 3);
        }
    }

    /** Storage offsets of every element of {@code t} in row-major order, computed directly from its strides. */
    static int[] positions(Tensor t) {
        int[] s = TensorInternals.sizes(t), st = TensorInternals.strides(t);
        int total = (int) t.numel();
        int[] r = new int[total];
        int[] idx = new int[s.length];
        for (int e = 0; e < total; e++) {
            int p = TensorInternals.offset(t);
            for (int d = 0; d < s.length; d++) p += idx[d] * st[d];
            r[e] = p;
            for (int d = s.length - 1; d >= 0; d--) {
                if (++idx[d] < s[d]) break;
                idx[d] = 0;
            }
        }
        return r;
    }

    static double get(Tensor t, int p) {
        switch (t.dtype()) {
            case FLOAT32: return t.storage().f32()[p];
            case FLOAT64: return t.storage().f64()[p];
            case INT64: return t.storage().i64()[p];
            default: return t.storage().bool()[p] ? 1 : 0;
        }
    }

    /** The bits of a value as its dtype holds it, every NaN alike. */
    static long bits(DType dt, double v) {
        if (dt == DType.FLOAT32) return Float.floatToIntBits((float) v);
        return Double.doubleToLongBits(v);
    }

    /** Elements of {@code out} at {@code pos} must be {@code expected} bit for bit; the rest of its storage untouched. */
    static void assertSameBits(String what, Tensor out, int[] pos, double[] expected) {
        DType dt = out.dtype();
        for (int e = 0; e < pos.length; e++) {
            double got = get(out, pos[e]);
            if (bits(dt, got) != bits(dt, expected[e]))
                fail(what + ": element " + e + " is " + got + ", expected " + expected[e]);
        }
        boolean[] inView = new boolean[out.storage().size()];
        for (int p : pos) inView[p] = true;
        for (int p = 0; p < inView.length; p++)
            if (!inView[p] && bits(dt, get(out, p)) != bits(dt, dt == DType.BOOL ? 0 : dt == DType.INT64 ? -12345 : SENTINEL))
                fail(what + ": storage position " + p + " outside the output view was written");
    }

    // ================================================================== references

    static double refBinary(BinaryOp op, DType dt, double a, double b, double alpha) {
        if (dt == DType.FLOAT32) {
            float x = (float) a, y = (float) b, al = (float) alpha;
            switch (op) {
                case ADD: return al == 1f ? x + y : Math.fma(al, y, x);
                case SUB: return al == 1f ? x - y : Math.fma(-al, y, x);
                case MUL: return x * y;
                case DIV: return x / y;
                case POW: return (float) cPow(x, y);
                case MAXIMUM: return Math.max(x, y);
                case MINIMUM: return Math.min(x, y);
                default: return compare(op, x, y) ? 1 : 0;
            }
        }
        switch (op) {
            case ADD: return alpha == 1 ? a + b : Math.fma(alpha, b, a);
            case SUB: return alpha == 1 ? a - b : Math.fma(-alpha, b, a);
            case MUL: return a * b;
            case DIV: return a / b;
            case POW: return cPow(a, b);
            case MAXIMUM: return Math.max(a, b);
            case MINIMUM: return Math.min(a, b);
            default: return compare(op, a, b) ? 1 : 0;
        }
    }

    /** C's pow, which PyTorch computes: 1 ** y is 1 for every y, (-1) ** ±inf is 1 (Java's Math.pow gives NaN for both). */
    static double cPow(double x, double y) {
        if (x == 1 || (x == -1 && Double.isInfinite(y))) return 1;
        return Math.pow(x, y);
    }

    static boolean compare(BinaryOp op, double a, double b) {
        switch (op) {
            case EQ: return a == b;
            case NE: return a != b;
            case LT: return a < b;
            case LE: return a <= b;
            case GT: return a > b;
            default: return a >= b;
        }
    }

    static double refUnaryF32(UnaryOp op, float x, float p1, float p2) {
        switch (op) {
            case NEG: return -x;
            case ABS: return Math.abs(x);
            case SIGN: return x > 0 ? 1f : x < 0 ? -1f : 0f;
            case SQRT: return (float) Math.sqrt(x);
            case RSQRT: return 1f / (float) Math.sqrt(x);
            case RELU: return x < 0 ? 0f : x;
            case RECIPROCAL: return 1f / x;
            case EXP: return (float) Math.exp(x);
            case TANH: return (float) Math.tanh(x);
            case CLAMP: {
                if (p1 == p1 && x < p1) x = p1;
                if (p2 == p2 && x > p2) x = p2;
                return x;
            }
            default: // POW_SCALAR
                if (p1 == 2f) return x * x;
                if (p1 == 3f) return x * x * x;
                if (p1 == -2f) return 1f / (x * x);
                if (p1 == 0.5f) return (float) Math.sqrt(x);
                if (p1 == -0.5f) return 1f / (float) Math.sqrt(x);
                if (p1 == -1f) return 1f / x;
                return (float) Math.pow(x, p1);
        }
    }

    // ================================================================== elementwise properties

    @Property(seed = Props.SEED, tries = 150)
    void binaryOpsMatchTheScalarReference(@ForAll("shapes") int[] shape, @ForAll("seeds") long seed) {
        Random rnd = new Random(seed);
        DType dt = rnd.nextBoolean() ? DType.FLOAT32 : DType.FLOAT64;
        BinaryOp op = rnd.nextInt(3) == 0 ? COMPARE[rnd.nextInt(COMPARE.length)] : ARITH[rnd.nextInt(ARITH.length)];
        double alpha = op == BinaryOp.ADD || op == BinaryOp.SUB ? ALPHAS[rnd.nextInt(ALPHAS.length)] : 1;
        checkBinary(rnd, shape, dt, op, alpha);
    }

    static void checkBinary(Random rnd, int[] shape, DType dt, BinaryOp op, double alpha) {
        Tensor a = view(rnd, dt, shape, true, false), b = view(rnd, dt, shape, true, false);
        int[] pa = positions(a), pb = positions(b);
        double[] expected = new double[pa.length];
        for (int e = 0; e < pa.length; e++) expected[e] = refBinary(op, dt, get(a, pa[e]), get(b, pb[e]), alpha);
        DType outType = op.isComparison() ? DType.BOOL : dt;
        long outSeed = rnd.nextLong();
        for (KernelProvider p : providers()) {
            // The op path's driver writes a dense output (an in-place op into a strided tensor copies the result in).
            Tensor out = TensorInternals.allocate(outType, shape);
            for (int q = 0; q < out.storage().size() && !op.isComparison(); q++) set(out, q, SENTINEL);
            try (Kernels.Scope s = Kernels.use(p)) {
                runBinary(op, out, a, b, alpha);
            }
            assertSameBits(p + " " + dt + " " + op + " alpha " + alpha + " " + Arrays.toString(shape) + " a " + layout(a) + " b " + layout(b)
                    + " out " + layout(out), out, positions(out), expected);
        }
    }

    /** {@code out = op(a)} (a dense {@code out}) through the op table's kernel for {@code op} and {@link PointwiseLoop}. */
    static void runUnary(UnaryOp op, Tensor out, Tensor a, double p1, double p2) {
        UnaryKernel k;
        switch (op) {
            case NEG: k = PointwiseKernels.NEG; break;
            case ABS: k = PointwiseKernels.ABS; break;
            case SIGN: k = PointwiseKernels.SIGN; break;
            case RELU: k = PointwiseKernels.RELU; break;
            case EXP: k = PointwiseKernels.EXP; break;
            case LOG: k = PointwiseKernels.LOG; break;
            case TANH: k = PointwiseKernels.TANH; break;
            case SIGMOID: k = PointwiseKernels.SIGMOID; break;
            case SQRT: k = PointwiseKernels.SQRT; break;
            case RSQRT: k = PointwiseKernels.RSQRT; break;
            case RECIPROCAL: k = PointwiseKernels.RECIPROCAL; break;
            case SIN: k = PointwiseKernels.SIN; break;
            case COS: k = PointwiseKernels.COS; break;
            case LOG1P: k = PointwiseKernels.LOG1P; break;
            case EXPM1: k = PointwiseKernels.EXPM1; break;
            case ERF: k = PointwiseKernels.ERF; break;
            case CLAMP: k = PointwiseKernels.clamp(p1, p2); break;
            default: k = PointwiseKernels.powScalar(p1); break; // POW_SCALAR
        }
        PointwiseLoop.unary(k, out.storage().array(), TensorInternals.offset(out), a.storage().array(), TensorInternals.offset(a),
                TensorInternals.sizes(a), TensorInternals.strides(a));
    }

    /** {@code out = op(a, b)} through the op table's kernel for {@code op} and {@link PointwiseLoop}. */
    static void runBinary(BinaryOp op, Tensor out, Tensor a, Tensor b, double alpha) {
        Object o = out.storage().array(), x = a.storage().array(), y = b.storage().array();
        int oo = TensorInternals.offset(out), pa = TensorInternals.offset(a), pb = TensorInternals.offset(b);
        int[] sa = TensorInternals.strides(a), sb = TensorInternals.strides(b), sizes = TensorInternals.sizes(out);
        CompareKernel c = null;
        BinaryKernel k = null;
        switch (op) {
            case ADD: k = PointwiseKernels.add(alpha); break;
            case SUB: k = PointwiseKernels.sub(alpha); break;
            case MUL: k = PointwiseKernels.MUL; break;
            case DIV: k = PointwiseKernels.DIV; break;
            case POW: k = PointwiseKernels.POW; break;
            case MAXIMUM: k = PointwiseKernels.MAXIMUM; break;
            case MINIMUM: k = PointwiseKernels.MINIMUM; break;
            case EQ: c = PointwiseKernels.EQ; break;
            case NE: c = PointwiseKernels.NE; break;
            case LT: c = PointwiseKernels.LT; break;
            case LE: c = PointwiseKernels.LE; break;
            case GT: c = PointwiseKernels.GT; break;
            default: c = PointwiseKernels.GE; break;
        }
        if (c != null) PointwiseLoop.compare(c, (boolean[]) o, oo, x, pa, sa, y, pb, sb, sizes);
        else PointwiseLoop.binary(k, o, oo, x, pa, sa, y, pb, sb, sizes);
    }

    @Property(seed = Props.SEED, tries = 100)
    void addcmulAndAddcdivMatchTheScalarReference(@ForAll("shapes") int[] shape, @ForAll("seeds") long seed) {
        Random rnd = new Random(seed);
        checkTernary(rnd, shape, rnd.nextBoolean() ? DType.FLOAT32 : DType.FLOAT64, rnd.nextBoolean(), ALPHAS[rnd.nextInt(ALPHAS.length)]);
    }

    static void checkTernary(Random rnd, int[] shape, DType dt, boolean divide, double value) {
        // Mostly all-contiguous operands (the optimizers' case), else any layout.
        boolean dense = rnd.nextBoolean();
        Tensor x = dense ? contiguous(rnd, dt, shape) : view(rnd, dt, shape, true, false);
        Tensor y = dense ? contiguous(rnd, dt, shape) : view(rnd, dt, shape, true, false);
        Tensor z = dense ? contiguous(rnd, dt, shape) : view(rnd, dt, shape, true, false);
        int[] px = positions(x), py = positions(y), pz = positions(z);
        double[] expected = new double[px.length];
        for (int e = 0; e < px.length; e++) {
            double a = get(x, px[e]), b = get(y, py[e]), c = get(z, pz[e]);
            if (dt == DType.FLOAT32) {
                float v = (float) value, fa = (float) a, fb = (float) b, fc = (float) c;
                expected[e] = divide ? fa + v * fb / fc : Math.fma(v * fb, fc, fa);
            } else {
                expected[e] = divide ? a + value * b / c : Math.fma(value * b, c, a);
            }
        }
        long outSeed = rnd.nextLong();
        for (KernelProvider p : providers()) {
            Tensor out = dense ? contiguous(new Random(outSeed), dt, shape) : view(new Random(outSeed), dt, shape, false, true);
            if (dense) for (int q = 0; q < out.storage().size(); q++) set(out, q, SENTINEL);
            try (Kernels.Scope s = Kernels.use(p)) {
                Elementwise.ternary(divide, strided(out), strided(x), strided(y), strided(z), value);
            }
            assertSameBits(p + (divide ? " addcdiv " : " addcmul ") + dt + " value " + value + " " + Arrays.toString(shape), out,
                    positions(out), expected);
        }
    }

    /** A dense row-major tensor of random values. */
    static Tensor contiguous(Random rnd, DType dt, int[] shape) {
        Tensor t = TensorInternals.allocate(dt, shape);
        for (int q = 0; q < t.storage().size(); q++) set(t, q, value(rnd));
        return t;
    }

    static void set(Tensor t, int p, double v) {
        if (t.dtype() == DType.FLOAT32) t.storage().f32()[p] = (float) v;
        else t.storage().f64()[p] = v;
    }

    @Property(seed = Props.SEED, tries = 150)
    void unaryOpsMatchTheScalarReference(@ForAll("shapes") int[] shape, @ForAll("seeds") long seed) {
        Random rnd = new Random(seed);
        UnaryOp op = UNARY[rnd.nextInt(UNARY.length)];
        double p1 = 0, p2 = 0;
        if (op == UnaryOp.POW_SCALAR) p1 = EXPONENTS[rnd.nextInt(EXPONENTS.length)];
        if (op == UnaryOp.CLAMP) {
            double[] bounds = {Double.NaN, -1, -0.5, 0, 0.5, 1, 2};
            p1 = bounds[rnd.nextInt(bounds.length)];
            p2 = bounds[rnd.nextInt(bounds.length)];
        }
        checkUnary(rnd, shape, op, p1, p2);
    }

    static void checkUnary(Random rnd, int[] shape, UnaryOp op, double p1, double p2) {
        Tensor a = view(rnd, DType.FLOAT32, shape, false, false);
        int[] pa = positions(a);
        double[] expected = new double[pa.length];
        for (int e = 0; e < pa.length; e++) expected[e] = refUnaryF32(op, (float) get(a, pa[e]), (float) p1, (float) p2);
        long outSeed = rnd.nextLong();
        for (KernelProvider p : providers()) {
            Tensor out = TensorInternals.allocate(DType.FLOAT32, shape);
            for (int q = 0; q < out.storage().size(); q++) set(out, q, SENTINEL);
            try (Kernels.Scope s = Kernels.use(p)) {
                runUnary(op, out, a, p1, p2);
            }
            assertSameBits(p + " " + op + "(" + p1 + ", " + p2 + ") " + Arrays.toString(shape) + " a " + layout(a) + " out " + layout(out),
                    out, positions(out), expected);
        }
    }

    /**
     * exp, log, tanh and sigmoid on every provider, float32 and float64, against the exact result
     * (computed in double for float32; for float64, {@link StrictMath}, itself within 1 ulp):
     * within 2 ulps of the result's dtype (exp, log, tanh; the bound a vector form must also meet,
     * as PyTorch's Sleef ones do) and 3 for sigmoid, computed as
     * PyTorch computes it, {@code 1 / (1 + exp(-x))} in the dtype (three roundings). Where the
     * result is subnormal, an absolute error of the smallest normal is allowed (PyTorch's formula
     * gives 0 there too, once {@code exp(-x)} overflows). Infinities, signed zeros and NaN must
     * come out exactly as {@link Math} gives them. Inputs span the range where the results are
     * finite and beyond.
     */
    @Property(seed = Props.SEED, tries = 150)
    void transcendentalOpsAreWithinUlpsOfTheExactResult(@ForAll("shapes") int[] shape, @ForAll("seeds") long seed) {
        Random rnd = new Random(seed);
        UnaryOp op = TRANSCENDENTAL[rnd.nextInt(TRANSCENDENTAL.length)];
        DType dt = rnd.nextBoolean() ? DType.FLOAT32 : DType.FLOAT64;
        // Mostly dense (the vector loops), else any layout (the strided loops).
        Tensor a = rnd.nextInt(3) > 0 ? contiguous(rnd, dt, shape) : view(rnd, dt, shape, false, false);
        int[] pa = positions(a);
        for (int p : pa) set(a, p, wideValue(rnd, op));
        double[] exact = new double[pa.length];
        for (int e = 0; e < pa.length; e++) exact[e] = exactUnary(op, get(a, pa[e]));
        long outSeed = rnd.nextLong();
        for (KernelProvider p : providers()) {
            Tensor out = TensorInternals.allocate(dt, shape);
            try (Kernels.Scope s = Kernels.use(p)) {
                runUnary(op, out, a, 0, 0);
            }
            int[] po = positions(out);
            for (int e = 0; e < po.length; e++) {
                double x = get(a, pa[e]), got = get(out, po[e]), want = dt == DType.FLOAT32 ? (float) exact[e] : exact[e];
                String what = p + " " + op + " " + dt + " of " + x + " " + Arrays.toString(shape) + ": got " + got + ", expected " + want;
                if (Double.isNaN(want)) {
                    assertTrue(Double.isNaN(got), what);
                    continue;
                }
                if (Double.isInfinite(want) || (want == 0 && (op == UnaryOp.TANH || op == UnaryOp.LOG))) {
                    assertEquals(Double.doubleToLongBits(want), Double.doubleToLongBits(got), what); // tanh keeps -0
                    continue;
                }
                double ulp = dt == DType.FLOAT32 ? Math.ulp((float) want) : Math.ulp(want);
                double minNormal = dt == DType.FLOAT32 ? Float.MIN_NORMAL : Double.MIN_NORMAL;
                double tol = (op == UnaryOp.SIGMOID ? 3 : 2) * ulp;
                if (Math.abs(want) < minNormal) tol = Math.max(tol, minNormal);
                assertTrue(Math.abs(got - want) <= tol, what + " within " + tol);
            }
        }
    }

    /** Inputs for {@code op}: the usual mix (specials included), ordinary ones, and ones near where the result leaves the normals. */
    static double wideValue(Random rnd, UnaryOp op) {
        switch (rnd.nextInt(4)) {
            case 0: return value(rnd);
            case 1: return op == UnaryOp.LOG ? Math.exp(rnd.nextDouble() * 1400 - 700) : rnd.nextGaussian() * 4;
            case 2: return op == UnaryOp.LOG ? rnd.nextDouble() * 4 : rnd.nextDouble() * 220 - 110;
            default: return op == UnaryOp.LOG ? -rnd.nextDouble() : rnd.nextDouble() * 1500 - 750;
        }
    }

    /** The exact result (to double precision, from StrictMath). */
    static double exactUnary(UnaryOp op, double x) {
        switch (op) {
            case EXP: return StrictMath.exp(x);
            case LOG: return StrictMath.log(x);
            case TANH: return StrictMath.tanh(x);
            case SIGMOID: return x < 0 ? StrictMath.exp(x) / (1 + StrictMath.exp(x)) : 1 / (1 + StrictMath.exp(-x));
            default: throw new AssertionError(op);
        }
    }

    @Property(seed = Props.SEED, tries = 100)
    void copiesConvertAsCasts(@ForAll("shapes") int[] shape, @ForAll("seeds") long seed) {
        Random rnd = new Random(seed);
        DType[] types = {DType.FLOAT32, DType.FLOAT64, DType.BOOL};
        DType from = types[rnd.nextInt(3)], to = types[rnd.nextInt(3)];
        Tensor src = view(rnd, from, shape, true, false);
        int[] ps = positions(src);
        double[] expected = new double[ps.length];
        for (int e = 0; e < ps.length; e++) {
            double v = get(src, ps[e]);
            expected[e] = to == DType.BOOL ? (v != 0 ? 1 : 0) : to == DType.FLOAT32 ? (float) v : v;
        }
        long outSeed = rnd.nextLong();
        for (KernelProvider p : providers()) {
            Tensor dst = view(new Random(outSeed), to, shape, false, true);
            try (Kernels.Scope s = Kernels.use(p)) {
                Copy.copy(strided(dst), strided(src));
            }
            assertSameBits(p + " copy " + from + " -> " + to + " " + Arrays.toString(shape) + " src " + layout(src) + " dst " + layout(dst),
                    dst, positions(dst), expected);
        }
    }

    // ================================================================== reductions

    @Property(seed = Props.SEED, tries = 150)
    void reductionsMatchTheScalarReference(@ForAll("longShapes") int[] shape, @ForAll("seeds") long seed) {
        Random rnd = new Random(seed);
        DType dt = rnd.nextBoolean() ? DType.FLOAT32 : DType.FLOAT64;
        boolean[] mask = new boolean[shape.length];
        for (int d = 0; d < shape.length; d++) mask[d] = rnd.nextBoolean();
        // Sums see finite values only (an infinity or NaN makes the tolerance meaningless); max and min see everything.
        ReduceOp op = new ReduceOp[] {ReduceOp.SUM, ReduceOp.SUM, ReduceOp.MAX, ReduceOp.ARGMAX, ReduceOp.MIN, ReduceOp.ARGMIN}[rnd.nextInt(6)];
        checkReduction(rnd, shape, mask, dt, op);
    }

    static void checkReduction(Random rnd, int[] shape, boolean[] mask, DType dt, ReduceOp op) {
        Tensor in = view(rnd, dt, shape, true, false);
        if (op == ReduceOp.SUM) {
            // Finite values only: the tolerance below is relative to sum|x|.
            for (int p : positions(in)) {
                double v = rnd.nextDouble() * 6 - 3;
                if (dt == DType.FLOAT32) in.storage().f32()[p] = (float) v;
                else in.storage().f64()[p] = v;
            }
        }
        int kept = 0;
        for (boolean m : mask) if (!m) kept++;
        int[] outShape = new int[kept], redShape = new int[shape.length - kept];
        for (int d = 0, i = 0, j = 0; d < shape.length; d++) {
            if (mask[d]) redShape[j++] = shape[d];
            else outShape[i++] = shape[d];
        }
        int outputs = (int) Props.numel(outShape), count = (int) Props.numel(redShape);
        if (count == 0 && op != ReduceOp.SUM) return; // max of nothing is an error the op raises before the kernel
        // Reference: for every input element, its output index (kept dims) and position in the reduced region.
        int[] st = TensorInternals.strides(in);
        double[] sum = new double[outputs], abs = new double[outputs], best = new double[outputs];
        long[] arg = new long[outputs];
        int[] seen = new int[outputs];
        int[] idx = new int[shape.length];
        int total = (int) in.numel();
        boolean max = op == ReduceOp.MAX || op == ReduceOp.ARGMAX;
        for (int e = 0; e < total; e++) {
            int p = TensorInternals.offset(in), o = 0, r = 0;
            for (int d = 0; d < shape.length; d++) {
                p += idx[d] * st[d];
                if (mask[d]) r = r * shape[d] + idx[d];
                else o = o * shape[d] + idx[d];
            }
            double x = get(in, p);
            sum[o] += x;
            abs[o] += Math.abs(x);
            // NaN wins and stays; otherwise the first strict improvement.
            if (seen[o]++ == 0 || (best[o] == best[o] && (x != x || (max ? x > best[o] : x < best[o])))) {
                best[o] = x;
                arg[o] = r;
            }
            for (int d = shape.length - 1; d >= 0; d--) {
                if (++idx[d] < shape[d]) break;
                idx[d] = 0;
            }
        }
        // Positions are row-major over the reduced dims, so r above is also the reduced index when every element is visited in order.
        DType outType = op == ReduceOp.ARGMAX || op == ReduceOp.ARGMIN ? DType.INT64 : dt;
        for (KernelProvider p : providers()) {
            Tensor out = TensorInternals.allocate(outType, outShape);
            try (Kernels.Scope s = Kernels.use(p)) {
                Reduce.reduce(op, strided(in), mask, strided(out));
            }
            String what = p + " " + op + " " + dt + " " + Arrays.toString(shape) + " over " + Arrays.toString(mask) + " in " + layout(in);
            for (int o = 0; o < outputs; o++) {
                double got = get(out, o);
                switch (op) {
                    case SUM: {
                        double tol = (count + 1) * Math.ulp(1.0) * abs[o] + (dt == DType.FLOAT32 ? Math.ulp((float) sum[o]) : 0);
                        if (!(Math.abs(got - sum[o]) <= tol)) fail(what + ": output " + o + " is " + got + ", expected " + sum[o] + " within " + tol);
                        break;
                    }
                    case ARGMAX: case ARGMIN: assertEquals(arg[o], (long) got, what + ": output " + o); break;
                    default: assertEquals(bits(dt, best[o]), bits(dt, got), what + ": output " + o + " is " + got + ", expected " + best[o]);
                }
            }
        }
    }

    // ================================================================== large operands: the parallel split

    /** Operands above the parallel threshold, split across two threads at arbitrary points of their runs. */
    @Example
    void largeOperandsSplitAcrossThreads() {
        Torch.setNumThreads(2);
        Random rnd = new Random(20261126);
        int[][] shapes = {{70_001}, {64, 6, 28, 28}, {3, 257, 171}, {2, 1, 40_000}, {331, 397}};
        for (int[] shape : shapes) {
            checkBinary(rnd, shape, DType.FLOAT32, BinaryOp.ADD, 1);
            checkBinary(rnd, shape, DType.FLOAT32, BinaryOp.SUB, 0.37);
            checkBinary(rnd, shape, DType.FLOAT64, BinaryOp.MAXIMUM, 1);
            checkBinary(rnd, shape, DType.FLOAT32, BinaryOp.GT, 1);
            checkBinary(rnd, shape, DType.FLOAT32, BinaryOp.POW, 1);
            checkUnary(rnd, shape, UnaryOp.RELU, 0, 0);
            checkUnary(rnd, shape, UnaryOp.TANH, 0, 0);
            checkTernary(rnd, shape, DType.FLOAT32, true, 0.37);
            checkTernary(rnd, shape, DType.FLOAT32, false, -2.5);
            boolean[] mask = new boolean[shape.length];
            for (int d = 0; d < shape.length; d++) mask[d] = d != 1;
            checkReduction(rnd, shape, mask, DType.FLOAT32, ReduceOp.SUM);
            Arrays.fill(mask, true);
            checkReduction(rnd, shape, mask, DType.FLOAT32, ReduceOp.SUM);
            mask[shape.length - 1] = false;
            checkReduction(rnd, shape, mask, DType.FLOAT32, ReduceOp.SUM);
            checkReduction(rnd, shape, mask, DType.FLOAT64, ReduceOp.SUM);
        }
        // One contiguous sum longer than several blocks, and the same with one thread: the same bits.
        Tensor big = Torch.randn(1_000_003);
        float two = (float) big.sum().item();
        Torch.setNumThreads(1);
        assertEquals(Float.floatToIntBits(two), Float.floatToIntBits((float) big.sum().item()), "the sum does not depend on the threads");
    }

    /** The bias-add and mask idioms through the ops: (N,C,H,W) + (1,C,1,1), and y.gt(0).to(float). */
    @Example
    void opsOverTheRunKernels() {
        for (KernelProvider p : providers()) {
            try (Kernels.Scope s = Kernels.use(p)) {
                Tensor x = Torch.randn(4, 3, 5, 5), bias = Torch.randn(1, 3, 1, 1);
                Tensor y = x.add(bias);
                for (int c = 0; c < 3; c++)
                    assertTrue(y.select(1, c).equal(x.select(1, c).add(bias.reshape(3).select(0, c).item())), p + " bias add");
                Tensor mask = x.gt(0).to(DType.FLOAT32);
                assertTrue(mask.equal(x.sign().clamp(0.0, 1.0)), p + " mask");
                assertEquals(x.relu().sum().item(), x.mul(mask).sum().item(), 1e-5, p + " relu");
            }
        }
    }

    private static String layout(Tensor t) {
        return "sizes " + Arrays.toString(TensorInternals.sizes(t)) + " strides " + Arrays.toString(TensorInternals.strides(t)) + " offset "
                + TensorInternals.offset(t);
    }
}
