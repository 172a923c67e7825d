package jtorch.kernels;

import jtorch.DType;
import jtorch.Storage;

/**
 * Reductions over a set of dims. The output is contiguous with the kept dims in order. Floating
 * sums and products accumulate in double.
 *
 * <p>Floating sums take one of two run-wise paths when the layout allows: reduced dims ending in
 * a unit-stride run (a row sum, a full sum, the per-channel sum over dims 0, 2, 3 of an NCHW
 * tensor) add whole runs with the provider's sum kernel; kept dims ending in a unit-stride run (a
 * column sum: the bias gradient of a linear layer, sum over dim 0 of (B, F)) add whole rows into
 * several columns at once, each column in row order. Both are split across {@link Parallel} when
 * large. Every other case walks the reduced region of each output element through a table of
 * offsets built once, so the inner loop is a plain indexed read.
 */
public final class Reduce {
    private Reduce() {}

    /**
     * {@code sum(a[p .. p + n)^2)} with each square and the sum in double: the 2-norm's square of a
     * gradient (clip_grad_norm_) in one pass, without a double copy of the tensor. The same bits on
     * every run of a provider (a fixed order); providers may differ in the last bits.
     */
    public static double sumOfSquares(float[] a, int p, int n) { return ElementKernels.get().sumSquaresF32(a, p, n); }

    /** {@link #sumOfSquares(float[], int, int)} for float64. */
    public static double sumOfSquares(double[] a, int p, int n) { return ElementKernels.get().sumSquaresF64(a, p, n); }

    /**
     * @param reduced per input dim, whether it is reduced
     * @param out     contiguous, numel = product of kept sizes; dtype: input's (MAX/MIN), int64 (ARG*,
     *                SUM/PROD of int or bool), else the input's floating dtype
     */
    public static void reduce(ReduceOp op, StridedArray in, boolean[] reduced, StridedArray out) {
        double sumScale = 1; // the sum of a block repeated this many times (before rounding to the output dtype)
        if (op == ReduceOp.SUM && in.dtype().isFloatingPoint() && out.dtype() == in.dtype() && in.numel() > 0) {
            // A reduced dim of stride 0 (a gradient expanded from a sum or mean) repeats the same
            // values: sum them once and scale, rather than walk every repeat through an offset table.
            int[] sizes = in.sizesInternal(), strides = in.stridesInternal();
            int[] unique = null;
            double repeats = 1;
            for (int d = 0; d < sizes.length; d++)
                if (reduced[d] && strides[d] == 0 && sizes[d] > 1) {
                    if (unique == null) unique = sizes.clone();
                    unique[d] = 1;
                    repeats *= sizes[d];
                }
            if (unique != null) in = new StridedView(in, unique, strides, in.storageOffsetInternal());
            if (unique == null && in.isContiguous() && in.numel() <= SUM_BLOCK && allTrue(reduced)) {
                // The sum of a whole small dense tensor (a loss, a tiny op's result): one run, no geometry to work out.
                int len = (int) in.numel(), p = in.storageOffsetInternal(), oo = out.storageOffsetInternal();
                ElementKernels k = ElementKernels.get();
                if (in.dtype() == DType.FLOAT32) out.storage().f32()[oo] = (float) k.sumF32(in.storage().f32(), p, len);
                else out.storage().f64()[oo] = k.sumF64(in.storage().f64(), p, len);
                return;
            }
            if (sumByRuns(in, reduced, out, repeats)) return;
            sumScale = repeats;
        }
        int n = in.dim();
        int[] sizes = in.sizesInternal(), strides = in.stridesInternal();
        int keptDims = 0, redDims = 0;
        for (int d = 0; d < n; d++) if (reduced[d]) redDims++; else keptDims++;
        int[] ks = new int[keptDims], kst = new int[keptDims], rs = new int[redDims], rst = new int[redDims];
        for (int d = 0, i = 0, j = 0; d < n; d++) {
            if (reduced[d]) { rs[j] = sizes[d]; rst[j] = strides[d]; j++; }
            else { ks[i] = sizes[d]; kst[i] = strides[d]; i++; }
        }
        // A reduced block laid out contiguously (e.g. the trailing dims of a contiguous tensor) needs no offset table.
        int[] inner = isContiguousBlock(rs, rst) ? null : offsets(rs, rst);
        int innerCount = 1;
        for (int v : rs) innerCount *= v;
        int[] outer = offsets(ks, kst);
        int base = in.storageOffsetInternal();
        Storage s = in.storage();
        Storage o = out.storage();
        int oo = out.storageOffsetInternal();
        boolean isFloat = in.dtype().isFloatingPoint();
        for (int e = 0; e < outer.length; e++) {
            int p = base + outer[e];
            if (isFloat) {
                double v;
                long idx = -1;
                double[] d64 = s.f64();
                float[] f32 = s.f32();
                switch (op) {
                    case SUM: {
                        double acc = 0;
                        if (d64 != null) for (int k = 0; k < innerCount; k++) acc += d64[p + (inner == null ? k : inner[k])];
                        else for (int k = 0; k < innerCount; k++) acc += f32[p + (inner == null ? k : inner[k])];
                        v = acc * sumScale;
                        break;
                    }
                    case PROD: {
                        double acc = 1;
                        if (d64 != null) for (int k = 0; k < innerCount; k++) acc *= d64[p + (inner == null ? k : inner[k])];
                        else for (int k = 0; k < innerCount; k++) acc *= f32[p + (inner == null ? k : inner[k])];
                        v = acc;
                        break;
                    }
                    default: {
                        boolean max = op == ReduceOp.MAX || op == ReduceOp.ARGMAX;
                        double best = Double.NaN;
                        long bi = 0;
                        for (int k = 0; k < innerCount; k++) {
                            double x = d64 != null ? d64[p + (inner == null ? k : inner[k])] : f32[p + (inner == null ? k : inner[k])];
                            if (k == 0) { best = x; bi = 0; continue; }
                            if (best != best) break; // NaN wins and stays
                            if (x != x || (max ? x > best : x < best)) { best = x; bi = k; }
                        }
                        v = best;
                        idx = bi;
                    }
                }
                write(op, o, oo + e, v, idx);
            } else {
                long v;
                long idx = -1;
                long[] i64 = s.i64();
                boolean[] b = s.bool();
                switch (op) {
                    case SUM: {
                        long acc = 0;
                        if (i64 != null) for (int k = 0; k < innerCount; k++) acc += i64[p + (inner == null ? k : inner[k])];
                        else for (int k = 0; k < innerCount; k++) acc += b[p + (inner == null ? k : inner[k])] ? 1 : 0;
                        v = acc;
                        break;
                    }
                    case PROD: {
                        long acc = 1;
                        if (i64 != null) for (int k = 0; k < innerCount; k++) acc *= i64[p + (inner == null ? k : inner[k])];
                        else for (int k = 0; k < innerCount; k++) acc *= b[p + (inner == null ? k : inner[k])] ? 1 : 0;
                        v = acc;
                        break;
                    }
                    default: {
                        boolean max = op == ReduceOp.MAX || op == ReduceOp.ARGMAX;
                        long best = 0, bi = 0;
                        for (int k = 0; k < innerCount; k++) {
                            long x = i64 != null ? i64[p + (inner == null ? k : inner[k])] : (b[p + (inner == null ? k : inner[k])] ? 1 : 0);
                            if (k == 0 || (max ? x > best : x < best)) { best = x; bi = k; }
                        }
                        v = best;
                        idx = bi;
                    }
                }
                writeLong(op, o, oo + e, v, idx);
            }
        }
    }

    private static boolean allTrue(boolean[] flags) {
        for (boolean f : flags) if (!f) return false;
        return true;
    }

    /** Sums longer than this are the in-order sum of blocks of this length, whatever the thread count. */
    static final int SUM_BLOCK = 1 << 16;

    /**
     * The floating sum by whole runs (see the class comment); false when the layout has no unit-stride
     * run to use, leaving the sum to the offset-table loop.
     */
    private static boolean sumByRuns(StridedArray in, boolean[] reduced, StridedArray out, double scale) {
        int[] sizes = in.sizesInternal(), strides = in.stridesInternal();
        int nd = sizes.length;
        int[][] kept = coalesce(sizes, strides, reduced, false), red = coalesce(sizes, strides, reduced, true);
        int[] ks = kept[0], kst = kept[1], rs = red[0], rst = red[1];
        int base = in.storageOffsetInternal(), oo = out.storageOffsetInternal();
        boolean f32 = in.dtype() == DType.FLOAT32;
        Storage s = in.storage(), o = out.storage();
        ElementKernels k = ElementKernels.get();
        int total = (int) in.numel();
        if (rs.length > 0 && rst[rs.length - 1] == 1) {
            // Reduced dims end in a unit-stride run of length len: sum whole runs.
            int len = rs[rs.length - 1];
            int[] runs = offsets(java.util.Arrays.copyOf(rs, rs.length - 1), java.util.Arrays.copyOf(rst, rs.length - 1));
            int[] outer = offsets(ks, kst);
            int outputs = outer.length;
            if (outputs == 1 && runs.length == 1 && len >= 2 * SUM_BLOCK && Elementwise.parallel(len, SUM_BLOCK)) {
                // One long run: block sums in parallel, added in order (the serial loop adds the same blocks).
                int p = base + outer[0] + runs[0];
                int blocks = (len + SUM_BLOCK - 1) / SUM_BLOCK;
                double[] partial = new double[blocks];
                Parallel.parallelFor(0, blocks, 1, (lo, hi) -> {
                    for (int b = lo; b < hi; b++) {
                        int at = b * SUM_BLOCK, n = Math.min(SUM_BLOCK, len - at);
                        partial[b] = f32 ? k.sumF32(s.f32(), p + at, n) : k.sumF64(s.f64(), p + at, n);
                    }
                });
                double acc = 0;
                for (double v : partial) acc += v;
                if (f32) o.f32()[oo] = (float) (acc * scale);
                else o.f64()[oo] = acc * scale;
                return true;
            }
            Parallel.RangeBody body = (lo, hi) -> {
                for (int e = lo; e < hi; e++) {
                    double acc = 0;
                    for (int r : runs) acc += sumRun(k, s, f32, base + outer[e] + r, len);
                    if (f32) o.f32()[oo + e] = (float) (acc * scale);
                    else o.f64()[oo + e] = acc * scale;
                }
            };
            int perOutput = total / outputs;
            if (outputs > 1 && Elementwise.parallel(total, Elementwise.GRAIN))
                Parallel.parallelFor(0, outputs, Math.max(1, Elementwise.GRAIN / Math.max(1, perOutput)), body);
            else body.run(0, outputs);
            return true;
        }
        if (scale == 1 && ks.length > 0 && kst[ks.length - 1] == 1 && ks[ks.length - 1] > 1 && rs.length > 0) {
            // Kept dims end in a unit-stride run of cols: add whole rows into the columns.
            int cols = ks[ks.length - 1];
            int[] rows = offsets(rs, rst);
            int[] outer = offsets(java.util.Arrays.copyOf(ks, ks.length - 1), java.util.Arrays.copyOf(kst, ks.length - 1));
            Parallel.RangeBody body = (lo, hi) -> {
                for (int q = 0; q < outer.length; q++) {
                    int p = base + outer[q] + lo, at = oo + q * cols + lo;
                    if (f32) k.columnSumF32(s.f32(), p, rows, hi - lo, o.f32(), at);
                    else k.columnSumF64(s.f64(), p, rows, hi - lo, o.f64(), at);
                }
            };
            // Chunks of whole cache lines of columns, each worth a grain of elements.
            int grain = Math.max(64, (Elementwise.GRAIN / Math.max(1, total / cols) + 63) & ~63);
            if (Elementwise.parallel(total, Elementwise.GRAIN)) Parallel.parallelFor(0, cols, grain, body);
            else body.run(0, cols);
            return true;
        }
        return false;
    }

    /** One run's sum, in blocks of {@link #SUM_BLOCK} added in order. */
    private static double sumRun(ElementKernels k, Storage s, boolean f32, int p, int len) {
        double acc = 0;
        for (int at = 0; at < len; at += SUM_BLOCK) {
            int n = Math.min(SUM_BLOCK, len - at);
            acc += f32 ? k.sumF32(s.f32(), p + at, n) : k.sumF64(s.f64(), p + at, n);
        }
        return acc;
    }

    /**
     * The kept ({@code which == false}) or reduced dims, without size-1 dims and with neighbours
     * merged where one dim steps over the other exactly: {sizes, strides}.
     */
    private static int[][] coalesce(int[] sizes, int[] strides, boolean[] reduced, boolean which) {
        int[] cs = new int[sizes.length], cst = new int[sizes.length];
        int m = 0;
        for (int d = 0; d < sizes.length; d++) {
            if (reduced[d] != which || sizes[d] == 1) continue;
            if (m > 0 && cst[m - 1] == strides[d] * sizes[d]) {
                cs[m - 1] *= sizes[d];
                cst[m - 1] = strides[d];
                continue;
            }
            cs[m] = sizes[d];
            cst[m] = strides[d];
            m++;
        }
        return new int[][] {java.util.Arrays.copyOf(cs, m), java.util.Arrays.copyOf(cst, m)};
    }

    private static void write(ReduceOp op, Storage o, int at, double v, long idx) {
        if (op == ReduceOp.ARGMAX || op == ReduceOp.ARGMIN) { o.i64()[at] = idx; return; }
        if (o.dtype() == DType.FLOAT32) o.f32()[at] = (float) v;
        else o.f64()[at] = v;
    }

    private static void writeLong(ReduceOp op, Storage o, int at, long v, long idx) {
        if (op == ReduceOp.ARGMAX || op == ReduceOp.ARGMIN) { o.i64()[at] = idx; return; }
        if (o.dtype() == DType.BOOL) o.bool()[at] = v != 0;
        else o.i64()[at] = v;
    }

    /** Whether a block with these sizes and strides is dense and row-major (its offsets are 0, 1, 2, ...). */
    static boolean isContiguousBlock(int[] sizes, int[] strides) {
        int expected = 1;
        for (int d = sizes.length - 1; d >= 0; d--) {
            if (sizes[d] == 1) continue;
            if (strides[d] != expected) return false;
            expected *= sizes[d];
        }
        return true;
    }

    /** Offsets (relative) of every element of a strided block, in row-major order of its dims. */
    public static int[] offsets(int[] sizes, int[] strides) {
        long total = 1;
        for (int s : sizes) total *= s;
        int[] r = new int[(int) total];
        if (total == 0) return r;
        int n = sizes.length;
        int[] counter = new int[n];
        int cur = 0;
        for (int i = 0; i < total; i++) {
            r[i] = cur;
            for (int d = n - 1; d >= 0; d--) {
                if (++counter[d] < sizes[d]) { cur += strides[d]; break; }
                counter[d] = 0;
                cur -= strides[d] * (sizes[d] - 1);
            }
        }
        return r;
    }
}
