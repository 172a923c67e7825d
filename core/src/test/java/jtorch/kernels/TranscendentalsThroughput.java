package jtorch.kernels;

import java.util.Random;

/**
 * Throughput of exp, log, tanh and sigmoid (ns per element, 64 K contiguous elements, the best of
 * five rounds of 200 calls): the loops before issue 10 session 4 (Math.exp / Math.log / Math.tanh,
 * float32 through double), {@link Transcendentals} on the scalar provider and on the Vector API
 * provider. A program, not a test (timings are no unit test); run it as TranscendentalsSweep.
 */
public final class TranscendentalsThroughput {
    private TranscendentalsThroughput() {}

    private static final int N = 1 << 16, CALLS = 200;

    public static void main(String[] args) {
        float[] a = new float[N], pos = new float[N], o = new float[N];
        double[] ad = new double[N], posd = new double[N], od = new double[N];
        Random rnd = new Random(1);
        for (int i = 0; i < N; i++) {
            a[i] = (float) (rnd.nextGaussian() * 4);
            ad[i] = rnd.nextGaussian() * 4;
            pos[i] = Math.abs(a[i]) + 0.01f;
            posd[i] = Math.abs(ad[i]) + 0.01;
        }
        ElementKernels vector;
        try (Kernels.Scope s = Kernels.use(KernelProvider.VECTOR)) { vector = ElementKernels.get(); }
        System.out.println("ns/element; vector provider: " + vector.describe());
        System.out.println("op       dtype    before(Math)  scalar  vector");
        for (UnaryOp op : new UnaryOp[] {UnaryOp.EXP, UnaryOp.LOG, UnaryOp.TANH, UnaryOp.SIGMOID}) {
            float[] x = op == UnaryOp.LOG ? pos : a;
            double[] xd = op == UnaryOp.LOG ? posd : ad;
            double before = best(() -> beforeF32(op, o, x)), scalar = best(() -> ElementKernels.SCALAR.transcendentalF32(op, o, 0, x, 0, N)),
                    vec = best(() -> vector.transcendentalF32(op, o, 0, x, 0, N));
            System.out.printf("%-8s float32  %8.2f  %8.2f  %6.2f%n", op, before, scalar, vec);
            before = best(() -> beforeF64(op, od, xd));
            scalar = best(() -> ElementKernels.SCALAR.transcendentalF64(op, od, 0, xd, 0, N));
            vec = best(() -> vector.transcendentalF64(op, od, 0, xd, 0, N));
            System.out.printf("%-8s float64  %8.2f  %8.2f  %6.2f%n", op, before, scalar, vec);
        }
    }

    private static double best(Runnable r) {
        double best = Double.MAX_VALUE;
        for (int round = 0; round < 5; round++) {
            long t0 = System.nanoTime();
            for (int k = 0; k < CALLS; k++) r.run();
            best = Math.min(best, (System.nanoTime() - t0) / (double) CALLS / N);
        }
        return best;
    }

    /** The loops ElementKernels ran before: Math in double, rounded once for float32. */
    private static void beforeF32(UnaryOp op, float[] o, float[] a) {
        switch (op) {
            case EXP: for (int i = 0; i < N; i++) o[i] = (float) Math.exp(a[i]); break;
            case LOG: for (int i = 0; i < N; i++) o[i] = (float) Math.log(a[i]); break;
            case TANH: for (int i = 0; i < N; i++) o[i] = (float) Math.tanh(a[i]); break;
            default: for (int i = 0; i < N; i++) o[i] = (float) (1.0 / (1.0 + Math.exp(-a[i])));
        }
    }

    private static void beforeF64(UnaryOp op, double[] o, double[] a) {
        switch (op) {
            case EXP: for (int i = 0; i < N; i++) o[i] = Math.exp(a[i]); break;
            case LOG: for (int i = 0; i < N; i++) o[i] = Math.log(a[i]); break;
            case TANH: for (int i = 0; i < N; i++) o[i] = Math.tanh(a[i]); break;
            default: for (int i = 0; i < N; i++) o[i] = 1.0 / (1.0 + Math.exp(-a[i]));
        }
    }
}
