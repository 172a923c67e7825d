package jtorch.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import jtorch.DType;
import jtorch.Tensor;
import jtorch.Torch;
import jtorch.nn.functional.F;

import jtorch.nn.NnFixtures.Case;
import jtorch.nn.NnFixtures.TensorRecord;

/**
 * Runs, in Java, every case that {@code tools/gen_nn_fixtures.py} ran in PyTorch 1.13 and compares
 * the results: forward values and input gradients of every loss, activation, normalisation,
 * embedding and dropout case ({@code nn_fixtures.txt}, inputs rebuilt bit for bit), module reprs,
 * and error types and messages. The tolerance of each tensor is written in the fixture by the
 * script, which explains each choice ("exact", or "rel:R" = within R times the largest magnitude
 * of the expected tensor).
 */
class NnParityTest {
    private static final List<Case> CASES = NnFixtures.CASES;
    private static final Map<String, String> REPRS = NnFixtures.REPRS;
    private static final Map<String, String[]> ERRORS = NnFixtures.ERRORS;

    private static void assertClose(String what, TensorRecord r, Tensor t) { NnFixtures.assertClose(what, r, t); }

    // ------------------------------------------------------------------------------ running a case

    private static Tensor in(Map<String, Tensor> in, String k) { return in.get(k); }

    static Map<String, Tensor> run(Case c, Map<String, Tensor> in) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        switch (c.op) {
            case "l1_loss":
                out.put("out", F.l1Loss(in(in, "input"), in(in, "target"), c.str("reduction")));
                break;
            case "mse_loss":
                out.put("out", F.mseLoss(in(in, "input"), in(in, "target"), c.str("reduction")));
                break;
            case "smooth_l1_loss":
                out.put("out", F.smoothL1Loss(in(in, "input"), in(in, "target"), c.str("reduction"), c.dbl("beta")));
                break;
            case "nll_loss":
                out.put("out", F.nllLoss(in(in, "input"), in(in, "target"), in(in, "weight"), c.lng("ignore_index"), c.str("reduction")));
                break;
            case "cross_entropy":
                out.put("out", F.crossEntropy(in(in, "input"), in(in, "target"), in(in, "weight"), c.lng("ignore_index"),
                        c.str("reduction"), c.dbl("label_smoothing")));
                break;
            case "bce":
                out.put("out", F.binaryCrossEntropy(in(in, "input"), in(in, "target"), in(in, "weight"), c.str("reduction")));
                break;
            case "bce_logits":
                out.put("out", F.binaryCrossEntropyWithLogits(in(in, "input"), in(in, "target"), in(in, "weight"), c.str("reduction"),
                        in(in, "pos_weight")));
                break;
            case "leaky_relu":
                out.put("out", F.leakyRelu(in(in, "input"), c.dbl("negative_slope")));
                break;
            case "gelu":
                out.put("out", F.gelu(in(in, "input"), c.str("approximate")));
                break;
            case "softmax":
                out.put("out", F.softmax(in(in, "input"), (int) c.lng("dim")));
                break;
            case "log_softmax":
                out.put("out", F.logSoftmax(in(in, "input"), (int) c.lng("dim")));
                break;
            case "batch_norm":
                out.put("out", F.batchNorm(in(in, "input"), in(in, "running_mean"), in(in, "running_var"), in(in, "weight"),
                        in(in, "bias"), c.bool("training"), c.dbl("momentum"), c.dbl("eps")));
                if (in.containsKey("running_mean")) out.put("running_mean", in(in, "running_mean"));
                if (in.containsKey("running_var")) out.put("running_var", in(in, "running_var"));
                break;
            case "bn_module":
                runBatchNormModule(c, in, out);
                break;
            case "layer_norm":
                out.put("out", F.layerNorm(in(in, "input"), c.longs("normalized_shape"), in(in, "weight"), in(in, "bias"), c.dbl("eps")));
                break;
            case "embedding": {
                out.put("out", F.embedding(in(in, "input"), in(in, "weight"), c.lngOrNull("padding_idx"), c.dblOrNull("max_norm"),
                        c.dbl("norm_type")));
                out.put("weight_after", in(in, "weight").detach().clone());
                break;
            }
            case "dropout":
                Torch.manualSeed(c.lng("seed"));
                out.put("out", F.dropout(in(in, "input"), c.dbl("p"), c.bool("training")));
                break;
            case "embedding_init":
                Torch.manualSeed(c.lng("seed"));
                out.put("out", new Embedding(Embedding.options(c.lng("num_embeddings"), c.lng("embedding_dim"))
                        .paddingIdx(c.lngOrNull("padding_idx"))).weight.detach());
                break;
            default:
                throw new IllegalStateException("no Java counterpart for op " + c.op + " (case " + c.name + ")");
        }
        return out;
    }

    private static void runBatchNormModule(Case c, Map<String, Tensor> in, Map<String, Tensor> out) {
        BatchNorm.Options o = BatchNorm1d.options(4);
        if (c.has("momentum")) o.momentum(c.dblOrNull("momentum"));
        if (c.has("eps")) o.eps(c.dbl("eps"));
        if (c.has("affine")) o.affine(c.bool("affine"));
        if (c.has("track_running_stats")) o.trackRunningStats(c.bool("track_running_stats"));
        BatchNorm m = c.str("module").equals("BatchNorm1d") ? new BatchNorm1d(o) : new BatchNorm2d(o);
        BatchNorm mm = m;
        if (mm.affine)
            Torch.noGrad(() -> {
                mm.weight.copy_(in(in, "weight"));
                mm.bias.copy_(in(in, "bias"));
            });
        for (int i = 0; i < 3; i++) out.put("train" + i, mm.forward(in(in, "x" + i)).detach());
        mm.eval();
        out.put("out", mm.forward(in(in, "x3")).detach());
        if (mm.trackRunningStats) {
            out.put("running_mean", mm.runningMean);
            out.put("running_var", mm.runningVar);
            out.put("num_batches_tracked", mm.numBatchesTracked);
        }
    }

    @AfterAll static void printObservedErrors() { NnFixtures.printObservedErrors(); }

    @TestFactory Stream<DynamicTest> casesMatchPyTorch() {
        return CASES.stream().filter(c -> !c.op.equals("erf")).map(c -> DynamicTest.dynamicTest(c.name, () -> check(c)));
    }

    static void check(Case c) {
        Map<String, Tensor> inputs = new LinkedHashMap<>();
        Tensor gout = null;
        List<TensorRecord> outs = new ArrayList<>(), grads = new ArrayList<>();
        for (TensorRecord r : c.tensors) {
            switch (r.role) {
                case "in": inputs.put(r.arg, r.tensor()); break;
                case "ing": inputs.put(r.arg, r.tensor().requiresGrad_()); break;
                case "gout": gout = r.tensor(); break;
                case "out": outs.add(r); break;
                case "grad": grads.add(r); break;
                default: throw new IllegalStateException(r.role);
            }
        }
        Map<String, Tensor> results = run(c, inputs);
        if (gout != null) results.get("out").backward(gout);
        for (TensorRecord r : outs) {
            Tensor actual = results.get(r.arg);
            assertNotNull(actual, c.name + ": no result " + r.arg);
            assertClose(c.name + " " + r.arg, r, actual);
        }
        for (TensorRecord r : grads) {
            Tensor x = inputs.get(r.arg);
            Tensor g = x.grad() != null ? x.grad() : Torch.zerosLike(x);
            assertClose(c.name + " grad " + r.arg, r, g);
        }
    }

    @Test void everyFixtureKindIsPresent() {
        assertTrue(CASES.size() > 300, "cases: " + CASES.size());
        assertFalse(REPRS.isEmpty());
        assertFalse(ERRORS.isEmpty());
    }

    // ------------------------------------------------------------------------------ reprs

    private static final Map<String, Supplier<Module>> MODULES = new LinkedHashMap<>();

    private static void module(String name, Supplier<Module> m) {
        if (MODULES.put(name, m) != null) throw new IllegalStateException(name);
    }

    static {
        module("BatchNorm2d", () -> new BatchNorm2d(16));
        module("BatchNorm1d_options", () -> new BatchNorm1d(BatchNorm1d.options(16).eps(1e-3).momentum(null).affine(false)
                .trackRunningStats(false)));
        module("BatchNorm2d_small_momentum", () -> new BatchNorm2d(BatchNorm2d.options(3).momentum(1e-7)));
        module("CrossEntropyLoss", CrossEntropyLoss::new);
        module("CrossEntropyLoss_options", () -> new CrossEntropyLoss(CrossEntropyLoss.options().weight(Torch.ones(3))
                .labelSmoothing(0.1).reduction("sum")));
        module("NLLLoss", NLLLoss::new);
        module("BCELoss", BCELoss::new);
        module("BCEWithLogitsLoss", () -> new BCEWithLogitsLoss(BCEWithLogitsLoss.options().posWeight(Torch.ones(2))));
        module("L1Loss", L1Loss::new);
        module("SmoothL1Loss", () -> new SmoothL1Loss(SmoothL1Loss.options().beta(0.5)));
        module("LeakyReLU", LeakyReLU::new);
        module("LeakyReLU_options", () -> new LeakyReLU(0.2, true));
        module("LeakyReLU_tiny", () -> new LeakyReLU(1e-5));
        module("LeakyReLU_huge", () -> new LeakyReLU(1e16));
        module("LeakyReLU_sum", () -> new LeakyReLU(0.1 + 0.2));
        module("GELU", GELU::new);
        module("GELU_tanh", () -> new GELU("tanh"));
        module("Softmax", () -> new Softmax(1));
        module("Softmax_none", Softmax::new);
        module("LogSoftmax", () -> new LogSoftmax(-1));
        module("Dropout", Dropout::new);
        module("Dropout_options", () -> new Dropout(0.25, true));
        module("LayerNorm", () -> new LayerNorm(10));
        module("LayerNorm_options", () -> new LayerNorm(LayerNorm.options(2, 3).eps(1e-12).elementwiseAffine(false)));
        module("Embedding", () -> new Embedding(Embedding.options(10, 3).paddingIdx(0L)));
        module("Embedding_negative_pad", () -> new Embedding(Embedding.options(10, 3).paddingIdx(-1L)));
        module("Embedding_max_norm", () -> new Embedding(Embedding.options(10, 3).maxNorm(2.0).normType(1.0)));
        module("Unflatten", () -> new Unflatten(1, 2, 5));
        module("ModuleList", () -> new ModuleList(new ReLU(), new Linear(2, 3), new ModuleList(new Tanh())));
        module("ModuleList_empty", ModuleList::new);
        module("Sequential_mixed", () -> new Sequential(new Linear(4, 8), new BatchNorm1d(8), new LeakyReLU(0.1), new Dropout(0.2),
                new Linear(8, 3), new LogSoftmax(1)));
    }

    @TestFactory Stream<DynamicTest> reprsMatchPyTorch() {
        assertEquals(REPRS.keySet(), MODULES.keySet(), "every recorded repr has a Java module and vice versa");
        return REPRS.entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey(),
                () -> assertEquals(e.getValue(), MODULES.get(e.getKey()).get().toString())));
    }

    // ------------------------------------------------------------------------------ errors

    @FunctionalInterface
    interface Bad {
        Object run();
    }

    private static final Map<String, Bad> BAD = new LinkedHashMap<>();

    private static void bad(String name, Bad b) {
        if (BAD.put(name, b) != null) throw new IllegalStateException(name);
    }

    private static Tensor longs(long... v) { return Torch.tensor(v); }

    private static Tensor zerosL(long... shape) { return Torch.zeros(shape, DType.INT64); }

    static {
        Tensor x = Torch.zeros(3, 5);
        bad("err.ce_batch", () -> F.crossEntropy(x, longs(1, 0)));
        bad("err.ce_target_oob", () -> F.crossEntropy(x, longs(1, 0, 5)));
        bad("err.ce_target_negative", () -> F.crossEntropy(x, longs(1, 0, -1)));
        bad("err.ce_weight", () -> F.crossEntropy(x, longs(1, 0, 4), Torch.ones(4), -100, "mean", 0));
        bad("err.ce_prob_weight", () -> F.crossEntropy(x, Torch.zeros(3, 5), Torch.ones(4), -100, "mean", 0));
        bad("err.ce_prob_ignore", () -> F.crossEntropy(x, Torch.zeros(3, 5), null, 1, "mean", 0));
        bad("err.ce_prob_long", () -> F.crossEntropy(x, zerosL(3, 5)));
        bad("err.ce_label_smoothing", () -> F.crossEntropy(x, longs(1, 0, 4), null, -100, "mean", 1.5));
        bad("err.ce_prob_label_smoothing", () -> F.crossEntropy(x, Torch.zeros(3, 5), null, -100, "mean", 1.5));
        bad("err.ce_float_target", () -> F.crossEntropy(x, Torch.zeros(3)));
        bad("err.ce_reduction", () -> F.crossEntropy(x, longs(1, 0, 4), null, -100, "avg", 0));
        bad("err.ce_4d_target", () -> F.crossEntropy(Torch.zeros(2, 3, 4, 5), zerosL(2, 4, 6)));
        bad("err.ce_4d_target_dims", () -> F.crossEntropy(Torch.zeros(2, 3, 4, 5), zerosL(2, 4)));
        bad("err.ce_3d_target", () -> F.crossEntropy(Torch.zeros(2, 3, 4), zerosL(2, 5)));
        bad("err.ce_unbatched_target", () -> F.crossEntropy(Torch.zeros(5), longs(1)));
        bad("err.ce_long_input", () -> F.crossEntropy(zerosL(2, 3), longs(1, 0)));
        bad("err.nll_0d", () -> F.nllLoss(Torch.tensor(1.0), Torch.tensor(0L)));
        bad("err.nll_target_2d", () -> F.nllLoss(x, zerosL(3, 2)));
        bad("err.nll_weight_4d", () -> F.nllLoss(Torch.zeros(2, 3, 4, 5), zerosL(2, 4, 5), Torch.ones(2), -100, "mean"));
        bad("err.nll_oob_4d", () -> F.nllLoss(Torch.zeros(2, 3, 4, 5), Torch.full(new long[] {2, 4, 5}, 7L)));
        bad("err.nll_batch_3d", () -> F.nllLoss(Torch.zeros(2, 3, 4), zerosL(3, 4)));
        bad("err.bce_range", () -> F.binaryCrossEntropy(Torch.tensor(new float[] {1.5f}), Torch.tensor(new float[] {1})));
        bad("err.bce_nan", () -> F.binaryCrossEntropy(Torch.tensor(new float[] {Float.NaN}), Torch.tensor(new float[] {1})));
        bad("err.bce_size", () -> F.binaryCrossEntropy(Torch.tensor(new float[] {0.5f, 0.5f}), Torch.tensor(new float[] {1})));
        bad("err.bce_weight", () -> F.binaryCrossEntropy(Torch.tensor(new float[] {0.5f, 0.5f}), Torch.tensor(new float[] {1, 0}),
                Torch.ones(3), "mean"));
        bad("err.bce_logits_size", () -> F.binaryCrossEntropyWithLogits(Torch.tensor(new float[] {0.5f, 0.5f}),
                Torch.tensor(new float[] {1})));
        bad("err.smooth_l1_beta", () -> F.smoothL1Loss(Torch.tensor(new float[] {0.5f}), Torch.tensor(new float[] {1}), "mean", -1.0));
        bad("err.l1_reduction", () -> F.l1Loss(Torch.tensor(new float[] {0.5f}), Torch.tensor(new float[] {1}), "avg"));
        bad("err.bn1d_rank4", () -> new BatchNorm1d(3).forward(Torch.zeros(2, 3, 4, 4)));
        bad("err.bn1d_rank1", () -> new BatchNorm1d(3).forward(Torch.zeros(3)));
        bad("err.bn2d_rank3", () -> new BatchNorm2d(3).forward(Torch.zeros(2, 3, 4)));
        bad("err.bn_channels", () -> new BatchNorm2d(3).forward(Torch.zeros(2, 4, 4, 4)));
        bad("err.bn_channels_eval", () -> new BatchNorm2d(3).eval().forward(Torch.zeros(2, 4, 4, 4)));
        bad("err.bn_single_value", () -> new BatchNorm1d(3).forward(Torch.zeros(1, 3)));
        bad("err.bn_weight", () -> F.batchNorm(Torch.zeros(2, 3), Torch.zeros(3), Torch.ones(3), Torch.ones(2), null, true, 0.1, 1e-5));
        bad("err.bn_eval_no_stats", () -> F.batchNorm(Torch.ones(2, 3), null, null));
        bad("err.bn_negative", () -> new BatchNorm1d(-1));
        bad("err.ln_shape", () -> new LayerNorm(10).forward(Torch.zeros(3, 5)));
        bad("err.ln_shape2", () -> new LayerNorm(2, 5).forward(Torch.zeros(3, 5)));
        bad("err.ln_empty_shape", () -> F.layerNorm(Torch.ones(2, 3), new long[0]));
        bad("err.ln_weight_shape", () -> F.layerNorm(Torch.ones(2, 3), new long[] {3}, Torch.ones(2), null, 1e-5));
        bad("err.emb_oob", () -> new Embedding(10, 3).forward(longs(10)));
        bad("err.emb_negative_index", () -> new Embedding(10, 3).forward(longs(-1)));
        bad("err.emb_float_index", () -> new Embedding(10, 3).forward(Torch.tensor(new float[] {1})));
        bad("err.emb_padding", () -> new Embedding(Embedding.options(10, 3).paddingIdx(10L)));
        bad("err.emb_padding_negative", () -> new Embedding(Embedding.options(10, 3).paddingIdx(-11L)));
        bad("err.emb_negative", () -> new Embedding(-1, 3));
        bad("err.emb_weight_1d", () -> F.embedding(longs(1), Torch.zeros(5)));
        bad("err.dropout_p", () -> new Dropout(1.5));
        bad("err.dropout_p_functional", () -> F.dropout(Torch.ones(2), -0.5));
        bad("err.softmax_dim", () -> new Softmax(3).forward(Torch.ones(2, 2)));
        bad("err.gelu_approximate", () -> F.gelu(Torch.ones(2), "foo"));
        bad("err.gelu_long", () -> F.gelu(longs(1, 2)));
        bad("err.leaky_relu_long", () -> F.leakyRelu(longs(1, -2)));
        bad("err.unflatten_sizes", () -> new Unflatten(1, 2, 3).forward(Torch.ones(2, 5)));
        bad("err.unflatten_two_inferred", () -> new Unflatten(1, -1, -1).forward(Torch.ones(2, 6)));
        bad("err.modulelist_index", () -> new ModuleList(new ReLU()).get(3));
        bad("err.modulelist_forward", () -> new ModuleList(new ReLU()).forward(Torch.ones(1)));
    }

    /** PyTorch's exception types as jtorch raises them. */
    private static Class<? extends RuntimeException> javaType(String pythonType) {
        switch (pythonType) {
            case "IndexError": return IndexOutOfBoundsException.class;
            case "NotImplementedError": return IllegalStateException.class;
            case "ValueError": case "RuntimeError": case "AssertionError": return IllegalArgumentException.class;
            default: throw new IllegalStateException("unmapped Python exception " + pythonType);
        }
    }

    @TestFactory Stream<DynamicTest> errorsMatchPyTorch() {
        assertEquals(ERRORS.keySet(), BAD.keySet(), "every recorded error has a Java expression and vice versa");
        return ERRORS.entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey(), () -> {
            RuntimeException ex = assertThrows(javaType(e.getValue()[0]), () -> BAD.get(e.getKey()).run());
            assertEquals(e.getValue()[1], ex.getMessage());
        }));
    }
}
