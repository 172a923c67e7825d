package jtorch.benchmarks;

import java.util.Arrays;

import jtorch.Generator;
import jtorch.Tensor;
import jtorch.Torch;
import jtorch.distributed.Dist;
import jtorch.nn.Conv2d;
import jtorch.nn.Flatten;
import jtorch.nn.Linear;
import jtorch.nn.MaxPool2d;
import jtorch.nn.Module;
import jtorch.nn.ReLU;
import jtorch.nn.Sequential;
import jtorch.nn.functional.F;
import jtorch.nn.parallel.DistributedDataParallel;
import jtorch.optim.SGD;

/**
 * Run under mpirun by {@link DistCompare}, one thread per rank:
 * <ul>
 *   <li>{@code allreduce REPS BYTES...}: jtorch's {@code Dist.allReduce} of a float32 tensor, timed
 *       as allreduce_bench.c times Open MPI's (5 warm-up calls, then REPS calls after a barrier);
 *       rank 0 prints "RESULT jtorch BYTES median min max" (ms).</li>
 *   <li>{@code ddp STEPS BATCH}: SGD steps of a small CNN on BATCH images per rank, wrapped in
 *       DistributedDataParallel (also on one rank); rank 0 prints "RESULT ddp RANKS BATCH median
 *       min max" (ms per step).</li>
 * </ul>
 */
public final class DistBench {
    private DistBench() {}

    public static void main(String[] args) {
        Torch.setNumThreads(1);
        Dist.initProcessGroup("mpi");
        if (args[0].equals("allreduce")) allReduce(Integer.parseInt(args[1]), Arrays.copyOfRange(args, 2, args.length));
        else ddp(Integer.parseInt(args[1]), Integer.parseInt(args[2]));
        Dist.destroyProcessGroup();
    }

    private static void allReduce(int reps, String[] sizes) {
        for (String s : sizes) {
            long bytes = Long.parseLong(s);
            Tensor t = Torch.ones(bytes / 4);
            for (int i = 0; i < 5; i++) Dist.allReduce(t);
            double[] ms = new double[reps];
            for (int r = 0; r < reps; r++) {
                Dist.barrier();
                long t0 = System.nanoTime();
                Dist.allReduce(t);
                ms[r] = (System.nanoTime() - t0) / 1e6;
            }
            print("jtorch " + bytes, ms);
        }
    }

    /** A compute-bound CNN: two 3x3 convolutions of 32 channels on 32x32 inputs. */
    static Module model() {
        Torch.manualSeed(0);
        return new Sequential(new Conv2d(Conv2d.options(3, 32, 3).padding(1)), new ReLU(), new MaxPool2d(2), new Conv2d(Conv2d.options(32, 32, 3).padding(1)), new ReLU(),
                new MaxPool2d(2), new Flatten(), new Linear(32 * 8 * 8, 10));
    }

    private static void ddp(int steps, int batch) {
        DistributedDataParallel net = new DistributedDataParallel(model());
        SGD opt = new SGD(net.parameters(), 0.01);
        Generator g = new Generator(Dist.getRank());
        Tensor x = Torch.randn(new long[] {batch, 3, 32, 32}, g);
        Tensor y = Torch.randint(0, 10, new long[] {batch}, g);
        double[] ms = new double[steps];
        for (int s = -10; s < steps; s++) {   // 10 warm-up steps: the JIT compiles the kernels first
            Dist.barrier();
            long t0 = System.nanoTime();
            opt.zeroGrad();
            F.crossEntropy(net.call(x), y).backward();
            opt.step();
            if (s >= 0) ms[s] = (System.nanoTime() - t0) / 1e6;
        }
        print("ddp " + Dist.getWorldSize() + " " + batch, ms);
    }

    private static void print(String what, double[] ms) {
        Arrays.sort(ms);
        if (Dist.getRank() == 0)
            System.out.printf(java.util.Locale.ROOT, "RESULT %s %.4f %.4f %.4f%n", what, ms[ms.length / 2], ms[0], ms[ms.length - 1]);
    }
}
