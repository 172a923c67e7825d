package jtorch.examples.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
 * The character-level GPT against its PyTorch twin: the first 50 training losses of
 * {@code tools/char_gpt.py --fixture 50} (the command is in its docstring; {@code char_gpt_torch.txt})
 * on the committed copy of the GPL-3 text, at small sizes (2 layers, 2 heads, n_embd 32, block 16,
 * batch 4, dropout 0.1).
 *
 * <p>Same seed, so the same initial weights, batches and dropout masks: the losses differ by float32
 * rounding only (the libraries sum GEMM products and reductions in different orders, and AdamW
 * carries that into the next steps). Measured: 1.2e-7 relative at most over the 50 steps (one
 * float32 ulp); the bound is 1e-5 relative, loose enough for another order of summation (PyTorch's
 * thread count, another CPU) and tight enough that any wrong weight, batch, mask, learning rate or
 * weight-decay group shows (they move the losses by 1e-3 or more within a few steps).
 */
class CharGptTest {

    static final Path TEXT = Path.of("src/test/resources/jtorch/examples/text");
    static final String[] SMALL = {"--data", TEXT.toString(), "--batch-size", "4", "--block-size", "16", "--n-layer", "2",
            "--n-head", "2", "--n-embd", "32", "--eval-iters", "2"};

    @TempDir
    Path tmp;

    static double[] torchLosses() throws IOException {
        try (InputStream in = CharGptTest.class.getResourceAsStream("/jtorch/examples/char_gpt_torch.txt")) {
            assertNotNull(in, "char_gpt_torch.txt is missing; see tools/char_gpt.py");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().mapToDouble(Double::parseDouble).toArray();
        }
    }

    static String[] with(String[] base, String... more) {
        String[] out = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, out, base.length, more.length);
        return out;
    }

    @Test
    void first50LossesAreThePyTorchTwins() throws IOException {
        assertTrue(Files.isDirectory(TEXT), "run from the examples module: " + TEXT.toAbsolutePath());
        double[] theirs = torchLosses();
        assertEquals(50, theirs.length);
        var buffer = new ByteArrayOutputStream();
        var history = CharGpt.run(CharGpt.Args.parse(with(SMALL, "--fixture", "50")), false,
                new PrintStream(buffer, true, StandardCharsets.UTF_8));
        List<Double> ours = history.trainLoss();
        assertEquals(50, ours.size());
        for (int i = 0; i < 50; i++)
            assertEquals(theirs[i], ours.get(i), 1e-5 * Math.abs(theirs[i]), "loss of step " + i);
        assertTrue(theirs[49] < theirs[0] - 0.3, "the fixture must show learning");
        // the printed lines are the losses, as the twin prints them
        assertEquals(50, buffer.toString(StandardCharsets.UTF_8).lines().count());
    }

    @Test
    void trainsEvaluatesSamplesAndPlots() throws IOException {
        Path png = tmp.resolve("curve.png");
        var buffer = new ByteArrayOutputStream();
        var history = CharGpt.run(CharGpt.Args.parse(with(SMALL, "--max-iters", "4", "--eval-interval", "2", "--log-interval", "1",
                "--max-new-tokens", "12", "--plot", png.toString())), false, new PrintStream(buffer, true, StandardCharsets.UTF_8));
        String out = buffer.toString(StandardCharsets.UTF_8);
        assertEquals(5, history.trainLoss().size());            // iterations 0..max_iters, as nanoGPT's loop
        assertEquals(List.of(0, 2, 4), history.evalSteps());
        assertTrue(out.contains("step 2: train loss "), out);
        assertTrue(out.contains("iter 3: loss "), out);
        String sample = out.substring(out.indexOf("training: "));
        sample = sample.substring(sample.indexOf('\n') + 1, sample.indexOf("---------------"));
        assertEquals(13, sample.codePointCount(0, sample.length()) - 1, "the start token and 12 new characters: " + sample);
        assertTrue(Files.size(png) > 1000);
    }

    @Test
    void modelHasNanoGptsNamesInitAndTiedHead() {
        Torch.manualSeed(0);
        var model = new Gpt(new Gpt.Config(10, 8, 2, 2, 8, 0.0, true));
        var sd = model.stateDict();
        assertTrue(sd.containsKey("transformer.wte.weight") && sd.containsKey("lm_head.weight"));
        assertTrue(sd.containsKey("transformer.h.1.attn.c_attn.weight") && sd.containsKey("transformer.h.0.attn.bias"));
        assertTrue(model.lmHead.weight == model.wte.weight, "lm_head and wte share one parameter");
        // listed once: 10*8 + 8*8 (wpe) + per block (2*2*8 ln + 8*24+24 + 8*8+8 + 8*32+32 + 32*8+8) + 2*8 ln_f
        long expected = 80 + 64 + 2 * (32 + 216 + 72 + 288 + 264) + 16;
        assertEquals(expected, model.parameters().stream().mapToLong(Tensor::numel).sum());
        assertEquals(0.0, model.h.get(0).getParameter("attn.c_attn.bias").abs().sum().item());
        // c_proj weights are N(0, 0.02 / sqrt(2 n_layer)): their std is about half of c_fc's here
        double proj = ((Gpt.Block) model.h.get(0)).mlp.cProj.weight.std().item();
        double fc = ((Gpt.Block) model.h.get(0)).mlp.cFc.weight.std().item();
        assertTrue(proj < 0.7 * fc && proj > 0.3 * fc, proj + " vs " + fc);
        var opt = model.configureOptimizers(0.1, 1e-3, 0.9, 0.95);
        assertEquals(2, opt.paramGroups().size());
        assertEquals(0.1, opt.paramGroups().get(0).options().weightDecay());
        assertEquals(0.0, opt.paramGroups().get(1).options().weightDecay());
        assertTrue(opt.paramGroups().get(0).params().stream().allMatch(p -> p.dim() >= 2));
        assertTrue(opt.paramGroups().get(1).params().stream().allMatch(p -> p.dim() < 2));
    }

    @Test
    void causalAttentionDoesNotSeeTheFuture() {
        Torch.manualSeed(1);
        var model = new Gpt(new Gpt.Config(10, 8, 1, 2, 8, 0.0, true));
        model.eval();
        Tensor a = Torch.tensor(new long[][] {{1, 2, 3, 4, 5}}), b = Torch.tensor(new long[][] {{1, 2, 3, 9, 0}});
        Tensor la = model.forward(a, a).logits(), lb = model.forward(b, b).logits();
        assertEquals(0.0, la.narrow(1, 0, 3).sub(lb.narrow(1, 0, 3)).abs().max().item());
        assertTrue(la.narrow(1, 3, 1).sub(lb.narrow(1, 3, 1)).abs().max().item() > 0);
    }

    @Test
    void badInputIsReported() {
        assertThrows(IllegalArgumentException.class, () -> CharGpt.Args.parse("--n-embd"));
        assertThrows(IllegalArgumentException.class, () -> CharGpt.Args.parse("--bogus", "1"));
        assertThrows(IllegalArgumentException.class, () -> CharGpt.Args.parse("--top-k", "many"));
        var e = assertThrows(IllegalArgumentException.class, () -> new Gpt.Config(10, 8, 1, 3, 8, 0.0, true));
        assertTrue(e.getMessage().contains("divisible"), e.getMessage());
        Torch.manualSeed(0);
        var model = new Gpt(new Gpt.Config(10, 4, 1, 1, 4, 0.0, true));
        var tooLong = assertThrows(IllegalArgumentException.class, () -> model.forward(Torch.zeros(new long[] {1, 5}, jtorch.DType.INT64)));
        assertTrue(tooLong.getMessage().contains("block_size 4"), tooLong.getMessage());
        assertThrows(java.io.FileNotFoundException.class,
                () -> CharGpt.run(CharGpt.Args.parse("--data", "/nonexistent/text"), false, new PrintStream(new ByteArrayOutputStream())));
    }
}
