package jtorch.optim.lr;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntToDoubleFunction;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import jtorch.Tensor;
import jtorch.Torch;
import jtorch.optim.Adagrad;
import jtorch.optim.Adam;
import jtorch.optim.AdamW;
import jtorch.optim.Fixtures;
import jtorch.optim.Optimizer;
import jtorch.optim.RMSprop;
import jtorch.optim.SGD;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Replays the scheduler records of {@code optim_fixtures.txt}: the learning rate of every group
 * (and OneCycleLR's momentum) after construction and after each of 30 steps, recorded from
 * PyTorch 1.13, must be equal <b>bit for bit</b>. The schedulers evaluate PyTorch's recursive
 * formulas in Python's operation order; {@link Math#cos} and {@link Math#pow} agree with
 * CPython's {@code math.cos} and {@code **} on all of these values.
 */
class SchedulerFixturesTest {

    static Optimizer<?> optimizer(String name, String groupSpec) {
        String[] groups = groupSpec.split("\\|");
        Optimizer<?> opt = null;
        for (String g : groups) {
            Map<String, Object> opts = Fixtures.parseOptions(g);
            List<Tensor> ps = List.of(Torch.zeros(1).requiresGrad_());
            if (opt == null) {
                double lr = (Double) opts.get("lr");
                switch (name) {
                    case "SGD": opt = new SGD(ps, SGD.options(lr)); break;
                    case "Adam": opt = new Adam(ps, Adam.options(lr)); break;
                    case "AdamW": opt = new AdamW(ps, AdamW.options(lr)); break;
                    case "RMSprop": opt = new RMSprop(ps, RMSprop.options(lr)); break;
                    case "Adagrad": opt = new Adagrad(ps, Adagrad.options(lr)); break;
                    default: throw new IllegalArgumentException(name);
                }
                var o = opt.paramGroups().get(0).options();
                opts.forEach(o::set);
            } else {
                opt.addParamGroup(ps, opts);
            }
        }
        return opt;
    }

    static List<Double> doubles(String csv) {
        List<Double> r = new ArrayList<>();
        for (String s : csv.split(",")) r.add(Double.parseDouble(s));
        return r;
    }

    static int intArg(Map<String, String> a, String k, int dflt) { return a.containsKey(k) ? Integer.parseInt(a.get(k)) : dflt; }

    static double doubleArg(Map<String, String> a, String k, double dflt) { return a.containsKey(k) ? Double.parseDouble(a.get(k)) : dflt; }

    /** The scheduler(s) of a record, from its class name and keyword arguments. */
    /** The functions of the LambdaLR and MultiplicativeLR records, as the generator's LAMBDAS. */
    static IntToDoubleFunction lambda(String name) {
        switch (name) {
            case "pow095": return epoch -> Math.pow(0.95, epoch);
            case "inverse": return epoch -> 1.0 / (epoch + 1);
            case "const09": return epoch -> 0.9;
            case "alternate": return epoch -> epoch % 3 == 0 ? 0.5 : 1.1;
            default: throw new IllegalArgumentException(name);
        }
    }

    static List<IntToDoubleFunction> lambdas(String spec) {
        List<IntToDoubleFunction> r = new ArrayList<>();
        for (String s : spec.split(",")) r.add(lambda(s));
        return r;
    }

    /** The schedulers a SequentialLR or ChainedScheduler record combines, as the generator's sub_schedulers. */
    static List<LRScheduler> subSchedulers(String name, Optimizer<?> opt) {
        switch (name) {
            case "sequential_warmup_exp": return List.of(new LinearLR(opt, 0.1, 1.0, 5), new ExponentialLR(opt, 0.9));
            case "sequential_three":
                return List.of(new LinearLR(opt, 0.5, 1.0, 4), new StepLR(opt, 3, 0.5), new CosineAnnealingLR(opt, 8, 0.001));
            case "sequential_warm_restarts":
                return List.of(new PolynomialLR(opt, 3, 2.0), new CosineAnnealingWarmRestarts(opt, 4, 2, 0.0));
            case "chained_scheduler":
                return List.of(new MultiStepLR(opt, List.of(4, 9), 0.5), new ExponentialLR(opt, 0.95), new PolynomialLR(opt, 20, 0.5));
            default: throw new IllegalArgumentException(name);
        }
    }

    static List<Integer> ints(String csv) {
        List<Integer> r = new ArrayList<>();
        for (String s : csv.split(",")) r.add(Integer.parseInt(s));
        return r;
    }

    static List<Object> schedulers(String name, String cls, Optimizer<?> opt, Map<String, String> a) {
        int lastEpoch = intArg(a, "last_epoch", -1);
        switch (cls) {
            case "LambdaLR": {
                String f = a.get("lr_lambda");
                return List.of(f.contains(",") ? new LambdaLR(opt, lambdas(f)) : new LambdaLR(opt, lambda(f)));
            }
            case "MultiplicativeLR": {
                String f = a.get("lr_lambda");
                return List.of(f.contains(",") ? new MultiplicativeLR(opt, lambdas(f)) : new MultiplicativeLR(opt, lambda(f)));
            }
            case "CyclicLR": {
                String b = a.get("base_lr"), m = a.get("max_lr");
                var o = b.contains(",") ? CyclicLR.options(doubles(b), doubles(m)) : CyclicLR.options(Double.parseDouble(b), Double.parseDouble(m));
                a.forEach((k, v) -> {
                    switch (k) {
                        case "base_lr": case "max_lr": break;
                        case "step_size_up": o.stepSizeUp(Double.parseDouble(v)); break;
                        case "step_size_down": o.stepSizeDown(Double.parseDouble(v)); break;
                        case "mode": o.mode(v); break;
                        case "gamma": o.gamma(Double.parseDouble(v)); break;
                        case "cycle_momentum": o.cycleMomentum(Boolean.parseBoolean(v.toLowerCase())); break;
                        case "base_momentum": if (v.contains(",")) o.baseMomentum(doubles(v)); else o.baseMomentum(Double.parseDouble(v)); break;
                        case "max_momentum": if (v.contains(",")) o.maxMomentum(doubles(v)); else o.maxMomentum(Double.parseDouble(v)); break;
                        default: throw new IllegalArgumentException(k);
                    }
                });
                return List.of(new CyclicLR(opt, o));
            }
            case "CosineAnnealingWarmRestarts":
                return List.of(new CosineAnnealingWarmRestarts(opt, intArg(a, "T_0", 0), intArg(a, "T_mult", 1),
                        doubleArg(a, "eta_min", 0), lastEpoch));
            case "PolynomialLR":
                return List.of(new PolynomialLR(opt, intArg(a, "total_iters", 5), doubleArg(a, "power", 1.0), lastEpoch));
            case "SequentialLR":
                return List.of(new SequentialLR(opt, subSchedulers(name, opt), ints(a.get("milestones"))));
            case "ChainedScheduler":
                return List.of(new ChainedScheduler(subSchedulers(name, opt)));
            case "StepLR":
                return List.of(new StepLR(opt, intArg(a, "step_size", 0), doubleArg(a, "gamma", 0.1), lastEpoch));
            case "MultiStepLR": {
                List<Integer> ms = new ArrayList<>();
                for (String s : a.get("milestones").split(",")) ms.add(Integer.parseInt(s));
                return List.of(new MultiStepLR(opt, ms, doubleArg(a, "gamma", 0.1), lastEpoch));
            }
            case "ExponentialLR":
                return List.of(new ExponentialLR(opt, doubleArg(a, "gamma", 0), lastEpoch));
            case "CosineAnnealingLR":
                return List.of(new CosineAnnealingLR(opt, intArg(a, "T_max", 0), doubleArg(a, "eta_min", 0), lastEpoch));
            case "LinearLR":
                return List.of(new LinearLR(opt, doubleArg(a, "start_factor", 1.0 / 3), doubleArg(a, "end_factor", 1.0),
                        intArg(a, "total_iters", 5), lastEpoch));
            case "OneCycleLR": {
                String maxLr = a.get("max_lr");
                var o = maxLr.contains(",") ? OneCycleLR.options(doubles(maxLr)) : OneCycleLR.options(Double.parseDouble(maxLr));
                a.forEach((k, v) -> {
                    switch (k) {
                        case "max_lr": break;
                        case "total_steps": o.totalSteps(Integer.parseInt(v)); break;
                        case "epochs": o.epochs(Integer.parseInt(v)); break;
                        case "steps_per_epoch": o.stepsPerEpoch(Integer.parseInt(v)); break;
                        case "pct_start": o.pctStart(Double.parseDouble(v)); break;
                        case "anneal_strategy": o.annealStrategy(v); break;
                        case "cycle_momentum": o.cycleMomentum(Boolean.parseBoolean(v.toLowerCase())); break;
                        case "three_phase": o.threePhase(Boolean.parseBoolean(v.toLowerCase())); break;
                        case "div_factor": o.divFactor(Double.parseDouble(v)); break;
                        case "final_div_factor": o.finalDivFactor(Double.parseDouble(v)); break;
                        case "base_momentum": o.baseMomentum(Double.parseDouble(v)); break;
                        case "max_momentum": o.maxMomentum(Double.parseDouble(v)); break;
                        default: throw new IllegalArgumentException(k);
                    }
                });
                return List.of(new OneCycleLR(opt, o));
            }
            case "ReduceLROnPlateau": {
                var o = ReduceLROnPlateau.options();
                a.forEach((k, v) -> {
                    switch (k) {
                        case "mode": o.mode(v); break;
                        case "factor": o.factor(Double.parseDouble(v)); break;
                        case "patience": o.patience(Integer.parseInt(v)); break;
                        case "threshold": o.threshold(Double.parseDouble(v)); break;
                        case "threshold_mode": o.thresholdMode(v); break;
                        case "cooldown": o.cooldown(Integer.parseInt(v)); break;
                        case "min_lr": if (v.contains(",")) o.minLr(doubles(v)); else o.minLr(Double.parseDouble(v)); break;
                        case "eps": o.eps(Double.parseDouble(v)); break;
                        default: throw new IllegalArgumentException(k);
                    }
                });
                return List.of(new ReduceLROnPlateau(opt, o));
            }
            case "LinearLR+ExponentialLR":
                return List.of(new LinearLR(opt, 0.5, 1.0, 4), new ExponentialLR(opt, 0.9));
            default: throw new IllegalArgumentException(cls);
        }
    }

    static List<Double> lastLr(Object s) {
        return s instanceof ReduceLROnPlateau ? ((ReduceLROnPlateau) s).getLastLr() : ((LRScheduler) s).getLastLr();
    }

    static double momentum(Optimizer.Options<?> o) {
        if (o.has("betas")) return ((Number) ((List<?>) o.get("betas")).get(0)).doubleValue();
        return o.has("momentum") ? o.getDouble("momentum") : Double.NaN;
    }

    static void assertSame(double expected, double actual, String what) {
        if (Double.doubleToLongBits(expected) != Double.doubleToLongBits(actual))
            fail(what + ": expected " + Double.toHexString(expected) + " (" + expected + ") but was " + Double.toHexString(actual)
                    + " (" + actual + ")");
    }

    static void run(Fixtures.Block b) {
        String[] h = b.header();
        Optimizer<?> opt = optimizer(h[3], h[4]);
        List<Object> scheds = schedulers(b.name(), h[2], opt, Fixtures.parseArgs(h[5]));
        int steps = Integer.parseInt(h[6]);
        List<String[]> metricLines = b.lines("metrics");
        double[] metrics = metricLines.isEmpty() ? null : Fixtures.parseHexes(metricLines.get(0)[1]);
        int groups = opt.paramGroups().size();
        List<List<Double>> lrs = new ArrayList<>(), moms = new ArrayList<>();
        Object last = scheds.get(scheds.size() - 1);
        for (int g = 0; g < groups; g++) {
            lrs.add(new ArrayList<>(List.of(lastLr(last).get(g))));
            moms.add(new ArrayList<>(List.of(momentum(opt.paramGroups().get(g).options()))));
        }
        for (int k = 0; k < steps; k++) {
            opt.step();
            for (Object s : scheds) {
                if (s instanceof ReduceLROnPlateau) ((ReduceLROnPlateau) s).step(metrics[k]);
                else ((LRScheduler) s).step();
            }
            for (int g = 0; g < groups; g++) {
                assertEquals(opt.paramGroups().get(g).options().lr(), lastLr(last).get(g), "getLastLr is the group's lr");
                lrs.get(g).add(lastLr(last).get(g));
                moms.get(g).add(momentum(opt.paramGroups().get(g).options()));
            }
        }
        List<String[]> lrLines = b.lines("lr");
        assertEquals(groups, lrLines.size());
        for (String[] l : lrLines) {
            int g = Integer.parseInt(l[1]);
            double[] e = Fixtures.parseHexes(l[2]);
            assertEquals(steps + 1, e.length);
            for (int k = 0; k <= steps; k++) assertSame(e[k], lrs.get(g).get(k), b.name() + " group " + g + " lr after step " + k);
        }
        for (String[] l : b.lines("momentum")) {
            int g = Integer.parseInt(l[1]);
            double[] e = Fixtures.parseHexes(l[2]);
            for (int k = 0; k <= steps; k++)
                assertSame(e[k], moms.get(g).get(k), b.name() + " group " + g + " momentum after step " + k);
        }
    }

    @TestFactory Stream<DynamicTest> learningRatesMatchPyTorchBitForBit() {
        assertFalse(Fixtures.SCHEDULERS.isEmpty());
        return Fixtures.SCHEDULERS.values().stream().map(b -> DynamicTest.dynamicTest(b.name(), () -> run(b)));
    }

    @Test void everySchedulerIsCovered() {
        var seen = new java.util.TreeSet<String>();
        for (var b : Fixtures.SCHEDULERS.values()) seen.addAll(List.of(b.header()[2].split("\\+")));
        assertEquals(new java.util.TreeSet<>(List.of("CosineAnnealingLR", "ExponentialLR", "LinearLR", "MultiStepLR", "OneCycleLR",
                "ReduceLROnPlateau", "StepLR",
                "LambdaLR", "MultiplicativeLR", "CyclicLR", "CosineAnnealingWarmRestarts", "PolynomialLR", "SequentialLR",
                "ChainedScheduler")), seen);
    }
}
