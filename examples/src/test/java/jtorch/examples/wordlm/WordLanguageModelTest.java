package jtorch.examples.wordlm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jtorch.Tensor;
import jtorch.Torch;

/**
 * The word language model against its PyTorch twin {@code tools/word_lm_torch.py} (the commands are
 * in its docstring), on the committed copy of the GPL-3 text split 80/10/10 by lines, at small
 * sizes (batch 4, bptt 8, emsize = nhid = 16, 2 layers, dropout 0.2, seed 1111):
 * <ul>
 * <li>the first 50 training losses of {@code --model LSTM} (lr 20) and {@code --model Transformer}
 *     (2 heads, lr 5): same seed, so the same initial weights, batches and dropout masks; they differ
 *     by float32 rounding only (other orders of summation in GEMMs and reductions, carried through
 *     the SGD steps). Measured, largest relative difference over the 50 steps: LSTM 3.1e-7,
 *     Transformer 3.8e-6 (within the bound on the native, vector and scalar kernel providers too,
 *     {@code -Djtorch.kernels=...}). The bound, 2e-5 relative, leaves room for another summation order
 *     (thread count, CPU) and is far below what a wrong weight, batch, mask, clip or learning rate
 *     moves (1e-3 or more within a few steps);</li>
 * <li>generation ({@code generate.py}) from a state dict written by PyTorch's {@code torch.save}:
 *     the same 40 words, which needs the same weights, the same {@code randint} start and the same
 *     {@code multinomial} draws.</li>
 * </ul>
 */
class WordLanguageModelTest {

    static final Path TEXT = Path.of("src/test/resources/jtorch/examples/text");
    static final Path RESOURCES = Path.of("src/test/resources/jtorch/examples");
    static final String[] SMALL = {"--data", TEXT.toString(), "--batch_size", "4", "--bptt", "8", "--emsize", "16", "--nhid", "16"};

    @TempDir
    Path tmp;

    static String resource(String name) throws IOException {
        try (InputStream in = WordLanguageModelTest.class.getResourceAsStream("/jtorch/examples/" + name)) {
            assertNotNull(in, name + " is missing; see tools/word_lm_torch.py");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static String[] with(String[] base, String... more) {
        String[] out = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, out, base.length, more.length);
        return out;
    }

    void assertFirst50LossesAreTheTwins(String model, String... options) throws IOException {
        assertTrue(Files.isDirectory(TEXT), "run from the examples module: " + TEXT.toAbsolutePath());
        double[] theirs = resource("word_lm_torch_" + model + ".txt").lines().mapToDouble(Double::parseDouble).toArray();
        assertEquals(50, theirs.length);
        var buffer = new ByteArrayOutputStream();
        String[] args = with(with(SMALL, "--model", model, "--fixture", "50", "--save", tmp.resolve("m.safetensors").toString()), options);
        var history = WordLanguageModel.run(WordLanguageModel.Args.parse(args), false, new PrintStream(buffer, true, StandardCharsets.UTF_8));
        List<Double> ours = history.trainLoss();
        assertEquals(50, ours.size());
        for (int i = 0; i < 50; i++) assertEquals(theirs[i], ours.get(i), 2e-5 * Math.abs(theirs[i]), model + " loss of step " + i);
        assertTrue(theirs[49] < theirs[0] - 0.8, "the fixture must show learning");
        // the printed lines are the losses, as the twin prints them
        assertEquals(50, buffer.toString(StandardCharsets.UTF_8).lines().count());
    }

    @Test
    void lstmFirst50LossesAreThePyTorchTwins() throws IOException { assertFirst50LossesAreTheTwins("LSTM"); }

    @Test
    void transformerFirst50LossesAreThePyTorchTwins() throws IOException {
        assertFirst50LossesAreTheTwins("Transformer", "--nhead", "2", "--lr", "5");
    }

    void assertGeneratesTheTwinsWords(String model, String checkpoint, String... options) throws IOException {
        Path outf = tmp.resolve("generated.txt");
        String[] args = with(new String[] {"--data", TEXT.toString(), "--model", model, "--emsize", "8", "--nhid", "8",
                "--checkpoint", RESOURCES.resolve(checkpoint).toString(), "--words", "40", "--log-interval", "20", "--outf", outf.toString()},
                options);
        var buffer = new ByteArrayOutputStream();
        String text = Generate.run(Generate.Args.parse(args), new PrintStream(buffer, true, StandardCharsets.UTF_8));
        assertEquals(resource("word_lm_generated_" + model + ".txt"), text);
        assertEquals(text, Files.readString(outf));
        assertEquals("| Generated 0/40 words\n| Generated 20/40 words\n", buffer.toString(StandardCharsets.UTF_8).replace("\r", ""));
    }

    @Test
    void lstmGeneratesThePyTorchTwinsWordsFromItsCheckpoint() throws IOException {
        assertGeneratesTheTwinsWords("LSTM", "word_lm_lstm_tiny.pt", "--tied");
    }

    @Test
    void transformerGeneratesThePyTorchTwinsWordsFromItsCheckpoint() throws IOException {
        assertGeneratesTheTwinsWords("Transformer", "word_lm_transformer_tiny.pt", "--nlayers", "1", "--nhead", "2");
    }

    @Test
    void trainsEvaluatesSavesResumesAndPlots() throws IOException {
        Path save = tmp.resolve("model.safetensors"), png = tmp.resolve("curve.png");
        String[] args = with(SMALL, "--model", "GRU", "--epochs", "2", "--dry-run", "--save", save.toString(), "--plot", png.toString());
        var buffer = new ByteArrayOutputStream();
        var history = WordLanguageModel.run(WordLanguageModel.Args.parse(args), false, new PrintStream(buffer, true, StandardCharsets.UTF_8));
        String out = buffer.toString(StandardCharsets.UTF_8);
        assertEquals(2, history.trainLoss().size(), "--dry-run: one batch an epoch");
        assertEquals(2, history.validLoss().size());
        assertTrue(out.contains("| end of epoch   2 |"), out);
        assertTrue(out.contains("| End of training | test loss "), out);
        assertTrue(Double.isFinite(history.testLoss()) && history.testLoss() > 0);
        assertTrue(Files.size(png) > 1000);
        // the best epoch's state dict was saved: resuming starts from it, not from the seed's init
        var fresh = WordLanguageModel.run(WordLanguageModel.Args.parse(with(SMALL, "--model", "GRU", "--fixture", "1", "--save", save.toString())),
                false, new PrintStream(new ByteArrayOutputStream()));
        var resumed = WordLanguageModel.run(WordLanguageModel.Args.parse(with(SMALL, "--model", "GRU", "--fixture", "1", "--resume", "--save",
                save.toString())), false, new PrintStream(new ByteArrayOutputStream()));
        assertNotEquals(fresh.trainLoss().get(0), resumed.trainLoss().get(0));
        var saved = Torch.load(save);
        Torch.manualSeed(0);
        var model = new RNNModel("GRU", saved.get("encoder.weight").size(0), 16, 16, 2, 0.2, false);
        model.loadStateDict(saved);
        assertEquals(model.stateDict().keySet(), saved.keySet());
    }

    @Test
    void corpusSplitsLinesTokenisesWithEosAndBatchifies() throws IOException {
        Path file = tmp.resolve("tiny.txt");
        Files.writeString(file, String.join("\n", "a b", "b  c\u00a0d", "", "e", "a", "f", "g", "h", "i", "j") + "\n");
        var corpus = new Corpus(file);
        // 10 lines: 8 train, 1 valid, 1 test; each line's words and <eos>, the dictionary in order of appearance
        assertEquals(List.of("a", "b", "<eos>", "c", "d", "e", "f", "g", "h", "i", "j"), corpus.dictionary.idx2word);
        assertArrayEquals(new long[] {0, 1, 2, 1, 3, 4, 2, 2, 5, 2, 0, 2, 6, 2, 7, 2, 8, 2}, corpus.train.toLongArray());
        assertArrayEquals(new long[] {9, 2}, corpus.valid.toLongArray());
        assertArrayEquals(new long[] {10, 2}, corpus.test.toLongArray());
        Tensor b = WordLanguageModel.batchify(Torch.arange(26L), 4);
        assertArrayEquals(new long[] {6, 4}, b.shape().toArray());
        assertArrayEquals(new long[] {0, 6, 12, 18}, b.select(0, 0).toLongArray(), "columns are consecutive runs of the text");
        Tensor[] batch = WordLanguageModel.getBatch(b, 3, 35);
        assertArrayEquals(new long[] {2, 4}, batch[0].shape().toArray(), "the last batch is shorter: rows 3 and 4, targets 4 and 5");
        assertArrayEquals(new long[] {4, 10, 16, 22, 5, 11, 17, 23}, batch[1].toLongArray());
    }

    @Test
    void transformerModelIsCausalWithTheScriptsNames() {
        Torch.manualSeed(3);
        var model = new TransformerModel(12, 8, 2, 16, 2, 0.0);
        model.eval();
        var keys = model.stateDict().keySet();
        assertTrue(keys.contains("pos_encoder.pe") && keys.contains("transformer_encoder.layers.1.self_attn.in_proj_weight")
                && keys.contains("encoder.weight") && keys.contains("decoder.bias"), keys.toString());
        Tensor pe = model.posEncoder.pe;
        assertArrayEquals(new long[] {5000, 1, 8}, pe.shape().toArray());
        // pe[pos, 2i] = sin(pos * 10000^(-2i/8)), pe[pos, 2i+1] = cos(...)
        assertEquals(Math.sin(7 * Math.pow(10000, -2.0 / 8)), pe.index(7, 0, 2).item(), 1e-6);
        assertEquals(Math.cos(7 * Math.pow(10000, -4.0 / 8)), pe.index(7, 0, 5).item(), 1e-6);
        Tensor a = Torch.tensor(new long[][] {{1}, {2}, {3}, {4}}), c = Torch.tensor(new long[][] {{1}, {2}, {9}, {0}});
        Tensor la = model.forward(a), lc = model.forward(c);
        assertArrayEquals(new long[] {4, 1, 12}, la.shape().toArray());
        assertEquals(0.0, la.narrow(0, 0, 2).sub(lc.narrow(0, 0, 2)).abs().max().item());
        assertTrue(la.narrow(0, 2, 1).sub(lc.narrow(0, 2, 1)).abs().max().item() > 0);
        // without the mask the first position sees the later words
        assertTrue(model.forward(a, false).narrow(0, 0, 1).sub(model.forward(c, false).narrow(0, 0, 1)).abs().max().item() > 0);
        assertEquals(1.0, la.exp().sum(-1).mean().item(), 1e-5, "log-probabilities");
    }

    @Test
    void badInputIsReported() {
        assertThrows(IllegalArgumentException.class, () -> WordLanguageModel.Args.parse("--bptt"));
        assertThrows(IllegalArgumentException.class, () -> WordLanguageModel.Args.parse("--bogus", "1"));
        var model = assertThrows(IllegalArgumentException.class, () -> WordLanguageModel.Args.parse("--model", "CNN"));
        assertTrue(model.getMessage().contains("invalid choice: 'CNN'"), model.getMessage());
        assertThrows(IllegalArgumentException.class, () -> WordLanguageModel.Args.parse("--batch_size", "0"));
        var tied = assertThrows(IllegalArgumentException.class, () -> new RNNModel("LSTM", 10, 8, 16, 1, 0.0, true));
        assertTrue(tied.getMessage().contains("nhid must be equal to emsize"), tied.getMessage());
        var temperature = assertThrows(IllegalArgumentException.class, () -> Generate.Args.parse("--temperature", "0"));
        assertTrue(temperature.getMessage().contains("1e-3"), temperature.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new TransformerModel(10, 7, 1, 8, 1, 0.0));
        assertThrows(java.io.IOException.class, () -> WordLanguageModel.run(WordLanguageModel.Args.parse("--data", "/nonexistent/text"), false,
                new PrintStream(new ByteArrayOutputStream())));
    }
}
