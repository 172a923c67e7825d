package jtorch.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import jtorch.Tensor;
import jtorch.Torch;
import jtorch.internal.TensorInternals;
import jtorch.serialization.CheckpointException;
import jtorch.serialization.PyTorchCheckpoint;

/**
 * Checkpoints written by PyTorch 1.13 ({@code tools/gen_checkpoint_fixtures.py}) load into the
 * equivalent jtorch module and reproduce PyTorch's outputs; failed loads change nothing.
 */
class CheckpointLoadingTest {
    @TempDir Path dir;

    /** float32 outputs of conv + linear: PyTorch sums in another order, so allow 8 ulps of the largest output. */
    private static final double OUTPUT_TOLERANCE = 8 * 0x1p-23;

    /** PyTorch's {@code nn.Sequential(nn.Conv2d(1, 2, 3), nn.ReLU(), nn.Flatten(), nn.Linear(2 * 4 * 4, 3))}. */
    private static Sequential model() {
        return new Sequential(new Conv2d(1, 2, 3), new ReLU(), new Flatten(), new Linear(2 * 4 * 4, 3));
    }

    private static Path resource(String name) {
        URL url = CheckpointLoadingTest.class.getResource("/jtorch/nn/checkpoints/" + name);
        assertNotNull(url, "missing fixture " + name + " (run tools/gen_checkpoint_fixtures.py)");
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** sequential_io.txt: the state dict, the input x and PyTorch's output y (format in the script's docstring). */
    private static Map<String, Tensor> records(String file) throws IOException {
        Map<String, Tensor> out = new LinkedHashMap<>();
        try (InputStream in = CheckpointLoadingTest.class.getResourceAsStream("/jtorch/nn/checkpoints/sequential_io.txt")) {
            assertNotNull(in);
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isEmpty() || line.startsWith("#")) continue;
                String[] f = line.split("\t", -1);
                if (!f[0].equals(file)) continue;
                int[] shape = f[3].isEmpty() ? new int[0] : Arrays.stream(f[3].split(",")).mapToInt(Integer::parseInt).toArray();
                assertEquals("FLOAT32", f[2]);
                String[] v = f[4].split(" ");
                float[] a = new float[v.length];
                for (int i = 0; i < v.length; i++) a[i] = Float.intBitsToFloat(Integer.parseUnsignedInt(v[i], 16));
                out.put(f[1], TensorInternals.wrap(a, shape));
            }
        }
        return out;
    }

    private static void assertSameBits(Tensor expected, Tensor actual, String what) {
        assertEquals(expected.shape(), actual.shape(), what);
        float[] e = expected.toFloatArray(), a = actual.toFloatArray();
        for (int i = 0; i < e.length; i++)
            assertEquals(Float.floatToRawIntBits(e[i]), Float.floatToRawIntBits(a[i]), what + "[" + i + "]");
    }

    private static void assertPyTorchOutput(Module net) throws IOException {
        Tensor x = records("input").get("x");
        Tensor y = records("output").get("y");
        Tensor out = Torch.noGrad(() -> net.forward(x));
        assertEquals(y.shape(), out.shape());
        float[] expected = y.toFloatArray(), actual = out.toFloatArray();
        double scale = 0;
        for (float v : expected) scale = Math.max(scale, Math.abs(v));
        for (int i = 0; i < expected.length; i++)
            assertTrue(Math.abs(actual[i] - expected[i]) <= OUTPUT_TOLERANCE * scale,
                    "output " + i + ": jtorch " + actual[i] + ", PyTorch " + expected[i]);
    }

    private static Map<String, float[]> snapshot(Module m) {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : m.stateDict().entrySet()) out.put(e.getKey(), e.getValue().toFloatArray());
        return out;
    }

    private static void assertUnchanged(Map<String, float[]> before, Module m) {
        Map<String, float[]> after = snapshot(m);
        assertEquals(before.keySet(), after.keySet());
        for (String k : before.keySet()) assertArrayEquals(before.get(k), after.get(k), k + " changed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sequential.pt", "sequential.safetensors"})
    void aStateDictSavedByPyTorchReproducesItsOutputs(String file) throws IOException {
        Sequential net = model();
        Map<String, Tensor> sd = Torch.load(resource(file));
        net.loadStateDict(sd);
        Map<String, Tensor> expected = records("sequential.pt");
        assertEquals(expected.keySet(), net.stateDict().keySet());
        for (Map.Entry<String, Tensor> e : expected.entrySet()) assertSameBits(e.getValue(), net.stateDict().get(e.getKey()), e.getKey());
        assertPyTorchOutput(net);
    }

    @Test
    void thePyTorchCheckpointKeepsTheModulesKeyOrder() throws IOException {
        assertEquals(new ArrayList<>(model().stateDict().keySet()), new ArrayList<>(Torch.load(resource("sequential.pt")).keySet()));
    }

    @Test
    void aModuleSavedByJtorchLoadsIntoAFreshModuleWithTheSameOutputs() throws IOException {
        Sequential trained = model();
        trained.loadStateDict(Torch.load(resource("sequential.pt")));
        for (String name : new String[] {"model.safetensors", "model.pt"}) {
            Path file = dir.resolve(name);
            if (name.endsWith(".pt")) PyTorchCheckpoint.save(trained.stateDict(), file);
            else Torch.save(trained.stateDict(), file);
            Torch.manualSeed(123);
            Sequential fresh = model();
            fresh.loadStateDict(Torch.load(file));
            Tensor x = records("input").get("x");
            assertSameBits(Torch.noGrad(() -> trained.forward(x)), Torch.noGrad(() -> fresh.forward(x)), name);
        }
    }

    @Test
    void aMissingKeyFailsWithPyTorchsMessageAndChangesNothing() throws IOException {
        Sequential net = model();
        Map<String, float[]> before = snapshot(net);
        Map<String, Tensor> sd = new LinkedHashMap<>(Torch.load(resource("sequential.pt")));
        sd.remove("3.bias");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> net.loadStateDict(sd));
        assertEquals("Error(s) in loading state_dict for Sequential:\n\tMissing key(s) in state_dict: \"3.bias\". ", e.getMessage());
        assertUnchanged(before, net);
    }

    @Test
    void anUnexpectedKeyFailsWithPyTorchsMessageAndChangesNothing() throws IOException {
        Sequential net = model();
        Map<String, float[]> before = snapshot(net);
        Map<String, Tensor> sd = new LinkedHashMap<>(Torch.load(resource("sequential.pt")));
        sd.put("4.weight", Torch.zeros(1));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> net.loadStateDict(sd));
        assertEquals("Error(s) in loading state_dict for Sequential:\n\tUnexpected key(s) in state_dict: \"4.weight\". ", e.getMessage());
        assertUnchanged(before, net);
    }

    @Test
    void aWrongShapeFailsWithPyTorchsMessageAndChangesNothing() throws IOException {
        Sequential net = model();
        Map<String, float[]> before = snapshot(net);
        Map<String, Tensor> sd = new LinkedHashMap<>(Torch.load(resource("sequential.pt")));
        sd.put("3.weight", Torch.zeros(3, 31));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> net.loadStateDict(sd));
        assertEquals("Error(s) in loading state_dict for Sequential:\n\tsize mismatch for 3.weight: copying a param with shape "
                + "torch.Size([3, 31]) from checkpoint, the shape in current model is torch.Size([3, 32]).", e.getMessage());
        assertUnchanged(before, net);
    }

    @Test
    void aTruncatedOrCorruptCheckpointFailsClearlyAndChangesNothing() throws IOException {
        Sequential net = model();
        Map<String, float[]> before = snapshot(net);
        for (String name : new String[] {"sequential.pt", "sequential.safetensors"}) {
            byte[] bytes = Files.readAllBytes(resource(name));
            List<byte[]> broken = new ArrayList<>(List.of(Arrays.copyOf(bytes, bytes.length / 2), Arrays.copyOf(bytes, bytes.length - 1)));
            // a changed byte is caught by the zip's CRCs; safetensors has no checksum, so only its structure is checked
            if (name.endsWith(".pt")) broken.add(corruptMiddle(bytes));
            for (byte[] b : broken) {
                Path file = dir.resolve("broken-" + name);
                Files.write(file, b);
                CheckpointException e = assertThrows(CheckpointException.class, () -> net.loadStateDict(Torch.load(file)));
                assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
                assertUnchanged(before, net);
            }
        }
    }

    /** The file with one byte of its middle (inside a record of sequential.pt) changed. */
    private static byte[] corruptMiddle(byte[] bytes) {
        byte[] copy = bytes.clone();
        copy[copy.length / 2] ^= 0x40;
        return copy;
    }
}
