package jtorch.kernels;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The row loops of im2col and col2im on the Vector API: full vectors of the CPU's preferred
 * width, then the rest element by element (no masks, no narrower species: on JDK 17 both cost
 * more than the scalar tail they replace). Each element is one IEEE addition or one copy, exactly
 * as in {@link Im2Col.ScalarRowKernels}, so results are bit-identical.
 *
 * <p>Stride 2 uses the indexed (gather / scatter) loads and stores with the lane map {@code 2i};
 * a gather beat both the scalar loop and a two-vector rearrange of consecutive loads.
 *
 * <p>Loaded reflectively by {@link Im2Col} only when {@code jdk.incubator.vector} is in the boot
 * layer; without it, no class here is touched.
 */
final class Im2ColVector implements Im2Col.RowKernels {
    private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> DS = DoubleVector.SPECIES_PREFERRED;
    private static final int FL = FS.length(), DL = DS.length();
    /** The lane map of stride 2: lane i is element 2i. */
    private static final int[] EVENS = evens(Math.max(FL, DL));

    private static int[] evens(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) r[i] = 2 * i;
        return r;
    }

    @Override
    public void addF32(float[] src, int s, int srcStride, float[] dst, int d, int dstStride, int rows, int n) {
        for (int r = 0; r < rows; r++, s += srcStride, d += dstStride) {
            int i = 0;
            for (; i + FL <= n; i += FL)
                FloatVector.fromArray(FS, dst, d + i).add(FloatVector.fromArray(FS, src, s + i)).intoArray(dst, d + i);
            for (; i < n; i++) dst[d + i] += src[s + i];
        }
    }

    @Override
    public void addF64(double[] src, int s, int srcStride, double[] dst, int d, int dstStride, int rows, int n) {
        for (int r = 0; r < rows; r++, s += srcStride, d += dstStride) {
            int i = 0;
            for (; i + DL <= n; i += DL)
                DoubleVector.fromArray(DS, dst, d + i).add(DoubleVector.fromArray(DS, src, s + i)).intoArray(dst, d + i);
            for (; i < n; i++) dst[d + i] += src[s + i];
        }
    }

    @Override
    public void gather2F32(float[] src, int s, int srcStride, float[] dst, int d, int dstStride, int rows, int n) {
        for (int r = 0; r < rows; r++, s += srcStride, d += dstStride) {
            int i = 0;
            for (; i + FL <= n; i += FL) FloatVector.fromArray(FS, src, s + 2 * i, EVENS, 0).intoArray(dst, d + i);
            for (; i < n; i++) dst[d + i] = src[s + 2 * i];
        }
    }

    @Override
    public void gather2F64(double[] src, int s, int srcStride, double[] dst, int d, int dstStride, int rows, int n) {
        for (int r = 0; r < rows; r++, s += srcStride, d += dstStride) {
            int i = 0;
            for (; i + DL <= n; i += DL) DoubleVector.fromArray(DS, src, s + 2 * i, EVENS, 0).intoArray(dst, d + i);
            for (; i < n; i++) dst[d + i] = src[s + 2 * i];
        }
    }

    @Override
    public void add2F32(float[] src, int s, int srcStride, float[] dst, int d, int dstStride, int rows, int n) {
        for (int r = 0; r < rows; r++, s += srcStride, d += dstStride) {
            int i = 0;
            for (; i + FL <= n; i += FL) {
                int at = d + 2 * i;
                FloatVector.fromArray(FS, dst, at, EVENS, 0).add(FloatVector.fromArray(FS, src, s + i)).intoArray(dst, at, EVENS, 0);
            }
            for (; i < n; i++) dst[d + 2 * i] += src[s + i];
        }
    }

    @Override
    public void add2F64(double[] src, int s, int srcStride, double[] dst, int d, int dstStride, int rows, int n) {
        for (int r = 0; r < rows; r++, s += srcStride, d += dstStride) {
            int i = 0;
            for (; i + DL <= n; i += DL) {
                int at = d + 2 * i;
                DoubleVector.fromArray(DS, dst, at, EVENS, 0).add(DoubleVector.fromArray(DS, src, s + i)).intoArray(dst, at, EVENS, 0);
            }
            for (; i < n; i++) dst[d + 2 * i] += src[s + i];
        }
    }
}
