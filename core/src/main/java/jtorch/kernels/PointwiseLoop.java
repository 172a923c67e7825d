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
 * element (all strides 0) too; other layouts are coalesced into runs by {@link ElementLoop}, and a
 * run whose input does not have stride 1 (or 0, for a binary op) is gathered into a small buffer
 * first, so that every element goes through the same kernel and gives the same bits whatever the
 * layout. Above a grain of elements per thread the range is split across {@link Parallel}; every
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
     * {@code out} dense from {@code oo}, {@code a} at {@code ao} with {@code aStrides} over {@code sizes}.
     */
    public static void unary(UnaryKernel k, Object out, int oo, Object a, int ao, int[] sizes, int[] aStrides) {
        if (out instanceof float[]) unaryF32(k, (float[]) out, oo, (float[]) a, ao, sizes, aStrides);
        else unaryF64(k, (double[]) out, oo, (double[]) a, ao, sizes, aStrides);
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

    /**
     * {@code out = op(a, b)}: all {@code float[]} or all {@code double[]}; {@code out} dense from
     * {@code oo}; {@code a} and {@code b} expanded to {@code sizes} (stride 0 along broadcast dims).
     */
    public static void binary(BinaryKernel k, Object out, int oo, Object a, int ao, int[] aStrides, Object b, int bo, int[] bStrides,
                              int[] sizes) {
        if (out instanceof float[]) binaryF32(k, (float[]) out, oo, (float[]) a, ao, aStrides, (float[]) b, bo, bStrides, sizes);
        else binaryF64(k, (double[]) out, oo, (double[]) a, ao, aStrides, (double[]) b, bo, bStrides, sizes);
    }

    static void binaryF32(BinaryKernel k, float[] o, int oo, float[] a, int ao, int[] aStrides, float[] b, int bo, int[] bStrides,
                          int[] sizes) {
        int n = numel(sizes);
        if (n == 0) return;
        int grain = grain(k.cheap());
        int ua = unitOrBroadcast(sizes, aStrides), ub = unitOrBroadcast(sizes, bStrides);
        if (ua >= 0 && ub >= 0) { // one run; a broadcast number (x * 0.5) has stride 0 along it
            if (Elementwise.parallel(n, grain))
                Parallel.parallelFor(0, n, grain, (lo, hi) -> k.f32(o, oo + lo, a, ao + lo * ua, ua, b, bo + lo * ub, ub, hi - lo));
            else k.f32(o, oo, a, ao, ua, b, bo, ub, n);
            return;
        }
        ElementLoop l = ElementLoop.of(sizes, new int[][] {denseStrides(sizes), aStrides, bStrides}, new int[] {oo, ao, bo});
        int sa = l.innerStride[1], sb = l.innerStride[2];
        if ((sa >>> 1) == 0 && (sb >>> 1) == 0) {
            Elementwise.run(l, grain, (off, len) -> k.f32(o, off[0], a, off[1], sa, b, off[2], sb, len));
            return;
        }
        boolean gatherA = (sa >>> 1) != 0, gatherB = (sb >>> 1) != 0;
        chunks(l, grain, (lo, hi) -> {
            float[] bufA = gatherA ? new float[Math.min(l.inner, GATHER)] : null, bufB = gatherB ? new float[Math.min(l.inner, GATHER)] : null;
            l.walk(lo, hi, (off, len) -> {
                for (int s = 0; s < len; s += GATHER) {
                    int m = Math.min(GATHER, len - s);
                    float[] x = a, y = b;
                    int px = off[1] + s * sa, py = off[2] + s * sb, sx = sa, sy = sb;
                    if (gatherA) { for (int i = 0, p = px; i < m; i++, p += sa) bufA[i] = a[p]; x = bufA; px = 0; sx = 1; }
                    if (gatherB) { for (int i = 0, p = py; i < m; i++, p += sb) bufB[i] = b[p]; y = bufB; py = 0; sy = 1; }
                    k.f32(o, off[0] + s, x, px, sx, y, py, sy, m);
                }
            });
        });
    }

    static void binaryF64(BinaryKernel k, double[] o, int oo, double[] a, int ao, int[] aStrides, double[] b, int bo, int[] bStrides,
                          int[] sizes) {
        int n = numel(sizes);
        if (n == 0) return;
        int grain = grain(k.cheap());
        int ua = unitOrBroadcast(sizes, aStrides), ub = unitOrBroadcast(sizes, bStrides);
        if (ua >= 0 && ub >= 0) {
            if (Elementwise.parallel(n, grain))
                Parallel.parallelFor(0, n, grain, (lo, hi) -> k.f64(o, oo + lo, a, ao + lo * ua, ua, b, bo + lo * ub, ub, hi - lo));
            else k.f64(o, oo, a, ao, ua, b, bo, ub, n);
            return;
        }
        ElementLoop l = ElementLoop.of(sizes, new int[][] {denseStrides(sizes), aStrides, bStrides}, new int[] {oo, ao, bo});
        int sa = l.innerStride[1], sb = l.innerStride[2];
        if ((sa >>> 1) == 0 && (sb >>> 1) == 0) {
            Elementwise.run(l, grain, (off, len) -> k.f64(o, off[0], a, off[1], sa, b, off[2], sb, len));
            return;
        }
        boolean gatherA = (sa >>> 1) != 0, gatherB = (sb >>> 1) != 0;
        chunks(l, grain, (lo, hi) -> {
            double[] bufA = gatherA ? new double[Math.min(l.inner, GATHER)] : null, bufB = gatherB ? new double[Math.min(l.inner, GATHER)] : null;
            l.walk(lo, hi, (off, len) -> {
                for (int s = 0; s < len; s += GATHER) {
                    int m = Math.min(GATHER, len - s);
                    double[] x = a, y = b;
                    int px = off[1] + s * sa, py = off[2] + s * sb, sx = sa, sy = sb;
                    if (gatherA) { for (int i = 0, p = px; i < m; i++, p += sa) bufA[i] = a[p]; x = bufA; px = 0; sx = 1; }
                    if (gatherB) { for (int i = 0, p = py; i < m; i++, p += sb) bufB[i] = b[p]; y = bufB; py = 0; sy = 1; }
                    k.f64(o, off[0] + s, x, px, sx, y, py, sy, m);
                }
            });
        });
    }
}
