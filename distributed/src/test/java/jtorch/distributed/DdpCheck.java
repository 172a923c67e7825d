package jtorch.distributed;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import jtorch.Generator;
import jtorch.Tensor;
import jtorch.Torch;
import jtorch.nn.BatchNorm1d;
import jtorch.nn.Linear;
import jtorch.nn.Module;
import jtorch.nn.Parameter;
import jtorch.nn.ReLU;
import jtorch.nn.Sequential;
import jtorch.nn.Tanh;
import jtorch.nn.functional.F;
import jtorch.nn.parallel.DistributedDataParallel;
import jtorch.optim.Adam;
import jtorch.optim.Optimizer;
import jtorch.optim.SGD;

/**
 * Run by {@link DdpIT} under mpirun: DistributedDataParallel against one process training the
 * same model on the concatenated batch. Prints "STEP", "DIFF" and "SAME" lines that the test reads.
 */
public final class DdpCheck {
    static final int B = 8, IN = 12, OUT = 3;
    private static int rank, world;

    private DdpCheck() {}

    static Module model(long seed) {
        Torch.manualSeed(seed);
        return new Sequential(new Linear(IN, 32), new Tanh(), new Linear(32, 16), new ReLU(), new Linear(16, OUT));
    }

    /** A body and three heads: head a is used by every rank, b by rank 0 only, c by none. */
    static final class Heads extends Module {
        final Linear body = registerModule("body", new Linear(IN, 16));
        final Linear a = registerModule("a", new Linear(16, OUT));
        final Linear b = registerModule("b", new Linear(16, OUT));
        final Linear c = registerModule("c", new Linear(16, OUT));
        int useB = 0;

        @Override public Tensor forward(Tensor x) {
            Tensor h = body.call(x).tanh();
            Tensor out = a.call(h);
            return useB == 0 ? out.add(b.call(h)) : out;
        }
    }

    /** Step k's whole batch (world * B rows), the same on every rank. */
    static Tensor[] batch(int k) {
        Generator g = new Generator(1000 + k);
        return new Tensor[] {Torch.randn(new long[] {(long) world * B, IN}, g), Torch.randn(new long[] {(long) world * B, OUT}, g)};
    }

    static Tensor mine(Tensor full) { return full.narrow(0, (long) rank * B, B); }

    static double maxDiff(Module a, Module b) {
        List<Parameter> pa = a.parameters(), pb = b.parameters();
        double m = 0;
        for (int i = 0; i < pa.size(); i++) m = Math.max(m, pa.get(i).sub(pb.get(i)).abs().max().item());
        return m;
    }

    /** Whether every rank holds bit-identical parameters (gathered and compared on each rank). */
    static boolean sameOnAllRanks(Module m) {
        List<Tensor> flat = new ArrayList<>();
        for (Parameter p : m.parameters()) flat.add(p.detach().reshape(-1));
        Tensor mineFlat = Torch.cat(flat);
        List<Tensor> all = new ArrayList<>();
        for (int r = 0; r < world; r++) all.add(Torch.zerosLike(mineFlat));
        Dist.allGather(all, mineFlat);
        for (Tensor t : all) if (!Torch.equal(t, all.get(0))) return false;
        return true;
    }

    static void train(String name, Function<List<Parameter>, Optimizer> optimizer, DistributedDataParallel.Options options, int steps) {
        Module reference = model(0);                     // what rank 0 starts from
        DistributedDataParallel ddp = new DistributedDataParallel(model(rank), options);   // other ranks start elsewhere
        System.out.println("BUCKETS " + name + " " + ddp.bucketCount());
        if (!sameOnAllRanks(ddp.module)) System.out.println("NOTSAME " + name + " after wrapping");
        System.out.println("DIFF " + name + " init " + maxDiff(ddp.module, reference));
        Optimizer opt = optimizer.apply(ddp.module.parameters()), refOpt = optimizer.apply(reference.parameters());
        for (int k = 0; k < steps; k++) {
            Tensor[] data = batch(k);
            opt.zeroGrad();
            F.mseLoss(ddp.call(mine(data[0])), mine(data[1])).backward();
            opt.step();
            refOpt.zeroGrad();
            F.mseLoss(reference.call(data[0]), data[1]).backward();
            refOpt.step();
            if (!sameOnAllRanks(ddp.module)) System.out.println("NOTSAME " + name + " step " + k);
        }
        System.out.println("DIFF " + name + " final " + maxDiff(ddp.module, reference));
    }

    /** noSync: two micro-batches, the first accumulated locally, reduced with the second. */
    static void noSync() {
        Module reference = model(0);
        DistributedDataParallel ddp = new DistributedDataParallel(model(rank));
        SGD opt = new SGD(ddp.module.parameters(), 0.1), refOpt = new SGD(reference.parameters(), 0.1);
        for (int k = 0; k < 5; k++) {
            Tensor[] first = batch(2 * k), second = batch(2 * k + 1);
            opt.zeroGrad();
            try (var ctx = ddp.noSync()) {
                F.mseLoss(ddp.call(mine(first[0])), mine(first[1])).backward();
            }
            F.mseLoss(ddp.call(mine(second[0])), mine(second[1])).backward();
            opt.step();
            refOpt.zeroGrad();
            F.mseLoss(reference.call(first[0]), first[1]).backward();
            F.mseLoss(reference.call(second[0]), second[1]).backward();
            refOpt.step();
            if (!sameOnAllRanks(ddp.module)) System.out.println("NOTSAME nosync step " + k);
        }
        System.out.println("DIFF nosync final " + maxDiff(ddp.module, reference));
    }

    /** findUnusedParameters: head b is used on rank 0 only, head c nowhere (its gradient stays null on every rank). */
    static void unused() {
        Torch.manualSeed(0);
        Heads reference = new Heads();
        Torch.manualSeed(rank);
        Heads local = new Heads();
        local.useB = rank;
        DistributedDataParallel ddp = new DistributedDataParallel(local, DistributedDataParallel.options().findUnusedParameters(true));
        SGD opt = new SGD(ddp.module.parameters(), 0.1), refOpt = new SGD(reference.parameters(), 0.1);
        for (int k = 0; k < 5; k++) {
            Tensor[] data = batch(k);
            opt.zeroGrad();
            F.mseLoss(ddp.call(mine(data[0])), mine(data[1])).backward();
            opt.step();
            refOpt.zeroGrad();
            List<Tensor> outs = new ArrayList<>();
            for (int r = 0; r < world; r++) {
                reference.useB = r;
                outs.add(reference.call(data[0].narrow(0, (long) r * B, B)));
            }
            F.mseLoss(Torch.cat(outs), data[1]).backward();
            refOpt.step();
            if (!sameOnAllRanks(ddp.module)) System.out.println("NOTSAME unused step " + k);
            if (local.c.weight.grad() != null) System.out.println("NOTSAME unused: head c got a gradient");
        }
        System.out.println("DIFF unused final " + maxDiff(ddp.module, reference));
        // Without findUnusedParameters, parameters that got no gradient stop the next iteration.
        Torch.manualSeed(0);
        Heads strict = new Heads();
        strict.useB = 1;   // head b unused on every rank: no rank can finish the reduction
        DistributedDataParallel plain = new DistributedDataParallel(strict);
        Tensor[] data = batch(0);
        F.mseLoss(plain.call(mine(data[0])), mine(data[1])).backward();
        try {
            plain.call(mine(data[0]));
            System.out.println("NOERROR unused");
        } catch (RuntimeException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;   // call() names the module around the error
            System.out.println("UNFINISHED rank " + rank + ": " + cause.getMessage());
        }
    }

    /** Rank 0's buffers reach every rank when the model is wrapped and before each forward. */
    static void buffers() {
        Torch.manualSeed(0);
        Module m = new Sequential(new Linear(IN, 8), new BatchNorm1d(8));
        BatchNorm1d bn = (BatchNorm1d) m.children().get(1);
        Torch.noGrad(() -> { bn.runningMean.fill_(rank + 1); });
        DistributedDataParallel ddp = new DistributedDataParallel(m);
        System.out.println("BUFFER rank " + rank + " wrapped " + bn.runningMean.sum().item());
        ddp.eval();
        Torch.noGrad(() -> { bn.runningMean.fill_(10 * (rank + 1)); });
        Tensor y = Torch.noGrad(() -> ddp.call(batch(0)[0].narrow(0, 0, 4)));
        System.out.println("BUFFER rank " + rank + " forward " + bn.runningMean.sum().item() + " out " + y.sum().item());
    }

    public static void main(String[] args) throws Exception {
        Dist.initProcessGroup("mpi");
        rank = Dist.getRank();
        world = Dist.getWorldSize();
        train("sgd", ps -> new SGD(ps, SGD.options(0.05).momentum(0.9)), DistributedDataParallel.options(), 20);
        train("adam", ps -> new Adam(ps, 1e-2), DistributedDataParallel.options(), 20);
        train("smallbuckets", ps -> new SGD(ps, 0.05), DistributedDataParallel.options().bucketCapMb(0.001), 5);
        noSync();
        unused();
        buffers();
        Dist.destroyProcessGroup();
        System.out.println("DONE rank " + rank);
    }
}
