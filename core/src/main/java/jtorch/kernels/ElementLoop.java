package jtorch.kernels;

/**
 * The geometry of several same-shaped strided operands, coalesced into runs along the innermost
 * dimension, that can be walked from any element on: {@link #walk} visits a flat range of
 * elements (row-major) as segments of runs, so a parallel chunk may start and end mid-run. Within
 * a segment every operand advances by its {@link #innerStride}; between runs the offsets move by
 * an odometer, never by per-element index arithmetic.
 */
final class ElementLoop {
    /** What a kernel does with one segment: {@code n} elements from offsets {@code off[k]}, strides {@link #innerStride}. */
    interface Segment {
        void run(int[] off, int n);
    }

    /** Number of operands. */
    final int k;
    /** Elements in total. */
    final int numel;
    /** Length of each run. */
    final int inner;
    /** Stride of each operand along a run. */
    final int[] innerStride;
    private final int[] outerSizes;
    /** {@code outerStrides[d * k + j]}: operand j's stride along outer dim d. */
    private final int[] outerStrides;
    private final int[] base;

    private ElementLoop(int[] sizes, int[][] strides, int[] offsets) {
        k = offsets.length;
        base = offsets;
        int nd = sizes.length;
        long total = 1;
        for (int s : sizes) total *= s;
        numel = (int) total;
        // Coalesce: drop size-1 dims; merge dim d into the previous kept one when every operand is contiguous across them.
        int[] cs = new int[nd];
        int[] cst = new int[nd * k];
        int m = 0;
        for (int d = 0; d < nd; d++) {
            if (sizes[d] == 1) continue;
            if (m > 0) {
                boolean merge = true;
                for (int j = 0; j < k; j++)
                    if (cst[(m - 1) * k + j] != strides[j][d] * sizes[d]) { merge = false; break; }
                if (merge) {
                    cs[m - 1] *= sizes[d];
                    for (int j = 0; j < k; j++) cst[(m - 1) * k + j] = strides[j][d];
                    continue;
                }
            }
            cs[m] = sizes[d];
            for (int j = 0; j < k; j++) cst[m * k + j] = strides[j][d];
            m++;
        }
        innerStride = new int[k];
        if (total == 0 || m == 0) {
            inner = total == 0 ? 0 : 1;
            outerSizes = new int[0];
            outerStrides = new int[0];
            return;
        }
        inner = cs[m - 1];
        System.arraycopy(cst, (m - 1) * k, innerStride, 0, k);
        outerSizes = java.util.Arrays.copyOf(cs, m - 1);
        outerStrides = java.util.Arrays.copyOf(cst, (m - 1) * k);
    }

    /** The loop over operands that all have {@code operands[0]}'s sizes. */
    static ElementLoop of(StridedArray... operands) {
        int[][] strides = new int[operands.length][];
        int[] offsets = new int[operands.length];
        for (int j = 0; j < operands.length; j++) {
            strides[j] = operands[j].stridesInternal();
            offsets[j] = operands[j].storageOffsetInternal();
        }
        return new ElementLoop(operands[0].sizesInternal(), strides, offsets);
    }

    /** The loop over explicit geometry: {@code strides[j]} and {@code offsets[j]} are operand j's (kernels that drop a dim). */
    static ElementLoop of(int[] sizes, int[][] strides, int[] offsets) {
        return new ElementLoop(sizes, strides, offsets);
    }

    /** Whether every operand's runs are unit-stride. */
    boolean unitStride() {
        for (int s : innerStride) if (s != 1) return false;
        return true;
    }

    /** Visits elements {@code [begin, end)} in row-major order as run segments. */
    void walk(int begin, int end, Segment body) {
        if (begin >= end) return;
        int nd = outerSizes.length;
        int[] off = base.clone();
        int[] counter = new int[nd];
        int run = begin / inner, i = begin - run * inner;
        for (int d = nd - 1, r = run; d >= 0; d--) {
            int c = r % outerSizes[d];
            r /= outerSizes[d];
            counter[d] = c;
            for (int j = 0; j < k; j++) off[j] += c * outerStrides[d * k + j];
        }
        int[] cur = new int[k];
        int left = end - begin;
        while (true) {
            int n = Math.min(inner - i, left);
            for (int j = 0; j < k; j++) cur[j] = off[j] + i * innerStride[j];
            body.run(cur, n);
            left -= n;
            if (left == 0) return;
            i = 0;
            // Odometer over the outer dims.
            for (int d = nd - 1; d >= 0; d--) {
                int at = d * k;
                if (++counter[d] < outerSizes[d]) {
                    for (int j = 0; j < k; j++) off[j] += outerStrides[at + j];
                    break;
                }
                counter[d] = 0;
                for (int j = 0; j < k; j++) off[j] -= outerStrides[at + j] * (outerSizes[d] - 1);
            }
        }
    }
}
