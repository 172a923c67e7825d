package jtorch.kernels;

import org.slf4j.LoggerFactory;

/**
 * The loops of {@code unfold} (im2col) and {@code fold} (col2im) on contiguous float tensors.
 * Column row {@code (c, ki, kj)} of sample n holds, for every output position (oy, ox), the input
 * pixel {@code (c, oy*sh - ph + ki*dh, ox*sw - pw + kj*dw)}, or 0 where that falls in the padding.
 * {@code fold} adds the columns back into the image, summing where windows overlap.
 *
 * <p>For each kernel offset the output positions whose input pixel is inside the image form one
 * rectangle {@code [oy0, oy1) x [lo, hi)}, computed once, so the inner loops copy or add without
 * per-element bounds tests. Columns are written in memory order, (c, ki, kj) row by row.
 *
 * <ul>
 * <li>im2col, stride 1 along x and {@code outW == sh * W} (every "same"-padded stride-1
 * convolution): input and column rows advance in step, so all the inside rows of one column row
 * are a single {@code System.arraycopy}; it also copies the neighbouring input row's pixels into
 * the few positions where the window hangs over the left or right edge, which are then zeroed.
 * <li>im2col, other stride-1 geometries: one {@code System.arraycopy} per output row.
 * <li>im2col, stride 2: a gather of every other input element; other strides: a strided loop.
 * <li>col2im, stride 1: rows of {@code img[p + i] += col[q + i]}; stride 2: {@code img[p + 2i] +=
 * col[q + i]}; other strides: a strided loop.
 * </ul>
 *
 * <p>These row loops (all but the copies) run on the Vector API ({@link Im2ColVector}) where it is
 * available and the provider is not {@link KernelProvider#SCALAR}, and as plain loops otherwise
 * (C2 vectorises none of them: run-time offsets, strided accesses). Every image element gets its
 * fold contributions in (ki, kj) order starting from 0, so all paths give bit-identical results.
 *
 * <p>Padding positions of the columns are never visited by im2col: the columns come zero-filled
 * (as every fresh Java array does). (Sample, channel) planes are independent, so they are spread
 * over the intra-op pool.
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

        /** Rows of one sample's columns: {@code C * kh * kw}. */
        public int colRows() { return channels * kh * kw; }

        /** Window positions, the length of one column row: {@code outH * outW}. */
        public int blocks() { return outH * outW; }
    }

    /**
     * The row loops that need explicit SIMD (C2 vectorises none of them with run-time offsets),
     * for {@code r < rows, i < n}, with {@code S = s + r*srcStride, D = d + r*dstStride}: the
     * additions of col2im {@code dst[D + i] += src[S + i]} and at stride 2 {@code dst[D + 2i] +=
     * src[S + i]}, and the stride-2 gather of im2col {@code dst[D + i] = src[S + 2i]}.
     */
    interface RowKernels {
        void addF32(float[] src, int s, int srcStride, float[] dst, int d, int dstStride, int rows, int n);

        void addF64(double[] src, int s, int srcStride, double[] dst, int d, int dstStride, int rows, int n);

        void gather2F32(float[] src, int s, int srcStride, float[] dst, int d, int dstStride, int rows, int n);

        void gather2F64(double[] src, int s, int srcStride, double[] dst, int d, int dstStride, int rows, int n);

        void add2F32(float[] src, int s, int srcStride, float[] dst, int d, int dstStride, int rows, int n);

        void add2F64(double[] src, int s, int srcStride, double[] dst, int d, int dstStride, int rows, int n);
    }

    /** The plain-Java row loops. */
    static final class ScalarRowKernels implements RowKernels {
        @Override
        public void addF32(float[] src, int s, int srcStride, float[] dst, int d, int dstStride, int rows, int n) {
            for (int r = 0; r < rows; r++, s += srcStride, d += dstStride)
                for (int i = 0; i < n; i++) dst[d + i] += src[s + i];
        }

        @Override
        public void addF64(double[] src, int s, int srcStride, double[] dst, int d, int dstStride, int rows, int n) {
            for (int r = 0; r < rows; r++, s += srcStride, d += dstStride)
                for (int i = 0; i < n; i++) dst[d + i] += src[s + i];
        }

        @Override
        public void gather2F32(float[] src, int s, int srcStride, float[] dst, int d, int dstStride, int rows, int n) {
            for (int r = 0; r < rows; r++, s += srcStride, d += dstStride)
                for (int i = 0; i < n; i++) dst[d + i] = src[s + 2 * i];
        }

        @Override
        public void gather2F64(double[] src, int s, int srcStride, double[] dst, int d, int dstStride, int rows, int n) {
            for (int r = 0; r < rows; r++, s += srcStride, d += dstStride)
                for (int i = 0; i < n; i++) dst[d + i] = src[s + 2 * i];
        }

        @Override
        public void add2F32(float[] src, int s, int srcStride, float[] dst, int d, int dstStride, int rows, int n) {
            for (int r = 0; r < rows; r++, s += srcStride, d += dstStride)
                for (int i = 0; i < n; i++) dst[d + 2 * i] += src[s + i];
        }

        @Override
        public void add2F64(double[] src, int s, int srcStride, double[] dst, int d, int dstStride, int rows, int n) {
            for (int r = 0; r < rows; r++, s += srcStride, d += dstStride)
                for (int i = 0; i < n; i++) dst[d + 2 * i] += src[s + i];
        }
    }

    private static final RowKernels SCALAR_ROWS = new ScalarRowKernels();

    /** The Vector API row loops, or null without {@code jdk.incubator.vector}. */
    private static final class VectorHolder {
        static final RowKernels ROWS;

        static {
            RowKernels a = null;
            if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
                try {
                    // Reflective so that no Vector API class is linked unless the module is present.
                    a = (RowKernels) Class.forName("jtorch.kernels.Im2ColVector").getDeclaredConstructor().newInstance();
                } catch (ReflectiveOperationException | LinkageError e) {
                    LoggerFactory.getLogger(Im2Col.class).warn("jtorch kernels: unfold/fold use plain loops: the Vector API ones failed to load: {}", e.toString());
                }
            }
            ROWS = a;
        }
    }

    /** The row loops of the provider in use. */
    static RowKernels rowKernels() {
        if (Kernels.provider() == KernelProvider.SCALAR) return SCALAR_ROWS;
        RowKernels v = VectorHolder.ROWS;
        return v != null ? v : SCALAR_ROWS;
    }

    /** {@code cols (N, C*kh*kw, L) <- image (N, C, H, W)}; both contiguous, cols zero-filled. */
    public static void im2col(StridedArray image, StridedArray cols, int batch, Geometry g) {
        run(image, cols, batch, g, true);
    }

    /** {@code image (N, C, H, W) += cols (N, C*kh*kw, L)}; both contiguous, image zero-filled. */
    public static void col2im(StridedArray cols, StridedArray image, int batch, Geometry g) {
        run(image, cols, batch, g, false);
    }

    /** Planes per parallel chunk: enough elements that a chunk outweighs a thread's wake-up. */
    private static final int GRAIN_ELEMENTS = 1 << 16;

    private static void run(StridedArray image, StridedArray cols, int batch, Geometry g, boolean toColumns) {
        int planes = batch * g.channels;
        int perPlane = g.kh * g.kw * g.blocks();
        int grain = Math.max(1, GRAIN_ELEMENTS / Math.max(1, perPlane));
        int imageOff = image.storageOffsetInternal(), colsOff = cols.storageOffsetInternal();
        RowKernels rk = rowKernels();
        if (image.storage().f32() != null) {
            float[] img = image.storage().f32(), col = cols.storage().f32();
            Parallel.parallelFor(0, planes, grain, (lo, hi) -> {
                for (int plane = lo; plane < hi; plane++) {
                    if (toColumns) im2colF32(img, imageOff, col, colsOff, plane, g, rk);
                    else col2imF32(col, colsOff, img, imageOff, plane, g, rk);
                }
            });
        } else {
            double[] img = image.storage().f64(), col = cols.storage().f64();
            Parallel.parallelFor(0, planes, grain, (lo, hi) -> {
                for (int plane = lo; plane < hi; plane++) {
                    if (toColumns) im2colF64(img, imageOff, col, colsOff, plane, g, rk);
                    else col2imF64(col, colsOff, img, imageOff, plane, g, rk);
                }
            });
        }
    }

    /** First output index whose input index {@code o*s + off} is at least 0. */
    static int firstInside(int off, int s) { return off >= 0 ? 0 : (-off + s - 1) / s; }

    /** One past the last output index (below {@code out}) whose input index {@code o*s + off} is below {@code size}. */
    static int endInside(int off, int s, int size, int out) {
        int last = size - 1 - off;
        return last < 0 ? 0 : Math.min(out, last / s + 1);
    }

    /**
     * Plane {@code plane = n * C + c}: its image starts at {@code imageOff + plane * H * W}, its
     * kh*kw column rows at {@code colsOff + plane * kh * kw * L}.
     */
    private static void im2colF32(float[] in, int imageOff, float[] out, int colsOff, int plane, Geometry g, RowKernels rk) {
        int l = g.blocks(), w = g.width, ow = g.outW, sw = g.sw, inRow = g.sh * w;
        int planeIn = imageOff + plane * g.height * w, row = colsOff + plane * g.kh * g.kw * l;
        boolean flat = sw == 1 && ow == inRow;
        for (int ki = 0; ki < g.kh; ki++) {
            int yoff = ki * g.dh - g.ph, oy0 = firstInside(yoff, g.sh), oy1 = endInside(yoff, g.sh, g.height, g.outH);
            for (int kj = 0; kj < g.kw; kj++, row += l) {
                int xoff = kj * g.dw - g.pw, lo = firstInside(xoff, sw), hi = endInside(xoff, sw, w, ow);
                if (lo >= hi || oy0 >= oy1) continue; // all padding: the zeros are there
                int src = planeIn + (oy0 * g.sh + yoff) * w + xoff, dst = row + oy0 * ow;
                if (flat) {
                    System.arraycopy(in, src + lo, out, dst + lo, (oy1 - 1 - oy0) * ow + hi - lo);
                    if (lo > 0 || hi < ow)
                        for (int oy = oy0; oy < oy1 - 1; oy++, dst += ow)
                            for (int i = dst + hi, e = dst + ow + lo; i < e; i++) out[i] = 0;
                } else if (sw == 1) {
                    for (int oy = oy0; oy < oy1; oy++, src += inRow, dst += ow)
                        System.arraycopy(in, src + lo, out, dst + lo, hi - lo);
                } else if (sw == 2) {
                    rk.gather2F32(in, src + 2 * lo, inRow, out, dst + lo, ow, oy1 - oy0, hi - lo);
                } else {
                    for (int oy = oy0; oy < oy1; oy++, src += inRow, dst += ow)
                        for (int ox = lo, s = src + lo * sw; ox < hi; ox++, s += sw) out[dst + ox] = in[s];
                }
            }
        }
    }

    private static void im2colF64(double[] in, int imageOff, double[] out, int colsOff, int plane, Geometry g, RowKernels rk) {
        int l = g.blocks(), w = g.width, ow = g.outW, sw = g.sw, inRow = g.sh * w;
        int planeIn = imageOff + plane * g.height * w, row = colsOff + plane * g.kh * g.kw * l;
        boolean flat = sw == 1 && ow == inRow;
        for (int ki = 0; ki < g.kh; ki++) {
            int yoff = ki * g.dh - g.ph, oy0 = firstInside(yoff, g.sh), oy1 = endInside(yoff, g.sh, g.height, g.outH);
            for (int kj = 0; kj < g.kw; kj++, row += l) {
                int xoff = kj * g.dw - g.pw, lo = firstInside(xoff, sw), hi = endInside(xoff, sw, w, ow);
                if (lo >= hi || oy0 >= oy1) continue;
                int src = planeIn + (oy0 * g.sh + yoff) * w + xoff, dst = row + oy0 * ow;
                if (flat) {
                    System.arraycopy(in, src + lo, out, dst + lo, (oy1 - 1 - oy0) * ow + hi - lo);
                    if (lo > 0 || hi < ow)
                        for (int oy = oy0; oy < oy1 - 1; oy++, dst += ow)
                            for (int i = dst + hi, e = dst + ow + lo; i < e; i++) out[i] = 0;
                } else if (sw == 1) {
                    for (int oy = oy0; oy < oy1; oy++, src += inRow, dst += ow)
                        System.arraycopy(in, src + lo, out, dst + lo, hi - lo);
                } else if (sw == 2) {
                    rk.gather2F64(in, src + 2 * lo, inRow, out, dst + lo, ow, oy1 - oy0, hi - lo);
                } else {
                    for (int oy = oy0; oy < oy1; oy++, src += inRow, dst += ow)
                        for (int ox = lo, s = src + lo * sw; ox < hi; ox++, s += sw) out[dst + ox] = in[s];
                }
            }
        }
    }

    private static void col2imF32(float[] in, int colsOff, float[] out, int imageOff, int plane, Geometry g, RowKernels rk) {
        int l = g.blocks(), w = g.width, ow = g.outW, sw = g.sw, outRow = g.sh * w;
        int planeOut = imageOff + plane * g.height * w, row = colsOff + plane * g.kh * g.kw * l;
        for (int ki = 0; ki < g.kh; ki++) {
            int yoff = ki * g.dh - g.ph, oy0 = firstInside(yoff, g.sh), oy1 = endInside(yoff, g.sh, g.height, g.outH);
            for (int kj = 0; kj < g.kw; kj++, row += l) {
                int xoff = kj * g.dw - g.pw, lo = firstInside(xoff, sw), hi = endInside(xoff, sw, w, ow);
                if (lo >= hi || oy0 >= oy1) continue;
                int dst = planeOut + (oy0 * g.sh + yoff) * w + xoff, src = row + oy0 * ow;
                if (sw == 1) {
                    rk.addF32(in, src + lo, ow, out, dst + lo, outRow, oy1 - oy0, hi - lo);
                } else if (sw == 2) {
                    rk.add2F32(in, src + lo, ow, out, dst + 2 * lo, outRow, oy1 - oy0, hi - lo);
                } else {
                    for (int oy = oy0; oy < oy1; oy++, src += ow, dst += outRow)
                        for (int ox = lo, d = dst + lo * sw; ox < hi; ox++, d += sw) out[d] += in[src + ox];
                }
            }
        }
    }

    private static void col2imF64(double[] in, int colsOff, double[] out, int imageOff, int plane, Geometry g, RowKernels rk) {
        int l = g.blocks(), w = g.width, ow = g.outW, sw = g.sw, outRow = g.sh * w;
        int planeOut = imageOff + plane * g.height * w, row = colsOff + plane * g.kh * g.kw * l;
        for (int ki = 0; ki < g.kh; ki++) {
            int yoff = ki * g.dh - g.ph, oy0 = firstInside(yoff, g.sh), oy1 = endInside(yoff, g.sh, g.height, g.outH);
            for (int kj = 0; kj < g.kw; kj++, row += l) {
                int xoff = kj * g.dw - g.pw, lo = firstInside(xoff, sw), hi = endInside(xoff, sw, w, ow);
                if (lo >= hi || oy0 >= oy1) continue;
                int dst = planeOut + (oy0 * g.sh + yoff) * w + xoff, src = row + oy0 * ow;
                if (sw == 1) {
                    rk.addF64(in, src + lo, ow, out, dst + lo, outRow, oy1 - oy0, hi - lo);
                } else if (sw == 2) {
                    rk.add2F64(in, src + lo, ow, out, dst + 2 * lo, outRow, oy1 - oy0, hi - lo);
                } else {
                    for (int oy = oy0; oy < oy1; oy++, src += ow, dst += outRow)
                        for (int ox = lo, d = dst + lo * sw; ox < hi; ox++, d += sw) out[d] += in[src + ox];
                }
            }
        }
    }
}
