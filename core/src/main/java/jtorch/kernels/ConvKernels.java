package jtorch.kernels;


/**
 * The loops of the convolution op ({@code jtorch.ops.Convolution}): forward, input gradient
 * (which is also the transposed convolution's forward) and weight gradient of a 2-D convolution
 * over (N, C, H, W) images (1-D is height 1), as implicit GEMM: for each sample, group and tile of
 * output positions, the {@code K x t} panel of the im2col matrix ({@code K = C_in/groups * kh *
 * kw}) is packed straight from the image into a per-thread buffer of at most {@link #TILE_ELEMENTS}
 * elements (a cache-sized block, never the whole column tensor), and multiplied by the weight on
 * the provider's register-tiled Java GEMM ({@link Kernels#javaGemm}: the Vector API one, or the
 * scalar reference under {@link KernelProvider#SCALAR}), whose register tile reads the panel in
 * place (the weight is packed once per call). Under {@link KernelProvider#NATIVE} the panels
 * (up to {@link #NATIVE_TILE_ELEMENTS}) go to OpenBLAS instead, one call each on all threads: on
 * CPUs without AVX-512 its kernels run GEMM about three times as fast as the Vector API's. The bias is added to each output tile while it is
 * still in cache. 1x1 stride-1 unpadded convolutions read the image in place; depthwise ones
 * ({@link Depthwise}) run as direct row loops. On the native GEMM, float32 convolutions of at
 * least {@link #TAP_MIN_CHANNELS} input channels per group run their forward and input gradient
 * as one GEMM per kernel tap over the image copied once into zero-padded phase planes
 * ({@link #forwardTapsF}, any stride and dilation): the GEMM reads its operand (forward) or
 * accumulates its product (input gradient) in place, and nothing is packed or unpacked.
 *
 * <p>The image may have any strides (channels-last, sliced); weight, output and output gradient
 * are contiguous. Work is split over (sample x group x tile) units for the forward, (sample x
 * group) for the input gradient (tiles of one sample overlap in the image), and over sample
 * ranges with one partial sum each for the weight gradient, summed in range order.
 *
 * <pre>{@code
 * ConvKernels.Geometry g = new ConvKernels.Geometry(8, 64, 56, 56, 64, 1, 3, 3, 1, 1, 1, 1, 1, 1, 56, 56);
 * ConvKernels.forward(x, w, bias, out, g);   // out (8, 64, 56, 56), zero-filled or not
 * }</pre>
 */
public final class ConvKernels {
    private ConvKernels() {}

    /** Elements of one packed panel: 128 KiB of float32, inside L2 alongside the weight. */
    static final int TILE_ELEMENTS = 1 << 15;
    /**
     * Elements of one panel of the weight gradient, whose GEMM runs along the panel's positions:
     * longer panels, so that the weight gradient block is loaded and stored fewer times.
     */
    static final int WEIGHT_GRAD_TILE_ELEMENTS = 1 << 17;
    /** Multiply-adds below which a chunk of work stays on the calling thread. */
    private static final long GRAIN_MACS = 1L << 18;

    /** The geometry of one convolution, in the forward (non-transposed) sense: image (N, inC, inH, inW) to (N, outC, outH, outW). */
    public static final class Geometry {
        public final int batch, inC, inH, inW, outC, groups, kh, kw, sh, sw, ph, pw, dh, dw, outH, outW;

        public Geometry(int batch, int inC, int inH, int inW, int outC, int groups, int kh, int kw, int sh, int sw, int ph, int pw,
                        int dh, int dw, int outH, int outW) {
            this.batch = batch; this.inC = inC; this.inH = inH; this.inW = inW; this.outC = outC; this.groups = groups;
            this.kh = kh; this.kw = kw; this.sh = sh; this.sw = sw; this.ph = ph; this.pw = pw; this.dh = dh; this.dw = dw;
            this.outH = outH; this.outW = outW;
        }

        /** Rows of one group's packed panel: {@code C_in/groups * kh * kw}. */
        int k() { return inC / groups * kh * kw; }

        /** Output positions per sample and channel. */
        int positions() { return outH * outW; }
    }

    /** Per-thread panel buffers, grown on demand and kept. */
    static final class Buffers {
        private float[] f, tf, ef, pf, padf, tapf;
        private double[] d, td, ed, pd, padd;

        float[] floats(int n) { return f != null && f.length >= n ? f : (f = new float[n]); }
        double[] doubles(int n) { return d != null && d.length >= n ? d : (d = new double[n]); }
        float[] tileF(int n) { return tf != null && tf.length >= n ? tf : (tf = new float[n]); }
        double[] tileD(int n) { return td != null && td.length >= n ? td : (td = new double[n]); }
        float[] edgeF(int n) { return ef != null && ef.length >= n ? ef : (ef = new float[n]); }
        double[] edgeD(int n) { return ed != null && ed.length >= n ? ed : (ed = new double[n]); }
        /** The second panel of a multi-sample unit: the product, or the gathered output gradient. */
        float[] productF(int n) { return pf != null && pf.length >= n ? pf : (pf = new float[n]); }
        double[] productD(int n) { return pd != null && pd.length >= n ? pd : (pd = new double[n]); }
        /** One sample's zero-padded planes of a wide panel. */
        float[] paddedF(int n) { return padf != null && padf.length >= n ? padf : (padf = new float[n]); }
        double[] paddedD(int n) { return padd != null && padd.length >= n ? padd : (padd = new double[n]); }
        /** The calling thread's weight by tap ({@link #tapWeightsF}), read by every thread of one call. */
        float[] tapWeightsF(int n) { return tapf != null && tapf.length >= n ? tapf : (tapf = new float[n]); }
    }

    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

    /** A panel length to use instead of the automatic one when positive (tests: panels that start mid-row). */
    static volatile int tileOverride;

    /** Output positions per panel: as many as fit {@link #TILE_ELEMENTS} with {@code k} rows, a multiple of 32 unless all of them. */
    static int tileLength(int k, int positions) { return tileLength(k, positions, TILE_ELEMENTS); }

    /** The same for a panel of up to {@code elements} elements. */
    static int tileLength(int k, int positions, int elements) {
        int forced = tileOverride;
        if (forced > 0) return Math.min(forced, positions);
        int t = Math.max(32, elements / Math.max(1, k));
        if (t >= positions) return positions;
        return t - t % 32;
    }

    /**
     * First output index whose input index {@code o*s + off} is at least 0; in long, since
     * {@code -off + s} may pass the int range (the op checks that every index itself is an int).
     */
    static int firstInside(int off, int s) { return off >= 0 ? 0 : (int) ((-(long) off + s - 1) / s); }

    /** One past the last output index (below {@code out}) whose input index {@code o*s + off} is below {@code size}. */
    static int endInside(int off, int s, int size, int out) {
        long last = (long) size - 1 - off;
        return last < 0 ? 0 : (int) Math.min(out, last / s + 1);
    }

    /** A 1x1, stride-1, unpadded kernel over planes whose (y, x) are one run: the image is the im2col matrix. */
    static boolean isPointwise(Geometry g, int[] xs) {
        return g.kh == 1 && g.kw == 1 && g.sh == 1 && g.sw == 1 && g.ph == 0 && g.pw == 0 && g.outH == g.inH && g.outW == g.inW
                && xs[3] == 1 && (g.inH == 1 || xs[2] == g.inW);
    }

    /** The strides of a 4-D image, or of a 3-D one (N, C, W) as height 1. */
    private static int[] imageStrides(StridedArray x) {
        int[] s = x.stridesInternal();
        return s.length == 4 ? s.clone() : new int[] {s[0], s[1], 0, s[2]};
    }

    /**
     * {@code out = conv(x, w) + bias}: {@code x} (N, C_in, H, W) or (N, C_in, W) of any strides,
     * {@code w} and {@code bias} (or null) contiguous, {@code out} contiguous (overwritten).
     */
    public static void forward(StridedArray x, StridedArray w, StridedArray bias, StridedArray out, Geometry g) {
        int l = g.positions(), k = g.k(), coutG = g.outC / g.groups;
        if (l == 0 || g.batch == 0 || g.outC == 0) return;
        if (Depthwise.applies(g)) {
            Depthwise.forward(x, w, bias, out, g);
            return;
        }
        if (SmallConv.applies(g, x)) { SmallConv.forward(x, w, bias, out, g); return; }
        GemmKernel nat = nativeGemm();
        int s = samplesPerPanel(g, k, nat != null ? NATIVE_TILE_ELEMENTS : SAMPLE_PANEL_ELEMENTS);
        int t = s > 1 ? l : tileLength(k, l, nat != null ? NATIVE_TILE_ELEMENTS : TILE_ELEMENTS), tiles = (l + t - 1) / t;
        int units = s > 1 ? g.groups * panels(g.batch, s) : g.batch * g.groups * tiles;
        int grain = (int) Math.max(1, GRAIN_MACS / Math.max(1L, (long) coutG * s * t * k));
        int[] xs = imageStrides(x);
        int xo = x.storageOffsetInternal(), wo = w.storageOffsetInternal(), oo = out.storageOffsetInternal();
        int bo = bias == null ? 0 : bias.storageOffsetInternal();
        PackedGemm pg = Kernels.javaGemm();
        if (x.storage().f32() != null) {
            float[] xa = x.storage().f32(), wa = w.storage().f32(), oa = out.storage().f32(), ba = bias == null ? null : bias.storage().f32();
            if (k == 0) { zeroAndBiasF(oa, oo, ba, bo, g); return; }
            if (usesTaps(g, xs, nat != null)) {
                int tt = tapTileLength(g), tapUnits = g.batch * g.groups * ((tapLength(g) + tt - 1) / tt);
                int tapGrain = (int) Math.max(1, GRAIN_MACS / Math.max(1L, (long) coutG * tt * k));
                float[][] pwTaps = nat == null ? packTapWeightsF(pg, wa, wo, g, false) : null;
                float[] byTap = nat == null ? null : tapWeightsF(wa, wo, g);
                Parallel.parallelFor(0, tapUnits, tapGrain, (u0, u1) -> forwardTapsF(nat, pg, xa, xo, xs, byTap, pwTaps, ba, bo, oa, oo, g, tt, u0, u1));
                return;
            }
            float[][] pw = new float[g.groups][];
            if (nat == null)
                for (int grp = 0; grp < g.groups; grp++) pw[grp] = packWeightsF(coutG, k, wa, wo + grp * coutG * k, k, 1, pg.mrF, pg.kcF);
            if (s > 1 && readsWide(g)) Parallel.parallelFor(0, units, grain, (u0, u1) -> forwardSamplesWideF(nat, pg, xa, xo, xs, wa, wo, pw, ba, bo, oa, oo, g, s, u0, u1));
            else if (s > 1) Parallel.parallelFor(0, units, grain, (u0, u1) -> forwardSamplesF(nat, pg, xa, xo, xs, wa, wo, pw, ba, bo, oa, oo, g, s, u0, u1));
            else Parallel.parallelFor(0, units, grain, (u0, u1) -> forwardF(nat, pg, xa, xo, xs, wa, wo, pw, ba, bo, oa, oo, g, t, u0, u1));
        } else {
            double[] xa = x.storage().f64(), wa = w.storage().f64(), oa = out.storage().f64(), ba = bias == null ? null : bias.storage().f64();
            if (k == 0) { zeroAndBiasD(oa, oo, ba, bo, g); return; }
            double[][] pw = new double[g.groups][];
            if (nat == null)
                for (int grp = 0; grp < g.groups; grp++) pw[grp] = packWeightsD(coutG, k, wa, wo + grp * coutG * k, k, 1, pg.mrD, pg.kcD);
            if (s > 1 && readsWide(g)) Parallel.parallelFor(0, units, grain, (u0, u1) -> forwardSamplesWideD(nat, pg, xa, xo, xs, wa, wo, pw, ba, bo, oa, oo, g, s, u0, u1));
            else if (s > 1) Parallel.parallelFor(0, units, grain, (u0, u1) -> forwardSamplesD(nat, pg, xa, xo, xs, wa, wo, pw, ba, bo, oa, oo, g, s, u0, u1));
            else Parallel.parallelFor(0, units, grain, (u0, u1) -> forwardD(nat, pg, xa, xo, xs, wa, wo, pw, ba, bo, oa, oo, g, t, u0, u1));
        }
    }

    /** Elements of one panel for native GEMM: 1 MiB of float32, long enough that each call amortises its overhead. */
    static final int NATIVE_TILE_ELEMENTS = 1 << 18;
    /** Elements of one panel of several samples on the Java GEMM (forward and input gradient): 512 KiB of float32. */
    static final int SAMPLE_PANEL_ELEMENTS = 1 << 17;
    /**
     * Fixed partial sums of the weight gradient: its reduction over samples is cut into at most this
     * many ranges, summed in range order, whatever the thread count (so every thread count gives the same bits).
     */
    static final int WEIGHT_GRAD_RANGES = 8;
    /** Panels of several samples are made a multiple of this many where the batch allows, so that 2 or 4 threads get equal shares. */
    private static final int PANEL_MULTIPLE = 4;

    /** Samples per panel to use instead of the automatic count when positive (tests: panels of 1, 2, 3 samples). */
    static volatile int samplesOverride;

    /** The native GEMM when it is the provider's, else null (the Java register tile). */
    private static GemmKernel nativeGemm() {
        GemmKernel gemm = Kernels.gemm();
        return gemm instanceof NativeGemm ? gemm : null;
    }

    /**
     * Whole samples per panel, or 1 for panels within one sample. When at least two samples' output
     * positions fit a panel of {@code elements} with {@code k} rows (small images: LeNet's 14x14 has
     * 100 positions, so one sample's GEMM is a tiny 16 x 150 x 100), the panels put the columns of
     * several samples side by side, and the GEMM's N dimension grows by that factor. The count
     * depends on the geometry only, never on the thread count: the panels are also the units of the
     * weight gradient's fixed-order reduction.
     */
    static int samplesPerPanel(Geometry g, int k, int elements) {
        int forced = samplesOverride;
        if (forced > 0) return Math.min(forced, Math.max(1, g.batch));
        if (tileOverride > 0 || g.batch < 2) return 1;
        long fit = elements / Math.max(1L, (long) Math.max(1, k) * g.positions());
        if (fit < 2) return 1;
        long panels = (g.batch + fit - 1) / fit;
        panels = Math.min(g.batch, PackedGemm.roundUp((int) panels, PANEL_MULTIPLE));
        return (int) ((g.batch + panels - 1) / panels);
    }

    /** Panels of {@code s} samples in a batch of {@code batch}. */
    static int panels(int batch, int s) { return (batch + s - 1) / s; }

    /** Panels of several samples read stride-1 images wide ({@link #forwardSamplesWideF}). */
    static boolean readsWide(Geometry g) { return g.sh == 1 && g.sw == 1; }

    /** Positions of one sample's wide panel: {@code (OH - 1) * Wp + OW}, {@code Wp} the padded width. */
    static int wideLength(Geometry g) { return (g.outH - 1) * (g.inW + 2 * g.pw) + g.outW; }

    /** An empty reduction (no input channels): the output is the bias, or 0. */
    private static void zeroAndBiasF(float[] out, int oo, float[] bias, int bo, Geometry g) {
        int l = g.positions();
        for (int n = 0; n < g.batch; n++)
            for (int c = 0; c < g.outC; c++) {
                int o = oo + (n * g.outC + c) * l;
                java.util.Arrays.fill(out, o, o + l, bias == null ? 0f : bias[bo + c]);
            }
    }

    private static void zeroAndBiasD(double[] out, int oo, double[] bias, int bo, Geometry g) {
        int l = g.positions();
        for (int n = 0; n < g.batch; n++)
            for (int c = 0; c < g.outC; c++) {
                int o = oo + (n * g.outC + c) * l;
                java.util.Arrays.fill(out, o, o + l, bias == null ? 0.0 : bias[bo + c]);
            }
    }

    /**
     * {@code gx += conv_transpose(gy, w)}, the input gradient of {@code conv(x, w)} (and the
     * forward of the transposed convolution): {@code gy} (N, C_out, OH, OW), {@code w} and
     * {@code gx} (N, C_in, H, W) contiguous; {@code gx} is added to (pass it zero-filled).
     */
    public static void inputGrad(StridedArray gy, StridedArray w, StridedArray gx, Geometry g) {
        int l = g.positions(), k = g.k(), coutG = g.outC / g.groups;
        if (l == 0 || g.batch == 0 || k == 0 || coutG == 0) return;
        if (Depthwise.applies(g)) {
            Depthwise.inputGrad(gy, w, gx, g);
            return;
        }
        if (SmallConv.appliesToInputGrad(g, gy, w)) { SmallConv.inputGrad(gy, w, gx, g); return; }
        GemmKernel nat = nativeGemm();
        int s = samplesPerPanel(g, k, nat != null ? NATIVE_TILE_ELEMENTS : SAMPLE_PANEL_ELEMENTS);
        int t = s > 1 ? l : tileLength(k, l, nat != null ? NATIVE_TILE_ELEMENTS : TILE_ELEMENTS);
        int units = s > 1 ? g.groups * panels(g.batch, s) : g.batch * g.groups;
        int grain = (int) Math.max(1, GRAIN_MACS / Math.max(1L, (long) coutG * s * l * k));
        int gyo = gy.storageOffsetInternal(), wo = w.storageOffsetInternal(), gxo = gx.storageOffsetInternal();
        PackedGemm pg = Kernels.javaGemm();
        if (gy.storage().f32() != null) {
            float[] ya = gy.storage().f32(), wa = w.storage().f32(), xa = gx.storage().f32();
            if (usesTaps(g, new int[] {g.inC * g.inH * g.inW, g.inH * g.inW, g.inW, 1}, nat != null) && allFiniteF(wa, wo, wo + g.outC * k)) {
                int tt = tapTileLength(g), tapGrain = (int) Math.max(1, GRAIN_MACS / Math.max(1L, (long) coutG * l * k));
                float[][] pwTaps = nat == null ? packTapWeightsF(pg, wa, wo, g, true) : null;
                float[] byTap = nat == null ? null : tapWeightsF(wa, wo, g);
                Parallel.parallelFor(0, g.batch * g.groups, tapGrain, (u0, u1) -> inputGradTapsF(nat, pg, ya, gyo, byTap, pwTaps, xa, gxo, g, tt, u0, u1));
                return;
            }
            boolean finite = s > 1 && readsWide(g) && allFiniteF(wa, wo, wo + g.outC * k);
            float[][] pwt = new float[g.groups][];
            if (nat == null)
                for (int grp = 0; grp < g.groups; grp++) pwt[grp] = packWeightsF(k, coutG, wa, wo + grp * coutG * k, 1, k, pg.mrF, pg.kcF);
            if (s > 1 && readsWide(g)) Parallel.parallelFor(0, units, grain, (u0, u1) -> inputGradSamplesWideF(nat, pg, ya, gyo, wa, wo, pwt, xa, gxo, g, s, finite, u0, u1));
            else if (s > 1) Parallel.parallelFor(0, units, grain, (u0, u1) -> inputGradSamplesF(nat, pg, ya, gyo, wa, wo, pwt, xa, gxo, g, s, u0, u1));
            else Parallel.parallelFor(0, units, grain, (u0, u1) -> inputGradF(nat, pg, ya, gyo, wa, wo, pwt, xa, gxo, g, t, u0, u1));
        } else {
            double[] ya = gy.storage().f64(), wa = w.storage().f64(), xa = gx.storage().f64();
            boolean finite = s > 1 && readsWide(g) && allFiniteD(wa, wo, wo + g.outC * k);
            double[][] pwt = new double[g.groups][];
            if (nat == null)
                for (int grp = 0; grp < g.groups; grp++) pwt[grp] = packWeightsD(k, coutG, wa, wo + grp * coutG * k, 1, k, pg.mrD, pg.kcD);
            if (s > 1 && readsWide(g)) Parallel.parallelFor(0, units, grain, (u0, u1) -> inputGradSamplesWideD(nat, pg, ya, gyo, wa, wo, pwt, xa, gxo, g, s, finite, u0, u1));
            else if (s > 1) Parallel.parallelFor(0, units, grain, (u0, u1) -> inputGradSamplesD(nat, pg, ya, gyo, wa, wo, pwt, xa, gxo, g, s, u0, u1));
            else Parallel.parallelFor(0, units, grain, (u0, u1) -> inputGradD(nat, pg, ya, gyo, wa, wo, pwt, xa, gxo, g, t, u0, u1));
        }
    }

    /**
     * {@code gw = sum_n gy[n] (x) x[n]}, the weight gradient of {@code conv(x, w)}: {@code x} of any
     * strides, {@code gy} contiguous, {@code gw} (C_out, C_in/groups, kh, kw) contiguous and zero-filled.
     * The sum over samples runs in at most {@link #WEIGHT_GRAD_RANGES} fixed ranges of panels (or
     * samples), each on one thread into its own partial sum, the partials added in range order: the
     * same bits for every thread count. On one thread a single scratch panel holds every partial in
     * turn (kept per thread, up to {@link #WEIGHT_GRAD_SCRATCH_MAX} bytes).
     */
    public static void weightGrad(StridedArray x, StridedArray gy, StridedArray gw, Geometry g) {
        int l = g.positions(), k = g.k(), coutG = g.outC / g.groups;
        if (l == 0 || g.batch == 0 || k == 0 || coutG == 0) return;
        if (Depthwise.applies(g)) {
            Depthwise.weightGrad(x, gy, gw, g);
            return;
        }
        if (SmallConv.applies(g, x)) { SmallConv.weightGrad(x, gy, gw, g); return; }
        GemmKernel gemm = Kernels.gemm();
        boolean nativeGemm = gemm instanceof NativeGemm;
        int elements = nativeGemm ? NATIVE_TILE_ELEMENTS : WEIGHT_GRAD_TILE_ELEMENTS;
        int s = samplesPerPanel(g, k, elements);
        int t = s > 1 ? l : tileLength(k, l, elements);
        int units = panels(g.batch, s);
        long perSample = (long) g.outC * l * k;
        int ranges = (int) Math.max(1, Math.min(Math.min(WEIGHT_GRAD_RANGES, units), (long) g.batch * perSample / GRAIN_MACS));
        int[] xs = imageStrides(x);
        int xo = x.storageOffsetInternal(), gyo = gy.storageOffsetInternal(), gwo = gw.storageOffsetInternal();
        int size = g.outC * k, nRanges = ranges;
        if (x.storage().f32() != null) {
            float[] xa = x.storage().f32(), ya = gy.storage().f32(), wa = gw.storage().f32();
            float[][] partial = new float[nRanges][];
            Parallel.parallelFor(0, nRanges, 1, (r0, r1) -> {
                // The chunk that holds range 0 (all of them on one thread) adds each of its later ranges
                // to gw as soon as it is summed, through one reused scratch panel; the other chunks keep
                // theirs for the caller to add after: the same additions in the same range order.
                float[] fold = r0 == 0 && r1 > 1 ? borrowWeightGradScratchF(size) : null;
                try {
                    for (int r = r0; r < r1; r++) {
                        int p0 = (int) ((long) r * units / nRanges), p1 = (int) ((long) (r + 1) * units / nRanges);
                        float[] into = wa;
                        int at = gwo;
                        if (r > 0 && fold != null) { java.util.Arrays.fill(fold, 0, size, 0f); into = fold; at = 0; }
                        else if (r > 0) { into = partial[r] = new float[size]; at = 0; }
                        if (s > 1 && readsWide(g)) weightGradSamplesWideF(gemm, xa, xo, xs, ya, gyo, into, at, g, s, p0, p1);
                        else if (s > 1) weightGradSamplesF(gemm, xa, xo, xs, ya, gyo, into, at, g, s, p0, p1);
                        else weightGradF(gemm, 1, xa, xo, xs, ya, gyo, into, at, g, t, p0, p1);
                        if (into == fold) for (int i = 0; i < size; i++) wa[gwo + i] += fold[i];
                    }
                } finally {
                    if (fold != null) returnWeightGradScratchF(fold);
                }
            });
            for (int r = 1; r < nRanges; r++)
                if (partial[r] != null) for (int i = 0; i < size; i++) wa[gwo + i] += partial[r][i];
        } else {
            double[] xa = x.storage().f64(), ya = gy.storage().f64(), wa = gw.storage().f64();
            double[][] partial = new double[nRanges][];
            Parallel.parallelFor(0, nRanges, 1, (r0, r1) -> {
                // The chunk that holds range 0 (all of them on one thread) adds each of its later ranges
                // to gw as soon as it is summed, through one reused scratch panel; the other chunks keep
                // theirs for the caller to add after: the same additions in the same range order.
                double[] fold = r0 == 0 && r1 > 1 ? borrowWeightGradScratchD(size) : null;
                try {
                    for (int r = r0; r < r1; r++) {
                        int p0 = (int) ((long) r * units / nRanges), p1 = (int) ((long) (r + 1) * units / nRanges);
                        double[] into = wa;
                        int at = gwo;
                        if (r > 0 && fold != null) { java.util.Arrays.fill(fold, 0, size, 0.0); into = fold; at = 0; }
                        else if (r > 0) { into = partial[r] = new double[size]; at = 0; }
                        if (s > 1 && readsWide(g)) weightGradSamplesWideD(gemm, xa, xo, xs, ya, gyo, into, at, g, s, p0, p1);
                        else if (s > 1) weightGradSamplesD(gemm, xa, xo, xs, ya, gyo, into, at, g, s, p0, p1);
                        else weightGradD(gemm, 1, xa, xo, xs, ya, gyo, into, at, g, t, p0, p1);
                        if (into == fold) for (int i = 0; i < size; i++) wa[gwo + i] += fold[i];
                    }
                } finally {
                    if (fold != null) returnWeightGradScratchD(fold);
                }
            });
            for (int r = 1; r < nRanges; r++)
                if (partial[r] != null) for (int i = 0; i < size; i++) wa[gwo + i] += partial[r][i];
        }
    }

    /**
     * Bytes of weight-gradient scratch a thread keeps between calls: a larger panel (a weight of
     * more than a million float32 elements) is allocated for the call and dropped after it.
     */
    static final int WEIGHT_GRAD_SCRATCH_MAX = 4 << 20;
    /** Each thread's kept weight-gradient scratch panel (slot 0, null while borrowed or before the first call). */
    private static final ThreadLocal<float[][]> WEIGHT_GRAD_SCRATCH_F = ThreadLocal.withInitial(() -> new float[1][]);
    private static final ThreadLocal<double[][]> WEIGHT_GRAD_SCRATCH_D = ThreadLocal.withInitial(() -> new double[1][]);

    /**
     * This thread's scratch panel of at least {@code n} elements (contents undefined), taken out
     * of its slot for the caller's use: a nested or concurrent call on the same thread finds the
     * slot empty and makes its own, so two calls never share one.
     */
    private static float[] borrowWeightGradScratchF(int n) {
        float[][] slot = WEIGHT_GRAD_SCRATCH_F.get();
        float[] a = slot[0];
        slot[0] = null;
        return a != null && a.length >= n ? a : new float[n];
    }

    /** Puts a borrowed panel back into this thread's slot, unless it is larger than {@link #WEIGHT_GRAD_SCRATCH_MAX}. */
    private static void returnWeightGradScratchF(float[] a) {
        if (a.length <= WEIGHT_GRAD_SCRATCH_MAX / Float.BYTES) WEIGHT_GRAD_SCRATCH_F.get()[0] = a;
    }

    private static double[] borrowWeightGradScratchD(int n) {
        double[][] slot = WEIGHT_GRAD_SCRATCH_D.get();
        double[] a = slot[0];
        slot[0] = null;
        return a != null && a.length >= n ? a : new double[n];
    }

    private static void returnWeightGradScratchD(double[] a) {
        if (a.length <= WEIGHT_GRAD_SCRATCH_MAX / Double.BYTES) WEIGHT_GRAD_SCRATCH_D.get()[0] = a;
    }

    /** {@code out[n, c, ...] += bias[c]} over a contiguous (N, C, ...) tensor and a contiguous bias. */
    public static void addChannelBias(StridedArray out, StridedArray bias, int batch, int channels) {
        int plane = channels == 0 || batch == 0 ? 0 : (int) (out.numel() / ((long) batch * channels));
        int oo = out.storageOffsetInternal(), bo = bias.storageOffsetInternal();
        if (out.storage().f32() != null) {
            float[] o = out.storage().f32(), b = bias.storage().f32();
            for (int n = 0; n < batch; n++)
                for (int c = 0; c < channels; c++) {
                    float v = b[bo + c];
                    for (int i = oo + (n * channels + c) * plane, e = i + plane; i < e; i++) o[i] += v;
                }
        } else {
            double[] o = out.storage().f64(), b = bias.storage().f64();
            for (int n = 0; n < batch; n++)
                for (int c = 0; c < channels; c++) {
                    double v = b[bo + c];
                    for (int i = oo + (n * channels + c) * plane, e = i + plane; i < e; i++) o[i] += v;
                }
        }
    }

    // ================================================================== float32

    /**
     * A group's weight as the register tile's A operand: for each k block of {@code kc}, the
     * {@code m x kcb} block (A[i][p] at {@code a[src + i*ars + p*acs]}) in {@code mr}-row slivers, as
     * {@link PackedGemm#packAF} lays it out; block {@code pc} starts at {@code roundUp(m, mr) * pc}.
     */
    static float[] packWeightsF(int m, int k, float[] a, int src, int ars, int acs, int mr, int kc) {
        int rows = PackedGemm.roundUp(m, mr);
        float[] packed = new float[rows * k], block = new float[rows * Math.min(kc, k)];
        for (int pc = 0; pc < k; pc += kc) {
            int kcb = Math.min(kc, k - pc);
            PackedGemm.packAF(m, kcb, a, src + pc * acs, ars, acs, block, mr);
            System.arraycopy(block, 0, packed, rows * pc, rows * kcb);
        }
        return packed;
    }

    /**
     * {@code C (m x n) (+)= A B} on the register tile, with A packed by {@link #packWeightsF} and B
     * read in place (row {@code p} at {@code b[bo + p*brs]}, unit column stride): B's {@code kcb x nr}
     * slivers are already the micro-kernel's operand, so nothing is copied but the last partial
     * sliver. {@code accumulate} adds to C (else the first k block stores).
     */
    static void tileProductF(PackedGemm pg, int m, int n, int k, float[] pa, float[] b, int bo, int brs, float[] c, int co, int ldc,
                             boolean accumulate, Buffers buffers) {
        int mr = pg.mrF, nr = pg.nrF, kc = pg.kcF, rowsPadded = PackedGemm.roundUp(m, mr);
        float[] tile = buffers.tileF(mr * nr), edge = null;
        for (int pc = 0; pc < k; pc += kc) {
            int kcb = Math.min(kc, k - pc);
            boolean acc = accumulate || pc > 0;
            int aBlock = rowsPadded * pc;
            for (int jr = 0; jr < n; jr += nr) {
                int cols = Math.min(nr, n - jr);
                float[] bArr = b;
                int bOff = bo + pc * brs + jr, bStr = brs;
                if (cols < nr) {
                    // The last partial sliver: copied with zeros, so the micro-kernel never reads past B.
                    if (edge == null) edge = buffers.edgeF(kc * nr);
                    for (int p = 0; p < kcb; p++) {
                        System.arraycopy(b, bOff + p * brs, edge, p * nr, cols);
                        java.util.Arrays.fill(edge, p * nr + cols, (p + 1) * nr, 0f);
                    }
                    bArr = edge;
                    bOff = 0;
                    bStr = nr;
                }
                for (int ir = 0; ir < m; ir += mr) {
                    int rows = Math.min(mr, m - ir), cAt = co + ir * ldc + jr;
                    if (rows == mr && cols == nr) {
                        pg.microF(kcb, pa, aBlock + ir * kcb, bArr, bOff, bStr, c, cAt, ldc, acc);
                    } else {
                        pg.microF(kcb, pa, aBlock + ir * kcb, bArr, bOff, bStr, tile, 0, nr, false);
                        for (int r = 0; r < rows; r++) {
                            int t = r * nr, o = cAt + r * ldc;
                            if (acc) for (int j = 0; j < cols; j++) c[o + j] += tile[t + j];
                            else System.arraycopy(tile, t, c, o, cols);
                        }
                    }
                }
            }
        }
    }


    /**
     * Writes the {@code K x t} panel of sample-group base {@code xb} for output positions
     * {@code [l0, l0 + t)} into {@code buf}: row {@code (c, ki, kj)} holds the input pixel under
     * that kernel tap for each position, 0 in the padding. Every element of the panel is written.
     */
    static void packF(float[] x, int xb, int sc, int sy, int sx, Geometry g, int l0, int t, float[] buf) {
        packF(x, xb, sc, sy, sx, g, l0, t, buf, 0, t);
    }

    /** The same, row {@code r} of the panel written at {@code buf[bo + r*ld]} (panels of several samples side by side). */
    static void packF(float[] x, int xb, int sc, int sy, int sx, Geometry g, int l0, int t, float[] buf, int bo, int ld) {
        int ow = g.outW, cinG = g.inC / g.groups;
        int oyStart = l0 / ow, oxStart = l0 % ow, end = l0 + t;
        int row = 0;
        for (int c = 0; c < cinG; c++) {
            int cb = xb + c * sc;
            for (int ki = 0; ki < g.kh; ki++) {
                int yoff = ki * g.dh - g.ph;
                for (int kj = 0; kj < g.kw; kj++) {
                    int xoff = kj * g.dw - g.pw, first = firstInside(xoff, g.sw), last = endInside(xoff, g.sw, g.inW, ow);
                    int d = bo + row++ * ld;
                    int step = g.sw * sx;
                    for (int l = l0, oy = oyStart, ox0 = oxStart; l < end; oy++, ox0 = 0) {
                        int seg = Math.min(ow - ox0, end - l), ox1 = ox0 + seg;
                        int iy = oy * g.sh + yoff;
                        int lo = Math.max(ox0, first), hi = Math.min(ox1, last);
                        if (iy < 0 || iy >= g.inH || lo >= hi) {
                            java.util.Arrays.fill(buf, d, d + seg, 0f);
                        } else {
                            for (int i = d, e = d + lo - ox0; i < e; i++) buf[i] = 0f;
                            int src = cb + iy * sy + (lo * g.sw + xoff) * sx, dst = d + lo - ox0;
                            if (step == 1) System.arraycopy(x, src, buf, dst, hi - lo);
                            else for (int i = 0, n = hi - lo; i < n; i++, src += step) buf[dst + i] = x[src];
                            for (int i = d + hi - ox0, e = d + seg; i < e; i++) buf[i] = 0f;
                        }
                        d += seg;
                        l += seg;
                    }
                }
            }
        }
    }

    /** The adjoint of {@link #packF}: adds the panel's in-image elements into the contiguous image plane set at {@code gb}. */
    static void unpackAddF(float[] buf, Geometry g, int l0, int t, float[] gx, int gb) {
        unpackAddF(buf, g, l0, t, gx, gb, 0, t);
    }

    /** The same, row {@code r} of the panel read at {@code buf[bo + r*ld]}. */
    static void unpackAddF(float[] buf, Geometry g, int l0, int t, float[] gx, int gb, int bo, int ld) {
        int ow = g.outW, cinG = g.inC / g.groups, plane = g.inH * g.inW;
        int oyStart = l0 / ow, oxStart = l0 % ow, end = l0 + t;
        int row = 0;
        for (int c = 0; c < cinG; c++) {
            int cb = gb + c * plane;
            for (int ki = 0; ki < g.kh; ki++) {
                int yoff = ki * g.dh - g.ph;
                for (int kj = 0; kj < g.kw; kj++) {
                    int xoff = kj * g.dw - g.pw, first = firstInside(xoff, g.sw), last = endInside(xoff, g.sw, g.inW, ow);
                    int d = bo + row++ * ld;
                    int step = g.sw;
                    for (int l = l0, oy = oyStart, ox0 = oxStart; l < end; oy++, ox0 = 0) {
                        int seg = Math.min(ow - ox0, end - l), ox1 = ox0 + seg;
                        int iy = oy * g.sh + yoff;
                        int lo = Math.max(ox0, first), hi = Math.min(ox1, last);
                        if (iy >= 0 && iy < g.inH && lo < hi) {
                            int dst = cb + iy * g.inW + lo * g.sw + xoff, src = d + lo - ox0;
                            if (step == 1) for (int i = 0, n = hi - lo; i < n; i++) gx[dst + i] += buf[src + i];
                            else for (int i = 0, n = hi - lo; i < n; i++, dst += step) gx[dst] += buf[src + i];
                        }
                        d += seg;
                        l += seg;
                    }
                }
            }
        }
    }

    /**
     * {@code out = conv(x, w) (+ bias)} for the samples-groups-tiles {@code [u0, u1)}: on {@code nat}
     * (native GEMM, the weight {@code w} read in place) when not null, else on the register tile
     * with {@code pw[grp]} the packed weight.
     */
    static void forwardF(GemmKernel nat, PackedGemm pg, float[] x, int xo, int[] xs, float[] w, int wo, float[][] pw, float[] bias, int bo,
                         float[] out, int oo, Geometry g, int t, int u0, int u1) {
        int coutG = g.outC / g.groups, cinG = g.inC / g.groups, k = cinG * g.kh * g.kw, l = g.outH * g.outW;
        int tiles = (l + t - 1) / t;
        Buffers buffers = BUFFERS.get();
        boolean pointwise = isPointwise(g, xs);
        float[] buf = pointwise ? null : buffers.floats(k * t);
        for (int u = u0; u < u1; u++) {
            int tile = u % tiles, ng = u / tiles, grp = ng % g.groups, n = ng / g.groups;
            int l0 = tile * t, len = Math.min(t, l - l0);
            int xb = xo + n * xs[0] + grp * cinG * xs[1];
            int ob = oo + (n * g.outC + grp * coutG) * l + l0;
            float[] b = x;
            int bAt = xb + l0, brs = xs[1];
            if (!pointwise) {
                packF(x, xb, xs[1], xs[2], xs[3], g, l0, len, buf);
                b = buf;
                bAt = 0;
                brs = len;
            }
            if (nat != null) nat.sgemm(coutG, len, k, w, wo + grp * coutG * k, k, 1, b, bAt, brs, 1, out, ob, l, false, 1);
            else tileProductF(pg, coutG, len, k, pw[grp], b, bAt, brs, out, ob, l, false, buffers);
            if (bias != null)
                for (int co = 0; co < coutG; co++) {
                    float v = bias[bo + grp * coutG + co];
                    for (int i = ob + co * l, e = i + len; i < e; i++) out[i] += v;
                }
        }
    }

    /**
     * {@code out = conv(x, w) (+ bias)} for the group-panels {@code [u0, u1)} of {@code s} whole
     * samples each (unit {@code grp * panels + p}): the samples' panels side by side in one
     * {@code K x s*L} buffer, one GEMM, the {@code C_out/groups x s*L} product copied out per
     * sample with the bias.
     */
    static void forwardSamplesF(GemmKernel nat, PackedGemm pg, float[] x, int xo, int[] xs, float[] w, int wo, float[][] pw, float[] bias,
                                int bo, float[] out, int oo, Geometry g, int s, int u0, int u1) {
        int coutG = g.outC / g.groups, cinG = g.inC / g.groups, k = cinG * g.kh * g.kw, l = g.outH * g.outW;
        int panels = panels(g.batch, s);
        Buffers buffers = BUFFERS.get();
        float[] buf = buffers.floats(k * s * l), prod = buffers.productF(coutG * s * l);
        for (int u = u0; u < u1; u++) {
            int p = u % panels, grp = u / panels, n0 = p * s, ns = Math.min(s, g.batch - n0), wide = ns * l;
            for (int i = 0; i < ns; i++) packF(x, xo + (n0 + i) * xs[0] + grp * cinG * xs[1], xs[1], xs[2], xs[3], g, 0, l, buf, i * l, wide);
            if (nat != null) nat.sgemm(coutG, wide, k, w, wo + grp * coutG * k, k, 1, buf, 0, wide, 1, prod, 0, wide, false, 1);
            else tileProductF(pg, coutG, wide, k, pw[grp], buf, 0, wide, prod, 0, wide, false, buffers);
            for (int i = 0; i < ns; i++)
                for (int co = 0; co < coutG; co++) {
                    int src = co * wide + i * l, dst = oo + ((n0 + i) * g.outC + grp * coutG + co) * l;
                    if (bias == null) {
                        System.arraycopy(prod, src, out, dst, l);
                    } else {
                        float v = bias[bo + grp * coutG + co];
                        for (int j = 0; j < l; j++) out[dst + j] = prod[src + j] + v;
                    }
                }
        }
    }

    /**
     * {@code gx += conv_transpose(gy, w)} for the sample-groups {@code [u0, u1)}: on {@code nat} when
     * not null, else on the register tile with {@code pwt[grp]} the packed transposed weight.
     */
    static void inputGradF(GemmKernel nat, PackedGemm pg, float[] gy, int gyo, float[] w, int wo, float[][] pwt, float[] gx, int gxo,
                           Geometry g, int t, int u0, int u1) {
        int coutG = g.outC / g.groups, cinG = g.inC / g.groups, k = cinG * g.kh * g.kw, l = g.outH * g.outW;
        int plane = g.inH * g.inW;
        Buffers buffers = BUFFERS.get();
        float[] buf = buffers.floats(k * t);
        for (int u = u0; u < u1; u++) {
            int grp = u % g.groups, n = u / g.groups;
            int gb = gxo + (n * g.inC + grp * cinG) * plane;
            for (int l0 = 0; l0 < l; l0 += t) {
                int len = Math.min(t, l - l0);
                int yb = gyo + (n * g.outC + grp * coutG) * l + l0;
                if (nat != null) nat.sgemm(k, len, coutG, w, wo + grp * coutG * k, 1, k, gy, yb, l, 1, buf, 0, len, false, 1);
                else tileProductF(pg, k, len, coutG, pwt[grp], gy, yb, l, buf, 0, len, false, buffers);
                unpackAddF(buf, g, l0, len, gx, gb);
            }
        }
    }

    /**
     * {@code gx += conv_transpose(gy, w)} for the group-panels {@code [u0, u1)} of {@code s} whole
     * samples each: the samples' output gradients side by side ({@code C_out/groups x s*L}), one
     * GEMM into a {@code K x s*L} panel, added into each sample's image.
     */
    static void inputGradSamplesF(GemmKernel nat, PackedGemm pg, float[] gy, int gyo, float[] w, int wo, float[][] pwt, float[] gx, int gxo,
                                  Geometry g, int s, int u0, int u1) {
        int coutG = g.outC / g.groups, cinG = g.inC / g.groups, k = cinG * g.kh * g.kw, l = g.outH * g.outW;
        int plane = g.inH * g.inW, panels = panels(g.batch, s);
        Buffers buffers = BUFFERS.get();
        float[] buf = buffers.floats(k * s * l), grads = buffers.productF(coutG * s * l);
        for (int u = u0; u < u1; u++) {
            int p = u % panels, grp = u / panels, n0 = p * s, ns = Math.min(s, g.batch - n0), wide = ns * l;
            gatherF(gy, gyo, g, grp, n0, ns, grads);
            if (nat != null) nat.sgemm(k, wide, coutG, w, wo + grp * coutG * k, 1, k, grads, 0, wide, 1, buf, 0, wide, false, 1);
            else tileProductF(pg, k, wide, coutG, pwt[grp], grads, 0, wide, buf, 0, wide, false, buffers);
            for (int i = 0; i < ns; i++) unpackAddF(buf, g, 0, l, gx, gxo + ((n0 + i) * g.inC + grp * cinG) * plane, i * l, wide);
        }
    }

    /** Copies group {@code grp}'s output (gradient) planes of samples {@code [n0, n0 + ns)} side by side: row {@code co} of {@code ns * L}. */
    static void gatherF(float[] gy, int gyo, Geometry g, int grp, int n0, int ns, float[] into) {
        int coutG = g.outC / g.groups, l = g.outH * g.outW, wide = ns * l;
        for (int i = 0; i < ns; i++)
            for (int co = 0; co < coutG; co++)
                System.arraycopy(gy, gyo + ((n0 + i) * g.outC + grp * coutG + co) * l, into, co * wide + i * l, l);
    }

    /**
     * {@code gw += sum over the panels [p0, p1) of s samples of gy (x) x}, one GEMM per panel and
     * group whose reduction runs along the {@code s * L} columns of the samples side by side.
     */
    static void weightGradSamplesF(GemmKernel gemm, float[] x, int xo, int[] xs, float[] gy, int gyo, float[] gw, int gwo, Geometry g, int s,
                                   int p0, int p1) {
        int coutG = g.outC / g.groups, cinG = g.inC / g.groups, k = cinG * g.kh * g.kw, l = g.outH * g.outW;
        Buffers buffers = BUFFERS.get();
        float[] buf = buffers.floats(k * s * l), grads = buffers.productF(coutG * s * l);
        for (int p = p0; p < p1; p++) {
            int n0 = p * s, ns = Math.min(s, g.batch - n0), wide = ns * l;
            for (int grp = 0; grp < g.groups; grp++) {
                for (int i = 0; i < ns; i++) packF(x, xo + (n0 + i) * xs[0] + grp * cinG * xs[1], xs[1], xs[2], xs[3], g, 0, l, buf, i * l, wide);
                gatherF(gy, gyo, g, grp, n0, ns, grads);
                gemm.sgemm(coutG, k, wide, grads, 0, wide, 1, buf, 0, 1, wide, gw, gwo + grp * coutG * k, k, true, 1);
            }
        }
    }

    /** {@code gw += sum over samples [n0, n1) of gy (x) x}, gw contiguous (C_out, C_in/groups, kh, kw). */
    static void weightGradF(GemmKernel gemm, int threads, float[] x, int xo, int[] xs, float[] gy, int gyo, float[] gw, int gwo, Geometry g, int t,
                            int n0, int n1) {
        int coutG = g.outC / g.groups, cinG = g.inC / g.groups, k = cinG * g.kh * g.kw, l = g.outH * g.outW;
        float[] buf = BUFFERS.get().floats(k * t);
        boolean pointwise = isPointwise(g, xs);
        for (int n = n0; n < n1; n++)
            for (int grp = 0; grp < g.groups; grp++) {
                int xb = xo + n * xs[0] + grp * cinG * xs[1];
                for (int l0 = 0; l0 < l; l0 += t) {
                    int len = Math.min(t, l - l0);
                    int yb = gyo + (n * g.outC + grp * coutG) * l + l0;
                    if (pointwise) {
                        gemm.sgemm(coutG, k, len, gy, yb, l, 1, x, xb + l0, 1, xs[1], gw, gwo + grp * coutG * k, k, true, threads);
                    } else {
                        packF(x, xb, xs[1], xs[2], xs[3], g, l0, len, buf);
                        gemm.sgemm(coutG, k, len, gy, yb, l, 1, buf, 0, 1, len, gw, gwo + grp * coutG * k, k, true, threads);
                    }
                }
            }
    }

    /**
     * Stride-1 panels of whole samples read each image "wide": with the image zero-padded into
     * {@code Hp x Wp} planes, panel row {@code (c, ki, kj)} is the single run of
     * {@link #wideLength} elements starting at {@code c*Hp*Wp + ki*dh*Wp + kj*dw}, whose position
     * {@code p} is output {@code (p / Wp, p % Wp)}; the {@code Wp - OW} positions that end each
     * output row are not outputs (their products are dropped, their output gradients are 0). One
     * copy per row instead of one per row and output row: on small images (LeNet's 10-wide
     * outputs) the short copies, not the GEMM, were most of the time.
     */
    static void forwardSamplesWideF(GemmKernel nat, PackedGemm pg, float[] x, int xo, int[] xs, float[] w, int wo, float[][] pw, float[] bias,
                                    int bo, float[] out, int oo, Geometry g, int s, int u0, int u1) {
        int coutG = g.outC / g.groups, cinG = g.inC / g.groups, k = cinG * g.kh * g.kw, l = g.outH * g.outW;
        int wp = g.inW + 2 * g.pw, lw = wideLength(g), panels = panels(g.batch, s);
        Buffers buffers = BUFFERS.get();
        float[] buf = buffers.floats(k * s * lw), prod = buffers.productF(coutG * s * lw);
        float[] pad = buffers.paddedF(cinG * (g.inH + 2 * g.ph) * wp);
        for (int u = u0; u < u1; u++) {
            int p = u % panels, grp = u / panels, n0 = p * s, ns = Math.min(s, g.batch - n0), wide = ns * lw;
            for (int i = 0; i < ns; i++) {
                padF(x, xo + (n0 + i) * xs[0] + grp * cinG * xs[1], xs[1], xs[2], xs[3], g, pad);
                packWideF(pad, g, buf, i * lw, wide);
            }
            if (nat != null) nat.sgemm(coutG, wide, k, w, wo + grp * coutG * k, k, 1, buf, 0, wide, 1, prod, 0, wide, false, 1);
            else tileProductF(pg, coutG, wide, k, pw[grp], buf, 0, wide, prod, 0, wide, false, buffers);
            for (int i = 0; i < ns; i++)
                for (int co = 0; co < coutG; co++) {
                    int dst = oo + ((n0 + i) * g.outC + grp * coutG + co) * l;
                    float v = bias == null ? 0f : bias[bo + grp * coutG + co];
                    for (int oy = 0; oy < g.outH; oy++) {
                        int src = co * wide + i * lw + oy * wp, d = dst + oy * g.outW;
                        if (bias == null) System.arraycopy(prod, src, out, d, g.outW);
                        else for (int j = 0; j < g.outW; j++) out[d + j] = prod[src + j] + v;
                    }
                }
        }
    }

    /**
     * {@code gx += conv_transpose(gy, w)} on wide panels of {@code s} samples: the output gradients
     * side by side with 0 at the non-output positions, one GEMM, each panel row added as one run
     * into the sample's padded planes, whose interior is added into {@code gx}. The non-output
     * columns of the product are exactly 0 only for a finite weight ({@code finiteWeight}); else
     * they are cleared before the runs are added.
     */
    static void inputGradSamplesWideF(GemmKernel nat, PackedGemm pg, float[] gy, int gyo, float[] w, int wo, float[][] pwt, float[] gx, int gxo,
                                      Geometry g, int s, boolean finiteWeight, int u0, int u1) {
        int coutG = g.outC / g.groups, cinG = g.inC / g.groups, k = cinG * g.kh * g.kw;
        int hp = g.inH + 2 * g.ph, wp = g.inW + 2 * g.pw, pp = hp * wp, plane = g.inH * g.inW, lw = wideLength(g), panels = panels(g.batch, s);
        Buffers buffers = BUFFERS.get();
        float[] buf = buffers.floats(k * s * lw), grads = buffers.productF(coutG * s * lw), pad = buffers.paddedF(cinG * pp);
        // The runs are added on the provider's element kernels (vector adds; plain loops here would be scalar).
        for (int u = u0; u < u1; u++) {
            int p = u % panels, grp = u / panels, n0 = p * s, ns = Math.min(s, g.batch - n0), wide = ns * lw;
            gatherWideF(gy, gyo, g, grp, n0, ns, grads);
            if (nat != null) nat.sgemm(k, wide, coutG, w, wo + grp * coutG * k, 1, k, grads, 0, wide, 1, buf, 0, wide, false, 1);
            else tileProductF(pg, k, wide, coutG, pwt[grp], grads, 0, wide, buf, 0, wide, false, buffers);
            if (!finiteWeight) zeroNonOutputsF(buf, k, wide, ns, g);
            for (int i = 0; i < ns; i++) {
                java.util.Arrays.fill(pad, 0, cinG * pp, 0f);
                int row = 0;
                for (int c = 0; c < cinG; c++)
                    for (int ki = 0; ki < g.kh; ki++)
                        for (int kj = 0; kj < g.kw; kj++) {
                            int d = c * pp + ki * g.dh * wp + kj * g.dw, src = row++ * wide + i * lw;
                            PointwiseKernels.ADD.f32(pad, d, pad, d, 1, buf, src, 1, lw);
                        }
                int gb = gxo + ((n0 + i) * g.inC + grp * cinG) * plane;
                for (int c = 0; c < cinG; c++)
                    for (int y = 0; y < g.inH; y++) {
                        int d = gb + c * plane + y * g.inW, src = c * pp + (y + g.ph) * wp + g.pw;
                        PointwiseKernels.ADD.f32(gx, d, gx, d, 1, pad, src, 1, g.inW);
                    }
            }
        }
    }

    /**
     * {@code gw += sum over the panels [p0, p1) of gy (x) x} on wide panels: 0 output gradients at
     * the non-output positions; where a sample holds an infinite or NaN pixel (which times 0 is
     * NaN) the panel's non-output columns are cleared first.
     */
    static void weightGradSamplesWideF(GemmKernel gemm, float[] x, int xo, int[] xs, float[] gy, int gyo, float[] gw, int gwo, Geometry g, int s,
                                       int p0, int p1) {
        int coutG = g.outC / g.groups, cinG = g.inC / g.groups, k = cinG * g.kh * g.kw;
        int pp = (g.inH + 2 * g.ph) * (g.inW + 2 * g.pw), lw = wideLength(g);
        Buffers buffers = BUFFERS.get();
        float[] buf = buffers.floats(k * s * lw), grads = buffers.productF(coutG * s * lw), pad = buffers.paddedF(cinG * pp);
        for (int p = p0; p < p1; p++) {
            int n0 = p * s, ns = Math.min(s, g.batch - n0), wide = ns * lw;
            for (int grp = 0; grp < g.groups; grp++) {
                boolean finite = true;
                for (int i = 0; i < ns; i++) {
                    padF(x, xo + (n0 + i) * xs[0] + grp * cinG * xs[1], xs[1], xs[2], xs[3], g, pad);
                    finite &= allFiniteF(pad, 0, cinG * pp);
                    packWideF(pad, g, buf, i * lw, wide);
                }
                if (!finite) zeroNonOutputsF(buf, k, wide, ns, g);
                gatherWideF(gy, gyo, g, grp, n0, ns, grads);
                gemm.sgemm(coutG, k, wide, grads, 0, wide, 1, buf, 0, 1, wide, gw, gwo + grp * coutG * k, k, true, 1);
            }
        }
    }

    /** Copies group {@code cinG} planes of one sample ({@code x} at {@code xb}, any strides) into {@code pad} as zero-padded {@code Hp x Wp} planes. */
    static void padF(float[] x, int xb, int sc, int sy, int sx, Geometry g, float[] pad) {
        int cinG = g.inC / g.groups, wp = g.inW + 2 * g.pw, pp = (g.inH + 2 * g.ph) * wp;
        if (g.ph > 0 || g.pw > 0) java.util.Arrays.fill(pad, 0, cinG * pp, 0f);
        for (int c = 0; c < cinG; c++)
            for (int y = 0; y < g.inH; y++) {
                int src = xb + c * sc + y * sy, dst = c * pp + (y + g.ph) * wp + g.pw;
                if (sx == 1) System.arraycopy(x, src, pad, dst, g.inW);
                else for (int j = 0; j < g.inW; j++, src += sx) pad[dst + j] = x[src];
            }
    }

    /** Writes the wide panel of the padded planes {@code pad}: row {@code r} at {@code buf[bo + r*ld]}, {@link #wideLength} elements. */
    static void packWideF(float[] pad, Geometry g, float[] buf, int bo, int ld) {
        int cinG = g.inC / g.groups, wp = g.inW + 2 * g.pw, pp = (g.inH + 2 * g.ph) * wp, lw = wideLength(g);
        int row = 0;
        for (int c = 0; c < cinG; c++)
            for (int ki = 0; ki < g.kh; ki++)
                for (int kj = 0; kj < g.kw; kj++)
                    System.arraycopy(pad, c * pp + ki * g.dh * wp + kj * g.dw, buf, bo + row++ * ld, lw);
    }

    /** Group {@code grp}'s output gradients of samples {@code [n0, n0 + ns)} as wide rows: row {@code co} of {@code ns} runs, 0 at the non-output positions. */
    static void gatherWideF(float[] gy, int gyo, Geometry g, int grp, int n0, int ns, float[] into) {
        int coutG = g.outC / g.groups, l = g.outH * g.outW, wp = g.inW + 2 * g.pw, lw = wideLength(g), wide = ns * lw;
        java.util.Arrays.fill(into, 0, coutG * wide, 0f);
        for (int i = 0; i < ns; i++)
            for (int co = 0; co < coutG; co++) {
                int src = gyo + ((n0 + i) * g.outC + grp * coutG + co) * l, dst = co * wide + i * lw;
                for (int oy = 0; oy < g.outH; oy++) System.arraycopy(gy, src + oy * g.outW, into, dst + oy * wp, g.outW);
            }
    }

    /** Clears the non-output positions of a wide panel of {@code rows} rows of {@code ns} samples. */
    static void zeroNonOutputsF(float[] buf, int rows, int ld, int ns, Geometry g) {
        int wp = g.inW + 2 * g.pw, lw = wideLength(g);
        for (int r = 0; r < rows; r++)
            for (int i = 0; i < ns; i++)
                for (int oy = 0; oy + 1 < g.outH; oy++) {
                    int at = r * ld + i * lw + oy * wp;
                    java.util.Arrays.fill(buf, at + g.outW, at + wp, 0f);
                }
    }

    /** Whether {@code a[from, to)} holds no infinity or NaN (one of them times 0 is NaN). */
    static boolean allFiniteF(float[] a, int from, int to) {
        float zeros = 0f;
        for (int i = from; i < to; i++) zeros += a[i] * 0f;
        return zeros == 0f;
    }

    // ------------------------------------------------------------------ per-tap products (float32)

    /**
     * Fewest input channels per group for which the forward and the input gradient run as one
     * GEMM per kernel tap ({@link #forwardTapsF}) on the native GEMM: each product's reduction is
     * {@code C_in/groups} long, which OpenBLAS runs as fast as the packed panel's {@code K} (64
     * channels: the nine products of a 3x3 tap took the time of the one 576-deep product) while
     * nothing is packed; with a handful of channels the short reductions would not pay.
     */
    static final int TAP_MIN_CHANNELS = 32;
    /** Elements of a per-tap product's output (gradient) tile: 128 KiB of float32, kept in L2 across the {@code kh*kw} products. */
    static final int TAP_TILE_ELEMENTS = 1 << 15;
    /** 1 forces the per-tap path wherever it can run (tests, on every provider), -1 keeps it off, 0 the automatic rule. */
    static volatile int tapsOverride;

    /** Whether the float32 forward and input gradient run one GEMM per tap (not for pointwise kernels, which read the image in place). */
    static boolean usesTaps(Geometry g, int[] xs, boolean nativeGemm) {
        int forced = tapsOverride;
        if (forced < 0 || isPointwise(g, xs)) return false;
        // Strides near or past the image's size would make the phase planes (rounded up to whole
        // strides) many times the padded image: keep them within twice its size.
        long padded = (long) (g.inH + 2 * g.ph) * (g.inW + 2 * g.pw);
        if ((long) g.sh * phaseH(g) * g.sw * phaseW(g) > 2 * padded) return false;
        return forced > 0 || (nativeGemm && g.kh * g.kw > 1 && g.inC / g.groups >= TAP_MIN_CHANNELS);
    }

    /** Rows of one phase plane: the padded height over the row stride, rounded up. */
    static int phaseH(Geometry g) { return (g.inH + 2 * g.ph + g.sh - 1) / g.sh; }

    /** Columns of one phase plane: the padded width over the column stride, rounded up. */
    static int phaseW(Geometry g) { return (g.inW + 2 * g.pw + g.sw - 1) / g.sw; }

    /** Wide positions of one sample on phase planes: {@code (OH - 1) * Wq + OW}, position {@code p} being output {@code (p / Wq, p % Wq)}. */
    static int tapLength(Geometry g) { return (g.outH - 1) * phaseW(g) + g.outW; }

    /** Elements of one sample-group's phase planes: {@code sh * sw} phases of {@code C_in/groups} planes of {@code Hq x Wq}. */
    static int phaseElements(Geometry g) { return g.sh * g.sw * (g.inC / g.groups) * phaseH(g) * phaseW(g); }

    /** Where tap {@code (ki, kj)}'s run of channel 0 starts in the phase planes (channel {@code c} at {@code + c * Hq * Wq}). */
    static int tapOffset(Geometry g, int ki, int kj) {
        int ry = ki * g.dh, rx = kj * g.dw, wq = phaseW(g);
        int phase = (ry % g.sh) * g.sw + rx % g.sw;
        return phase * (g.inC / g.groups) * phaseH(g) * wq + ry / g.sh * wq + rx / g.sw;
    }

    /** Wide positions per per-tap tile: {@link #TAP_TILE_ELEMENTS} over the rows of the tile's product, a multiple of 32 unless all of them. */
    static int tapTileLength(Geometry g) {
        int lw = tapLength(g), forced = tileOverride;
        if (forced > 0) return Math.min(forced, lw);
        int rows = Math.max(g.outC, g.inC) / g.groups;
        int t = Math.max(32, TAP_TILE_ELEMENTS / Math.max(1, rows));
        return t >= lw ? lw : t - t % 32;
    }

    /**
     * Copies one sample-group's {@code C_in/groups} planes ({@code x} at {@code xb}, any strides)
     * into {@code pad} as zero-padded phase planes: padded pixel {@code (py, px)} of channel
     * {@code c} goes to phase {@code (py % sh, px % sw)}, plane {@code c}, at
     * {@code (py / sh, px / sw)}. Tap {@code (ki, kj)} then reads, for every output, the pixel at
     * its position plus a fixed offset ({@link #tapOffset}) in one plane: at any stride the tap's
     * operand is the planes themselves, {@code Hq * Wq} apart, read in place by the GEMM.
     */
    static void padPhasesF(float[] x, int xb, int sc, int sy, int sx, Geometry g, float[] pad) {
        int cinG = g.inC / g.groups, hq = phaseH(g), wq = phaseW(g), qq = hq * wq;
        java.util.Arrays.fill(pad, 0, phaseElements(g), 0f);
        for (int c = 0; c < cinG; c++)
            for (int iy = 0; iy < g.inH; iy++) {
                int py = iy + g.ph, rowBase = (py % g.sh) * g.sw, yq = py / g.sh;
                for (int b = 0; b < g.sw; b++) {
                    int ix0 = Math.floorMod(b - g.pw, g.sw);
                    if (ix0 >= g.inW) continue;
                    int n = (g.inW - ix0 + g.sw - 1) / g.sw, phase = rowBase + Math.floorMod(ix0 + g.pw, g.sw);
                    int dst = (phase * cinG + c) * qq + yq * wq + (ix0 + g.pw) / g.sw, src = xb + c * sc + iy * sy + ix0 * sx, step = g.sw * sx;
                    if (step == 1) System.arraycopy(x, src, pad, dst, n);
                    else for (int i = 0; i < n; i++, src += step) pad[dst + i] = x[src];
                }
            }
    }

    /**
     * {@code out = conv(x, w) (+ bias)} for the sample-group-tiles {@code [u0, u1)} as one GEMM per
     * kernel tap: the sample's phase planes ({@link #padPhasesF}, made once per sample-group and
     * thread) are the tap's {@code C_in/groups x t} operand in place, the {@code kh*kw} products
     * accumulate into a {@code C_out/groups x t} tile of wide positions, and the tile's outputs are
     * copied out with the bias. Nothing is packed: the image is copied once, not {@code kh*kw} times.
     * On the register tile {@code pw[grp * kh*kw + tap]} is the tap's packed weight.
     */
    static void forwardTapsF(GemmKernel nat, PackedGemm pg, float[] x, int xo, int[] xs, float[] byTap, float[][] pw, float[] bias,
                             int bo, float[] out, int oo, Geometry g, int t, int u0, int u1) {
        int coutG = g.outC / g.groups, cinG = g.inC / g.groups, taps = g.kh * g.kw, k = cinG * taps, l = g.positions();
        int wq = phaseW(g), qq = phaseH(g) * wq, lw = tapLength(g), tiles = (lw + t - 1) / t;
        Buffers buffers = BUFFERS.get();
        float[] pad = buffers.paddedF(phaseElements(g)), prod = buffers.productF(coutG * t);
        int padded = -1;
        for (int u = u0; u < u1; u++) {
            int tile = u % tiles, ng = u / tiles, grp = ng % g.groups, n = ng / g.groups;
            if (ng != padded) {
                padPhasesF(x, xo + n * xs[0] + grp * cinG * xs[1], xs[1], xs[2], xs[3], g, pad);
                padded = ng;
            }
            int l0 = tile * t, len = Math.min(t, lw - l0);
            for (int ki = 0, tap = 0; ki < g.kh; ki++)
                for (int kj = 0; kj < g.kw; kj++, tap++) {
                    int off = tapOffset(g, ki, kj) + l0;
                    if (nat != null) nat.sgemm(coutG, len, cinG, byTap, (grp * taps + tap) * coutG * cinG, cinG, 1, pad, off, qq, 1, prod, 0, len, tap > 0, 1);
                    else tileProductF(pg, coutG, len, cinG, pw[grp * taps + tap], pad, off, qq, prod, 0, len, tap > 0, buffers);
                }
            for (int oy = l0 / wq, oyEnd = (l0 + len - 1) / wq; oy <= oyEnd; oy++) {
                int ox0 = Math.max(0, l0 - oy * wq), ox1 = Math.min(g.outW, l0 + len - oy * wq);
                if (ox0 >= ox1) continue;
                for (int co = 0; co < coutG; co++) {
                    int src = co * len + oy * wq + ox0 - l0, dst = oo + (n * g.outC + grp * coutG + co) * l + oy * g.outW + ox0;
                    if (bias == null) System.arraycopy(prod, src, out, dst, ox1 - ox0);
                    else {
                        float v = bias[bo + grp * coutG + co];
                        for (int j = 0, e = ox1 - ox0; j < e; j++) out[dst + j] = prod[src + j] + v;
                    }
                }
            }
        }
    }

    /**
     * {@code gx += conv_transpose(gy, w)} for the sample-groups {@code [u0, u1)} as one GEMM per
     * kernel tap: per tile of wide positions, the output gradients (0 at the non-output positions)
     * are gathered into a {@code C_out/groups x t} block, and each tap's product is accumulated by
     * the GEMM straight into the sample's phase planes at the tap's offset (rows {@code Hq * Wq}
     * apart); the planes' image pixels are then added into {@code gx}. Nothing is unpacked. The
     * non-output positions add {@code w * 0}, exactly 0 only for a finite weight: the caller
     * checks it ({@link #allFiniteF}).
     */
    static void inputGradTapsF(GemmKernel nat, PackedGemm pg, float[] gy, int gyo, float[] byTap, float[][] pwt, float[] gx, int gxo,
                               Geometry g, int t, int u0, int u1) {
        int coutG = g.outC / g.groups, cinG = g.inC / g.groups, taps = g.kh * g.kw, k = cinG * taps, l = g.positions();
        int hq = phaseH(g), wq = phaseW(g), qq = hq * wq, lw = tapLength(g), plane = g.inH * g.inW;
        Buffers buffers = BUFFERS.get();
        float[] pad = buffers.paddedF(phaseElements(g)), grads = buffers.productF(coutG * t);
        for (int u = u0; u < u1; u++) {
            int grp = u % g.groups, n = u / g.groups;
            java.util.Arrays.fill(pad, 0, phaseElements(g), 0f);
            for (int l0 = 0; l0 < lw; l0 += t) {
                int len = Math.min(t, lw - l0);
                java.util.Arrays.fill(grads, 0, coutG * len, 0f);
                for (int oy = l0 / wq, oyEnd = (l0 + len - 1) / wq; oy <= oyEnd; oy++) {
                    int ox0 = Math.max(0, l0 - oy * wq), ox1 = Math.min(g.outW, l0 + len - oy * wq);
                    if (ox0 >= ox1) continue;
                    for (int co = 0; co < coutG; co++)
                        System.arraycopy(gy, gyo + (n * g.outC + grp * coutG + co) * l + oy * g.outW + ox0, grads, co * len + oy * wq + ox0 - l0, ox1 - ox0);
                }
                for (int ki = 0, tap = 0; ki < g.kh; ki++)
                    for (int kj = 0; kj < g.kw; kj++, tap++) {
                        int off = tapOffset(g, ki, kj) + l0;
                        if (nat != null) nat.sgemm(cinG, len, coutG, byTap, (grp * taps + tap) * coutG * cinG, 1, cinG, grads, 0, len, 1, pad, off, qq, true, 1);
                        else tileProductF(pg, cinG, len, coutG, pwt[grp * taps + tap], grads, 0, len, pad, off, qq, true, buffers);
                    }
            }
            int gb = gxo + (n * g.inC + grp * cinG) * plane;
            for (int c = 0; c < cinG; c++)
                for (int iy = 0; iy < g.inH; iy++) {
                    int py = iy + g.ph, rowBase = (py % g.sh) * g.sw, yq = py / g.sh;
                    for (int b = 0; b < g.sw; b++) {
                        int ix0 = Math.floorMod(b - g.pw, g.sw);
                        if (ix0 >= g.inW) continue;
                        int cnt = (g.inW - ix0 + g.sw - 1) / g.sw, phase = rowBase + Math.floorMod(ix0 + g.pw, g.sw);
                        int src = (phase * cinG + c) * qq + yq * wq + (ix0 + g.pw) / g.sw, dst = gb + c * plane + iy * g.inW + ix0;
                        if (g.sw == 1) for (int i = 0; i < cnt; i++) gx[dst + i] += pad[src + i];
                        else for (int i = 0; i < cnt; i++, dst += g.sw) gx[dst] += pad[src + i];
                    }
                }
        }
    }

    /**
     * The weight by (group, tap): block {@code grp * kh*kw + tap} is that tap's contiguous
     * {@code C_out/groups x C_in/groups} matrix, so the native GEMM reads it as it is (its strided
     * view in the weight would be copied on every call), in the calling thread's buffer.
     */
    static float[] tapWeightsF(float[] w, int wo, Geometry g) {
        int coutG = g.outC / g.groups, cinG = g.inC / g.groups, taps = g.kh * g.kw, k = cinG * taps;
        float[] byTap = BUFFERS.get().tapWeightsF(g.outC * k);
        for (int grp = 0; grp < g.groups; grp++)
            for (int co = 0; co < coutG; co++)
                for (int c = 0; c < cinG; c++)
                    for (int tap = 0, src = wo + (grp * coutG + co) * k + c * taps; tap < taps; tap++)
                        byTap[((grp * taps + tap) * coutG + co) * cinG + c] = w[src + tap];
        return byTap;
    }

    /** The register tile's packed weights of every (group, tap): {@code transposed} for the input gradient's {@code C_in/groups x C_out/groups}. */
    static float[][] packTapWeightsF(PackedGemm pg, float[] w, int wo, Geometry g, boolean transposed) {
        int coutG = g.outC / g.groups, cinG = g.inC / g.groups, taps = g.kh * g.kw, k = cinG * taps;
        float[][] packed = new float[g.groups * taps][];
        for (int grp = 0; grp < g.groups; grp++)
            for (int tap = 0; tap < taps; tap++) {
                int src = wo + grp * coutG * k + tap;
                packed[grp * taps + tap] = transposed ? packWeightsF(cinG, coutG, w, src, taps, k, pg.mrF, pg.kcF)
                        : packWeightsF(coutG, cinG, w, src, k, taps, pg.mrF, pg.kcF);
            }
        return packed;
    }

    // ================================================================== float64

    /**
     * A group's weight as the register tile's A operand: for each k block of {@code kc}, the
     * {@code m x kcb} block (A[i][p] at {@code a[src + i*ars + p*acs]}) in {@code mr}-row slivers, as
     * {@link PackedGemm#packAD} lays it out; block {@code pc} starts at {@code roundUp(m, mr) * pc}.
     */
    static double[] packWeightsD(int m, int k, double[] a, int src, int ars, int acs, int mr, int kc) {
        int rows = PackedGemm.roundUp(m, mr);
        double[] packed = new double[rows * k], block = new double[rows * Math.min(kc, k)];
        for (int pc = 0; pc < k; pc += kc) {
            int kcb = Math.min(kc, k - pc);
            PackedGemm.packAD(m, kcb, a, src + pc * acs, ars, acs, block, mr);
            System.arraycopy(block, 0, packed, rows * pc, rows * kcb);
        }
        return packed;
    }

    /**
     * {@code C (m x n) (+)= A B} on the register tile, with A packed by {@link #packWeightsD} and B
     * read in place (row {@code p} at {@code b[bo + p*brs]}, unit column stride): B's {@code kcb x nr}
     * slivers are already the micro-kernel's operand, so nothing is copied but the last partial
     * sliver. {@code accumulate} adds to C (else the first k block stores).
     */
    static void tileProductD(PackedGemm pg, int m, int n, int k, double[] pa, double[] b, int bo, int brs, double[] c, int co, int ldc,
                             boolean accumulate, Buffers buffers) {
        int mr = pg.mrD, nr = pg.nrD, kc = pg.kcD, rowsPadded = PackedGemm.roundUp(m, mr);
        double[] tile = buffers.tileD(mr * nr), edge = null;
        for (int pc = 0; pc < k; pc += kc) {
            int kcb = Math.min(kc, k - pc);
            boolean acc = accumulate || pc > 0;
            int aBlock = rowsPadded * pc;
            for (int jr = 0; jr < n; jr += nr) {
                int cols = Math.min(nr, n - jr);
                double[] bArr = b;
                int bOff = bo + pc * brs + jr, bStr = brs;
                if (cols < nr) {
                    // The last partial sliver: copied with zeros, so the micro-kernel never reads past B.
                    if (edge == null) edge = buffers.edgeD(kc * nr);
                    for (int p = 0; p < kcb; p++) {
                        System.arraycopy(b, bOff + p * brs, edge, p * nr, cols);
                        java.util.Arrays.fill(edge, p * nr + cols, (p + 1) * nr, 0.0);
                    }
                    bArr = edge;
                    bOff = 0;
                    bStr = nr;
                }
                for (int ir = 0; ir < m; ir += mr) {
                    int rows = Math.min(mr, m - ir), cAt = co + ir * ldc + jr;
                    if (rows == mr && cols == nr) {
                        pg.microD(kcb, pa, aBlock + ir * kcb, bArr, bOff, bStr, c, cAt, ldc, acc);
                    } else {
                        pg.microD(kcb, pa, aBlock + ir * kcb, bArr, bOff, bStr, tile, 0, nr, false);
                        for (int r = 0; r < rows; r++) {
                            int t = r * nr, o = cAt + r * ldc;
                            if (acc) for (int j = 0; j < cols; j++) c[o + j] += tile[t + j];
                            else System.arraycopy(tile, t, c, o, cols);
                        }
                    }
                }
            }
        }
    }


    /**
     * Writes the {@code K x t} panel of sample-group base {@code xb} for output positions
     * {@code [l0, l0 + t)} into {@code buf}: row {@code (c, ki, kj)} holds the input pixel under
     * that kernel tap for each position, 0 in the padding. Every element of the panel is written.
     */
    static void packD(double[] x, int xb, int sc, int sy, int sx, Geometry g, int l0, int t, double[] buf) {
        packD(x, xb, sc, sy, sx, g, l0, t, buf, 0, t);
    }

    /** The same, row {@code r} of the panel written at {@code buf[bo + r*ld]} (panels of several samples side by side). */
    static void packD(double[] x, int xb, int sc, int sy, int sx, Geometry g, int l0, int t, double[] buf, int bo, int ld) {
        int ow = g.outW, cinG = g.inC / g.groups;
        int oyStart = l0 / ow, oxStart = l0 % ow, end = l0 + t;
        int row = 0;
        for (int c = 0; c < cinG; c++) {
            int cb = xb + c * sc;
            for (int ki = 0; ki < g.kh; ki++) {
                int yoff = ki * g.dh - g.ph;
                for (int kj = 0; kj < g.kw; kj++) {
                    int xoff = kj * g.dw - g.pw, first = firstInside(xoff, g.sw), last = endInside(xoff, g.sw, g.inW, ow);
                    int d = bo + row++ * ld;
                    int step = g.sw * sx;
                    for (int l = l0, oy = oyStart, ox0 = oxStart; l < end; oy++, ox0 = 0) {
                        int seg = Math.min(ow - ox0, end - l), ox1 = ox0 + seg;
                        int iy = oy * g.sh + yoff;
                        int lo = Math.max(ox0, first), hi = Math.min(ox1, last);
                        if (iy < 0 || iy >= g.inH || lo >= hi) {
                            java.util.Arrays.fill(buf, d, d + seg, 0.0);
                        } else {
                            for (int i = d, e = d + lo - ox0; i < e; i++) buf[i] = 0.0;
                            int src = cb + iy * sy + (lo * g.sw + xoff) * sx, dst = d + lo - ox0;
                            if (step == 1) System.arraycopy(x, src, buf, dst, hi - lo);
                            else for (int i = 0, n = hi - lo; i < n; i++, src += step) buf[dst + i] = x[src];
                            for (int i = d + hi - ox0, e = d + seg; i < e; i++) buf[i] = 0.0;
                        }
                        d += seg;
                        l += seg;
                    }
                }
            }
        }
    }

    /** The adjoint of {@link #packD}: adds the panel's in-image elements into the contiguous image plane set at {@code gb}. */
    static void unpackAddD(double[] buf, Geometry g, int l0, int t, double[] gx, int gb) {
        unpackAddD(buf, g, l0, t, gx, gb, 0, t);
    }

    /** The same, row {@code r} of the panel read at {@code buf[bo + r*ld]}. */
    static void unpackAddD(double[] buf, Geometry g, int l0, int t, double[] gx, int gb, int bo, int ld) {
        int ow = g.outW, cinG = g.inC / g.groups, plane = g.inH * g.inW;
        int oyStart = l0 / ow, oxStart = l0 % ow, end = l0 + t;
        int row = 0;
        for (int c = 0; c < cinG; c++) {
            int cb = gb + c * plane;
            for (int ki = 0; ki < g.kh; ki++) {
                int yoff = ki * g.dh - g.ph;
                for (int kj = 0; kj < g.kw; kj++) {
                    int xoff = kj * g.dw - g.pw, first = firstInside(xoff, g.sw), last = endInside(xoff, g.sw, g.inW, ow);
                    int d = bo + row++ * ld;
                    int step = g.sw;
                    for (int l = l0, oy = oyStart, ox0 = oxStart; l < end; oy++, ox0 = 0) {
                        int seg = Math.min(ow - ox0, end - l), ox1 = ox0 + seg;
                        int iy = oy * g.sh + yoff;
                        int lo = Math.max(ox0, first), hi = Math.min(ox1, last);
                        if (iy >= 0 && iy < g.inH && lo < hi) {
                            int dst = cb + iy * g.inW + lo * g.sw + xoff, src = d + lo - ox0;
                            if (step == 1) for (int i = 0, n = hi - lo; i < n; i++) gx[dst + i] += buf[src + i];
                            else for (int i = 0, n = hi - lo; i < n; i++, dst += step) gx[dst] += buf[src + i];
                        }
                        d += seg;
                        l += seg;
                    }
                }
            }
        }
    }

    /**
     * {@code out = conv(x, w) (+ bias)} for the samples-groups-tiles {@code [u0, u1)}: on {@code nat}
     * (native GEMM, the weight {@code w} read in place) when not null, else on the register tile
     * with {@code pw[grp]} the packed weight.
     */
    static void forwardD(GemmKernel nat, PackedGemm pg, double[] x, int xo, int[] xs, double[] w, int wo, double[][] pw, double[] bias, int bo,
                         double[] out, int oo, Geometry g, int t, int u0, int u1) {
        int coutG = g.outC / g.groups, cinG = g.inC / g.groups, k = cinG * g.kh * g.kw, l = g.outH * g.outW;
        int tiles = (l + t - 1) / t;
        Buffers buffers = BUFFERS.get();
        boolean pointwise = isPointwise(g, xs);
        double[] buf = pointwise ? null : buffers.doubles(k * t);
        for (int u = u0; u < u1; u++) {
            int tile = u % tiles, ng = u / tiles, grp = ng % g.groups, n = ng / g.groups;
            int l0 = tile * t, len = Math.min(t, l - l0);
            int xb = xo + n * xs[0] + grp * cinG * xs[1];
            int ob = oo + (n * g.outC + grp * coutG) * l + l0;
            double[] b = x;
            int bAt = xb + l0, brs = xs[1];
            if (!pointwise) {
                packD(x, xb, xs[1], xs[2], xs[3], g, l0, len, buf);
                b = buf;
                bAt = 0;
                brs = len;
            }
            if (nat != null) nat.dgemm(coutG, len, k, w, wo + grp * coutG * k, k, 1, b, bAt, brs, 1, out, ob, l, false, 1);
            else tileProductD(pg, coutG, len, k, pw[grp], b, bAt, brs, out, ob, l, false, buffers);
            if (bias != null)
                for (int co = 0; co < coutG; co++) {
                    double v = bias[bo + grp * coutG + co];
                    for (int i = ob + co * l, e = i + len; i < e; i++) out[i] += v;
                }
        }
    }

    /**
     * {@code out = conv(x, w) (+ bias)} for the group-panels {@code [u0, u1)} of {@code s} whole
     * samples each (unit {@code grp * panels + p}): the samples' panels side by side in one
     * {@code K x s*L} buffer, one GEMM, the {@code C_out/groups x s*L} product copied out per
     * sample with the bias.
     */
    static void forwardSamplesD(GemmKernel nat, PackedGemm pg, double[] x, int xo, int[] xs, double[] w, int wo, double[][] pw, double[] bias,
                                int bo, double[] out, int oo, Geometry g, int s, int u0, int u1) {
        int coutG = g.outC / g.groups, cinG = g.inC / g.groups, k = cinG * g.kh * g.kw, l = g.outH * g.outW;
        int panels = panels(g.batch, s);
        Buffers buffers = BUFFERS.get();
        double[] buf = buffers.doubles(k * s * l), prod = buffers.productD(coutG * s * l);
        for (int u = u0; u < u1; u++) {
            int p = u % panels, grp = u / panels, n0 = p * s, ns = Math.min(s, g.batch - n0), wide = ns * l;
            for (int i = 0; i < ns; i++) packD(x, xo + (n0 + i) * xs[0] + grp * cinG * xs[1], xs[1], xs[2], xs[3], g, 0, l, buf, i * l, wide);
            if (nat != null) nat.dgemm(coutG, wide, k, w, wo + grp * coutG * k, k, 1, buf, 0, wide, 1, prod, 0, wide, false, 1);
            else tileProductD(pg, coutG, wide, k, pw[grp], buf, 0, wide, prod, 0, wide, false, buffers);
            for (int i = 0; i < ns; i++)
                for (int co = 0; co < coutG; co++) {
                    int src = co * wide + i * l, dst = oo + ((n0 + i) * g.outC + grp * coutG + co) * l;
                    if (bias == null) {
                        System.arraycopy(prod, src, out, dst, l);
                    } else {
                        double v = bias[bo + grp * coutG + co];
                        for (int j = 0; j < l; j++) out[dst + j] = prod[src + j] + v;
                    }
                }
        }
    }

    /**
     * {@code gx += conv_transpose(gy, w)} for the sample-groups {@code [u0, u1)}: on {@code nat} when
     * not null, else on the register tile with {@code pwt[grp]} the packed transposed weight.
     */
    static void inputGradD(GemmKernel nat, PackedGemm pg, double[] gy, int gyo, double[] w, int wo, double[][] pwt, double[] gx, int gxo,
                           Geometry g, int t, int u0, int u1) {
        int coutG = g.outC / g.groups, cinG = g.inC / g.groups, k = cinG * g.kh * g.kw, l = g.outH * g.outW;
        int plane = g.inH * g.inW;
        Buffers buffers = BUFFERS.get();
        double[] buf = buffers.doubles(k * t);
        for (int u = u0; u < u1; u++) {
            int grp = u % g.groups, n = u / g.groups;
            int gb = gxo + (n * g.inC + grp * cinG) * plane;
            for (int l0 = 0; l0 < l; l0 += t) {
                int len = Math.min(t, l - l0);
                int yb = gyo + (n * g.outC + grp * coutG) * l + l0;
                if (nat != null) nat.dgemm(k, len, coutG, w, wo + grp * coutG * k, 1, k, gy, yb, l, 1, buf, 0, len, false, 1);
                else tileProductD(pg, k, len, coutG, pwt[grp], gy, yb, l, buf, 0, len, false, buffers);
                unpackAddD(buf, g, l0, len, gx, gb);
            }
        }
    }

    /**
     * {@code gx += conv_transpose(gy, w)} for the group-panels {@code [u0, u1)} of {@code s} whole
     * samples each: the samples' output gradients side by side ({@code C_out/groups x s*L}), one
     * GEMM into a {@code K x s*L} panel, added into each sample's image.
     */
    static void inputGradSamplesD(GemmKernel nat, PackedGemm pg, double[] gy, int gyo, double[] w, int wo, double[][] pwt, double[] gx, int gxo,
                                  Geometry g, int s, int u0, int u1) {
        int coutG = g.outC / g.groups, cinG = g.inC / g.groups, k = cinG * g.kh * g.kw, l = g.outH * g.outW;
        int plane = g.inH * g.inW, panels = panels(g.batch, s);
        Buffers buffers = BUFFERS.get();
        double[] buf = buffers.doubles(k * s * l), grads = buffers.productD(coutG * s * l);
        for (int u = u0; u < u1; u++) {
            int p = u % panels, grp = u / panels, n0 = p * s, ns = Math.min(s, g.batch - n0), wide = ns * l;
            gatherD(gy, gyo, g, grp, n0, ns, grads);
            if (nat != null) nat.dgemm(k, wide, coutG, w, wo + grp * coutG * k, 1, k, grads, 0, wide, 1, buf, 0, wide, false, 1);
            else tileProductD(pg, k, wide, coutG, pwt[grp], grads, 0, wide, buf, 0, wide, false, buffers);
            for (int i = 0; i < ns; i++) unpackAddD(buf, g, 0, l, gx, gxo + ((n0 + i) * g.inC + grp * cinG) * plane, i * l, wide);
        }
    }

    /** Copies group {@code grp}'s output (gradient) planes of samples {@code [n0, n0 + ns)} side by side: row {@code co} of {@code ns * L}. */
    static void gatherD(double[] gy, int gyo, Geometry g, int grp, int n0, int ns, double[] into) {
        int coutG = g.outC / g.groups, l = g.outH * g.outW, wide = ns * l;
        for (int i = 0; i < ns; i++)
            for (int co = 0; co < coutG; co++)
                System.arraycopy(gy, gyo + ((n0 + i) * g.outC + grp * coutG + co) * l, into, co * wide + i * l, l);
    }

    /**
     * {@code gw += sum over the panels [p0, p1) of s samples of gy (x) x}, one GEMM per panel and
     * group whose reduction runs along the {@code s * L} columns of the samples side by side.
     */
    static void weightGradSamplesD(GemmKernel gemm, double[] x, int xo, int[] xs, double[] gy, int gyo, double[] gw, int gwo, Geometry g, int s,
                                   int p0, int p1) {
        int coutG = g.outC / g.groups, cinG = g.inC / g.groups, k = cinG * g.kh * g.kw, l = g.outH * g.outW;
        Buffers buffers = BUFFERS.get();
        double[] buf = buffers.doubles(k * s * l), grads = buffers.productD(coutG * s * l);
        for (int p = p0; p < p1; p++) {
            int n0 = p * s, ns = Math.min(s, g.batch - n0), wide = ns * l;
            for (int grp = 0; grp < g.groups; grp++) {
                for (int i = 0; i < ns; i++) packD(x, xo + (n0 + i) * xs[0] + grp * cinG * xs[1], xs[1], xs[2], xs[3], g, 0, l, buf, i * l, wide);
                gatherD(gy, gyo, g, grp, n0, ns, grads);
                gemm.dgemm(coutG, k, wide, grads, 0, wide, 1, buf, 0, 1, wide, gw, gwo + grp * coutG * k, k, true, 1);
            }
        }
    }

    /** {@code gw += sum over samples [n0, n1) of gy (x) x}, gw contiguous (C_out, C_in/groups, kh, kw). */
    static void weightGradD(GemmKernel gemm, int threads, double[] x, int xo, int[] xs, double[] gy, int gyo, double[] gw, int gwo, Geometry g, int t,
                            int n0, int n1) {
        int coutG = g.outC / g.groups, cinG = g.inC / g.groups, k = cinG * g.kh * g.kw, l = g.outH * g.outW;
        double[] buf = BUFFERS.get().doubles(k * t);
        boolean pointwise = isPointwise(g, xs);
        for (int n = n0; n < n1; n++)
            for (int grp = 0; grp < g.groups; grp++) {
                int xb = xo + n * xs[0] + grp * cinG * xs[1];
                for (int l0 = 0; l0 < l; l0 += t) {
                    int len = Math.min(t, l - l0);
                    int yb = gyo + (n * g.outC + grp * coutG) * l + l0;
                    if (pointwise) {
                        gemm.dgemm(coutG, k, len, gy, yb, l, 1, x, xb + l0, 1, xs[1], gw, gwo + grp * coutG * k, k, true, threads);
                    } else {
                        packD(x, xb, xs[1], xs[2], xs[3], g, l0, len, buf);
                        gemm.dgemm(coutG, k, len, gy, yb, l, 1, buf, 0, 1, len, gw, gwo + grp * coutG * k, k, true, threads);
                    }
                }
            }
    }

    /**
     * Stride-1 panels of whole samples read each image "wide": with the image zero-padded into
     * {@code Hp x Wp} planes, panel row {@code (c, ki, kj)} is the single run of
     * {@link #wideLength} elements starting at {@code c*Hp*Wp + ki*dh*Wp + kj*dw}, whose position
     * {@code p} is output {@code (p / Wp, p % Wp)}; the {@code Wp - OW} positions that end each
     * output row are not outputs (their products are dropped, their output gradients are 0). One
     * copy per row instead of one per row and output row: on small images (LeNet's 10-wide
     * outputs) the short copies, not the GEMM, were most of the time.
     */
    static void forwardSamplesWideD(GemmKernel nat, PackedGemm pg, double[] x, int xo, int[] xs, double[] w, int wo, double[][] pw, double[] bias,
                                    int bo, double[] out, int oo, Geometry g, int s, int u0, int u1) {
        int coutG = g.outC / g.groups, cinG = g.inC / g.groups, k = cinG * g.kh * g.kw, l = g.outH * g.outW;
        int wp = g.inW + 2 * g.pw, lw = wideLength(g), panels = panels(g.batch, s);
        Buffers buffers = BUFFERS.get();
        double[] buf = buffers.doubles(k * s * lw), prod = buffers.productD(coutG * s * lw);
        double[] pad = buffers.paddedD(cinG * (g.inH + 2 * g.ph) * wp);
        for (int u = u0; u < u1; u++) {
            int p = u % panels, grp = u / panels, n0 = p * s, ns = Math.min(s, g.batch - n0), wide = ns * lw;
            for (int i = 0; i < ns; i++) {
                padD(x, xo + (n0 + i) * xs[0] + grp * cinG * xs[1], xs[1], xs[2], xs[3], g, pad);
                packWideD(pad, g, buf, i * lw, wide);
            }
            if (nat != null) nat.dgemm(coutG, wide, k, w, wo + grp * coutG * k, k, 1, buf, 0, wide, 1, prod, 0, wide, false, 1);
            else tileProductD(pg, coutG, wide, k, pw[grp], buf, 0, wide, prod, 0, wide, false, buffers);
            for (int i = 0; i < ns; i++)
                for (int co = 0; co < coutG; co++) {
                    int dst = oo + ((n0 + i) * g.outC + grp * coutG + co) * l;
                    double v = bias == null ? 0.0 : bias[bo + grp * coutG + co];
                    for (int oy = 0; oy < g.outH; oy++) {
                        int src = co * wide + i * lw + oy * wp, d = dst + oy * g.outW;
                        if (bias == null) System.arraycopy(prod, src, out, d, g.outW);
                        else for (int j = 0; j < g.outW; j++) out[d + j] = prod[src + j] + v;
                    }
                }
        }
    }

    /**
     * {@code gx += conv_transpose(gy, w)} on wide panels of {@code s} samples: the output gradients
     * side by side with 0 at the non-output positions, one GEMM, each panel row added as one run
     * into the sample's padded planes, whose interior is added into {@code gx}. The non-output
     * columns of the product are exactly 0 only for a finite weight ({@code finiteWeight}); else
     * they are cleared before the runs are added.
     */
    static void inputGradSamplesWideD(GemmKernel nat, PackedGemm pg, double[] gy, int gyo, double[] w, int wo, double[][] pwt, double[] gx, int gxo,
                                      Geometry g, int s, boolean finiteWeight, int u0, int u1) {
        int coutG = g.outC / g.groups, cinG = g.inC / g.groups, k = cinG * g.kh * g.kw;
        int hp = g.inH + 2 * g.ph, wp = g.inW + 2 * g.pw, pp = hp * wp, plane = g.inH * g.inW, lw = wideLength(g), panels = panels(g.batch, s);
        Buffers buffers = BUFFERS.get();
        double[] buf = buffers.doubles(k * s * lw), grads = buffers.productD(coutG * s * lw), pad = buffers.paddedD(cinG * pp);
        // The runs are added on the provider's element kernels (vector adds; plain loops here would be scalar).
        for (int u = u0; u < u1; u++) {
            int p = u % panels, grp = u / panels, n0 = p * s, ns = Math.min(s, g.batch - n0), wide = ns * lw;
            gatherWideD(gy, gyo, g, grp, n0, ns, grads);
            if (nat != null) nat.dgemm(k, wide, coutG, w, wo + grp * coutG * k, 1, k, grads, 0, wide, 1, buf, 0, wide, false, 1);
            else tileProductD(pg, k, wide, coutG, pwt[grp], grads, 0, wide, buf, 0, wide, false, buffers);
            if (!finiteWeight) zeroNonOutputsD(buf, k, wide, ns, g);
            for (int i = 0; i < ns; i++) {
                java.util.Arrays.fill(pad, 0, cinG * pp, 0.0);
                int row = 0;
                for (int c = 0; c < cinG; c++)
                    for (int ki = 0; ki < g.kh; ki++)
                        for (int kj = 0; kj < g.kw; kj++) {
                            int d = c * pp + ki * g.dh * wp + kj * g.dw, src = row++ * wide + i * lw;
                            PointwiseKernels.ADD.f64(pad, d, pad, d, 1, buf, src, 1, lw);
                        }
                int gb = gxo + ((n0 + i) * g.inC + grp * cinG) * plane;
                for (int c = 0; c < cinG; c++)
                    for (int y = 0; y < g.inH; y++) {
                        int d = gb + c * plane + y * g.inW, src = c * pp + (y + g.ph) * wp + g.pw;
                        PointwiseKernels.ADD.f64(gx, d, gx, d, 1, pad, src, 1, g.inW);
                    }
            }
        }
    }

    /**
     * {@code gw += sum over the panels [p0, p1) of gy (x) x} on wide panels: 0 output gradients at
     * the non-output positions; where a sample holds an infinite or NaN pixel (which times 0 is
     * NaN) the panel's non-output columns are cleared first.
     */
    static void weightGradSamplesWideD(GemmKernel gemm, double[] x, int xo, int[] xs, double[] gy, int gyo, double[] gw, int gwo, Geometry g, int s,
                                       int p0, int p1) {
        int coutG = g.outC / g.groups, cinG = g.inC / g.groups, k = cinG * g.kh * g.kw;
        int pp = (g.inH + 2 * g.ph) * (g.inW + 2 * g.pw), lw = wideLength(g);
        Buffers buffers = BUFFERS.get();
        double[] buf = buffers.doubles(k * s * lw), grads = buffers.productD(coutG * s * lw), pad = buffers.paddedD(cinG * pp);
        for (int p = p0; p < p1; p++) {
            int n0 = p * s, ns = Math.min(s, g.batch - n0), wide = ns * lw;
            for (int grp = 0; grp < g.groups; grp++) {
                boolean finite = true;
                for (int i = 0; i < ns; i++) {
                    padD(x, xo + (n0 + i) * xs[0] + grp * cinG * xs[1], xs[1], xs[2], xs[3], g, pad);
                    finite &= allFiniteD(pad, 0, cinG * pp);
                    packWideD(pad, g, buf, i * lw, wide);
                }
                if (!finite) zeroNonOutputsD(buf, k, wide, ns, g);
                gatherWideD(gy, gyo, g, grp, n0, ns, grads);
                gemm.dgemm(coutG, k, wide, grads, 0, wide, 1, buf, 0, 1, wide, gw, gwo + grp * coutG * k, k, true, 1);
            }
        }
    }

    /** Copies group {@code cinG} planes of one sample ({@code x} at {@code xb}, any strides) into {@code pad} as zero-padded {@code Hp x Wp} planes. */
    static void padD(double[] x, int xb, int sc, int sy, int sx, Geometry g, double[] pad) {
        int cinG = g.inC / g.groups, wp = g.inW + 2 * g.pw, pp = (g.inH + 2 * g.ph) * wp;
        if (g.ph > 0 || g.pw > 0) java.util.Arrays.fill(pad, 0, cinG * pp, 0.0);
        for (int c = 0; c < cinG; c++)
            for (int y = 0; y < g.inH; y++) {
                int src = xb + c * sc + y * sy, dst = c * pp + (y + g.ph) * wp + g.pw;
                if (sx == 1) System.arraycopy(x, src, pad, dst, g.inW);
                else for (int j = 0; j < g.inW; j++, src += sx) pad[dst + j] = x[src];
            }
    }

    /** Writes the wide panel of the padded planes {@code pad}: row {@code r} at {@code buf[bo + r*ld]}, {@link #wideLength} elements. */
    static void packWideD(double[] pad, Geometry g, double[] buf, int bo, int ld) {
        int cinG = g.inC / g.groups, wp = g.inW + 2 * g.pw, pp = (g.inH + 2 * g.ph) * wp, lw = wideLength(g);
        int row = 0;
        for (int c = 0; c < cinG; c++)
            for (int ki = 0; ki < g.kh; ki++)
                for (int kj = 0; kj < g.kw; kj++)
                    System.arraycopy(pad, c * pp + ki * g.dh * wp + kj * g.dw, buf, bo + row++ * ld, lw);
    }

    /** Group {@code grp}'s output gradients of samples {@code [n0, n0 + ns)} as wide rows: row {@code co} of {@code ns} runs, 0 at the non-output positions. */
    static void gatherWideD(double[] gy, int gyo, Geometry g, int grp, int n0, int ns, double[] into) {
        int coutG = g.outC / g.groups, l = g.outH * g.outW, wp = g.inW + 2 * g.pw, lw = wideLength(g), wide = ns * lw;
        java.util.Arrays.fill(into, 0, coutG * wide, 0.0);
        for (int i = 0; i < ns; i++)
            for (int co = 0; co < coutG; co++) {
                int src = gyo + ((n0 + i) * g.outC + grp * coutG + co) * l, dst = co * wide + i * lw;
                for (int oy = 0; oy < g.outH; oy++) System.arraycopy(gy, src + oy * g.outW, into, dst + oy * wp, g.outW);
            }
    }

    /** Clears the non-output positions of a wide panel of {@code rows} rows of {@code ns} samples. */
    static void zeroNonOutputsD(double[] buf, int rows, int ld, int ns, Geometry g) {
        int wp = g.inW + 2 * g.pw, lw = wideLength(g);
        for (int r = 0; r < rows; r++)
            for (int i = 0; i < ns; i++)
                for (int oy = 0; oy + 1 < g.outH; oy++) {
                    int at = r * ld + i * lw + oy * wp;
                    java.util.Arrays.fill(buf, at + g.outW, at + wp, 0.0);
                }
    }

    /** Whether {@code a[from, to)} holds no infinity or NaN (one of them times 0 is NaN). */
    static boolean allFiniteD(double[] a, int from, int to) {
        double zeros = 0.0;
        for (int i = from; i < to; i++) zeros += a[i] * 0.0;
        return zeros == 0.0;
    }
}
