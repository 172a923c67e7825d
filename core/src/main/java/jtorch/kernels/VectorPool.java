package jtorch.kernels;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Pool2d}'s float32 max pooling on the Vector API, for geometries whose windows all lie
 * inside the image (no padding): a vector holds that many outputs of a plane, and each window
 * position is one gather (lane map: the outputs' window origins) compared and blended into the
 * running maxima and their positions, with PyTorch's rule {@code val > max || isnan(val)}.
 * The outputs left over after the full vectors run on the scalar loop.
 *
 * <p>LeNet's 2x2 stride-2 windows have a form of their own ({@link #max2x2PlaneF32}): no gathers,
 * each input row read once as whole vectors and split into its even and odd columns.
 *
 * <p>Loaded reflectively by {@link Pool2d} only when {@code jdk.incubator.vector} is in the boot layer.
 */
final class VectorPool implements Pool2d.MaxKernel {
    private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> IS = VectorSpecies.of(int.class, FS.vectorShape());
    private static final int FL = FS.length();

    @Override
    public int maxPlaneF32(float[] x, int xo, float[] v, int vo, long[] idx, int io, Pool2d.Geometry g, int[] origins, int[] scratch) {
        int outPlane = g.outH * g.outW, full = outPlane - outPlane % FL;
        FloatVector minusInf = FloatVector.broadcast(FS, Float.NEGATIVE_INFINITY);
        for (int e = 0; e < full; e += FL) {
            IntVector origin = IntVector.fromArray(IS, origins, e);
            FloatVector best = minusInf;
            IntVector at = origin; // the window's first position: PyTorch's index for a window of -inf only
            for (int ki = 0; ki < g.kh; ki++)
                for (int kj = 0; kj < g.kw; kj++) {
                    int offset = ki * g.dh * g.width + kj * g.dw;
                    FloatVector c = FloatVector.fromArray(FS, x, xo + offset, origins, e);
                    VectorMask<Float> take = c.compare(VectorOperators.GT, best).or(c.test(VectorOperators.IS_NAN));
                    best = best.blend(c, take);
                    at = at.blend(origin.add(offset), take.cast(IS));
                }
            best.intoArray(v, vo + e);
            at.intoArray(scratch, 0);
            for (int l = 0; l < FL; l++) idx[io + e + l] = scratch[l];
        }
        return full;
    }

    /**
     * The 2x2 forms' vectors: the preferred width (8 outputs at 256 bits: LeNet's 14-wide rows take
     * two, overlapping). Never a second float shape: {@code FloatVector.intoArray}'s type profile is
     * shared by every kernel in the process, and a second vector class seen there makes C2 fail the
     * store intrinsic of all of them (see VectorTranscendentals.FW).
     */
    private static final VectorSpecies<Float> S2 = FloatVector.SPECIES_PREFERRED;
    /** S2's shape in double lanes (half as many), for the average's sums. */
    private static final VectorSpecies<Double> D2 = VectorSpecies.of(double.class, S2.vectorShape());
    private static final VectorSpecies<Integer> I2 = VectorSpecies.of(int.class, S2.vectorShape());
    private static final int L2 = S2.length();
    /** Lane {@code j} of the first half takes lane {@code 2j} (even) or {@code 2j+1} (odd) of a vector, the second half the same. */
    private static final VectorShuffle<Float> EVEN = VectorShuffle.fromOp(S2, j -> 2 * j % L2), ODD = VectorShuffle.fromOp(S2, j -> (2 * j + 1) % L2);
    /** The lanes taken from the second vector of a row's pair. */
    private static final VectorMask<Float> UPPER = VectorMask.fromLong(S2, ((1L << L2) - 1) & (-1L << (L2 / 2)));
    /** An output's top-left input position relative to the first output of the vector: {@code 2j}. */
    private static final IntVector TWICE_IOTA = IntVector.zero(I2).addIndex(2);

    @Override
    public boolean avg2x2QuarterPlaneF32(float[] x, int xo, float[] out, int oo, Pool2d.Geometry g) {
        int w = g.width, outW = g.outW;
        if (outW < L2) return false;
        for (int oy = 0; oy < g.outH; oy++) {
            int top = xo + 2 * oy * w, o = oo + oy * outW;
            // The last vector overlaps the one before it (the outputs it recomputes come out the same).
            for (int ox = 0; ox < outW; ox += L2) {
                int at = Math.min(ox, outW - L2);
                int s = top + 2 * at;
                FloatVector t0 = FloatVector.fromArray(S2, x, s), t1 = FloatVector.fromArray(S2, x, s + L2);
                FloatVector b0 = FloatVector.fromArray(S2, x, s + w), b1 = FloatVector.fromArray(S2, x, s + w + L2);
                FloatVector tl = t0.rearrange(EVEN).blend(t1.rearrange(EVEN), UPPER), tr = t0.rearrange(ODD).blend(t1.rearrange(ODD), UPPER);
                FloatVector bl = b0.rearrange(EVEN).blend(b1.rearrange(EVEN), UPPER), br = b0.rearrange(ODD).blend(b1.rearrange(ODD), UPPER);
                // The scalar loop's sum, lane by lane: ((tl + tr) + bl) + br in double, rounded to float, times 0.25.
                DoubleVector lo = ((DoubleVector) tl.convertShape(VectorOperators.F2D, D2, 0))
                        .add(tr.convertShape(VectorOperators.F2D, D2, 0))
                        .add(bl.convertShape(VectorOperators.F2D, D2, 0))
                        .add(br.convertShape(VectorOperators.F2D, D2, 0));
                DoubleVector hi = ((DoubleVector) tl.convertShape(VectorOperators.F2D, D2, 1))
                        .add(tr.convertShape(VectorOperators.F2D, D2, 1))
                        .add(bl.convertShape(VectorOperators.F2D, D2, 1))
                        .add(br.convertShape(VectorOperators.F2D, D2, 1));
                FloatVector sum = ((FloatVector) lo.convertShape(VectorOperators.D2F, S2, 0))
                        .blend((FloatVector) hi.convertShape(VectorOperators.D2F, S2, -1), UPPER);
                sum.mul(0.25f).intoArray(out, o + at);
            }
        }
        return true;
    }

    @Override
    public boolean max2x2PlaneF32(float[] x, int xo, float[] v, int vo, long[] idx, int io, Pool2d.Geometry g, int[] scratch) {
        int w = g.width, outW = g.outW;
        if (outW < L2) return false;
        for (int oy = 0; oy < g.outH; oy++) {
            int top = 2 * oy * w, o = oy * outW;
            // The last vector overlaps the one before it (the outputs it recomputes come out the same).
            for (int ox = 0; ox < outW; ox += L2) {
                int at = Math.min(ox, outW - L2);
                max2x2Vector(x, xo, top + 2 * at, w, v, vo + o + at, idx, io + o + at, scratch);
            }
        }
        return true;
    }

    /**
     * {@code L2} outputs whose windows start at {@code p}, {@code p+2}, ...: the four candidates in
     * PyTorch's order (top-left, top-right, bottom-left, bottom-right), each taking over where
     * {@code c > best || isnan(c)}, the values blended bit for bit.
     */
    private static void max2x2Vector(float[] x, int xo, int p, int w, float[] v, int vo, long[] idx, int io, int[] scratch) {
        int s = xo + p;
        FloatVector t0 = FloatVector.fromArray(S2, x, s), t1 = FloatVector.fromArray(S2, x, s + L2);
        FloatVector b0 = FloatVector.fromArray(S2, x, s + w), b1 = FloatVector.fromArray(S2, x, s + w + L2);
        FloatVector best = t0.rearrange(EVEN).blend(t1.rearrange(EVEN), UPPER);
        FloatVector c = t0.rearrange(ODD).blend(t1.rearrange(ODD), UPPER);
        IntVector at = TWICE_IOTA.add(p);
        VectorMask<Float> take = c.compare(VectorOperators.GT, best).or(c.compare(VectorOperators.NE, c));
        best = best.blend(c, take);
        at = at.blend(TWICE_IOTA.add(p + 1), take.cast(I2));
        c = b0.rearrange(EVEN).blend(b1.rearrange(EVEN), UPPER);
        take = c.compare(VectorOperators.GT, best).or(c.compare(VectorOperators.NE, c));
        best = best.blend(c, take);
        at = at.blend(TWICE_IOTA.add(p + w), take.cast(I2));
        c = b0.rearrange(ODD).blend(b1.rearrange(ODD), UPPER);
        take = c.compare(VectorOperators.GT, best).or(c.compare(VectorOperators.NE, c));
        best = best.blend(c, take);
        at = at.blend(TWICE_IOTA.add(p + w + 1), take.cast(I2));
        best.intoArray(v, vo);
        at.intoArray(scratch, 0);
        for (int l = 0; l < L2; l++) idx[io + l] = scratch[l];
    }
}
