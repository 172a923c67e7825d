package jtorch.kernels;

/**
 * The pointwise part of one LSTM and one GRU time step, forward and first-order backward, each in
 * one pass over the rows (the composition is about ten elementwise ops, each a pass and an
 * allocation). The arithmetic is the composition's, operation by operation, so the results equal
 * it: sigmoid and tanh by {@link Transcendentals} (the operations every provider's unary kernels
 * perform, in double and rounded once for float32), every product and sum
 * rounded to the dtype, no fused multiply-add.
 *
 * <p>Matrices are row-major with unit inner stride; each operand has its own offset and row
 * stride, so a row-sliced view (a time step of a precomputed input projection) needs no copy.
 *
 * <pre>{@code
 * RnnCellKernels.lstmForwardF32(rows, hidden, gates, 0, 4 * hidden, null, 0, 0, c, 0, hidden, out, ws);
 * }</pre>
 */
public final class RnnCellKernels {
    private RnnCellKernels() {}

    /**
     * Rows per parallel chunk: a row is a few hundred transcendental calls. 2048 elements (8 rows of
     * hidden 256, about 50 us) lets a language model's batch of 20 rows split over 2 threads.
     */
    private static final int GRAIN_ELEMENTS = 2048;

    private static int grainRows(int hidden) { return Math.max(1, GRAIN_ELEMENTS / Math.max(1, hidden)); }

    private static float sigmoid(float x) { return FloatExp.sigmoid(x); }

    private static double sigmoid(double x) { return Transcendentals.sigmoid(x); }

    private static float tanh(float x) { return (float) Transcendentals.tanhF(x); }

    private static double tanh(double x) { return Transcendentals.tanh(x); }

    // ------------------------------------------------------------------ LSTM

    /**
     * One LSTM step: gates {@code a (+ b)} of shape (rows, 4H) in PyTorch's order i, f, g, o and
     * the cell {@code c} (rows, H); writes {@code out} (rows, 2H, contiguous) = [h' | c'] with
     * {@code c' = f*c + i*g}, {@code h' = o*tanh(c')}, and the workspace {@code ws} (rows, 5H,
     * contiguous) = [i | f | g | o | tanh(c')] that the backward reads. {@code b} may be null.
     */
    public static void lstmForwardF32(int rows, int hidden, float[] a, int pa, int ra, float[] b, int pb, int rb,
            float[] c, int pc, int rc, float[] out, float[] ws) {
        final int h = hidden;
        if (b == null) {
            // The gate chunks i, f, g, o lie in ws's order: the sigmoids run as whole-chunk vector
            // passes (ElementKernels' transcendentals, the scalar functions' bits) straight into ws.
            // tanh stays scalar: the double-lane vector tanh measured slower than the scalar one here.
            ElementKernels k = ElementKernels.get();
            Parallel.parallelFor(0, rows, grainRows(h), (begin, end) -> {
                for (int n = begin; n < end; n++) {
                    int ga = pa + n * ra, cr = pc + n * rc, o = n * 2 * h, w = n * 5 * h;
                    k.transcendentalF32(UnaryOp.SIGMOID, ws, w, a, ga, 2 * h);
                    k.transcendentalF32(UnaryOp.SIGMOID, ws, w + 3 * h, a, ga + 3 * h, h);
                    for (int j = 0; j < h; j++) {
                        float g = tanh(a[ga + 2 * h + j]);
                        float cn = ws[w + h + j] * c[cr + j] + ws[w + j] * g;
                        float tc = tanh(cn);
                        ws[w + 2 * h + j] = g;
                        ws[w + 4 * h + j] = tc;
                        out[o + h + j] = cn;
                        out[o + j] = ws[w + 3 * h + j] * tc;
                    }
                }
            });
            return;
        }
        Parallel.parallelFor(0, rows, grainRows(h), (begin, end) -> {
            for (int n = begin; n < end; n++) {
                int ga = pa + n * ra, gb = pb + n * rb, cr = pc + n * rc, o = n * 2 * h, w = n * 5 * h;
                for (int j = 0; j < h; j++) {
                    float xi = a[ga + j], xf = a[ga + h + j], xg = a[ga + 2 * h + j], xo = a[ga + 3 * h + j];
                    if (b != null) { xi += b[gb + j]; xf += b[gb + h + j]; xg += b[gb + 2 * h + j]; xo += b[gb + 3 * h + j]; }
                    float i = sigmoid(xi), f = sigmoid(xf), g = tanh(xg), og = sigmoid(xo);
                    float cn = f * c[cr + j] + i * g;
                    float tc = tanh(cn);
                    out[o + j] = og * tc;
                    out[o + h + j] = cn;
                    ws[w + j] = i; ws[w + h + j] = f; ws[w + 2 * h + j] = g; ws[w + 3 * h + j] = og; ws[w + 4 * h + j] = tc;
                }
            }
        });
    }

    /** As {@link #lstmForwardF32} in double. */
    public static void lstmForwardF64(int rows, int hidden, double[] a, int pa, int ra, double[] b, int pb, int rb,
            double[] c, int pc, int rc, double[] out, double[] ws) {
        final int h = hidden;
        Parallel.parallelFor(0, rows, grainRows(h), (begin, end) -> {
            for (int n = begin; n < end; n++) {
                int ga = pa + n * ra, gb = pb + n * rb, cr = pc + n * rc, o = n * 2 * h, w = n * 5 * h;
                for (int j = 0; j < h; j++) {
                    double xi = a[ga + j], xf = a[ga + h + j], xg = a[ga + 2 * h + j], xo = a[ga + 3 * h + j];
                    if (b != null) { xi += b[gb + j]; xf += b[gb + h + j]; xg += b[gb + 2 * h + j]; xo += b[gb + 3 * h + j]; }
                    double i = sigmoid(xi), f = sigmoid(xf), g = tanh(xg), og = sigmoid(xo);
                    double cn = f * c[cr + j] + i * g;
                    double tc = tanh(cn);
                    out[o + j] = og * tc;
                    out[o + h + j] = cn;
                    ws[w + j] = i; ws[w + h + j] = f; ws[w + 2 * h + j] = g; ws[w + 3 * h + j] = og; ws[w + 4 * h + j] = tc;
                }
            }
        });
    }

    /**
     * The LSTM step's backward: from {@code grad} (rows, 2H) = [dh' | dc'] (either half may be
     * absent: pass null for a zero gradient is not supported, the caller expands), the workspace and
     * the input cell {@code c}, writes {@code gGates} (rows, 4H) and {@code gC} (rows, H), both
     * contiguous. Products in the order the composition's backward rules form them: the tanh
     * input's gradient {@code (dh' * o) * (1 - t*t)}, plus {@code dc'}; a sigmoid's
     * {@code d * (s * (1 - s))}.
     */
    public static void lstmBackwardF32(int rows, int hidden, float[] grad, int pg, int rg, float[] ws, float[] c, int pc, int rc,
            float[] gGates, float[] gC) {
        final int h = hidden;
        Parallel.parallelFor(0, rows, grainRows(h), (begin, end) -> {
            for (int n = begin; n < end; n++) {
                int gr = pg + n * rg, w = n * 5 * h, cr = pc + n * rc, gg = n * 4 * h, gc = n * h;
                for (int j = 0; j < h; j++) {
                    float dh = grad[gr + j], dcOut = grad[gr + h + j];
                    float i = ws[w + j], f = ws[w + h + j], g = ws[w + 2 * h + j], og = ws[w + 3 * h + j], tc = ws[w + 4 * h + j];
                    float dc = dh * og * (1f - tc * tc) + dcOut;
                    float dOut = dh * tc;
                    gGates[gg + j] = dc * g * (i * (1f - i));
                    gGates[gg + h + j] = dc * c[cr + j] * (f * (1f - f));
                    gGates[gg + 2 * h + j] = dc * i * (1f - g * g);
                    gGates[gg + 3 * h + j] = dOut * (og * (1f - og));
                    gC[gc + j] = dc * f;
                }
            }
        });
    }

    /** As {@link #lstmBackwardF32} in double. */
    public static void lstmBackwardF64(int rows, int hidden, double[] grad, int pg, int rg, double[] ws, double[] c, int pc, int rc,
            double[] gGates, double[] gC) {
        final int h = hidden;
        Parallel.parallelFor(0, rows, grainRows(h), (begin, end) -> {
            for (int n = begin; n < end; n++) {
                int gr = pg + n * rg, w = n * 5 * h, cr = pc + n * rc, gg = n * 4 * h, gc = n * h;
                for (int j = 0; j < h; j++) {
                    double dh = grad[gr + j], dcOut = grad[gr + h + j];
                    double i = ws[w + j], f = ws[w + h + j], g = ws[w + 2 * h + j], og = ws[w + 3 * h + j], tc = ws[w + 4 * h + j];
                    double dc = dh * og * (1.0 - tc * tc) + dcOut;
                    double dOut = dh * tc;
                    gGates[gg + j] = dc * g * (i * (1.0 - i));
                    gGates[gg + h + j] = dc * c[cr + j] * (f * (1.0 - f));
                    gGates[gg + 2 * h + j] = dc * i * (1.0 - g * g);
                    gGates[gg + 3 * h + j] = dOut * (og * (1.0 - og));
                    gC[gc + j] = dc * f;
                }
            }
        });
    }

    // ------------------------------------------------------------------ GRU

    /**
     * One GRU step as PyTorch's CPU cell computes it: input gates {@code gi} and hidden gates
     * {@code gh} (rows, 3H) in the order r, z, n, and {@code hx} (rows, H):
     * {@code r = sigmoid(gh_r + gi_r)}, {@code z = sigmoid(gh_z + gi_z)},
     * {@code n = tanh(gi_n + gh_n * r)}, {@code h' = (hx - n) * z + n}. Writes {@code out}
     * (rows, H, contiguous) and {@code ws} (rows, 4H, contiguous) = [r | z | n | gh_n].
     */
    public static void gruForwardF32(int rows, int hidden, float[] gi, int pi, int ri, float[] gh, int ph, int rh,
            float[] hx, int px, int rx, float[] out, float[] ws) {
        final int h = hidden;
        Parallel.parallelFor(0, rows, grainRows(h), (begin, end) -> {
            for (int n = begin; n < end; n++) {
                int ia = pi + n * ri, ha = ph + n * rh, xa = px + n * rx, o = n * h, w = n * 4 * h;
                for (int j = 0; j < h; j++) {
                    float r = sigmoid(gh[ha + j] + gi[ia + j]);
                    float z = sigmoid(gh[ha + h + j] + gi[ia + h + j]);
                    float hn = gh[ha + 2 * h + j];
                    float ng = tanh(gi[ia + 2 * h + j] + hn * r);
                    out[o + j] = (hx[xa + j] - ng) * z + ng;
                    ws[w + j] = r; ws[w + h + j] = z; ws[w + 2 * h + j] = ng; ws[w + 3 * h + j] = hn;
                }
            }
        });
    }

    /** As {@link #gruForwardF32} in double. */
    public static void gruForwardF64(int rows, int hidden, double[] gi, int pi, int ri, double[] gh, int ph, int rh,
            double[] hx, int px, int rx, double[] out, double[] ws) {
        final int h = hidden;
        Parallel.parallelFor(0, rows, grainRows(h), (begin, end) -> {
            for (int n = begin; n < end; n++) {
                int ia = pi + n * ri, ha = ph + n * rh, xa = px + n * rx, o = n * h, w = n * 4 * h;
                for (int j = 0; j < h; j++) {
                    double r = sigmoid(gh[ha + j] + gi[ia + j]);
                    double z = sigmoid(gh[ha + h + j] + gi[ia + h + j]);
                    double hn = gh[ha + 2 * h + j];
                    double ng = tanh(gi[ia + 2 * h + j] + hn * r);
                    out[o + j] = (hx[xa + j] - ng) * z + ng;
                    ws[w + j] = r; ws[w + h + j] = z; ws[w + 2 * h + j] = ng; ws[w + 3 * h + j] = hn;
                }
            }
        });
    }

    /**
     * The GRU step's backward from {@code grad} (rows, H): writes the gradients of the input gates
     * {@code gGi} and hidden gates {@code gGh} (rows, 3H) and of {@code hx} {@code gHx} (rows, H),
     * all contiguous.
     */
    public static void gruBackwardF32(int rows, int hidden, float[] grad, int pg, int rg, float[] ws, float[] hx, int px, int rx,
            float[] gGi, float[] gGh, float[] gHx) {
        final int h = hidden;
        Parallel.parallelFor(0, rows, grainRows(h), (begin, end) -> {
            for (int n = begin; n < end; n++) {
                int gr = pg + n * rg, w = n * 4 * h, xa = px + n * rx, g3 = n * 3 * h, g1 = n * h;
                for (int j = 0; j < h; j++) {
                    float d = grad[gr + j];
                    float r = ws[w + j], z = ws[w + h + j], ng = ws[w + 2 * h + j], hn = ws[w + 3 * h + j];
                    float dz = d * (hx[xa + j] - ng);
                    float dzx = d * z;
                    float dn = d - dzx;
                    float dnPre = dn * (1f - ng * ng);
                    float drPre = dnPre * hn * (r * (1f - r));
                    float dzPre = dz * (z * (1f - z));
                    gGi[g3 + j] = drPre; gGi[g3 + h + j] = dzPre; gGi[g3 + 2 * h + j] = dnPre;
                    gGh[g3 + j] = drPre; gGh[g3 + h + j] = dzPre; gGh[g3 + 2 * h + j] = dnPre * r;
                    gHx[g1 + j] = dzx;
                }
            }
        });
    }

    /** As {@link #gruBackwardF32} in double. */
    public static void gruBackwardF64(int rows, int hidden, double[] grad, int pg, int rg, double[] ws, double[] hx, int px, int rx,
            double[] gGi, double[] gGh, double[] gHx) {
        final int h = hidden;
        Parallel.parallelFor(0, rows, grainRows(h), (begin, end) -> {
            for (int n = begin; n < end; n++) {
                int gr = pg + n * rg, w = n * 4 * h, xa = px + n * rx, g3 = n * 3 * h, g1 = n * h;
                for (int j = 0; j < h; j++) {
                    double d = grad[gr + j];
                    double r = ws[w + j], z = ws[w + h + j], ng = ws[w + 2 * h + j], hn = ws[w + 3 * h + j];
                    double dz = d * (hx[xa + j] - ng);
                    double dzx = d * z;
                    double dn = d - dzx;
                    double dnPre = dn * (1.0 - ng * ng);
                    double drPre = dnPre * hn * (r * (1.0 - r));
                    double dzPre = dz * (z * (1.0 - z));
                    gGi[g3 + j] = drPre; gGi[g3 + h + j] = dzPre; gGi[g3 + 2 * h + j] = dnPre;
                    gGh[g3 + j] = drPre; gGh[g3 + h + j] = dzPre; gGh[g3 + 2 * h + j] = dnPre * r;
                    gHx[g1 + j] = dzx;
                }
            }
        });
    }
}
