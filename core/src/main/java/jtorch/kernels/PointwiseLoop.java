package jtorch.kernels;

/**
 * The generic driver of the pointwise ops of the op table: it takes storage arrays, offsets,
 * sizes and strides (never a {@code Tensor}), walks any layout as contiguous runs and calls the
 * op's kernel ({@link UnaryKernel}, {@link BinaryKernel}) once per run, so the only per-element
 * code is the kernel's own monomorphic loop.
 *
 * <p>The output is dense and row-major (freshly allocated by the caller, at offset {@code oo});
 * inputs arrive already converted to the output's dtype and expanded to its sizes (a broadcast
 * dim has stride 0). Contiguous inputs are one run; inputs that are contiguous or one broadcast
 * element (all strides 0) too; other layouts are coalesced into runs by {@link ElementLoop}. A
 * unary run whose input is not unit-stride is gathered into a small buffer first, so that every
 * element goes through the same kernel and gives the same bits whatever the layout; a binary
 * kernel takes any input strides (its loop steps {@code pa += sa}), so binary runs are read in place. Above a grain of elements per thread the range is split across {@link Parallel}; every
 * element is computed by the same formula wherever the split falls.
 *
 * <pre>{@code
 * // y = sinh(x) for a float32 x of sizes s, strides st, at offset xo, into a fresh dense y:
 * PointwiseLoop.unary(PointwiseKernels.SINH, yData, 0, xData, xo, s, st);
 * }</pre>
 */
public final class PointwiseLoop {
    private PointwiseLoop() {}

    /** Elements per parallel chunk of a cheap op: below two chunks' worth an op runs on the caller. */
    public static final int GRAIN = Elementwise.GRAIN;
    /** Elements per parallel chunk of a transcendental op, some ten times dearer per element. */
    public static final int GRAIN_TRANSCENDENTAL = Elementwise.GRAIN_TRANSCENDENTAL;
    /** Elements gathered at a time from a run that is not unit-stride. */
    private static final int GATHER = 1024;

    /** The number of elements of {@code sizes}. */
    static int numel(int[] sizes) {
        long n = 1;
        for (int s : sizes) n *= s;
        return (int) n;
    }

    /** 1 for a dense row-major layout (size-1 dims' strides ignored), 0 for one element broadcast everywhere (all strides 0), else -1. */
    static int unitOrBroadcast(int[] sizes, int[] strides) {
        int expected = 1;
        boolean dense = true, broadcast = true;
        for (int d = sizes.length - 1; d >= 0; d--) {
            if (sizes[d] == 1) continue;
            if (sizes[d] == 0) return 1;
            if (strides[d] != expected) dense = false;
            if (strides[d] != 0) broadcast = false;
            expected *= sizes[d];
        }
        return dense ? 1 : broadcast ? 0 : -1;
    }

    /** Row-major strides of {@code sizes}. */
    static int[] denseStrides(int[] sizes) {
        int[] st = new int[sizes.length];
        int s = 1;
        for (int d = sizes.length - 1; d >= 0; d--) { st[d] = s; s *= sizes[d]; }
        return st;
    }

    private static int grain(boolean cheap) { return cheap ? GRAIN : GRAIN_TRANSCENDENTAL; }

    // ------------------------------------------------------------------ unary

    /**
     * {@code out = op(a)}: {@code out} and {@code a} both {@code float[]} or both {@code double[]};
     * {@code out} dense from {@code oo}, {@code a} at {@code ao} with {@code aStrides} over {@code sizes}
     * ({@code long[]} for an op with an int64 kernel).
     */
    public static void unary(UnaryKernel k, Object out, int oo, Object a, int ao, int[] sizes, int[] aStrides) {
        if (out instanceof float[]) unaryF32(k, (float[]) out, oo, (float[]) a, ao, sizes, aStrides);
        else if (out instanceof double[]) unaryF64(k, (double[]) out, oo, (double[]) a, ao, sizes, aStrides);
        else unaryI64(k, (long[]) out, oo, (long[]) a, ao, sizes, aStrides);
    }

    /** As {@link #unaryF64} in int64 (an op whose row keeps integers). */
    static void unaryI64(UnaryKernel k, long[] o, int oo, long[] a, int ao, int[] sizes, int[] aStrides) {
        int n = numel(sizes);
        if (n == 0) return;
        int grain = grain(k.cheap());
        if (unitOrBroadcast(sizes, aStrides) == 1) {
            if (Elementwise.parallel(n, grain)) Parallel.parallelFor(0, n, grain, (lo, hi) -> k.i64(o, oo + lo, a, ao + lo, hi - lo));
            else k.i64(o, oo, a, ao, n);
            return;
        }
        ElementLoop l = ElementLoop.of(sizes, new int[][] {denseStrides(sizes), aStrides}, new int[] {oo, ao});
        int sa = l.innerStride[1];
        if (sa == 1) {
            Elementwise.run(l, grain, (off, len) -> k.i64(o, off[0], a, off[1], len));
            return;
        }
        chunks(l, grain, (lo, hi) -> {
            long[] buf = new long[Math.min(l.inner, GATHER)];
            l.walk(lo, hi, (off, len) -> {
                for (int s = 0; s < len; s += GATHER) {
                    int m = Math.min(GATHER, len - s);
                    for (int i = 0, p = off[1] + s * sa; i < m; i++, p += sa) buf[i] = a[p];
                    k.i64(o, off[0] + s, buf, 0, m);
                }
            });
        });
    }

    static void unaryF32(UnaryKernel k, float[] o, int oo, float[] a, int ao, int[] sizes, int[] aStrides) {
        int n = numel(sizes);
        if (n == 0) return;
        int grain = grain(k.cheap());
        if (unitOrBroadcast(sizes, aStrides) == 1) {
            if (Elementwise.parallel(n, grain)) Parallel.parallelFor(0, n, grain, (lo, hi) -> k.f32(o, oo + lo, a, ao + lo, hi - lo));
            else k.f32(o, oo, a, ao, n);
            return;
        }
        ElementLoop l = ElementLoop.of(sizes, new int[][] {denseStrides(sizes), aStrides}, new int[] {oo, ao});
        int sa = l.innerStride[1];
        if (sa == 1) {
            Elementwise.run(l, grain, (off, len) -> k.f32(o, off[0], a, off[1], len));
            return;
        }
        chunks(l, grain, (lo, hi) -> {
            float[] buf = new float[Math.min(l.inner, GATHER)];
            l.walk(lo, hi, (off, len) -> {
                for (int s = 0; s < len; s += GATHER) {
                    int m = Math.min(GATHER, len - s);
                    for (int i = 0, p = off[1] + s * sa; i < m; i++, p += sa) buf[i] = a[p];
                    k.f32(o, off[0] + s, buf, 0, m);
                }
            });
        });
    }

    static void unaryF64(UnaryKernel k, double[] o, int oo, double[] a, int ao, int[] sizes, int[] aStrides) {
        int n = numel(sizes);
        if (n == 0) return;
        int grain = grain(k.cheap());
        if (unitOrBroadcast(sizes, aStrides) == 1) {
            if (Elementwise.parallel(n, grain)) Parallel.parallelFor(0, n, grain, (lo, hi) -> k.f64(o, oo + lo, a, ao + lo, hi - lo));
            else k.f64(o, oo, a, ao, n);
            return;
        }
        ElementLoop l = ElementLoop.of(sizes, new int[][] {denseStrides(sizes), aStrides}, new int[] {oo, ao});
        int sa = l.innerStride[1];
        if (sa == 1) {
            Elementwise.run(l, grain, (off, len) -> k.f64(o, off[0], a, off[1], len));
            return;
        }
        chunks(l, grain, (lo, hi) -> {
            double[] buf = new double[Math.min(l.inner, GATHER)];
            l.walk(lo, hi, (off, len) -> {
                for (int s = 0; s < len; s += GATHER) {
                    int m = Math.min(GATHER, len - s);
                    for (int i = 0, p = off[1] + s * sa; i < m; i++, p += sa) buf[i] = a[p];
                    k.f64(o, off[0] + s, buf, 0, m);
                }
            });
        });
    }

    /** Runs {@code body} over {@code [0, l.numel)} in one piece or split across the pool (each piece its own buffers). */
    private static void chunks(ElementLoop l, int grain, Parallel.RangeBody body) {
        if (Elementwise.parallel(l.numel, grain)) Parallel.parallelFor(0, l.numel, grain, body);
        else body.run(0, l.numel);
    }

    // ------------------------------------------------------------------ binary

    /** One run of a binary op: output unit-stride from {@code po}, inputs from {@code px}/{@code py} with strides {@code sx, sy}. */
    private interface Run {
        void run(int po, Object x, int px, int sx, Object y, int py, int sy, int n);
    }

    /**
     * {@code out = op(a, b)}: all {@code float[]}, all {@code double[]} or all {@code long[]} (an op
     * with an int64 kernel); {@code out} dense from {@code oo}; {@code a} and {@code b} expanded to
     * {@code sizes} (stride 0 along broadcast dims).
     */
    public static void binary(BinaryKernel k, Object out, int oo, Object a, int ao, int[] aStrides, Object b, int bo, int[] bStrides,
                              int[] sizes) {
        Run r;
        if (out instanceof float[]) {
            float[] o = (float[]) out;
            r = (po, x, px, sx, y, py, sy, n) -> k.f32(o, po, (float[]) x, px, sx, (float[]) y, py, sy, n);
        } else if (out instanceof double[]) {
            double[] o = (double[]) out;
            r = (po, x, px, sx, y, py, sy, n) -> k.f64(o, po, (double[]) x, px, sx, (double[]) y, py, sy, n);
        } else {
            long[] o = (long[]) out;
            r = (po, x, px, sx, y, py, sy, n) -> k.i64(o, po, (long[]) x, px, sx, (long[]) y, py, sy, n);
        }
        drive(r, k.cheap(), oo, a, ao, aStrides, b, bo, bStrides, sizes);
    }

    /**
     * {@code out = a op b} into a dense {@code bool} {@code out} from {@code oo}; {@code a} and
     * {@code b} of one dtype ({@code float[]}, {@code double[]}, {@code long[]} or {@code boolean[]}),
     * expanded to {@code sizes}.
     */
    public static void compare(CompareKernel k, boolean[] o, int oo, Object a, int ao, int[] aStrides, Object b, int bo, int[] bStrides,
                               int[] sizes) {
        Run r;
        if (a instanceof float[]) r = (po, x, px, sx, y, py, sy, n) -> k.f32(o, po, (float[]) x, px, sx, (float[]) y, py, sy, n);
        else if (a instanceof double[]) r = (po, x, px, sx, y, py, sy, n) -> k.f64(o, po, (double[]) x, px, sx, (double[]) y, py, sy, n);
        else if (a instanceof long[]) r = (po, x, px, sx, y, py, sy, n) -> k.i64(o, po, (long[]) x, px, sx, (long[]) y, py, sy, n);
        else r = (po, x, px, sx, y, py, sy, n) -> k.bool(o, po, (boolean[]) x, px, sx, (boolean[]) y, py, sy, n);
        drive(r, true, oo, a, ao, aStrides, b, bo, bStrides, sizes);
    }

    /** The walk shared by every binary op and comparison: one run when it can, else coalesced runs. */
    private static void drive(Run r, boolean cheap, int oo, Object a, int ao, int[] aStrides, Object b, int bo, int[] bStrides, int[] sizes) {
        int n = numel(sizes);
        if (n == 0) return;
        int grain = grain(cheap);
        int ua = unitOrBroadcast(sizes, aStrides), ub = unitOrBroadcast(sizes, bStrides);
        if (ua >= 0 && ub >= 0) { // one run; a broadcast number (x * 0.5) has stride 0 along it
            if (Elementwise.parallel(n, grain))
                Parallel.parallelFor(0, n, grain, (lo, hi) -> r.run(oo + lo, a, ao + lo * ua, ua, b, bo + lo * ub, ub, hi - lo));
            else r.run(oo, a, ao, ua, b, bo, ub, n);
            return;
        }
        // Kernels take any input stride along a run (the provider's loops are vectorised for 1 and 0 and
        // plain for the rest), so a transposed operand is read in place, in one pass, as before the op table.
        ElementLoop l = ElementLoop.of(sizes, new int[][] {denseStrides(sizes), aStrides, bStrides}, new int[] {oo, ao, bo});
        int sa = l.innerStride[1], sb = l.innerStride[2];
        Elementwise.run(l, grain, (off, len) -> r.run(off[0], a, off[1], sa, b, off[2], sb, len));
    }
}
