package jtorch.kernels;

import jtorch.Tensor;

/**
 * The loops of {@code unfold} (im2col) and {@code fold} (col2im) on contiguous float tensors.
 * Column row {@code (c, ki, kj)} of sample n holds, for every output position (oy, ox), the input
 * pixel {@code (c, oy*sh - ph + ki*dh, ox*sw - pw + kj*dw)}, or 0 where that falls in the padding.
 * {@code fold} adds the columns back into the image, summing where windows overlap.
 *
 * <p>For each kernel column kj the output positions whose input column is inside the image form
 * one range, computed once: the inner loops copy (stride 1: {@code System.arraycopy}) or add that
 * range with no per-element bounds test, and padding positions are never visited (the columns
 * come zero-filled). (Sample, channel) planes are independent, so they are spread over the
 * intra-op pool.
 */
public final class Im2Col {
    private Im2Col() {}

    /** Geometry shared by both directions. */
    public static final class Geometry {
        public final int channels, height, width, kh, kw, dh, dw, ph, pw, sh, sw, outH, outW;

        public Geometry(int channels, int height, int width, int kh, int kw, int dh, int dw, int ph, int pw, int sh, int sw,
                        int outH, int outW) {
            this.channels = channels; this.height = height; this.width = width;
            this.kh = kh; this.kw = kw; this.dh = dh; this.dw = dw; this.ph = ph; this.pw = pw; this.sh = sh; this.sw = sw;
            this.outH = outH; this.outW = outW;
        }

        public int colRows() { return channels * kh * kw; }

        public int blocks() { return outH * outW; }
    }

    /** {@code cols (N, C*kh*kw, L) <- image (N, C, H, W)}; both contiguous, cols zero-filled. */
    public static void im2col(Tensor image, Tensor cols, int batch, Geometry g) {
        run(image, cols, batch, g, true);
    }

    /** {@code image (N, C, H, W) += cols (N, C*kh*kw, L)}; both contiguous, image zero-filled. */
    public static void col2im(Tensor cols, Tensor image, int batch, Geometry g) {
        run(image, cols, batch, g, false);
    }

    /** Planes per parallel chunk: enough elements that a chunk outweighs a thread's wake-up. */
    private static final int GRAIN_ELEMENTS = 1 << 16;

    private static void run(Tensor image, Tensor cols, int batch, Geometry g, boolean toColumns) {
        int planes = batch * g.channels;
        int perPlane = g.kh * g.kw * g.blocks();
        int grain = Math.max(1, GRAIN_ELEMENTS / Math.max(1, perPlane));
        int imageOff = image.storageOffsetInternal(), colsOff = cols.storageOffsetInternal();
        if (image.storage().f32() != null) {
            float[] img = image.storage().f32(), col = cols.storage().f32();
            Parallel.parallelFor(0, planes, grain, (lo, hi) -> {
                for (int plane = lo; plane < hi; plane++) {
                    if (toColumns) im2colF32(img, imageOff, col, colsOff, plane, g);
                    else col2imF32(col, colsOff, img, imageOff, plane, g);
                }
            });
        } else {
            double[] img = image.storage().f64(), col = cols.storage().f64();
            Parallel.parallelFor(0, planes, grain, (lo, hi) -> {
                for (int plane = lo; plane < hi; plane++) {
                    if (toColumns) im2colF64(img, imageOff, col, colsOff, plane, g);
                    else col2imF64(col, colsOff, img, imageOff, plane, g);
                }
            });
        }
    }

    /** First output column whose input column {@code ox*sw + xoff} is at least 0. */
    static int firstInside(int xoff, int sw) { return xoff >= 0 ? 0 : (-xoff + sw - 1) / sw; }

    /** One past the last output column whose input column is below {@code width}. */
    static int endInside(int xoff, int sw, int width, int outW) {
        int last = width - 1 - xoff;
        return last < 0 ? 0 : Math.min(outW, last / sw + 1);
    }

    /**
     * Plane {@code plane = n * C + c}: its image starts at {@code imageOff + plane * H * W}, its
     * kh*kw column rows at {@code colsOff + plane * kh * kw * L}.
     */
    private static void im2colF32(float[] in, int imageOff, float[] out, int colsOff, int plane, Geometry g) {
        int l = g.blocks(), planeIn = imageOff + plane * g.height * g.width;
        int row = colsOff + plane * g.kh * g.kw * l;
        for (int ki = 0; ki < g.kh; ki++)
            for (int kj = 0; kj < g.kw; kj++, row += l) {
                int xoff = kj * g.dw - g.pw, lo = firstInside(xoff, g.sw), hi = endInside(xoff, g.sw, g.width, g.outW);
                if (lo >= hi) continue;
                for (int oy = 0; oy < g.outH; oy++) {
                    int y = oy * g.sh - g.ph + ki * g.dh;
                    if (y < 0 || y >= g.height) continue; // padding rows stay 0
                    int src = planeIn + y * g.width + xoff, dst = row + oy * g.outW;
                    if (g.sw == 1) System.arraycopy(in, src + lo, out, dst + lo, hi - lo);
                    else for (int ox = lo; ox < hi; ox++) out[dst + ox] = in[src + ox * g.sw];
                }
            }
    }

    private static void im2colF64(double[] in, int imageOff, double[] out, int colsOff, int plane, Geometry g) {
        int l = g.blocks(), planeIn = imageOff + plane * g.height * g.width;
        int row = colsOff + plane * g.kh * g.kw * l;
        for (int ki = 0; ki < g.kh; ki++)
            for (int kj = 0; kj < g.kw; kj++, row += l) {
                int xoff = kj * g.dw - g.pw, lo = firstInside(xoff, g.sw), hi = endInside(xoff, g.sw, g.width, g.outW);
                if (lo >= hi) continue;
                for (int oy = 0; oy < g.outH; oy++) {
                    int y = oy * g.sh - g.ph + ki * g.dh;
                    if (y < 0 || y >= g.height) continue;
                    int src = planeIn + y * g.width + xoff, dst = row + oy * g.outW;
                    if (g.sw == 1) System.arraycopy(in, src + lo, out, dst + lo, hi - lo);
                    else for (int ox = lo; ox < hi; ox++) out[dst + ox] = in[src + ox * g.sw];
                }
            }
    }

    private static void col2imF32(float[] in, int colsOff, float[] out, int imageOff, int plane, Geometry g) {
        int l = g.blocks(), planeOut = imageOff + plane * g.height * g.width;
        int row = colsOff + plane * g.kh * g.kw * l;
        for (int ki = 0; ki < g.kh; ki++)
            for (int kj = 0; kj < g.kw; kj++, row += l) {
                int xoff = kj * g.dw - g.pw, lo = firstInside(xoff, g.sw), hi = endInside(xoff, g.sw, g.width, g.outW);
                if (lo >= hi) continue;
                for (int oy = 0; oy < g.outH; oy++) {
                    int y = oy * g.sh - g.ph + ki * g.dh;
                    if (y < 0 || y >= g.height) continue;
                    int dst = planeOut + y * g.width + xoff, src = row + oy * g.outW;
                    if (g.sw == 1) for (int ox = lo; ox < hi; ox++) out[dst + ox] += in[src + ox];
                    else for (int ox = lo; ox < hi; ox++) out[dst + ox * g.sw] += in[src + ox];
                }
            }
    }

    private static void col2imF64(double[] in, int colsOff, double[] out, int imageOff, int plane, Geometry g) {
        int l = g.blocks(), planeOut = imageOff + plane * g.height * g.width;
        int row = colsOff + plane * g.kh * g.kw * l;
        for (int ki = 0; ki < g.kh; ki++)
            for (int kj = 0; kj < g.kw; kj++, row += l) {
                int xoff = kj * g.dw - g.pw, lo = firstInside(xoff, g.sw), hi = endInside(xoff, g.sw, g.width, g.outW);
                if (lo >= hi) continue;
                for (int oy = 0; oy < g.outH; oy++) {
                    int y = oy * g.sh - g.ph + ki * g.dh;
                    if (y < 0 || y >= g.height) continue;
                    int dst = planeOut + y * g.width + xoff, src = row + oy * g.outW;
                    if (g.sw == 1) for (int ox = lo; ox < hi; ox++) out[dst + ox] += in[src + ox];
                    else for (int ox = lo; ox < hi; ox++) out[dst + ox * g.sw] += in[src + ox];
                }
            }
    }
}
