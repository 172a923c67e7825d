package jtorch.kernels;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Start-up selection in fresh JVMs: the property wins when its provider is available, an
 * unavailable request falls back, and without {@code --add-modules jdk.incubator.vector} the
 * library still loads (no Vector API class is linked) and computes with another provider.
 */
class ProviderSelectionTest {

    /** Run by the forked JVMs: prints the provider, the Vector API's status and a product. */
    public static final class Probe {
        public static void main(String[] args) {
            jtorch.Tensor a = jtorch.Torch.tensor(new float[][] {{1, 2}, {3, 4}});
            jtorch.Tensor c = a.mm(a);
            System.out.println("provider=" + Kernels.provider());
            System.out.println("vector=" + (Kernels.isAvailable(KernelProvider.VECTOR) ? "yes" : Kernels.unavailableReason(KernelProvider.VECTOR)));
            System.out.println("product=" + java.util.Arrays.toString(c.storage().f32()));
        }
    }

    private static List<String> probe(String... jvmArgs) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of(jvmArgs));
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Probe.class.getName());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "probe finished");
        assertEquals(0, p.exitValue(), out);
        List<String> lines = new ArrayList<>();
        for (String l : out.split("\n")) if (l.contains("=")) lines.add(l.trim());
        return lines;
    }

    private static String value(List<String> lines, String key) {
        for (String l : lines) if (l.startsWith(key + "=")) return l.substring(key.length() + 1);
        throw new AssertionError(key + " missing in " + lines);
    }

    @Test
    void withoutTheVectorModuleTheLibraryLoadsAndFallsBack() throws Exception {
        List<String> out = probe("-Djtorch.kernels=vector");
        String provider = value(out, "provider");
        assertEquals(Kernels.isAvailable(KernelProvider.NATIVE) ? "NATIVE" : "SCALAR", provider, out.toString());
        assertTrue(value(out, "vector").contains("--add-modules jdk.incubator.vector"), out.toString());
        assertEquals("[7.0, 10.0, 15.0, 22.0]", value(out, "product"));
    }

    @Test
    void thePropertyPicksAnAvailableProvider() throws Exception {
        List<String> out = probe("--add-modules", "jdk.incubator.vector", "-Djtorch.kernels=scalar");
        assertEquals("SCALAR", value(out, "provider"));
        assertEquals("yes", value(out, "vector"));
        out = probe("--add-modules", "jdk.incubator.vector", "-Djtorch.kernels=vector");
        assertEquals("VECTOR", value(out, "provider"));
        assertEquals("[7.0, 10.0, 15.0, 22.0]", value(out, "product"));
    }

    @Test
    void automaticChoiceIsTheFastestAvailable() throws Exception {
        List<String> out = probe("--add-modules", "jdk.incubator.vector");
        assertEquals(Kernels.isAvailable(KernelProvider.NATIVE) ? "NATIVE" : "VECTOR", value(out, "provider"));
    }
}
