package jtorch.kernels;

import jtorch.DType;
import jtorch.Storage;

/** Copy with dtype conversion, fill and select ({@code where}) over strided storage. */
public final class Copy {
    private Copy() {}

    /**
     * {@code dst[...] = src[...]}, same sizes (src may be an expanded view), any dtypes (C casts).
     * Runs go to the provider's run kernels where there is one (float from and to bool); a
     * contiguous {@code dst} (which cannot overlap itself) that does not share {@code src}'s storage
     * is filled in parallel when large.
     */
    public static void copy(StridedArray dst, StridedArray src) {
        Storage d = dst.storage(), s = src.storage();
        // An empty view may have a storage offset past the end of its storage (x[..., 1::2] of a size-0 x);
        // System.arraycopy rejects that offset even for length 0.
        int numel = (int) dst.numel();
        if (numel == 0) return;
        boolean dense = dst.isContiguous();
        if (d.dtype() == s.dtype() && dense && src.isContiguous()) {
            System.arraycopy(s.array(), src.storageOffsetInternal(), d.array(), dst.storageOffsetInternal(), numel);
            return;
        }
        ElementKernels k = ElementKernels.get();
        if (numel == 1) { // one element (every size 1) sits at the storage offset: no loop to build
            convert(k, d, dst.storageOffsetInternal(), 1, s, src.storageOffsetInternal(), 1, 1);
            return;
        }
        ElementLoop l = ElementLoop.of(dst, src);
        int so = l.innerStride[0], si = l.innerStride[1];
        ElementLoop.Segment seg = (off, n) -> convert(k, d, off[0], so, s, off[1], si, n);
        if (dense && d != s) Elementwise.run(l, Elementwise.GRAIN, seg);
        else l.walk(0, numel, seg);
    }

    /** One run of {@link #copy}: {@code n} elements of {@code s} from {@code pi} (stride {@code si}) into {@code d}. */
    private static void convert(ElementKernels k, Storage d, int po, int so, Storage s, int pi, int si, int n) {
        DType dt = d.dtype(), st = s.dtype();
        if (so == 1 && si == 1) {
            // Float masks (y.gt(0).to(float)) and their inverse have run kernels; the rest are plain loops.
            if (dt == DType.FLOAT32 && st == DType.BOOL) { k.boolToF32(s.bool(), pi, d.f32(), po, n); return; }
            if (dt == DType.BOOL && st == DType.FLOAT32) { k.f32ToBool(s.f32(), pi, d.bool(), po, n); return; }
            if (dt == st) { System.arraycopy(s.array(), pi, d.array(), po, n); return; }
        }
        // A broadcast run (an expanded gradient of sum(), say) is a fill.
        if (so == 1 && si == 0 && dt == st && dt == DType.FLOAT32) { java.util.Arrays.fill(d.f32(), po, po + n, s.f32()[pi]); return; }
        if (so == 1 && si == 0 && dt == st && dt == DType.FLOAT64) { java.util.Arrays.fill(d.f64(), po, po + n, s.f64()[pi]); return; }
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

    /** Sets every element of {@code dst} to {@code value} (converted to its dtype). */
    public static void fill(StridedArray dst, double value) {
        int numel = (int) dst.numel();
        if (numel == 0) return;
        Storage d = dst.storage();
        if (numel == 1) { // one element sits at the storage offset
            int po = dst.storageOffsetInternal();
            switch (d.dtype()) {
                case FLOAT32: d.f32()[po] = (float) value; return;
                case FLOAT64: d.f64()[po] = value; return;
                case INT64: d.i64()[po] = (long) value; return;
                default: d.bool()[po] = value != 0; return;
            }
        }
        ElementLoop l = ElementLoop.of(dst);
        int so = l.innerStride[0];
        ElementLoop.Segment seg = (off, n) -> {
            int po = off[0];
            switch (d.dtype()) {
                case FLOAT32: {
                    float[] o = d.f32();
                    float v = (float) value;
                    if (so == 1) java.util.Arrays.fill(o, po, po + n, v);
                    else for (int i = 0; i < n; i++) o[po + i * so] = v;
                    break;
                }
                case FLOAT64: {
                    double[] o = d.f64();
                    if (so == 1) java.util.Arrays.fill(o, po, po + n, value);
                    else for (int i = 0; i < n; i++) o[po + i * so] = value;
                    break;
                }
                case INT64: { long[] o = d.i64(); long v = (long) value; for (int i = 0; i < n; i++) o[po + i * so] = v; break; }
                default: { boolean[] o = d.bool(); boolean v = value != 0; for (int i = 0; i < n; i++) o[po + i * so] = v; }
            }
        };
        if (dst.isContiguous()) Elementwise.run(l, Elementwise.GRAIN, seg);
        else l.walk(0, numel, seg);
    }

    /** Exact int64 fill (doubles cannot hold every long). */
    public static void fill(StridedArray dst, long value) {
        if (dst.dtype() != DType.INT64) {
            fill(dst, (double) value);
            return;
        }
        ElementLoop l = ElementLoop.of(dst);
        long[] o = dst.storage().i64();
        int so = l.innerStride[0];
        l.walk(0, l.numel, (off, n) -> {
            for (int i = 0, po = off[0]; i < n; i++) o[po + i * so] = value;
        });
    }

    /** {@code out = cond ? a : b}; all same sizes (expanded), a, b and out of one dtype. */
    public static void where(StridedArray out, StridedArray cond, StridedArray a, StridedArray b) {
        ElementLoop l = ElementLoop.of(out, cond, a, b);
        int so = l.innerStride[0], sc = l.innerStride[1], sa = l.innerStride[2], sb = l.innerStride[3];
        boolean[] c = cond.storage().bool();
        Storage os = out.storage(), as = a.storage(), bs = b.storage();
        ElementLoop.Segment seg = (off, n) -> {
            int po = off[0], pc = off[1], pa = off[2], pb = off[3];
            switch (os.dtype()) {
                case FLOAT32: { float[] o = os.f32(), x = as.f32(), y = bs.f32();
                    for (int i = 0; i < n; i++) o[po + i * so] = c[pc + i * sc] ? x[pa + i * sa] : y[pb + i * sb]; break; }
                case FLOAT64: { double[] o = os.f64(), x = as.f64(), y = bs.f64();
                    for (int i = 0; i < n; i++) o[po + i * so] = c[pc + i * sc] ? x[pa + i * sa] : y[pb + i * sb]; break; }
                case INT64: { long[] o = os.i64(), x = as.i64(), y = bs.i64();
                    for (int i = 0; i < n; i++) o[po + i * so] = c[pc + i * sc] ? x[pa + i * sa] : y[pb + i * sb]; break; }
                default: { boolean[] o = os.bool(), x = as.bool(), y = bs.bool();
                    for (int i = 0; i < n; i++) o[po + i * so] = c[pc + i * sc] ? x[pa + i * sa] : y[pb + i * sb]; }
            }
        };
        if (out.isContiguous()) Elementwise.run(l, Elementwise.GRAIN, seg);
        else l.walk(0, l.numel, seg);
    }

    /**
     * {@code dst[...] += src[...]}, one element at a time in order on the calling thread, so it is
     * correct even when {@code dst} overlaps itself (an expanded or as_strided view receiving a gradient).
     */
    public static void accumulate(StridedArray dst, StridedArray src) {
        Storage d = dst.storage(), s = src.storage();
        // One element, or two row-major operands (a contiguous dst cannot overlap itself): a single run.
        int numel = (int) dst.numel();
        if (numel == 1 || (dst.isContiguous() && src.isContiguous())) {
            accumulateRun(d, dst.storageOffsetInternal(), 1, s, src.storageOffsetInternal(), 1, numel);
            return;
        }
        ElementLoop l = ElementLoop.of(dst, src);
        int so = l.innerStride[0], si = l.innerStride[1];
        l.walk(0, l.numel, (off, n) -> accumulateRun(d, off[0], so, s, off[1], si, n));
    }

    /** One run of {@link #accumulate}: {@code n} elements of {@code s} from {@code pi} (stride {@code si}) added into {@code d}. */
    private static void accumulateRun(Storage d, int po, int so, Storage s, int pi, int si, int n) {
        switch (d.dtype()) {
            case FLOAT32: { float[] o = d.f32(), x = s.f32(); for (int i = 0; i < n; i++) o[po + i * so] += x[pi + i * si]; break; }
            case FLOAT64: { double[] o = d.f64(), x = s.f64(); for (int i = 0; i < n; i++) o[po + i * so] += x[pi + i * si]; break; }
            case INT64: { long[] o = d.i64(), x = s.i64(); for (int i = 0; i < n; i++) o[po + i * so] += x[pi + i * si]; break; }
            default: { boolean[] o = d.bool(), x = s.bool(); for (int i = 0; i < n; i++) o[po + i * so] |= x[pi + i * si]; }
        }
    }

    /** Reads element {@code flat} (row-major position) of {@code t} as a double. */
    public static double getDouble(StridedArray t, int storageIndex) {
        Storage s = t.storage();
        switch (s.dtype()) {
            case FLOAT32: return s.f32()[storageIndex];
            case FLOAT64: return s.f64()[storageIndex];
            case INT64: return s.i64()[storageIndex];
            default: return s.bool()[storageIndex] ? 1 : 0;
        }
    }
}
