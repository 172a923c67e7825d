package jtorch.examples.wordlm;

import static jtorch.Torch.load;
import static jtorch.Torch.manualSeed;
import static jtorch.Torch.noGrad;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import jtorch.Tensor;
import jtorch.Torch;
import jtorch.examples.CommandLine;
import jtorch.examples.text.TextFiles;
import jtorch.nn.Module;

/**
 * pytorch/examples {@code word_language_model/generate.py}: loads the model {@link WordLanguageModel}
 * saved ({@code --checkpoint}, a state dict: give the same {@code --model}, {@code --emsize},
 * {@code --nhid}, {@code --nlayers}, {@code --nhead}, {@code --tied} as the training run), starts from
 * a random word and samples {@code --words} words, each from the model's distribution sharpened by
 * {@code --temperature} ({@code multinomial(exp(logp / T), 1)}), 20 a line, into {@code --outf}.
 * As the script, the Transformer is run on the whole text so far without the causal mask.
 * {@code tools/word_lm_torch.py generate} is the PyTorch twin.
 *
 * <pre>
 * mvn -q -B -pl examples exec:java@word-lm-generate -Dexec.args="--model LSTM --words 100 --temperature 0.8"
 * </pre>
 *
 * Options (defaults): {@code --data} (as training), {@code --checkpoint} ({@code model.safetensors};
 * a {@code torch.save(model.state_dict())} file loads too), {@code --outf} ({@code generated.txt}),
 * {@code --words} 1000, {@code --seed} 1111, {@code --temperature} 1.0 (at least 1e-3),
 * {@code --log-interval} 100, and the model's options as {@link WordLanguageModel}'s.
 */
public final class Generate {
    private Generate() {}

    /** The command line. */
    public record Args(Path data, String model, int emsize, int nhid, int nlayers, boolean tied, int nhead, Path checkpoint, Path outf,
                       int words, long seed, double temperature, int logInterval) {
        /**
         * Parses the script's options.
         *
         * @throws IllegalArgumentException for an unknown option, a missing or malformed value, a temperature below 1e-3
         */
        public static Args parse(String... args) {
            var o = CommandLine.Options.parse(args, new String[][] {{"data", TextFiles.DEFAULT_ROOT.toString()}, {"model", "LSTM"},
                    {"emsize", "200"}, {"nhid", "200"}, {"nlayers", "2"}, {"nhead", "2"}, {"checkpoint", "model.safetensors"},
                    {"outf", "generated.txt"}, {"words", "1000"}, {"seed", "1111"}, {"temperature", "1.0"}, {"log-interval", "100"}},
                    "tied");
            double temperature = o.real("temperature");
            if (!(temperature >= 1e-3)) throw new IllegalArgumentException("--temperature has to be greater or equal 1e-3.");
            return new Args(Path.of(o.get("data")), o.choice("model", WordLanguageModel.MODEL_TYPES), o.positive("emsize"), o.positive("nhid"),
                    o.positive("nlayers"), o.isSet("tied"), o.positive("nhead"), Path.of(o.get("checkpoint")), Path.of(o.get("outf")),
                    o.positive("words"), o.longInteger("seed"), temperature, o.positive("log-interval"));
        }
    }

    /** Generates as configured, writing the words to {@code --outf} and the progress to {@code out}; returns the text written. */
    public static String run(Args a, PrintStream out) throws IOException {
        // Set the random seed manually for reproducibility.
        manualSeed(a.seed());
        Corpus corpus = new Corpus(a.data());
        long ntokens = corpus.dictionary.size();
        Module model = a.model().equals("Transformer")
                ? new TransformerModel(ntokens, a.emsize(), a.nhead(), a.nhid(), a.nlayers(), 0.0)
                : new RNNModel(a.model(), ntokens, a.emsize(), a.nhid(), a.nlayers(), 0.0, a.tied());
        model.loadStateDict(load(a.checkpoint()));
        model.eval();
        // the model's construction drew from the generator, which torch.load(model) does not: start the stream again
        manualSeed(a.seed());
        boolean transformer = model instanceof TransformerModel;
        Tensor[] hidden = transformer ? null : ((RNNModel) model).initHidden(1);
        Tensor input = Torch.randint(ntokens, new long[] {1, 1});
        StringBuilder text = new StringBuilder();
        try (var g = noGrad()) {
            for (int i = 0; i < a.words(); i++) {
                long wordIdx;
                if (transformer) {
                    Tensor output = ((TransformerModel) model).forward(input, false);
                    Tensor wordWeights = output.select(0, output.size(0) - 1).squeeze().div(a.temperature()).exp();
                    wordIdx = Torch.multinomial(wordWeights, 1).itemLong();
                    input = Torch.cat(input, Torch.tensor(new long[][] {{wordIdx}}));
                } else {
                    RNNModel.Output r = ((RNNModel) model).forward(input, hidden);
                    hidden = r.hidden();
                    Tensor wordWeights = r.logProbs().squeeze().div(a.temperature()).exp();
                    wordIdx = Torch.multinomial(wordWeights, 1).itemLong();
                    input.fill_(wordIdx);
                }
                text.append(corpus.dictionary.idx2word.get((int) wordIdx)).append(i % 20 == 19 ? '\n' : ' ');
                if (i % a.logInterval() == 0) out.printf("| Generated %d/%d words%n", i, a.words());
            }
        }
        Files.writeString(a.outf(), text, StandardCharsets.UTF_8);
        return text.toString();
    }

    public static void main(String[] argv) throws IOException {
        CommandLine.run("Generate", "[--data DIR|FILE] [--model LSTM|GRU|RNN_TANH|RNN_RELU|Transformer] [--emsize N] [--nhid N]"
                + " [--nlayers N] [--nhead N] [--tied] [--checkpoint FILE] [--outf FILE] [--words N] [--seed S] [--temperature T]"
                + " [--log-interval N]",
                argv, Args::parse, args -> run(args, System.out),
                List.of(java.io.FileNotFoundException.class, java.nio.file.NoSuchFileException.class, IllegalArgumentException.class));
    }
}
