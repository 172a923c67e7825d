package jtorch.kernels;

import jtorch.Tensor;

/**
 * Iterates several same-shaped strided operands as runs along their innermost (coalesced) dimension.
 * A kernel loops {@code for run: for i < inner: op(off[k] + i * innerStride[k])} and calls
 * {@link #next()} between runs; the outer odometer updates offsets incrementally, so the inner loop
 * does no index arithmetic beyond one multiply-add per operand.
 *
 * <pre>{@code
 * StridedLoop l = StridedLoop.of(out, a);
 * for (long r = 0; r < l.runs; r++, l.next())
 *     for (int i = 0; i < l.inner; i++) o[l.off[0] + i * l.innerStride[0]] = -x[l.off[1] + i * l.innerStride[1]];
 * }</pre>
 */
public final class StridedLoop {
    /** Length of each run. */
    public final int inner;
    /** Stride of each operand along the run. */
    public final int[] innerStride;
    /** Number of runs. */
    public final long runs;
    /** Start offset of each operand for the current run. */
    public final int[] off;
    /** True when every operand's run is unit-stride (the kernels' fast path). */
    public final boolean unitStride;

    private final int[] outerSizes;
    private final int[][] outerStrides; // [dim][operand]
    private final int[] counter;

    private StridedLoop(int[] sizes, int[][] strides, int[] offsets) {
        int k = offsets.length;
        // Coalesce: drop size-1 dims; merge dim i into i+1 when every operand is contiguous across them.
        int nd = sizes.length;
        int[] cs = new int[nd];
        int[][] cst = new int[nd][];
        int m = 0;
        for (int d = 0; d < nd; d++) {
            if (sizes[d] == 1) continue;
            int[] st = new int[k];
            for (int j = 0; j < k; j++) st[j] = strides[j][d];
            if (m > 0) {
                boolean merge = true;
                for (int j = 0; j < k; j++) if (cst[m - 1][j] != st[j] * sizes[d]) { merge = false; break; }
                if (merge) {
                    cs[m - 1] *= sizes[d];
                    cst[m - 1] = st;
                    continue;
                }
            }
            cs[m] = sizes[d];
            cst[m] = st;
            m++;
        }
        long total = 1;
        for (int s : sizes) total *= s;
        this.off = offsets.clone();
        if (total == 0) {
            inner = 0; innerStride = new int[k]; runs = 0; outerSizes = new int[0]; outerStrides = new int[0][]; counter = new int[0];
            unitStride = true;
            return;
        }
        if (m == 0) {
            inner = 1; innerStride = new int[k]; runs = 1; outerSizes = new int[0]; outerStrides = new int[0][]; counter = new int[0];
            unitStride = true;
            return;
        }
        inner = cs[m - 1];
        innerStride = cst[m - 1];
        outerSizes = new int[m - 1];
        outerStrides = new int[m - 1][];
        long r = 1;
        for (int d = 0; d < m - 1; d++) {
            outerSizes[d] = cs[d];
            outerStrides[d] = cst[d];
            r *= cs[d];
        }
        runs = r;
        counter = new int[m - 1];
        boolean unit = true;
        for (int s : innerStride) if (s != 1) unit = false;
        unitStride = unit;
    }

    /** A loop over operands that all have {@code operands[0]}'s sizes. */
    public static StridedLoop of(Tensor... operands) {
        int[] sizes = operands[0].sizesInternal();
        int[][] strides = new int[operands.length][];
        int[] offsets = new int[operands.length];
        for (int j = 0; j < operands.length; j++) {
            strides[j] = operands[j].stridesInternal();
            offsets[j] = operands[j].storageOffsetInternal();
        }
        return new StridedLoop(sizes, strides, offsets);
    }

    /** A loop over explicit geometry (used by kernels that permute dims). */
    public static StridedLoop of(int[] sizes, int[][] strides, int[] offsets) {
        return new StridedLoop(sizes, strides, offsets);
    }

    /** Advances {@link #off} to the next run. */
    public void next() {
        for (int d = outerSizes.length - 1; d >= 0; d--) {
            int[] st = outerStrides[d];
            if (++counter[d] < outerSizes[d]) {
                for (int j = 0; j < off.length; j++) off[j] += st[j];
                return;
            }
            counter[d] = 0;
            for (int j = 0; j < off.length; j++) off[j] -= st[j] * (outerSizes[d] - 1);
        }
    }
}
