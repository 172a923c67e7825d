package jtorch.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
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
import jtorch.nn.utils.rnn.PackedSequence;

/**
 * nn.RNN / nn.LSTM / nn.GRU and the three cells against PyTorch 1.13 (fixtures from
 * tools/gen_rnn_fixtures.py, whose docstring gives the format and the tolerances): with the same
 * seed the initial parameters are bit for bit PyTorch's and in PyTorch's order; outputs, final
 * states and the gradients of a random weighted sum of them with respect to the input, the initial
 * states and every parameter agree, for stacked, bidirectional, batch-first, projected, bias-free,
 * ReLU, unbatched and packed configurations, zero and given initial states, dropout between layers
 * in training (PyTorch's mask from the same seed) and evaluation mode, float32 and float64. State
 * dicts written by {@code torch.save} load and give PyTorch's outputs. Reprs and error messages are
 * PyTorch's.
 */
class RnnParityTest {
    static final String RESOURCE = "/jtorch/nn/rnn_fixtures.txt";
    static final List<Case> CASES = new ArrayList<>();
    static final Map<String, String> REPRS = new LinkedHashMap<>();
    static final Map<String, String[]> ERRORS = new LinkedHashMap<>();

    static {
        try {
            Case current = null;
            for (String[] f : ConvParityTest.records(RESOURCE)) {
                switch (f[0]) {
                    case "case": current = new Case(f[1], f[2], f.length > 3 ? f[3] : ""); CASES.add(current); break;
                    case "t": current.tensors.add(new TensorRecord(f)); break;
                    case "repr": REPRS.put(f[1], NnFixtures.unescape(f[2])); break;
                    case "error": ERRORS.put(f[1], new String[] {f[2], NnFixtures.unescape(f[3])}); break;
                    default: throw new IllegalStateException("bad fixture line: " + String.join("\t", f));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterAll static void printObservedErrors() { NnFixtures.printObservedErrors(); }

    // ------------------------------------------------------------------------------ building a case

    static Module build(Case c) {
        long in = c.lng("input_size"), hidden = c.lng("hidden_size");
        boolean bias = !c.has("bias") || c.bool("bias");
        String nonlinearity = c.has("nonlinearity") ? c.str("nonlinearity") : "tanh";
        switch (c.op) {
            case "RNN": return new RNN(common(RNN.options(in, hidden), c).nonlinearity(nonlinearity));
            case "GRU": return new GRU(common(GRU.options(in, hidden), c));
            case "LSTM": return new LSTM(common(LSTM.options(in, hidden), c).projSize(c.has("proj_size") ? c.lng("proj_size") : 0));
            case "RNNCell": return new RNNCell(in, hidden, bias, nonlinearity);
            case "LSTMCell": return new LSTMCell(in, hidden, bias);
            case "GRUCell": return new GRUCell(in, hidden, bias);
            default: throw new IllegalStateException(c.op);
        }
    }

    private static <O extends RNNBase.Options<O>> O common(O o, Case c) {
        if (c.has("num_layers")) o.numLayers(c.lng("num_layers"));
        if (c.has("bias")) o.bias(c.bool("bias"));
        if (c.has("batch_first")) o.batchFirst(c.bool("batch_first"));
        if (c.has("dropout")) o.dropout(c.dbl("dropout"));
        if (c.has("bidirectional")) o.bidirectional(c.bool("bidirectional"));
        return o;
    }

    static Path checkpoint(String name) {
        try {
            var url = RnnParityTest.class.getResource("/jtorch/nn/checkpoints/" + name);
            assertNotNull(url, name + " is missing; run tools/gen_rnn_fixtures.py");
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<TensorRecord> role(Case c, String role) {
        List<TensorRecord> r = new ArrayList<>();
        for (TensorRecord t : c.tensors) if (t.role.equals(role)) r.add(t);
        return r;
    }

    private static Tensor tensor(Case c, String role, String arg) {
        for (TensorRecord t : c.tensors) if (t.role.equals(role) && t.arg.equals(arg)) return t.tensor();
        return null;
    }

    /** Runs the case's forward; the results by the fixture's names (output, h_n, c_n). */
    static Map<String, Tensor> forward(Case c, Module m, Map<String, Tensor> in) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        Tensor h0 = in.get("h0"), c0 = in.get("c0");
        if (m instanceof RNNCellBase) {
            if (m instanceof LSTMCell) {
                LSTMCell.Output r = ((LSTMCell) m).forward(in.get("input"), h0, c0);
                out.put("h_n", r.h());
                out.put("c_n", r.c());
            } else if (m instanceof RNNCell) {
                out.put("h_n", ((RNNCell) m).forward(in.get("input"), h0));
            } else {
                out.put("h_n", ((GRUCell) m).forward(in.get("input"), h0));
            }
            return out;
        }
        if (in.containsKey("data")) {
            PackedSequence p = new PackedSequence(in.get("data"), tensor(c, "in", "batch_sizes"), tensor(c, "in", "sorted_indices"),
                    tensor(c, "in", "unsorted_indices"));
            if (m instanceof LSTM) {
                LSTM.PackedOutput r = ((LSTM) m).forward(p, h0, c0);
                assertTrue(r.output().batchSizes().equal(p.batchSizes()));
                out.put("output", r.output().data());
                out.put("h_n", r.hN());
                out.put("c_n", r.cN());
            } else {
                RNNBase.PackedOutput r = m instanceof RNN ? ((RNN) m).forward(p, h0) : ((GRU) m).forward(p, h0);
                out.put("output", r.output().data());
                out.put("h_n", r.hN());
            }
            return out;
        }
        if (m instanceof LSTM) {
            LSTM.Output r = ((LSTM) m).forward(in.get("input"), h0, c0);
            out.put("output", r.output());
            out.put("h_n", r.hN());
            out.put("c_n", r.cN());
        } else {
            RNNBase.Output r = m instanceof RNN ? ((RNN) m).forward(in.get("input"), h0) : ((GRU) m).forward(in.get("input"), h0);
            out.put("output", r.output());
            out.put("h_n", r.hN());
        }
        return out;
    }

    static void check(Case c) throws IOException {
        Torch.manualSeed(c.lng("seed"));
        Module m = build(c);
        List<String> names = new ArrayList<>(m.namedParameters().keySet());
        if (c.has("state_dict")) {
            Map<String, Tensor> sd = Torch.load(checkpoint(c.str("state_dict")));
            assertEquals(new ArrayList<>(sd.keySet()), new ArrayList<>(m.stateDict().keySet()), c.name + ": state-dict keys");
            m.loadStateDict(sd);
        } else {
            List<String> expected = new ArrayList<>();
            for (TensorRecord r : role(c, "param")) {
                expected.add(r.arg);
                NnFixtures.assertClose(c.name + " init " + r.arg, r, m.getParameter(r.arg));
            }
            assertEquals(expected, names, c.name + ": parameter names and order");
        }
        DType dtype = DType.valueOf(c.str("dtype"));
        m.to(dtype);
        m.train(c.bool("train"));
        Map<String, Tensor> in = new LinkedHashMap<>();
        for (TensorRecord r : role(c, "ing")) in.put(r.arg, r.tensor().requiresGrad_());
        if (c.has("dropout_seed")) Torch.manualSeed(c.lng("dropout_seed"));
        Map<String, Tensor> results = forward(c, m, in);
        Tensor loss = null;
        for (TensorRecord w : role(c, "w")) {
            Tensor term = results.get(w.arg).mul(w.tensor()).sum();
            loss = loss == null ? term : loss.add(term);
        }
        loss.backward();
        for (TensorRecord r : role(c, "out")) NnFixtures.assertClose(c.name + " " + r.arg, r, results.get(r.arg));
        int grads = 0;
        for (TensorRecord r : role(c, "grad")) {
            Tensor x = in.containsKey(r.arg) ? in.get(r.arg) : m.getParameter(r.arg);
            assertNotNull(x.grad(), c.name + ": no gradient for " + r.arg);
            NnFixtures.assertClose(c.name + " grad " + r.arg, r, x.grad());
            grads++;
        }
        assertEquals(in.size() + names.size(), grads, c.name + ": a gradient for every input and parameter");
    }

    @TestFactory Stream<DynamicTest> modulesMatchPyTorch() {
        return CASES.stream().map(c -> DynamicTest.dynamicTest(c.name, () -> check(c)));
    }

    @Test void everyKindOfCaseIsPresent() {
        assertTrue(CASES.size() >= 70, "cases: " + CASES.size());
        assertTrue(CASES.stream().anyMatch(c -> c.has("lengths")) && CASES.stream().anyMatch(c -> c.has("state_dict"))
                && CASES.stream().anyMatch(c -> c.has("dropout_seed")));
    }

    // ------------------------------------------------------------------------------ reprs and errors

    private static final Map<String, Supplier<Module>> MODULES = new LinkedHashMap<>();

    static {
        MODULES.put("RNN", () -> new RNN(10, 20));
        MODULES.put("RNN_options", () -> new RNN(RNN.options(10, 20).numLayers(2).nonlinearity("relu").dropout(0.5).batchFirst(true)));
        MODULES.put("LSTM_proj", () -> new LSTM(LSTM.options(3, 4).projSize(2).bidirectional(true).batchFirst(true).bias(false)));
        MODULES.put("GRU", () -> new GRU(GRU.options(3, 4).numLayers(3).dropout(0.25)));
        MODULES.put("RNNCell_relu", () -> new RNNCell(3, 4, false, "relu"));
        MODULES.put("LSTMCell", () -> new LSTMCell(3, 4));
        MODULES.put("GRUCell", () -> new GRUCell(3, 4, false));
    }

    @Test void reprsArePyTorchs() {
        assertEquals(REPRS.keySet(), MODULES.keySet());
        REPRS.forEach((name, text) -> assertEquals(text, MODULES.get(name).get().toString(), name));
    }

    private static final Map<String, Runnable> FAILING = new LinkedHashMap<>();

    static {
        Supplier<LSTM> lstm = () -> new LSTM(10, 20, 2);
        Supplier<RNN> rnn = () -> new RNN(10, 20, 2);
        Supplier<LSTMCell> cell = () -> new LSTMCell(10, 20);
        FAILING.put("input_size", () -> lstm.get().forward(Torch.randn(5, 3, 7), null, null));
        FAILING.put("hidden_size", () -> rnn.get().forward(Torch.randn(5, 3, 10), Torch.randn(2, 3, 7)));
        FAILING.put("hidden_batch", () -> rnn.get().forward(Torch.randn(5, 3, 10), Torch.randn(2, 4, 20)));
        FAILING.put("lstm_h0_size", () -> lstm.get().forward(Torch.randn(5, 3, 10), Torch.randn(1, 3, 20), Torch.randn(2, 3, 20)));
        FAILING.put("lstm_c0_size", () -> lstm.get().forward(Torch.randn(5, 3, 10), Torch.randn(2, 3, 20), Torch.randn(2, 3, 21)));
        FAILING.put("input_dims", () -> rnn.get().forward(Torch.randn(2, 5, 3, 10)));
        FAILING.put("batched_hx_dims", () -> rnn.get().forward(Torch.randn(5, 3, 10), Torch.randn(3, 20)));
        FAILING.put("unbatched_hx_dims", () -> rnn.get().forward(Torch.randn(5, 10), Torch.randn(2, 1, 20)));
        FAILING.put("lstm_batched_hx_dims", () -> lstm.get().forward(Torch.randn(5, 3, 10), Torch.randn(2, 3, 20), Torch.randn(3, 20)));
        FAILING.put("lstm_unbatched_hx_dims", () -> lstm.get().forward(Torch.randn(5, 10), Torch.randn(2, 1, 20), Torch.randn(2, 20)));
        FAILING.put("proj_too_large", () -> new LSTM(LSTM.options(10, 20).projSize(20)));
        FAILING.put("proj_negative", () -> new LSTM(LSTM.options(10, 20).projSize(-1)));
        FAILING.put("dropout_range", () -> new GRU(GRU.options(10, 20).dropout(1.5)));
        FAILING.put("nonlinearity", () -> new RNN(RNN.options(10, 20).nonlinearity("sigmoid")));
        // PyTorch's RNNCell only fails on its first forward; jtorch already refuses to build it
        FAILING.put("cell_nonlinearity", () -> new RNNCell(10, 20, true, "sigmoid").forward(Torch.randn(3, 10)));
        FAILING.put("cell_input_size", () -> cell.get().forward(Torch.randn(3, 7)));
        FAILING.put("cell_batch", () -> cell.get().forward(Torch.randn(3, 10), Torch.randn(4, 20), Torch.randn(3, 20)));
        FAILING.put("cell_hidden_size", () -> new GRUCell(10, 20).forward(Torch.randn(3, 10), Torch.randn(3, 5)));
        FAILING.put("cell_c_size", () -> cell.get().forward(Torch.randn(3, 10), Torch.randn(3, 20), Torch.randn(3, 5)));
        FAILING.put("cell_input_dims", () -> cell.get().forward(Torch.randn(2, 3, 10)));
    }

    @Test void errorMessagesArePyTorchs() {
        assertEquals(ERRORS.keySet(), FAILING.keySet());
        ERRORS.forEach((name, e) -> {
            RuntimeException thrown = assertThrows(RuntimeException.class, FAILING.get(name)::run, name);
            assertEquals(e[1], thrown.getMessage(), name);
        });
    }
}
