package jtorch.optim;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import jtorch.DType;
import jtorch.Tensor;
import jtorch.Torch;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Replays the {@code lbfgs} records of {@code optim_fixtures.txt}: PyTorch 1.13's LBFGS (fixed
 * step and strong-Wolfe line search, several history sizes and limits) minimising
 * {@code sum(p**4/4 - t*p)}; every returned loss and the parameters after every step, the
 * function-evaluation and iteration counts and the final direction must match.
 *
 * <p>Tolerances: float64 within 1e-12 relative (plus 1e-14 absolute). The iteration follows
 * PyTorch's statements, but the dot products and the loss sum may add in another order than
 * PyTorch's BLAS, and the search amplifies such rounding only mildly on this convex problem.
 * The counts ({@code func_evals}, {@code n_iter}, history length) must be equal, which shows that
 * every branch went the same way. float32: 1e-4 relative, since PyTorch keeps the scalars
 * ({@code t}, {@code ro}, {@code H_diag}) as float32 tensors and jtorch as doubles, and near the
 * minimum (reached in the third step) float32 rounding of the loss decides where the search stops,
 * so the float32 record has two steps.
 */
class LBFGSTest {

    static LBFGS create(List<Tensor> params, String opts) {
        var o = LBFGS.options();
        for (var e : Fixtures.parseArgs(opts).entrySet()) {
            String v = e.getValue();
            switch (e.getKey()) {
                case "lr": o.lr(Double.parseDouble(v)); break;
                case "max_iter": o.maxIter(Integer.parseInt(v)); break;
                case "max_eval": o.maxEval(Integer.parseInt(v)); break;
                case "history_size": o.historySize(Integer.parseInt(v)); break;
                case "tolerance_change": o.toleranceChange(Double.parseDouble(v)); break;
                case "tolerance_grad": o.toleranceGrad(Double.parseDouble(v)); break;
                case "line_search_fn": o.lineSearchFn(v.replace("'", "")); break;
                default: throw new IllegalArgumentException(e.getKey());
            }
        }
        return new LBFGS(params, o);
    }

    static Tensor loss(List<Tensor> params, List<Tensor> targets) {
        Tensor total = null;
        for (int i = 0; i < params.size(); i++) {
            Tensor p = params.get(i);
            Tensor term = p.mul(p).mul(p).mul(p).div(4).sub(targets.get(i).mul(p)).sum();
            total = total == null ? term : total.add(term);
        }
        return total;
    }

    static void assertClose(double[] expected, double[] actual, double rtol, double atol, String what) {
        assertEquals(expected.length, actual.length, what + ": element count");
        for (int i = 0; i < expected.length; i++)
            if (!(Math.abs(expected[i] - actual[i]) <= atol + rtol * Math.abs(expected[i])))
                fail(what + "[" + i + "]: expected " + expected[i] + " but was " + actual[i]);
    }

    static void run(Fixtures.Block c) {
        String dtype = c.header()[2];
        int steps = Integer.parseInt(c.header()[3]);
        boolean f64 = dtype.equals("FLOAT64");
        double rtol = f64 ? 1e-12 : 1e-4, atol = f64 ? 1e-14 : 1e-5;
        List<Tensor> params = new ArrayList<>(), targets = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            params.add(OptimizerFixturesTest.modelTensor(dtype, "p" + i).requiresGrad_());
            targets.add(OptimizerFixturesTest.modelTensor(dtype, "t" + i));
        }
        LBFGS opt = create(params, c.header().length > 4 ? c.header()[4] : "");
        Supplier<Tensor> closure = () -> {
            opt.zeroGrad();
            Tensor l = loss(params, targets);
            l.backward();
            return l;
        };
        List<String[]> losses = c.lines("loss"), stepLines = c.lines("step");
        for (int k = 1; k <= steps; k++) {
            Tensor l = opt.step(closure);
            assertClose(new double[] {Fixtures.parseHex(losses.get(k - 1)[2])}, new double[] {l.item()}, rtol, atol,
                    c.name() + " loss of step " + k);
            for (int i = 0; i < 3; i++) {
                String[] s = stepLines.get((k - 1) * 3 + i);
                assertEquals(DType.valueOf(dtype), params.get(i).dtype());
                assertClose(Fixtures.parseHexes(s[3]), params.get(i).detach().toDoubleArray(), rtol, atol, c.name() + " step " + k + " p" + i);
            }
        }
        Map<String, Object> st = opt.state(params.get(0));
        for (String[] s : c.lines("state")) {
            String key = s[1], kind = s[2], what = c.name() + " state['" + key + "']";
            switch (kind) {
                case "int": assertEquals(Long.parseLong(s[3]), ((Number) st.get(key)).longValue(), what); break;
                case "float": assertClose(new double[] {Fixtures.parseHex(s[3])}, new double[] {(Double) st.get(key)}, f64 ? 1e-9 : 1e-3, atol, what); break;
                case "len": assertEquals(Integer.parseInt(s[3]), ((List<?>) st.get(key)).size(), what); break;
                case "list": assertEquals(List.of(s[3].split(",")), new ArrayList<>(st.keySet()), what); break;
                default:
                    Tensor t = (Tensor) st.get(key);
                    assertEquals(kind.split(":")[1], t.dtype().name(), what);
                    // d is the last direction, about as large as the last step: small where converged
                    assertClose(Fixtures.parseHexes(s[3]), t.toDoubleArray(), f64 ? 1e-6 : 1e-2, f64 ? 1e-12 : 1e-5, what);
            }
        }
    }

    @TestFactory Stream<DynamicTest> trajectoriesMatchPyTorch() {
        assertTrue(Fixtures.LBFGS.size() >= 6);
        return Fixtures.LBFGS.values().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> run(c)));
    }

    @Test void defaultsAreTorchs() {
        var opt = new LBFGS(List.of(Torch.zeros(2).requiresGrad_()));
        assertEquals("{'lr': 1.0, 'max_iter': 20, 'max_eval': 25, 'tolerance_grad': 1e-07, 'tolerance_change': 1e-09, "
                + "'history_size': 100, 'line_search_fn': None, 'params': [0]}", Optimizer.groupRepr(opt.stateDict().paramGroups().get(0)));
        var o = new LBFGS(List.of(Torch.zeros(2).requiresGrad_()), LBFGS.options().maxIter(8));
        assertEquals(10, o.paramGroups().get(0).options().maxEval());
    }

    @Test void stepWithoutClosureIsRefused() {
        var opt = new LBFGS(List.of(Torch.zeros(2).requiresGrad_()));
        var e = assertThrows(UnsupportedOperationException.class, opt::step);
        assertTrue(e.getMessage().contains("closure"), e.getMessage());
    }

    @Test void anUnknownLineSearchIsRefused() {
        Tensor p = Torch.ones(2).requiresGrad_();
        var opt = new LBFGS(List.of(p), LBFGS.options().lineSearchFn("backtracking"));
        var e = assertThrows(IllegalStateException.class, () -> opt.step(() -> {
            opt.zeroGrad();
            Tensor l = p.mul(p).sum();
            l.backward();
            return l;
        }));
        assertEquals("only 'strong_wolfe' is supported", e.getMessage());
    }
}
