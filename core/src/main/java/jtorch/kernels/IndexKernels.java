package jtorch.kernels;

import jtorch.Storage;

/**
 * Gather/scatter loops of advanced indexing and of {@code gather}/{@code scatter}. Positions are
 * given as offset tables (built once per call), so the loops are plain indexed copies.
 */
public final class IndexKernels {
    private IndexKernels() {}

    /**
     * Advanced-index gather: for each (b, i, a) in row-major order, {@code out[pos++] =
     * src[base + bOff[b] + iOff[i] + aOff[a]]}; {@code out} is contiguous.
     */
    public static void gather(StridedArray out, StridedArray src, int base, int[] bOff, int[] iOff, int[] aOff) {
        Storage o = out.storage(), s = src.storage();
        int pos = out.storageOffsetInternal();
        for (int b : bOff)
            for (int i : iOff) {
                int p = base + b + i;
                switch (s.dtype()) {
                    case FLOAT32: { float[] x = s.f32(), y = o.f32(); for (int a : aOff) y[pos++] = x[p + a]; break; }
                    case FLOAT64: { double[] x = s.f64(), y = o.f64(); for (int a : aOff) y[pos++] = x[p + a]; break; }
                    case INT64: { long[] x = s.i64(), y = o.i64(); for (int a : aOff) y[pos++] = x[p + a]; break; }
                    default: { boolean[] x = s.bool(), y = o.bool(); for (int a : aOff) y[pos++] = x[p + a]; }
                }
            }
    }

    /** The inverse of {@link #gather}: writes (or adds) contiguous {@code src} into {@code dst}'s positions. */
    public static void scatter(StridedArray dst, int base, int[] bOff, int[] iOff, int[] aOff, StridedArray src, boolean accumulate) {
        Storage o = dst.storage(), s = src.storage();
        int pos = src.storageOffsetInternal();
        for (int b : bOff)
            for (int i : iOff) {
                int p = base + b + i;
                switch (o.dtype()) {
                    case FLOAT32: { float[] x = s.f32(), y = o.f32();
                        if (accumulate) for (int a : aOff) y[p + a] += x[pos++]; else for (int a : aOff) y[p + a] = x[pos++]; break; }
                    case FLOAT64: { double[] x = s.f64(), y = o.f64();
                        if (accumulate) for (int a : aOff) y[p + a] += x[pos++]; else for (int a : aOff) y[p + a] = x[pos++]; break; }
                    case INT64: { long[] x = s.i64(), y = o.i64();
                        if (accumulate) for (int a : aOff) y[p + a] += x[pos++]; else for (int a : aOff) y[p + a] = x[pos++]; break; }
                    default: { boolean[] x = s.bool(), y = o.bool();
                        if (accumulate) for (int a : aOff) y[p + a] |= x[pos++]; else for (int a : aOff) y[p + a] = x[pos++]; }
                }
            }
    }

    /**
     * {@code torch.gather} / {@code scatter} along {@code dim}. For each position e of {@code index}:
     * the "other" tensor's element at {@code oBase + oOff[e]} pairs with {@code t}'s element at
     * {@code tBase + tOff[e] + idx[e] * tDimStride}. Gather reads t into other; scatter writes other into t.
     */
    public static void alongDim(boolean gather, StridedArray t, int tBase, int[] tOff, int tDimStride, long[] idx,
                                StridedArray other, int oBase, int[] oOff, boolean accumulate) {
        Storage ts = t.storage(), os = other.storage();
        int n = idx.length;
        switch (ts.dtype()) {
            case FLOAT32: {
                float[] x = ts.f32(), y = os.f32();
                for (int e = 0; e < n; e++) {
                    int tp = tBase + tOff[e] + (int) idx[e] * tDimStride, op = oBase + oOff[e];
                    if (gather) y[op] = x[tp]; else if (accumulate) x[tp] += y[op]; else x[tp] = y[op];
                }
                return;
            }
            case FLOAT64: {
                double[] x = ts.f64(), y = os.f64();
                for (int e = 0; e < n; e++) {
                    int tp = tBase + tOff[e] + (int) idx[e] * tDimStride, op = oBase + oOff[e];
                    if (gather) y[op] = x[tp]; else if (accumulate) x[tp] += y[op]; else x[tp] = y[op];
                }
                return;
            }
            case INT64: {
                long[] x = ts.i64(), y = os.i64();
                for (int e = 0; e < n; e++) {
                    int tp = tBase + tOff[e] + (int) idx[e] * tDimStride, op = oBase + oOff[e];
                    if (gather) y[op] = x[tp]; else if (accumulate) x[tp] += y[op]; else x[tp] = y[op];
                }
                return;
            }
            default: {
                boolean[] x = ts.bool(), y = os.bool();
                for (int e = 0; e < n; e++) {
                    int tp = tBase + tOff[e] + (int) idx[e] * tDimStride, op = oBase + oOff[e];
                    if (gather) y[op] = x[tp]; else if (accumulate) x[tp] |= y[op]; else x[tp] = y[op];
                }
            }
        }
    }
}
