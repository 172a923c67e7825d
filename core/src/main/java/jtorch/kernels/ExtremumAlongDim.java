package jtorch.kernels;

/**
 * {@code max(dim)} / {@code min(dim)}: values and indices together, in one pass over the input.
 * The output positions are walked as runs (as the elementwise kernels walk them) and the reduced
 * dim is the outer loop, so each step reads a whole run of neighbouring inputs instead of chasing
 * one output's window through an offset table: max pooling's windows, which sit in a middle dim,
 * stream through memory.
 *
 * <p>Semantics as {@link Reduce}'s MAX/ARGMAX: the first extremum wins ties, and the first NaN wins
 * and stays (with its index).
 *
 * <pre>{@code
 * // x (N, C, K, L) -> values, indices (N, C, L)
 * ExtremumAlongDim.run(x, 2, values, indices, true);
 * }</pre>
 */
public final class ExtremumAlongDim {
    private ExtremumAlongDim() {}

    /**
     * @param values  the input's shape without {@code dim}, or with it as 1 (keepdim); the input's dtype
     *                (float32, float64 or int64)
     * @param indices int64 of the same shape
     */
    public static void run(StridedArray in, int dim, StridedArray values, StridedArray indices, boolean max) {
        int nd = in.dim();
        int[] s = in.sizesInternal(), st = in.stridesInternal();
        int reduced = s[dim], reducedStride = st[dim];
        int[] sizes = new int[nd - 1];
        int[][] strides = new int[3][nd - 1];
        int[] vs = values.stridesInternal(), is = indices.stridesInternal();
        boolean keepdim = values.dim() == nd;
        for (int d = 0, j = 0; d < nd; d++) {
            if (d == dim) continue;
            int k = keepdim ? d : j; // the output's own dim for input dim d
            sizes[j] = s[d];
            strides[0][j] = vs[k];
            strides[1][j] = is[k];
            strides[2][j] = st[d];
            j++;
        }
        ElementLoop l = ElementLoop.of(sizes, strides,
                new int[] {values.storageOffsetInternal(), indices.storageOffsetInternal(), in.storageOffsetInternal()});
        if (l.numel == 0) return;
        long[] idx = indices.storage().i64();
        int sv = l.innerStride[0], si = l.innerStride[1], sx = l.innerStride[2];
        ElementLoop.Segment segment;
        if (in.storage().f32() != null) {
            float[] v = values.storage().f32(), x = in.storage().f32();
            segment = (off, n) -> f32(v, off[0], sv, idx, off[1], si, x, off[2], sx, n, reduced, reducedStride, max);
        } else if (in.storage().f64() != null) {
            double[] v = values.storage().f64(), x = in.storage().f64();
            segment = (off, n) -> f64(v, off[0], sv, idx, off[1], si, x, off[2], sx, n, reduced, reducedStride, max);
        } else {
            long[] v = values.storage().i64(), x = in.storage().i64();
            segment = (off, n) -> i64(v, off[0], sv, idx, off[1], si, x, off[2], sx, n, reduced, reducedStride, max);
        }
        l.walk(0, l.numel, segment);
    }

    private static void f32(float[] v, int pv, int sv, long[] idx, int pi, int si, float[] x, int px, int sx, int n,
                            int reduced, int rs, boolean max) {
        for (int i = 0; i < n; i++) {
            v[pv + i * sv] = x[px + i * sx];
            idx[pi + i * si] = 0;
        }
        for (int k = 1; k < reduced; k++) {
            int pk = px + k * rs;
            for (int i = 0; i < n; i++) {
                float c = x[pk + i * sx], b = v[pv + i * sv];
                    // NaN wins and stays; otherwise a strictly better value (ties keep the first).
                if (b == b && (c != c || (max ? c > b : c < b))) {
                    v[pv + i * sv] = c;
                    idx[pi + i * si] = k;
                }
            }
        }
    }

    private static void f64(double[] v, int pv, int sv, long[] idx, int pi, int si, double[] x, int px, int sx, int n,
                            int reduced, int rs, boolean max) {
        for (int i = 0; i < n; i++) {
            v[pv + i * sv] = x[px + i * sx];
            idx[pi + i * si] = 0;
        }
        for (int k = 1; k < reduced; k++) {
            int pk = px + k * rs;
            for (int i = 0; i < n; i++) {
                double c = x[pk + i * sx], b = v[pv + i * sv];
                if (b == b && (c != c || (max ? c > b : c < b))) {
                    v[pv + i * sv] = c;
                    idx[pi + i * si] = k;
                }
            }
        }
    }

    private static void i64(long[] v, int pv, int sv, long[] idx, int pi, int si, long[] x, int px, int sx, int n,
                            int reduced, int rs, boolean max) {
        for (int i = 0; i < n; i++) {
            v[pv + i * sv] = x[px + i * sx];
            idx[pi + i * si] = 0;
        }
        for (int k = 1; k < reduced; k++) {
            int pk = px + k * rs;
            for (int i = 0; i < n; i++) {
                long c = x[pk + i * sx], b = v[pv + i * sv];
                if (max ? c > b : c < b) {
                    v[pv + i * sv] = c;
                    idx[pi + i * si] = k;
                }
            }
        }
    }
}
