package jtorch.examples.lenet;

import static jtorch.Torch.manualSeed;
import static jtorch.Torch.noGrad;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import jtorch.Tensor;
import jtorch.datasets.DatasetNotFoundException;
import jtorch.datasets.FashionMNIST;
import jtorch.datasets.IdxFormatException;
import jtorch.nn.CrossEntropyLoss;
import jtorch.nn.Sequential;
import jtorch.optim.Adam;
import jtorch.optim.Optimizer;
import jtorch.optim.SGD;
import jtorch.utils.data.DataLoader;

/**
 * Trains LeNet-5 on Fashion-MNIST and reports the test accuracy after every epoch, then draws the
 * loss and accuracy curves into a PNG. {@code tools/lenet_torch.py} is the same program in
 * PyTorch: with the same seed both start from the same weights and see the same batches.
 *
 * <pre>
 * mvn -q -B install -DskipTests
 * mvn -q -B -pl examples exec:java -Dexec.mainClass=jtorch.examples.lenet.TrainLeNet -Dexec.args="--model modern --epochs 10"
 * </pre>
 *
 * Options: {@code --data DIR} (default {@code /usr/share/datasets/fashion-mnist}, where Debian's
 * package {@code dataset-fashion-mnist} puts the files), {@code --epochs N} (10), {@code --model
 * classic|modern} (modern), {@code --batch-size N} (256), {@code --lr X} (0.9 for classic with
 * SGD, as the book; 0.003 for modern with Adam), {@code --seed N} (0), {@code --plot FILE}
 * ({@code lenet-MODEL.png}). Exits with status 2 when the data is missing or corrupt, saying what
 * to get.
 */
public final class TrainLeNet {
    private TrainLeNet() {}

    /** The command line. */
    record Config(Path data, int epochs, String model, int batchSize, double lr, long seed, Path plot) {
        static Config parse(String[] args) {
            Path data = FashionMNIST.DEFAULT_ROOT;
            int epochs = 10;
            String model = "modern";
            int batchSize = 256;
            Double lr = null;
            long seed = 0;
            Path plot = null;
            for (int i = 0; i < args.length; i++) {
                String flag = args[i];
                if (flag.equals("--help") || flag.equals("-h")) throw new UsageException(null);
                if (i + 1 >= args.length) throw new UsageException(flag + " needs a value");
                String value = args[++i];
                try {
                    switch (flag) {
                        case "--data": data = Path.of(value); break;
                        case "--epochs": epochs = Integer.parseInt(value); break;
                        case "--model": model = value; break;
                        case "--batch-size": batchSize = Integer.parseInt(value); break;
                        case "--lr": lr = Double.parseDouble(value); break;
                        case "--seed": seed = Long.parseLong(value); break;
                        case "--plot": plot = Path.of(value); break;
                        default: throw new UsageException("unknown option " + flag);
                    }
                } catch (NumberFormatException e) {
                    throw new UsageException(flag + " needs a number, got " + value);
                }
            }
            if (!model.equals("classic") && !model.equals("modern")) throw new UsageException("--model is classic or modern, got " + model);
            if (epochs < 1) throw new UsageException("--epochs must be at least 1");
            if (batchSize < 1) throw new UsageException("--batch-size must be at least 1");
            return new Config(data, epochs, model, batchSize, lr != null ? lr : model.equals("classic") ? 0.9 : 3e-3, seed,
                    plot != null ? plot : Path.of("lenet-" + model + ".png"));
        }
    }

    static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    static final String USAGE = "usage: TrainLeNet [--data DIR] [--epochs N] [--model classic|modern] [--batch-size N] [--lr X]"
            + " [--seed N] [--plot FILE.png]";

    public static void main(String[] args) throws IOException {
        Config config;
        try {
            config = Config.parse(args);
        } catch (UsageException e) {
            if (e.getMessage() != null) System.err.println(e.getMessage());
            System.err.println(USAGE);
            System.exit(e.getMessage() == null ? 0 : 2);
            return;
        }
        try {
            run(config, System.console() != null, System.out);
        } catch (DatasetNotFoundException | IdxFormatException e) {
            System.err.println(e.getMessage());
            System.exit(2);
        }
    }

    /** Trains as configured, printing per-epoch results to {@code out}; returns the epochs' numbers. */
    static List<TrainingCurves.Epoch> run(Config config, boolean terminal, PrintStream out) throws IOException {
        var train = new FashionMNIST(config.data(), true);
        var test = new FashionMNIST(config.data(), false);
        manualSeed(config.seed());
        Sequential net = config.model().equals("classic") ? LeNet.classic() : LeNet.modern();
        Optimizer<?> optimizer = config.model().equals("classic")
                ? new SGD(net.parameters(), SGD.options(config.lr()))
                : new Adam(net.parameters(), Adam.options(config.lr()));
        var loss = new CrossEntropyLoss();
        var trainLoader = new DataLoader<>(train, DataLoader.options().batchSize(config.batchSize()).shuffle(true));
        var testLoader = new DataLoader<>(test, DataLoader.options().batchSize(1000));
        out.printf(Locale.ROOT, "LeNet (%s) on Fashion-MNIST: %d training and %d test images, batch size %d, %s lr %s, seed %d%n",
                config.model(), train.size(), test.size(), config.batchSize(), optimizer.getClass().getSimpleName(), config.lr(),
                config.seed());

        List<TrainingCurves.Epoch> history = new ArrayList<>();
        for (int epoch = 1; epoch <= config.epochs(); epoch++) {
            long start = System.nanoTime();
            net.train();
            var progress = new EpochProgress(String.format(Locale.ROOT, "epoch %d/%d", epoch, config.epochs()), trainLoader.size(),
                    terminal, out);
            double lossSum = 0;
            long correct = 0, seen = 0;
            int batches = 0;
            for (List<Tensor> batch : trainLoader) {
                Tensor X = batch.get(0), y = batch.get(1);
                Tensor yHat = net.forward(X);
                Tensor l = loss.forward(yHat, y);
                optimizer.zeroGrad();
                l.backward();
                optimizer.step();
                long n = y.size(0);
                if (epoch == 1 && batches == 0) out.printf(Locale.ROOT, "first batch loss %.6f%n", l.item());
                lossSum += l.item() * n;
                correct += noGrad(() -> yHat.argmax(1).eq(y).sum().itemLong());
                seen += n;
                batches++;
                progress.update(batches, lossSum / seen, seen);
            }
            progress.finish();
            double seconds = (System.nanoTime() - start) / 1e9;
            double testAccuracy = accuracy(net, testLoader);
            var result = new TrainingCurves.Epoch(epoch, lossSum / seen, (double) correct / seen, testAccuracy, seconds);
            history.add(result);
            out.printf(Locale.ROOT, "epoch %d: loss %.4f, train acc %.4f, test acc %.4f, %.1f s (%.0f img/s)%n", epoch,
                    result.trainLoss(), result.trainAccuracy(), result.testAccuracy(), seconds, seen / seconds);
        }
        Path png = TrainingCurves.write(config.plot(), "LeNet (" + config.model() + ") on Fashion-MNIST", history);
        out.println("curves written to " + png);
        return history;
    }

    /** The share of {@code loader}'s images that {@code net} classifies correctly (eval mode, no grad). */
    static double accuracy(Sequential net, DataLoader<List<Tensor>> loader) {
        long[] counts = correctAndTotal(net, loader);
        return (double) counts[0] / counts[1];
    }

    /** How many of {@code loader}'s images {@code net} classifies correctly, and how many there are (eval mode, no grad). */
    static long[] correctAndTotal(Sequential net, DataLoader<List<Tensor>> loader) {
        net.eval();
        long correct = 0, total = 0;
        try (var g = noGrad()) {
            for (List<Tensor> batch : loader) {
                correct += net.forward(batch.get(0)).argmax(1).eq(batch.get(1)).sum().itemLong();
                total += batch.get(1).size(0);
            }
        }
        return new long[] {correct, total};
    }
}
