package jtorch.kernels;

import jtorch.DType;

/**
 * What the pointwise drivers share (the parallel grains and the split of an {@link ElementLoop}
 * across {@link Parallel}), the loop of addcmul / addcdiv over strided storage, and the float64
 * unary loops and integer power the {@link PointwiseKernels} use. Above {@link #GRAIN} elements per
 * thread the element range is split across the pool; every element is computed by the same
 * formula wherever the split falls, so the results do not depend on the thread count.
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

    /** The float64 loop of the unary ops over one strided run (the {@link PointwiseKernels} float64 kernels, at strides 1). */
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

}
