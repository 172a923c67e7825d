package jtorch.optim;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.IntToDoubleFunction;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;

import jtorch.PyFormat;
import jtorch.Tensor;
import jtorch.optim.lr.ChainedScheduler;
import jtorch.optim.lr.CosineAnnealingWarmRestarts;
import jtorch.optim.lr.CyclicLR;
import jtorch.optim.lr.LambdaLR;
import jtorch.optim.lr.LinearLR;
import jtorch.optim.lr.MultiplicativeLR;
import jtorch.optim.lr.SequentialLR;
import jtorch.optim.lr.OneCycleLR;
import jtorch.optim.lr.ReduceLROnPlateau;
import jtorch.optim.lr.StepLR;

import static jtorch.Torch.zeros;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Each {@code error} record of {@code optim_fixtures.txt} is a call PyTorch 1.13 refuses, with its
 * message; the same call here must fail with the same message. Python's ValueError maps to
 * {@link IllegalArgumentException} and KeyError to {@link NoSuchElementException}, except that
 * stepping OneCycleLR past its end is an {@link IllegalStateException}. Also checks
 * {@link PyFormat#repr(double)} against Python's {@code repr} (the numbers in those messages).
 */
class ErrorMessagesTest {
    private static List<Tensor> p() { return List.of(zeros(2).requiresGrad_()); }

    private static SGD sgd2() {
        var opt = new SGD(List.of(zeros(1).requiresGrad_()), 0.1);
        opt.addParamGroup(List.of(zeros(1).requiresGrad_()));
        return opt;
    }

    private static final Map<String, Executable> CALLS = new LinkedHashMap<>();
    private static final Map<String, Class<? extends Throwable>> JAVA_TYPE = Map.of(
            "ValueError", IllegalArgumentException.class, "KeyError", NoSuchElementException.class);

    static {
        CALLS.put("sgd_lr", () -> new SGD(p(), -0.1));
        CALLS.put("sgd_momentum", () -> new SGD(p(), SGD.options(0.1).momentum(-0.5)));
        CALLS.put("sgd_weight_decay", () -> new SGD(p(), SGD.options(0.1).weightDecay(-1e-4)));
        CALLS.put("sgd_nesterov", () -> new SGD(p(), SGD.options(0.1).nesterov(true)));
        CALLS.put("sgd_nesterov_dampening", () -> new SGD(p(), SGD.options(0.1).momentum(0.9).dampening(0.1).nesterov(true)));
        CALLS.put("adam_lr", () -> new Adam(p(), -1e-3));
        CALLS.put("adam_eps", () -> new Adam(p(), Adam.options().eps(-1e-8)));
        CALLS.put("adam_beta0", () -> new Adam(p(), Adam.options().betas(1.0, 0.999)));
        CALLS.put("adam_beta1", () -> new Adam(p(), Adam.options().betas(0.9, -0.1)));
        CALLS.put("adam_weight_decay", () -> new Adam(p(), Adam.options().weightDecay(-0.01)));
        CALLS.put("adamw_lr", () -> new AdamW(p(), -2.5));
        CALLS.put("adamw_beta0", () -> new AdamW(p(), AdamW.options().betas(-0.5, 0.999)));
        CALLS.put("adamw_beta1", () -> new AdamW(p(), AdamW.options().betas(0.9, 1.5)));
        CALLS.put("adamw_eps", () -> new AdamW(p(), AdamW.options().eps(-1e-12)));
        CALLS.put("adamw_weight_decay", () -> new AdamW(p(), AdamW.options().weightDecay(-1e-2)));
        CALLS.put("rmsprop_lr", () -> new RMSprop(p(), -0.01));
        CALLS.put("rmsprop_eps", () -> new RMSprop(p(), RMSprop.options().eps(-1.0)));
        CALLS.put("rmsprop_momentum", () -> new RMSprop(p(), RMSprop.options().momentum(-0.9)));
        CALLS.put("rmsprop_weight_decay", () -> new RMSprop(p(), RMSprop.options().weightDecay(-0.1)));
        CALLS.put("rmsprop_alpha", () -> new RMSprop(p(), RMSprop.options().alpha(-0.99)));
        CALLS.put("adagrad_lr", () -> new Adagrad(p(), -0.01));
        CALLS.put("adagrad_lr_decay", () -> new Adagrad(p(), Adagrad.options().lrDecay(-0.1)));
        CALLS.put("adagrad_weight_decay", () -> new Adagrad(p(), Adagrad.options().weightDecay(-1e-5)));
        CALLS.put("adagrad_initial_accumulator_value", () -> new Adagrad(p(), Adagrad.options().initialAccumulatorValue(-1.0)));
        CALLS.put("adagrad_eps", () -> new Adagrad(p(), Adagrad.options().eps(-1e-10)));
        CALLS.put("adadelta_lr", () -> new Adadelta(p(), -1.0));
        CALLS.put("adadelta_rho", () -> new Adadelta(p(), Adadelta.options().rho(1.5)));
        CALLS.put("adadelta_eps", () -> new Adadelta(p(), Adadelta.options().eps(-1e-6)));
        CALLS.put("adadelta_weight_decay", () -> new Adadelta(p(), Adadelta.options().weightDecay(-0.1)));
        CALLS.put("adamax_lr", () -> new Adamax(p(), -2e-3));
        CALLS.put("adamax_beta0", () -> new Adamax(p(), Adamax.options().betas(1.0, 0.999)));
        CALLS.put("adamax_eps", () -> new Adamax(p(), Adamax.options().eps(-1.0)));
        CALLS.put("nadam_beta1", () -> new NAdam(p(), NAdam.options().betas(0.9, 1.0)));
        CALLS.put("nadam_momentum_decay", () -> new NAdam(p(), NAdam.options().momentumDecay(-4e-3)));
        CALLS.put("nadam_weight_decay", () -> new NAdam(p(), NAdam.options().weightDecay(-0.5)));
        CALLS.put("radam_lr", () -> new RAdam(p(), -0.5));
        CALLS.put("radam_beta0", () -> new RAdam(p(), RAdam.options().betas(-0.1, 0.999)));
        CALLS.put("asgd_lr", () -> new ASGD(p(), -0.01));
        CALLS.put("asgd_weight_decay", () -> new ASGD(p(), ASGD.options().weightDecay(-0.01)));
        CALLS.put("lbfgs_groups", () -> new LBFGS(p()).addParamGroup(p()));
        CALLS.put("empty_params", () -> new SGD(List.of(), 0.1));
        CALLS.put("non_leaf", () -> new SGD(List.of(zeros(1).requiresGrad_().mul(2)), 0.1));
        CALLS.put("duplicate_across_groups", () -> {
            Tensor q = zeros(1).requiresGrad_();
            new SGD(List.of(q), 0.1).addParamGroup(List.of(q));
        });
        CALLS.put("load_groups_mismatch", () -> sgd2().loadStateDict(new SGD(p(), 0.1).stateDict()));
        CALLS.put("load_size_mismatch", () -> new SGD(List.of(zeros(1).requiresGrad_(), zeros(1).requiresGrad_()), 0.1)
                .loadStateDict(new SGD(List.of(zeros(1).requiresGrad_()), 0.1).stateDict()));
        CALLS.put("resume_without_initial_lr", () -> new StepLR(new SGD(p(), 0.1), 3, 0.1, 5));
        CALLS.put("lambda_lr_count", () -> new LambdaLR(sgd2(), List.<IntToDoubleFunction>of(e -> 1.0)));
        CALLS.put("multiplicative_lr_count", () -> new MultiplicativeLR(sgd2(), List.<IntToDoubleFunction>of(e -> 1.0, e -> 1.0, e -> 1.0)));
        CALLS.put("cyclic_mode", () -> new CyclicLR(new SGD(p(), 0.1), CyclicLR.options(0.01, 0.1).mode("cosine")));
        CALLS.put("cyclic_no_momentum", () -> new CyclicLR(new Adam(p()), 0.01, 0.1));
        CALLS.put("cyclic_base_lr_list", () -> new CyclicLR(sgd2(), CyclicLR.options(List.of(0.01, 0.02, 0.03), List.of(0.1, 0.1))));
        CALLS.put("warm_restarts_t0", () -> new CosineAnnealingWarmRestarts(new SGD(p(), 0.1), 0));
        CALLS.put("warm_restarts_t_mult", () -> new CosineAnnealingWarmRestarts(new SGD(p(), 0.1), 2, 0, 0.0));
        CALLS.put("warm_restarts_epoch", () -> new CosineAnnealingWarmRestarts(new SGD(p(), 0.1), 2).step(-1));
        CALLS.put("sequential_milestones", () -> {
            var o = new SGD(p(), 0.1);
            new SequentialLR(o, List.of(new StepLR(o, 2), new StepLR(o, 3)), List.of(2, 4));
        });
        CALLS.put("sequential_optimizer", () -> {
            var o = new SGD(p(), 0.1);
            var o2 = new SGD(p(), 0.1);
            new SequentialLR(o, List.of(new StepLR(o, 2), new StepLR(o2, 3)), List.of(2));
        });
        CALLS.put("chained_optimizer", () -> new ChainedScheduler(List.of(new StepLR(new SGD(p(), 0.1), 2), new StepLR(new SGD(p(), 0.1), 3))));
        CALLS.put("linear_lr_start", () -> new LinearLR(new SGD(p(), 0.1), 1.5, 1.0, 5));
        CALLS.put("linear_lr_end", () -> new LinearLR(new SGD(p(), 0.1), 1.0 / 3, -0.5, 5));
        CALLS.put("one_cycle_no_steps", () -> new OneCycleLR(new SGD(p(), 0.1), OneCycleLR.options(0.1)));
        CALLS.put("one_cycle_total_steps", () -> new OneCycleLR(new SGD(p(), 0.1), 0.1, 0));
        CALLS.put("one_cycle_epochs", () -> new OneCycleLR(new SGD(p(), 0.1), OneCycleLR.options(0.1).epochs(-2).stepsPerEpoch(3)));
        CALLS.put("one_cycle_steps_per_epoch", () -> new OneCycleLR(new SGD(p(), 0.1), OneCycleLR.options(0.1).epochs(2).stepsPerEpoch(0)));
        CALLS.put("one_cycle_pct_start", () -> new OneCycleLR(new SGD(p(), 0.1), OneCycleLR.options(0.1).totalSteps(10).pctStart(1.5)));
        CALLS.put("one_cycle_anneal", () -> new OneCycleLR(new SGD(p(), 0.1),
                OneCycleLR.options(0.1).totalSteps(10).annealStrategy("exp")));
        CALLS.put("one_cycle_max_lr_list", () -> new OneCycleLR(sgd2(), OneCycleLR.options(List.of(0.1)).totalSteps(10)));
        CALLS.put("one_cycle_no_momentum", () -> new OneCycleLR(new Adagrad(p()), 0.1, 10));
        CALLS.put("one_cycle_past_end", () -> {
            var opt = new SGD(p(), SGD.options(0.1).momentum(0.9));
            var s = new OneCycleLR(opt, 0.1, 3);
            for (int i = 0; i < 4; i++) {
                opt.step();
                s.step();
            }
        });
        CALLS.put("plateau_factor", () -> new ReduceLROnPlateau(new SGD(p(), 0.1), ReduceLROnPlateau.options().factor(1.0)));
        CALLS.put("plateau_min_lrs", () -> new ReduceLROnPlateau(sgd2(), ReduceLROnPlateau.options().minLr(List.of(0.1))));
        CALLS.put("plateau_mode", () -> new ReduceLROnPlateau(new SGD(p(), 0.1), ReduceLROnPlateau.options().mode("avg")));
        CALLS.put("plateau_threshold_mode", () -> new ReduceLROnPlateau(new SGD(p(), 0.1),
                ReduceLROnPlateau.options().thresholdMode("pct")));
    }

    @TestFactory Stream<DynamicTest> sameMessagesAsPyTorch() {
        assertEquals(Fixtures.ERRORS.keySet(), CALLS.keySet(), "every fixture error has a Java call and vice versa");
        return Fixtures.ERRORS.values().stream().map(f -> DynamicTest.dynamicTest(f[1], () -> {
            Class<? extends Throwable> type = f[1].equals("one_cycle_past_end") ? IllegalStateException.class : JAVA_TYPE.get(f[2]);
            assertNotNull(type, f[2]);
            Throwable t = assertThrows(type, CALLS.get(f[1]));
            assertEquals(f[3], t.getMessage());
        }));
    }

    @Test void floatReprIsPythons() {
        assertTrue(Fixtures.REPRS.size() > 20);
        for (String[] r : Fixtures.REPRS)
            assertEquals(r[2], PyFormat.repr(Fixtures.parseHex(r[1])), "repr of " + r[1]);
    }

    @Test void otherReprs() {
        assertEquals("None", PyFormat.repr((Object) null));
        assertEquals("True", PyFormat.repr((Object) true));
        assertEquals("3", PyFormat.repr((Object) 3L));
        assertEquals("'cos'", PyFormat.repr((Object) "cos"));
        assertEquals("[0.1, 2]", PyFormat.repr((Object) List.of(0.1, 2)));
        assertEquals("(0.9, 0.999)", PyFormat.tuple(List.of(0.9, 0.999)));
        assertEquals("(1.0,)", PyFormat.tuple(List.of(1.0)));
        Map<Object, Object> m = new LinkedHashMap<>();
        m.put(0, Map.of("step", 2L));
        assertEquals("{0: {'step': 2}}", PyFormat.repr((Object) m));
    }
}
