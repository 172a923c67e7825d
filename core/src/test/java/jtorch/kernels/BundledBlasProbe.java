package jtorch.kernels;

import jtorch.Torch;

/**
 * Run in a child JVM by {@link NativeBlasBindingTest} (netlib binds one library per process, so
 * the bundled and the system OpenBLAS cannot both be netlib's in one JVM): prints the native
 * provider's description, OpenBLAS's thread count under {@code setNumThreads(1)}, whether a
 * 300 x 300 product agrees with the Java GEMM, and process CPU / wall time over 1024 sgemm calls.
 */
public final class BundledBlasProbe {
    private BundledBlasProbe() {}

    public static void main(String[] args) {
        System.out.println("reason=" + Kernels.unavailableReason(KernelProvider.NATIVE));
        System.out.println("describe=" + Kernels.describe(KernelProvider.NATIVE));
        Torch.setNumThreads(1);
        System.out.println("threads=" + Kernels.nativeThreads());
        GemmKernel nat, java = new ScalarGemm();
        try (Kernels.Scope s = Kernels.use(KernelProvider.NATIVE)) {
            nat = Kernels.gemm();
        }
        int n = 300;
        float[] a = new float[n * n], b = new float[n * n], c1 = new float[n * n], c2 = new float[n * n];
        java.util.Random rnd = new java.util.Random(5);
        for (int i = 0; i < a.length; i++) { a[i] = rnd.nextFloat() - 0.5f; b[i] = rnd.nextFloat() - 0.5f; }
        nat.sgemm(n, n, n, a, 0, n, 1, b, 0, n, 1, c1, 0, n, false, 1);
        java.sgemm(n, n, n, a, 0, n, 1, b, 0, n, 1, c2, 0, n, false, 1);
        double worst = 0;
        for (int i = 0; i < c1.length; i++) worst = Math.max(worst, Math.abs(c1[i] - c2[i]));
        System.out.println("agrees=" + (worst < 1e-3));
        if (args.length > 0) {
            int m = Integer.parseInt(args[0]), reps = Integer.parseInt(args[1]);
            float[] x = new float[m * m], y = new float[m * m], z = new float[m * m];
            for (int i = 0; i < x.length; i++) { x[i] = (i % 7) * 0.1f; y[i] = (i % 5) * 0.1f; }
            nat.sgemm(m, m, m, x, 0, m, 1, y, 0, m, 1, z, 0, m, false, 1);
            long cpu0 = processCpu(), t0 = System.nanoTime();
            for (int r = 0; r < reps; r++) nat.sgemm(m, m, m, x, 0, m, 1, y, 0, m, 1, z, 0, m, false, 1);
            long cpu = processCpu() - cpu0, wall = System.nanoTime() - t0;
            System.out.printf("cpuPerWall=%.2f msPerProduct=%.1f%n", (double) cpu / wall, wall / 1e6 / reps);
        }
    }

    private static long processCpu() {
        return ProcessHandle.current().info().totalCpuDuration().orElseThrow().toNanos();
    }
}
