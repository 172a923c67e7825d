package jtorch.kernels;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** {@link ThresholdBackward}'s unit-stride loops as a compare and a blend per vector (no branches). */
final class VectorThreshold implements ThresholdBackward.Runs {
    private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> DS = DoubleVector.SPECIES_PREFERRED;

    @Override public void f32(float[] o, int po, float[] g, int pg, float[] x, int px, int n, float t) {
        FloatVector zero = FloatVector.zero(FS);
        int i = 0;
        for (int upper = FS.loopBound(n); i < upper; i += FS.length()) {
            VectorMask<Float> pass = FloatVector.fromArray(FS, x, px + i).compare(VectorOperators.GT, t);
            zero.blend(FloatVector.fromArray(FS, g, pg + i), pass).intoArray(o, po + i);
        }
        ThresholdBackward.SCALAR.f32(o, po + i, g, pg + i, x, px + i, n - i, t);
    }

    @Override public void f64(double[] o, int po, double[] g, int pg, double[] x, int px, int n, double t) {
        DoubleVector zero = DoubleVector.zero(DS);
        int i = 0;
        for (int upper = DS.loopBound(n); i < upper; i += DS.length()) {
            VectorMask<Double> pass = DoubleVector.fromArray(DS, x, px + i).compare(VectorOperators.GT, t);
            zero.blend(DoubleVector.fromArray(DS, g, pg + i), pass).intoArray(o, po + i);
        }
        ThresholdBackward.SCALAR.f64(o, po + i, g, pg + i, x, px + i, n - i, t);
    }
}
