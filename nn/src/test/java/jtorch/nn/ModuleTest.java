package jtorch.nn;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import jtorch.Tensor;

import static jtorch.Torch.*;
import static org.junit.jupiter.api.Assertions.*;

class ModuleTest {
    /** The tutorial's custom layer, as ../shared/API.md writes it. */
    static class Conv2D extends Module {
        final Parameter weight, bias;

        Conv2D(long... kernelSize) {
            weight = registerParameter("weight", rand(kernelSize));
            bias = registerParameter("bias", zeros(1));
        }

        @Override public Tensor forward(Tensor x) { return x.mul(weight.sum()).add(bias); }
    }

    static class Net extends Module {
        final Conv2D first = registerModule("first", new Conv2D(1, 2));
        final Conv2D second = registerModule("second", new Conv2D(2, 2));
        final Tensor steps = registerBuffer("steps", zeros(1));

        @Override public Tensor forward(Tensor x) { return second.forward(first.forward(x)); }
    }

    @Test void parametersAreLeavesThatRequireGradAndShareStorage() {
        Tensor data = ones(2);
        Parameter p = new Parameter(data);
        assertTrue(p.requiresGrad());
        assertTrue(p.isLeaf());
        assertSame(data.storage(), p.storage());
        assertEquals("Parameter containing:\ntensor([1., 1.], requires_grad=True)", p.toString());
    }

    @Test void namedParametersUseDottedNamesInRegistrationOrder() {
        Net net = new Net();
        assertEquals(List.of("first.weight", "first.bias", "second.weight", "second.bias"),
                List.copyOf(net.namedParameters().keySet()));
        assertEquals(List.of("", "first", "second"), List.copyOf(net.namedModules().keySet()));
        assertEquals(List.of("steps"), List.copyOf(net.namedBuffers().keySet()));
        // PyTorch saves a module's own parameters and buffers before recursing into its children.
        assertEquals(List.of("steps", "first.weight", "first.bias", "second.weight", "second.bias"),
                List.copyOf(net.stateDict().keySet()));
        assertSame(net.first.weight, net.parameters().get(0));
    }

    @Test void zeroGradSetsGradientsToNone() {
        Conv2D m = new Conv2D(1, 2);
        m.forward(ones(3)).sum().backward();
        assertNotNull(m.weight.grad());
        m.zeroGrad();
        assertNull(m.weight.grad());
        m.forward(ones(3)).sum().backward();
        m.zeroGrad(false);
        assertEquals("tensor([[0., 0.]])", m.weight.grad().toString());
    }

    @Test void trainAndEvalReachEveryDescendant() {
        Net net = new Net();
        net.eval();
        assertFalse(net.first.isTraining());
        net.train();
        assertTrue(net.second.isTraining());
    }

    @Test void stateDictRoundTrips() {
        manualSeed(1);
        Net a = new Net();
        Net b = new Net();
        assertFalse(a.first.weight.equal(b.first.weight));
        b.loadStateDict(a.stateDict());
        assertTrue(a.first.weight.equal(b.first.weight));
        assertTrue(a.second.weight.equal(b.second.weight));
    }

    @Test void loadStateDictNamesMissingUnexpectedAndMismatchedKeysAndChangesNothing() {
        Net net = new Net();
        Tensor before = net.first.weight.clone();
        Map<String, Tensor> sd = new LinkedHashMap<>(net.stateDict());
        sd.remove("second.bias");
        sd.put("extra", zeros(1));
        sd.put("first.weight", zeros(3, 3));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> net.loadStateDict(sd));
        assertEquals("Error(s) in loading state_dict for Net:\n"
                + "\tMissing key(s) in state_dict: \"second.bias\". \n"
                + "\tUnexpected key(s) in state_dict: \"extra\". \n"
                + "\tsize mismatch for first.weight: copying a param with shape torch.Size([3, 3]) from checkpoint, "
                + "the shape in current model is torch.Size([1, 2]).", e.getMessage());
        assertTrue(before.equal(net.first.weight));
    }

    @Test void nonStrictLoadReportsIncompatibleKeys() {
        Net net = new Net();
        Map<String, Tensor> sd = new LinkedHashMap<>(net.stateDict());
        sd.remove("steps");
        Module.IncompatibleKeys r = net.loadStateDict(sd, false);
        assertEquals(List.of("steps"), r.missingKeys);
        assertEquals(List.of(), r.unexpectedKeys);
    }

    @Test void reprNestsChildrenLikePyTorch() {
        assertEquals("Net(\n  (first): Conv2D()\n  (second): Conv2D()\n)", new Net().toString());
    }

    @Test void missingForwardSaysSo() {
        Module m = new Module() {};
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> m.forward(ones(1)));
        assertTrue(e.getMessage().contains("is missing the required \"forward\" function"));
    }

    @Test void toConvertsParametersInPlace() {
        Linear l = new Linear(3, 2);
        Parameter w = l.weight;
        l.forward(ones(1, 3)).sum().backward();
        l.to(jtorch.DType.FLOAT64);
        assertSame(w, l.weight);
        assertEquals(jtorch.DType.FLOAT64, l.weight.dtype());
        assertEquals(jtorch.DType.FLOAT64, l.weight.grad().dtype());
        assertTrue(l.weight.requiresGrad());
        assertEquals(jtorch.DType.FLOAT64, l.forward(ones(new long[] {1, 3}, jtorch.DType.FLOAT64)).dtype());
        assertThrows(IllegalArgumentException.class, () -> l.to(jtorch.DType.INT64));
    }
}
