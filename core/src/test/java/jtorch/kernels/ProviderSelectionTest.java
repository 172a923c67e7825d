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
            System.out.println("openblasMapped=" + openBlasMapped());
            if (Kernels.provider() == KernelProvider.NATIVE) {
                // A product large enough for OpenBLAS, after setNumThreads(1).
                jtorch.Torch.setNumThreads(1);
                jtorch.Tensor big = jtorch.Torch.ones(96, 96);
                System.out.println("bigProduct=" + big.mm(big).storage().f32()[0]);
                System.out.println("nativeThreads=" + Kernels.nativeThreads());
                System.out.println("describe=" + Kernels.describe(KernelProvider.NATIVE).replace('=', ':'));
            }
        }

        static boolean openBlasMapped() {
            try {
                return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/maps")).toLowerCase(java.util.Locale.ROOT)
                        .contains("openblas");
            } catch (IOException e) {
                return false;
            }
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
    void automaticChoiceFollowsTheDocumentedRule() throws Exception {
        List<String> out = probe("--add-modules", "jdk.incubator.vector");
        int bits = Kernels.vectorBits();
        String expected = bits >= Kernels.WIDE_VECTOR_BITS ? "VECTOR" : Kernels.isAvailable(KernelProvider.NATIVE) ? "NATIVE" : "VECTOR";
        assertEquals(expected, value(out, "provider"), out.toString());
        // The same choice every run (no timing race): a second JVM agrees.
        assertEquals(expected, value(probe("--add-modules", "jdk.incubator.vector"), "provider"));
        // With the Vector API chosen, OpenBLAS is never loaded, so no native thread exists.
        if (expected.equals("VECTOR")) assertEquals("false", value(out, "openblasMapped"), out.toString());
    }

    @Test
    void theRuleOrdersProvidersByVectorWidth() {
        assertEquals(List.of(KernelProvider.VECTOR, KernelProvider.NATIVE, KernelProvider.SCALAR), Kernels.automaticOrder(512));
        assertEquals(List.of(KernelProvider.VECTOR, KernelProvider.NATIVE, KernelProvider.SCALAR), Kernels.automaticOrder(1024));
        assertEquals(List.of(KernelProvider.NATIVE, KernelProvider.VECTOR, KernelProvider.SCALAR), Kernels.automaticOrder(256));
        assertEquals(List.of(KernelProvider.NATIVE, KernelProvider.VECTOR, KernelProvider.SCALAR), Kernels.automaticOrder(0));
    }

    /**
     * Asked for, native GEMM obeys {@code setNumThreads} without JVM flags beyond the Vector
     * API's: on JDK 22+ through {@code java.lang.foreign}, OpenBLAS then runs single-threaded
     * (the pool splits large products); on JDK 17 the bundled OpenBLAS (on the test class path)
     * through javacpp's JNI; the system one's count cannot be set without {@code
     * jdk.incubator.foreign}, and the description gives the advice that is right for JDK 17.
     */
    @Test
    void nativeThreadsFollowSetNumThreadsWithoutFlags() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Kernels.isAvailable(KernelProvider.NATIVE), "OpenBLAS is not installed");
        List<String> out = probe("--add-modules", "jdk.incubator.vector", "-Djtorch.kernels=native");
        assertEquals("NATIVE", value(out, "provider"), out.toString());
        assertEquals("96.0", value(out, "bigProduct"));
        int feature = Runtime.version().feature();
        if (feature >= 22) {
            assertEquals("1", value(out, "nativeThreads"), out.toString());
            assertTrue(value(out, "describe").contains("java.lang.foreign"), out.toString());
        } else if (feature == 17) {
            // org.bytedeco:openblas is on the test class path: without the incubating linker its
            // library comes first, because javacpp sets its threads through JNI.
            assertEquals("1", value(out, "nativeThreads"), out.toString());
            assertTrue(value(out, "describe").contains("threads set through javacpp's blas_set_num_threads"), out.toString());
            // The system library cannot be governed without that module, and the description says what to add.
            out = probe("--add-modules", "jdk.incubator.vector", "-Djtorch.kernels=native",
                    "-Djtorch.blas.path=" + NativeGemm.findOpenBlas());
            assertEquals("-1", value(out, "nativeThreads"), out.toString());
            assertTrue(value(out, "describe").contains("--add-modules jdk.incubator.foreign"), out.toString());
            out = probe("--add-modules", "jdk.incubator.vector,jdk.incubator.foreign", "--enable-native-access=ALL-UNNAMED",
                    "-Djtorch.kernels=native");
            assertEquals("1", value(out, "nativeThreads"), out.toString());
            assertTrue(value(out, "describe").contains("jdk.incubator.foreign"), out.toString());
        }
    }
}
