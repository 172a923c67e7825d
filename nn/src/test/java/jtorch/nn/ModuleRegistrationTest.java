package jtorch.nn;

import static jtorch.Torch.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import jtorch.Size;
import jtorch.Tensor;

/**
 * Registration by name, replacement, weight tying, shared modules in the state dict and the names
 * of anonymous modules; every expected value was printed by PyTorch 1.13 for the same model.
 */
class ModuleRegistrationTest {
    /** {@code a} and {@code b} are replaceable (non-final fields), {@code c} is not. */
    static class Net extends Module {
        Linear a = registerModule("a", new Linear(2, 2));
        Linear b = registerModule("b", new Linear(2, 3));
        final ReLU c = registerModule("c", new ReLU());

        @Override public Tensor forward(Tensor x) { return c.forward(b.forward(a.forward(x))); }
    }

    @Test void namesAreCheckedAsPyTorchChecksThem() {
        Net n = new Net();
        n.registerBuffer("x", zeros(1));
        // PyTorch: KeyError "attribute 'x' already exists", 'module name can\'t contain ".", got: a.b', ...
        assertEquals("attribute 'x' already exists",
                assertThrows(IllegalArgumentException.class, () -> n.addModule("x", new ReLU())).getMessage());
        assertEquals("attribute 'x' already exists",
                assertThrows(IllegalArgumentException.class, () -> n.registerParameter("x", null)).getMessage());
        assertEquals("attribute 'a' already exists",
                assertThrows(IllegalArgumentException.class, () -> n.registerBuffer("a", zeros(1))).getMessage());
        assertEquals("module name can't contain \".\", got: a.b",
                assertThrows(IllegalArgumentException.class, () -> n.addModule("a.b", new ReLU())).getMessage());
        assertEquals("module name can't be empty string \"\"",
                assertThrows(IllegalArgumentException.class, () -> n.registerModule("", new ReLU())).getMessage());
        assertEquals("parameter name can't be empty string \"\"",
                assertThrows(IllegalArgumentException.class, () -> n.registerParameter("", null)).getMessage());
    }

    @Test void addModuleFromOutsideRegistersAChild() {
        Sequential net = new Sequential();
        for (int i = 0; i < 2; i++) net.addModule("block " + i, new Linear(4, 4));
        assertEquals(List.of("block 0.weight", "block 0.bias", "block 1.weight", "block 1.bias"),
                List.copyOf(net.stateDict().keySet()));
        assertEquals(Size.of(3, 4), net.forward(ones(3, 4)).shape());
    }

    @Test void replacingAModuleKeepsItsPlaceAndRepointsTheField() {
        Net n = new Net();
        Linear old = n.a;
        Linear wider = new Linear(2, 5);
        assertSame(wider, n.registerModule("a", wider));   // n.a = nn.Linear(2, 5)
        assertSame(wider, n.a);
        assertSame(wider, n.getSubmodule("a"));
        assertEquals("", old.path(), "the replaced module no longer hangs in the model");
        assertEquals("a", wider.path());
        assertEquals(List.of("a.weight", "a.bias", "b.weight", "b.bias"), List.copyOf(n.stateDict().keySet()));
        assertEquals("Net(\n  (a): Linear(in_features=2, out_features=5, bias=True)\n"
                + "  (b): Linear(in_features=2, out_features=3, bias=True)\n  (c): ReLU()\n)", n.toString());
        assertTrue(n.parameters().get(0) == wider.weight);
    }

    @Test void replacingWhatAFinalFieldHoldsIsRefusedAndChangesNothing() {
        Net n = new Net();
        ReLU c = n.c;
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> n.registerModule("c", new ReLU()));
        assertEquals("cannot replace module 'c' of Net: the final field Net.c holds it (declare the field non-final,"
                + " or read the module through getSubmodule(\"c\"))", e.getMessage());
        assertSame(c, n.getSubmodule("c"));
        IllegalArgumentException wrongType = assertThrows(IllegalArgumentException.class, () -> n.registerModule("a", new ReLU()));
        assertEquals("cannot replace module 'a' of Net: its field Net.a is a Linear and cannot hold a ReLU", wrongType.getMessage());
        assertTrue(n.getSubmodule("a") instanceof Linear);
    }

    @Test void aSubclassReplacesAnInheritedSubmodule() {
        class Head extends Net {
            Head() { registerModule("b", new Linear(2, 7)); }   // self.b = nn.Linear(2, 7) in a subclass
        }
        Head h = new Head();
        assertEquals(7, h.b.outFeatures);
        assertEquals(Size.of(1, 7), h.forward(ones(1, 2)).shape());
    }

    @Test void setSubmoduleAndGettersFollowDottedPaths() {
        Sequential net = new Sequential(new Sequential(new Linear(1, 2), new ReLU()), new Linear(2, 1));
        net.setSubmodule("0.1", new Tanh());
        assertTrue(net.getSubmodule("0.1") instanceof Tanh);
        assertSame(((Linear) net.getSubmodule("0.0")).weight, net.getParameter("0.0.weight"));
        // PyTorch: AttributeError Linear has no attribute `x` / Sequential has no attribute `7`
        assertEquals("Linear has no attribute `x`",
                assertThrows(IllegalArgumentException.class, () -> net.getParameter("1.x")).getMessage());
        assertEquals("Sequential has no attribute `7`",
                assertThrows(IllegalArgumentException.class, () -> net.getSubmodule("0.7")).getMessage());
        BatchNorm1d bn = new BatchNorm1d(3);
        assertSame(bn.namedBuffers().get("running_mean"), new Sequential(bn).getBuffer("0.running_mean"));
    }

    @Test void tiedWeightsAreOneParameterUnderTwoStateDictKeys() {
        manualSeed(0);
        Embedding encoder = new Embedding(10, 4);
        Linear decoder = new Linear(4, 10);
        decoder.setParameter("weight", encoder.weight);   // decoder.weight = encoder.weight
        assertSame(encoder.weight, decoder.weight);
        Sequential m = new Sequential(encoder, decoder);
        // PyTorch: ['0.weight', '1.weight', '1.bias'] and ['0.weight', '1.bias']
        assertEquals(List.of("0.weight", "1.weight", "1.bias"), List.copyOf(m.stateDict().keySet()));
        assertEquals(List.of("0.weight", "1.bias"), List.copyOf(m.namedParameters().keySet()));
        Tensor ids = tensor(new long[] {1, 2});
        m.forward(ids).sum().backward();
        // both uses add into the one gradient: the same as two untied copies' gradients summed
        Embedding e2 = new Embedding(10, 4);
        Linear d2 = new Linear(4, 10);
        e2.loadStateDict(encoder.stateDict());
        d2.loadStateDict(decoder.stateDict());
        new Sequential(e2, d2).forward(ids).sum().backward();
        assertTrue(encoder.weight.grad().allclose(e2.weight.grad().add(d2.weight.grad()), 1e-6, 1e-6));
        Map<String, Tensor> sd = m.stateDict();
        Sequential other = new Sequential(new Embedding(10, 4), new Linear(4, 10));
        other.loadStateDict(sd);
        assertTrue(((Linear) other.get(1)).weight.equal(encoder.weight));
    }

    @Test void removingABiasRepointsTheFieldToNull() {
        Linear l = new Linear(3, 2);
        l.setParameter("bias", null);
        assertNull(l.bias);
        assertEquals(List.of("weight"), List.copyOf(l.stateDict().keySet()));
        assertEquals(Size.of(1, 2), l.forward(ones(1, 3)).shape());
    }

    @Test void aSharedModuleHasItsKeysAtEveryPlaceButItsParametersOnce() {
        Linear shared = new Linear(8, 8);
        Sequential net = new Sequential(new Linear(4, 8), new ReLU(), shared, new ReLU(), shared, new ReLU(), new Linear(8, 1));
        // PyTorch 1.13, for the d2l model:
        assertEquals(List.of("0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias", "6.weight", "6.bias"),
                List.copyOf(net.stateDict().keySet()));
        assertEquals(List.of("0.weight", "0.bias", "2.weight", "2.bias", "6.weight", "6.bias"),
                List.copyOf(net.namedParameters().keySet()));
        assertEquals(List.of("", "0", "1", "2", "3", "5", "6"), List.copyOf(net.namedModules().keySet()));
        assertEquals(List.of("", "0", "1", "2", "3", "4", "5", "6"), List.copyOf(net.namedModules("", false).keySet()));
        assertEquals(6, net.parameters().size());
        assertTrue(net.loadStateDict(net.stateDict()).missingKeys.isEmpty());
    }

    @Test void aLoadedStateDictWritesASharedModuleFromItsLastKey() {
        Linear shared = new Linear(2, 2);
        Sequential net = new Sequential(shared, new ReLU(), shared);
        Map<String, Tensor> sd = new java.util.LinkedHashMap<>(net.stateDict());
        sd.put("0.weight", zeros(2, 2));
        sd.put("2.weight", ones(2, 2));
        net.loadStateDict(sd);                   // PyTorch copies 0.* then 2.*: the last one wins
        assertTrue(shared.weight.equal(ones(2, 2)));
        sd.remove("2.bias");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> net.loadStateDict(sd));
        assertEquals("Error(s) in loading state_dict for Sequential:\n\tMissing key(s) in state_dict: \"2.bias\". ", e.getMessage());
    }

    @Test void sharedBuffersAreNamedOnceButSavedAtEveryPlace() {
        Linear s = new Linear(2, 2);
        Sequential q = new Sequential(s, new ReLU(), s);
        Tensor z = q.registerBuffer("z", zeros(1));
        q.get(1).registerBuffer("z2", z);
        // PyTorch: ['z', '0.weight', '0.bias', '1.z2', '2.weight', '2.bias'] and ['z']
        assertEquals(List.of("z", "0.weight", "0.bias", "1.z2", "2.weight", "2.bias"), List.copyOf(q.stateDict().keySet()));
        assertEquals(List.of("z"), List.copyOf(q.namedBuffers().keySet()));
    }

    @Test void aModuleThatContainsItselfIsRefusedNotRecursedForever() {
        Sequential a = new Sequential(new ReLU());
        Sequential b = new Sequential(a);
        a.append(b);
        assertEquals(List.of("", "0", "0.0"), List.copyOf(b.namedModules().keySet()));   // as PyTorch's named_modules()
        IllegalStateException e = assertThrows(IllegalStateException.class, b::stateDict);
        assertEquals("module Sequential at '0.1' contains itself", e.getMessage());
    }

    @Test void anonymousModulesPrintTheirSuperclassName() {
        Module m = new Module() {
            @Override public Tensor forward(Tensor x) { return x; }
        };
        assertEquals("Module()", m.toString());
        Sequential s = new Sequential(new ReLU()) {
            @Override public Tensor forward(Tensor x) { return super.forward(x).neg(); }
        };
        assertEquals("Sequential(\n  (0): ReLU()\n)", s.toString());
        assertEquals("Sequential(\n  (0): Module()\n)", new Sequential(m).toString());
        assertEquals("Module [Module] is missing the required \"forward\" function",
                assertThrows(IllegalStateException.class, () -> new Module() {}.forward(ones(1))).getMessage());
    }

    @Test void sequentialAndModuleListReplaceByPosition() {
        Sequential blocks = new Sequential();
        blocks.addModule("block 0", new ReLU());
        blocks.addModule("block 1", new Linear(2, 2));
        Linear head = blocks.set(-1, new Linear(2, 3));             // net[-1] = nn.Linear(2, 3)
        assertSame(head, blocks.getSubmodule("block 1"));
        assertEquals(List.of("block 1.weight", "block 1.bias"), List.copyOf(blocks.stateDict().keySet()));
        assertEquals(Size.of(1, 3), blocks.forward(ones(1, 2)).shape());
        ModuleList l = new ModuleList(new ReLU(), new Tanh());
        l.set(0, new Sigmoid());
        assertEquals("ModuleList(\n  (0): Sigmoid()\n  (1): Tanh()\n)", l.toString());
        assertEquals("index 2 is out of range", assertThrows(IndexOutOfBoundsException.class, () -> l.set(2, new ReLU())).getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> blocks.set(-3, new ReLU()));
    }

    @Test void nonPersistentBuffersAreNotInTheStateDict() {
        Linear m = new Linear(2, 2);
        m.registerBuffer("tmp", zeros(1), false);
        m.registerBuffer("keep", ones(1));
        // PyTorch: ['weight', 'bias', 'keep'] and ['tmp', 'keep']
        assertEquals(List.of("weight", "bias", "keep"), List.copyOf(m.stateDict().keySet()));
        assertEquals(List.of("tmp", "keep"), List.copyOf(m.namedBuffers().keySet()));
        Map<String, Tensor> sd = new java.util.LinkedHashMap<>(m.stateDict());
        sd.put("tmp", zeros(1));
        assertEquals("Error(s) in loading state_dict for Linear:\n\tUnexpected key(s) in state_dict: \"tmp\". ",
                assertThrows(IllegalStateException.class, () -> m.loadStateDict(sd)).getMessage());
        m.registerBuffer("tmp", ones(1));            // registered again, persistent by default
        assertEquals(List.of("weight", "bias", "tmp", "keep"), List.copyOf(m.stateDict().keySet()));
    }
}
