package jtorch.kernels;

import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link DropoutKernels} on 256-bit int lanes: the word recurrence eight words at a time (its nearest
 * dependence is 227 words back) and the tempering. Integer operations only, so the bits are the
 * scalar form's. (The compare stays scalar: on AVX2 under JDK 17 the long-lane compare and the mask
 * cast to float lanes ran slower than the plain loop.)
 */
final class VectorDropoutKernels extends DropoutKernels {
    private static final VectorSpecies<Integer> IS = IntVector.SPECIES_256;
    private static final int IL = IS.length();

    @Override public String describe() { return "vector (256-bit)"; }

    private static IntVector temper(IntVector y) {
        y = y.lanewise(VectorOperators.XOR, y.lanewise(VectorOperators.LSHR, 11));
        y = y.lanewise(VectorOperators.XOR, y.lanewise(VectorOperators.LSHL, 7).and(0x9D2C5680));
        y = y.lanewise(VectorOperators.XOR, y.lanewise(VectorOperators.LSHL, 15).and(0xEFC60000));
        return y.lanewise(VectorOperators.XOR, y.lanewise(VectorOperators.LSHR, 18));
    }

    @Override public void sequence(int[] x, int from, int to) {
        int j = from;
        for (int up = from + ((to - from) / IL) * IL; j < up; j += IL) {
            IntVector u = IntVector.fromArray(IS, x, j - N), v = IntVector.fromArray(IS, x, j - N + 1);
            IntVector y = u.and(0x80000000).or(v.and(0x7FFFFFFF));
            IntVector mag = v.and(1).neg().and(MATRIX_A);
            IntVector.fromArray(IS, x, j - (N - M)).lanewise(VectorOperators.XOR, y.lanewise(VectorOperators.LSHR, 1))
                    .lanewise(VectorOperators.XOR, mag).intoArray(x, j);
        }
        super.sequence(x, j, to);
    }

    @Override public void temper(int[] x, int from, int to) {
        int j = from;
        for (int up = from + ((to - from) / IL) * IL; j < up; j += IL) temper(IntVector.fromArray(IS, x, j)).intoArray(x, j);
        super.temper(x, j, to);
    }
}
