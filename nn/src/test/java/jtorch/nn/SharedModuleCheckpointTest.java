package jtorch.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Map;

import org.junit.jupiter.api.Test;

import jtorch.Tensor;
import jtorch.Torch;

/**
 * A model that uses one {@code Linear} at two places (d2l's shared layer) has PyTorch's state dict
 * keys for both places, and the checkpoint PyTorch 1.13 saved of it
 * ({@code tools/gen_shared_module_fixtures.py}) loads and reproduces PyTorch's output.
 */
class SharedModuleCheckpointTest {
    /** float32 outputs of three small products: PyTorch may sum in another order, so allow 8 ulps of the largest. */
    private static final double OUTPUT_TOLERANCE = 8 * 0x1p-23;

    private static Sequential model() {
        Linear shared = new Linear(8, 8);
        return new Sequential(new Linear(4, 8), new ReLU(), shared, new ReLU(), shared, new ReLU(), new Linear(8, 1));
    }

    /** The records of shared_sequential_io.txt whose first field is {@code file}, in file order. */
    private static Map<String, Tensor> records(String file) {
        return TensorRecords.read("/jtorch/nn/checkpoints/shared_sequential_io.txt", file);
    }

    private static Path checkpoint() {
        try {
            return Path.of(SharedModuleCheckpointTest.class.getResource("/jtorch/nn/checkpoints/shared_sequential.pt").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test void theStateDictHasPyTorchsKeysInPyTorchsOrder() throws IOException {
        assertEquals(new ArrayList<>(records("shared_sequential.pt").keySet()), new ArrayList<>(model().stateDict().keySet()));
    }

    @Test void theSameSeedGivesPyTorchsInitialWeightsAtBothPlaces() throws IOException {
        Torch.manualSeed(0);
        Sequential net = model();
        Map<String, Tensor> own = net.stateDict();
        for (Map.Entry<String, Tensor> e : records("shared_sequential.pt").entrySet())
            assertTrue(e.getValue().equal(own.get(e.getKey())), e.getKey());
    }

    @Test void pyTorchsCheckpointLoadsAndReproducesItsOutput() throws IOException {
        Torch.manualSeed(7);
        Sequential net = model();
        net.loadStateDict(Torch.load(checkpoint()));
        Linear shared = (Linear) net.get(2);
        assertSame(shared, net.get(4));
        Map<String, Tensor> expected = records("shared_sequential.pt");
        assertTrue(expected.get("4.weight").equal(shared.weight));
        assertTrue(expected.get("0.weight").equal(((Linear) net.get(0)).weight));
        Tensor x = records("input").get("x"), y = records("output").get("y");
        Tensor out = Torch.noGrad(() -> net.forward(x));
        assertEquals(y.shape(), out.shape());
        float[] e = y.toFloatArray(), a = out.toFloatArray();
        double scale = 0;
        for (float v : e) scale = Math.max(scale, Math.abs(v));
        for (int i = 0; i < e.length; i++)
            assertTrue(Math.abs(a[i] - e[i]) <= OUTPUT_TOLERANCE * scale, "output " + i + ": jtorch " + a[i] + ", PyTorch " + e[i]);
    }
}
