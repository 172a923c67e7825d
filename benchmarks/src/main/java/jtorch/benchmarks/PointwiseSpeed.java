package jtorch.benchmarks;

import jtorch.Tensor;
import jtorch.Torch;

/**
 * A quick JMH-free check of the pointwise op path (issue 13): on one thread, 1M-element float32
 * {@code exp add mul sin sqrt expm1 silu}, {@code exp} of a transposed 1024x1024 view, and 10,000
 * {@code exp}s of a 1-element tensor; each warmed up 60 times, then timed 31 times, printing the
 * minimum and the median. Run it against two builds' classes to compare them (the machine is
 * shared: alternate the runs):
 *
 * <pre>{@code
 * java --add-modules jdk.incubator.vector -cp benchmarks/target/classes:core/target/classes:<slf4j-api>:<netlib blas> \
 *     jtorch.benchmarks.PointwiseSpeed
 * }</pre>
 */
public final class PointwiseSpeed {
    private PointwiseSpeed() {}

    public static void main(String[] args) {
        Torch.setNumThreads(1);
        Tensor x = Torch.rand(1 << 20), y = Torch.rand(1 << 20);
        Tensor xt = Torch.rand(1024, 1024).t();
        String[] names = {"exp", "add", "mul", "sin", "sqrt", "expm1", "exp_strided", "exp_1elem", "silu"};
        Tensor one = Torch.rand(1);
        for (String n : names) {
            java.util.function.Supplier<Tensor> f;
            switch (n) {
                case "exp": f = () -> x.exp(); break;
                case "add": f = () -> x.add(y); break;
                case "mul": f = () -> x.mul(y); break;
                case "sin": f = () -> x.sin(); break;
                case "sqrt": f = () -> x.sqrt(); break;
                case "expm1": f = () -> x.expm1(); break;
                case "exp_strided": f = () -> xt.exp(); break;
                case "silu": f = () -> jtorch.ops.PointwiseExtra.silu(x); break;
                default: f = () -> { Tensor r = null; for (int i = 0; i < 10000; i++) r = one.exp(); return r; };
            }
            for (int i = 0; i < 60; i++) f.get();
            long[] t = new long[31];
            for (int i = 0; i < t.length; i++) { long s = System.nanoTime(); f.get(); t[i] = System.nanoTime() - s; }
            java.util.Arrays.sort(t);
            System.out.printf("%-12s min %8.3f  median %8.3f ms%n", n, t[0] / 1e6, t[t.length / 2] / 1e6);
        }
    }
}
