package jtorch.kernels;

import java.util.Random;

/**
 * The long accuracy sweeps that do not belong in {@code mvn verify}: every float32 value (both
 * signs, 2^32 inputs per op) through the scalar and the vector kernels against the correctly
 * rounded float, and {@code args[0]} (default 200 000) float64 values per op against the BigDecimal
 * reference. Prints the worst error per op; exits with status 1 if any exceeds 1 ulp or if the
 * vector and scalar bits differ. Run it from core after {@code mvn test-compile}:
 *
 * <pre>{@code
 * java --add-modules jdk.incubator.vector -cp target/classes:target/test-classes:$SLF4J_API_JAR \
 *     jtorch.kernels.TranscendentalsSweep 200000
 * }</pre>
 */
public final class TranscendentalsSweep {
    private TranscendentalsSweep() {}

    private static final UnaryOp[] OPS = {UnaryOp.EXP, UnaryOp.LOG, UnaryOp.TANH, UnaryOp.SIGMOID};

    public static void main(String[] args) {
        int float64Count = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        ElementKernels vector;
        try (Kernels.Scope s = Kernels.use(KernelProvider.VECTOR)) { vector = ElementKernels.get(); }
        boolean ok = true;
        int chunk = 1 << 20;
        float[] xs = new float[chunk], os = new float[chunk], ov = new float[chunk];
        for (UnaryOp op : OPS) {
            long worst = 0, mismatches = 0;
            float worstAt = 0;
            long bits = 0;
            while (bits < (1L << 32)) {
                for (int i = 0; i < chunk; i++) xs[i] = Float.intBitsToFloat((int) (bits + i));
                bits += chunk;
                ElementKernels.SCALAR.transcendentalF32(op, os, 0, xs, 0, chunk);
                vector.transcendentalF32(op, ov, 0, xs, 0, chunk);
                for (int i = 0; i < chunk; i++) {
                    if (Float.floatToRawIntBits(os[i]) != Float.floatToRawIntBits(ov[i])) mismatches++;
                    long d = TranscendentalsReference.ulpDistance(os[i], TranscendentalsReference.f32(op, xs[i]));
                    if (d > worst) { worst = d; worstAt = xs[i]; }
                }
            }
            System.out.printf("float32 %-7s all 2^32 inputs: worst %d ulp (at %s), vector/scalar bit mismatches %d%n", op, worst, worstAt, mismatches);
            ok &= worst <= 1 && mismatches == 0;
        }
        Random rnd = new Random(20261207);
        double[] xd = new double[float64Count], od = new double[float64Count], ovd = new double[float64Count];
        for (UnaryOp op : OPS) {
            for (int i = 0; i < float64Count; i++) xd[i] = TranscendentalsTest.float64Input(op, rnd, i);
            ElementKernels.SCALAR.transcendentalF64(op, od, 0, xd, 0, float64Count);
            vector.transcendentalF64(op, ovd, 0, xd, 0, float64Count);
            long worst = 0, mismatches = 0;
            double worstAt = 0;
            for (int i = 0; i < float64Count; i++) {
                if (Double.doubleToRawLongBits(od[i]) != Double.doubleToRawLongBits(ovd[i])) mismatches++;
                long d = TranscendentalsReference.ulpDistance(od[i], TranscendentalsReference.of(op, xd[i]));
                if (d > worst) { worst = d; worstAt = xd[i]; }
            }
            System.out.printf("float64 %-7s %d inputs: worst %d ulp (at %s), vector/scalar bit mismatches %d%n", op, float64Count, worst, worstAt, mismatches);
            ok &= worst <= 1 && mismatches == 0;
        }
        if (!ok) System.exit(1);
    }
}
