package jtorch.kernels;

/**
 * The loops of 2-D adaptive average pooling and of its backward pass, on contiguous (planes, H, W)
 * arrays, as PyTorch's CPU kernel defines them: output (i, j) averages exactly the input window
 * {@code [floor(i*H/oh), ceil((i+1)*H/oh)) x [floor(j*W/ow), ceil((j+1)*W/ow))}, summed in the
 * tensor's dtype row by row and divided by the window's height and then its width. Only a window's
 * own elements enter its sum, so a NaN stays in the windows that contain it.
 */
public final class AdaptivePool2d {
    private AdaptivePool2d() {}

    private static final int GRAIN_ELEMENTS = 1 << 15;

    /** PyTorch's {@code start_index}: {@code floor(a*b/c)}, in long so that large sizes cannot overflow. */
    static int start(int a, int b, int c) { return (int) ((long) a * b / c); }

    /** PyTorch's {@code end_index}: {@code ceil((a+1)*b/c)}. */
    static int end(int a, int b, int c) { return (int) (((long) (a + 1) * b + c - 1) / c); }

    /** {@code out (planes, oh, ow) <- window means of input (planes, h, w)}; both contiguous. */
    public static void forward(StridedArray input, StridedArray out, int planes, int h, int w, int oh, int ow) {
        int xo = input.storageOffsetInternal(), oo = out.storageOffsetInternal();
        int inPlane = h * w, outPlane = oh * ow;
        float[] xf = input.storage().f32(), of = out.storage().f32();
        double[] xd = input.storage().f64(), od = out.storage().f64();
        Parallel.parallelFor(0, planes, Math.max(1, GRAIN_ELEMENTS / Math.max(1, inPlane)), (lo, hi) -> {
            for (int p = lo; p < hi; p++) {
                int base = xo + p * inPlane, obase = oo + p * outPlane;
                for (int i = 0; i < oh; i++) {
                    int y0 = start(i, h, oh), y1 = end(i, h, oh), kh = y1 - y0;
                    for (int j = 0; j < ow; j++) {
                        int x0 = start(j, w, ow), x1 = end(j, w, ow), kw = x1 - x0;
                        if (xf != null) {
                            float sum = 0;
                            for (int y = y0; y < y1; y++)
                                for (int x = x0; x < x1; x++) sum += xf[base + y * w + x];
                            of[obase + i * ow + j] = sum / kh / kw;
                        } else {
                            double sum = 0;
                            for (int y = y0; y < y1; y++)
                                for (int x = x0; x < x1; x++) sum += xd[base + y * w + x];
                            od[obase + i * ow + j] = sum / kh / kw;
                        }
                    }
                }
            }
        });
    }

    /** {@code gradInput (planes, h, w) += gradOutput / (kh*kw) over each window}; gradInput zero-filled, both contiguous. */
    public static void backward(StridedArray gradOutput, StridedArray gradInput, int planes, int h, int w, int oh, int ow) {
        int go = gradOutput.storageOffsetInternal(), gi = gradInput.storageOffsetInternal();
        int inPlane = h * w, outPlane = oh * ow;
        float[] gof = gradOutput.storage().f32(), gif = gradInput.storage().f32();
        double[] god = gradOutput.storage().f64(), gid = gradInput.storage().f64();
        Parallel.parallelFor(0, planes, Math.max(1, GRAIN_ELEMENTS / Math.max(1, inPlane)), (lo, hi) -> {
            for (int p = lo; p < hi; p++) {
                int base = gi + p * inPlane, obase = go + p * outPlane;
                for (int i = 0; i < oh; i++) {
                    int y0 = start(i, h, oh), y1 = end(i, h, oh), kh = y1 - y0;
                    for (int j = 0; j < ow; j++) {
                        int x0 = start(j, w, ow), x1 = end(j, w, ow), kw = x1 - x0;
                        if (gif != null) {
                            float share = gof[obase + i * ow + j] / kh / kw;
                            for (int y = y0; y < y1; y++) for (int x = x0; x < x1; x++) gif[base + y * w + x] += share;
                        } else {
                            double share = god[obase + i * ow + j] / kh / kw;
                            for (int y = y0; y < y1; y++) for (int x = x0; x < x1; x++) gid[base + y * w + x] += share;
                        }
                    }
                }
            }
        });
    }
}
