package jtorch.nn;

import static jtorch.Torch.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import jtorch.Size;
import jtorch.Tensor;
import jtorch.nn.functional.F;

/** Embedding (padding row, max_norm, from_pretrained), Unflatten and ModuleList. */
class EmbeddingAndContainersTest {
    @Test void embeddingLooksUpRowsAndAddsTheEmbeddingDim() {
        Embedding e = new Embedding(10, 3);
        assertEquals(Size.of(10, 3), e.weight.shape());
        Tensor idx = tensor(new long[][] {{1, 2, 9}, {0, 0, 4}});
        Tensor v = e.forward(idx);
        assertEquals(Size.of(2, 3, 3), v.shape());
        assertTrue(v.index(1, 2).equal(e.weight.detach().index(4)));
    }

    @Test void thePaddingRowStartsAtZeroAndGetsNoGradient() {
        manualSeed(3);
        Embedding e = new Embedding(Embedding.options(6, 2).paddingIdx(-2L));
        assertEquals(4L, e.paddingIdx);
        assertEquals("tensor([0., 0.])", e.weight.detach().index(4).toString());
        e.forward(tensor(new long[] {4, 1, 4, 1, 2})).mul(arange(10.0).reshape(5, 2)).sum().backward();
        assertEquals("tensor([[ 0.,  0.],\n        [ 8., 10.],\n        [ 8.,  9.],\n        [ 0.,  0.],\n        [ 0.,  0.],\n"
                + "        [ 0.,  0.]])", e.weight.grad().toString());
        // the padding row is still looked up as it is (PyTorch does not force it to zero)
        noGrad(() -> { e.weight.index(4).fill_(5.0); });
        assertEquals("tensor([5., 5.])", e.forward(tensor(4L)).detach().toString());
    }

    @Test void maxNormRenormalisesTheLookedUpRowsInPlace() {
        Tensor w = tensor(new double[][] {{3, 4}, {0.3, 0.4}, {6, 8}});
        Tensor out = F.embedding(tensor(new long[] {0, 1}), w, null, 1.0, 2.0);
        assertEquals(1.0, w.index(0).mul(w.index(0)).sum().sqrt().item(), 1e-6);
        assertEquals("tensor([0.3000, 0.4000], dtype=torch.float64)", w.index(1).toString());
        assertEquals("tensor([6., 8.], dtype=torch.float64)", w.index(2).toString(), "rows not looked up stay");
        assertTrue(out.index(0).equal(w.index(0)));
    }

    @Test void fromPretrainedSharesTheTableAndFreezesIt() {
        Tensor table = tensor(new float[][] {{1, 2}, {3, 4}});
        Embedding e = Embedding.fromPretrained(table, true, null);
        assertFalse(e.weight.requiresGrad());
        assertSame(table.storage(), e.weight.storage());
        assertEquals("tensor([[3., 4.]])", e.forward(tensor(new long[] {1})).toString());
        assertTrue(Embedding.fromPretrained(table, false, 0L).weight.requiresGrad());
    }

    @Test void unflattenSplitsOneDim() {
        assertEquals(Size.of(3, 2, 5), new Unflatten(1, 2, 5).forward(ones(3, 10)).shape());
        assertEquals(Size.of(3, 2, 5), new Unflatten(-1, -1, 5).forward(ones(3, 10)).shape());
        Tensor x = arange(12.0).reshape(2, 6);
        assertTrue(new Flatten().forward(new Unflatten(1, 3, 2).forward(x)).equal(x));
    }

    static final class Tower extends Module {
        final ModuleList layers = registerModule("layers", new ModuleList());

        Tower(int depth) {
            for (int i = 0; i < depth; i++) layers.append(new Linear(4, 4));
            layers.append(new LeakyReLU());
        }

        @Override public Tensor forward(Tensor x) {
            for (Module m : layers) x = m.forward(x);
            return x;
        }
    }

    @Test void moduleListRegistersItsModulesUnderTheOwner() {
        Tower t = new Tower(2);
        assertEquals(List.of("layers.0.weight", "layers.0.bias", "layers.1.weight", "layers.1.bias"),
                List.copyOf(t.namedParameters().keySet()));
        assertEquals(3, t.layers.size());
        assertTrue(t.layers.get(-1) instanceof LeakyReLU);
        assertEquals(Size.of(5, 4), t.forward(ones(5, 4)).shape());
        List<Module> seen = new ArrayList<>();
        for (Module m : t.layers) seen.add(m);
        assertEquals(t.layers.children(), seen);
        assertThrows(IndexOutOfBoundsException.class, () -> t.layers.get(3));
        t.eval();
        assertFalse(t.layers.get(0).isTraining());
    }

    @Test void moduleListExtendsAndHasNoForward() {
        ModuleList l = new ModuleList(List.of(new ReLU(), new Tanh()));
        l.extend(List.of(new Sigmoid()));
        assertEquals("ModuleList(\n  (0): ReLU()\n  (1): Tanh()\n  (2): Sigmoid()\n)", l.toString());
        assertTrue(new ModuleList().isEmpty());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> l.forward(ones(1)));
        assertEquals("Module [ModuleList] is missing the required \"forward\" function", e.getMessage());
    }
}
