package jtorch.optim;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

import jtorch.PyFormat;
import jtorch.DType;
import jtorch.Tensor;
import jtorch.Torch;
import jtorch.optim.lr.StepLR;

import static jtorch.Torch.tensor;
import static jtorch.Torch.zeros;
import static org.junit.jupiter.api.Assertions.*;

/** {@code stateDict()}/{@code loadStateDict()}: structure, validation, deep copies, casts, and resuming training exactly. */
class StateDictTest {
    /** Three float64 parameters of different shapes. */
    static List<Tensor> params() {
        return List.of(tensor(new double[][] {{0.5, -1.2, 0.8}, {1.5, -0.3, 0.05}}).requiresGrad_(),
                tensor(new double[] {-0.7, 0.2, 1.1, -1.4, 0.9}).requiresGrad_(),
                tensor(0.6, DType.FLOAT64).requiresGrad_());
    }

    static List<Tensor> copies(List<Tensor> ps) {
        List<Tensor> r = new ArrayList<>();
        for (Tensor p : ps) r.add(p.detach().clone().requiresGrad_());
        return r;
    }

    /** One step of training with the gradient p^3 - 0.1 (skipping the second parameter on even steps). */
    static void step(Optimizer<?> opt, List<Tensor> ps, int k) {
        for (int i = 0; i < ps.size(); i++) {
            Tensor p = ps.get(i);
            if (i == 1 && k % 2 == 0) p.setGrad(null);
            else p.setGrad(Torch.noGrad(() -> p.mul(p).mul(p).sub(0.1)));
        }
        opt.step();
    }

    static void assertSameBits(List<Tensor> expected, List<Tensor> actual, String what) {
        for (int i = 0; i < expected.size(); i++) {
            double[] e = expected.get(i).detach().toDoubleArray(), a = actual.get(i).detach().toDoubleArray();
            for (int j = 0; j < e.length; j++)
                assertEquals(Double.doubleToLongBits(e[j]), Double.doubleToLongBits(a[j]),
                        what + ": param " + i + "[" + j + "] " + e[j] + " vs " + a[j]);
        }
    }

    /**
     * Three steps, save, a new optimizer (with other options) on copies of the parameters, load,
     * three more steps: bit for bit the six-step run. The first run changes a group's lr after its
     * first step, which only the loaded param groups can carry over.
     */
    static void resumesExactly(String what, Function<List<Tensor>, Optimizer<?>> make, Function<List<Tensor>, Optimizer<?>> makeOther) {
        List<Tensor> straight = params();
        Optimizer<?> a = make.apply(straight);
        for (int k = 1; k <= 6; k++) {
            step(a, straight, k);
            if (k == 1) a.paramGroups().get(0).options().lr(a.paramGroups().get(0).options().lr() * 0.5);
        }

        List<Tensor> first = params();
        Optimizer<?> b = make.apply(first);
        for (int k = 1; k <= 3; k++) {
            step(b, first, k);
            if (k == 1) b.paramGroups().get(0).options().lr(b.paramGroups().get(0).options().lr() * 0.5);
        }
        Optimizer.StateDict saved = b.stateDict();
        String savedText = saved.toString();

        List<Tensor> resumed = copies(first);
        Optimizer<?> c = makeOther.apply(resumed);
        c.loadStateDict(saved);
        assertEquals(savedText, c.stateDict().toString(), what + ": the loaded optimizer's state_dict is the saved one");
        for (int k = 4; k <= 6; k++) step(c, resumed, k);
        assertSameBits(straight, resumed, what);
        assertEquals(savedText, saved.toString(), what + ": loading copies the state (the saved tensors did not move)");
        assertNotEquals(savedText, c.stateDict().toString());
    }

    @Test void trainingContinuesIdenticallyAfterALoad() {
        resumesExactly("SGD", ps -> new SGD(ps, SGD.options(0.05).momentum(0.9).nesterov(true).weightDecay(0.01)),
                ps -> new SGD(ps, SGD.options(0.5).momentum(0.9).nesterov(true).weightDecay(0.01)));
        resumesExactly("Adam", ps -> new Adam(ps, Adam.options(0.01).amsgrad(true).weightDecay(0.1)),
                ps -> new Adam(ps, Adam.options(0.3)));
        resumesExactly("AdamW", ps -> new AdamW(ps, AdamW.options(0.02).betas(0.8, 0.99)), ps -> new AdamW(ps));
        resumesExactly("RMSprop", ps -> new RMSprop(ps, RMSprop.options(0.01).momentum(0.5).centered(true)),
                ps -> new RMSprop(ps, RMSprop.options(0.01).momentum(0.5).centered(true)));
        resumesExactly("Adagrad", ps -> new Adagrad(ps, Adagrad.options(0.1).lrDecay(0.05).initialAccumulatorValue(0.1)),
                ps -> new Adagrad(ps));
        resumesExactly("Adadelta", ps -> new Adadelta(ps, Adadelta.options(0.5).rho(0.8).weightDecay(0.1)), ps -> new Adadelta(ps));
        resumesExactly("Adamax", ps -> new Adamax(ps, Adamax.options(0.02).betas(0.8, 0.99)), ps -> new Adamax(ps));
        // NAdam is not here: loading casts its float32 mu_product to the parameters' dtype, in PyTorch too (see below)
        resumesExactly("RAdam", ps -> new RAdam(ps, RAdam.options(0.02).betas(0.8, 0.9)), ps -> new RAdam(ps));
        // nor ASGD, whose float32 eta and mu load as the parameters' dtype likewise
        resumesExactly("Adam, two groups", ps -> {
            var o = new Adam(List.of(ps.get(0), ps.get(2)), Adam.options(0.01));
            o.addParamGroup(List.of(ps.get(1)), Map.of("lr", 0.05, "amsgrad", true));
            return o;
        }, ps -> {
            var o = new Adam(List.of(ps.get(0), ps.get(2)));
            o.addParamGroup(List.of(ps.get(1)));
            return o;
        });
    }

    @Test void structureMirrorsPyTorchs() {
        Tensor a = tensor(new float[] {1f, 2f}).requiresGrad_(), b = zeros(3).requiresGrad_(), c = zeros(1).requiresGrad_();
        var opt = new Adam(List.of(a, b));
        opt.addParamGroup(List.of(c), Map.of("lr", 0.01));
        var empty = opt.stateDict();
        assertTrue(empty.state().isEmpty(), "Adam's state is created at the first step");
        assertEquals(List.of(0, 1), empty.paramGroups().get(0).get("params"));
        assertEquals(List.of(2), empty.paramGroups().get(1).get("params"));

        a.setGrad(tensor(new float[] {1f, 2f}));
        opt.step();
        var sd = opt.stateDict();
        assertEquals(List.of(0), new ArrayList<>(sd.state().keySet()), "only parameters that had a gradient have state");
        assertEquals(List.of("step", "exp_avg", "exp_avg_sq"), new ArrayList<>(sd.state().get(0).keySet()));
        assertEquals(List.of("lr", "betas", "eps", "weight_decay", "amsgrad", "maximize", "params"),
                new ArrayList<>(sd.paramGroups().get(0).keySet()));
        assertSame(opt.state(a).get("exp_avg"), sd.state().get(0).get("exp_avg"), "state tensors are the optimizer's own, as in PyTorch");
        assertEquals("{'state': {0: {'step': tensor(1.), 'exp_avg': tensor([0.1000, 0.2000]), 'exp_avg_sq': tensor([0.0010, 0.0040])}}, "
                + "'param_groups': [{'lr': 0.001, 'betas': (0.9, 0.999), 'eps': 1e-08, 'weight_decay': 0.0, 'amsgrad': False, "
                + "'maximize': False, 'params': [0, 1]}, {'lr': 0.01, 'betas': (0.9, 0.999), 'eps': 1e-08, 'weight_decay': 0.0, "
                + "'amsgrad': False, 'maximize': False, 'params': [2]}]}", sd.toString());
    }

    @Test void adagradStateExistsBeforeTheFirstStep() {
        Tensor p = zeros(2).requiresGrad_();
        var opt = new Adagrad(List.of(p), Adagrad.options().initialAccumulatorValue(0.5));
        assertEquals("{0: {'step': tensor(0.), 'sum': tensor([0.5000, 0.5000])}}", PyFormat.repr((Object) opt.stateDict().state()));
        Tensor q = zeros(new long[] {1}, DType.FLOAT64).requiresGrad_();
        opt.addParamGroup(List.of(q));
        assertEquals(DType.FLOAT64, ((Tensor) opt.state(q).get("sum")).dtype());
    }

    @Test void loadingCastsFloatingStateToTheParameterDtypeExceptStep() {
        Tensor p32 = tensor(new float[] {1f, -1f}).requiresGrad_();
        var src = new Adam(List.of(p32));
        p32.setGrad(tensor(new float[] {0.5f, 0.25f}));
        src.step();
        Tensor p64 = tensor(new double[] {1, -1}).requiresGrad_();
        var dst = new Adam(List.of(p64));
        dst.loadStateDict(src.stateDict());
        assertEquals(DType.FLOAT64, ((Tensor) dst.state(p64).get("exp_avg")).dtype());
        assertEquals(DType.FLOAT64, ((Tensor) dst.state(p64).get("exp_avg_sq")).dtype());
        assertEquals(DType.FLOAT32, ((Tensor) dst.state(p64).get("step")).dtype(), "step is never cast");
        assertNotSame(src.state(p32).get("step"), dst.state(p64).get("step"));

        var rms = new RMSprop(List.of(p32));
        p32.setGrad(null);
        rms.step();   // no gradient: nothing happens
        assertTrue(rms.state(p32).isEmpty());
        p32.setGrad(tensor(new float[] {0.5f, 0.25f}));
        rms.step();
        var rms2 = new RMSprop(List.of(p64));
        rms2.loadStateDict(rms.stateDict());
        assertEquals(1L, rms2.state(p64).get("step"), "numbers are copied as they are");
    }

    @Test void loadedGroupsReplaceTheOptionsIncludingSchedulerKeys() {
        Tensor p = zeros(1).requiresGrad_();
        var opt = new SGD(List.of(p), SGD.options(0.1).momentum(0.9));
        var sched = new StepLR(opt, 2, 0.5);
        for (int i = 0; i < 4; i++) {
            opt.step();
            sched.step();
        }
        assertEquals(0.025, opt.paramGroups().get(0).options().lr());
        var other = new SGD(List.of(zeros(1).requiresGrad_()), 1.0);
        other.paramGroups().get(0).options().set("stale_key", 1.0);
        other.loadStateDict(opt.stateDict());
        var o = other.paramGroups().get(0).options();
        assertEquals(0.025, o.lr());
        assertEquals(0.9, o.momentum());
        assertEquals(0.1, o.getDouble("initial_lr"));
        assertFalse(o.has("stale_key"), "the group dict is replaced, as in PyTorch");
        var resumed = new StepLR(other, 2, 0.5, sched.lastEpoch());
        resumed.loadStateDict(sched.stateDict());
        for (int i = 0; i < 2; i++) {
            other.step();
            resumed.step();
            opt.step();
            sched.step();
            assertEquals(sched.getLastLr(), resumed.getLastLr());
        }
        assertEquals(List.of(0.0125), resumed.getLastLr());
    }

    @Test void badStateDictsAreRefused() {
        var opt = new SGD(List.of(zeros(1).requiresGrad_()), 0.1);
        var noParams = new Optimizer.StateDict(Map.of(), List.of(Map.of("lr", 0.1)));
        assertEquals("loaded state dict's parameter group 0 has no 'params' list",
                assertThrows(IllegalArgumentException.class, () -> opt.loadStateDict(noParams)).getMessage());
        // A complete SGD group (a group missing SGD's keys is another optimizer's: a KeyError, see OptimizerCheckpointTest).
        var wrongType = new Optimizer.StateDict(Map.of(), List.of(Map.of("lr", "fast", "momentum", 0.0, "dampening", 0.0,
                "weight_decay", 0.0, "params", List.of(0))));
        assertEquals("option 'lr' expects a number, got 'fast'",
                assertThrows(IllegalArgumentException.class, () -> opt.loadStateDict(wrongType)).getMessage());
    }

    /** PyTorch 1.13's load_state_dict casts every floating state tensor but 'step' to the parameter's dtype: NAdam's mu_product too. */
    @Test void nadamMuProductTakesTheParameterDtypeOnLoadAsInPyTorch() {
        List<Tensor> ps = params();
        var opt = new NAdam(ps, NAdam.options(0.02));
        step(opt, ps, 1);
        assertEquals(DType.FLOAT32, ((Tensor) opt.state(ps.get(0)).get("mu_product")).dtype());
        List<Tensor> qs = copies(ps);
        var loaded = new NAdam(qs);
        loaded.loadStateDict(opt.stateDict());
        assertEquals(DType.FLOAT64, ((Tensor) loaded.state(qs.get(0)).get("mu_product")).dtype());
        assertEquals(DType.FLOAT32, ((Tensor) loaded.state(qs.get(0)).get("step")).dtype());
    }
}
