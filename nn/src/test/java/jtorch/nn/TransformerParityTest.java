package jtorch.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import jtorch.DType;
import jtorch.Tensor;
import jtorch.Torch;

import jtorch.nn.NnFixtures.Case;
import jtorch.nn.NnFixtures.TensorRecord;

/**
 * Runs every case of {@code transformer_fixtures.txt} ({@code tools/gen_transformer_fixtures.py},
 * PyTorch 1.13): the encoder and decoder layers (relu, gelu and a function as activation,
 * normFirst, batchFirst, unbatched, causal / bool / float attention masks, bool and float key
 * padding masks, eval mode, dropout in training with PyTorch's masks), the stacks with a final
 * norm, {@code nn.Transformer}; float32 and float64. Each case loads PyTorch's parameters (or
 * PyTorch's {@code torch.save} checkpoint), runs the forward and the backward of
 * {@code sum(out * gout)}, and compares the output and the gradient of every input and every
 * parameter, within the tolerance the script wrote; the state-dict keys must be PyTorch's, in
 * PyTorch's order. The init cases check that seeded construction gives PyTorch's parameters bit
 * for bit.
 */
class TransformerParityTest {
    private static final NnFixtures.FixtureFile FIXTURES = NnFixtures.readAll("/jtorch/nn/transformer_fixtures.txt");
    private static final List<Case> CASES = FIXTURES.cases();

    @AfterAll static void report() { NnFixtures.printObservedErrors(); }

    static TransformerEncoderLayer.Options layerOptions(Case c) {
        var o = TransformerEncoderLayer.options(c.lng("d_model"), c.lng("nhead")).dimFeedforward(c.lng("dim_feedforward"))
                .dropout(c.dbl("dropout")).layerNormEps(c.dbl("layer_norm_eps")).batchFirst(c.bool("batch_first"))
                .normFirst(c.bool("norm_first"));
        String act = c.str("activation");
        if (act.equals("tanh")) o.activation(Tensor::tanh);
        else o.activation(act);
        return o;
    }

    static Module build(String op, Case c) {
        switch (op) {
            case "encoder_layer": return new TransformerEncoderLayer(layerOptions(c));
            case "decoder_layer": return new TransformerDecoderLayer(layerOptions(c));
            case "encoder":
                return new TransformerEncoder(new TransformerEncoderLayer(layerOptions(c)), (int) c.lng("num_layers"),
                        c.bool("final_norm") ? new LayerNorm(LayerNorm.options(c.lng("d_model")).eps(c.dbl("layer_norm_eps"))) : null);
            case "decoder":
                return new TransformerDecoder(new TransformerDecoderLayer(layerOptions(c)), (int) c.lng("num_layers"),
                        c.bool("final_norm") ? new LayerNorm(LayerNorm.options(c.lng("d_model")).eps(c.dbl("layer_norm_eps"))) : null);
            case "transformer": {
                var o = Transformer.options().dModel(c.lng("d_model")).nhead(c.lng("nhead")).numEncoderLayers((int) c.lng("num_layers"))
                        .numDecoderLayers((int) c.lng("num_decoder_layers")).dimFeedforward(c.lng("dim_feedforward"))
                        .dropout(c.dbl("dropout")).layerNormEps(c.dbl("layer_norm_eps")).batchFirst(c.bool("batch_first"))
                        .normFirst(c.bool("norm_first"));
                String act = c.str("activation");
                if (act.equals("tanh")) o.activation(Tensor::tanh);
                else o.activation(act);
                return new Transformer(o);
            }
            default: throw new IllegalStateException(op);
        }
    }

    static Tensor forward(Module m, String op, Map<String, Tensor> in) {
        switch (op) {
            case "encoder_layer":
                return ((TransformerEncoderLayer) m).forward(in.get("src"), in.get("src_mask"), in.get("src_key_padding_mask"));
            case "decoder_layer":
                return ((TransformerDecoderLayer) m).forward(in.get("tgt"), in.get("memory"), in.get("tgt_mask"), in.get("memory_mask"),
                        in.get("tgt_key_padding_mask"), in.get("memory_key_padding_mask"));
            case "encoder":
                return ((TransformerEncoder) m).forward(in.get("src"), in.get("mask"), in.get("src_key_padding_mask"));
            case "decoder":
                return ((TransformerDecoder) m).forward(in.get("tgt"), in.get("memory"), in.get("tgt_mask"), in.get("memory_mask"),
                        in.get("tgt_key_padding_mask"), in.get("memory_key_padding_mask"));
            case "transformer":
                return ((Transformer) m).forward(in.get("src"), in.get("tgt"), in.get("src_mask"), in.get("tgt_mask"), in.get("memory_mask"),
                        in.get("src_key_padding_mask"), in.get("tgt_key_padding_mask"), in.get("memory_key_padding_mask"));
            default: throw new IllegalStateException(op);
        }
    }

    static Path checkpoint(String name) {
        URL url = TransformerParityTest.class.getResource("/jtorch/nn/checkpoints/" + name);
        assertNotNull(url, "missing fixture " + name + " (run tools/gen_transformer_fixtures.py)");
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void runCase(Case c) throws IOException {
        if (c.op.equals("square_subsequent_mask")) {
            Tensor mask = Transformer.generateSquareSubsequentMask(c.lng("sz"));
            NnFixtures.assertClose(c.name, c.tensors.get(0), mask);
            return;
        }
        if (c.op.startsWith("init_")) {
            Torch.manualSeed(c.lng("init_seed"));
            Module m = build(c.op.substring(5), c);
            Map<String, Tensor> sd = m.stateDict();
            List<String> keys = new ArrayList<>();
            for (TensorRecord r : c.tensors) {
                keys.add(r.arg);
                assertTrue(sd.containsKey(r.arg), c.name + ": no " + r.arg);
                NnFixtures.assertClose(c.name + " " + r.arg, r, sd.get(r.arg));
            }
            assertEquals(keys, new ArrayList<>(sd.keySet()), c.name + ": state-dict keys");
            return;
        }
        Module m = build(c.op, c);
        boolean f64 = c.str("dtype").equals("float64");
        if (f64) m.to(DType.FLOAT64);
        Map<String, Tensor> params = new LinkedHashMap<>();
        for (TensorRecord r : c.tensors) if (r.role.equals("param")) params.put(r.arg, r.tensor());
        if (c.has("checkpoint")) params = Torch.load(checkpoint(c.str("checkpoint")));
        assertEquals(new ArrayList<>(params.keySet()), new ArrayList<>(m.stateDict().keySet()), c.name + ": state-dict keys");
        m.loadStateDict(params);
        m.train(c.bool("train"));
        Map<String, Tensor> in = new LinkedHashMap<>();
        Tensor gout = null;
        for (TensorRecord r : c.tensors) {
            if (r.role.equals("in")) in.put(r.arg, r.tensor());
            if (r.role.equals("ing")) in.put(r.arg, r.tensor().requiresGrad_());
            if (r.role.equals("gout")) gout = r.tensor();
        }
        Torch.manualSeed(c.lng("seed"));
        Tensor out = forward(m, c.op, in);
        out.mul(gout).sum().backward();
        Map<String, Parameter> named = m.namedParameters();
        for (TensorRecord r : c.tensors) {
            if (r.role.equals("out")) NnFixtures.assertClose(c.op + " " + c.name + " out", r, out);
            if (r.role.equals("grad")) {
                Tensor x = in.containsKey(r.arg) ? in.get(r.arg) : named.get(r.arg);
                assertNotNull(x, c.name + ": no input or parameter " + r.arg);
                Tensor g = x.grad() != null ? x.grad() : Torch.zerosLike(x);
                NnFixtures.assertClose(c.op + " " + c.name + " grad " + r.arg, r, g);
            }
        }
    }

    @TestFactory Stream<DynamicTest> everyCaseMatchesPyTorch() {
        assertTrue(CASES.size() > 50, "fixture cases: " + CASES.size());
        return CASES.stream().map(c -> DynamicTest.dynamicTest(c.name, () -> runCase(c)));
    }

    // ------------------------------------------------------------------------------ errors

    /** The Java expression of each recorded PyTorch error (tools/gen_transformer_fixtures.py, error_cases). */
    private static final Map<String, Runnable> BAD = new LinkedHashMap<>();

    private static Tensor r(long... s) { return Torch.randn(s); }

    private static TransformerEncoderLayer enc(String activation) {
        return new TransformerEncoderLayer(TransformerEncoderLayer.options(8, 2).dimFeedforward(4).activation(activation));
    }

    private static TransformerDecoderLayer dec(String activation) {
        return new TransformerDecoderLayer(TransformerDecoderLayer.options(8, 2).dimFeedforward(4).activation(activation));
    }

    private static Transformer tr(boolean batchFirst) {
        return new Transformer(Transformer.options().dModel(8).nhead(2).numEncoderLayers(1).numDecoderLayers(1)
                .dimFeedforward(4).batchFirst(batchFirst));
    }

    private static Tensor zeros(DType dtype, long... shape) { return Torch.zeros(shape, dtype); }

    static {
        BAD.put("err.transformer_batch", () -> tr(false).forward(r(5, 2, 8), r(4, 3, 8)));
        BAD.put("err.transformer_batch_first", () -> tr(true).forward(r(2, 5, 8), r(3, 4, 8)));
        BAD.put("err.transformer_batched_src_unbatched_tgt", () -> tr(false).forward(r(5, 2, 8), r(4, 8)));
        BAD.put("err.transformer_tgt_features", () -> tr(false).forward(r(5, 2, 8), r(4, 2, 6)));
        BAD.put("err.transformer_src_features", () -> tr(false).forward(r(5, 2, 6), r(4, 2, 8)));
        BAD.put("err.transformer_unbatched_src_batched_tgt", () -> tr(false).forward(r(5, 8), r(4, 2, 8)));
        BAD.put("err.transformer_not_divisible", () -> new Transformer(Transformer.options().dModel(8).nhead(3)
                .numEncoderLayers(1).numDecoderLayers(1).dimFeedforward(4)));
        BAD.put("err.transformer_activation", () -> Transformer.options().activation("tanh"));
        BAD.put("err.encoder_layer_activation", () -> enc("sigmoid"));
        BAD.put("err.decoder_layer_activation", () -> dec("Relu"));
        BAD.put("err.encoder_layer_not_divisible", () -> new TransformerEncoderLayer(6, 4));
        BAD.put("err.encoder_layer_src_mask_shape", () -> enc("relu").forward(r(5, 2, 8), Torch.zeros(4, 4), null));
        BAD.put("err.encoder_layer_src_mask_3d_shape", () -> enc("relu").forward(r(5, 2, 8), Torch.zeros(2, 5, 5), null));
        BAD.put("err.encoder_layer_kpm_shape", () -> enc("relu").forward(r(5, 2, 8), null, zeros(DType.BOOL, 2, 4)));
        BAD.put("err.encoder_layer_kpm_dtype", () -> enc("relu").forward(r(5, 2, 8), null, zeros(DType.INT64, 2, 5)));
        BAD.put("err.encoder_layer_unbatched_kpm", () -> enc("relu").forward(r(5, 8), null, zeros(DType.BOOL, 2, 5)));
        BAD.put("err.encoder_layer_features", () -> enc("relu").forward(r(5, 2, 6)));
        BAD.put("err.encoder_layer_4d", () -> enc("relu").forward(r(1, 5, 2, 8)));
        BAD.put("err.encoder_kpm_dtype", () -> new TransformerEncoder(enc("relu"), 2).forward(r(5, 2, 8), null,
                zeros(DType.INT64, 2, 5)));
        BAD.put("err.decoder_layer_memory_mask_shape", () -> dec("relu").forward(r(4, 2, 8), r(5, 2, 8), null, Torch.zeros(4, 4),
                null, null));
        BAD.put("err.decoder_layer_tgt_mask_shape", () -> dec("relu").forward(r(4, 2, 8), r(5, 2, 8), Torch.zeros(4, 5), null,
                null, null));
        BAD.put("err.decoder_layer_memory_kpm_shape", () -> dec("relu").forward(r(4, 2, 8), r(5, 2, 8), null, null, null,
                zeros(DType.BOOL, 2, 4)));
        BAD.put("err.decoder_layer_unbatched_memory", () -> dec("relu").forward(r(4, 8), r(5, 2, 8)));
    }

    @TestFactory Stream<DynamicTest> errorsMatchPyTorch() {
        Map<String, String[]> errors = FIXTURES.errors();
        assertEquals(errors.keySet(), BAD.keySet(), "every recorded error has a Java expression and vice versa");
        return errors.entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey(), () -> {
            assertTrue(e.getValue()[0].equals("AssertionError") || e.getValue()[0].equals("RuntimeError"), e.getValue()[0]);
            RuntimeException ex = assertThrows(IllegalArgumentException.class, () -> BAD.get(e.getKey()).run());
            assertEquals(e.getValue()[1], ex.getMessage());
        }));
    }

    /**
     * A memory of another batch size or feature number: PyTorch fails inside a reshape or a matmul;
     * jtorch rejects it with a clear message (never an index or negative-size error).
     */
    @Test void badMemoryIsAClearError() {
        var ex = assertThrows(IllegalArgumentException.class, () -> dec("relu").forward(r(4, 2, 8), r(5, 3, 8)));
        assertTrue(ex.getMessage() != null && !ex.getMessage().isEmpty(), String.valueOf(ex.getMessage()));
        ex = assertThrows(IllegalArgumentException.class, () -> new TransformerDecoder(dec("relu"), 1).forward(r(4, 2, 8), r(5, 2, 6)));
        assertTrue(ex.getMessage() != null && !ex.getMessage().isEmpty(), String.valueOf(ex.getMessage()));
    }

    /** Null arguments name the module and the argument. */
    @Test void nullArgumentsAreClearErrors() {
        assertNullRejected("src", () -> enc("relu").forward(null, null, null));
        assertNullRejected("tgt", () -> dec("relu").forward(null, r(5, 2, 8)));
        assertNullRejected("memory", () -> dec("relu").forward(r(4, 2, 8), null));
        assertNullRejected("src", () -> tr(false).forward(null, r(4, 2, 8)));
        assertNullRejected("tgt", () -> tr(false).forward(r(5, 2, 8), null));
        assertNullRejected("options", () -> new TransformerEncoderLayer(null));
        assertNullRejected("options", () -> new TransformerDecoderLayer(null));
        assertNullRejected("options", () -> new Transformer(null));
        assertNullRejected("encoder_layer", () -> new TransformerEncoder(null, 1));
        assertNullRejected("decoder_layer", () -> new TransformerDecoder(null, 1));
    }

    private static void assertNullRejected(String arg, Runnable r) {
        RuntimeException ex = assertThrows(RuntimeException.class, r::run);
        assertTrue(!(ex instanceof NullPointerException) || ex.getMessage() != null, "a bare NPE");
        assertTrue(ex.getMessage() != null && ex.getMessage().contains(arg), arg + ": " + ex.getMessage());
    }
}
