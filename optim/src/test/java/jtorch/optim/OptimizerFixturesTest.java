package jtorch.optim;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import jtorch.DType;
import jtorch.Tensor;
import jtorch.Torch;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Replays every optimizer trajectory of {@code optim_fixtures.txt} (20 steps of SGD, Adam, AdamW,
 * RMSprop and Adagrad in many configurations, float64 and float32, recorded from PyTorch 1.13's
 * {@code foreach=False} path) and requires every parameter after every step, the final state
 * and the final param groups to equal PyTorch's <b>bit for bit</b>.
 *
 * <p>Exact equality holds because the updates perform PyTorch's operations in PyTorch's order
 * with PyTorch's roundings: {@code add_(x, alpha)} and {@code addcmul_} as one FMA (what the AVX2
 * kernels of the fixture's build compute), {@code addcdiv_} as {@code self + (v * t1) / t2},
 * scalars converted to the tensor's dtype, and {@code beta ** step} via {@link Math#pow} (which
 * agrees with glibc's {@code pow} on every exponent these trajectories use). The gradient is set
 * directly to {@code ((p*p)*p) - t}, so autograd's summation order is not part of the comparison.
 */
class OptimizerFixturesTest {

    /** Builds the optimizer of a fixture case: the first group's options are the constructor's, later groups are overrides. */
    static Optimizer<?> create(String name, List<Tensor> params, Map<String, Object> opts) {
        double lr = (Double) opts.get("lr");
        switch (name) {
            case "SGD": return new SGD(params, apply(SGD.options(lr), opts));
            case "Adam": return new Adam(params, apply(Adam.options(lr), opts));
            case "AdamW": return new AdamW(params, apply(AdamW.options(lr), opts));
            case "RMSprop": return new RMSprop(params, apply(RMSprop.options(lr), opts));
            case "Adagrad": return new Adagrad(params, apply(Adagrad.options(lr), opts));
            case "Adadelta": return new Adadelta(params, apply(Adadelta.options(lr), opts));
            case "Adamax": return new Adamax(params, apply(Adamax.options(lr), opts));
            case "NAdam": return new NAdam(params, apply(NAdam.options(lr), opts));
            case "RAdam": return new RAdam(params, apply(RAdam.options(lr), opts));
            case "ASGD": return new ASGD(params, apply(ASGD.options(lr), opts));
            default: throw new IllegalArgumentException(name);
        }
    }

    static <O extends Optimizer.Options<O>> O apply(O o, Map<String, Object> opts) {
        opts.forEach(o::set);
        return o;
    }

    static Tensor modelTensor(String dtype, String name) {
        String[] f = Fixtures.MODEL.get(dtype + " " + name);
        assertNotNull(f, "no model tensor " + dtype + " " + name);
        double[] v = Fixtures.parseHexes(f[4]);
        return Torch.tensor(v, DType.FLOAT64).reshape(Fixtures.parseShape(f[3])).to(DType.valueOf(dtype));
    }

    static void assertBits(double[] expected, double[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": element count");
        for (int i = 0; i < expected.length; i++)
            if (Double.doubleToLongBits(expected[i]) != Double.doubleToLongBits(actual[i]))
                fail(what + "[" + i + "]: expected " + Double.toHexString(expected[i]) + " (" + expected[i] + ") but was "
                        + Double.toHexString(actual[i]) + " (" + actual[i] + "), "
                        + Math.abs(expected[i] - actual[i]) / Math.ulp(expected[i]) + " ulps apart");
    }

    static void run(Fixtures.Block c) {
        String opt = c.header()[2], dtype = c.header()[3];
        int steps = Integer.parseInt(c.header()[4]);
        List<Tensor> params = new ArrayList<>(), targets = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            params.add(modelTensor(dtype, "p" + i).requiresGrad_());
            targets.add(modelTensor(dtype, "t" + i));
        }
        List<String[]> groups = c.lines("group");
        Optimizer<?> o = null;
        for (String[] g : groups) {
            List<Tensor> ps = new ArrayList<>();
            for (String i : g[1].split(",")) ps.add(params.get(Integer.parseInt(i)));
            Map<String, Object> opts = Fixtures.parseOptions(g[2]);
            if (o == null) o = create(opt, ps, opts);
            else o.addParamGroup(ps, opts);
        }
        List<String[]> stepLines = c.lines("step");
        assertEquals(steps * 3, stepLines.size());
        int line = 0;
        for (int k = 1; k <= steps; k++) {
            for (int i = 0; i < 3; i++) {
                Tensor p = params.get(i), t = targets.get(i);
                if (i == 1 && k % 3 == 0) p.setGrad(null);
                else p.setGrad(Torch.noGrad(() -> p.mul(p).mul(p).sub(t)));
            }
            o.step();
            for (int i = 0; i < 3; i++) {
                String[] s = stepLines.get(line++);
                assertEquals(k, Integer.parseInt(s[1]));
                assertEquals(i, Integer.parseInt(s[2]));
                assertEquals(DType.valueOf(dtype), params.get(i).dtype());
                assertBits(Fixtures.parseHexes(s[3]), params.get(i).detach().toDoubleArray(), c.name() + " step " + k + " p" + i);
            }
        }
        checkStateDict(c, o.stateDict());
    }

    /** The final state_dict(): the same indices, keys in the same order, values bit for bit; the same group dicts. */
    static void checkStateDict(Fixtures.Block c, Optimizer.StateDict sd) {
        Map<Integer, List<String>> expectedKeys = new java.util.TreeMap<>();
        for (String[] s : c.lines("state")) {
            int idx = Integer.parseInt(s[1]);
            String key = s[2], kind = s[3];
            expectedKeys.computeIfAbsent(idx, x -> new ArrayList<>()).add(key);
            Map<String, Object> st = sd.state().get(idx);
            assertNotNull(st, c.name() + ": no state for parameter " + idx);
            assertTrue(st.containsKey(key), c.name() + ": state " + idx + " has no " + key);
            Object v = st.get(key);
            String what = c.name() + " state[" + idx + "]['" + key + "']";
            if (kind.equals("None")) {
                assertNull(v, what);
            } else if (kind.equals("int")) {
                assertEquals(Long.parseLong(s[4]), ((Number) v).longValue(), what);
                assertFalse(v instanceof Double || v instanceof Tensor, what + " should be an integer");
            } else {
                String[] k = kind.split(":", -1);
                assertTrue(v instanceof Tensor, what + " should be a tensor");
                Tensor t = (Tensor) v;
                assertEquals(k[1], t.dtype().name(), what + " dtype");
                assertArrayEquals(Fixtures.parseShape(k[2]), t.shape().toArray(), what + " shape");
                assertBits(Fixtures.parseHexes(s[4]), t.toDoubleArray(), what);
            }
        }
        assertEquals(expectedKeys.keySet(), sd.state().keySet(), c.name() + ": state indices");
        for (var e : expectedKeys.entrySet())
            assertEquals(e.getValue(), new ArrayList<>(sd.state().get(e.getKey()).keySet()), c.name() + ": state keys of " + e.getKey());
        List<String[]> pgroups = c.lines("pgroup");
        assertEquals(pgroups.size(), sd.paramGroups().size());
        for (String[] g : pgroups)
            assertEquals(g[2], Optimizer.groupRepr(sd.paramGroups().get(Integer.parseInt(g[1]))), c.name() + ": param_groups[" + g[1] + "]");
    }

    @TestFactory Stream<DynamicTest> trajectoriesMatchPyTorchBitForBit() {
        assertFalse(Fixtures.CASES.isEmpty());
        return Fixtures.CASES.values().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> run(c)));
    }

    @Test void everyOptimizerAndBothDtypesAreCovered() {
        var seen = new java.util.TreeSet<String>();
        for (var c : Fixtures.CASES.values()) seen.add(c.header()[2] + "/" + c.header()[3]);
        assertEquals(new java.util.TreeSet<>(List.of("Adagrad/FLOAT32", "Adagrad/FLOAT64", "Adam/FLOAT32", "Adam/FLOAT64",
                "AdamW/FLOAT32", "AdamW/FLOAT64", "RMSprop/FLOAT32", "RMSprop/FLOAT64", "SGD/FLOAT32", "SGD/FLOAT64",
                "Adadelta/FLOAT32", "Adadelta/FLOAT64", "Adamax/FLOAT32", "Adamax/FLOAT64", "NAdam/FLOAT32", "NAdam/FLOAT64",
                "RAdam/FLOAT32", "RAdam/FLOAT64", "ASGD/FLOAT32", "ASGD/FLOAT64")), seen);
    }

    @Test void defaultsAreTorchs() {
        List<Tensor> p = List.of(Torch.zeros(2).requiresGrad_());
        Map<String, Optimizer<?>> opts = Map.of("SGD", new SGD(p, 0.1), "Adam", new Adam(p), "AdamW", new AdamW(p),
                "RMSprop", new RMSprop(p), "Adagrad", new Adagrad(p), "Adadelta", new Adadelta(p), "Adamax", new Adamax(p),
                "NAdam", new NAdam(p), "RAdam", new RAdam(p), "ASGD", new ASGD(p));
        assertEquals(Fixtures.DEFAULTS.keySet(), opts.keySet());
        for (var e : opts.entrySet())
            assertEquals(Fixtures.DEFAULTS.get(e.getKey()), Optimizer.groupRepr(e.getValue().stateDict().paramGroups().get(0)), e.getKey());
    }
}
