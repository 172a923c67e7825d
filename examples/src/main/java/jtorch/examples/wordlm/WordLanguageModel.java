package jtorch.examples.wordlm;

import static jtorch.Torch.load;
import static jtorch.Torch.manualSeed;
import static jtorch.Torch.noGrad;
import static jtorch.Torch.save;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import jtorch.Tensor;
import jtorch.examples.lenet.EpochProgress;
import jtorch.examples.text.LossCurve;
import jtorch.examples.CommandLine;
import jtorch.examples.text.TextFiles;
import jtorch.nn.Module;
import jtorch.nn.NLLLoss;
import jtorch.nn.Parameter;
import jtorch.nn.utils.ClipGrad;

/**
 * pytorch/examples {@code word_language_model/main.py}, ported line by line: a word-level language
 * model ({@link RNNModel} with an LSTM, GRU or RNN, or {@link TransformerModel}) trained by truncated
 * backpropagation through time with plain SGD ({@code p.data.add_(p.grad, alpha=-lr)}) after
 * {@code clip_grad_norm_}, the learning rate divided by 4 whenever the validation loss does not
 * improve, the best model saved ({@code --save}) and reloaded for the test perplexity.
 * {@code tools/word_lm_torch.py} is the PyTorch twin: with the same seed both start from the same
 * weights and draw the same dropout masks, so they print the same numbers up to float32 rounding.
 *
 * <pre>
 * mvn -q -B install -DskipTests
 * mvn -q -B -pl examples exec:java@word-lm -Dexec.args="--model LSTM --epochs 6"
 * mvn -q -B -pl examples exec:java@word-lm -Dexec.args="--model Transformer --lr 5 --epochs 6"
 * </pre>
 *
 * Options, as the script's (defaults): {@code --data} ({@code /usr/share/common-licenses}; see
 * {@link Corpus} for how it is split), {@code --model} (LSTM; GRU, RNN_TANH, RNN_RELU, Transformer),
 * {@code --emsize} 200, {@code --nhid} 200, {@code --nlayers} 2, {@code --lr} 20, {@code --clip} 0.25,
 * {@code --epochs} 40, {@code --batch_size} 20, {@code --bptt} 35, {@code --dropout} 0.2,
 * {@code --tied}, {@code --seed} 1111, {@code --log-interval} 200, {@code --save}
 * ({@code model.safetensors}: the best model's state dict), {@code --nhead} 2, {@code --dry-run}; and
 * {@code --resume} (start from the state dict in {@code --save}), {@code --plot FILE}
 * ({@code word-lm-MODEL.png}), {@code --fixture N} (print the first N training losses and stop).
 */
public final class WordLanguageModel {
    private WordLanguageModel() {}

    /** The {@code --model} choices, in main.py's order. */
    static final String[] MODEL_TYPES = {"RNN_TANH", "RNN_RELU", "LSTM", "GRU", "Transformer"};

    /** The command line. */
    public record Args(Path data, String model, int emsize, int nhid, int nlayers, double lr, double clip, int epochs, int batchSize,
                       int bptt, double dropout, boolean tied, long seed, int logInterval, Path save, int nhead, boolean dryRun,
                       boolean resume, Path plot, Integer fixture) {
        /**
         * Parses the script's options.
         *
         * @throws IllegalArgumentException for an unknown option, a missing or malformed value
         */
        public static Args parse(String... args) {
            var o = CommandLine.Options.parse(args, new String[][] {{"data", TextFiles.DEFAULT_ROOT.toString()}, {"model", "LSTM"},
                    {"emsize", "200"}, {"nhid", "200"}, {"nlayers", "2"}, {"lr", "20"}, {"clip", "0.25"}, {"epochs", "40"},
                    {"batch_size", "20"}, {"bptt", "35"}, {"dropout", "0.2"}, {"seed", "1111"}, {"log-interval", "200"},
                    {"save", "model.safetensors"}, {"nhead", "2"}, {"plot", null}, {"fixture", null}}, "tied", "dry-run", "resume");
            String model = o.choice("model", MODEL_TYPES);
            return new Args(Path.of(o.get("data")), model, o.positive("emsize"), o.positive("nhid"), o.positive("nlayers"), o.real("lr"),
                    o.real("clip"), o.integer("epochs"), o.positive("batch_size"), o.positive("bptt"), o.real("dropout"), o.isSet("tied"),
                    o.longInteger("seed"), o.positive("log-interval"), Path.of(o.get("save")), o.positive("nhead"), o.isSet("dry-run"),
                    o.isSet("resume"), Path.of(o.get("plot") != null ? o.get("plot") : "word-lm-" + model + ".png"),
                    o.get("fixture") == null ? null : o.positive("fixture"));
        }
    }

    /** What a run measured: every training loss, and per epoch the validation loss and seconds; the test loss. */
    public record History(List<Double> trainLoss, List<Double> validLoss, List<Double> epochSeconds, double testLoss) {}

    /**
     * {@code batchify}: the sequence cut to a multiple of {@code bsz} and laid out as {@code bsz}
     * columns, {@code (n / bsz, bsz)}; the model treats the columns as independent.
     */
    public static Tensor batchify(Tensor data, long bsz) {
        long nbatch = data.size(0) / bsz;                 // how cleanly the data divides into bsz parts
        data = data.narrow(0, 0, nbatch * bsz);           // trim what would not fit
        return data.view(bsz, -1).t().contiguous();       // evenly divide the data across the bsz batches
    }

    /** {@code get_batch(source, i)}: rows {@code i .. i+seq_len-1} and, flattened, the rows after them (the targets). */
    static Tensor[] getBatch(Tensor source, long i, int bptt) {
        long seqLen = Math.min(bptt, source.size(0) - 1 - i);
        Tensor data = source.narrow(0, i, seqLen);
        Tensor target = source.narrow(0, i + 1, seqLen).reshape(-1);
        return new Tensor[] {data, target};
    }

    /** The model the options name ({@code model.TransformerModel} or {@code model.RNNModel}). */
    static Module buildModel(Args a, long ntokens) {
        if (a.model().equals("Transformer")) return new TransformerModel(ntokens, a.emsize(), a.nhead(), a.nhid(), a.nlayers(), a.dropout());
        return new RNNModel(a.model(), ntokens, a.emsize(), a.nhid(), a.nlayers(), a.dropout(), a.tied());
    }

    /** Runs the script as configured, printing to {@code out}; returns the losses. */
    public static History run(Args a, boolean terminal, PrintStream out) throws IOException {
        // Set the random seed manually for reproducibility.
        manualSeed(a.seed());
        Corpus corpus = new Corpus(a.data());
        int evalBatchSize = 10;
        Tensor trainData = batchify(corpus.train, a.batchSize());
        Tensor valData = batchify(corpus.valid, evalBatchSize);
        Tensor testData = batchify(corpus.test, evalBatchSize);
        for (Tensor t : new Tensor[] {trainData, valData, testData})
            if (t.size(0) < 2) throw new IllegalArgumentException("the corpus is too small for the batch size: a split has " + t.size(0) + " rows");

        long ntokens = corpus.dictionary.size();
        Module model = buildModel(a, ntokens);
        if (a.resume()) model.loadStateDict(load(a.save()));
        NLLLoss criterion = new NLLLoss();
        boolean fixture = a.fixture() != null;
        if (!fixture) {
            long params = model.parameters().stream().mapToLong(Tensor::numel).sum();
            out.printf(Locale.ROOT, "%d words of training, %d of validation, %d of test text; vocabulary %d; %d parameters; jtorch%n",
                    corpus.train.size(0), corpus.valid.size(0), corpus.test.size(0), ntokens, params);
        }
        var trainer = new Trainer(a, model, criterion, ntokens, trainData, terminal, out);
        List<Double> validLoss = new ArrayList<>(), epochSeconds = new ArrayList<>();
        Double bestValLoss = null;
        for (int epoch = 1; epoch <= a.epochs(); epoch++) {
            long epochStart = System.nanoTime();
            if (!trainer.train(epoch)) return new History(trainer.losses, validLoss, epochSeconds, Double.NaN);   // --fixture: done
            double valLoss = evaluate(a, model, criterion, ntokens, valData, evalBatchSize);
            double seconds = (System.nanoTime() - epochStart) / 1e9;
            validLoss.add(valLoss);
            epochSeconds.add(seconds);
            out.println("-".repeat(89));
            out.printf(Locale.ROOT, "| end of epoch %3d | time: %5.2fs | valid loss %5.2f | valid ppl %8.2f%n", epoch, seconds, valLoss,
                    Math.exp(valLoss));
            out.println("-".repeat(89));
            // Save the model if the validation loss is the best we've seen so far.
            if (bestValLoss == null || valLoss < bestValLoss) {
                save(model.stateDict(), a.save());
                bestValLoss = valLoss;
            } else {
                // Anneal the learning rate if no improvement has been seen in the validation dataset.
                trainer.lr /= 4.0;
            }
        }
        // Load the best saved model.
        if (Files.exists(a.save())) model.loadStateDict(load(a.save()));
        // Run on test data.
        double testLoss = evaluate(a, model, criterion, ntokens, testData, evalBatchSize);
        out.println("=".repeat(89));
        out.printf(Locale.ROOT, "| End of training | test loss %5.2f | test ppl %8.2f%n", testLoss, Math.exp(testLoss));
        out.println("=".repeat(89));
        List<Double> steps = new ArrayList<>(), epochEnds = new ArrayList<>();
        for (int i = 0; i < trainer.losses.size(); i++) steps.add((double) (i + 1));
        for (int e = 1; e <= validLoss.size(); e++) epochEnds.add((double) trainer.losses.size() * e / validLoss.size());
        Path png = LossCurve.write(a.plot(), "word language model (" + a.model() + ") on " + a.data(), steps, trainer.losses, epochEnds,
                validLoss);
        out.println("loss curve written to " + png);
        return new History(trainer.losses, validLoss, epochSeconds, testLoss);
    }

    /** The script's {@code train()} with its state ({@code lr}, the losses so far). */
    static final class Trainer {
        final Args a;
        final Module model;
        final NLLLoss criterion;
        final long ntokens;
        final Tensor trainData;
        final boolean terminal;
        final PrintStream out;
        final List<Double> losses = new ArrayList<>();
        double lr;

        Trainer(Args a, Module model, NLLLoss criterion, long ntokens, Tensor trainData, boolean terminal, PrintStream out) {
            this.a = a;
            this.model = model;
            this.criterion = criterion;
            this.ntokens = ntokens;
            this.trainData = trainData;
            this.terminal = terminal;
            this.out = out;
            this.lr = a.lr();
        }

        /** One epoch; false when {@code --fixture} has its losses and the run stops. */
        boolean train(int epoch) {
            // Turn on training mode which enables dropout.
            model.train();
            double totalLoss = 0;
            long startTime = System.nanoTime();
            boolean transformer = model instanceof TransformerModel;
            Tensor[] hidden = transformer ? null : ((RNNModel) model).initHidden(a.batchSize());
            int batches = (int) ((trainData.size(0) - 2) / a.bptt() + 1);
            var progress = a.fixture() == null ? new EpochProgress("epoch " + epoch, batches, "tok", terminal, out) : null;
            double epochLoss = 0;
            long tokens = 0;
            int batch = 0;
            for (long i = 0; i < trainData.size(0) - 1; i += a.bptt(), batch++) {
                Tensor[] b = getBatch(trainData, i, a.bptt());
                Tensor data = b[0], targets = b[1];
                // Starting each batch, we detach the hidden state from how it was previously produced.
                // If we didn't, the model would try backpropagating all the way to start of the dataset.
                model.zeroGrad();
                Tensor output;
                if (transformer) {
                    output = model.forward(data).view(-1, ntokens);
                } else {
                    hidden = RNNModel.repackageHidden(hidden);
                    RNNModel.Output r = ((RNNModel) model).forward(data, hidden);
                    output = r.logProbs();
                    hidden = r.hidden();
                }
                Tensor loss = criterion.forward(output, targets);
                loss.backward();

                // `clip_grad_norm` helps prevent the exploding gradient problem in RNNs / LSTMs.
                ClipGrad.clipGradNorm_(model.parameters(), a.clip());
                try (var g = noGrad()) {
                    for (Parameter p : model.parameters()) p.data().add_(p.grad(), -lr);
                }

                double l = loss.item();
                totalLoss += l;
                losses.add(l);
                if (a.fixture() != null) {
                    out.println(Double.toString(l));
                    if (losses.size() >= a.fixture()) return false;
                    continue;
                }
                epochLoss += l;
                tokens += targets.numel();
                progress.update(batch + 1, epochLoss / (batch + 1), tokens);
                if (batch % a.logInterval() == 0 && batch > 0) {
                    double curLoss = totalLoss / a.logInterval();
                    double elapsed = (System.nanoTime() - startTime) / 1e9;
                    if (terminal) progress.finish();
                    out.printf(Locale.ROOT, "| epoch %3d | %5d/%5d batches | lr %02.2f | ms/batch %5.2f | loss %5.2f | ppl %8.2f%n", epoch,
                            batch, trainData.size(0) / a.bptt(), lr, elapsed * 1000 / a.logInterval(), curLoss, Math.exp(curLoss));
                    totalLoss = 0;
                    startTime = System.nanoTime();
                }
                if (a.dryRun()) break;
            }
            if (progress != null) progress.finish();
            return true;
        }
    }

    /** {@code evaluate(data_source)}: the mean loss per target over the split, in eval mode, without grad. */
    static double evaluate(Args a, Module model, NLLLoss criterion, long ntokens, Tensor dataSource, int evalBatchSize) {
        // Turn on evaluation mode which disables dropout.
        model.eval();
        double totalLoss = 0;
        boolean transformer = model instanceof TransformerModel;
        Tensor[] hidden = transformer ? null : ((RNNModel) model).initHidden(evalBatchSize);
        try (var g = noGrad()) {
            for (long i = 0; i < dataSource.size(0) - 1; i += a.bptt()) {
                Tensor[] b = getBatch(dataSource, i, a.bptt());
                Tensor output;
                if (transformer) {
                    output = model.forward(b[0]).view(-1, ntokens);
                } else {
                    RNNModel.Output r = ((RNNModel) model).forward(b[0], hidden);
                    output = r.logProbs();
                    hidden = RNNModel.repackageHidden(r.hidden());
                }
                totalLoss += b[0].size(0) * criterion.forward(output, b[1]).item();
            }
        }
        return totalLoss / (dataSource.size(0) - 1);
    }

    public static void main(String[] argv) throws IOException {
        CommandLine.run("WordLanguageModel", "[--data DIR|FILE] [--model LSTM|GRU|RNN_TANH|RNN_RELU|Transformer] [--emsize N]"
                + " [--nhid N] [--nlayers N] [--lr LR] [--clip C] [--epochs N] [--batch_size N] [--bptt N] [--dropout P] [--tied]"
                + " [--seed S] [--log-interval N] [--save FILE] [--nhead N] [--dry-run] [--resume] [--plot FILE.png] [--fixture N]",
                argv, Args::parse, args -> run(args, System.console() != null, System.out),
                List.of(java.io.FileNotFoundException.class, java.nio.file.NoSuchFileException.class, IllegalArgumentException.class));
    }
}
