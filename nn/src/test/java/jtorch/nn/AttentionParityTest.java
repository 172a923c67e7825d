package jtorch.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.junit.jupiter.api.TestFactory;

import jtorch.DType;
import jtorch.Tensor;
import jtorch.Torch;
import jtorch.nn.NnFixtures.Case;
import jtorch.nn.NnFixtures.TensorRecord;
import jtorch.nn.functional.F;

/**
 * {@link MultiheadAttention} and {@link F#scaledDotProductAttention} against PyTorch 1.13
 * ({@code tools/gen_attention_fixtures.py}, whose docstring describes the cases and the record
 * roles; the format and tolerances are {@code tools/gen_nn_fixtures.py}'s): outputs, attention
 * weights and the gradients of a weighted sum of both w.r.t. the query, key, value and every
 * parameter, for each mask kind, key padding, batch first, kdim/vdim, bias_k/v, zero attention,
 * unbatched inputs, heads kept apart, training with dropout (PyTorch's masks under the same seed);
 * the initial parameters after {@code manualSeed} bit for bit; state dicts written by
 * {@code torch.save}; PyTorch's error messages.
 */
class AttentionParityTest {
    private static final NnFixtures.FixtureFile FIXTURES = NnFixtures.readAll("/jtorch/nn/attention_fixtures.txt");
    private static final List<Case> CASES = FIXTURES.cases();
    private static final Map<String, String> REPRS = FIXTURES.reprs();
    private static final Map<String, String[]> ERRORS = FIXTURES.errors();

    @AfterAll static void printErrors() { NnFixtures.printObservedErrors(); }

    private static Stream<Case> cases(String op) {
        List<Case> l = CASES.stream().filter(c -> c.op.equals(op)).toList();
        assertFalse(l.isEmpty(), "no " + op + " cases");
        return l.stream();
    }

    private static TensorRecord record(Case c, String role, String arg) {
        for (TensorRecord r : c.tensors) if (r.role.equals(role) && r.arg.equals(arg)) return r;
        return null;
    }

    private static Map<String, Tensor> params(Case c) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        for (TensorRecord r : c.tensors) if (r.role.equals("param")) m.put(r.arg, r.tensor());
        return m;
    }

    private static Tensor input(Case c, String arg) {
        TensorRecord r = record(c, "ing", arg);
        if (r != null) return r.tensor().requiresGrad_();
        r = record(c, "in", arg);
        return r == null ? null : r.tensor();
    }

    static MultiheadAttention.Options options(Case c) {
        var o = MultiheadAttention.options(c.lng("embed_dim"), c.lng("num_heads"));
        if (c.has("dropout")) o.dropout(c.dbl("dropout"));
        if (c.has("bias")) o.bias(c.bool("bias"));
        if (c.has("add_bias_kv")) o.addBiasKv(c.bool("add_bias_kv"));
        if (c.has("add_zero_attn")) o.addZeroAttn(c.bool("add_zero_attn"));
        if (c.has("kdim")) o.kdim(c.lngOrNull("kdim"));
        if (c.has("vdim")) o.vdim(c.lngOrNull("vdim"));
        if (c.has("batch_first")) o.batchFirst(c.bool("batch_first"));
        return o;
    }

    // ------------------------------------------------------------------------------ MultiheadAttention

    @TestFactory Stream<DynamicTest> multiheadAttentionMatchesPyTorch() {
        return cases("mha").map(c -> DynamicTest.dynamicTest(c.name, () -> {
            var mha = new MultiheadAttention(options(c));
            mha.to(DType.valueOf(c.str("dtype")));
            mha.loadStateDict(params(c));
            mha.train(c.bool("training"));
            Tensor q = input(c, "query");
            String inputs = c.str("inputs");
            Tensor k = inputs.equals("qkv") ? q : input(c, "key");
            Tensor v = inputs.equals("q_k_v") ? input(c, "value") : k;
            if (c.lngOrNull("seed") != null) Torch.manualSeed(c.lng("seed"));
            var out = mha.forward(q, k, v, input(c, "key_padding_mask"), c.bool("need_weights"), input(c, "attn_mask"),
                    c.bool("average_attn_weights"));
            NnFixtures.assertClose(c.name + " out", record(c, "out", "out"), out.attnOutput());
            Tensor loss = out.attnOutput().mul(record(c, "gout", "out").tensor()).sum();
            if (c.bool("need_weights")) {
                NnFixtures.assertClose(c.name + " weights", record(c, "out", "weights"), out.attnOutputWeights());
                loss = loss.add(out.attnOutputWeights().mul(record(c, "gout", "weights").tensor()).sum());
            } else {
                assertNull(out.attnOutputWeights(), c.name + ": need_weights=False returns no weights");
            }
            loss.backward();
            NnFixtures.assertClose(c.name + " grad query", record(c, "grad", "query"), q.grad());
            if (!inputs.equals("qkv")) NnFixtures.assertClose(c.name + " grad key", record(c, "grad", "key"), k.grad());
            if (inputs.equals("q_k_v")) NnFixtures.assertClose(c.name + " grad value", record(c, "grad", "value"), v.grad());
            Map<String, Parameter> ps = mha.namedParameters();
            int n = 0;
            for (TensorRecord r : c.tensors) {
                if (!r.role.equals("grad") || !ps.containsKey(r.arg)) continue;
                Tensor g = ps.get(r.arg).grad();
                NnFixtures.assertClose(c.name + " grad " + r.arg, r, g == null ? Torch.zerosLike(ps.get(r.arg)) : g);
                n++;
            }
            assertEquals(ps.size(), n, c.name + ": a gradient for every parameter");
        }));
    }

    @TestFactory Stream<DynamicTest> initialParametersArePyTorchsBitForBit() {
        return cases("mha_init").map(c -> DynamicTest.dynamicTest(c.name, () -> {
            Torch.manualSeed(c.lng("seed"));
            var mha = new MultiheadAttention(options(c));
            Map<String, Tensor> expected = params(c), actual = mha.stateDict();
            assertEquals(new ArrayList<>(expected.keySet()), new ArrayList<>(actual.keySet()), "state dict keys in PyTorch's order");
            for (TensorRecord r : c.tensors) NnFixtures.assertClose(c.name + " " + r.arg, r, actual.get(r.arg));
            assertEquals(REPRS.get("repr_" + c.name), mha.toString());
        }));
    }

    private static Path resource(String name) {
        URL url = AttentionParityTest.class.getResource("/jtorch/nn/attention/" + name);
        assertNotNull(url, "missing fixture " + name + " (run tools/gen_attention_fixtures.py)");
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @TestFactory Stream<DynamicTest> stateDictSavedByPyTorchLoadsAndReproducesItsOutputs() {
        return cases("mha_state").map(c -> DynamicTest.dynamicTest(c.name, () -> {
            var mha = new MultiheadAttention(options(c));
            Map<String, Tensor> sd = Torch.load(resource(c.str("file")));
            assertEquals(new ArrayList<>(mha.stateDict().keySet()), new ArrayList<>(sd.keySet()));
            mha.loadStateDict(sd);
            mha.eval();
            Tensor q = input(c, "query");
            boolean self = c.str("inputs").equals("qkv");
            var out = Torch.noGrad(() -> self ? mha.forward(q, q, q) : mha.forward(q, input(c, "key"), input(c, "value")));
            NnFixtures.assertClose(c.name + " out", record(c, "out", "out"), out.attnOutput());
            NnFixtures.assertClose(c.name + " weights", record(c, "out", "weights"), out.attnOutputWeights());
        }));
    }

    // ------------------------------------------------------------------------------ scaled_dot_product_attention

    @TestFactory Stream<DynamicTest> scaledDotProductAttentionMatchesItsDefinition() {
        return cases("sdpa").map(c -> DynamicTest.dynamicTest(c.name, () -> {
            Map<String, Tensor> in = new LinkedHashMap<>();
            for (TensorRecord r : c.tensors) if (r.role.equals("in") || r.role.equals("ing")) in.put(r.arg, input(c, r.arg));
            if (c.lngOrNull("seed") != null) Torch.manualSeed(c.lng("seed"));
            Tensor out = F.scaledDotProductAttention(in.get("query"), in.get("key"), in.get("value"), in.get("attn_mask"),
                    c.dbl("dropout_p"), c.bool("is_causal"), c.dblOrNull("scale"));
            NnFixtures.assertClose(c.name + " out", record(c, "out", "out"), out);
            out.backward(record(c, "gout", "out").tensor());
            int n = 0;
            for (TensorRecord r : c.tensors) {
                if (!r.role.equals("grad")) continue;
                NnFixtures.assertClose(c.name + " grad " + r.arg, r, in.get(r.arg).grad());
                n++;
            }
            assertTrue(n >= 3, c.name + ": gradients of query, key and value");
        }));
    }

    // ------------------------------------------------------------------------------ errors

    private static final Map<String, Runnable> BAD = new LinkedHashMap<>();

    private static MultiheadAttention mha(MultiheadAttention.Options o) { return new MultiheadAttention(o); }

    private static Tensor r(long... s) { return Torch.randn(s); }

    static {
        Tensor x = Torch.randn(3, 2, 8);
        var m = MultiheadAttention.options(8, 2);
        BAD.put("err.mha_not_divisible", () -> mha(MultiheadAttention.options(8, 3)));
        BAD.put("err.mha_embed_dim", () -> mha(m).forward(r(3, 2, 6), r(3, 2, 6), r(3, 2, 6)));
        BAD.put("err.mha_query_4d", () -> mha(m).forward(r(1, 3, 2, 8), x, x));
        BAD.put("err.mha_key_2d", () -> mha(m).forward(x, r(3, 8), r(3, 8)));
        BAD.put("err.mha_unbatched_key_3d", () -> mha(m).forward(r(3, 8), x, x));
        BAD.put("err.mha_kv_shape", () -> mha(m).forward(x, r(4, 2, 8), r(5, 2, 8)));
        BAD.put("err.mha_kv_seq_batch", () -> mha(MultiheadAttention.options(8, 2).kdim(4L).vdim(4L)).forward(x, r(4, 2, 4), r(5, 2, 4)));
        BAD.put("err.mha_kdim_weights", () -> mha(MultiheadAttention.options(8, 2).kdim(4L).vdim(4L)).forward(x, r(4, 2, 5), r(4, 2, 4)));
        BAD.put("err.mha_attn_mask_2d_shape", () -> mha(m).forward(x, x, x, null, true, Torch.zeros(3, 4)));
        BAD.put("err.mha_attn_mask_3d_shape", () -> mha(m).forward(x, x, x, null, true, Torch.zeros(2, 3, 3)));
        BAD.put("err.mha_attn_mask_4d", () -> mha(m).forward(x, x, x, null, true, Torch.zeros(1, 4, 3, 3)));
        BAD.put("err.mha_attn_mask_dtype", () -> mha(m).forward(x, x, x, null, true, Torch.zeros(new long[] {3, 3}, DType.INT64)));
        BAD.put("err.mha_kpm_dtype", () -> mha(m).forward(x, x, x, Torch.zeros(new long[] {2, 3}, DType.INT64), true, null));
        BAD.put("err.mha_kpm_dim", () -> mha(m).forward(x, x, x, Torch.zeros(new long[] {2, 3, 1}, DType.BOOL), true, null));
        BAD.put("err.mha_kpm_shape", () -> mha(m).forward(x, x, x, Torch.zeros(new long[] {2, 4}, DType.BOOL), true, null));
        BAD.put("err.mha_kpm_shape_bias_kv", () -> mha(MultiheadAttention.options(8, 2).addBiasKv(true))
                .forward(x, x, x, Torch.zeros(new long[] {3, 3}, DType.BOOL), true, null));
        BAD.put("err.mha_unbatched_kpm_dim", () -> mha(m).forward(r(3, 8), r(3, 8), r(3, 8), Torch.zeros(new long[] {1, 3}, DType.BOOL),
                true, null));
        BAD.put("err.mha_unbatched_attn_mask_3d", () -> mha(m).forward(r(3, 8), r(4, 8), r(4, 8), null, true, Torch.zeros(1, 3, 4)));
        BAD.put("err.mha_attn_mask_1d", () -> mha(m).forward(x, x, x, null, true, Torch.zeros(3)));
    }

    @TestFactory Stream<DynamicTest> errorsMatchPyTorch() {
        assertEquals(ERRORS.keySet(), BAD.keySet(), "every recorded error has a Java expression and vice versa");
        return ERRORS.entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey(), () -> {
            assertTrue(e.getValue()[0].equals("AssertionError") || e.getValue()[0].equals("RuntimeError"), e.getValue()[0]);
            RuntimeException ex = assertThrows(IllegalArgumentException.class, () -> BAD.get(e.getKey()).run());
            assertEquals(e.getValue()[1], ex.getMessage());
        }));
    }
}
