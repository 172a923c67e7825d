package jtorch.kernels;

import jtorch.DType;
import jtorch.Tensor;

/**
 * Loops of the elementwise ops over strided storage. Operands arrive already broadcast (expanded
 * views) and converted to the compute dtype; the output is allocated by the caller. One switch per
 * run picks the loop, so the per-element work is a plain array expression.
 */
public final class Elementwise {
    private Elementwise() {}

    /** {@code out = op(a, b)}; for ADD/SUB {@code alpha} scales {@code b}. */
    public static void binary(BinaryOp op, Tensor out, Tensor a, Tensor b, double alpha) {
        StridedLoop l = StridedLoop.of(out, a, b);
        DType t = a.dtype();
        if (op.isComparison()) {
            boolean[] o = out.storage().bool();
            switch (t) {
                case FLOAT32: compareF32(op, o, a.storage().f32(), b.storage().f32(), l); return;
                case FLOAT64: compareF64(op, o, a.storage().f64(), b.storage().f64(), l); return;
                case INT64: compareI64(op, o, a.storage().i64(), b.storage().i64(), l); return;
                default: compareBool(op, o, a.storage().bool(), b.storage().bool(), l); return;
            }
        }
        switch (t) {
            case FLOAT32: binaryF32(op, out.storage().f32(), a.storage().f32(), b.storage().f32(), (float) alpha, l); return;
            case FLOAT64: binaryF64(op, out.storage().f64(), a.storage().f64(), b.storage().f64(), alpha, l); return;
            case INT64: binaryI64(op, out.storage().i64(), a.storage().i64(), b.storage().i64(), (long) alpha, l); return;
            default: throw new IllegalArgumentException(op + " is not implemented for bool kernels");
        }
    }

    /** The common case: one unit-stride run (contiguous operands of equal shape), no index arithmetic. */
    private static void contiguousF32(BinaryOp op, float[] o, int po, float[] a, int pa, float[] b, int pb, int n) {
        switch (op) {
            case ADD: for (int i = 0; i < n; i++) o[po + i] = a[pa + i] + b[pb + i]; break;
            case SUB: for (int i = 0; i < n; i++) o[po + i] = a[pa + i] - b[pb + i]; break;
            case MUL: for (int i = 0; i < n; i++) o[po + i] = a[pa + i] * b[pb + i]; break;
            default: for (int i = 0; i < n; i++) o[po + i] = a[pa + i] / b[pb + i]; break;
        }
    }

    private static void binaryF32(BinaryOp op, float[] o, float[] a, float[] b, float alpha, StridedLoop l) {
        if (l.unitStride && l.runs == 1 && alpha == 1f && op.ordinal() <= BinaryOp.DIV.ordinal()) {
            contiguousF32(op, o, l.off[0], a, l.off[1], b, l.off[2], l.inner);
            return;
        }
        int n = l.inner, so = l.innerStride[0], sa = l.innerStride[1], sb = l.innerStride[2];
        int[] off = l.off;
        for (long r = 0; r < l.runs; r++, l.next()) {
            int po = off[0], pa = off[1], pb = off[2];
            switch (op) {
                case ADD:
                    if (alpha == 1f) for (int i = 0; i < n; i++) o[po + i * so] = a[pa + i * sa] + b[pb + i * sb];
                    // a + alpha * b rounded once, as PyTorch's AVX2 kernels compute it (vec::fmadd).
                    else for (int i = 0; i < n; i++) o[po + i * so] = Math.fma(alpha, b[pb + i * sb], a[pa + i * sa]);
                    break;
                case SUB:
                    if (alpha == 1f) for (int i = 0; i < n; i++) o[po + i * so] = a[pa + i * sa] - b[pb + i * sb];
                    else for (int i = 0; i < n; i++) o[po + i * so] = Math.fma(-alpha, b[pb + i * sb], a[pa + i * sa]);
                    break;
                case MUL: for (int i = 0; i < n; i++) o[po + i * so] = a[pa + i * sa] * b[pb + i * sb]; break;
                case DIV: for (int i = 0; i < n; i++) o[po + i * so] = a[pa + i * sa] / b[pb + i * sb]; break;
                case POW: for (int i = 0; i < n; i++) o[po + i * so] = (float) Math.pow(a[pa + i * sa], b[pb + i * sb]); break;
                case MAXIMUM: for (int i = 0; i < n; i++) o[po + i * so] = Math.max(a[pa + i * sa], b[pb + i * sb]); break;
                case MINIMUM: for (int i = 0; i < n; i++) o[po + i * so] = Math.min(a[pa + i * sa], b[pb + i * sb]); break;
                default: throw new AssertionError(op);
            }
        }
    }

    /** The common case: one unit-stride run (contiguous operands of equal shape), no index arithmetic. */
    private static void contiguousF64(BinaryOp op, double[] o, int po, double[] a, int pa, double[] b, int pb, int n) {
        switch (op) {
            case ADD: for (int i = 0; i < n; i++) o[po + i] = a[pa + i] + b[pb + i]; break;
            case SUB: for (int i = 0; i < n; i++) o[po + i] = a[pa + i] - b[pb + i]; break;
            case MUL: for (int i = 0; i < n; i++) o[po + i] = a[pa + i] * b[pb + i]; break;
            default: for (int i = 0; i < n; i++) o[po + i] = a[pa + i] / b[pb + i]; break;
        }
    }

    private static void binaryF64(BinaryOp op, double[] o, double[] a, double[] b, double alpha, StridedLoop l) {
        if (l.unitStride && l.runs == 1 && alpha == 1 && op.ordinal() <= BinaryOp.DIV.ordinal()) {
            contiguousF64(op, o, l.off[0], a, l.off[1], b, l.off[2], l.inner);
            return;
        }
        int n = l.inner, so = l.innerStride[0], sa = l.innerStride[1], sb = l.innerStride[2];
        int[] off = l.off;
        for (long r = 0; r < l.runs; r++, l.next()) {
            int po = off[0], pa = off[1], pb = off[2];
            switch (op) {
                case ADD:
                    if (alpha == 1) for (int i = 0; i < n; i++) o[po + i * so] = a[pa + i * sa] + b[pb + i * sb];
                    // a + alpha * b rounded once, as PyTorch's AVX2 kernels compute it (vec::fmadd).
                    else for (int i = 0; i < n; i++) o[po + i * so] = Math.fma(alpha, b[pb + i * sb], a[pa + i * sa]);
                    break;
                case SUB:
                    if (alpha == 1) for (int i = 0; i < n; i++) o[po + i * so] = a[pa + i * sa] - b[pb + i * sb];
                    else for (int i = 0; i < n; i++) o[po + i * so] = Math.fma(-alpha, b[pb + i * sb], a[pa + i * sa]);
                    break;
                case MUL: for (int i = 0; i < n; i++) o[po + i * so] = a[pa + i * sa] * b[pb + i * sb]; break;
                case DIV: for (int i = 0; i < n; i++) o[po + i * so] = a[pa + i * sa] / b[pb + i * sb]; break;
                case POW: for (int i = 0; i < n; i++) o[po + i * so] = Math.pow(a[pa + i * sa], b[pb + i * sb]); break;
                case MAXIMUM: for (int i = 0; i < n; i++) o[po + i * so] = Math.max(a[pa + i * sa], b[pb + i * sb]); break;
                case MINIMUM: for (int i = 0; i < n; i++) o[po + i * so] = Math.min(a[pa + i * sa], b[pb + i * sb]); break;
                default: throw new AssertionError(op);
            }
        }
    }

    private static void binaryI64(BinaryOp op, long[] o, long[] a, long[] b, long alpha, StridedLoop l) {
        int n = l.inner, so = l.innerStride[0], sa = l.innerStride[1], sb = l.innerStride[2];
        int[] off = l.off;
        for (long r = 0; r < l.runs; r++, l.next()) {
            int po = off[0], pa = off[1], pb = off[2];
            switch (op) {
                case ADD: for (int i = 0; i < n; i++) o[po + i * so] = a[pa + i * sa] + alpha * b[pb + i * sb]; break;
                case SUB: for (int i = 0; i < n; i++) o[po + i * so] = a[pa + i * sa] - alpha * b[pb + i * sb]; break;
                case MUL: for (int i = 0; i < n; i++) o[po + i * so] = a[pa + i * sa] * b[pb + i * sb]; break;
                case POW: for (int i = 0; i < n; i++) o[po + i * so] = powInt(a[pa + i * sa], b[pb + i * sb]); break;
                case MAXIMUM: for (int i = 0; i < n; i++) o[po + i * so] = Math.max(a[pa + i * sa], b[pb + i * sb]); break;
                case MINIMUM: for (int i = 0; i < n; i++) o[po + i * so] = Math.min(a[pa + i * sa], b[pb + i * sb]); break;
                default: throw new AssertionError(op + " on int64");
            }
        }
    }

    /** Integer power by squaring; negative exponents are rejected by the op before the kernel runs. */
    public static long powInt(long base, long exp) {
        if (exp < 0) throw new ArithmeticException("Integers to negative integer powers are not allowed.");
        long r = 1;
        while (exp > 0) {
            if ((exp & 1) != 0) r *= base;
            base *= base;
            exp >>= 1;
        }
        return r;
    }

    private static void compareF32(BinaryOp op, boolean[] o, float[] a, float[] b, StridedLoop l) {
        int n = l.inner, so = l.innerStride[0], sa = l.innerStride[1], sb = l.innerStride[2];
        int[] off = l.off;
        for (long r = 0; r < l.runs; r++, l.next()) {
            int po = off[0], pa = off[1], pb = off[2];
            switch (op) {
                case EQ: for (int i = 0; i < n; i++) o[po + i * so] = a[pa + i * sa] == b[pb + i * sb]; break;
                case NE: for (int i = 0; i < n; i++) o[po + i * so] = a[pa + i * sa] != b[pb + i * sb]; break;
                case LT: for (int i = 0; i < n; i++) o[po + i * so] = a[pa + i * sa] < b[pb + i * sb]; break;
                case LE: for (int i = 0; i < n; i++) o[po + i * so] = a[pa + i * sa] <= b[pb + i * sb]; break;
                case GT: for (int i = 0; i < n; i++) o[po + i * so] = a[pa + i * sa] > b[pb + i * sb]; break;
                case GE: for (int i = 0; i < n; i++) o[po + i * so] = a[pa + i * sa] >= b[pb + i * sb]; break;
                default: throw new AssertionError(op);
            }
        }
    }

    private static void compareF64(BinaryOp op, boolean[] o, double[] a, double[] b, StridedLoop l) {
        int n = l.inner, so = l.innerStride[0], sa = l.innerStride[1], sb = l.innerStride[2];
        int[] off = l.off;
        for (long r = 0; r < l.runs; r++, l.next()) {
            int po = off[0], pa = off[1], pb = off[2];
            switch (op) {
                case EQ: for (int i = 0; i < n; i++) o[po + i * so] = a[pa + i * sa] == b[pb + i * sb]; break;
                case NE: for (int i = 0; i < n; i++) o[po + i * so] = a[pa + i * sa] != b[pb + i * sb]; break;
                case LT: for (int i = 0; i < n; i++) o[po + i * so] = a[pa + i * sa] < b[pb + i * sb]; break;
                case LE: for (int i = 0; i < n; i++) o[po + i * so] = a[pa + i * sa] <= b[pb + i * sb]; break;
                case GT: for (int i = 0; i < n; i++) o[po + i * so] = a[pa + i * sa] > b[pb + i * sb]; break;
                case GE: for (int i = 0; i < n; i++) o[po + i * so] = a[pa + i * sa] >= b[pb + i * sb]; break;
                default: throw new AssertionError(op);
            }
        }
    }

    private static void compareI64(BinaryOp op, boolean[] o, long[] a, long[] b, StridedLoop l) {
        int n = l.inner, so = l.innerStride[0], sa = l.innerStride[1], sb = l.innerStride[2];
        int[] off = l.off;
        for (long r = 0; r < l.runs; r++, l.next()) {
            int po = off[0], pa = off[1], pb = off[2];
            switch (op) {
                case EQ: for (int i = 0; i < n; i++) o[po + i * so] = a[pa + i * sa] == b[pb + i * sb]; break;
                case NE: for (int i = 0; i < n; i++) o[po + i * so] = a[pa + i * sa] != b[pb + i * sb]; break;
                case LT: for (int i = 0; i < n; i++) o[po + i * so] = a[pa + i * sa] < b[pb + i * sb]; break;
                case LE: for (int i = 0; i < n; i++) o[po + i * so] = a[pa + i * sa] <= b[pb + i * sb]; break;
                case GT: for (int i = 0; i < n; i++) o[po + i * so] = a[pa + i * sa] > b[pb + i * sb]; break;
                case GE: for (int i = 0; i < n; i++) o[po + i * so] = a[pa + i * sa] >= b[pb + i * sb]; break;
                default: throw new AssertionError(op);
            }
        }
    }

    private static void compareBool(BinaryOp op, boolean[] o, boolean[] a, boolean[] b, StridedLoop l) {
        int n = l.inner, so = l.innerStride[0], sa = l.innerStride[1], sb = l.innerStride[2];
        int[] off = l.off;
        for (long r = 0; r < l.runs; r++, l.next()) {
            int po = off[0], pa = off[1], pb = off[2];
            for (int i = 0; i < n; i++) {
                int x = a[pa + i * sa] ? 1 : 0, y = b[pb + i * sb] ? 1 : 0;
                boolean v;
                switch (op) {
                    case EQ: v = x == y; break;
                    case NE: v = x != y; break;
                    case LT: v = x < y; break;
                    case LE: v = x <= y; break;
                    case GT: v = x > y; break;
                    default: v = x >= y; break;
                }
                o[po + i * so] = v;
            }
        }
    }

    /**
     * {@code out = self + value * t1 * t2} (ADDCMUL, the product with self rounded once as PyTorch's
     * AVX2 kernel does) or {@code out = self + value * t1 / t2} (ADDCDIV); operands expanded to
     * {@code out}'s sizes and of its floating dtype. {@code out} may be {@code self}.
     */
    public static void ternary(boolean divide, Tensor out, Tensor self, Tensor t1, Tensor t2, double value) {
        StridedLoop l = StridedLoop.of(out, self, t1, t2);
        int n = l.inner, so = l.innerStride[0], ss = l.innerStride[1], s1 = l.innerStride[2], s2 = l.innerStride[3];
        int[] off = l.off;
        if (out.dtype() == DType.FLOAT32) {
            float[] o = out.storage().f32(), x = self.storage().f32(), y = t1.storage().f32(), z = t2.storage().f32();
            float v = (float) value;
            for (long r = 0; r < l.runs; r++, l.next()) {
                int po = off[0], px = off[1], py = off[2], pz = off[3];
                if (divide) for (int i = 0; i < n; i++) o[po + i * so] = x[px + i * ss] + v * y[py + i * s1] / z[pz + i * s2];
                else for (int i = 0; i < n; i++) o[po + i * so] = Math.fma(v * y[py + i * s1], z[pz + i * s2], x[px + i * ss]);
            }
        } else if (out.dtype() == DType.FLOAT64) {
            double[] o = out.storage().f64(), x = self.storage().f64(), y = t1.storage().f64(), z = t2.storage().f64();
            for (long r = 0; r < l.runs; r++, l.next()) {
                int po = off[0], px = off[1], py = off[2], pz = off[3];
                if (divide) for (int i = 0; i < n; i++) o[po + i * so] = x[px + i * ss] + value * y[py + i * s1] / z[pz + i * s2];
                else for (int i = 0; i < n; i++) o[po + i * so] = Math.fma(value * y[py + i * s1], z[pz + i * s2], x[px + i * ss]);
            }
        } else {
            throw new IllegalArgumentException((divide ? "addcdiv" : "addcmul") + " is implemented for floating point tensors only, got "
                    + out.dtype());
        }
    }

    /** {@code out = op(a)} with scalar parameters {@code p1}, {@code p2} (see {@link UnaryOp}). */
    public static void unary(UnaryOp op, Tensor out, Tensor a, double p1, double p2) {
        StridedLoop l = StridedLoop.of(out, a);
        switch (a.dtype()) {
            case FLOAT32: unaryF32(op, out.storage().f32(), a.storage().f32(), (float) p1, (float) p2, l); return;
            case FLOAT64: unaryF64(op, out.storage().f64(), a.storage().f64(), p1, p2, l); return;
            case INT64: unaryI64(op, out.storage().i64(), a.storage().i64(), p1, p2, l); return;
            default: throw new IllegalArgumentException(op + " is not implemented for bool kernels");
        }
    }

    private static void unaryF32(UnaryOp op, float[] o, float[] a, float p1, float p2, StridedLoop l) {
        int n = l.inner, so = l.innerStride[0], sa = l.innerStride[1];
        int[] off = l.off;
        for (long r = 0; r < l.runs; r++, l.next()) {
            int po = off[0], pa = off[1];
            switch (op) {
                case NEG: for (int i = 0; i < n; i++) o[po + i * so] = -a[pa + i * sa]; break;
                case ABS: for (int i = 0; i < n; i++) o[po + i * so] = Math.abs(a[pa + i * sa]); break;
                // PyTorch's (0 < x) - (x < 0): +0 for -0 and for NaN.
                case SIGN: for (int i = 0; i < n; i++) { float x = a[pa + i * sa]; o[po + i * so] = x > 0 ? 1f : x < 0 ? -1f : 0f; } break;
                case EXP: for (int i = 0; i < n; i++) o[po + i * so] = (float) Math.exp(a[pa + i * sa]); break;
                case LOG: for (int i = 0; i < n; i++) o[po + i * so] = (float) Math.log(a[pa + i * sa]); break;
                case SQRT: for (int i = 0; i < n; i++) o[po + i * so] = (float) Math.sqrt(a[pa + i * sa]); break;
                case RSQRT: for (int i = 0; i < n; i++) o[po + i * so] = 1f / (float) Math.sqrt(a[pa + i * sa]); break;
                case SIN: for (int i = 0; i < n; i++) o[po + i * so] = (float) Math.sin(a[pa + i * sa]); break;
                case COS: for (int i = 0; i < n; i++) o[po + i * so] = (float) Math.cos(a[pa + i * sa]); break;
                case TANH: for (int i = 0; i < n; i++) o[po + i * so] = (float) Math.tanh(a[pa + i * sa]); break;
                case SIGMOID: for (int i = 0; i < n; i++) o[po + i * so] = (float) (1.0 / (1.0 + Math.exp(-a[pa + i * sa]))); break;
                case RELU: for (int i = 0; i < n; i++) { float x = a[pa + i * sa]; o[po + i * so] = x < 0 ? 0f : x; } break; // -0 and NaN pass
                case RECIPROCAL: for (int i = 0; i < n; i++) o[po + i * so] = 1f / a[pa + i * sa]; break;
                case LOG1P: for (int i = 0; i < n; i++) o[po + i * so] = (float) Math.log1p(a[pa + i * sa]); break;
                case EXPM1: for (int i = 0; i < n; i++) o[po + i * so] = (float) Math.expm1(a[pa + i * sa]); break;
                case ERF: for (int i = 0; i < n; i++) o[po + i * so] = (float) SpecialFunctions.erf(a[pa + i * sa]); break;
                case POW_SCALAR:
                    // PyTorch's special cases, computed as it computes them (in float).
                    if (p1 == 2f) for (int i = 0; i < n; i++) { float x = a[pa + i * sa]; o[po + i * so] = x * x; }
                    else if (p1 == 3f) for (int i = 0; i < n; i++) { float x = a[pa + i * sa]; o[po + i * so] = x * x * x; }
                    else if (p1 == -2f) for (int i = 0; i < n; i++) { float x = a[pa + i * sa]; o[po + i * so] = 1f / (x * x); }
                    else if (p1 == 0.5f) for (int i = 0; i < n; i++) o[po + i * so] = (float) Math.sqrt(a[pa + i * sa]);
                    else if (p1 == -0.5f) for (int i = 0; i < n; i++) o[po + i * so] = 1f / (float) Math.sqrt(a[pa + i * sa]);
                    else if (p1 == -1f) for (int i = 0; i < n; i++) o[po + i * so] = 1f / a[pa + i * sa];
                    else for (int i = 0; i < n; i++) o[po + i * so] = (float) Math.pow(a[pa + i * sa], p1);
                    break;
                case CLAMP:
                    for (int i = 0; i < n; i++) {
                        float x = a[pa + i * sa];
                        if (p1 == p1 && x < p1) x = p1; // NaN bound = no bound; NaN input stays NaN
                        if (p2 == p2 && x > p2) x = p2;
                        o[po + i * so] = x;
                    }
                    break;
                default: throw new AssertionError(op);
            }
        }
    }

    private static void unaryF64(UnaryOp op, double[] o, double[] a, double p1, double p2, StridedLoop l) {
        int n = l.inner, so = l.innerStride[0], sa = l.innerStride[1];
        int[] off = l.off;
        for (long r = 0; r < l.runs; r++, l.next()) {
            int po = off[0], pa = off[1];
            switch (op) {
                case NEG: for (int i = 0; i < n; i++) o[po + i * so] = -a[pa + i * sa]; break;
                case ABS: for (int i = 0; i < n; i++) o[po + i * so] = Math.abs(a[pa + i * sa]); break;
                case SIGN: for (int i = 0; i < n; i++) { double x = a[pa + i * sa]; o[po + i * so] = x > 0 ? 1.0 : x < 0 ? -1.0 : 0.0; } break;
                case EXP: for (int i = 0; i < n; i++) o[po + i * so] = Math.exp(a[pa + i * sa]); break;
                case LOG: for (int i = 0; i < n; i++) o[po + i * so] = Math.log(a[pa + i * sa]); break;
                case SQRT: for (int i = 0; i < n; i++) o[po + i * so] = Math.sqrt(a[pa + i * sa]); break;
                case RSQRT: for (int i = 0; i < n; i++) o[po + i * so] = 1.0 / Math.sqrt(a[pa + i * sa]); break;
                case SIN: for (int i = 0; i < n; i++) o[po + i * so] = Math.sin(a[pa + i * sa]); break;
                case COS: for (int i = 0; i < n; i++) o[po + i * so] = Math.cos(a[pa + i * sa]); break;
                case TANH: for (int i = 0; i < n; i++) o[po + i * so] = Math.tanh(a[pa + i * sa]); break;
                case SIGMOID: for (int i = 0; i < n; i++) o[po + i * so] = 1.0 / (1.0 + Math.exp(-a[pa + i * sa])); break;
                case RELU: for (int i = 0; i < n; i++) { double x = a[pa + i * sa]; o[po + i * so] = x < 0 ? 0.0 : x; } break;
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

    private static void unaryI64(UnaryOp op, long[] o, long[] a, double p1, double p2, StridedLoop l) {
        int n = l.inner, so = l.innerStride[0], sa = l.innerStride[1];
        int[] off = l.off;
        long lo = p1 == p1 ? (long) Math.ceil(p1) : Long.MIN_VALUE, hi = p2 == p2 ? (long) Math.floor(p2) : Long.MAX_VALUE;
        long e = (long) p1;
        for (long r = 0; r < l.runs; r++, l.next()) {
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
        }
    }
}
