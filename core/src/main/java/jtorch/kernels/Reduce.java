package jtorch.kernels;

import jtorch.DType;
import jtorch.Storage;
import jtorch.Tensor;

/**
 * Reductions over a set of dims. The output is contiguous with the kept dims in order; for each
 * output element the kernel walks the reduced region through a table of offsets built once, so
 * the inner loop is a plain indexed read. Floating sums and products accumulate in double.
 */
public final class Reduce {
    private Reduce() {}

    /**
     * @param reduced per input dim, whether it is reduced
     * @param out     contiguous, numel = product of kept sizes; dtype: input's (MAX/MIN), int64 (ARG*,
     *                SUM/PROD of int or bool), else the input's floating dtype
     */
    public static void reduce(ReduceOp op, Tensor in, boolean[] reduced, Tensor out) {
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
                        v = acc;
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
