package jtorch.nn;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import jtorch.Tensor;

import static jtorch.Torch.*;
import static org.junit.jupiter.api.Assertions.*;

class SequentialTest {
    @Test void appliesChildrenInOrderAndNamesThemByPosition() {
        var net = new Sequential(new Flatten(), new Linear(6, 3), new ReLU(), new Linear(3, 1), new Sigmoid());
        Tensor y = net.forward(ones(4, 2, 3));
        assertEquals(size(4, 1), y.shape());
        assertEquals(List.of("1.weight", "1.bias", "3.weight", "3.bias"), List.copyOf(net.namedParameters().keySet()));
        assertTrue(net.get(1) instanceof Linear);
        assertTrue(net.get(-1) instanceof Sigmoid);
        List<Module> seen = new ArrayList<>();
        for (Module m : net) seen.add(m);
        assertEquals(5, seen.size());
        assertThrows(IndexOutOfBoundsException.class, () -> net.get(5));
    }

    private static jtorch.Size size(long... s) { return jtorch.Size.of(s); }

    @Test void reprIndentsNestedContainers() {
        var net = new Sequential(new Linear(2, 2), new Sequential(new Tanh(), new Identity()));
        assertEquals("Sequential(\n"
                + "  (0): Linear(in_features=2, out_features=2, bias=True)\n"
                + "  (1): Sequential(\n"
                + "    (0): Tanh()\n"
                + "    (1): Identity()\n"
                + "  )\n"
                + ")", net.toString());
        assertEquals("Flatten(start_dim=1, end_dim=-1)", new Flatten().toString());
    }

    @Test void errorsNameTheFailingModulesPath() {
        var net = new Sequential(new Linear(4, 3), new Sequential(new ReLU(), new Linear(5, 2)));
        ModuleException e = assertThrows(ModuleException.class, () -> net.forward(ones(2, 4)));
        assertEquals("1.1", e.path());
        assertTrue(e.getMessage().startsWith("in 1.1 (Linear(in_features=5, out_features=2, bias=True)): "), e.getMessage());
    }

    static class Net extends Module {
        final Sequential features = registerModule("features",
                new Sequential(new Conv2d(1, 6, 5), new ReLU(), new MaxPool2d(2), new Conv2d(3, 16, 5)));

        @Override public Tensor forward(Tensor x) { return features.forward(x); }
    }

    @Test void errorsInsideAUserModuleNameTheFullPath() {
        Net net = new Net();
        assertEquals("features.3", net.features.get(3).path());
        ModuleException e = assertThrows(ModuleException.class, () -> net.forward(ones(1, 1, 16, 16)));
        assertEquals("features.3", e.path());
        assertEquals("in features.3 (Conv2d(3, 16, kernel_size=(5, 5), stride=(1, 1))): Given groups=1, weight of size "
                + "[16, 3, 5, 5], expected input[1, 6, 6, 6] to have 3 channels, but got 6 channels instead", e.getMessage());
    }

    @Test void mseLossReductions() {
        Tensor a = tensor(new float[] {1, 2, 3}), b = tensor(new float[] {1, 0, 0});
        assertEquals("tensor(4.3333)", new MSELoss().forward(a, b).toString());
        assertEquals("tensor(13.)", new MSELoss("sum").forward(a, b).toString());
        assertEquals("tensor([0., 4., 9.])", new MSELoss("none").forward(a, b).toString());
        assertThrows(IllegalArgumentException.class, () -> new MSELoss("avg"));
    }
}
