package jtorch.benchmarks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

import jtorch.Tensor;
import jtorch.Torch;
import jtorch.kernels.KernelProvider;
import jtorch.kernels.Kernels;
import jtorch.nn.CrossEntropyLoss;
import jtorch.nn.Linear;
import jtorch.nn.ReLU;
import jtorch.nn.Sequential;
import jtorch.nn.functional.Convolution;
import jtorch.optim.SGD;

/**
 * The benchmark cases, run in this JVM at one thread count; {@code tools/bench_torch.py} runs the
 * same cases in PyTorch and {@link Compare} runs both and prints the time ratios. Each case is
 * warmed up (JIT), then timed in samples of at least {@code --sample-seconds}; the median time per
 * iteration is reported, as one {@code RESULT<TAB>case<TAB>ms} line per case.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp ... jtorch.benchmarks.Bench --threads 1 --cases sgemm_1024,mlp_step
 * </pre>
 */
public final class Bench {
    private Bench() {}

    /** One case: its name and a set-up that returns the work of one iteration. */
    record Case(String name, Supplier<Runnable> setup) {}

    /** Keeps results reachable so that no work is optimised away. */
    static volatile Object sink;

    static Map<String, Case> cases() {
        Map<String, Case> cases = new LinkedHashMap<>();
        for (int n : new int[] {256, 512, 1024, 2048})
            add(cases, "sgemm_" + n, () -> {
                Tensor a = Torch.rand(n, n), b = Torch.rand(n, n);
                return () -> sink = a.mm(b);
            });
        add(cases, "add_grad_1elem", () -> {
            Tensor x = Torch.rand(1).requiresGrad_(), y = Torch.rand(1);
            return () -> sink = x.add(y);
        });
        add(cases, "add_sum_backward", () -> {
            Tensor x = Torch.rand(1).requiresGrad_(), y = Torch.rand(1);
            return () -> x.add(y).sum().backward();
        });
        // LeNet's first convolution and a ResNet-style 3x3 layer.
        conv(cases, "conv_c1_28x28_k5", new long[] {64, 1, 28, 28}, new long[] {6, 1, 5, 5}, 2, false);
        conv(cases, "conv_c64_56x56_k3", new long[] {8, 64, 56, 56}, new long[] {64, 64, 3, 3}, 1, true);
        add(cases, "mlp_step", () -> {
            Torch.manualSeed(0);
            Sequential model = new Sequential(new Linear(784, 256), new ReLU(), new Linear(256, 10));
            SGD opt = new SGD(model.parameters(), 0.01);
            CrossEntropyLoss loss = new CrossEntropyLoss();
            Tensor x = Torch.randn(256, 784), target = Torch.randint(0, 10, 256);
            return () -> {
                opt.zeroGrad();
                Tensor l = loss.forward(model.forward(x), target);
                l.backward();
                opt.step();
                sink = l;
            };
        });
        return cases;
    }

    private static void add(Map<String, Case> cases, String name, Supplier<Runnable> setup) { cases.put(name, new Case(name, setup)); }

    /** Forward under no_grad, and forward + backward of the sum with the weights (and a hidden layer's input) requiring grad. */
    private static void conv(Map<String, Case> cases, String name, long[] input, long[] weight, int padding, boolean inputGrad) {
        int[] one = {1, 1}, pad = {padding, padding};
        add(cases, name + "_fwd", () -> {
            Tensor x = Torch.randn(input), w = Torch.randn(weight).requiresGrad_(), b = Torch.randn(weight[0]).requiresGrad_();
            return () -> {
                try (var g = Torch.noGrad()) {
                    sink = Convolution.conv2d(x, w, b, one, pad, one, 1);
                }
            };
        });
        add(cases, name + "_fwdbwd", () -> {
            Tensor x = Torch.randn(input), w = Torch.randn(weight).requiresGrad_(), b = Torch.randn(weight[0]).requiresGrad_();
            if (inputGrad) x.requiresGrad_();
            return () -> Convolution.conv2d(x, w, b, one, pad, one, 1).sum().backward();
        });
    }

    /** Median seconds per iteration: warm up, then {@code samples} samples of at least {@code sampleSeconds} each. */
    static double time(Runnable body, double warmupSeconds, int samples, double sampleSeconds) {
        long start = System.nanoTime();
        int warm = 0;
        while (warm < 3 || System.nanoTime() - start < warmupSeconds * 1e9) {
            body.run();
            warm++;
        }
        double perIteration = (System.nanoTime() - start) / 1e9 / warm;
        int iterations = (int) Math.max(1, Math.min(1_000_000, sampleSeconds / perIteration));
        double[] times = new double[samples];
        for (int s = 0; s < samples; s++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < iterations; i++) body.run();
            times[s] = (System.nanoTime() - t0) / 1e9 / iterations;
        }
        Arrays.sort(times);
        return times[samples / 2];
    }

    public static void main(String[] args) {
        int threads = Torch.getNumThreads();
        List<String> selected = new ArrayList<>(cases().keySet());
        String provider = null;
        double warmup = 1.5, sampleSeconds = 0.25;
        int samples = 7;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--threads": threads = Integer.parseInt(args[++i]); break;
                case "--cases": selected = Arrays.asList(args[++i].split(",")); break;
                case "--provider": provider = args[++i]; break;
                case "--warmup": warmup = Double.parseDouble(args[++i]); break;
                case "--samples": samples = Integer.parseInt(args[++i]); break;
                case "--sample-seconds": sampleSeconds = Double.parseDouble(args[++i]); break;
                default: throw new IllegalArgumentException("unknown argument " + args[i]
                        + " (expected --threads N, --cases a,b, --provider native|vector|scalar, --warmup s, --samples n, --sample-seconds s)");
            }
        }
        Torch.setNumThreads(threads);
        Kernels.Scope scope = provider == null || provider.equals("auto") ? null
                : Kernels.use(KernelProvider.valueOf(provider.toUpperCase(Locale.ROOT)));
        try {
            System.out.println("INFO\tprovider\t" + Kernels.provider().name().toLowerCase(Locale.ROOT) + ": "
                    + Kernels.describe(Kernels.provider()));
            System.out.println("INFO\tthreads\t" + Torch.getNumThreads());
            System.out.println("INFO\tjava\t" + System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
            Map<String, Case> all = cases();
            for (String name : selected) {
                Case c = all.get(name);
                if (c == null) throw new IllegalArgumentException("no case " + name + "; cases: " + all.keySet());
                double seconds = time(c.setup().get(), warmup, samples, sampleSeconds);
                System.out.printf(Locale.ROOT, "RESULT\t%s\t%.6f%n", name, seconds * 1e3);
                System.out.flush();
            }
        } finally {
            if (scope != null) scope.close();
        }
    }
}
