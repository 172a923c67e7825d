package jtorch.examples.lenet;

import static jtorch.Torch.manualSeed;
import static jtorch.Torch.noGrad;

import java.io.IOException;
import java.util.List;
import java.util.Locale;

import jtorch.Tensor;
import jtorch.Torch;
import jtorch.datasets.DatasetNotFoundException;
import jtorch.datasets.FashionMNIST;
import jtorch.datasets.IdxFormatException;
import jtorch.distributed.Dist;
import jtorch.nn.CrossEntropyLoss;
import jtorch.nn.Sequential;
import jtorch.nn.parallel.DistributedDataParallel;
import jtorch.optim.Adam;
import jtorch.optim.Optimizer;
import jtorch.optim.SGD;
import jtorch.utils.data.DataLoader;
import jtorch.utils.data.distributed.DistributedSampler;

/**
 * {@link TrainLeNet} data-parallel: every rank started by {@code mpirun} trains a replica of the
 * same LeNet on its share of each epoch ({@code DistributedSampler}), and DistributedDataParallel
 * averages the gradients, so that {@code --batch-size} (256) is the global batch, split over the
 * ranks. Rank 0 prints the epochs' loss, accuracies (summed over the ranks) and seconds. Needs
 * JDK 22+ and Open MPI (Debian: {@code apt-get install openmpi-bin}).
 *
 * <pre>
 * mvn -q -B install -DskipTests
 * mvn -q -B -pl examples dependency:build-classpath -Dmdep.outputFile=cp.txt
 * mpirun -np 2 java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
 *     -cp examples/target/classes:$(cat examples/cp.txt) jtorch.examples.lenet.TrainLeNetDistributed --epochs 10
 * </pre>
 *
 * Options as {@link TrainLeNet}'s, without {@code --plot}.
 */
public final class TrainLeNetDistributed {
    private TrainLeNetDistributed() {}

    public static void main(String[] args) throws IOException {
        TrainLeNet.Config config;
        try {
            config = TrainLeNet.Config.parse(args);
        } catch (TrainLeNet.UsageException e) {
            if (e.getMessage() != null) System.err.println(e.getMessage());
            System.err.println(TrainLeNet.USAGE.replace("TrainLeNet", "TrainLeNetDistributed"));
            System.exit(e.getMessage() == null ? 0 : 2);
            return;
        }
        Dist.initProcessGroup("mpi");
        int rank = Dist.getRank(), world = Dist.getWorldSize();
        if (config.batchSize() % world != 0) {
            if (rank == 0) System.err.println("--batch-size " + config.batchSize() + " must be a multiple of the " + world + " ranks");
            Dist.destroyProcessGroup();
            System.exit(2);
        }
        // The ranks of one machine share its cores.
        String local = System.getenv("OMPI_COMM_WORLD_LOCAL_SIZE");
        int perMachine = local != null ? Integer.parseInt(local) : 1;
        Torch.setNumThreads(Math.max(1, Runtime.getRuntime().availableProcessors() / perMachine));
        try {
            run(config, rank, world);
        } catch (DatasetNotFoundException | IdxFormatException e) {
            if (rank == 0) System.err.println(e.getMessage());
            System.exit(2);
        }
        Dist.destroyProcessGroup();
    }

    static void run(TrainLeNet.Config config, int rank, int world) throws IOException {
        var train = new FashionMNIST(config.data(), true);
        var test = new FashionMNIST(config.data(), false);
        manualSeed(config.seed());
        Sequential lenet = config.model().equals("classic") ? LeNet.classic() : LeNet.modern();
        var net = new DistributedDataParallel(lenet);
        Optimizer<?> optimizer = config.model().equals("classic")
                ? new SGD(net.parameters(), SGD.options(config.lr()))
                : new Adam(net.parameters(), Adam.options(config.lr()));
        var loss = new CrossEntropyLoss();
        var sampler = new DistributedSampler(train, DistributedSampler.options().seed(config.seed()));
        var trainLoader = new DataLoader<>(train, DataLoader.options().batchSize(config.batchSize() / world).sampler(sampler));
        var testSampler = new DistributedSampler(test, DistributedSampler.options().shuffle(false));
        var testLoader = new DataLoader<>(test, DataLoader.options().batchSize(1000).sampler(testSampler));
        if (rank == 0)
            System.out.printf(Locale.ROOT, "LeNet (%s) on Fashion-MNIST, data-parallel on %d ranks: %d training and %d test images, global "
                    + "batch size %d (%d per rank), %s lr %s, seed %d, %d threads per rank%n", config.model(), world, train.size(), test.size(),
                    config.batchSize(), config.batchSize() / world, optimizer.getClass().getSimpleName(), config.lr(), config.seed(),
                    Torch.getNumThreads());
        for (int epoch = 1; epoch <= config.epochs(); epoch++) {
            Dist.barrier();
            long start = System.nanoTime();
            sampler.setEpoch(epoch - 1);
            net.train();
            double lossSum = 0;
            long correct = 0, seen = 0;
            for (List<Tensor> batch : trainLoader) {
                Tensor X = batch.get(0), y = batch.get(1);
                Tensor yHat = net.call(X);
                Tensor l = loss.forward(yHat, y);
                optimizer.zeroGrad();
                l.backward();
                optimizer.step();
                long n = y.size(0);
                lossSum += l.item() * n;
                correct += noGrad(() -> yHat.argmax(1).eq(y).sum().itemLong());
                seen += n;
            }
            Dist.barrier();
            double seconds = (System.nanoTime() - start) / 1e9;
            double[] trainTotals = sum(lossSum, correct, seen);
            double[] testTotals = accuracy(lenet, testLoader);
            if (rank == 0)
                System.out.printf(Locale.ROOT, "epoch %d: loss %.4f, train acc %.4f, test acc %.4f, %.1f s (%.0f img/s)%n", epoch,
                        trainTotals[0] / trainTotals[2], trainTotals[1] / trainTotals[2], testTotals[0] / testTotals[1], seconds,
                        trainTotals[2] / seconds);
        }
    }

    /** Sums over the ranks. */
    static double[] sum(double... values) {
        Tensor t = Torch.tensor(values);
        Dist.allReduce(t);
        return t.toDoubleArray();
    }

    /** Correct and total test images over the ranks' shares (10,000 images split evenly: none counted twice). */
    static double[] accuracy(Sequential net, DataLoader<List<Tensor>> loader) {
        long[] counts = TrainLeNet.correctAndTotal(net, loader);
        return sum(counts[0], counts[1]);
    }
}
