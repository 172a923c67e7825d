package jtorch.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Pool2d}'s float32 max pooling on the Vector API, for geometries whose windows all lie
 * inside the image (no padding): a vector holds that many outputs of a plane, and each window
 * position is one gather (lane map: the outputs' window origins) compared and blended into the
 * running maxima and their positions, with PyTorch's rule {@code val > max || isnan(val)}.
 * The outputs left over after the full vectors run on the scalar loop.
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
}
