package jtorch.kernels;

import jtorch.Tensor;

/**
 * The loops of {@code unfold} (im2col) and {@code fold} (col2im) on contiguous float tensors.
 * Column row {@code (c, ki, kj)} of sample n holds, for every output position (oy, ox), the input
 * pixel {@code (c, oy*sh - ph + ki*dh, ox*sw - pw + kj*dw)}, or 0 where that falls in the padding.
 * {@code fold} adds the columns back into the image, summing where windows overlap.
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
        int imgSize = g.channels * g.height * g.width, colSize = g.colRows() * g.blocks();
        if (image.storage().f32() != null) {
            float[] in = image.storage().f32(), out = cols.storage().f32();
            for (int n = 0; n < batch; n++) im2colF32(in, image.storageOffsetInternal() + n * imgSize, out, cols.storageOffsetInternal() + n * colSize, g);
        } else {
            double[] in = image.storage().f64(), out = cols.storage().f64();
            for (int n = 0; n < batch; n++) im2colF64(in, image.storageOffsetInternal() + n * imgSize, out, cols.storageOffsetInternal() + n * colSize, g);
        }
    }

    /** {@code image (N, C, H, W) += cols (N, C*kh*kw, L)}; both contiguous, image zero-filled. */
    public static void col2im(Tensor cols, Tensor image, int batch, Geometry g) {
        int imgSize = g.channels * g.height * g.width, colSize = g.colRows() * g.blocks();
        if (image.storage().f32() != null) {
            float[] in = cols.storage().f32(), out = image.storage().f32();
            for (int n = 0; n < batch; n++) col2imF32(in, cols.storageOffsetInternal() + n * colSize, out, image.storageOffsetInternal() + n * imgSize, g);
        } else {
            double[] in = cols.storage().f64(), out = image.storage().f64();
            for (int n = 0; n < batch; n++) col2imF64(in, cols.storageOffsetInternal() + n * colSize, out, image.storageOffsetInternal() + n * imgSize, g);
        }
    }

    private static void im2colF32(float[] in, int inOff, float[] out, int outOff, Geometry g) {
        int row = 0;
        for (int c = 0; c < g.channels; c++)
            for (int ki = 0; ki < g.kh; ki++)
                for (int kj = 0; kj < g.kw; kj++, row++) {
                    int o = outOff + row * g.blocks();
                    for (int oy = 0; oy < g.outH; oy++) {
                        int y = oy * g.sh - g.ph + ki * g.dh;
                        int dst = o + oy * g.outW;
                        if (y < 0 || y >= g.height) continue; // padding rows stay 0
                        int src = inOff + (c * g.height + y) * g.width;
                        for (int ox = 0; ox < g.outW; ox++) {
                            int x = ox * g.sw - g.pw + kj * g.dw;
                            if (x >= 0 && x < g.width) out[dst + ox] = in[src + x];
                        }
                    }
                }
    }

    private static void im2colF64(double[] in, int inOff, double[] out, int outOff, Geometry g) {
        int row = 0;
        for (int c = 0; c < g.channels; c++)
            for (int ki = 0; ki < g.kh; ki++)
                for (int kj = 0; kj < g.kw; kj++, row++) {
                    int o = outOff + row * g.blocks();
                    for (int oy = 0; oy < g.outH; oy++) {
                        int y = oy * g.sh - g.ph + ki * g.dh;
                        int dst = o + oy * g.outW;
                        if (y < 0 || y >= g.height) continue;
                        int src = inOff + (c * g.height + y) * g.width;
                        for (int ox = 0; ox < g.outW; ox++) {
                            int x = ox * g.sw - g.pw + kj * g.dw;
                            if (x >= 0 && x < g.width) out[dst + ox] = in[src + x];
                        }
                    }
                }
    }

    private static void col2imF32(float[] in, int inOff, float[] out, int outOff, Geometry g) {
        int row = 0;
        for (int c = 0; c < g.channels; c++)
            for (int ki = 0; ki < g.kh; ki++)
                for (int kj = 0; kj < g.kw; kj++, row++) {
                    int o = inOff + row * g.blocks();
                    for (int oy = 0; oy < g.outH; oy++) {
                        int y = oy * g.sh - g.ph + ki * g.dh;
                        if (y < 0 || y >= g.height) continue;
                        int src = o + oy * g.outW;
                        int dst = outOff + (c * g.height + y) * g.width;
                        for (int ox = 0; ox < g.outW; ox++) {
                            int x = ox * g.sw - g.pw + kj * g.dw;
                            if (x >= 0 && x < g.width) out[dst + x] += in[src + ox];
                        }
                    }
                }
    }

    private static void col2imF64(double[] in, int inOff, double[] out, int outOff, Geometry g) {
        int row = 0;
        for (int c = 0; c < g.channels; c++)
            for (int ki = 0; ki < g.kh; ki++)
                for (int kj = 0; kj < g.kw; kj++, row++) {
                    int o = inOff + row * g.blocks();
                    for (int oy = 0; oy < g.outH; oy++) {
                        int y = oy * g.sh - g.ph + ki * g.dh;
                        if (y < 0 || y >= g.height) continue;
                        int src = o + oy * g.outW;
                        int dst = outOff + (c * g.height + y) * g.width;
                        for (int ox = 0; ox < g.outW; ox++) {
                            int x = ox * g.sw - g.pw + kj * g.dw;
                            if (x >= 0 && x < g.width) out[dst + x] += in[src + ox];
                        }
                    }
                }
    }
}
