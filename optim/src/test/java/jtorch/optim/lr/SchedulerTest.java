package jtorch.optim.lr;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import jtorch.Tensor;
import jtorch.optim.Adam;
import jtorch.optim.Optimizer;
import jtorch.optim.SGD;

import static jtorch.Torch.tensor;
import static jtorch.Torch.zeros;
import static org.junit.jupiter.api.Assertions.*;

/** Scheduler semantics beyond the fixture values: construction, resuming, group keys, state dicts, subclassing. */
class SchedulerTest {
    static List<Tensor> p() { return List.of(zeros(1).requiresGrad_()); }

    @Test void constructionSetsInitialLrAndPerformsTheInitialStep() {
        var opt = new SGD(p(), 0.1);
        opt.addParamGroup(p(), Map.of("lr", 0.2));
        var s = new ExponentialLR(opt, 0.5);
        assertEquals(0, s.lastEpoch());
        assertEquals(List.of(0.1, 0.2), s.baseLrs());
        assertEquals(List.of(0.1, 0.2), s.getLastLr());
        assertEquals(0.2, opt.paramGroups().get(1).options().getDouble("initial_lr"));
        opt.step();
        s.step();
        assertEquals(1, s.lastEpoch());
        assertEquals(List.of(0.05, 0.1), s.getLastLr());
        assertEquals(0.05, opt.paramGroups().get(0).options().lr());
        assertEquals(0.1, opt.paramGroups().get(0).options().getDouble("initial_lr"), "initial_lr stays");
    }

    @Test void anExistingInitialLrIsKeptAndResumingNeedsIt() {
        var opt = new SGD(p(), 0.07);
        opt.paramGroups().get(0).options().set("initial_lr", 0.1);
        var s = new StepLR(opt, 3, 0.5, 5);
        assertEquals(6, s.lastEpoch(), "the initial step advances the resumed epoch");
        assertEquals(List.of(0.035), s.getLastLr(), "epoch 6 is a multiple of step_size");
        assertEquals(List.of(0.1), s.baseLrs());
    }

    @Test void javadocExamplesHold() {
        var opt = new SGD(p(), 0.05);
        var warmup = new LinearLR(opt, 0.5, 1.0, 4);
        List<Double> lrs = new ArrayList<>(warmup.getLastLr());
        for (int i = 0; i < 5; i++) {
            opt.step();
            warmup.step();
            lrs.addAll(warmup.getLastLr());
        }
        // PyTorch 1.13 prints the same list (the recursive form rounds the fourth to 0.043750000000000004)
        assertEquals(List.of(0.025, 0.03125, 0.0375, 0.043750000000000004, 0.05, 0.05), lrs);

        var opt2 = new SGD(p(), 0.05);
        var ms = new MultiStepLR(opt2, List.of(3, 5), 0.1);
        List<Double> seen = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            seen.add(ms.getLastLr().get(0));
            opt2.step();
            ms.step();
        }
        assertEquals(0.05, seen.get(2));
        assertEquals(0.05 * 0.1, seen.get(3), 1e-18);
        assertEquals(0.05 * 0.1 * 0.1, seen.get(5), 1e-18);
        assertEquals(Map.of(3, 1, 5, 1), ms.milestones());
    }

    @Test void oneCycleWritesItsKeysAndCyclesBeta1() {
        var opt = new Adam(p(), Adam.options(1e-3).betas(0.9, 0.99));
        var s = new OneCycleLR(opt, 0.1, 10);
        var g = opt.paramGroups().get(0).options();
        assertEquals(0.1 / 25, g.getDouble("initial_lr"));
        assertEquals(0.1, g.getDouble("max_lr"));
        assertEquals(0.1 / 25 / 1e4, g.getDouble("min_lr"));
        assertEquals(0.95, g.getDouble("max_momentum"));
        assertEquals(0.85, g.getDouble("base_momentum"));
        assertEquals(List.of(0.95, 0.99), g.betas(), "beta1 starts at max_momentum, beta2 is kept");
        // the cosine anneal evaluated at pct 0 (PyTorch gets the same 0.0040000000000000036)
        assertEquals(List.of(0.0040000000000000036), s.getLastLr());
        for (int i = 0; i < 9; i++) {
            opt.step();
            s.step();
        }
        assertEquals(0.1 / 25 / 1e4, s.getLastLr().get(0), 1e-20, "step total_steps - 1 is at min_lr");
        assertEquals(0.95, g.betas().get(0), 1e-15);
        assertEquals(0.99, g.betas().get(1));
        opt.step();
        s.step();   // like PyTorch, one more step is allowed (it extrapolates the cosine)
        opt.step();
        assertEquals("Tried to step 12 times. The specified number of total steps is 10",
                assertThrows(IllegalStateException.class, s::step).getMessage());
        assertEquals(10, s.totalSteps());
    }

    @Test void oneCycleWithoutMomentumLeavesMomentumAlone() {
        var opt = new SGD(p(), SGD.options(0.1).momentum(0.5));
        new OneCycleLR(opt, OneCycleLR.options(0.2).totalSteps(5).cycleMomentum(false));
        assertEquals(0.5, opt.paramGroups().get(0).options().momentum());
        assertFalse(opt.paramGroups().get(0).options().has("max_momentum"));
    }

    @Test void reduceOnPlateauCountsBadEpochsAndCoolsDown() {
        var opt = new SGD(p(), 1.0);
        var s = new ReduceLROnPlateau(opt, ReduceLROnPlateau.options().patience(1).cooldown(1).factor(0.5));
        assertEquals(List.of(1.0), s.getLastLr(), "defined before the first step");
        assertEquals(Double.POSITIVE_INFINITY, s.best());
        s.step(tensor(1.0));
        assertEquals(1.0, s.best());
        s.step(1.0);
        assertEquals(1, s.numBadEpochs());
        s.step(1.0);   // second bad epoch > patience: reduce, start cooldown
        assertEquals(List.of(0.5), s.getLastLr());
        assertTrue(s.inCooldown());
        s.step(1.0);   // in cooldown: bad epochs ignored
        assertEquals(0, s.numBadEpochs());
        assertFalse(s.inCooldown());
        Map<String, Object> saved = s.stateDict();
        assertEquals(List.of("best", "num_bad_epochs", "cooldown_counter", "last_epoch", "_last_lr"), new ArrayList<>(saved.keySet()));
        var opt2 = new SGD(p(), 0.5);
        var s2 = new ReduceLROnPlateau(opt2, ReduceLROnPlateau.options().patience(1).cooldown(1).factor(0.5));
        s2.loadStateDict(saved);
        for (double m : new double[] {1.0, 1.0, 0.2, 0.3}) {
            s.step(m);
            s2.step(m);
            assertEquals(s.getLastLr(), s2.getLastLr());
            assertEquals(s.numBadEpochs(), s2.numBadEpochs());
        }
        assertEquals(List.of(0.25), s2.getLastLr());
        assertEquals(8, s2.lastEpoch());
    }

    @Test void schedulerStateDictRoundTrip() {
        var opt = new SGD(p(), 0.1);
        var s = new CosineAnnealingLR(opt, 6, 0.01);
        for (int i = 0; i < 3; i++) {
            opt.step();
            s.step();
        }
        Map<String, Object> saved = s.stateDict();
        assertEquals(List.of("base_lrs", "last_epoch", "_step_count", "_last_lr"), new ArrayList<>(saved.keySet()));
        assertEquals(3, saved.get("last_epoch"));
        assertEquals(4, saved.get("_step_count"));

        var opt2 = new SGD(p(), 0.5);
        opt2.loadStateDict(opt.stateDict());
        var s2 = new CosineAnnealingLR(opt2, 6, 0.01, 2);
        s2.loadStateDict(saved);
        for (int i = 0; i < 8; i++) {
            opt.step();
            s.step();
            opt2.step();
            s2.step();
            assertEquals(s.getLastLr(), s2.getLastLr(), "step " + i);
        }
    }

    /** A custom schedule through the documented subclass contract (PyTorch's LambdaLR, in effect). */
    static final class HalvingEveryEpoch extends LRScheduler {
        HalvingEveryEpoch(Optimizer<?> opt) {
            super(opt);
            initialize(-1);
        }

        @Override protected List<Double> getLr() {
            List<Double> r = new ArrayList<>();
            for (double base : baseLrs) r.add(base * Math.pow(0.5, lastEpoch));
            return r;
        }
    }

    @Test void customSchedulersFollowTheSameContract() {
        var opt = new SGD(p(), 0.8);
        var s = new HalvingEveryEpoch(opt);
        opt.step();
        s.step();
        opt.step();
        s.step();
        assertEquals(List.of(0.2), s.getLastLr());
        assertSame(opt, s.optimizer());
    }

    @Test void chainedSchedulersCompose() {
        var opt = new SGD(p(), 0.1);
        var warm = new LinearLR(opt, 0.5, 1.0, 2);
        var decay = new ExponentialLR(opt, 0.5);
        assertEquals(List.of(0.05), decay.getLastLr());
        opt.step();
        warm.step();
        decay.step();
        assertEquals(0.1 * 0.5 * 1.5 * 0.5, decay.getLastLr().get(0), 1e-17);
        assertEquals(warm.getLastLr().get(0) * 0.5, decay.getLastLr().get(0));
    }

    /** Steps {@code a} seven times, saves, builds {@code b} the same way on another optimizer, loads; both then give the same lrs. */
    static void resumes(String what, java.util.function.Function<Optimizer<?>, LRScheduler> make) {
        var optA = new SGD(p(), SGD.options(0.1).momentum(0.9));
        LRScheduler a = make.apply(optA);
        for (int k = 0; k < 7; k++) { optA.step(); a.step(); }
        var optB = new SGD(p(), SGD.options(0.1).momentum(0.9));
        LRScheduler b = make.apply(optB);
        optB.loadStateDict(optA.stateDict());
        b.loadStateDict(a.stateDict());
        for (int k = 0; k < 12; k++) {
            optA.step(); a.step();
            optB.step(); b.step();
            assertEquals(a.getLastLr(), b.getLastLr(), what + " after " + (k + 8) + " steps");
            assertEquals(optA.paramGroups().get(0).options().lr(), optB.paramGroups().get(0).options().lr(), what);
        }
    }

    @Test void newSchedulersResumeFromTheirStateDicts() {
        resumes("LambdaLR", o -> new LambdaLR(o, e -> 1.0 / (e + 1)));
        resumes("MultiplicativeLR", o -> new MultiplicativeLR(o, e -> 0.9));
        resumes("CyclicLR", o -> new CyclicLR(o, CyclicLR.options(0.01, 0.1).stepSizeUp(3).mode("triangular2")));
        resumes("CosineAnnealingWarmRestarts", o -> new CosineAnnealingWarmRestarts(o, 3, 2, 0.001));
        resumes("PolynomialLR", o -> new PolynomialLR(o, 15, 2.0));
        resumes("SequentialLR", o -> new SequentialLR(o, List.of(new LinearLR(o, 0.1, 1.0, 4), new ExponentialLR(o, 0.9)), List.of(4)));
        resumes("ChainedScheduler", o -> new ChainedScheduler(List.of(new StepLR(o, 3, 0.5), new ExponentialLR(o, 0.95))));
    }

    @Test void newSchedulersStateDictKeys() {
        var o = new SGD(p(), 0.1);
        assertEquals(List.of("base_lrs", "last_epoch", "_step_count", "_last_lr", "lr_lambdas"),
                new ArrayList<>(new LambdaLR(o, e -> 1.0).stateDict().keySet()));
        assertEquals(java.util.Arrays.asList((Object) null), new LambdaLR(o, e -> 1.0).stateDict().get("lr_lambdas"));
        var w = new CosineAnnealingWarmRestarts(new SGD(p(), 0.1), 3, 2, 0.0);
        assertTrue(w.stateDict().keySet().containsAll(List.of("T_0", "T_i", "T_mult", "eta_min", "T_cur")));
        var o2 = new SGD(p(), 0.1);
        var seq = new SequentialLR(o2, List.of(new StepLR(o2, 2), new StepLR(o2, 3)), List.of(2));
        assertEquals(List.of("_milestones", "last_epoch", "_last_lr", "_schedulers"), new ArrayList<>(seq.stateDict().keySet()));
        assertThrows(UnsupportedOperationException.class, () -> seq.step(3));
    }

    @Test void warmRestartsTakeFractionalEpochs() {
        var opt = new SGD(p(), 0.1);
        var s = new CosineAnnealingWarmRestarts(opt, 10, 2, 0.0);
        s.step(2.5);
        assertEquals(0.1 * (1 + Math.cos(Math.PI * 2.5 / 10)) / 2, s.getLastLr().get(0), 1e-17);
        s.step(12.5);                                   // in the second period (length 20), 2.5 into it
        assertEquals(20, s.tI());
        assertEquals(2.5, s.tCur(), 0.0);
        assertEquals(12, s.lastEpoch());
        var e = assertThrows(IllegalArgumentException.class, () -> s.step(-0.5));
        assertEquals("Expected non-negative epoch, but got -0.5", e.getMessage());
    }
}
