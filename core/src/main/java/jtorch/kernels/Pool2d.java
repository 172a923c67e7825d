package jtorch.kernels;

/**
 * The loops of 2-D max and average pooling and of their backward passes, on contiguous
 * (N*C, H, W) planes, as PyTorch's CPU kernels define them: max pooling takes the first maximum
 * of each window (a NaN always takes over) and records its flat position in the plane; average
 * pooling divides by the clipped window or by {@code divisor_override}. Planes are independent,
 * so they are spread over the intra-op pool.
 *
 * <p>The winner of a window of a ReLU output is a coin toss, so max pooling selects without
 * branching on the data (a compare-and-branch per element would mispredict half the time).
 */
public final class Pool2d {
    private Pool2d() {}

    /** Window geometry shared by the kernels. */
    public static final class Geometry {
        public final int height, width, kh, kw, sh, sw, ph, pw, dh, dw, outH, outW;

        public Geometry(int height, int width, int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw, int outH, int outW) {
            this.height = height; this.width = width; this.kh = kh; this.kw = kw; this.sh = sh; this.sw = sw;
            this.ph = ph; this.pw = pw; this.dh = dh; this.dw = dw; this.outH = outH; this.outW = outW;
        }
    }

    private static final int GRAIN_ELEMENTS = 1 << 15;

    private static int grain(int perPlane) { return Math.max(1, GRAIN_ELEMENTS / Math.max(1, perPlane)); }

    /** A vector form of the float32 max-pooling plane (see {@code VectorPool}). */
    interface MaxKernel {
        /**
         * Pools the first outputs of a plane whose windows all lie inside the image, as many as fill
         * whole vectors; returns how many it did.
         *
         * @param origins each output's window origin, {@code oy*sh*W + ox*sw}
         * @param scratch an int buffer of at least one vector's length
         */
        int maxPlaneF32(float[] x, int xo, float[] v, int vo, long[] idx, int io, Geometry g, int[] origins, int[] scratch);

        /**
         * One plane of 2x2 stride-2 windows inside the image, as {@code max2x2F32}; false (nothing
         * written) where its rows are narrower than a vector.
         */
        boolean max2x2PlaneF32(float[] x, int xo, float[] v, int vo, long[] idx, int io, Geometry g, int[] scratch);

        /**
         * One plane of 2x2 stride-2 average pooling, windows inside the image, every divisor 4: the
         * same bits as {@code avg2x2F32}'s loop; false (nothing written) where its rows are
         * narrower than a vector.
         */
        boolean avg2x2QuarterPlaneF32(float[] x, int xo, float[] out, int oo, Geometry g);
    }

    /** Loaded reflectively so that no Vector API class is linked unless the module is present. */
    private static final class VectorHolder {
        static final MaxKernel KERNEL = load();

        private static MaxKernel load() {
            if (!Kernels.isAvailable(KernelProvider.VECTOR)) return null;
            try {
                return (MaxKernel) Class.forName("jtorch.kernels.VectorPool").getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException | LinkageError e) {
                return null;
            }
        }
    }

    /** {@code values, indices (planes, outH, outW) <- max over windows of input (planes, H, W)}; all contiguous. */
    public static void maxForward(StridedArray input, StridedArray values, StridedArray indices, int planes, Geometry g) {
        long[] idx = indices.storage().i64();
        int xo = input.storageOffsetInternal(), vo = values.storageOffsetInternal(), io = indices.storageOffsetInternal();
        int inPlane = g.height * g.width, outPlane = g.outH * g.outW;
        Columns cols = new Columns(g);
        MaxKernel vector = Kernels.provider() != KernelProvider.SCALAR ? VectorHolder.KERNEL : null;
        boolean inside = g.ph == 0 && g.pw == 0 && (g.outH - 1) * g.sh + (g.kh - 1) * g.dh < g.height
                && (g.outW - 1) * g.sw + (g.kw - 1) * g.dw < g.width;
        if (input.storage().f32() != null && inside && isTwoByTwo(g)) {
            float[] x = input.storage().f32(), v = values.storage().f32();
            Parallel.parallelFor(0, planes, grain(inPlane), (lo, hi) -> {
                int[] scratch = new int[64];
                for (int p = lo; p < hi; p++)
                    if (vector == null || !vector.max2x2PlaneF32(x, xo + p * inPlane, v, vo + p * outPlane, idx, io + p * outPlane, g, scratch))
                        max2x2F32(x, xo + p * inPlane, v, vo + p * outPlane, idx, io + p * outPlane, g);
            });
        } else if (input.storage().f32() != null && vector != null && inside) {
            float[] x = input.storage().f32(), v = values.storage().f32();
            int[] origins = new int[outPlane];
            for (int oy = 0, e = 0; oy < g.outH; oy++)
                for (int ox = 0; ox < g.outW; ox++) origins[e++] = oy * g.sh * g.width + ox * g.sw;
            Parallel.parallelFor(0, planes, grain(inPlane), (lo, hi) -> {
                int[] scratch = new int[64];
                for (int p = lo; p < hi; p++) {
                    int xp = xo + p * inPlane, vp = vo + p * outPlane, ip = io + p * outPlane;
                    for (int e = vector.maxPlaneF32(x, xp, v, vp, idx, ip, g, origins, scratch); e < outPlane; e++)
                        maxOutputF32(x, xp, v, vp, idx, ip, g, origins[e], e);
                }
            });
        } else if (input.storage().f32() != null) {
            float[] x = input.storage().f32(), v = values.storage().f32();
            Parallel.parallelFor(0, planes, grain(inPlane), (lo, hi) -> {
                float[] best = new float[g.outW];
                int[] at = new int[g.outW];
                for (int p = lo; p < hi; p++) maxPlaneF32(x, xo + p * inPlane, v, vo + p * outPlane, idx, io + p * outPlane, g, cols, best, at);
            });
        } else {
            double[] x = input.storage().f64(), v = values.storage().f64();
            Parallel.parallelFor(0, planes, grain(inPlane), (lo, hi) -> {
                double[] best = new double[g.outW];
                int[] at = new int[g.outW];
                for (int p = lo; p < hi; p++) maxPlaneF64(x, xo + p * inPlane, v, vo + p * outPlane, idx, io + p * outPlane, g, cols, best, at);
            });
        }
    }

    /** LeNet's pooling: 2x2 windows at stride 2, no padding or dilation. */
    private static boolean isTwoByTwo(Geometry g) {
        return g.kh == 2 && g.kw == 2 && g.sh == 2 && g.sw == 2 && g.ph == 0 && g.pw == 0 && g.dh == 1 && g.dw == 1;
    }

    /**
     * One plane of 2x2 stride-2 max pooling, windows inside the image: two input rows per output row,
     * four candidates per output in PyTorch's order with its rule {@code val > max || isnan(val)}, the
     * winner's bits and position chosen by integer masks (no data branch, so no mispredictions on random signs). The general plane loop and the
     * gather-based vector form ran at 15-40 ns per output here; this reads each input once.
     */
    private static void max2x2F32(float[] x, int xo, float[] v, int vo, long[] idx, int io, Geometry g) {
        // The winner's bits and position by integer masks: C2 compiled the selects of the first form
        // (take ? c : best) as branches, mispredicted on ReLU outputs (half of them 0): 6.5-7 ms
        // for LeNet's 256x6x28x28, 3.8-4.0 ms this way.
        int w = g.width, outW = g.outW;
        for (int oy = 0; oy < g.outH; oy++) {
            int top = 2 * oy * w, bottom = top + w, o = oy * outW;
            for (int ox = 0; ox < outW; ox++) {
                int p = top + 2 * ox, q = bottom + 2 * ox;
                float c0 = x[xo + p], c1 = x[xo + p + 1], c2 = x[xo + q], c3 = x[xo + q + 1];
                int bits = Float.floatToRawIntBits(c0), at = p;
                float best = c0;
                int take = -((c1 > best | c1 != c1) ? 1 : 0);
                bits ^= (bits ^ Float.floatToRawIntBits(c1)) & take;
                at ^= (at ^ (p + 1)) & take;
                best = Float.intBitsToFloat(bits);
                take = -((c2 > best | c2 != c2) ? 1 : 0);
                bits ^= (bits ^ Float.floatToRawIntBits(c2)) & take;
                at ^= (at ^ q) & take;
                best = Float.intBitsToFloat(bits);
                take = -((c3 > best | c3 != c3) ? 1 : 0);
                bits ^= (bits ^ Float.floatToRawIntBits(c3)) & take;
                at ^= (at ^ (q + 1)) & take;
                v[vo + o + ox] = Float.intBitsToFloat(bits);
                idx[io + o + ox] = at;
            }
        }
    }

    /** One output of a window inside the image, scalar (the vector form's leftovers). */
    private static void maxOutputF32(float[] x, int xo, float[] v, int vo, long[] idx, int io, Geometry g, int origin, int e) {
        int at = origin;
        float best = Float.NEGATIVE_INFINITY;
        for (int ki = 0; ki < g.kh; ki++)
            for (int kj = 0; kj < g.kw; kj++) {
                int p = origin + ki * g.dh * g.width + kj * g.dw;
                float c = x[xo + p];
                if (c > best || c != c) { best = c; at = p; }
            }
        v[vo + e] = best;
        idx[io + e] = at;
    }

    /**
     * What does not depend on the plane or the output row, worked out once per call: for each
     * kernel column kj, the outputs whose input column {@code ox*sw - pw + kj*dw} is inside the
     * image, and for each output the first input column of its window (PyTorch's index for a
     * window that holds only -inf).
     */
    private static final class Columns {
        final int[] first, end, firstColumn;

        Columns(Geometry g) {
            first = new int[g.kw];
            end = new int[g.kw];
            for (int kj = 0; kj < g.kw; kj++) {
                int off = kj * g.dw - g.pw;
                first[kj] = off >= 0 ? 0 : (-off + g.sw - 1) / g.sw;
                end[kj] = Math.max(first[kj], Math.min(g.outW, Math.floorDiv(g.width - 1 - off, g.sw) + 1));
            }
            firstColumn = new int[g.outW];
            for (int ox = 0; ox < g.outW; ox++) {
                int x0 = ox * g.sw - g.pw;
                while (x0 < 0) x0 += g.dw;
                firstColumn[ox] = x0;
            }
        }
    }

    /**
     * One plane. The window offset (ki, kj) is the outer loop and a row of outputs the inner one, so
     * each step compares a run of inputs against a row of running maxima with no branch on the data:
     * the value by {@code Math.max} (NaN-propagating, as wanted) and the position by a select. The
     * order of candidates per output stays PyTorch's (row by row, left to right).
     */
    private static void maxPlaneF32(float[] x, int xo, float[] v, int vo, long[] idx, int io, Geometry g, Columns cols,
                                    float[] best, int[] at) {
        int w = g.width, outW = g.outW, sw = g.sw;
        for (int oy = 0; oy < g.outH; oy++) {
            int yFirst = oy * g.sh - g.ph;
            while (yFirst < 0) yFirst += g.dh;
            for (int ox = 0; ox < outW; ox++) {
                at[ox] = yFirst * w + cols.firstColumn[ox];
                best[ox] = Float.NEGATIVE_INFINITY;
            }
            for (int ki = 0; ki < g.kh; ki++) {
                int y = oy * g.sh - g.ph + ki * g.dh;
                if (y < 0 || y >= g.height) continue;
                for (int kj = 0; kj < g.kw; kj++) {
                    int row = y * w + kj * g.dw - g.pw, end = cols.end[kj];
                    for (int ox = cols.first[kj]; ox < end; ox++) {
                        int p = row + ox * sw;
                        float c = x[xo + p], b = best[ox];
                        // PyTorch's (val > maxval) || isnan(val): a later NaN takes the position over.
                        at[ox] = (c > b | c != c) ? p : at[ox];
                        best[ox] = Math.max(b, c);
                    }
                }
            }
            int o = oy * outW;
            for (int ox = 0; ox < outW; ox++) {
                // The input's own bits (-0, NaN payloads); -inf for a window of -inf only, or one that
                // lies wholly in the padding (its position, like PyTorch's, is then past the row).
                v[vo + o + ox] = best[ox] == Float.NEGATIVE_INFINITY ? Float.NEGATIVE_INFINITY : x[xo + at[ox]];
                idx[io + o + ox] = at[ox];
            }
        }
    }

    private static void maxPlaneF64(double[] x, int xo, double[] v, int vo, long[] idx, int io, Geometry g, Columns cols,
                                    double[] best, int[] at) {
        int w = g.width, outW = g.outW, sw = g.sw;
        for (int oy = 0; oy < g.outH; oy++) {
            int yFirst = oy * g.sh - g.ph;
            while (yFirst < 0) yFirst += g.dh;
            for (int ox = 0; ox < outW; ox++) {
                at[ox] = yFirst * w + cols.firstColumn[ox];
                best[ox] = Double.NEGATIVE_INFINITY;
            }
            for (int ki = 0; ki < g.kh; ki++) {
                int y = oy * g.sh - g.ph + ki * g.dh;
                if (y < 0 || y >= g.height) continue;
                for (int kj = 0; kj < g.kw; kj++) {
                    int row = y * w + kj * g.dw - g.pw, end = cols.end[kj];
                    for (int ox = cols.first[kj]; ox < end; ox++) {
                        int p = row + ox * sw;
                        double c = x[xo + p], b = best[ox];
                        at[ox] = (c > b | c != c) ? p : at[ox];
                        best[ox] = Math.max(b, c);
                    }
                }
            }
            int o = oy * outW;
            for (int ox = 0; ox < outW; ox++) {
                v[vo + o + ox] = best[ox] == Double.NEGATIVE_INFINITY ? Double.NEGATIVE_INFINITY : x[xo + at[ox]];
                idx[io + o + ox] = at[ox];
            }
        }
    }

    /**
     * {@code gradInput (planes, H, W) += gradOutput at the recorded positions}; gradInput zero-filled,
     * all contiguous. A window wholly in the padding records a position outside its plane and gets
     * no gradient (PyTorch 1.13 adds it into the next plane's memory).
     */
    public static void maxBackward(StridedArray gradOutput, StridedArray indices, StridedArray gradInput, int planes, Geometry g) {
        long[] idx = indices.storage().i64();
        int go = gradOutput.storageOffsetInternal(), io = indices.storageOffsetInternal(), gi = gradInput.storageOffsetInternal();
        int inPlane = g.height * g.width, outPlane = g.outH * g.outW;
        if (gradInput.storage().f32() != null) {
            float[] gout = gradOutput.storage().f32(), gin = gradInput.storage().f32();
            Parallel.parallelFor(0, planes, grain(inPlane), (lo, hi) -> {
                for (int p = lo; p < hi; p++) {
                    int o = go + p * outPlane, i = io + p * outPlane, base = gi + p * inPlane;
                    for (int e = 0; e < outPlane; e++) {
                        long at = idx[i + e];
                        if (at >= 0 && at < inPlane) gin[base + (int) at] += gout[o + e];
                    }
                }
            });
        } else {
            double[] gout = gradOutput.storage().f64(), gin = gradInput.storage().f64();
            Parallel.parallelFor(0, planes, grain(inPlane), (lo, hi) -> {
                for (int p = lo; p < hi; p++) {
                    int o = go + p * outPlane, i = io + p * outPlane, base = gi + p * inPlane;
                    for (int e = 0; e < outPlane; e++) {
                        long at = idx[i + e];
                        if (at >= 0 && at < inPlane) gin[base + (int) at] += gout[o + e];
                    }
                }
            });
        }
    }

    /**
     * The divisor of each output position (PyTorch's {@code divide_factor}): {@code divisorOverride}
     * if non-zero, else the window clipped to the padded input (count_include_pad) or to the input.
     * A window that lies wholly in the padding gets 0 (its output is 0).
     */
    public static int[] avgDivisors(Geometry g, boolean countIncludePad, int divisorOverride) {
        int[] d = new int[g.outH * g.outW];
        for (int oy = 0; oy < g.outH; oy++)
            for (int ox = 0; ox < g.outW; ox++) {
                int y0 = oy * g.sh - g.ph, x0 = ox * g.sw - g.pw;
                int y1 = Math.min(y0 + g.kh, g.height + g.ph), x1 = Math.min(x0 + g.kw, g.width + g.pw);
                int poolSize = (y1 - y0) * (x1 - x0);
                y0 = Math.max(y0, 0); x0 = Math.max(x0, 0);
                y1 = Math.min(y1, g.height); x1 = Math.min(x1, g.width);
                if (y0 >= y1 || x0 >= x1) continue;
                d[oy * g.outW + ox] = divisorOverride != 0 ? divisorOverride : countIncludePad ? poolSize : (y1 - y0) * (x1 - x0);
            }
        return d;
    }

    /** {@code out (planes, outH, outW) <- window sums / divisors}; sums accumulate in double. */
    public static void avgForward(StridedArray input, StridedArray out, int planes, Geometry g, int[] divisors) {
        int xo = input.storageOffsetInternal(), oo = out.storageOffsetInternal();
        int inPlane = g.height * g.width, outPlane = g.outH * g.outW;
        boolean f32 = input.storage().f32() != null;
        float[] xf = input.storage().f32(), of = out.storage().f32();
        double[] xd = input.storage().f64(), od = out.storage().f64();
        if (f32 && isTwoByTwo(g) && 2 * g.outH <= g.height && 2 * g.outW <= g.width) {
            Parallel.parallelFor(0, planes, grain(inPlane),
                    (lo, hi) -> { for (int p = lo; p < hi; p++) avg2x2F32(xf, xo + p * inPlane, of, oo + p * outPlane, g, divisors); });
            return;
        }
        Parallel.parallelFor(0, planes, grain(inPlane), (lo, hi) -> {
            for (int p = lo; p < hi; p++)
                for (int oy = 0; oy < g.outH; oy++) {
                    int y0 = Math.max(oy * g.sh - g.ph, 0), y1 = Math.min(oy * g.sh - g.ph + g.kh, g.height);
                    for (int ox = 0; ox < g.outW; ox++) {
                        int e = oy * g.outW + ox;
                        int div = divisors[e];
                        if (div == 0) continue; // the output stays 0
                        int x0 = Math.max(ox * g.sw - g.pw, 0), x1 = Math.min(ox * g.sw - g.pw + g.kw, g.width);
                        double sum = 0;
                        int base = xo + p * inPlane;
                        for (int y = y0; y < y1; y++)
                            for (int x = x0; x < x1; x++) sum += f32 ? xf[base + y * g.width + x] : xd[base + y * g.width + x];
                        if (f32) of[oo + p * outPlane + e] = (float) sum / div;
                        else od[oo + p * outPlane + e] = sum / div;
                    }
                }
        });
    }

    /**
     * One plane of 2x2 stride-2 average pooling, windows inside the image: the general loop's sum (in
     * double, row by row) and division, with the window bounds and the dtype test out of the loop.
     */
    private static void avg2x2F32(float[] x, int xo, float[] out, int oo, Geometry g, int[] divisors) {
        int w = g.width, outW = g.outW;
        if (allQuarters(divisors)) {
            MaxKernel vector = Kernels.provider() != KernelProvider.SCALAR ? VectorHolder.KERNEL : null;
            if (vector != null && vector.avg2x2QuarterPlaneF32(x, xo, out, oo, g)) return;
            // x / 4 and x * 0.25 are the same exact value rounded once: the same bits, without a division per output.
            for (int oy = 0; oy < g.outH; oy++) {
                int top = xo + 2 * oy * w, bottom = top + w, o = oo + oy * outW;
                for (int ox = 0; ox < outW; ox++) {
                    int t = top + 2 * ox, b = bottom + 2 * ox;
                    double sum = (double) x[t] + x[t + 1] + x[b] + x[b + 1];
                    out[o + ox] = (float) sum * 0.25f;
                }
            }
            return;
        }
        for (int oy = 0; oy < g.outH; oy++) {
            int top = xo + 2 * oy * w, bottom = top + w, o = oy * outW;
            for (int ox = 0; ox < outW; ox++) {
                int div = divisors[o + ox];
                if (div == 0) continue; // as in the general loop
                double sum = 0.0 + x[top + 2 * ox] + x[top + 2 * ox + 1] + x[bottom + 2 * ox] + x[bottom + 2 * ox + 1];
                out[oo + o + ox] = (float) sum / div;
            }
        }
    }

    /** Whether every output divides by 4 (a 2x2 window wholly inside the image, no divisor override). */
    private static boolean allQuarters(int[] divisors) {
        for (int d : divisors) if (d != 4) return false;
        return true;
    }

    /** {@code gradInput (planes, H, W) += gradOutput / divisor over each clipped window}; gradInput zero-filled. */
    public static void avgBackward(StridedArray gradOutput, StridedArray gradInput, int planes, Geometry g, int[] divisors) {
        int go = gradOutput.storageOffsetInternal(), gi = gradInput.storageOffsetInternal();
        int inPlane = g.height * g.width, outPlane = g.outH * g.outW;
        boolean f32 = gradInput.storage().f32() != null;
        float[] gof = gradOutput.storage().f32(), gif = gradInput.storage().f32();
        double[] god = gradOutput.storage().f64(), gid = gradInput.storage().f64();
        if (f32 && isTwoByTwo(g) && 2 * g.outH <= g.height && 2 * g.outW <= g.width) {
            Parallel.parallelFor(0, planes, grain(inPlane),
                    (lo, hi) -> { for (int p = lo; p < hi; p++) avgBackward2x2F32(gof, go + p * outPlane, gif, gi + p * inPlane, g, divisors); });
            return;
        }
        Parallel.parallelFor(0, planes, grain(inPlane), (lo, hi) -> {
            for (int p = lo; p < hi; p++)
                for (int oy = 0; oy < g.outH; oy++) {
                    int y0 = Math.max(oy * g.sh - g.ph, 0), y1 = Math.min(oy * g.sh - g.ph + g.kh, g.height);
                    for (int ox = 0; ox < g.outW; ox++) {
                        int e = oy * g.outW + ox;
                        int div = divisors[e];
                        if (div == 0) continue;
                        int x0 = Math.max(ox * g.sw - g.pw, 0), x1 = Math.min(ox * g.sw - g.pw + g.kw, g.width);
                        int base = gi + p * inPlane;
                        if (f32) {
                            float share = gof[go + p * outPlane + e] / div;
                            for (int y = y0; y < y1; y++) for (int x = x0; x < x1; x++) gif[base + y * g.width + x] += share;
                        } else {
                            double share = god[go + p * outPlane + e] / div;
                            for (int y = y0; y < y1; y++) for (int x = x0; x < x1; x++) gid[base + y * g.width + x] += share;
                        }
                    }
                }
        });
    }

    /**
     * One plane of the 2x2 stride-2 average-pooling backward, windows inside the image: the windows do
     * not overlap, so each input of a window is written once with its share ({@code + 0f}: the general
     * loop's {@code 0 + share}, which turns -0 into +0); inputs outside every window keep their zero.
     */
    private static void avgBackward2x2F32(float[] gout, int go, float[] gin, int gi, Geometry g, int[] divisors) {
        int w = g.width, outW = g.outW;
        boolean quarter = allQuarters(divisors);
        for (int oy = 0; oy < g.outH; oy++) {
            int top = gi + 2 * oy * w, bottom = top + w, o = oy * outW;
            for (int ox = 0; ox < outW; ox++) {
                int div = divisors[o + ox];
                if (div == 0) continue; // as in the general loop
                float share = (quarter ? gout[go + o + ox] * 0.25f : gout[go + o + ox] / div) + 0f;
                int t = top + 2 * ox, b = bottom + 2 * ox;
                gin[t] = share;
                gin[t + 1] = share;
                gin[b] = share;
                gin[b + 1] = share;
            }
        }
    }
}
