package jtorch.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.Locale;

import jtorch.Tensor;
import jtorch.Torch;
import jtorch.examples.lenet.LeNet;
import jtorch.nn.CrossEntropyLoss;
import jtorch.nn.Sequential;
import jtorch.optim.SGD;

/**
 * Checks that training does not grow the heap: trains the LeNet example's model (the {@code
 * lenet_step} case of {@link Bench}: batch 256 of random 1x28x28 images and labels fixed up front,
 * cross-entropy, SGD) for {@code --steps} steps (default 10,000), and every {@code --every} steps
 * (default 1,000) collects garbage and prints the heap still in use. At the end it compares the
 * heap after the first report with the heap after the last one and prints a verdict line,
 * {@code HEAP <first> MB -> <last> MB: no growth} (or {@code: grew}, with exit status 1), allowing
 * {@code --tolerance} (default 5%) for the collector's noise.
 *
 * <pre>
 * mvn -q -B -pl benchmarks exec:exec@heap
 * mvn -q -B -pl benchmarks exec:exec@heap -Dheap.args="--steps 2000 --threads 1 --model classic"
 * </pre>
 */
public final class HeapCheck {
    private HeapCheck() {}

    public static void main(String[] args) {
        int steps = 10_000, every = 1_000, threads = 1;
        String model = "modern";
        double tolerance = 0.05;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--steps": steps = Integer.parseInt(args[++i]); break;
                case "--every": every = Integer.parseInt(args[++i]); break;
                case "--threads": threads = Integer.parseInt(args[++i]); break;
                case "--model": model = args[++i]; break;
                case "--tolerance": tolerance = Double.parseDouble(args[++i]); break;
                default: throw new IllegalArgumentException("unknown argument " + args[i]
                        + " (expected --steps N, --every N, --threads N, --model modern|classic, --tolerance fraction)");
            }
        }
        if (every <= 0 || steps < 2 * every)
            throw new IllegalArgumentException("need at least two reports: --steps " + steps + " --every " + every);
        Torch.setNumThreads(threads);

        Torch.manualSeed(0);
        Sequential net = switch (model) {
            case "modern" -> LeNet.modern();
            case "classic" -> LeNet.classic();
            default -> throw new IllegalArgumentException("--model modern or classic, not " + model);
        };
        SGD opt = new SGD(net.parameters(), model.equals("modern") ? Bench.MODERN_LR : Bench.CLASSIC_LR);
        CrossEntropyLoss loss = new CrossEntropyLoss();
        Tensor x = Torch.randn(256, 1, 28, 28), target = Torch.randint(0, 10, 256);

        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        System.out.printf(Locale.ROOT, "LeNet (%s), batch 256, SGD, %d steps, %d thread%s, max heap %.0f MB%n", model, steps,
                threads, threads == 1 ? "" : "s", memory.getHeapMemoryUsage().getMax() / 1048576.0);
        double first = Double.NaN, last = Double.NaN;
        long blockStart = System.nanoTime();
        for (int step = 1; step <= steps; step++) {
            opt.zeroGrad();
            Tensor l = loss.forward(net.forward(x), target);
            l.backward();
            opt.step();
            if (step % every == 0 || step == steps) {
                // The loss is read only here, so that the loop does not synchronise on it every step.
                double lossValue = l.item();
                double msPerStep = (System.nanoTime() - blockStart) / 1e6 / (step % every == 0 ? every : step % every);
                last = usedAfterGc(memory);
                if (Double.isNaN(first)) first = last;
                System.out.printf(Locale.ROOT, "step %6d  loss %.4f  %.1f ms/step  heap used after GC %.2f MB%n",
                        step, lossValue, msPerStep, last);
                System.out.flush();
                blockStart = System.nanoTime();
            }
        }
        boolean grew = last > first * (1 + tolerance);
        System.out.printf(Locale.ROOT, "HEAP %.2f MB -> %.2f MB: %s (%+.1f%%, tolerance %.0f%%, steps %d -> %d)%n", first, last,
                grew ? "grew" : "no growth", 100 * (last / first - 1), 100 * tolerance, every, steps);
        if (grew) System.exit(1);
    }

    /**
     * The heap in use after collecting, in MB: the least of a few full collections, since one
     * System.gc() may leave objects that only become unreachable after a previous collection ran
     * their cleaners.
     */
    private static double usedAfterGc(MemoryMXBean memory) {
        long least = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            least = Math.min(least, memory.getHeapMemoryUsage().getUsed());
        }
        return least / 1048576.0;
    }
}
