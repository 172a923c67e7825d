package jtorch.kernels;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The row additions of col2im on the Vector API: full vectors of the CPU's preferred width, then
 * the rest element by element (unmasked, since masked loads are slow on some JDK 17 targets).
 * Each element is one IEEE addition, exactly as in {@link Im2Col.ScalarRowAdd}.
 *
 * <p>Loaded reflectively by {@link Im2Col} only when {@code jdk.incubator.vector} is in the boot
 * layer; without it, no class here is touched.
 */
final class Im2ColVector implements Im2Col.RowAdd {
    private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> DS = DoubleVector.SPECIES_PREFERRED;
    private static final int FL = FS.length(), DL = DS.length();

    @Override
    public void addF32(float[] src, int s, int srcStride, float[] dst, int d, int dstStride, int rows, int n) {
        int vn = n - n % FL;
        for (int r = 0; r < rows; r++, s += srcStride, d += dstStride) {
            int i = 0;
            for (; i < vn; i += FL)
                FloatVector.fromArray(FS, dst, d + i).add(FloatVector.fromArray(FS, src, s + i)).intoArray(dst, d + i);
            for (; i < n; i++) dst[d + i] += src[s + i];
        }
    }

    @Override
    public void addF64(double[] src, int s, int srcStride, double[] dst, int d, int dstStride, int rows, int n) {
        int vn = n - n % DL;
        for (int r = 0; r < rows; r++, s += srcStride, d += dstStride) {
            int i = 0;
            for (; i < vn; i += DL)
                DoubleVector.fromArray(DS, dst, d + i).add(DoubleVector.fromArray(DS, src, s + i)).intoArray(dst, d + i);
            for (; i < n; i++) dst[d + i] += src[s + i];
        }
    }
}
