package jtorch.kernels;

import jtorch.DType;

/**
 * Loops of the parametrised unary ops (neg, abs, clamp, pow with a scalar, ...) and of addcmul /
 * addcdiv over strided storage; the binary ops and comparisons are driven by {@link PointwiseLoop}
 * instead. Operands arrive already broadcast (expanded
 * views) and converted to the compute dtype; the output is allocated by the caller.
 *
 * <p>Contiguous operands are one run, handed straight to the provider's run kernels
 * ({@link ElementKernels}: Vector API or plain Java) with no allocation. Other layouts are
 * coalesced into runs by {@link ElementLoop}; a run whose output is unit-stride and whose inputs
 * are unit-stride or broadcast (stride 0, e.g. a bias along a plane) takes the same run kernels,
 * others a plain strided loop. Above {@link #GRAIN} elements per thread the element range is
 * split across {@link Parallel}; every element is computed by the same formula wherever the
 * split falls, so the results do not depend on the thread count.
 */
public final class Elementwise {
    private Elementwise() {}

    /**
     * Elements per parallel chunk of a cheap op (add, relu, compare): below two chunks' worth an op
     * runs on the caller, where it takes a few microseconds, about what waking the pool costs.
     */
    static final int GRAIN = 32768;
    /** Elements per parallel chunk of a transcendental op (exp, tanh, pow, ...), some ten times dearer per element. */
    static final int GRAIN_TRANSCENDENTAL = 4096;

    /** Whether {@code n} elements at {@code grain} per chunk are worth the pool. */
    static boolean parallel(int n, int grain) { return n >= 2 * grain && Parallel.numThreads() > 1; }

    /** Runs {@code seg} over all of {@code l}'s elements, across the pool when there are enough. */
    static void run(ElementLoop l, int grain, ElementLoop.Segment seg) {
        if (parallel(l.numel, grain)) Parallel.parallelFor(0, l.numel, grain, (lo, hi) -> l.walk(lo, hi, seg));
        else l.walk(0, l.numel, seg);
    }

    /** Whether both operands are dense and row-major (they share sizes), so one run covers them. */
    static boolean contiguous(StridedArray a, StridedArray b) { return a.isContiguous() && b.isContiguous(); }

    /** Integer power by squaring (wrapping as C++ does); a negative exponent gives PyTorch's 1, -1 or 0. */
    public static long powInt(long base, long exp) {
        if (exp < 0) return base == 1 ? 1 : base == -1 ? ((exp & 1) != 0 ? -1 : 1) : 0; // PyTorch's integer result
        long r = 1;
        while (exp > 0) {
            if ((exp & 1) != 0) r *= base;
            base *= base;
            exp >>= 1;
        }
        return r;
    }

    /**
     * {@code out = self + value * t1 * t2} (ADDCMUL, the product with self rounded once as PyTorch's
     * AVX2 kernel does) or {@code out = self + value * t1 / t2} (ADDCDIV); operands expanded to
     * {@code out}'s sizes and of its floating dtype. {@code out} may be {@code self}.
     */
    public static void ternary(boolean divide, StridedArray out, StridedArray self, StridedArray t1, StridedArray t2, double value) {
        if (out.numel() == 0) return;
        ElementLoop l = ElementLoop.of(out, self, t1, t2);
        int so = l.innerStride[0], ss = l.innerStride[1], s1 = l.innerStride[2], s2 = l.innerStride[3];
        if (out.dtype() == DType.FLOAT32) {
            float[] o = out.storage().f32(), x = self.storage().f32(), y = t1.storage().f32(), z = t2.storage().f32();
            float v = (float) value;
            ElementKernels k = ElementKernels.get();
            boolean unit = l.unitStride();
            run(l, GRAIN, (off, n) -> {
                int po = off[0], px = off[1], py = off[2], pz = off[3];
                if (unit) k.ternaryF32(divide, o, po, x, px, y, py, z, pz, n, v);
                else if (divide) for (int i = 0; i < n; i++) o[po + i * so] = x[px + i * ss] + v * y[py + i * s1] / z[pz + i * s2];
                else for (int i = 0; i < n; i++) o[po + i * so] = Math.fma(v * y[py + i * s1], z[pz + i * s2], x[px + i * ss]);
            });
        } else if (out.dtype() == DType.FLOAT64) {
            double[] o = out.storage().f64(), x = self.storage().f64(), y = t1.storage().f64(), z = t2.storage().f64();
            run(l, GRAIN, (off, n) -> {
                int po = off[0], px = off[1], py = off[2], pz = off[3];
                if (divide) for (int i = 0; i < n; i++) o[po + i * so] = x[px + i * ss] + value * y[py + i * s1] / z[pz + i * s2];
                else for (int i = 0; i < n; i++) o[po + i * so] = Math.fma(value * y[py + i * s1], z[pz + i * s2], x[px + i * ss]);
            });
        } else {
            throw new IllegalArgumentException((divide ? "addcdiv" : "addcmul") + " is implemented for floating point tensors only, got "
                    + out.dtype());
        }
    }

    /** Whether {@code op} costs about as much as an add (so it takes the larger parallel grain). */
    private static boolean cheap(UnaryOp op, double p1) {
        return ElementKernels.vectorUnary(op, p1) || op == UnaryOp.SIGN;
    }

    /** {@code out = op(a)} with scalar parameters {@code p1}, {@code p2} (see {@link UnaryOp}). */
    public static void unary(UnaryOp op, StridedArray out, StridedArray a, double p1, double p2) {
        int n = (int) out.numel();
        if (n == 0) return;
        int grain = cheap(op, p1) ? GRAIN : GRAIN_TRANSCENDENTAL;
        switch (a.dtype()) {
            case FLOAT32: unaryF32(op, out, a, (float) p1, (float) p2, n, grain); return;
            case FLOAT64: {
                double[] o = out.storage().f64(), x = a.storage().f64();
                ElementLoop l = ElementLoop.of(out, a);
                int so = l.innerStride[0], sa = l.innerStride[1];
                if (ElementKernels.transcendental(op)) {
                    ElementKernels k = ElementKernels.get();
                    run(l, grain, (off, len) -> {
                        if (so == 1 && sa == 1) k.transcendentalF64(op, o, off[0], x, off[1], len);
                        else unaryF64(op, o, off[0], so, x, off[1], sa, len, p1, p2);
                    });
                    return;
                }
                run(l, grain, (off, len) -> unaryF64(op, o, off[0], so, x, off[1], sa, len, p1, p2));
                return;
            }
            case INT64: unaryI64(op, out.storage().i64(), a.storage().i64(), p1, p2, ElementLoop.of(out, a), grain); return;
            default: throw new IllegalArgumentException(op + " is not implemented for bool kernels");
        }
    }

    private static void unaryF32(UnaryOp op, StridedArray out, StridedArray a, float p1, float p2, int n, int grain) {
        ElementKernels k = ElementKernels.get();
        float[] o = out.storage().f32(), x = a.storage().f32();
        int po = out.storageOffsetInternal(), pa = a.storageOffsetInternal();
        boolean runOp = ElementKernels.vectorUnary(op, p1), transcendental = ElementKernels.transcendental(op);
        if (transcendental && contiguous(out, a)) {
            if (parallel(n, grain)) Parallel.parallelFor(0, n, grain, (lo, hi) -> k.transcendentalF32(op, o, po + lo, x, pa + lo, hi - lo));
            else k.transcendentalF32(op, o, po, x, pa, n);
            return;
        }
        if (runOp && contiguous(out, a)) {
            if (parallel(n, grain)) Parallel.parallelFor(0, n, grain, (lo, hi) -> k.unaryF32(op, o, po + lo, x, pa + lo, hi - lo, p1, p2));
            else k.unaryF32(op, o, po, x, pa, n, p1, p2);
            return;
        }
        ElementLoop l = ElementLoop.of(out, a);
        int so = l.innerStride[0], sa = l.innerStride[1];
        boolean fast = runOp && so == 1 && sa == 1, fastTranscendental = transcendental && so == 1 && sa == 1;
        run(l, grain, (off, len) -> {
            if (fast) k.unaryF32(op, o, off[0], x, off[1], len, p1, p2);
            else if (fastTranscendental) k.transcendentalF32(op, o, off[0], x, off[1], len);
            else ElementKernels.stridedUnaryF32(op, o, off[0], so, x, off[1], sa, len, p1, p2);
        });
    }

    static void unaryF64(UnaryOp op, double[] o, int po, int so, double[] a, int pa, int sa, int n, double p1, double p2) {
        switch (op) {
            case NEG: for (int i = 0; i < n; i++) o[po + i * so] = -a[pa + i * sa]; break;
            case ABS: for (int i = 0; i < n; i++) o[po + i * so] = Math.abs(a[pa + i * sa]); break;
            case SIGN: for (int i = 0; i < n; i++) { double x = a[pa + i * sa]; o[po + i * so] = x > 0 ? 1.0 : x < 0 ? -1.0 : 0.0; } break;
            case EXP: for (int i = 0; i < n; i++) o[po + i * so] = Transcendentals.exp(a[pa + i * sa]); break;
            case LOG: for (int i = 0; i < n; i++) o[po + i * so] = Transcendentals.log(a[pa + i * sa]); break;
            case SQRT: for (int i = 0; i < n; i++) o[po + i * so] = Math.sqrt(a[pa + i * sa]); break;
            case RSQRT: for (int i = 0; i < n; i++) o[po + i * so] = 1.0 / Math.sqrt(a[pa + i * sa]); break;
            case SIN: for (int i = 0; i < n; i++) o[po + i * so] = Math.sin(a[pa + i * sa]); break;
            case COS: for (int i = 0; i < n; i++) o[po + i * so] = Math.cos(a[pa + i * sa]); break;
            case TANH: for (int i = 0; i < n; i++) o[po + i * so] = Transcendentals.tanh(a[pa + i * sa]); break;
            case SIGMOID: for (int i = 0; i < n; i++) o[po + i * so] = Transcendentals.sigmoid(a[pa + i * sa]); break;
            case RELU: for (int i = 0; i < n; i++) { double x = a[pa + i * sa]; o[po + i * so] = x == 0 ? x : Math.max(x, 0.0); } break; // as x < 0 ? 0 : x
            case RECIPROCAL: for (int i = 0; i < n; i++) o[po + i * so] = 1.0 / a[pa + i * sa]; break;
            case LOG1P: for (int i = 0; i < n; i++) o[po + i * so] = Math.log1p(a[pa + i * sa]); break;
            case EXPM1: for (int i = 0; i < n; i++) o[po + i * so] = Math.expm1(a[pa + i * sa]); break;
            case ERF: for (int i = 0; i < n; i++) o[po + i * so] = SpecialFunctions.erf(a[pa + i * sa]); break;
            case POW_SCALAR:
                if (p1 == 2) for (int i = 0; i < n; i++) { double x = a[pa + i * sa]; o[po + i * so] = x * x; }
                else if (p1 == 3) for (int i = 0; i < n; i++) { double x = a[pa + i * sa]; o[po + i * so] = x * x * x; }
                else if (p1 == -2) for (int i = 0; i < n; i++) { double x = a[pa + i * sa]; o[po + i * so] = 1.0 / (x * x); }
                else if (p1 == 0.5) for (int i = 0; i < n; i++) o[po + i * so] = Math.sqrt(a[pa + i * sa]);
                else if (p1 == -0.5) for (int i = 0; i < n; i++) o[po + i * so] = 1.0 / Math.sqrt(a[pa + i * sa]);
                else if (p1 == -1) for (int i = 0; i < n; i++) o[po + i * so] = 1.0 / a[pa + i * sa];
                else for (int i = 0; i < n; i++) o[po + i * so] = Math.pow(a[pa + i * sa], p1);
                break;
            case CLAMP:
                for (int i = 0; i < n; i++) {
                    double x = a[pa + i * sa];
                    if (p1 == p1 && x < p1) x = p1;
                    if (p2 == p2 && x > p2) x = p2;
                    o[po + i * so] = x;
                }
                break;
            default: throw new AssertionError(op);
        }
    }

    private static void unaryI64(UnaryOp op, long[] o, long[] a, double p1, double p2, ElementLoop l, int grain) {
        int so = l.innerStride[0], sa = l.innerStride[1];
        long lo = p1 == p1 ? (long) Math.ceil(p1) : Long.MIN_VALUE, hi = p2 == p2 ? (long) Math.floor(p2) : Long.MAX_VALUE;
        long e = (long) p1;
        run(l, grain, (off, n) -> {
            int po = off[0], pa = off[1];
            switch (op) {
                case NEG: for (int i = 0; i < n; i++) o[po + i * so] = -a[pa + i * sa]; break;
                case ABS: for (int i = 0; i < n; i++) o[po + i * so] = Math.abs(a[pa + i * sa]); break;
                case SIGN: for (int i = 0; i < n; i++) o[po + i * so] = Long.signum(a[pa + i * sa]); break;
                case RELU: for (int i = 0; i < n; i++) o[po + i * so] = Math.max(a[pa + i * sa], 0L); break;
                case POW_SCALAR: for (int i = 0; i < n; i++) o[po + i * so] = powInt(a[pa + i * sa], e); break;
                case CLAMP: for (int i = 0; i < n; i++) o[po + i * so] = Math.min(Math.max(a[pa + i * sa], lo), hi); break;
                default: throw new AssertionError(op + " on int64");
            }
        });
    }
}
