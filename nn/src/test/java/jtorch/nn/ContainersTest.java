package jtorch.nn;

import static jtorch.Torch.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import jtorch.DType;
import jtorch.Size;
import jtorch.Tensor;

/** ModuleDict, ParameterList and ParameterDict; the expected keys and reprs are PyTorch 1.13's. */
class ContainersTest {
    static <V> LinkedHashMap<String, V> ordered(Object... kv) {
        LinkedHashMap<String, V> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            @SuppressWarnings("unchecked") V v = (V) kv[i + 1];
            m.put((String) kv[i], v);
        }
        return m;
    }

    static final class Net extends Module {
        final ParameterList params = registerModule("params", new ParameterList(ones(2), ones(3)));
        final ParameterDict pd = registerModule("pd", new ParameterDict(ordered("b", ones(1))));
        final ModuleDict md = registerModule("md", new ModuleDict(ordered("act", new ReLU(), "fc", new Linear(1, 1))));
    }

    @Test void theContainersRegisterUnderTheOwnerAndPrintAsPyTorch() {
        Net n = new Net();
        assertEquals(List.of("params.0", "params.1", "pd.b", "md.fc.weight", "md.fc.bias"), List.copyOf(n.stateDict().keySet()));
        assertEquals(5, n.parameters().size());
        assertEquals("Net(\n"
                + "  (params): ParameterList(\n"
                + "      (0): Parameter containing: [torch.float32 of size 2]\n"
                + "      (1): Parameter containing: [torch.float32 of size 3]\n"
                + "  )\n"
                + "  (pd): ParameterDict(  (b): Parameter containing: [torch.FloatTensor of size 1])\n"
                + "  (md): ModuleDict(\n"
                + "    (act): ReLU()\n"
                + "    (fc): Linear(in_features=1, out_features=1, bias=True)\n"
                + "  )\n"
                + ")", n.toString());
    }

    @Test void moduleDictKeepsInsertionOrderAndReplacesInPlace() {
        ModuleDict md = new ModuleDict(ordered("b", new ReLU(), "a", new Tanh()));
        assertEquals(List.of("b", "a"), md.keys());
        md.update(ordered("z", new ReLU(), "c", new ReLU()));
        assertEquals(List.of("b", "a", "z", "c"), md.keys());   // PyTorch: ['b', 'a', 'z', 'c']
        Module tanh = md.get("a");
        assertSame(tanh, md.put("a", new Sigmoid()));
        assertEquals(List.of("b", "a", "z", "c"), md.keys());
        assertTrue(md.get("a") instanceof Sigmoid);
        assertSame(md.get("z"), md.pop("z"));
        assertEquals(3, md.size());
        List<String> seen = new ArrayList<>();
        for (String k : md) seen.add(k);
        assertEquals(List.of("b", "a", "c"), seen);
        assertEquals(md.keys(), List.copyOf(md.items().keySet()));
        assertEquals(md.children(), md.values());
        assertTrue(md.containsKey("c"));
        assertEquals("ModuleDict has no key 'x'", assertThrows(NoSuchElementException.class, () -> md.get("x")).getMessage());
        assertThrows(UnsupportedOperationException.class, () -> md.items().clear());
        md.clear();
        assertTrue(md.isEmpty());
        assertEquals("ModuleDict()", md.toString());
        assertEquals("module name can't contain \".\", got: a.b",
                assertThrows(IllegalArgumentException.class, () -> md.put("a.b", new ReLU())).getMessage());
    }

    @Test void aMapWithoutOrderIsAddedInKeyOrder() {
        assertEquals(List.of("a", "b", "c"), new ModuleDict(Map.of("c", new ReLU(), "a", new ReLU(), "b", new ReLU())).keys());
        TreeMap<String, Tensor> sorted = new TreeMap<>(Map.of("y", ones(1), "x", ones(1)));
        assertEquals(List.of("x", "y"), new ParameterDict(sorted).keys());
        // PyTorch sorts a plain dict given to ParameterDict: {'b': .., 'a': ..} -> ['a', 'b'], then update -> ['a', 'b', 'c', 'z']
        ParameterDict pd = new ParameterDict(Map.of("b", randn(2), "a", randn(3)));
        assertEquals(List.of("a", "b"), pd.keys());
        pd.update(Map.of("z", randn(1), "c", randn(1)));
        assertEquals(List.of("a", "b", "c", "z"), pd.keys());
    }

    @Test void parameterListWrapsIndexesAndCannotBeCalled() {
        Tensor t = zeros(2);
        ParameterList pl = new ParameterList(t);
        Parameter p = pl.get(0);
        assertTrue(p.requiresGrad());
        assertSame(t.storage(), p.storage());
        assertSame(p, pl.get(-1));
        assertEquals("ParameterList(  (0): Parameter containing: [torch.float32 of size 2])", pl.toString());
        pl.extend(List.of(zeros(new long[] {2, 3}, DType.FLOAT64)));
        pl.set(0, zeros());
        assertEquals("ParameterList(\n"
                + "    (0): Parameter containing: [torch.float32 of size ]\n"
                + "    (1): Parameter containing: [torch.float64 of size 2x3]\n"
                + ")", pl.toString());
        assertEquals(2, pl.size());
        Parameter shared = new Parameter(ones(1));
        pl.append(shared);
        assertSame(shared, pl.get(2));
        List<Parameter> seen = new ArrayList<>();
        for (Parameter q : pl) seen.add(q);
        assertEquals(pl.parameters(), seen);
        assertEquals("index 3 is out of range", assertThrows(IndexOutOfBoundsException.class, () -> pl.get(3)).getMessage());
        assertEquals("index -4 is out of range", assertThrows(IndexOutOfBoundsException.class, () -> pl.set(-4, ones(1))).getMessage());
        assertEquals("ParameterList should not be called.", assertThrows(IllegalStateException.class, () -> pl.forward(ones(1))).getMessage());
        assertEquals("ParameterList()", new ParameterList().toString());
        assertTrue(new ParameterList().isEmpty());
    }

    @Test void parameterDictBehavesAsPyTorchsDict() {
        ParameterDict printed = new ParameterDict(ordered("w", zeros(new long[] {2, 3}, DType.FLOAT64), "b", zeros()));
        assertEquals("ParameterDict(\n"
                + "    (w): Parameter containing: [torch.DoubleTensor of size 2x3]\n"
                + "    (b): Parameter containing: [torch.FloatTensor of size ]\n"
                + ")", printed.toString());
        ParameterDict pd = new ParameterDict(ordered("a", ones(1), "b", ones(2), "c", ones(3)));
        Map.Entry<String, Parameter> last = pd.popitem();
        assertEquals("c", last.getKey());
        assertEquals(Size.of(3), last.getValue().shape());
        assertEquals(List.of("a", "b"), pd.keys());
        Parameter a = pd.get("a");
        assertSame(a, pd.put("a", zeros(4)));
        assertEquals(List.of("a", "b"), pd.keys());                 // replaced in place
        assertEquals(Size.of(1), pd.setdefault("z", zeros(1)).shape());
        assertEquals(Size.of(4), pd.setdefault("a", zeros(1)).shape());
        assertEquals(List.of("a", "b", "z"), pd.keys());
        assertNull(pd.get("nope", null));
        assertSame(pd.get("b"), pd.get("b", ones(9)));
        assertEquals("'ParameterDict' object has no attribute 'x'",
                assertThrows(NoSuchElementException.class, () -> pd.get("x")).getMessage());
        ParameterDict copy = pd.copy();
        assertEquals(pd.keys(), copy.keys());
        assertSame(pd.get("z"), copy.get("z"));
        Parameter b = pd.get("b");
        assertSame(b, pd.pop("b"));
        assertFalse(pd.containsKey("b"));
        assertEquals(List.of("a", "z"), List.copyOf(pd.namedParameters().keySet()));
        assertEquals(pd.values(), pd.parameters());
        assertEquals("ParameterDict should not be called.", assertThrows(IllegalStateException.class, () -> copy.forward(ones(1))).getMessage());
        pd.clear();
        assertEquals(0, pd.size());
        assertThrows(NoSuchElementException.class, pd::popitem);
    }
}
