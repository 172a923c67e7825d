package jtorch.examples.text;

import static jtorch.Torch.manualSeed;
import static jtorch.Torch.noGrad;
import static jtorch.Torch.randint;
import static jtorch.Torch.tensor;
import static jtorch.Torch.zeros;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

import jtorch.Tensor;
import jtorch.examples.CommandLine;
import jtorch.examples.lenet.EpochProgress;
import jtorch.nn.utils.ClipGrad;
import jtorch.optim.AdamW;
import jtorch.optim.Optimizer;

/**
 * A character-level GPT in the style of karpathy's nanoGPT ({@code train.py} and {@code sample.py}
 * with the shakespeare_char recipe, CPU, one process, one micro step per iteration): the model is
 * {@link Gpt}; training is AdamW with nanoGPT's weight-decay groups, a linear warmup then cosine
 * decay of the learning rate, gradient clipping at 1.0, an estimate of the train and validation
 * losses every {@code --eval-interval} iterations; then text is sampled with temperature and
 * top-k. {@code tools/char_gpt.py} is the PyTorch twin: with the same seed both start from the
 * same weights, see the same batches ({@code torch.randint}) and draw the same dropout masks, so
 * their losses agree up to float32 rounding.
 *
 * <pre>
 * mvn -q -B install -DskipTests
 * mvn -q -B -pl examples exec:java@char-gpt -Dexec.args="--max-iters 1000"
 * </pre>
 *
 * The text is {@link TextFiles#read} of {@code --data} (default {@code /usr/share/common-licenses}):
 * its characters sorted by code point are the vocabulary, the first 90% of the characters train,
 * the rest validate. Options (defaults): {@code --batch-size} 16, {@code --block-size} 64,
 * {@code --n-layer} 2, {@code --n-head} 4, {@code --n-embd} 64, {@code --dropout} 0.1,
 * {@code --learning-rate} 1e-3, {@code --max-iters} 1000, {@code --eval-interval} 250,
 * {@code --eval-iters} 20, {@code --log-interval} 50, {@code --weight-decay} 0.1, {@code --beta1}
 * 0.9, {@code --beta2} 0.99, {@code --grad-clip} 1.0, {@code --warmup-iters} 100, {@code --min-lr}
 * 1e-4, {@code --seed} 1337, {@code --num-samples} 1, {@code --max-new-tokens} 300,
 * {@code --temperature} 0.8, {@code --top-k} 20 (0: none), {@code --plot} FILE ({@code char-gpt.png}),
 * {@code --fixture} N (print the first N training losses in full and stop, as the twin's option).
 */
public final class CharGpt {
    private CharGpt() {}

    /** The command line (the twin's argparse options). */
    public record Args(Path data, int batchSize, int blockSize, int nLayer, int nHead, int nEmbd, double dropout,
                       double learningRate, int maxIters, int evalInterval, int evalIters, int logInterval, double weightDecay,
                       double beta1, double beta2, double gradClip, int warmupIters, double minLr, long seed, int numSamples,
                       int maxNewTokens, double temperature, int topK, Path plot, Integer fixture) {
        /**
         * Parses {@code --name value} options.
         *
         * @throws IllegalArgumentException for an unknown option or a missing or malformed value
         */
        public static Args parse(String... args) {
            var o = CommandLine.Options.parse(args, new String[][] {{"data", TextFiles.DEFAULT_ROOT.toString()}, {"batch-size", "16"},
                    {"block-size", "64"}, {"n-layer", "2"}, {"n-head", "4"}, {"n-embd", "64"}, {"dropout", "0.1"},
                    {"learning-rate", "1e-3"}, {"max-iters", "1000"}, {"eval-interval", "250"}, {"eval-iters", "20"},
                    {"log-interval", "50"}, {"weight-decay", "0.1"}, {"beta1", "0.9"}, {"beta2", "0.99"}, {"grad-clip", "1.0"},
                    {"warmup-iters", "100"}, {"min-lr", "1e-4"}, {"seed", "1337"}, {"num-samples", "1"}, {"max-new-tokens", "300"},
                    {"temperature", "0.8"}, {"top-k", "20"}, {"plot", "char-gpt.png"}, {"fixture", null}});
            Args a = new Args(Path.of(o.get("data")), o.positive("batch-size"), o.positive("block-size"), o.positive("n-layer"),
                    o.positive("n-head"), o.positive("n-embd"), o.real("dropout"), o.real("learning-rate"), o.integer("max-iters"),
                    o.positive("eval-interval"), o.positive("eval-iters"), o.positive("log-interval"), o.real("weight-decay"),
                    o.real("beta1"), o.real("beta2"), o.real("grad-clip"), o.integer("warmup-iters"), o.real("min-lr"),
                    o.longInteger("seed"), o.integer("num-samples"), o.integer("max-new-tokens"), o.real("temperature"),
                    o.integer("top-k"), Path.of(o.get("plot")), o.get("fixture") == null ? null : o.positive("fixture"));
            if (a.dropout() < 0 || a.dropout() > 1) throw new IllegalArgumentException("argument --dropout: must be in [0, 1], got " + a.dropout());
            if (a.temperature() <= 0) throw new IllegalArgumentException("argument --temperature: must be positive, got " + a.temperature());
            return a;
        }
    }

    /** What a run measured: every training loss, and the estimates at the evaluation steps. */
    public record History(List<Double> trainLoss, List<Integer> evalSteps, List<Double> evalTrain, List<Double> evalVal,
                          List<Double> evalSeconds) {}

    /** The text's vocabulary: its distinct code points, sorted ({@code sorted(set(text))}). */
    public record Vocabulary(int[] itos) {
        static Vocabulary of(String text) {
            TreeSet<Integer> set = new TreeSet<>();
            text.codePoints().forEach(set::add);
            return new Vocabulary(set.stream().mapToInt(Integer::intValue).toArray());
        }

        public int size() { return itos.length; }

        /** {@code [stoi[c] for c in s]}. */
        public long[] encode(String s) {
            return s.codePoints().mapToLong(c -> {
                int i = java.util.Arrays.binarySearch(itos, c);
                if (i < 0) throw new IllegalArgumentException("character " + new String(Character.toChars(c)) + " is not in the vocabulary");
                return i;
            }).toArray();
        }

        /** {@code ''.join(itos[i] for i in ids)}. */
        public String decode(long[] ids) {
            StringBuilder sb = new StringBuilder();
            for (long i : ids) sb.appendCodePoint(itos[(int) i]);
            return sb.toString();
        }
    }

    /** nanoGPT's {@code get_lr}: linear warmup, then cosine decay to {@code minLr} at {@code maxIters}. */
    static double learningRate(Args a, int it) {
        if (it < a.warmupIters()) return a.learningRate() * it / a.warmupIters();
        if (it > a.maxIters()) return a.minLr();
        double decayRatio = (double) (it - a.warmupIters()) / (a.maxIters() - a.warmupIters());
        double coeff = 0.5 * (1.0 + Math.cos(Math.PI * decayRatio));
        return a.minLr() + coeff * (a.learningRate() - a.minLr());
    }

    /** {@code get_batch}: {@code batchSize} random windows of {@code data} ({@code torch.randint}), and the next characters. */
    static Tensor[] getBatch(long[] data, int blockSize, int batchSize) {
        long[] ix = randint(data.length - blockSize, new long[] {batchSize}).toLongArray();
        long[][] x = new long[batchSize][blockSize], y = new long[batchSize][blockSize];
        for (int b = 0; b < batchSize; b++) {
            System.arraycopy(data, (int) ix[b], x[b], 0, blockSize);
            System.arraycopy(data, (int) ix[b] + 1, y[b], 0, blockSize);
        }
        return new Tensor[] {tensor(x), tensor(y)};
    }

    /** Trains and samples as configured, printing to {@code out}; returns the losses. */
    public static History run(Args a, boolean terminal, PrintStream out) throws IOException {
        manualSeed(a.seed());
        String text = TextFiles.read(a.data());
        Vocabulary vocab = Vocabulary.of(text);
        long[] data = vocab.encode(text);
        int n = (int) (0.9 * data.length);
        long[] train = java.util.Arrays.copyOfRange(data, 0, n), val = java.util.Arrays.copyOfRange(data, n, data.length);
        if (Math.min(train.length, val.length) <= a.blockSize())
            throw new IllegalArgumentException("the text is too short for --block-size " + a.blockSize() + ": " + data.length + " characters");

        Gpt model = new Gpt(new Gpt.Config(vocab.size(), a.blockSize(), a.nLayer(), a.nHead(), a.nEmbd(), a.dropout(), true));
        AdamW optimizer = model.configureOptimizers(a.weightDecay(), a.learningRate(), a.beta1(), a.beta2());
        boolean fixture = a.fixture() != null;
        if (!fixture) {
            long params = model.parameters().stream().mapToLong(Tensor::numel).sum();
            out.printf(Locale.ROOT, "%d characters, vocabulary %d, %d parameters, jtorch%n", data.length, vocab.size(), params);
        }
        History history = new History(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        Tensor[] batch = getBatch(train, a.blockSize(), a.batchSize());
        long t0 = System.nanoTime(), intervalStart = t0;
        EpochProgress progress = null;
        for (int iter = 0; ; iter++) {
            double lr = learningRate(a, iter);
            for (Optimizer.ParamGroup<AdamW.Options> g : optimizer.paramGroups()) g.options().lr(lr);
            if (iter % a.evalInterval() == 0) {
                if (progress != null) progress.finish();
                double[] losses = estimateLoss(model, train, val, a);
                long now = System.nanoTime();
                if (!fixture) {
                    out.printf(Locale.ROOT, "step %d: train loss %.4f, val loss %.4f, %.2f s%n", iter, losses[0], losses[1],
                            (now - intervalStart) / 1e9);
                    history.evalSteps().add(iter);
                    history.evalTrain().add(losses[0]);
                    history.evalVal().add(losses[1]);
                    history.evalSeconds().add((now - intervalStart) / 1e9);
                    int len = Math.min(a.evalInterval(), a.maxIters() - iter);
                    progress = len > 0 ? new EpochProgress(String.format(Locale.ROOT, "iters %d-%d", iter, iter + len - 1), len, "tok",
                            terminal, out) : null;
                }
                intervalStart = now;
            }
            Tensor loss = model.forward(batch[0], batch[1]).loss();
            batch = getBatch(train, a.blockSize(), a.batchSize());   // prefetch, as nanoGPT does: before backward
            loss.backward();
            if (a.gradClip() != 0.0) ClipGrad.clipGradNorm_(model.parameters(), a.gradClip());
            optimizer.step();
            optimizer.zeroGrad();
            double lossF = loss.item();
            history.trainLoss().add(lossF);
            if (fixture) {
                out.println(Double.toString(lossF));
                if (iter + 1 >= a.fixture()) return history;
            } else {
                if (progress != null) {
                    int done = iter % a.evalInterval() + 1;
                    progress.update(done, mean(history.trainLoss(), done), (long) done * a.batchSize() * a.blockSize());
                }
                if (iter % a.logInterval() == 0 && !terminal) out.printf(Locale.ROOT, "iter %d: loss %.4f, lr %.6f%n", iter, lossF, lr);
            }
            if (iter + 1 > a.maxIters()) break;
        }
        if (progress != null) progress.finish();
        out.printf(Locale.ROOT, "training: %.2f s%n", (System.nanoTime() - t0) / 1e9);

        model.eval();
        long[] start = vocab.encode(new String(Character.toChars(java.util.Arrays.binarySearch(vocab.itos(), '\n') >= 0 ? '\n' : vocab.itos()[0])));
        for (int s = 0; s < a.numSamples(); s++) {
            Tensor y = model.generate(tensor(new long[][] {start}), a.maxNewTokens(), a.temperature(), a.topK() > 0 ? a.topK() : null);
            out.println(vocab.decode(y.select(0, 0).toLongArray()));
            out.println("---------------");
        }
        List<Double> steps = new ArrayList<>();
        for (int i = 0; i < history.trainLoss().size(); i++) steps.add((double) i);
        List<Double> evalSteps = history.evalSteps().stream().map(Integer::doubleValue).toList();
        Path png = LossCurve.write(a.plot(), "character-level GPT on " + a.data(), steps, history.trainLoss(), evalSteps, history.evalVal());
        out.println("loss curve written to " + png);
        return history;
    }

    /** The mean of the last {@code k} entries. */
    private static double mean(List<Double> xs, int k) {
        double s = 0;
        for (int i = xs.size() - k; i < xs.size(); i++) s += xs.get(i);
        return s / k;
    }

    /** nanoGPT's {@code estimate_loss}: the mean loss of {@code evalIters} random batches of each split, in eval mode. */
    static double[] estimateLoss(Gpt model, long[] train, long[] val, Args a) {
        double[] out = new double[2];
        model.eval();
        try (var g = noGrad()) {
            long[][] splits = {train, val};
            for (int s = 0; s < 2; s++) {
                Tensor losses = zeros(a.evalIters());
                for (int k = 0; k < a.evalIters(); k++) {
                    Tensor[] b = getBatch(splits[s], a.blockSize(), a.batchSize());
                    losses.index(k).fill_(model.forward(b[0], b[1]).loss().item());
                }
                out[s] = losses.mean().item();
            }
        }
        model.train();
        return out;
    }

    public static void main(String[] argv) throws IOException {
        CommandLine.run("CharGpt", "[--data DIR|FILE] [--batch-size N] [--block-size N] [--n-layer N] [--n-head N] [--n-embd N]"
                + " [--dropout P] [--learning-rate LR] [--max-iters N] [--eval-interval N] [--eval-iters N] [--log-interval N]"
                + " [--weight-decay W] [--beta1 B] [--beta2 B] [--grad-clip C] [--warmup-iters N] [--min-lr LR] [--seed S]"
                + " [--num-samples N] [--max-new-tokens N] [--temperature T] [--top-k K] [--plot FILE.png] [--fixture N]",
                argv, Args::parse, args -> run(args, System.console() != null, System.out), List.of(java.io.FileNotFoundException.class));
    }
}
