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
import jtorch.examples.CustomConv2D;
import jtorch.examples.lenet.LeNet;
import jtorch.kernels.KernelProvider;
import jtorch.kernels.Kernels;
import jtorch.nn.Conv2d;
import jtorch.nn.CrossEntropyLoss;
import jtorch.nn.Embedding;
import jtorch.nn.LSTM;
import jtorch.nn.Linear;
import jtorch.nn.ReLU;
import jtorch.nn.Sequential;
import jtorch.nn.TransformerEncoderLayer;
import jtorch.nn.functional.Convolution;
import jtorch.nn.functional.F;
import jtorch.nn.utils.ClipGrad;
import jtorch.optim.SGD;

/**
 * The benchmark cases, run in this JVM at one thread count; {@code tools/bench_torch.py} runs the
 * same cases in PyTorch and {@link Compare} runs both and prints the time ratios. Each case is
 * warmed up (JIT), then timed in samples of at least {@code --sample-seconds}; the median time per
 * iteration is reported, as one {@code RESULT<TAB>case<TAB>ms} line per case, followed by a {@code CPU<TAB>case<TAB>cores} line (process CPU time / wall time over the timed samples: cores busy).
 *
 * <p>The cases (name: what one iteration does):
 * <ul>
 * <li>{@code sgemm_256}, {@code sgemm_512}, {@code sgemm_1024}, {@code sgemm_2048}: {@code a.mm(b)}
 *     of two n x n float32 matrices.
 * <li>{@code add_grad_1elem}: {@code x + y} of 1-element tensors, x requiring grad (tiny-op overhead
 *     with autograd recording).
 * <li>{@code add_sum_backward}: {@code (x + y).sum().backward()} of 1-element tensors.
 * <li>{@code mul_1elem_nograd}: {@code x * y} of 1-element tensors that require no grad (the
 *     dispatch overhead alone).
 * <li>{@code conv_c1_28x28_k5} (N64,C1,28x28 -> 6, k5, p2, LeNet's first convolution),
 *     {@code conv_c6_14x14_k5} (N64,C6,14x14 -> 16, k5, LeNet's second),
 *     {@code conv_c64_56x56_k3} (N8,C64,56x56 -> 64, k3, p1, a ResNet-style layer),
 *     {@code conv_c64_56x56_k3_s2} (N8,C64,56x56 -> 128, k3, p1, stride 2, a downsampling layer),
 *     {@code conv_dw_c64_56x56_k3} (depthwise: N8,C64,56x56 -> 64, groups 64, k3, p1): each with
 *     the suffix {@code _fwd} (forward under no_grad) and {@code _fwdbwd} (forward, then backward
 *     of the output's sum, with weight, bias and, for the hidden layers, the input requiring grad).
 * <li>{@code mlp_step}: one SGD training step (zero_grad, forward, cross-entropy, backward, step)
 *     of a 784-256-10 ReLU MLP at batch 256.
 * <li>{@code lstm_lm_step}: one training step of pytorch/examples' word language model (no dropout):
 *     Embedding(10000, 256), a 2-layer LSTM(256, 256), Linear(256, 10000), cross-entropy over the
 *     35 x 20 tokens, clip_grad_norm_(0.25), SGD.
 * <li>{@code lenet_step}, {@code lenet_step_classic}: the same step for the LeNet example's
 *     {@link LeNet#modern() modern} and {@link LeNet#classic() classic} models at batch 256 on
 *     1x28x28 inputs (fixed random images and labels).
 * <li>{@code tutorial_corr2d_loop}: the tutorial's first program ({@code CustomConv2D} in the
 *     examples): a new custom {@code Conv2D} around the element-by-element {@code corr2d}, trained
 *     for its 10 steps on the 6x8 edge image; {@code tutorial_conv2d_loop}: the tutorial's second
 *     program ({@code BuiltinConv2d}), the same 10 steps with a new {@code nn.Conv2d(1, 1, (1, 2),
 *     bias=False)}. Neither prints.
 * <li>{@code transformer_encoder_layer_step}: one SGD training step (zero_grad, forward, MSE loss
 *     against a fixed random target, backward, step) of {@code nn.TransformerEncoderLayer(256, 4,
 *     dim_feedforward=1024)} with its default dropout 0.1, on a sequence of 64 at batch 32
 *     ({@code (64, 32, 256)}, sequence first).
 * </ul>
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp ... jtorch.benchmarks.Bench --threads 1 --cases sgemm_1024,mlp_step
 * </pre>
 */
public final class Bench {
    private Bench() {}

    /** One case: its name, a readable label for tables, and a set-up that returns the work of one iteration. */
    record Case(String name, String label, Supplier<Runnable> setup) {}

    /** Keeps results reachable so that no work is optimised away. */
    static volatile Object sink;

    static Map<String, Case> cases() {
        Map<String, Case> cases = new LinkedHashMap<>();
        for (int n : new int[] {256, 512, 1024, 2048})
            add(cases, "sgemm_" + n, "sgemm " + n, () -> {
                Tensor a = Torch.rand(n, n), b = Torch.rand(n, n);
                return () -> sink = a.mm(b);
            });
        add(cases, "add_grad_1elem", "add, 1 element, with grad", () -> {
            Tensor x = Torch.rand(1).requiresGrad_(), y = Torch.rand(1);
            return () -> sink = x.add(y);
        });
        add(cases, "add_sum_backward", "add, sum, backward", () -> {
            Tensor x = Torch.rand(1).requiresGrad_(), y = Torch.rand(1);
            return () -> x.add(y).sum().backward();
        });
        add(cases, "mul_1elem_nograd", "mul, 1 element, no grad", () -> {
            Tensor x = Torch.rand(1), y = Torch.rand(1);
            return () -> sink = x.mul(y);
        });
        // LeNet's two convolutions (the first sees the images, which need no gradient), a ResNet-style
        // 3x3 layer, its stride-2 downsampling variant and a MobileNet-style depthwise layer.
        conv(cases, "conv_c1_28x28_k5", new long[] {64, 1, 28, 28}, new long[] {6, 1, 5, 5}, 2, 1, 1, false);
        conv(cases, "conv_c6_14x14_k5", new long[] {64, 6, 14, 14}, new long[] {16, 6, 5, 5}, 0, 1, 1, true);
        conv(cases, "conv_c64_56x56_k3", new long[] {8, 64, 56, 56}, new long[] {64, 64, 3, 3}, 1, 1, 1, true);
        conv(cases, "conv_c64_56x56_k3_s2", new long[] {8, 64, 56, 56}, new long[] {128, 64, 3, 3}, 1, 2, 1, true);
        conv(cases, "conv_dw_c64_56x56_k3", new long[] {8, 64, 56, 56}, new long[] {64, 1, 3, 3}, 1, 1, 64, true);
        add(cases, "mlp_step", "MLP 784-256-10 training step, batch 256", () -> {
            Torch.manualSeed(0);
            Sequential model = new Sequential(new Linear(784, 256), new ReLU(), new Linear(256, 10));
            return trainingStep(model, 0.01, Torch.randn(256, 784), Torch.randint(0, 10, 256));
        });
        add(cases, "lstm_lm_step", "LSTM LM (vocab 10k, emb 256, 2x256) training step, seq 35, batch 20", () -> {
            // pytorch/examples' word language model without dropout: embedding, 2-layer LSTM, decoder,
            // cross-entropy over seq * batch tokens, clip_grad_norm_(0.25), SGD
            Torch.manualSeed(0);
            Sequential model = new Sequential(new Embedding(10000, 256), new LSTM(256, 256, 2), new Linear(256, 10000));
            Tensor x = Torch.randint(0, 10000, 35, 20), target = Torch.randint(0, 10000, 35 * 20);
            SGD opt = new SGD(model.parameters(), 0.1);
            CrossEntropyLoss loss = new CrossEntropyLoss();
            return () -> {
                opt.zeroGrad();
                Tensor l = loss.forward(model.forward(x).reshape(-1, 10000), target);
                l.backward();
                ClipGrad.clipGradNorm_(model.parameters(), 0.25);
                opt.step();
                sink = l;
            };
        });
        add(cases, "lenet_step", "LeNet (modern) training step, batch 256", () -> lenetStep(LeNet::modern, MODERN_LR));
        add(cases, "lenet_step_classic", "LeNet (classic) training step, batch 256", () -> lenetStep(LeNet::classic, CLASSIC_LR));
        add(cases, "tutorial_corr2d_loop", "tutorial: custom corr2d Conv2D, 10 steps", () -> {
            Tensor x = CustomConv2D.edgeImage(), y = CustomConv2D.corr2d(x, EDGE_KERNEL);
            return () -> {
                CustomConv2D.Conv2D conv2d = new CustomConv2D.Conv2D(1, 2);
                CustomConv2D.train(conv2d, conv2d.weight, x, y, null);
            };
        });
        add(cases, "tutorial_conv2d_loop", "tutorial: nn.Conv2d(1,1,(1,2)), 10 steps", () -> {
            Tensor x = CustomConv2D.edgeImage(), y = CustomConv2D.corr2d(x, EDGE_KERNEL);
            Tensor x4 = x.reshape(1, 1, 6, 8), y4 = y.reshape(1, 1, 6, 7);
            return () -> {
                Conv2d conv2d = new Conv2d(Conv2d.options(1, 1, 1, 2).bias(false));
                CustomConv2D.train(conv2d, conv2d.weight, x4, y4, null);
            };
        });
        // Issue 12's Transformer target: one encoder layer's training step.
        add(cases, "transformer_encoder_layer_step", "TransformerEncoderLayer(256,4,ff1024) step, seq 64, batch 32", () -> {
            Torch.manualSeed(0);
            var layer = new TransformerEncoderLayer(TransformerEncoderLayer.options(256, 4).dimFeedforward(1024));
            Tensor x = Torch.randn(64, 32, 256), target = Torch.randn(64, 32, 256);
            SGD opt = new SGD(layer.parameters(), 0.01);
            return () -> {
                opt.zeroGrad();
                Tensor l = F.mseLoss(layer.forward(x), target);
                l.backward();
                opt.step();
                sink = l;
            };
        });
        return cases;
    }

    /**
     * The LeNet example's learning rates (it trains the classic model with SGD at 0.9 and the modern
     * one with Adam at 3e-3); here both train with SGD, whose step is the same work at any rate.
     */
    static final double CLASSIC_LR = 0.9, MODERN_LR = 3e-3;

    /** The tutorial's edge-detection kernel, which makes the targets of its training loops. */
    private static final Tensor EDGE_KERNEL = Torch.tensor(new float[][] {{1.0f, -1.0f}});

    /** A LeNet training step on one batch of 256 random 1x28x28 images and labels, fixed up front. */
    static Runnable lenetStep(Supplier<Sequential> model, double lr) {
        Torch.manualSeed(0);
        Sequential net = model.get();
        return trainingStep(net, lr, Torch.randn(256, 1, 28, 28), Torch.randint(0, 10, 256));
    }

    /** One SGD step on a fixed batch: zero_grad (to None), forward, cross-entropy, backward, step. */
    static Runnable trainingStep(Sequential model, double lr, Tensor x, Tensor target) {
        SGD opt = new SGD(model.parameters(), lr);
        CrossEntropyLoss loss = new CrossEntropyLoss();
        return () -> {
            opt.zeroGrad();
            Tensor l = loss.forward(model.forward(x), target);
            l.backward();
            opt.step();
            sink = l;
        };
    }

    /** Resolves a case name to its table label (the name itself for a case this program does not know). */
    static String label(String name) {
        Case c = cases().get(name);
        return c == null ? name : c.label();
    }

    private static void add(Map<String, Case> cases, String name, String label, Supplier<Runnable> setup) {
        cases.put(name, new Case(name, label, setup));
    }

    /**
     * Forward under no_grad, and forward + backward of the sum with the weights (and a hidden layer's
     * input) requiring grad. Square kernels, equal padding and stride in both dimensions, no dilation.
     */
    private static void conv(Map<String, Case> cases, String name, long[] input, long[] weight, int padding, int stride,
                             int groups, boolean inputGrad) {
        int[] one = {1, 1}, pad = {padding, padding}, step = {stride, stride};
        String shape = String.format(Locale.ROOT, "N%d,C%d,%dx%d", input[0], input[1], input[2], input[3]);
        String options = "k" + weight[2] + (padding == 0 ? "" : ",p" + padding) + (stride == 1 ? "" : ",s" + stride);
        String label = groups > 1 && groups == input[1]
                ? "depthwise conv (" + shape + ",g" + groups + "," + options + ")"
                : "conv (" + shape + "->" + weight[0] + "," + options + (groups == 1 ? "" : ",g" + groups) + ")";
        add(cases, name + "_fwd", label + " forward", () -> {
            Tensor x = Torch.randn(input), w = Torch.randn(weight).requiresGrad_(), b = Torch.randn(weight[0]).requiresGrad_();
            return () -> {
                try (var g = Torch.noGrad()) {
                    sink = Convolution.conv2d(x, w, b, step, pad, one, groups);
                }
            };
        });
        add(cases, name + "_fwdbwd", label + " forward+backward", () -> {
            Tensor x = Torch.randn(input), w = Torch.randn(weight).requiresGrad_(), b = Torch.randn(weight[0]).requiresGrad_();
            if (inputGrad) x.requiresGrad_();
            return () -> Convolution.conv2d(x, w, b, step, pad, one, groups).sum().backward();
        });
    }

    /** The last {@link #time} call's warm-up: seconds and iterations. */
    static String lastWarmup;

    /** Process CPU time per wall time of the last {@link #time} call's samples. */
    static double lastCpuPerWall;

    /**
     * Warm-up iterations at the least, whatever the warm-up time: a step of 300 ms would otherwise
     * get about five, too few for C2 to compile all of its paths (the LSTM step's ratio moved from
     * 1.11 to 1.50 between runs with five).
     */
    static final int MIN_WARMUP_ITERATIONS = 10;

    /** After the warm-up, iterations go on until the JIT has compiled nothing for this long... */
    static final double QUIET_JIT_SECONDS = 1.0;

    /** ...but the whole warm-up stops after this long (a JIT that never settles is reported, not waited for). */
    static final double MAX_WARMUP_SECONDS = 30;

    /** Median seconds per iteration: warm up, then {@code samples} samples of at least {@code sampleSeconds} each. */
    static double time(Runnable body, double warmupSeconds, int samples, double sampleSeconds) {
        long start = System.nanoTime();
        int warm = 0;
        while (warm < MIN_WARMUP_ITERATIONS || System.nanoTime() - start < warmupSeconds * 1e9) {
            body.run();
            warm++;
        }
        // Then until the JIT is quiet: each case runs in a fresh JVM, where C2 can still be compiling
        // after the fixed warm-up (1-thread steps showed 2 cores busy, the compiler's thread the second).
        java.lang.management.CompilationMXBean jit = java.lang.management.ManagementFactory.getCompilationMXBean();
        if (jit != null && jit.isCompilationTimeMonitoringSupported()) {
            long quietSince = System.nanoTime(), compiled = jit.getTotalCompilationTime();
            while (System.nanoTime() - quietSince < QUIET_JIT_SECONDS * 1e9 && System.nanoTime() - start < MAX_WARMUP_SECONDS * 1e9) {
                body.run();
                warm++;
                long now = jit.getTotalCompilationTime();
                if (now != compiled) {
                    compiled = now;
                    quietSince = System.nanoTime();
                }
            }
        }
        lastWarmup = String.format(Locale.ROOT, "%.1f s, %d iterations", (System.nanoTime() - start) / 1e9, warm);
        double perIteration = (System.nanoTime() - start) / 1e9 / warm;
        int iterations = (int) Math.max(1, Math.min(1_000_000, sampleSeconds / perIteration));
        double[] times = new double[samples];
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long wall0 = System.nanoTime(), cpu0 = os.getProcessCpuTime();
        for (int s = 0; s < samples; s++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < iterations; i++) body.run();
            times[s] = (System.nanoTime() - t0) / 1e9 / iterations;
        }
        // Process CPU time (all threads, the JIT's and GC's too) per wall time over the timed samples: how many cores were busy.
        lastCpuPerWall = (os.getProcessCpuTime() - cpu0) / (double) Math.max(1, System.nanoTime() - wall0);
        Arrays.sort(times);
        return times[samples / 2];
    }

    /**
     * Bytes the heap gains during one iteration (after one warm-up iteration), summed over every
     * live thread (the intra-op pool's included): every tensor and buffer the iteration
     * allocates, an upper bound of the memory it needs at its peak.
     */
    static long allocatedBytes(Runnable body) {
        body.run();
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long[] ids = mx.getAllThreadIds();
        long[] before = mx.getThreadAllocatedBytes(ids);
        body.run();
        long[] after = mx.getThreadAllocatedBytes(ids);
        long sum = 0;
        for (int i = 0; i < ids.length; i++) if (before[i] >= 0 && after[i] >= 0) sum += after[i] - before[i];
        return sum;
    }

    /** Iterations run before the bytes allocated by a warm iteration are counted ({@code --memory}). */
    static final int WARM_ITERATIONS = 20;

    /**
     * The peak live heap of one iteration above the heap live before it: the least free heap in
     * which the iteration runs without running out of memory, found by bisection. A ballast of
     * byte arrays fills the heap down to the free space tried; the iteration then runs; an
     * {@link OutOfMemoryError} (or jtorch's refusal wrapping one) means the space was too small.
     * Only meaningful with the Serial collector (whose full collection compacts the whole old
     * generation before it gives up) and a small young generation: {@link Compare} starts the JVM
     * with {@code -XX:+UseSerialGC -Xmn512k}. The free space is the old generation's, so the figure
     * can be low by at most the young generation's 512 KB (objects living there are not counted); the
     * bisection stops at 0.125 MB. Checked on plain arrays: two 10 MB arrays live at once measure
     * 20.1 MB, thirty 256 KB arrays 7.4 MB (of 7.5). Under another collector it prints -1 and says why.
     */
    static long peakLiveBytes(Runnable body) {
        java.lang.management.MemoryPoolMXBean old = null;
        for (java.lang.management.MemoryPoolMXBean p : java.lang.management.ManagementFactory.getMemoryPoolMXBeans())
            if (p.getName().equals("Tenured Gen")) old = p;
        if (old == null) {
            System.err.println("Bench --memory: the peak live heap needs -XX:+UseSerialGC; not measured");
            return -1L << 20; // printed as -1 MB
        }
        for (int i = 0; i < 5; i++) body.run(); // the same state as the timed iterations (grads present, code compiled)
        long lo = 0, hi = 512L << 20; // free old-generation bytes: lo fails (or is 0), hi suffices
        if (!runsIn(body, old, hi)) throw new IllegalStateException("Bench --memory: one iteration needs more than " + (hi >> 20) + " MB");
        while (hi - lo > (128L << 10)) {
            long mid = (lo + hi) / 2;
            if (runsIn(body, old, mid)) hi = mid;
            else lo = mid;
        }
        return hi;
    }

    /** Whether one iteration runs with at most {@code free} bytes free in the old generation (after a full GC). */
    private static boolean runsIn(Runnable body, java.lang.management.MemoryPoolMXBean old, long free) {
        List<byte[]> ballast = new ArrayList<>();
        System.gc();
        long fill = old.getUsage().getMax() - old.getUsage().getUsed() - free;
        if (fill < 0) throw new IllegalStateException("Bench --memory: the heap (-Xmx) is too small to leave " + (free >> 20) + " MB free");
        final int chunk = 256 << 10; // 256 KB arrays: the old generation takes them whole, within 256 KB of the target
        for (long f = fill; f > 0; f -= chunk) ballast.add(new byte[(int) Math.min(chunk, Math.max(16, f - 16))]);
        System.gc(); // the ballast moves from the young generation into the old, compacted
        // The ballast's headers and the young generation's leftovers shift the free space: correct to the target.
        long err = old.getUsage().getMax() - old.getUsage().getUsed() - free;
        while (err > chunk) { ballast.add(new byte[chunk]); err -= chunk; }
        if (err > 64) ballast.add(new byte[(int) err - 16]);
        System.gc();
        try {
            body.run();
            return true;
        } catch (OutOfMemoryError e) {
            return false;
        } catch (IllegalStateException e) {
            if (e.getCause() instanceof OutOfMemoryError) return false;
            throw e;
        } finally {
            ballast.clear();
        }
    }

    public static void main(String[] args) {
        int threads = Torch.getNumThreads();
        List<String> selected = new ArrayList<>(cases().keySet());
        String provider = null;
        double warmup = 1.5, sampleSeconds = 0.25;
        int samples = 7;
        boolean memory = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--threads": threads = Integer.parseInt(args[++i]); break;
                case "--cases": selected = Arrays.asList(args[++i].split(",")); break;
                case "--provider": provider = args[++i]; break;
                case "--warmup": warmup = Double.parseDouble(args[++i]); break;
                case "--samples": samples = Integer.parseInt(args[++i]); break;
                case "--sample-seconds": sampleSeconds = Double.parseDouble(args[++i]); break;
                case "--memory": memory = true; break;
                default: throw new IllegalArgumentException("unknown argument " + args[i]
                        + " (expected --threads N, --cases a,b, --provider native|vector|scalar, --warmup s, --samples n, --sample-seconds s,"
                        + " --memory)");
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
                if (memory) {
                    Runnable body = c.setup().get();
                    // The bytes allocated by the second iteration (the figure before session 7: it
                    // includes the JIT's warm-up garbage, the Vector API's boxed vectors before C2
                    // compiles the kernels), the peak live heap, then the bytes allocated once warm.
                    double first = allocatedBytes(body) / 1048576.0, peak = peakLiveBytes(body) / 1048576.0;
                    for (int i = 0; i < WARM_ITERATIONS; i++) body.run();
                    System.out.printf(Locale.ROOT, "MEMORY\t%s\t%.3f\t%.3f\t%.3f%n", name, first, peak, allocatedBytes(body) / 1048576.0);
                    System.out.flush();
                    continue;
                }
                double seconds = time(c.setup().get(), warmup, samples, sampleSeconds);
                System.out.printf(Locale.ROOT, "RESULT\t%s\t%.6f%n", name, seconds * 1e3);
                System.out.printf(Locale.ROOT, "CPU\t%s\t%.2f%n", name, lastCpuPerWall);
                System.out.printf(Locale.ROOT, "WARMUP\t%s\t%s%n", name, lastWarmup);
                System.out.flush();
            }
        } finally {
            if (scope != null) scope.close();
        }
    }
}
