package jtorch.examples.mnist;

import static jtorch.Torch.manualSeed;
import static jtorch.Torch.noGrad;
import static jtorch.Torch.tensor;

import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.util.List;

import jtorch.Tensor;
import jtorch.datasets.DatasetNotFoundException;
import jtorch.datasets.IdxFormatException;
import jtorch.datasets.MNIST;
import jtorch.nn.Conv2d;
import jtorch.nn.Dropout;
import jtorch.nn.Linear;
import jtorch.nn.Module;
import jtorch.nn.functional.F;
import jtorch.optim.Adadelta;
import jtorch.optim.lr.StepLR;
import jtorch.utils.data.DataLoader;
import jtorch.utils.data.TensorDataset;

/**
 * pytorch/examples {@code mnist/main.py}, ported line by line: a two-convolution network with
 * dropout, trained with Adadelta ({@code lr=1.0}) and {@code StepLR(step_size=1, gamma=0.7)},
 * printing the script's lines ({@code Train Epoch: 1 [640/60000 (1%)]\tLoss: 1.234567} and
 * {@code Test set: Average loss: ..., Accuracy: .../... (..%)}). {@code tools/mnist_torch.py} is
 * the PyTorch twin: with the same seed both start from the same weights, draw the same dropout
 * masks and see the same batches, so they print the same numbers up to float32 rounding.
 *
 * <pre>
 * mvn -q -B install -DskipTests
 * mvn -q -B -pl examples exec:java@mnist -Dexec.args="--data DIR --epochs 1"
 * </pre>
 *
 * Options, as the script's: {@code --batch-size N} (64), {@code --test-batch-size N} (1000),
 * {@code --epochs N} (14), {@code --lr X} (1.0), {@code --gamma X} (0.7), {@code --dry-run},
 * {@code --seed N} (1), {@code --log-interval N} (10), {@code --save-model}; and, because jtorch
 * does not download: {@code --data DIR}, the directory with MNIST's gzip'd IDX files (Fashion-MNIST's
 * work too, they have the same format), and {@code --train-batches N}, which ends each training
 * epoch after N batches.
 */
public final class MnistExample {
    private MnistExample() {}

    /** {@code class Net(nn.Module)} of the script. */
    public static final class Net extends Module {
        final Conv2d conv1 = registerModule("conv1", new Conv2d(Conv2d.options(1, 32, 3).stride(1)));
        final Conv2d conv2 = registerModule("conv2", new Conv2d(Conv2d.options(32, 64, 3).stride(1)));
        final Dropout dropout1 = registerModule("dropout1", new Dropout(0.25));
        final Dropout dropout2 = registerModule("dropout2", new Dropout(0.5));
        final Linear fc1 = registerModule("fc1", new Linear(9216, 128));
        final Linear fc2 = registerModule("fc2", new Linear(128, 10));

        @Override public Tensor forward(Tensor x) {
            x = conv1.forward(x);
            x = F.relu(x);
            x = conv2.forward(x);
            x = F.relu(x);
            x = F.maxPool2d(x, 2);
            x = dropout1.forward(x);
            x = x.flatten(1, -1);
            x = fc1.forward(x);
            x = F.relu(x);
            x = dropout2.forward(x);
            x = fc2.forward(x);
            return F.logSoftmax(x, 1);
        }
    }

    /** The command line ({@code argparse} of the script, plus {@code --data} and {@code --train-batches}). */
    public record Args(int batchSize, int testBatchSize, int epochs, double lr, double gamma, boolean dryRun, long seed,
                       int logInterval, boolean saveModel, Path data, Integer trainBatches) {
        /**
         * Parses the script's options.
         *
         * @throws IllegalArgumentException for an unknown option, a missing or malformed value
         */
        public static Args parse(String... args) {
            int batchSize = 64, testBatchSize = 1000, epochs = 14, logInterval = 10;
            double lr = 1.0, gamma = 0.7;
            boolean dryRun = false, saveModel = false;
            long seed = 1;
            Path data = Path.of("data/MNIST/raw");
            Integer trainBatches = null;
            for (int i = 0; i < args.length; i++) {
                String flag = args[i];
                if (flag.equals("--dry-run")) { dryRun = true; continue; }
                if (flag.equals("--save-model")) { saveModel = true; continue; }
                if (i + 1 >= args.length) throw new IllegalArgumentException("argument " + flag + ": expected one argument");
                String v = args[++i];
                try {
                    switch (flag) {
                        case "--batch-size": batchSize = Integer.parseInt(v); break;
                        case "--test-batch-size": testBatchSize = Integer.parseInt(v); break;
                        case "--epochs": epochs = Integer.parseInt(v); break;
                        case "--lr": lr = Double.parseDouble(v); break;
                        case "--gamma": gamma = Double.parseDouble(v); break;
                        case "--seed": seed = Long.parseLong(v); break;
                        case "--log-interval": logInterval = Integer.parseInt(v); break;
                        case "--data": data = Path.of(v); break;
                        case "--train-batches": trainBatches = Integer.parseInt(v); break;
                        default: throw new IllegalArgumentException("unrecognized arguments: " + flag);
                    }
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("argument " + flag + ": invalid value: '" + v + "'");
                }
            }
            return new Args(batchSize, testBatchSize, epochs, lr, gamma, dryRun, seed, logInterval, saveModel, data, trainBatches);
        }
    }

    /** Python's {@code '{:.Nf}'.format(v)}: the exact binary value rounded half to even. */
    static String fixed(double v, int digits) {
        return new BigDecimal(v).setScale(digits, RoundingMode.HALF_EVEN).toPlainString();
    }

    static void train(Args args, Net model, DataLoader<List<Tensor>> trainLoader, Adadelta optimizer, int epoch, PrintStream out) {
        model.train();
        int batchIdx = 0;
        for (List<Tensor> batch : trainLoader) {
            Tensor data = batch.get(0), target = batch.get(1);
            optimizer.zeroGrad();
            Tensor output = model.forward(data);
            Tensor loss = F.nllLoss(output, target);
            loss.backward();
            optimizer.step();
            if (batchIdx % args.logInterval() == 0) {
                out.println("Train Epoch: " + epoch + " [" + (batchIdx * data.size(0)) + "/" + trainLoader.dataset().size() + " ("
                        + fixed(100. * batchIdx / trainLoader.size(), 0) + "%)]\tLoss: " + fixed(loss.item(), 6));
                if (args.dryRun()) break;
            }
            if (args.trainBatches() != null && batchIdx + 1 >= args.trainBatches()) break;
            batchIdx++;
        }
    }

    static void test(Net model, DataLoader<List<Tensor>> testLoader, PrintStream out) {
        model.eval();
        double testLoss = 0;
        long correct = 0;
        try (var g = noGrad()) {
            for (List<Tensor> batch : testLoader) {
                Tensor data = batch.get(0), target = batch.get(1);
                Tensor output = model.forward(data);
                testLoss += F.nllLoss(output, target, null, -100, "sum").item();     // sum up batch loss
                Tensor pred = output.argmax(1, true);                              // the index of the max log-probability
                correct += (long) pred.eq(target.view(pred.shape())).sum().item();
            }
        }
        int n = testLoader.dataset().size();
        testLoss /= n;
        out.println("\nTest set: Average loss: " + fixed(testLoss, 4) + ", Accuracy: " + correct + "/" + n + " ("
                + fixed(100. * correct / n, 0) + "%)\n");
    }

    /** MNIST's images as {@code ToTensor()} then {@code Normalize((0.1307,), (0.3081,))} make them, with the labels. */
    static TensorDataset load(Path root, boolean train) {
        MNIST raw = new MNIST(root, train);
        Tensor mean = tensor(new float[] {0.1307f}).view(-1, 1, 1);
        Tensor std = tensor(new float[] {0.3081f}).view(-1, 1, 1);
        return new TensorDataset(raw.images().sub(mean).div(std), raw.labels());
    }

    /** The script's {@code main()}, printing to {@code out}; returns the trained model. */
    public static Net run(Args args, PrintStream out) {
        manualSeed(args.seed());
        TensorDataset dataset1 = load(args.data(), true);
        TensorDataset dataset2 = load(args.data(), false);
        var trainLoader = new DataLoader<>(dataset1, DataLoader.options().batchSize(args.batchSize()));
        var testLoader = new DataLoader<>(dataset2, DataLoader.options().batchSize(args.testBatchSize()));

        Net model = new Net();
        Adadelta optimizer = new Adadelta(model.parameters(), args.lr());
        StepLR scheduler = new StepLR(optimizer, 1, args.gamma());
        for (int epoch = 1; epoch <= args.epochs(); epoch++) {
            train(args, model, trainLoader, optimizer, epoch, out);
            test(model, testLoader, out);
            scheduler.step();
        }
        if (args.saveModel()) {
            try {
                jtorch.Torch.save(model.stateDict(), Path.of("mnist_cnn.safetensors"));   // torch.save(model.state_dict(), "mnist_cnn.pt")
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return model;
    }

    public static void main(String[] argv) {
        Args args;
        try {
            args = Args.parse(argv);
        } catch (IllegalArgumentException e) {
            System.err.println("usage: MnistExample [--batch-size N] [--test-batch-size N] [--epochs N] [--lr LR] [--gamma M] [--dry-run]"
                    + " [--seed S] [--log-interval N] [--save-model] [--data DIR] [--train-batches N]");
            System.err.println("MnistExample: error: " + e.getMessage());
            System.exit(2);
            return;
        }
        try {
            run(args, System.out);
        } catch (DatasetNotFoundException | IdxFormatException e) {
            System.err.println(e.getMessage());
            System.exit(2);
        }
    }
}
