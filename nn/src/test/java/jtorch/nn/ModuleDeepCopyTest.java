package jtorch.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import jtorch.Tensor;
import jtorch.Torch;

/**
 * {@link Module#deepCopy}: PyTorch's {@code copy.deepcopy(module)} semantics (what
 * {@code nn.TransformerEncoder}'s {@code _get_clones} relies on), each expectation as PyTorch 1.13
 * gives it for the same model.
 */
class ModuleDeepCopyTest {
    /** A module with final and non-final fields, a tied parameter, a buffer, a held list and an array. */
    static class Net extends Module {
        final Linear a = registerModule("a", new Linear(3, 3));
        Linear b = registerModule("b", new Linear(3, 3));
        final Tensor stats = registerBuffer("stats", Torch.arange(3.0));
        final long[] shape = {2, 3};
        final List<Module> both = new ArrayList<>(List.of(a, b));
        final String label = "net";

        Net() { b.setParameter("weight", a.weight); }

        @Override public Tensor forward(Tensor x) { return b.forward(a.forward(x)).add(stats); }
    }

    @Test void theCopyHasEqualButIndependentParametersAndBuffers() {
        Torch.manualSeed(0);
        Net n = new Net();
        Net c = Module.deepCopy(n);
        assertNotSame(n, c);
        assertEquals(List.copyOf(n.stateDict().keySet()), List.copyOf(c.stateDict().keySet()));
        Map<String, Tensor> sd = n.stateDict(), sc = c.stateDict();
        for (String k : sd.keySet()) assertTrue(sd.get(k).equal(sc.get(k)), k);
        for (String k : n.namedParameters().keySet()) assertNotSame(n.getParameter(k), c.getParameter(k), k);
        assertNotSame(n.stats, c.stats);
        Torch.noGrad(() -> { c.a.weight.add_(1.0); c.stats.add_(1.0); });
        assertFalse(n.a.weight.equal(c.a.weight));
        assertTrue(n.stats.equal(Torch.arange(3.0)));
        // the fields point into the copy, so its forward uses its own parameters
        Tensor x = Torch.randn(2, 3);
        assertFalse(n.forward(x).equal(c.forward(x)));
    }

    @Test void fieldsAreRepointedAndSharingIsKept() {
        Net n = new Net();
        Net c = Module.deepCopy(n);
        assertSame(c.getSubmodule("a"), c.a);
        assertSame(c.getSubmodule("b"), c.b);
        assertSame(c.a.weight, c.b.weight, "tied weights stay tied (deepcopy's memo)");
        assertSame(c.getParameter("a.weight"), c.a.weight);
        assertSame(c.getBuffer("stats"), c.stats);
        assertEquals(List.of("a.weight", "a.bias", "b.bias"), List.copyOf(c.namedParameters().keySet()));
        assertSame(c.a, c.both.get(0));
        assertSame(c.b, c.both.get(1));
        assertNotSame(n.shape, c.shape);
        assertEquals(2L, c.shape[0]);
        assertSame(n.label, c.label);
        assertEquals("a", c.a.path());
        assertEquals("", c.path());
    }

    @Test void aCopyOfAChildIsARootAndModuleListClonesAreAsGetClones() {
        Net n = new Net();
        Linear a2 = Module.deepCopy(n.a);
        assertEquals("", a2.path());
        ModuleList clones = new ModuleList();
        for (int i = 0; i < 3; i++) clones.append(Module.deepCopy(n.a));
        assertEquals(List.of("0.weight", "0.bias", "1.weight", "1.bias", "2.weight", "2.bias"),
                List.copyOf(clones.stateDict().keySet()));
        assertTrue(clones.get(2).getParameter("weight").equal(n.a.weight));
        assertEquals("1", clones.get(1).path());
        ModuleList copied = Module.deepCopy(clones);
        assertEquals(3, copied.size());
        assertNotSame(clones.get(0), copied.get(0));
    }

    @Test void parametersKeepRequiresGradButNotTheirGradient() {
        Net n = new Net();
        n.a.bias.requiresGrad_(false);
        n.forward(Torch.ones(1, 3)).sum().backward();
        assertTrue(n.a.weight.grad() != null);
        Net c = Module.deepCopy(n);
        assertNull(c.a.weight.grad(), "Parameter.__deepcopy__ does not copy .grad");
        assertTrue(c.a.weight.requiresGrad());
        assertTrue(c.a.weight.isLeaf());
        assertFalse(c.a.bias.requiresGrad());
    }

    @Test void trainingFlagsAndHooksAreCopied() {
        Net n = new Net();
        n.b.eval();
        List<String> calls = new ArrayList<>();
        var h = n.a.registerForwardHook((m, in, out) -> { calls.add("hook"); return null; });
        Net c = Module.deepCopy(n);
        assertTrue(c.isTraining());
        assertFalse(c.b.isTraining());
        c.forward(Torch.ones(1, 3));
        assertEquals(List.of(), calls, "forward() skips hooks");
        c.a.call(Torch.ones(1, 3));
        assertEquals(List.of("hook"), calls);
        h.remove();
        c.a.call(Torch.ones(1, 3));
        assertEquals(List.of("hook", "hook"), calls, "removing the original's handle leaves the copy's hook");
        n.a.call(Torch.ones(1, 3));
        assertEquals(2, calls.size());
    }

    @Test void aNonLeafBufferIsRefusedAsInPyTorch() {
        Module m = new Module() {};
        Tensor leaf = Torch.ones(2).requiresGrad_();
        m.registerBuffer("derived", leaf.mul(2.0));
        assertEquals("Only Tensors created explicitly by the user (graph leaves) support the deepcopy protocol at the moment",
                assertThrows(IllegalStateException.class, () -> Module.deepCopy(m)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Module.deepCopy(null));
    }
}
