package jtorch.kernels;

import jtorch.DType;
import jtorch.Storage;
import jtorch.Tensor;

/** Copy with dtype conversion, fill and select ({@code where}) over strided storage. */
public final class Copy {
    private Copy() {}

    /** {@code dst[...] = src[...]}, same sizes (src may be an expanded view), any dtypes (C casts). */
    public static void copy(Tensor dst, Tensor src) {
        Storage d = dst.storage(), s = src.storage();
        // An empty view may have a storage offset past the end of its storage (x[..., 1::2] of a size-0 x);
        // System.arraycopy rejects that offset even for length 0.
        if (dst.numel() == 0) return;
        if (d.dtype() == s.dtype() && dst.isContiguous() && src.isContiguous()) {
            System.arraycopy(s.array(), src.storageOffsetInternal(), d.array(), dst.storageOffsetInternal(), (int) dst.numel());
            return;
        }
        StridedLoop l = StridedLoop.of(dst, src);
        int n = l.inner, so = l.innerStride[0], si = l.innerStride[1];
        int[] off = l.off;
        DType dt = d.dtype(), st = s.dtype();
        for (long r = 0; r < l.runs; r++, l.next()) {
            int po = off[0], pi = off[1];
            switch (dt) {
                case FLOAT32: {
                    float[] o = d.f32();
                    switch (st) {
                        case FLOAT32: { float[] x = s.f32(); for (int i = 0; i < n; i++) o[po + i * so] = x[pi + i * si]; break; }
                        case FLOAT64: { double[] x = s.f64(); for (int i = 0; i < n; i++) o[po + i * so] = (float) x[pi + i * si]; break; }
                        case INT64: { long[] x = s.i64(); for (int i = 0; i < n; i++) o[po + i * so] = (float) x[pi + i * si]; break; }
                        default: { boolean[] x = s.bool(); for (int i = 0; i < n; i++) o[po + i * so] = x[pi + i * si] ? 1f : 0f; }
                    }
                    break;
                }
                case FLOAT64: {
                    double[] o = d.f64();
                    switch (st) {
                        case FLOAT32: { float[] x = s.f32(); for (int i = 0; i < n; i++) o[po + i * so] = x[pi + i * si]; break; }
                        case FLOAT64: { double[] x = s.f64(); for (int i = 0; i < n; i++) o[po + i * so] = x[pi + i * si]; break; }
                        case INT64: { long[] x = s.i64(); for (int i = 0; i < n; i++) o[po + i * so] = (double) x[pi + i * si]; break; }
                        default: { boolean[] x = s.bool(); for (int i = 0; i < n; i++) o[po + i * so] = x[pi + i * si] ? 1.0 : 0.0; }
                    }
                    break;
                }
                case INT64: {
                    long[] o = d.i64();
                    switch (st) {
                        case FLOAT32: { float[] x = s.f32(); for (int i = 0; i < n; i++) o[po + i * so] = (long) x[pi + i * si]; break; }
                        case FLOAT64: { double[] x = s.f64(); for (int i = 0; i < n; i++) o[po + i * so] = (long) x[pi + i * si]; break; }
                        case INT64: { long[] x = s.i64(); for (int i = 0; i < n; i++) o[po + i * so] = x[pi + i * si]; break; }
                        default: { boolean[] x = s.bool(); for (int i = 0; i < n; i++) o[po + i * so] = x[pi + i * si] ? 1L : 0L; }
                    }
                    break;
                }
                default: {
                    boolean[] o = d.bool();
                    switch (st) {
                        case FLOAT32: { float[] x = s.f32(); for (int i = 0; i < n; i++) o[po + i * so] = x[pi + i * si] != 0f; break; }
                        case FLOAT64: { double[] x = s.f64(); for (int i = 0; i < n; i++) o[po + i * so] = x[pi + i * si] != 0.0; break; }
                        case INT64: { long[] x = s.i64(); for (int i = 0; i < n; i++) o[po + i * so] = x[pi + i * si] != 0L; break; }
                        default: { boolean[] x = s.bool(); for (int i = 0; i < n; i++) o[po + i * so] = x[pi + i * si]; }
                    }
                }
            }
        }
    }

    /** Sets every element of {@code dst} to {@code value} (converted to its dtype). */
    public static void fill(Tensor dst, double value) {
        StridedLoop l = StridedLoop.of(dst);
        int n = l.inner, so = l.innerStride[0];
        int[] off = l.off;
        Storage d = dst.storage();
        for (long r = 0; r < l.runs; r++, l.next()) {
            int po = off[0];
            switch (d.dtype()) {
                case FLOAT32: { float[] o = d.f32(); float v = (float) value; for (int i = 0; i < n; i++) o[po + i * so] = v; break; }
                case FLOAT64: { double[] o = d.f64(); for (int i = 0; i < n; i++) o[po + i * so] = value; break; }
                case INT64: { long[] o = d.i64(); long v = (long) value; for (int i = 0; i < n; i++) o[po + i * so] = v; break; }
                default: { boolean[] o = d.bool(); boolean v = value != 0; for (int i = 0; i < n; i++) o[po + i * so] = v; }
            }
        }
    }

    /** Exact int64 fill (doubles cannot hold every long). */
    public static void fill(Tensor dst, long value) {
        if (dst.dtype() != DType.INT64) {
            fill(dst, (double) value);
            return;
        }
        StridedLoop l = StridedLoop.of(dst);
        long[] o = dst.storage().i64();
        for (long r = 0; r < l.runs; r++, l.next())
            for (int i = 0, po = l.off[0], so = l.innerStride[0]; i < l.inner; i++) o[po + i * so] = value;
    }

    /** {@code out = cond ? a : b}; all same sizes (expanded), a, b and out of one dtype. */
    public static void where(Tensor out, Tensor cond, Tensor a, Tensor b) {
        StridedLoop l = StridedLoop.of(out, cond, a, b);
        int n = l.inner, so = l.innerStride[0], sc = l.innerStride[1], sa = l.innerStride[2], sb = l.innerStride[3];
        int[] off = l.off;
        boolean[] c = cond.storage().bool();
        for (long r = 0; r < l.runs; r++, l.next()) {
            int po = off[0], pc = off[1], pa = off[2], pb = off[3];
            switch (out.dtype()) {
                case FLOAT32: { float[] o = out.storage().f32(), x = a.storage().f32(), y = b.storage().f32();
                    for (int i = 0; i < n; i++) o[po + i * so] = c[pc + i * sc] ? x[pa + i * sa] : y[pb + i * sb]; break; }
                case FLOAT64: { double[] o = out.storage().f64(), x = a.storage().f64(), y = b.storage().f64();
                    for (int i = 0; i < n; i++) o[po + i * so] = c[pc + i * sc] ? x[pa + i * sa] : y[pb + i * sb]; break; }
                case INT64: { long[] o = out.storage().i64(), x = a.storage().i64(), y = b.storage().i64();
                    for (int i = 0; i < n; i++) o[po + i * so] = c[pc + i * sc] ? x[pa + i * sa] : y[pb + i * sb]; break; }
                default: { boolean[] o = out.storage().bool(), x = a.storage().bool(), y = b.storage().bool();
                    for (int i = 0; i < n; i++) o[po + i * so] = c[pc + i * sc] ? x[pa + i * sa] : y[pb + i * sb]; }
            }
        }
    }

    /**
     * {@code dst[...] += src[...]}, one element at a time in order, so it is correct even when
     * {@code dst} overlaps itself (an expanded or as_strided view receiving a gradient).
     */
    public static void accumulate(Tensor dst, Tensor src) {
        StridedLoop l = StridedLoop.of(dst, src);
        int n = l.inner, so = l.innerStride[0], si = l.innerStride[1];
        int[] off = l.off;
        for (long r = 0; r < l.runs; r++, l.next()) {
            int po = off[0], pi = off[1];
            switch (dst.dtype()) {
                case FLOAT32: { float[] o = dst.storage().f32(), x = src.storage().f32(); for (int i = 0; i < n; i++) o[po + i * so] += x[pi + i * si]; break; }
                case FLOAT64: { double[] o = dst.storage().f64(), x = src.storage().f64(); for (int i = 0; i < n; i++) o[po + i * so] += x[pi + i * si]; break; }
                case INT64: { long[] o = dst.storage().i64(), x = src.storage().i64(); for (int i = 0; i < n; i++) o[po + i * so] += x[pi + i * si]; break; }
                default: { boolean[] o = dst.storage().bool(), x = src.storage().bool(); for (int i = 0; i < n; i++) o[po + i * so] |= x[pi + i * si]; }
            }
        }
    }

    /** Reads element {@code flat} (row-major position) of {@code t} as a double. */
    public static double getDouble(Tensor t, int storageIndex) {
        Storage s = t.storage();
        switch (s.dtype()) {
            case FLOAT32: return s.f32()[storageIndex];
            case FLOAT64: return s.f64()[storageIndex];
            case INT64: return s.i64()[storageIndex];
            default: return s.bool()[storageIndex] ? 1 : 0;
        }
    }
}
