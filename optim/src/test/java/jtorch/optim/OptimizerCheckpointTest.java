package jtorch.optim;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeMap;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jtorch.DType;
import jtorch.Tensor;
import jtorch.Torch;
import jtorch.serialization.PyTorchCheckpoint;

import static jtorch.Torch.tensor;
import static jtorch.Torch.zeros;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Optimizer state dicts as flat maps of tensors ({@code toTensors}/{@code fromTensors}) through
 * real files, and optimizer state dicts written by Python's {@code torch.save}
 * ({@code fromPyTorch}), checked against {@code checkpoints/expected.txt} from
 * {@code tools/gen_optim_checkpoint_fixtures.py}.
 */
class OptimizerCheckpointTest {
    @TempDir Path dir;

    // ------------------------------------------------------------------------- helpers

    /**
     * Every entry of the flat form with its dtype, shape and exact bits, sorted by key: equal for
     * two state dicts exactly when they hold the same values (whatever the order of their keys).
     */
    static String contents(Optimizer.StateDict sd) {
        Map<String, String> sorted = new TreeMap<>();
        for (Map.Entry<String, Tensor> e : sd.toTensors().entrySet()) {
            Tensor t = e.getValue();
            StringBuilder sb = new StringBuilder(t.dtype() + " " + t.shape() + ":");
            if (t.dtype() == DType.BOOL) for (boolean b : t.toBooleanArray()) sb.append(' ').append(b);
            else if (t.dtype() == DType.INT64) for (long v : t.toLongArray()) sb.append(' ').append(v);
            else for (double v : t.toDoubleArray()) sb.append(' ').append(Double.toHexString(v));
            sorted.put(e.getKey(), sb.toString());
        }
        StringBuilder all = new StringBuilder();
        sorted.forEach((k, v) -> all.append(k).append(" = ").append(v).append('\n'));
        return all.toString();
    }

    /** What an optimizer holds: its state dict's contents and its groups' options (extra keys included). */
    static String snapshot(Optimizer<?> opt) {
        StringBuilder sb = new StringBuilder(contents(opt.stateDict()));
        for (var g : opt.paramGroups()) sb.append(g.options()).append('\n');
        return sb.toString();
    }

    /** Writes the flat form as safetensors with Torch.save and reads it back with Torch.load. */
    Optimizer.StateDict throughSafetensors(Optimizer.StateDict sd, String name) throws IOException {
        Path file = dir.resolve(name + ".safetensors");
        Torch.save(sd.toTensors(), file);
        return Optimizer.StateDict.fromTensors(Torch.load(file));
    }

    // ------------------------------------------------------- round trips through safetensors

    /**
     * Three steps; then the state dict goes through a safetensors file into a new optimizer (built
     * with other options) on copies of the parameters, which takes three more steps: bit for bit
     * the six-step run. The first run halves a group's lr after step 1 and adds a scheduler key and
     * a None option, which only the loaded groups carry over.
     */
    void resumesFromSafetensors(String what, Function<List<Tensor>, Optimizer<?>> make,
                                Function<List<Tensor>, Optimizer<?>> makeOther) throws IOException {
        List<Tensor> straight = StateDictTest.params();
        Optimizer<?> a = make.apply(straight);
        for (int k = 1; k <= 6; k++) {
            StateDictTest.step(a, straight, k);
            if (k == 1) changeGroupZero(a);
        }

        List<Tensor> first = StateDictTest.params();
        Optimizer<?> b = make.apply(first);
        for (int k = 1; k <= 3; k++) {
            StateDictTest.step(b, first, k);
            if (k == 1) changeGroupZero(b);
        }
        Optimizer.StateDict saved = b.stateDict();
        String savedContents = contents(saved);
        Optimizer.StateDict loaded = throughSafetensors(saved, what.replace(' ', '_'));
        assertEquals(savedContents, contents(loaded), what + ": the file holds the state dict");

        List<Tensor> resumed = StateDictTest.copies(first);
        Optimizer<?> c = makeOther.apply(resumed);
        c.loadStateDict(loaded);
        assertEquals(savedContents, contents(c.stateDict()), what + ": the loaded optimizer's state_dict is the saved one");
        for (int i = 0; i < b.paramGroups().size(); i++)
            assertEquals(b.paramGroups().get(i).options().toString(), c.paramGroups().get(i).options().toString(), what);
        for (int k = 4; k <= 6; k++) StateDictTest.step(c, resumed, k);
        StateDictTest.assertSameBits(straight, resumed, what);
    }

    private static void changeGroupZero(Optimizer<?> opt) {
        var o = opt.paramGroups().get(0).options();
        o.lr(o.lr() * 0.5);
        o.set("initial_lr", 0.125);
        o.set("foreach", null);
    }

    @Test void resumesExactlyFromSafetensors() throws IOException {
        resumesFromSafetensors("SGD momentum", ps -> new SGD(ps, SGD.options(0.05).momentum(0.9).dampening(0.1).weightDecay(0.01)),
                ps -> new SGD(ps, SGD.options(0.5).momentum(0.2)));
        resumesFromSafetensors("SGD without momentum", ps -> new SGD(ps, SGD.options(0.05).weightDecay(0.01)),
                ps -> new SGD(ps, SGD.options(0.5)));
        resumesFromSafetensors("Adam amsgrad", ps -> new Adam(ps, Adam.options(0.01).amsgrad(true).weightDecay(0.1).betas(0.9, 0.5)),
                ps -> new Adam(ps, Adam.options(0.3)));
        resumesFromSafetensors("AdamW", ps -> new AdamW(ps, AdamW.options(0.02).betas(0.8, 0.99)), ps -> new AdamW(ps));
        resumesFromSafetensors("RMSprop centered", ps -> new RMSprop(ps, RMSprop.options(0.01).momentum(0.5).centered(true)),
                ps -> new RMSprop(ps, RMSprop.options(0.01)));
        resumesFromSafetensors("Adagrad", ps -> new Adagrad(ps, Adagrad.options(0.1).lrDecay(0.05).initialAccumulatorValue(0.1)),
                ps -> new Adagrad(ps));
        resumesFromSafetensors("Adadelta", ps -> new Adadelta(ps, Adadelta.options(0.5).rho(0.8)), ps -> new Adadelta(ps));
        resumesFromSafetensors("Adamax", ps -> new Adamax(ps, Adamax.options(0.02)), ps -> new Adamax(ps));
        // NAdam: loading casts mu_product to the parameters' dtype, as PyTorch does (StateDictTest)
        resumesFromSafetensors("RAdam", ps -> new RAdam(ps, RAdam.options(0.02)), ps -> new RAdam(ps));
        // ASGD likewise (eta, mu)
        resumesFromSafetensors("SGD two groups", ps -> {
            var o = new SGD(List.of(ps.get(0), ps.get(2)), SGD.options(0.05).momentum(0.9));
            o.addParamGroup(List.of(ps.get(1)), Map.of("lr", 0.02, "momentum", 0.5, "nesterov", true, "weight_decay", 0.1));
            return o;
        }, ps -> {
            var o = new SGD(List.of(ps.get(0), ps.get(2)), 1.0);
            o.addParamGroup(List.of(ps.get(1)));
            return o;
        });
    }

    /** The flat form read back in its own order gives the very same state dict, order and Java types included. */
    @Test void theFlatFormIsLossless() throws IOException {
        List<Tensor> ps = StateDictTest.params();
        var rms = new RMSprop(ps, RMSprop.options(0.01).momentum(0.5).centered(true));
        var sgd = new SGD(StateDictTest.copies(ps), 0.1);
        for (int k = 1; k <= 2; k++) {
            StateDictTest.step(rms, ps, k);
            StateDictTest.step(sgd, sgd.paramGroups().get(0).params(), k);
        }
        rms.paramGroups().get(0).options().set("foreach", null).set("tags", List.of(true, false)).set("milestones", List.of(3L, 7L));
        for (Optimizer<?> opt : List.of(rms, sgd)) {
            Optimizer.StateDict sd = opt.stateDict();
            assertEquals(sd, Optimizer.StateDict.fromTensors(sd.toTensors()), "equal maps and lists, hence equal Java types");
            assertEquals(sd.toString(), Optimizer.StateDict.fromTensors(sd.toTensors()).toString());
            // PyTorch's zip format keeps the order of the keys (safetensors sorts them).
            Path pt = dir.resolve("flat.pt");
            PyTorchCheckpoint.save(sd.toTensors(), pt);
            assertEquals(sd.toString(), Optimizer.StateDict.fromTensors(Torch.load(pt)).toString());
        }
        Optimizer.StateDict fromFile = throughSafetensors(rms.stateDict(), "rms");
        assertEquals(2L, fromFile.state().get(0).get("step"), "RMSprop's step is a Python int, not a tensor");
        assertEquals(List.of(0.01, true, List.of(true, false), List.of(3L, 7L)),
                List.of(fromFile.paramGroups().get(0).get("lr"), fromFile.paramGroups().get(0).get("centered"),
                        fromFile.paramGroups().get(0).get("tags"), fromFile.paramGroups().get(0).get("milestones")));
        assertTrue(fromFile.paramGroups().get(0).containsKey("foreach"));
        assertNull(fromFile.paramGroups().get(0).get("foreach"));
        Optimizer.StateDict sgdFile = throughSafetensors(sgd.stateDict(), "sgd");
        assertTrue(sgdFile.state().get(1).containsKey("momentum_buffer"));
        assertNull(sgdFile.state().get(1).get("momentum_buffer"), "SGD without momentum keeps a None buffer, as PyTorch");
    }

    @Test void keysFollowPyTorchsVocabulary() {
        Tensor w = tensor(new float[] {1f, 2f}).requiresGrad_(), b = zeros(3).requiresGrad_();
        var adam = new Adam(List.of(w), Adam.options(0.01).amsgrad(true));
        adam.addParamGroup(List.of(b), Map.of("lr", 0.1));
        w.setGrad(tensor(new float[] {0.5f, -1f}));
        adam.step();
        Map<String, Tensor> flat = adam.stateDict().toTensors();
        assertEquals(List.of("state.0.step", "state.0.exp_avg", "state.0.exp_avg_sq", "state.0.max_exp_avg_sq",
                "param_groups.0.lr", "param_groups.0.betas", "param_groups.0.eps", "param_groups.0.weight_decay",
                "param_groups.0.amsgrad", "param_groups.0.maximize", "param_groups.0.params",
                "param_groups.1.lr", "param_groups.1.betas", "param_groups.1.eps", "param_groups.1.weight_decay",
                "param_groups.1.amsgrad", "param_groups.1.maximize", "param_groups.1.params"), new ArrayList<>(flat.keySet()));
        assertSame(adam.state(w).get("exp_avg"), flat.get("state.0.exp_avg"), "state tensors are not copied");
        assertEquals(DType.FLOAT32, flat.get("state.0.step").dtype());
        assertEquals(0, flat.get("param_groups.1.lr").dim());
        assertEquals(DType.FLOAT64, flat.get("param_groups.1.lr").dtype());
        assertEquals(0.1, flat.get("param_groups.1.lr").item());
        assertEquals(DType.FLOAT64, flat.get("param_groups.0.betas").dtype());
        assertArrayEquals(new double[] {0.9, 0.999}, flat.get("param_groups.0.betas").toDoubleArray());
        assertEquals(DType.BOOL, flat.get("param_groups.0.amsgrad").dtype());
        assertEquals(DType.INT64, flat.get("param_groups.1.params").dtype());
        assertArrayEquals(new long[] {1}, flat.get("param_groups.1.params").toLongArray());

        var sgd = new SGD(List.of(w), 0.1);
        w.setGrad(tensor(new float[] {0.5f, -1f}));
        sgd.step();
        assertTrue(sgd.stateDict().toTensors().containsKey("state.0.momentum_buffer:None"));
        var rms = new RMSprop(List.of(w));
        rms.step();
        Tensor step = rms.stateDict().toTensors().get("state.0.step:int");
        assertEquals(DType.INT64, step.dtype());
        assertEquals(0, step.dim());
    }

    /** Indices are numbers: "state.10" sorts before "state.2" as text (as in a safetensors file) but not here. */
    @Test void indicesAreReadAsNumbers() throws IOException {
        List<Tensor> ps = new ArrayList<>();
        for (int i = 0; i < 12; i++) ps.add(tensor(new double[] {i, -i}).requiresGrad_());
        var opt = new SGD(ps.subList(0, 11), SGD.options(0.1).momentum(0.9));
        opt.addParamGroup(ps.subList(11, 12), Map.of("lr", 0.2));
        for (Tensor p : ps) p.setGrad(tensor(new double[] {1, 2}));
        opt.step();
        Optimizer.StateDict loaded = throughSafetensors(opt.stateDict(), "twelve");
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11), new ArrayList<>(loaded.state().keySet()));
        assertEquals(contents(opt.stateDict()), contents(loaded));
        assertEquals("params", new ArrayList<>(loaded.paramGroups().get(1).keySet()).get(6), "'params' comes last, as in PyTorch");
    }

    @Test void badFlatMapsAreRefusedNamingTheKey() {
        Map<String, Tensor> model = Map.of("fc.weight", zeros(2));
        assertEquals("not an optimizer state dict key: 'fc.weight' (expected 'state.<param index>.<name>' or "
                + "'param_groups.<group index>.<option>')", refusal(model));
        assertEquals("optimizer state dict key 'state.01.step': '01' is not an index", refusal(Map.of("state.01.step", zeros(1))));
        assertEquals("optimizer state dict key 'state.0.step:str': unknown marker ':str' (expected ':int', ':float', ':bool', "
                + "':list' or ':None')", refusal(Map.of("state.0.step:str", zeros(1))));
        assertEquals("optimizer state dict: 'param_groups.0.params' must be a 1-D int64 tensor of parameter indices, got "
                + "torch.float32 of shape torch.Size([2])", refusal(Map.of("param_groups.0.params", zeros(2))));
        assertEquals("optimizer state dict: 'state.0.step:int' must be a 0-dim torch.int64 tensor, got torch.float32 of shape "
                + "torch.Size([])", refusal(Map.of("state.0.step:int", tensor(3.0))));
        Map<String, Tensor> gap = new LinkedHashMap<>();
        gap.put("param_groups.0.params", tensor(new long[] {0}));
        gap.put("param_groups.2.params", tensor(new long[] {1}));
        assertEquals("optimizer state dict: param group 1 is missing (the groups found are [0, 2])", refusal(gap));
        Map<String, Tensor> twice = new LinkedHashMap<>();
        twice.put("state.0.step", tensor(1.0));
        twice.put("state.0.step:int", tensor(1L));
        assertEquals("optimizer state dict: 'step' of parameter 0 appears twice (with different markers)", refusal(twice));

        var withString = new Optimizer.StateDict(Map.of(), List.of(Map.of("params", List.of(0), "mode", "min")));
        assertEquals("state dict: param_groups.0.mode = 'min' (a String) cannot be held in a tensor: values must be tensors, "
                + "numbers, booleans, None or lists of numbers",
                assertThrows(IllegalArgumentException.class, withString::toTensors).getMessage());
    }

    private static String refusal(Map<String, Tensor> flat) {
        return assertThrows(IllegalArgumentException.class, () -> Optimizer.StateDict.fromTensors(flat)).getMessage();
    }

    // --------------------------------------------------------- PyTorch's torch.save fixtures

    /** expected.txt: model tensors by name, each case's parameters by "case k name", errors by name. */
    static final Map<String, float[]> VALUES = new LinkedHashMap<>();
    static final Map<String, long[]> SHAPES = new LinkedHashMap<>();
    static final Map<String, String[]> ERRORS = new LinkedHashMap<>();

    static {
        try (InputStream in = OptimizerCheckpointTest.class.getResourceAsStream("/jtorch/optim/checkpoints/expected.txt")) {
            if (in == null) throw new IllegalStateException("checkpoints/expected.txt is missing; run tools/gen_optim_checkpoint_fixtures.py");
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line, caseName = null;
            while ((line = r.readLine()) != null) {
                if (line.isEmpty() || line.startsWith("#")) continue;
                String[] f = line.split("\t", -1);
                switch (f[0]) {
                    case "model":
                        VALUES.put(f[1], floats(f[3]));
                        SHAPES.put(f[1], shape(f[2]));
                        break;
                    case "case": caseName = f[1]; break;
                    case "params": VALUES.put(caseName + " " + f[1] + " " + f[2], floats(f[3])); break;
                    case "end": caseName = null; break;
                    case "error": ERRORS.put(f[1], f); break;
                    default: throw new IllegalStateException("unknown record " + f[0]);
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static float[] floats(String hexes) {
        double[] d = Fixtures.parseHexes(hexes);
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) f[i] = (float) d[i];   // exact: the values are float32
        return f;
    }

    private static long[] shape(String s) {
        String[] parts = s.split(",");
        long[] r = new long[parts.length];
        for (int i = 0; i < r.length; i++) r[i] = Long.parseLong(parts[i]);
        return r;
    }

    private static Tensor fixtureTensor(String key, String name) {
        return tensor(VALUES.get(key)).reshape(SHAPES.get(name));
    }

    /** Leaf parameters W and b with the values recorded under {@code key} ("W", or "adam_amsgrad 3 W"). */
    static List<Tensor> model(String prefix) {
        return List.of(fixtureTensor(prefix + "W", "W").requiresGrad_(), fixtureTensor(prefix + "b", "b").requiresGrad_());
    }

    /** One step with the fixture's gradients ((p*p)*p) - t, computed in the script's order. */
    static void fixtureStep(Optimizer<?> opt, List<Tensor> ps) {
        Tensor[] targets = {fixtureTensor("tW", "W"), fixtureTensor("tb", "b")};
        for (int i = 0; i < 2; i++) {
            Tensor d = ps.get(i).detach();
            ps.get(i).setGrad(d.mul(d).mul(d).sub(targets[i]));
        }
        opt.step();
    }

    static void assertParams(String caseName, int steps, List<Tensor> ps, String what) {
        String[] names = {"W", "b"};
        for (int i = 0; i < 2; i++) {
            float[] expected = VALUES.get(caseName + " " + steps + " " + names[i]);
            float[] actual = ps.get(i).detach().toFloatArray();
            for (int j = 0; j < expected.length; j++)
                assertEquals(Float.floatToIntBits(expected[j]), Float.floatToIntBits(actual[j]),
                        what + ": " + names[i] + "[" + j + "] after " + steps + " steps: PyTorch " + expected[j] + ", jtorch " + actual[j]);
        }
    }

    static Path resource(String name) {
        try {
            return Path.of(OptimizerCheckpointTest.class.getResource("/jtorch/optim/checkpoints/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Optimizer.StateDict pytorchStateDict(String file) throws IOException {
        return Optimizer.StateDict.fromPyTorch(PyTorchCheckpoint.loadObject(resource(file)));
    }

    /** The optimizers of the script, as jtorch writes them. */
    static Adam fixtureAdam(List<Tensor> ps) {
        return new Adam(ps, Adam.options(0.05).betas(0.9, 0.5).weightDecay(0.01).amsgrad(true));
    }

    static SGD fixtureSgd(List<Tensor> ps) {
        var opt = new SGD(List.of(ps.get(0)), SGD.options(0.1).momentum(0.9).dampening(0.1).weightDecay(0.01));
        opt.addParamGroup(List.of(ps.get(1)), SGD.options(0.05).momentum(0.5).nesterov(true));
        return opt;
    }

    /** jtorch's first three steps are PyTorch's, and so is its state: what the .pt file holds, bit for bit. */
    @Test void theFirstThreeStepsAndTheStateAreThoseInThePyTorchFile() throws IOException {
        for (String name : List.of("adam_amsgrad", "sgd_momentum")) {
            List<Tensor> ps = model("");
            Optimizer<?> opt = name.startsWith("adam") ? fixtureAdam(ps) : fixtureSgd(ps);
            for (int k = 1; k <= 3; k++) fixtureStep(opt, ps);
            assertParams(name, 3, ps, name);
            Optimizer.StateDict pytorch = pytorchStateDict(name + ".pt");
            // PyTorch's groups have keys jtorch's optimizers do not (foreach, ...); compare the state only.
            var ours = new Optimizer.StateDict(opt.stateDict().state(), List.of());
            var theirs = new Optimizer.StateDict(pytorch.state(), List.of());
            assertEquals(contents(theirs), contents(ours), name);
        }
    }

    /** torch.save(opt.state_dict()) after 3 steps, loaded into a jtorch optimizer with other options: 3 more steps are PyTorch's. */
    @Test void continuesFromAPyTorchOptimizerFileLikePyTorch() throws IOException {
        List<Tensor> ps = model("adam_amsgrad 3 ");
        var adam = new Adam(ps);
        adam.loadStateDict(pytorchStateDict("adam_amsgrad.pt"));
        var o = adam.paramGroups().get(0).options();
        assertEquals(List.of(0.05, List.of(0.9, 0.5), 0.01, true), List.of(o.lr(), o.betas(), o.weightDecay(), o.amsgrad()));
        assertTrue(o.has("foreach") && o.get("foreach") == null, "PyTorch's other keys are kept, as in PyTorch");
        for (int k = 4; k <= 6; k++) fixtureStep(adam, ps);
        assertParams("adam_amsgrad", 6, ps, "Adam from adam_amsgrad.pt");

        ps = model("sgd_momentum 3 ");
        var sgd = new SGD(List.of(ps.get(0)), 1.0);
        sgd.addParamGroup(List.of(ps.get(1)));
        sgd.loadStateDict(pytorchStateDict("sgd_momentum.pt"));
        assertTrue(sgd.paramGroups().get(1).options().nesterov());
        for (int k = 4; k <= 6; k++) fixtureStep(sgd, ps);
        assertParams("sgd_momentum", 6, ps, "SGD from sgd_momentum.pt");
    }

    /** A PyTorch file converted to safetensors (fromPyTorch, toTensors, Torch.save) continues the same. */
    @Test void aPyTorchFileConvertedToSafetensorsContinuesTheSame() throws IOException {
        for (String name : List.of("adam_amsgrad", "sgd_momentum")) {
            Optimizer.StateDict converted = throughSafetensors(pytorchStateDict(name + ".pt"), name);
            assertEquals(contents(pytorchStateDict(name + ".pt")), contents(converted), name);
            List<Tensor> ps = model(name + " 3 ");
            Optimizer<?> opt = name.startsWith("adam") ? new Adam(ps) : fixtureSgd(ps);
            opt.loadStateDict(converted);
            for (int k = 4; k <= 6; k++) fixtureStep(opt, ps);
            assertParams(name, 6, ps, name + " via safetensors");
        }
    }

    /**
     * What PyTorch's __setstate__ does with older files (the script checks both in PyTorch): a group
     * without 'maximize' gets False whatever the optimizer had, and Adam's int steps become tensors.
     */
    @Test void olderPyTorchFilesLoadAsPyTorchLoadsThem() throws IOException {
        Optimizer.StateDict sgdFile = pytorchStateDict("sgd_momentum.pt");
        for (Map<String, Object> g : sgdFile.paramGroups()) assertNotNull(g.remove("maximize"));
        List<Tensor> ps = model("sgd_momentum 3 ");
        SGD sgd = fixtureSgd(ps);
        for (var g : sgd.paramGroups()) g.options().maximize(true);
        sgd.loadStateDict(sgdFile);
        assertFalse(sgd.paramGroups().get(0).options().maximize());
        for (int k = 4; k <= 6; k++) fixtureStep(sgd, ps);
        assertParams("sgd_momentum", 6, ps, "SGD from a file without 'maximize'");

        Optimizer.StateDict adamFile = pytorchStateDict("adam_amsgrad.pt");
        for (Map<String, Object> s : adamFile.state().values()) s.put("step", (long) ((Tensor) s.get("step")).item());
        ps = model("adam_amsgrad 3 ");
        var adam = new Adam(ps);
        adam.loadStateDict(adamFile);
        assertEquals(DType.FLOAT32, ((Tensor) adam.state(ps.get(0)).get("step")).dtype());
        for (int k = 4; k <= 6; k++) fixtureStep(adam, ps);
        assertParams("adam_amsgrad", 6, ps, "Adam from a file with int steps");
    }

    /** A state dict that does not fit fails with PyTorch's message, and the optimizer is as it was. */
    @Test void misfitsFailWithPyTorchsMessagesAndChangeNothing() throws IOException {
        Optimizer.StateDict sgdFile = pytorchStateDict("sgd_momentum.pt");
        Optimizer.StateDict adamFile = pytorchStateDict("adam_amsgrad.pt");
        Optimizer.StateDict sgdOneGroup = pytorchStateDict("sgd_momentum.pt");
        sgdOneGroup.paramGroups().get(0).put("params", List.of(0, 1));
        sgdOneGroup.paramGroups().remove(1);

        List<Tensor> ps = model("");
        var oneGroup = new SGD(ps, SGD.options(0.1).momentum(0.9));
        fixtureStep(oneGroup, ps);
        refused(oneGroup, sgdFile, "groups_mismatch", IllegalArgumentException.class);
        refused(oneGroup, adamFile, "adam_into_sgd", NoSuchElementException.class);

        var twoGroups = new SGD(ps, SGD.options(0.1).momentum(0.9));
        twoGroups.addParamGroup(List.of(zeros(1).requiresGrad_()));
        fixtureStep(twoGroups, ps);
        refused(twoGroups, sgdFile, "size_mismatch", IllegalArgumentException.class);

        var adam = new Adam(ps);
        fixtureStep(adam, ps);
        refused(adam, sgdOneGroup, "sgd_into_adam", NoSuchElementException.class);

        // A wrong type in the second group: the first group, already valid, must not have changed either.
        var sgd = fixtureSgd(model(""));
        Optimizer.StateDict badSecond = pytorchStateDict("sgd_momentum.pt");
        badSecond.paramGroups().get(1).put("momentum", "high");
        String before = snapshot(sgd);
        assertEquals("option 'momentum' expects a number, got 'high'",
                assertThrows(IllegalArgumentException.class, () -> sgd.loadStateDict(badSecond)).getMessage());
        assertEquals(before, snapshot(sgd));
    }

    private static void refused(Optimizer<?> opt, Optimizer.StateDict sd, String fixture, Class<? extends Throwable> type) {
        String[] f = ERRORS.get(fixture);
        assertNotNull(f, fixture);
        // PyTorch's ValueError is an IllegalArgumentException; a KeyError is a NoSuchElementException reading "KeyError: 'key'".
        String expected = f[2].equals("KeyError") ? "KeyError: " + f[3] : f[3];
        assertEquals(f[2].equals("KeyError") ? NoSuchElementException.class : IllegalArgumentException.class, type, fixture);
        String before = snapshot(opt);
        assertEquals(expected, assertThrows(type, () -> opt.loadStateDict(sd)).getMessage(), fixture);
        assertEquals(before, snapshot(opt), fixture + ": a refused state dict changes nothing");
    }

    @Test void fromPyTorchRefusesWhatIsNotAnOptimizerStateDict() throws IOException {
        Map<Object, Object> checkpoint = new LinkedHashMap<>();   // {'model': ..., 'optimizer': ...}
        checkpoint.put("model", Map.of());
        checkpoint.put("optimizer", Map.of());
        assertEquals("not an optimizer state dict: expected the keys 'state' and 'param_groups', got ['model', 'optimizer'] "
                + "(for a checkpoint dict of several things, pass its optimizer entry)",
                assertThrows(IllegalArgumentException.class, () -> Optimizer.StateDict.fromPyTorch(checkpoint)).getMessage());
        assertEquals("not an optimizer state dict: expected the dict that optimizer.state_dict() returns, got a tensor",
                assertThrows(IllegalArgumentException.class, () -> Optimizer.StateDict.fromPyTorch(zeros(1))).getMessage());
        Map<Object, Object> badKey = new LinkedHashMap<>();
        badKey.put("state", Map.of("0", Map.of()));
        badKey.put("param_groups", List.of());
        assertEquals("optimizer state dict: 'state' has the key '0', not a parameter index",
                assertThrows(IllegalArgumentException.class, () -> Optimizer.StateDict.fromPyTorch(badKey)).getMessage());

        Optimizer.StateDict sd = pytorchStateDict("sgd_momentum.pt");
        assertEquals(List.of(0), sd.paramGroups().get(0).get("params"));
        assertEquals(Integer.class, sd.paramGroups().get(1).get("params") instanceof List<?> l ? l.get(0).getClass() : null);
        assertEquals(List.of(0, 1), new ArrayList<>(sd.state().keySet()));
    }
}
