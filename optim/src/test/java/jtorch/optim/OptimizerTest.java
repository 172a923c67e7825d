package jtorch.optim;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

import org.junit.jupiter.api.Test;

import jtorch.DType;
import jtorch.Tensor;
import jtorch.Torch;

import static jtorch.Torch.*;
import static org.junit.jupiter.api.Assertions.*;

/** The optimizer base: options by PyTorch key, groups, closures, skipped parameters, dtypes, repr, logging text. */
class OptimizerTest {

    @Test void optionsByPyTorchKey() {
        var o = Adam.options(1e-3).weightDecay(0.01);
        assertEquals(0.01, o.get("weight_decay"));
        assertEquals(List.of(0.9, 0.999), o.get("betas"));
        o.set("betas", List.of(0.8, 0.99)).set("amsgrad", true).set("lr", 3);
        assertEquals(List.of(0.8, 0.99), o.betas());
        assertTrue(o.amsgrad());
        assertEquals(3.0, o.lr());
        o.set("betas", new double[] {0.7, 0.9});
        assertEquals(List.of(0.7, 0.9), o.betas());
        o.set("initial_lr", 0.5);
        assertTrue(o.has("initial_lr"));
        assertEquals(List.of("lr", "betas", "eps", "weight_decay", "amsgrad", "maximize", "initial_lr"), new ArrayList<>(o.toMap().keySet()));
        assertEquals("KeyError: 'momentum'", assertThrows(NoSuchElementException.class, () -> o.get("momentum")).getMessage());
        assertEquals("option 'betas' expects a pair of numbers, got [0.9]",
                assertThrows(IllegalArgumentException.class, () -> o.set("betas", List.of(0.9))).getMessage());
        assertEquals("option 'amsgrad' expects a boolean, got 1.0",
                assertThrows(IllegalArgumentException.class, () -> o.set("amsgrad", 1.0)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> o.set("params", List.of()));
        var c = o.copy();
        c.lr(9).set("initial_lr", 1.0);
        assertEquals(3.0, o.lr());
        assertEquals(0.5, o.getDouble("initial_lr"), "copies have their own extra keys");
        assertEquals("{'lr': 3.0, 'betas': (0.7, 0.9), 'eps': 1e-08, 'weight_decay': 0.01, 'amsgrad': True, 'maximize': False, "
                + "'initial_lr': 0.5}", o.toString());
    }

    @Test void typedSettersAndPyTorchKeysAgree() {
        assertEquals(Map.of("lr", 0.1, "momentum", 0.9, "dampening", 0.1, "weight_decay", 0.01, "nesterov", false, "maximize", true),
                SGD.options(0.1).momentum(0.9).dampening(0.1).weightDecay(0.01).maximize(true).toMap());
        assertEquals(Map.of("lr", 0.1, "betas", List.of(0.8, 0.9), "eps", 1e-6, "weight_decay", 0.2, "amsgrad", true, "maximize", true),
                AdamW.options(0.1).betas(0.8, 0.9).eps(1e-6).weightDecay(0.2).amsgrad(true).maximize(true).toMap());
        assertEquals(Map.of("lr", 0.1, "momentum", 0.5, "alpha", 0.9, "eps", 1e-6, "centered", true, "weight_decay", 0.2, "maximize", true),
                RMSprop.options(0.1).momentum(0.5).alpha(0.9).eps(1e-6).centered(true).weightDecay(0.2).maximize(true).toMap());
        assertEquals(Map.of("lr", 0.1, "lr_decay", 0.5, "eps", 1e-6, "weight_decay", 0.2, "initial_accumulator_value", 0.3, "maximize", true),
                Adagrad.options(0.1).lrDecay(0.5).eps(1e-6).weightDecay(0.2).initialAccumulatorValue(0.3).maximize(true).toMap());
    }

    @Test void groupsTakeTheDefaultsAndTheirOverrides() {
        Tensor a = zeros(1).requiresGrad_(), b = zeros(1).requiresGrad_(), c = zeros(1).requiresGrad_();
        var opt = new RMSprop(List.of(a), RMSprop.options(0.05).momentum(0.9));
        opt.addParamGroup(List.of(b), Map.of("lr", 0.5));
        opt.addParamGroup(List.of(c), RMSprop.options(0.2));
        assertEquals(3, opt.paramGroups().size());
        assertEquals(0.5, opt.paramGroups().get(1).options().lr());
        assertEquals(0.9, opt.paramGroups().get(1).options().momentum());
        assertEquals(0.0, opt.paramGroups().get(2).options().momentum());
        assertEquals(List.of(b), opt.paramGroups().get(1).params());
        opt.defaults().lr(1.0);
        assertEquals(0.05, opt.paramGroups().get(0).options().lr(), "groups hold copies");
        assertEquals("Invalid momentum value: -1.0", assertThrows(IllegalArgumentException.class,
                () -> opt.addParamGroup(List.of(zeros(1).requiresGrad_()), Map.of("momentum", -1.0))).getMessage());
        // PyTorch's layout (a blank line between groups); PyTorch also lists foreach/differentiable, which jtorch has not
        assertEquals("RMSprop (\n"
                + "Parameter Group 0\n    alpha: 0.99\n    centered: False\n    eps: 1e-08\n    lr: 0.05\n    maximize: False\n"
                + "    momentum: 0.9\n    weight_decay: 0.0\n"
                + "\nParameter Group 1\n    alpha: 0.99\n    centered: False\n    eps: 1e-08\n    lr: 0.5\n    maximize: False\n"
                + "    momentum: 0.9\n    weight_decay: 0.0\n"
                + "\nParameter Group 2\n    alpha: 0.99\n    centered: False\n    eps: 1e-08\n    lr: 0.2\n    maximize: False\n"
                + "    momentum: 0.0\n    weight_decay: 0.0\n)", opt.toString());
    }

    @Test void parametersWithoutGradientAreLeftAlone() {
        Tensor a = tensor(new float[] {1f, 2f}).requiresGrad_(), b = tensor(new float[] {3f}).requiresGrad_();
        var opt = new Adam(List.of(a, b), 0.1);
        a.setGrad(tensor(new float[] {1f, -1f}));
        opt.step();
        assertEquals("tensor([3.])", b.detach().toString());
        assertTrue(opt.state(b).isEmpty());
        assertEquals(DType.FLOAT32, ((Tensor) opt.state(a).get("exp_avg")).dtype());
        assertEquals("tensor([0.9000, 2.1000], requires_grad=True)", a.toString(), "Adam's first step moves by lr * sign(grad)");
        assertTrue(a.isLeaf());
        assertEquals(1, opt.stepCount());
    }

    @Test void stepWithAClosureEvaluatesTheLossWithGradEnabled() {
        Tensor w = tensor(new double[] {2.0}).requiresGrad_();
        var opt = new SGD(List.of(w), 0.25);
        Tensor loss;
        try (var g = noGrad()) {
            loss = opt.step(() -> {
                opt.zeroGrad();
                Tensor l = w.mul(w).sum();
                l.backward();
                return l;
            });
        }
        assertEquals(4.0, loss.item());
        assertEquals(1.0, w.detach().item(), "w - 0.25 * 2w");
    }

    @Test void maximizeAscends() {
        Tensor w = tensor(new double[] {1.0}).requiresGrad_();
        var opt = new SGD(List.of(w), SGD.options(0.5).maximize(true));
        w.setGrad(tensor(new double[] {2.0}));
        opt.step();
        assertEquals(2.0, w.detach().item());
    }

    @Test void zeroGradDetachesAGradientWithHistory() {
        Tensor w = ones(2).requiresGrad_();
        var opt = new SGD(List.of(w), 0.1);
        w.mul(w).sum().backward();
        opt.zeroGrad(false);
        assertEquals("tensor([0., 0.])", w.grad().toString());
        assertFalse(w.grad().requiresGrad());
    }

    @Test void theUpdateDoesNotRecordAGraphAndBumpsTheVersion() {
        Tensor w = ones(3).requiresGrad_();
        long v = w.version();
        var opt = new Adagrad(List.of(w));
        w.setGrad(ones(3));
        opt.step();
        assertTrue(w.isLeaf());
        assertNull(w.gradFn());
        assertTrue(w.version() > v);
        assertTrue(Torch.isGradEnabled());
    }

    @Test void describeSummarisesTheConstruction() {
        var opt = new Adam(List.of(zeros(2, 3).requiresGrad_(), zeros(4).requiresGrad_(), zeros(1).requiresGrad_(),
                zeros(5, 1).requiresGrad_()), Adam.options(1e-3));
        assertEquals("Adam: 1 param group, 4 tensors (16 elements), lr=0.001, betas=(0.9, 0.999), eps=1e-08, weight_decay=0.0, "
                + "amsgrad=False, maximize=False", opt.describe());
        var sgd = new SGD(List.of(zeros(1).requiresGrad_()), 0.1);
        assertEquals("SGD: 1 param group, 1 tensor (1 element), lr=0.1, momentum=0.0, dampening=0.0, weight_decay=0.0, "
                + "nesterov=False, maximize=False", sgd.describe());
    }
}
