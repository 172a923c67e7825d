package jtorch.kernels;

import jtorch.DType;

/**
 * Kernels that walk fibers of a contiguous tensor along one dim ({@code sort}, {@code cumsum},
 * {@code cumprod}) or copy elements through a precomputed index map ({@code flip}, {@code roll},
 * {@code repeat}, triangular masks). Inputs are contiguous (callers make them so); a fiber of a
 * tensor viewed as {@code (outer, n, inner)} starts at {@code o * n * inner + i} with stride {@code inner}.
 */
public final class AlongDim {
    private AlongDim() {}

    /** {@code dst[i] = src[map[i]]} for contiguous tensors of the same dtype ({@code map} indexes src's elements). */
    public static void gather(StridedArray src, StridedArray dst, int[] map) {
        int so = src.storageOffsetInternal(), d0 = dst.storageOffsetInternal();
        switch (src.dtype()) {
            case FLOAT32: { float[] s = src.storage().f32(), d = dst.storage().f32(); for (int i = 0; i < map.length; i++) d[d0 + i] = s[so + map[i]]; break; }
            case FLOAT64: { double[] s = src.storage().f64(), d = dst.storage().f64(); for (int i = 0; i < map.length; i++) d[d0 + i] = s[so + map[i]]; break; }
            case INT64: { long[] s = src.storage().i64(), d = dst.storage().i64(); for (int i = 0; i < map.length; i++) d[d0 + i] = s[so + map[i]]; break; }
            default: { boolean[] s = src.storage().bool(), d = dst.storage().bool(); for (int i = 0; i < map.length; i++) d[d0 + i] = s[so + map[i]]; break; }
        }
    }

    /**
     * The source element of every output element (row-major) when output coordinate {@code c} along
     * dim {@code d} reads source offset {@code contrib[d][c]} (summed over dims): the index map of
     * flip, roll and repeat.
     */
    public static int[] indexMap(int[][] contrib, int[] outShape) {
        long total = 1;
        for (int s : outShape) total *= s;
        int[] map = new int[(int) total];
        if (total == 0) return map;
        int nd = outShape.length;
        int[] c = new int[nd];
        int cur = 0;
        for (int d = 0; d < nd; d++) cur += contrib[d][0];
        for (int i = 0; i < map.length; i++) {
            map[i] = cur;
            for (int d = nd - 1; d >= 0; d--) { // odometer step, updating only the dims that change
                cur -= contrib[d][c[d]];
                if (++c[d] < outShape[d]) { cur += contrib[d][c[d]]; break; }
                c[d] = 0;
                cur += contrib[d][0];
            }
        }
        return map;
    }

    /** Zeroes (sets to false) the elements of contiguous {@code t} where {@code keep[i]} is false. */
    public static void zeroWhereNot(StridedArray t, boolean[] keep) {
        int o = t.storageOffsetInternal();
        switch (t.dtype()) {
            case FLOAT32: { float[] a = t.storage().f32(); for (int i = 0; i < keep.length; i++) if (!keep[i]) a[o + i] = 0f; break; }
            case FLOAT64: { double[] a = t.storage().f64(); for (int i = 0; i < keep.length; i++) if (!keep[i]) a[o + i] = 0.0; break; }
            case INT64: { long[] a = t.storage().i64(); for (int i = 0; i < keep.length; i++) if (!keep[i]) a[o + i] = 0L; break; }
            default: { boolean[] a = t.storage().bool(); for (int i = 0; i < keep.length; i++) if (!keep[i]) a[o + i] = false; break; }
        }
    }

    // ------------------------------------------------------------------ cumulative

    /**
     * Running sum ({@code product == false}) or product of contiguous {@code in} into contiguous
     * {@code out} (same dtype) along fibers of length {@code n}. Floating types accumulate in double,
     * as PyTorch's CPU kernel does ({@code acc_type<float>} is double there), rounding each output.
     */
    public static void cumulative(StridedArray in, StridedArray out, int outer, int n, int inner, boolean product) {
        int io = in.storageOffsetInternal(), oo = out.storageOffsetInternal();
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int base = o * n * inner + i;
                switch (in.dtype()) {
                    case FLOAT32: {
                        float[] a = in.storage().f32(), r = out.storage().f32();
                        double acc = product ? 1 : 0;
                        for (int k = 0, p = base; k < n; k++, p += inner) {
                            acc = product ? acc * a[io + p] : acc + a[io + p];
                            r[oo + p] = (float) acc;
                        }
                        break;
                    }
                    case FLOAT64: {
                        double[] a = in.storage().f64(), r = out.storage().f64();
                        double acc = product ? 1 : 0;
                        for (int k = 0, p = base; k < n; k++, p += inner) {
                            acc = product ? acc * a[io + p] : acc + a[io + p];
                            r[oo + p] = acc;
                        }
                        break;
                    }
                    case INT64: {
                        long[] a = in.storage().i64(), r = out.storage().i64();
                        long acc = product ? 1 : 0;
                        for (int k = 0, p = base; k < n; k++, p += inner) {
                            acc = product ? acc * a[io + p] : acc + a[io + p];
                            r[oo + p] = acc;
                        }
                        break;
                    }
                    default: throw new IllegalArgumentException("cumulative: unsupported dtype " + in.dtype());
                }
            }
        }
    }

    // ------------------------------------------------------------------ sorting

    /**
     * Sorts every fiber of contiguous {@code in} (float32, float64 or int64) into contiguous
     * {@code values} and int64 {@code indices}. The sort is stable (equal keys keep their order, in
     * both directions) and NaN sorts above every number, as PyTorch's CPU sort orders them.
     */
    public static void sort(StridedArray in, StridedArray values, StridedArray indices, int outer, int n, int inner, boolean descending) {
        int io = in.storageOffsetInternal();
        long[] idxOut = indices.storage().i64();
        int xo = indices.storageOffsetInternal(), vo = values.storageOffsetInternal();
        int[] perm = new int[n], tmp = new int[n];
        long[] key = new long[n];
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int base = o * n * inner + i;
                for (int k = 0, p = base; k < n; k++, p += inner) {
                    perm[k] = k;
                    switch (in.dtype()) {
                        case FLOAT32: key[k] = orderKey(in.storage().f32()[io + p]); break;
                        case FLOAT64: key[k] = orderKey(in.storage().f64()[io + p]); break;
                        default: key[k] = in.storage().i64()[io + p]; break;
                    }
                }
                mergeSort(perm, tmp, 0, n, key, descending);
                for (int k = 0, p = base; k < n; k++, p += inner) {
                    int src = base + perm[k] * inner;
                    idxOut[xo + p] = perm[k];
                    switch (in.dtype()) {
                        case FLOAT32: values.storage().f32()[vo + p] = in.storage().f32()[io + src]; break;
                        case FLOAT64: values.storage().f64()[vo + p] = in.storage().f64()[io + src]; break;
                        default: values.storage().i64()[vo + p] = in.storage().i64()[io + src]; break;
                    }
                }
            }
        }
    }

    /**
     * The first {@code k} of every fiber in {@link #sort}'s order (largest first when
     * {@code descending}), without sorting the rest: a bounded insertion into a k-slot buffer,
     * O(n) per fiber for unsorted data while k is small. Output fibers have length {@code k}.
     */
    public static void topk(StridedArray in, StridedArray values, StridedArray indices, int outer, int n, int inner, int k, boolean descending) {
        int io = in.storageOffsetInternal();
        long[] idxOut = indices.storage().i64();
        int xo = indices.storageOffsetInternal(), vo = values.storageOffsetInternal();
        long[] key = new long[n];
        int[] buf = new int[Math.max(k, 1)];
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int base = o * n * inner + i;
                switch (in.dtype()) {
                    case FLOAT32: { float[] a = in.storage().f32(); for (int j = 0, p = base; j < n; j++, p += inner) key[j] = orderKey(a[io + p]); break; }
                    case FLOAT64: { double[] a = in.storage().f64(); for (int j = 0, p = base; j < n; j++, p += inner) key[j] = orderKey(a[io + p]); break; }
                    default: { long[] a = in.storage().i64(); for (int j = 0, p = base; j < n; j++, p += inner) key[j] = a[io + p]; break; }
                }
                int count = 0;
                for (int j = 0; j < n && k > 0; j++) {
                    if (count == k && !before(key[j], key[buf[k - 1]], descending)) continue;
                    int at = count < k ? count++ : k - 1; // the slot freed (or the last one, dropped)
                    while (at > 0 && before(key[j], key[buf[at - 1]], descending)) { buf[at] = buf[at - 1]; at--; }
                    buf[at] = j;
                }
                int ob = o * k * inner + i;
                for (int r = 0, p = ob; r < k; r++, p += inner) {
                    int src = base + buf[r] * inner;
                    idxOut[xo + p] = buf[r];
                    switch (in.dtype()) {
                        case FLOAT32: values.storage().f32()[vo + p] = in.storage().f32()[io + src]; break;
                        case FLOAT64: values.storage().f64()[vo + p] = in.storage().f64()[io + src]; break;
                        default: values.storage().i64()[vo + p] = in.storage().i64()[io + src]; break;
                    }
                }
            }
        }
    }

    /**
     * A long that orders as the double does, with every NaN above +inf and -0.0 equal to 0.0 (as
     * PyTorch's sort compares them): the IEEE bits, with the magnitude bits flipped for negatives.
     */
    private static long orderKey(double x) {
        long bits = Double.doubleToLongBits(x == 0 ? 0.0 : x); // canonical NaN 0x7ff8...: above +inf
        return bits ^ ((bits >> 63) & Long.MAX_VALUE);
    }

    /** Whether key a must come strictly before key b. */
    private static boolean before(long a, long b, boolean descending) { return descending ? a > b : a < b; }

    private static void mergeSort(int[] a, int[] tmp, int lo, int hi, long[] key, boolean desc) {
        if (hi - lo < 2) return;
        if (hi - lo <= 16) { // insertion sort: stable, fast on short runs
            for (int i = lo + 1; i < hi; i++) {
                int v = a[i], j = i - 1;
                while (j >= lo && before(key[v], key[a[j]], desc)) { a[j + 1] = a[j]; j--; }
                a[j + 1] = v;
            }
            return;
        }
        int mid = (lo + hi) >>> 1;
        mergeSort(a, tmp, lo, mid, key, desc);
        mergeSort(a, tmp, mid, hi, key, desc);
        if (!before(key[a[mid]], key[a[mid - 1]], desc)) return; // already in order
        int i = lo, j = mid, k = lo;
        while (i < mid && j < hi) tmp[k++] = before(key[a[j]], key[a[i]], desc) ? a[j++] : a[i++];
        while (i < mid) tmp[k++] = a[i++];
        while (j < hi) tmp[k++] = a[j++];
        System.arraycopy(tmp, lo, a, lo, hi - lo);
    }
}
